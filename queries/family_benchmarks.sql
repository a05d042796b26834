-- Which datasets is each model family evaluated on?
-- A model counts for its family's root (Llama 2-7B → Llama 2 → LLaMA counts for LLaMA;
-- a model without a family is its own root). A family is evaluated on a dataset when a
-- paper names a model of the family and reports results on the dataset (evaluates_on),
-- or an evaluated_on relation links them directly.
-- One row per family: the papers behind it and its datasets, each with its paper count.
-- Edit: uncomment the WHERE line to keep one family.
WITH root AS (
    SELECT e.id AS model_id,
           COALESCE((SELECT f.ancestor_id FROM family_tree f
                     WHERE f.entity_id = e.id ORDER BY f.depth DESC LIMIT 1), e.id) AS family_id
    FROM entities e
    WHERE e.type = 'model'
),
pairs AS (
    SELECT r.family_id, d.entity_id AS dataset_id, d.paper_id
    FROM root r
    JOIN paper_entities m ON m.entity_id = r.model_id
    JOIN paper_entities d ON d.paper_id = m.paper_id AND d.relation = 'evaluates_on'
    JOIN entities de ON de.id = d.entity_id AND de.type = 'dataset'
    UNION
    SELECT r.family_id, x.target_id, v.paper_id
    FROM root r
    JOIN edges x ON x.source_id = r.model_id AND x.relation = 'evaluated_on'
    JOIN evidence v ON v.source_id = x.source_id AND v.target_id = x.target_id
        AND v.relation = x.relation
),
per_dataset AS (
    SELECT p.family_id, d.name AS dataset, COUNT(DISTINCT p.paper_id) AS papers
    FROM pairs p
    JOIN entities d ON d.id = p.dataset_id
    GROUP BY p.family_id, p.dataset_id
    ORDER BY p.family_id, papers DESC, d.name
)
SELECT f.name AS family,
       (SELECT COUNT(DISTINCT paper_id) FROM pairs x WHERE x.family_id = f.id) AS papers,
       group_concat(pd.dataset || ' (' || pd.papers || ')', ', ') AS datasets
FROM per_dataset pd
JOIN entities f ON f.id = pd.family_id
-- WHERE f.name = 'LLaMA'
GROUP BY f.id
ORDER BY papers DESC, f.name;
