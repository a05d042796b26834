//! arXiv-metadata JSON → [`Record`]s: JSON Lines (one object per line) and JSON arrays.
//!
//! Fields read: `id` (string or number), `title` and `abstract` (required non-empty
//! strings), `authors` (string, or array of strings joined with `", "`), `categories` and
//! `update_date` (strings). Unknown fields are ignored; whitespace runs inside strings (arXiv
//! titles and abstracts contain newlines) are collapsed to one space. A malformed line, or an
//! object whose fields have the wrong types, gives an [`IngestError`] naming the file and line
//! and is skipped; reading goes on.
//!
//! Both readers stream. [`JsonLinesReader`] holds one line at a time. [`JsonArrayReader`]
//! splits the top-level array into elements with a small byte-level scanner (tracking
//! strings and nesting) and parses each element on its own, so memory holds one element and a
//! malformed element does not lose the rest of the file. Elements and lines are limited to
//! `max_line_bytes` each.
//!
//! This module does not open files, decompress or detect binary data (see `source.rs`).

use std::collections::VecDeque;
use std::io::{self, BufRead};

use serde::Deserialize;
use serde_json::Value;

use super::lines::{collapse_whitespace, LineReader};
use super::source::FileCtx;
use super::{IngestError, Provenance, Record};

/// The fields we read, each kept as a raw [`Value`] so a wrong type is reported by
/// [`to_record`] with a clear message instead of failing deserialisation.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawRecord {
    id: Option<Value>,
    title: Option<Value>,
    #[serde(rename = "abstract")]
    abstract_text: Option<Value>,
    authors: Option<Value>,
    categories: Option<Value>,
    update_date: Option<Value>,
}

type Item = Result<Record, IngestError>;

/// Streams [`Record`]s from a JSON Lines file: one object per line, blank lines skipped.
pub(crate) struct JsonLinesReader<R> {
    lines: LineReader<R>,
    ctx: FileCtx,
    done: bool,
}

impl<R: BufRead> JsonLinesReader<R> {
    /// Reads JSON Lines from `reader`; `ctx` names the file in records and errors.
    pub fn new(reader: R, ctx: FileCtx) -> Self {
        JsonLinesReader {
            lines: LineReader::new(reader, ctx.max_line_bytes),
            ctx,
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for JsonLinesReader<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            let line = match self.lines.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => {
                    self.done = true;
                    break;
                }
                Err(e) => {
                    self.done = true;
                    let line = self.lines.line_number().max(1);
                    return Some(Err(self.ctx.read_error(e, Some(line))));
                }
            };
            if let Some(len) = line.too_long {
                return Some(Err(IngestError::LineTooLong {
                    path: self.ctx.path.clone(),
                    line: line.number,
                    len,
                    max: self.ctx.max_line_bytes,
                }));
            }
            if line.bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(parse_object(line.bytes, line.number, &self.ctx, true));
        }
        None
    }
}

/// Where the array scanner is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArrayState {
    /// Before the opening `[`.
    Start,
    /// Inside the array, between elements.
    Between,
    /// Inside an element.
    InElement,
    /// After the closing `]`.
    After,
    /// Finished (end of input, or an unrecoverable problem).
    Done,
}

/// Streams [`Record`]s from a file holding one JSON array of objects.
pub(crate) struct JsonArrayReader<R> {
    reader: R,
    scan: Scanner,
}

/// The byte-level scanner splitting a JSON array into elements.
struct Scanner {
    ctx: FileCtx,
    state: ArrayState,
    /// Line of the next byte (1-based).
    line: usize,
    /// The current element's bytes (at most `max_line_bytes` kept).
    elem: Vec<u8>,
    /// The current element's full length.
    elem_len: u64,
    /// Line the current element starts on.
    elem_line: usize,
    /// Nesting depth of `{` / `[` inside the current element.
    depth: usize,
    in_string: bool,
    escape: bool,
    /// Records and errors ready to be yielded.
    out: VecDeque<Item>,
}

impl<R: BufRead> JsonArrayReader<R> {
    /// Reads a JSON array from `reader`; `ctx` names the file in records and errors.
    pub fn new(reader: R, ctx: FileCtx) -> Self {
        JsonArrayReader {
            reader,
            scan: Scanner {
                ctx,
                state: ArrayState::Start,
                line: 1,
                elem: Vec::new(),
                elem_len: 0,
                elem_line: 1,
                depth: 0,
                in_string: false,
                escape: false,
                out: VecDeque::new(),
            },
        }
    }
}

