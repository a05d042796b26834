//! The database's schema and the settings a build runs it with: [`SCHEMA`], documented
//! table by table, its version, the labels of `meta.extraction`, and the PRAGMAs of each
//! stage of a build (loading, sorting the indexes, filling the full-text index).
//!
//! This module holds text; it opens no database. [`super::SqliteWriter`] runs these
//! statements, and [`super::read_stats`] checks the version.

/// The schema version, stored as `PRAGMA user_version`. Bump it with every change to
/// [`SCHEMA`] that older readers would misread.
///
/// Version 2 added typed relations, evidence, PMI and alias keys; version 3 the full-text
/// index `papers_fts`, the views and the ranking indexes; version 4 `entities.degree` and
/// `entities.pagerank`, computed by the build so that rankings need no graph in memory;
/// version 5 stores `mentions`, `paper_entities`, `evidence` and `edges` as `WITHOUT ROWID`
/// tables in primary-key order (by paper, or by source entity), adds `seq` to `mentions`
/// and `evidence`, and drops the indexes on mentions and evidence by entity and by paper.
pub const SCHEMA_VERSION: i32 = 5;

/// `meta.extraction` of a build that ran the discovery rules after the lexicon.
pub const EXTRACTION_FULL: &str = "lexicon + discovery";

/// `meta.extraction` of a lexicon-only build.
pub const EXTRACTION_LEXICON_ONLY: &str = "lexicon only";

/// `meta.extraction` of a build that ran the discovery rules or not.
pub fn extraction_label(discovery: bool) -> &'static str {
    if discovery {
        EXTRACTION_FULL
    } else {
        EXTRACTION_LEXICON_ONLY
    }
}

/// The value of the `format` key in the `meta` table of every paperkg database.
pub(super) const FORMAT: &str = "paperkg";

