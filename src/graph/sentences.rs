//! Sentence splitting for titles and abstracts, with byte and character offsets.
//!
//! [`split`] cuts a field into [`Sentence`]s in one left-to-right pass. A `.`, `!` or `?`
//! (with any closing quotes or brackets after it) ends a sentence only when whitespace
//! follows and the next word starts with a capital letter, a digit, or an opening quote or
//! bracket; a blank line always ends one. A `.` does not end a sentence after:
//!
//! * a known abbreviation (`e.g.`, `i.e.`, `et al.`, `cf.`, `vs.`, `Fig.`, `Eq.`, `approx.` …),
//! * a dotted abbreviation of single letters (`U.S.`, `w.r.t.`),
//! * a single capital letter (an initial: `J. Smith`).
//!
//! Decimals and sizes (`7.5B`, `54.6%`, `v1.5`) and URLs never split, because no whitespace
//! follows their dots.
//!
//! This module knows nothing about entities or relations; it only finds sentence spans.

/// One sentence of a field: its span as byte offsets (for slicing) and as character
/// (Unicode scalar) offsets (as stored in the database). Both ends are exclusive, and
/// leading and trailing whitespace is not part of the span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sentence {
    /// Byte offset of the first character.
    pub byte_start: usize,
    /// Byte offset just past the last character.
    pub byte_end: usize,
    /// Character offset of the first character.
    pub char_start: usize,
    /// Character offset just past the last character.
    pub char_end: usize,
}

/// Words that end with a `.` which does not end the sentence (compared lowercase, without
/// the dot).
const ABBREVIATIONS: &[&str] = &[
    "al", "approx", "ca", "cf", "co", "corp", "dr", "e.g", "eg", "eq", "eqs", "esp", "fig", "figs",
    "i.e", "ie", "inc", "incl", "jr", "ltd", "mr", "mrs", "ms", "no", "nos", "prof", "ref", "refs",
    "resp", "sec", "secs", "sr", "st", "tab", "viz", "vol", "vs", "w.r.t", "wrt",
];

/// Splits `text` into sentences, in order. Empty or whitespace-only text has none.
///
/// # Complexity
/// O(n) for n bytes of text.
///
/// ```
/// use paperkg::graph::sentences::split;
/// let text = "We fine-tune Llama 2 (e.g. the 7.5B model) as in Hu et al. 2021. It works!";
/// let spans: Vec<&str> = split(text).iter().map(|s| &text[s.byte_start..s.byte_end]).collect();
/// assert_eq!(spans, ["We fine-tune Llama 2 (e.g. the 7.5B model) as in Hu et al. 2021.", "It works!"]);
/// ```
pub fn split(text: &str) -> Vec<Sentence> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Byte offset scanned up to, and its character offset.
    let (mut at, mut at_char) = (0usize, 0usize);
    // Start of the current sentence (byte, char), or None while skipping whitespace.
    let mut start: Option<(usize, usize)> = None;
    // Byte offset of the next newline at or after `at` (the text's length if none).
    let mut next_newline = memchr::memchr(b'\n', bytes).unwrap_or(bytes.len());
    loop {
        if start.is_none() {
            let rest = &text[at..];
            let trimmed = rest.trim_start();
            let Some(first) = trimmed.chars().next() else {
                break;
            };
            at_char += rest[..rest.len() - trimmed.len()].chars().count();
            at += rest.len() - trimmed.len();
            start = Some((at, at_char));
            // The first character of a sentence never ends it.
            at += first.len_utf8();
            at_char += 1;
            continue;
        }
        // Only `.`, `!`, `?` and newlines (all ASCII) can end a sentence. The next newline
        // is looked up only once passed (memchr: SIMD searches).
        if next_newline < at {
            next_newline = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |k| at + k);
        }
        let terminator = memchr::memchr3(b'.', b'!', b'?', &bytes[at..next_newline]);
        let k = match terminator {
            Some(k) => k,
            None if next_newline < bytes.len() => next_newline - at,
            None => break,
        };
        at_char += text[at..at + k].chars().count();
        let b = at + k;
        let i = at_char;
        let c = char::from(bytes[b]);
        at = b + 1;
        at_char += 1;
        if c == '\n' {
            if blank_line_follows(&text[at..]) {
                push(&mut out, text, start, b, i);
                start = None;
            }
            continue;
        }
        // The terminator run: repeated terminators and closing quotes/brackets.
        for r in text[at..].chars() {
            if !(matches!(r, '.' | '!' | '?') || is_closing(r)) {
                break;
            }
            at += r.len_utf8();
            at_char += 1;
        }
        // The whitespace after it, and the character after that.
        let rest = &text[at..];
        let gap = rest.len() - rest.trim_start().len();
        let boundary = match rest[gap..].chars().next() {
            _ if at == text.len() => true,
            _ if gap == 0 => false,
            None => true,
            Some(f) => starts_sentence(f) && !(c == '.' && abbreviation_before(&text[..b])),
        };
        if boundary {
            push(&mut out, text, start, at, at_char);
            start = None;
        }
    }
    if start.is_some() {
        at_char += text.get(at..).unwrap_or("").chars().count();
        push(&mut out, text, start, text.len(), at_char);
    }
    out
}