impl Scanner {
    fn malformed(&self, line: usize, message: &str) -> Item {
        Err(IngestError::MalformedJson {
            path: self.ctx.path.clone(),
            line,
            message: message.to_owned(),
        })
    }

    /// Parses the element gathered so far and queues the result; returns whether it was a
    /// record.
    fn finish_element(&mut self) -> bool {
        let item = if self.elem_len > self.ctx.max_line_bytes as u64 {
            Err(IngestError::LineTooLong {
                path: self.ctx.path.clone(),
                line: self.elem_line,
                len: self.elem_len,
                max: self.ctx.max_line_bytes,
            })
        } else {
            parse_object(&self.elem, self.elem_line, &self.ctx, false)
        };
        let ok = item.is_ok();
        self.out.push_back(item);
        self.elem.clear();
        ok
    }

    fn push_elem_byte(&mut self, b: u8) {
        self.elem_len += 1;
        if self.elem.len() < self.ctx.max_line_bytes {
            self.elem.push(b);
        }
    }

    /// Runs the scanner over one byte.
    fn step(&mut self, b: u8) {
        let ws = matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        match self.state {
            ArrayState::Start => {
                if b == b'[' {
                    self.state = ArrayState::Between;
                } else if !ws {
                    let e = self.malformed(self.line, "expected `[` at the start of a JSON array");
                    self.out.push_back(e);
                    self.state = ArrayState::Done;
                }
            }
            ArrayState::Between => match b {
                _ if ws => {}
                b']' => self.state = ArrayState::After,
                b',' => {
                    let e = self.malformed(self.line, "unexpected `,` in JSON array");
                    self.out.push_back(e);
                }
                _ => {
                    self.state = ArrayState::InElement;
                    self.elem.clear();
                    self.elem_len = 0;
                    self.elem_line = self.line;
                    self.depth = 0;
                    self.in_string = false;
                    self.escape = false;
                    self.step(b);
                    return;
                }
            },
            ArrayState::InElement => {
                if self.in_string {
                    if self.escape {
                        self.escape = false;
                    } else if b == b'\\' {
                        self.escape = true;
                    } else if b == b'"' {
                        self.in_string = false;
                    }
                    self.push_elem_byte(b);
                } else {
                    match b {
                        b'"' => {
                            self.in_string = true;
                            self.push_elem_byte(b);
                        }
                        b'{' | b'[' => {
                            self.depth += 1;
                            self.push_elem_byte(b);
                        }
                        b']' if self.depth == 0 => {
                            self.finish_element();
                            self.state = ArrayState::After;
                        }
                        b'}' | b']' => {
                            self.depth = self.depth.saturating_sub(1);
                            self.push_elem_byte(b);
                        }
                        b',' if self.depth == 0 => {
                            self.finish_element();
                            self.state = ArrayState::Between;
                        }
                        _ => self.push_elem_byte(b),
                    }
                }
            }
            ArrayState::After => {
                if !ws {
                    let e = self.malformed(self.line, "trailing characters after the JSON array");
                    self.out.push_back(e);
                    self.state = ArrayState::Done;
                }
            }
            ArrayState::Done => {}
        }
        if b == b'\n' {
            self.line += 1;
        }
    }

    /// Handles the end of input.
    fn finish(&mut self) {
        let unclosed = match self.state {
            ArrayState::InElement => self.finish_element(),
            ArrayState::Between => true,
            ArrayState::Start | ArrayState::After | ArrayState::Done => false,
        };
        if unclosed {
            let e = self.malformed(
                self.line,
                "unexpected end of file: the JSON array is not closed",
            );
            self.out.push_back(e);
        }
        self.state = ArrayState::Done;
    }
}

impl<R: BufRead> Iterator for JsonArrayReader<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        let scan = &mut self.scan;
        loop {
            if let Some(item) = scan.out.pop_front() {
                return Some(item);
            }
            if scan.state == ArrayState::Done {
                return None;
            }
            let chunk = match self.reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    scan.state = ArrayState::Done;
                    return Some(Err(scan.ctx.read_error(e, Some(scan.line))));
                }
            };
            if chunk.is_empty() {
                scan.finish();
                continue;
            }
            let mut used = 0;
            for &b in chunk {
                scan.step(b);
                used += 1;
                if scan.state == ArrayState::Done {
                    break;
                }
            }
            self.reader.consume(used);
        }
    }
}

