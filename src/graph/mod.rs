//! The knowledge graph: papers and entities as petgraph nodes, with typed relations between
//! them, and name indexes kept beside the graph.
//!
//! Papers link to the entities they name with a [`PaperRelation`] (`proposes`, `uses`,
//! `evaluates_on`, `compares_with`, or plain `mentions`), one edge per relation, weighted by
//! the number of mentions that support it. Entities link to each other with an
//! [`EntityRelation`]: `variant_of` (from the lexicon's families: a family named only as a
//! parent becomes an entity with no papers), `based_on`, `trained_on`, `evaluated_on` (from
//! cue rules, see [`relations`]), and `co_mentioned` when papers name both, weighted by the
//! number of shared papers. Entities are keyed by type and folded name, so two entities of
//! different types are never merged.
//!
//! Each relation's evidence (paper, sentence span, rule) is returned to the caller as
//! [`EvidenceRecord`]s when a paper is added, to be streamed to the database; the graph
//! keeps only counts.
//!
//! * [`sentences`] splits fields into sentences; [`relations`] finds typed relations;
//!   [`algo`] has the graph algorithms the explore commands use (path, PageRank, PMI,
//!   neighbourhoods) over an [`algo::EntityGraph`].
//!
//! This module holds no abstracts (they stream straight to the database) and does no I/O.

pub mod algo;
pub mod relations;
pub mod sentences;

use std::collections::{HashMap, HashSet};

use petgraph::graph::{DiGraph, NodeIndex};
use rayon::slice::ParallelSliceMut;

pub use relations::{EntityRelation, Evidence, PaperRelation, Relations, Rule};

use crate::extract::{name_key, push_name_key, EntityType, Field, Mention};

/// The graph's hash maps and sets: foldhash, seeded per process like std's SipHash but a
/// fraction of its cost (SipHash was 1.7% of a build's instructions). Nothing depends on
/// their iteration order: everything written is sorted first.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
/// See [`FastMap`].
type FastSet<T> = HashSet<T, foldhash::fast::RandomState>;

/// A paper node: its position in the build. The paper's key, title and text are in the
/// database (`papers`), not in the graph, which holds a million of them at scale: the
/// graph only links papers to entities.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaperNode {
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
    /// Every distinct surface form seen, sorted. Empty for a family only named as a parent.
    pub aliases: Vec<String>,
    /// Number of distinct papers that mention it (0 for a family only named as a parent).
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
    /// paper → entity: the paper relates to the entity this way, in `count` mentions. A
    /// paper has a `mentions` edge to an entity only when no other relation was found.
    PaperToEntity {
        /// The relation.
        relation: PaperRelation,
        /// Number of the paper's mentions of the entity that support this relation.
        count: usize,
    },
    /// entity → entity (`co_mentioned` edges run from the lower to the higher node index).
    EntityToEntity {
        /// The relation.
        relation: EntityRelation,
        /// Number of papers supporting it (for `co_mentioned`: papers naming both).
        support: usize,
        /// Number of those papers with a sentence naming both (equal to `support` for every
        /// relation but `co_mentioned`).
        sentences: usize,
    },
}

/// What a piece of evidence is evidence for, by entity ordinals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EvidenceOf {
    /// A paper → entity relation (the paper is the one being added).
    Paper {
        /// The entity's ordinal.
        entity: usize,
        /// The relation.
        relation: PaperRelation,
    },
    /// An entity → entity relation.
    Link {
        /// The source entity's ordinal.
        source: usize,
        /// The target entity's ordinal.
        target: usize,
        /// The relation.
        relation: EntityRelation,
    },
}

/// One piece of evidence of the paper being added: what it supports, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EvidenceRecord {
    /// The relation it supports.
    pub of: EvidenceOf,
    /// The sentence and rule.
    pub evidence: Evidence,
}

/// A paper → entity relation of the paper being added: one `paper_entities` row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaperLink {
    /// The entity's ordinal.
    pub entity: usize,
    /// The relation.
    pub relation: PaperRelation,
    /// Mentions of the entity supporting it.
    pub count: usize,
}

