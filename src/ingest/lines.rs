//! Bounded line reading and whitespace clean-up shared by the listing and JSON readers.
//!
//! [`LineReader`] reads lines as bytes from any [`BufRead`], never holding more than the
//! configured limit (plus one buffer) in memory, however long a line is: the excess of an
//! over-long line is discarded and only its length reported. It strips `\n` / `\r\n` and does
//! not decode: the caller decides what invalid UTF-8 means. It does not know about files,
//! gzip or formats.

use std::io::{self, BufRead};

use crate::swar::{bytes_before, within, HIGH};

/// One line as read: its 1-based number and its bytes without the line ending.
#[derive(Debug)]
pub(crate) struct RawLine<'a> {
    /// 1-based line number.
    pub number: usize,
    /// The line's bytes without `\n` / `\r\n`; empty when the line is too long.
    pub bytes: &'a [u8],
    /// `Some(length)` when the line exceeded the limit and was discarded.
    pub too_long: Option<u64>,
}

/// Reads lines of at most `max` bytes from a [`BufRead`]; see the module doc.
pub(crate) struct LineReader<R> {
    inner: R,
    max: usize,
    buf: Vec<u8>,
    number: usize,
}

impl<R: BufRead> LineReader<R> {
    /// A reader yielding lines of at most `max` bytes (longer ones are reported, not kept).
    pub fn new(inner: R, max: usize) -> Self {
        LineReader {
            inner,
            max,
            buf: Vec::new(),
            number: 0,
        }
    }

    /// The number of the last line returned (0 before the first).
    pub fn line_number(&self) -> usize {
        self.number
    }

    /// The next line, `Ok(None)` at end of input.
    ///
    /// # Complexity
    /// O(length of the line); memory O(min(length, max)).
    pub fn next_line(&mut self) -> io::Result<Option<RawLine<'_>>> {
        self.buf.clear();
        let mut total: u64 = 0;
        let mut saw_any = false;
        // Keep up to max + 1 bytes: enough to strip a `\r` and still tell "too long".
        let keep = self.max.saturating_add(1);
        loop {
            let available = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    if saw_any {
                        // Report the error on the line that was being read.
                        self.number += 1;
                    }
                    return Err(e);
                }
            };
            if available.is_empty() {
                break;
            }
            saw_any = true;
            let (chunk, found) = match memchr::memchr(b'\n', available) {
                Some(i) => (&available[..i], true),
                None => (available, false),
            };
            total += chunk.len() as u64;
            if self.buf.len() < keep {
                let room = keep - self.buf.len();
                self.buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            let used = chunk.len() + usize::from(found);
            self.inner.consume(used);
            if found {
                break;
            }
        }
        if !saw_any {
            return Ok(None);
        }
        self.number += 1;
        if total > keep as u64 {
            return Ok(Some(RawLine {
                number: self.number,
                bytes: &[],
                too_long: Some(total),
            }));
        }
        let mut bytes = &self.buf[..];
        if let [rest @ .., b'\r'] = bytes {
            bytes = rest;
        }
        if bytes.len() > self.max {
            return Ok(Some(RawLine {
                number: self.number,
                bytes: &[],
                too_long: Some(total),
            }));
        }
        Ok(Some(RawLine {
            number: self.number,
            bytes,
            too_long: None,
        }))
    }
}

/// Trims and collapses every run of whitespace (spaces, tabs, newlines, …) and control
/// characters (NUL, ESC, BEL, DEL, C1 controls) to one space.
///
/// Control characters carry no text; kept, they would reach terminals (escape sequences)
/// and export formats that cannot hold them (XML 1.0 has no NUL).
///
/// Scans ASCII eight bytes at a time where they are plain words (see [`not_plain`]) and
/// byte by byte elsewhere (every ASCII byte up to the space, and DEL, separates), decodes
/// only the other characters, and copies each run of words already separated by single
/// spaces at once.
pub(crate) fn collapse_whitespace(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    loop {
        // Skip separators.
        while i < bytes.len() {
            let (separates, len) = separator_at(s, i);
            if !separates {
                break;
            }
            i += len;
        }
        if i >= bytes.len() {
            return out;
        }
        // Read a run of words separated by single spaces, copied at once.
        let start = i;
        while i < bytes.len() {
            // Here the byte before `i` is part of a word, so a leading space is single.
            // The next position does not wait for this chunk's test: the loop goes on by
            // eight bytes, and only the exit (a predicted branch) looks at the result.
            while let Some(chunk) = bytes.get(i..i + 9) {
                let mut word = [0u8; 8];
                word.copy_from_slice(&chunk[..8]);
                let changes = not_plain(u64::from_le_bytes(word), chunk[8]);
                if changes != 0 {
                    i += bytes_before(changes);
                    break;
                }
                i += 8;
            }
            let Some(&b) = bytes.get(i) else {
                break;
            };
            if is_printable_ascii(b) {
                i += 1;
                continue;
            }
            if b == b' '
                && bytes
                    .get(i + 1)
                    .is_some_and(|&next| is_printable_ascii(next))
            {
                i += 2;
                continue;
            }
            let (separates, len) = separator_at(s, i);
            if separates {
                break;
            }
            i += len;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[start..i]);
    }
}

/// Marks (the high bit of a byte) the bytes among eight (little-endian) that do not stay
/// as they are: all but printable ASCII and spaces followed by printable ASCII (the eighth
/// byte's follower is `next`, the byte after them). `0` when all eight stay. Valid when the
/// byte before them is part of a word.
fn not_plain(w: u64, next: u8) -> u64 {
    let printable = within(w, 0x21, 0x7e);
    let spaces = within(w, b' ', b' ');
    let followed = (printable >> 8) | u64::from(is_printable_ascii(next)) << 63;
    let stays = printable | (spaces & followed);
    !stays & HIGH
}

