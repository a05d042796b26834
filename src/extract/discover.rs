//! Discovery: named models, methods and datasets the lexicon does not know.
//!
//! Rules, each a single pass over a field's tokens (compiled regexes are static):
//!
//! * the paper's coined name: a `Name: subtitle` title; "we propose / introduce / present
//!   X"; "called / named / dubbed X"; "a new benchmark, X," — all marked `proposed`;
//! * acronym definitions (`Long Form (ACR)`, `ACR (Long Form)`), which make both forms one
//!   entity when the long form is written as a name, and mark the acronym generic when it is
//!   not (`knowledge bases (KBs)`);
//! * cue phrases: lists after "datasets / benchmarks / models … such as / including / (",
//!   "the X dataset", capitalised phrases ending in Benchmark, Leaderboard, Corpus …;
//! * name shapes: mixed case (`LangCell`), capitals (`LRPE`), letters with digits
//!   (`CodeGen2`), compounds with a capitalised part (`bipolar-INT`), minus the stoplist of
//!   generic terms in [`super::shape`].
//!
//! Every name found is then matched at each of its occurrences in the paper, and typed by
//! the votes of all its contexts ([`super::context`]) and of its spelling
//! ([`super::typing`]).
//!
//! This module does not read the lexicon; it receives the lexicon's matches and leaves
//! their spans alone.

use std::collections::BTreeMap;
use std::ops::Range;

use super::acronym::{self, Definition};
use super::context::{apposition_votes, context_votes, head_votes_after, subtitle_votes};
use super::field::{FieldBuf, NamelikeMemo, Text, WordAt};
use super::keys::{key_of, Keys};
use super::matcher::is_bounded;
use super::namelike::{is_adjective, is_glue};
use super::shape::{self, is_generic, is_one_of, Shape};
use super::typing::{self, head_type, Votes, NAMING_VERBS, PROPOSE_VERBS};
use super::{EntityType, Field, Mention};

/// A name found by discovery, with what its contexts say of it.
#[derive(Clone, Debug)]
struct Candidate {
    /// Display name: the short form of a definition, else the surface first found.
    name: String,
    /// Every surface to look for in the paper (name, long forms).
    surfaces: Vec<String>,
    /// Type evidence.
    votes: Votes,
    /// The paper coins it.
    proposed: bool,
}

/// Discovery's working memory, reused from paper to paper: nothing in it carries over but
/// a memo of which words look like names, which changes no result.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    title: FieldBuf,
    abstract_text: FieldBuf,
    found: Found,
    /// Keys of short forms the paper defines as generic terms (`knowledge bases (KBs)`).
    generic: Keys,
    /// Keys of the lexicon mentions' names and surfaces, tagged with the mention's index.
    known: Keys,
    /// A name key being looked up.
    key: String,
    hits: Vec<Hit>,
    /// Which words look like names, remembered (a pure function's memo: no result depends
    /// on it).
    namelike: NamelikeMemo,
}

/// Collects candidates by key.
#[derive(Clone, Debug, Default)]
struct Found {
    candidates: Vec<Candidate>,
    /// Candidate keys, tagged with the candidate's index.
    index: Keys,
    key: String,
}

impl Found {
    fn clear(&mut self) {
        self.candidates.clear();
        self.index.clear();
    }

    fn add(&mut self, name: &str, votes: Votes, proposed: bool) -> Option<usize> {
        let key = key_of(name, &mut self.key);
        if key.is_empty() {
            return None;
        }
        let i = match self.index.first(key) {
            Some(i) => i,
            None => {
                self.candidates.push(Candidate {
                    name: name.to_string(),
                    surfaces: vec![name.to_string()],
                    votes: Votes::default(),
                    proposed: false,
                });
                self.index.push_key(key, self.candidates.len() - 1);
                self.candidates.len() - 1
            }
        };
        let c = &mut self.candidates[i];
        c.votes.add(votes);
        c.proposed |= proposed;
        if !c.surfaces.iter().any(|s| s == name) {
            c.surfaces.push(name.to_string());
        }
        Some(i)
    }

    fn alias(&mut self, i: usize, surface: &str) {
        let c = &mut self.candidates[i];
        if !c.surfaces.iter().any(|s| s == surface) {
            c.surfaces.push(surface.to_string());
        }
        let key = key_of(surface, &mut self.key);
        if !self.index.contains(key) {
            self.index.push_key(key, i);
        }
    }
}

