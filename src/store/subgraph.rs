//! Loads only the part of the entity graph a query needs, through the indexes, so that
//! `neighbors` and `path` answer in time proportional to what they look at rather than to
//! the whole database (a million papers give millions of relations).
//!
//! [`Store::ball`] loads every entity within N hops of one and the relations followed to
//! reach them; [`Store::connecting`] runs a bidirectional breadth-first search between two
//! entities and loads the relations it followed, which include every shortest path
//! between them. Both assemble a [`LoadedGraph`] with nodes in entity id order and edges in
//! `(source, target, relation)` order, the order [`Store::load_graph`] uses, so the graph
//! algorithms of `graph::algo` give the same answers on the part as on the whole.
//!
//! Two hops from a hub reach most of a large graph, and a ball that size costs seconds
//! to assemble: `neighbors` lists through the layered search of `reach.rs` instead, which
//! finds the same entities in the same order without assembling them.
//!
//! This module does not explain anything; `explore.rs` does, on what it loads or finds.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rusqlite::params;

use super::{edge_relation, edge_row, entity_row, EntityRow, LoadedGraph, Store, StoreError};
use crate::extract::EntityType;
use crate::graph::algo::LinkInfo;
use crate::graph::EntityRelation;

/// An entity → entity relation by ids, as stored.
type EdgeKey = (i64, i64, &'static str);

/// Entities fetched per `IN (…)` query when assembling a part of the graph.
pub(super) const ENTITY_CHUNK: usize = 500;

/// Relations whose PMI [`Store::pmis`] reads per query.
const PMI_CHUNK: usize = 300;

/// The relations of entity `?1` that a [`Follow`] allows (`?2`: the relation or NULL,
/// `?3`: 1 for only those with a sentence), selecting `outgoing` columns from those it is
/// the source of and `incoming` from those it is the target of.
pub(super) fn incident_sql(outgoing: &str, incoming: &str) -> String {
    let allowed = "(?2 IS NULL OR relation = ?2) AND (?3 = 0 OR sentences > 0)";
    format!(
        "SELECT {outgoing} FROM edges WHERE source_id = ?1 AND {allowed} \
         UNION ALL \
         SELECT {incoming} FROM edges WHERE target_id = ?1 AND source_id <> ?1 AND {allowed}"
    )
}

/// The parameters of [`incident_sql`] for entity `id`.
pub(super) fn follow_params(id: i64, follow: Follow) -> (i64, Option<&'static str>, i64) {
    (
        id,
        follow.relation.map(EntityRelation::as_str),
        i64::from(follow.sentences_only),
    )
}

/// Which relations a search may follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Follow {
    /// Only this relation; every relation when `None`.
    pub relation: Option<EntityRelation>,
    /// Only relations with a sentence naming both ends (`edges.sentences > 0`).
    pub sentences_only: bool,
}

impl Store {
    /// Every relation of entity `id` that `follow` allows, in both directions.
    fn incident(&self, id: i64, follow: Follow) -> Result<Vec<(EdgeKey, LinkInfo)>, StoreError> {
        let columns = "source_id, target_id, relation, support, sentences, pmi";
        let rows = self.rows(
            &incident_sql(columns, columns),
            follow_params(id, follow),
            edge_row,
        )?;
        Ok(rows
            .into_iter()
            .map(|(s, t, link)| ((s, t, link.relation.as_str()), link))
            .collect())
    }

    /// The ids of the entities of type `kind`.
    ///
    /// # Complexity
    /// One index scan over the entities of that type.
    pub fn ids_of_type(&self, kind: EntityType) -> Result<HashSet<i64>, StoreError> {
        Ok(self
            .rows(
                "SELECT id FROM entities WHERE type = ?1",
                params![kind.as_str()],
                |r| r.get(0).map(Ok),
            )?
            .into_iter()
            .collect())
    }

    /// How many of the entities `ids` have type `kind`.
    ///
    /// # Complexity
    /// One index scan over the entities of that type.
    pub fn count_of_type(&self, ids: &[i64], kind: EntityType) -> Result<usize, StoreError> {
        let of_type = self.ids_of_type(kind)?;
        Ok(ids.iter().filter(|id| of_type.contains(id)).count())
    }

    /// The entities with these ids (those that exist), by id.
    ///
    /// # Complexity
    /// One query per 500 ids.
    pub fn entities_by_id(&self, ids: &[i64]) -> Result<Vec<EntityRow>, StoreError> {
        let mut sorted = ids.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut out = Vec::with_capacity(sorted.len());
        for chunk in sorted.chunks(ENTITY_CHUNK) {
            let sql = format!(
                "SELECT {} FROM entities e WHERE e.id IN ({}) ORDER BY e.id",
                super::ENTITY_COLUMNS,
                id_list(chunk)
            );
            out.extend(self.rows(&sql, [], entity_row)?);
        }
        Ok(out)
    }

