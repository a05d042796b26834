-- Full-text search over titles and abstracts (FTS5, ranked by BM25).
-- Finds the papers matching a query, best first, with the matching passage highlighted
-- between [ and ], and the entities each names.
-- Edit: the MATCH string — FTS5 syntax: words (all must match), "exact phrases", OR, NOT,
-- prefix* and column filters such as title:agent; the LIMIT.
SELECT p.arxiv_id,
       p.title,
       snippet(papers_fts, 1, '[', ']', '…', 12) AS passage,
       (SELECT group_concat(name, ', ') FROM (
            SELECT DISTINCT e.name FROM paper_entities pe
            JOIN entities e ON e.id = pe.entity_id
            WHERE pe.paper_id = p.id ORDER BY e.name)) AS entities
FROM papers_fts
JOIN papers p ON p.id = papers_fts.rowid
WHERE papers_fts MATCH 'retrieval augmented OR "long context"'
ORDER BY bm25(papers_fts), p.id
LIMIT 15;