/// Words skipped between a verb and the name it introduces.
const DETERMINERS: &[&str] = &[
    "a",
    "an",
    "the",
    "our",
    "new",
    "novel",
    "simple",
    "first",
    "two",
    "three",
    "several",
    "family",
    "series",
    "open",
    "open-source",
    "large-scale",
    "lightweight",
    "unified",
    "general",
    "generic",
    "effective",
    "efficient",
    "scalable",
    "high-quality",
    "publicly",
    "available",
];

/// List cues after a head noun: "datasets such as X, Y and Z".
const LIST_CUES: &[&str] = &["including", "like", "namely", "e", "g", "i"];

/// Finds the names the lexicon did not, in a paper's title and abstract, each given with
/// the head nouns and verbs the lexicon's automaton found in it ([`WordAt`]).
///
/// `known` are the lexicon's mentions; their spans are left alone, and a definition whose
/// short form the lexicon knows adds its long form as a mention of that entity.
/// `known_inside` tells the type of a known name inside a new one (`LongLoRA` → method).
/// Returns the new mentions (unsorted) and marks `proposed` on the known ones the paper
/// coins.
///
/// # Complexity
/// O(n·k) for n tokens and k names found (k is small: a handful per paper).
pub fn discover(
    ws: &mut Workspace,
    [(title, title_words), (abstract_text, abstract_words)]: [(&str, &[WordAt]); 2],
    known: &mut [Mention],
    known_inside: &dyn Fn(&str) -> Option<EntityType>,
) -> Vec<Mention> {
    let Workspace {
        title: title_buf,
        abstract_text: abstract_buf,
        found,
        generic,
        known: known_keys,
        key,
        hits,
        namelike,
    } = ws;
    let fields = [
        title_buf.prepare(Field::Title, title, known, title_words, namelike),
        abstract_buf.prepare(
            Field::Abstract,
            abstract_text,
            known,
            abstract_words,
            namelike,
        ),
    ];
    found.clear();
    generic.clear();
    let mut extra = Vec::new();
    for f in &fields {
        definitions(f, known, found, generic, &mut extra);
    }
    title_name(&fields[0], found);
    for f in &fields {
        introduced_names(f, found);
        listed_names(f, found);
        shaped_names(f, found, generic, key);
    }
    let mut out = extra;
    if found.candidates.is_empty() {
        return out;
    }
    // Each lexicon mention's name and surface keys, tagged with its index.
    known_keys.clear();
    for (i, m) in known.iter().enumerate() {
        known_keys.push(&m.name, i);
        known_keys.push(&m.surface, i);
    }
    mark_proposed_known(found, known, known_keys, key);
    find_all(&fields, &found.candidates, hits);
    for hit in hits.iter() {
        let votes = context_votes(&fields[hit.field], hit.first, hit.last);
        found.candidates[hit.candidate].votes.add(votes);
    }
    for c in &mut found.candidates {
        c.votes.add(typing::suffix_votes(&c.name));
        // `LongLoRA` is a method like LoRA, `xLLaMA-100` a model like LLaMA.
        if let Some(kind) = known_inside(&c.name) {
            c.votes.add(Votes::one(kind, 2.0));
        }
    }
    // A name the lexicon already matched (by name or surface, of any type) or a generic
    // term is not a new entity.
    let kinds: Vec<Option<EntityType>> = found
        .candidates
        .iter()
        .map(|c| {
            let key = key_of(&c.name, key);
            let skip = generic.contains(key) || known_keys.contains(key);
            (!skip).then(|| c.votes.winner())
        })
        .collect();
    // Longest surfaces claim their text first: `SVD-LLM` before the `SVD` inside it.
    hits.sort_by_key(|h| (std::cmp::Reverse(h.range.len()), h.field, h.range.start));
    // Per field, the disjoint ranges taken so far: start -> end.
    let mut taken: [BTreeMap<usize, usize>; 2] = [BTreeMap::new(), BTreeMap::new()];
    for hit in hits {
        let Some(kind) = kinds[hit.candidate] else {
            continue;
        };
        let f = &fields[hit.field];
        // Taken ranges are disjoint: only the last one starting before this one ends can
        // overlap it.
        let overlaps = taken[hit.field]
            .range(..hit.range.end)
            .next_back()
            .is_some_and(|(_, &end)| hit.range.start < end);
        if overlaps || f.is_cut(&hit.range) || f.is_known(&hit.range) {
            continue;
        }
        taken[hit.field].insert(hit.range.start, hit.range.end);
        let c = &found.candidates[hit.candidate];
        let surface = &f.text[hit.range.clone()];
        out.push(Mention {
            name: c.name.clone(),
            kind,
            family: None,
            surface: surface.to_string(),
            field: f.field,
            byte_start: hit.range.start,
            char_start: f.text[..hit.range.start].chars().count(),
            char_len: surface.chars().count(),
            proposed: c.proposed,
        });
    }
    out
}

