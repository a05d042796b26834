-- Which methods do papers build with most (LoRA, RLHF, DPO, Mixture-of-Experts …)?
-- One row per method: papers that use it, papers that propose a method of that name, and all
-- papers naming it, ranked by use.
-- Edit: the LIMIT; change 'method' to 'model' to rank models the same way.
SELECT e.name AS method,
       COUNT(DISTINCT CASE WHEN pe.relation = 'uses' THEN pe.paper_id END) AS used_by,
       COUNT(DISTINCT CASE WHEN pe.relation = 'proposes' THEN pe.paper_id END) AS proposed_by,
       e.paper_count AS papers
FROM entities e
JOIN paper_entities pe ON pe.entity_id = e.id
WHERE e.type = 'method'
GROUP BY e.id
ORDER BY used_by DESC, papers DESC, e.name
LIMIT 25;
