//! Integration tests: `paperkg export dot|graphml|json|neo4j` and `paperkg sql`, run as a
//! user would on the bundled corpus built once into a temporary folder.
//!
//! Every export is read back (DOT with graphviz-rust, GraphML with roxmltree, JSON with
//! serde_json, the Neo4j CSV files line by line) and its counts compared with the
//! database's. Every ready query in `queries/` must answer with rows, and a write through
//! `paperkg sql` must fail and leave the file byte for byte as it was.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use graphviz_rust::dot_structures::{Graph, Stmt};
use predicates::prelude::*;
use rusqlite::Connection;
use serde_json::Value;

mod common;
use common::paperkg;

/// The bundled sample, built once per test run into a folder under Cargo's target
/// directory.
fn db() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| common::build_bundled("exports-"))
}

/// `(nodes, edges)` the whole-graph exports must hold: papers + entities, and paper →
/// entity relations + entity → entity relations.
fn database_counts() -> (usize, usize) {
    let conn = Connection::open(db()).expect("opens");
    let count = |table: &str| -> usize {
        conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| {
            r.get::<_, i64>(0)
        })
        .expect("counts") as usize
    };
    (
        count("papers") + count("entities"),
        count("paper_entities") + count("edges"),
    )
}

/// Runs `paperkg export FORMAT … --db DB -o OUT` and returns its stderr.
fn export(format: &str, args: &[&str], out: &Path) -> String {
    let run = paperkg()
        .args(["export", format])
        .args(args)
        .arg("--db")
        .arg(db())
        .arg("-o")
        .arg(out)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "export {format} failed: {stderr}");
    stderr
}

/// Node labels and edge count of a DOT file, read back with graphviz-rust.
fn parse_dot(text: &str) -> (Vec<String>, usize) {
    let graph = graphviz_rust::parse(text).unwrap_or_else(|e| panic!("{e}"));
    let Graph::DiGraph { stmts, .. } = graph else {
        panic!("not a digraph")
    };
    let mut labels = Vec::new();
    let mut edges = 0;
    for stmt in stmts {
        match stmt {
            Stmt::Node(node) => {
                for a in node.attributes {
                    if a.0.to_string() == "label" {
                        labels.push(a.1.to_string());
                    }
                }
            }
            Stmt::Edge(_) => edges += 1,
            _ => {}
        }
    }
    (labels, edges)
}

#[test]
fn dot_focus_on_llama_is_cut_to_its_strongest_part_and_parses() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("llama.dot");
    let stderr = export("dot", &["--focus", "llama"], &out);
    assert!(stderr.contains("kept the strongest 30"), "{stderr}");
    let text = fs::read_to_string(&out).unwrap();
    let (labels, edges) = parse_dot(&text);
    assert!(labels.iter().any(|l| l.contains("LLaMA")), "{labels:?}");
    assert!(labels.iter().any(|l| l.contains("Llama 2")), "{labels:?}");
    assert!(edges >= 30, "{edges} lines");
    assert!(text.contains("layout=neato"));
}

#[test]
fn dot_filters_by_type_and_keeps_datasets_as_cylinders() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("datasets.dot");
    export("dot", &["--types", "dataset", "--top", "15"], &out);
    let text = fs::read_to_string(&out).unwrap();
    let (labels, _) = parse_dot(&text);
    assert!(labels.len() > 10, "{labels:?}");
    assert!(text.contains("shape=cylinder"), "{text}");
    assert!(!text.contains("shape=ellipse"), "models drawn: {text}");
    assert!(!text.contains("shape=box"), "methods drawn: {text}");
}

#[test]
fn dot_renders_svg_when_graphviz_is_installed() {
    if std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_err()
    {
        eprintln!("skipped: Graphviz `dot` is not installed (.ci/run installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lora.dot");
    let stderr = export("dot", &["--focus", "LoRA", "--render", "svg"], &out);
    assert!(stderr.contains("drew"), "{stderr}");
    let svg = fs::read_to_string(dir.path().join("lora.svg")).unwrap();
    assert!(svg.contains("<svg") && svg.contains("LoRA"));
}

#[test]
fn unknown_focus_exits_3() {
    paperkg()
        .args(["export", "dot", "--focus", "NoSuchModelAnywhere", "--db"])
        .arg(db())
        .args(["-o", "-"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("NoSuchModelAnywhere"));
}

#[test]
fn graphml_holds_every_node_and_edge_of_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kg.graphml");
    export("graphml", &[], &out);
    let text = fs::read_to_string(&out).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let nodes = doc.descendants().filter(|n| n.has_tag_name("node")).count();
    let edges = doc.descendants().filter(|n| n.has_tag_name("edge")).count();
    assert_eq!((nodes, edges), database_counts());
    let keys: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("key"))
        .filter_map(|n| n.attribute("attr.name"))
        .collect();
    for wanted in ["type", "relation", "weight", "evidence"] {
        assert!(keys.contains(&wanted), "no {wanted} attribute in {keys:?}");
    }
}

