-- Base aggregates per city for a selection: the sums and counts from which every
-- metric of queries/metrics.py is computed. Every city in scope gets a row, with
-- zeros when it has no activity in the selection (its population still counts).
-- Scope: cities that have records, limited by the country and city filters. Each row says
-- whether the city is a member of the mission (medians and counts "of the mission" take
-- members only) and, in `participations_with_population`, the participations that a figure
-- per 10,000 inhabitants may count (those of a city whose population is known).
-- The records are summed per city code and level first (plain sums), then per city: the
-- level's rank and co-creation test run on those few rows, not on every record, and the
-- city's name, country and coordinates are joined last (grouping a million rows by them
-- cost twice as much).
-- The follow-up of proposals (issue 17): answers over the activities that report both the
-- answered and the received proposals, implementation over those reporting it, and the
-- list of answer delays in days (from the end of the activity, or its start when it has
-- no end; an answer published before the end counts 0 days), whose median is taken in
-- queries/metrics.py. A filled answer date or answered count implies a public response.
-- The `*_activities` columns count the activities each metric rests on.
-- Representativeness: where the city's population structure is known (city_structure),
-- the women and under-25 participations and the number expected if they were represented
-- as in the population (base × the group's share of inhabitants): summed over cities, the
-- ratio of the two stays a ratio of shares weighted by participations.
WITH per_level AS (
    SELECT
        code_ville,
        niveau_engagement,
        count(*) AS activities,
        sum(nb_seances) AS sessions,
        sum(nb_participants) AS participations,
        sum(nb_propositions_recues) AS proposals_received,
        sum(nb_propositions_retenues) AS proposals_adopted,
        sum(nb_propositions_retenues) FILTER (nb_propositions_recues IS NOT NULL) AS adopted_where_received,
        sum(nb_nouveaux_participants) AS newcomers,
        sum(nb_participants) FILTER (nb_nouveaux_participants IS NOT NULL) AS newcomers_base,
        sum(nb_femmes) AS women,
        sum(nb_participants) FILTER (nb_femmes IS NOT NULL) AS women_base,
        sum(nb_moins_25_ans) AS under_25,
        sum(nb_participants) FILTER (nb_moins_25_ans IS NOT NULL) AS under_25_base,
        sum(nb_citoyens) AS citizens,
        sum(nb_entreprises) AS businesses,
        sum(nb_recherche) AS research,
        sum(nb_associations) AS associations,
        sum(nb_institutions) AS public_bodies,
        count(*) FILTER (coalesce(retour_public, date_reponse_publique IS NOT NULL OR nb_propositions_repondues > 0)) AS public_responses,
        count(coalesce(retour_public, CASE WHEN date_reponse_publique IS NOT NULL OR nb_propositions_repondues > 0 THEN true END)) AS public_response_base,
        count(nb_propositions_recues) AS received_activities,
        count(nb_nouveaux_participants) AS newcomer_activities,
        count(nb_femmes) AS women_activities,
        count(nb_moins_25_ans) AS under_25_activities,
        count(*) FILTER (coalesce(nb_citoyens, nb_entreprises, nb_recherche, nb_associations, nb_institutions) IS NOT NULL) AS stakeholder_activities,
        sum(nb_propositions_repondues) FILTER (nb_propositions_recues IS NOT NULL) AS answered,
        sum(nb_propositions_recues) FILTER (nb_propositions_repondues IS NOT NULL) AS received_where_answered,
        count(*) FILTER (nb_propositions_repondues IS NOT NULL AND nb_propositions_recues IS NOT NULL) AS answer_activities,
        list(greatest(0, date_diff('day', coalesce(date_fin, date_debut), date_reponse_publique)))
            FILTER (date_reponse_publique IS NOT NULL) AS answer_delays,
        count(*) FILTER (date_diff('day', coalesce(date_fin, date_debut), date_reponse_publique) <= 90) AS answered_within_90,
        sum(nb_propositions_mises_en_oeuvre) AS implemented,
        sum(nb_propositions_retenues) FILTER (nb_propositions_mises_en_oeuvre IS NOT NULL) AS adopted_where_implemented,
        count(nb_propositions_mises_en_oeuvre) AS implementation_activities
    FROM selected_activities($start, $end, $countries, $cities, $methods, $themes, $formats)
    GROUP BY code_ville, niveau_engagement
),
per_city AS (
    SELECT
        code_ville,
        sum(activities)::BIGINT AS activities,
        coalesce(sum(sessions), 0) AS sessions,
        coalesce(sum(participations), 0) AS participations,
        coalesce(sum(proposals_received), 0) AS proposals_received,
        coalesce(sum(proposals_adopted), 0) AS proposals_adopted,
        coalesce(sum(adopted_where_received), 0) AS adopted_where_received,
        coalesce(sum(activities) FILTER (list_contains($co_creation, niveau_engagement)), 0)::BIGINT AS cocreation_activities,
        coalesce(sum(participations) FILTER (list_contains($co_creation, niveau_engagement)), 0) AS cocreation_participations,
        coalesce(sum(participations * list_position($levels, niveau_engagement)), 0) AS depth_weighted,
        coalesce(sum(newcomers), 0) AS newcomers,
        coalesce(sum(newcomers_base), 0) AS newcomers_base,
        coalesce(sum(women), 0) AS women,
        coalesce(sum(women_base), 0) AS women_base,
        coalesce(sum(under_25), 0) AS under_25,
        coalesce(sum(under_25_base), 0) AS under_25_base,
        coalesce(sum(citizens), 0) AS citizens,
        coalesce(sum(businesses), 0) AS businesses,
        coalesce(sum(research), 0) AS research,
        coalesce(sum(associations), 0) AS associations,
        coalesce(sum(public_bodies), 0) AS public_bodies,
        sum(public_responses)::BIGINT AS public_responses,
        sum(public_response_base)::BIGINT AS public_response_base,
        sum(received_activities)::BIGINT AS received_activities,
        sum(newcomer_activities)::BIGINT AS newcomer_activities,
        sum(women_activities)::BIGINT AS women_activities,
        sum(under_25_activities)::BIGINT AS under_25_activities,
        sum(stakeholder_activities)::BIGINT AS stakeholder_activities,
        coalesce(sum(answered), 0) AS answered,
        coalesce(sum(received_where_answered), 0) AS received_where_answered,
        sum(answer_activities)::BIGINT AS answer_activities,
        flatten(list(answer_delays) FILTER (answer_delays IS NOT NULL)) AS answer_delays,
        sum(answered_within_90)::BIGINT AS answered_within_90,
        coalesce(sum(implemented), 0) AS implemented,
        coalesce(sum(adopted_where_implemented), 0) AS adopted_where_implemented,
        sum(implementation_activities)::BIGINT AS implementation_activities
    FROM per_level
    GROUP BY code_ville
),
scope AS (
    SELECT code, name, local_name, country, member, population, latitude, longitude
    FROM reference_cities($lang)
    WHERE code IN (SELECT DISTINCT code_ville FROM activities)
      AND ($countries IS NULL OR list_contains($countries, country))
      AND ($cities IS NULL OR list_contains($cities, code))
)
SELECT
    s.code AS city_code,
    s.name AS city,
    s.local_name AS city_local,
    s.country,
    s.member,
    s.population,
    s.latitude,
    s.longitude,
    coalesce(p.activities, 0) AS activities,
    coalesce(p.sessions, 0) AS sessions,
    coalesce(p.participations, 0) AS participations,
    CASE WHEN s.population IS NULL THEN 0 ELSE coalesce(p.participations, 0) END AS participations_with_population,
    coalesce(p.proposals_received, 0) AS proposals_received,
    coalesce(p.proposals_adopted, 0) AS proposals_adopted,
    coalesce(p.adopted_where_received, 0) AS adopted_where_received,
    coalesce(p.cocreation_activities, 0) AS cocreation_activities,
    coalesce(p.cocreation_participations, 0) AS cocreation_participations,
    coalesce(p.depth_weighted, 0) AS depth_weighted,
    coalesce(p.newcomers, 0) AS newcomers,
    coalesce(p.newcomers_base, 0) AS newcomers_base,
    coalesce(p.women, 0) AS women,
    coalesce(p.women_base, 0) AS women_base,
    coalesce(p.under_25, 0) AS under_25,
    coalesce(p.under_25_base, 0) AS under_25_base,
    coalesce(p.citizens, 0) AS citizens,
    coalesce(p.businesses, 0) AS businesses,
    coalesce(p.research, 0) AS research,
    coalesce(p.associations, 0) AS associations,
    coalesce(p.public_bodies, 0) AS public_bodies,
    coalesce(p.public_responses, 0) AS public_responses,
    coalesce(p.public_response_base, 0) AS public_response_base,
    coalesce(p.received_activities, 0) AS received_activities,
    CASE WHEN s.population IS NULL THEN 0 ELSE coalesce(p.activities, 0) END AS activities_with_population,
    coalesce(p.newcomer_activities, 0) AS newcomer_activities,
    coalesce(p.women_activities, 0) AS women_activities,
    coalesce(p.under_25_activities, 0) AS under_25_activities,
    coalesce(p.stakeholder_activities, 0) AS stakeholder_activities,
    coalesce(p.answered, 0) AS answered,
    coalesce(p.received_where_answered, 0) AS received_where_answered,
    coalesce(p.answer_activities, 0) AS answer_activities,
    coalesce(p.answer_delays, []::BIGINT[]) AS answer_delays,
    coalesce(p.answered_within_90, 0) AS answered_within_90,
    coalesce(p.implemented, 0) AS implemented,
    coalesce(p.adopted_where_implemented, 0) AS adopted_where_implemented,
    coalesce(p.implementation_activities, 0) AS implementation_activities,
    cs.part_femmes AS population_women_share,
    cs.part_moins_25_ans AS population_under_25_share,
    cs.annee AS structure_year,
    cs.source AS structure_source,
    cs.is_demo AS structure_demo,
    CASE WHEN cs.part_femmes IS NULL THEN 0 ELSE coalesce(p.women, 0) END AS women_with_structure,
    CASE WHEN cs.part_femmes IS NULL THEN 0 ELSE coalesce(p.women_base, 0) END AS women_base_with_structure,
    coalesce(p.women_base, 0) * coalesce(cs.part_femmes, 0) AS women_expected,
    CASE WHEN cs.part_femmes IS NULL THEN 0 ELSE coalesce(p.women_activities, 0) END AS women_activities_with_structure,
    CASE WHEN cs.part_moins_25_ans IS NULL THEN 0 ELSE coalesce(p.under_25, 0) END AS under_25_with_structure,
    CASE WHEN cs.part_moins_25_ans IS NULL THEN 0 ELSE coalesce(p.under_25_base, 0) END AS under_25_base_with_structure,
    coalesce(p.under_25_base, 0) * coalesce(cs.part_moins_25_ans, 0) AS under_25_expected,
    CASE WHEN cs.part_moins_25_ans IS NULL THEN 0 ELSE coalesce(p.under_25_activities, 0) END AS under_25_activities_with_structure
FROM scope s
LEFT JOIN per_city p ON p.code_ville = s.code
LEFT JOIN city_structure cs ON cs.code = s.code
ORDER BY s.name
