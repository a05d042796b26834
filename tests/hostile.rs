//! The hostile corpus (`tests/fixtures/hostile/`, plus a 5 MB single line written here):
//! every record is either kept, its title byte for byte after the documented clean-up, or
//! skipped with a message naming its file and line; and every export of the result stays
//! valid: Graphviz renders the DOT files, GraphML parses as XML, JSON as JSON, the Neo4j
//! CSV files are well-formed, and SQLite passes its integrity and foreign-key checks.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use rusqlite::Connection;
use tempfile::TempDir;

mod common;
use common::paperkg;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile")
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("paperkg runs");
    assert!(
        out.status.success(),
        "{:?} failed\nstderr:\n{}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Titles kept, exactly as stored: the input's, with runs of whitespace and control
/// characters as one space.
const KEPT_TITLES: &[&str] = &[
    // hostile.jsonl (and the same records in hostile_gz.jsonl.gz, merged by id)
    "Quotes \"double\" 'single' \\backslash\\ {braces} [brackets] |pipes| `ticks`",
    "<b>Bold</b> & <script>alert(\"x\")</script> <!-- c --> ]]> &amp; &#0; <?xml?>",
    "Robert'); DROP TABLE papers; -- OR ''='' /* c */ ; SELECT * FROM entities",
    "Tabs and new lines in a title with a line separator",
    "עברית ومتن عربي 🦙🚀 \u{202e}override\u{202c} ZWJ 👩\u{200d}🔬 e\u{301} ﬁ Ⅻ",
    "Esc [31mred [0m, NUL , bell , DEL , C1 end",
    "digraph { a -> b; } node [label=\"x\"] \\N \\G \\L <TABLE> %s %n {{}}",
    "A,B;\"C\" D ,\"\" , 'E'",
    "{\"title\": \"nested\"}",
    "Last line, no newline: ÆØÅ 中文",
    // hostile.json
    "Array \"quoted\" \\ {x} <y>",
    "Array 🦙 \u{202e} RTL and '; DROP TABLE x; --",
    // hostile.txt (the listing layout)
    "Stray NUL and [1mESC [0m in a listing title",
    "Tab inside title",
    "Final Title Before EOF",
    // truncated.json
    "Complete",
    // the 5 MB lines
    "A five megabyte abstract: \"quotes\" <tags> {braces}",
    "A Five Megabyte Listing Abstract",
];

/// `file:line` (or `file:`) of every record or file that must be reported as skipped.
const SKIPPED: &[&str] = &[
    "binary.jsonl: not a text file",
    "empty.jsonl: no papers",
    "empty.txt: no papers",
    "hostile.json:3: bad field `title`",
    "hostile.json:6: malformed JSON",
    "hostile.jsonl:10: bad field `title`",
    "hostile.jsonl:11: malformed JSON: EOF",
    "hostile.jsonl:12: invalid UTF-8",
    "hostile.jsonl:13: malformed JSON: control character",
    "hostile.jsonl:14: malformed JSON",
    "hostile.jsonl:15: malformed JSON: recursion limit",
    "hostile.jsonl:16: malformed JSON: number out of range",
    "hostile.jsonl:17: malformed JSON: duplicate field `title`",
    "hostile.jsonl:18: expected a JSON object",
    "hostile.jsonl:19: bad field `title`",
    "hostile_gz.jsonl.gz:10: bad field `title`",
    "hostile_gz.jsonl.gz:19: bad field `title`",
    "hostile.txt:27: invalid UTF-8",
    "truncated.json:1: malformed JSON",
];

/// A paragraph of ~1 KB naming one entity, repeated to 5 MB on one line.
fn five_megabytes() -> String {
    let paragraph = format!(
        "{}We fine-tune BERT on it. ",
        "the quick brown fox jumps over the lazy dog and keeps running until night falls. "
            .repeat(12)
    );
    let mut text = paragraph.repeat(5_000_000 / paragraph.len() + 1);
    text.truncate(5_000_000);
    text.trim_end().to_owned()
}

/// Writes the 5 MB single lines, in both layouts, into `dir`.
fn write_big_inputs(dir: &Path) -> Vec<PathBuf> {
    let text = five_megabytes();
    let json = dir.join("big.jsonl");
    let line = serde_json::json!({
        "id": "big",
        "title": KEPT_TITLES[KEPT_TITLES.len() - 2],
        "abstract": text,
    });
    std::fs::write(&json, format!("{line}\n")).expect("write");
    let listing = dir.join("big.txt");
    let title = KEPT_TITLES[KEPT_TITLES.len() - 1];
    std::fs::write(&listing, format!("{title}\n\n{text}\n")).expect("write");
    vec![json, listing]
}

fn titles(db: &Path) -> BTreeSet<String> {
    let conn = Connection::open(db).expect("open database");
    let mut stmt = conn.prepare("SELECT title FROM papers").expect("query");
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .expect("query")
        .collect::<Result<BTreeSet<_>, _>>()
        .expect("titles");
    rows
}

fn check_sqlite(db: &Path) {
    let conn = Connection::open(db).expect("open database");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(integrity, "ok");
    let mut stmt = conn.prepare("PRAGMA foreign_key_check").expect("pragma");
    let violations = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .expect("foreign_key_check")
        .count();
    assert_eq!(violations, 0, "foreign key violations in {}", db.display());
}

/// Renders a DOT file with Graphviz when it is installed (CI installs it).
fn check_dot(path: &Path) {
    let text = std::fs::read_to_string(path).expect("DOT is UTF-8");
    assert!(text.starts_with("digraph") || text.starts_with("strict digraph"));
    let Ok(out) = std::process::Command::new("dot")
        .arg("-Tsvg")
        .arg(path)
        .output()
    else {
        println!(
            "note: Graphviz `dot` not installed; {} not rendered",
            path.display()
        );
        return;
    };
    assert!(
        out.status.success(),
        "dot -Tsvg {} failed: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = String::from_utf8(out.stdout).expect("SVG is UTF-8");
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(&svg, options).expect("Graphviz wrote well-formed SVG");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("Error"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A strict RFC 4180 reader: records of fields; panics on a stray quote.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    assert!(
                        matches!(chars.peek(), None | Some(',' | '\n')),
                        "text after a closing quote in {field:?}"
                    );
                }
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            '"' => panic!("stray quote in an unquoted field {field:?}"),
            ',' => {
                record.push(std::mem::take(&mut field));
                at_start = true;
            }
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_start = true;
            }
            '\r' => panic!("bare carriage return outside quotes"),
            c => {
                field.push(c);
                at_start = false;
            }
        }
    }
    assert!(!quoted, "unterminated quoted field");
    assert!(record.is_empty() && field.is_empty(), "last line not ended");
    records
}

