//! The lexicon's automata: surface patterns compiled into an Aho-Corasick DFA, and a scan
//! that reports every match, overlapping ones included.
//!
//! The scan walks the DFA's transitions itself (through aho-corasick's public
//! [`aho_corasick::automaton::Automaton`] trait) instead of going through
//! `find_overlapping_iter`, whose resumable state costs about three times as many
//! instructions per byte. It reports the same matches in the same order: by end, then in
//! the automaton's order for one end.
//!
//! The DFA (about 9 MB for the built-in lexicon) does not fit in a core's private caches,
//! so a walk spends most of its time waiting for its next transition. A long field is
//! therefore cut into four pieces whose walks run in step and wait together.
//!
//! This module matches strings; it knows nothing of entities or word boundaries.

use std::ops::Range;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, StartKind};

/// Patterns compiled for overlapping search.
#[derive(Clone, Debug)]
pub struct Patterns {
    dfa: DFA,
}

impl Patterns {
    /// Compiles non-empty `patterns` (pattern `i` is reported as `i`), matched as written or,
    /// with `fold`, in any ASCII case. `None` when the automaton would exceed
    /// aho-corasick's size limits.
    pub fn new<P: AsRef<[u8]>>(patterns: impl IntoIterator<Item = P>, fold: bool) -> Option<Self> {
        let dfa = DFA::builder()
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .ascii_case_insensitive(fold)
            // The scan below does not use a prefilter: without one, only dead and match
            // states are special.
            .prefilter(false)
            .build(patterns)
            .ok()?;
        Some(Patterns { dfa })
    }

    /// Calls `each` with the byte range and pattern of every match in `text`, by end.
    ///
    /// A text of [`WALKS`] × [`MIN_PIECE`] bytes or more is cut into [`WALKS`] pieces
    /// scanned in step, each walk starting a pattern's length before its piece so that no
    /// match across a cut is missed. One walk waits on each transition it loads (the
    /// automaton is too big for the fastest caches); independent walks wait together.
    ///
    /// # Complexity
    /// O(n + m) for n bytes and m matches.
    pub fn for_each_match(&self, text: &str, mut each: impl FnMut(Range<usize>, usize)) {
        let dfa = &self.dfa;
        let Ok(start) = dfa.start_state(Anchored::No) else {
            return;
        };
        let bytes = text.as_bytes();
        let mut report = |end: usize, sid: StateID| {
            for k in 0..dfa.match_len(sid) {
                let pattern = dfa.match_pattern(sid, k);
                // Case folding is ASCII only: a match is as long as its pattern.
                let begin = end.saturating_sub(dfa.pattern_len(pattern));
                each(begin..end, pattern.as_usize());
            }
        };
        // Piece k is bytes[cut[k]..cut[k + 1]]; its walk starts at from[k] (a match ending
        // in the piece starts there or later) and reports only the matches that end in it.
        let overlap = dfa.max_pattern_len().saturating_sub(1);
        // A long text is cut in WALKS pieces, a short one is one piece.
        let n = bytes.len();
        let in_pieces = n >= WALKS * MIN_PIECE.max(overlap);
        let walks = if in_pieces { WALKS } else { 1 };
        let mut cut = [n; WALKS + 1];
        let mut from = [0; WALKS];
        // The walks are equally long, `steps` bytes each (the first has no overlap to
        // walk, so its piece is the longest), and run in step from start to end; only the
        // last few bytes of the text, the rounding, are left to the last walk alone.
        // (`in_pieces` makes `steps` larger than `overlap`.)
        let steps = if in_pieces {
            (n + (WALKS - 1) * overlap) / WALKS
        } else {
            0
        };
        cut[0] = 0;
        for k in 1..walks {
            cut[k] = cut[k - 1] + steps - if k == 1 { 0 } else { overlap };
            from[k] = cut[k] - overlap;
        }
        let mut found: [Vec<(usize, StateID)>; WALKS] = Default::default();
        let mut sid = [start; WALKS];
        // (An unanchored search never enters the dead state.)
        if in_pieces {
            let lane = |k: usize| bytes.get(from[k]..from[k] + steps).unwrap_or_default();
            let lanes = lane(0).iter().zip(lane(1)).zip(lane(2)).zip(lane(3));
            for (i, (((&b0, &b1), &b2), &b3)) in lanes.enumerate() {
                sid[0] = dfa.next_state(Anchored::No, sid[0], b0);
                sid[1] = dfa.next_state(Anchored::No, sid[1], b1);
                sid[2] = dfa.next_state(Anchored::No, sid[2], b2);
                sid[3] = dfa.next_state(Anchored::No, sid[3], b3);
                if dfa.is_special(sid[0])
                    | dfa.is_special(sid[1])
                    | dfa.is_special(sid[2])
                    | dfa.is_special(sid[3])
                {
                    for k in 0..WALKS {
                        let at = from[k] + i;
                        if dfa.is_match(sid[k]) && at >= cut[k] {
                            found[k].push((at + 1, sid[k]));
                        }
                    }
                }
            }
        }
        for k in 0..walks {
            let mut at = from[k] + steps;
            let mut state = sid[k];
            while at < cut[k + 1] {
                let Some((end, special)) = next_special(dfa, &bytes[..cut[k + 1]], at, state)
                else {
                    break;
                };
                if dfa.is_dead(special) {
                    break;
                }
                if dfa.is_match(special) {
                    found[k].push((end, special));
                }
                (at, state) = (end, special);
            }
        }
        for piece in found {
            for (end, sid) in piece {
                report(end, sid);
            }
        }
    }
}

