//! The explore commands' answers, one report per command, ready to print or serialise.
//!
//! * [`show`]: an entity's card (type, aliases, family, variants, papers, strongest
//!   relations).
//! * [`neighbors`]: entities within N hops, optionally only over one relation or of one type.
//! * [`path`]: the shortest connection between two entities, each hop with its evidence.
//! * [`top`]: entities ranked by papers, degree or PageRank.
//! * [`related`]: co-mentioned entities ranked by PMI, with a minimum support.
//! * [`papers`]: the papers naming an entity, with their relations and sentences.
//! * [`explain`]: every piece of evidence linking two entities.
//!
//! Each function resolves names through [`Store::resolve`] (so an unknown name is a
//! [`StoreError::UnknownName`] with suggestions) and returns plain data; the command-line
//! layer formats it. None loads the whole graph: [`path`] loads the part it searches
//! ([`Store::connecting`]); [`neighbors`] searches layer by layer without building a graph
//! ([`Store::reach`], [`Store::layers`]), through the indexes or, past a hub's first hop,
//! by one scan of the relations; [`top`] reads the degree and PageRank the build stored;
//! the others use indexed queries only.

use std::collections::HashMap;

use petgraph::graph::NodeIndex;
use serde::Serialize;

use super::reach::{Reach, Reading};
use super::resolve::Resolved;
use super::subgraph::Follow;
use super::{EntityRow, EvidenceText, LinkRow, PaperRef, Store, StoreError};
use crate::extract::EntityType;
use crate::graph::algo::{self, EntityInfo};
use crate::graph::{EntityRelation, PaperRelation};

/// An entity in a listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntitySummary {
    /// Its id.
    pub id: i64,
    /// Canonical name.
    pub name: String,
    /// `model`, `method` or `dataset`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Papers naming it.
    pub papers: usize,
}

impl From<&EntityInfo> for EntitySummary {
    fn from(e: &EntityInfo) -> Self {
        EntitySummary {
            id: e.id,
            name: e.name.clone(),
            kind: e.kind.as_str(),
            papers: e.papers,
        }
    }
}

impl From<&EntityRow> for EntitySummary {
    fn from(e: &EntityRow) -> Self {
        EntitySummary {
            id: e.id,
            name: e.name.clone(),
            kind: e.kind.as_str(),
            papers: e.papers,
        }
    }
}

/// How many papers relate to an entity in one way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RelationCount {
    /// The paper → entity relation.
    pub relation: &'static str,
    /// Papers.
    pub papers: usize,
}

/// `paperkg show`: an entity's card.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EntityCard {
    /// The entity.
    pub entity: EntityRow,
    /// The name as asked, and other entities it also matches.
    pub matched: String,
    /// Other entities the name also matches.
    pub also_matches: Vec<EntitySummary>,
    /// Every alias, canonical name included.
    pub aliases: Vec<String>,
    /// The family it is a variant of.
    pub family: Option<EntitySummary>,
    /// Its variants (entities whose family it is), most-mentioned first.
    pub variants: Vec<EntitySummary>,
    /// Papers per paper → entity relation.
    pub paper_relations: Vec<RelationCount>,
    /// Its entity → entity relations, strongest first (at most the limit asked for).
    pub relations: Vec<LinkRow>,
    /// How many entity → entity relations it has in all.
    pub total_relations: usize,
}

/// Builds the card of the entity named `name`, with at most `limit` relations.
pub fn show(
    store: &Store,
    name: &str,
    kind: Option<EntityType>,
    limit: usize,
) -> Result<EntityCard, StoreError> {
    let Resolved {
        entity,
        matched,
        others,
    } = store.resolve(name, kind)?;
    let family = match entity.parent_id {
        Some(p) => store.entity(p)?.as_ref().map(EntitySummary::from),
        None => None,
    };
    let mut relations = store.links(entity.id)?;
    sort_links(&mut relations);
    let total_relations = relations.len();
    relations.truncate(limit);
    Ok(EntityCard {
        aliases: store.aliases(entity.id)?,
        family,
        variants: store
            .variants(entity.id)?
            .iter()
            .map(EntitySummary::from)
            .collect(),
        paper_relations: store
            .paper_relation_counts(entity.id)?
            .into_iter()
            .map(|(r, papers)| RelationCount {
                relation: r.as_str(),
                papers,
            })
            .collect(),
        relations,
        total_relations,
        also_matches: others.iter().map(EntitySummary::from).collect(),
        matched,
        entity,
    })
}

/// Typed relations before co-mentions; then more supporting papers, more sentences, higher
/// PMI, then by name.
fn sort_links(links: &mut [LinkRow]) {
    links.sort_by(|a, b| {
        let co = |l: &LinkRow| l.direction == "both";
        co(a)
            .cmp(&co(b))
            .then(b.support.cmp(&a.support))
            .then(b.sentences.cmp(&a.sentences))
            .then(b.pmi.unwrap_or(0.0).total_cmp(&a.pmi.unwrap_or(0.0)))
            .then(a.other.name.cmp(&b.other.name))
            .then(a.relation.cmp(&b.relation))
    });
}

