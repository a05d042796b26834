//! The graph handed to the file writers: papers, entities and their relations as plain rows,
//! with what was selected and what was left out.
//!
//! [`ExportGraph`] is what `crate::store::export` reads from a built database and what
//! [`super::dot`], [`super::graphml`], [`super::json`] and [`super::neo4j`] write. It is
//! already cut to what should be written (a focus, a type or relation filter, the strongest
//! part of a large graph); the writers only lay it out in their format, so every format
//! shows the same selection.
//!
//! Rows are sorted by id (papers, entities) and by their endpoints and relation (edges), so
//! the same database and options give the same bytes in every format.
//!
//! This module does no I/O and chooses nothing.

use crate::extract::EntityType;
use crate::graph::{EntityRelation, PaperRelation};

/// A paper node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaperItem {
    /// `papers.id`.
    pub id: i64,
    /// The arXiv id, when known.
    pub arxiv_id: Option<String>,
    /// The title, as stored.
    pub title: String,
    /// The listing's date (`YYYY-MM-DD`), when known.
    pub update_date: Option<String>,
    /// Space-separated arXiv categories, when known.
    pub categories: Option<String>,
}

/// An entity node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityItem {
    /// `entities.id`.
    pub id: i64,
    /// Canonical name.
    pub name: String,
    /// Model, method or dataset.
    pub kind: EntityType,
    /// The family's canonical name, for a variant.
    pub family: Option<String>,
    /// The family's entity id.
    pub parent_id: Option<i64>,
    /// Papers naming it (0 for a family known only from its variants).
    pub papers: usize,
    /// Mentions of it.
    pub mentions: usize,
}

/// A paper → entity relation (one row of `paper_entities`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaperLink {
    /// The paper's id.
    pub paper: i64,
    /// The entity's id.
    pub entity: i64,
    /// How the paper relates to the entity.
    pub relation: PaperRelation,
    /// Mentions supporting the relation.
    pub count: usize,
    /// Evidence rows (sentences) behind it.
    pub evidence: usize,
}

/// An entity → entity relation (one row of `edges`). `co_mentioned` is undirected and
/// runs from the lower to the higher id.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityLink {
    /// The source entity's id.
    pub source: i64,
    /// The target entity's id.
    pub target: i64,
    /// The relation.
    pub relation: EntityRelation,
    /// Papers supporting it (for `co_mentioned`, papers naming both).
    pub support: usize,
    /// Papers with a sentence naming both.
    pub sentences: usize,
    /// Pointwise mutual information in bits, for `co_mentioned`.
    pub pmi: Option<f64>,
    /// Evidence rows (sentences) behind it.
    pub evidence: usize,
}

/// What the selection was asked for and what it left out, for a drawing's caption and a
/// command's message.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scope {
    /// The focus entity, when the selection is one entity's neighbourhood.
    pub focus: Option<EntityItem>,
    /// Hops followed from the focus.
    pub depth: usize,
    /// Entity types kept (empty: all).
    pub types: Vec<EntityType>,
    /// Relations kept, by name (empty: all).
    pub relations: Vec<String>,
    /// Smallest support of an entity → entity relation kept.
    pub min_weight: usize,
    /// Entities that matched the filters (within reach of the focus, if any).
    pub candidate_entities: usize,
    /// Papers that could have been drawn (0 when papers were not asked for).
    pub candidate_papers: usize,
    /// Co-mention edges among the kept entities before thinning.
    pub co_mentions_total: usize,
    /// Co-mention edges kept per entity when thinning (0: not thinned).
    pub co_mentions_per_entity: usize,
}

impl Scope {
    /// Whether entities were left out to keep the graph to its strongest part.
    pub fn entities_cut(&self, kept: usize) -> bool {
        kept < self.candidate_entities
    }
}

/// A selection of the knowledge graph, ready to write.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportGraph {
    /// Paper nodes, by id.
    pub papers: Vec<PaperItem>,
    /// Entity nodes, by id.
    pub entities: Vec<EntityItem>,
    /// Paper → entity edges, by paper, entity, relation.
    pub paper_links: Vec<PaperLink>,
    /// Entity → entity edges, by source, target, relation.
    pub links: Vec<EntityLink>,
    /// How the selection was made.
    pub scope: Scope,
}

impl ExportGraph {
    /// Nodes: papers and entities.
    pub fn node_count(&self) -> usize {
        self.papers.len() + self.entities.len()
    }

    /// Edges: paper → entity and entity → entity.
    pub fn edge_count(&self) -> usize {
        self.paper_links.len() + self.links.len()
    }

    /// The id a node has in every export format: `p<id>` for a paper, `e<id>` for an entity.
    pub fn paper_key(id: i64) -> String {
        format!("p{id}")
    }

    /// See [`ExportGraph::paper_key`].
    pub fn entity_key(id: i64) -> String {
        format!("e{id}")
    }
}
