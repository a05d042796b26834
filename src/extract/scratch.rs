//! Working memory for extraction, reused from paper to paper.
//!
//! [`Scratch`] holds the buffers one extraction needs (lexicon candidates, tokens and their
//! facts, name keys, occurrences). [`super::Extractor::extract_with`] clears and refills
//! them, so that after the first few papers extraction allocates little beyond its output.
//! Keep one per thread (for instance with rayon's `map_init`); nothing that changes a result
//! carries over from one paper to the next (only a memo of which words look like names).
//!
//! This module only owns the buffers; the matcher and the discovery rules use them.

use super::discover::Workspace;
use super::field::WordAt;
use super::matcher::Candidate;

/// Reusable buffers for [`super::Extractor::extract_with`]. Cheap to create; create one per
/// thread and reuse it.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    /// Lexicon matches of one field before overlap resolution.
    pub(super) candidates: Vec<Candidate>,
    /// Head nouns and verbs the lexicon's automaton found in the title and the abstract.
    pub(super) words: [Vec<WordAt>; 2],
    /// Discovery's buffers.
    pub(super) discovery: Workspace,
}

impl Scratch {
    /// Empty buffers; they grow to fit the papers seen.
    pub fn new() -> Scratch {
        Scratch::default()
    }
}
