//! Fuzzes the listing-page reader: any bytes, read as a `.txt` file (gzip and binary
//! detection included), must give records and located errors, never a panic. Every record
//! has a non-empty title and abstract without control characters, on a line of the input.
#![no_main]

use std::io::Cursor;
use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use paperkg::ingest::{read_stream, IngestOptions, Record};

fuzz_target!(|data: &[u8]| {
    // A small line limit too, so the over-long-line path is exercised on small inputs.
    for max_line_bytes in [IngestOptions::DEFAULT_MAX_LINE_BYTES, 64] {
        let options = IngestOptions {
            max_line_bytes,
            max_file_bytes: Some(64 * 1024),
        };
        let path = PathBuf::from("fuzz.txt");
        for item in read_stream(path, Cursor::new(data.to_vec()), &options) {
            match item {
                Ok(r) => check(&r, data),
                Err(e) => assert!(e.to_string().starts_with("fuzz.txt")),
            }
        }
    }
});

fn check(r: &Record, data: &[u8]) {
    assert!(!r.title.is_empty() && !r.abstract_text.is_empty());
    for text in [&r.title, &r.abstract_text] {
        assert!(!text.chars().any(char::is_control), "{text:?}");
        assert_eq!(text.trim(), text.as_str());
    }
    assert!(r.source.line >= 1);
    if !data.starts_with(&[0x1f, 0x8b]) {
        let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
        assert!(r.source.line <= lines, "line {} of {lines}", r.source.line);
    }
}
