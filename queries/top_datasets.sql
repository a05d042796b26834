-- Which datasets and benchmarks are used most?
-- One row per dataset: the papers naming it, how many of them report results on it
-- (evaluates_on) and how many train or tune with it (uses), most-named first.
-- Edit: the LIMIT (how many rows); add `AND e.paper_count >= 2` to hide one-off names.
SELECT e.name AS dataset,
       e.paper_count AS papers,
       COUNT(DISTINCT CASE WHEN pe.relation = 'evaluates_on' THEN pe.paper_id END) AS evaluated_on,
       COUNT(DISTINCT CASE WHEN pe.relation = 'uses' THEN pe.paper_id END) AS used_for_training,
       e.family
FROM entities e
LEFT JOIN paper_entities pe ON pe.entity_id = e.id
WHERE e.type = 'dataset' AND e.paper_count > 0
GROUP BY e.id
ORDER BY papers DESC, evaluated_on DESC, e.name
LIMIT 25;
