//! Per-paper limits applied between extraction and the graph: [`cap_entities`].
//!
//! A hostile or broken record (a megabyte "abstract" of coined names) can name tens of
//! thousands of distinct entities, and the graph's co-mention pairs grow with their square.
//! Capping keeps the first entities a paper names and drops the mentions of the rest; the
//! caller reports it. This module does not read input or decide the limit.

use std::collections::HashSet;

use crate::extract::{name_key, EntityType, Mention};

/// The default most entities kept per paper (`paperkg build --max-entities`).
pub const DEFAULT_MAX_ENTITIES: usize = 500;

/// Keeps the mentions of the first `max` distinct entities (by type and folded name, in
/// mention order: title first, then text order) and drops the others. `max == 0` keeps
/// everything.
///
/// Returns how many distinct entities the mentions named when that was more than `max`
/// (so the caller can say "812 entities, kept 500"), else `None`.
///
/// # Complexity
/// O(m) for m mentions (one name fold each).
///
/// ```
/// use paperkg::limits::cap_entities;
/// use paperkg::{Extractor, Lexicon};
///
/// let extractor = Extractor::new(&Lexicon::builtin());
/// let mut mentions = extractor.extract("BERT, LoRA and GLUE", "BERT again.");
/// assert_eq!(cap_entities(&mut mentions, 2), Some(3));
/// let names: Vec<&str> = mentions.iter().map(|m| m.name.as_str()).collect();
/// assert_eq!(names, ["BERT", "LoRA", "BERT"]);
/// ```
pub fn cap_entities(mentions: &mut Vec<Mention>, max: usize) -> Option<usize> {
    if max == 0 {
        return None;
    }
    let mut kept: HashSet<(EntityType, String)> = HashSet::new();
    let mut dropped: HashSet<(EntityType, String)> = HashSet::new();
    mentions.retain(|m| {
        let key = (m.kind, name_key(&m.name));
        if kept.contains(&key) {
            return true;
        }
        if kept.len() < max {
            kept.insert(key);
            return true;
        }
        dropped.insert(key);
        false
    });
    (!dropped.is_empty()).then(|| kept.len() + dropped.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Field;

    fn mention(name: &str, kind: EntityType, at: usize) -> Mention {
        Mention {
            name: name.into(),
            kind,
            family: None,
            surface: name.into(),
            field: Field::Abstract,
            byte_start: at,
            char_start: at,
            char_len: name.chars().count(),
            proposed: false,
        }
    }

    #[test]
    fn keeps_the_first_entities_and_all_their_mentions() {
        let mut m = vec![
            mention("A", EntityType::Model, 0),
            mention("B", EntityType::Model, 2),
            mention("a", EntityType::Model, 4),
            mention("A", EntityType::Dataset, 6),
            mention("C", EntityType::Model, 8),
            mention("B", EntityType::Model, 10),
        ];
        assert_eq!(cap_entities(&mut m, 2), Some(4));
        let kept: Vec<usize> = m.iter().map(|m| m.byte_start).collect();
        assert_eq!(kept, [0, 2, 4, 10]);
    }

    #[test]
    fn under_the_limit_or_zero_changes_nothing() {
        let original = vec![
            mention("A", EntityType::Model, 0),
            mention("B", EntityType::Method, 2),
        ];
        let mut m = original.clone();
        assert_eq!(cap_entities(&mut m, 2), None);
        assert_eq!(m, original);
        assert_eq!(cap_entities(&mut m, 0), None);
        assert_eq!(m, original);
    }
}
