//! Lexicon matching: one pass of an Aho-Corasick automaton over each field.
//!
//! Every surface form of every lexicon entry is expanded into its separator variants
//! (`Llama 2`, `Llama-2`, `Llama2`), each matched as written or in any ASCII case according
//! to the entry's [`CaseRule`]. All are compiled once into one ASCII-case-insensitive
//! automaton; a match of a case-sensitive pattern is kept only when the text has its exact
//! bytes. A field is scanned once, reporting overlapping matches; a boundary check keeps
//! `BERT` out of `BERTology` and `RAG` out of `Hyper-RAG` while accepting `BERT-based` and
//! the plural `BERTs`; of the matches that pass, the leftmost-longest win. (Checking
//! boundaries before choosing the longest keeps `ImageNet` in "ImageNet classification",
//! where `ImageNet C` fails.)
//!
//! The same automaton also holds the head nouns and verbs the discovery rules look for
//! (`dataset`, `framework`, `propose`; [`super::typing::cue_words`]), so that one pass finds
//! them too, in any case and inside longer words; the rules keep those that are whole words.
//!
//! This module finds only names the lexicon knows; it does not discover new ones.

use std::collections::HashMap;
use std::ops::Range;

use std::sync::LazyLock;

use regex::Regex;

use super::automaton::Patterns;
use super::field::WordAt;
use super::lexicon::{CaseRule, Lexicon};
use super::typing::{cue_words, WordFacts};
use super::{EntityType, Field, Mention, Scratch};

/// What a compiled pattern stands for.
#[derive(Clone, Debug)]
struct Target {
    name: String,
    kind: EntityType,
    family: Option<String>,
}

/// A lexicon compiled for matching. Build it once and share it across threads.
#[derive(Clone, Debug)]
pub struct Extractor {
    targets: Vec<Target>,
    /// Every pattern, matched in any ASCII case in one pass; a case-sensitive pattern's
    /// match is then checked byte for byte.
    patterns: Option<Patterns>,
    /// What each pattern id stands for.
    pattern_info: Vec<PatternInfo>,
    /// Run the discovery rules after the lexicon (the default); without them only the
    /// lexicon's names are found.
    discovery: bool,
}

/// What a compiled pattern stands for.
#[derive(Clone, Debug)]
enum PatternInfo {
    /// A surface form of a lexicon entry.
    Name {
        /// The entry.
        target: usize,
        /// The pattern as written when it must match in that case, `None` when any ASCII
        /// case matches.
        exact: Option<Box<str>>,
    },
    /// A head noun or a verb that introduces a name, for the discovery rules (any ASCII
    /// case; inside longer words too, which the rules ignore).
    Word(WordFacts),
}

/// A candidate match before overlap resolution: byte range and target index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Candidate {
    start: usize,
    end: usize,
    /// Matched by a case-insensitive pattern.
    folded: bool,
    target: usize,
}

impl Extractor {
    /// Compiles a lexicon into matching automata.
    ///
    /// # Complexity
    /// Linear in the total length of all surface forms and their variants.
    pub fn new(lexicon: &Lexicon) -> Extractor {
        Extractor::with_discovery(lexicon, true)
    }

    /// [`Extractor::new`], or without `discovery` an extractor that finds only the lexicon's
    /// names: [`Extractor::extract`] then gives what [`Extractor::known`] gives, in about a
    /// third of the time, and marks none `proposed` (its automaton also leaves out the
    /// words the discovery rules look for).
    pub fn with_discovery(lexicon: &Lexicon, discovery: bool) -> Extractor {
        let mut targets = Vec::with_capacity(lexicon.len());
        // Pattern text -> target; the first entry to claim a pattern keeps it.
        let mut exact: HashMap<String, usize> = HashMap::new();
        let mut folded: HashMap<String, usize> = HashMap::new();
        for entry in lexicon.entries() {
            let target = targets.len();
            targets.push(Target {
                name: entry.name.clone(),
                kind: entry.kind,
                family: entry.parent.clone(),
            });
            let surfaces = std::iter::once(&entry.name).chain(entry.aliases.iter());
            for surface in surfaces {
                for variant in separator_variants(surface) {
                    if folds(&variant, entry.case) {
                        folded.entry(variant.to_ascii_lowercase()).or_insert(target);
                    } else {
                        exact.entry(variant).or_insert(target);
                    }
                }
            }
        }
        let words = if discovery { cue_words() } else { Vec::new() };
        let (patterns, pattern_info) = compile(exact, folded, &words);
        Extractor {
            targets,
            patterns,
            pattern_info,
            discovery,
        }
    }

