//! Typed relations and the cue rules that find them, with the evidence for each.
//!
//! [`analyse`] reads one paper's title and abstract with the [`Mention`]s found in them and
//! decides, for every mention, how the paper relates to the entity ([`PaperRelation`]:
//! `proposes`, `uses`, `evaluates_on`, `compares_with`, or plain `mentions`), and which
//! entities relate to each other in the same sentence ([`EntityRelation`]: `based_on`,
//! `trained_on`, `evaluated_on`, `co_mentioned`). Every decision carries an [`Evidence`]:
//! the field, the sentence's character span and the [`Rule`] that fired.
//!
//! # How
//! One pass per field: the field is split into sentences ([`super::sentences`]); in each
//! sentence that names an entity, one compiled multi-pattern regex (`CUES`, built once)
//! finds every cue phrase ("we propose", "fine-tuned from", "outperforms", "on", ";" …),
//! and a merge walk visits cues and mentions
//! in text order, keeping a little clause state (the last cue, the clause's verb, the models
//! seen so far). A mention takes its relation from the nearest cue before it in the same
//! clause, when no more than a few words (other mentions and list separators aside)
//! separate them; a few cues after a mention ("LLaMA-based", "the MMLU benchmark", "the
//! LoRA baseline", "X, a novel …") decide when none before does. There are no per-name
//! regexes and no second pass.
//!
//! `variant_of` (from the lexicon's family column) is added by the graph stage, which knows
//! the families; it reuses the sentence this module found for the variant's mention.
//!
//! This module does no I/O and resolves no entities: relations refer to mentions by index.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use regex_automata::{meta, Input};

use super::sentences::{self, Sentence};
use crate::extract::{name_key, EntityType, Field, Mention};

/// How a paper relates to an entity it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaperRelation {
    /// The paper coins the name for its own contribution.
    Proposes,
    /// The paper fine-tunes, builds on, applies or trains with it.
    Uses,
    /// The paper reports results on this benchmark or dataset.
    EvaluatesOn,
    /// The paper compares against it (a baseline it outperforms or matches).
    ComparesWith,
    /// The paper names it and no cue says more.
    Mentions,
}

impl PaperRelation {
    /// All relations, strongest claim first (the display order).
    pub const ALL: [PaperRelation; 5] = [
        PaperRelation::Proposes,
        PaperRelation::Uses,
        PaperRelation::EvaluatesOn,
        PaperRelation::ComparesWith,
        PaperRelation::Mentions,
    ];

    /// The name used in SQL, JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            PaperRelation::Proposes => "proposes",
            PaperRelation::Uses => "uses",
            PaperRelation::EvaluatesOn => "evaluates_on",
            PaperRelation::ComparesWith => "compares_with",
            PaperRelation::Mentions => "mentions",
        }
    }
}

/// How two entities relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityRelation {
    /// source is a size, version or variant of the target family (from the lexicon).
    VariantOf,
    /// source is built on, initialised from or fine-tuned from target.
    BasedOn,
    /// model source is trained or fine-tuned on dataset target.
    TrainedOn,
    /// model source is evaluated on (reports results on) dataset target.
    EvaluatedOn,
    /// Both are named by the same papers (undirected; stored from the lower to the higher
    /// entity id).
    CoMentioned,
}

impl EntityRelation {
    /// All relations, most specific first (the display order).
    pub const ALL: [EntityRelation; 5] = [
        EntityRelation::VariantOf,
        EntityRelation::BasedOn,
        EntityRelation::TrainedOn,
        EntityRelation::EvaluatedOn,
        EntityRelation::CoMentioned,
    ];

    /// The name used in SQL, JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityRelation::VariantOf => "variant_of",
            EntityRelation::BasedOn => "based_on",
            EntityRelation::TrainedOn => "trained_on",
            EntityRelation::EvaluatedOn => "evaluated_on",
            EntityRelation::CoMentioned => "co_mentioned",
        }
    }

    /// Whether the relation has a direction (all but `co_mentioned`).
    pub fn is_directed(self) -> bool {
        self != EntityRelation::CoMentioned
    }
}

impl fmt::Display for PaperRelation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for EntityRelation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PaperRelation {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        PaperRelation::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown paper relation {s:?} (expected one of: {})",
                    PaperRelation::ALL.map(PaperRelation::as_str).join(", ")
                )
            })
    }
}

impl FromStr for EntityRelation {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        EntityRelation::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown entity relation {s:?} (expected one of: {})",
                    EntityRelation::ALL.map(EntityRelation::as_str).join(", ")
                )
            })
    }
}

