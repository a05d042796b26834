//! A field made ready for the discovery rules: its tokens, the lexicon's matches in it and,
//! decided once per token in a single pass, what each token is — a head noun, a verb that
//! introduces a name, a name-shaped word, a word inside a lexicon match.
//!
//! The buffers live in a [`FieldBuf`] that is reused from paper to paper, so preparing a
//! field allocates nothing once the buffers have grown. Most tokens are lowercase words; one
//! look at their bytes settles them without any string work. Head nouns and verbs are not
//! looked up word by word: the lexicon's automaton finds them in the same pass as the
//! names ([`WordAt`]), and a token is one when such a word spans it exactly.
//!
//! This module classifies tokens and answers questions about their positions; it applies no
//! discovery rule.

use std::ops::Range;

use super::namelike::is_namelike;
use super::shape::{
    tokenize_with, ByteClasses, Token, DIGIT, HYPHEN, LOWER, NON_ASCII, UNDERSCORE, UPPER,
};
use super::typing::WordFacts;
use super::{EntityType, Field, Mention};

/// What a token is, decided once when the field is prepared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The type the token announces as a head noun ("dataset", "framework", "LLMs").
    pub head: Option<EntityType>,
    /// A verb that introduces a name ("propose", "called").
    pub verb: bool,
    /// The token looks like a name by itself ([`is_namelike`]).
    pub namelike: bool,
    /// The token overlaps a lexicon match.
    pub covered: bool,
}

/// A head noun or verb found in a field by the lexicon's automaton (which matches in any
/// ASCII case, inside longer words too): its byte span and what it says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordAt {
    /// First byte.
    pub start: usize,
    /// Byte after the last.
    pub end: usize,
    /// What the word says.
    pub facts: WordFacts,
}

/// The buffers of one field, reused from paper to paper.
#[derive(Clone, Debug, Default)]
pub struct FieldBuf {
    tokens: Vec<Token>,
    facts: Vec<Facts>,
    covered: Vec<Range<usize>>,
    kinds: Vec<EntityType>,
    reach: Vec<usize>,
    matched: Vec<(Range<usize>, EntityType)>,
}

impl FieldBuf {
    /// Tokenizes `text`, records the lexicon's matches in `field` and classifies every token;
    /// `words` are the head nouns and verbs found in `text`, by end: a token they span
    /// exactly is one, when written in lowercase, capitalised or in capitals ([`facts`]).
    ///
    /// # Complexity
    /// O(n + w + k log t) for n bytes, t tokens, w words and k lexicon matches.
    pub fn prepare<'a>(
        &'a mut self,
        field: Field,
        text: &'a str,
        known: &[Mention],
        words: &[WordAt],
        memo: &mut NamelikeMemo,
    ) -> Text<'a> {
        self.covered.clear();
        self.kinds.clear();
        self.reach.clear();
        self.matched.clear();
        for m in known.iter().filter(|m| m.field == field) {
            self.matched
                .push((m.byte_start..m.byte_start + m.surface.len(), m.kind));
        }
        // Sorted by start, with the running maximum of the ends, so that overlap tests are
        // binary searches (a 5 MB abstract has ~10⁵ matches).
        self.matched.sort_by_key(|(r, _)| r.start);
        let mut reach = 0;
        for (r, kind) in self.matched.drain(..) {
            reach = reach.max(r.end);
            self.covered.push(r);
            self.kinds.push(kind);
            self.reach.push(reach);
        }
        self.tokens.clear();
        self.facts.clear();
        // About one token per seven bytes of prose: one allocation up front, not a series.
        self.tokens.reserve(text.len() / 6);
        self.facts.reserve(text.len() / 6);
        let (tokens, all_facts) = (&mut self.tokens, &mut self.facts);
        // The first word not ending before the current token.
        let mut next_word = 0;
        tokenize_with(text, |t, classes| {
            let (mut f, may_be_word) = facts(&text[t.start..t.end], classes, memo);
            while words.get(next_word).is_some_and(|w| w.end < t.end) {
                next_word += 1;
            }
            if may_be_word {
                let mut ending_here = words[next_word..].iter().take_while(|w| w.end == t.end);
                if let Some(w) = ending_here.find(|w| w.start == t.start) {
                    f.head = w.facts.head;
                    f.verb = w.facts.verb;
                }
            }
            tokens.push(t);
            all_facts.push(f);
        });
        // Tokens are sorted and disjoint: the ones a match overlaps are a run found by
        // binary search.
        for c in &self.covered {
            let first = self.tokens.partition_point(|t| t.end <= c.start);
            for (t, f) in self.tokens[first..].iter().zip(&mut self.facts[first..]) {
                if t.start >= c.end {
                    break;
                }
                f.covered = true;
            }
        }
        Text {
            field,
            text,
            tokens: &self.tokens,
            facts: &self.facts,
            covered: &self.covered,
            kinds: &self.kinds,
            reach: &self.reach,
        }
    }
}