    /// Whether [`Extractor::extract`] runs the discovery rules (see
    /// [`Extractor::with_discovery`]).
    pub fn discovers(&self) -> bool {
        self.discovery
    }

    /// Calls `each` with every lexicon match in `text` (overlapping ones included) that
    /// passes its case rule: byte range, target, and whether it matched in any case; and,
    /// in the same pass, `word` with every head noun and verb of [`cue_words`], by end.
    fn for_each_match(
        &self,
        text: &str,
        mut each: impl FnMut(Range<usize>, usize, bool),
        mut word: impl FnMut(Range<usize>, WordFacts),
    ) {
        let Some(patterns) = &self.patterns else {
            return;
        };
        patterns.for_each_match(text, |m, pattern| match self.pattern_info.get(pattern) {
            Some(PatternInfo::Name { target, exact }) => match exact {
                Some(exact) if text.as_bytes().get(m.clone()) != Some(exact.as_bytes()) => {}
                Some(_) => each(m, *target, false),
                None => each(m, *target, true),
            },
            Some(PatternInfo::Word(facts)) => word(m, *facts),
            None => {}
        });
    }

    /// Finds every entity named in a paper's title and abstract — the lexicon's and the
    /// ones discovery finds — title first, each field in text order.
    ///
    /// Allocates its working memory afresh; to extract many papers, reuse a [`Scratch`]
    /// with [`Extractor::extract_with`] (same result).
    ///
    /// # Complexity
    /// O(n + m log m) for n bytes of text and m candidate matches.
    pub fn extract(&self, title: &str, abstract_text: &str) -> Vec<Mention> {
        self.extract_with(&mut Scratch::new(), title, abstract_text)
    }

    /// [`Extractor::extract`] with reused working memory: the result does not depend on
    /// what `scratch` was used for before.
    pub fn extract_with(
        &self,
        scratch: &mut Scratch,
        title: &str,
        abstract_text: &str,
    ) -> Vec<Mention> {
        let mut out = Vec::new();
        let Scratch {
            candidates,
            words: [title_words, abstract_words],
            discovery,
        } = scratch;
        self.extract_field(title, Field::Title, candidates, title_words, &mut out);
        self.extract_field(
            abstract_text,
            Field::Abstract,
            candidates,
            abstract_words,
            &mut out,
        );
        if !self.discovery {
            // Each field's matches come in order, the title's first.
            return out;
        }
        let inside = |name: &str| self.kind_inside(name);
        let mut found = super::discover::discover(
            discovery,
            [
                (title, title_words.as_slice()),
                (abstract_text, abstract_words.as_slice()),
            ],
            &mut out,
            &inside,
        );
        // A discovered name that contains a known one (`Medical mT5`) replaces it there.
        // Spans sorted by start, with the running largest end, make each test a binary
        // search (a huge abstract has ~10⁵ of each).
        let mut spans: Vec<(Field, usize, usize)> = found
            .iter()
            .map(|d| (d.field, d.byte_start, d.byte_start + d.surface.len()))
            .collect();
        spans.sort_unstable();
        let reach: Vec<usize> = spans
            .iter()
            .scan((None, 0), |(field, max), &(f, _, end)| {
                *max = if *field == Some(f) {
                    end.max(*max)
                } else {
                    end
                };
                *field = Some(f);
                Some(*max)
            })
            .collect();
        out.retain(|k| {
            let end = k.byte_start + k.surface.len();
            let upto =
                spans.partition_point(|&(f, start, _)| (f, start) <= (k.field, k.byte_start));
            !(upto > 0 && spans[upto - 1].0 == k.field && reach[upto - 1] >= end)
        });
        out.append(&mut found);
        out.sort_by_key(|m| (m.field, m.byte_start));
        out
    }

    /// The type of the longest known name (three characters or more) inside `name`,
    /// ignoring word boundaries: `LongLoRA` → method (LoRA), `xLLaMA-100` → model.
    pub fn kind_inside(&self, name: &str) -> Option<EntityType> {
        // The longest; of equally long ones, a case-sensitive pattern's first, then a
        // case-insensitive one's first.
        let mut best: Option<(usize, bool, EntityType)> = None;
        self.for_each_match(
            name,
            |m, target, folded| {
                let len = m.len();
                let better = best.is_none_or(|(l, f, _)| len > l || len == l && f && !folded);
                if len >= 3 && len < name.len() && better {
                    best = Some((len, folded, self.targets[target].kind));
                }
            },
            |_, _| {},
        );
        best.map(|(_, _, kind)| kind)
    }

