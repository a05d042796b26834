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

/// Words that do not count against a long form being written like a name.
const MINOR: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "through",
    "to", "via", "with",
];

/// Finds every acronym definition in `text`.
///
/// # Complexity
/// O(n) scan for parentheses plus O(w·|A|) per parenthesis for w candidate words.
pub fn definitions(text: &str) -> Vec<Definition> {
    let mut out = Vec::new();
    for (open, inner) in parentheses(text) {
        let inner_text = &text[inner.clone()];
        if is_short_form(inner_text) {
            if let Some(long) = long_form_before(text, open, inner_text) {
                out.push(Definition {
                    short: inner,
                    named: is_named(&text[long.clone()]),
                    long,
                });
            }
        } else if inner_text.contains(' ') {
            // `ACR (Long Form)`: the word before the parenthesis is the short form.
            let before = text[..open].trim_end();
            // Past the separator, which may be more than one byte (U+0085, U+3000 …).
            let word_start = before
                .char_indices()
                .rev()
                .find(|&(_, c)| c.is_whitespace() || c == '(' || c == ',')
                .map_or(0, |(i, c)| i + c.len_utf8());
            let short = &before[word_start..];
            if is_short_form(short) && matches_letters(&short_letters(short), inner_text) {
                out.push(Definition {
                    short: word_start..word_start + short.len(),
                    long: inner,
                    named: is_named(inner_text),
                });
            }
        }
    }
    out
}

/// Every `(…)` holding no parenthesis and 1 to 120 characters besides the whitespace at
/// its ends: the byte offset of `(` and the byte range of the trimmed content, which is
/// never empty.
fn parentheses(text: &str) -> impl Iterator<Item = (usize, Range<usize>)> + '_ {
    let bytes = text.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        // `str::find` of one ASCII character is a fast byte search.
        while let Some(found) = text.get(from..)?.find('(') {
            let open = from + found;
            // The content runs to the next parenthesis; it must be a closing one. (Contents
            // do not overlap: the whole text is scanned once.)
            let rest = &bytes[open + 1..];
            let close = rest.iter().position(|&b| b == b'(' || b == b')');
            from = open + 1;
            let Some(close) = close.filter(|&c| rest[c] == b')') else {
                continue;
            };
            from = open + 1 + close + 1;
            let content = &text[open + 1..open + 1 + close];
            let trimmed = content.trim();
            if trimmed.is_empty() || trimmed.chars().nth(120).is_some() {
                continue;
            }
            let start = open + 1 + (content.len() - content.trim_start().len());
            return Some((open, start..start + trimmed.len()));
        }
        None
    })
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
    let letters = short_letters(short);
    let max_words = (letters.len() + 5).min(letters.len() * 2);
    let before = &text[..end];
    let trimmed_end = before.trim_end().len();
    // Scanning back from the parenthesis, stopping at sentence or clause punctuation and
    // after 401 characters that are not whitespace, each word start is a candidate, nearest
    // first.
    let mut seen = 0;
    let mut tried = 0;
    for (i, c) in before[..trimmed_end].char_indices().rev() {
        if c == '.' || c == ';' || c == ':' || c == '(' || c == ')' || c == '"' {
            if c == '.' && before[..i].ends_with(|p: char| p.is_ascii_digit()) {
                continue;
            }
            break;
        }
        if c.is_whitespace() {
            continue;
        }
        seen += 1;
        let word_start = i == 0
            || before[..i]
                .chars()
                .next_back()
                .is_some_and(|p| p.is_whitespace() || p == '"' || p == '(');
        if word_start {
            if tried == max_words {
                break;
            }
            tried += 1;
            let candidate = &before[i..trimmed_end];
            if matches_letters(&letters, candidate) {
                let candidate = candidate.trim_end_matches([',', ' ']);
                return Some(i..i + candidate.len());
            }
        }
        if seen > 400 {
            break;
        }
    }
    None
}

