-- What is an entity related to, and how strongly?
-- Every relation of one entity in either direction (relations view), typed relations
-- first, then co-mentions by shared papers, with the evidence sentences behind each.
-- Edit: 'LoRA' (an entity's canonical name); the LIMIT.
SELECT CASE WHEN source = 'LoRA' THEN 'LoRA ' || relation || ' ' || target
            ELSE source || ' ' || relation || ' LoRA' END AS statement,
       support AS papers, sentences, round(pmi, 2) AS pmi, evidence
FROM relations
WHERE source = 'LoRA' OR target = 'LoRA'
ORDER BY relation = 'co_mentioned', support DESC, sentences DESC, statement
LIMIT 30;