    /// Only the lexicon's entities, without discovery.
    pub fn known(&self, title: &str, abstract_text: &str) -> Vec<Mention> {
        let mut candidates = Vec::new();
        let mut out = Vec::new();
        let mut words = Vec::new();
        self.extract_field(title, Field::Title, &mut candidates, &mut words, &mut out);
        self.extract_field(
            abstract_text,
            Field::Abstract,
            &mut candidates,
            &mut words,
            &mut out,
        );
        out
    }

    /// The lexicon's matches in one field, appended to `out`, and the field's head nouns
    /// and verbs, by end, in `words` (cleared first); `candidates` is a buffer.
    fn extract_field(
        &self,
        text: &str,
        field: Field,
        candidates: &mut Vec<Candidate>,
        words: &mut Vec<WordAt>,
        out: &mut Vec<Mention>,
    ) {
        candidates.clear();
        words.clear();
        self.for_each_match(
            text,
            |m, target, folded| {
                // `BERT_LARGE`: a LaTeX-style subscript variant glues on with `_`.
                let subscript = text[m.end..].starts_with('_')
                    && variant_suffix(self.targets[target].kind, &text[m.end..]).is_some();
                if is_bounded(text, m.start, m.end) || subscript && starts_word(text, m.start) {
                    candidates.push(Candidate {
                        start: m.start,
                        end: m.end,
                        folded,
                        target,
                    });
                }
            },
            |m, facts| {
                words.push(WordAt {
                    start: m.start,
                    end: m.end,
                    facts,
                })
            },
        );
        // Longest first at each start (a case-sensitive pattern before a case-insensitive
        // one of the same span), then keep what does not overlap an accepted match.
        candidates.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(b.end.cmp(&a.end))
                .then(a.folded.cmp(&b.folded))
        });
        let mut last_end = 0;
        let mut chars_before = 0;
        let mut counted_to = 0;
        for &c in candidates.iter() {
            if c.start < last_end {
                continue;
            }
            let target = &self.targets[c.target];
            let size = variant_suffix(target.kind, &text[c.end..]);
            // A plural `s` the boundary check let through belongs to the surface (`BERTs`).
            let plural = size.is_none()
                && text[c.end..].starts_with('s')
                && !text[c.end + 1..].starts_with(is_word_char);
            let end = c.end + size.map_or(0, str::len) + usize::from(plural);
            last_end = end;
            chars_before += text[counted_to..c.start].chars().count();
            counted_to = c.start;
            let surface = &text[c.start..end];
            let (name, family) = match size {
                Some(size) => {
                    let tag = size.trim_start_matches(['-', ' ', '_']);
                    let sep = if target.kind == EntityType::Model {
                        '-'
                    } else {
                        ' '
                    };
                    (
                        format!("{}{sep}{tag}", target.name),
                        Some(target.name.clone()),
                    )
                }
                None => (target.name.clone(), target.family.clone()),
            };
            out.push(Mention {
                name,
                kind: target.kind,
                family,
                surface: surface.to_string(),
                field,
                byte_start: c.start,
                char_start: chars_before,
                char_len: surface.chars().count(),
                proposed: false,
            });
        }
    }
}

