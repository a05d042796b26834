//! The cue phrases of relation analysis ("we propose", "fine-tuned from", "outperforms",
//! "on", ";" …), compiled once into one multi-pattern regex, and [`find_cues`], which finds
//! them in a range of a field with what each says when it follows a name.
//!
//! This module finds phrases; it does not decide which mention a cue applies to
//! (`analysis.rs` does).

use std::sync::LazyLock;

use regex_automata::{meta, Input};

use super::{PaperRelation, Rule};
use crate::extract::EntityType;

/// What a cue phrase says about the words after it (or, for some, before it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cue {
    /// Ends the clause: `;`, `:`, "while", "but", "which" …
    Break,
    /// Cancels the previous cue without ending the clause: "used by", "proposed by".
    Neutral,
    Name,
    Propose,
    /// ", a novel" / ", a new" (only after a name).
    Novel,
    BasedOn,
    Compare,
    Eval,
    Tune,
    Train,
    Use,
    On,
    /// "-based" (only after a name).
    Based,
}

/// Every cue phrase, one pattern per [`Cue`] (verbose syntax, case-insensitive),
/// in priority order: longer phrases come before the shorter ones they start with
/// ("fine-tuned from" before "fine-tuned").
const CUE_PATTERNS: [(Cue, &str); 13] = [
    (
        Cue::Break,
        r"[;:] | \b(?:while|whereas|but|although|though|however|which|where|whose)\b",
    ),
    (
        Cue::Neutral,
        r"\b(?:used|proposed|introduced|developed|released|adopted|employed|trained|created
            |reported|produced|generated|favou?red|judged|preferred)\s+by\b",
    ),
    (
        Cue::Name,
        r"\b(?:called|named|dubbed|termed|coined|nicknamed)\b",
    ),
    (
        Cue::Propose,
        r"\b(?:we|this\s+(?:paper|work|study)|here,?\s+we)\s+
            (?:(?:also|further|then|first|now)\s+)?
            (?:propose|introduce|present|develop|release|design|unveil|contribute|open-source
              |create|construct|curate|collect)s?\b",
    ),
    (Cue::Novel, r",\s+(?:a|an)\s+(?:new|novel)\b"),
    (
        Cue::BasedOn,
        r"\b(?:built\s+(?:up)?on|build(?:s|ing)?\s+(?:up)?on|based\s+on|on\s+top\s+of
            |initiali[sz]ed\s+(?:from|with)|fine-?tuned\s+(?:from|version\s+of|variant\s+of)
            |(?:a|an)\s+fine-?tuned|derived\s+from|distill?ed\s+from
            |(?:variant|version|extension)\s+of|extends|extending)\b",
    ),
    (
        Cue::Compare,
        r"\b(?:outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|exceed(?:s|ed|ing)?
            |beat(?:s|ing)?|compar(?:e|es|ed|ing)\s+(?:to|with|against)
            |comparison\s+(?:to|with|against)|comparabl[ey](?:\s+(?:to|with))?
            |than|against|vs\.?|versus|relative\s+to|on\s+par\s+with|competitive\s+with
            |rival(?:s|ing)?|unlike|in\s+contrast\s+to
            |(?:improv(?:e|es|ed|ing|ements?)|gains?|advantages?|speed-?ups?)\s+(?:over|upon)
            |baselines?(?:\s+(?:such\s+as|including|like))?)\b",
    ),
    (
        Cue::Eval,
        r"\b(?:evaluat(?:e|es|ed|ing|ions?)
            |benchmark(?:s|ed|ing)?(?:\s+(?:such\s+as|including|like))?
            |datasets?(?:\s+(?:such\s+as|including|like))?|corpus|corpora|suite
            |tested|experiments?|results?|accuracy|achiev(?:e|es|ed|ing)|attain(?:s|ed|ing)?
            |scor(?:e|es|ed|ing)|performance|state-of-the-art|sota|assess(?:es|ed|ing)?)\b",
    ),
    (
        Cue::Tune,
        r"\b(?:fine-?tun(?:e|es|ed|ing)|instruction-?tun(?:e|es|ed|ing)|adapt(?:s|ed|ing)?)\b",
    ),
    (
        Cue::Train,
        r"\b(?:(?:pre-?|post-?|re-?|co-?)?train(?:s|ed|ing)?|distill?(?:s|ed|ing)?)\b",
    ),
    (
        Cue::Use,
        r"\b(?:us(?:e|es|ed|ing)|leverag(?:e|es|ed|ing)|employ(?:s|ed|ing)?
            |utili[sz](?:e|es|ed|ing)|adopt(?:s|ed|ing)?|appl(?:y|ies|ied|ying)
            |rel(?:y|ies|ied|ying)\s+on|powered\s+by|equipped\s+with
            |integrat(?:e|es|ed|ing)|incorporat(?:e|es|ed|ing)|via|through
            |with\s+the\s+help\s+of)\b",
    ),
    (Cue::On, r"\b(?:on|across)\b"),
    (Cue::Based, r"-based\b"),
];