/// What [`KnowledgeGraph::add_paper_relations`] did with a paper.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddedPaper {
    /// For each mention in order, the entity it resolved to.
    pub entities: Vec<EntityRef>,
    /// The paper's relations to entities (its paper → entity edges), ordered by entity
    /// ordinal, then relation name: the order of the `paper_entities` primary key.
    pub links: Vec<PaperLink>,
    /// The evidence of every relation the paper supports, distinct, in text order.
    pub evidence: Vec<EvidenceRecord>,
}

/// Counts of an entity → entity relation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct LinkCount {
    support: usize,
    sentences: usize,
}

/// Papers, entities and their relations in a petgraph [`DiGraph`], with name indexes.
#[derive(Debug, Default)]
pub struct KnowledgeGraph {
    /// The graph itself.
    pub graph: DiGraph<Node, Edge>,
    papers: FastMap<String, NodeIndex>,
    /// Entity nodes by folded name, one map per [`EntityType`] (in [`EntityType::ALL`]
    /// order), so that a mention's entity is found by `&str`, without building a key.
    entities: [FastMap<String, NodeIndex>; 3],
    /// Papers naming both entities of a pair, by [`pair_key`].
    pairs: FastMap<u64, usize>,
    /// Typed relations, and same-sentence counts of co-mentioned pairs.
    links: FastMap<(NodeIndex, NodeIndex, EntityRelation), LinkCount>,
    /// How often each spelling of an entity's name was its name in a paper; the most
    /// frequent becomes the display name at [`KnowledgeGraph::finish`].
    spellings: FastMap<NodeIndex, FastMap<String, usize>>,
    /// The working memory of [`KnowledgeGraph::add_paper_relations`], kept between papers
    /// so that its maps are not allocated and grown again for each one.
    scratch: PaperScratch,
    finished: bool,
}

/// The per-paper working memory of [`KnowledgeGraph::add_paper_relations`]: empty between
/// calls, with the capacity earlier papers needed.
#[derive(Debug, Default)]
struct PaperScratch {
    /// The folded name of the mention being resolved.
    key: String,
    /// Distinct entities in first-mention order: node, first mention index.
    distinct: Vec<(NodeIndex, usize)>,
    /// Each entity node's index in `distinct`.
    slot_of: FastMap<NodeIndex, usize>,
    /// Mentions per distinct entity.
    counts: Vec<usize>,
    /// Mentions per distinct entity and relation (indexed by `PaperRelation as usize`).
    relation_counts: Vec<[usize; PaperRelation::ALL.len()]>,
    /// Distinct evidence spans per distinct entity and relation, in mention order.
    spans: Vec<(usize, PaperRelation, Evidence)>,
    /// The spans already in `spans`, by entity, relation and sentence.
    spans_seen: FastSet<(usize, PaperRelation, SpanKey)>,
    /// Entity → entity relations counted for this paper.
    seen_links: FastSet<(NodeIndex, NodeIndex, EntityRelation)>,
    /// Evidence spans recorded for this paper's entity → entity relations.
    link_spans: FastSet<(EvidenceOf, SpanKey)>,
    /// The distinct entities' nodes, sorted (for the co-mentioned pairs).
    sorted: Vec<NodeIndex>,
}

impl PaperScratch {
    fn clear(&mut self) {
        self.key.clear();
        self.distinct.clear();
        self.slot_of.clear();
        self.counts.clear();
        self.relation_counts.clear();
        self.spans.clear();
        self.spans_seen.clear();
        self.seen_links.clear();
        self.link_spans.clear();
        self.sorted.clear();
    }
}

/// The [`KnowledgeGraph`]'s key of an entity pair: the lower node index in the high half.
fn pair_key(a: NodeIndex, b: NodeIndex) -> u64 {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    ((a.index() as u64) << 32) | b.index() as u64
}

/// The two node indexes of a [`pair_key`].
fn pair_nodes(key: u64) -> (NodeIndex, NodeIndex) {
    (
        NodeIndex::new((key >> 32) as usize),
        NodeIndex::new((key & u64::from(u32::MAX)) as usize),
    )
}