/// What [`neighbors`] looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NeighborQuery {
    /// Hops to follow (at least 1).
    pub depth: usize,
    /// List only entities of this type (all types are still walked through).
    pub kind: Option<EntityType>,
    /// Follow only this relation.
    pub relation: Option<EntityRelation>,
    /// Most entities listed.
    pub limit: usize,
}

/// One entity near the start of [`neighbors`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Neighbor {
    /// Hops from the start.
    pub depth: usize,
    /// The entity.
    pub entity: EntitySummary,
    /// The entity it was reached from.
    pub via: String,
    /// The relation crossed (the strongest, when there are several).
    pub relation: &'static str,
    /// `out` when `via` is the relation's source, `in` when it is the target, `both` for
    /// `co_mentioned`.
    pub direction: &'static str,
    /// Papers supporting the relation.
    pub support: usize,
    /// PMI, for `co_mentioned`.
    pub pmi: Option<f64>,
}

/// `paperkg neighbors`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NeighborsReport {
    /// The start.
    pub entity: EntitySummary,
    /// Entities found (before the limit).
    pub total: usize,
    /// Nearest and strongest first.
    pub neighbors: Vec<Neighbor>,
}

/// The entities within `query.depth` hops of the entity named `name`: what
/// `graph::algo::neighborhood` finds in [`Store::ball`] (nearest first, then strongest
/// relation, then id), without loading the ball ([`Store::reach`]).
///
/// When the entities one hop away already fill `query.limit`, the deeper ones are only
/// counted ([`Store::layers`]): the list is the same, and the relations beyond the first
/// hop need not be weighed.
///
/// # Complexity
/// One indexed query per entity closer than the depth, or one scan of the relations once
/// a layer has about as many as half the table (a hub's neighbours); then one query per
/// 500 entities listed and one per relation listed. Linear in the relations read.
pub fn neighbors(
    store: &Store,
    name: &str,
    kind: Option<EntityType>,
    query: &NeighborQuery,
) -> Result<NeighborsReport, StoreError> {
    neighbors_read(store, name, kind, query, Reading::Auto)
}

/// [`neighbors`], reading the relations as `reading` says.
fn neighbors_read(
    store: &Store,
    name: &str,
    kind: Option<EntityType>,
    query: &NeighborQuery,
    reading: Reading,
) -> Result<NeighborsReport, StoreError> {
    let start = store.resolve(name, kind)?.entity;
    let depth = query.depth.max(1);
    let follow = Follow {
        relation: query.relation,
        sentences_only: false,
    };
    let find = |depth| Search {
        start: start.id,
        depth,
        follow,
        kind: query.kind,
        limit: query.limit,
        reading,
    };
    if depth > 1 {
        let (near, listed) = find(1).run(store)?;
        if near >= query.limit {
            let layers = store.layers(start.id, depth, follow, reading)?;
            let farther: Vec<i64> = layers.iter().skip(1).flatten().copied().collect();
            let counted = match query.kind {
                None => farther.len(),
                Some(k) => store.count_of_type(&farther, k)?,
            };
            return Ok(NeighborsReport {
                entity: EntitySummary::from(&start),
                total: near + counted,
                neighbors: listed,
            });
        }
    }
    let (total, listed) = find(depth).run(store)?;
    Ok(NeighborsReport {
        entity: EntitySummary::from(&start),
        total,
        neighbors: listed,
    })
}

/// A search of [`neighbors`]: the entities of type `kind` (any when `None`) within
/// `depth` hops of entity `start`.
#[derive(Clone, Copy, Debug)]
struct Search {
    start: i64,
    depth: usize,
    follow: Follow,
    kind: Option<EntityType>,
    limit: usize,
    reading: Reading,
}

impl Search {
    /// How many entities it finds, and the first `limit`, nearest and strongest first.
    fn run(&self, store: &Store) -> Result<(usize, Vec<Neighbor>), StoreError> {
        let of_kind = match self.kind {
            Some(k) => Some(store.ids_of_type(k)?),
            None => None,
        };
        let wanted = |id| of_kind.as_ref().is_none_or(|ids| ids.contains(&id));
        let (total, listed) = store.reach(
            self.start,
            self.depth,
            self.follow,
            self.reading,
            &wanted,
            self.limit,
        )?;
        Ok((total, describe(store, &listed)?))
    }
}