/// A variant written right after a known name, as written: for a model its checkpoint
/// tags and size (`-7B`, ` 70B`, `-8x7B`, `-8B-Instruct`, `-R1`, `-VL-72B`, `_LARGE`,
/// `-large`), for a dataset its version or year (` v2.0`, ` 2.0`, ` 2014`, `-2003`, `'14`).
/// Methods have none.
fn variant_suffix(kind: EntityType, rest: &str) -> Option<&str> {
    static MODEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"^(?:[-_](?:XXL|Instruct|Chat|Base|Large|Small|Medium|Tiny|Mini|",
            r"Turbo|Pro|Plus|Max|Ultra|Nano|Coder|Math|Vision|Lite|instruct|chat|base|large|",
            r"small|medium|tiny|mini|turbo|BASE|LARGE|SMALL|[A-Z]{1,2}\d?))*",
            r"(?:[-_ ]?(?:\d+x)?\d+(?:\.\d+)?[BMbm](?:-(?:Instruct|Chat|Base|it|hf|chat|instruct|base))*)?",
        ))
        .expect("static regex")
    });
    static DATASET: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[- ]?v\d+(?:\.\d+)*|[- ]\d+\.\d+|[- ]?(?:19|20)\d\d|'\d\d)")
            .expect("static regex")
    });
    let m = match kind {
        EntityType::Model => MODEL.find(rest)?,
        EntityType::Dataset => DATASET.find(rest)?,
        EntityType::Method => return None,
    };
    if m.as_str().is_empty() {
        return None;
    }
    let mut after = rest[m.end()..].chars();
    let next = after.next();
    let glued = next.is_some_and(|c| c.is_alphanumeric() || c == '_')
        || kind == EntityType::Dataset && next == Some('-')
        || next == Some('.') && after.next().is_some_and(|c| c.is_ascii_digit());
    if glued {
        return None;
    }
    Some(m.as_str())
}

/// Compiles the case-sensitive and case-insensitive patterns (each sorted, for a
/// deterministic automaton) into one automaton matching in any ASCII case, and says what
/// each pattern id stands for.
fn compile(
    exact: HashMap<String, usize>,
    folded: HashMap<String, usize>,
    words: &[(&str, WordFacts)],
) -> (Option<Patterns>, Vec<PatternInfo>) {
    let mut exact: Vec<(String, usize)> = exact.into_iter().collect();
    exact.sort();
    let mut folded: Vec<(String, usize)> = folded.into_iter().collect();
    folded.sort();
    let total = exact.len() + folded.len() + words.len();
    let mut texts = Vec::with_capacity(total);
    let mut info = Vec::with_capacity(total);
    for (text, target) in exact {
        info.push(PatternInfo::Name {
            target,
            exact: Some(text.as_str().into()),
        });
        texts.push(text);
    }
    for (text, target) in folded {
        info.push(PatternInfo::Name {
            target,
            exact: None,
        });
        texts.push(text);
    }
    // The discovery rules' words, found in the same pass (a word that is also a name is
    // two patterns, both reported).
    for &(text, facts) in words {
        info.push(PatternInfo::Word(facts));
        texts.push(text.to_string());
    }
    // Building fails only past internal size limits, far above any lexicon's size;
    // matching nothing is the safe answer then.
    (Patterns::new(&texts, true), info)
}

/// Whether a surface form is matched in any case under `rule` (short capitals acronyms
/// never are).
fn folds(surface: &str, rule: CaseRule) -> bool {
    // A short acronym in capitals is matched as written whatever the rule: `MLM` must not
    // match "mLMs" (multilingual LMs), nor `NAS` "nas".
    let letters = surface.chars().filter(|c| c.is_alphabetic()).count();
    let acronym = surface.chars().count() <= 5
        && letters >= 2
        && surface
            .chars()
            .all(|c| c.is_uppercase() || !c.is_alphanumeric());
    if acronym {
        return false;
    }
    match rule {
        CaseRule::Exact => false,
        CaseRule::Fold => true,
        CaseRule::Auto => {
            let len = surface.chars().count();
            let has_digit = surface.chars().any(|c| c.is_ascii_digit());
            let has_separator = surface.contains(['-', ' ']);
            let inner_capital = surface.chars().skip(1).any(|c| c.is_uppercase())
                && surface.chars().any(|c| c.is_lowercase());
            (has_digit && len >= 4) || (len >= 6 && (has_separator || inner_capital))
        }
    }
}

