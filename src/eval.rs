//! Scoring extracted entities against a gold standard.
//!
//! A faithful port of the reference scorer `data/eval/score.py` (a copy of the annotation
//! project's `score.py`): per paper, predictions are matched one-to-one to gold entities
//! when they share a folded key (lowercase ASCII letters and digits after NFKC), or, with
//! `lenient`, when one key's token sequence contains the other's. Optional gold entities are
//! neutral. "Typed" scores also require the same type. A test runs both scorers on the dev
//! set and compares their figures.
//!
//! This module does not extract anything; it compares two sets of annotations.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// One gold-standard paper.
#[derive(Clone, Debug, Deserialize)]
pub struct GoldPaper {
    /// The paper id, matched against the prediction's id (as a string).
    pub id: serde_json::Value,
    /// The title (informative only).
    #[serde(default)]
    pub title: String,
    /// The annotated entities.
    #[serde(default)]
    pub entities: Vec<AnnotatedEntity>,
}

/// An entity as annotated (gold) or predicted.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct AnnotatedEntity {
    /// Canonical name.
    #[serde(default)]
    pub name: String,
    /// `model`, `method` or `dataset`.
    #[serde(default, rename = "type")]
    pub kind: String,
    /// Surface forms as they appear in the text.
    #[serde(default)]
    pub mentions: Vec<String>,
    /// Gold only: neutral when matched, not required for recall.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    /// The paper coins this name for its own contribution.
    #[serde(default, skip_serializing_if = "is_false")]
    pub proposed: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Precision, recall and F1 with the counts behind them.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Score {
    /// Matched required gold / counted predictions.
    pub precision: f64,
    /// Matched required gold / required gold.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Required gold entities matched.
    pub tp: usize,
    /// Required gold entities.
    pub gold_required: usize,
    /// Predictions counted (all but those matched to optional gold).
    pub predicted_counted: usize,
    /// Required gold entities not matched: (paper id, name, type).
    #[serde(skip)]
    pub missed: Vec<(String, String, String)>,
    /// Predictions matched to nothing: (paper id, name, type).
    #[serde(skip)]
    pub spurious: Vec<(String, String, String)>,
}

/// A problem reading a gold or prediction file.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be read.
    #[error("{path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not the expected JSON.
    #[error("{path}: not a gold file (a JSON array of {{id, title, entities}})")]
    Json {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: serde_json::Error,
    },
}

/// Reads a gold file: a JSON array of papers.
pub fn load_gold(path: &Path) -> Result<Vec<GoldPaper>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| EvalError::Json {
        path: path.to_path_buf(),
        source,
    })
}

