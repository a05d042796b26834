//! [`analyse`]: one paper's relations, from a walk over the cues and mentions of each
//! sentence that names an entity, in text order, keeping a little clause state (the last
//! cue, the clause's verb, the models seen so far).
//!
//! This module decides relations; the cue phrases are found by `cues.rs`, the sentences
//! by [`super::super::sentences`].

use std::collections::BTreeSet;

use super::super::sentences::{self, Sentence};
use super::cues::{find_cues, Cue, CueAt, PostScope};
use super::{EntityRelation, Evidence, Link, MentionRelation, PaperRelation, Relations, Rule};
use crate::extract::{name_key, EntityType, Field, Mention};

/// Most characters of other text (mentions and list separators aside) between a cue and
/// the name it applies to.
const MAX_GAP: usize = 48;
/// The same for "we propose" (only a few words: "a new model,").
const MAX_PROPOSE_GAP: usize = 40;
/// The same for "called" / "named" (a quote or two).
const MAX_NAME_GAP: usize = 3;
/// Models before an `on`-dataset that are linked to it.
const MAX_SUBJECTS: usize = 3;

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
