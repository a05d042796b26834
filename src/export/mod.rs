//! Writing a built knowledge graph to files: the SQLite database and Graphviz DOT.
//!
//! * [`sqlite`] streams papers, provenance and mentions into a new database during the
//!   build ([`sqlite::SqliteWriter`]), writes entities and edges from the finished
//!   [`KnowledgeGraph`](crate::graph::KnowledgeGraph) at the end, and reads summary figures
//!   back ([`sqlite::read_stats`]).
//! * [`dot`] renders the whole graph, or the neighbourhood of one entity, as DOT text
//!   ([`dot::to_dot`], [`dot::write_dot`]).
//!
//! Both writers are atomic: they write a temporary file beside the target and rename it over
//! the target only once it is complete, so an interrupted or failed export never leaves a
//! half-written file or damages the previous one.
//!
//! This module does not build the graph, decide what a paper or entity is, or query a
//! database for the explore commands; it only writes (and checks) files.

mod atomic;
pub mod dot;
pub mod sqlite;

use std::path::PathBuf;

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
    /// The data handed to a writer is inconsistent (a bug in the caller, not in the input).
    #[error("cannot write {}: {message}", path.display())]
    Invalid {
        /// The file being written.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}