/// Pieces of a long text scanned at once. Measured on the bundled corpus (lexicon only,
/// `cargo bench --bench extract`), 2 pieces took 9% less time than one walk, 3 took 19%,
/// 4 took 22–24%, 6 took 25%; the loop is written out for 4.
const WALKS: usize = 4;
/// Fewest bytes in a piece: shorter texts (titles) are scanned in one piece.
const MIN_PIECE: usize = 128;

/// Runs the DFA from state `sid` at byte `at` until it enters a special (match or dead)
/// state: the offset just past the byte that entered it, and the state. `None` at the end
/// of `bytes`.
///
/// Kept out of line so that the loop has the registers to itself: this is where the
/// matcher spends its time.
#[inline(never)]
fn next_special(
    dfa: &DFA,
    bytes: &[u8],
    at: usize,
    mut sid: aho_corasick::automaton::StateID,
) -> Option<(usize, aho_corasick::automaton::StateID)> {
    for (k, &byte) in bytes.get(at..)?.iter().enumerate() {
        sid = dfa.next_state(Anchored::No, sid, byte);
        if dfa.is_special(sid) {
            return Some((at + k + 1, sid));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind};

    use super::*;

    fn all(p: &Patterns, text: &str) -> Vec<(Range<usize>, usize)> {
        let mut out = Vec::new();
        p.for_each_match(text, |r, i| out.push((r, i)));
        out
    }

    /// aho-corasick's own DFA for `patterns`, the reference.
    fn reference(patterns: &[&str], fold: bool) -> AhoCorasick {
        AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(fold)
            .build(patterns)
            .unwrap()
    }

    /// The reference's overlapping matches in `text`, by end.
    fn overlapping(reference: &AhoCorasick, text: &str) -> Vec<(Range<usize>, usize)> {
        reference
            .find_overlapping_iter(text)
            .map(|m| (m.range(), m.pattern().as_usize()))
            .collect()
    }

    /// The same matches, in the same order, as aho-corasick's own overlapping iterator.
    #[test]
    fn agrees_with_find_overlapping_iter() {
        let patterns = [
            "BERT", "RoBERTa", "bert", "Llama 2", "LLaMA", "a", "ab", "abc", "bc", "c", "GPT-3",
            "GPT-3.5", "Ünï", "ünï", "🙂",
        ];
        let texts = [
            "",
            "BERT and RoBERTa, roberta, llama 2 and LLaMA-2",
            "abcabc abc",
            "GPT-3.5 vs GPT-3, gpt-3.5",
            "Ünï ÜNÏ ünï 🙂🙂",
        ];
        for fold in [false, true] {
            let ours = Patterns::new(patterns, fold).unwrap();
            if fold {
                // Patterns equal but for case are all reported.
                let got = all(&ours, "BERT");
                assert_eq!(got, vec![(0..4, 0), (0..4, 2)]);
            }
            let theirs = reference(&patterns, fold);
            for text in texts {
                assert_eq!(
                    all(&ours, text),
                    overlapping(&theirs, text),
                    "{text:?} fold={fold}"
                );
            }
        }
    }

    /// Long texts, cut in pieces at every possible place relative to the matches: the same
    /// matches in the same order as aho-corasick's iterator, none lost or repeated at a cut.
    #[test]
    fn pieces_agree_with_find_overlapping_iter() {
        let patterns = [
            "BERT",
            "RoBERTa",
            "bert",
            "Llama 2",
            "LLaMA",
            "a",
            "ab",
            "abc",
            "bc",
            "c",
            "GPT-3.5",
            "Ünï",
            "🙂",
            "a rather long pattern of forty-two bytes!!",
        ];
        let unit = "BERT and RoBERTa, llama 2 and LLaMA-2 abcabc GPT-3.5 Ünï 🙂🙂 \
                    a rather long pattern of forty-two bytes!! ";
        let long = unit.repeat(8);
        for fold in [false, true] {
            let ours = Patterns::new(patterns, fold).unwrap();
            let theirs = reference(&patterns, fold);
            for (end, _) in long.char_indices() {
                let text = &long[..end];
                let want = overlapping(&theirs, text);
                assert_eq!(all(&ours, text), want, "{} bytes, fold={fold}", text.len());
            }
        }
    }
}
