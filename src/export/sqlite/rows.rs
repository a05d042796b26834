//! The rows of one paper and how they are inserted: [`PaperInserts`] holds the prepared
//! multi-row `INSERT`s of the tables filled paper by paper (`papers`, `provenance`,
//! `mentions`, `paper_entities`, `evidence`) for the whole load, and counts the rows it
//! writes for `meta`.
//!
//! This module binds and inserts rows; it decides neither what they hold (the build does)
//! nor when the tables and indexes are created ([`super::SqliteWriter`]).

use std::cell::Cell;
use std::path::Path;

use rusqlite::Connection;

use super::{int, sql_error, Written};
use crate::export::ExportError;
use crate::extract::Mention;
use crate::graph::{EvidenceOf, EvidenceRecord, PaperLink};
use crate::ingest::{Provenance, Record};

/// Rows per multi-row `INSERT` of a [`BulkInsert`] (32 rows of 10 columns stay far below
/// SQLite's limit on parameters).
pub(super) const ROWS_PER_INSERT: usize = 32;

/// One table's `INSERT` prepared twice: for [`ROWS_PER_INSERT`] rows at once, and for one
/// row (the rest of a call). Many rows per statement keep SQLite's cursor open across
/// them, so appending in key order skips most of each B-tree search, and the work per
/// statement (stepping, resetting, opening cursors) is shared: on a 20k-paper build the
/// writer thread runs about a fifth fewer instructions than with one row per statement.
#[derive(Debug)]
pub(super) struct BulkInsert<'w> {
    many: rusqlite::Statement<'w>,
    one: rusqlite::Statement<'w>,
    /// Rows inserted into the table, by this and the inserts before, when they are
    /// counted.
    written: Option<&'w Cell<usize>>,
}

impl<'w> BulkInsert<'w> {
    /// Prepares `INSERT INTO table (columns) VALUES (?, …)` in both forms; the rows it
    /// inserts are added to `written`, if given.
    pub(super) fn prepare(
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
    pub(super) fn insert<T>(
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
pub(super) struct Binder<'s, 'w> {
    statement: &'s mut rusqlite::Statement<'w>,
    next: usize,
}

impl<'s, 'w> Binder<'s, 'w> {
    fn new(statement: &'s mut rusqlite::Statement<'w>) -> Self {
        Binder { statement, next: 1 }
    }

    /// Binds the next parameter.
    pub(super) fn bind(&mut self, value: impl rusqlite::ToSql) -> rusqlite::Result<()> {
        self.statement.raw_bind_parameter(self.next, value)?;
        self.next += 1;
        Ok(())
    }
}

/// One `papers` row: a new paper. `ordinal` becomes its `papers.id` (1-based, increasing,
/// as [`KnowledgeGraph::add_paper`](crate::graph::KnowledgeGraph::add_paper) assigns them); `key` is its identity key.
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
/// [`finish`](super::SqliteWriter::finish)).
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
/// [`KnowledgeGraph::add_paper_relations`](crate::graph::KnowledgeGraph::add_paper_relations)). An entity → entity relation it references is
/// written by [`finish`](super::SqliteWriter::finish).
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
/// paper → entity relations and evidence. Made by [`SqliteWriter::inserts`](super::SqliteWriter::inserts).
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

impl<'w> PaperInserts<'w> {
    /// Prepares the inserts on `conn`, counting their rows in `written`; errors name
    /// `target`.
    pub(super) fn prepare(
        conn: &'w Connection,
        written: &'w Written,
        target: &'w Path,
    ) -> Result<PaperInserts<'w>, ExportError> {
        let prepare = |table: &str, columns: &[&str], counted| {
            BulkInsert::prepare(conn, table, columns, counted).map_err(|e| sql_error(target, e))
        };
        let w = written;
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
            target,
        })
    }

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