/// A cue pattern with its word boundaries made ASCII-only (faster than Unicode's, and cue
/// words are ASCII).
fn cue_regex(pattern: &str) -> String {
    format!("(?:{})", pattern.replace(r"\b", r"(?-u:\b)"))
}

/// All cue patterns as one leftmost-first multi-pattern regex, compiled once: finds cues
/// and, by the pattern that matched, tells which [`Cue`] each is (earlier patterns win at
/// the same start, as in an alternation).
static CUES: LazyLock<meta::Regex> = LazyLock::new(|| {
    let patterns: Vec<String> = CUE_PATTERNS
        .iter()
        .map(|(_, p)| format!("(?ix){}", cue_regex(p)))
        .collect();
    match meta::Regex::new_many(&patterns) {
        Ok(re) => re,
        // The patterns are constants; the unit tests compile them.
        Err(e) => panic!("cue pattern does not compile: {e}"),
    }
});

/// One cue found in a field: byte span, kind, and what it says when it follows a name.
#[derive(Clone, Copy, Debug)]
pub(super) struct CueAt {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) cue: Cue,
    pub(super) post: Option<(PaperRelation, Rule, PostScope)>,
    /// "dataset(s)", "corpus", "corpora": a noun that does not override the clause's verb
    /// ("we use large corpora like Wikipedia").
    pub(super) data_noun: bool,
    /// A participle not followed by a preposition ("pretrained LLMs such as X",
    /// "fine-tuned models"): unless a name follows directly, it is an adjective, which
    /// neither decides nor replaces the clause's cue.
    pub(super) participle: bool,
}

/// Which entity types a cue after a name applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PostScope {
    Any,
    Datasets,
    ModelsAndMethods,
}

impl PostScope {
    pub(super) fn admits(self, kind: EntityType) -> bool {
        match self {
            PostScope::Any => true,
            PostScope::Datasets => kind == EntityType::Dataset,
            PostScope::ModelsAndMethods => kind != EntityType::Dataset,
        }
    }
}

/// The cues of `text` in `from..to`, in text order: those the scan of the whole text would
/// find there, since no cue spans a sentence break. Look-around (`\b`) sees the text on both
/// sides of the range; the search stops at its end instead of looking on for the next cue.
pub(super) fn find_cues(text: &str, from: usize, to: usize) -> Vec<CueAt> {
    let mut out = Vec::new();
    let Some(input) = text.get(from..to).map(|_| Input::new(text).range(from..to)) else {
        return out;
    };
    for m in CUES.find_iter(input) {
        let Some(&(cue, _)) = CUE_PATTERNS.get(m.pattern().as_usize()) else {
            continue;
        };
        let Some(found) = text.get(m.range()) else {
            continue;
        };
        let starts = |prefix: &str| starts_with_ignore_case(found, prefix);
        let post = match cue {
            Cue::Based => Some((PaperRelation::Uses, Rule::PostBased, PostScope::Any)),
            Cue::Novel => Some((PaperRelation::Proposes, Rule::Novel, PostScope::Any)),
            Cue::Eval
                if ["benchmark", "dataset", "corp", "suite"]
                    .iter()
                    .any(|w| starts(w)) =>
            {
                Some((
                    PaperRelation::EvaluatesOn,
                    Rule::PostBenchmark,
                    PostScope::Datasets,
                ))
            }
            Cue::Compare if starts("baseline") => Some((
                PaperRelation::ComparesWith,
                Rule::PostBaseline,
                PostScope::ModelsAndMethods,
            )),
            _ => None,
        };
        out.push(CueAt {
            start: m.start(),
            end: m.end(),
            cue,
            post,
            data_noun: cue == Cue::Eval && (starts("dataset") || starts("corp")),
            participle: matches!(cue, Cue::Train | Cue::Tune)
                && found.len() >= 2
                && found.as_bytes()[found.len() - 2..].eq_ignore_ascii_case(b"ed")
                && !preposition_follows(text.get(m.end()..).unwrap_or("")),
        });
    }
    out
}

/// Whether `text` starts with `prefix` in any ASCII case.
fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Whether a preposition (or nothing) follows a participle: "trained on", "fine-tuned
/// with", "pre-trained." — a verb, not an adjective.
fn preposition_follows(after: &str) -> bool {
    const PREPOSITIONS: &[&str] = &[
        "on",
        "with",
        "using",
        "from",
        "by",
        "in",
        "for",
        "via",
        "to",
        "over",
        "across",
        "and",
        "or",
        "as",
        "at",
        "under",
        "through",
        "into",
        "only",
        "solely",
        "exclusively",
    ];
    let word: String = after
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-')
        .collect();
    word.is_empty() || PREPOSITIONS.contains(&word.to_lowercase().as_str())
}