/// An ASCII byte that is neither whitespace nor a control character.
fn is_printable_ascii(b: u8) -> bool {
    b > b' ' && b < 0x7f
}

/// Whether the character at byte `i` of `s` (a character boundary) is whitespace or a
/// control character, and its length in bytes.
fn separator_at(s: &str, i: usize) -> (bool, usize) {
    let b = s.as_bytes()[i];
    if b.is_ascii() {
        return (b <= b' ' || b == 0x7f, 1);
    }
    match s[i..].chars().next() {
        Some(c) => (c.is_whitespace() || c.is_control(), c.len_utf8()),
        None => (false, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<(usize, Vec<u8>, Option<u64>)> {
        let mut r = LineReader::new(io::BufReader::with_capacity(4, input), max);
        let mut out = Vec::new();
        while let Some(l) = r.next_line().expect("in-memory read") {
            out.push((l.number, l.bytes.to_vec(), l.too_long));
        }
        out
    }

    #[test]
    fn strips_lf_and_crlf_and_keeps_last_line_without_newline() {
        let got = lines(b"ab\r\ncd\n\nef", 100);
        assert_eq!(
            got,
            vec![
                (1, b"ab".to_vec(), None),
                (2, b"cd".to_vec(), None),
                (3, b"".to_vec(), None),
                (4, b"ef".to_vec(), None),
            ]
        );
    }

    #[test]
    fn over_long_line_is_reported_and_the_next_one_read() {
        let got = lines(b"short\n0123456789abc\nok\r\n", 5);
        assert_eq!(got[0], (1, b"short".to_vec(), None));
        assert_eq!(got[1], (2, Vec::new(), Some(13)));
        assert_eq!(got[2], (3, b"ok".to_vec(), None));
    }

    #[test]
    fn exactly_max_with_crlf_is_not_too_long() {
        let got = lines(b"12345\r\n123456\r\n", 5);
        assert_eq!(got[0], (1, b"12345".to_vec(), None));
        assert_eq!(got[1].2, Some(7));
    }

    #[test]
    fn empty_input_has_no_lines() {
        assert!(lines(b"", 10).is_empty());
    }

    /// The first implementation, the oracle for the byte-wise one.
    fn collapse_whitespace_reference(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let words = s.split(|c: char| c.is_whitespace() || c.is_control());
        for word in words.filter(|w| !w.is_empty()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        out
    }

    #[test]
    fn collapse_whitespace_agrees_with_the_reference_on_every_character() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let text = format!(" a{c}b{c}{c} c{c}");
            assert_eq!(
                collapse_whitespace(&text),
                collapse_whitespace_reference(&text),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn collapse_whitespace_agrees_with_the_reference(text in proptest::prelude::any::<String>()) {
            proptest::prop_assert_eq!(collapse_whitespace(&text), collapse_whitespace_reference(&text));
        }

        /// Mostly ASCII words with every kind of separator: exercises the eight-byte path.
        #[test]
        fn collapse_whitespace_agrees_with_the_reference_on_words(
            text in "([a-z~!]{1,12}( |  |\n|\t|\r\n|\u{7f}|\u{85}|\u{a0}|é|\u{0})){0,40}"
        ) {
            proptest::prop_assert_eq!(collapse_whitespace(&text), collapse_whitespace_reference(&text));
        }
    }

    /// The eight-byte test against its definition: every byte at every position of a
    /// plain word, with and without spaces at every other pair of positions, followed by a
    /// letter, a space or a newline.
    #[test]
    fn not_plain_is_exact() {
        let printable = |b: u8| (0x21..0x7f).contains(&b);
        let plain = |bytes: &[u8; 9]| {
            (0..8)
                .find(|&i| !(printable(bytes[i]) || (bytes[i] == b' ' && printable(bytes[i + 1]))))
                .unwrap_or(8)
        };
        let mut checked = [0; 2];
        for spaces in [None, Some((1, 2)), Some((2, 5)), Some((6, 7)), Some((0, 7))] {
            for next in [b'i', b' ', b'\n'] {
                let mut base = *b"abcdefgh?";
                base[8] = next;
                if let Some((a, b)) = spaces {
                    base[a] = b' ';
                    base[b] = b' ';
                }
                for at in 0..9 {
                    for b in 0..=255u8 {
                        let mut bytes = base;
                        bytes[at] = b;
                        let mut word = [0u8; 8];
                        word.copy_from_slice(&bytes[..8]);
                        let found = bytes_before(not_plain(u64::from_le_bytes(word), bytes[8]));
                        assert_eq!(found, plain(&bytes), "{bytes:?}");
                        checked[usize::from(found < 8)] += 1;
                    }
                }
            }
        }
        assert!(checked[0] > 1000 && checked[1] > 1000, "{checked:?}");
    }

    #[test]
    fn collapse_whitespace_joins_runs() {
        assert_eq!(collapse_whitespace("  a\n  b\t\tc \r\n"), "a b c");
        assert_eq!(collapse_whitespace(" \t "), "");
        assert_eq!(
            collapse_whitespace("\u{0}nul\u{1b}[31mred\u{7}\u{7f}\u{85}x\u{9c}"),
            "nul [31mred x"
        );
        assert_eq!(collapse_whitespace("\u{202E}rtl 🦙"), "\u{202E}rtl 🦙");
    }
}
