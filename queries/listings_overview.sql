-- What did each listing bring?
-- One row per input file (a day's listing): records read, distinct papers, papers seen
-- before in another listing, and the names its papers proposed.
-- Edit: nothing; add `LIMIT` if you have many listings.
WITH first_seen AS (
    SELECT paper_id, min(rowid) AS first_row FROM provenance GROUP BY paper_id
)
SELECT pr.file AS listing,
       COUNT(*) AS records,
       COUNT(DISTINCT pr.paper_id) AS papers,
       SUM(pr.rowid <> fs.first_row) AS seen_before,
       (SELECT COUNT(DISTINCT pe.entity_id) FROM paper_entities pe
        WHERE pe.relation = 'proposes' AND pe.paper_id IN
            (SELECT paper_id FROM provenance x WHERE x.file = pr.file)) AS names_proposed
FROM provenance pr
JOIN first_seen fs ON fs.paper_id = pr.paper_id
GROUP BY pr.file
ORDER BY pr.file;
