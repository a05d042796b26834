//! Escaping text for the file formats paperkg writes: XML ([`xml`], for GraphML) and CSV
//! ([`csv_field`], for the Neo4j import files and `paperkg sql --format csv`). DOT labels
//! have their own rules ([`super::dot::escape_label`]); JSON is escaped by serde_json.
//!
//! Titles and names come from the input, so every rule here is written for hostile text:
//! quotes, markup, ampersands, newlines, tabs, control characters, right-to-left text and
//! emoji.

use std::borrow::Cow;

/// Escapes `text` for XML 1.0 element content or a quoted attribute value.
///
/// * `&`, `<`, `>`, `"` and `'` become entities, so no title can close an element or an
///   attribute.
/// * Tab and newline stay; a carriage return becomes `&#13;` so a parser does not fold it
///   into the newline.
/// * Other control characters (and U+FFFE, U+FFFF), which XML 1.0 cannot carry even as
///   character references, become U+FFFD, the replacement character.
/// * Everything else, right-to-left text and emoji included, stays as UTF-8.
///
/// ```
/// use paperkg::export::escape::xml;
/// assert_eq!(xml("<b>\"R&D\"</b>"), "&lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt;");
/// ```
pub fn xml(text: &str) -> Cow<'_, str> {
    let special = |c: char| {
        matches!(
            c,
            '&' | '<' | '>' | '"' | '\'' | '\r' | '\u{FFFE}' | '\u{FFFF}'
        ) || (c.is_control() && c != '\t' && c != '\n' && u32::from(c) < 0x20)
    };
    if !text.chars().any(special) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c if u32::from(c) < 0x20 => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One CSV field (RFC 4180): quoted, with inner quotes doubled, when it holds a comma, a
/// quote, a line break, or leading or trailing whitespace, or is empty (so that an empty
/// string differs from a missing value, which is written as nothing at all).
///
/// ```
/// use paperkg::export::escape::csv_field;
/// assert_eq!(csv_field("plain"), "plain");
/// assert_eq!(csv_field("a, \"b\""), "\"a, \"\"b\"\"\"");
/// assert_eq!(csv_field(""), "\"\"");
/// ```
pub fn csv_field(text: &str) -> Cow<'_, str> {
    let needs = text.is_empty()
        || text.contains([',', '"', '\n', '\r'])
        || text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace);
    if !needs {
        return Cow::Borrowed(text);
    }
    Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
}

/// A CSV line of `fields` (`None` is a missing value), ending in `\n`.
pub fn csv_line<'a>(fields: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let mut line = String::new();
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        if let Some(f) = f {
            line.push_str(&csv_field(f));
        }
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_drops_what_xml_cannot_carry() {
        assert_eq!(xml("plain ünï 🚀"), "plain ünï 🚀");
        assert!(matches!(xml("plain"), Cow::Borrowed(_)));
        assert_eq!(
            xml("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(xml("a\tb\nc\r\nd"), "a\tb\nc&#13;\nd");
        assert_eq!(
            xml("bell\u{7}esc\u{1b}\u{FFFF}"),
            "bell\u{FFFD}esc\u{FFFD}\u{FFFD}"
        );
        assert_eq!(xml("עברית \u{202E}x"), "עברית \u{202E}x");
        assert_eq!(xml("&amp;"), "&amp;amp;");
    }

    #[test]
    fn csv_quotes_only_when_needed() {
        assert_eq!(csv_field("LoRA"), "LoRA");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("cr\r"), "\"cr\r\"");
        assert_eq!(csv_field(" padded"), "\" padded\"");
        assert_eq!(csv_field("tab\tinside"), "tab\tinside");
        assert_eq!(csv_field("🦙 עברית"), "🦙 עברית");
        assert_eq!(
            csv_line([Some("a"), None, Some(""), Some("x,y")]),
            "a,,\"\",\"x,y\"\n"
        );
    }
}