/// The database schema (version [`SCHEMA_VERSION`]).
///
/// * `papers`: one row per distinct paper; `id` is the paper's ordinal (build order, from
///   1), `key` its identity key (`id:<arXiv id>` or `title:<normalised title>`).
/// * `provenance`: one row per record read, i.e. per occurrence of a paper in the inputs
///   (the first one included); a paper with more than one row was duplicated.
/// * `entities`: models, methods and datasets; `id` is the entity's ordinal (first seen
///   order, from 1). `family` is the family's canonical name; `parent_id` the family's
///   entity of the same type. `paper_count` counts distinct papers, `mention_count`
///   mentions; both are 0 for a family that no paper names but a variant's lexicon entry
///   does. `degree` counts the distinct entities it has a relation with, `pagerank` is its
///   PageRank over the entity relations (weighted by support, damping 0.85).
/// * `aliases`: every surface form seen for an entity, plus its canonical name; `key` is
///   the folded form (`name_key`: lowercase letters, digits and `+`) used to resolve names.
/// * `mentions`: every occurrence of an entity in a paper's title or abstract, with
///   character (Unicode scalar) offsets into that field; `char_end` is exclusive. `seq`
///   numbers a paper's mentions from 0 (title first, then text order).
/// * `paper_entities`: paper → entity, one row per relation: `proposes`, `uses`,
///   `evaluates_on`, `compares_with`, or `mentions` when no other relation was found;
///   `count` is the number of the paper's mentions of the entity supporting the relation.
/// * `edges`: entity → entity relations: `variant_of`, `based_on`, `trained_on`,
///   `evaluated_on` (directed, source → target) and `co_mentioned` (stored once, `source_id
///   < target_id`). `support` is the number of papers supporting it (for `co_mentioned`,
///   the papers naming both), `sentences` the number of those with a sentence naming both
///   (every paper, except for `co_mentioned`), `pmi` the pointwise mutual information in
///   bits of a `co_mentioned` pair (NULL for other relations).
/// * `evidence`: why a relation is there: the paper, the sentence (field and character
///   span, `char_end` exclusive; slice it from `papers.title` / `papers.abstract`) and the
///   rule that fired. A row is evidence either for a paper → entity relation (`entity_id`
///   set, referencing `paper_entities`) or for an entity → entity relation (`source_id` and
///   `target_id` set, referencing `edges`). A `co_mentioned` edge has evidence rows only for
///   the sentences naming both; the papers that name both in separate sentences are found
///   through `paper_entities`. `seq` numbers a paper's evidence from 0.
/// * `edges_packed`: the rows of `edges` again, packed for the explore commands' scans of
///   every relation (`neighbors` past a hub): blocks of up to 65,536 relations in `edges`'
///   key order, 17 bytes each, little-endian: `source_id` and `target_id` in 4 bytes, the
///   relation in 1 (0 `variant_of`, 1 `based_on`, 2 `trained_on`, 3 `evaluated_on`,
///   4 `co_mentioned`), `support` and `sentences` in 4. Written with `edges`; empty when a
///   value does not fit, and ignored by the explore commands unless it holds as many
///   relations as `edges` (they read `edges` instead).
/// * `mentions`, `paper_entities` and `evidence` are `WITHOUT ROWID` tables stored by paper,
///   `edges` by source entity: those look-ups need no index. An entity's mentions and
///   evidence are reached through `paper_entities`, which is indexed by entity.
/// * `meta`: key/value facts about the build (`format`, `schema_version`, `tool_version`,
///   `inputs` as a JSON array, `records_read`, `problems`, `papers`, `entities`, the rows
///   of `provenance`, `mentions`, `paper_entities` and `evidence` under those names,
///   `full_text`, `extraction`: `lexicon + discovery` or `lexicon only`). No timing or
///   other fact that differs between two builds of the same input is stored, so
///   rebuilding gives the same bytes.
/// * `papers_fts`: an FTS5 full-text index over `papers.title` and `papers.abstract`
///   (external content: the text lives in `papers`; `rowid` is `papers.id`).
/// * Views for the common joins: `entity_papers` (an entity with each paper relating to
///   it), `co_occurrences` (co-mentioned pairs with names, shared papers and PMI),
///   `family_tree` (every entity with each of its ancestors and the depth),
///   `relations` (entity → entity relations with names and evidence counts),
///   `relation_evidence` and `paper_evidence` (each piece of evidence with its sentence).
///
/// Lookup indexes are case-insensitive on entity names and aliases. `docs/schema.md`
/// documents every table, view and column and holds this text verbatim (a test checks it).
pub const SCHEMA: &str = "
CREATE TABLE papers (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,
    arxiv_id      TEXT,
    title         TEXT NOT NULL,
    abstract      TEXT NOT NULL,
    authors       TEXT,
    categories    TEXT,
    update_date   TEXT
);
CREATE TABLE provenance (
    paper_id      INTEGER NOT NULL REFERENCES papers(id),
    file          TEXT NOT NULL,
    line          INTEGER NOT NULL
);
CREATE TABLE entities (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    type          TEXT NOT NULL CHECK (type IN ('model', 'method', 'dataset')),
    family        TEXT,
    parent_id     INTEGER REFERENCES entities(id) DEFERRABLE INITIALLY DEFERRED,
    paper_count   INTEGER NOT NULL,
    mention_count INTEGER NOT NULL,
    degree        INTEGER NOT NULL,
    pagerank      REAL NOT NULL,
    UNIQUE (name, type)
);
CREATE TABLE aliases (
    entity_id     INTEGER NOT NULL REFERENCES entities(id),
    alias         TEXT NOT NULL,
    key           TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
);
CREATE TABLE mentions (
    paper_id      INTEGER NOT NULL REFERENCES papers(id),
    seq           INTEGER NOT NULL,
    entity_id     INTEGER NOT NULL REFERENCES entities(id) DEFERRABLE INITIALLY DEFERRED,
    surface       TEXT NOT NULL,
    field         TEXT NOT NULL CHECK (field IN ('title', 'abstract')),
    char_start    INTEGER NOT NULL,
    char_end      INTEGER NOT NULL,
    PRIMARY KEY (paper_id, seq)
) WITHOUT ROWID;
CREATE TABLE paper_entities (
    paper_id      INTEGER NOT NULL REFERENCES papers(id),
    entity_id     INTEGER NOT NULL REFERENCES entities(id),
    relation      TEXT NOT NULL DEFAULT 'mentions' CHECK (relation IN
                  ('proposes', 'uses', 'evaluates_on', 'compares_with', 'mentions')),
    count         INTEGER NOT NULL,
    PRIMARY KEY (paper_id, entity_id, relation)
) WITHOUT ROWID;
CREATE TABLE edges (
    source_id     INTEGER NOT NULL REFERENCES entities(id),
    target_id     INTEGER NOT NULL REFERENCES entities(id),
    relation      TEXT NOT NULL CHECK (relation IN
                  ('variant_of', 'based_on', 'trained_on', 'evaluated_on', 'co_mentioned')),
    support       INTEGER NOT NULL,
    sentences     INTEGER NOT NULL,
    pmi           REAL,
    PRIMARY KEY (source_id, target_id, relation)
) WITHOUT ROWID;
CREATE TABLE evidence (
    paper_id      INTEGER NOT NULL REFERENCES papers(id),
    seq           INTEGER NOT NULL,
    entity_id     INTEGER,
    source_id     INTEGER,
    target_id     INTEGER,
    relation      TEXT NOT NULL,
    field         TEXT NOT NULL CHECK (field IN ('title', 'abstract')),
    char_start    INTEGER NOT NULL,
    char_end      INTEGER NOT NULL,
    rule          TEXT NOT NULL,
    CHECK ((entity_id IS NOT NULL AND source_id IS NULL AND target_id IS NULL)
        OR (entity_id IS NULL AND source_id IS NOT NULL AND target_id IS NOT NULL)),
    FOREIGN KEY (paper_id, entity_id, relation)
        REFERENCES paper_entities(paper_id, entity_id, relation) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (source_id, target_id, relation)
        REFERENCES edges(source_id, target_id, relation) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (paper_id, seq)
) WITHOUT ROWID;
CREATE TABLE edges_packed (
    block         INTEGER PRIMARY KEY,
    relations     BLOB NOT NULL
);
CREATE TABLE meta (
    key           TEXT PRIMARY KEY,
    value         TEXT
);
-- Indexes kept up to date while the papers are loaded: small, so their pages stay cached (a sort at the end would read the whole papers table again).
CREATE INDEX provenance_paper ON provenance(paper_id);
CREATE INDEX papers_arxiv ON papers(arxiv_id);
-- Indexes on the tables filled paper by paper: created after the last paper, when sorting builds an index fastest.
CREATE INDEX paper_entities_entity ON paper_entities(entity_id, relation);
CREATE INDEX evidence_edge ON evidence(source_id, target_id, relation) WHERE source_id IS NOT NULL;
-- Indexes on entities, aliases and edges, and views: created after those tables are filled.
CREATE INDEX entities_name ON entities(name COLLATE NOCASE);
CREATE INDEX entities_parent ON entities(parent_id);
CREATE INDEX aliases_alias ON aliases(alias COLLATE NOCASE);
CREATE INDEX aliases_key ON aliases(key);
CREATE INDEX edges_target ON edges(target_id);
CREATE INDEX entities_type_papers ON entities(type, paper_count DESC);
CREATE INDEX entities_papers ON entities(paper_count DESC, mention_count DESC);
CREATE INDEX edges_relation ON edges(relation, support DESC);
CREATE INDEX entities_degree ON entities(degree DESC);
CREATE INDEX entities_pagerank ON entities(pagerank DESC);
CREATE VIEW entity_papers AS
SELECT e.id AS entity_id, e.name AS entity, e.type AS entity_type, pe.relation,
       pe.count AS mentions, p.id AS paper_id, p.arxiv_id, p.title, p.update_date
