//! Reading the part of a built database to draw or export: [`load`] chooses entities,
//! relations and papers by [`ExportOptions`] and returns an [`ExportGraph`] for the writers
//! in [`crate::export`].
//!
//! # Selection
//! 1. Entities of the asked types, and entity → entity relations of the asked kinds with at
//!    least `min_weight` supporting papers, are the candidates.
//! 2. With a focus, only the entities within `depth` hops of it over those relations (in
//!    either direction) remain. When more than `top` remain, they are chosen like a
//!    maximum spanning tree grown from the focus (Prim's algorithm): the next entity is the
//!    one with the strongest relation to an entity already kept, where a typed relation
//!    beats a co-mention, sentence evidence beats shared papers and more support beats
//!    less ([`LinkInfo::strength`]). The drawing stays connected and keeps the family tree
//!    and the closest partners of the focus.
//! 3. Without a focus, the `top` entities named by the most papers are kept.
//! 4. Every typed relation among the kept entities is kept. Co-mentions are thinned, when
//!    asked, to each entity's few strongest, plus every co-mention of the focus and those the
//!    selection grew along.
//! 5. With papers asked for: every paper when nothing was filtered or cut, otherwise the
//!    papers linking the kept entities, those naming the most of them first, at most
//!    `max_papers`.
//!
//! This module only reads; it does not lay anything out (see [`crate::export::dot`]).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet, VecDeque};
use std::fmt;
use std::str::FromStr;

use rusqlite::params;

use super::{
    edge_relation, entity_row, limit_param, size, EntityRow, Store, StoreError, ENTITY_COLUMNS,
};
use crate::export::model::{EntityItem, EntityLink, ExportGraph, PaperItem, PaperLink, Scope};
use crate::extract::EntityType;
use crate::graph::algo::LinkInfo;
use crate::graph::{EntityRelation, PaperRelation};

/// A relation of either kind, as `--rel` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AnyRelation {
    /// paper → entity.
    Paper(PaperRelation),
    /// entity → entity.
    Entity(EntityRelation),
}

impl AnyRelation {
    /// The relation's name.
    pub fn as_str(self) -> &'static str {
        match self {
            AnyRelation::Paper(r) => r.as_str(),
            AnyRelation::Entity(r) => r.as_str(),
        }
    }
}

impl fmt::Display for AnyRelation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AnyRelation {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(r) = s.parse::<EntityRelation>() {
            return Ok(AnyRelation::Entity(r));
        }
        if let Ok(r) = s.parse::<PaperRelation>() {
            return Ok(AnyRelation::Paper(r));
        }
        let names: Vec<&str> = EntityRelation::ALL
            .map(EntityRelation::as_str)
            .into_iter()
            .chain(PaperRelation::ALL.map(PaperRelation::as_str))
            .collect();
        Err(format!(
            "unknown relation {:?} (expected one of: {})",
            s.trim(),
            names.join(", ")
        ))
    }
}

/// What to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportOptions {
    /// Only this entity's neighbourhood (a name or alias, resolved as `paperkg show` does).
    pub focus: Option<String>,
    /// With `focus`: hops to follow.
    pub depth: usize,
    /// Only entities of these types (empty: all). The focus is kept whatever its type.
    pub types: Vec<EntityType>,
    /// Only these relations (empty: all). Naming only entity → entity relations leaves out
    /// paper → entity edges, and the other way round.
    pub relations: Vec<AnyRelation>,
    /// Only entity → entity relations supported by at least this many papers.
    pub min_weight: usize,
    /// The most entities kept (0: no limit).
    pub top: usize,
    /// Include paper nodes and paper → entity edges.
    pub papers: bool,
    /// The most papers kept when the selection is filtered or cut (0: no limit).
    pub max_papers: usize,
    /// Co-mentions kept per entity (0: all).
    pub co_mentions_per_entity: usize,
}

impl ExportOptions {
    /// The readable drawing's defaults: the 40 entities named by the most papers (or the
    /// focus and its 30 strongest partners), no papers, each entity's 2 strongest
    /// co-mentions, every typed relation.
    pub fn drawing() -> ExportOptions {
        ExportOptions {
            focus: None,
            depth: 1,
            types: Vec::new(),
            relations: Vec::new(),
            min_weight: 1,
            top: 40,
            papers: false,
            max_papers: 30,
            co_mentions_per_entity: 2,
        }
    }