/// The spelling variants of a name that differ only in separators: as written, spaces as
/// hyphens, hyphens as spaces, and no separator between a letter and a digit
/// (`Llama 2` → `Llama-2`, `Llama2`).
fn separator_variants(surface: &str) -> Vec<String> {
    let mut out = vec![surface.to_string()];
    let mut push = |s: String| {
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    };
    push(surface.replace(' ', "-"));
    push(surface.replace('-', " "));
    let chars: Vec<char> = surface.chars().collect();
    let mut joined = String::with_capacity(surface.len());
    for (i, &c) in chars.iter().enumerate() {
        let between = i > 0
            && i + 1 < chars.len()
            && (c == ' ' || c == '-')
            && chars[i - 1].is_alphabetic()
            && chars[i + 1].is_ascii_digit();
        if !between {
            joined.push(c);
        }
    }
    push(joined);
    // `Qwen2` is also written `Qwen 2` and `Qwen-2` (three letters or more before the digit).
    let mut split = String::with_capacity(surface.len() + 1);
    for (i, &c) in chars.iter().enumerate() {
        let boundary =
            i >= 3 && c.is_ascii_digit() && chars[i - 3..i].iter().all(|p| p.is_alphabetic());
        if boundary {
            split.push(' ');
        }
        split.push(c);
    }
    if split.len() > surface.len() {
        push(split.replace(' ', "-"));
        push(split);
    }
    // `Code Llama` is also written `CodeLlama`, `Common Crawl` `CommonCrawl`: two or three
    // capitalised words run together.
    let words: Vec<&str> = surface.split(' ').collect();
    if (2..=3).contains(&words.len())
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase) && w.len() >= 2)
    {
        push(words.concat());
    }
    out
}

/// Whether `text[start..end]` stands as a name of its own: not glued to a word before it
/// (`BERTology`, `Hyper-RAG`), nor to letters or digits after it, except a plural `s` after
/// a name ending in a capital or digit (`BERTs`, `GPT-3s`) or in camel case (`DenseNets`).
pub(super) fn is_bounded(text: &str, start: usize, end: usize) -> bool {
    if !starts_word(text, start) {
        return false;
    }
    let mut after = text[end..].chars();
    match after.next() {
        None => true,
        Some('s') => {
            let last = text[..end].chars().next_back();
            let surface = &text[start..end];
            let camel = surface.chars().skip(1).any(char::is_uppercase)
                && surface.chars().any(char::is_lowercase);
            let plural_ok = camel || last.is_some_and(|l| l.is_uppercase() || l.is_ascii_digit());
            plural_ok && !after.next().is_some_and(is_word_char)
        }
        Some(a) if is_word_char(a) => false,
        Some(a @ ('-' | '.')) => {
            // `GPT-4-turbo` and `BERT-based` keep the name; `Hyper-RAG-Lite` has been
            // rejected by the check before. A decimal (`GPT-3.5` when only `GPT-3` is known)
            // must not match the shorter name.
            !(a == '.' && after.next().is_some_and(|c| c.is_ascii_digit()))
        }
        Some(_) => true,
    }
}

