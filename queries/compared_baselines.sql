-- Which models and methods do papers compare against most?
-- Entities that papers name as baselines they outperform or match (compares_with), with
-- the papers that do so.
-- Edit: the LIMIT; add `AND e.type = 'model'` to keep models only.
SELECT e.name AS baseline, e.type, COUNT(*) AS papers
FROM paper_entities pe
JOIN entities e ON e.id = pe.entity_id
WHERE pe.relation = 'compares_with'
GROUP BY e.id
ORDER BY papers DESC, e.name
LIMIT 20;
