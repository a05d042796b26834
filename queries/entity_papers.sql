-- Which papers name an entity, and how?
-- Every paper relating to one entity (entity_papers view), its strongest relation first
-- (proposes, uses, evaluates_on, compares_with, mentions).
-- Edit: 'GPT-4' (an entity's canonical name; see aliases for other spellings).
SELECT relation, arxiv_id, title, mentions
FROM entity_papers
WHERE entity = 'GPT-4'
ORDER BY CASE relation
             WHEN 'proposes' THEN 1 WHEN 'uses' THEN 2 WHEN 'evaluates_on' THEN 3
             WHEN 'compares_with' THEN 4 ELSE 5
         END,
         paper_id;
