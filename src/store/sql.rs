//! Running a user's SQL on a built database for `paperkg sql`, read-only.
//!
//! [`SqlSession::open`] opens the database with `SQLITE_OPEN_READ_ONLY`, sets
//! `PRAGMA query_only = ON` and SQLite's defensive mode, and checks that it is a paperkg
//! database of this schema. [`SqlSession::run`] splits a script into statements
//! ([`split_statements`]: semicolons outside quotes, identifiers and comments), prepares
//! each in turn, refuses any statement that would write ([`SqlError::WouldWrite`], checked
//! with `sqlite3_stmt_readonly` before it runs), and hands each statement's columns and
//! rows to the caller. Errors name the statement's number, its first line, and the line and
//! column SQLite points at, in the script's own numbering.
//!
//! Three independent locks keep the graph unchanged whatever the script says: the
//! read-only file handle, `query_only`, and the statement check.
//!
//! This module formats nothing (see the `sql` command).

use std::path::{Path, PathBuf};

use rusqlite::config::DbConfig;
use rusqlite::types::Value;
use rusqlite::Connection;

use super::StoreError;
use crate::export::sqlite::open_read_only;

/// Why a script stopped.
#[derive(Debug, thiserror::Error)]
pub enum SqlError {
    /// The database could not be opened read-only.
    #[error(transparent)]
    Open(#[from] StoreError),
    /// SQLite rejected a statement, or it failed while running.
    #[error("statement {} ({}): {message}{}", at.number, at.describe(), at.position())]
    Statement {
        /// Where.
        at: Location,
        /// What SQLite reported.
        message: String,
    },
    /// A statement would change the database.
    #[error(
        "statement {} ({}) would change the database; paperkg sql is read-only \
         (use `sqlite3` on a copy to experiment with changes)",
        at.number,
        at.describe()
    )]
    WouldWrite {
        /// Where.
        at: Location,
    },
    /// Handing the results on failed (e.g. stdout closed).
    #[error("writing the results")]
    Output(#[from] std::io::Error),
}

/// Where a statement is in the script, and where in it SQLite found the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// 1-based statement number.
    pub number: usize,
    /// 1-based line of the statement's first token in the script.
    pub line: usize,
    /// The statement's first line (from its first token), shortened.
    pub first_line: String,
    /// 1-based line and column (in characters) of the problem, when SQLite reports one.
    pub error_at: Option<(usize, usize)>,
}

impl Location {
    fn describe(&self) -> String {
        format!("line {}: `{}`", self.line, self.first_line)
    }

    fn position(&self) -> String {
        match self.error_at {
            Some((line, column)) => format!(" at line {line}, column {column}"),
            None => String::new(),
        }
    }
}

/// One statement's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct StatementResult {
    /// 1-based statement number.
    pub number: usize,
    /// Column names (empty for a statement that returns no columns).
    pub columns: Vec<String>,
    /// Rows, each with one value per column.
    pub rows: Vec<Vec<Value>>,
}

/// A statement of a script: its text and where it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece<'a> {
    /// The statement's text, from just after the previous `;` through its own `;`
    /// (comments and whitespace before it included).
    pub text: &'a str,
    /// Byte offset of `text` in the script.
    pub start: usize,
    /// Byte offset of the first token in the script.
    pub token: usize,
}

/// Splits a script at the semicolons that end statements: not those inside '…' strings,
/// "…", `…` or […] identifiers, `--` line comments or `/* */` block comments. Pieces that
/// hold only whitespace and comments are left out; a last statement needs no `;`.
///
/// (A `CREATE TRIGGER … BEGIN …; END` body is split at its inner semicolons; it could not
/// run on a read-only connection anyway.)
///
/// # Complexity
/// O(n) in the script's length.
pub fn split_statements(script: &str) -> Vec<Piece<'_>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Normal,
        Quoted(u8),
        LineComment,
        BlockComment,
    }
    let bytes = script.as_bytes();
    let mut pieces = Vec::new();
    let mut state = State::Normal;
    let mut start = 0;
    let mut token: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        match state {
            State::Normal => match b {
                b'\'' | b'"' | b'`' => {
                    token.get_or_insert(i);
                    state = State::Quoted(b);
                }
                b'[' => {
                    token.get_or_insert(i);
                    state = State::Quoted(b']');
                }
                b'-' if next == Some(b'-') => {
                    state = State::LineComment;
                    i += 1;
                }
                b'/' if next == Some(b'*') => {
                    state = State::BlockComment;
                    i += 1;
                }
                b';' => {
                    if let Some(t) = token.take() {
                        pieces.push(Piece {
                            text: &script[start..=i],
                            start,
                            token: t,
                        });
                    }
                    start = i + 1;
                }
                b if b.is_ascii_whitespace() => {}
                _ => {
                    token.get_or_insert(i);
                }
            },
            State::Quoted(end) => {
                if b == end {
                    state = State::Normal;
                }
            }
            State::LineComment => {
                if b == b'\n' {
                    state = State::Normal;
                }
            }
            State::BlockComment => {
                if b == b'*' && next == Some(b'/') {
                    state = State::Normal;
                    i += 1;
                }
            }
        }
        i += 1;
    }
    if let Some(t) = token {
        pieces.push(Piece {
            text: &script[start..],
            start,
            token: t,
        });
    }
    pieces
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Longest first line shown in an error.
const FIRST_LINE_CHARS: usize = 60;

