//! The type votes of a discovered name's contexts: the head noun after it ("X dataset"),
//! before it ("the framework X", "a model called X"), an apposition ("X, a distributed LLM
//! serving system"), known names it is listed with ("DPO, and SteerLM"), a verb or
//! preposition before it, and a title's subtitle ("X: A Benchmark for …").
//!
//! This module weighs evidence; it finds no names (`discover.rs` does) and reads no
//! spelling (`typing::suffix_votes` does).

use super::field::Text;
use super::shape::{self, is_one_of, Shape};
use super::typing::{self, head_type, Votes, NAMING_VERBS};
use super::EntityType;

/// The type a title's subtitle announces: the head of its first noun phrase ("A
/// Resource-Frugal LLM Serving Framework by …" → method), else the first head noun in it.
pub(super) fn subtitle_votes(subtitle: &str) -> Votes {
    const BREAKS: &[&str] = &[
        "by", "for", "via", "with", "of", "in", "on", "to", "through", "and", "from", "using",
    ];
    let words: Vec<&str> = subtitle
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let mut first_np_head = None;
    for w in &words {
        if BREAKS.contains(&w.to_ascii_lowercase().as_str()) {
            break;
        }
        if let Some(kind) = head_type(w.trim_end_matches(|c: char| !c.is_alphanumeric())) {
            first_np_head = Some(kind);
        }
    }
    if let Some(kind) = first_np_head {
        return Votes::one(kind, 2.0);
    }
    for w in &words {
        if let Some(kind) = head_type(w.trim_end_matches(|c: char| !c.is_alphanumeric())) {
            return Votes::one(kind, 1.5);
        }
    }
    Votes::default()
}

/// Votes of a head noun in the four words after token `end` ("X dataset", "X data
/// format", "X multilingual training dataset"): the last head of the run, as in English
/// noun compounds; a preposition or a name ends the search.
pub(super) fn head_votes_after(f: &Text<'_>, end: usize, weight: f32) -> Votes {
    let mut head = None;
    for k in end + 1..(end + 5).min(f.tokens.len()) {
        let gap = f.gap_after(k - 1);
        if gap != " " && gap != "-" {
            break;
        }
        let w = f.word(k);
        match f.head(k) {
            Some(kind) => head = Some(kind),
            None if head.is_some() => break,
            None if is_one_of(w, BREAK_WORDS) || shape::shape(w) != Shape::Plain => break,
            None => {}
        }
    }
    head.map_or_else(Votes::default, |kind| Votes::one(kind, weight))
}

/// Words that end a noun phrase: prepositions, conjunctions, verbs of being.
const BREAK_WORDS: &[&str] = &[
    "and", "are", "as", "at", "by", "can", "for", "from", "has", "have", "in", "into", "is", "of",
    "on", "or", "that", "the", "to", "was", "were", "which", "with",
];

/// Votes of an apposition after token `end`: "X, a novel training algorithm that …",
/// "X, the first Chinese medical LLM". The apposition must open with a determiner. Its
/// first head noun counts, or the last of a compound that goes on from it with at most one
/// other word between two head nouns: in "X, a distributed LLM serving system that …"
/// `LLM` and `serving` modify `system`; in "X, a new approach where language models …" the
/// head is `approach`.
pub(super) fn apposition_votes(f: &Text<'_>, end: usize) -> Votes {
    if !f.gap_after(end).starts_with(',') || end + 1 >= f.tokens.len() {
        return Votes::default();
    }
    if !is_one_of(f.word(end + 1), &["a", "an", "the", "our"]) {
        return Votes::default();
    }
    let n = f.tokens.len();
    for k in end + 2..(end + 10).min(n) {
        if let Some(kind) = f.head(k) {
            return Votes::one(compound_head(f, k, kind), 3.0);
        }
        // The noun phrase ends at a clause ("…, a co-design solution that enables LLM
        // acceleration") or a preposition, but goes on through "of" ("a family of models")
        // and a coordination ("a targeted and iterative data augmentation strategy").
        let w = f.word(k);
        let ends = is_one_of(w, BREAK_WORDS) && !is_one_of(w, &["of", "and", "or"]);
        if ends || f.gap_after(k).contains(['.', ';', ',']) {
            break;
        }
    }
    Votes::default()
}

