//! Name resolution: which entity a user means by a name, and the closest names when none
//! matches.
//!
//! [`Store::resolve`] tries, in order of preference: the canonical name exactly, an alias
//! exactly, the name or an alias in any case (indexed `COLLATE NOCASE`), and the folded
//! name key (`Llama-2`, `llama2`, `LLaMA 2` all fold to `llama2`; indexed). Among several
//! matches of the same quality, the entity named by the most papers wins; the others are
//! reported so the caller can say so. When nothing matches, [`suggest`] ranks every alias
//! by edit distance ([`edit_distance`]) and containment, and the error carries the best
//! few names.
//!
//! This module does not decide what counts as the same entity at build time (see
//! [`crate::extract::name_key`]); it only looks names up.

use std::cmp::Reverse;

use serde::Serialize;

use super::{entity_row, EntityRow, Store, StoreError, ENTITY_COLUMNS};
use crate::extract::{name_key, EntityType};

/// Most suggestions offered for a name that matches nothing.
pub const MAX_SUGGESTIONS: usize = 5;

/// The entity a name resolved to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Resolved {
    /// The entity chosen.
    pub entity: EntityRow,
    /// The alias that matched.
    pub matched: String,
    /// Other entities the name also matches (another type, or a weaker match), best first.
    pub others: Vec<EntityRow>,
}

/// How well an alias matched (smaller is better).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Quality {
    ExactName,
    ExactAlias,
    CaseName,
    CaseAlias,
    Folded,
}

impl Store {
    /// Resolves `name` to an entity, optionally only of type `kind`.
    ///
    /// Fails with [`StoreError::UnknownName`] (carrying suggestions) when nothing matches,
    /// including for an empty name or one of punctuation only.
    ///
    /// # Complexity
    /// Two index look-ups; on failure, one scan of the aliases (see [`suggest`]).
    pub fn resolve(&self, name: &str, kind: Option<EntityType>) -> Result<Resolved, StoreError> {
        let wanted = name.trim();
        let mut found: Vec<(Quality, EntityRow, String)> = Vec::new();
        if !wanted.is_empty() {
            let sql = format!(
                "SELECT {ENTITY_COLUMNS}, a.alias FROM aliases a JOIN entities e ON e.id = a.entity_id \
                 WHERE a.alias = ?1 COLLATE NOCASE"
            );
            for (e, alias) in self.rows(&sql, [wanted], entity_alias_row)? {
                let q = match (alias == e.name, alias == wanted) {
                    (true, true) => Quality::ExactName,
                    (false, true) => Quality::ExactAlias,
                    (true, false) => Quality::CaseName,
                    (false, false) => Quality::CaseAlias,
                };
                found.push((q, e, alias));
            }
        }
        let key = name_key(wanted);
        if !key.is_empty() {
            let sql = format!(
                "SELECT {ENTITY_COLUMNS}, a.alias FROM aliases a JOIN entities e ON e.id = a.entity_id \
                 WHERE a.key = ?1"
            );
            for (e, alias) in self.rows(&sql, [&key], entity_alias_row)? {
                found.push((Quality::Folded, e, alias));
            }
        }
        found.retain(|(_, e, _)| kind.is_none_or(|k| e.kind == k));
        found.sort_by(|a, b| {
            (a.0, Reverse(a.1.papers), a.1.id, &a.2).cmp(&(b.0, Reverse(b.1.papers), b.1.id, &b.2))
        });
        let mut seen = Vec::new();
        found.retain(|(_, e, _)| {
            if seen.contains(&e.id) {
                false
            } else {
                seen.push(e.id);
                true
            }
        });
        let mut found = found.into_iter();
        let Some((_, entity, matched)) = found.next() else {
            return Err(StoreError::UnknownName {
                name: wanted.to_string(),
                suggestions: self.suggest(wanted, kind)?,
            });
        };
        Ok(Resolved {
            entity,
            matched,
            others: found.map(|(_, e, _)| e).collect(),
        })
    }

    /// The canonical names closest to `name`, best first, at most [`MAX_SUGGESTIONS`].
    /// See [`suggest`].
    pub fn suggest(&self, name: &str, kind: Option<EntityType>) -> Result<Vec<String>, StoreError> {
        let sql = format!(
            "SELECT {ENTITY_COLUMNS}, a.alias FROM aliases a JOIN entities e ON e.id = a.entity_id"
        );
        let rows = self.rows(&sql, [], entity_alias_row)?;
        let candidates = rows
            .iter()
            .filter(|(e, _)| kind.is_none_or(|k| e.kind == k))
            .map(|(e, alias)| (alias.as_str(), e.name.as_str(), e.papers));
        Ok(suggest(name, candidates))
    }
}