    /// Everything: every paper, entity and relation (the graph files' default).
    pub fn everything() -> ExportOptions {
        ExportOptions {
            top: 0,
            papers: true,
            max_papers: 0,
            co_mentions_per_entity: 0,
            ..ExportOptions::drawing()
        }
    }

    fn keeps_entity_relation(&self, r: EntityRelation) -> bool {
        let named = |x: &AnyRelation| matches!(x, AnyRelation::Entity(_));
        !self.relations.iter().any(named) || self.relations.contains(&AnyRelation::Entity(r))
    }

    fn keeps_paper_relation(&self, r: PaperRelation) -> bool {
        let named = |x: &AnyRelation| matches!(x, AnyRelation::Paper(_));
        !self.relations.iter().any(named) || self.relations.contains(&AnyRelation::Paper(r))
    }

    fn unfiltered(&self) -> bool {
        self.focus.is_none() && self.types.is_empty() && self.relations.is_empty()
    }
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions::drawing()
    }
}

/// Reads the selection `options` describes (see the module documentation).
///
/// Fails with [`StoreError::UnknownName`] (with suggestions) when the focus matches no
/// entity.
///
/// # Complexity
/// O(V + E log E) for the V entities and E relations of the database, plus the papers
/// linking the kept entities; without a focus and with a `top`, only the kept entities and
/// the relations among them are read.
pub fn load(store: &Store, options: &ExportOptions) -> Result<ExportGraph, StoreError> {
    let focus = match &options.focus {
        Some(name) => Some(store.resolve(name, None)?.entity.id),
        None => None,
    };
    // Without a focus, a cut drawing (the default) keeps the entities named by the most
    // papers: only those are read, and the others counted.
    let (entities, wanted_count) = match focus {
        None if options.top > 0 => strongest_entities(store, options)?,
        _ => {
            let mut entities: HashMap<i64, EntityItem> = HashMap::new();
            for e in store.all_entities()? {
                let wanted = options.types.is_empty() || options.types.contains(&e.kind);
                if wanted || Some(e.id) == focus {
                    entities.insert(e.id, item(e));
                }
            }
            let count = entities.len();
            (entities, count)
        }
    };
    let wanted = |l: &EntityLink| {
        options.keeps_entity_relation(l.relation)
            && l.support >= options.min_weight
            && entities.contains_key(&l.source)
            && entities.contains_key(&l.target)
    };
    // Without a focus the entities kept do not depend on the relations, so a cut drawing
    // (the default) reads only the relations among the kept entities, not all of them.
    let (links, (kept, tree, candidates)) = match focus {
        Some(f) => {
            let links: Vec<EntityLink> = entity_links(store)?.into_iter().filter(wanted).collect();
            let chosen = grow_from(f, options, &entities, &links);
            (links, chosen)
        }
        None => {
            let (kept, tree, _) = strongest(options, &entities);
            let links = if options.top > 0 {
                entity_links_among(store, &kept)?
            } else {
                entity_links(store)?
            };
            let links = links.into_iter().filter(wanted).collect();
            (links, (kept, tree, wanted_count))
        }
    };
    let mut links: Vec<EntityLink> = links
        .into_iter()
        .filter(|l| kept.contains(&l.source) && kept.contains(&l.target))
        .collect();
    let co_total = links
        .iter()
        .filter(|l| l.relation == EntityRelation::CoMentioned)
        .count();
    if options.co_mentions_per_entity > 0 {
        links = thin(links, options.co_mentions_per_entity, focus, &tree);
    }

    let mut out = ExportGraph {
        entities: kept
            .iter()
            .filter_map(|id| entities.get(id).cloned())
            .collect(),
        links,
        ..ExportGraph::default()
    };
    out.entities.sort_by_key(|e| e.id);
    let mut candidate_papers = 0;
    if options.papers {
        let every = options.unfiltered() && kept.len() == wanted_count;
        let (papers, paper_links, n) = papers_of(store, options, &kept, every)?;
        out.papers = papers;
        out.paper_links = paper_links;
        candidate_papers = n;
    }
    out.scope = Scope {
        focus: focus.and_then(|f| entities.get(&f).cloned()),
        depth: options.depth,
        types: options.types.clone(),
        relations: options
            .relations
            .iter()
            .map(|r| r.as_str().to_string())
            .collect(),
        min_weight: options.min_weight,
        candidate_entities: candidates,
        candidate_papers,
        co_mentions_total: co_total,
        co_mentions_per_entity: options.co_mentions_per_entity,
    };
    Ok(out)
}