/// An occurrence of a candidate's surface: where it is, in bytes and tokens.
#[derive(Clone, Debug)]
struct Hit {
    candidate: usize,
    field: usize,
    range: Range<usize>,
    first: usize,
    last: usize,
}

/// Every bounded occurrence of every candidate surface, found in one pass over each field's
/// tokens: a surface can only start where a token starts.
///
/// # Complexity
/// O(n·s) prefix checks for n tokens and s surfaces, most rejected on the first byte.
fn find_all(fields: &[Text<'_>], candidates: &[Candidate], hits: &mut Vec<Hit>) {
    let mut first_bytes = [false; 256];
    for c in candidates {
        for s in &c.surfaces {
            if let Some(&b) = s.as_bytes().first() {
                first_bytes[usize::from(b)] = true;
            }
        }
    }
    hits.clear();
    for (fi, f) in fields.iter().enumerate() {
        for (i, t) in f.tokens.iter().enumerate() {
            if !first_bytes[usize::from(f.text.as_bytes()[t.start])] {
                continue;
            }
            let rest = &f.text[t.start..];
            for (ci, c) in candidates.iter().enumerate() {
                for s in &c.surfaces {
                    let end = t.start + s.len();
                    if !rest.starts_with(s.as_str()) || !is_bounded(f.text, t.start, end) {
                        continue;
                    }
                    let mut last = i;
                    while last + 1 < f.tokens.len() && f.tokens[last + 1].start < end {
                        last += 1;
                    }
                    hits.push(Hit {
                        candidate: ci,
                        field: fi,
                        range: t.start..end,
                        first: i,
                        last,
                    });
                }
            }
        }
    }
}

/// Acronym definitions: named ones become candidates (or long forms of known entities);
/// generic ones put their short form on the paper's stoplist.
fn definitions(
    f: &Text<'_>,
    known: &[Mention],
    found: &mut Found,
    generic: &mut Keys,
    extra: &mut Vec<Mention>,
) {
    for Definition { short, long, named } in acronym::definitions(f.text) {
        let short_text = &f.text[short.clone()];
        let long_text = &f.text[long.clone()];
        let known_short = known
            .iter()
            .find(|m| m.field == f.field && m.byte_start == short.start);
        if let Some(k) = known_short {
            if !f.is_covered(&long) {
                extra.push(Mention {
                    surface: long_text.to_string(),
                    byte_start: long.start,
                    char_start: f.text[..long.start].chars().count(),
                    char_len: long_text.chars().count(),
                    ..k.clone()
                });
            }
            continue;
        }
        if f.is_covered(&short) {
            continue;
        }
        // A short form styled in mixed case (`MoV`, `MoE`, `LoRA`) is a name even when its
        // long form is written in lowercase; a capitals one (`KBs`, `ICL`) is not.
        let styled = shape::singular(short_text)
            .chars()
            .skip(1)
            .any(char::is_lowercase);
        if !(named || styled) || is_generic(short_text) || is_class_or_task(long_text) {
            generic.push(short_text, 0);
            continue;
        }
        let mut votes = Votes::default();
        if let Some(last) = long_text.split([' ', '-']).next_back() {
            if let Some(kind) = head_type(last) {
                votes.add(Votes::one(kind, 2.0));
            }
        }
        votes.add(typing::suffix_votes(long_text));
        let proposed = sentence_has_we(f, short.start);
        if let Some(i) = found.add(short_text, votes, proposed) {
            found.alias(i, long_text);
        }
    }
}

/// Whether a long form names a class of things or a task rather than one thing: it ends in
/// a plural head (`Large Language Models`) or a task noun (`Visual Question Answering`).
fn is_class_or_task(long: &str) -> bool {
    let Some(last) = long.split([' ', '-']).next_back() else {
        return false;
    };
    let lower = last.to_ascii_lowercase();
    let plural_head = lower.ends_with('s')
        && head_type(last).is_some()
        && head_type(&lower[..lower.len() - 1]).is_some();
    plural_head || TASK_ENDINGS.contains(&lower.as_str())
}

/// Last words of task names: `… Question Answering`, `… Entity Recognition`.
const TASK_ENDINGS: &[&str] = &[
    "answering",
    "captioning",
    "classification",
    "completion",
    "detection",
    "extraction",
    "generation",
    "labeling",
    "labelling",
    "parsing",
    "prediction",
    "reasoning",
    "recognition",
    "retrieval",
    "segmentation",
    "summarization",
    "tagging",
    "translation",
    "understanding",
];

/// Whether the sentence holding byte `at` speaks of the authors' own work.
fn sentence_has_we(f: &Text<'_>, at: usize) -> bool {
    let before = &f.text[..at];
    // After the last ". ", or after a "? " that comes later.
    let full_stop = before.rfind(". ").map_or(0, |i| i + 2);
    let start = before[full_stop..]
        .rfind("? ")
        .map_or(full_stop, |i| full_stop + i + 2);
    let mut previous = "";
    for word in before[start..].split(|c: char| !c.is_ascii_alphabetic()) {
        if word.is_empty() {
            continue;
        }
        let ours = word.eq_ignore_ascii_case("we")
            || word.eq_ignore_ascii_case("our")
            || previous.eq_ignore_ascii_case("this")
                && (word.eq_ignore_ascii_case("paper") || word.eq_ignore_ascii_case("work"))
            || is_one_of(word, PROPOSE_VERBS);
        if ours {
            return true;
        }
        previous = word;
    }
    false
}

/// `Name: subtitle` titles: a one-word prefix, or two or three words one of which is
/// name-shaped, is the paper's own name. The subtitle's head noun types it.
fn title_name(f: &Text<'_>, found: &mut Found) {
    let Some(colon) = f.text.find(": ") else {
        return;
    };
    let prefix: Vec<usize> = (0..f.tokens.len())
        .filter(|&i| f.tokens[i].end <= colon)
        .collect();
    let words: Vec<&str> = prefix.iter().map(|&i| f.word(i)).collect();
    let accept = match words.len() {
        // One word before the colon is the paper's name, whatever its shape: `Zhongjing`,
        // `LLM-Detector`, `Infinite-LLM`, unless it is a generic term or an adjective.
        1 => {
            words[0].chars().next().is_some_and(char::is_uppercase)
                && !is_adjective(words[0])
                && !(words[0].contains('-')
                    && words[0]
                        .split('-')
                        .all(|p| shape::shape(p) == Shape::Capitalized))
        }
        2 | 3 => {
            prefix.iter().any(|&i| f.is_namelike(i))
                && prefix.iter().all(|&i| {
                    f.word(i).chars().next().is_some_and(|c| !c.is_lowercase()) || f.is_namelike(i)
                })
        }
        _ => false,
    };
    let (Some(&first), Some(&last)) = (prefix.first(), prefix.last()) else {
        return;
    };
    let name = &f.text[f.tokens[first].start..f.tokens[last].end];
    if !accept || is_generic(name) || !f.text[..f.tokens[first].start].trim().is_empty() {
        return;
    }
    let range = f.tokens[first].start..f.tokens[last].end;
    if f.is_cut(&range) || f.is_known(&range) {
        return;
    }
    found.add(name, subtitle_votes(&f.text[colon + 1..]), true);
}

/// "we propose X", "introduces X, a …", "called X": the name after the verb.
fn introduced_names(f: &Text<'_>, found: &mut Found) {
    let n = f.tokens.len();
    for i in 0..n {
        if !f.is_verb(i) {
            continue;
        }
        let naming = is_one_of(f.word(i), NAMING_VERBS);
        let mut j = i + 1;
        let mut skipped = 0;
        while j < n && skipped < 4 {
            let w = f.word(j);
            if is_one_of(w, DETERMINERS) || (naming && w.eq_ignore_ascii_case("as")) {
                j += 1;
                skipped += 1;
            } else {
                break;
            }
        }
        if j >= n || f.gap_after(j - 1).contains(['.', ';', '(', ')', '"']) && !naming {
            continue;
        }
        let Some((end, name)) = name_phrase(f, j) else {
            continue;
        };
        let after = f.gap_after(end);
        let strong = (j..=end).any(|k| f.is_namelike(k));
        let delimited = after.starts_with(',')
            || after.starts_with(" (")
            || after.starts_with('.')
            || after.starts_with(':')
            || after.trim().is_empty() && end + 1 >= n;
        if !strong && !delimited && !naming {
            continue;
        }
        let mut votes = head_votes_after(f, end, 3.0);
        votes.add(apposition_votes(f, end));
        found.add(name, votes, true);
    }
}

/// A name phrase starting at token `j`: up to four adjacent tokens, each name-shaped or
/// capitalised, with no punctuation between them. Returns the last token and the text.
fn name_phrase<'a>(f: &Text<'a>, j: usize) -> Option<(usize, &'a str)> {
    let mut end = None;
    let mut k = j;
    while k < f.tokens.len() && k < j + 4 {
        let w = f.word(k);
        let s = shape::shape(w);
        let ok = (s.is_strong() || s == Shape::Capitalized) && !is_adjective(w) && !is_glue(w);
        if !ok {
            break;
        }
        end = Some(k);
        if f.gap_after(k) != " " {
            break;
        }
        k += 1;
    }
    let mut end = end?;
    // Without a name-shaped word, a phrase of capitalised words is a name only when short:
    // "Lightning Attention", "Amazon Reviews", "Zhongjing".
    if !(j..=end).any(|k| f.is_namelike(k)) {
        end = end.min(j + 1);
    }
    let range = f.tokens[j].start..f.tokens[end].end;
    let text = &f.text[range.clone()];
    if f.is_covered(&range)
        || is_generic(text)
        || f.head(end).is_some() && end == j
        || is_one_of(f.word(end), TASK_ENDINGS)
    {
        return None;
    }
    Some((end, text))
}