/// Entity names from `hostile_lexicon.tsv`, each matching text in a hostile title.
const HOSTILE_NAMES: &[&str] = &[
    "<script>alert(\"x\")</script>",
    "\\backslash\\ {braces}",
    "DROP TABLE papers; --",
    "digraph { a -> b; }",
    "عربي 🦙",
];

fn entity_names(db: &Path) -> BTreeSet<String> {
    let conn = Connection::open(db).expect("open database");
    let mut stmt = conn.prepare("SELECT name FROM entities").expect("query");
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .expect("query")
        .collect::<Result<BTreeSet<_>, _>>()
        .expect("names");
    names
}

/// Checks every export of `db`; returns the (paper titles, entity names) they carry,
/// after checking that GraphML, JSON and the Neo4j CSV files agree on them.
fn check_exports(db: &Path, dir: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    check_sqlite(db);
    check_dot(&db.with_file_name("graph.dot"));
    let export = |args: &[&str], out: &Path| {
        run(paperkg()
            .arg("export")
            .args(args)
            .arg("--db")
            .arg(db)
            .arg("-o")
            .arg(out));
    };
    // Everything, papers included, in every format.
    let dot = dir.join("all.dot");
    export(
        &["dot", "--papers", "--top", "0", "--co-mentions", "0"],
        &dot,
    );
    check_dot(&dot);

    let graphml = dir.join("g.graphml");
    export(&["graphml"], &graphml);
    let text = std::fs::read_to_string(&graphml).expect("GraphML is UTF-8");
    let doc = roxmltree::Document::parse(&text).expect("GraphML parses as XML");
    let mut labels = BTreeSet::new();
    let mut names = BTreeSet::new();
    for node in doc.descendants().filter(|n| n.has_tag_name("node")) {
        let data = |key: &str| {
            node.children()
                .find(|d| d.attribute("key") == Some(key))
                .and_then(|d| d.text())
                .unwrap_or("")
                .to_owned()
        };
        if data("n_type") == "paper" {
            labels.insert(data("n_label"));
        } else {
            names.insert(data("n_label"));
        }
    }

    let json = dir.join("g.json");
    export(&["json"], &json);
    let value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).expect("read")).expect("JSON parses");
    let nodes = value["nodes"].as_array().expect("nodes");
    let json_labels = |papers: bool| -> BTreeSet<String> {
        nodes
            .iter()
            .filter(|n| (n["type"] == "paper") == papers)
            .map(|n| n["label"].as_str().expect("label").to_owned())
            .collect()
    };
    assert_eq!(json_labels(true), labels, "JSON and GraphML disagree");
    assert_eq!(json_labels(false), names, "JSON and GraphML disagree");

    let neo = dir.join("neo4j");
    export(&["neo4j"], &neo);
    let mut csv_titles = BTreeSet::new();
    let mut csv_names = BTreeSet::new();
    for name in [
        "papers.csv",
        "entities.csv",
        "paper_entities.csv",
        "relations.csv",
    ] {
        let text = std::fs::read_to_string(neo.join(name)).expect("CSV is UTF-8");
        let rows = parse_csv(&text);
        let width = rows[0].len();
        for row in &rows {
            assert_eq!(row.len(), width, "{name}: ragged row {row:?}");
        }
        if name == "papers.csv" {
            csv_titles.extend(rows[1..].iter().map(|r| r[2].clone()));
        }
        if name == "entities.csv" {
            csv_names.extend(rows[1..].iter().map(|r| r[1].clone()));
        }
    }
    assert_eq!(csv_titles, labels, "Neo4j CSV and GraphML disagree");
    assert_eq!(csv_names, names, "Neo4j CSV and GraphML disagree");
    (labels, names)
}

