//! Integration tests: broken input is reported with file and line, the rest is still
//! built, and a failed build never touches the previous outputs.

use std::path::Path;

use predicates::prelude::*;
use tempfile::TempDir;

mod common;
use common::paperkg;

const GOOD_LISTING: &str = "new\n\nSubscribe\n\nMar 14\n\n\
BERT Meets LoRA: A Study\n\n\
We fine-tune BERT with LoRA on GLUE and report results that are better than full fine-tuning on most tasks, with a fraction of the trainable parameters and memory.\n";

/// Writes one good file and one of each kind of bad file into `dir`.
fn write_mixed_corpus(dir: &Path) {
    std::fs::write(dir.join("good.txt"), GOOD_LISTING).unwrap();
    std::fs::write(
        dir.join("bad.jsonl"),
        concat!(
            r#"{"id":"1","title":"Llama 2 Chat Models","abstract":"We release Llama 2 and evaluate it on MMLU."}"#,
            "\n",
            r#"{"id":"2","title":"Truncated"#,
            "\n",
            r#"{"id":"3","title":42,"abstract":"wrong type"}"#,
            "\n",
            r#"{"id":"4","title":"GPT-4 on GSM8K","abstract":"We test GPT-4 on GSM8K."}"#,
            "\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(
        dir.join("binary.txt"),
        b"\x00\x01\x02\xff\xfe junk \x00\x00",
    )
    .unwrap();
    std::fs::write(dir.join("no_abstract.txt"), "A Title Alone On Its Line\n").unwrap();
    let mut invalid = b"Valid Title About T5\n\n".to_vec();
    invalid.extend_from_slice(b"An abstract with a broken byte \xff\xfe here, long enough to be an abstract of a paper that uses T5 on C4 and reports results across many benchmarks in detail.\n");
    std::fs::write(dir.join("invalid_utf8.txt"), invalid).unwrap();
}

#[test]
fn bad_records_are_reported_and_the_rest_is_built() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write_mixed_corpus(&input);
    let out = paperkg()
        .args(["build", "--json", "--out"])
        .arg(dir.path().join("out"))
        .arg(&input)
        .arg(dir.path().join("missing.jsonl"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.jsonl:2"), "{stderr}");
    assert!(stderr.contains("bad.jsonl:3"), "{stderr}");
    assert!(stderr.contains("empty.txt"), "{stderr}");
    assert!(stderr.contains("binary.txt"), "{stderr}");
    assert!(stderr.contains("no_abstract.txt:1"), "{stderr}");
    assert!(stderr.contains("invalid_utf8.txt:3"), "{stderr}");
    assert!(stderr.contains("missing.jsonl"), "{stderr}");
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // good.txt (1) + bad.jsonl lines 1 and 4 (2).
    assert_eq!(s["papers"], 3, "{s}");
    assert!(s["problems"].as_u64().unwrap() >= 7, "{s}");
}

#[test]
fn nothing_usable_fails_and_keeps_the_previous_database() {
    let dir = TempDir::new().unwrap();
    let out_dir = dir.path().join("out");
    let good = dir.path().join("good.txt");
    std::fs::write(&good, GOOD_LISTING).unwrap();
    paperkg()
        .args(["build", "--out"])
        .arg(&out_dir)
        .arg(&good)
        .assert()
        .success();
    let before = std::fs::read(out_dir.join("kg.sqlite")).unwrap();
    let dot_before = std::fs::read(out_dir.join("graph.dot")).unwrap();

    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    paperkg()
        .args(["build", "--out"])
        .arg(&out_dir)
        .arg(&empty)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no usable paper"));
    assert_eq!(std::fs::read(out_dir.join("kg.sqlite")).unwrap(), before);
    assert_eq!(
        std::fs::read(out_dir.join("graph.dot")).unwrap(),
        dot_before
    );
    let leftovers: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "temp files left behind: {leftovers:?}");
}

#[test]
fn strict_stops_at_the_first_problem_and_keeps_the_previous_database() {
    let dir = TempDir::new().unwrap();
    let out_dir = dir.path().join("out");
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write_mixed_corpus(&input);
    std::fs::write(dir.path().join("good.txt"), GOOD_LISTING).unwrap();
    paperkg()
        .args(["build", "--out"])
        .arg(&out_dir)
        .arg(dir.path().join("good.txt"))
        .assert()
        .success();
    let before = std::fs::read(out_dir.join("kg.sqlite")).unwrap();
    paperkg()
        .args(["build", "--strict", "--out"])
        .arg(&out_dir)
        .arg(&input)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--strict"))
        .stderr(predicate::str::contains("bad.jsonl:2"));
    assert_eq!(std::fs::read(out_dir.join("kg.sqlite")).unwrap(), before);
}

#[test]
fn usage_errors_exit_2() {
    paperkg().args(["build", "--no-such-flag"]).assert().code(2);
    paperkg().arg("frobnicate").assert().code(2);
}
