-- What the loaded data is: demo or real, and when it last changed.
SELECT
    coalesce(bool_or(is_demo), false) AS has_demo,
    coalesce(bool_and(is_demo), false) AS only_demo,
    count(*) AS loads,
    max(loaded_at) AS last_load
FROM loads
WHERE status = 'loaded'
