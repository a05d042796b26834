//! Reading a finished database: [`open_read_only`], which checks that a file is a paperkg
//! database of the current schema, and [`read_stats`], the summary `paperkg stats` prints.
//!
//! This module only reads; the explore commands' queries live in `crate::store`.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::schema::{FORMAT, SCHEMA_VERSION};
use super::{size, sql_error};
use crate::export::ExportError;
use crate::extract::EntityType;

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
