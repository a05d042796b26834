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
//! This file holds the types of relations and evidence; `cues.rs` finds the cue phrases and
//! `analysis.rs` walks them with the mentions.
//!
//! This module does no I/O and resolves no entities: relations refer to mentions by index.

mod analysis;
mod cues;

use std::fmt;
use std::str::FromStr;

use crate::extract::{Field, Mention};

pub use analysis::analyse;

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

#[cfg(test)]
mod tests;
