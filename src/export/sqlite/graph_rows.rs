//! The rows a finished graph adds to the database: the `edges` rows in primary-key order,
//! and the entities' ranks (degree, PageRank) computed from them, as the explore commands
//! would compute them over the loaded graph.
//!
//! This module computes rows; [`super::SqliteWriter`] writes them.

use rayon::slice::ParallelSliceMut;

use crate::graph::algo::{self, pmi};
use crate::graph::{Edge, EntityRelation, KnowledgeGraph, Node};

/// One `edges` row: source and target ordinals, relation, support, sentences, PMI.
pub(super) type LinkRow = (usize, usize, EntityRelation, usize, usize, Option<f64>);

/// The `edges` rows of a finished graph, sorted by primary key. (The `paper_entities`
/// rows were written paper by paper, by [`PaperInserts::add_paper_links`](super::PaperInserts::add_paper_links).)
#[derive(Debug)]
pub(super) struct EdgeRows {
    pub(super) links: Vec<LinkRow>,
}

impl EdgeRows {
    pub(super) fn collect(graph: &KnowledgeGraph) -> EdgeRows {
        let node_papers = |ix| match &graph.graph[ix] {
            Node::Paper(_) => 0,
            Node::Entity(e) => e.papers,
        };
        let ordinal = |ix| match &graph.graph[ix] {
            Node::Paper(p) => p.ordinal,
            Node::Entity(e) => e.ordinal,
        };
        let total = graph.paper_count();
        // One allocation of the exact size (a million papers: 2.6M rows of 56 bytes), not
        // a series of doublings, each copied into fresh memory.
        let entity_edges = graph
            .graph
            .raw_edges()
            .iter()
            .filter(|e| matches!(e.weight, Edge::EntityToEntity { .. }))
            .count();
        let mut links: Vec<LinkRow> = Vec::with_capacity(entity_edges);
        for edge in graph.graph.raw_edges() {
            let (s, t) = (edge.source(), edge.target());
            let (a, b) = (ordinal(s), ordinal(t));
            match edge.weight {
                Edge::PaperToEntity { .. } => {}
                Edge::EntityToEntity {
                    relation,
                    support,
                    sentences,
                } => {
                    let directed = relation.is_directed();
                    let (a, b) = if directed {
                        (a, b)
                    } else {
                        (a.min(b), a.max(b))
                    };
                    let pmi = if directed {
                        None
                    } else {
                        pmi(support, node_papers(s), node_papers(t), total)
                    };
                    links.push((a, b, relation, support, sentences, pmi));
                }
            }
        }
        // The key is unique: an unstable sort gives the one order, the table's (relations
        // by name, as SQLite compares them). In parallel: this runs at the end of a build,
        // when the other core has little left to do.
        links.par_sort_unstable_by(|x, y| (x.0, x.1, x.2.as_str()).cmp(&(y.0, y.1, y.2.as_str())));
        EdgeRows { links }
    }
}

/// The `edges` rows of a finished graph, computed before [`SqliteWriter::finish_with`](super::SqliteWriter::finish_with)
/// writes them, on any thread (a build prepares them while the writer indexes the papers).
/// The entities' ranks (degree, PageRank) are computed from them by `finish_with`, while
/// it stores them.
#[derive(Debug)]
pub struct GraphRows {
    pub(super) edges: EdgeRows,
}

impl GraphRows {
    /// The rows of `graph`; call [`KnowledgeGraph::finish`] first.
    ///
    /// # Complexity
    /// O(e log e) for e edges.
    pub fn of(graph: &KnowledgeGraph) -> GraphRows {
        GraphRows {
            edges: EdgeRows::collect(graph),
        }
    }
}

/// `entities.degree` and `entities.pagerank`, indexed by entity ordinal − 1, computed from
/// the sorted `edges` rows exactly as the explore commands would over the loaded graph.
#[derive(Debug)]
pub(super) struct EntityRanks {
    pub(super) degree: Vec<usize>,
    pub(super) pagerank: Vec<f64>,
}

impl EntityRanks {
    pub(super) fn of(entities: usize, links: &[LinkRow]) -> EntityRanks {
        let index = |ordinal: usize| ordinal.saturating_sub(1);
        let weighted: Vec<(usize, usize, usize)> = links
            .iter()
            .map(|l| (index(l.0), index(l.1), l.3))
            .collect();
        let (degree, pagerank) = rayon::join(
            || {
                let pairs: Vec<(usize, usize)> = weighted.iter().map(|&(a, b, _)| (a, b)).collect();
                algo::degrees_of(entities, &pairs)
            },
            || {
                algo::pagerank_of(
                    entities,
                    &weighted,
                    algo::PAGERANK_DAMPING,
                    algo::PAGERANK_ITERATIONS,
                )
            },
        );
        EntityRanks { degree, pagerank }
    }
}