/// A paper id as the reference scorer sees it (`str(id)`).
pub fn id_string(id: &serde_json::Value) -> String {
    match id {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The scorer's key: NFKC, lowercase, then only ASCII digits and lowercase letters.
pub fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkc().flat_map(char::to_lowercase) {
        if c.is_ascii_digit() || c.is_ascii_lowercase() {
            out.push(c);
        }
    }
    out
}

/// The scorer's tokens: NFKC, lowercase, split on anything but ASCII digits and letters.
fn tokens(s: &str) -> Vec<String> {
    let folded: String = s.nfkc().flat_map(char::to_lowercase).collect();
    folded
        .split(|c: char| !(c.is_ascii_digit() || c.is_ascii_lowercase()))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn keys(e: &AnnotatedEntity) -> BTreeSet<String> {
    std::iter::once(&e.name)
        .chain(e.mentions.iter())
        .map(|s| key(s))
        .filter(|k| !k.is_empty())
        .collect()
}

fn token_seqs(e: &AnnotatedEntity) -> Vec<Vec<String>> {
    std::iter::once(&e.name)
        .chain(e.mentions.iter())
        .map(|s| tokens(s))
        .filter(|t| !t.is_empty())
        .collect()
}

fn contains(a: &[String], b: &[String]) -> bool {
    let n = b.len();
    n <= a.len() && (0..=a.len() - n).any(|i| a[i..i + n] == *b)
}

fn matches(p: &AnnotatedEntity, g: &AnnotatedEntity, lenient: bool) -> bool {
    if !keys(p).is_disjoint(&keys(g)) {
        return true;
    }
    if lenient {
        for a in token_seqs(p) {
            for b in token_seqs(g) {
                let short = if a.len() <= b.len() { &a } else { &b };
                let chars: usize = short.iter().map(|t| t.chars().count()).sum();
                if chars >= 2 && (contains(&a, &b) || contains(&b, &a)) {
                    return true;
                }
            }
        }
    }
    false
}

/// Scores predictions (paper id → entities) against gold, exactly as `score.py` does.
pub fn score(
    gold: &[GoldPaper],
    predicted: &HashMap<String, Vec<AnnotatedEntity>>,
    lenient: bool,
    typed: bool,
) -> Score {
    let empty = Vec::new();
    let (mut tp, mut required, mut counted) = (0, 0, 0);
    let mut missed = Vec::new();
    let mut spurious = Vec::new();
    for doc in gold {
        let id = id_string(&doc.id);
        let g = &doc.entities;
        let p = predicted.get(&id).unwrap_or(&empty);
        let mut used = vec![false; p.len()];
        let mut matched_to: Vec<Option<usize>> = vec![None; p.len()];
        // Required gold first (a stable sort, as in Python), so a prediction is credited to
        // a required entity when it can be.
        let mut order: Vec<usize> = (0..g.len()).collect();
        order.sort_by_key(|&i| g[i].optional);
        for gi in order {
            for (pi, pe) in p.iter().enumerate() {
                if used[pi] || (typed && pe.kind != g[gi].kind) {
                    continue;
                }
                if matches(pe, &g[gi], lenient) {
                    used[pi] = true;
                    matched_to[pi] = Some(gi);
                    break;
                }
            }
        }
        for (gi, ge) in g.iter().enumerate() {
            if ge.optional {
                continue;
            }
            required += 1;
            if matched_to.contains(&Some(gi)) {
                tp += 1;
            } else {
                missed.push((id.clone(), ge.name.clone(), ge.kind.clone()));
            }
        }
        for (pi, pe) in p.iter().enumerate() {
            match matched_to[pi] {
                Some(gi) if g[gi].optional => {}
                Some(_) => counted += 1,
                None => {
                    counted += 1;
                    spurious.push((id.clone(), pe.name.clone(), pe.kind.clone()));
                }
            }
        }
    }
    let recall = ratio(tp, required);
    let precision = ratio(tp, counted);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Score {
        precision: round4(precision),
        recall: round4(recall),
        f1: round4(f1),
        tp,
        gold_required: required,
        predicted_counted: counted,
        missed,
        spurious,
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ent(name: &str, kind: &str, mentions: &[&str]) -> AnnotatedEntity {
        AnnotatedEntity {
            name: name.into(),
            kind: kind.into(),
            mentions: mentions.iter().map(|m| m.to_string()).collect(),
            ..AnnotatedEntity::default()
        }
    }

    fn gold(entities: Vec<AnnotatedEntity>) -> Vec<GoldPaper> {
        vec![GoldPaper {
            id: serde_json::json!("p1"),
            title: String::new(),
            entities,
        }]
    }

    #[test]
    fn key_folds_like_the_reference() {
        assert_eq!(key("LLaMA-2"), "llama2");
        assert_eq!(key("Llama 2"), "llama2");
        assert_eq!(key("ＧＰＴ－４"), "gpt4");
        assert_eq!(key("Ünï"), "n");
    }

    #[test]
    fn optional_gold_is_neutral_and_types_matter_when_typed() {
        let mut opt = ent("Transformer", "method", &[]);
        opt.optional = true;
        let g = gold(vec![ent("LoRA", "method", &["Low-Rank Adaptation"]), opt]);
        let pred = HashMap::from([(
            "p1".to_string(),
            vec![
                ent("low-rank adaptation", "model", &[]),
                ent("Transformer", "method", &[]),
                ent("BERT", "model", &[]),
            ],
        )]);
        let s = score(&g, &pred, false, false);
        assert_eq!((s.tp, s.gold_required, s.predicted_counted), (1, 1, 2));
        assert_eq!(s.precision, 0.5);
        assert_eq!(
            s.spurious,
            vec![("p1".into(), "BERT".into(), "model".into())]
        );
        let t = score(&g, &pred, false, true);
        assert_eq!(t.tp, 0);
        assert_eq!(t.missed.len(), 1);
    }

    #[test]
    fn lenient_matches_contained_token_sequences() {
        let g = gold(vec![ent("CNN/DailyMail cloze test", "dataset", &[])]);
        let pred = HashMap::from([("p1".to_string(), vec![ent("CNN/DailyMail", "dataset", &[])])]);
        assert_eq!(score(&g, &pred, false, false).tp, 0);
        assert_eq!(score(&g, &pred, true, false).tp, 1);
    }

    #[test]
    fn a_prediction_matches_one_gold_entity_only() {
        let g = gold(vec![ent("GPT-4", "model", &[]), ent("GPT 4", "model", &[])]);
        let pred = HashMap::from([("p1".to_string(), vec![ent("gpt4", "model", &[])])]);
        let s = score(&g, &pred, false, false);
        assert_eq!((s.tp, s.gold_required), (1, 2));
    }
}
