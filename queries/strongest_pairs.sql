-- Which entities are named together most often?
-- The co-occurrence pairs (co_occurrences view) shared by the most papers, with their
-- pointwise mutual information (bits; above 0 means more often together than chance) and
-- how many of those papers name both in one sentence.
-- Edit: `papers >= 2` (the smallest number of shared papers); ORDER BY pmi DESC to rank
-- by surprise instead of volume; the LIMIT.
SELECT a, a_type, b, b_type, papers, sentences, round(pmi, 2) AS pmi
FROM co_occurrences
WHERE papers >= 2
ORDER BY papers DESC, pmi DESC, a, b
LIMIT 30;