/// A prepared field: borrowed text, tokens and their facts.
#[derive(Clone, Copy, Debug)]
pub struct Text<'a> {
    /// Which field this is.
    pub field: Field,
    /// The field's text.
    pub text: &'a str,
    /// Its word tokens, in order.
    pub tokens: &'a [Token],
    /// What each token is, in the same order.
    facts: &'a [Facts],
    /// Byte ranges the lexicon already matched, sorted by start.
    pub covered: &'a [Range<usize>],
    /// The types of those matches, in the same order.
    pub kinds: &'a [EntityType],
    /// `reach[i]`: the largest end among `covered[..=i]`.
    pub reach: &'a [usize],
}

impl<'a> Text<'a> {
    /// The type token `i` announces as a head noun.
    pub fn head(&self, i: usize) -> Option<EntityType> {
        self.facts[i].head
    }

    /// Whether token `i` is a verb that introduces a name.
    pub fn is_verb(&self, i: usize) -> bool {
        self.facts[i].verb
    }

    /// Whether token `i` looks like a name by itself.
    pub fn is_namelike(&self, i: usize) -> bool {
        self.facts[i].namelike
    }

    /// Whether token `i` overlaps a lexicon match.
    pub fn is_token_covered(&self, i: usize) -> bool {
        self.facts[i].covered
    }

    /// The text of token `i`.
    pub fn word(&self, i: usize) -> &'a str {
        let t = self.tokens[i];
        &self.text[t.start..t.end]
    }

    /// Indices of the lexicon matches that overlap `range`, nearest first: those starting
    /// before its end whose running `reach` passes its start. O(log m + k).
    fn overlapping(&self, range: &Range<usize>) -> impl Iterator<Item = usize> + '_ {
        let before_end = self.covered.partition_point(|c| c.start < range.end);
        let start = range.start;
        (0..before_end)
            .rev()
            .take_while(move |&i| self.reach[i] > start)
            .filter(move |&i| self.covered[i].end > start)
    }

    /// Whether a lexicon match overlaps `range`.
    pub fn is_covered(&self, range: &Range<usize>) -> bool {
        self.overlapping(range).next().is_some()
    }

    /// Whether a lexicon match overlaps `range` without lying inside it: a longer name
    /// (`Medical mT5`) may take over the known name it contains, but not cut one in two.
    pub fn is_cut(&self, range: &Range<usize>) -> bool {
        self.overlapping(range).any(|i| {
            let c = &self.covered[i];
            !(range.start <= c.start && c.end <= range.end)
        })
    }

    /// Whether a lexicon match covers exactly `range`.
    pub fn is_known(&self, range: &Range<usize>) -> bool {
        let first = self.covered.partition_point(|c| c.start < range.start);
        self.covered[first..]
            .iter()
            .take_while(|c| c.start == range.start)
            .any(|c| c == range)
    }

    /// The characters between token `i` and token `i + 1`.
    pub fn gap_after(&self, i: usize) -> &'a str {
        let end = self.tokens[i].end;
        let next = self.tokens.get(i + 1).map_or(self.text.len(), |t| t.start);
        &self.text[end..next]
    }

    /// Whether token `i` starts a sentence.
    pub fn starts_sentence(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        let gap = self.gap_after(i - 1);
        gap.contains(". ") || gap.contains("? ") || gap.contains("! ") || gap.contains(':')
    }

    /// Index of the first token of the sentence holding token `i`.
    pub fn sentence_start(&self, i: usize) -> usize {
        let mut j = i;
        while j > 0 && !self.starts_sentence(j) {
            j -= 1;
        }
        j
    }
}

