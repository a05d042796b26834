-- Which papers were listed more than once?
-- Papers read from several records (the same arXiv id or title in several listings, or
-- twice in one), with every file and line they were read from.
-- Edit: `> 1` (the fewest records); the LIMIT.
SELECT p.arxiv_id, p.title, COUNT(*) AS records,
       group_concat(pr.file || ':' || pr.line, ' ') AS read_from
FROM papers p
JOIN provenance pr ON pr.paper_id = p.id
GROUP BY p.id
HAVING COUNT(*) > 1
ORDER BY records DESC, p.id
LIMIT 30;
