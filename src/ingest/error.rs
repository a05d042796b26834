//! [`IngestError`]: one problem with the input, located by file and (where there is one) line.
//!
//! Every variant carries the path, and the 1-based line number where the problem has one, so
//! a message reads like `data/x.jsonl:12: malformed JSON: expected `,` or `}` (column 7)`.
//! None of these errors is fatal: [`super::Records`] yields it and reads on. This module does
//! not decide whether to stop; the caller does (for example on `--strict`).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// A problem with the input; reading goes on after it.
///
/// Display gives `path:line: message` (or `path: message` when there is no line), ready to
/// print to the user.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be opened (missing, permission denied, …).
    Open {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// Reading failed part-way through the file; the rest of the file is skipped.
    Read {
        /// The file.
        path: PathBuf,
        /// The line being read when it failed, if any had been started.
        line: Option<usize>,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A directory (or an entry in it) could not be listed, or a symlink loop was found.
    Walk {
        /// The directory or entry.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The gzip stream is corrupt or truncated; the rest of the file is skipped.
    CorruptGzip {
        /// The file.
        path: PathBuf,
        /// The line reached when decompression failed.
        line: Option<usize>,
        /// What the decoder reported.
        message: String,
    },
    /// The file holds binary data (NUL bytes, or mostly non-text bytes, near its start).
    Binary {
        /// The file.
        path: PathBuf,
    },
    /// The file yielded nothing: it is empty, or only whitespace and page chrome.
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A line is not valid UTF-8; it is skipped.
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// The line.
        line: usize,
    },
    /// The file is larger than
    /// [`IngestOptions::max_file_bytes`](super::IngestOptions::max_file_bytes) (counted after
    /// decompression); the records before the limit are kept, the rest is skipped.
    FileTooLarge {
        /// The file.
        path: PathBuf,
        /// The line being read when the limit was reached.
        line: Option<usize>,
        /// The limit in bytes.
        max: u64,
    },
    /// A line (or a JSON array element) is longer than
    /// [`IngestOptions::max_line_bytes`](super::IngestOptions::max_line_bytes); it is skipped.
    LineTooLong {
        /// The file.
        path: PathBuf,
        /// The line (where the element starts, in a JSON array).
        line: usize,
        /// Its length in bytes.
        len: u64,
        /// The limit.
        max: usize,
    },
    /// A line (or JSON array element) is not valid JSON.
    MalformedJson {
        /// The file.
        path: PathBuf,
        /// The line the parser stopped on.
        line: usize,
        /// The parser's message, without its own location.
        message: String,
    },
    /// A JSON value where a paper object was expected is not an object.
    NotAnObject {
        /// The file.
        path: PathBuf,
        /// The line.
        line: usize,
        /// What was found instead, e.g. `an array`.
        found: &'static str,
    },
    /// A required field (`title` or `abstract`) is absent or `null`.
    MissingField {
        /// The file.
        path: PathBuf,
        /// The line.
        line: usize,
        /// The field name.
        field: &'static str,
    },
    /// A field has the wrong type, or a required string is empty.
    BadField {
        /// The file.
        path: PathBuf,
        /// The line.
        line: usize,
        /// The field name.
        field: &'static str,
        /// What was expected and what was found.
        message: String,
    },
    /// In a listing page, a title is not followed by an abstract; the title is skipped.
    MissingAbstract {
        /// The file.
        path: PathBuf,
        /// The title's line.
        line: usize,
        /// The title.
        title: String,
    },
    /// In a listing page, an abstract has no title before it; it is skipped.
    OrphanAbstract {
        /// The file.
        path: PathBuf,
        /// The abstract's line.
        line: usize,
    },
}

impl IngestError {
    /// The file the problem is in.
    pub fn path(&self) -> &Path {
        match self {
            IngestError::Open { path, .. }
            | IngestError::Read { path, .. }
            | IngestError::Walk { path, .. }
            | IngestError::CorruptGzip { path, .. }
            | IngestError::Binary { path }
            | IngestError::Empty { path }
            | IngestError::FileTooLarge { path, .. }
            | IngestError::InvalidUtf8 { path, .. }
            | IngestError::LineTooLong { path, .. }
            | IngestError::MalformedJson { path, .. }
            | IngestError::NotAnObject { path, .. }
            | IngestError::MissingField { path, .. }
            | IngestError::BadField { path, .. }
            | IngestError::MissingAbstract { path, .. }
            | IngestError::OrphanAbstract { path, .. } => path,
        }
    }

    /// The 1-based line the problem is on, when it has one.
    pub fn line(&self) -> Option<usize> {
        match self {
            IngestError::Open { .. }
            | IngestError::Walk { .. }
            | IngestError::Binary { .. }
            | IngestError::Empty { .. } => None,
            IngestError::Read { line, .. }
            | IngestError::CorruptGzip { line, .. }
            | IngestError::FileTooLarge { line, .. } => *line,
            IngestError::InvalidUtf8 { line, .. }
            | IngestError::LineTooLong { line, .. }
            | IngestError::MalformedJson { line, .. }
            | IngestError::NotAnObject { line, .. }
            | IngestError::MissingField { line, .. }
            | IngestError::BadField { line, .. }
            | IngestError::MissingAbstract { line, .. }
            | IngestError::OrphanAbstract { line, .. } => Some(*line),
        }
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path().display())?;
        if let Some(line) = self.line() {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        match self {
            IngestError::Open { source, .. } => write!(f, "cannot open: {source}"),
            IngestError::Read { source, .. } => write!(f, "read error: {source}"),
            IngestError::Walk { message, .. } => write!(f, "cannot walk directory: {message}"),
            IngestError::CorruptGzip { message, .. } => write!(f, "corrupt gzip data: {message}"),
            IngestError::Binary { .. } => f.write_str("not a text file (binary data)"),
            IngestError::Empty { .. } => f.write_str("no papers in this file (empty)"),
            IngestError::InvalidUtf8 { .. } => f.write_str("invalid UTF-8; line skipped"),
            IngestError::FileTooLarge { max, .. } => write!(
                f,
                "file larger than the limit of {max} bytes; the rest of the file is skipped"
            ),
            IngestError::LineTooLong { len, max, .. } => {
                write!(f, "line too long ({len} bytes, limit {max}); skipped")
            }
            IngestError::MalformedJson { message, .. } => write!(f, "malformed JSON: {message}"),
            IngestError::NotAnObject { found, .. } => {
                write!(f, "expected a JSON object, found {found}")
            }
            IngestError::MissingField { field, .. } => write!(f, "missing field `{field}`"),
            IngestError::BadField { field, message, .. } => {
                write!(f, "bad field `{field}`: {message}")
            }
            IngestError::MissingAbstract { title, .. } => {
                write!(f, "title without an abstract: {title:?}")
            }
            IngestError::OrphanAbstract { .. } => f.write_str("abstract without a title; skipped"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_path_and_line() {
        let e = IngestError::MalformedJson {
            path: PathBuf::from("data/x.jsonl"),
            line: 12,
            message: "expected `,` or `}` (column 7)".into(),
        };
        assert_eq!(
            e.to_string(),
            "data/x.jsonl:12: malformed JSON: expected `,` or `}` (column 7)"
        );
        assert_eq!(e.line(), Some(12));
        assert_eq!(e.path(), Path::new("data/x.jsonl"));
    }

    #[test]
    fn display_without_line() {
        let e = IngestError::Binary {
            path: PathBuf::from("data/y.txt"),
        };
        assert_eq!(e.to_string(), "data/y.txt: not a text file (binary data)");
        assert_eq!(e.line(), None);
    }

    #[test]
    fn errors_are_send_sync_static() {
        fn check<T: std::error::Error + Send + Sync + 'static>() {}
        check::<IngestError>();
    }
}
