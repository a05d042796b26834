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
//! to assemble. [`Store::reach`] finds what `graph::algo::neighborhood` finds in the ball,
//! in the same order, without assembling it: a search layer by layer over entity numbers,
//! keeping per entity only the strongest relation reaching it; [`Store::layers`] only
//! collects the ids. Both read a layer's relations through the indexes, or, once a layer's
//! entities have about as many relations as half the table, by one scan of `edges`
//! ([`Reading`]): of its packed copy, `edges_packed`, or, in a database without one, of
//! `edges` itself, which two threads read, half each, while a third searches.
//!
//! This module does not explain anything; `explore.rs` does, on what it loads or finds.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::mpsc;

use rusqlite::{params, Row};

use super::{edge_relation, edge_row, entity_row, size, EntityRow, LoadedGraph, Store, StoreError};
use crate::export::packed::{self, PackedEdge};
use crate::export::sqlite::open_read_only;
use crate::extract::EntityType;
use crate::graph::algo::LinkInfo;
use crate::graph::EntityRelation;

/// An entity → entity relation by ids, as stored.
type EdgeKey = (i64, i64, &'static str);

/// Entities fetched per `IN (…)` query when assembling a part of the graph.
const ENTITY_CHUNK: usize = 500;

/// Relations whose PMI [`Store::pmis`] reads per query.
const PMI_CHUNK: usize = 300;

/// The relations of entity `?1` that a [`Follow`] allows (`?2`: the relation or NULL,
/// `?3`: 1 for only those with a sentence), selecting `outgoing` columns from those it is
/// the source of and `incoming` from those it is the target of.
fn incident_sql(outgoing: &str, incoming: &str) -> String {
    let allowed = "(?2 IS NULL OR relation = ?2) AND (?3 = 0 OR sentences > 0)";
    format!(
        "SELECT {outgoing} FROM edges WHERE source_id = ?1 AND {allowed} \
         UNION ALL \
         SELECT {incoming} FROM edges WHERE target_id = ?1 AND source_id <> ?1 AND {allowed}"
    )
}

/// The parameters of [`incident_sql`] for entity `id`.
fn follow_params(id: i64, follow: Follow) -> (i64, Option<&'static str>, i64) {
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

    /// The entities [`Store::ball`] would find, by id only and layer by layer: element
    /// `d` holds the entities first reached at `d + 1` hops, in no particular order. For
    /// counting what lies too far to be listed, without weighing the relations between them.
    ///
    /// # Complexity
    /// Per layer, one indexed query per entity, or one pass over the relations once a
    /// layer was worth a scan of `edges` (see [`Reading`]); ids only.
    pub fn layers(
        &self,
        start: i64,
        depth: usize,
        follow: Follow,
        reading: Reading,
    ) -> Result<Vec<Vec<i64>>, StoreError> {
        let mut reader = LayerReader::<()>::new(start, follow, reading);
        let mut levels = Levels::default();
        let mut layer = vec![0];
        let mut layers = Vec::new();
        let last_level = depth_levels(depth);
        for level in 0..last_level {
            let mut next = Vec::new();
            if reader.will_scan(self, &layer)? {
                levels.reserve(reader.entities_hint());
            }
            reader.read(self, &layer, level + 1 == last_level, |s, t, _| {
                for (from, to) in [(s, t), (t, s)] {
                    if levels.at(from) == level && levels.at(to) == UNSEEN {
                        levels.set(to, level + 1);
                        next.push(to);
                    }
                }
            })?;
            if next.is_empty() {
                break;
            }
            layers.push(next.iter().map(|&n| reader.numbering.id(n)).collect());
            layer = next;
        }
        Ok(layers)
    }

    /// Every entity within `depth` hops of entity `start` over the relations `follow`
    /// allows, each at its smallest depth with the strongest relation reaching it from the
    /// layer before: what `graph::algo::neighborhood` finds in [`Store::ball`], in its
    /// order (by depth, then strength, strongest first, then id), without loading the
    /// entities or building the graph. Returns how many of them are `wanted`, and the
    /// first `limit` of those.
    ///
    /// `neighborhood` takes, among equally strong relations, the first it meets: it meets
    /// the entities of a layer in the order they were first reached, and an entity's
    /// relations as petgraph lists them, those it is the source of first, each list from
    /// the highest (other end's id, relation) down, the reverse of the ball's insertion
    /// order. So the order of a layer's entities and the choice among equals follow from
    /// keys, whatever order the relations are read in: an entity is first reached from
    /// the earliest entity of the layer before, its outgoing relations before its
    /// incoming, and the higher id first; a relation is met before another from the same
    /// entity when it is outgoing and the other incoming, or has the higher relation name.
    ///
    /// # Complexity
    /// Like [`Store::layers`], reading each relation's weight as well; linear in the
    /// relations read, plus a sort of the entities listed.
    pub fn reach(
        &self,
        start: i64,
        depth: usize,
        follow: Follow,
        reading: Reading,
        wanted: &dyn Fn(i64) -> bool,
        limit: usize,
    ) -> Result<(usize, Vec<Reach>), StoreError> {
        let mut reader = LayerReader::<Weight>::new(start, follow, reading);
        let mut strengths = Strengths::default();
        let mut levels = Levels::default();
        let mut place: Vec<u32> = vec![0];
        let mut arrivals: Vec<Option<Arrival>> = vec![None];
        let mut layer = vec![0];
        let (mut total, mut found) = (0, Vec::new());
        let last_level = depth_levels(depth);
        for level in 0..last_level {
            let last = level + 1 == last_level;
            let mut next = Vec::new();
            if reader.will_scan(self, &layer)? {
                let hint = reader.entities_hint();
                levels.reserve(hint);
                arrivals.reserve(hint.saturating_sub(arrivals.len()));
                if !last {
                    place.reserve(hint.saturating_sub(place.len()));
                }
            }
            reader.read(self, &layer, last, |s, t, w| {
                for (from, to, against) in [(s, t, false), (t, s, true)] {
                    if levels.at(from) != level {
                        continue;
                    }
                    match levels.at(to) {
                        UNSEEN => {
                            levels.set(to, level + 1);
                            next.push(to);
                        }
                        l if l == level + 1 => {}
                        _ => continue,
                    }
                    let crossed = Crossed {
                        place: place.get(from as usize).copied().unwrap_or(0),
                        against,
                        via: from,
                        weight: *w,
                        strength: strengths.of(w),
                    };
                    arrive(&mut arrivals, to, crossed);
                }
            })?;
            if next.is_empty() {
                break;
            }
            let numbering = &reader.numbering;
            if !last {
                set_places(&next, &arrivals, &mut place, numbering);
            }
            let quota = limit.saturating_sub(found.len());
            let depth = level as usize + 1;
            let (count, listed) = rank(&next, &arrivals, numbering, depth, wanted, quota);
            total += count;
            found.extend(listed);
            layer = next;
        }
        Ok((total, found))
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

    /// Whether the entities `ids` have, by their stored degrees, at least `rows` relations
    /// between them and others.
    ///
    /// # Complexity
    /// One query per 500 ids, stopping once the sum is reached.
    fn degrees_reach(&self, ids: &[i64], rows: usize) -> Result<bool, StoreError> {
        let mut sum = 0;
        for chunk in ids.chunks(ENTITY_CHUNK) {
            let sql = format!(
                "SELECT COALESCE(SUM(degree), 0) FROM entities WHERE id IN ({})",
                id_list(chunk)
            );
            sum += self
                .rows(&sql, [], |r| r.get::<_, i64>(0).map(Ok))?
                .into_iter()
                .map(size)
                .sum::<usize>();
            if sum >= rows {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The highest entity id (0 when there are none).
    fn max_entity_id(&self) -> Result<i64, StoreError> {
        let rows = self.rows("SELECT COALESCE(MAX(id), 0) FROM entities", [], |r| {
            r.get(0).map(Ok)
        })?;
        Ok(rows.into_iter().next().unwrap_or(0))
    }

    /// How many relations `edges` holds.
    ///
    /// # Complexity
    /// One pass over the smallest index of `edges`.
    fn edge_count(&self) -> Result<usize, StoreError> {
        let rows = self.rows("SELECT COUNT(*) FROM edges", [], |r| {
            r.get::<_, i64>(0).map(Ok)
        })?;
        Ok(rows.into_iter().map(size).sum())
    }

    /// Calls `each(source, target, weight)` on every relation `follow` allows, with its
    /// ends numbered by `numbering`, in the table's order; `edges` holds `rows` relations,
    /// and `packed` tells whether `edges_packed` holds them all
    /// ([`Store::packed_edges_complete`]).
    ///
    /// The packed copy of the table, `edges_packed`, is read when it is complete
    /// ([`Store::scan_packed`]): a few dozen blobs rather than millions of rows, decoded
    /// and searched on this thread. Otherwise threads share the work of reading `edges`:
    /// this one steps SQLite through the table and decodes the rows, another numbers
    /// their ends and calls `each`, batch by batch. Reading a row costs more than what a
    /// search does with it, so when the table holds at least [`SCAN_SPLIT_MIN_ROWS`] and a
    /// second core is there, a third thread reads the second half of the table (by key)
    /// through its own connection at the same time, and its rows wait until the first
    /// half's are numbered. The order, and so the answer, is the same as on one thread.
    ///
    /// # Complexity
    /// One scan of `edges`; at most [`SCAN_BATCHES`] batches of [`SCAN_BATCH`] rows of the
    /// first half held, and up to every row of the second half.
    fn scan_edges<W: Weighing + Send>(
        &self,
        follow: Follow,
        numbering: &mut Numbering,
        rows: usize,
        packed: bool,
        mut each: impl FnMut(u32, u32, W) + Send,
    ) -> Result<(), StoreError> {
        if packed {
            return self.scan_packed(follow, numbering, &mut each);
        }
        let select = format!(
            "SELECT source_id, target_id{} FROM edges \
             WHERE (?1 IS NULL OR relation = ?1) AND (?2 = 0 OR sentences > 0)",
            W::COLUMNS
        );
        let (_, relation, sentences_only) = follow_params(0, follow);
        let split = self.scan_split(rows)?;
        let (full_tx, full_rx) = mpsc::sync_channel::<Vec<(i64, i64, W)>>(SCAN_BATCHES);
        let (empty_tx, empty_rx) = mpsc::sync_channel::<Vec<(i64, i64, W)>>(SCAN_BATCHES + 1);
        std::thread::scope(|scope| {
            let second = split.map(|key| {
                let (tx, rx) = mpsc::channel::<Vec<(i64, i64, W)>>();
                let sql = format!("{select} AND (source_id, target_id) >= (?3, ?4)");
                let path = self.path.as_path();
                let reader = scope.spawn(move || {
                    read_second_half(
                        path,
                        &sql,
                        params![relation, sentences_only, key.0, key.1],
                        tx,
                    )
                });
                (reader, rx)
            });
            let (second_reader, second_rx) = match second {
                Some((reader, rx)) => (Some(reader), Some(rx)),
                None => (None, None),
            };
            let numberer = scope.spawn(move || -> Result<(), String> {
                for mut batch in full_rx {
                    for (s, t, w) in batch.drain(..) {
                        each(numbering.of(s)?, numbering.of(t)?, w);
                    }
                    // Handed back for the reader to fill again; dropped when it holds
                    // enough of them.
                    let _ = empty_tx.try_send(batch);
                }
                for batch in second_rx.into_iter().flatten() {
                    for (s, t, w) in batch {
                        each(numbering.of(s)?, numbering.of(t)?, w);
                    }
                }
                Ok(())
            });
            let mut batch = Vec::with_capacity(SCAN_BATCH);
            let mut read_row = |r: &Row<'_>| {
                let row = match crossing_row::<W>(r)? {
                    Ok(row) => row,
                    Err(reason) => return Ok(Err(reason)),
                };
                batch.push(row);
                if batch.len() == SCAN_BATCH {
                    let fresh = empty_rx
                        .try_recv()
                        .unwrap_or_else(|_| Vec::with_capacity(SCAN_BATCH));
                    if full_tx.send(std::mem::replace(&mut batch, fresh)).is_err() {
                        // The numberer stopped; it says why once joined.
                        return Ok(Err(String::new()));
                    }
                }
                Ok(Ok(()))
            };
            let read = match split {
                Some(key) => self.each_row(
                    &format!("{select} AND (source_id, target_id) < (?3, ?4)"),
                    params![relation, sentences_only, key.0, key.1],
                    &mut read_row,
                ),
                None => self.each_row(&select, params![relation, sentences_only], &mut read_row),
            };
            if read.is_ok() {
                // A failed send means the numberer stopped; it says why once joined.
                let _ = full_tx.send(batch);
            }
            drop(full_tx);
            let numbered = match numberer.join() {
                Ok(numbered) => numbered,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            let second_read = match second_reader.map(|r| r.join()) {
                None => Ok(()),
                Some(Ok(read)) => read,
                Some(Err(panic)) => std::panic::resume_unwind(panic),
            };
            read?;
            second_read?;
            numbered.map_err(|reason| self.damaged(reason))
        })
    }

    /// Calls `each(source, target, weight)` on every relation `follow` allows, read from
    /// `edges_packed` (which [`Store::packed_edges_complete`] found complete), in `edges`'
    /// order, with its ends numbered by `numbering`.
    ///
    /// # Complexity
    /// One read of `edges_packed` (17 bytes a relation, 65,536 to a row).
    fn scan_packed<W: Weighing>(
        &self,
        follow: Follow,
        numbering: &mut Numbering,
        each: &mut impl FnMut(u32, u32, W),
    ) -> Result<(), StoreError> {
        let mut failed = None;
        self.each_row(
            "SELECT relations FROM edges_packed ORDER BY block",
            [],
            |r| {
                let Ok(block) = r.get_ref(0)?.as_blob() else {
                    return Ok(Err("a block of edges_packed is not a blob".to_string()));
                };
                let decoded = packed::decode(block, |edge| {
                    let allowed = follow.relation.is_none_or(|r| r == edge.relation)
                        && (!follow.sentences_only || edge.sentences > 0);
                    if !allowed || failed.is_some() {
                        return;
                    }
                    let ends = numbering
                        .of(i64::from(edge.source))
                        .and_then(|s| Ok((s, numbering.of(i64::from(edge.target))?)));
                    match ends {
                        Ok((s, t)) => each(s, t, W::packed(&edge)),
                        Err(reason) => failed = Some(reason),
                    }
                });
                Ok(decoded.and_then(|()| failed.take().map_or(Ok(()), Err)))
            },
        )
    }

    /// Whether the database holds `edges_packed` with as many relations as `edges`, which
    /// holds `rows`: false for a database built before it, or with values too large to
    /// pack.
    ///
    /// # Complexity
    /// A look at the schema and one sum of the lengths of `edges_packed`'s few rows.
    fn packed_edges_complete(&self, rows: usize) -> Result<bool, StoreError> {
        let has_table = self.rows(
            "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'edges_packed'",
            [],
            |r| r.get::<_, bool>(0).map(Ok),
        )?;
        if has_table.first() != Some(&true) {
            return Ok(false);
        }
        let bytes = self.rows(
            "SELECT COALESCE(SUM(length(relations)), 0) FROM edges_packed",
            [],
            |r| r.get::<_, i64>(0).map(Ok),
        )?;
        Ok(bytes.first().map(|&b| size(b)) == rows.checked_mul(packed::WIDTH))
    }

    /// Where [`Store::scan_edges`] starts a second reader: the key `(source_id, target_id)`
    /// of the relation half-way through `edges` (which holds `rows`), when it holds at
    /// least [`SCAN_SPLIT_MIN_ROWS`] and there is more than one core.
    ///
    /// # Complexity
    /// One step over half of the table's keys, without reading the rows.
    fn scan_split(&self, rows: usize) -> Result<Option<(i64, i64)>, StoreError> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if rows < SCAN_SPLIT_MIN_ROWS || cores < 2 {
            return Ok(None);
        }
        let middle = i64::try_from(rows / 2).unwrap_or(i64::MAX);
        let keys = self.rows(
            "SELECT source_id, target_id FROM edges ORDER BY source_id, target_id \
             LIMIT 1 OFFSET ?1",
            [middle],
            |r| Ok(Ok((r.get(0)?, r.get(1)?))),
        )?;
        Ok(keys.into_iter().next())
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
fn id_list(ids: &[i64]) -> String {
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    list.join(",")
}

/// How a layered search ([`Store::layers`], [`Store::reach`]) reads the relations around
/// each layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reading {
    /// Entity by entity through the indexes while a layer's entities have few relations;
    /// by one scan of every relation, kept for the deeper layers, once they have (by their
    /// stored degrees) at least [`SCAN_MIN_ROWS`] and a share of the table's: an eighth
    /// when its packed copy is there, half otherwise. Reading a relation through the
    /// indexes costs about twice as much as in a scan of `edges`, and about eight times
    /// as much as in one of `edges_packed`.
    #[default]
    Auto,
    /// Always through the indexes, one query per entity.
    Indexed,
    /// By one scan of `edges`, from the first layer on.
    Scan,
}

/// Rows [`Store::scan_edges`] hands from the reading thread to the numbering one at a time
/// (a few in tests, so that their small graphs go through many batches).
const SCAN_BATCH: usize = if cfg!(test) { 3 } else { 4096 };

/// Batches [`Store::scan_edges`] lets wait between its two threads.
const SCAN_BATCHES: usize = 4;

/// Fewest relations `edges` must hold before [`Store::scan_edges`] reads it on two
/// threads (two in tests, so that their small graphs take that path too).
const SCAN_SPLIT_MIN_ROWS: usize = if cfg!(test) { 2 } else { 50_000 };

/// Fewest relations a layer's entities must have before [`Reading::Auto`] scans `edges`:
/// below this, reading them through the indexes takes milliseconds whatever the table's
/// size.
pub const SCAN_MIN_ROWS: usize = 100_000;

/// What a layered search reads of each relation besides its ends.
trait Weighing: Copy + Send {
    /// Its columns of `edges`, to follow `source_id, target_id`, each after a comma.
    const COLUMNS: &'static str;
    /// Reads them, from column 2 on.
    fn read(r: &Row<'_>) -> rusqlite::Result<Result<Self, String>>;
    /// Takes them from a record of `edges_packed`.
    fn packed(edge: &PackedEdge) -> Self;
}

/// Nothing: [`Store::layers`] only counts.
impl Weighing for () {
    const COLUMNS: &'static str = "";
    fn read(_: &Row<'_>) -> rusqlite::Result<Result<(), String>> {
        Ok(Ok(()))
    }
    fn packed(_: &PackedEdge) {}
}

/// What ranks a relation among those reaching an entity ([`LinkInfo::strength`]; the PMI
/// does not count). Counts are held in 32 bits: a scan holds millions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weight {
    /// The relation.
    pub relation: EntityRelation,
    /// Papers supporting it.
    pub support: u32,
    /// Papers with a sentence naming both ends.
    pub sentences: u32,
}

impl Weight {
    /// [`LinkInfo::strength`] of the relation.
    pub fn strength(&self) -> f64 {
        LinkInfo {
            relation: self.relation,
            support: self.support as usize,
            sentences: self.sentences as usize,
            pmi: None,
        }
        .strength()
    }
}

impl Weighing for Weight {
    const COLUMNS: &'static str = ", relation, support, sentences";
    fn read(r: &Row<'_>) -> rusqlite::Result<Result<Weight, String>> {
        let rel = r.get_ref(2)?;
        let name = rel.as_bytes().unwrap_or_default();
        let Some(relation) = EntityRelation::ALL
            .into_iter()
            .find(|x| x.as_str().as_bytes() == name)
        else {
            let shown = match rel.as_bytes() {
                Ok(bytes) => format!("{:?}", String::from_utf8_lossy(bytes)),
                Err(_) => format!("of type {}", rel.data_type()),
            };
            return Ok(Err(format!("unknown relation {shown} in edges")));
        };
        let count = |i: usize| -> rusqlite::Result<Result<u32, String>> {
            let n: i64 = r.get(i)?;
            Ok(u32::try_from(size(n)).map_err(|_| format!("count {n} out of range in edges")))
        };
        let (support, sentences) = match (count(3)?, count(4)?) {
            (Ok(support), Ok(sentences)) => (support, sentences),
            (Err(reason), _) | (_, Err(reason)) => return Ok(Err(reason)),
        };
        Ok(Ok(Weight {
            relation,
            support,
            sentences,
        }))
    }
    fn packed(edge: &PackedEdge) -> Weight {
        Weight {
            relation: edge.relation,
            support: edge.support,
            sentences: edge.sentences,
        }
    }
}

/// Reads the rows of `sql`, the second half of a scan of `edges` ([`Store::scan_edges`]),
/// through a connection of its own to the database at `path`, and sends them to `to` in
/// batches of [`SCAN_BATCH`]; stops early, without an error, once nobody receives them.
fn read_second_half<W: Weighing>(
    path: &Path,
    sql: &str,
    params: impl rusqlite::Params,
    to: mpsc::Sender<Vec<(i64, i64, W)>>,
) -> Result<(), StoreError> {
    let failed = |source: rusqlite::Error| StoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    };
    let conn = open_read_only(path)?;
    let mut statement = conn.prepare(sql).map_err(failed)?;
    let mut rows = statement.query(params).map_err(failed)?;
    let mut batch = Vec::with_capacity(SCAN_BATCH);
    while let Some(r) = rows.next().map_err(failed)? {
        match crossing_row::<W>(r).map_err(failed)? {
            Ok(row) => batch.push(row),
            Err(reason) => {
                return Err(StoreError::Damaged {
                    path: path.to_path_buf(),
                    reason,
                })
            }
        }
        if batch.len() == SCAN_BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(SCAN_BATCH));
            if to.send(full).is_err() {
                // The numberer stopped; it says why once joined.
                return Ok(());
            }
        }
    }
    // A failed send means the numberer stopped; it says why once joined.
    let _ = to.send(batch);
    Ok(())
}

/// Reads `source_id, target_id` and the weight of [`Weighing::COLUMNS`].
fn crossing_row<W: Weighing>(r: &Row<'_>) -> rusqlite::Result<Result<(i64, i64, W), String>> {
    let (source, target) = (r.get(0)?, r.get(1)?);
    Ok(W::read(r)?.map(|w| (source, target, w)))
}

/// An entity found by [`Store::reach`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reach {
    /// Its id.
    pub id: i64,
    /// Hops from the start.
    pub depth: usize,
    /// The entity it was reached from, one hop nearer.
    pub via: i64,
    /// The source of the relation crossed (`via` or the entity itself).
    pub source: i64,
    /// Its target.
    pub target: i64,
    /// What the relation is and how strong.
    pub weight: Weight,
}

/// Entity ids numbered from 0 in the order a search first reads them, so that its
/// per-entity state lives in vectors.
#[derive(Debug, Default)]
struct Numbering {
    /// The numbers of ids `0..direct.len()`, [`UNNUMBERED`] for those without one yet:
    /// a table rather than a hash for when most entities are read (see
    /// [`Numbering::widen`]).
    direct: Vec<u32>,
    /// The numbers of the other ids.
    others: HashMap<i64, u32, foldhash::fast::RandomState>,
    /// The id of each number.
    ids: Vec<i64>,
}

/// An id without a number in [`Numbering::direct`].
const UNNUMBERED: u32 = u32::MAX;

/// The most ids [`Numbering::direct`] holds (64 MiB).
const DIRECT_IDS: usize = 1 << 24;

impl Numbering {
    /// The number of entity `id`, given it the first time; the reason when there are
    /// more entities than numbers.
    fn of(&mut self, id: i64) -> Result<u32, String> {
        let slot = usize::try_from(id).ok().filter(|&i| i < self.direct.len());
        let known = match slot {
            Some(i) => Some(self.direct[i]).filter(|&n| n != UNNUMBERED),
            None => self.others.get(&id).copied(),
        };
        if let Some(n) = known {
            return Ok(n);
        }
        let n = u32::try_from(self.ids.len())
            .ok()
            .filter(|&n| n != UNNUMBERED)
            .ok_or_else(|| "too many entities".to_string())?;
        match slot {
            Some(i) => self.direct[i] = n,
            None => {
                self.others.insert(id, n);
            }
        }
        self.ids.push(id);
        Ok(n)
    }

    /// Numbers the ids `0..=max` (at most [`DIRECT_IDS`] of them) through the table, for
    /// reading every relation.
    fn widen(&mut self, max: i64) {
        let len = usize::try_from(max)
            .map_or(0, |m| m.saturating_add(1))
            .min(DIRECT_IDS);
        if len <= self.direct.len() {
            return;
        }
        self.direct.resize(len, UNNUMBERED);
        let direct = &mut self.direct;
        self.others.retain(|&id, &mut n| match usize::try_from(id) {
            Ok(i) if i < len => {
                direct[i] = n;
                false
            }
            _ => true,
        });
    }

    /// The id of entity number `n` (a number [`Numbering::of`] gave).
    fn id(&self, n: u32) -> i64 {
        self.ids[n as usize]
    }
}

/// A relation by the numbers of its source and target, and its weight.
type Crossing<W> = (u32, u32, W);

/// Reads, layer by layer, the relations a layered search crosses (see [`Reading`]).
struct LayerReader<W> {
    follow: Follow,
    reading: Reading,
    numbering: Numbering,
    /// [`incident_sql`] for `W`'s columns.
    incident: String,
    /// Every relation `follow` allows, once a layer was worth a scan.
    scanned: Option<Vec<Crossing<W>>>,
    /// Relations in `edges`, once asked.
    edge_count: Option<usize>,
    /// Whether `edges_packed` holds them all ([`Store::packed_edges_complete`]), once asked.
    packed: Option<bool>,
    /// Whether [`LayerReader::will_scan`] decided on a scan not yet read.
    scan_decided: bool,
}

impl<W: Weighing> LayerReader<W> {
    /// A reader for a search from entity `start`, which is number 0.
    fn new(start: i64, follow: Follow, reading: Reading) -> Self {
        let mut numbering = Numbering::default();
        numbering.others.insert(start, 0);
        numbering.ids.push(start);
        let columns = format!("source_id, target_id{}", W::COLUMNS);
        LayerReader {
            follow,
            reading,
            numbering,
            incident: incident_sql(&columns, &columns),
            scanned: None,
            edge_count: None,
            packed: None,
            scan_decided: false,
        }
    }

    /// Calls `cross(source, target, weight)` on every relation `follow` allows with an end
    /// among the entities numbered `layer` (an entity's relations in either direction;
    /// a relation between two of them maybe twice); after a scan, on every relation
    /// `follow` allows. A scan is kept for the next layers unless this is the `last`.
    fn read(
        &mut self,
        store: &Store,
        layer: &[u32],
        last: bool,
        mut cross: impl FnMut(u32, u32, &W) + Send,
    ) -> Result<(), StoreError> {
        if self.scanned.is_none() && self.will_scan(store, layer)? {
            let (rows, packed) = (self.edge_count(store)?, self.packed(store)?);
            let numbering = &mut self.numbering;
            if last {
                return store.scan_edges(self.follow, numbering, rows, packed, |s, t, w| {
                    cross(s, t, &w)
                });
            }
            // This layer is searched as the rows come in, and they are kept for the next.
            let mut all = Vec::with_capacity(rows);
            store.scan_edges(self.follow, numbering, rows, packed, |s, t, w| {
                cross(s, t, &w);
                all.push((s, t, w));
            })?;
            self.scanned = Some(all);
            return Ok(());
        }
        if let Some(all) = &self.scanned {
            for (s, t, w) in all {
                cross(*s, *t, w);
            }
            return Ok(());
        }
        for &node in layer {
            let id = self.numbering.id(node);
            let numbering = &mut self.numbering;
            store.each_row(&self.incident, follow_params(id, self.follow), |r| {
                Ok(crossing_row::<W>(r)?.and_then(|(s, t, w)| {
                    cross(numbering.of(s)?, numbering.of(t)?, &w);
                    Ok(())
                }))
            })?;
        }
        Ok(())
    }

    /// Whether [`LayerReader::read`] will read the relations around `layer` by a scan of
    /// `edges` (or from the one kept); decided once per layer, and when it will, the
    /// numbering is widened to every id, so [`LayerReader::entities_hint`] tells how many
    /// entities the search may number.
    fn will_scan(&mut self, store: &Store, layer: &[u32]) -> Result<bool, StoreError> {
        if self.scanned.is_some() || self.scan_decided {
            return Ok(true);
        }
        if self.worth_scanning(store, layer)? {
            self.numbering.widen(store.max_entity_id()?);
            self.scan_decided = true;
            return Ok(true);
        }
        Ok(false)
    }

    /// How many entities the search may number, as far as it knows: every id once a scan
    /// was decided, for sizing per-entity state once rather than growing it.
    fn entities_hint(&self) -> usize {
        self.numbering.ids.len().max(self.numbering.direct.len())
    }

    /// Whether the relations around `layer` are better read by one scan of `edges`.
    fn worth_scanning(&mut self, store: &Store, layer: &[u32]) -> Result<bool, StoreError> {
        match self.reading {
            Reading::Indexed => return Ok(false),
            Reading::Scan => return Ok(true),
            Reading::Auto => {}
        }
        let ids: Vec<i64> = layer.iter().map(|&n| self.numbering.id(n)).collect();
        if !store.degrees_reach(&ids, SCAN_MIN_ROWS)? {
            return Ok(false);
        }
        let edges = self.edge_count(store)?;
        let share = if self.packed(store)? { 8 } else { 2 };
        store.degrees_reach(&ids, (edges / share).max(SCAN_MIN_ROWS))
    }

    /// Whether `edges_packed` holds every relation of `edges`, asked once.
    fn packed(&mut self, store: &Store) -> Result<bool, StoreError> {
        if let Some(packed) = self.packed {
            return Ok(packed);
        }
        let rows = self.edge_count(store)?;
        Ok(*self.packed.insert(store.packed_edges_complete(rows)?))
    }

    /// How many relations `edges` holds, asked once.
    fn edge_count(&mut self, store: &Store) -> Result<usize, StoreError> {
        match self.edge_count {
            Some(n) => Ok(n),
            None => Ok(*self.edge_count.insert(store.edge_count()?)),
        }
    }
}

/// [`Store::layers`]' and [`Store::reach`]'s mark of an entity not reached yet.
const UNSEEN: u32 = u32::MAX;

/// The layers a search to `depth` hops goes through, as layer numbers: never more than
/// there are entity numbers, so they fit below [`UNSEEN`].
fn depth_levels(depth: usize) -> u32 {
    u32::try_from(depth).unwrap_or(UNSEEN - 1).min(UNSEEN - 1)
}

/// The layer of each entity number of a layered search: the start is in layer 0.
#[derive(Debug)]
struct Levels(Vec<u32>);

impl Default for Levels {
    fn default() -> Self {
        Levels(vec![0])
    }
}

impl Levels {
    /// The layer of entity number `n`, or [`UNSEEN`].
    fn at(&self, n: u32) -> u32 {
        self.0.get(n as usize).copied().unwrap_or(UNSEEN)
    }

    /// Puts entity number `n` in layer `level`.
    fn set(&mut self, n: u32, level: u32) {
        let i = n as usize;
        if i >= self.0.len() {
            self.0.resize(i + 1, UNSEEN);
        }
        self.0[i] = level;
    }

    /// Makes room for `n` entity numbers at once.
    fn reserve(&mut self, n: usize) {
        self.0.reserve(n.saturating_sub(self.0.len()));
    }
}

/// Records that entity number `n` is the `i`-th of its layer.
fn set_place(places: &mut Vec<u32>, n: u32, i: usize) {
    let at = n as usize;
    if at >= places.len() {
        places.resize(at + 1, 0);
    }
    places[at] = u32::try_from(i).unwrap_or(u32::MAX);
}

/// A relation crossed from an entity of one layer to one of the next, as [`Store::reach`]
/// weighs it.
#[derive(Clone, Copy, Debug)]
struct Crossed {
    /// The place of `via` in its layer.
    place: u32,
    /// Whether it was crossed from its target to its source.
    against: bool,
    /// The number of the entity it was crossed from.
    via: u32,
    weight: Weight,
    /// [`Weight::strength`].
    strength: f64,
}

impl Crossed {
    /// Whether `neighborhood` meets this relation before `other` (both reaching the
    /// same entity): from an earlier entity; from the same one, outgoing before incoming,
    /// then by relation name, highest first.
    fn met_before(&self, other: &Crossed) -> bool {
        let key = |c: &Crossed| (c.place, c.against, Reverse(c.weight.relation.as_str()));
        key(self) < key(other)
    }

    /// What [`Store::reach`] reports of entity number `n`, reached by this relation.
    fn reach(&self, numbering: &Numbering, n: u32, depth: usize) -> Reach {
        let (id, via) = (numbering.id(n), numbering.id(self.via));
        let (source, target) = if self.against { (id, via) } else { (via, id) };
        Reach {
            id,
            depth,
            via,
            source,
            target,
            weight: self.weight,
        }
    }
}

/// How an entity of the layer being built was reached.
#[derive(Clone, Copy, Debug)]
struct Arrival {
    /// Where it was first met: the place of the entity it was met from, and whether
    /// against the relation's direction.
    first: (u32, bool),
    /// The strongest relation reaching it, the first met among equals.
    best: Crossed,
}

/// Records that `crossed` reaches entity number `n`.
fn arrive(arrivals: &mut Vec<Option<Arrival>>, n: u32, crossed: Crossed) {
    let i = n as usize;
    if i >= arrivals.len() {
        arrivals.resize(i + 1, None);
    }
    let met = (crossed.place, crossed.against);
    match &mut arrivals[i] {
        None => {
            arrivals[i] = Some(Arrival {
                first: met,
                best: crossed,
            })
        }
        Some(a) => {
            a.first = a.first.min(met);
            let stronger = crossed.strength > a.best.strength;
            let earlier_equal = crossed.strength == a.best.strength && crossed.met_before(&a.best);
            if stronger || earlier_equal {
                a.best = crossed;
            }
        }
    }
}

/// Records the `place` of each entity of a new layer (numbered `layer`): the order
/// `neighborhood` meets them in, which ranks equal relations from them to the next layer.
/// That is by where each was first met, then by id, highest first.
fn set_places(
    layer: &[u32],
    arrivals: &[Option<Arrival>],
    place: &mut Vec<u32>,
    numbering: &Numbering,
) {
    let mut met: Vec<_> = layer
        .iter()
        .filter_map(|&n| {
            let a = arrivals.get(n as usize)?.as_ref()?;
            Some((a.first, Reverse(numbering.id(n)), n))
        })
        .collect();
    met.sort_unstable();
    for (i, &(_, _, n)) in met.iter().enumerate() {
        set_place(place, n, i);
    }
}

/// How many entities of a new layer (numbered `layer`, at `depth` hops) are `wanted`, and
/// the first `quota` of them as [`Store::reach`] lists them: strongest relation first,
/// then by id.
fn rank(
    layer: &[u32],
    arrivals: &[Option<Arrival>],
    numbering: &Numbering,
    depth: usize,
    wanted: &dyn Fn(i64) -> bool,
    quota: usize,
) -> (usize, Vec<Reach>) {
    let mut ranked: Vec<_> = layer
        .iter()
        .filter_map(|&n| {
            let a = arrivals.get(n as usize)?.as_ref()?;
            let id = numbering.id(n);
            wanted(id).then_some((Reverse(total_order(a.best.strength)), id, n))
        })
        .collect();
    let count = ranked.len();
    if quota < count {
        if quota > 0 {
            ranked.select_nth_unstable(quota - 1);
        }
        ranked.truncate(quota);
    }
    ranked.sort_unstable();
    let listed = ranked
        .iter()
        .filter_map(|&(_, _, n)| {
            let a = arrivals.get(n as usize)?.as_ref()?;
            Some(a.best.reach(numbering, n, depth))
        })
        .collect();
    (count, listed)
}

/// A key ordering floats as [`f64::total_cmp`] does.
fn total_order(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

/// Counts below this have their [`Weight::strength`] remembered by [`Strengths`].
const REMEMBERED: usize = 64;

/// [`Weight::strength`], remembered for small counts (most relations have a few
/// papers): two logarithms per relation read add up over millions.
#[derive(Debug)]
struct Strengths {
    /// By relation, sentences and support.
    table: Vec<Option<f64>>,
}

impl Default for Strengths {
    fn default() -> Self {
        Strengths {
            table: vec![None; EntityRelation::ALL.len() * REMEMBERED * REMEMBERED],
        }
    }
}

impl Strengths {
    /// [`Weight::strength`] of `w`.
    fn of(&mut self, w: &Weight) -> f64 {
        let (sentences, support) = (w.sentences as usize, w.support as usize);
        if sentences >= REMEMBERED || support >= REMEMBERED {
            return computed_strength(w);
        }
        let slot = (w.relation as usize * REMEMBERED + sentences) * REMEMBERED + support;
        *self.table[slot].get_or_insert_with(|| computed_strength(w))
    }
}

/// [`Weight::strength`], out of line: the compiler would otherwise compute the
/// logarithms before looking in [`Strengths`]' table.
#[cold]
#[inline(never)]
fn computed_strength(w: &Weight) -> f64 {
    w.strength()
}