/// Reads an entity and the alias column after it.
fn entity_alias_row(
    r: &rusqlite::Row<'_>,
) -> rusqlite::Result<Result<(EntityRow, String), String>> {
    let alias: String = r.get(7)?;
    Ok(entity_row(r)?.map(|e| (e, alias)))
}

/// Ranks `candidates` (alias, canonical name, papers) by closeness to `name` and returns
/// the best distinct canonical names, at most [`MAX_SUGGESTIONS`].
///
/// A candidate qualifies when its alias is within edit distance max(1, len/3) of `name`
/// (case-insensitively), or when one contains the other (for names of 3+ characters).
/// Closer first, then more papers, then by name.
///
/// # Complexity
/// O(c · n · m) for c candidates of length m and a name of length n (both capped at 64
/// characters); candidates whose length differs too much are skipped without comparing.
pub fn suggest<'a>(
    name: &str,
    candidates: impl Iterator<Item = (&'a str, &'a str, usize)>,
) -> Vec<String> {
    let query: Vec<char> = name.trim().to_lowercase().chars().take(64).collect();
    if query.is_empty() {
        return Vec::new();
    }
    let query_str: String = query.iter().collect();
    let limit = (query.len() / 3).max(1);
    let mut scored: Vec<(usize, Reverse<usize>, &str)> = Vec::new();
    for (alias, canonical, papers) in candidates {
        let lower: Vec<char> = alias.to_lowercase().chars().take(64).collect();
        let contains = query.len() >= 3
            && lower.len() >= 3
            && (lower.iter().collect::<String>().contains(&query_str)
                || query_str.contains(&lower.iter().collect::<String>()));
        let score = if lower.len().abs_diff(query.len()) <= limit {
            let d = edit_distance(&query, &lower);
            (d <= limit).then_some(d)
        } else {
            None
        };
        let score = match (score, contains) {
            (Some(d), _) => d,
            (None, true) => limit + 1,
            (None, false) => continue,
        };
        scored.push((score, Reverse(papers), canonical));
    }
    scored.sort();
    let mut out: Vec<String> = Vec::new();
    for (_, _, canonical) in scored {
        if !out.iter().any(|c| c == canonical) {
            out.push(canonical.to_string());
            if out.len() == MAX_SUGGESTIONS {
                break;
            }
        }
    }
    out
}

/// Levenshtein distance between two character sequences (insertions, deletions and
/// substitutions cost 1).
///
/// # Complexity
/// O(n · m) time, O(m) space.
///
/// ```
/// use paperkg::store::resolve::edit_distance;
/// let chars = |s: &str| s.chars().collect::<Vec<_>>();
/// assert_eq!(edit_distance(&chars("lorra"), &chars("lora")), 1);
/// assert_eq!(edit_distance(&chars("gpt4"), &chars("gpt-4o")), 2);
/// ```
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            cur[j + 1] = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance(&chars(""), &chars("abc")), 3);
        assert_eq!(edit_distance(&chars("abc"), &chars("")), 3);
        assert_eq!(edit_distance(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(edit_distance(&chars("Ünï"), &chars("Uni")), 2);
        assert_eq!(edit_distance(&chars("same"), &chars("same")), 0);
    }

    #[test]
    fn suggestions_rank_close_and_containing_names() {
        let cands = [
            ("LoRA", "LoRA", 18),
            ("Low-Rank Adaptation", "LoRA", 18),
            ("QLoRA", "QLoRA", 3),
            ("LongLoRA", "LongLoRA", 2),
            ("GPT-4", "GPT-4", 28),
            ("MMLU", "MMLU", 11),
        ];
        let s = suggest("lorra", cands.iter().copied());
        assert_eq!(s.first().map(String::as_str), Some("LoRA"));
        assert!(!s.contains(&"GPT-4".to_string()), "{s:?}");
        let s = suggest("lora", cands.iter().copied());
        assert_eq!(s, ["LoRA", "QLoRA", "LongLoRA"]);
        assert!(suggest("", cands.iter().copied()).is_empty());
        assert!(suggest("zzzzzzzz", cands.iter().copied()).is_empty());
        // Odd characters are just characters.
        assert!(suggest("💥'; DROP TABLE x;--", cands.iter().copied()).is_empty());
    }
}
