//! stub
use super::{Lexicon, Mention};
/// Scans text for lexicon entities.
pub struct Extractor;
impl Extractor {
    /// Compiles a lexicon.
    pub fn new(_lexicon: &Lexicon) -> Extractor { Extractor }
    /// Extracts mentions.
    pub fn extract(&self, _title: &str, _abstract_text: &str) -> Vec<Mention> { Vec::new() }
}
