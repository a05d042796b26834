//! The knowledge graph: papers and entities as petgraph nodes, with mention and co-mention
//! edges, and name indexes kept beside the graph.
//!
//! Papers link to the entities they mention (`mentions`, weighted by the number of
//! mentions); entities link to each other when papers name both (`co_mentioned`, weighted by
//! the number of shared papers). Entities are keyed by type and folded name, so two
//! entities of different types are never merged.
//!
//! This module holds no abstracts (they stream straight to the database) and does no I/O.

use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::extract::{name_key, EntityType, Mention};

/// A paper node: its identity key and title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaperNode {
    /// The identity key (see [`crate::ingest::Record::key`]).
    pub key: String,
    /// The title.
    pub title: String,
    /// 1-based position of the paper in build order; equals its `papers.id` in SQLite.
    pub ordinal: usize,
}

/// An entity node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityNode {
    /// Canonical display name.
    pub name: String,
    /// Type of the entity.
    pub kind: EntityType,
    /// The family this entity is a version of, if any (canonical name).
    pub family: Option<String>,
    /// Every distinct surface form seen, sorted.
    pub aliases: Vec<String>,
    /// Number of distinct papers that mention it.
    pub papers: usize,
    /// Total number of mentions.
    pub mentions: usize,
    /// 1-based position of the entity in first-seen order; equals its `entities.id`.
    pub ordinal: usize,
}

/// A node of the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A paper.
    Paper(PaperNode),
    /// A model, method or dataset.
    Entity(EntityNode),
}

/// An edge of the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    /// paper → entity: the paper names the entity `count` times.
    Mentions {
        /// Number of mentions in that paper.
        count: usize,
    },
    /// entity → entity (stored once, from the lower to the higher node index): both are
    /// named by `papers` papers.
    CoMentioned {
        /// Number of papers naming both.
        papers: usize,
    },
}

/// The key an entity is indexed under: its type and its folded name.
pub type EntityKey = (EntityType, String);

/// Papers, entities and their relations in a petgraph [`DiGraph`], with name indexes.
#[derive(Debug, Default)]
pub struct KnowledgeGraph {
    /// The graph itself.
    pub graph: DiGraph<Node, Edge>,
    papers: HashMap<String, NodeIndex>,
    entities: HashMap<EntityKey, NodeIndex>,
    pairs: HashMap<(NodeIndex, NodeIndex), usize>,
    finished: bool,
}

/// What [`KnowledgeGraph::add_paper`] did with a paper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaperSlot {
    /// A paper not seen before, now a node with this ordinal.
    New(usize),
    /// A paper already in the graph, under this ordinal.
    Duplicate(usize),
}

/// The entity a mention resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntityRef {
    /// The entity's node.
    pub node: NodeIndex,
    /// The entity's ordinal (its `entities.id`).
    pub ordinal: usize,
    /// True when this mention created the entity.
    pub is_new: bool,
}

impl KnowledgeGraph {
    /// An empty graph.
    pub fn new() -> KnowledgeGraph {
        KnowledgeGraph::default()
    }

    /// Adds a paper node unless a paper with the same key is already there.
    pub fn add_paper(&mut self, key: &str, title: &str) -> PaperSlot {
        if let Some(&ix) = self.papers.get(key) {
            if let Node::Paper(p) = &self.graph[ix] {
                return PaperSlot::Duplicate(p.ordinal);
            }
        }
        let ordinal = self.papers.len() + 1;
        let ix = self.graph.add_node(Node::Paper(PaperNode {
            key: key.to_string(),
            title: title.to_string(),
            ordinal,
        }));
        self.papers.insert(key.to_string(), ix);
        PaperSlot::New(ordinal)
    }

    /// Records a paper's mentions: creates entity nodes as needed, a `mentions` edge per
    /// distinct entity, and counts co-mentioned pairs (materialised by [`finish`]).
    ///
    /// Returns, for each mention in order, the entity it resolved to. Call it once per paper.
    ///
    /// # Complexity
    /// O(m + e²) for m mentions naming e distinct entities.
    ///
    /// [`finish`]: KnowledgeGraph::finish
    pub fn add_mentions(&mut self, paper_key: &str, mentions: &[Mention]) -> Vec<EntityRef> {
        let Some(&paper) = self.papers.get(paper_key) else {
            return Vec::new();
        };
        let mut refs = Vec::with_capacity(mentions.len());
        let mut counts: Vec<(NodeIndex, usize)> = Vec::new();
        for m in mentions {
            let r = self.entity_for(m);
            match counts.iter_mut().find(|(ix, _)| *ix == r.node) {
                Some((_, c)) => *c += 1,
                None => counts.push((r.node, 1)),
            }
            refs.push(r);
        }
        for &(ix, count) in &counts {
            if let Node::Entity(e) = &mut self.graph[ix] {
                e.papers += 1;
                e.mentions += count;
            }
            self.graph.add_edge(paper, ix, Edge::Mentions { count });
        }
        let mut ents: Vec<NodeIndex> = counts.iter().map(|(ix, _)| *ix).collect();
        ents.sort();
        for i in 0..ents.len() {
            for j in i + 1..ents.len() {
                *self.pairs.entry((ents[i], ents[j])).or_insert(0) += 1;
            }
        }
        refs
    }