/// Every entity → entity relation with its evidence count, by source, target, relation.
fn entity_links(store: &Store) -> Result<Vec<EntityLink>, StoreError> {
    let mut links = store.rows(
        "SELECT x.source_id, x.target_id, x.relation, x.support, x.sentences, x.pmi, \
         (SELECT COUNT(*) FROM evidence v WHERE v.source_id = x.source_id \
            AND v.target_id = x.target_id AND v.relation = x.relation) \
         FROM edges x",
        [],
        entity_link_row,
    )?;
    links.sort_by_key(|l| (l.source, l.target, l.relation));
    Ok(links)
}

/// The entity → entity relations between entities of `kept`, as [`entity_links`] gives
/// them.
///
/// # Complexity
/// One indexed query per kept entity for its outgoing relations, and one evidence count
/// per relation kept.
fn entity_links_among(store: &Store, kept: &HashSet<i64>) -> Result<Vec<EntityLink>, StoreError> {
    let mut ids: Vec<i64> = kept.iter().copied().collect();
    ids.sort_unstable();
    let mut links = Vec::new();
    for id in ids {
        // Evidence is counted below, only for the relations kept.
        let rows = store.rows(
            "SELECT source_id, target_id, relation, support, sentences, pmi, 0 FROM edges \
             WHERE source_id = ?1",
            [id],
            entity_link_row,
        )?;
        links.extend(rows.into_iter().filter(|l| kept.contains(&l.target)));
    }
    for l in &mut links {
        let count = store.rows(
            "SELECT COUNT(*) FROM evidence WHERE source_id = ?1 AND target_id = ?2 \
             AND relation = ?3",
            params![l.source, l.target, l.relation.as_str()],
            |r| Ok(Ok(size(r.get(0)?))),
        )?;
        l.evidence = count.first().copied().unwrap_or(0);
    }
    links.sort_by_key(|l| (l.source, l.target, l.relation));
    Ok(links)
}

/// Reads an [`EntityLink`]: `source_id, target_id, relation, support, sentences, pmi`,
/// then its evidence count.
fn entity_link_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<EntityLink, String>> {
    let relation = match edge_relation(r, 2)? {
        Ok(relation) => relation,
        Err(reason) => return Ok(Err(reason)),
    };
    Ok(Ok(EntityLink {
        source: r.get(0)?,
        target: r.get(1)?,
        relation,
        support: size(r.get(3)?),
        sentences: size(r.get(4)?),
        pmi: r.get(5)?,
        evidence: size(r.get(6)?),
    }))
}

/// Link strength as a sortable integer (see [`LinkInfo::strength`]).
fn strength(l: &EntityLink) -> i64 {
    let info = LinkInfo {
        relation: l.relation,
        support: l.support,
        sentences: l.sentences,
        pmi: l.pmi,
    };
    (info.strength() * 1e6) as i64
}

/// An entity → entity relation's identity: source, target, relation.
type LinkKey = (i64, i64, EntityRelation);

fn key(l: &EntityLink) -> LinkKey {
    (l.source, l.target, l.relation)
}

/// Kept entity ids, the links the selection grew along, and the number of candidates.
type Chosen = (HashSet<i64>, HashSet<LinkKey>, usize);

