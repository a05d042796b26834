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
//! The parts: `schema` (the schema and the build's PRAGMAs), `rows` (a paper's rows and
//! their prepared inserts), `graph_rows` (the rows of the finished graph: edges and the
//! entities' ranks), `stats` (opening a finished database, `paperkg stats`); this file
//! holds the writer that runs them in order.
//!
//! This module does not decide paper identity, resolve entities or answer the explore
//! commands' queries; it stores what the graph stage decided.

mod graph_rows;
mod rows;
mod schema;
mod stats;

use std::cell::Cell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OpenFlags};

use super::atomic::{BackgroundSync, TempTarget};
use super::{packed, ExportError};
use crate::extract::name_key;
use crate::graph::{KnowledgeGraph, Node};

pub use graph_rows::GraphRows;
pub use rows::{EvidenceRow, MentionRow, PaperInserts, PaperLinkRow, PaperRow, ProvenanceRow};
pub use schema::{
    extraction_label, EXTRACTION_FULL, EXTRACTION_LEXICON_ONLY, SCHEMA, SCHEMA_VERSION,
};
pub(crate) use stats::recorded_count;
pub use stats::{open_read_only, read_stats, DbStats};

use graph_rows::{EdgeRows, EntityRanks};
use rows::BulkInsert;
use schema::{schema_parts, BUILD_PRAGMAS, FORMAT, FULL_TEXT_FILL, LOAD_CACHE, SORT_PRAGMAS};

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
        PaperInserts::prepare(&self.conn, &self.written, self.tmp.target())
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

#[cfg(test)]
mod tests;
