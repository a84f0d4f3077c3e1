-- Grows with every load, rollback or city change.
SELECT coalesce(max(event_id), 0) AS version FROM data_events