/// The [`Neighbor`]s `reached` are: their entities, and the relations reaching them.
fn describe(store: &Store, reached: &[Reach]) -> Result<Vec<Neighbor>, StoreError> {
    let ids: Vec<i64> = reached.iter().flat_map(|r| [r.id, r.via]).collect();
    let rows: HashMap<i64, EntityRow> = store
        .entities_by_id(&ids)?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let keys: Vec<_> = reached
        .iter()
        .map(|r| (r.source, r.target, r.weight.relation))
        .collect();
    let pmis = store.pmis(&keys)?;
    let mut out = Vec::with_capacity(reached.len());
    for r in reached {
        let entity = rows.get(&r.id).ok_or_else(|| missing(store, r.id))?;
        let via = rows.get(&r.via).ok_or_else(|| missing(store, r.via))?;
        let relation = r.weight.relation;
        out.push(Neighbor {
            depth: r.depth,
            entity: EntitySummary::from(entity),
            via: via.name.clone(),
            relation: relation.as_str(),
            direction: direction(relation, r.source == r.via),
            support: r.weight.support as usize,
            pmi: pmis.get(&(r.source, r.target, relation)).copied(),
        });
    }
    Ok(out)
}

fn direction(relation: EntityRelation, outgoing: bool) -> &'static str {
    match (relation.is_directed(), outgoing) {
        (false, _) => "both",
        (true, true) => "out",
        (true, false) => "in",
    }
}

fn missing(store: &Store, id: i64) -> StoreError {
    StoreError::Damaged {
        path: store.path().to_path_buf(),
        reason: format!("entity {id} has a relation but no row"),
    }
}

/// One hop of [`path`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathHop {
    /// Where the hop starts.
    pub from: EntitySummary,
    /// Where it ends.
    pub to: EntitySummary,
    /// The relation crossed.
    pub relation: &'static str,
    /// `out` when `from` is the relation's source, `in` when it is the target, `both` for
    /// `co_mentioned`.
    pub direction: &'static str,
    /// Papers supporting it.
    pub support: usize,
    /// Papers with a sentence naming both.
    pub sentences: usize,
    /// Why: the sentence naming both; or, for two entities that only share papers, each
    /// one's sentence in the first shared paper.
    pub evidence: Vec<EvidenceText>,
}

/// `paperkg path`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathReport {
    /// The start.
    pub from: EntitySummary,
    /// The end.
    pub to: EntitySummary,
    /// Whether they are connected at all.
    pub connected: bool,
    /// True when every hop is backed by a sentence naming both ends; false when the
    /// shortest connection had to use pairs that only share a paper.
    pub sentence_evidence: bool,
    /// The hops, from `from` to `to`.
    pub hops: Vec<PathHop>,
}

/// The shortest connection between the entities named `a` and `b`: fewest hops over
/// relations backed by a sentence naming both ends if there is such a path, else over
/// every relation; among equally short paths, the strongest (see [`algo::shortest_path`]).
///
/// # Complexity
/// Loads only what a bidirectional search between the two follows
/// ([`Store::connecting`]), twice at most (sentence-backed relations first); then one
/// evidence look-up per hop.
pub fn path(
    store: &Store,
    a: &str,
    b: &str,
    kind: Option<EntityType>,
) -> Result<PathReport, StoreError> {
    let from = store.resolve(a, kind)?.entity;
    let to = store.resolve(b, kind)?.entity;
    let mut sentence_evidence = true;
    let sentences = Follow {
        relation: None,
        sentences_only: true,
    };
    let loaded = match store.connecting(from.id, to.id, sentences)? {
        Some(part) => part,
        None => {
            sentence_evidence = false;
            store
                .connecting(from.id, to.id, Follow::default())?
                .unwrap_or_default()
        }
    };
    let g = &loaded.graph;
    let (s, t) = match (loaded.node(from.id), loaded.node(to.id)) {
        (Some(s), Some(t)) => (s, t),
        // Not connected at all: an empty part holds neither end.
        _ => (NodeIndex::end(), NodeIndex::end()),
    };
    let hops = if sentence_evidence {
        algo::shortest_path(g, s, t, &|l| l.sentences > 0)
    } else {
        algo::shortest_path(g, s, t, &|_| true)
    };
    let connected = hops.is_some();
    let mut out = Vec::new();
    for hop in hops.unwrap_or_default() {
        let link = g[hop.edge];
        let (src, tgt) = g
            .edge_endpoints(hop.edge)
            .map(|(x, y)| (g[x].id, g[y].id))
            .unwrap_or((g[hop.from].id, g[hop.to].id));
        let evidence = if link.sentences > 0 {
            best_sentence(
                store,
                src,
                tgt,
                link.relation,
                &g[hop.from].name,
                &g[hop.to].name,
            )?
        } else {
            shared_paper_sentences(store, g[hop.from].id, g[hop.to].id)?
        };
        out.push(PathHop {
            from: EntitySummary::from(&g[hop.from]),
            to: EntitySummary::from(&g[hop.to]),
            relation: link.relation.as_str(),
            direction: direction(link.relation, src == g[hop.from].id),
            support: link.support,
            sentences: link.sentences,
            evidence,
        });
    }
    Ok(PathReport {
        from: EntitySummary::from(&from),
        to: EntitySummary::from(&to),
        connected,
        sentence_evidence: connected && sentence_evidence,
        hops: out,
    })
}

