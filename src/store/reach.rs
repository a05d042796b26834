//! The layered searches behind `neighbors`. [`Store::reach`] finds what
//! `graph::algo::neighborhood` finds in [`Store::ball`], in the same order, without
//! assembling the ball: a search layer by layer over entity numbers, keeping per entity
//! only the strongest relation reaching it; [`Store::layers`] only collects the ids. Both
//! read a layer's relations through the indexes, or, once a layer's entities have about as
//! many relations as a share of the table, from one scan of every relation (`scan.rs`),
//! kept for the deeper layers ([`Reading`]).
//!
//! This module searches; it loads no graph (`subgraph.rs` does) and explains nothing
//! (`explore.rs` does).

use std::cmp::Reverse;
use std::collections::HashMap;

use super::scan::{crossing_row, Crossing, Weighing};
use super::subgraph::{follow_params, id_list, incident_sql, Follow, ENTITY_CHUNK};
use super::{size, Store, StoreError};
use crate::graph::EntityRelation;

pub use super::scan::Weight;

impl Store {
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

/// Fewest relations a layer's entities must have before [`Reading::Auto`] scans `edges`:
/// below this, reading them through the indexes takes milliseconds whatever the table's
/// size.
pub const SCAN_MIN_ROWS: usize = 100_000;

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
pub(super) struct Numbering {
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
    pub(super) fn of(&mut self, id: i64) -> Result<u32, String> {
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
