//! The byte layout of `edges_packed`: the rows of `edges` (ends, relation, support,
//! sentences) as fixed-width records in blocks, so that a scan of every relation reads a
//! few dozen blobs instead of stepping SQLite through millions of rows.
//!
//! A record is [`WIDTH`] bytes, little-endian: `source_id` and `target_id` in 4 bytes each,
//! the relation as its position in [`EntityRelation::ALL`] in 1, `support` and `sentences`
//! in 4 each. A block holds at most [`BLOCK`] records.
//!
//! This module only encodes and decodes; the writer stores the blocks beside `edges`, and
//! the explore commands decide when to read them.

use crate::graph::EntityRelation;

/// Records per block (one row of `edges_packed`); a few in tests, so that their small
/// graphs fill many blocks.
pub const BLOCK: usize = if cfg!(test) { 7 } else { 65_536 };

/// Bytes per record.
pub const WIDTH: usize = 17;

/// One relation as packed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackedEdge {
    /// `edges.source_id`.
    pub source: u32,
    /// `edges.target_id`.
    pub target: u32,
    /// `edges.relation`.
    pub relation: EntityRelation,
    /// `edges.support`.
    pub support: u32,
    /// `edges.sentences`.
    pub sentences: u32,
}

/// Appends the record of a relation to `out`; `None` (and nothing appended) when an id or
/// count does not fit in 4 bytes.
pub fn encode(
    source: usize,
    target: usize,
    relation: EntityRelation,
    support: usize,
    sentences: usize,
    out: &mut Vec<u8>,
) -> Option<()> {
    let fields = [
        u32::try_from(source).ok()?,
        u32::try_from(target).ok()?,
        u32::try_from(support).ok()?,
        u32::try_from(sentences).ok()?,
    ];
    let code = EntityRelation::ALL.iter().position(|&r| r == relation)?;
    out.extend_from_slice(&fields[0].to_le_bytes());
    out.extend_from_slice(&fields[1].to_le_bytes());
    out.push(u8::try_from(code).ok()?);
    out.extend_from_slice(&fields[2].to_le_bytes());
    out.extend_from_slice(&fields[3].to_le_bytes());
    Some(())
}

/// Calls `each` on every record of `block`, in order; the reason when the block is not a
/// whole number of records or names an unknown relation (nothing is called for the
/// records after it).
pub fn decode(block: &[u8], mut each: impl FnMut(PackedEdge)) -> Result<(), String> {
    if !block.len().is_multiple_of(WIDTH) {
        return Err(format!(
            "a block of edges_packed holds {} bytes, not a multiple of {WIDTH}",
            block.len()
        ));
    }
    for record in block.chunks_exact(WIDTH) {
        let word = |at: usize| {
            u32::from_le_bytes([record[at], record[at + 1], record[at + 2], record[at + 3]])
        };
        let Some(&relation) = EntityRelation::ALL.get(usize::from(record[8])) else {
            return Err(format!(
                "unknown relation code {} in edges_packed",
                record[8]
            ));
        };
        each(PackedEdge {
            source: word(0),
            target: word(4),
            relation,
            support: word(9),
            sentences: word(13),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_decode_to_what_was_encoded() {
        let rows = [
            (1, 2, EntityRelation::VariantOf, 3, 3),
            (7, 300_000, EntityRelation::CoMentioned, 41, 0),
            (
                u32::MAX as usize,
                0,
                EntityRelation::EvaluatedOn,
                0,
                u32::MAX as usize,
            ),
        ];
        let mut bytes = Vec::new();
        for &(s, t, r, support, sentences) in &rows {
            encode(s, t, r, support, sentences, &mut bytes).unwrap();
        }
        assert_eq!(bytes.len(), rows.len() * WIDTH);
        let mut got = Vec::new();
        decode(&bytes, |e| got.push(e)).unwrap();
        let want: Vec<PackedEdge> = rows
            .iter()
            .map(|&(s, t, relation, support, sentences)| PackedEdge {
                source: s as u32,
                target: t as u32,
                relation,
                support: support as u32,
                sentences: sentences as u32,
            })
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn values_beyond_four_bytes_are_not_encoded() {
        let mut bytes = Vec::new();
        let big = u32::MAX as usize + 1;
        assert!(encode(big, 1, EntityRelation::BasedOn, 1, 1, &mut bytes).is_none());
        assert!(encode(1, 1, EntityRelation::BasedOn, big, 1, &mut bytes).is_none());
        assert!(bytes.is_empty());
    }

    #[test]
    fn damaged_blocks_are_reported() {
        let mut bytes = Vec::new();
        encode(1, 2, EntityRelation::TrainedOn, 1, 1, &mut bytes).unwrap();
        let mut seen = 0;
        let cut = decode(&bytes[..WIDTH - 1], |_| seen += 1).unwrap_err();
        assert!(cut.contains("not a multiple of 17"), "{cut}");
        bytes[8] = 9;
        let unknown = decode(&bytes, |_| seen += 1).unwrap_err();
        assert!(unknown.contains("unknown relation code 9"), "{unknown}");
        assert_eq!(seen, 0);
    }
}