/// Records the sentence from `start` (byte, char) to byte `end_byte`, char `end`
/// (exclusive), trimming trailing whitespace.
fn push(
    out: &mut Vec<Sentence>,
    text: &str,
    start: Option<(usize, usize)>,
    end_byte: usize,
    end: usize,
) {
    let Some((start_byte, start)) = start else {
        return;
    };
    let mut end = end;
    let mut end_byte = end_byte;
    for c in text[start_byte..end_byte].chars().rev() {
        if !c.is_whitespace() {
            break;
        }
        end -= 1;
        end_byte -= c.len_utf8();
    }
    if end > start {
        out.push(Sentence {
            byte_start: start_byte,
            byte_end: end_byte,
            char_start: start,
            char_end: end,
        });
    }
}

/// Whether `rest` (the text after a newline) has another newline before any other
/// non-whitespace character.
fn blank_line_follows(rest: &str) -> bool {
    rest.chars()
        .take_while(|c| c.is_whitespace())
        .any(|c| c == '\n')
}

fn is_closing(c: char) -> bool {
    matches!(c, ')' | ']' | '}' | '"' | '\'' | '’' | '”' | '»')
}

/// Whether a sentence may start with `c`.
fn starts_sentence(c: char) -> bool {
    c.is_uppercase() || c.is_numeric() || matches!(c, '(' | '[' | '"' | '\'' | '‘' | '“' | '«')
}

/// Whether the `.` just after `before` ends an abbreviation or an initial rather than a
/// sentence.
fn abbreviation_before(before: &str) -> bool {
    let mut start = before.len();
    for (b, c) in before.char_indices().rev() {
        if !(c.is_alphanumeric() || c == '.') {
            break;
        }
        start = b;
    }
    is_abbreviation(&before[start..])
}