    fn entity_for(&mut self, m: &Mention) -> EntityRef {
        let key = (m.kind, name_key(&m.name));
        if let Some(&node) = self.entities.get(&key) {
            if let Node::Entity(e) = &mut self.graph[node] {
                if let Err(pos) = e.aliases.binary_search(&m.surface) {
                    e.aliases.insert(pos, m.surface.clone());
                }
                return EntityRef {
                    node,
                    ordinal: e.ordinal,
                    is_new: false,
                };
            }
        }
        let ordinal = self.entities.len() + 1;
        let node = self.graph.add_node(Node::Entity(EntityNode {
            name: m.name.clone(),
            kind: m.kind,
            family: m.family.clone(),
            aliases: vec![m.surface.clone()],
            papers: 0,
            mentions: 0,
            ordinal,
        }));
        self.entities.insert(key, node);
        EntityRef {
            node,
            ordinal,
            is_new: true,
        }
    }

    /// Adds the co-mention edges counted so far. Call once, after the last paper.
    pub fn finish(&mut self) {
        if self.finished {
            return;
        }
        let mut pairs: Vec<((NodeIndex, NodeIndex), usize)> = self.pairs.drain().collect();
        pairs.sort();
        for ((a, b), papers) in pairs {
            self.graph.add_edge(a, b, Edge::CoMentioned { papers });
        }
        self.finished = true;
    }

    /// Number of paper nodes.
    pub fn paper_count(&self) -> usize {
        self.papers.len()
    }

    /// Number of entity nodes.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// The node of a paper, by identity key.
    pub fn paper(&self, key: &str) -> Option<NodeIndex> {
        self.papers.get(key).copied()
    }

    /// The node of an entity, by type and name (any case or separator variant of its name).
    pub fn entity(&self, kind: EntityType, name: &str) -> Option<NodeIndex> {
        self.entities.get(&(kind, name_key(name))).copied()
    }

    /// Every entity node whose name folds to the same key as `name`, of any type, in
    /// type order.
    pub fn entities_named(&self, name: &str) -> Vec<NodeIndex> {
        let key = name_key(name);
        let mut out = Vec::new();
        for kind in EntityType::ALL {
            if let Some(&ix) = self.entities.get(&(kind, key.clone())) {
                out.push(ix);
            }
        }
        out
    }

    /// Entity nodes in ordinal order.
    pub fn entity_nodes(&self) -> Vec<(NodeIndex, &EntityNode)> {
        let mut out: Vec<(NodeIndex, &EntityNode)> = Vec::with_capacity(self.entities.len());
        for &ix in self.entities.values() {
            if let Node::Entity(e) = &self.graph[ix] {
                out.push((ix, e));
            }
        }
        out.sort_by_key(|(_, e)| e.ordinal);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Field;

    fn mention(name: &str, kind: EntityType, surface: &str) -> Mention {
        Mention {
            name: name.into(),
            kind,
            family: None,
            surface: surface.into(),
            field: Field::Abstract,
            byte_start: 0,
            char_start: 0,
            char_len: surface.chars().count(),
            proposed: false,
        }
    }

    #[test]
    fn duplicate_paper_is_one_node() {
        let mut g = KnowledgeGraph::new();
        assert_eq!(g.add_paper("title:a", "A"), PaperSlot::New(1));
        assert_eq!(g.add_paper("title:b", "B"), PaperSlot::New(2));
        assert_eq!(g.add_paper("title:a", "A"), PaperSlot::Duplicate(1));
        assert_eq!(g.paper_count(), 2);
    }

    #[test]
    fn entities_merge_by_key_but_never_across_types() {
        let mut g = KnowledgeGraph::new();
        g.add_paper("p1", "P1");
        let refs = g.add_mentions(
            "p1",
            &[
                mention("Llama 2", EntityType::Model, "LLaMA-2"),
                mention("Llama 2", EntityType::Model, "Llama 2"),
                mention("Llama 2", EntityType::Dataset, "Llama 2"),
            ],
        );
        assert_eq!(refs[0].node, refs[1].node);
        assert_ne!(refs[0].node, refs[2].node);
        assert_eq!(g.entity_count(), 2);
        assert_eq!(g.entities_named("llama2").len(), 2);
        let Node::Entity(e) = &g.graph[refs[0].node] else {
            panic!("not an entity")
        };
        assert_eq!(
            e.aliases,
            vec!["LLaMA-2".to_string(), "Llama 2".to_string()]
        );
        assert_eq!((e.papers, e.mentions), (1, 2));
    }

    #[test]
    fn co_mentions_count_shared_papers() {
        let mut g = KnowledgeGraph::new();
        for p in ["p1", "p2", "p3"] {
            g.add_paper(p, p);
        }
        let lora = mention("LoRA", EntityType::Method, "LoRA");
        let gpt = mention("GPT-4", EntityType::Model, "GPT-4");
        let mmlu = mention("MMLU", EntityType::Dataset, "MMLU");
        g.add_mentions("p1", &[lora.clone(), gpt.clone(), lora.clone()]);
        g.add_mentions("p2", &[gpt.clone(), lora.clone()]);
        g.add_mentions("p3", &[mmlu, gpt]);
        g.finish();
        let a = g.entity(EntityType::Method, "lora").unwrap();
        let b = g.entity(EntityType::Model, "GPT-4").unwrap();
        let (x, y) = if a < b { (a, b) } else { (b, a) };
        let e = g.graph.find_edge(x, y).unwrap();
        assert_eq!(g.graph[e], Edge::CoMentioned { papers: 2 });
        let p1 = g.paper("p1").unwrap();
        let e = g.graph.find_edge(p1, a).unwrap();
        assert_eq!(g.graph[e], Edge::Mentions { count: 2 });
        let co = g
            .graph
            .edge_weights()
            .filter(|e| matches!(e, Edge::CoMentioned { .. }))
            .count();
        assert_eq!(co, 2);
    }
}