/// A short name for a JSON value's type, for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde_json's message without its trailing ` at line L column C`.
fn strip_location(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    full.strip_suffix(&suffix)
        .map(str::to_owned)
        .unwrap_or(full)
}

/// Parses one JSON object (a line, or an array element starting on `first_line`) into a
/// [`Record`]. `single_line` adds the column to syntax errors.
fn parse_object(bytes: &[u8], first_line: usize, ctx: &FileCtx, single_line: bool) -> Item {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let before = &bytes[..e.valid_up_to()];
            let line = first_line + before.iter().filter(|&&b| b == b'\n').count();
            return Err(IngestError::InvalidUtf8 {
                path: ctx.path.clone(),
                line,
            });
        }
    };
    let malformed = |e: serde_json::Error| {
        let line = first_line + e.line().saturating_sub(1);
        let mut message = strip_location(&e);
        if single_line && e.column() > 0 {
            message.push_str(&format!(" (column {})", e.column()));
        }
        IngestError::MalformedJson {
            path: ctx.path.clone(),
            line,
            message,
        }
    };
    if !text.trim_start().starts_with('{') {
        return Err(match serde_json::from_str::<Value>(text) {
            Ok(v) => IngestError::NotAnObject {
                path: ctx.path.clone(),
                line: first_line,
                found: kind(&v),
            },
            Err(e) => malformed(e),
        });
    }
    let raw: RawRecord = serde_json::from_str(text).map_err(malformed)?;
    to_record(raw, ctx, first_line)
}

