//! Fuzzes the extractor and the relation finder on any text: no panic, and every mention's
//! offsets lie on character boundaries inside its field, with the surface equal to the
//! slice they delimit. The input's first line is the title, the rest the abstract (invalid
//! UTF-8 replaced).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use paperkg::extract::{group_mentions, Field};
use paperkg::graph::relations;
use paperkg::{Extractor, Lexicon};

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(&Lexicon::builtin()))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (title, abstract_text) = text.split_once('\n').unwrap_or((&text, ""));
    let mentions = extractor().extract(title, abstract_text);
    for m in &mentions {
        let field = match m.field {
            Field::Title => title,
            Field::Abstract => abstract_text,
        };
        assert!(field.is_char_boundary(m.byte_start), "{m:?}");
        let end = m.byte_start + m.surface.len();
        assert!(end <= field.len() && field.is_char_boundary(end), "{m:?}");
        assert_eq!(&field[m.byte_start..end], m.surface, "{m:?}");
        assert_eq!(field[..m.byte_start].chars().count(), m.char_start, "{m:?}");
        assert_eq!(m.surface.chars().count(), m.char_len, "{m:?}");
        assert!(!m.name.is_empty(), "{m:?}");
    }
    let _ = group_mentions(&mentions);
    let _ = relations::analyse(title, abstract_text, &mentions);
});
