//! The lexicon's automata: surface patterns compiled into an Aho-Corasick DFA, and a scan
//! that reports every match, overlapping ones included.
//!
//! The scan walks the DFA's transitions itself (through aho-corasick's public
//! [`aho_corasick::automaton::Automaton`] trait) instead of going through
//! `find_overlapping_iter`, whose resumable state costs about three times as many
//! instructions per byte. It reports the same matches in the same order: by end, then in
//! the automaton's order for one end.
//!
//! This module matches strings; it knows nothing of entities or word boundaries.

use std::ops::Range;

use aho_corasick::automaton::Automaton;
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
    /// # Complexity
    /// O(n + m) for n bytes and m matches.
    pub fn for_each_match(&self, text: &str, mut each: impl FnMut(Range<usize>, usize)) {
        let dfa = &self.dfa;
        let Ok(mut sid) = dfa.start_state(Anchored::No) else {
            return;
        };
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some((end, special)) = next_special(dfa, bytes, at, sid) {
            if dfa.is_dead(special) {
                return;
            }
            if dfa.is_match(special) {
                for k in 0..dfa.match_len(special) {
                    let pattern = dfa.match_pattern(special, k);
                    // Case folding is ASCII only: a match is as long as its pattern.
                    let start = end.saturating_sub(dfa.pattern_len(pattern));
                    each(start..end, pattern.as_usize());
                }
            }
            (at, sid) = (end, special);
        }
    }
}

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
    use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind};

    use super::*;

    fn all(p: &Patterns, text: &str) -> Vec<(Range<usize>, usize)> {
        let mut out = Vec::new();
        p.for_each_match(text, |r, i| out.push((r, i)));
        out
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
            let theirs = AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .ascii_case_insensitive(fold)
                .build(patterns)
                .unwrap();
            for text in texts {
                let want: Vec<(Range<usize>, usize)> = theirs
                    .find_overlapping_iter(text)
                    .map(|m| (m.range(), m.pattern().as_usize()))
                    .collect();
                assert_eq!(all(&ours, text), want, "{text:?} fold={fold}");
            }
        }
    }
}
