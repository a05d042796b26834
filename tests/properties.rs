//! Properties, over generated input, of the library's public API: the name-folding key,
//! the extractor's offsets, and ingest on arbitrary bytes.

use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use paperkg::extract::{name_key, Field};
use paperkg::ingest::{IngestOptions, Records};
use paperkg::{Extractor, Lexicon, Mention};
use proptest::prelude::*;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(&Lexicon::builtin()))
}

/// Every name and alias of the built-in lexicon.
fn lexicon_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        Lexicon::builtin()
            .entries()
            .iter()
            .flat_map(|e| std::iter::once(e.name.clone()).chain(e.aliases.iter().cloned()))
            .collect()
    })
}

/// Characters whose case mapping or class is tricky, mixed into generated strings.
const TRICKY: &[char] = &[
    'İ', 'ı', 'ß', 'ẞ', 'Σ', 'σ', 'ς', 'ﬁ', 'Ǆ', 'ǅ', 'ǆ', 'K', 'Å', 'ŉ', 'ΐ', '\u{301}',
    '\u{200d}', '\u{202e}', '\u{feff}', '\u{0}', '\u{1b}', '\u{85}', '\u{2028}', '🦙', '𝔸', '٣',
    '²', '½', 'Ⅻ', '-', '_', ' ', '+', '.', '/',
];

/// Strings of any characters, with tricky ones over-represented.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => any::<char>(),
            2 => prop::sample::select(TRICKY),
            3 => prop::char::range('A', 'z'),
        ],
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// Lexicon names joined by noise: separators, punctuation, words, any characters.
fn names_in_noise() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(lexicon_names()),
        1 => text(),
        1 => prop::sample::select(vec![" ", "-", "(", ")", ", ", ". ", "s", "2", "-7B", "🦙", "é", "\n"])
            .prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|parts| parts.concat())
}

/// Offsets are on character boundaries inside the field and delimit the surface.
fn check_mentions(title: &str, abstract_text: &str, mentions: &[Mention]) {
    for m in mentions {
        let field = match m.field {
            Field::Title => title,
            Field::Abstract => abstract_text,
        };
        let end = m.byte_start + m.surface.len();
        assert!(end <= field.len(), "{m:?} past the end of {field:?}");
        assert!(field.is_char_boundary(m.byte_start), "{m:?} in {field:?}");
        assert!(field.is_char_boundary(end), "{m:?} in {field:?}");
        assert_eq!(&field[m.byte_start..end], m.surface, "{m:?}");
        assert_eq!(field[..m.byte_start].chars().count(), m.char_start, "{m:?}");
        assert_eq!(m.surface.chars().count(), m.char_len, "{m:?}");
        assert!(!m.surface.is_empty() && !m.name.is_empty(), "{m:?}");
    }
}

proptest! {
    #[test]
    fn name_key_is_idempotent(s in text()) {
        let key = name_key(&s);
        prop_assert_eq!(name_key(&key), key);
    }

    #[test]
    fn name_key_ignores_ascii_case_hyphens_and_spaces(
        s in text(),
        cuts in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(vec!['-', ' ', '_', '.', '\t'])), 0..5),
    ) {
        let key = name_key(&s);
        prop_assert_eq!(name_key(&s.to_ascii_uppercase()), key.clone());
        prop_assert_eq!(name_key(&s.to_ascii_lowercase()), key.clone());
        let mut chars: Vec<char> = s.chars().collect();
        for (at, sep) in cuts {
            let i = at.index(chars.len() + 1);
            chars.insert(i, sep);
        }
        let spaced: String = chars.into_iter().collect();
        prop_assert_eq!(name_key(&spaced), key);
    }

    #[test]
    fn extractor_offsets_hold_on_any_text(title in text(), abstract_text in text()) {
        let mentions = extractor().extract(&title, &abstract_text);
        check_mentions(&title, &abstract_text, &mentions);
    }

    #[test]
    fn extractor_offsets_hold_on_names_in_noise(
        title in names_in_noise(),
        abstract_text in names_in_noise(),
    ) {
        let mentions = extractor().extract(&title, &abstract_text);
        check_mentions(&title, &abstract_text, &mentions);
    }

    #[test]
    fn ingest_never_panics_on_any_bytes(
        bytes in prop::collection::vec(
            prop_oneof![
                4 => any::<u8>(),
                3 => prop::sample::select(b"{}[]\",:\\\n\r \t\x00\xef\xbb\xbfaZ.0".to_vec()),
            ],
            0..600,
        ),
        ext in prop::sample::select(vec!["txt", "jsonl", "json", "jsonl.gz", "data"]),
        max_line_bytes in prop::sample::select(vec![16usize, 1 << 20]),
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path: PathBuf = dir.path().join(format!("input.{ext}"));
        let mut file = std::fs::File::create(&path).expect("create");
        file.write_all(&bytes).expect("write");
        drop(file);
        let options = IngestOptions { max_line_bytes, max_file_bytes: Some(400) };
        let mut items = 0;
        for item in Records::new(std::slice::from_ref(&path), options) {
            items += 1;
            match item {
                Ok(r) => {
                    prop_assert!(!r.title.is_empty() && !r.abstract_text.is_empty());
                    prop_assert!(!r.title.chars().any(char::is_control), "{:?}", r.title);
                    prop_assert!(r.source.line >= 1);
                    prop_assert_eq!(&r.source.file, &path);
                }
                Err(e) => {
                    prop_assert_eq!(e.path(), path.as_path());
                    prop_assert!(e.to_string().starts_with(&path.display().to_string()));
                }
            }
        }
        // A file gives at least one item: a record, or a reason it gave none.
        prop_assert!(items >= 1);
    }
}