/// Lists after a head noun: "datasets, PixelRec and Amazon Reviews", "benchmarks such as
/// X, Y", "models (A, B, and C)", and "a new benchmark, PatentMIA,".
fn listed_names(f: &Text<'_>, found: &mut Found) {
    let n = f.tokens.len();
    for i in 0..n {
        let Some(kind) = f.head(i) else {
            continue;
        };
        let mut j = i + 1;
        let gap = f.gap_after(i);
        let delimited = gap.starts_with(',') || gap.starts_with(" (") || gap.starts_with(':');
        // "benchmarks such as X", "models including X", "datasets, e.g., X".
        while j < n && j < i + 3 {
            let w = f.word(j);
            if w.eq_ignore_ascii_case("such") && j + 1 < n && f.word(j + 1) == "as" {
                j += 2;
            } else if is_one_of(w, LIST_CUES) {
                j += 1;
            } else {
                break;
            }
        }
        if j == i + 1 && !delimited {
            continue;
        }
        // "we build a new benchmark, X": the first item is the paper's own.
        let proposed = || {
            (i.saturating_sub(3)..i).any(|k| is_one_of(f.word(k), &["a", "new", "our", "novel"]))
                && sentence_has_we(f, f.tokens[i].start)
        };
        let mut items = 0;
        while j < n && items < 12 {
            let known_end = (j..n.min(j + 6))
                .take_while(|&k| f.is_covered(&(f.tokens[k].start..f.tokens[k].end)))
                .last();
            let (end, name) = match (known_end, name_phrase(f, j)) {
                (Some(end), _) => (end, None),
                (None, Some((end, name))) => (end, Some(name)),
                (None, None) => break,
            };
            // A single capitalised word ("Code", "Section") is too weak to list; titles
            // capitalise every word, so there an item needs a name-shaped word.
            let namelike = (j..=end).any(|k| f.is_namelike(k));
            if let Some(name) = name.filter(|_| namelike || end > j && f.field == Field::Abstract) {
                found.add(name, Votes::one(kind, 3.0), items == 0 && proposed());
            }
            items += 1;
            let gap = f.gap_after(end);
            let mut next = end + 1;
            // Skip a parenthetical after an item: "FEVER (dev set), ASNQ".
            if gap.starts_with(" (") {
                while next < n && !f.gap_after(next - 1).contains(')') {
                    next += 1;
                }
                if next >= n {
                    break;
                }
            }
            let sep = f.gap_after(next - 1);
            if next < n && (f.word(next) == "and" || f.word(next) == "or") {
                next += 1;
            } else if !(sep.starts_with(", ") || sep.starts_with("), ") || sep.starts_with("),")) {
                break;
            }
            if next < n && (f.word(next) == "and" || f.word(next) == "or") {
                next += 1;
            }
            j = next;
        }
    }
}

