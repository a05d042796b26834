//! Reading paper listings into [`Record`]s.
//!
//! Supported inputs: Hugging Face daily-papers listing pages saved as text (both the
//! blank-line-separated and the dense layout), and arXiv-metadata JSON Lines or JSON arrays,
//! each plain or gzip-compressed. A directory is read recursively. Records are streamed:
//! nothing holds a whole corpus in memory.
//!
//! This module does not deduplicate papers or extract entities; it only yields one
//! [`Record`] per occurrence with its [`Provenance`], and an [`IngestError`] for every
//! problem, after which reading goes on.
//!
//! Main types: [`Records`] (the streaming iterator), [`IngestOptions`], [`IngestError`];
//! helpers [`total_bytes`] (progress-bar length) and [`is_supported`]. Inside: `source`
//! (files, gzip, directories, format choice), `listing` (listing pages), `json` (JSON Lines
//! and arrays), `lines` (bounded line reading), `error`.

use std::path::PathBuf;

mod error;
mod json;
mod lines;
mod listing;
mod source;

pub use error::IngestError;
pub use source::{is_supported, read_stream, total_bytes, IngestOptions, Records};

/// Where a record was read from: the file and the 1-based line its title starts on.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Provenance {
    /// The file as given on the command line (or found under a directory argument).
    pub file: PathBuf,
    /// 1-based line number of the record (the title line, or the JSON line).
    pub line: usize,
}

/// One occurrence of a paper in an input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The arXiv id (or other id field) when the input has one.
    pub id: Option<String>,
    /// The title, page chrome removed, whitespace trimmed.
    pub title: String,
    /// The abstract, whitespace trimmed.
    pub abstract_text: String,
    /// Authors as one string, when the input has them.
    pub authors: Option<String>,
    /// arXiv categories as one string (e.g. `cs.CL cs.LG`), when the input has them.
    pub categories: Option<String>,
    /// Last update date as written in the input, when it has one.
    pub update_date: Option<String>,
    /// Where the record came from.
    pub source: Provenance,
}

impl Record {
    /// The paper's identity: its id when it has one, else its normalised title.
    ///
    /// Two records with the same key are the same paper.
    pub fn key(&self) -> String {
        match &self.id {
            Some(id) if !id.trim().is_empty() => format!("id:{}", id.trim()),
            _ => format!("title:{}", normalize_title(&self.title)),
        }
    }
}

/// Folds a title for identity: lowercase, punctuation dropped, runs of whitespace as one space.
pub fn normalize_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut pending_space = false;
    for c in title.chars() {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            pending_space = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_title_folds_case_space_and_punctuation() {
        assert_eq!(
            normalize_title("  LLaMA-Adapter:  Efficient\tFine-tuning! "),
            "llamaadapter efficient finetuning"
        );
        assert_eq!(normalize_title("A  b"), normalize_title("a b"));
    }

    #[test]
    fn key_prefers_id() {
        let mut r = Record {
            id: Some("2401.00001".into()),
            title: "T".into(),
            abstract_text: String::new(),
            authors: None,
            categories: None,
            update_date: None,
            source: Provenance {
                file: PathBuf::from("x"),
                line: 1,
            },
        };
        assert_eq!(r.key(), "id:2401.00001");
        r.id = None;
        assert_eq!(r.key(), "title:t");
    }
}