/// The evidence sentence of a relation that best shows it: one naming both entities by
/// their canonical names if there is one among the first few, else the first.
fn best_sentence(
    store: &Store,
    source: i64,
    target: i64,
    relation: EntityRelation,
    a: &str,
    b: &str,
) -> Result<Vec<EvidenceText>, StoreError> {
    let rows = store.link_evidence(source, target, relation, 20)?;
    let names = |e: &EvidenceText| {
        let s = e.sentence.to_lowercase();
        s.contains(&a.to_lowercase()) && s.contains(&b.to_lowercase())
    };
    Ok(rows
        .iter()
        .find(|e| names(e))
        .or_else(|| rows.first())
        .cloned()
        .into_iter()
        .collect())
}

/// Each entity's first sentence in the first paper naming both.
fn shared_paper_sentences(store: &Store, a: i64, b: i64) -> Result<Vec<EvidenceText>, StoreError> {
    let (_, papers) = store.shared_papers(a, b, 1)?;
    let mut out = Vec::new();
    if let Some(&paper) = papers.first() {
        for entity in [a, b] {
            if let Some(e) = store
                .paper_entity_evidence(paper, entity)?
                .into_iter()
                .next()
            {
                out.push(e);
            }
        }
    }
    Ok(out)
}

/// What [`top`] ranks by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopBy {
    /// Papers naming the entity.
    Papers,
    /// Distinct entities related to it.
    Degree,
    /// PageRank over the support-weighted entity graph.
    PageRank,
}

/// One row of [`top`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TopRow {
    /// 1-based rank.
    pub rank: usize,
    /// The entity.
    pub entity: EntitySummary,
    /// Distinct related entities.
    pub degree: usize,
    /// PageRank (ranks of all entities sum to 1).
    pub pagerank: f64,
}

/// The `limit` top entities (of type `kind`, if given) by `by`; ties by papers, then name,
/// then id. Degree and PageRank are computed by the build (`entities.degree`,
/// `entities.pagerank`), so no graph is loaded.
///
/// # Complexity
/// One index scan of `limit` rows (plus the entities tied with the last one).
pub fn top(
    store: &Store,
    kind: Option<EntityType>,
    by: TopBy,
    limit: usize,
) -> Result<Vec<TopRow>, StoreError> {
    let order = match by {
        TopBy::Papers => "e.paper_count DESC, e.name, e.id",
        TopBy::Degree => "e.degree DESC, e.paper_count DESC, e.name, e.id",
        TopBy::PageRank => "e.pagerank DESC, e.paper_count DESC, e.name, e.id",
    };
    let mut rows = Vec::new();
    for (i, (entity, degree, pagerank)) in store
        .ranked_entities(kind, order, limit)?
        .into_iter()
        .enumerate()
    {
        rows.push(TopRow {
            rank: i + 1,
            entity: EntitySummary::from(&entity),
            degree,
            pagerank,
        });
    }
    Ok(rows)
}

/// One row of [`related`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RelatedRow {
    /// The co-mentioned entity.
    pub entity: EntitySummary,
    /// Papers naming both.
    pub shared_papers: usize,
    /// Papers with a sentence naming both.
    pub sentences: usize,
    /// Pointwise mutual information, in bits.
    pub pmi: f64,
}

/// `paperkg related`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RelatedReport {
    /// The entity asked about.
    pub entity: EntitySummary,
    /// Papers in the database (PMI's denominator).
    pub total_papers: usize,
    /// The minimum number of shared papers required.
    pub min_support: usize,
    /// Entities found (before the limit).
    pub total: usize,
    /// Highest PMI first.
    pub related: Vec<RelatedRow>,
}

/// The entities most associated with the one named `name`: co-mentioned in at least
/// `min_support` papers, by PMI (then shared papers, then name).
///
/// # Complexity
/// Two index look-ups and a sort of the entity's co-mentions.
pub fn related(
    store: &Store,
    name: &str,
    kind: Option<EntityType>,
    min_support: usize,
    limit: usize,
) -> Result<RelatedReport, StoreError> {
    let entity = store.resolve(name, kind)?.entity;
    let mut rows: Vec<RelatedRow> = store
        .co_mentions(entity.id, min_support.max(1))?
        .into_iter()
        .map(|l| RelatedRow {
            entity: EntitySummary::from(&l.other),
            shared_papers: l.support,
            sentences: l.sentences,
            pmi: l.pmi.unwrap_or(0.0),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.pmi
            .total_cmp(&a.pmi)
            .then(b.shared_papers.cmp(&a.shared_papers))
            .then(a.entity.name.cmp(&b.entity.name))
    });
    let total = rows.len();
    rows.truncate(limit);
    Ok(RelatedReport {
        entity: EntitySummary::from(&entity),
        total_papers: store.paper_count()?,
        min_support: min_support.max(1),
        total,
        related: rows,
    })
}

