//! Reading a database's records back, for `paperkg build --append`.
//!
//! [`Replay`] yields every record a database was built from, in the order it was first
//! read: one [`Record`] per `provenance` row (rowid order), with the paper's stored title,
//! abstract, id, authors, categories and date and the row's original file and line. A
//! duplicate comes back as its paper's stored fields, which have the same identity key,
//! so feeding the replayed records to the build pipeline gives the same papers, ids and
//! provenance as the original build. Rows are read a page at a time: memory does not grow
//! with the database.
//!
//! [`Replay::already_read`] tells whether a new record is one the database already holds
//! (same key, same file and line), so that appending an input twice adds nothing.
//!
//! This module only reads (the connection is read-only); it does not extract entities or
//! write the new database.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

use super::StoreError;
use crate::export::sqlite::open_read_only;
use crate::ingest::{Provenance, Record};

/// Records fetched from the database per query.
const PAGE: i64 = 1024;

/// Facts about the build that wrote a database, carried into the appended build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PreviousBuild {
    /// The input paths of the previous build(s), as stored in `meta.inputs`.
    pub inputs: Vec<String>,
    /// Input problems reported by the previous build(s) (`meta.problems`).
    pub problems: usize,
    /// Records stored (rows of `provenance`).
    pub records: usize,
    /// Distinct papers stored.
    pub papers: usize,
}

/// The records of a paperkg database, in their original order.
///
/// An iterator of `Result<Record, StoreError>`; after an error it ends.
#[derive(Debug)]
pub struct Replay {
    conn: Connection,
    path: PathBuf,
    previous: PreviousBuild,
    /// Provenance rowid of the last record fetched.
    last_rowid: i64,
    page: VecDeque<Record>,
    done: bool,
}

impl Replay {
    /// Opens `path` read-only and reads its [`PreviousBuild`] facts.
    ///
    /// Fails when the file is missing, is not a paperkg database, or has another schema
    /// version (`StoreError::Open` wrapping `ExportError::SchemaVersion`).
    pub fn open(path: &Path) -> Result<Replay, StoreError> {
        let conn = open_read_only(path)?;
        let sql = |source| StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let damaged = |reason: String| StoreError::Damaged {
            path: path.to_path_buf(),
            reason,
        };
        let meta = |key: &str| -> Result<Option<String>, StoreError> {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| {
                r.get::<_, Option<String>>(0)
            })
            .optional()
            .map(Option::flatten)
            .map_err(sql)
        };
        let inputs = match meta("inputs")? {
            Some(json) => serde_json::from_str(&json).map_err(|e| {
                damaged(format!(
                    "meta value inputs is not a JSON list of strings: {e}"
                ))
            })?,
            None => Vec::new(),
        };
        let problems = match meta("problems")? {
            Some(v) => v
                .parse()
                .map_err(|_| damaged(format!("meta value problems = {v:?} is not a number")))?,
            None => 0,
        };
        let count = |q: &str| {
            conn.query_row(q, [], |r| r.get::<_, i64>(0))
                .map(|n| usize::try_from(n).unwrap_or(0))
                .map_err(sql)
        };
        let previous = PreviousBuild {
            inputs,
            problems,
            records: count("SELECT COUNT(*) FROM provenance")?,
            papers: count("SELECT COUNT(*) FROM papers")?,
        };
        Ok(Replay {
            conn,
            path: path.to_path_buf(),
            previous,
            last_rowid: 0,
            page: VecDeque::new(),
            done: false,
        })
    }

    /// What the database held when it was opened.
    pub fn previous(&self) -> &PreviousBuild {
        &self.previous
    }

    /// Whether the database already holds this record: a paper with identity `key` that
    /// was read from the same file (compared as stored, i.e. lossily as Unicode) and line.
    ///
    /// Two indexed look-ups (`papers.key`, `provenance_paper`); the database is not read
    /// into memory.
    pub fn already_read(&self, key: &str, source: &Provenance) -> Result<bool, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM papers p JOIN provenance pr ON pr.paper_id = p.id \
                 WHERE p.key = ?1 AND pr.file = ?2 AND pr.line = ?3)",
            )
            .and_then(|mut st| {
                st.query_row(
                    params![
                        key,
                        source.file.to_string_lossy(),
                        i64::try_from(source.line).unwrap_or(i64::MAX)
                    ],
                    |r| r.get(0),
                )
            })
            .map_err(|source| self.sql_err(source))
    }

    fn sql_err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Fetches the next page of records after `last_rowid`.
    fn fetch(&mut self) -> Result<(), StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT pr.rowid, pr.file, pr.line, p.arxiv_id, p.title, p.abstract, p.authors, \
                 p.categories, p.update_date FROM provenance pr JOIN papers p ON p.id = pr.paper_id \
                 WHERE pr.rowid > ?1 ORDER BY pr.rowid LIMIT ?2",
            )
            .map_err(|e| self.sql_err(e))?;
        let rows = st
            .query_map(params![self.last_rowid, PAGE], |r| {
                let rowid: i64 = r.get(0)?;
                let line: i64 = r.get(2)?;
                let record = Record {
                    id: r.get(3)?,
                    title: r.get(4)?,
                    abstract_text: r.get(5)?,
                    authors: r.get(6)?,
                    categories: r.get(7)?,
                    update_date: r.get(8)?,
                    source: Provenance {
                        file: PathBuf::from(r.get::<_, String>(1)?),
                        line: usize::try_from(line).unwrap_or(0),
                    },
                };
                Ok((rowid, record))
            })
            .map_err(|source| StoreError::Sqlite {
                path: self.path.clone(),
                source,
            })?;
        let mut page = VecDeque::new();
        let mut last = self.last_rowid;
        for row in rows {
            let (rowid, record) = row.map_err(|source| StoreError::Sqlite {
                path: self.path.clone(),
                source,
            })?;
            last = rowid;
            page.push_back(record);
        }
        drop(st);
        self.last_rowid = last;
        self.done = page.is_empty();
        self.page = page;
        Ok(())
    }
}

