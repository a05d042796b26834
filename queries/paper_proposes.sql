-- What does each paper propose?
-- One row per paper that coins at least one name: its arXiv id, title and the entities it
-- proposes with their types, newest listing first.
-- Edit: add `AND p.title LIKE '%agent%'` to the WHERE clause to narrow it; the LIMIT.
SELECT p.arxiv_id,
       p.title,
       group_concat(e.name || ' (' || e.type || ')', '; ') AS proposes
FROM papers p
JOIN paper_entities pe ON pe.paper_id = p.id AND pe.relation = 'proposes'
JOIN entities e ON e.id = pe.entity_id
WHERE 1 = 1
GROUP BY p.id
ORDER BY p.update_date DESC, p.id
LIMIT 50;