/// The type of the last head noun of the compound that token `k`, a head noun of type
/// `kind`, starts: "LLM serving system" → method, "model compression framework" → method,
/// "benchmark dataset" → dataset. The compound goes on through words joined by a space,
/// with at most one word that is not a head noun (and not a preposition, conjunction or
/// verb of being) between two that are.
fn compound_head(f: &Text<'_>, mut k: usize, mut kind: EntityType) -> EntityType {
    let n = f.tokens.len();
    let joined = |a: usize| a + 1 < n && f.gap_after(a) == " ";
    loop {
        if !joined(k) || is_one_of(f.word(k + 1), BREAK_WORDS) {
            return kind;
        }
        if let Some(next) = f.head(k + 1) {
            (k, kind) = (k + 1, next);
            continue;
        }
        if !joined(k + 1) {
            return kind;
        }
        match f.head(k + 2) {
            Some(next) => (k, kind) = (k + 2, next),
            None => return kind,
        }
    }
}

/// The votes of one occurrence's context (tokens `i..=end`): head nouns after it, verbs
/// and prepositions before it, appositions and coordinations.
pub(super) fn context_votes(f: &Text<'_>, i: usize, end: usize) -> Votes {
    let mut votes = Votes::default();
    votes.add(head_votes_after(f, end, 2.0));
    votes.add(apposition_votes(f, end));
    votes.add(head_votes_before(f, i));
    votes.add(coordination_votes(f, i, end));
    if i > 0 {
        let prev = f.word(i - 1);
        if typing::is_model_verb(prev) {
            votes.add(Votes::one(EntityType::Model, 2.0));
        }
        if prev.eq_ignore_ascii_case("on") || prev.eq_ignore_ascii_case("across") {
            let start = f.sentence_start(i);
            if (start..i).any(|k| typing::is_dataset_verb(f.word(k))) {
                votes.add(Votes::one(EntityType::Dataset, 2.0));
            }
        }
        if prev.eq_ignore_ascii_case("the") || prev.eq_ignore_ascii_case("a") {
            if let Some(kind) = f.head(i.saturating_sub(2)) {
                votes.add(Votes::one(kind, 1.0));
            }
        }
    }
    votes
}

/// Votes of a head noun just before token `i`: "system SecRepair", "a foundation model
/// called LaVIT", "a stacking operator, called G_{stack}".
fn head_votes_before(f: &Text<'_>, i: usize) -> Votes {
    if i == 0 {
        return Votes::default();
    }
    if is_one_of(f.word(i - 1), NAMING_VERBS) && i >= 2 {
        if let Some(kind) = f.head(i - 2) {
            return Votes::one(kind, 3.0);
        }
    }
    if f.gap_after(i - 1) == " " {
        if let Some(kind) = f.head(i - 1) {
            return Votes::one(kind, 2.0);
        }
    }
    Votes::default()
}

/// Votes of known neighbours in a coordination: in "Supervised Fine-tuning, DPO, and
/// SteerLM" the unknown name is of the same type as the known names beside it.
fn coordination_votes(f: &Text<'_>, first: usize, last: usize) -> Votes {
    let mut votes = Votes::default();
    let is_coordination = |gap: &str, word: Option<&str>| {
        gap == ", " || gap == " " && matches!(word, Some("and" | "or"))
    };
    // To the right: ", Y" or " and Y" or ", and Y".
    let mut k = last + 1;
    if k < f.tokens.len() && (f.gap_after(last) == ", " || f.gap_after(last) == " ") {
        if matches!(f.word(k), "and" | "or") {
            k += 1;
        }
        if k < f.tokens.len() && (f.gap_after(last) == ", " || k > last + 1) {
            if let Some(kind) = known_at(f, f.tokens[k].start, true) {
                votes.add(Votes::one(kind, 1.5));
            }
        }
    }
    // To the left: "Y, X" or "Y and X" or "Y, and X".
    if first > 0 {
        let mut k = first - 1;
        let gap = f.gap_after(k);
        let word = Some(f.word(k));
        if is_coordination(gap, word) && matches!(word, Some("and" | "or")) && k > 0 {
            k -= 1;
        }
        if is_coordination(f.gap_after(k), Some(f.word(first - 1))) || k < first - 1 {
            if let Some(kind) = known_at(f, f.tokens[k].end, false) {
                votes.add(Votes::one(kind, 1.5));
            }
        }
    }
    votes
}

/// The type of the known mention starting (or ending) at byte `at`.
fn known_at(f: &Text<'_>, at: usize, starting: bool) -> Option<EntityType> {
    let i = if starting {
        let first = f.covered.partition_point(|r| r.start < at);
        f.covered
            .get(first)
            .filter(|r| r.start == at)
            .map(|_| first)
    } else {
        // Matches ending at `at` start before it (or at it, if empty) and reach it.
        let upto = f.covered.partition_point(|r| r.start <= at);
        (0..upto)
            .rev()
            .take_while(|&i| f.reach[i] >= at)
            .filter(|&i| f.covered[i].end == at)
            .last()
    };
    i.map(|i| f.kinds[i])
}
