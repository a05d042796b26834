//! Reading a built database back for the explore commands.
//!
//! [`Store::open`] opens a paperkg database read-only (checking its format and schema
//! version) and answers the indexed look-ups the commands need: entities by id, name
//! resolution through aliases and case with closest-name suggestions ([`resolve`]),
//! relations of one entity, evidence sentences sliced out of the stored titles and
//! abstracts, papers naming an entity. [`Store::load_graph`] loads every entity and entity →
//! entity relation into a petgraph [`EntityGraph`] for the whole-graph algorithms of
//! [`crate::graph::algo`]. [`explore`] puts these together into one report per command;
//! [`export`] reads the selection the graph files and drawings are written from; [`replay`]
//! reads the records back for `build --append`; [`sql`] runs a user's SQL on a read-only
//! connection for `paperkg sql`. [`subgraph`] loads the part of the graph around one or
//! two entities through the indexes, and [`reach`] searches layer by layer without loading
//! it, scanning every relation (`scan.rs`) once a layer touches many.
//!
//! This module never writes: the connection is read-only, and a missing file is an error,
//! never created. It does not build databases (see [`crate::export::sqlite`]).

pub mod explore;
pub mod export;
pub mod reach;
pub mod replay;
pub mod resolve;
mod scan;
pub mod sql;
pub mod subgraph;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use petgraph::graph::NodeIndex;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use crate::export::sqlite::{open_read_only, recorded_count};
use crate::export::ExportError;
use crate::extract::EntityType;
use crate::graph::algo::{EntityGraph, EntityInfo, LinkInfo};
use crate::graph::{EntityRelation, PaperRelation};

/// Why a look-up in a database failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened, or is not a paperkg database of this schema.
    #[error(transparent)]
    Open(#[from] ExportError),
    /// SQLite failed on a query.
    #[error("SQLite error reading {}", path.display())]
    Sqlite {
        /// The database.
        path: PathBuf,
        /// What SQLite reported.
        #[source]
        source: rusqlite::Error,
    },
    /// A row holds a value paperkg never writes.
    #[error("{}: damaged database: {reason}", path.display())]
    Damaged {
        /// The database.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// No entity has this name or alias (in any case or spelling variant).
    #[error("{}", unknown_name_message(name, suggestions))]
    UnknownName {
        /// The name asked for.
        name: String,
        /// The closest names, best first (possibly none).
        suggestions: Vec<String>,
    },
}

fn unknown_name_message(name: &str, suggestions: &[String]) -> String {
    let mut msg = format!("no entity named {name:?}");
    match suggestions {
        [] => msg.push_str(" (try `paperkg top` for the best-known names)"),
        [one] => msg.push_str(&format!("; did you mean {one:?}?")),
        many => {
            let quoted: Vec<String> = many.iter().map(|s| format!("{s:?}")).collect();
            msg.push_str(&format!("; did you mean one of {}?", quoted.join(", ")));
        }
    }
    msg
}

/// An entity as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityRow {
    /// Its id (`entities.id`).
    pub id: i64,
    /// Canonical name.
    pub name: String,
    /// `model`, `method` or `dataset`.
    #[serde(rename = "type", serialize_with = "ser_kind")]
    pub kind: EntityType,
    /// The family's canonical name, if it is a variant of one.
    pub family: Option<String>,
    /// The family's entity id.
    pub parent_id: Option<i64>,
    /// Papers naming it; 0 for a family only named as the parent of a variant.
    pub papers: usize,
    /// Mentions of it.
    pub mentions: usize,
}

fn ser_kind<S: serde::Serializer>(kind: &EntityType, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.as_str())
}

/// A paper, as listed by the explore commands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PaperRef {
    /// Its id (`papers.id`).
    pub id: i64,
    /// Its arXiv id, when known.
    pub arxiv_id: Option<String>,
    /// Its title.
    pub title: String,
}

