//! One pass over every entity → entity relation, for the layered searches of `reach.rs`
//! once a layer touches a large share of them: from the packed copy `edges_packed` when
//! the database holds a complete one, else from `edges` itself, which two threads read,
//! half the keys each, while the caller's thread numbers the entities.
//!
//! This module reads relations; it decides neither when to scan nor what a search does
//! with them.

use std::path::Path;
use std::sync::mpsc;

use rusqlite::{params, Row};

use super::reach::Numbering;
use super::subgraph::{follow_params, Follow};
use super::{size, Store, StoreError};
use crate::export::packed::{self, PackedEdge};
use crate::export::sqlite::open_read_only;
use crate::graph::algo::LinkInfo;
use crate::graph::EntityRelation;

/// Rows [`Store::scan_edges`] hands from the reading thread to the numbering one at a time
/// (a few in tests, so that their small graphs go through many batches).
const SCAN_BATCH: usize = if cfg!(test) { 3 } else { 4096 };

/// Batches [`Store::scan_edges`] lets wait between its two threads.
const SCAN_BATCHES: usize = 4;

/// Fewest relations `edges` must hold before [`Store::scan_edges`] reads it on two
/// threads (two in tests, so that their small graphs take that path too).
const SCAN_SPLIT_MIN_ROWS: usize = if cfg!(test) { 2 } else { 50_000 };

/// A relation by the numbers of its source and target, and its weight.
pub(super) type Crossing<W> = (u32, u32, W);

impl Store {
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
    pub(super) fn scan_edges<W: Weighing + Send>(
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
    pub(super) fn packed_edges_complete(&self, rows: usize) -> Result<bool, StoreError> {
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
}

/// What a layered search reads of each relation besides its ends.
pub(super) trait Weighing: Copy + Send {
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
pub(super) fn crossing_row<W: Weighing>(
    r: &Row<'_>,
) -> rusqlite::Result<Result<(i64, i64, W), String>> {
    let (source, target) = (r.get(0)?, r.get(1)?);
    Ok(W::read(r)?.map(|w| (source, target, w)))
}
