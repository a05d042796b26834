//! The SQLite database: schema, the streaming [`SqliteWriter`] used by the build, and
//! [`read_stats`] for `paperkg stats`.
//!
//! During a build, papers, their provenance, mentions, relations and evidence are streamed
//! into one transaction as they are read, batch by batch, many rows per `INSERT`
//! ([`PaperInserts`]); abstracts are never held in memory beyond their batch. Entities, aliases and
//! edges are known only once every paper is read, so [`SqliteWriter::finish`] writes them
//! from the finished [`KnowledgeGraph`], commits, and renames the database into place.
//! Mentions reference entities that are written later, which is why that foreign key is
//! `DEFERRABLE INITIALLY DEFERRED`. Foreign keys are not enforced while loading (see
//! `BUILD_PRAGMAS`); most indexes, the views and the full-text index are created by
//! `finish`, after the bulk load, when building them is a sort rather than millions of
//! B-tree updates. The two small indexes on `papers` and `provenance` are kept up to date
//! during the load instead: their pages stay cached, where a sort at the end would read the
//! whole `papers` table (the abstracts) again.
//!
//! The database is built in a temporary file beside the target (see `atomic.rs`), with
//! journaling and syncing relaxed for speed: nothing reads that file until it is complete,
//! synced and renamed. Rows are written in a fixed order, so the same input and the same
//! [`BuildInfo`] give the same bytes.
//!
//! This module does not decide paper identity, resolve entities or answer the explore
//! commands' queries; it stores what the graph stage decided.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::slice::ParallelSliceMut;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use super::atomic::{BackgroundSync, TempTarget};
use super::{packed, ExportError};
use crate::extract::{name_key, EntityType, Mention};
use crate::graph::algo::{self, pmi};
use crate::graph::{
    Edge, EntityRelation, EvidenceOf, EvidenceRecord, KnowledgeGraph, Node, PaperLink,
};
use crate::ingest::{Provenance, Record};

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
const FORMAT: &str = "paperkg";

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
/// child table's indexes for each parent row); [`SqliteWriter::finish`] runs
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
const BUILD_PRAGMAS: &str = "
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
const LOAD_CACHE: &str = "PRAGMA cache_size = -32768;";

/// Set before the indexes sorted at the end (after the last paper), with `PRAGMA threads`
/// from [`WriterOptions::sort_threads`]: a sort larger than the page cache is cut into runs
/// of that size, which helper threads sort while the writer reads on, so a smaller cache
/// (8 MiB) gives them more to share. The two paper indexes of a 1M-paper database took
/// 4.0 s against 5.8 s on one thread (sqlite3 shell, 2 cores).
const SORT_PRAGMAS: &str = "PRAGMA cache_size = -8192;";

/// Fills the full-text index from `papers`. FTS5 gathers terms in memory and writes them
/// out as a segment whenever they pass `hashsize` (1 MB by default), merging segments as
/// they pile up; with 64 MB it writes and merges far fewer of them. The index of 1M
/// generated papers took 44.6 s against 74.0 s (sqlite3 shell), for 80 MB more memory.
/// The setting stays in `papers_fts_config`; queries find the same rows.
const FULL_TEXT_FILL: &str = "
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
struct SchemaParts {
    tables: &'static str,
    paper_indexes: &'static str,
    graph_indexes: &'static str,
    full_text: &'static str,
}

fn schema_parts() -> SchemaParts {
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

/// Facts about a build, stored in the `meta` table and shown by `paperkg stats`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildInfo {
    /// The paperkg version that built the database.
    pub tool_version: String,
    /// The input paths as given.
    pub inputs: Vec<String>,
    /// Records read (every occurrence, duplicates included).
    pub records_read: usize,
    /// Problems reported while reading (records skipped or damaged).
    pub problems: usize,
    /// Whether the discovery rules ran after the lexicon; `false` for a lexicon-only build
    /// (`meta.extraction` = `lexicon only`).
    pub discovery: bool,
}

/// A database written by [`SqliteWriter::finish`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finished {
    /// Where it is (the target path).
    pub path: PathBuf,
    /// Time spent building the full-text index; `None` when it was skipped.
    pub full_text: Option<Duration>,
}

/// How a [`SqliteWriter`] builds its database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriterOptions {
    /// Build the FTS5 full-text index `papers_fts` at the end (the default). Without it
    /// the table is absent, `meta.full_text` says `skipped`, and a full-text query fails
    /// with "no such table: papers_fts" rather than finding nothing.
    pub full_text: bool,
    /// Helper threads SQLite may use for the sorts that build the indexes after the last
    /// paper (`PRAGMA threads`; SQLite uses at most 8). 0 sorts on the writer's thread
    /// alone. The default is the number of cores.
    pub sort_threads: usize,
}