/// One piece of evidence with its sentence: why a relation is in the graph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvidenceText {
    /// The paper it is from.
    pub paper: PaperRef,
    /// The relation it supports.
    pub relation: String,
    /// `title` or `abstract`.
    pub field: String,
    /// Character offset of the sentence in that field.
    pub char_start: usize,
    /// Character offset just past the sentence.
    pub char_end: usize,
    /// The rule that produced the relation.
    pub rule: String,
    /// The sentence, sliced from the stored field (whitespace runs shown as one space).
    pub sentence: String,
}

/// An entity → entity relation seen from one of its ends.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkRow {
    /// The entity at the other end.
    pub other: EntityRow,
    /// The relation.
    pub relation: String,
    /// `out` when the entity asked about is the source (`LoRA based_on X`), `in` when it is
    /// the target, `both` for the undirected `co_mentioned`.
    pub direction: &'static str,
    /// Papers supporting it.
    pub support: usize,
    /// Papers with a sentence naming both.
    pub sentences: usize,
    /// Pointwise mutual information (bits) of a `co_mentioned` pair.
    pub pmi: Option<f64>,
}

impl LinkRow {
    /// The [`LinkInfo`] of this row, for ranking by [`LinkInfo::strength`].
    pub fn info(&self) -> Option<LinkInfo> {
        Some(LinkInfo {
            relation: self.relation.parse().ok()?,
            support: self.support,
            sentences: self.sentences,
            pmi: self.pmi,
        })
    }
}

/// A paper and how it relates to one entity, strongest relation first.
pub type PaperRelations = (PaperRef, Vec<PaperRelation>);

/// The entity graph loaded from a database, with the node of each entity id.
#[derive(Debug, Default)]
pub struct LoadedGraph {
    /// Entities and their relations.
    pub graph: EntityGraph,
    index: HashMap<i64, NodeIndex>,
}

impl LoadedGraph {
    /// The node of entity `id`.
    pub fn node(&self, id: i64) -> Option<NodeIndex> {
        self.index.get(&id).copied()
    }

    /// Adds an entity as a node.
    fn add_entity(&mut self, e: EntityRow) {
        let id = e.id;
        let node = self.graph.add_node(EntityInfo {
            id,
            name: e.name,
            kind: e.kind,
            family: e.family,
            papers: e.papers,
            mentions: e.mentions,
        });
        self.index.insert(id, node);
    }

    /// Adds a relation between two entities already added; the reason it is damaged when
    /// one is missing.
    fn add_link(&mut self, source: i64, target: i64, link: LinkInfo) -> Result<(), String> {
        match (self.node(source), self.node(target)) {
            (Some(a), Some(b)) => {
                self.graph.add_edge(a, b, link);
                Ok(())
            }
            _ => Err(format!("edge {source} → {target} names a missing entity")),
        }
    }
}

/// A paperkg database opened read-only.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Every SQL text run through [`Store::rows`], for the index-usage test.
    #[cfg(test)]
    seen: std::cell::RefCell<Vec<String>>,
}

/// Columns of [`EntityRow`], in [`entity_row`] order, for `entities e`.
const ENTITY_COLUMNS: &str =
    "e.id, e.name, e.type, e.family, e.parent_id, e.paper_count, e.mention_count";

