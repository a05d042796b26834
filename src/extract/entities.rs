//! Grouping a paper's mentions into entities, the shape `paperkg extract` prints and the
//! reference scorer reads: one entry per distinct entity with every surface form.
//!
//! This module does not find mentions; it only folds them per paper.

use serde::Serialize;

use super::{name_key, EntityType, Mention};

/// One distinct entity named in one paper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PaperEntity {
    /// Canonical display name.
    pub name: String,
    /// Type.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Every distinct surface form, in order of first appearance.
    pub mentions: Vec<String>,
    /// The paper coins this name.
    pub proposed: bool,
}

/// Folds mentions into one [`PaperEntity`] per type and name, in order of first mention.
///
/// Sizes of one model (`LLaMA2 7B`, `LLaMA2 70B`) are separate entities in the graph, linked
/// to their family; here they fold into the family when the paper names the family too, as
/// an annotator would list them.
pub fn group_mentions(mentions: &[Mention]) -> Vec<PaperEntity> {
    let mut out: Vec<PaperEntity> = Vec::new();
    let mut keys: Vec<(EntityType, String)> = Vec::new();
    let named: Vec<(EntityType, String)> = mentions
        .iter()
        .map(|m| (m.kind, name_key(&m.name)))
        .collect();
    for m in mentions {
        let own = (m.kind, name_key(&m.name));
        let key = match &m.family {
            Some(family) if named.contains(&(m.kind, name_key(family))) && is_size_variant(m) => {
                (m.kind, name_key(family))
            }
            _ => own,
        };
        match keys.iter().position(|k| *k == key) {
            Some(i) => {
                let e = &mut out[i];
                if !e.mentions.contains(&m.surface) {
                    e.mentions.push(m.surface.clone());
                }
                e.proposed |= m.proposed;
            }
            None => {
                keys.push(key.clone());
                let name = if key.1 == name_key(&m.name) {
                    m.name.clone()
                } else {
                    m.family.clone().unwrap_or_else(|| m.name.clone())
                };
                out.push(PaperEntity {
                    name,
                    kind: m.kind,
                    mentions: vec![m.surface.clone()],
                    proposed: m.proposed,
                });
            }
        }
    }
    out
}

/// Whether a mention names a size or checkpoint of its family (`Llama 3-8B`, `LLaMA2 70B`,
/// `BERT-large`, `Mistral-7B-Instruct`) or a dataset's yearly edition (`COCO 2015`) rather
/// than a new version or model (`Llama 3.1`, `GPT-4o`, `Qwen-R1`, `SQuAD v2.0`): what
/// follows the family's name is only sizes, checkpoint tags or a year.
fn is_size_variant(m: &Mention) -> bool {
    const TAGS: &[&str] = &[
        "base", "chat", "hf", "instruct", "it", "large", "medium", "small", "tiny", "xl", "xxl",
    ];
    let Some(family) = &m.family else {
        return false;
    };
    let lower = m.name.to_lowercase();
    let family = family.to_lowercase();
    let Some(rest) = lower.strip_prefix(family.as_str()) else {
        return false;
    };
    let parts: Vec<&str> = rest
        .split(['-', ' ', '_'])
        .filter(|p| !p.is_empty())
        .collect();
    let is_year = |p: &str| {
        p.len() == 4
            && (p.starts_with("19") || p.starts_with("20"))
            && p.chars().all(|c| c.is_ascii_digit())
    };
    !parts.is_empty()
        && parts.iter().all(|p| {
            TAGS.contains(p)
                || crate::extract::typing::has_size(&format!("-{p}"))
                || m.kind == EntityType::Dataset && is_year(p)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Field;

    fn m(name: &str, family: Option<&str>, surface: &str) -> Mention {
        Mention {
            name: name.into(),
            kind: EntityType::Model,
            family: family.map(str::to_string),
            surface: surface.into(),
            field: Field::Abstract,
            byte_start: 0,
            char_start: 0,
            char_len: surface.len(),
            proposed: false,
        }
    }

    #[test]
    fn surfaces_of_one_entity_fold_together() {
        let got = group_mentions(&[
            m("Llama 2", Some("LLaMA"), "LLaMA-2"),
            m("GPT-4", None, "GPT-4"),
            m("Llama 2", Some("LLaMA"), "Llama 2"),
            m("Llama 2", Some("LLaMA"), "LLaMA-2"),
        ]);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].name, "Llama 2");
        assert_eq!(got[0].mentions, vec!["LLaMA-2", "Llama 2"]);
    }

    #[test]
    fn sizes_fold_into_a_named_family_only() {
        let got = group_mentions(&[
            m("Llama 2", Some("LLaMA"), "LLaMA2"),
            m("Llama 2 7B", Some("Llama 2"), "LLaMA2 7B"),
            m("Llama 2 70B", Some("Llama 2"), "LLaMA2 70B"),
        ]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].mentions, vec!["LLaMA2", "LLaMA2 7B", "LLaMA2 70B"]);
        // A size alone stays itself; a version is never folded into its family.
        let got = group_mentions(&[m("Vicuna-13B", Some("Vicuna"), "Vicuna-13B")]);
        assert_eq!(got[0].name, "Vicuna-13B");
        let got = group_mentions(&[
            m("Llama 3", Some("LLaMA"), "Llama 3"),
            m("LLaMA", None, "LLaMA"),
        ]);
        assert_eq!(got.len(), 2);
        let got = group_mentions(&[
            m("BERT", None, "BERT"),
            m("BERT-LARGE", Some("BERT"), "BERT_LARGE"),
            m("BERT-large", Some("BERT"), "BERT-large"),
            m("GPT-4", None, "GPT-4"),
            m("GPT-4o", Some("GPT-4"), "GPT-4o"),
        ]);
        let names: Vec<&str> = got.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["BERT", "GPT-4", "GPT-4o"]);
        let mut coco = m("COCO", None, "COCO");
        coco.kind = EntityType::Dataset;
        let mut coco15 = m("COCO 2015", Some("COCO"), "COCO 2015");
        coco15.kind = EntityType::Dataset;
        let mut squad2 = m("SQuAD v2.0", Some("SQuAD"), "SQuAD v2.0");
        squad2.kind = EntityType::Dataset;
        let mut squad = m("SQuAD", None, "SQuAD");
        squad.kind = EntityType::Dataset;
        let got = group_mentions(&[coco, coco15, squad, squad2]);
        let names: Vec<&str> = got.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["COCO", "SQuAD", "SQuAD v2.0"]);
    }

    #[test]
    fn types_stay_apart() {
        let mut d = m("Pile", None, "Pile");
        d.kind = EntityType::Dataset;
        let got = group_mentions(&[m("Pile", None, "Pile"), d]);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn serializes_like_the_gold_file() {
        let got = group_mentions(&[m("GPT-4", None, "GPT4")]);
        let json = serde_json::to_string(&got[0]).unwrap();
        assert_eq!(
            json,
            r#"{"name":"GPT-4","type":"model","mentions":["GPT4"],"proposed":false}"#
        );
    }
}