impl Default for WriterOptions {
    fn default() -> WriterOptions {
        WriterOptions {
            full_text: true,
            sort_threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// Streams a build into a new SQLite database, atomically replacing the target on
/// [`finish`](SqliteWriter::finish).
///
/// Dropping a writer without calling `finish` rolls back, removes its temporary file and
/// leaves any existing database at the target untouched.
#[derive(Debug)]
pub struct SqliteWriter {
    // Field order matters for Drop: the flushing thread stops and the connection closes
    // before the temp file is removed.
    /// Flushes the database file to disk while it is written (see `finish_with`).
    flushing: BackgroundSync,
    conn: Connection,
    tmp: TempTarget,
    options: WriterOptions,
    /// [`SqliteWriter::index_papers`] ran.
    papers_indexed: bool,
    /// Rows inserted into the papers' tables, recorded in `meta`.
    written: Written,
}

/// Rows inserted into the papers' tables by [`PaperInserts`], counted as they go in, so
/// that `meta` can record them and `paperkg stats` need not count a million papers'
/// mentions and evidence again (a second on a 1M-paper database).
#[derive(Debug, Default)]
struct Written {
    provenance: Cell<usize>,
    mentions: Cell<usize>,
    paper_entities: Cell<usize>,
    evidence: Cell<usize>,
}

/// How often the database file is flushed to disk while it is written: most of it is on
/// disk when the build ends, so the final sync before the rename is short (100k papers:
/// 0.16-0.19 s -> 0.09-0.10 s).
const FLUSH_EVERY: Duration = Duration::from_millis(250);

/// One `edges` row: source and target ordinals, relation, support, sentences, PMI.
type LinkRow = (usize, usize, EntityRelation, usize, usize, Option<f64>);

/// The `edges` rows of a finished graph, sorted by primary key. (The `paper_entities`
/// rows were written paper by paper, by [`PaperInserts::add_paper_links`].)
#[derive(Debug)]
struct EdgeRows {
    links: Vec<LinkRow>,
}

impl EdgeRows {
    fn collect(graph: &KnowledgeGraph) -> EdgeRows {
        let node_papers = |ix| match &graph.graph[ix] {
            Node::Paper(_) => 0,
            Node::Entity(e) => e.papers,
        };
        let ordinal = |ix| match &graph.graph[ix] {
            Node::Paper(p) => p.ordinal,
            Node::Entity(e) => e.ordinal,
        };
        let total = graph.paper_count();
        // One allocation of the exact size (a million papers: 2.6M rows of 56 bytes), not
        // a series of doublings, each copied into fresh memory.
        let entity_edges = graph
            .graph
            .raw_edges()
            .iter()
            .filter(|e| matches!(e.weight, Edge::EntityToEntity { .. }))
            .count();
        let mut links: Vec<LinkRow> = Vec::with_capacity(entity_edges);
        for edge in graph.graph.raw_edges() {
            let (s, t) = (edge.source(), edge.target());
            let (a, b) = (ordinal(s), ordinal(t));
            match edge.weight {
                Edge::PaperToEntity { .. } => {}
                Edge::EntityToEntity {
                    relation,
                    support,
                    sentences,
                } => {
                    let directed = relation.is_directed();
                    let (a, b) = if directed {
                        (a, b)
                    } else {
                        (a.min(b), a.max(b))
                    };
                    let pmi = if directed {
                        None
                    } else {
                        pmi(support, node_papers(s), node_papers(t), total)
                    };
                    links.push((a, b, relation, support, sentences, pmi));
                }
            }
        }
        // The key is unique: an unstable sort gives the one order, the table's (relations
        // by name, as SQLite compares them). In parallel: this runs at the end of a build,
        // when the other core has little left to do.
        links.par_sort_unstable_by(|x, y| (x.0, x.1, x.2.as_str()).cmp(&(y.0, y.1, y.2.as_str())));
        EdgeRows { links }
    }
}

/// The `edges` rows of a finished graph, computed before [`SqliteWriter::finish_with`]
/// writes them, on any thread (a build prepares them while the writer indexes the papers).
/// The entities' ranks (degree, PageRank) are computed from them by `finish_with`, while
/// it stores them.
#[derive(Debug)]
pub struct GraphRows {
    edges: EdgeRows,
}

impl GraphRows {
    /// The rows of `graph`; call [`KnowledgeGraph::finish`] first.
    ///
    /// # Complexity
    /// O(e log e) for e edges.
    pub fn of(graph: &KnowledgeGraph) -> GraphRows {
        GraphRows {
            edges: EdgeRows::collect(graph),
        }
    }
}

/// `entities.degree` and `entities.pagerank`, indexed by entity ordinal − 1, computed from
/// the sorted `edges` rows exactly as the explore commands would over the loaded graph.
#[derive(Debug)]
struct EntityRanks {
    degree: Vec<usize>,
    pagerank: Vec<f64>,
}

impl EntityRanks {
    fn of(entities: usize, links: &[LinkRow]) -> EntityRanks {
        let index = |ordinal: usize| ordinal.saturating_sub(1);
        let weighted: Vec<(usize, usize, usize)> = links
            .iter()
            .map(|l| (index(l.0), index(l.1), l.3))
            .collect();
        let (degree, pagerank) = rayon::join(
            || {
                let pairs: Vec<(usize, usize)> = weighted.iter().map(|&(a, b, _)| (a, b)).collect();
                algo::degrees_of(entities, &pairs)
            },
            || {
                algo::pagerank_of(
                    entities,
                    &weighted,
                    algo::PAGERANK_DAMPING,
                    algo::PAGERANK_ITERATIONS,
                )
            },
        );
        EntityRanks { degree, pagerank }
    }
}

impl SqliteWriter {
    /// Creates the tables in a temporary file beside `path` and opens one transaction,
    /// with the default [`WriterOptions`].
    ///
    /// Fails, naming `path`, when its directory does not exist or SQLite cannot create
    /// the file.
    pub fn create(path: &Path) -> Result<SqliteWriter, ExportError> {
        SqliteWriter::create_with(path, WriterOptions::default())
    }

    /// Creates the tables in a temporary file beside `path` and opens one transaction.
    /// Indexes, views and the full-text index are created by [`finish`](Self::finish).
    pub fn create_with(path: &Path, options: WriterOptions) -> Result<SqliteWriter, ExportError> {
        let tmp = TempTarget::new(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let sql = |source| sql_error(path, source);
        let conn = Connection::open_with_flags(tmp.path(), flags).map_err(sql)?;
        conn.execute_batch(BUILD_PRAGMAS).map_err(sql)?;
        conn.execute_batch(LOAD_CACHE).map_err(sql)?;
        if !cfg!(any(test, debug_assertions)) {
            conn.execute_batch("PRAGMA ignore_check_constraints = ON;")
                .map_err(sql)?;
        }
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(sql)?;
        conn.execute_batch("BEGIN").map_err(sql)?;
        conn.execute_batch(schema_parts().tables).map_err(sql)?;
        Ok(SqliteWriter {
            flushing: tmp.sync_in_background(FLUSH_EVERY),
            conn,
            tmp,
            options,
            papers_indexed: false,
            written: Written::default(),
        })
    }

    fn sql_err(&self, source: rusqlite::Error) -> ExportError {
        sql_error(self.tmp.target(), source)
    }

    /// The prepared inserts for the rows of papers. Drop them before
    /// [`index_papers`](Self::index_papers) or [`finish`](Self::finish).
    pub fn inserts(&self) -> Result<PaperInserts<'_>, ExportError> {
        let prepare = |table: &str, columns: &[&str], written| {
            BulkInsert::prepare(&self.conn, table, columns, written).map_err(|e| self.sql_err(e))
        };
        let w = &self.written;
        Ok(PaperInserts {
            papers: prepare(
                "papers",
                &[
                    "id",
                    "key",
                    "arxiv_id",
                    "title",
                    "abstract",
                    "authors",
                    "categories",
                    "update_date",
                ],
                None,
            )?,
            provenance: prepare(
                "provenance",
                &["paper_id", "file", "line"],
                Some(&w.provenance),
            )?,
            mentions: prepare(
                "mentions",
                &[
                    "paper_id",
                    "seq",
                    "entity_id",
                    "surface",
                    "field",
                    "char_start",
                    "char_end",
                ],
                Some(&w.mentions),
            )?,
            links: prepare(
                "paper_entities",
                &["paper_id", "entity_id", "relation", "count"],
                Some(&w.paper_entities),
            )?,
            evidence: prepare(
                "evidence",
                &[
                    "paper_id",
                    "seq",
                    "entity_id",
                    "source_id",
                    "target_id",
                    "relation",
                    "field",
                    "char_start",
                    "char_end",
                    "rule",
                ],
                Some(&w.evidence),
            )?,
            target: self.tmp.target(),
        })
    }

    /// Writes entities, aliases, entity – entity edges and the `meta` table (paper → entity
    /// relations were written paper by paper), creates the remaining indexes, the views and
    /// (unless disabled) the full-text index, commits, and renames the database over the
    /// target.
    ///
    /// Call [`KnowledgeGraph::finish`] first: co-mention edges exist only after it.
    ///
    /// # Complexity
    /// O(n + e log e) for n entities and aliases and e edges, plus SQLite's index builds
    /// (sorts) and the full-text index, linear in the text.
    pub fn finish(self, graph: &KnowledgeGraph, info: &BuildInfo) -> Result<Finished, ExportError> {
        let rows = GraphRows::of(graph);
        self.finish_with(graph, &rows, info)
    }

    /// Creates the indexes sorted after the last paper (on `paper_entities` and
    /// `evidence`). Call it after the last paper, to build them
    /// while another thread prepares the [`GraphRows`]; otherwise
    /// [`finish_with`](Self::finish_with) does it. A second call does nothing.
    pub fn index_papers(&mut self) -> Result<(), ExportError> {
        if !self.papers_indexed {
            let sql = |e| self.sql_err(e);
            // SQLite takes at most 8.
            let threads = i64::try_from(self.options.sort_threads.min(8)).unwrap_or(0);
            self.conn
                .pragma_update(None, "threads", threads)
                .map_err(sql)?;
            self.conn.execute_batch(SORT_PRAGMAS).map_err(sql)?;
            self.conn
                .execute_batch(schema_parts().paper_indexes)
                .map_err(sql)?;
            self.papers_indexed = true;
        }
        Ok(())
    }

    /// [`finish`](Self::finish) with the rows of `graph` already prepared.
    pub fn finish_with(
        mut self,
        graph: &KnowledgeGraph,
        rows: &GraphRows,
        info: &BuildInfo,
    ) -> Result<Finished, ExportError> {
        self.index_papers()?;
        let sql = |e| self.sql_err(e);
        // The ranks (PageRank above all: O(i · e)) are computed on the other core while
        // this one stores the edges; the entities, which hold the ranks, come after.
        let (ranks, edges_written) = std::thread::scope(|scope| {
            let ranking = scope.spawn(|| EntityRanks::of(graph.entity_count(), &rows.edges.links));
            let written = self
                .write_edges(&rows.edges)
                .and_then(|()| self.write_packed_edges(&rows.edges));
            // A panic there is a bug: it goes on as if the ranks had been computed here.
            let ranks = ranking
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (ranks, written)
        });
        edges_written.map_err(sql)?;
        self.write_entities(graph, &ranks).map_err(sql)?;
        self.write_meta(graph, info).map_err(sql)?;
        let parts = schema_parts();
        self.conn.execute_batch(parts.graph_indexes).map_err(sql)?;
        let mut full_text_time = None;
        if self.options.full_text {
            let started = Instant::now();
            self.conn.execute_batch(LOAD_CACHE).map_err(sql)?;
            self.conn.execute_batch(parts.full_text).map_err(sql)?;
            self.conn.execute_batch(FULL_TEXT_FILL).map_err(sql)?;
            full_text_time = Some(started.elapsed());
        }
        if cfg!(any(test, debug_assertions)) {
            self.check_foreign_keys()?;
        }
        self.conn.execute_batch("COMMIT").map_err(sql)?;
        let SqliteWriter {
            conn,
            tmp,
            flushing,
            ..
        } = self;
        conn.close().map_err(|(_, source)| ExportError::Sqlite {
            path: tmp.target().to_path_buf(),
            source,
        })?;
        drop(flushing);
        Ok(Finished {
            path: tmp.commit()?,
            full_text: full_text_time,
        })
    }

    fn write_entities(&self, graph: &KnowledgeGraph, ranks: &EntityRanks) -> rusqlite::Result<()> {
        let mut entities = BulkInsert::prepare(
            &self.conn,
            "entities",
            &[
                "id",
                "name",
                "type",
                "family",
                "parent_id",
                "paper_count",
                "mention_count",
                "degree",
                "pagerank",
            ],
            None,
        )?;
        let nodes = graph.entity_nodes();
        entities.insert(&nodes, |b, &&(ix, e)| {
            let parent = e
                .family
                .as_deref()
                .and_then(|f| graph.entity(e.kind, f))
                .filter(|&p| p != ix)
                .and_then(|p| match &graph.graph[p] {
                    Node::Entity(pe) => Some(pe.ordinal),
                    Node::Paper(_) => None,
                });
            b.bind(int(e.ordinal))?;
            b.bind(&e.name)?;
            b.bind(e.kind.as_str())?;
            b.bind(&e.family)?;
            b.bind(parent.map(int))?;
            b.bind(int(e.papers))?;
            b.bind(int(e.mentions))?;
            b.bind(int(ranks.degree.get(e.ordinal - 1).copied().unwrap_or(0)))?;
            b.bind(ranks.pagerank.get(e.ordinal - 1).copied().unwrap_or(0.0))
        })?;
        // Each entity's aliases and its name, once each, in key order.
        let aliases = nodes.iter().flat_map(|&(_, e)| {
            let names: BTreeSet<&str> = e
                .aliases
                .iter()
                .map(String::as_str)
                .chain([e.name.as_str()])
                .collect();
            names.into_iter().map(move |alias| (e.ordinal, alias))
        });
        BulkInsert::prepare(&self.conn, "aliases", &["entity_id", "alias", "key"], None)?.insert(
            aliases,
            |b, &(ordinal, alias)| {
                b.bind(int(ordinal))?;
                b.bind(alias)?;
                b.bind(name_key(alias))
            },
        )
    }

    fn write_edges(&self, rows: &EdgeRows) -> rusqlite::Result<()> {
        let mut edges = BulkInsert::prepare(
            &self.conn,
            "edges",
            &[
                "source_id",
                "target_id",
                "relation",
                "support",
                "sentences",
                "pmi",
            ],
            None,
        )?;
        edges.insert(
            &rows.links,
            |b, &&(a, t, relation, support, sentences, pmi)| {
                b.bind(int(a))?;
                b.bind(int(t))?;
                b.bind(relation.as_str())?;
                b.bind(int(support))?;
                b.bind(int(sentences))?;
                b.bind(pmi)
            },
        )
    }

    /// Writes the rows of `edges` again into `edges_packed` ([`packed`]), in the same
    /// order; writes nothing when a value does not fit a record.
    fn write_packed_edges(&self, rows: &EdgeRows) -> rusqlite::Result<()> {
        let mut insert = self
            .conn
            .prepare("INSERT INTO edges_packed (block, relations) VALUES (?1, ?2)")?;
        let mut bytes = Vec::with_capacity(packed::BLOCK * packed::WIDTH);
        for (block, chunk) in rows.links.chunks(packed::BLOCK).enumerate() {
            bytes.clear();
            for &(source, target, relation, support, sentences, _) in chunk {
                let encoded =
                    packed::encode(source, target, relation, support, sentences, &mut bytes);
                if encoded.is_none() {
                    self.conn.execute("DELETE FROM edges_packed", [])?;
                    return Ok(());
                }
            }
            insert.execute(params![int(block), bytes])?;
        }
        Ok(())
    }

    fn write_meta(&self, graph: &KnowledgeGraph, info: &BuildInfo) -> rusqlite::Result<()> {
        let inputs = serde_json::to_string(&info.inputs)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        let full_text = if self.options.full_text {
            "built"
        } else {
            "skipped"
        };
        let w = &self.written;
        let rows: [(&str, String); 14] = [
            ("format", FORMAT.to_string()),
            ("schema_version", SCHEMA_VERSION.to_string()),
            ("tool_version", info.tool_version.clone()),
            ("inputs", inputs),
            ("records_read", info.records_read.to_string()),
            ("problems", info.problems.to_string()),
            ("papers", graph.paper_count().to_string()),
            ("entities", graph.entity_count().to_string()),
            ("provenance", w.provenance.get().to_string()),
            ("mentions", w.mentions.get().to_string()),
            ("paper_entities", w.paper_entities.get().to_string()),
            ("evidence", w.evidence.get().to_string()),
            ("full_text", full_text.to_string()),
            ("extraction", extraction_label(info.discovery).to_string()),
        ];
        let mut ins = self
            .conn
            .prepare_cached("INSERT INTO meta (key, value) VALUES (?1, ?2)")?;
        for (k, v) in rows {
            ins.execute(params![k, v])?;
        }
        Ok(())
    }

    /// Reports foreign-key violations with their table and row before COMMIT would fail
    /// with a bare "FOREIGN KEY constraint failed".
    fn check_foreign_keys(&self) -> Result<(), ExportError> {
        let violations = foreign_key_violations(&self.conn).map_err(|e| self.sql_err(e))?;
        if violations.is_empty() {
            return Ok(());
        }
        let shown: Vec<&str> = violations.iter().take(5).map(String::as_str).collect();
        Err(ExportError::Invalid {
            path: self.tmp.target().to_path_buf(),
            message: format!(
                "{} foreign key violation(s), e.g. {}",
                violations.len(),
                shown.join("; ")
            ),
        })
    }
}

/// Rows per multi-row `INSERT` of a [`BulkInsert`] (32 rows of 10 columns stay far below
/// SQLite's limit on parameters).
const ROWS_PER_INSERT: usize = 32;

/// One table's `INSERT` prepared twice: for [`ROWS_PER_INSERT`] rows at once, and for one
/// row (the rest of a call). Many rows per statement keep SQLite's cursor open across
/// them, so appending in key order skips most of each B-tree search, and the work per
/// statement (stepping, resetting, opening cursors) is shared: on a 20k-paper build the
/// writer thread runs about a fifth fewer instructions than with one row per statement.
#[derive(Debug)]
struct BulkInsert<'w> {
    many: rusqlite::Statement<'w>,
    one: rusqlite::Statement<'w>,
    /// Rows inserted into the table, by this and the inserts before, when they are
    /// counted.
    written: Option<&'w Cell<usize>>,
}

impl<'w> BulkInsert<'w> {
    /// Prepares `INSERT INTO table (columns) VALUES (?, …)` in both forms; the rows it
    /// inserts are added to `written`, if given.
    fn prepare(
        conn: &'w Connection,
        table: &str,
        columns: &[&str],
        written: Option<&'w Cell<usize>>,
    ) -> rusqlite::Result<Self> {
        let row = format!("({})", vec!["?"; columns.len()].join(", "));
        let head = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let rows = vec![row.as_str(); ROWS_PER_INSERT].join(", ");
        Ok(BulkInsert {
            many: conn.prepare(&format!("{head}{rows}"))?,
            one: conn.prepare(&format!("{head}{row}"))?,
            written,
        })
    }

    /// Adds `n` rows inserted to the count, if kept.
    fn count(&self, n: usize) {
        if let Some(written) = self.written {
            written.set(written.get() + n);
        }
    }

    /// Inserts `rows` in order; `bind` binds one row's values, column by column.
    fn insert<T>(
        &mut self,
        rows: impl IntoIterator<Item = T>,
        bind: impl Fn(&mut Binder<'_, 'w>, &T) -> rusqlite::Result<()>,
    ) -> rusqlite::Result<()> {
        let mut chunk = Vec::with_capacity(ROWS_PER_INSERT);
        for row in rows {
            chunk.push(row);
            if chunk.len() == ROWS_PER_INSERT {
                let mut binder = Binder::new(&mut self.many);
                for row in &chunk {
                    bind(&mut binder, row)?;
                }
                self.many.raw_execute()?;
                self.count(chunk.len());
                chunk.clear();
            }
        }
        for row in &chunk {
            bind(&mut Binder::new(&mut self.one), row)?;
            self.one.raw_execute()?;
            self.count(1);
        }
        Ok(())
    }
}

/// Binds values to a statement's parameters in order, from the first.
struct Binder<'s, 'w> {
    statement: &'s mut rusqlite::Statement<'w>,
    next: usize,
}

impl<'s, 'w> Binder<'s, 'w> {
    fn new(statement: &'s mut rusqlite::Statement<'w>) -> Self {
        Binder { statement, next: 1 }
    }

    /// Binds the next parameter.
    fn bind(&mut self, value: impl rusqlite::ToSql) -> rusqlite::Result<()> {
        self.statement.raw_bind_parameter(self.next, value)?;
        self.next += 1;
        Ok(())
    }
}

/// One `papers` row: a new paper. `ordinal` becomes its `papers.id` (1-based, increasing,
/// as [`KnowledgeGraph::add_paper`] assigns them); `key` is its identity key.
#[derive(Clone, Copy, Debug)]
pub struct PaperRow<'a> {
    /// The paper's ordinal: its `papers.id`.
    pub ordinal: usize,
    /// Its identity key.
    pub key: &'a str,
    /// The record it was first read from.
    pub record: &'a Record,
}

/// One `provenance` row: an occurrence of paper `paper` (the first or a duplicate). File
/// names that are not valid Unicode are stored lossily.
#[derive(Clone, Copy, Debug)]
pub struct ProvenanceRow<'a> {
    /// The paper's ordinal.
    pub paper: usize,
    /// The file and line of this occurrence.
    pub source: &'a Provenance,
}