impl Store {
    /// Opens the database at `path` read-only.
    ///
    /// Fails, naming `path`, when the file is missing, is not an SQLite database, is not a
    /// paperkg database, or has another schema version (e.g. one built by an older
    /// paperkg: rebuild it).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = open_read_only(path)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            #[cfg(test)]
            seen: std::cell::RefCell::default(),
        })
    }

    /// The database's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn damaged(&self, reason: String) -> StoreError {
        StoreError::Damaged {
            path: self.path.clone(),
            reason,
        }
    }

    /// Runs `sql` with `params` and collects each row through `f`, which may reject a row
    /// as damaged.
    fn rows<T, P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
        f: impl Fn(&Row<'_>) -> rusqlite::Result<Result<T, String>>,
    ) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        self.each_row(sql, params, |r| Ok(f(r)?.map(|row| out.push(row))))?;
        Ok(out)
    }

    /// Runs `sql` with `params` and hands each row to `f`, which may reject it as damaged:
    /// [`Store::rows`] without collecting, for reading more rows than are worth holding.
    fn each_row<P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
        mut f: impl FnMut(&Row<'_>) -> rusqlite::Result<Result<(), String>>,
    ) -> Result<(), StoreError> {
        #[cfg(test)]
        self.seen.borrow_mut().push(sql.to_owned());
        let mut st = self.conn.prepare_cached(sql).map_err(|e| self.sql(e))?;
        let mut rows = st.query(params).map_err(|e| self.sql(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql(e))? {
            f(row)
                .map_err(|e| self.sql(e))?
                .map_err(|r| self.damaged(r))?;
        }
        Ok(())
    }

    /// The entity with this id, if any.
    pub fn entity(&self, id: i64) -> Result<Option<EntityRow>, StoreError> {
        let sql = format!("SELECT {ENTITY_COLUMNS} FROM entities e WHERE e.id = ?1");
        Ok(self.rows(&sql, [id], entity_row)?.into_iter().next())
    }

    /// Every alias of an entity (its canonical name included), sorted.
    pub fn aliases(&self, id: i64) -> Result<Vec<String>, StoreError> {
        self.rows(
            "SELECT alias FROM aliases WHERE entity_id = ?1 ORDER BY alias",
            [id],
            |r| Ok(Ok(r.get(0)?)),
        )
    }

    /// The entities whose family is entity `id`, most-mentioned first.
    pub fn variants(&self, id: i64) -> Result<Vec<EntityRow>, StoreError> {
        let sql = format!(
            "SELECT {ENTITY_COLUMNS} FROM entities e WHERE e.parent_id = ?1 \
             ORDER BY e.paper_count DESC, e.name, e.id"
        );
        self.rows(&sql, [id], entity_row)
    }

    /// How many papers relate to entity `id` in each way, in [`PaperRelation::ALL`] order
    /// (relations with no paper left out).
    pub fn paper_relation_counts(
        &self,
        id: i64,
    ) -> Result<Vec<(PaperRelation, usize)>, StoreError> {
        let mut out: Vec<(PaperRelation, usize)> = self.rows(
            "SELECT relation, COUNT(*) FROM paper_entities WHERE entity_id = ?1 GROUP BY relation",
            [id],
            |r| {
                let rel: String = r.get(0)?;
                let n: i64 = r.get(1)?;
                Ok(rel.parse::<PaperRelation>().map(|rel| (rel, size(n))))
            },
        )?;
        out.sort();
        Ok(out)
    }

    /// Every entity → entity relation of entity `id`, both directions, unsorted.
    pub fn links(&self, id: i64) -> Result<Vec<LinkRow>, StoreError> {
        let sql = format!(
            "SELECT {ENTITY_COLUMNS}, x.relation, x.dir, x.support, x.sentences, x.pmi FROM \
             (SELECT target_id AS other, relation, 'out' AS dir, support, sentences, pmi \
                FROM edges WHERE source_id = ?1 \
              UNION ALL \
              SELECT source_id, relation, 'in', support, sentences, pmi \
                FROM edges WHERE target_id = ?1) x \
             JOIN entities e ON e.id = x.other"
        );
        self.rows(&sql, [id], link_row)
    }

    /// The entity → entity relations between `a` and `b`, either way round, in
    /// [`EntityRelation::ALL`] order, seen from `a` (`other` is `b`).
    pub fn links_between(&self, a: i64, b: i64) -> Result<Vec<LinkRow>, StoreError> {
        let sql = format!(
            "SELECT {ENTITY_COLUMNS}, x.relation, x.dir, x.support, x.sentences, x.pmi FROM \
             (SELECT target_id AS other, relation, 'out' AS dir, support, sentences, pmi \
                FROM edges WHERE source_id = ?1 AND target_id = ?2 \
              UNION ALL \
              SELECT source_id, relation, 'in', support, sentences, pmi \
                FROM edges WHERE source_id = ?2 AND target_id = ?1) x \
             JOIN entities e ON e.id = x.other"
        );
        let mut out = self.rows(&sql, params![a, b], link_row)?;
        out.sort_by_key(|l| {
            l.relation
                .parse::<EntityRelation>()
                .map_or(usize::MAX, |r| r as usize)
        });
        Ok(out)
    }

    /// The evidence of entity → entity relation `source` → `target` (for `co_mentioned`,
    /// give the lower id first), at most `limit` rows, in paper order.
    pub fn link_evidence(
        &self,
        source: i64,
        target: i64,
        relation: EntityRelation,
        limit: usize,
    ) -> Result<Vec<EvidenceText>, StoreError> {
        self.evidence_rows(
            "SELECT v.paper_id, p.arxiv_id, p.title, p.abstract, v.relation, v.field, \
             v.char_start, v.char_end, v.rule FROM evidence v JOIN papers p ON p.id = v.paper_id \
             WHERE v.source_id = ?1 AND v.target_id = ?2 AND v.relation = ?3 \
             ORDER BY v.paper_id, v.field DESC, v.char_start LIMIT ?4",
            params![source, target, relation.as_str(), limit_param(limit)],
        )
    }

    /// The evidence of paper `paper`'s relations to entity `entity`, in relation order then
    /// text order.
    pub fn paper_entity_evidence(
        &self,
        paper: i64,
        entity: i64,
    ) -> Result<Vec<EvidenceText>, StoreError> {
        let mut out = self.evidence_rows(
            "SELECT v.paper_id, p.arxiv_id, p.title, p.abstract, v.relation, v.field, \
             v.char_start, v.char_end, v.rule FROM evidence v JOIN papers p ON p.id = v.paper_id \
             WHERE v.entity_id = ?1 AND v.paper_id = ?2 \
             ORDER BY v.field DESC, v.char_start",
            params![entity, paper],
        )?;
        out.sort_by_key(|e| {
            e.relation
                .parse::<PaperRelation>()
                .map_or(usize::MAX, |r| r as usize)
        });
        Ok(out)
    }

    fn evidence_rows<P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
    ) -> Result<Vec<EvidenceText>, StoreError> {
        self.rows(sql, params, |r| {
            let title: String = r.get(2)?;
            let abstract_text: String = r.get(3)?;
            let field: String = r.get(5)?;
            let start = size(r.get(6)?);
            let end = size(r.get(7)?);
            let text = match field.as_str() {
                "title" => &title,
                "abstract" => &abstract_text,
                other => return Ok(Err(format!("evidence field {other:?}"))),
            };
            Ok(Ok(EvidenceText {
                sentence: slice_chars(text, start, end),
                paper: PaperRef {
                    id: r.get(0)?,
                    arxiv_id: r.get(1)?,
                    title: one_line(&title),
                },
                relation: r.get(4)?,
                field,
                char_start: start,
                char_end: end,
                rule: r.get(8)?,
            }))
        })
    }

    /// The papers relating to entity `id` (optionally only by `relation`): each paper once
    /// with its relations in [`PaperRelation::ALL`] order, strongest relation first, then by
    /// paper id. Returns the total number of such papers and the first `limit`.
    pub fn papers_of(
        &self,
        id: i64,
        relation: Option<PaperRelation>,
        limit: usize,
    ) -> Result<(usize, Vec<PaperRelations>), StoreError> {
        let rows: Vec<(i64, PaperRelation)> = self.rows(
            "SELECT paper_id, relation FROM paper_entities WHERE entity_id = ?1",
            [id],
            |r| {
                let paper: i64 = r.get(0)?;
                let rel: String = r.get(1)?;
                Ok(rel.parse::<PaperRelation>().map(|rel| (paper, rel)))
            },
        )?;
        let mut by_paper: HashMap<i64, Vec<PaperRelation>> = HashMap::new();
        for (paper, rel) in rows {
            by_paper.entry(paper).or_default().push(rel);
        }
        let mut papers: Vec<(i64, Vec<PaperRelation>)> = by_paper
            .into_iter()
            .filter(|(_, rels)| relation.is_none_or(|r| rels.contains(&r)))
            .map(|(p, mut rels)| {
                rels.sort();
                (p, rels)
            })
            .collect();
        papers.sort_by(|a, b| a.1.first().cmp(&b.1.first()).then(a.0.cmp(&b.0)));
        let total = papers.len();
        let mut out = Vec::new();
        for (p, rels) in papers.into_iter().take(limit) {
            out.push((self.paper(p)?, rels));
        }
        Ok((total, out))
    }

    /// The paper with this id.
    pub fn paper(&self, id: i64) -> Result<PaperRef, StoreError> {
        self.conn
            .prepare_cached("SELECT id, arxiv_id, title FROM papers WHERE id = ?1")
            .and_then(|mut st| {
                st.query_row([id], |r| {
                    Ok(PaperRef {
                        id: r.get(0)?,
                        arxiv_id: r.get(1)?,
                        title: one_line(&r.get::<_, String>(2)?),
                    })
                })
                .optional()
            })
            .map_err(|e| self.sql(e))?
            .ok_or_else(|| self.damaged(format!("paper {id} is referenced but missing")))
    }

    /// The ids of papers relating to both `a` and `b`, in paper order, at most `limit`, and
    /// how many there are in all.
    pub fn shared_papers(
        &self,
        a: i64,
        b: i64,
        limit: usize,
    ) -> Result<(usize, Vec<i64>), StoreError> {
        let ids: Vec<i64> = self.rows(
            "SELECT DISTINCT x.paper_id FROM paper_entities x \
             JOIN paper_entities y ON y.paper_id = x.paper_id AND y.entity_id = ?2 \
             WHERE x.entity_id = ?1 ORDER BY x.paper_id",
            params![a, b],
            |r| Ok(Ok(r.get(0)?)),
        )?;
        let total = ids.len();
        Ok((total, ids.into_iter().take(limit).collect()))
    }

    /// The co-mentioned entities of `id` shared by at least `min_support` papers.
    ///
    /// # Complexity
    /// Reads the relations of `id` only, through the key and `edges_target` (the `+`
    /// keeps SQLite from walking `edges_relation`, every co-mention of the graph).
    pub fn co_mentions(&self, id: i64, min_support: usize) -> Result<Vec<LinkRow>, StoreError> {
        let sql = format!(
            "SELECT {ENTITY_COLUMNS}, x.relation, 'both', x.support, x.sentences, x.pmi FROM \
             (SELECT target_id AS other, relation, support, sentences, pmi FROM edges \
                WHERE source_id = ?1 AND +relation = 'co_mentioned' AND +support >= ?2 \
              UNION ALL \
              SELECT source_id, relation, support, sentences, pmi FROM edges \
                WHERE target_id = ?1 AND +relation = 'co_mentioned' AND +support >= ?2) x \
             JOIN entities e ON e.id = x.other"
        );
        self.rows(&sql, params![id, limit_param(min_support)], link_row)
    }

    /// The first `limit` entities (of type `kind`, if given) in `order`, an `ORDER BY`
    /// clause over `entities e` chosen by the caller from fixed texts, each with its
    /// precomputed degree and PageRank.
    pub fn ranked_entities(
        &self,
        kind: Option<EntityType>,
        order: &'static str,
        limit: usize,
    ) -> Result<Vec<(EntityRow, usize, f64)>, StoreError> {
        let filter = if kind.is_some() {
            "WHERE e.type = ?1"
        } else {
            "WHERE ?1 IS NULL"
        };
        let sql = format!(
            "SELECT {ENTITY_COLUMNS}, e.degree, e.pagerank FROM entities e {filter} \
             ORDER BY {order} LIMIT ?2"
        );
        self.rows(
            &sql,
            params![kind.map(|k| k.as_str()), limit_param(limit)],
            |r| {
                let entity = match entity_row(r)? {
                    Ok(e) => e,
                    Err(reason) => return Ok(Err(reason)),
                };
                let degree = size(r.get(7)?);
                let pagerank: f64 = r.get(8)?;
                Ok(Ok((entity, degree, pagerank)))
            },
        )
    }

    /// Every entity, by id.
    pub fn all_entities(&self) -> Result<Vec<EntityRow>, StoreError> {
        let sql = format!("SELECT {ENTITY_COLUMNS} FROM entities e ORDER BY e.id");
        self.rows(&sql, [], entity_row)
    }

    /// Number of papers in the database: as the build recorded it in `meta`, or counted
    /// when it did not.
    ///
    /// # Complexity
    /// One lookup; counting instead reads a whole index of `papers` (a third of a
    /// second at a million papers).
    pub fn paper_count(&self) -> Result<usize, StoreError> {
        if let Some(n) = recorded_count(&self.conn, "papers").map_err(|e| self.sql(e))? {
            return Ok(n);
        }
        self.conn
            .query_row("SELECT COUNT(*) FROM papers", [], |r| r.get::<_, i64>(0))
            .map(size)
            .map_err(|e| self.sql(e))
    }

    /// Loads every entity and entity → entity relation into a petgraph graph. Node `i` is
    /// the i-th entity by id.
    ///
    /// # Complexity
    /// O(V + E) rows read.
    pub fn load_graph(&self) -> Result<LoadedGraph, StoreError> {
        let mut loaded = LoadedGraph::default();
        for e in self.all_entities()? {
            loaded.add_entity(e);
        }
        let edges = self.rows(
            "SELECT source_id, target_id, relation, support, sentences, pmi FROM edges \
             ORDER BY source_id, target_id, relation",
            [],
            edge_row,
        )?;
        for (s, t, link) in edges {
            loaded.add_link(s, t, link).map_err(|r| self.damaged(r))?;
        }
        Ok(loaded)
    }
}