/// The focus's neighbourhood within `depth` hops, cut to `top` entities by growing a
/// maximum spanning tree from the focus.
fn grow_from(
    focus: i64,
    options: &ExportOptions,
    entities: &HashMap<i64, EntityItem>,
    links: &[EntityLink],
) -> Chosen {
    let mut adjacent: HashMap<i64, Vec<(i64, usize)>> = HashMap::new();
    for (i, l) in links.iter().enumerate() {
        adjacent.entry(l.source).or_default().push((l.target, i));
        adjacent.entry(l.target).or_default().push((l.source, i));
    }
    let mut dist: HashMap<i64, usize> = HashMap::from([(focus, 0)]);
    let mut queue = VecDeque::from([focus]);
    while let Some(id) = queue.pop_front() {
        let d = dist[&id];
        if d >= options.depth {
            continue;
        }
        for &(next, _) in adjacent.get(&id).into_iter().flatten() {
            if let std::collections::hash_map::Entry::Vacant(slot) = dist.entry(next) {
                slot.insert(d + 1);
                queue.push_back(next);
            }
        }
    }
    let candidates = dist.len();
    let limit = if options.top == 0 {
        usize::MAX
    } else {
        options.top
    };
    // (strength, nearer first, more papers first, lower id first, entity, link)
    type Frontier = (i64, Reverse<usize>, usize, Reverse<i64>, i64, Option<usize>);
    let papers = |id: i64| entities.get(&id).map_or(0, |e| e.papers);
    let mut heap: BinaryHeap<Frontier> = BinaryHeap::new();
    heap.push((
        i64::MAX,
        Reverse(0),
        papers(focus),
        Reverse(focus),
        focus,
        None,
    ));
    let mut kept = HashSet::new();
    let mut tree = HashSet::new();
    while let Some((_, _, _, _, id, via)) = heap.pop() {
        if kept.len() >= limit {
            break;
        }
        if !kept.insert(id) {
            continue;
        }
        tree.extend(via.map(|i| key(&links[i])));
        for &(next, link) in adjacent.get(&id).into_iter().flatten() {
            if let Some(&d) = dist.get(&next) {
                if !kept.contains(&next) {
                    let s = strength(&links[link]);
                    heap.push((s, Reverse(d), papers(next), Reverse(next), next, Some(link)));
                }
            }
        }
    }
    (kept, tree, candidates)
}

/// The `top` entities named by the most papers (then mentions, then id).
fn strongest(options: &ExportOptions, entities: &HashMap<i64, EntityItem>) -> Chosen {
    let mut ranked: Vec<&EntityItem> = entities.values().collect();
    ranked.sort_by_key(|e| (Reverse(e.papers), Reverse(e.mentions), e.id));
    if options.top > 0 {
        ranked.truncate(options.top);
    }
    let kept = ranked.iter().map(|e| e.id).collect();
    (kept, HashSet::new(), entities.len())
}

/// The `options.top` entities of the wanted types named by the most papers (then by the
/// most mentions, then by id, as [`strongest`] ranks them), and how many entities are of
/// the wanted types.
///
/// # Complexity
/// One scan of the `entities_papers` index up to the last entity kept, and one count.
fn strongest_entities(
    store: &Store,
    options: &ExportOptions,
) -> Result<(HashMap<i64, EntityItem>, usize), StoreError> {
    let filter = if options.types.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = options
            .types
            .iter()
            .map(|t| format!("'{}'", t.as_str()))
            .collect();
        format!("WHERE e.type IN ({})", names.join(", "))
    };
    let sql = format!(
        "SELECT {ENTITY_COLUMNS} FROM entities e {filter} \
         ORDER BY e.paper_count DESC, e.mention_count DESC, e.id LIMIT ?1"
    );
    let mut entities = HashMap::new();
    for e in store.rows(&sql, [limit_param(options.top)], entity_row)? {
        entities.insert(e.id, item(e));
    }
    let counted = store.rows(
        &format!("SELECT COUNT(*) FROM entities e {filter}"),
        [],
        |r| Ok(Ok(r.get::<_, i64>(0)?)),
    )?;
    let count = counted.first().copied().unwrap_or(0);
    Ok((entities, size(count)))
}

/// An entity row as the export keeps it.
fn item(e: EntityRow) -> EntityItem {
    EntityItem {
        id: e.id,
        name: e.name,
        kind: e.kind,
        family: e.family,
        parent_id: e.parent_id,
        papers: e.papers,
        mentions: e.mentions,
    }
}