/// One `mentions` row: mention number `seq` (from 0, in text order) of paper `paper`,
/// naming the entity with ordinal `entity` (its `entities.id`, written by
/// [`finish`](SqliteWriter::finish)).
#[derive(Clone, Copy, Debug)]
pub struct MentionRow<'a> {
    /// The paper's ordinal.
    pub paper: usize,
    /// The mention's number in the paper, from 0.
    pub seq: usize,
    /// The entity's ordinal.
    pub entity: usize,
    /// The mention.
    pub mention: &'a Mention,
}

/// One `paper_entities` row: a paper → entity relation of paper `paper` (one of
/// [`AddedPaper::links`](crate::graph::AddedPaper::links)).
#[derive(Clone, Copy, Debug)]
pub struct PaperLinkRow<'a> {
    /// The paper's ordinal.
    pub paper: usize,
    /// The relation to one entity.
    pub link: &'a PaperLink,
}

/// One `evidence` row: piece of evidence number `seq` (from 0) of paper `paper` (see
/// [`KnowledgeGraph::add_paper_relations`]). An entity → entity relation it references is
/// written by [`finish`](SqliteWriter::finish).
#[derive(Clone, Copy, Debug)]
pub struct EvidenceRow<'a> {
    /// The paper's ordinal.
    pub paper: usize,
    /// The piece's number in the paper, from 0.
    pub seq: usize,
    /// What it evidences, and where.
    pub record: &'a EvidenceRecord,
}