/// Remembers [`is_namelike`] of the words that needed it, from paper to paper: the same
/// few (`LLMs`, `GPT-4`, `Fine-tuning`) come back in almost every abstract. A pure
/// function's memo, it changes no result; it forgets everything when it fills up.
#[derive(Clone, Debug, Default)]
pub struct NamelikeMemo {
    /// The words, one after the other.
    text: String,
    /// Each word's range in `text` and its answer.
    entries: Vec<(Range<usize>, bool)>,
    /// Open addressing by the word's hash: `0` is empty, else an index into `entries` + 1.
    slots: Vec<u32>,
}

impl NamelikeMemo {
    /// Slots in the table (a power of two); it is cleared when half full.
    const SLOTS: usize = 1024;
    /// Longer words are not remembered.
    const MAX_WORD: usize = 48;

    /// [`is_namelike`]`(word)`, looked up or computed and remembered.
    fn is_namelike(&mut self, word: &str) -> bool {
        if word.len() > Self::MAX_WORD {
            return is_namelike(word);
        }
        if self.slots.len() != Self::SLOTS || self.entries.len() >= Self::SLOTS / 2 {
            self.text.clear();
            self.entries.clear();
            self.slots.clear();
            self.slots.resize(Self::SLOTS, 0);
        }
        // FxHash's mixing, its top bits as the slot.
        let hash = word.bytes().fold(0u64, |h, b| {
            (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95)
        });
        let mut slot = (hash >> 54) as usize & (Self::SLOTS - 1);
        loop {
            let Some(&tag) = self.slots.get(slot) else {
                return is_namelike(word);
            };
            let Some(index) = (tag as usize).checked_sub(1) else {
                break;
            };
            if let Some((range, answer)) = self.entries.get(index) {
                if self.text.get(range.clone()) == Some(word) {
                    return *answer;
                }
            }
            slot = (slot + 1) & (Self::SLOTS - 1);
        }
        let answer = is_namelike(word);
        let start = self.text.len();
        self.text.push_str(word);
        self.entries.push((start..self.text.len(), answer));
        if let Some(tag) = self.slots.get_mut(slot) {
            *tag = self.entries.len() as u32;
        }
        answer
    }
}

/// Classifies one token from its text and [`ByteClasses`]: whether it looks like a name
/// ([`Facts::namelike`]; the other facts are left unset), and whether it may be a head noun
/// or a verb: a plain word of 2 to 13 letters, capitalised at most at the start, or an
/// acronym in capitals (`LLMs`). Which of those it is, the lexicon's automaton has found.
fn facts(word: &str, classes: ByteClasses, memo: &mut NamelikeMemo) -> (Facts, bool) {
    let ByteClasses { first, rest } = classes;
    let all = first | rest;
    let b = word.as_bytes();
    let may_be_word = (2..=13).contains(&b.len())
        && (rest & !(LOWER | HYPHEN) == 0
            || match b.split_last() {
                Some((b's', stem)) => stem.iter().all(u8::is_ascii_uppercase),
                _ => all == UPPER,
            });
    // A name needs a capital, and a capital, digit, hyphen or underscore after the first
    // character: most words are settled here without looking further.
    let namelike = if all & NON_ASCII != 0 {
        memo.is_namelike(word)
    } else if rest & (UPPER | DIGIT | HYPHEN | UNDERSCORE) == 0 || all & UPPER == 0 {
        false
    } else {
        memo.is_namelike(word)
    };
    let facts = Facts {
        head: None,
        verb: false,
        namelike,
        covered: false,
    };
    (facts, may_be_word)
}

/// The head nouns and verbs of `text` found word by word ([`super::typing::head_type`],
/// [`super::typing::is_intro_verb`] of each token), by end: what the lexicon's automaton
/// finds, without the matches inside longer words.
#[cfg(test)]
pub(super) fn words_of(text: &str) -> Vec<WordAt> {
    use super::typing::{head_type, is_intro_verb};
    let mut words = Vec::new();
    tokenize_with(text, |t, _| {
        let w = &text[t.start..t.end];
        let facts = WordFacts {
            head: head_type(w),
            verb: is_intro_verb(w),
        };
        if facts != WordFacts::default() {
            words.push(WordAt {
                start: t.start,
                end: t.end,
                facts,
            });
        }
    });
    words
}

#[cfg(test)]
mod tests {
    use super::super::typing::{head_type, is_intro_verb};
    use super::*;

