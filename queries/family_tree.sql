-- What is in a model family?
-- Every descendant of a family (family_tree view) with its depth below the root, its
-- direct parent and the papers naming it; indented by depth.
-- Edit: 'LLaMA' (any family: 'GPT', 'BERT', 'Mistral', 'Qwen' …).
SELECT substr('                ', 1, 2 * (f.depth - 1)) || f.entity AS member,
       f.depth,
       parent.name AS parent,
       f.papers
FROM family_tree f
JOIN entities e ON e.id = f.entity_id
JOIN entities parent ON parent.id = e.parent_id
WHERE f.ancestor = 'LLaMA'
ORDER BY f.papers DESC, f.depth, f.entity;