/// Checks field types and builds the [`Record`].
fn to_record(raw: RawRecord, ctx: &FileCtx, line: usize) -> Item {
    let bad = |field: &'static str, message: String| IngestError::BadField {
        path: ctx.path.clone(),
        line,
        field,
        message,
    };
    let required = |field: &'static str, v: Option<Value>| match v {
        None | Some(Value::Null) => Err(IngestError::MissingField {
            path: ctx.path.clone(),
            line,
            field,
        }),
        Some(Value::String(s)) => {
            let s = collapse_whitespace(&s);
            if s.is_empty() {
                Err(bad(
                    field,
                    "expected a non-empty string, found an empty string".into(),
                ))
            } else {
                Ok(s)
            }
        }
        Some(other) => Err(bad(
            field,
            format!("expected a string, found {}", kind(&other)),
        )),
    };
    let optional = |field: &'static str, v: Option<Value>| match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(collapse_whitespace(&s)).filter(|s| !s.is_empty())),
        Some(other) => Err(bad(
            field,
            format!("expected a string, found {}", kind(&other)),
        )),
    };

    let id = match raw.id {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => {
            return Err(bad(
                "id",
                format!("expected a string or a number, found {}", kind(&other)),
            ))
        }
    };
    let title = required("title", raw.title)?;
    let abstract_text = required("abstract", raw.abstract_text)?;
    let authors = match raw.authors {
        Some(Value::Array(items)) => {
            let mut names = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(s) => {
                        let s = collapse_whitespace(&s);
                        if !s.is_empty() {
                            names.push(s);
                        }
                    }
                    other => {
                        return Err(bad(
                            "authors",
                            format!("expected an array of strings, found {} in it", kind(&other)),
                        ))
                    }
                }
            }
            Some(names.join(", ")).filter(|s| !s.is_empty())
        }
        Some(other @ (Value::Object(_) | Value::Bool(_) | Value::Number(_))) => {
            let found = kind(&other);
            return Err(bad(
                "authors",
                format!("expected a string or an array of strings, found {found}"),
            ));
        }
        other => optional("authors", other)?,
    };
    let categories = optional("categories", raw.categories)?;
    let update_date = optional("update_date", raw.update_date)?;
    Ok(Record {
        id,
        title,
        abstract_text,
        authors,
        categories,
        update_date,
        source: Provenance {
            file: ctx.path.clone(),
            line,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn ctx() -> FileCtx {
        FileCtx::new(PathBuf::from("x.jsonl"), false, 1 << 20)
    }

    fn lines(input: &str) -> Vec<Item> {
        JsonLinesReader::new(input.as_bytes(), ctx()).collect()
    }

    fn array(input: &str) -> Vec<Item> {
        JsonArrayReader::new(input.as_bytes(), ctx()).collect()
    }

    fn ok(item: &Item) -> &Record {
        match item {
            Ok(r) => r,
            Err(e) => panic!("expected a record, got {e}"),
        }
    }

    fn err(item: &Item) -> &IngestError {
        match item {
            Ok(r) => panic!("expected an error, got {r:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn arxiv_line_with_all_fields() {
        let items = lines(
            r#"{"id":"0704.0001","submitter":"x","authors":"C. Bal\u00e1zs, E. L. Berger","title":"Calculation of prompt\n  diphoton production","abstract":"  A fully differential\ncalculation.\n","categories":"hep-ph","versions":[{"v":"v1"}],"update_date":"2008-11-13"}"#,
        );
        assert_eq!(items.len(), 1);
        let r = ok(&items[0]);
        assert_eq!(r.id.as_deref(), Some("0704.0001"));
        assert_eq!(r.title, "Calculation of prompt diphoton production");
        assert_eq!(r.abstract_text, "A fully differential calculation.");
        assert_eq!(r.authors.as_deref(), Some("C. Balázs, E. L. Berger"));
        assert_eq!(r.categories.as_deref(), Some("hep-ph"));
        assert_eq!(r.update_date.as_deref(), Some("2008-11-13"));
        assert_eq!(r.source.line, 1);
    }

    #[test]
    fn numeric_id_authors_array_and_blank_lines() {
        let items = lines(
            "\n{\"id\": 704.0002, \"title\": \"T\", \"abstract\": \"A.\", \"authors\": [\"A B\", \"C  D\"]}\n\r\n   \n{\"id\": 17, \"title\": \"U\", \"abstract\": \"B.\"}\n",
        );
        assert_eq!(items.len(), 2);
        let (a, b) = (ok(&items[0]), ok(&items[1]));
        assert_eq!(a.id.as_deref(), Some("704.0002"));
        assert_eq!(a.authors.as_deref(), Some("A B, C D"));
        assert_eq!(a.source.line, 2);
        assert_eq!(b.id.as_deref(), Some("17"));
        assert_eq!(b.authors, None);
        assert_eq!(b.source.line, 5);
    }

    #[test]
    fn malformed_line_in_the_middle_is_skipped_with_its_line() {
        let items = lines(
            "{\"title\":\"A\",\"abstract\":\"a\"}\n{\"title\":\"B\" \"abstract\":\"b\"}\n{\"title\":\"C\",\"abstract\":\"c\"}\n",
        );
        assert_eq!(items.len(), 3);
        assert_eq!(ok(&items[0]).title, "A");
        let e = err(&items[1]);
        assert!(
            matches!(e, IngestError::MalformedJson { line: 2, .. }),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "x.jsonl:2: malformed JSON: expected `,` or `}` (column 14)"
        );
        assert_eq!(ok(&items[2]).title, "C");
    }

    #[test]
    fn wrong_field_types_are_reported_by_field() {
        let items = lines(concat!(
            "{\"title\": 42, \"abstract\": \"a\"}\n",
            "{\"title\": \"T\"}\n",
            "{\"title\": \"T\", \"abstract\": \"  \"}\n",
            "{\"title\": \"T\", \"abstract\": \"a\", \"authors\": [\"x\", 3]}\n",
            "{\"title\": \"T\", \"abstract\": \"a\", \"id\": [1]}\n",
            "{\"title\": \"T\", \"abstract\": \"a\", \"categories\": 5}\n",
            "[1, 2]\n",
            "\"just a string\"\n",
            "{\"title\": \"T\", \"abstract\": \"a\", \"title\": \"again\"}\n",
        ));
        assert_eq!(items.len(), 9);
        let e: Vec<_> = items.iter().map(err).collect();
        assert!(matches!(
            e[0],
            IngestError::BadField {
                field: "title",
                line: 1,
                ..
            }
        ));
        assert_eq!(
            e[0].to_string(),
            "x.jsonl:1: bad field `title`: expected a string, found a number"
        );
        assert!(matches!(
            e[1],
            IngestError::MissingField {
                field: "abstract",
                line: 2,
                ..
            }
        ));
        assert!(matches!(
            e[2],
            IngestError::BadField {
                field: "abstract",
                ..
            }
        ));
        assert!(matches!(
            e[3],
            IngestError::BadField {
                field: "authors",
                ..
            }
        ));
        assert!(matches!(e[4], IngestError::BadField { field: "id", .. }));
        assert!(matches!(
            e[5],
            IngestError::BadField {
                field: "categories",
                ..
            }
        ));
        assert!(matches!(
            e[6],
            IngestError::NotAnObject {
                found: "an array",
                line: 7,
                ..
            }
        ));
        assert!(matches!(
            e[7],
            IngestError::NotAnObject {
                found: "a string",
                ..
            }
        ));
        assert!(
            matches!(e[8], IngestError::MalformedJson { line: 9, .. }),
            "{:?}",
            e[8]
        );
    }

    #[test]
    fn invalid_utf8_line_is_reported_and_reading_goes_on() {
        let mut input =
            b"{\"title\":\"A\",\"abstract\":\"a\"}\n{\"title\":\"B\xff\",\"abstract\":\"b\"}\n"
                .to_vec();
        input.extend_from_slice(b"{\"title\":\"C\",\"abstract\":\"c\"}");
        let items: Vec<_> = JsonLinesReader::new(&input[..], ctx()).collect();
        assert_eq!(items.len(), 3);
        assert!(matches!(
            err(&items[1]),
            IngestError::InvalidUtf8 { line: 2, .. }
        ));
        assert_eq!(ok(&items[2]).title, "C");
    }

    #[test]
    fn over_long_line_is_skipped() {
        let input = format!(
            "{{\"title\":\"A\",\"abstract\":\"{}\"}}\n{{\"title\":\"B\",\"abstract\":\"b\"}}\n",
            "x".repeat(200)
        );
        let small = FileCtx::new(PathBuf::from("x.jsonl"), false, 100);
        let items: Vec<_> = JsonLinesReader::new(input.as_bytes(), small).collect();
        assert_eq!(items.len(), 2);
        assert!(matches!(
            err(&items[0]),
            IngestError::LineTooLong {
                line: 1,
                max: 100,
                ..
            }
        ));
        assert_eq!(ok(&items[1]).title, "B");
    }

    #[test]
    fn array_of_objects_pretty_printed() {
        let items = array(
            "[\n  {\n    \"id\": \"1\",\n    \"title\": \"A, [b] {c}\",\n    \"abstract\": \"with \\\"quotes\\\" and ] brackets\"\n  },\n  {\"id\": 2, \"title\": \"B\", \"abstract\": \"b\"}\n]\n",
        );
        assert_eq!(items.len(), 2, "{items:?}");
        let a = ok(&items[0]);
        assert_eq!(a.title, "A, [b] {c}");
        assert_eq!(a.abstract_text, "with \"quotes\" and ] brackets");
        assert_eq!(a.source.line, 2);
        assert_eq!(ok(&items[1]).source.line, 7);
        assert_eq!(ok(&items[1]).id.as_deref(), Some("2"));
    }

    #[test]
    fn array_bad_element_does_not_lose_the_rest() {
        let items = array(
            "[{\"title\":\"A\",\"abstract\":\"a\"},\n{\"title\":\n 5, \"abstract\":\"b\"},\n{\"title\":\"C\" \"abstract\":\"c\"},\n7,\n{\"title\":\"D\",\"abstract\":\"d\"},]",
        );
        assert_eq!(items.len(), 5, "{items:?}");
        assert_eq!(ok(&items[0]).title, "A");
        assert!(matches!(
            err(&items[1]),
            IngestError::BadField {
                field: "title",
                line: 2,
                ..
            }
        ));
        assert!(matches!(
            err(&items[2]),
            IngestError::MalformedJson { line: 4, .. }
        ));
        assert!(matches!(
            err(&items[3]),
            IngestError::NotAnObject { line: 5, .. }
        ));
        assert_eq!(ok(&items[4]).title, "D");
    }

    #[test]
    fn array_unclosed_or_with_trailing_garbage() {
        let items = array("[{\"title\":\"A\",\"abstract\":\"a\"}\n");
        assert_eq!(items.len(), 2);
        assert_eq!(ok(&items[0]).title, "A");
        assert!(matches!(
            err(&items[1]),
            IngestError::MalformedJson { line: 2, .. }
        ));

        let items = array("[{\"title\":\"A\",\"abstract\":\"a\"}] xyz");
        assert_eq!(items.len(), 2);
        assert!(matches!(
            err(&items[1]),
            IngestError::MalformedJson { line: 1, .. }
        ));

        let items = array("[{\"title\":\"A\",\"abs");
        assert_eq!(items.len(), 1, "{items:?}");
        assert!(matches!(err(&items[0]), IngestError::MalformedJson { .. }));

        assert!(array("[]").is_empty());
        assert!(array("  [ \n ] \n").is_empty());
    }
}
