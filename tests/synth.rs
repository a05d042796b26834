//! `paperkg synth` as a user runs it: the file it writes is deterministic, reads back
//! through `paperkg build`, and bad rates are usage errors.

use assert_cmd::Command;
use predicates::str::contains;

fn paperkg() -> Command {
    Command::new(env!("CARGO_BIN_EXE_paperkg"))
}

#[test]
fn same_seed_writes_the_same_file_and_it_builds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    for path in [&a, &b] {
        paperkg()
            .args(["synth", "--papers", "200", "--seed", "9", "-o"])
            .arg(path)
            .assert()
            .success()
            .stderr(contains("200 records"));
    }
    let bytes = std::fs::read(&a).expect("read a");
    assert_eq!(bytes, std::fs::read(&b).expect("read b"));
    assert_eq!(bytes.iter().filter(|&&c| c == b'\n').count(), 200);

    let out = dir.path().join("out");
    paperkg()
        .args(["build", "--json", "--out"])
        .arg(&out)
        .arg(&a)
        .assert()
        .success()
        .stdout(contains("\"records_read\":200"));
}

#[test]
fn writes_to_stdout_without_out() {
    let out = paperkg()
        .args(["synth", "--papers", "3"])
        .assert()
        .success();
    assert_eq!(out.get_output().stdout.split(|&c| c == b'\n').count(), 4);
}

#[test]
fn a_rate_outside_zero_to_one_is_a_usage_error() {
    paperkg()
        .args(["synth", "--duplicates", "1.5"])
        .assert()
        .code(2)
        .stderr(contains("between 0 and 1"));
}