/// The position of `kind` in [`EntityType::ALL`]: its map in [`KnowledgeGraph`].
fn type_slot(kind: EntityType) -> usize {
    match kind {
        EntityType::Model => 0,
        EntityType::Method => 1,
        EntityType::Dataset => 2,
    }
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

    /// Adds a paper node unless a paper with the same identity key (see
    /// [`crate::ingest::Record::key`]) is already there.
    pub fn add_paper(&mut self, key: &str) -> PaperSlot {
        if let Some(&ix) = self.papers.get(key) {
            if let Node::Paper(p) = &self.graph[ix] {
                return PaperSlot::Duplicate(p.ordinal);
            }
        }
        let ordinal = self.papers.len() + 1;
        let ix = self.graph.add_node(Node::Paper(PaperNode { ordinal }));
        self.papers.insert(key.to_string(), ix);
        PaperSlot::New(ordinal)
    }

    /// Records a paper's mentions as plain `mentions` relations (no typed relations, no
    /// evidence sentences). See [`add_paper_relations`](Self::add_paper_relations).
    pub fn add_mentions(&mut self, paper_key: &str, mentions: &[Mention]) -> Vec<EntityRef> {
        self.add_paper_relations(paper_key, mentions, &Relations::untyped(mentions))
            .entities
    }

    /// Records a paper's mentions and the relations [`relations::analyse`] found among
    /// them: creates entity nodes as needed (and family nodes for `variant_of`), one
    /// paper → entity edge per relation, counts entity → entity relations and co-mentioned
    /// pairs (materialised by [`finish`]), and returns the evidence to store.
    ///
    /// `relations` must have one entry per mention. Call it once per paper.
    ///
    /// # Complexity
    /// O(m log m + e² + l) for m mentions naming e distinct entities and l links (hash
    /// sets keep it linear in m however often one entity is named; the e² is the co-mention
    /// pairs, which is why the build caps entities per paper).
    ///
    /// [`finish`]: KnowledgeGraph::finish
    pub fn add_paper_relations(
        &mut self,
        paper_key: &str,
        mentions: &[Mention],
        relations: &Relations,
    ) -> AddedPaper {
        let Some(&paper) = self.papers.get(paper_key) else {
            return AddedPaper::default();
        };
        // Taken out for the call (and put back, cleared, at its end) so that it can be
        // borrowed beside the graph.
        let mut sc = std::mem::take(&mut self.scratch);
        let mut refs = Vec::with_capacity(mentions.len());
        for (i, m) in mentions.iter().enumerate() {
            let r = self.entity_for(m, &mut sc.key);
            let slot = *sc.slot_of.entry(r.node).or_insert_with(|| {
                sc.distinct.push((r.node, i));
                sc.counts.push(0);
                sc.relation_counts.push([0; PaperRelation::ALL.len()]);
                sc.distinct.len() - 1
            });
            sc.counts[slot] += 1;
            if let Some(mr) = relations.per_mention.get(i) {
                sc.relation_counts[slot][mr.relation as usize] += 1;
                if sc
                    .spans_seen
                    .insert((slot, mr.relation, span_key(&mr.evidence)))
                {
                    sc.spans.push((slot, mr.relation, mr.evidence));
                }
            }
            refs.push(r);
        }
        // Spans grouped by entity, then relation; in mention order within a group.
        sc.spans
            .sort_by_key(|&(slot, relation, _)| (slot, relation));
        let mut next_span = 0;
        let mut evidence = Vec::new();
        let mut paper_links = Vec::new();
        for (slot, &(ix, _)) in sc.distinct.iter().enumerate() {
            let ordinal = self.bump_entity(ix, sc.counts[slot]);
            let per_relation = sc.relation_counts[slot];
            let typed = PaperRelation::ALL
                .iter()
                .any(|&r| r != PaperRelation::Mentions && per_relation[r as usize] > 0);
            for relation in PaperRelation::ALL {
                let n = per_relation[relation as usize];
                if n == 0 {
                    continue;
                }
                let group_end = next_span
                    + sc.spans[next_span..]
                        .iter()
                        .take_while(|&&(s, r, _)| s == slot && r == relation)
                        .count();
                let group = next_span..group_end;
                next_span = group_end;
                if typed && relation == PaperRelation::Mentions {
                    continue;
                }
                self.graph
                    .add_edge(paper, ix, Edge::PaperToEntity { relation, count: n });
                paper_links.push(PaperLink {
                    entity: ordinal,
                    relation,
                    count: n,
                });
                for &(_, _, e) in &sc.spans[group] {
                    evidence.push(EvidenceRecord {
                        of: EvidenceOf::Paper {
                            entity: ordinal,
                            relation,
                        },
                        evidence: e,
                    });
                }
            }
        }
        // Per paper, each relation counts once; each span is evidence once.
        let add_link = |g: &mut KnowledgeGraph,
                        sc: &mut PaperScratch,
                        evidence: &mut Vec<EvidenceRecord>,
                        (a, b, relation): (NodeIndex, NodeIndex, EntityRelation),
                        span: Evidence| {
            if a == b {
                return;
            }
            let (a, b) = if relation.is_directed() || a < b {
                (a, b)
            } else {
                (b, a)
            };
            if sc.seen_links.insert((a, b, relation)) {
                let c = g.links.entry((a, b, relation)).or_default();
                c.support += 1;
                c.sentences += 1;
            }
            let of = EvidenceOf::Link {
                source: g.ordinal_of(a),
                target: g.ordinal_of(b),
                relation,
            };
            if sc.link_spans.insert((of, span_key(&span))) {
                evidence.push(EvidenceRecord { of, evidence: span });
            }
        };
        for i in 0..sc.distinct.len() {
            let (ix, first) = sc.distinct[i];
            let (kind, family) = match &self.graph[ix] {
                Node::Entity(e) => (e.kind, e.family.clone()),
                Node::Paper(_) => continue,
            };
            let Some(family) = family else { continue };
            let parent = self.family_node(kind, &family);
            if let (Some(parent), Some(mr)) = (parent, relations.per_mention.get(first)) {
                let span = Evidence {
                    rule: Rule::LexiconFamily,
                    ..mr.evidence
                };
                add_link(
                    self,
                    &mut sc,
                    &mut evidence,
                    (ix, parent, EntityRelation::VariantOf),
                    span,
                );
            }
        }
        for link in &relations.links {
            let (Some(a), Some(b)) = (refs.get(link.source), refs.get(link.target)) else {
                continue;
            };
            add_link(
                self,
                &mut sc,
                &mut evidence,
                (a.node, b.node, link.relation),
                link.evidence,
            );
        }
        sc.sorted.extend(sc.distinct.iter().map(|&(ix, _)| ix));
        sc.sorted.sort();
        for (i, &a) in sc.sorted.iter().enumerate() {
            for &b in &sc.sorted[i + 1..] {
                *self.pairs.entry(pair_key(a, b)).or_insert(0) += 1;
            }
        }
        sc.clear();
        self.scratch = sc;
        paper_links
            .sort_by(|a, b| (a.entity, a.relation.as_str()).cmp(&(b.entity, b.relation.as_str())));
        AddedPaper {
            entities: refs,
            links: paper_links,
            evidence,
        }
    }

    /// Counts one more paper and `mentions` more mentions for an entity; returns its ordinal.
    fn bump_entity(&mut self, ix: NodeIndex, mentions: usize) -> usize {
        match &mut self.graph[ix] {
            Node::Entity(e) => {
                e.papers += 1;
                e.mentions += mentions;
                e.ordinal
            }
            Node::Paper(p) => p.ordinal,
        }
    }

    fn ordinal_of(&self, ix: NodeIndex) -> usize {
        match &self.graph[ix] {
            Node::Entity(e) => e.ordinal,
            Node::Paper(p) => p.ordinal,
        }
    }

    /// The node of family `name` of type `kind`, created (with no papers) if needed. None
    /// when the family folds to an empty name.
    fn family_node(&mut self, kind: EntityType, name: &str) -> Option<NodeIndex> {
        let key = name_key(name);
        if key.is_empty() {
            return None;
        }
        if let Some(&node) = self.entities[type_slot(kind)].get(&key) {
            return Some(node);
        }
        let ordinal = self.entity_count() + 1;
        let node = self.graph.add_node(Node::Entity(EntityNode {
            name: name.to_string(),
            kind,
            family: None,
            aliases: Vec::new(),
            papers: 0,
            mentions: 0,
            ordinal,
        }));
        self.entities[type_slot(kind)].insert(key, node);
        Some(node)
    }

    /// The entity mention `m` names, created if new; `key` is a buffer for its folded name.
    fn entity_for(&mut self, m: &Mention, key: &mut String) -> EntityRef {
        key.clear();
        push_name_key(&m.name, key);
        let found = self.entities[type_slot(m.kind)].get(key.as_str()).copied();
        if let Some(node) = found {
            let spellings = self.spellings.entry(node).or_default();
            match spellings.get_mut(&m.name) {
                Some(n) => *n += 1,
                None => {
                    spellings.insert(m.name.clone(), 1);
                }
            }
            if let Node::Entity(e) = &mut self.graph[node] {
                if let Err(pos) = e.aliases.binary_search(&m.surface) {
                    e.aliases.insert(pos, m.surface.clone());
                }
                if e.family.is_none() && m.family.is_some() {
                    // A family node created as a parent learns its own family.
                    e.family.clone_from(&m.family);
                }
                return EntityRef {
                    node,
                    ordinal: e.ordinal,
                    is_new: false,
                };
            }
        }
        let ordinal = self.entity_count() + 1;
        // A family that folds to the entity's own name is no family.
        let family = m.family.clone().filter(|f| name_key(f) != *key);
        let node = self.graph.add_node(Node::Entity(EntityNode {
            name: m.name.clone(),
            kind: m.kind,
            family,
            aliases: vec![m.surface.clone()],
            papers: 0,
            mentions: 0,
            ordinal,
        }));
        self.entities[type_slot(m.kind)].insert(key.clone(), node);
        self.spellings
            .entry(node)
            .or_default()
            .insert(m.name.clone(), 1);
        EntityRef {
            node,
            ordinal,
            is_new: true,
        }
    }

    /// Gives every entity its most frequent spelling as display name (ties: the
    /// alphabetically first), so the name does not depend on which paper came first. A
    /// lexicon entity always has the lexicon's name: every mention spells it that way.
    fn settle_names(&mut self) {
        let mut spellings: Vec<(NodeIndex, FastMap<String, usize>)> =
            self.spellings.drain().collect();
        spellings.sort_by_key(|(node, _)| *node);
        for (node, counts) in spellings {
            let best = counts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
            if let (Some((name, _)), Node::Entity(e)) = (best, &mut self.graph[node]) {
                e.name = name;
            }
        }
    }

    /// Adds the entity → entity edges counted so far: typed relations and `co_mentioned`.
    /// Call once, after the last paper.
    pub fn finish(&mut self) {
        if self.finished {
            return;
        }
        self.settle_names();
        // Sorted by key: by lower node index, then higher.
        let mut pairs: Vec<(u64, usize)> = self.pairs.drain().collect();
        // Keys are unique: one order. In parallel: the build's other core is nearly idle now.
        pairs.par_sort_unstable();
        // Room for every edge to come at once, instead of regrowing (and copying) a large
        // edge list a few times over.
        self.graph.reserve_edges(pairs.len() + self.links.len());
        for (key, papers) in pairs {
            let (a, b) = pair_nodes(key);
            let sentences = self
                .links
                .get(&(a, b, EntityRelation::CoMentioned))
                .map_or(0, |c| c.sentences);
            self.graph.add_edge(
                a,
                b,
                Edge::EntityToEntity {
                    relation: EntityRelation::CoMentioned,
                    support: papers,
                    sentences,
                },
            );
        }
        let mut links: Vec<((NodeIndex, NodeIndex, EntityRelation), LinkCount)> = self
            .links
            .drain()
            .filter(|((_, _, r), _)| *r != EntityRelation::CoMentioned)
            .collect();
        links.sort_by_key(|&((a, b, r), _)| (a, b, r));
        for ((a, b, relation), c) in links {
            self.graph.add_edge(
                a,
                b,
                Edge::EntityToEntity {
                    relation,
                    support: c.support,
                    sentences: c.sentences,
                },
            );
        }
        self.finished = true;
    }

    /// Number of paper nodes.
    pub fn paper_count(&self) -> usize {
        self.papers.len()
    }

    /// Number of entity nodes.
    pub fn entity_count(&self) -> usize {
        self.entities.iter().map(FastMap::len).sum()
    }

    /// The node of a paper, by identity key.
    pub fn paper(&self, key: &str) -> Option<NodeIndex> {
        self.papers.get(key).copied()
    }

    /// The node of an entity, by type and name (any case or separator variant of its name).
    pub fn entity(&self, kind: EntityType, name: &str) -> Option<NodeIndex> {
        self.entities[type_slot(kind)].get(&name_key(name)).copied()
    }

    /// Every entity node whose name folds to the same key as `name`, of any type, in
    /// type order.
    pub fn entities_named(&self, name: &str) -> Vec<NodeIndex> {
        let key = name_key(name);
        let mut out = Vec::new();
        for kind in EntityType::ALL {
            if let Some(&ix) = self.entities[type_slot(kind)].get(&key) {
                out.push(ix);
            }
        }
        out
    }

    /// Entity nodes in ordinal order.
    pub fn entity_nodes(&self) -> Vec<(NodeIndex, &EntityNode)> {
        let mut out: Vec<(NodeIndex, &EntityNode)> = Vec::with_capacity(self.entity_count());
        for &ix in self.entities.iter().flat_map(FastMap::values) {
            if let Node::Entity(e) = &self.graph[ix] {
                out.push((ix, e));
            }
        }
        out.sort_by_key(|(_, e)| e.ordinal);
        out
    }
}