/// Whether `word` (letters, digits and dots, before a `.`) is a known abbreviation, an
/// initial or dotted single letters.
fn is_abbreviation(word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    let mut letters = word.chars();
    if let (Some(c), None) = (letters.next(), letters.next()) {
        // An initial (`J.`), not a digit (`Section 3.`).
        return c.is_uppercase();
    }
    // Dotted single letters: `U.S`, `w.r.t`.
    word.contains('.')
        && word
            .split('.')
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The first implementation (a vector of every character and its byte offset), kept
    // as the oracle the faster `split` must agree with.
    fn split_reference(text: &str) -> Vec<Sentence> {
        let mut out = Vec::new();
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let n = chars.len();
        let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
        // Start of the current sentence (char index), or None while skipping whitespace.
        let mut start: Option<usize> = None;
        let mut i = 0;
        while i < n {
            let c = chars[i].1;
            if start.is_none() {
                if !c.is_whitespace() {
                    start = Some(i);
                }
                i += 1;
                continue;
            }
            if c == '\n' && blank_line_follows_reference(&chars, i) {
                push_reference(&mut out, &chars, start, i, byte_at(i));
                start = None;
                i += 1;
                continue;
            }
            if matches!(c, '.' | '!' | '?') {
                // The terminator run: repeated terminators and closing quotes/brackets.
                let mut end = i + 1;
                while end < n
                    && (matches!(chars[end].1, '.' | '!' | '?') || is_closing(chars[end].1))
                {
                    end += 1;
                }
                let ws_end = {
                    let mut j = end;
                    while j < n && chars[j].1.is_whitespace() {
                        j += 1;
                    }
                    j
                };
                let boundary = if end == n {
                    true
                } else if ws_end == end {
                    false
                } else if ws_end == n {
                    true
                } else {
                    starts_sentence(chars[ws_end].1)
                        && !(c == '.' && abbreviation_before_reference(&chars, i))
                };
                if boundary {
                    push_reference(&mut out, &chars, start, end, byte_at(end));
                    start = None;
                    i = end;
                    continue;
                }
                i = end;
                continue;
            }
            i += 1;
        }
        if start.is_some() {
            push_reference(&mut out, &chars, start, n, text.len());
        }
        out
    }

    /// Records the sentence from char `start` to char `end` (exclusive), trimming trailing
    /// whitespace.
    fn push_reference(
        out: &mut Vec<Sentence>,
        chars: &[(usize, char)],
        start: Option<usize>,
        end: usize,
        end_byte: usize,
    ) {
        let Some(start) = start else { return };
        let mut end = end;
        let mut end_byte = end_byte;
        while end > start && chars[end - 1].1.is_whitespace() {
            end -= 1;
            end_byte = chars[end].0;
        }
        if end > start {
            out.push(Sentence {
                byte_start: chars[start].0,
                byte_end: end_byte,
                char_start: start,
                char_end: end,
            });
        }
    }

    /// Whether the newline at `i` is followed by another newline before any other
    /// non-whitespace character.
    fn blank_line_follows_reference(chars: &[(usize, char)], i: usize) -> bool {
        chars[i + 1..]
            .iter()
            .map(|&(_, c)| c)
            .take_while(|c| c.is_whitespace())
            .any(|c| c == '\n')
    }

    /// Whether the `.` at `dot` ends an abbreviation or an initial rather than a sentence.
    fn abbreviation_before_reference(chars: &[(usize, char)], dot: usize) -> bool {
        let mut start = dot;
        while start > 0 && {
            let c = chars[start - 1].1;
            c.is_alphanumeric() || c == '.'
        } {
            start -= 1;
        }
        let word: String = chars[start..dot].iter().map(|&(_, c)| c).collect();
        is_abbreviation(&word)
    }

    fn parts(text: &str) -> Vec<&str> {
        split(text)
            .iter()
            .map(|s| &text[s.byte_start..s.byte_end])
            .collect()
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            parts("First one. Second one! Third one? 4th starts with a digit."),
            [
                "First one.",
                "Second one!",
                "Third one?",
                "4th starts with a digit."
            ]
        );
    }

    #[test]
    fn does_not_split_abbreviations_decimals_or_initials() {
        let text = "Models, e.g. GPT-4 and i.e. Llama 2, reach 54.6% with 7.5B parameters. \
                    As Hu et al. Showed, w.r.t. LoRA (cf. Fig. 3) and J. Smith vs. U.S. Data \
                    it works.";
        assert_eq!(
            parts(text),
            [
                "Models, e.g. GPT-4 and i.e. Llama 2, reach 54.6% with 7.5B parameters.",
                "As Hu et al. Showed, w.r.t. LoRA (cf. Fig. 3) and J. Smith vs. U.S. Data it works."
            ]
        );
    }

    #[test]
    fn does_not_split_before_lowercase_or_inside_urls_and_versions() {
        assert_eq!(
            parts("See https://x.org/a.b for v1.5 code. then more. Next."),
            ["See https://x.org/a.b for v1.5 code. then more.", "Next."]
        );
    }

    #[test]
    fn keeps_closing_quotes_and_brackets_with_the_sentence() {
        assert_eq!(
            parts("He said \"stop.\" Then (it ended.) Done"),
            ["He said \"stop.\"", "Then (it ended.)", "Done"]
        );
    }

    #[test]
    fn blank_line_ends_a_sentence_and_whitespace_is_trimmed() {
        assert_eq!(
            parts("  A title\n\n  body text  "),
            ["A title", "body text"]
        );
        assert!(split("").is_empty());
        assert!(split(" \n\t ").is_empty());
    }

    #[test]
    fn character_offsets_count_unicode_scalars() {
        let text = "Ünïcödé ok. Ça va.";
        let s = split(text);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].char_start, s[0].char_end), (0, 11));
        assert_eq!((s[1].char_start, s[1].char_end), (12, 18));
        let second: String = text.chars().skip(12).take(6).collect();
        assert_eq!(second, "Ça va.");
    }

    #[test]
    fn ellipsis_and_section_numbers() {
        assert_eq!(
            parts("Wait... Then Section 3. Results follow."),
            ["Wait...", "Then Section 3.", "Results follow."]
        );
    }

    /// Text made of the characters the splitter looks at, in any order.
    fn sentence_soup() -> impl proptest::strategy::Strategy<Value = String> {
        let pieces = vec![
            ".", "!", "?", "...", " ", "  ", "\n", "\n\n", "\t", "\u{85}", "\u{a0}", "\u{2003}",
            "A", "b", "7", "é", "Ü", "Ⅻ", "e.g", "et al", "U.S", "Fig", "J", "vs", "(", ")", "\"",
            "'", "’", "”", "»", "“", "«", "‘", "[", "]", "word", "Word", "\u{130}", "\u{212a}",
        ];
        proptest::collection::vec(proptest::sample::select(pieces), 0..40)
            .prop_map(|parts| parts.concat())
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn agrees_with_the_reference_splitter(text in sentence_soup()) {
            prop_assert_eq!(split(&text), split_reference(&text));
        }

        #[test]
        fn agrees_with_the_reference_splitter_on_any_text(text in any::<String>()) {
            prop_assert_eq!(split(&text), split_reference(&text));
        }
    }

    #[test]
    fn agrees_with_the_reference_splitter_on_the_samples() {
        let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/samples");
        let records = crate::ingest::Records::new(&[samples], Default::default());
        let mut fields = 0;
        for record in records.flatten() {
            for text in [&record.title, &record.abstract_text] {
                assert_eq!(split(text), split_reference(text), "{text}");
                fields += 1;
            }
        }
        assert!(fields > 700, "{fields} fields");
    }
}