fn location(script: &str, number: usize, piece: &Piece<'_>) -> Location {
    let rest = &script[piece.token..piece.start + piece.text.len()];
    let line = rest.lines().next().unwrap_or("").trim_end();
    let mut first_line: String = line.chars().take(FIRST_LINE_CHARS).collect();
    if line.chars().count() > FIRST_LINE_CHARS {
        first_line.push('…');
    }
    Location {
        number,
        line: line_column(script, piece.token).0,
        first_line,
        error_at: None,
    }
}

/// A database opened for `paperkg sql`: read-only three ways (see the module docs).
#[derive(Debug)]
pub struct SqlSession {
    conn: Connection,
    path: PathBuf,
}

impl SqlSession {
    /// Opens the paperkg database at `path` read-only.
    pub fn open(path: &Path) -> Result<SqlSession, SqlError> {
        let conn = open_read_only(path).map_err(StoreError::from)?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
            .map_err(|source| StoreError::Sqlite {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(SqlSession {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The database's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs every statement of `script` in order, handing each one's result to `each` as
    /// soon as it is complete. Returns the number of statements run.
    ///
    /// Stops at the first statement SQLite rejects or that would write, naming it; results
    /// of the statements before it have been handed on already.
    pub fn run(
        &self,
        script: &str,
        mut each: impl FnMut(&StatementResult) -> std::io::Result<()>,
    ) -> Result<usize, SqlError> {
        let pieces = split_statements(script);
        for (i, piece) in pieces.iter().enumerate() {
            let number = i + 1;
            let at = || location(script, number, piece);
            let failed = |e: rusqlite::Error| {
                let mut at = at();
                let message = match e {
                    rusqlite::Error::SqlInputError { msg, offset, .. } => {
                        let offset = usize::try_from(offset).unwrap_or(0);
                        at.error_at = Some(line_column(script, piece.start + offset));
                        msg
                    }
                    rusqlite::Error::SqliteFailure(_, Some(msg)) => msg,
                    other => other.to_string(),
                };
                SqlError::Statement { at, message }
            };
            let mut st = self.conn.prepare(piece.text).map_err(failed)?;
            if !st.readonly() {
                return Err(SqlError::WouldWrite { at: at() });
            }
            let columns: Vec<String> = st.column_names().map(str::to_string).collect();
            let width = columns.len();
            let mut rows = Vec::new();
            let mut cursor = st.query([]).map_err(failed)?;
            while let Some(row) = cursor.next().map_err(failed)? {
                let mut values = Vec::with_capacity(width);
                for c in 0..width {
                    values.push(row.get::<_, Value>(c).map_err(failed)?);
                }
                rows.push(values);
            }
            drop(cursor);
            drop(st);
            // `PRAGMA query_only = OFF` reads as read-only to SQLite; undo it and refuse.
            let still_locked: bool = self
                .conn
                .pragma_query_value(None, "query_only", |r| r.get(0))
                .map_err(failed)?;
            if !still_locked {
                self.conn
                    .pragma_update(None, "query_only", true)
                    .map_err(failed)?;
                return Err(SqlError::WouldWrite { at: at() });
            }
            each(&StatementResult {
                number,
                columns,
                rows,
            })?;
        }
        Ok(pieces.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(script: &str) -> Vec<&str> {
        split_statements(script)
            .iter()
            .map(|p| p.text.trim())
            .collect()
    }

    #[test]
    fn split_respects_quotes_identifiers_and_comments() {
        assert_eq!(texts("SELECT 1; SELECT 2"), ["SELECT 1;", "SELECT 2"]);
        assert_eq!(
            texts("SELECT 'a;b', \"c;d\", `e;f`, [g;h];"),
            ["SELECT 'a;b', \"c;d\", `e;f`, [g;h];"]
        );
        assert_eq!(texts("SELECT 'it''s; fine';"), ["SELECT 'it''s; fine';"]);
        assert_eq!(
            texts("-- a; comment\nSELECT 1; /* b; */ SELECT 2; -- tail;\n"),
            ["-- a; comment\nSELECT 1;", "/* b; */ SELECT 2;"]
        );
        assert!(texts("  -- only a comment;\n /* and; this */ ;; ").is_empty());
        assert!(texts("").is_empty());
    }

    #[test]
    fn pieces_know_where_their_first_token_is() {
        let script = "-- header\n\nSELECT 1;\n  SELECT\n  2;";
        let pieces = split_statements(script);
        assert_eq!(line_column(script, pieces[0].token), (3, 1));
        assert_eq!(line_column(script, pieces[1].token), (4, 3));
        assert_eq!(location(script, 2, &pieces[1]).first_line, "SELECT");
        assert_eq!(line_column("ab\ncdé f", 7), (2, 4));
    }
}