impl Iterator for Replay {
    type Item = Result<Record, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.page.is_empty() && !self.done {
            if let Err(e) = self.fetch() {
                self.done = true;
                return Some(Err(e));
            }
        }
        self.page.pop_front().map(Ok)
    }
}

impl std::iter::FusedIterator for Replay {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{build, BuildConfig, Silent};
    use crate::ingest::Records;
    use crate::{Extractor, Lexicon};

    /// Builds `input` into `dir/out` and returns that folder.
    fn build_into(dir: &Path, input: &Path) -> PathBuf {
        let out = dir.join("out");
        let extractor = Extractor::new(&Lexicon::builtin());
        build(
            &BuildConfig::new(vec![input.to_path_buf()], out.clone()),
            &extractor,
            &mut Silent,
        )
        .unwrap();
        out
    }

    fn jsonl(dir: &Path) -> PathBuf {
        let path = dir.join("in.jsonl");
        std::fs::write(
            &path,
            concat!(
                r#"{"id":"1","title":"LoRA for BERT","abstract":"We apply LoRA to BERT on GLUE.","authors":"A. B","categories":"cs.CL","update_date":"2024-01-02"}"#,
                "\n",
                r#"{"title":"Llama 2 on MMLU","abstract":"We test Llama 2 on MMLU."}"#,
                "\n",
                r#"{"id":"1","title":"LoRA for BERT (v2)","abstract":"A duplicate by id."}"#,
                "\n",
                r#"{"title":"LLAMA 2 on MMLU!","abstract":"A duplicate by title."}"#,
                "\n",
            ),
        )
        .unwrap();
        path
    }

    #[test]
    fn replays_every_record_in_order_with_its_provenance() {
        let dir = tempfile::tempdir().unwrap();
        let input = jsonl(dir.path());
        let out = build_into(dir.path(), &input);
        let replay = Replay::open(&out.join("kg.sqlite")).unwrap();
        assert_eq!(
            replay.previous(),
            &PreviousBuild {
                inputs: vec![input.display().to_string()],
                problems: 0,
                records: 4,
                papers: 2,
            }
        );
        let replayed: Vec<Record> = replay.map(Result::unwrap).collect();
        let read: Vec<Record> = Records::new(&[input], Default::default())
            .map(Result::unwrap)
            .collect();
        assert_eq!(replayed.len(), 4);
        // Same keys and provenance in the same order; first occurrences are identical.
        for (a, b) in replayed.iter().zip(&read) {
            assert_eq!((a.key(), &a.source), (b.key(), &b.source));
        }
        assert_eq!(replayed[0], read[0]);
        assert_eq!(replayed[1], read[1]);
        // A duplicate comes back with its paper's stored fields.
        assert_eq!(replayed[2].title, "LoRA for BERT");
        assert_eq!(replayed[2].authors.as_deref(), Some("A. B"));
    }

    #[test]
    fn already_read_needs_the_same_key_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let input = jsonl(dir.path());
        let out = build_into(dir.path(), &input);
        let replay = Replay::open(&out.join("kg.sqlite")).unwrap();
        let at = |line| Provenance {
            file: input.clone(),
            line,
        };
        assert!(replay.already_read("id:1", &at(1)).unwrap());
        assert!(replay.already_read("id:1", &at(3)).unwrap());
        assert!(!replay.already_read("id:1", &at(2)).unwrap());
        assert!(!replay.already_read("id:2", &at(1)).unwrap());
        let elsewhere = Provenance {
            file: PathBuf::from("other.jsonl"),
            line: 1,
        };
        assert!(!replay.already_read("id:1", &elsewhere).unwrap());
    }

    #[test]
    fn pages_through_more_records_than_one_page() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("many.jsonl");
        let n = usize::try_from(PAGE).unwrap() * 2 + 5;
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&format!(
                "{{\"id\":\"{}\",\"title\":\"Paper {i}\",\"abstract\":\"About BERT.\"}}\n",
                i % (n - 3)
            ));
        }
        std::fs::write(&input, text).unwrap();
        let out = build_into(dir.path(), &input);
        let lines: Vec<usize> = Replay::open(&out.join("kg.sqlite"))
            .unwrap()
            .map(|r| r.unwrap().source.line)
            .collect();
        assert_eq!(lines, (1..=n).collect::<Vec<_>>());
    }

    #[test]
    fn missing_database_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = Replay::open(&dir.path().join("nope.sqlite")).unwrap_err();
        assert!(err.to_string().contains("nope.sqlite"), "{err}");
    }
}
