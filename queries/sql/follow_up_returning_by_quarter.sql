-- Newcomers and the participations they are counted against, per quarter, over the
-- activities that report new participants: queries.metrics turns them into the returning
-- participants' share (1 − newcomers ÷ participations) and leaves out a quarter resting on
-- too few activities.
SELECT
    date_trunc('quarter', date_debut) AS period,
    coalesce(sum(nb_nouveaux_participants), 0) AS newcomers,
    coalesce(sum(nb_participants), 0) AS newcomers_base,
    count(*)::BIGINT AS newcomer_activities
FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
WHERE nb_nouveaux_participants IS NOT NULL
GROUP BY ALL
ORDER BY period