FROM entities e
JOIN paper_entities pe ON pe.entity_id = e.id
JOIN papers p ON p.id = pe.paper_id;
CREATE VIEW co_occurrences AS
SELECT a.id AS a_id, a.name AS a, a.type AS a_type,
       b.id AS b_id, b.name AS b, b.type AS b_type,
       x.support AS papers, x.sentences, x.pmi
FROM edges x
JOIN entities a ON a.id = x.source_id
JOIN entities b ON b.id = x.target_id
WHERE x.relation = 'co_mentioned';
CREATE VIEW family_tree AS
WITH RECURSIVE up(entity_id, ancestor_id, depth) AS (
    SELECT id, parent_id, 1 FROM entities WHERE parent_id IS NOT NULL
    UNION ALL
    SELECT up.entity_id, e.parent_id, up.depth + 1
    FROM up JOIN entities e ON e.id = up.ancestor_id
    WHERE e.parent_id IS NOT NULL AND up.depth < 32
)
SELECT e.id AS entity_id, e.name AS entity, e.type, e.paper_count AS papers,
       a.id AS ancestor_id, a.name AS ancestor, up.depth
FROM up
JOIN entities e ON e.id = up.entity_id
JOIN entities a ON a.id = up.ancestor_id;
CREATE VIEW relations AS
SELECT x.source_id, s.name AS source, s.type AS source_type, x.relation,
       x.target_id, t.name AS target, t.type AS target_type,
       x.support, x.sentences, x.pmi,
       (SELECT COUNT(*) FROM evidence v WHERE v.source_id = x.source_id
           AND v.target_id = x.target_id AND v.relation = x.relation) AS evidence