#[test]
fn node_link_json_holds_every_node_and_edge_of_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kg.json");
    export("json", &[], &out);
    let json: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    let nodes = json["nodes"].as_array().expect("nodes");
    let links = json["links"].as_array().expect("links");
    assert_eq!((nodes.len(), links.len()), database_counts());
    let ids: std::collections::HashSet<&str> =
        nodes.iter().filter_map(|n| n["id"].as_str()).collect();
    for link in links {
        for end in ["source", "target"] {
            let id = link[end].as_str().expect("string id");
            assert!(ids.contains(id), "dangling {end} {id}");
        }
        assert!(link["relation"].is_string(), "{link}");
    }
}

#[test]
fn neo4j_folder_has_headers_and_one_row_per_node_and_relationship() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("neo4j");
    let stderr = export("neo4j", &[], &out);
    assert!(stderr.contains("neo4j-admin database import"), "{stderr}");
    // Rows are counted as records: quoted fields may hold line breaks.
    let records = |file: &str| -> usize {
        let text = fs::read_to_string(out.join(file)).unwrap();
        let mut quoted = false;
        let mut n = 0;
        for c in text.chars() {
            match c {
                '"' => quoted = !quoted,
                '\n' if !quoted => n += 1,
                _ => {}
            }
        }
        n - 1
    };
    let (nodes, edges) = database_counts();
    assert_eq!(records("papers.csv") + records("entities.csv"), nodes);
    assert_eq!(
        records("paper_entities.csv") + records("relations.csv"),
        edges
    );
    let header = fs::read_to_string(out.join("entities.csv")).unwrap();
    assert!(header.starts_with("entityId:ID(Entity),"), "{header}");
    assert!(out.join("import.sh").is_file());
}

#[test]
fn every_ready_query_answers_with_rows() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "{} query files", files.len());
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        assert!(
            text.starts_with("--"),
            "{} does not open with a comment",
            file.display()
        );
        let out = paperkg()
            .arg("sql")
            .arg(file)
            .args(["--format", "json", "--db"])
            .arg(db())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        let rows: usize = stdout
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l)
                    .unwrap_or_else(|e| panic!("{}: {e}: {l}", file.display()))
                    .as_array()
                    .map_or(0, Vec::len)
            })
            .sum();
        assert!(rows > 0, "{} returned no rows", file.display());
    }
}

#[test]
fn sql_prints_csv_and_table() {
    let csv = paperkg()
        .args([
            "sql",
            "-e",
            "SELECT name, type FROM entities WHERE name = 'LoRA'",
            "--format",
            "csv",
            "--db",
        ])
        .arg(db())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&csv.stdout),
        "name,type\nLoRA,method\n"
    );
    paperkg()
        .args(["sql", "-e", "SELECT COUNT(*) AS n FROM papers", "--db"])
        .arg(db())
        .assert()
        .success()
        .stdout(predicate::str::contains("395"))
        .stdout(predicate::str::contains("(1 row)"));
}

#[test]
fn a_write_through_sql_fails_and_leaves_the_database_unchanged() {
    let before = fs::read(db()).unwrap();
    for write in [
        "DELETE FROM papers",
        "SELECT 1; DROP TABLE entities",
        "UPDATE entities SET name = 'x'",
        "INSERT INTO meta VALUES ('k', 'v')",
        "PRAGMA user_version = 99",
        "CREATE TABLE t (x)",
    ] {
        paperkg()
            .args(["sql", "-e", write, "--db"])
            .arg(db())
            .assert()
            .code(1)
            .stderr(predicate::str::contains("statement"));
    }
    assert!(fs::read(db()).unwrap() == before, "the database changed");
}

#[test]
fn a_bad_statement_is_named_with_its_position() {
    paperkg()
        .args(["sql", "-e", "SELECT 1;\nSELEC name FROM entities", "--db"])
        .arg(db())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("statement 2"))
        .stderr(predicate::str::contains("line 2"));
}
