-- What is in this database?
-- Row counts of every table, entities per type, edges per relation and the build's facts
-- (meta), as one list of (what, count) rows — a quick health check after a build.
-- Edit: nothing.
SELECT 'papers' AS what, COUNT(*) AS n FROM papers
UNION ALL SELECT 'records read (provenance)', COUNT(*) FROM provenance
UNION ALL SELECT 'entities: ' || type, COUNT(*) FROM entities GROUP BY type
UNION ALL SELECT 'mentions', COUNT(*) FROM mentions
UNION ALL SELECT 'paper → entity: ' || relation, COUNT(*) FROM paper_entities GROUP BY relation
UNION ALL SELECT 'entity → entity: ' || relation, COUNT(*) FROM edges GROUP BY relation
UNION ALL SELECT 'evidence sentences', COUNT(*) FROM evidence
UNION ALL SELECT 'schema version', user_version FROM pragma_user_version
UNION ALL SELECT 'meta: ' || key, value FROM meta WHERE key IN ('tool_version', 'records_read', 'problems');