FROM edges x
JOIN entities s ON s.id = x.source_id
JOIN entities t ON t.id = x.target_id;
CREATE VIEW relation_evidence AS
SELECT v.source_id, s.name AS source, v.relation, v.target_id, t.name AS target,
       v.paper_id, p.arxiv_id, p.title, v.field, v.rule,
       substr(CASE v.field WHEN 'title' THEN p.title ELSE p.abstract END,
              v.char_start + 1, v.char_end - v.char_start) AS sentence
FROM evidence v
JOIN entities s ON s.id = v.source_id
JOIN entities t ON t.id = v.target_id
JOIN papers p ON p.id = v.paper_id
WHERE v.source_id IS NOT NULL;
CREATE VIEW paper_evidence AS
SELECT v.paper_id, p.arxiv_id, p.title, v.relation, v.entity_id, e.name AS entity,
       e.type AS entity_type, v.field, v.rule,
       substr(CASE v.field WHEN 'title' THEN p.title ELSE p.abstract END,
              v.char_start + 1, v.char_end - v.char_start) AS sentence
FROM entities e
JOIN paper_entities pe ON pe.entity_id = e.id
JOIN evidence v ON v.paper_id = pe.paper_id AND v.entity_id = pe.entity_id
    AND v.relation = pe.relation
