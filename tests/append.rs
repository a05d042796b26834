//! Integration tests: `paperkg build --append` and repeatable builds, run as a user would.
//!
//! `build A` then `build --append B` must hold what `build A B` holds (only `meta.inputs`
//! may differ in form), appending what is already stored must add nothing, and two
//! builds of the same input must write the same bytes.

use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::Connection;
use tempfile::TempDir;

mod common;
use common::paperkg;

/// Runs `paperkg build --json --out OUT ARGS…` and returns the JSON summary and stderr.
fn build(out: &Path, args: &[&Path], append: bool) -> (serde_json::Value, String) {
    let mut cmd = paperkg();
    cmd.args(["build", "--json", "--out"]).arg(out);
    if append {
        cmd.arg("--append");
    }
    let o = cmd.args(args).output().expect("runs");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{stderr}");
    let summary = serde_json::from_slice(&o.stdout).expect("one JSON object");
    (summary, stderr)
}

#[test]
fn two_builds_of_the_same_input_write_the_same_bytes() {
    let dir = TempDir::new().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build(&a, &[], false);
    build(&b, &[], false);
    for file in ["kg.sqlite", "graph.dot"] {
        let (x, y) = (
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
        );
        assert!(!x.is_empty());
        assert!(
            x == y,
            "{file} differs between two builds of the same input"
        );
    }
}

/// Every table's rows (the full-text index's shadow tables included), each table's rows
/// sorted, as text.
fn contents(db: &Path) -> Vec<(String, Vec<String>)> {
    let conn = Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.len() >= 9, "{tables:?}");
    tables
        .into_iter()
        .map(|table| {
            let mut st = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let columns = st.column_count();
            let mut rows: Vec<String> = st
                .query_map([], |r| {
                    let values: Vec<Value> = (0..columns)
                        .map(|i| r.get::<_, Value>(i))
                        .collect::<Result<_, _>>()?;
                    Ok(format!("{values:?}"))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows.sort();
            (table, rows)
        })
        .collect()
}

fn meta(db: &Path, key: &str) -> String {
    Connection::open(db)
        .unwrap()
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .unwrap()
}

fn samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/samples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 4);
    files
}

/// Two JSON Lines files: `a` with one broken line, `b` repeating one of `a`'s papers
/// (by id) and with a broken line of its own.
fn jsonl_pair(dir: &Path) -> (PathBuf, PathBuf) {
    let a = dir.join("a.jsonl");
    let b = dir.join("b.jsonl");
    std::fs::write(
        &a,
        concat!(
            r#"{"id":"2106.09685","title":"LoRA: Low-Rank Adaptation of Large Language Models","abstract":"We propose LoRA and apply it to GPT-3 and RoBERTa on GLUE."}"#,
            "\n",
            r#"{"id":"broken","#,
            "\n",
        ),
    )
    .unwrap();
    std::fs::write(
        &b,
        concat!(
            r#"{"id":"2305.14314","title":"QLoRA: Efficient Finetuning of Quantized LLMs","abstract":"We present QLoRA, which finetunes LLaMA with LoRA and beats ChatGPT on Vicuna."}"#,
            "\n",
            r#"{"id":"2106.09685","title":"LoRA (again)","abstract":"A duplicate by id."}"#,
            "\n",
            r#"{"title":42}"#,
            "\n",
        ),
    )
    .unwrap();
    (a, b)
}

#[test]
fn build_then_append_holds_what_building_everything_at_once_holds() {
    let dir = TempDir::new().unwrap();
    let (ja, jb) = jsonl_pair(dir.path());
    let s = samples();
    let a: Vec<&Path> = vec![&s[0], &s[1], &ja];
    let b: Vec<&Path> = vec![&s[2], &jb, &s[3]];
    let all: Vec<&Path> = a.iter().chain(&b).copied().collect();

    let at_once = dir.path().join("at_once");
    let (whole, _) = build(&at_once, &all, false);
    let appended = dir.path().join("appended");
    let (first, _) = build(&appended, &a, false);
    let before = std::fs::read(appended.join("kg.sqlite")).unwrap();
    let (second, stderr) = build(&appended, &b, true);
    assert!(!stderr.contains("no database"), "{stderr}");

    // The append summary: papers new to the database, records replayed.
    let new_papers = whole["papers"].as_u64().unwrap() - first["papers"].as_u64().unwrap();
    assert!(new_papers > 100, "{whole} {first}");
    assert_eq!(second["appended"]["new_papers"], new_papers);
    assert_eq!(second["appended"]["previous_papers"], first["papers"]);
    assert_eq!(
        second["appended"]["replayed_records"],
        first["records_read"]
    );
    assert_eq!(second["appended"]["already_stored"], 0);
    assert_eq!(second["papers"], whole["papers"]);
    assert_eq!(second["records_read"], whole["records_read"]);
    assert_eq!(second["problems"], 1, "b.jsonl's broken line: {second}");
    assert_eq!(whole["problems"], 2);

    let (x, y) = (at_once.join("kg.sqlite"), appended.join("kg.sqlite"));
    let expected_inputs: Vec<String> = all.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(
        serde_json::from_str::<Vec<String>>(&meta(&y, "inputs")).unwrap(),
        expected_inputs,
        "meta.inputs lists the first build's inputs, then the appended ones"
    );
    assert_eq!(meta(&y, "problems"), "2");
    assert_eq!(meta(&y, "records_read"), whole["records_read"].to_string());
    assert_eq!(contents(&x), contents(&y));
    // Rows are written in the same order, so even the bytes agree.
    let (xb, yb) = (std::fs::read(&x).unwrap(), std::fs::read(&y).unwrap());
    assert!(xb == yb, "kg.sqlite bytes differ");
    assert!(yb != before, "the append replaced the database");
    assert_eq!(
        std::fs::read(at_once.join("graph.dot")).unwrap(),
        std::fs::read(appended.join("graph.dot")).unwrap()
    );
}

