//! Acronym definitions: `Long Form (ACR)` and `ACR (Long Form)`.
//!
//! Implements the Schwartz–Hearst rule: the short form's characters must appear, in order,
//! in the long form, its first character at the start of a word, and the long form is the
//! shortest such run of at most `min(|A| + 5, 2|A|)` words before the parenthesis. A
//! definition tells two things: that the long and short forms are one entity, and, through
//! the long form's case, whether that entity is named (`Random Token Substitution (RTS)`)
//! or a generic concept (`knowledge bases (KBs)`).
//!
//! This module finds definitions; it does not decide entity types.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// A short form defined in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    /// Byte range of the short form (`RTS`).
    pub short: Range<usize>,
    /// Byte range of the long form (`Random Token Substitution`).
    pub long: Range<usize>,
    /// Whether the long form is written like a name: its content words capitalised.
    pub named: bool,
}

/// `(…)` with no nested parentheses, up to 120 characters.
static PARENS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(\s*([^()]{1,120}?)\s*\)").expect("static regex"));

/// Words that do not count against a long form being written like a name.
const MINOR: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "through",
    "to", "via", "with",
];

/// Finds every acronym definition in `text`.
///
/// # Complexity
/// O(n) regex scan plus O(w·|A|) per parenthesis for w candidate words.
pub fn definitions(text: &str) -> Vec<Definition> {
    let mut out = Vec::new();
    for caps in PARENS.captures_iter(text) {
        let (Some(whole), Some(inner)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let inner_text = inner.as_str().trim();
        if is_short_form(inner_text) {
            if let Some(long) = long_form_before(text, whole.start(), inner_text) {
                out.push(Definition {
                    short: inner.start()..inner.start() + inner_text.len(),
                    named: is_named(&text[long.clone()]),
                    long,
                });
            }
        } else if inner_text.contains(' ') {
            // `ACR (Long Form)`: the word before the parenthesis is the short form.
            let before = text[..whole.start()].trim_end();
            let word_start = before
                .rfind(|c: char| c.is_whitespace() || c == '(' || c == ',')
                .map_or(0, |i| i + 1);
            let short = &before[word_start..];
            if is_short_form(short) && matches_letters(short, inner_text) {
                out.push(Definition {
                    short: word_start..word_start + short.len(),
                    long: inner.start()..inner.start() + inner_text.len(),
                    named: is_named(inner_text),
                });
            }
        }
    }
    out
}

/// A plausible short form: one word of 2–12 characters with at least two capitals, or a
/// capital and a digit, and no more than a third of its letters lowercase after the first.
pub fn is_short_form(s: &str) -> bool {
    let n = s.chars().count();
    if !(2..=12).contains(&n) || s.contains(char::is_whitespace) {
        return false;
    }
    if !s.chars().next().is_some_and(char::is_alphanumeric) {
        return false;
    }
    let upper = s.chars().filter(|c| c.is_uppercase()).count();
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    upper >= 2
        && letters > 0
        && s.chars()
            .all(|c| c.is_alphanumeric() || "-_.+&".contains(c))
}

/// The shortest run of words ending at `end` (a parenthesis) that spells `short`.
fn long_form_before(text: &str, end: usize, short: &str) -> Option<Range<usize>> {
    let letters: Vec<char> = short
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let max_words = (letters.len() + 5).min(letters.len() * 2);
    let before = &text[..end];
    let trimmed_end = before.trim_end().len();
    // Word starts, scanning back, stopping at sentence or clause punctuation.
    let mut starts = Vec::new();
    let mut in_word = false;
    for (i, c) in before[..trimmed_end].char_indices().rev() {
        if c == '.' || c == ';' || c == ':' || c == '(' || c == ')' || c == '"' {
            if c == '.' && before[..i].ends_with(|p: char| p.is_ascii_digit()) {
                continue;
            }
            break;
        }
        if c.is_whitespace() {
            if in_word {
                in_word = false;
            }
            continue;
        }
        if !in_word {
            in_word = true;
        }
        starts.push(i);
        if starts.len() > 400 {
            break;
        }
    }
    // `starts` holds every char index; keep those that begin a word.
    let word_starts: Vec<usize> = starts
        .into_iter()
        .filter(|&i| {
            i == 0
                || before[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|p| p.is_whitespace() || p == '"' || p == '(')
        })
        .take(max_words)
        .collect();
    for &start in &word_starts {
        let candidate = &before[start..trimmed_end];
        if matches_letters(short, candidate) {
            let candidate = candidate.trim_end_matches([',', ' ']);
            return Some(start..start + candidate.len());
        }
    }
    None
}

/// Whether `short`'s letters and digits appear in order in `long`, the first at the start
/// of `long`'s first word, every word of `long` contributing or being a minor word.
fn matches_letters(short: &str, long: &str) -> bool {
    let s: Vec<char> = short
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let l: Vec<char> = long.chars().flat_map(char::to_lowercase).collect();
    if s.is_empty() || l.is_empty() || l[0] != s[0] {
        return false;
    }
    // Schwartz–Hearst: match from the end, the first short char at a word start.
    let mut li = l.len();
    let mut si = s.len();
    while si > 0 {
        let c = s[si - 1];
        loop {
            if li == 0 {
                return false;
            }
            li -= 1;
            let at_word_start = li == 0 || !l[li - 1].is_alphanumeric();
            if l[li] == c && (si > 1 || at_word_start) {
                break;
            }
        }
        si -= 1;
    }
    li == 0 && long.split_whitespace().count() <= s.len() * 2
}

/// Whether a long form is written like a name: every word that is not a minor word starts
/// with a capital (a hyphenated word counts by its first part).
pub fn is_named(long: &str) -> bool {
    let mut content = 0;
    for word in long.split(|c: char| c.is_whitespace()) {
        let w = word.trim_matches(|c: char| !c.is_alphanumeric());
        if w.is_empty() || MINOR.contains(&w.to_lowercase().as_str()) {
            continue;
        }
        content += 1;
        if !w
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        {
            return false;
        }
    }
    content > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defs(text: &str) -> Vec<(&str, &str, bool)> {
        definitions(text)
            .into_iter()
            .map(|d| (&text[d.short], &text[d.long], d.named))
            .collect()
    }

    #[test]
    fn long_form_then_acronym() {
        assert_eq!(
            defs("namely Random Token Substitution (RTS), Cluster-based Random Token Substitution (C-RTS), and Swapped Language Modeling (SLM)."),
            vec![
                ("RTS", "Random Token Substitution", true),
                ("C-RTS", "Cluster-based Random Token Substitution", true),
                ("SLM", "Swapped Language Modeling", true),
            ]
        );
        assert_eq!(
            defs("we propose a novel Hierarchical Large Language Model (HLLM) architecture"),
            vec![("HLLM", "Hierarchical Large Language Model", true)]
        );
        assert_eq!(
            defs("our Compositional Image Retrieval through Vision-by-Language (CIReVL), a simple"),
            vec![(
                "CIReVL",
                "Compositional Image Retrieval through Vision-by-Language",
                true
            )]
        );
        assert_eq!(
            defs("We introduce Programming Every Example (ProX), a novel framework"),
            vec![("ProX", "Programming Every Example", true)]
        );
        assert_eq!(
            defs("Mixture-of-Experts (MoE) layers"),
            vec![("MoE", "Mixture-of-Experts", true)]
        );
    }

    #[test]
    fn generic_long_forms_are_not_named() {
        assert_eq!(
            defs("from explicit knowledge bases (KBs), which"),
            vec![("KBs", "knowledge bases", false)]
        );
        assert_eq!(
            defs("Pre-trained language models (PLMs) have become"),
            vec![("PLMs", "Pre-trained language models", false)]
        );
    }

    #[test]
    fn acronym_then_long_form() {
        assert_eq!(
            defs("we use LoRA (Low-Rank Adaptation) here"),
            vec![("LoRA", "Low-Rank Adaptation", true)]
        );
    }

    #[test]
    fn not_definitions() {
        assert!(defs("up to 7B (and beyond) parameters").is_empty());
        assert!(defs("results on FEVER (dev set), ASNQ").is_empty());
        assert!(defs("three obstacles: (O1) lack of evaluation").is_empty());
        assert!(defs("a model (GPT-4) is used").is_empty());
        assert!(defs("(").is_empty());
    }
}