/// Name-shaped tokens anywhere, minus generic terms and adjectives (`LLaMA-based`).
fn shaped_names(f: &Text<'_>, found: &mut Found, generic: &Keys, key: &mut String) {
    for i in 0..f.tokens.len() {
        if f.is_token_covered(i) || !f.is_namelike(i) {
            continue;
        }
        let word = f.word(i);
        if generic.contains(key_of(word, key)) {
            continue;
        }
        let name = if shape::shape(word) == Shape::Caps {
            shape::singular(word)
        } else {
            word
        };
        found.add(name, Votes::default(), false);
    }
}

/// Marks `proposed` on lexicon mentions whose name the paper introduces as its own.
///
/// `known_keys` holds each mention's name and surface keys, tagged with its index.
fn mark_proposed_known(found: &Found, known: &mut [Mention], known_keys: &Keys, key: &mut String) {
    for c in &found.candidates {
        if !c.proposed {
            continue;
        }
        for i in known_keys.tags(key_of(&c.name, key)) {
            known[i].proposed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::field::words_of;
    use super::*;

    fn found(title: &str, abstract_text: &str) -> Vec<(String, EntityType, bool)> {
        let mut known = Vec::new();
        let (title_words, abstract_words) = (words_of(title), words_of(abstract_text));
        let mut out: Vec<(String, EntityType, bool)> = discover(
            &mut Workspace::default(),
            [(title, &title_words), (abstract_text, &abstract_words)],
            &mut known,
            &|_| None,
        )
        .into_iter()
        .map(|m| (m.name, m.kind, m.proposed))
        .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out.dedup();
        out
    }

    fn names(title: &str, abstract_text: &str) -> Vec<String> {
        found(title, abstract_text)
            .into_iter()
            .map(|f| f.0)
            .collect()
    }

    #[test]
    fn title_prefix_is_the_papers_own_name() {
        let got = found(
            "Zhongjing: Enhancing the Chinese Medical Capabilities of Large Language Model",
            "",
        );
        assert_eq!(got, vec![("Zhongjing".into(), EntityType::Model, true)]);
        let got = found(
            "ScaleLLM: A Resource-Frugal LLM Serving Framework by Optimizing Efficiency",
            "",
        );
        assert_eq!(got, vec![("ScaleLLM".into(), EntityType::Method, true)]);
        let got = found(
            "Medical mT5: An Open-Source Multilingual Text-to-Text LLM",
            "",
        );
        assert_eq!(got[0], ("Medical mT5".into(), EntityType::Model, true));
    }

    #[test]
    fn title_prefix_that_is_not_a_name() {
        assert!(names("Taming the Chaos: Coordinated Autoscaling", "").is_empty());
        assert!(names(
            "Stacking Your Transformers: A Closer Look at Model Growth",
            ""
        )
        .is_empty());
        assert!(names(
            "Large Language Models for Disease Diagnosis: A Scoping Review",
            ""
        )
        .is_empty());
    }

    #[test]
    fn introduced_names_are_proposed_and_typed_by_apposition() {
        let got = found("", "Additionally, we propose Lightning Attention, a cutting-edge technique that accelerates it.");
        assert_eq!(
            got,
            vec![("Lightning Attention".into(), EntityType::Method, true)]
        );
        let got = found("", "In this work, we introduce Zhongjing, the first Chinese medical LLaMA-based LLM that implements it.");
        assert_eq!(got, vec![("Zhongjing".into(), EntityType::Model, true)]);
        let got = found("", "At its core, we introduce a novel bipolar-INT data format that facilitates parallel computing.");
        assert_eq!(got, vec![("bipolar-INT".into(), EntityType::Method, true)]);
        let got = found(
            "",
            "a depthwise stacking operator, called G_{stack}, exhibits acceleration",
        );
        assert_eq!(got, vec![("G_{stack}".into(), EntityType::Method, true)]);
    }

    #[test]
    fn an_apposition_is_typed_by_the_head_of_its_noun_phrase() {
        // The last head noun of a compound: `LLM` and `serving` modify `system`.
        let got = found(
            "",
            "Based on that, we propose DistKV-LLM, a distributed LLM serving system that manages it.",
        );
        assert_eq!(got, vec![("DistKV-LLM".into(), EntityType::Method, true)]);
        // Not across a clause: `approach` is the head, not `models`.
        let got = found(
            "",
            "We instead present In-Context Pretraining, a new approach where language models read more.",
        );
        assert_eq!(
            got,
            vec![("In-Context Pretraining".into(), EntityType::Method, true)]
        );
        // The phrase ends at "that": the `LLM` of the clause after it says nothing.
        let got = found(
            "",
            "We speed up LLMs through BitMoDa, an algorithm-hardware co-design solution that enables efficient LLM acceleration.",
        );
        assert_eq!(got, vec![("BitMoDa".into(), EntityType::Method, false)]);
        // Through "of": "a family of models".
        let got = found(
            "",
            "We release Quokka, a family of open models for chemistry.",
        );
        assert_eq!(got, vec![("Quokka".into(), EntityType::Model, true)]);
        // Through a coordination, to the compound's head: `data` modifies `strategy`.
        let got = found(
            "",
            "We propose LLM2LLM, a targeted and iterative data augmentation strategy that uses a teacher.",
        );
        assert_eq!(got, vec![("LLM2LLM".into(), EntityType::Method, true)]);
    }

    #[test]
    fn acronym_definitions_merge_long_and_short_forms() {
        let mut known = Vec::new();
        let text =
            "we propose a novel Hierarchical Large Language Model (HLLM) architecture. HLLM wins.";
        let words = words_of(text);
        let fields = [("", &[][..]), (text, &words[..])];
        let got = discover(&mut Workspace::default(), fields, &mut known, &|_| None);
        let mut surfaces: Vec<&str> = got.iter().map(|m| m.surface.as_str()).collect();
        surfaces.sort();
        assert_eq!(
            surfaces,
            vec!["HLLM", "HLLM", "Hierarchical Large Language Model"]
        );
        assert!(got
            .iter()
            .all(|m| m.name == "HLLM" && m.proposed && m.kind == EntityType::Model));
    }

    #[test]
    fn generic_definitions_are_not_entities() {
        assert!(names("", "Recent works retrieve knowledge from explicit knowledge bases (KBs), and KBs are slow.").is_empty());
        assert!(names(
            "",
            "Large language models (LLMs) and PLMs run on GPUs with FP16 and BF16."
        )
        .is_empty());
        assert!(names(
            "",
            "It uses GPU-intensive LLM-based rankers at 7B scale (O1)."
        )
        .is_empty());
    }

    #[test]
    fn listed_names_take_the_cue_type() {
        let got = found("", "Evaluations on two large-scale datasets, PixelRec and Amazon Reviews, show that it works.");
        assert_eq!(
            got,
            vec![
                ("Amazon Reviews".into(), EntityType::Dataset, false),
                ("PixelRec".into(), EntityType::Dataset, false),
            ]
        );
        let got = found("", "results on various benchmark datasets, including FEVER (dev set), ASNQ, WikiQA, and TREC-QA, as well.");
        let kinds: Vec<EntityType> = got.iter().map(|g| g.1).collect();
        assert_eq!(names("", "results on various benchmark datasets, including FEVER (dev set), ASNQ, WikiQA, and TREC-QA, as well."), vec!["ASNQ", "FEVER", "TREC-QA", "WikiQA"]);
        assert!(kinds.iter().all(|k| *k == EntityType::Dataset), "{got:?}");
        let got = found(
            "",
            "We have developed a Chinese-language benchmark, PatentMIA, to assess detection.",
        );
        assert_eq!(got, vec![("PatentMIA".into(), EntityType::Dataset, true)]);
    }

    #[test]
    fn shaped_names_are_found_without_cues() {
        assert_eq!(
            names(
                "",
                "compared to NVIDIA's CUTLASS. We use LRPE with decay and SteerLM."
            ),
            vec!["CUTLASS", "LRPE", "SteerLM"]
        );
        assert!(names(
            "",
            "a Zero-Shot, Resource-Efficient Top-2 and Stage-1 setting"
        )
        .is_empty());
        assert!(names(
            "",
            "State-Of-The-Art results. English-to-German EnglishrightarrowGerman"
        )
        .is_empty());
    }

    #[test]
    fn nothing_in_plain_prose() {
        assert!(names("Predictions For Pre-training Language Models", "Language model pre-training has proven useful. We propose a learning framework that uses data.").is_empty());
    }
}