JOIN papers p ON p.id = v.paper_id;
-- Full-text index: filled at the end of the build; absent when built with --no-fts.
CREATE VIRTUAL TABLE papers_fts USING fts5(
    title, abstract,
    content = 'papers', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
";

/// Settings for the build connection. The file is private until renamed, so a crash
/// needs no recovery: the journal lives in memory and nothing is synced until the end.
///
/// Foreign keys are not enforced row by row while loading (deferred checks probe every
/// child table's indexes for each parent row); [`SqliteWriter::finish`](super::SqliteWriter::finish) runs
/// `PRAGMA foreign_key_check` instead in debug builds and tests. Release builds also skip
/// the `CHECK` constraints (`PRAGMA ignore_check_constraints`), which debug builds and
/// tests enforce on every row: the values come from Rust enums, and SQLite evaluates a
/// `CHECK (x IN (…))` of more than two values by building a temporary table for every
/// row (a tenth of a build's instructions). Pages are 8 KiB rather than 4 KiB: four
/// abstracts a page instead of two, fewer B-tree splits (1% fewer instructions, about 3%
/// less wall time on 100,000 papers). The page cache is 32 MiB ([`LOAD_CACHE`]): with
/// 128 MiB the pages it held were written out all at once at the end, on the critical
/// path; with 32 MiB SQLite writes them out along the way (a 100k build 5–8% faster,
/// 100 MB less memory; 1M the same within noise).
///
/// Temporary data goes to files (`temp_store = FILE`, SQLite's default), in SQLite's
/// temporary directory (`SQLITE_TMPDIR`, else `TMPDIR`, else `/var/tmp`): that is where the
/// sorts behind `CREATE INDEX` spill. With `temp_store = MEMORY` they spilled into
/// in-memory files, which SQLite sorts on one thread only, and more slowly: the two paper
/// indexes of a 1M-paper database took 10.0 s against 5.8 s (sqlite3 shell).
/// [`SORT_PRAGMAS`] then let those sorts use helper threads.
pub(super) const BUILD_PRAGMAS: &str = "
PRAGMA page_size = 8192;
PRAGMA foreign_keys = OFF;
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA temp_store = FILE;
PRAGMA locking_mode = EXCLUSIVE;
";

/// The page cache while papers are loaded (32 MiB, see [`BUILD_PRAGMAS`]), set again
/// after the index sorts for the full-text index, which writes B-tree pages rather than
/// sorting.
pub(super) const LOAD_CACHE: &str = "PRAGMA cache_size = -32768;";

/// Set before the indexes sorted at the end (after the last paper), with `PRAGMA threads`
/// from [`WriterOptions::sort_threads`](super::WriterOptions::sort_threads): a sort larger than the page cache is cut into runs
/// of that size, which helper threads sort while the writer reads on, so a smaller cache
/// (8 MiB) gives them more to share. The two paper indexes of a 1M-paper database took
/// 4.0 s against 5.8 s on one thread (sqlite3 shell, 2 cores).
pub(super) const SORT_PRAGMAS: &str = "PRAGMA cache_size = -8192;";

/// Fills the full-text index from `papers`. FTS5 gathers terms in memory and writes them
/// out as a segment whenever they pass `hashsize` (1 MB by default), merging segments as
/// they pile up; with 64 MB it writes and merges far fewer of them. The index of 1M
/// generated papers took 44.6 s against 74.0 s (sqlite3 shell), for 80 MB more memory.
/// The setting stays in `papers_fts_config`; queries find the same rows.
pub(super) const FULL_TEXT_FILL: &str = "
INSERT INTO papers_fts(papers_fts, rank) VALUES ('hashsize', 67108864);
INSERT INTO papers_fts(papers_fts) VALUES ('rebuild');
";

/// The line of [`SCHEMA`] before the indexes on the tables filled paper by paper.
const PAPER_INDEXES_MARKER: &str = "-- Indexes on the tables filled paper by paper:";
/// The line of [`SCHEMA`] before the indexes on entities, aliases and edges, and the views.
const GRAPH_INDEXES_MARKER: &str = "-- Indexes on entities, aliases and edges, and views:";
/// The line of [`SCHEMA`] before the full-text index.
const FTS_MARKER: &str = "-- Full-text index:";

/// [`SCHEMA`] in its parts, in the order a build runs them.
pub(super) struct SchemaParts {
    pub(super) tables: &'static str,
    pub(super) paper_indexes: &'static str,
    pub(super) graph_indexes: &'static str,
    pub(super) full_text: &'static str,
}

pub(super) fn schema_parts() -> SchemaParts {
    // Each part after a marker starts on the line after the marker's comment.
    let after_line = |s: &'static str| s.split_once('\n').map_or("", |(_, rest)| rest);
    let (tables, rest) = SCHEMA
        .split_once(PAPER_INDEXES_MARKER)
        .unwrap_or((SCHEMA, ""));
    let (paper_indexes, rest) = rest.split_once(GRAPH_INDEXES_MARKER).unwrap_or((rest, ""));
    let (graph_indexes, full_text) = rest.split_once(FTS_MARKER).unwrap_or((rest, ""));
    SchemaParts {
        tables,
        paper_indexes: after_line(paper_indexes),
        graph_indexes: after_line(graph_indexes),
        full_text: after_line(full_text),
    }
}