#[test]
fn hostile_corpus_is_kept_or_reported_and_every_export_stays_valid() {
    let dir = TempDir::new().expect("temp dir");
    let big = write_big_inputs(dir.path());
    let out_dir = dir.path().join("out");
    let out = run(paperkg()
        .args(["build", "--json", "--lexicon"])
        .arg(fixtures().join("hostile_lexicon.tsv"))
        .arg("--out")
        .arg(&out_dir)
        .arg(fixtures())
        .args(&big));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for skipped in SKIPPED {
        assert!(stderr.contains(skipped), "no `{skipped}` in:\n{stderr}");
    }
    // Every warning names a file, and a line unless it is about the whole file.
    for line in stderr.lines() {
        assert!(line.starts_with("paperkg: warning: "), "{line}");
        assert!(line.contains("tests/fixtures/hostile/"), "{line}");
    }
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("summary");
    // Five listing titles repeat JSON ones but are other papers (no id to match on).
    assert_eq!(summary["papers"], KEPT_TITLES.len() + 5, "{summary}");
    // The gzip copy repeats hostile.jsonl's problems on lines 11 to 18 too.
    assert_eq!(
        summary["problems"],
        SKIPPED.len() + 8,
        "{summary}\n{stderr}"
    );

    let db = out_dir.join("kg.sqlite");
    let expected: BTreeSet<String> = KEPT_TITLES.iter().map(|t| t.to_string()).collect();
    assert_eq!(titles(&db), expected);
    let names = entity_names(&db);
    for name in HOSTILE_NAMES {
        assert!(names.contains(*name), "entity {name:?} not in {names:?}");
    }
    let (titles, exported_names) = check_exports(&db, dir.path());
    assert_eq!(titles, expected, "titles change on the way to the exports");
    assert_eq!(
        exported_names, names,
        "names change on the way to the exports"
    );
}

#[test]
fn limits_skip_what_is_too_big_and_keep_the_rest() {
    let dir = TempDir::new().expect("temp dir");
    let big = write_big_inputs(dir.path());
    let out_dir = dir.path().join("out");
    let hostile = fixtures().join("hostile.jsonl");
    let out = run(paperkg()
        .args([
            "build",
            "--json",
            "--max-line-bytes",
            "1M",
            "--max-entities",
            "2",
            "--out",
        ])
        .arg(&out_dir)
        .args(&big)
        .arg(&hostile));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "big.jsonl:1: line too long (",
        "big.txt:3: line too long (",
        "limit 1048576); skipped",
        "hostile.jsonl:1: the paper names 5 entities; kept the first 2 (--max-entities)",
    ] {
        assert!(stderr.contains(expected), "no `{expected}` in:\n{stderr}");
    }
    // The listing's over-long abstract takes its title with it: one warning, one record.
    assert!(!stderr.contains("big.txt:1"), "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("summary");
    assert_eq!(summary["papers"], 10, "{summary}");
    assert!(summary["capped_papers"].as_u64() >= Some(1), "{summary}");
    let db = out_dir.join("kg.sqlite");
    check_sqlite(&db);
    let conn = Connection::open(&db).expect("open");
    let most: i64 = conn
        .query_row(
            "SELECT max(n) FROM (SELECT count(DISTINCT entity_id) AS n FROM mentions GROUP BY paper_id)",
            [],
            |r| r.get(0),
        )
        .expect("query");
    assert!(most <= 2, "a paper kept {most} entities");

    // The file limit keeps the records before it: lines 1 to 9 fit in 3,000 bytes.
    let out = run(paperkg()
        .args(["build", "--json", "--max-file-bytes", "3000", "--out"])
        .arg(&out_dir)
        .arg(&hostile));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("hostile.jsonl:15: file larger than the limit of 3000 bytes"),
        "{stderr}"
    );
    assert!(!stderr.contains("hostile.jsonl:16"), "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("summary");
    assert_eq!(summary["papers"], 9, "{summary}");
    check_sqlite(&db);
}

#[test]
fn nothing_but_hostile_whole_files_exits_1_naming_each() {
    let f = fixtures();
    let out = paperkg()
        .args(["build", "--out"])
        .arg(TempDir::new().expect("temp dir").path())
        .arg(f.join("empty.txt"))
        .arg(f.join("empty.jsonl"))
        .arg(f.join("binary.jsonl"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for name in [
        "empty.txt",
        "empty.jsonl",
        "binary.jsonl",
        "no usable paper",
    ] {
        assert!(stderr.contains(name), "{name}: {stderr}");
    }
}
