//! Fuzzes the arXiv-metadata JSON readers: any bytes, read as JSON Lines (`.jsonl`) and as
//! `.json` (a JSON array when it starts with `[`), must give records and located errors,
//! never a panic. Every record has a non-empty title and abstract without control
//! characters.
#![no_main]

use std::io::Cursor;
use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use paperkg::ingest::{read_stream, IngestOptions};

fuzz_target!(|data: &[u8]| {
    for name in ["fuzz.jsonl", "fuzz.json"] {
        for max_line_bytes in [IngestOptions::DEFAULT_MAX_LINE_BYTES, 48] {
            let options = IngestOptions {
                max_line_bytes,
                max_file_bytes: Some(64 * 1024),
            };
            for item in read_stream(PathBuf::from(name), Cursor::new(data.to_vec()), &options) {
                match item {
                    Ok(r) => {
                        assert!(!r.title.is_empty() && !r.abstract_text.is_empty());
                        for text in [&r.title, &r.abstract_text] {
                            assert!(!text.chars().any(char::is_control), "{text:?}");
                        }
                        assert!(r.source.line >= 1);
                    }
                    Err(e) => assert!(e.to_string().starts_with(name)),
                }
            }
        }
    }
});