/// The letters and digits of a short form, lowercased: what its long form must spell.
fn short_letters(short: &str) -> Vec<char> {
    short
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether the short form's letters and digits `s` ([`short_letters`]) appear in order in
/// `long`, the first at the start of `long`'s first word, every word of `long` contributing
/// or being a minor word.
fn matches_letters(s: &[char], long: &str) -> bool {
    let spelled = if long.is_ascii() {
        matches_letters_ascii(s, long.as_bytes())
    } else {
        matches_letters_chars(s, long)
    };
    spelled && long.split_whitespace().count() <= s.len() * 2
}

/// [`matches_letters`] without its word count, character by character.
fn matches_letters_chars(s: &[char], long: &str) -> bool {
    let first = long.chars().flat_map(char::to_lowercase).next();
    if s.is_empty() || first.is_none() || first != s.first().copied() {
        return false;
    }
    // Schwartz–Hearst: match from the end, the first short char at a word start. `l` walks
    // the lowercased long form backwards; what it would yield next is the character before.
    let mut l = long
        .chars()
        .rev()
        .flat_map(|c| c.to_lowercase().rev())
        .peekable();
    for (si, &c) in s.iter().enumerate().rev() {
        loop {
            let Some(here) = l.next() else {
                return false;
            };
            let at_word_start = l.peek().is_none_or(|p| !p.is_alphanumeric());
            if here == c && (si > 0 || at_word_start) {
                break;
            }
        }
    }
    l.peek().is_none()
}

/// [`matches_letters`] of an ASCII long form, byte by byte (ASCII lowercases to one ASCII
/// character), without its word count.
fn matches_letters_ascii(s: &[char], long: &[u8]) -> bool {
    let first = long.first().map(|b| char::from(b.to_ascii_lowercase()));
    if s.is_empty() || first.is_none() || first != s.first().copied() {
        return false;
    }
    // `k` walks `long` backwards: the next byte to read is `long[k - 1]`.
    let mut k = long.len();
    for (si, &c) in s.iter().enumerate().rev() {
        loop {
            let Some(next) = k.checked_sub(1) else {
                return false;
            };
            k = next;
            let here = char::from(long[k].to_ascii_lowercase());
            let at_word_start = k == 0 || !long[k - 1].is_ascii_alphanumeric();
            if here == c && (si > 0 || at_word_start) {
                break;
            }
        }
    }
    k == 0
}

/// Whether a long form is written like a name: every word that is not a minor word starts
/// with a capital (a hyphenated word counts by its first part).
pub fn is_named(long: &str) -> bool {
    let mut content = 0;
    for word in long.split(|c: char| c.is_whitespace()) {
        let w = word.trim_matches(|c: char| !c.is_alphanumeric());
        // Only ASCII lowercases to a minor word (the Kelvin sign lowers to `k`, which none
        // has): compared in ASCII case, without allocating.
        if w.is_empty() || w.is_ascii() && MINOR.iter().any(|m| m.eq_ignore_ascii_case(w)) {
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

    /// The byte path spells as the character path on ASCII long forms.
    #[test]
    fn ascii_letters_agree_with_the_general_rule() {
        let shorts = ["RTS", "C-RTS", "HLLM", "MoE", "ProX", "KBs", "A2", "x"];
        let longs = [
            "",
            "Random Token Substitution",
            "Cluster-based Random Token Substitution",
            "Hierarchical Large Language Model",
            "Mixture-of-Experts",
            "Programming Every Example",
            "knowledge bases",
            "a 2-stage Approach",
            "x",
            " RTS ",
            "random-token substitution",
        ];
        for short in shorts {
            let s = short_letters(short);
            for long in longs {
                assert_eq!(
                    matches_letters_ascii(&s, long.as_bytes()),
                    matches_letters_chars(&s, long),
                    "{short} {long:?}"
                );
            }
        }
    }

    /// No character beyond ASCII lowercases into a piece of a minor word, so comparing
    /// ASCII words only is exact.
    #[test]
    fn only_ascii_words_lowercase_to_minor_words() {
        for c in (0x80..=0x10ffff).filter_map(char::from_u32) {
            let lower: String = c.to_lowercase().collect();
            if lower.is_ascii() {
                assert!(!MINOR.iter().any(|m| m.contains(&lower)), "{c:?}");
            }
        }
    }

    #[test]
    fn a_multibyte_separator_before_a_short_form_is_skipped_whole() {
        // Found by proptest: U+0085 (NEL) is whitespace of two bytes.
        let text = "SlimPajama. Sophia\u{85}SH (Sophia Harbour)";
        let found = definitions(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(&text[found[0].short.clone()], "SH");
        assert_eq!(&text[found[0].long.clone()], "Sophia Harbour");
        // And no panic on the exact input proptest shrank to.
        definitions("SlimPajamaDeepSeek-Coder-V2. SophiaH\\<\u{feff}A\u{1c5}\u{85}FLaj (x y)");
    }

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

    /// The hand-written scan finds exactly what the regex `\(\s*([^()]{1,120}?)\s*\)`
    /// finds (its trimmed capture), on text full of nesting, blanks and long contents.
    #[test]
    fn parentheses_agree_with_the_regex() {
        let regex = regex::Regex::new(r"\(\s*([^()]{1,120}?)\s*\)").unwrap();
        let long = "x".repeat(119);
        let pieces = [
            "(",
            ")",
            " ",
            "\u{2003}",
            "a",
            "é",
            "ab c",
            long.as_str(),
            "x",
            "()",
            "🙂",
        ];
        let mut texts = Vec::new();
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in pieces {
                        texts.push(format!("{a}{b}{c}{d}"));
                    }
                }
            }
        }
        for t in &texts {
            let want: Vec<(usize, Range<usize>)> = regex
                .captures_iter(t)
                .filter_map(|caps| {
                    let (whole, inner) = (caps.get(0)?, caps.get(1)?);
                    let trimmed = inner.as_str().trim();
                    let start = inner.start() + (inner.len() - inner.as_str().trim_start().len());
                    (!trimmed.is_empty()).then(|| (whole.start(), start..start + trimmed.len()))
                })
                .collect();
            let got: Vec<(usize, Range<usize>)> = parentheses(t).collect();
            assert_eq!(got, want, "{t:?}");
        }
    }
}