/// Reads an [`EntityRow`] from the first seven columns ([`ENTITY_COLUMNS`]).
fn entity_row(r: &Row<'_>) -> rusqlite::Result<Result<EntityRow, String>> {
    let kind: String = r.get(2)?;
    let Ok(kind) = kind.parse::<EntityType>() else {
        return Ok(Err(format!("unknown entity type {kind:?}")));
    };
    Ok(Ok(EntityRow {
        id: r.get(0)?,
        name: r.get(1)?,
        kind,
        family: r.get(3)?,
        parent_id: r.get(4)?,
        papers: size(r.get(5)?),
        mentions: size(r.get(6)?),
    }))
}

/// Reads column `i`, an entity → entity relation of `edges`; the reason when it is none.
fn edge_relation(r: &Row<'_>, i: usize) -> rusqlite::Result<Result<EntityRelation, String>> {
    let rel: String = r.get(i)?;
    Ok(rel
        .parse::<EntityRelation>()
        .map_err(|_| format!("unknown relation {rel:?} in edges")))
}

/// Reads an `edges` row: `source_id, target_id, relation, support, sentences, pmi`.
fn edge_row(r: &Row<'_>) -> rusqlite::Result<Result<(i64, i64, LinkInfo), String>> {
    let relation = match edge_relation(r, 2)? {
        Ok(relation) => relation,
        Err(reason) => return Ok(Err(reason)),
    };
    Ok(Ok((
        r.get(0)?,
        r.get(1)?,
        LinkInfo {
            relation,
            support: size(r.get(3)?),
            sentences: size(r.get(4)?),
            pmi: r.get(5)?,
        },
    )))
}