/// Prepared inserts for the rows written paper by paper: papers, provenance, mentions,
/// paper → entity relations and evidence. Made by [`SqliteWriter::inserts`].
///
/// Each method writes its rows in the order given, many per statement; give each table's
/// rows in key order (papers by ordinal, then by `seq`), as the build does, so that every
/// insert appends.
#[derive(Debug)]
pub struct PaperInserts<'w> {
    papers: BulkInsert<'w>,
    provenance: BulkInsert<'w>,
    mentions: BulkInsert<'w>,
    links: BulkInsert<'w>,
    evidence: BulkInsert<'w>,
    /// The database's target path, named in errors.
    target: &'w Path,
}

impl PaperInserts<'_> {
    /// Adds new papers.
    pub fn add_papers<'a>(
        &mut self,
        rows: impl IntoIterator<Item = PaperRow<'a>>,
    ) -> Result<(), ExportError> {
        self.papers
            .insert(rows, |b, row| {
                let record = row.record;
                b.bind(int(row.ordinal))?;
                b.bind(row.key)?;
                b.bind(&record.id)?;
                b.bind(&record.title)?;
                b.bind(&record.abstract_text)?;
                b.bind(&record.authors)?;
                b.bind(&record.categories)?;
                b.bind(&record.update_date)
            })
            .map_err(|e| sql_error(self.target, e))
    }

    /// Adds occurrences of papers: one for every record, the first occurrence and every
    /// duplicate.
    pub fn add_provenance<'a>(
        &mut self,
        rows: impl IntoIterator<Item = ProvenanceRow<'a>>,
    ) -> Result<(), ExportError> {
        self.provenance
            .insert(rows, |b, row| {
                b.bind(int(row.paper))?;
                b.bind(row.source.file.to_string_lossy())?;
                b.bind(int(row.source.line))
            })
            .map_err(|e| sql_error(self.target, e))
    }

    /// Adds mentions.
    pub fn add_mentions<'a>(
        &mut self,
        rows: impl IntoIterator<Item = MentionRow<'a>>,
    ) -> Result<(), ExportError> {
        self.mentions
            .insert(rows, |b, row| {
                let m = row.mention;
                b.bind(int(row.paper))?;
                b.bind(int(row.seq))?;
                b.bind(int(row.entity))?;
                b.bind(&m.surface)?;
                b.bind(m.field.as_str())?;
                b.bind(int(m.char_start))?;
                b.bind(int(m.char_start.saturating_add(m.char_len)))
            })
            .map_err(|e| sql_error(self.target, e))
    }

    /// Adds paper → entity relations.
    pub fn add_paper_links<'a>(
        &mut self,
        rows: impl IntoIterator<Item = PaperLinkRow<'a>>,
    ) -> Result<(), ExportError> {
        self.links
            .insert(rows, |b, row| {
                b.bind(int(row.paper))?;
                b.bind(int(row.link.entity))?;
                b.bind(row.link.relation.as_str())?;
                b.bind(int(row.link.count))
            })
            .map_err(|e| sql_error(self.target, e))
    }

    /// Adds pieces of evidence.
    pub fn add_evidence<'a>(
        &mut self,
        rows: impl IntoIterator<Item = EvidenceRow<'a>>,
    ) -> Result<(), ExportError> {
        self.evidence
            .insert(rows, |b, row| {
                let (entity, source, target, relation) = match row.record.of {
                    EvidenceOf::Paper { entity, relation } => {
                        (Some(int(entity)), None, None, relation.as_str())
                    }
                    EvidenceOf::Link {
                        source,
                        target,
                        relation,
                    } => (
                        None,
                        Some(int(source)),
                        Some(int(target)),
                        relation.as_str(),
                    ),
                };
                let e = &row.record.evidence;
                b.bind(int(row.paper))?;
                b.bind(int(row.seq))?;
                b.bind(entity)?;
                b.bind(source)?;
                b.bind(target)?;
                b.bind(relation)?;
                b.bind(e.field.as_str())?;
                b.bind(int(e.char_start))?;
                b.bind(int(e.char_end))?;
                b.bind(e.rule.as_str())
            })
            .map_err(|e| sql_error(self.target, e))
    }
}

