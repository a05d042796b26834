//! The lexicon: known entities with their type, aliases and family.
//! (stub — being written)
use std::path::PathBuf;
use super::EntityType;

/// One known entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexiconEntry {
    /// Canonical display name.
    pub name: String,
    /// Type.
    pub kind: EntityType,
    /// Other surface forms.
    pub aliases: Vec<String>,
    /// Family (canonical name of the parent entry).
    pub parent: Option<String>,
}

/// A set of known entities.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    /// The entries.
    pub entries: Vec<LexiconEntry>,
}

/// A problem reading a lexicon file.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// A line that does not parse.
    #[error("{path}:{line}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}
