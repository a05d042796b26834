//! Finding the models, methods and datasets a paper names.
//!
//! [`Lexicon`] holds known entities (the built-in list in `data/lexicon.tsv` plus any user
//! files); [`Extractor`] compiles it once into Aho-Corasick automata and scans a paper's
//! title and abstract in a single pass, producing [`Mention`]s with character offsets.
//!
//! This module does not decide paper identity or build the graph.

mod acronym;
mod automaton;
mod context;
mod discover;
mod entities;
mod field;
mod keys;
mod lexicon;
mod matcher;
mod namelike;
mod scratch;
mod shape;
pub(crate) mod typing;

use std::fmt;
use std::str::FromStr;

pub use entities::{group_mentions, PaperEntity};
pub use lexicon::{CaseRule, Lexicon, LexiconEntry, LexiconError};
pub use matcher::Extractor;
pub use scratch::Scratch;

/// The kind of a named entity. Entities of different types are never merged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    /// A trained model or model family (GPT-4, LLaMA, BERT).
    Model,
    /// A technique, algorithm, objective, architecture or framework (LoRA, DPO, Adam).
    Method,
    /// A dataset, corpus or benchmark (C4, MMLU, ImageNet).
    Dataset,
}

impl EntityType {
    /// All types, in display order.
    pub const ALL: [EntityType; 3] = [EntityType::Model, EntityType::Method, EntityType::Dataset];

    /// The lowercase name used in files, SQL and JSON: `model`, `method` or `dataset`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Model => "model",
            EntityType::Method => "method",
            EntityType::Dataset => "dataset",
        }
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for EntityType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl FromStr for EntityType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "model" => Ok(EntityType::Model),
            "method" => Ok(EntityType::Method),
            "dataset" => Ok(EntityType::Dataset),
            other => Err(format!(
                "unknown entity type {other:?} (expected model, method or dataset)"
            )),
        }
    }
}

/// Which part of a paper a mention was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The title.
    Title,
    /// The abstract.
    Abstract,
}

impl Field {
    /// `title` or `abstract`.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Abstract => "abstract",
        }
    }
}

/// One occurrence of a named entity in a paper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// The entity's canonical display name (e.g. `Llama 2` for the surface `LLaMA-2`).
    pub name: String,
    /// The entity's type.
    pub kind: EntityType,
    /// The parent family's canonical name, if the entity is a version of a family.
    pub family: Option<String>,
    /// The text exactly as it appears in the paper.
    pub surface: String,
    /// The field the mention is in.
    pub field: Field,
    /// Byte offset of the mention's start within its field (always a char boundary).
    pub byte_start: usize,
    /// Character (Unicode scalar) offset of the mention's start within its field.
    pub char_start: usize,
    /// Length of the surface in characters.
    pub char_len: usize,
    /// The paper coins this name for its own contribution.
    pub proposed: bool,
}

/// Folds a name to its identity key: lowercase letters, digits and `+` only.
///
/// `LLaMA-2`, `Llama 2` and `llama2` share the key `llama2`; `CodeT5+` (`codet5+`) stays
/// apart from `CodeT5`.
pub fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    push_name_key(name, &mut out);
    out
}

/// Appends [`name_key`]`(name)` to `out`, so that a reused buffer spares the allocation.
pub(crate) fn push_name_key(name: &str, out: &mut String) {
    if name.is_ascii() {
        // The common case, byte by byte: the same letters, digits and `+`, lowercased.
        for b in name.bytes() {
            if b.is_ascii_alphanumeric() || b == b'+' {
                out.push(char::from(b.to_ascii_lowercase()));
            }
        }
        return;
    }
    for c in name.chars() {
        if c.is_alphanumeric() || c == '+' {
            // Filter the lowercase too: `İ` lowers to `i` + U+0307 (a combining mark).
            out.extend(
                c.to_lowercase()
                    .filter(|l| l.is_alphanumeric() || *l == '+'),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::name_key;

    #[test]
    fn name_key_is_idempotent_where_lowercase_adds_marks() {
        // Found by tests/properties.rs: name_key("İ") was "i\u{307}", whose key is "i".
        assert_eq!(name_key("İ"), "i");
        assert_eq!(name_key(&name_key("İstanbul-2")), name_key("İstanbul-2"));
        assert_eq!(name_key("LLaMA-2"), "llama2");
        assert_eq!(name_key("CodeT5+"), "codet5+");
    }
}