/// An SQLite error while writing the database at `path`.
fn sql_error(path: &Path, source: rusqlite::Error) -> ExportError {
    ExportError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

/// A count or ordinal as an SQLite integer (saturating; no real count comes near).
fn int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// An SQLite integer as a count (negative values, which paperkg never writes, read as 0).
fn size(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

/// `PRAGMA foreign_key_check`, one line per violation.
fn foreign_key_violations(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut st = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = st.query_map([], |r| {
        let table: String = r.get(0)?;
        let rowid: Option<i64> = r.get(1)?;
        let parent: String = r.get(2)?;
        Ok(format!(
            "{table} row {} references a missing {parent} row",
            rowid.unwrap_or(-1)
        ))
    })?;
    rows.collect()
}

/// Summary figures of a database, as `paperkg stats` prints them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DbStats {
    /// Distinct papers.
    pub papers: usize,
    /// Records read (rows of `provenance`).
    pub records: usize,
    /// Records that repeated a paper already seen.
    pub duplicates: usize,
    /// Entities per type (`model`, `method`, `dataset`, in that order, zeros included).
    pub entities_by_type: Vec<(String, usize)>,
    /// Entities no paper names, known only as the family of a variant (included above).
    pub family_only: usize,
    /// Mentions (rows of `mentions`).
    pub mentions: usize,
    /// Paper → entity edges.
    pub mention_edges: usize,
    /// Entity – entity co-mention edges.
    pub co_mention_edges: usize,
    /// Typed entity → entity edges (`variant_of`, `based_on`, `trained_on`, `evaluated_on`).
    pub relation_edges: usize,
    /// Evidence rows (sentences supporting a relation).
    pub evidence: usize,
    /// Problems reported while reading the inputs.
    pub problems: usize,
    /// The build's input paths.
    pub inputs: Vec<String>,
    /// The paperkg version that built the database.
    pub tool_version: String,
    /// How entities were found: `lexicon + discovery` or `lexicon only` (`meta.extraction`;
    /// empty for a database built before paperkg recorded it).
    pub extraction: String,
}

/// Reads summary figures back from a database, opened read-only: the row counts the build
/// recorded in `meta`, and counts of the tables it did not record (or, in a database
/// without them, of every table).
///
/// Fails with a message naming `path` when the file is missing, is not an SQLite
/// database, is not a paperkg database, or has another [`SCHEMA_VERSION`].
pub fn read_stats(path: &Path) -> Result<DbStats, ExportError> {
    let conn = open_read_only(path)?;
    let sql = |source| sql_error(path, source);
    let count = |q: &str| {
        conn.query_row(q, [], |r| r.get::<_, i64>(0))
            .map(size)
            .map_err(sql)
    };
    let meta = |k: &str| {
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [k], |r| {
            r.get::<_, Option<String>>(0)
        })
        .optional()
        .map(|v| v.flatten().unwrap_or_default())
        .map_err(sql)
    };
    let number = |k: &str| -> Result<u64, ExportError> {
        let v = meta(k)?;
        v.parse::<u64>().map_err(|_| ExportError::NotADatabase {
            path: path.to_path_buf(),
            reason: format!("meta value {k} = {v:?} is not a number"),
        })
    };
    let recorded = |k: &str| recorded_count(&conn, k).map_err(sql);
    // A count the build recorded in `meta`, else counted.
    let recorded_or = |k: &str, q: &str| -> Result<usize, ExportError> {
        match recorded(k)? {
            Some(n) => Ok(n),
            None => count(q),
        }
    };
    let (recorded_papers, recorded_records) = (recorded("papers")?, recorded("provenance")?);
    let papers = match recorded_papers {
        Some(n) => n,
        None => count("SELECT COUNT(*) FROM papers")?,
    };
    let records = match recorded_records {
        Some(n) => n,
        None => count("SELECT COUNT(*) FROM provenance")?,
    };
    // Every paper has at least one provenance row, so the records beyond the first of
    // each paper are the records beyond the papers; counted when either was not recorded.
    let duplicates = match (recorded_papers, recorded_records) {
        (Some(_), Some(_)) => records.saturating_sub(papers),
        _ => count(
            "SELECT COALESCE(SUM(n - 1), 0) FROM \
             (SELECT COUNT(*) AS n FROM provenance GROUP BY paper_id)",
        )?,
    };
    let mut entities_by_type = Vec::with_capacity(EntityType::ALL.len());
    for kind in EntityType::ALL {
        let n = conn
            .query_row(
                "SELECT COUNT(*) FROM entities WHERE type = ?1",
                [kind.as_str()],
                |r| r.get::<_, i64>(0),
            )
            .map(size)
            .map_err(sql)?;
        entities_by_type.push((kind.as_str().to_string(), n));
    }
    let inputs_json = meta("inputs")?;
    let inputs: Vec<String> = if inputs_json.is_empty() {
        Vec::new()
    } else {
        serde_json::from_str(&inputs_json).map_err(|e| ExportError::NotADatabase {
            path: path.to_path_buf(),
            reason: format!("meta value inputs is not a JSON list of strings: {e}"),
        })?
    };
    Ok(DbStats {
        papers,
        records,
        duplicates,
        entities_by_type,
        family_only: count("SELECT COUNT(*) FROM entities WHERE paper_count = 0")?,
        mentions: recorded_or("mentions", "SELECT COUNT(*) FROM mentions")?,
        mention_edges: recorded_or("paper_entities", "SELECT COUNT(*) FROM paper_entities")?,
        co_mention_edges: count("SELECT COUNT(*) FROM edges WHERE relation = 'co_mentioned'")?,
        relation_edges: count("SELECT COUNT(*) FROM edges WHERE relation <> 'co_mentioned'")?,
        evidence: recorded_or("evidence", "SELECT COUNT(*) FROM evidence")?,
        problems: usize::try_from(number("problems")?).unwrap_or(usize::MAX),
        inputs,
        tool_version: meta("tool_version")?,
        extraction: meta("extraction")?,
    })
}