/// One paper of [`papers`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PaperHit {
    /// The paper.
    pub paper: PaperRef,
    /// How it relates to the entity, strongest first.
    pub relations: Vec<&'static str>,
    /// The sentences behind each relation.
    pub evidence: Vec<EvidenceText>,
}

/// `paperkg papers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PapersReport {
    /// The entity.
    pub entity: EntitySummary,
    /// Papers found (before the limit).
    pub total: usize,
    /// Papers proposing it first, then using it, evaluating on it, comparing with it,
    /// mentioning it; by id within each.
    pub papers: Vec<PaperHit>,
}

/// The papers naming the entity called `name` (only those with `relation`, if given), at
/// most `limit`, with the relation and sentence.
///
/// # Complexity
/// One index look-up for the papers, then one per listed paper.
pub fn papers(
    store: &Store,
    name: &str,
    kind: Option<EntityType>,
    relation: Option<PaperRelation>,
    limit: usize,
) -> Result<PapersReport, StoreError> {
    let entity = store.resolve(name, kind)?.entity;
    let (total, found) = store.papers_of(entity.id, relation, limit)?;
    let mut hits = Vec::with_capacity(found.len());
    for (paper, rels) in found {
        let evidence = store
            .paper_entity_evidence(paper.id, entity.id)?
            .into_iter()
            .filter(|e| relation.is_none_or(|r| e.relation == r.as_str()))
            .collect();
        hits.push(PaperHit {
            paper,
            relations: rels.iter().map(|r| r.as_str()).collect(),
            evidence,
        });
    }
    Ok(PapersReport {
        entity: EntitySummary::from(&entity),
        total,
        papers: hits,
    })
}

/// A direct relation in [`explain`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExplainedLink {
    /// The relation.
    pub relation: String,
    /// `out` when the first entity is the source, `in` when it is the target, `both` for
    /// `co_mentioned`.
    pub direction: &'static str,
    /// Papers supporting it.
    pub support: usize,
    /// Papers with a sentence naming both.
    pub sentences: usize,
    /// PMI, for `co_mentioned`.
    pub pmi: Option<f64>,
    /// Its evidence sentences (at most the limit asked for).
    pub evidence: Vec<EvidenceText>,
}

/// A paper naming both entities in [`explain`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SharedPaper {
    /// The paper.
    pub paper: PaperRef,
    /// How the paper relates to the first entity, with sentences.
    pub first: Vec<EvidenceText>,
    /// How the paper relates to the second entity, with sentences.
    pub second: Vec<EvidenceText>,
}

/// `paperkg explain`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explanation {
    /// The first entity.
    pub first: EntitySummary,
    /// The second entity.
    pub second: EntitySummary,
    /// Direct relations between them, most specific first.
    pub relations: Vec<ExplainedLink>,
    /// Papers naming both.
    pub shared_total: usize,
    /// The first of them (at most the limit asked for), by id.
    pub shared_papers: Vec<SharedPaper>,
}

