//! Whether a single word looks like a name by itself, before any context is read: a strong
//! shape (`LangCell`, `LRPE`, `CodeGen2`, `bipolar-INT`) that is not a generic term, an
//! adjective made from a name (`LLaMA-based`), a compound of capitalised words
//! (`Zero-Shot`), a word and a number (`Top-2`), a quantity or LaTeX glue.
//!
//! This module judges words one at a time; it does not tokenize nor read context.

use super::shape::{is_generic, is_one_of, shape, singular, Shape};

/// Hyphenated suffixes that make a name an adjective: `LLaMA-based`, `GPU-intensive`.
const ADJECTIVE_SUFFIXES: &[&str] = &[
    "agnostic",
    "aligned",
    "augmented",
    "aware",
    "based",
    "bound",
    "centric",
    "compatible",
    "conditioned",
    "dependent",
    "driven",
    "enhanced",
    "equivalent",
    "free",
    "friendly",
    "generated",
    "grade",
    "grounded",
    "guided",
    "hour",
    "hours",
    "independent",
    "intensive",
    "level",
    "like",
    "native",
    "only",
    "oriented",
    "powered",
    "ready",
    "related",
    "scale",
    "size",
    "sized",
    "specific",
    "style",
    "trained",
    "tuned",
    "wise",
];

/// LaTeX command names glued into words by text extraction (`EnglishrightarrowGerman`).
const LATEX_GLUE: &[&str] = &[
    "rightarrow",
    "leftarrow",
    "textit",
    "textbf",
    "mathbf",
    "mathcal",
    "times",
    "cdot",
    "approx",
];

/// Whether a single word looks like a name by itself: a strong shape ([`Shape::is_strong`])
/// that is not a generic term, an adjective (`LLaMA-based`), a capitalised compound
/// (`Zero-Shot`), a word and a number (`Top-2`), a two-letter code, a quantity (`8-GPU`,
/// `12.5Hz`, `54%`), all lowercase (`kaplan2020scaling`, a citation key) or LaTeX glue.
pub fn is_namelike(word: &str) -> bool {
    // Cheap rejections first: most words have no capital, or only a first one.
    if word.is_ascii()
        && !word
            .bytes()
            .skip(1)
            .any(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        || !word.chars().any(char::is_uppercase)
    {
        return false;
    }
    let s = shape(word);
    // The tests are independent: the cheap ones first, the stoplist's lookups last.
    if !s.is_strong()
        || word.starts_with(|c: char| c.is_ascii_digit())
        || word.contains('%')
        || is_adjective(word)
        || is_glue(word)
    {
        return false;
    }
    let shaped = match s {
        Shape::Compound => compound_is_name(word),
        Shape::Alnum => !is_word_and_number(word),
        Shape::Caps => singular(word).chars().filter(|c| c.is_alphabetic()).count() >= 3,
        _ => true,
    };
    shaped && !is_generic(word)
}

/// Whether a hyphenated compound is a name: a part in capitals, mixed case or letters with
/// digits that is not a generic term (`bipolar-INT`, `Char-JABER`). Compounds of
/// capitalised words (`Zero-Shot`, `Resource-Efficient`) are not, nor are a word and a
/// number (`Top-2`, `Stage-1`).
fn compound_is_name(word: &str) -> bool {
    word.split('-').filter(|p| !p.is_empty()).any(|p| {
        let s = shape(p);
        matches!(s, Shape::Caps | Shape::Mixed | Shape::Alnum) && !is_generic(p)
    })
}

/// Whether a word is an ordinary word and a number: `Top-2`, `Stage-1`, `Phase2`.
fn is_word_and_number(word: &str) -> bool {
    let digits_at_end = word
        .trim_start_matches(|c: char| c.is_alphabetic())
        .trim_start_matches('-')
        .chars()
        .all(|c| c.is_ascii_digit());
    digits_at_end
        && word
            .chars()
            .filter(|c| c.is_alphabetic())
            .skip(1)
            .all(char::is_lowercase)
}

/// Whether a word is an adjective made from a name (`LLaMA-based`, `GPU-intensive`).
pub fn is_adjective(word: &str) -> bool {
    word.contains('-')
        && word
            .rsplit('-')
            .next()
            .is_some_and(|last| is_one_of(last, ADJECTIVE_SUFFIXES))
}

/// Whether a word carries a LaTeX command glued in by text extraction.
pub fn is_glue(word: &str) -> bool {
    // A case-insensitive substring search on bytes: the commands are ASCII, so a match
    // never starts inside a multi-byte character. Only where a command's first letter is
    // are the commands starting with it compared.
    let b = word.as_bytes();
    b.len() > 6
        && (0..b.len()).any(|i| {
            let first = b[i].to_ascii_lowercase();
            GLUE_FIRST[usize::from(first)]
                && LATEX_GLUE.iter().any(|g| {
                    g.as_bytes()[0] == first
                        && b.len() > g.len()
                        && b[i..]
                            .get(..g.len())
                            .is_some_and(|w| w.eq_ignore_ascii_case(g.as_bytes()))
                })
        })
}

/// Whether a byte is the first letter of a command in [`LATEX_GLUE`] (all lowercase).
static GLUE_FIRST: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < LATEX_GLUE.len() {
        table[LATEX_GLUE[i].as_bytes()[0] as usize] = true;
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glue_commands_are_found_in_any_case() {
        for g in LATEX_GLUE {
            assert!(g.bytes().all(|b| b.is_ascii_lowercase()), "{g}");
            let word = format!("Ab{}Cd", g.to_ascii_uppercase());
            assert!(is_glue(&word), "{word}");
        }
        assert!(is_glue("EnglishrightarrowGerman") && !is_glue("arrowright"));
        assert!(!is_glue("cdot") && !is_glue("Ünïcödé"));
    }
}
