-- Which entities appear in only one listing?
-- A listing is one input file (one day's page). Entities every paper of which comes from
-- the same listing are new or niche names; the most-named first, with the listing.
-- Edit: `= 1` (listings); the type filter (remove it for every type); the LIMIT.
SELECT e.name, e.type, e.paper_count AS papers, min(pr.file) AS listing
FROM entities e
JOIN paper_entities pe ON pe.entity_id = e.id
JOIN provenance pr ON pr.paper_id = pe.paper_id
WHERE e.type IN ('model', 'method', 'dataset')
GROUP BY e.id
HAVING COUNT(DISTINCT pr.file) = 1
ORDER BY papers DESC, e.name
LIMIT 40;