    /// The one-pass classification agrees with the word-by-word definitions.
    #[test]
    fn facts_match_the_definitions() {
        let words = [
            "a",
            "B",
            "7",
            "é",
            "we",
            "We",
            "propose",
            "Proposes",
            "called",
            "datasets",
            "Benchmark",
            "LLMs",
            "LLM",
            "GPUs",
            "s",
            "ss",
            "SS",
            "Ss",
            "models-s",
            "fine-tuning",
            "LangCell",
            "LRPE",
            "CodeGen2",
            "bipolar-INT",
            "Zero-Shot",
            "Top-2",
            "GPT-4",
            "LLaMA-based",
            "Ünï-Cödé",
            "ÉTUDE",
            "mT5",
            "G_{stack}",
            "Min-K\\%",
            "CodeT5+",
            "54.6%",
            "kaplan2020scaling",
            "EnglishrightarrowGerman",
            "frameworks",
            "architectures",
            "methodologies",
            "test-beds",
            "X",
            "Qwen2.5-7B-Instruct",
        ];
        let mut memo = NamelikeMemo::default();
        for w in words {
            let plain = {
                let b = w.as_bytes();
                let stem = b.strip_suffix(b"s").unwrap_or(b);
                (2..=13).contains(&b.len())
                    && (b[1..].iter().all(|c| c.is_ascii_lowercase() || *c == b'-')
                        || stem.iter().all(u8::is_ascii_uppercase))
            };
            let want = Facts {
                head: None,
                verb: false,
                namelike: is_namelike(w),
                covered: false,
            };
            assert_eq!(
                facts(w, ByteClasses::of(w), &mut memo),
                (want, plain),
                "{w}"
            );
            // Remembered, the same answer.
            assert_eq!(
                facts(w, ByteClasses::of(w), &mut memo),
                (want, plain),
                "{w}"
            );
            // As a field of its own, with its head noun or verb found word by word.
            let mut buf = FieldBuf::default();
            let f = buf.prepare(Field::Abstract, w, &[], &words_of(w), &mut memo);
            assert_eq!(f.tokens.len(), 1, "{w}");
            assert_eq!(f.head(0), head_type(w).filter(|_| plain), "{w}");
            assert_eq!(f.is_verb(0), plain && is_intro_verb(w), "{w}");
        }
    }

    /// A word found inside a longer token, or spanning two, is not that token's.
    #[test]
    fn only_words_spanning_a_whole_token_count() {
        let text = "remodeling data-sets, LLM s and Models";
        let at = |start: usize, word: &str, head| WordAt {
            start,
            end: start + word.len(),
            facts: WordFacts { head, verb: false },
        };
        let model = Some(EntityType::Model);
        let dataset = Some(EntityType::Dataset);
        // By end, as the automaton reports them.
        let words = [
            at(2, "model", model),
            at(11, "data", dataset),
            at(16, "sets", None),
            at(22, "llm", model),
            at(22, "llm s", model),
            at(32, "models", model),
        ];
        let mut buf = FieldBuf::default();
        let mut memo = NamelikeMemo::default();
        let f = buf.prepare(Field::Abstract, text, &[], &words, &mut memo);
        let heads: Vec<Option<EntityType>> = (0..f.tokens.len()).map(|i| f.head(i)).collect();
        assert_eq!(heads, vec![None, None, model, None, None, model]);
    }

    #[test]
    fn covered_tokens_are_marked() {
        let known = [Mention {
            name: "GPT-4".into(),
            kind: EntityType::Model,
            family: None,
            surface: "GPT-4".into(),
            field: Field::Abstract,
            byte_start: 9,
            char_start: 9,
            char_len: 5,
            proposed: false,
        }];
        let mut buf = FieldBuf::default();
        let mut memo = NamelikeMemo::default();
        let f = buf.prepare(
            Field::Abstract,
            "We query GPT-4 and LRPE.",
            &known,
            &[],
            &mut memo,
        );
        let covered: Vec<bool> = (0..f.tokens.len()).map(|i| f.is_token_covered(i)).collect();
        assert_eq!(covered, vec![false, false, true, false, false]);
        assert!(f.is_namelike(4) && !f.is_namelike(1));
        let f = buf.prepare(Field::Title, "", &known, &[], &mut memo);
        assert!(f.tokens.is_empty() && f.covered.is_empty());
    }
}