#[test]
fn appending_what_is_already_stored_adds_nothing() {
    let dir = TempDir::new().unwrap();
    let (ja, jb) = jsonl_pair(dir.path());
    let s = samples();
    let out = dir.path().join("out");
    let (first, _) = build(&out, &[&s[0], &ja, &jb], false);
    let db = out.join("kg.sqlite");
    let before = std::fs::read(&db).unwrap();
    let without_meta = |db: &Path| {
        let mut rows = contents(db);
        rows.retain(|(table, _)| table != "meta");
        rows
    };
    let rows = without_meta(&db);

    // A problem-free file again: not a byte changes (meta.inputs lists it once).
    let (again, stderr) = build(&out, &[&s[0]], true);
    assert_eq!(again["appended"]["new_papers"], 0, "{again}");
    let s0_records = first["records_read"].as_u64().unwrap() - 1 - 2;
    assert_eq!(again["appended"]["already_stored"], s0_records, "{again}");
    assert_eq!(again["records_read"], first["records_read"]);
    assert!(stderr.is_empty(), "{stderr}");
    assert!(std::fs::read(&db).unwrap() == before, "kg.sqlite changed");

    // Files with problems, one appended twice in one run: no paper, provenance, entity or
    // mention added; the problems met reading them again are counted again.
    let (again, stderr) = build(&out, &[&ja, &jb, &jb], true);
    assert_eq!(again["appended"]["new_papers"], 0, "{again}");
    assert_eq!(again["appended"]["already_stored"], 1 + 2 + 2, "{again}");
    assert!(stderr.contains("b.jsonl:3"), "{stderr}");
    assert_eq!(without_meta(&db), rows);
    assert_eq!(meta(&db, "problems"), (2 + 3).to_string());
    assert_eq!(meta(&db, "inputs"), {
        let listed: Vec<String> = [&s[0], &ja, &jb]
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        serde_json::to_string(&listed).unwrap()
    });
}

#[test]
fn append_without_a_database_is_a_normal_build_and_says_so() {
    let dir = TempDir::new().unwrap();
    let s = samples();
    let (plain, appended) = (dir.path().join("plain"), dir.path().join("appended"));
    build(&plain, &[&s[1]], false);
    let (summary, stderr) = build(&appended, &[&s[1]], true);
    assert!(stderr.contains("no database"), "{stderr}");
    assert!(summary["appended"].is_null(), "{summary}");
    assert!(
        std::fs::read(plain.join("kg.sqlite")).unwrap()
            == std::fs::read(appended.join("kg.sqlite")).unwrap()
    );
}

#[test]
fn append_to_another_schema_version_asks_for_a_rebuild_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let s = samples();
    let out = dir.path().join("out");
    build(&out, &[&s[0]], false);
    let db = out.join("kg.sqlite");
    Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", 2)
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    let o = paperkg()
        .args(["build", "--append", "--out"])
        .arg(&out)
        .arg(&s[1])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("schema version 2"), "{stderr}");
    assert!(stderr.contains("without --append"), "{stderr}");
    assert!(std::fs::read(&db).unwrap() == before);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["graph.dot", "kg.sqlite"]);
}

#[test]
fn append_to_a_file_that_is_not_a_database_fails_cleanly() {
    let dir = TempDir::new().unwrap();
    let s = samples();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("kg.sqlite"), "not a database at all").unwrap();
    paperkg()
        .args(["build", "--append", "--out"])
        .arg(&out)
        .arg(&s[0])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--append"));
    assert_eq!(
        std::fs::read_to_string(out.join("kg.sqlite")).unwrap(),
        "not a database at all"
    );
}

/// `--append --lexicon-only` re-extracts the stored papers without discovery too: the
/// database is what a lexicon-only build of everything at once gives, and says so.
#[test]
fn appending_lexicon_only_makes_the_whole_database_lexicon_only() {
    let dir = TempDir::new().unwrap();
    let s = samples();
    let run = |out: &Path, extra: &[&str], inputs: &[PathBuf]| {
        let o = paperkg()
            .args(["build", "--out"])
            .arg(out)
            .args(extra)
            .args(inputs)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let at_once = dir.path().join("at_once");
    run(&at_once, &["--lexicon-only"], &s);
    let appended = dir.path().join("appended");
    run(&appended, &[], &s[..2]);
    assert_eq!(
        meta(&appended.join("kg.sqlite"), "extraction"),
        "lexicon + discovery"
    );
    run(&appended, &["--append", "--lexicon-only"], &s[2..]);
    let (x, y) = (at_once.join("kg.sqlite"), appended.join("kg.sqlite"));
    assert_eq!(meta(&y, "extraction"), "lexicon only");
    assert_eq!(contents(&x), contents(&y));
}
