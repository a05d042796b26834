-- Why does the graph say X is trained or evaluated on Y?
-- Every typed relation between entities with the sentence it was read from
-- (relation_evidence view) and the rule that fired.
-- Edit: the relations listed (variant_of, based_on, trained_on, evaluated_on,
-- co_mentioned); add `AND source = 'GPT-4'` to follow one entity; the LIMIT.
SELECT source, relation, target, arxiv_id, rule, sentence
FROM relation_evidence
WHERE relation IN ('based_on', 'trained_on', 'evaluated_on')
ORDER BY relation, source, target, paper_id
LIMIT 60;