/// Reads a [`LinkRow`]: entity columns, then relation, direction, support, sentences, pmi.
fn link_row(r: &Row<'_>) -> rusqlite::Result<Result<LinkRow, String>> {
    let other = match entity_row(r)? {
        Ok(e) => e,
        Err(reason) => return Ok(Err(reason)),
    };
    let relation: String = r.get(7)?;
    let Ok(rel) = relation.parse::<EntityRelation>() else {
        return Ok(Err(format!("unknown relation {relation:?} in edges")));
    };
    let dir: String = r.get(8)?;
    let direction = if !rel.is_directed() {
        "both"
    } else if dir == "out" {
        "out"
    } else {
        "in"
    };
    Ok(Ok(LinkRow {
        other,
        relation,
        direction,
        support: size(r.get(9)?),
        sentences: size(r.get(10)?),
        pmi: r.get(11)?,
    }))
}

/// An SQLite integer as a count (negative values, which paperkg never writes, read as 0).
fn size(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

/// A count as an SQLite parameter (saturating).
fn limit_param(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Characters `start..end` of `text`, on one line. Out-of-range offsets give what is in
/// range (possibly nothing), never a panic.
pub fn slice_chars(text: &str, start: usize, end: usize) -> String {
    let s: String = text
        .chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect();
    one_line(&s)
}

/// `text` with every run of whitespace shown as one space, trimmed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{build, bundled_samples, BuildConfig, Silent};
    use crate::graph::algo::{self, LinkInfo};
    use crate::store::subgraph::Follow;
    use crate::{Extractor, Lexicon};

    /// The query plan lines of every SQL text `store` has run, each with its text.
    pub(in crate::store) fn plan_lines(store: &Store) -> Vec<(String, String)> {
        let mut texts = store.seen.borrow().clone();
        texts.sort();
        texts.dedup();
        let mut lines = Vec::new();
        for sql in texts {
            let mut st = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let nulls = vec![rusqlite::types::Null; st.parameter_count()];
            let details: Vec<String> = st
                .query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            for d in details {
                lines.push((d, sql.clone()));
            }
        }
        lines
    }

    /// The query plan lines of every SQL text `store` has run that read a whole table
    /// (`SCAN t` without an index).
    pub(in crate::store) fn full_scans(store: &Store) -> Vec<String> {
        let mut scans = Vec::new();
        for (d, sql) in plan_lines(store) {
            let Some(rest) = d.strip_prefix("SCAN ") else {
                continue;
            };
            // The table's name or alias (`SCAN e` for `entities e`).
            let name = rest.split(' ').next().unwrap_or_default();
            // A scan of a CTE, a subquery's result or a list of constant rows is not a
            // table's: such a name follows the subquery's closing parenthesis.
            let derived = d.contains("CONSTANT ROW")
                || d.contains("VALUES CLAUSE")
                || name.starts_with('(')
                || sql.contains(&format!(") {name} "));
            if !d.contains(" USING ") && !derived {
                scans.push(format!("{d}  <-  {sql}"));
            }
        }
        scans
    }

    /// The bundled sample, built into a temporary folder.
    pub(in crate::store) fn bundled() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let config = BuildConfig::new(vec![bundled_samples()], dir.path().to_path_buf());
        build(&config, &Extractor::new(&Lexicon::builtin()), &mut Silent).unwrap();
        let store = Store::open(&dir.path().join("kg.sqlite")).unwrap();
        (dir, store)
    }

    /// The paper count is the build's record when there is one, and is counted when the
    /// record is gone or unreadable.
    #[test]
    fn paper_count_is_recorded_or_counted() {
        let (dir, store) = bundled();
        let counted: usize = store
            .conn
            .query_row("SELECT COUNT(*) FROM papers", [], |r| r.get::<_, i64>(0))
            .map(size)
            .unwrap();
        assert!(counted > 300, "{counted}");
        assert_eq!(store.paper_count().unwrap(), counted);
        drop(store);
        let path = dir.path().join("kg.sqlite");
        for change in [
            "UPDATE meta SET value = 'many' WHERE key = 'papers'",
            "DELETE FROM meta WHERE key = 'papers'",
        ] {
            Connection::open(&path)
                .unwrap()
                .execute(change, [])
                .unwrap();
            let store = Store::open(&path).unwrap();
            assert_eq!(store.paper_count().unwrap(), counted, "{change}");
        }
    }

    #[test]
    fn stored_degree_and_pagerank_equal_those_of_the_loaded_graph() {
        let (_dir, store) = bundled();
        let loaded = store.load_graph().unwrap();
        let g = &loaded.graph;
        let ranks = algo::pagerank(g, algo::PAGERANK_DAMPING, algo::PAGERANK_ITERATIONS);
        let stored = store.ranked_entities(None, "e.id", usize::MAX).unwrap();
        assert_eq!(stored.len(), g.node_count());
        for (entity, degree, pagerank) in stored {
            let node = loaded.node(entity.id).unwrap();
            assert_eq!(degree, algo::degree(g, node), "{}", entity.name);
            assert!(
                (pagerank - ranks[node.index()]).abs() < 1e-12,
                "{}: {pagerank} vs {}",
                entity.name,
                ranks[node.index()]
            );
        }
    }

    #[test]
    fn a_loaded_part_answers_like_the_whole_graph() {
        let (_dir, store) = bundled();
        let whole = store.load_graph().unwrap();
        let g = &whole.graph;
        let names = [
            "LoRA", "LLaMA", "MMLU", "GPT-4", "C-Eval", "RLHF", "BERT", "GSM8K",
        ];
        let ids: Vec<i64> = names
            .iter()
            .map(|n| store.resolve(n, None).unwrap().entity.id)
            .collect();
        for &id in &ids {
            for depth in 1..=2 {
                let part = store.ball(id, depth, Follow::default()).unwrap();
                let whole_found: Vec<(i64, usize, i64)> =
                    algo::neighborhood(g, whole.node(id).unwrap(), depth, &|_| true)
                        .into_iter()
                        .map(|r| (g[r.node].id, r.depth, g[r.via].id))
                        .collect();
                let pg = &part.graph;
                let part_found: Vec<(i64, usize, i64)> =
                    algo::neighborhood(pg, part.node(id).unwrap(), depth, &|_| true)
                        .into_iter()
                        .map(|r| (pg[r.node].id, r.depth, pg[r.via].id))
                        .collect();
                assert_eq!(part_found, whole_found, "entity {id}, depth {depth}");
            }
        }
        for &a in &ids {
            for &b in &ids {
                for sentences_only in [true, false] {
                    let follow = |l: &LinkInfo| !sentences_only || l.sentences > 0;
                    let hops = |lg: &LoadedGraph| -> Option<Vec<(i64, i64)>> {
                        let (s, t) = (lg.node(a)?, lg.node(b)?);
                        let path = algo::shortest_path(&lg.graph, s, t, &follow)?;
                        Some(
                            path.iter()
                                .map(|h| (lg.graph[h.from].id, lg.graph[h.to].id))
                                .collect(),
                        )
                    };
                    let part = store
                        .connecting(
                            a,
                            b,
                            Follow {
                                relation: None,
                                sentences_only,
                            },
                        )
                        .unwrap();
                    let expected = hops(&whole);
                    match part {
                        Some(p) => assert_eq!(hops(&p), expected, "{a} → {b}"),
                        None => assert_eq!(expected, None, "{a} → {b}"),
                    }
                }
            }
        }
    }

    #[test]
    fn lookups_of_the_explore_commands_use_indexes() {
        let (_dir, store) = bundled();
        explore::show(&store, "lora", None, 10).unwrap();
        explore::show(&store, "Llama-2", None, 10).unwrap();
        explore::related(&store, "MMLU", None, 1, 10).unwrap();
        explore::papers(&store, "GPT-4", None, None, 10).unwrap();
        explore::explain(&store, "LoRA", "LLaMA", None, 10).unwrap();
        explore::path(&store, "LoRA", "GPT-4", None).unwrap();
        let query = explore::NeighborQuery {
            depth: 2,
            kind: None,
            relation: None,
            limit: 20,
        };
        explore::neighbors(&store, "MMLU", None, &query).unwrap();
        for by in [
            explore::TopBy::Papers,
            explore::TopBy::Degree,
            explore::TopBy::PageRank,
        ] {
            explore::top(&store, None, by, 10).unwrap();
            explore::top(&store, Some(EntityType::Dataset), by, 10).unwrap();
        }
        let scans = full_scans(&store);
        assert!(scans.is_empty(), "full table scans:\n{}", scans.join("\n"));
    }

    #[test]
    fn slice_chars_is_safe_and_flattens_whitespace() {
        assert_eq!(slice_chars("Ünï\n  GPT-4 ok", 2, 12), "ï GPT-4");
        assert_eq!(slice_chars("abc", 5, 9), "");
        assert_eq!(slice_chars("abc", 2, 1), "");
    }

    #[test]
    fn unknown_name_message_lists_suggestions() {
        let e = StoreError::UnknownName {
            name: "lorra".into(),
            suggestions: vec!["LoRA".into(), "QLoRA".into()],
        };
        assert_eq!(
            e.to_string(),
            "no entity named \"lorra\"; did you mean one of \"LoRA\", \"QLoRA\"?"
        );
        let e = StoreError::UnknownName {
            name: "zzz".into(),
            suggestions: vec![],
        };
        assert!(e.to_string().contains("paperkg top"));
    }
}