/// The rule that produced a relation; stored with its evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// The extractor marked the mention as coined by the paper.
    Coined,
    /// The title starts with the name and a colon ("LoRA: Low-Rank Adaptation of …").
    TitleName,
    /// "called X", "named X", "dubbed X".
    Named,
    /// "we propose / introduce / present X".
    WeProposes,
    /// "X, a novel …", "X, a new …".
    Novel,
    /// "using", "leverages", "applies", "relies on", "via" … before the name.
    UseCue,
    /// "fine-tune", "instruction-tune", "adapt" before the name.
    TuneCue,
    /// "train", "pre-train", "distil" before the name.
    TrainCue,
    /// "built on", "based on", "initialised from", "a fine-tuned" before the name.
    BasedOnCue,
    /// "evaluate", "benchmarks such as", "accuracy", "achieves" before a dataset.
    EvalCue,
    /// "on" / "across" before a dataset, in a clause about results.
    OnBenchmark,
    /// "on" / "across" before a dataset, in a clause about training or fine-tuning.
    OnTrainingData,
    /// "on" / "across" before a model or method ("experiments on Llama 2").
    OnModel,
    /// "outperforms", "compared with", "than", "baselines such as", "unlike" … before the name.
    CompareCue,
    /// "X-based".
    PostBased,
    /// "the X benchmark", "X dataset".
    PostBenchmark,
    /// "the X baseline".
    PostBaseline,
    /// No cue decided: a plain mention.
    NoCue,
    /// `variant_of` from the lexicon's family column.
    LexiconFamily,
    /// `based_on`: "Y, built on / fine-tuned from X" in one clause.
    BasedOnLink,
    /// `trained_on`: a model and "trained / fine-tuned … on" a dataset in one clause.
    TrainedOnLink,
    /// `evaluated_on`: a model and "achieves / evaluated / outperforms … on" a dataset in one
    /// clause.
    EvaluatedOnLink,
    /// `co_mentioned`: both names in one sentence.
    SameSentence,
}

impl Rule {
    /// The rule's name as stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Coined => "coined",
            Rule::TitleName => "title-name",
            Rule::Named => "named",
            Rule::WeProposes => "we-propose",
            Rule::Novel => "appositive-novel",
            Rule::UseCue => "use-cue",
            Rule::TuneCue => "tune-cue",
            Rule::TrainCue => "train-cue",
            Rule::BasedOnCue => "based-on-cue",
            Rule::EvalCue => "eval-cue",
            Rule::OnBenchmark => "on-benchmark",
            Rule::OnTrainingData => "on-training-data",
            Rule::OnModel => "on-model",
            Rule::CompareCue => "compare-cue",
            Rule::PostBased => "x-based",
            Rule::PostBenchmark => "x-benchmark",
            Rule::PostBaseline => "x-baseline",
            Rule::NoCue => "no-cue",
            Rule::LexiconFamily => "lexicon-family",
            Rule::BasedOnLink => "based-on",
            Rule::TrainedOnLink => "trained-on",
            Rule::EvaluatedOnLink => "evaluated-on",
            Rule::SameSentence => "same-sentence",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a relation was read: a sentence of the title or abstract, and the rule that fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Evidence {
    /// The field the sentence is in.
    pub field: Field,
    /// Character offset of the sentence's start in its field.
    pub char_start: usize,
    /// Character offset just past the sentence's end.
    pub char_end: usize,
    /// The rule that produced the relation.
    pub rule: Rule,
}

/// The paper → entity relation one mention supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MentionRelation {
    /// The relation.
    pub relation: PaperRelation,
    /// The mention's sentence and the rule.
    pub evidence: Evidence,
}

/// An entity → entity relation between two mentions of one paper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    /// Index of the source mention.
    pub source: usize,
    /// Index of the target mention.
    pub target: usize,
    /// The relation.
    pub relation: EntityRelation,
    /// The sentence naming both, and the rule.
    pub evidence: Evidence,
}

/// What [`analyse`] found in one paper.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Relations {
    /// One per mention, in the mentions' order.
    pub per_mention: Vec<MentionRelation>,
    /// Entity → entity relations, in text order.
    pub links: Vec<Link>,
}

impl Relations {
    /// Every mention a plain `mentions`, evidenced by its own span; no links. For callers
    /// without the paper's text.
    pub fn untyped(mentions: &[Mention]) -> Relations {
        Relations {
            per_mention: mentions
                .iter()
                .map(|m| MentionRelation {
                    relation: PaperRelation::Mentions,
                    evidence: own_span(m, Rule::NoCue),
                })
                .collect(),
            links: Vec::new(),
        }
    }
}

/// A mention's own span as evidence (when its sentence cannot be found).
fn own_span(m: &Mention, rule: Rule) -> Evidence {
    Evidence {
        field: m.field,
        char_start: m.char_start,
        char_end: m.char_start.saturating_add(m.char_len),
        rule,
    }
}

/// What a cue phrase says about the words after it (or, for some, before it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cue {
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

/// Most characters of other text (mentions and list separators aside) between a cue and
/// the name it applies to.
const MAX_GAP: usize = 48;
/// The same for "we propose" (only a few words: "a new model,").
const MAX_PROPOSE_GAP: usize = 40;
/// The same for "called" / "named" (a quote or two).
const MAX_NAME_GAP: usize = 3;
/// Models before an `on`-dataset that are linked to it.
const MAX_SUBJECTS: usize = 3;

/// One cue found in a field: byte span, kind, and what it says when it follows a name.
#[derive(Clone, Copy, Debug)]
struct CueAt {
    start: usize,
    end: usize,
    cue: Cue,
    post: Option<(PaperRelation, Rule, PostScope)>,
    /// "dataset(s)", "corpus", "corpora": a noun that does not override the clause's verb
    /// ("we use large corpora like Wikipedia").
    data_noun: bool,
    /// A participle not followed by a preposition ("pretrained LLMs such as X",
    /// "fine-tuned models"): unless a name follows directly, it is an adjective, which
    /// neither decides nor replaces the clause's cue.
    participle: bool,
}

/// Which entity types a cue after a name applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PostScope {
    Any,
    Datasets,
    ModelsAndMethods,
}