/// A row count the build recorded in `meta` under `key`; `None` in a database built
/// before it was recorded, or whose `meta` was edited into something that is no number.
pub(crate) fn recorded_count(conn: &Connection, key: &str) -> rusqlite::Result<Option<usize>> {
    let value: Option<Option<String>> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?;
    Ok(value.flatten().and_then(|v| v.parse().ok()))
}

/// Opens a paperkg database read-only and checks that it is one, of this schema version.
///
/// The connection keeps its shared lock from its first read until it is closed
/// (`locking_mode = EXCLUSIVE`, which for a reader blocks only writers): a query that runs
/// thousands of small statements, such as `neighbors` listing tens of thousands of
/// entities, would otherwise take and drop the file lock, and check whether the file
/// changed, around each. paperkg never writes into a finished database (a build writes
/// a new file and renames it over the old one), so no paperkg writer waits on it.
///
/// Fails, naming `path`, when the file is missing, is not an SQLite database, is not a
/// paperkg database, or has another [`SCHEMA_VERSION`].
pub fn open_read_only(path: &Path) -> Result<Connection, ExportError> {
    if let Err(source) = std::fs::metadata(path) {
        return Err(ExportError::Io {
            path: path.to_path_buf(),
            source,
        });
    }
    let sql = |source| sql_error(path, source);
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(sql)?;
    conn.pragma_update(None, "query_only", true).map_err(sql)?;
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
        .map_err(sql)?;
    let not_db = |reason: String| ExportError::NotADatabase {
        path: path.to_path_buf(),
        reason,
    };
    let version: i32 = match conn.pragma_query_value(None, "user_version", |r| r.get(0)) {
        Ok(v) => v,
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            return Err(not_db("not an SQLite database".to_string()))
        }
        Err(e) => return Err(sql(e)),
    };
    let has_meta: bool = conn
        .query_row(
            "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
            [],
            |r| r.get(0),
        )
        .map_err(sql)?;
    let format: Option<String> = if has_meta {
        conn.query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| {
            r.get(0)
        })
        .optional()
        .map_err(sql)?
        .flatten()
    } else {
        None
    };
    if format.as_deref() != Some(FORMAT) {
        return Err(not_db(
            "no paperkg schema (meta.format is not 'paperkg')".to_string(),
        ));
    }
    if version != SCHEMA_VERSION {
        return Err(ExportError::SchemaVersion {
            path: path.to_path_buf(),
            found: version,
            expected: SCHEMA_VERSION,
        });
    }
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Field;
    use crate::graph::relations::analyse;
    use crate::graph::PaperSlot;
    use std::fs;

    fn record(
        id: Option<&str>,
        title: &str,
        abstract_text: &str,
        file: &str,
        line: usize,
    ) -> Record {
        Record {
            id: id.map(str::to_string),
            title: title.into(),
            abstract_text: abstract_text.into(),
            authors: Some("A. Author, B. Author".into()),
            categories: Some("cs.CL cs.LG".into()),
            update_date: Some("2024-01-02".into()),
            source: Provenance {
                file: PathBuf::from(file),
                line,
            },
        }
    }

    fn mention(
        name: &str,
        kind: EntityType,
        family: Option<&str>,
        surface: &str,
        field: Field,
        char_start: usize,
    ) -> Mention {
        Mention {
            name: name.into(),
            kind,
            family: family.map(str::to_string),
            surface: surface.into(),
            field,
            byte_start: char_start,
            char_start,
            char_len: surface.chars().count(),
            proposed: false,
        }
    }

    fn info() -> BuildInfo {
        BuildInfo {
            tool_version: "0.1.0-test".into(),
            inputs: vec!["data/a.txt".into(), "data/b.jsonl.gz".into()],
            records_read: 4,
            problems: 1,
            discovery: true,
        }
    }

    /// Drives the writer the way the build pipeline does: one graph paper per new key, a
    /// provenance row per record, mentions for new papers only.
    fn build(path: &Path) -> PathBuf {
        let lora = |s: &str, at| mention("LoRA", EntityType::Method, None, s, Field::Abstract, at);
        let llama2 =
            |s: &str, f, at| mention("Llama 2", EntityType::Model, Some("LLaMA"), s, f, at);
        let llama = mention(
            "LLaMA",
            EntityType::Model,
            None,
            "LLaMA",
            Field::Abstract,
            10,
        );
        let mmlu = mention(
            "MMLU",
            EntityType::Dataset,
            None,
            "MMLU",
            Field::Abstract,
            30,
        );
        let inputs: Vec<(Record, Vec<Mention>)> = vec![
            (
                record(
                    Some("2401.00001"),
                    "LoRA for Llama 2",
                    "We tune LLaMA-2 with lora.",
                    "a.txt",
                    1,
                ),
                vec![
                    llama2("Llama 2", Field::Title, 9),
                    llama2("LLaMA-2", Field::Abstract, 8),
                    lora("lora", 21),
                ],
            ),
            (
                record(
                    None,
                    "Scaling \"quotes\" and {braces}",
                    "LLaMA on MMLU with LoRA",
                    "a.txt",
                    5,
                ),
                vec![llama.clone(), mmlu.clone(), lora("LoRA", 19)],
            ),
            (
                record(
                    Some("2401.00001"),
                    "LoRA for Llama 2",
                    "dup",
                    "b.jsonl.gz",
                    3,
                ),
                vec![],
            ),
            (
                record(Some("2402.1"), "Nothing here", "plain", "b.jsonl.gz", 4),
                vec![],
            ),
        ];
        let mut graph = KnowledgeGraph::new();
        let w = SqliteWriter::create(path).unwrap();
        let mut ins = w.inserts().unwrap();
        for (rec, mentions) in &inputs {
            let key = rec.key();
            match graph.add_paper(&key) {
                PaperSlot::New(ord) => {
                    ins.add_papers([PaperRow {
                        ordinal: ord,
                        key: &key,
                        record: rec,
                    }])
                    .unwrap();
                    ins.add_provenance([provenance(ord, &rec.source)]).unwrap();
                    let rels = analyse(&rec.title, &rec.abstract_text, mentions);
                    let added = graph.add_paper_relations(&key, mentions, &rels);
                    let rows = mentions.iter().zip(&added.entities).enumerate();
                    ins.add_mentions(rows.map(|(seq, (mention, r))| MentionRow {
                        paper: ord,
                        seq,
                        entity: r.ordinal,
                        mention,
                    }))
                    .unwrap();
                    ins.add_paper_links(
                        added
                            .links
                            .iter()
                            .map(|link| PaperLinkRow { paper: ord, link }),
                    )
                    .unwrap();
                    let rows = added.evidence.iter().enumerate();
                    ins.add_evidence(rows.map(|(seq, record)| EvidenceRow {
                        paper: ord,
                        seq,
                        record,
                    }))
                    .unwrap();
                }
                PaperSlot::Duplicate(ord) => {
                    ins.add_provenance([provenance(ord, &rec.source)]).unwrap()
                }
            }
        }
        drop(ins);
        graph.finish();
        w.finish(&graph, &info()).unwrap().path
    }

    /// Rows go in whole, in order, whether they fill multi-row statements, part of one,
    /// or neither, and are counted; a bad row fails the call, and the rows of its
    /// statement are not counted.
    #[test]
    fn bulk_insert_writes_every_row_in_order() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER NOT NULL, s TEXT)")
            .unwrap();
        let written = Cell::new(0);
        let mut bulk = BulkInsert::prepare(&conn, "t", &["n", "s"], Some(&written)).unwrap();
        let bind = |b: &mut Binder<'_, '_>, n: &i64| {
            b.bind(n)?;
            b.bind((n % 3 != 0).then(|| format!("row {n}")))
        };
        let mut expected = Vec::new();
        let mut next = 0i64;
        for count in [0, 1, 31, 32, 33, 64, 70] {
            let rows: Vec<i64> = (next..next + count).collect();
            next += count;
            bulk.insert(rows.iter().copied(), bind).unwrap();
            expected.extend(rows);
        }
        let mut st = conn.prepare("SELECT n, s FROM t ORDER BY rowid").unwrap();
        let found: Vec<(i64, Option<String>)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let expected: Vec<(i64, Option<String>)> = expected
            .into_iter()
            .map(|n| (n, (n % 3 != 0).then(|| format!("row {n}"))))
            .collect();
        assert_eq!(found, expected);
        assert_eq!(written.get(), expected.len());
        let null = |b: &mut Binder<'_, '_>, n: &Option<i64>| {
            b.bind(n)?;
            b.bind("x")
        };
        let rows: Vec<Option<i64>> = (0..40).map(|n| (n != 35).then_some(n)).collect();
        assert!(bulk.insert(rows.iter().copied(), null).is_err());
        // The first 32 went in by one statement; the 33rd to 35th, one by one, failed at
        // the 36th row.
        assert_eq!(written.get(), expected.len() + 35);
    }

    fn paper<'a>(ordinal: usize, key: &'a str, record: &'a Record) -> PaperRow<'a> {
        PaperRow {
            ordinal,
            key,
            record,
        }
    }

    fn provenance(paper: usize, source: &Provenance) -> ProvenanceRow<'_> {
        ProvenanceRow { paper, source }
    }

    fn temp_names(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect()
    }

    #[test]
    fn written_database_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kg.sqlite");
        assert_eq!(build(&path), path);
        assert!(temp_names(dir.path()).is_empty());
        let conn = Connection::open(&path).unwrap();

        let titles: Vec<String> = conn
            .prepare(
                "SELECT DISTINCT p.title FROM papers p \
                 JOIN paper_entities pe ON pe.paper_id = p.id \
                 JOIN aliases a ON a.entity_id = pe.entity_id \
                 WHERE a.alias = 'lora' COLLATE NOCASE ORDER BY p.id",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            titles,
            ["LoRA for Llama 2", "Scaling \"quotes\" and {braces}"]
        );

        let aliases: Vec<String> = conn
            .prepare(
                "SELECT alias FROM aliases JOIN entities ON entities.id = entity_id \
                 WHERE name = 'Llama 2' ORDER BY alias",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(aliases, ["LLaMA-2", "Llama 2"]);

        let (parent, family): (Option<String>, Option<String>) = conn
            .query_row(
                "SELECT p.name, e.family FROM entities e LEFT JOIN entities p ON p.id = e.parent_id \
                 WHERE e.name = 'Llama 2'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (parent.as_deref(), family.as_deref()),
            (Some("LLaMA"), Some("LLaMA"))
        );

        let (count, pc, mc): (i64, i64, i64) = conn
            .query_row(
                "SELECT pe.count, e.paper_count, e.mention_count FROM paper_entities pe \
                 JOIN entities e ON e.id = pe.entity_id WHERE e.name = 'Llama 2'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((count, pc, mc), (2, 1, 2));

        let span: (String, String, i64, i64) = conn
            .query_row(
                "SELECT surface, field, char_start, char_end FROM mentions WHERE field = 'title'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(span, ("Llama 2".to_string(), "title".to_string(), 9, 16));

        let weight: i64 = conn
            .query_row(
                "SELECT support FROM edges e JOIN entities a ON a.id = e.source_id \
                 JOIN entities b ON b.id = e.target_id \
                 WHERE a.name = 'Llama 2' AND b.name = 'LoRA' AND relation = 'co_mentioned'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(weight, 1);
        let backwards: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM edges WHERE source_id >= target_id",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(backwards, 0);

        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok");
        assert!(foreign_key_violations(&conn).unwrap().is_empty());
        let version: i32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }

    /// `edges_packed` holds the rows of `edges`, in key order, block after block.
    #[test]
    fn packed_edges_are_the_rows_of_edges() {
        use crate::build::{build, bundled_samples, BuildConfig, Silent};
        use crate::{Extractor, Lexicon};
        let dir = tempfile::tempdir().unwrap();
        let config = BuildConfig::new(vec![bundled_samples()], dir.path().to_path_buf());
        build(&config, &Extractor::new(&Lexicon::builtin()), &mut Silent).unwrap();
        let conn = Connection::open(dir.path().join("kg.sqlite")).unwrap();
        let rows: Vec<(i64, i64, String, i64, i64)> = conn
            .prepare(
                "SELECT source_id, target_id, relation, support, sentences FROM edges \
                 ORDER BY source_id, target_id, relation",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let blocks: Vec<(i64, Vec<u8>)> = conn
            .prepare("SELECT block, relations FROM edges_packed ORDER BY block")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(rows.len() > 1000, "{}", rows.len());
        assert_eq!(blocks.len(), rows.len().div_ceil(packed::BLOCK));
        let mut unpacked = Vec::new();
        for (i, (block, bytes)) in blocks.iter().enumerate() {
            assert_eq!(*block, i as i64);
            packed::decode(bytes, |e| {
                unpacked.push((
                    i64::from(e.source),
                    i64::from(e.target),
                    e.relation.as_str().to_string(),
                    i64::from(e.support),
                    i64::from(e.sentences),
                ))
            })
            .unwrap();
        }
        assert_eq!(unpacked, rows);
    }

    /// `paperkg stats` reads the counts the build recorded in `meta`, and they are the
    /// tables' own counts: for a build of part of the bundled corpus, and after the rest
    /// is appended to it (the stored papers replayed into the new file).
    #[test]
    fn recorded_counts_are_the_tables_counts() {
        use crate::build::{build, bundled_samples, BuildConfig, Silent};
        use crate::{Extractor, Lexicon};
        let mut files: Vec<PathBuf> = fs::read_dir(bundled_samples())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert_eq!(files.len(), 4);
        let dir = tempfile::tempdir().unwrap();
        let extractor = Extractor::new(&Lexicon::builtin());
        let mut config = BuildConfig::new(files[..2].to_vec(), dir.path().to_path_buf());
        let path = dir.path().join("kg.sqlite");
        let counted = dir.path().join("counted.sqlite");
        let check = |path: &Path| {
            let recorded = read_stats(path).unwrap();
            fs::copy(path, &counted).unwrap();
            Connection::open(&counted)
                .unwrap()
                .execute(
                    "DELETE FROM meta WHERE key IN \
                     ('papers', 'provenance', 'mentions', 'paper_entities', 'evidence')",
                    [],
                )
                .unwrap();
            assert_eq!(recorded, read_stats(&counted).unwrap());
            recorded
        };
        build(&config, &extractor, &mut Silent).unwrap();
        let first = check(&path);
        config.inputs = files[2..].to_vec();
        config.append = true;
        build(&config, &extractor, &mut Silent).unwrap();
        let all = check(&path);
        assert!(all.papers > first.papers, "{first:?} {all:?}");
        assert!(all.records > first.records && all.duplicates > 0, "{all:?}");
        assert!(all.mentions > first.mentions && all.evidence > first.evidence);
    }

    #[test]
    fn read_stats_reports_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let path = build(&dir.path().join("kg.sqlite"));
        let s = read_stats(&path).unwrap();
        assert_eq!((s.papers, s.records, s.duplicates), (3, 4, 1));
        assert_eq!(
            s.entities_by_type,
            [
                ("model".to_string(), 2),
                ("method".to_string(), 1),
                ("dataset".to_string(), 1)
            ]
        );
        assert_eq!((s.mentions, s.mention_edges, s.co_mention_edges), (6, 5, 4));
        // Llama 2 variant_of LLaMA.
        assert_eq!(s.relation_edges, 1);
        assert!(s.evidence >= 6, "{s:?}");
        assert_eq!(s.problems, 1);
        assert_eq!(s.inputs, info().inputs);
        assert_eq!(s.tool_version, "0.1.0-test");
        assert_eq!(s.extraction, EXTRACTION_FULL);
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["entities_by_type"][0], serde_json::json!(["model", 2]));
    }

    /// The SQL block of `docs/schema.md`.
    fn documented_schema() -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema.md");
        let doc = fs::read_to_string(&path).unwrap();
        let begin = doc.find("<!-- schema:begin").expect("schema:begin marker");
        let start = begin
            + doc[begin..]
                .find("```sql\n")
                .expect("```sql after the marker")
            + 7;
        let end = start + doc[start..].find("```").expect("closing ```");
        doc[start..end].to_string()
    }

    #[test]
    fn docs_schema_md_holds_the_schema_verbatim() {
        assert_eq!(
            documented_schema().trim(),
            SCHEMA.trim(),
            "docs/schema.md is out of date: paste SCHEMA (src/export/sqlite.rs) between the \
             schema markers"
        );
    }

    #[test]
    fn docs_schema_md_describes_every_table_view_and_index() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(build(&dir.path().join("kg.sqlite"))).unwrap();
        let doc = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema.md"))
            .unwrap();
        let prose = &doc[..doc.find("<!-- schema:begin").unwrap()];
        let names: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view', 'index') \
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'papers_fts_%'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(names.len() > 25, "{names:?}");
        for name in names {
            assert!(
                prose.contains(&format!("`{name}`")),
                "docs/schema.md does not describe {name}"
            );
        }
    }

    #[test]
    fn full_text_index_and_views_answer() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(build(&dir.path().join("kg.sqlite"))).unwrap();
        let titles: Vec<String> = conn
            .prepare(
                "SELECT p.title FROM papers_fts JOIN papers p ON p.id = papers_fts.rowid \
                 WHERE papers_fts MATCH 'lora' ORDER BY bm25(papers_fts), p.id",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            titles,
            ["LoRA for Llama 2", "Scaling \"quotes\" and {braces}"]
        );
        let tree: (String, String, i64) = conn
            .query_row("SELECT entity, ancestor, depth FROM family_tree", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(tree, ("Llama 2".into(), "LLaMA".into(), 1));
        let sentence: String = conn
            .query_row(
                "SELECT sentence FROM relation_evidence WHERE relation = 'variant_of'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            sentence.contains("Llama 2") || sentence.contains("LLaMA-2"),
            "{sentence}"
        );
        for view in [
            "entity_papers",
            "co_occurrences",
            "relations",
            "paper_evidence",
        ] {
            let n: i64 = conn
                .query_row(&format!("SELECT COUNT(*) FROM {view}"), [], |r| r.get(0))
                .unwrap();
            assert!(n > 0, "{view} is empty");
        }
    }

    #[test]
    fn same_input_gives_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let a = build(&dir.path().join("a.sqlite"));
        let b = build(&dir.path().join("b.sqlite"));
        assert_eq!(fs::read(a).unwrap(), fs::read(b).unwrap());
    }

    #[test]
    fn dropped_writer_leaves_no_temp_file_and_previous_database_intact() {
        let dir = tempfile::tempdir().unwrap();
        let path = build(&dir.path().join("kg.sqlite"));
        let before = fs::read(&path).unwrap();
        {
            let w = SqliteWriter::create(&path).unwrap();
            assert_eq!(temp_names(dir.path()).len(), 1);
            let mut ins = w.inserts().unwrap();
            let rec = record(Some("x"), "X", "x", "x.txt", 1);
            ins.add_papers([paper(1, "id:x", &rec)]).unwrap();
            ins.add_provenance([provenance(1, &rec.source)]).unwrap();
        }
        assert!(temp_names(dir.path()).is_empty());
        assert_eq!(fs::read(&path).unwrap(), before);
        assert_eq!(read_stats(&path).unwrap().papers, 3);
    }

    #[test]
    fn finish_replaces_an_existing_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = build(&dir.path().join("kg.sqlite"));
        let mut graph = KnowledgeGraph::new();
        graph.add_paper("id:only");
        graph.finish();
        let w = SqliteWriter::create(&path).unwrap();
        let mut ins = w.inserts().unwrap();
        let rec = record(Some("only"), "Only", "", "o.txt", 1);
        ins.add_papers([paper(1, "id:only", &rec)]).unwrap();
        ins.add_provenance([provenance(1, &rec.source)]).unwrap();
        drop(ins);
        w.finish(&graph, &BuildInfo::default()).unwrap();
        let s = read_stats(&path).unwrap();
        assert_eq!((s.papers, s.records, s.mentions), (1, 1, 0));
        assert!(temp_names(dir.path()).is_empty());
    }

    #[test]
    fn mention_of_unknown_entity_fails_and_keeps_target_absent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kg.sqlite");
        let mut graph = KnowledgeGraph::new();
        graph.add_paper("id:1");
        graph.finish();
        let w = SqliteWriter::create(&path).unwrap();
        let mut ins = w.inserts().unwrap();
        let rec = record(Some("1"), "One", "", "o.txt", 1);
        ins.add_papers([paper(1, "id:1", &rec)]).unwrap();
        let m = mention("Ghost", EntityType::Model, None, "Ghost", Field::Title, 0);
        ins.add_mentions([MentionRow {
            paper: 1,
            seq: 0,
            entity: 7,
            mention: &m,
        }])
        .unwrap();
        drop(ins);
        let err = w.finish(&graph, &BuildInfo::default()).unwrap_err();
        assert!(matches!(err, ExportError::Invalid { .. }), "{err:?}");
        assert!(err.to_string().contains("foreign key"), "{err}");
        assert!(!path.exists());
        assert!(temp_names(dir.path()).is_empty());
    }

    #[test]
    fn create_in_missing_directory_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("kg.sqlite");
        let err = SqliteWriter::create(&path).unwrap_err();
        assert!(
            err.to_string().contains(&path.display().to_string()),
            "{err}"
        );
    }

    #[test]
    fn read_stats_rejects_missing_and_foreign_files() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.sqlite");
        let err = read_stats(&missing).unwrap_err();
        assert!(matches!(err, ExportError::Io { .. }), "{err:?}");
        assert!(
            err.to_string().contains(&missing.display().to_string()),
            "{err}"
        );

        let text = dir.path().join("notes.txt");
        fs::write(
            &text,
            "this is not a database, just some text long enough to look like one\n".repeat(20),
        )
        .unwrap();
        let err = read_stats(&text).unwrap_err();
        assert!(matches!(err, ExportError::NotADatabase { .. }), "{err:?}");
        assert!(
            err.to_string().contains(&text.display().to_string()),
            "{err}"
        );

        let other = dir.path().join("other.sqlite");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x);")
            .unwrap();
        let err = read_stats(&other).unwrap_err();
        assert!(matches!(err, ExportError::NotADatabase { .. }), "{err:?}");

        let empty = dir.path().join("empty.sqlite");
        fs::write(&empty, "").unwrap();
        assert!(matches!(
            read_stats(&empty),
            Err(ExportError::NotADatabase { .. })
        ));

        let old = build(&dir.path().join("old.sqlite"));
        Connection::open(&old)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let err = read_stats(&old).unwrap_err();
        assert!(
            matches!(
                err,
                ExportError::SchemaVersion {
                    found: 99,
                    expected: SCHEMA_VERSION,
                    ..
                }
            ),
            "{err:?}"
        );
    }
}
