//! Writing a built knowledge graph to files: the SQLite database, Graphviz DOT, GraphML,
//! node-link JSON and Neo4j import CSV.
//!
//! * [`sqlite`] streams papers, provenance and mentions into a new database during the
//!   build ([`sqlite::SqliteWriter`]), writes entities and edges from the finished
//!   [`KnowledgeGraph`](crate::graph::KnowledgeGraph) at the end, and reads summary figures
//!   back ([`sqlite::read_stats`]).
//! * The graph files are written from an [`model::ExportGraph`], a selection read back from
//!   the database by `crate::store::export`: [`dot`] (a readable drawing, and rendering it
//!   with Graphviz), [`graphml`] (Gephi, Cytoscape, yEd, networkx), [`json`] (node-link JSON
//!   for D3 and networkx) and [`neo4j`] (CSV files for `neo4j-admin database import`).
//!
//! Every writer is atomic: it writes a temporary file beside the target and renames it over
//! the target only once it is complete, so an interrupted or failed export never leaves a
//! half-written file or damages the previous one.
//!
//! This module does not build the graph, decide what a paper or entity is, or choose what
//! to export; it only writes (and checks) files.

mod atomic;
pub mod dot;
pub mod escape;
pub mod graphml;
pub mod json;
pub mod model;
pub mod neo4j;
pub mod packed;
pub mod sqlite;

use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically (a temporary file beside it, renamed over it when
/// complete). Returns the path.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<PathBuf, ExportError> {
    atomic::write_atomic(path, bytes)
}

/// An error while writing or reading an export file. Every variant names the file.
///
/// The underlying error, when there is one, is the [`source`](std::error::Error::source)
/// and is not repeated in the message; print the chain (`{:#}` with anyhow) to see it.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// SQLite failed on this database.
    #[error("SQLite error on {}", path.display())]
    Sqlite {
        /// The database file (the final target, not the temporary file).
        path: PathBuf,
        /// What SQLite reported.
        #[source]
        source: rusqlite::Error,
    },
    /// Reading, writing, syncing or renaming this file failed.
    #[error("I/O error on {}", path.display())]
    Io {
        /// The file (the final target, not the temporary file).
        path: PathBuf,
        /// What the operating system reported.
        #[source]
        source: std::io::Error,
    },
    /// The file exists but is not a database written by paperkg.
    #[error("{} is not a paperkg database: {reason}", path.display())]
    NotADatabase {
        /// The file.
        path: PathBuf,
        /// Why it was rejected.
        reason: String,
    },
    /// The file is a paperkg database of another schema version.
    #[error(
        "{} has paperkg schema version {found}, but this paperkg reads version {expected}; \
         rebuild it with `paperkg build`",
        path.display()
    )]
    SchemaVersion {
        /// The file.
        path: PathBuf,
        /// The version found in the file (`PRAGMA user_version`).
        found: i32,
        /// The version this build reads ([`sqlite::SCHEMA_VERSION`]).
        expected: i32,
    },
    /// Graphviz could not render a drawing.
    #[error("cannot render {}: {reason}", path.display())]
    Graphviz {
        /// The image that was to be written.
        path: PathBuf,
        /// Why: `dot` is missing (with how to install it), or what it reported.
        reason: String,
    },
    /// The data handed to a writer is inconsistent (a bug in the caller, not in the input).
    #[error("cannot write {}: {message}", path.display())]
    Invalid {
        /// The file being written.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}
