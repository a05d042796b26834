-- Which models are most often adapted with LoRA?
-- Counts, per model, the papers that relate to LoRA (or to a LoRA variant such as QLoRA
-- or LongLoRA, through the family tree) and also use, fine-tune or name that model;
-- models in the same sentence as LoRA count as "in_sentence".
-- Edit: 'LoRA' below (any method name: 'DPO', 'RLHF', 'Adapter' …); the LIMIT.
WITH technique AS (
    SELECT id FROM entities WHERE name = 'LoRA' COLLATE NOCASE
    UNION
    SELECT entity_id FROM family_tree
    WHERE ancestor_id IN (SELECT id FROM entities WHERE name = 'LoRA' COLLATE NOCASE)
),
adapting AS (
    SELECT DISTINCT paper_id FROM paper_entities
    WHERE entity_id IN (SELECT id FROM technique) AND relation <> 'compares_with'
)
SELECT m.name AS model,
       COUNT(DISTINCT pe.paper_id) AS papers,
       COUNT(DISTINCT CASE WHEN pe.relation = 'uses' THEN pe.paper_id END) AS papers_using_it,
       COUNT(DISTINCT v.paper_id) AS in_sentence,
       m.family
FROM adapting a
JOIN paper_entities pe ON pe.paper_id = a.paper_id
JOIN entities m ON m.id = pe.entity_id AND m.type = 'model'
LEFT JOIN evidence v ON v.paper_id = a.paper_id AND v.relation = 'co_mentioned'
    AND ((v.source_id = m.id AND v.target_id IN (SELECT id FROM technique))
      OR (v.target_id = m.id AND v.source_id IN (SELECT id FROM technique)))
GROUP BY m.id
ORDER BY papers DESC, in_sentence DESC, m.name
LIMIT 20;