/// Every piece of evidence linking the entities named `a` and `b`: their direct relations
/// with the sentences behind them, and the papers naming both with each one's relation and
/// sentence there. At most `limit` sentences per relation and `limit` papers.
///
/// # Complexity
/// Index look-ups only: one per relation, one for the shared papers, two per listed paper.
pub fn explain(
    store: &Store,
    a: &str,
    b: &str,
    kind: Option<EntityType>,
    limit: usize,
) -> Result<Explanation, StoreError> {
    let first = store.resolve(a, kind)?.entity;
    let second = store.resolve(b, kind)?.entity;
    let mut relations = Vec::new();
    for link in store.links_between(first.id, second.id)? {
        let Ok(rel) = link.relation.parse::<EntityRelation>() else {
            continue;
        };
        let (s, t) = match link.direction {
            "in" => (second.id, first.id),
            "both" => (first.id.min(second.id), first.id.max(second.id)),
            _ => (first.id, second.id),
        };
        relations.push(ExplainedLink {
            evidence: store.link_evidence(s, t, rel, limit)?,
            relation: link.relation,
            direction: link.direction,
            support: link.support,
            sentences: link.sentences,
            pmi: link.pmi,
        });
    }
    let (shared_total, ids) = store.shared_papers(first.id, second.id, limit)?;
    let mut shared_papers = Vec::with_capacity(ids.len());
    for id in ids {
        shared_papers.push(SharedPaper {
            paper: store.paper(id)?,
            first: store.paper_entity_evidence(id, first.id)?,
            second: store.paper_entity_evidence(id, second.id)?,
        });
    }
    Ok(Explanation {
        first: EntitySummary::from(&first),
        second: EntitySummary::from(&second),
        relations,
        shared_total,
        shared_papers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::algo::LinkInfo;
    use crate::store::tests::{bundled, full_scans, plan_lines};

    /// What [`neighbors`] lists, the slow way: every entity of type `kind` within `depth`
    /// hops of `start`, by `algo::neighborhood` on the loaded ball (the way it was
    /// computed before [`Store::reach`]).
    fn ball_neighbors(
        store: &Store,
        start: i64,
        depth: usize,
        follow: Follow,
        kind: Option<EntityType>,
    ) -> Vec<Neighbor> {
        let loaded = store.ball(start, depth, follow).unwrap();
        let g = &loaded.graph;
        let node = loaded.node(start).unwrap();
        let relation = follow.relation;
        let follows = move |l: &LinkInfo| relation.is_none_or(|r| l.relation == r);
        algo::neighborhood(g, node, depth, &follows)
            .into_iter()
            .filter(|r| kind.is_none_or(|k| g[r.node].kind == k))
            .map(|r| {
                let link = &g[r.edge];
                let outgoing = g.edge_endpoints(r.edge).is_some_and(|(s, _)| s == r.via);
                Neighbor {
                    depth: r.depth,
                    entity: EntitySummary::from(&g[r.node]),
                    via: g[r.via].name.clone(),
                    relation: link.relation.as_str(),
                    direction: direction(link.relation, outgoing),
                    support: link.support,
                    pmi: link.pmi,
                }
            })
            .collect()
    }

    /// `neighbors` must give the answer of the whole ball, read through the indexes or by
    /// a scan: the same entities, in the same order, each reached by the same relation
    /// (among equally strong ones, the one `neighborhood` meets first); and when the first
    /// hop fills the list and the rest is only counted, the same total. The scan reads
    /// `edges_packed`.
    #[test]
    fn neighbors_give_the_answer_of_the_whole_ball() {
        let (_dir, store) = bundled();
        let names = [
            "LoRA", "LLaMA", "MMLU", "GPT-4", "C-Eval", "RLHF", "BERT", "GSM8K", "LongLoRA",
        ];
        let (shortcuts, ties) = check_neighbors_against_the_ball(&store, &names);
        assert!(shortcuts > 100, "the shortcut was taken {shortcuts} times");
        assert!(
            ties > 100,
            "only {ties} entities had equally strong relations to choose from"
        );
        // The full scans are the ones asked for (and they are seen): of the packed copy,
        // after a look for it in the schema and a sum of its lengths.
        let scans = full_scans(&store);
        assert!(
            scans
                .iter()
                .any(|s| s.contains("FROM edges_packed ORDER BY block")),
            "the scan of edges_packed is not seen"
        );
        for scan in &scans {
            assert!(scan.contains("edges_packed"), "{scan}");
        }
    }

    /// Without `edges_packed` (a database built before it, or emptied), the scans read
    /// `edges` instead, in halves on two cores, and give the same answers.
    #[test]
    fn neighbors_without_the_packed_copy_read_edges() {
        let (dir, store) = bundled();
        let db = dir.path().join("kg.sqlite");
        drop(store);
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute("DELETE FROM edges_packed", []).unwrap();
        drop(conn);
        let store = Store::open(&db).unwrap();
        let (shortcuts, _) = check_neighbors_against_the_ball(&store, &["LoRA", "MMLU", "GPT-4"]);
        assert!(shortcuts > 10, "the shortcut was taken {shortcuts} times");
        // The full scans are the ones asked for (and they are seen): of the relations,
        // or, on two cores, of their first half, after a step over the keys to the middle.
        let scans = full_scans(&store);
        assert!(!scans.is_empty(), "the scan of edges is not seen");
        for scan in &scans {
            let relations = scan.contains("FROM edges WHERE (?1 IS NULL");
            let middle = scan.contains("ORDER BY source_id, target_id LIMIT 1 OFFSET ?1");
            let packed = scan.contains("edges_packed");
            assert!(relations || middle || packed, "{scan}");
            assert!(!scan.contains("ORDER BY block"), "{scan}");
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let halves = plan_lines(&store)
            .iter()
            .any(|(_, sql)| sql.contains("AND (source_id, target_id) < (?3, ?4)"));
        assert_eq!(
            halves,
            cores > 1,
            "the scan is split in halves on two cores only"
        );
    }

    /// Compares `neighbors` with [`ball_neighbors`] from each of `names`, at depths 1 to 3,
    /// with and without a type and a relation, at several limits, read every way; returns
    /// how often the first hop filled the list, and how many entities had equally strong
    /// relations to choose from.
    fn check_neighbors_against_the_ball(store: &Store, names: &[&str]) -> (usize, usize) {
        let mut shortcuts = 0;
        let mut ties = 0;
        for &name in names {
            let start = store.resolve(name, None).unwrap().entity;
            for depth in 1..=3 {
                for kind in [None, Some(EntityType::Dataset), Some(EntityType::Model)] {
                    for relation in [None, Some(EntityRelation::CoMentioned)] {
                        let follow = Follow {
                            relation,
                            sentences_only: false,
                        };
                        let all = ball_neighbors(store, start.id, depth, follow, kind);
                        let near = ball_neighbors(store, start.id, 1, follow, kind).len();
                        ties += equal_strength_pairs(store, start.id, depth, follow);
                        for limit in [0, 1, 3, 10, 40, usize::MAX] {
                            let query = NeighborQuery {
                                depth,
                                kind,
                                relation,
                                limit,
                            };
                            for reading in [Reading::Indexed, Reading::Scan, Reading::Auto] {
                                let got =
                                    neighbors_read(store, name, None, &query, reading).unwrap();
                                let what = format!("{name} {query:?} {reading:?}");
                                assert_eq!(got.total, all.len(), "{what}");
                                let listed: Vec<&Neighbor> = all.iter().take(limit).collect();
                                let got: Vec<&Neighbor> = got.neighbors.iter().collect();
                                assert_eq!(got, listed, "{what}");
                            }
                            shortcuts += usize::from(depth > 1 && near >= limit);
                        }
                    }
                }
            }
        }
        (shortcuts, ties)
    }

    /// Equally strong relations between the same two entities (several relations, either
    /// way) are told apart as `neighborhood` tells them apart: those leaving the nearer
    /// entity first, then by relation name, highest first. The bundled sample has no such
    /// pairs, so they are added.
    #[test]
    fn ties_between_two_entities_are_broken_as_in_the_ball() {
        let (dir, store) = bundled();
        let start = store.resolve("LoRA", None).unwrap().entity.id;
        let ball = ball_neighbors(&store, start, 2, Follow::default(), None);
        let at = |depth| -> Vec<i64> {
            ball.iter()
                .filter(|n| n.depth == depth)
                .map(|n| n.entity.id)
                .take(8)
                .collect()
        };
        let (near, far) = (at(1), at(2));
        assert_eq!((near.len(), far.len()), (8, 8));
        drop(store);
        let path = dir.path().join("kg.sqlite");
        let conn = rusqlite::Connection::open(&path).unwrap();
        let typed = ["variant_of", "based_on", "trained_on", "evaluated_on"];
        for (i, (&v, &x)) in near.iter().zip(&far).enumerate() {
            for (j, relation) in typed.iter().enumerate() {
                // Pair i gets relation j from v to x or from x to v, by the bits of i.
                let (s, t) = if (i >> j) & 1 == 0 { (v, x) } else { (x, v) };
                conn.execute(
                    "INSERT OR REPLACE INTO edges VALUES (?1, ?2, ?3, 500, 500, NULL)",
                    rusqlite::params![s, t, relation],
                )
                .unwrap();
            }
        }
        drop(conn);
        let store = Store::open(&path).unwrap();
        for depth in 1..=3 {
            let all = ball_neighbors(&store, start, depth, Follow::default(), None);
            let query = NeighborQuery {
                depth,
                kind: None,
                relation: None,
                limit: usize::MAX,
            };
            for reading in [Reading::Indexed, Reading::Scan] {
                let got = neighbors_read(&store, "LoRA", None, &query, reading).unwrap();
                assert_eq!(got.neighbors, all, "depth {depth}, {reading:?}");
            }
        }
    }

    /// How many entities within `depth` hops of `start` are reached from the layer before
    /// by several equally strong relations, so that which one is reported depends on the
    /// order `neighborhood` meets them in.
    fn equal_strength_pairs(store: &Store, start: i64, depth: usize, follow: Follow) -> usize {
        let loaded = store.ball(start, depth, follow).unwrap();
        let g = &loaded.graph;
        let relation = follow.relation;
        let follows = move |l: &LinkInfo| relation.is_none_or(|r| l.relation == r);
        let found = algo::neighborhood(g, loaded.node(start).unwrap(), depth, &follows);
        let depth_of: HashMap<_, _> = found.iter().map(|r| (r.node, r.depth)).collect();
        let at = |n| {
            if n == loaded.node(start).unwrap() {
                Some(0)
            } else {
                depth_of.get(&n).copied()
            }
        };
        let mut count = 0;
        for r in &found {
            let best = g[r.edge].strength();
            let equal = g
                .edges_directed(r.node, petgraph::Direction::Outgoing)
                .map(|e| (petgraph::visit::EdgeRef::target(&e), e.weight()))
                .chain(
                    g.edges_directed(r.node, petgraph::Direction::Incoming)
                        .map(|e| (petgraph::visit::EdgeRef::source(&e), e.weight())),
                )
                .filter(|&(other, link)| {
                    follows(link) && at(other) == Some(r.depth - 1) && link.strength() == best
                })
                .count();
            count += usize::from(equal > 1);
        }
        count
    }

    /// Counting the farther layers, through the indexes or by a scan, finds the entities
    /// of the ball.
    #[test]
    fn layers_hold_the_entities_of_the_ball() {
        let (_dir, store) = bundled();
        for name in ["LoRA", "MMLU", "BERT", "C-Eval"] {
            let start = store.resolve(name, None).unwrap().entity.id;
            for depth in 1..=3 {
                for relation in [None, Some(EntityRelation::BasedOn)] {
                    let follow = Follow {
                        relation,
                        sentences_only: false,
                    };
                    let ball = ball_neighbors(&store, start, depth, follow, None);
                    for reading in [Reading::Indexed, Reading::Scan] {
                        let layers = store.layers(start, depth, follow, reading).unwrap();
                        for (d, layer) in layers.iter().enumerate() {
                            let mut got: Vec<&str> = Vec::new();
                            let names: HashMap<i64, String> = store
                                .entities_by_id(layer)
                                .unwrap()
                                .into_iter()
                                .map(|e| (e.id, e.name))
                                .collect();
                            for id in layer {
                                got.push(&names[id]);
                            }
                            got.sort_unstable();
                            let mut want: Vec<&str> = ball
                                .iter()
                                .filter(|n| n.depth == d + 1)
                                .map(|n| n.entity.name.as_str())
                                .collect();
                            want.sort_unstable();
                            assert_eq!(got, want, "{name} {depth} {relation:?} {reading:?}");
                        }
                        let counted: usize = layers.iter().map(Vec::len).sum();
                        assert_eq!(counted, ball.len(), "{name} {depth} {reading:?}");
                    }
                }
            }
        }
    }

    /// A relation the store cannot read, met in the middle of a scan of `edges` (its
    /// rows handed between two threads), stops the search with an error naming it, the
    /// same as when read through the indexes.
    #[test]
    fn a_damaged_relation_stops_a_scan_with_an_error() {
        let (dir, store) = bundled();
        let start = store.resolve("LoRA", None).unwrap().entity.id;
        let other = store.resolve("MMLU", None).unwrap().entity.id;
        drop(store);
        let path = dir.path().join("kg.sqlite");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA ignore_check_constraints = ON;")
            .unwrap();
        conn.execute(
            "INSERT INTO edges VALUES (?1, ?2, 'cites', 1, 0, NULL)",
            rusqlite::params![start, other],
        )
        .unwrap();
        drop(conn);
        let store = Store::open(&path).unwrap();
        for reading in [Reading::Scan, Reading::Indexed] {
            let err = store
                .reach(start, 2, Follow::default(), reading, &|_| true, 10)
                .unwrap_err();
            assert!(
                matches!(&err, StoreError::Damaged { reason, .. } if reason == "unknown relation \"cites\" in edges"),
                "{reading:?}: {err}"
            );
        }
    }

    /// A damaged block of `edges_packed` (an unknown relation code) stops a scan with an
    /// error that says so; reading through the indexes does not touch it.
    #[test]
    fn a_damaged_packed_block_stops_a_scan_with_an_error() {
        let (dir, store) = bundled();
        let start = store.resolve("LoRA", None).unwrap().entity.id;
        drop(store);
        let path = dir.path().join("kg.sqlite");
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut block: Vec<u8> = conn
            .query_row(
                "SELECT relations FROM edges_packed WHERE block = 0",
                [],
                |r| r.get(0),
            )
            .unwrap();
        block[8] = 9;
        conn.execute(
            "UPDATE edges_packed SET relations = ?1 WHERE block = 0",
            [&block],
        )
        .unwrap();
        drop(conn);
        let store = Store::open(&path).unwrap();
        let err = store
            .reach(start, 2, Follow::default(), Reading::Scan, &|_| true, 10)
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Damaged { reason, .. } if reason == "unknown relation code 9 in edges_packed"),
            "{err}"
        );
        let indexed = store.reach(start, 2, Follow::default(), Reading::Indexed, &|_| true, 10);
        assert!(indexed.is_ok(), "{indexed:?}");
    }

    /// `related` reads an entity's co-mentions through its own rows of `edges` (the key
    /// and `edges_target`), not through `edges_relation`, which holds every co-mention
    /// of the graph: without statistics SQLite would take `relation = 'co_mentioned' AND
    /// support >= ?` for the narrower filter.
    #[test]
    fn related_reads_only_the_entitys_own_relations() {
        let (_dir, store) = bundled();
        let report = related(&store, "LoRA", None, 1, 10).unwrap();
        assert!(report.total > 10, "{}", report.total);
        let lines = plan_lines(&store);
        assert!(lines.iter().any(|(_, sql)| sql.contains("'co_mentioned'")));
        for (detail, sql) in lines {
            assert!(!detail.contains("edges_relation"), "{detail}  <-  {sql}");
        }
    }
}
