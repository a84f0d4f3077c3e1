-- Activities and participations per city and engagement level.
SELECT
    ville AS city,
    niveau_engagement AS level,
    count(*) AS activities,
    coalesce(sum(nb_participants), 0) AS participations
FROM activities
GROUP BY ALL
ORDER BY city, level