    /// The PMI of each relation `(source, target, relation)` of `keys` that has one.
    ///
    /// # Complexity
    /// One query per 300 relations, each looked up by the key in key order (a list of
    /// tens of thousands of neighbours reads them in a few dozen queries rather than one
    /// each).
    pub fn pmis(
        &self,
        keys: &[(i64, i64, EntityRelation)],
    ) -> Result<HashMap<(i64, i64, EntityRelation), f64>, StoreError> {
        let mut sorted = keys.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut out = HashMap::with_capacity(sorted.len());
        for chunk in sorted.chunks(PMI_CHUNK) {
            let rows: Vec<String> = chunk
                .iter()
                .map(|(s, t, r)| format!("({s},{t},'{}')", r.as_str()))
                .collect();
            let sql = format!(
                "SELECT e.source_id, e.target_id, e.relation, e.pmi FROM (VALUES {}) k \
                 JOIN edges e ON e.source_id = k.column1 AND e.target_id = k.column2 \
                 AND e.relation = k.column3 WHERE e.pmi IS NOT NULL",
                rows.join(",")
            );
            let found = self.rows(&sql, [], |r| {
                let relation = match edge_relation(r, 2)? {
                    Ok(relation) => relation,
                    Err(reason) => return Ok(Err(reason)),
                };
                Ok(Ok(((r.get(0)?, r.get(1)?, relation), r.get(3)?)))
            })?;
            out.extend(found);
        }
        Ok(out)
    }

    /// Every entity within `depth` hops of entity `start` over the relations `follow`
    /// allows, with the relations of the entities closer than `depth` (the ones a
    /// breadth-first search to that depth looks at).
    ///
    /// # Complexity
    /// One indexed query per entity closer than `depth`, plus one per 500 entities found.
    pub fn ball(
        &self,
        start: i64,
        depth: usize,
        follow: Follow,
    ) -> Result<LoadedGraph, StoreError> {
        let mut dist: HashMap<i64, usize> = HashMap::from([(start, 0)]);
        let mut frontier = vec![start];
        let mut edges: BTreeMap<EdgeKey, LinkInfo> = BTreeMap::new();
        for level in 0..depth {
            let mut next = Vec::new();
            for &node in &frontier {
                for (key, link) in self.incident(node, follow)? {
                    let other = if key.0 == node { key.1 } else { key.0 };
                    edges.insert(key, link);
                    if let std::collections::hash_map::Entry::Vacant(slot) = dist.entry(other) {
                        slot.insert(level + 1);
                        next.push(other);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        let ids: BTreeSet<i64> = dist.into_keys().collect();
        self.assemble(&ids, edges)
    }

    /// The relations a bidirectional breadth-first search between entities `a` and `b`
    /// follows until the two sides meet, with their entities; `None` when no path exists.
    ///
    /// The search expands the smaller frontier one whole level at a time and stops at the
    /// first level where the sides meet (their depths then add up to the distance D). Every
    /// relation on every shortest path is loaded: a path's hop from depth i < ks on `a`'s
    /// side was expanded from `a`'s side, and any later hop lies within `b`'s expanded
    /// levels, because ks + kt = D.
    ///
    /// # Complexity
    /// One indexed query per entity expanded; the smaller side is expanded first, so a
    /// path through a hub does not load the hub's neighbourhood unless both sides need it.
    pub fn connecting(
        &self,
        a: i64,
        b: i64,
        follow: Follow,
    ) -> Result<Option<LoadedGraph>, StoreError> {
        let mut edges: BTreeMap<EdgeKey, LinkInfo> = BTreeMap::new();
        let mut ids: BTreeSet<i64> = BTreeSet::from([a, b]);
        if a == b {
            return self.assemble(&ids, edges).map(Some);
        }
        let mut seen: [HashSet<i64>; 2] = [HashSet::from([a]), HashSet::from([b])];
        let mut frontier: [Vec<i64>; 2] = [vec![a], vec![b]];
        loop {
            if frontier[0].is_empty() || frontier[1].is_empty() {
                return Ok(None);
            }
            let side = usize::from(frontier[1].len() < frontier[0].len());
            let other_side = 1 - side;
            let mut next = Vec::new();
            let mut met = false;
            for &node in &frontier[side] {
                for (key, link) in self.incident(node, follow)? {
                    let other = if key.0 == node { key.1 } else { key.0 };
                    edges.insert(key, link);
                    ids.insert(other);
                    met |= seen[other_side].contains(&other);
                    if seen[side].insert(other) {
                        next.push(other);
                    }
                }
            }
            frontier[side] = next;
            if met {
                return self.assemble(&ids, edges).map(Some);
            }
        }
    }

    /// A [`LoadedGraph`] of the entities `ids` and the relations `edges` between them.
    fn assemble(
        &self,
        ids: &BTreeSet<i64>,
        edges: BTreeMap<EdgeKey, LinkInfo>,
    ) -> Result<LoadedGraph, StoreError> {
        let mut loaded = LoadedGraph::default();
        let all: Vec<i64> = ids.iter().copied().collect();
        for e in self.entities_by_id(&all)? {
            loaded.add_entity(e);
        }
        for ((s, t, _), link) in edges {
            loaded.add_link(s, t, link).map_err(|r| self.damaged(r))?;
        }
        Ok(loaded)
    }
}

/// `1,2,3`: ids for an `IN (…)` list.
pub(super) fn id_list(ids: &[i64]) -> String {
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    list.join(",")
}