impl PostScope {
    fn admits(self, kind: EntityType) -> bool {
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
fn find_cues(text: &str, from: usize, to: usize) -> Vec<CueAt> {
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

/// A mention located in its field: index into the paper's mentions and byte span.
#[derive(Clone, Copy, Debug)]
struct Located {
    index: usize,
    start: usize,
    end: usize,
    kind: EntityType,
}

/// Finds how the paper relates to each mentioned entity, and the entities to each other.
///
/// `mentions` are the paper's mentions in any order, with byte offsets into `title` or
/// `abstract_text` (a mention whose offsets do not match its surface gets a plain
/// `mentions` relation evidenced by its own span). The result has one [`MentionRelation`]
/// per mention, in the same order.
///
/// # Complexity
/// O(n + m log m + Σ s²) for n bytes of text, m mentions and s mentions per sentence (the
/// same-sentence pairs); the sentences that name an entity are scanned once by one regex.
///
/// ```
/// use paperkg::extract::{EntityType, Field, Mention};
/// use paperkg::graph::relations::{analyse, PaperRelation};
/// let text = "Our method outperforms LoRA on MMLU.";
/// let mention = |name: &str, kind, at: usize| Mention {
///     name: name.into(), kind, family: None, surface: name.into(), field: Field::Abstract,
///     byte_start: at, char_start: at, char_len: name.len(), proposed: false,
/// };
/// let ms = [mention("LoRA", EntityType::Method, 23), mention("MMLU", EntityType::Dataset, 31)];
/// let r = analyse("", text, &ms);
/// assert_eq!(r.per_mention[0].relation, PaperRelation::ComparesWith);
/// assert_eq!(r.per_mention[1].relation, PaperRelation::EvaluatesOn);
/// ```
pub fn analyse(title: &str, abstract_text: &str, mentions: &[Mention]) -> Relations {
    let mut out = Relations::untyped(mentions);
    for (field, text) in [(Field::Title, title), (Field::Abstract, abstract_text)] {
        let mut located: Vec<Located> = mentions
            .iter()
            .enumerate()
            .filter(|(_, m)| m.field == field)
            .filter_map(|(index, m)| {
                let end = m.byte_start.checked_add(m.surface.len())?;
                (text.get(m.byte_start..end) == Some(m.surface.as_str())).then_some(Located {
                    index,
                    start: m.byte_start,
                    end,
                    kind: m.kind,
                })
            })
            .collect();
        if located.is_empty() {
            continue;
        }
        located.sort_by_key(|l| (l.start, l.end, l.index));
        let sentences = sentences::split(text);
        let mut fa = FieldAnalysis {
            field,
            text,
            mentions,
            out: &mut out,
        };
        let mut mi = 0;
        for s in &sentences {
            let m_from = mi;
            while mi < located.len() && located[mi].start < s.byte_end {
                mi += 1;
            }
            let in_sentence: Vec<&Located> = located[m_from..mi]
                .iter()
                .filter(|l| l.start >= s.byte_start)
                .collect();
            if in_sentence.is_empty() {
                continue;
            }
            // Cues inside a mention ("Evaluation Harness") are part of the name.
            let sentence_cues: Vec<CueAt> = find_cues(text, s.byte_start, s.byte_end)
                .into_iter()
                .filter(|c| {
                    !in_sentence
                        .iter()
                        .any(|l| c.start < l.end && l.start < c.end)
                })
                .collect();
            fa.sentence(s, &in_sentence, &sentence_cues);
        }
    }
    out
}

/// The state of [`analyse`] within one field.
struct FieldAnalysis<'a> {
    field: Field,
    text: &'a str,
    mentions: &'a [Mention],
    out: &'a mut Relations,
}

/// One event of a sentence, in text order.
#[derive(Clone, Copy, Debug)]
enum Event<'a> {
    Cue(CueAt),
    Mention(&'a Located),
}

impl FieldAnalysis<'_> {
    fn evidence(&self, s: &Sentence, rule: Rule) -> Evidence {
        Evidence {
            field: self.field,
            char_start: s.char_start,
            char_end: s.char_end,
            rule,
        }
    }

    /// Decides the relations of the mentions of one sentence.
    fn sentence(&mut self, s: &Sentence, located: &[&Located], cues: &[CueAt]) {
        // Events in text order; `located` is sorted by start, so mentions keep its order.
        let mut events: Vec<Event> = Vec::with_capacity(located.len() + cues.len());
        let (mut li, mut ci) = (0, 0);
        while li < located.len() || ci < cues.len() {
            let take_cue = match (located.get(li), cues.get(ci)) {
                (Some(l), Some(c)) => c.start < l.start,
                (None, Some(_)) => true,
                _ => false,
            };
            if take_cue {
                events.push(Event::Cue(cues[ci]));
                ci += 1;
            } else {
                events.push(Event::Mention(located[li]));
                li += 1;
            }
        }
        let post = self.post_cues(&events, located.len());

        // Clause state.
        let mut last: Option<CueAt> = None;
        let mut mention_bytes_since_cue = 0;
        let mut verb: Option<Cue> = None;
        let mut clause_subjects: Vec<&Located> = Vec::new();
        let mut subjects_at_cue: Vec<&Located> = Vec::new();
        let mut k = 0;
        for (i, &event) in events.iter().enumerate() {
            match event {
                Event::Cue(c) => match c.cue {
                    Cue::Break => {
                        last = None;
                        verb = None;
                        clause_subjects.clear();
                        subjects_at_cue.clear();
                    }
                    Cue::Novel | Cue::Based => {}
                    _ if c.participle && !name_follows(self.text, &c, &events[i + 1..]) => {}
                    // "we introduce a new benchmark, X", "we use corpora like X": the noun
                    // does not replace the verb.
                    _ if c.post.is_some() && last.is_some_and(|l| noun_keeps(l.cue, &c)) => {}
                    cue => {
                        if !c.data_noun
                            && matches!(
                                cue,
                                Cue::Propose
                                    | Cue::BasedOn
                                    | Cue::Compare
                                    | Cue::Eval
                                    | Cue::Tune
                                    | Cue::Train
                                    | Cue::Use
                            )
                        {
                            verb = Some(cue);
                        }
                        last = Some(c);
                        mention_bytes_since_cue = 0;
                        subjects_at_cue.clone_from(&clause_subjects);
                    }
                },
                Event::Mention(l) => {
                    let pre = last.filter(|c| self.cue_reaches(c, l, mention_bytes_since_cue));
                    self.decide(s, l, pre, verb, post[k]);
                    if let Some(c) = pre {
                        self.link(s, l, c, verb, &subjects_at_cue);
                    }
                    mention_bytes_since_cue += l.end - l.start;
                    if l.kind != EntityType::Dataset {
                        clause_subjects.push(l);
                    }
                    k += 1;
                }
            }
        }
        self.same_sentence(s, located);
    }

    /// Whether cue `c` still applies to mention `l`: few enough other characters between
    /// them (not counting the `mention_bytes` of names in between).
    fn cue_reaches(&self, c: &CueAt, l: &Located, mention_bytes: usize) -> bool {
        let gap = l.start.saturating_sub(c.end).saturating_sub(mention_bytes);
        match c.cue {
            Cue::Name => gap <= MAX_NAME_GAP && !part_of_longer_name(self.text, l.start, l.end),
            Cue::Propose => {
                gap <= MAX_PROPOSE_GAP
                    && propose_gap_ok(self.text.get(c.end..l.start).unwrap_or("to"))
                    && !part_of_longer_name(self.text, l.start, l.end)
            }
            _ => gap <= MAX_GAP,
        }
    }

    /// For each of the sentence's `n` mentions (in text order), the cue right after it, or
    /// after the list it ends, that says something: "LLaMA-based", "MMLU and GSM8K
    /// benchmarks".
    fn post_cues(
        &self,
        events: &[Event],
        n: usize,
    ) -> Vec<Option<(PaperRelation, Rule, PostScope)>> {
        let mut out = vec![None; n];
        // The mention ordinal of each event.
        let mut ordinal = Vec::with_capacity(events.len());
        let mut k = 0;
        for e in events {
            ordinal.push(k);
            if matches!(e, Event::Mention(_)) {
                k += 1;
            }
        }
        for (i, e) in events.iter().enumerate() {
            let Event::Cue(c) = e else { continue };
            let Some(post) = c.post else { continue };
            // Walk back over the list of names right before the cue.
            let mut boundary = c.start;
            for (j, prev) in events[..i].iter().enumerate().rev() {
                let Event::Mention(l) = prev else { break };
                let between = self.text.get(l.end..boundary).unwrap_or("x");
                let close = if boundary == c.start {
                    between.trim().is_empty()
                } else {
                    is_list_separator(between)
                };
                if !close {
                    break;
                }
                if let Some(slot) = out.get_mut(ordinal[j]) {
                    *slot = slot.or(Some(post));
                }
                boundary = l.start;
            }
        }
        out
    }

    /// Sets the paper → entity relation of one mention.
    fn decide(
        &mut self,
        s: &Sentence,
        l: &Located,
        pre: Option<CueAt>,
        verb: Option<Cue>,
        post: Option<(PaperRelation, Rule, PostScope)>,
    ) {
        let m = &self.mentions[l.index];
        let title_name = self.field == Field::Title
            && l.start == s.byte_start
            && self
                .text
                .get(l.end..)
                .is_some_and(|rest| rest.trim_start().starts_with(':'));
        let novel = post.filter(|p| p.1 == Rule::Novel);
        let decided = if m.proposed {
            Some((PaperRelation::Proposes, Rule::Coined))
        } else if title_name {
            Some((PaperRelation::Proposes, Rule::TitleName))
        } else if let Some((relation, rule, _)) = novel {
            Some((relation, rule))
        } else {
            pre.and_then(|c| pre_relation(c.cue, l.kind, verb))
                .or_else(|| {
                    post.filter(|p| p.2.admits(l.kind))
                        .map(|(relation, rule, _)| (relation, rule))
                })
        };
        let (relation, rule) = decided.unwrap_or((PaperRelation::Mentions, Rule::NoCue));
        self.out.per_mention[l.index] = MentionRelation {
            relation,
            evidence: self.evidence(s, rule),
        };
    }

    /// Adds the entity → entity relations a cue makes between `l` and the names before it
    /// in the clause.
    fn link(
        &mut self,
        s: &Sentence,
        l: &Located,
        c: CueAt,
        verb: Option<Cue>,
        subjects: &[&Located],
    ) {
        let key = |i: usize| (self.mentions[i].kind, name_key(&self.mentions[i].name));
        let same = |a: usize, b: usize| key(a) == key(b);
        match (c.cue, l.kind) {
            (Cue::BasedOn, EntityType::Model | EntityType::Method) => {
                if let Some(subject) = subjects
                    .iter()
                    .rev()
                    .find(|x| x.kind != EntityType::Dataset && !same(x.index, l.index))
                {
                    self.out.links.push(Link {
                        source: subject.index,
                        target: l.index,
                        relation: EntityRelation::BasedOn,
                        evidence: self.evidence(s, Rule::BasedOnLink),
                    });
                }
            }
            (Cue::On | Cue::Eval | Cue::Tune | Cue::Train, EntityType::Dataset) => {
                let training = matches!(verb, Some(Cue::Train | Cue::Tune));
                if c.cue == Cue::Eval && training {
                    return;
                }
                let (relation, rule) = if training {
                    (EntityRelation::TrainedOn, Rule::TrainedOnLink)
                } else {
                    (EntityRelation::EvaluatedOn, Rule::EvaluatedOnLink)
                };
                let models = subjects
                    .iter()
                    .rev()
                    .filter(|x| x.kind == EntityType::Model)
                    .take(MAX_SUBJECTS);
                let evidence = self.evidence(s, rule);
                for model in models {
                    self.out.links.push(Link {
                        source: model.index,
                        target: l.index,
                        relation,
                        evidence,
                    });
                }
            }
            _ => {}
        }
    }

    /// Adds a `co_mentioned` link for every pair of distinct entities named in the sentence.
    fn same_sentence(&mut self, s: &Sentence, located: &[&Located]) {
        let mut seen: BTreeSet<(EntityType, String)> = BTreeSet::new();
        let mut firsts: Vec<usize> = Vec::new();
        for l in located {
            let m = &self.mentions[l.index];
            if seen.insert((m.kind, name_key(&m.name))) {
                firsts.push(l.index);
            }
        }
        let evidence = self.evidence(s, Rule::SameSentence);
        for (i, &a) in firsts.iter().enumerate() {
            for &b in &firsts[i + 1..] {
                self.out.links.push(Link {
                    source: a,
                    target: b,
                    relation: EntityRelation::CoMentioned,
                    evidence,
                });
            }
        }
    }
}

/// The paper → entity relation a cue before a name gives, if any.
fn pre_relation(cue: Cue, kind: EntityType, verb: Option<Cue>) -> Option<(PaperRelation, Rule)> {
    let dataset = kind == EntityType::Dataset;
    Some(match cue {
        Cue::Name => (PaperRelation::Proposes, Rule::Named),
        Cue::Propose => (PaperRelation::Proposes, Rule::WeProposes),
        Cue::BasedOn => (PaperRelation::Uses, Rule::BasedOnCue),
        Cue::Use => (PaperRelation::Uses, Rule::UseCue),
        Cue::Tune => (PaperRelation::Uses, Rule::TuneCue),
        Cue::Train => (PaperRelation::Uses, Rule::TrainCue),
        Cue::Eval if dataset => (PaperRelation::EvaluatesOn, Rule::EvalCue),
        Cue::On if dataset && matches!(verb, Some(Cue::Train | Cue::Tune)) => {
            (PaperRelation::Uses, Rule::OnTrainingData)
        }
        Cue::On if dataset => (PaperRelation::EvaluatesOn, Rule::OnBenchmark),
        Cue::On => (PaperRelation::Uses, Rule::OnModel),
        Cue::Compare if !dataset => (PaperRelation::ComparesWith, Rule::CompareCue),
        _ => return None,
    })
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

/// Whether the next event after cue `c` is a name right after it (only spaces, an article
/// or "the" between): "fine-tuned Llama 2", "the pretrained BERT".
fn name_follows(text: &str, c: &CueAt, rest: &[Event]) -> bool {
    let Some(Event::Mention(l)) = rest.first() else {
        return false;
    };
    let between = text.get(c.end..l.start).unwrap_or("x").trim();
    between.is_empty() || matches!(between.to_ascii_lowercase().as_str(), "a" | "an" | "the")
}

/// Whether a noun cue ("benchmark", "corpora") leaves the clause's last cue in force.
fn noun_keeps(last: Cue, noun: &CueAt) -> bool {
    matches!(last, Cue::Propose | Cue::Name) || (noun.data_noun && last != Cue::Break)
}

/// Whether the name at `start..end` of `text` is only part of a longer name, which is what
/// a "we propose" would be about: "Me LLaMA", "Spike-Aware Adam", "LLaVA-KD", "BERT-style",
/// "LayerNorm Scaling".
fn part_of_longer_name(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).unwrap_or("");
    let after = text.get(end..).unwrap_or("");
    let mut after_chars = after.chars();
    let joined_after = match (after_chars.next(), after_chars.next()) {
        (Some('-'), Some(c)) => c.is_alphanumeric(),
        (Some(' '), Some(c)) => c.is_uppercase(),
        _ => false,
    };
    let prev_word = before
        .trim_end_matches(' ')
        .rsplit(' ')
        .next()
        .unwrap_or("");
    let joined_before = before.ends_with('-')
        || (before.ends_with(' ')
            && prev_word.chars().next().is_some_and(char::is_uppercase)
            && prev_word.chars().last().is_some_and(char::is_alphanumeric));
    joined_after || joined_before
}

/// Whether the words between "we propose" and a name leave the name as the thing
/// proposed: "we propose a new model, X" yes; "we propose a method to improve X" no.
fn propose_gap_ok(gap: &str) -> bool {
    const STOP: &[&str] = &[
        "to", "for", "that", "with", "by", "on", "in", "from", "than", "over", "against", "into",
        "and", "or", "using", "via", "of",
    ];
    !gap.split(|c: char| !c.is_alphanumeric())
        .any(|w| STOP.contains(&w.to_ascii_lowercase().as_str()))
}

/// Whether the text between two names is only a list separator: ",", "and", "or", "/", "&".
fn is_list_separator(between: &str) -> bool {
    let words: Vec<&str> = between
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '&'))
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [] => true,
        [w] => matches!(w.to_ascii_lowercase().as_str(), "and" | "or"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mentions for the given names, located at their first occurrence after the previous
    /// one in `text`. Types: `m:` model, `x:` method, `d:` dataset prefixes.
    fn mentions(field: Field, text: &str, names: &[&str]) -> Vec<Mention> {
        let mut from = 0;
        names
            .iter()
            .map(|spec| {
                let (kind, name) = match spec.split_once(':') {
                    Some(("m", n)) => (EntityType::Model, n),
                    Some(("x", n)) => (EntityType::Method, n),
                    Some(("d", n)) => (EntityType::Dataset, n),
                    _ => panic!("bad spec {spec}"),
                };
                let at = from + text[from..].find(name).expect("name in text");
                from = at + name.len();
                Mention {
                    name: name.into(),
                    kind,
                    family: None,
                    surface: name.into(),
                    field,
                    byte_start: at,
                    char_start: text[..at].chars().count(),
                    char_len: name.chars().count(),
                    proposed: false,
                }
            })
            .collect()
    }

    fn rels(text: &str, names: &[&str]) -> Vec<(PaperRelation, Rule)> {
        let ms = mentions(Field::Abstract, text, names);
        analyse("", text, &ms)
            .per_mention
            .iter()
            .map(|r| (r.relation, r.evidence.rule))
            .collect()
    }

    fn rel(text: &str, names: &[&str]) -> Vec<PaperRelation> {
        rels(text, names).into_iter().map(|r| r.0).collect()
    }

    fn links(text: &str, names: &[&str]) -> Vec<(String, EntityRelation, String)> {
        let ms = mentions(Field::Abstract, text, names);
        analyse("", text, &ms)
            .links
            .iter()
            .filter(|l| l.relation != EntityRelation::CoMentioned)
            .map(|l| {
                (
                    ms[l.source].name.clone(),
                    l.relation,
                    ms[l.target].name.clone(),
                )
            })
            .collect()
    }

    use PaperRelation::*;

    #[test]
    fn cue_pattern_compiles() {
        assert!(!find_cues("we propose", 0, 10).is_empty());
    }

    /// The cues found sentence by sentence are those of one scan over the whole field: no
    /// cue spans a sentence break, and `\b` sees past the range. Checked on the bundled
    /// corpus and the evaluation papers, and on breaks next to cue words.
    #[test]
    fn sentence_cues_agree_with_the_whole_field_scan() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let inputs = [
            root.join("data/samples"),
            root.join("data/eval/dev_papers.jsonl"),
            root.join("data/eval/classic_papers.jsonl"),
        ];
        let records = crate::ingest::Records::new(&inputs, Default::default());
        let mut texts: Vec<String> = Vec::new();
        for record in records.flatten() {
            texts.push(record.title);
            texts.push(record.abstract_text);
        }
        assert!(texts.len() > 1000, "{} fields", texts.len());
        texts.extend(
            [
                "Compared vs. BERT. On MMLU we use it; based on LoRA: a new",
                "It is trained on. C4 is used by; T5 is based\non GLUE.",
                "We propose. A model, a novel one! Fine-tuned from LLaMA? Yes",
                "X-based. Y is named. Z vs.W outperforms",
            ]
            .map(String::from),
        );
        let spans = |cues: &[CueAt]| -> Vec<(usize, usize, Cue)> {
            cues.iter().map(|c| (c.start, c.end, c.cue)).collect()
        };
        let mut compared = 0;
        for text in &texts {
            let whole = find_cues(text, 0, text.len());
            for s in sentences::split(text) {
                let expected: Vec<CueAt> = whole
                    .iter()
                    .filter(|c| (s.byte_start..s.byte_end).contains(&c.start))
                    .copied()
                    .collect();
                let found = find_cues(text, s.byte_start, s.byte_end);
                assert_eq!(spans(&found), spans(&expected), "{text}");
                compared += found.len();
            }
        }
        assert!(compared > 10_000, "{compared} cues");
    }

    #[test]
    fn proposes_rules() {
        assert_eq!(
            rel("We propose GaLore, a method.", &["x:GaLore"]),
            [Proposes]
        );
        assert_eq!(
            rel("We introduce a new benchmark, MMLU-Pro.", &["d:MMLU-Pro"]),
            [Proposes]
        );
        assert_eq!(
            rel("A framework called ProX cleans data.", &["x:ProX"]),
            [Proposes]
        );
        assert_eq!(rel("ProX, a novel framework.", &["x:ProX"]), [Proposes]);
        // Not proposed: the name is only part of the proposed name.
        for (text, name) in [
            ("This study introduces Me LLaMA, a medical LLM.", "m:LLaMA"),
            ("We propose Spike-Aware Adam with Momentum Reset.", "x:Adam"),
            ("We propose a novel LLaVA-KD framework.", "m:LLaVA"),
            ("We propose LayerNorm Scaling, which works.", "x:LayerNorm"),
        ] {
            assert_eq!(rel(text, &[name]), [Mentions], "{text}");
        }
        assert_eq!(
            rel(
                "We introduce Zhongjing, the first LLaMA-based LLM.",
                &["m:LLaMA"]
            ),
            [Uses]
        );
        // Not proposed: the name is what the proposed thing acts on.
        assert_eq!(
            rel("We propose a method to improve LoRA.", &["x:LoRA"]),
            [Mentions]
        );
        assert_eq!(
            rel("We present a study of GPT-4 failures.", &["m:GPT-4"]),
            [Mentions]
        );
        let title = "GaLore: Memory-Efficient LLM Training";
        let ms = mentions(Field::Title, title, &["x:GaLore"]);
        assert_eq!(analyse(title, "", &ms).per_mention[0].relation, Proposes);
        let title = "Fine-tuning GaLore: a study";
        let ms = mentions(Field::Title, title, &["x:GaLore"]);
        assert_ne!(analyse(title, "", &ms).per_mention[0].relation, Proposes);
        let mut ms = mentions(Field::Abstract, "Results for Foo.", &["m:Foo"]);
        ms[0].proposed = true;
        let r = analyse("", "Results for Foo.", &ms);
        assert_eq!(
            (r.per_mention[0].relation, r.per_mention[0].evidence.rule),
            (Proposes, Rule::Coined)
        );
    }

    #[test]
    fn uses_rules() {
        assert_eq!(
            rel("We fine-tune Llama 2 with LoRA.", &["m:Llama 2", "x:LoRA"]),
            [Uses, Uses]
        );
        assert_eq!(
            rel(
                "Using lightweight fine-tuning with Low-Rank Adaptation (LoRA), it works.",
                &["x:Low-Rank Adaptation", "x:LoRA"]
            ),
            [Uses, Uses]
        );
        assert_eq!(rel("We build on LLaVA.", &["m:LLaVA"]), [Uses]);
        assert_eq!(rel("A LLaMA-based chatbot.", &["m:LLaMA"]), [Uses]);
        assert_eq!(rel("We train on C4 data.", &["d:C4"]), [Uses]);
        assert_eq!(
            rel("We use large corpora like Wikipedia.", &["d:Wikipedia"]),
            [Uses]
        );
        // "used by" says someone else uses it.
        assert_eq!(
            rel("Tokens used by Llama 2 are many.", &["m:Llama 2"]),
            [Mentions]
        );
        // Too far from the cue.
        assert_eq!(
            rel(
                "Using a very long and winding description of many unrelated things, GPT-4 fails.",
                &["m:GPT-4"]
            ),
            [Mentions]
        );
    }

    #[test]
    fn evaluates_on_rules() {
        assert_eq!(
            rel(
                "We evaluate on MMLU, GSM8K and HumanEval.",
                &["d:MMLU", "d:GSM8K", "d:HumanEval"]
            ),
            [EvaluatesOn, EvaluatesOn, EvaluatesOn]
        );
        assert_eq!(
            rel("Results on the MMLU benchmark.", &["d:MMLU"]),
            [EvaluatesOn]
        );
        assert_eq!(
            rel("Widely used benchmarks such as MMLU.", &["d:MMLU"]),
            [EvaluatesOn]
        );
        assert_eq!(
            rel(
                "The MMLU and GSM8K benchmarks are hard.",
                &["d:MMLU", "d:GSM8K"]
            ),
            [EvaluatesOn, EvaluatesOn]
        );
        // A dataset after a comparison cue is not a baseline.
        assert_eq!(rel("It outperforms MMLU.", &["d:MMLU"]), [Mentions]);
        // Training data is used, not evaluated on.
        assert_eq!(
            rel("We pre-train Llama 2 on C4.", &["m:Llama 2", "d:C4"]),
            [Uses, Uses]
        );
    }

    #[test]
    fn compares_with_rules() {
        assert_eq!(
            rel(
                "It outperforms GPT-4, Claude and LoRA on MMLU.",
                &["m:GPT-4", "m:Claude", "x:LoRA", "d:MMLU"]
            ),
            [ComparesWith, ComparesWith, ComparesWith, EvaluatesOn]
        );
        assert_eq!(rel("Better than GPT-4.", &["m:GPT-4"]), [ComparesWith]);
        // "pretrained" describes the LLMs; it is not what the paper does to Llama 2.
        assert_eq!(
            rel(
                "It outperforms existing open-source pretrained LLMs, such as Llama 2.",
                &["m:Llama 2"]
            ),
            [ComparesWith]
        );
        assert_eq!(rel("On par with GPT-4.", &["m:GPT-4"]), [ComparesWith]);
        assert_eq!(
            rel("Strong baselines such as LoRA.", &["x:LoRA"]),
            [ComparesWith]
        );
        assert_eq!(
            rel("Against the LoRA baseline.", &["x:LoRA"]),
            [ComparesWith]
        );
        // A clause break stops the cue.
        assert_eq!(
            rel("It outperforms baselines, while GPT-4 fails.", &["m:GPT-4"]),
            [Mentions]
        );
    }

    #[test]
    fn plain_mentions_without_cue() {
        assert_eq!(
            rels("LLMs such as GPT-4 are popular.", &["m:GPT-4"]),
            [(Mentions, Rule::NoCue)]
        );
    }

    #[test]
    fn evidence_is_the_sentence() {
        let text = "First sentence here. Then we fine-tune Llama 2 (e.g. 7B). Last.";
        let ms = mentions(Field::Abstract, text, &["m:Llama 2"]);
        let r = analyse("", text, &ms);
        let e = r.per_mention[0].evidence;
        let s: String = text
            .chars()
            .skip(e.char_start)
            .take(e.char_end - e.char_start)
            .collect();
        assert_eq!(s, "Then we fine-tune Llama 2 (e.g. 7B).");
        assert_eq!(e.rule, Rule::TuneCue);
    }

    #[test]
    fn based_on_links() {
        assert_eq!(
            links(
                "Vicuna, an open chatbot fine-tuned from LLaMA, is strong.",
                &["m:Vicuna", "m:LLaMA"]
            ),
            [("Vicuna".into(), EntityRelation::BasedOn, "LLaMA".into())]
        );
        assert_eq!(
            links("MiniGPT is built on LLaVA.", &["m:MiniGPT", "m:LLaVA"]),
            [("MiniGPT".into(), EntityRelation::BasedOn, "LLaVA".into())]
        );
        assert_eq!(
            links("Our model Foo is a fine-tuned T5.", &["m:Foo", "m:T5"]),
            [("Foo".into(), EntityRelation::BasedOn, "T5".into())]
        );
        // No subject before the cue: no link.
        assert!(links("We build on LLaVA.", &["m:LLaVA"]).is_empty());
        // A clause break separates them.
        assert!(links(
            "GPT-4 is strong; ours is built on LLaVA.",
            &["m:GPT-4", "m:LLaVA"]
        )
        .is_empty());
    }

    #[test]
    fn trained_on_and_evaluated_on_links() {
        assert_eq!(
            links("We pre-train Llama 2 on C4.", &["m:Llama 2", "d:C4"]),
            [("Llama 2".into(), EntityRelation::TrainedOn, "C4".into())]
        );
        assert_eq!(
            links(
                "GPT-4 achieves 86% on MMLU and GSM8K.",
                &["m:GPT-4", "d:MMLU", "d:GSM8K"]
            ),
            [
                ("GPT-4".into(), EntityRelation::EvaluatedOn, "MMLU".into()),
                ("GPT-4".into(), EntityRelation::EvaluatedOn, "GSM8K".into())
            ]
        );
        // "corpus" does not turn training data into a benchmark.
        assert_eq!(
            links(
                "BERT pretrained on a general corpus (Google Books and Wikipedia) works.",
                &["m:BERT", "d:Google Books", "d:Wikipedia"]
            ),
            [
                (
                    "BERT".into(),
                    EntityRelation::TrainedOn,
                    "Google Books".into()
                ),
                ("BERT".into(), EntityRelation::TrainedOn, "Wikipedia".into())
            ]
        );
        // A participle with a preposition or a name after it is a verb.
        assert_eq!(
            links(
                "We fine-tuned Llama 2 on Alpaca.",
                &["m:Llama 2", "d:Alpaca"]
            ),
            [("Llama 2".into(), EntityRelation::TrainedOn, "Alpaca".into())]
        );
        assert_eq!(
            rel(
                "BERT, pre-trained on Wikipedia.",
                &["m:BERT", "d:Wikipedia"]
            ),
            [Mentions, Uses]
        );
        // Methods are not trained on datasets, and a break separates clauses.
        assert!(links("LoRA works on MMLU.", &["x:LoRA", "d:MMLU"]).is_empty());
        assert!(links("GPT-4 is big; we test on MMLU.", &["m:GPT-4", "d:MMLU"]).is_empty());
    }

    #[test]
    fn co_mentioned_pairs_are_per_sentence_and_distinct() {
        let text = "GPT-4 and LoRA and GPT-4 again. MMLU alone.";
        let ms = mentions(
            Field::Abstract,
            text,
            &["m:GPT-4", "x:LoRA", "m:GPT-4", "d:MMLU"],
        );
        let r = analyse("", text, &ms);
        let co: Vec<(usize, usize)> = r
            .links
            .iter()
            .filter(|l| l.relation == EntityRelation::CoMentioned)
            .map(|l| (l.source, l.target))
            .collect();
        assert_eq!(co, [(0, 1)]);
    }

    #[test]
    fn bad_offsets_and_odd_text_do_not_panic() {
        let mut ms = mentions(Field::Abstract, "Ünï GPT-4.", &["m:GPT-4"]);
        ms[0].byte_start = 2; // inside a character
        let r = analyse("", "Ünï GPT-4.", &ms);
        assert_eq!(r.per_mention[0].relation, Mentions);
        ms[0].byte_start = 999;
        let r = analyse("", "Ünï GPT-4.", &ms);
        assert_eq!(r.per_mention.len(), 1);
        assert!(analyse("", "", &[]).per_mention.is_empty());
    }

    #[test]
    fn relation_names_round_trip() {
        for r in PaperRelation::ALL {
            assert_eq!(r.as_str().parse::<PaperRelation>(), Ok(r));
        }
        for r in EntityRelation::ALL {
            assert_eq!(r.as_str().parse::<EntityRelation>(), Ok(r));
        }
        assert_eq!(
            "Based-On".parse::<EntityRelation>(),
            Ok(EntityRelation::BasedOn)
        );
        assert!("friend_of".parse::<EntityRelation>().is_err());
    }
}