/// Whether two pieces of evidence point at the same sentence.
/// A sentence's identity: its field and character range (the rule aside).
type SpanKey = (Field, usize, usize);

/// Two pieces of evidence are the same sentence when their [`SpanKey`]s are equal.
fn span_key(e: &Evidence) -> SpanKey {
    (e.field, e.char_start, e.char_end)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn display_name_is_the_most_frequent_spelling() {
        let mut g = KnowledgeGraph::new();
        for p in ["p1", "p2", "p3"] {
            g.add_paper(p);
        }
        g.add_mentions(
            "p1",
            &[mention(
                "Llama-Adapter",
                EntityType::Method,
                "Llama-Adapter",
            )],
        );
        g.add_mentions(
            "p2",
            &[mention(
                "LLaMA-Adapter",
                EntityType::Method,
                "LLaMA-Adapter",
            )],
        );
        g.add_mentions(
            "p3",
            &[mention(
                "LLaMA-Adapter",
                EntityType::Method,
                "LLaMA-Adapter",
            )],
        );
        g.finish();
        let ix = g.entity(EntityType::Method, "llama adapter").unwrap();
        let Node::Entity(e) = &g.graph[ix] else {
            panic!("not an entity")
        };
        assert_eq!(e.name, "LLaMA-Adapter");
    }

    #[test]
    fn duplicate_paper_is_one_node() {
        let mut g = KnowledgeGraph::new();
        assert_eq!(g.add_paper("title:a"), PaperSlot::New(1));
        assert_eq!(g.add_paper("title:b"), PaperSlot::New(2));
        assert_eq!(g.add_paper("title:a"), PaperSlot::Duplicate(1));
        assert_eq!(g.paper_count(), 2);
    }

    #[test]
    fn entities_merge_by_key_but_never_across_types() {
        let mut g = KnowledgeGraph::new();
        g.add_paper("p1");
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
            g.add_paper(p);
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
        assert_eq!(
            g.graph[e],
            Edge::EntityToEntity {
                relation: EntityRelation::CoMentioned,
                support: 2,
                sentences: 0
            }
        );
        let p1 = g.paper("p1").unwrap();
        let e = g.graph.find_edge(p1, a).unwrap();
        assert_eq!(
            g.graph[e],
            Edge::PaperToEntity {
                relation: PaperRelation::Mentions,
                count: 2
            }
        );
        let co = g
            .graph
            .edge_weights()
            .filter(|e| {
                matches!(
                    e,
                    Edge::EntityToEntity {
                        relation: EntityRelation::CoMentioned,
                        ..
                    }
                )
            })
            .count();
        assert_eq!(co, 2);
    }

    fn located(name: &str, kind: EntityType, family: Option<&str>, text: &str) -> Mention {
        let at = text.find(name).unwrap();
        Mention {
            family: family.map(str::to_string),
            byte_start: at,
            char_start: at,
            ..mention(name, kind, name)
        }
    }

    #[test]
    fn typed_relations_replace_mentions_and_carry_evidence() {
        let mut g = KnowledgeGraph::new();
        g.add_paper("p1");
        let text = "We fine-tune Llama 2 with LoRA. LoRA is cheap. Llama 2 beats GPT-4.";
        let ms = vec![
            located("Llama 2", EntityType::Model, Some("LLaMA"), text),
            located("LoRA", EntityType::Method, None, text),
            Mention {
                byte_start: 32,
                char_start: 32,
                ..located("LoRA", EntityType::Method, None, text)
            },
            located("GPT-4", EntityType::Model, Some("GPT"), text),
        ];
        let rels = relations::analyse("", text, &ms);
        let added = g.add_paper_relations("p1", &ms, &rels);
        g.finish();
        let p1 = g.paper("p1").unwrap();
        let lora = g.entity(EntityType::Method, "LoRA").unwrap();
        let edges: Vec<Edge> = g
            .graph
            .edges_connecting(p1, lora)
            .map(|e| *e.weight())
            .collect();
        // Two mentions: one "uses", one plain; the plain one is dropped.
        assert_eq!(
            edges,
            [Edge::PaperToEntity {
                relation: PaperRelation::Uses,
                count: 1
            }]
        );
        // The family LLaMA exists without papers, and Llama 2 is a variant of it.
        let llama = g.entity(EntityType::Model, "LLaMA").unwrap();
        let Node::Entity(f) = &g.graph[llama] else {
            panic!()
        };
        assert_eq!((f.papers, f.aliases.len()), (0, 0));
        let llama2 = g.entity(EntityType::Model, "Llama 2").unwrap();
        let e = g.graph.find_edge(llama2, llama).unwrap();
        assert_eq!(
            g.graph[e],
            Edge::EntityToEntity {
                relation: EntityRelation::VariantOf,
                support: 1,
                sentences: 1
            }
        );
        // Evidence points at sentences; each relation and span once.
        let uses_lora = added
            .evidence
            .iter()
            .filter(|r| {
                matches!(
                    r.of,
                    EvidenceOf::Paper {
                        relation: PaperRelation::Uses,
                        ..
                    }
                )
            })
            .count();
        assert_eq!(uses_lora, 2, "{:?}", added.evidence);
        let mut dedup = added.evidence.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(dedup.len(), added.evidence.len());
        // Same sentence co-mention counted for LoRA–Llama 2 but not LoRA–GPT-4.
        let co = |a: NodeIndex, b: NodeIndex| {
            let (a, b) = if a < b { (a, b) } else { (b, a) };
            g.graph
                .edges_connecting(a, b)
                .find_map(|e| match *e.weight() {
                    Edge::EntityToEntity {
                        relation: EntityRelation::CoMentioned,
                        support,
                        sentences,
                    } => Some((support, sentences)),
                    _ => None,
                })
        };
        let gpt4 = g.entity(EntityType::Model, "GPT-4").unwrap();
        assert_eq!(co(lora, llama2), Some((1, 1)));
        assert_eq!(co(lora, gpt4), Some((1, 0)));
        // The last sentence names Llama 2 too, but no mention was located there.
        assert_eq!(co(llama2, gpt4), Some((1, 0)));
    }
}