/// Whether a name may start at byte `start`: not after a letter, digit or `_`, nor after a
/// hyphen, dot or slash that follows one (`Hyper-RAG`).
fn starts_word(text: &str, start: usize) -> bool {
    let Some(b) = text[..start].chars().next_back() else {
        return true;
    };
    if is_word_char(b) {
        return false;
    }
    if b == '-' || b == '.' || b == '/' {
        let mut rest = text[..start - b.len_utf8()].chars();
        if rest.next_back().is_some_and(is_word_char) {
            return false;
        }
    }
    true
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn extractor(tsv: &str) -> Extractor {
        Extractor::new(&Lexicon::parse(tsv, Path::new("test.tsv")).unwrap())
    }

    fn names(ex: &Extractor, text: &str) -> Vec<String> {
        ex.known("", text).into_iter().map(|m| m.surface).collect()
    }

    const LEX: &str =
        "BERT\tmodel\t\t\texact\nRoBERTa\tmodel\t\tBERT\t\nLlama 2\tmodel\t\tLLaMA\t\n\
LLaMA\tmodel\t\t\tfold\nRAG\tmethod\tRetrieval-Augmented Generation\t\t\n\
PaLM\tmodel\t\t\texact\nGPT-3\tmodel\t\tGPT\t\nGPT-3.5\tmodel\t\tGPT\t\nC4\tdataset\t\t\t\n\
LoRA\tmethod\tLow-Rank Adaptation\t\t\n";

    #[test]
    fn boundary_rejects_names_inside_words() {
        let ex = extractor(LEX);
        assert!(names(&ex, "BERTology studies attention.").is_empty());
        assert!(names(&ex, "We propose Hyper-RAG for medicine.").is_empty());
        assert!(names(&ex, "subRAG and RAGged").is_empty());
        assert!(names(&ex, "xLoRA adapters").is_empty());
    }

    #[test]
    fn boundary_accepts_hyphenated_compounds_and_plurals() {
        let ex = extractor(LEX);
        assert_eq!(names(&ex, "BERT-based rankers"), vec!["BERT"]);
        assert_eq!(names(&ex, "fine-tuned BERTs."), vec!["BERTs"]);
        assert_eq!(names(&ex, "(RoBERTa, BERT)"), vec!["RoBERTa", "BERT"]);
        assert_eq!(names(&ex, "GPT-3-style prompting"), vec!["GPT-3"]);
    }

    #[test]
    fn longest_name_wins() {
        let ex = extractor(LEX);
        assert_eq!(names(&ex, "We query GPT-3.5 today"), vec!["GPT-3.5"]);
        let ex = extractor("GPT-3\tmodel\t\t\t\n");
        assert!(names(&ex, "We query GPT-3.5 today").is_empty());
        assert_eq!(names(&ex, "We query GPT-3. Then"), vec!["GPT-3"]);
    }

    #[test]
    fn separator_and_case_variants_are_one_entity() {
        let ex = extractor(LEX);
        let found = ex.known("", "LLaMA-2, Llama 2, llama2 and LLaMA2 differ from LLaMA.");
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|m| (m.surface.as_str(), m.name.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("LLaMA-2", "Llama 2"),
                ("Llama 2", "Llama 2"),
                ("llama2", "Llama 2"),
                ("LLaMA2", "Llama 2"),
                ("LLaMA", "LLaMA"),
            ]
        );
        assert_eq!(found[0].family.as_deref(), Some("LLaMA"));
    }

    #[test]
    fn exact_case_names_ignore_ordinary_words() {
        let ex = extractor(LEX);
        assert_eq!(names(&ex, "PaLM reads the palm of a hand"), vec!["PaLM"]);
        assert!(names(&ex, "the c4 and bert words").is_empty());
        assert_eq!(names(&ex, "trained on C4."), vec!["C4"]);
    }

    #[test]
    fn long_forms_resolve_to_the_entry() {
        let ex = extractor(LEX);
        let found = ex.extract(
            "",
            "Low-Rank Adaptation (LoRA) and retrieval-augmented generation",
        );
        let got: Vec<&str> = found.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(got, vec!["LoRA", "LoRA", "RAG"]);
    }

    #[test]
    fn offsets_are_characters_and_bytes() {
        let ex = extractor(LEX);
        let text = "Ünïcödé — BERT and 🙂 LoRA";
        let found = ex.extract("PaLM", text);
        assert_eq!(found[0].field, Field::Title);
        assert_eq!((found[0].char_start, found[0].byte_start), (0, 0));
        for m in &found[1..] {
            assert_eq!(
                &text[m.byte_start..m.byte_start + m.surface.len()],
                m.surface
            );
            let chars: String = text.chars().skip(m.char_start).take(m.char_len).collect();
            assert_eq!(chars, m.surface);
        }
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn separator_variants_cover_space_hyphen_and_join() {
        assert_eq!(
            separator_variants("Llama 2"),
            vec!["Llama 2", "Llama-2", "Llama2"]
        );
        assert_eq!(separator_variants("GPT-4"), vec!["GPT-4", "GPT 4", "GPT4"]);
        assert_eq!(separator_variants("C4"), vec!["C4"]);
        assert_eq!(
            separator_variants("Qwen2"),
            vec!["Qwen2", "Qwen-2", "Qwen 2"]
        );
        assert_eq!(separator_variants("GPT4"), vec!["GPT4", "GPT-4", "GPT 4"]);
    }

    #[test]
    fn auto_case_rule_folds_only_unambiguous_shapes() {
        assert!(folds("Llama 2", CaseRule::Auto));
        assert!(folds("GPT-4", CaseRule::Auto));
        assert!(folds("RoBERTa", CaseRule::Auto));
        assert!(!folds("C4", CaseRule::Auto));
        assert!(!folds("Falcon", CaseRule::Auto));
        assert!(!folds("PaLM", CaseRule::Auto));
        assert!(!folds("GLUE", CaseRule::Auto));
        assert!(folds("glue", CaseRule::Fold));
        assert!(!folds("MLM", CaseRule::Fold));
        assert!(!folds("R-CNN", CaseRule::Fold));
        assert!(folds("GSM8K", CaseRule::Fold));
    }

    #[test]
    fn sizes_extend_a_model_name_and_link_to_it() {
        let ex = extractor(LEX);
        let found = ex.known("", "We fine-tune LLaMA2 7B, Llama-2-70B-chat and LoRA-7B.");
        let got: Vec<(&str, &str, Option<&str>)> = found
            .iter()
            .map(|m| (m.surface.as_str(), m.name.as_str(), m.family.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("LLaMA2 7B", "Llama 2-7B", Some("Llama 2")),
                ("Llama-2-70B-chat", "Llama 2-70B-chat", Some("Llama 2")),
                // Only models have sizes.
                ("LoRA", "LoRA", None),
            ]
        );
    }

    #[test]
    fn variants_extend_models_and_versions_extend_datasets() {
        let ex = extractor(
            "Qwen\tmodel\t\t\tfold\nBERT\tmodel\t\t\texact\nSQuAD\tdataset\t\t\texact\nWMT\tdataset\t\t\texact\n",
        );
        let found = ex.known(
            "",
            "Qwen-R1 and BERT_LARGE, BERT-large on SQuAD v2.0, SQuAD 1.1, WMT 2014 and WMT'14, not SQuAD-2020x.",
        );
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|m| (m.surface.as_str(), m.name.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Qwen-R1", "Qwen-R1"),
                ("BERT_LARGE", "BERT-LARGE"),
                ("BERT-large", "BERT-large"),
                ("SQuAD v2.0", "SQuAD v2.0"),
                ("SQuAD 1.1", "SQuAD 1.1"),
                ("WMT 2014", "WMT 2014"),
                ("WMT'14", "WMT '14"),
                ("SQuAD", "SQuAD"),
            ]
        );
        assert!(found.iter().take(7).all(|m| m.family.is_some()));
    }

    #[test]
    fn camel_case_plurals() {
        let ex = extractor("DenseNet\tmodel\t\t\t\nTransformer\tmethod\t\t\texact\n");
        assert_eq!(names(&ex, "DenseNets and Transformers"), vec!["DenseNets"]);
    }

    #[test]
    fn capitalised_words_run_together() {
        let ex = extractor("Code Llama\tmodel\t\tLlama 2\t\n");
        assert_eq!(
            names(&ex, "CodeLlama and Code Llama"),
            vec!["CodeLlama", "Code Llama"]
        );
    }

    #[test]
    fn a_longer_name_failing_the_boundary_leaves_the_shorter_one() {
        let ex = extractor("ImageNet\tdataset\t\t\tfold\nImageNet-C\tdataset\t\tImageNet\tfold\n");
        assert_eq!(
            names(&ex, "results on ImageNet classification"),
            vec!["ImageNet"]
        );
        assert_eq!(names(&ex, "results on ImageNet-C."), vec!["ImageNet-C"]);
    }

    #[test]
    fn reused_scratch_gives_the_same_mentions() {
        let ex = Extractor::new(&Lexicon::builtin());
        let papers = [
            (
                "HLLM: A Model",
                "We propose a Hierarchical Large Language Model (HLLM). HLLM beats GPT-4 on MMLU.",
            ),
            ("", ""),
            (
                "Zhongjing",
                "Datasets such as PixelRec and Amazon Reviews, and LRPE with decay.",
            ),
            (
                "HLLM",
                "Knowledge bases (KBs) and KBs; we use LoRA (Low-Rank Adaptation).",
            ),
        ];
        let mut scratch = Scratch::new();
        for _ in 0..2 {
            for (title, abstract_text) in papers {
                assert_eq!(
                    ex.extract_with(&mut scratch, title, abstract_text),
                    ex.extract(title, abstract_text)
                );
            }
        }
    }

    #[test]
    fn lexicon_only_finds_the_known_names_and_nothing_else() {
        let full = Extractor::new(&Lexicon::builtin());
        let lexicon_only = Extractor::with_discovery(&Lexicon::builtin(), false);
        assert!(full.discovers() && !lexicon_only.discovers());
        let (title, abstract_text) = (
            "HLLM: A Model",
            "We propose a Hierarchical Large Language Model (HLLM). HLLM beats GPT-4 on MMLU.",
        );
        let surfaces = |mentions: Vec<Mention>| -> Vec<String> {
            mentions.into_iter().map(|m| m.surface).collect()
        };
        let found = surfaces(full.extract(title, abstract_text));
        assert!(found.contains(&"HLLM".to_string()), "{found:?}");
        let known = lexicon_only.extract(title, abstract_text);
        assert!(known.iter().all(|m| !m.proposed));
        assert_eq!(known, full.known(title, abstract_text));
        assert_eq!(surfaces(known), vec!["GPT-4", "MMLU"]);
        let mut scratch = Scratch::new();
        assert_eq!(
            lexicon_only.extract_with(&mut scratch, title, abstract_text),
            full.known(title, abstract_text)
        );
    }

    /// The head nouns and verbs the automaton finds give every token the same facts as
    /// looking each word up in the lists: over the bundled corpus and words in every case.
    #[test]
    fn automaton_words_classify_tokens_like_the_word_lists() {
        use super::super::field::{words_of, FieldBuf, NamelikeMemo};
        use crate::ingest::{IngestOptions, Records};
        let ex = Extractor::new(&Lexicon::builtin());
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/samples");
        let mut texts = vec![
            "Datasets DATASETS dataSets LLMs llms LLMS LLMs-based Proposes PROPOSE propose, \
             test-bed test-beds Test-Bed remodel models-based modelsX xmodels LMs lm. MLLM"
                .to_string(),
        ];
        for record in Records::new(&[samples], IngestOptions::default()).filter_map(Result::ok) {
            texts.push(record.title);
            texts.push(record.abstract_text);
        }
        let mut checked = 0;
        let mut memo = NamelikeMemo::default();
        let (mut found, mut listed) = (FieldBuf::default(), FieldBuf::default());
        for text in &texts {
            let (mut candidates, mut words, mut out) = (Vec::new(), Vec::new(), Vec::new());
            ex.extract_field(text, Field::Abstract, &mut candidates, &mut words, &mut out);
            let by_list = words_of(text);
            let a = found.prepare(Field::Abstract, text, &[], &words, &mut memo);
            let b = listed.prepare(Field::Abstract, text, &[], &by_list, &mut memo);
            assert_eq!(a.tokens, b.tokens);
            for i in 0..a.tokens.len() {
                let facts = (a.head(i), a.is_verb(i));
                assert_eq!(
                    facts,
                    (b.head(i), b.is_verb(i)),
                    "{:?} in {text:?}",
                    a.word(i)
                );
                checked += usize::from(facts != (None, false));
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    /// A lexicon name spelt like a head noun is both: a mention, and a head noun to the
    /// discovery rules (the automaton reports both patterns).
    #[test]
    fn a_name_that_is_also_a_head_noun_is_both() {
        let ex = extractor("Pipeline\tmethod\t\t\tfold\n");
        let text = "our pipeline works";
        let (mut candidates, mut words, mut out) = (Vec::new(), Vec::new(), Vec::new());
        ex.extract_field(text, Field::Abstract, &mut candidates, &mut words, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].surface, "pipeline");
        assert_eq!(words.len(), 1);
        assert_eq!((words[0].start, words[0].end), (4, 12));
        assert_eq!(words[0].facts.head, Some(EntityType::Method));
    }

    #[test]
    fn empty_lexicon_and_text_are_fine() {
        let ex = Extractor::new(&Lexicon::default());
        assert!(ex.known("BERT", "LoRA").is_empty());
        let ex = extractor(LEX);
        assert!(ex.extract("", "").is_empty());
    }
}

#[cfg(test)]
mod robustness {
    use super::*;

    /// Every short string over an alphabet of characters that trip up slicing and rules
    /// (multi-byte letters, hyphens, parentheses, LaTeX, digits, capitals) goes through
    /// the whole extractor without a panic, and every mention points at its surface.
    #[test]
    fn no_panic_on_tricky_text() {
        let extractor = Extractor::new(&Lexicon::builtin());
        let alphabet = [
            "A",
            "é",
            "Ü",
            "-",
            "(",
            ")",
            ":",
            " ",
            "s",
            "7B",
            "\\%",
            "_{",
            "}",
            "GPT-4",
            "🙂",
            "we propose ",
            "LLM",
            ".",
            ",",
            "ب",
            "2014",
            "'",
        ];
        let mut texts = Vec::new();
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    texts.push(format!("{a}{b}{c}"));
                    texts.push(format!("X{a}{b} (Y{c}Z) {c}{a}"));
                }
            }
        }
        for t in &texts {
            for m in extractor.extract(t, t) {
                assert_eq!(&t[m.byte_start..m.byte_start + m.surface.len()], m.surface);
                assert_eq!(t[..m.byte_start].chars().count(), m.char_start);
            }
        }
    }
}
