-- What the loaded data is: demo, the real open data of data/open, or cities' own; when it last changed.
SELECT
    coalesce(bool_or(is_demo), false) AS has_demo,
    coalesce(bool_and(is_demo), false) AS only_demo,
    coalesce(bool_or(user_name = 'open-data'), false) AS has_open_data,  -- etl.paths.OPEN_DATA_USER
    count(*) AS loads,
    max(loaded_at) AS last_load
FROM loads
WHERE status = 'loaded'
