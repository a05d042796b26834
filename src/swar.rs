//! Eight bytes at a time: range tests on the bytes of a `u64` (SIMD within a register),
//! for the scans that read text a word at a time (whitespace clean-up on ingest, the
//! tokenizer's runs of letters and digits).
//!
//! This module only tests bytes; what a byte means to a scan is the caller's business.

/// `0x01` in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// `0x80` in every byte: where the tests below leave their answers.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of every byte of `w` that is ASCII and within `first..=last`
/// (`last` at most `0x7f`).
///
/// Per byte, with no carry crossing a byte: adding to the byte's low seven bits the amount
/// that carries into its high bit exactly when the byte is at or above `first` (or past
/// `last`).
#[inline(always)]
pub(crate) fn within(w: u64, first: u8, last: u8) -> u64 {
    let low = w & !HIGH;
    let from = low.wrapping_add(ONES * u64::from(0x80 - first)) & HIGH;
    let past = low.wrapping_add(ONES * u64::from(0x7f - last)) & HIGH;
    from & !past & !w & HIGH
}

/// How many bytes of `w`, read little-endian from the first, come before the first byte
/// whose high bit is set in `marks` (8 when none is).
#[inline(always)]
pub(crate) fn bytes_before(marks: u64) -> usize {
    // Little-endian: the lowest set bit is in the first marked byte.
    (marks & HIGH).trailing_zeros() as usize / 8
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value at every position, against the plain comparison.
    #[test]
    fn within_is_exact() {
        for (first, last) in [
            (b'a', b'z'),
            (b'0', b'9'),
            (0x21, 0x7e),
            (b' ', b' '),
            (0, 0x7f),
        ] {
            for at in 0..8 {
                for b in 0..=255u8 {
                    let mut bytes = *b"a0 ~Z\x7f\x80\xff";
                    bytes[at] = b;
                    let marks = within(u64::from_le_bytes(bytes), first, last);
                    for (i, &c) in bytes.iter().enumerate() {
                        let want = (first..=last).contains(&c);
                        assert_eq!(marks >> (8 * i + 7) & 1 == 1, want, "{bytes:?} {i}");
                    }
                }
            }
        }
        assert_eq!(bytes_before(0), 8);
        assert_eq!(bytes_before(HIGH), 0);
        assert_eq!(bytes_before(0x0080_0000), 2);
    }
}