/// Keeps every typed link and, of the co-mentions, each entity's `per_entity` strongest,
/// every one of the focus, and the tree links (indexes into `links`).
fn thin(
    links: Vec<EntityLink>,
    per_entity: usize,
    focus: Option<i64>,
    tree: &HashSet<LinkKey>,
) -> Vec<EntityLink> {
    let mut by_entity: HashMap<i64, Vec<(i64, Reverse<i64>, usize)>> = HashMap::new();
    for (i, l) in links.iter().enumerate() {
        if l.relation != EntityRelation::CoMentioned {
            continue;
        }
        let s = strength(l);
        by_entity
            .entry(l.source)
            .or_default()
            .push((s, Reverse(l.target), i));
        by_entity
            .entry(l.target)
            .or_default()
            .push((s, Reverse(l.source), i));
    }
    let mut keep: HashSet<usize> = HashSet::new();
    for list in by_entity.values_mut() {
        list.sort_unstable_by(|a, b| b.cmp(a));
        keep.extend(list.iter().take(per_entity).map(|x| x.2));
    }
    links
        .into_iter()
        .enumerate()
        .filter(|(i, l)| {
            l.relation != EntityRelation::CoMentioned
                || keep.contains(i)
                || tree.contains(&key(l))
                || focus == Some(l.source)
                || focus == Some(l.target)
        })
        .map(|(_, l)| l)
        .collect()
}

/// The papers to include, their links to kept entities, and how many papers linked any.
fn papers_of(
    store: &Store,
    options: &ExportOptions,
    kept: &HashSet<i64>,
    every: bool,
) -> Result<(Vec<PaperItem>, Vec<PaperLink>, usize), StoreError> {
    let mut links: Vec<PaperLink> = store.rows(
        "SELECT pe.paper_id, pe.entity_id, pe.relation, pe.count, \
         (SELECT COUNT(*) FROM evidence v WHERE v.entity_id = pe.entity_id \
            AND v.paper_id = pe.paper_id AND v.relation = pe.relation) \
         FROM paper_entities pe",
        [],
        |r| {
            let rel: String = r.get(2)?;
            let Ok(relation) = rel.parse::<PaperRelation>() else {
                return Ok(Err(format!("unknown relation {rel:?} in paper_entities")));
            };
            Ok(Ok(PaperLink {
                paper: r.get(0)?,
                entity: r.get(1)?,
                relation,
                count: size(r.get(3)?),
                evidence: size(r.get(4)?),
            }))
        },
    )?;
    links.retain(|l| kept.contains(&l.entity) && options.keeps_paper_relation(l.relation));
    let mut all: Vec<PaperItem> = store.rows(
        "SELECT id, arxiv_id, title, update_date, categories FROM papers ORDER BY id",
        [],
        |r| {
            Ok(Ok(PaperItem {
                id: r.get(0)?,
                arxiv_id: r.get(1)?,
                title: r.get(2)?,
                update_date: r.get(3)?,
                categories: r.get(4)?,
            }))
        },
    )?;
    if every {
        links.sort_by_key(|l| (l.paper, l.entity, l.relation));
        let n = all.len();
        return Ok((all, links, n));
    }
    // Papers ranked by kept entities linked, then mentions of them, then id.
    let mut rank: HashMap<i64, (HashSet<i64>, usize)> = HashMap::new();
    for l in &links {
        let slot = rank.entry(l.paper).or_default();
        slot.0.insert(l.entity);
        slot.1 += l.count;
    }
    let candidates = rank.len();
    let mut order: Vec<(Reverse<usize>, Reverse<usize>, i64)> = rank
        .iter()
        .map(|(&p, (es, n))| (Reverse(es.len()), Reverse(*n), p))
        .collect();
    order.sort_unstable();
    if options.max_papers > 0 {
        order.truncate(options.max_papers);
    }
    let chosen: HashSet<i64> = order.iter().map(|x| x.2).collect();
    all.retain(|p| chosen.contains(&p.id));
    links.retain(|l| chosen.contains(&l.paper));
    links.sort_by_key(|l| (l.paper, l.entity, l.relation));
    Ok((all, links, candidates))
}
