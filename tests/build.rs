//! Integration tests: `paperkg build` and `paperkg stats` run as a user would, on the
//! bundled corpus and on small fixtures.

use predicates::prelude::*;
use rusqlite::Connection;
use tempfile::TempDir;

mod common;
use common::paperkg;

fn json_summary(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).expect("build --json prints one JSON object")
}

fn build_bundled(dir: &TempDir) -> serde_json::Value {
    let out = paperkg()
        .args(["build", "--json", "--out"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_summary(&out.stdout)
}

#[test]
fn build_bundled_sample_counts_records_papers_and_duplicates() {
    let dir = TempDir::new().unwrap();
    let s = build_bundled(&dir);
    assert_eq!(s["files_read"], 4);
    assert_eq!(s["records_read"], 447);
    assert_eq!(s["papers"], 395);
    assert_eq!(s["duplicates"], 52);
    assert_eq!(s["problems"], 0);
    assert!(s["mentions"].as_u64().unwrap() > 500, "{s}");
    for kind in ["model", "method", "dataset"] {
        assert!(
            s["entities_by_type"][kind].as_u64().unwrap() > 10,
            "{kind}: {s}"
        );
    }
    assert!(dir.path().join("kg.sqlite").is_file());
    assert!(dir.path().join("graph.dot").is_file());
}

#[test]
fn build_prints_a_human_summary() {
    let dir = TempDir::new().unwrap();
    paperkg()
        .args(["build", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("447 records from 4 file(s)"))
        .stdout(predicate::str::contains(
            "papers     395 (52 duplicate record(s) merged)",
        ))
        .stdout(predicate::str::contains("kg.sqlite"));
}

#[test]
fn sqlite_answers_which_papers_mention_lora() {
    let dir = TempDir::new().unwrap();
    build_bundled(&dir);
    let db = Connection::open(dir.path().join("kg.sqlite")).unwrap();
    let mut stmt = db
        .prepare(
            "SELECT DISTINCT p.title FROM papers p
             JOIN mentions m ON m.paper_id = p.id
             JOIN entities e ON e.id = m.entity_id
             WHERE e.name = 'LoRA' AND e.type = 'method' ORDER BY p.title",
        )
        .unwrap();
    let titles: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(titles.len() >= 8, "{titles:?}");
    assert!(titles
        .iter()
        .any(|t| t.starts_with("GaLore: Memory-Efficient LLM Training")));
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let fk_problems: i64 = db
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk_problems, 0);
    // Every provenance row points at one of the four bundled files.
    let files: i64 = db
        .query_row("SELECT count(DISTINCT file) FROM provenance", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(files, 4);
    let records: i64 = db
        .query_row("SELECT count(*) FROM provenance", [], |r| r.get(0))
        .unwrap();
    assert_eq!(records, 447);
}

#[test]
fn mention_offsets_point_at_the_surface_text() {
    let dir = TempDir::new().unwrap();
    build_bundled(&dir);
    let db = Connection::open(dir.path().join("kg.sqlite")).unwrap();
    let mut stmt = db
        .prepare(
            "SELECT m.surface, m.field, m.char_start, m.char_end, p.title, p.abstract
             FROM mentions m JOIN papers p ON p.id = m.paper_id",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })
        .unwrap();
    let mut n = 0;
    for row in rows {
        let (surface, field, start, end, title, abstract_text) = row.unwrap();
        let text = if field == "title" {
            title
        } else {
            abstract_text
        };
        let found: String = text
            .chars()
            .skip(start as usize)
            .take((end - start) as usize)
            .collect();
        assert_eq!(found, surface);
        n += 1;
    }
    assert!(n > 500);
}

#[test]
fn dot_output_parses_and_renders() {
    let dir = TempDir::new().unwrap();
    build_bundled(&dir);
    let text = std::fs::read_to_string(dir.path().join("graph.dot")).unwrap();
    graphviz_rust::parse(&text).expect("graph.dot parses with graphviz-rust");
    if which_dot().is_none() {
        eprintln!("skipping render: Graphviz `dot` is not installed");
        return;
    }
    let svg = dir.path().join("graph.svg");
    let status = std::process::Command::new("dot")
        .arg("-Tsvg")
        .arg(dir.path().join("graph.dot"))
        .arg("-o")
        .arg(&svg)
        .status()
        .unwrap();
    assert!(status.success());
    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(svg.contains("<svg"));
    assert!(svg.contains("LoRA"));
}

fn which_dot() -> Option<()> {
    std::process::Command::new("dot")
        .arg("-V")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| ())
}

#[test]
fn stats_reads_the_summary_back() {
    let dir = TempDir::new().unwrap();
    let built = build_bundled(&dir);
    let out = paperkg()
        .args(["stats", "--json", "--db"])
        .arg(dir.path().join("kg.sqlite"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["papers"], 395);
    assert_eq!(stats["records"], 447);
    assert_eq!(stats["duplicates"], 52);
    assert_eq!(stats["mentions"], built["mentions"]);
    assert_eq!(stats["co_mention_edges"], built["co_mention_edges"]);
    assert_eq!(stats["extraction"], "lexicon + discovery");
    assert_eq!(built["extraction"], "lexicon + discovery");
    paperkg()
        .args(["stats", "--db"])
        .arg(dir.path().join("kg.sqlite"))
        .assert()
        .success()
        .stdout(predicate::str::contains("395"));
}

#[test]
fn lexicon_only_build_links_fewer_entities_and_says_so() {
    let full_dir = TempDir::new().unwrap();
    let full = build_bundled(&full_dir);
    let dir = TempDir::new().unwrap();
    let out = paperkg()
        .args(["build", "--json", "--lexicon-only", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let built = json_summary(&out.stdout);
    assert_eq!(built["extraction"], "lexicon only");
    assert_eq!(built["papers"], full["papers"]);
    let mentions = |s: &serde_json::Value| s["mentions"].as_u64().unwrap();
    assert!(mentions(&built) < mentions(&full), "{built} {full}");
    let db = Connection::open(dir.path().join("kg.sqlite")).unwrap();
    let recorded: String = db
        .query_row("SELECT value FROM meta WHERE key = 'extraction'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(recorded, "lexicon only");
    // Without discovery, the names a paper coins are mostly unknown to the lexicon.
    let proposes = |db: &Connection| -> i64 {
        db.query_row(
            "SELECT COUNT(*) FROM paper_entities WHERE relation = 'proposes'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let full_db = Connection::open(full_dir.path().join("kg.sqlite")).unwrap();
    assert!(proposes(&db) * 10 < proposes(&full_db));
    paperkg()
        .args(["stats", "--db"])
        .arg(dir.path().join("kg.sqlite"))
        .assert()
        .success()
        .stdout(predicate::str::contains("extraction lexicon only"));
}

#[test]
fn stats_on_a_missing_database_names_it() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("nope.sqlite");
    paperkg()
        .args(["stats", "--db"])
        .arg(&missing)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nope.sqlite"));
    assert!(!missing.exists(), "stats must not create a database");
}

#[test]
fn jsonl_and_gzip_inputs_build() {
    let dir = TempDir::new().unwrap();
    let jsonl = dir.path().join("papers.jsonl");
    std::fs::write(
        &jsonl,
        concat!(
            r#"{"id":"2106.09685","title":"LoRA: Low-Rank Adaptation of Large Language Models","abstract":"We propose Low-Rank Adaptation, or LoRA, and apply it to GPT-3 and RoBERTa.","categories":"cs.CL"}"#,
            "\n",
            r#"{"id":"2305.14314","title":"QLoRA: Efficient Finetuning of Quantized LLMs","abstract":"We present QLoRA, which finetunes LLaMA models and beats ChatGPT on Vicuna benchmarks."}"#,
            "\n"
        ),
    )
    .unwrap();
    let gz = dir.path().join("more.jsonl.gz");
    {
        use std::io::Write;
        let file = std::fs::File::create(&gz).unwrap();
        let mut enc = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        enc.write_all(
            br#"{"id":"2106.09685","title":"LoRA: Low-Rank Adaptation of Large Language Models","abstract":"duplicate by id"}"#,
        )
        .unwrap();
        enc.finish().unwrap();
    }
    let out = dir.path().join("out");
    let o = paperkg()
        .args(["build", "--json", "--out"])
        .arg(&out)
        .arg(&jsonl)
        .arg(&gz)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = json_summary(&o.stdout);
    assert_eq!(s["records_read"], 3);
    assert_eq!(s["papers"], 2);
    assert_eq!(s["duplicates"], 1);
    let db = Connection::open(out.join("kg.sqlite")).unwrap();
    let id: String = db
        .query_row(
            "SELECT arxiv_id FROM papers WHERE title LIKE 'QLoRA%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(id, "2305.14314");
    let gpt3: i64 = db
        .query_row(
            "SELECT count(*) FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE e.name = 'GPT-3'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(gpt3, 1);
}

#[test]
fn user_lexicon_adds_entities() {
    let dir = TempDir::new().unwrap();
    let lex = dir.path().join("mine.tsv");
    std::fs::write(
        &lex,
        "# my names\nStacking Operator\tmethod\tG_{stack}\t\texact\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    paperkg()
        .args(["build", "--out"])
        .arg(&out)
        .arg("--lexicon")
        .arg(&lex)
        .assert()
        .success();
    let db = Connection::open(out.join("kg.sqlite")).unwrap();
    let n: i64 = db
        .query_row(
            "SELECT paper_count FROM entities WHERE name = 'Stacking Operator'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn bad_lexicon_names_file_and_line() {
    let dir = TempDir::new().unwrap();
    let lex = dir.path().join("bad.tsv");
    std::fs::write(&lex, "LoRA\tmethod\nFoo\tgizmo\n").unwrap();
    paperkg()
        .args(["build", "--out"])
        .arg(dir.path().join("out"))
        .arg("--lexicon")
        .arg(&lex)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.tsv:2: unknown entity type"));
}

/// A file that cannot be read is named with its cause, once (the cause is the error's
/// source, not also part of its message), by `build` and by `extract`.
#[test]
fn missing_lexicon_is_named_with_its_cause_once() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("missing.tsv");
    let mut build = paperkg();
    build.arg("build").arg("--out").arg(dir.path().join("out"));
    let mut extract = paperkg();
    extract.arg("extract");
    for mut command in [build, extract] {
        let out = command
            .arg("--lexicon")
            .arg(&missing)
            .arg("data/samples")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("missing.tsv: cannot read lexicon: "),
            "{stderr}"
        );
        assert_eq!(stderr.matches("os error").count(), 1, "{stderr}");
        assert!(out.stdout.is_empty());
    }
}
