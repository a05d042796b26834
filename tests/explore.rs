//! Integration tests: the explore commands (`show`, `neighbors`, `path`, `top`, `related`,
//! `papers`, `explain`) run as a user would, with `--db`, on the bundled corpus built once
//! into a temporary folder.
//!
//! Extraction is still changing, so these pin robust facts (LoRA is a method named by at
//! least 8 papers; every hop of `path LoRA GPT-4` is explained by a real sentence naming
//! both ends), not exact counts.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use predicates::prelude::*;
use rusqlite::Connection;
use serde_json::Value;

mod common;
use common::paperkg;

/// The bundled sample, built once per test run into a temporary folder under Cargo's
/// target directory (kept for the whole run; `cargo clean` removes it).
fn db() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| common::build_bundled("explore-"))
}

/// Runs an explore command on the bundled database and returns its stdout.
fn run(args: &[&str]) -> String {
    let out = paperkg()
        .args(args)
        .arg("--db")
        .arg(db())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "paperkg {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Runs an explore command with `--json` and parses its stdout.
fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let text = run(&all);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: bad JSON ({e}): {text}"))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Every name an entity is known by, lowercase.
fn aliases(name: &str) -> Vec<String> {
    strings(&json(&["show", name])["aliases"])
        .iter()
        .map(|a| a.to_lowercase())
        .collect()
}

fn names_any(sentence: &str, aliases: &[String]) -> bool {
    let s = sentence.to_lowercase();
    aliases.iter().any(|a| s.contains(a.as_str()))
}

#[test]
fn show_lora_is_a_method_used_by_many_papers() {
    let card = json(&["show", "LoRA"]);
    assert_eq!(card["entity"]["name"], "LoRA");
    assert_eq!(card["entity"]["type"], "method");
    assert!(card["entity"]["papers"].as_u64().unwrap() >= 8, "{card}");
    assert!(strings(&card["aliases"]).contains(&"Low-Rank Adaptation".to_string()));
    let rels: Vec<&str> = card["paper_relations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["relation"].as_str())
        .collect();
    assert!(rels.contains(&"uses"), "{rels:?}");
    assert!(!card["relations"].as_array().unwrap().is_empty());

    let text = run(&["show", "LoRA"]);
    assert!(text.starts_with("LoRA (method): "), "{text}");
    assert!(text.contains("aliases"), "{text}");
    assert!(text.contains("relations"), "{text}");
}

#[test]
fn names_resolve_through_case_and_aliases() {
    let id = json(&["show", "LoRA"])["entity"]["id"].clone();
    for name in ["lora", "LORA", "low-rank adaptation", "  LoRA  "] {
        assert_eq!(json(&["show", name])["entity"]["id"], id, "{name}");
    }
    let llama2 = json(&["show", "Llama 2"])["entity"]["id"].clone();
    for name in ["llama-2", "LLaMA2", "llama 2"] {
        assert_eq!(json(&["show", name])["entity"]["id"], llama2, "{name}");
    }
}

#[test]
fn show_family_lists_its_variants() {
    let card = json(&["show", "LLaMA"]);
    let variants: Vec<&str> = card["variants"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["name"].as_str())
        .collect();
    assert!(variants.contains(&"Llama 2"), "{variants:?}");
    let child = json(&["show", "Llama 2"]);
    assert_eq!(child["family"]["name"], "LLaMA");
    let variant_of = child["relations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["relation"] == "variant_of" && r["other"]["name"] == "LLaMA");
    assert!(variant_of, "{child}");
}

#[test]
fn path_lora_gpt4_explains_every_hop_with_a_real_sentence() {
    let report = json(&["path", "LoRA", "GPT-4"]);
    assert_eq!(report["connected"], true, "{report}");
    let hops = report["hops"].as_array().unwrap();
    assert!(!hops.is_empty() && hops.len() <= 4, "{report}");
    assert_eq!(hops[0]["from"]["name"], "LoRA");
    assert_eq!(hops[hops.len() - 1]["to"]["name"], "GPT-4");
    let conn = Connection::open(db()).unwrap();
    for pair in hops.windows(2) {
        assert_eq!(pair[0]["to"], pair[1]["from"]);
    }
    for hop in hops {
        let evidence = hop["evidence"].as_array().unwrap();
        assert!(!evidence.is_empty(), "hop without evidence: {hop}");
        let from = hop["from"]["name"].as_str().unwrap();
        let to = hop["to"]["name"].as_str().unwrap();
        if report["sentence_evidence"] == true {
            let sentence = evidence[0]["sentence"].as_str().unwrap();
            // A variant_of hop is evidenced by a sentence naming the variant (the family
            // comes from the lexicon); every other hop by one naming both ends.
            let variant = match hop["direction"].as_str() {
                Some("out") => from,
                _ => to,
            };
            if hop["relation"] == "variant_of" {
                assert!(names_any(sentence, &aliases(variant)), "{hop}");
            } else {
                assert!(names_any(sentence, &aliases(from)), "{from}: {sentence}");
                assert!(names_any(sentence, &aliases(to)), "{to}: {sentence}");
            }
        }
        for e in evidence {
            assert_sentence_is_in_paper(&conn, e);
        }
    }
    let text = run(&["path", "LoRA", "GPT-4"]);
    assert!(
        text.starts_with("LoRA (method) → GPT-4 (model): "),
        "{text}"
    );
    assert!(text.contains("“"), "{text}");
}

/// The evidence's sentence is the stored field's text at the stored offsets.
fn assert_sentence_is_in_paper(conn: &Connection, e: &Value) {
    let id = e["paper"]["id"].as_i64().unwrap();
    let column = match e["field"].as_str().unwrap() {
        "title" => "title",
        _ => "abstract",
    };
    let text: String = conn
        .query_row(
            &format!("SELECT {column} FROM papers WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let start = e["char_start"].as_u64().unwrap() as usize;
    let end = e["char_end"].as_u64().unwrap() as usize;
    let sliced: String = text.chars().skip(start).take(end - start).collect();
    let flat = sliced.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(flat, e["sentence"].as_str().unwrap());
}

#[test]
fn related_mmlu_ranks_benchmarks_and_models_by_pmi() {
    let report = json(&["related", "MMLU"]);
    let rows = report["related"].as_array().unwrap();
    assert!(!rows.is_empty(), "{report}");
    let mut last = f64::INFINITY;
    for r in rows {
        assert!(r["shared_papers"].as_u64().unwrap() >= 2, "{r}");
        let pmi = r["pmi"].as_f64().unwrap();
        assert!(pmi <= last, "not sorted by PMI: {report}");
        last = pmi;
    }
    let names: Vec<&str> = rows
        .iter()
        .filter_map(|r| r["entity"]["name"].as_str())
        .collect();
    let expected = [
        "C-Eval",
        "CMMLU",
        "GSM8K",
        "HumanEval",
        "MATH",
        "ARC",
        "HellaSwag",
        "BBH",
        "TruthfulQA",
        "Llama 3 8B",
        "Mistral 7B",
    ];
    assert!(
        names.iter().any(|n| expected.contains(n)),
        "no benchmark or model that belongs with MMLU: {names:?}"
    );
    // A higher minimum support keeps fewer.
    let strict = json(&["related", "MMLU", "--min-support", "3"]);
    assert!(strict["total"].as_u64() <= report["total"].as_u64());
    let text = run(&["related", "MMLU"]);
    assert!(text.contains("PMI"), "{text}");
}

#[test]
fn papers_llama2_cite_the_sentence_naming_it() {
    let report = json(&["papers", "Llama 2", "--limit", "100"]);
    let hits = report["papers"].as_array().unwrap();
    assert!(report["total"].as_u64().unwrap() >= 5, "{report}");
    let known = aliases("Llama 2");
    let relations = [
        "proposes",
        "uses",
        "evaluates_on",
        "compares_with",
        "mentions",
    ];
    let conn = Connection::open(db()).unwrap();
    let mut naming = 0;
    for hit in hits {
        let rels = strings(&hit["relations"]);
        assert!(!rels.is_empty() && rels.iter().all(|r| relations.contains(&r.as_str())));
        for e in hit["evidence"].as_array().unwrap() {
            assert_sentence_is_in_paper(&conn, e);
            if names_any(e["sentence"].as_str().unwrap(), &known) {
                naming += 1;
            }
        }
    }
    assert!(naming >= 5, "few sentences name Llama 2: {report}");
    // Filtering by relation keeps only papers with it.
    let uses = json(&["papers", "Llama 2", "--rel", "uses"]);
    for hit in uses["papers"].as_array().unwrap() {
        assert!(strings(&hit["relations"]).contains(&"uses".to_string()));
    }
    let text = run(&["papers", "Llama 2", "--limit", "3"]);
    assert!(text.starts_with("Llama 2 (model): "), "{text}");
    assert!(text.contains("“"), "{text}");
}

#[test]
fn neighbors_follow_relations_and_filter_types() {
    let report = json(&["neighbors", "LLaMA", "--rel", "variant_of"]);
    let rows = report["neighbors"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|n| n["entity"]["name"] == "Llama 2" && n["direction"] == "in"),
        "{report}"
    );
    assert!(rows.iter().all(|n| n["relation"] == "variant_of"));

    let report = json(&["neighbors", "LoRA", "--depth", "2", "--type", "dataset"]);
    let rows = report["neighbors"].as_array().unwrap();
    assert!(!rows.is_empty(), "{report}");
    for n in rows {
        assert_eq!(n["entity"]["type"], "dataset");
        assert!((1..=2).contains(&n["depth"].as_u64().unwrap()));
    }
    let limited = json(&["neighbors", "LoRA", "--limit", "3"]);
    assert!(limited["neighbors"].as_array().unwrap().len() <= 3);
    let text = run(&["neighbors", "LoRA"]);
    assert!(text.contains("REACHED BY"), "{text}");
}

#[test]
fn top_ranks_by_papers_degree_and_pagerank() {
    for by in ["papers", "degree", "pagerank"] {
        let rows = json(&["top", "--by", by, "--limit", "5"]);
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 5, "{by}");
        let key = |r: &Value| match by {
            "papers" => r["entity"]["papers"].as_f64().unwrap(),
            "degree" => r["degree"].as_f64().unwrap(),
            _ => r["pagerank"].as_f64().unwrap(),
        };
        for (i, pair) in rows.windows(2).enumerate() {
            assert!(key(&pair[0]) >= key(&pair[1]), "{by}: {rows:?}");
            assert_eq!(pair[0]["rank"], i + 1);
        }
    }
    let datasets = json(&["top", "--type", "dataset"]);
    assert!(datasets
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["entity"]["type"] == "dataset"));
    let text = run(&["top", "--limit", "3"]);
    assert!(text.starts_with("RANK"), "{text}");
}

#[test]
fn explain_lists_relations_and_shared_papers_with_sentences() {
    let report = json(&["explain", "LoRA", "Llama 2"]);
    assert!(report["shared_total"].as_u64().unwrap() >= 1, "{report}");
    let relations = report["relations"].as_array().unwrap();
    assert!(
        relations.iter().any(|r| r["relation"] == "co_mentioned"),
        "{report}"
    );
    let conn = Connection::open(db()).unwrap();
    for p in report["shared_papers"].as_array().unwrap() {
        for side in ["first", "second"] {
            let evidence = p[side].as_array().unwrap();
            assert!(!evidence.is_empty(), "{p}");
            for e in evidence {
                assert_sentence_is_in_paper(&conn, e);
            }
        }
    }
    let text = run(&["explain", "LoRA", "Llama 2"]);
    assert!(
        text.starts_with("LoRA (method) and Llama 2 (model)"),
        "{text}"
    );
    assert!(text.contains("papers naming both"), "{text}");
}

#[test]
fn unknown_name_exits_3_with_suggestions() {
    paperkg()
        .args(["show", "Lorra", "--db"])
        .arg(db())
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::contains("did you mean").and(predicate::str::contains("LoRA")));
    for args in [
        vec!["show", "'; DROP TABLE entities; --💥"],
        vec!["show", ""],
        vec!["show", "%_*"],
        vec!["path", "LoRA", "NoSuchModelAnywhere"],
        vec!["papers", "\u{202e}txet\u{7}"],
        vec!["explain", "zzzz", "LoRA"],
        vec!["related", "qqqq"],
        vec!["neighbors", "qqqq"],
    ] {
        paperkg()
            .args(&args)
            .arg("--db")
            .arg(db())
            .assert()
            .code(3)
            .stderr(predicate::str::contains("no entity named"));
    }
}

#[test]
fn database_problems_exit_1_and_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.sqlite");
    paperkg()
        .args(["show", "LoRA", "--db"])
        .arg(&missing)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing.sqlite"));
    assert!(
        !missing.exists(),
        "explore commands must not create a database"
    );

    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, "").unwrap();
    paperkg()
        .args(["top", "--db"])
        .arg(&empty)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a paperkg database"));

    // A database of the previous schema (version 1) asks for a rebuild.
    let old = dir.path().join("old.sqlite");
    std::fs::copy(db(), &old).unwrap();
    Connection::open(&old)
        .unwrap()
        .pragma_update(None, "user_version", 1)
        .unwrap();
    paperkg()
        .args(["path", "LoRA", "GPT-4", "--db"])
        .arg(&old)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("schema version 1").and(predicate::str::contains("rebuild")),
        );
}

#[test]
fn usage_errors_exit_2_and_help_documents_exit_codes() {
    paperkg()
        .args(["neighbors", "LoRA", "--depth", "0"])
        .assert()
        .code(2);
    paperkg()
        .args(["papers", "LoRA", "--rel", "friend_of"])
        .assert()
        .code(2);
    paperkg().args(["top", "--by", "vibes"]).assert().code(2);
    paperkg()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("3 name not found"));
}

#[test]
fn evidence_sentences_contain_their_mentions() {
    let conn = Connection::open(db()).unwrap();
    // Every paper → entity evidence sentence covers a mention of that entity.
    let orphans: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM evidence v WHERE v.entity_id IS NOT NULL AND NOT EXISTS \
             (SELECT 1 FROM mentions m WHERE m.paper_id = v.paper_id \
              AND m.entity_id = v.entity_id AND m.field = v.field \
              AND m.char_start >= v.char_start AND m.char_end <= v.char_end)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    // Spans are inside their field.
    let bad: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM evidence v JOIN papers p ON p.id = v.paper_id \
             WHERE v.char_start >= v.char_end OR v.char_end > \
             length(CASE v.field WHEN 'title' THEN p.title ELSE p.abstract END)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bad, 0);
    // Every typed relation has evidence; the foreign keys hold.
    let unexplained: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM edges e WHERE e.relation <> 'co_mentioned' AND NOT EXISTS \
             (SELECT 1 FROM evidence v WHERE v.source_id = e.source_id \
              AND v.target_id = e.target_id AND v.relation = e.relation)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unexplained, 0);
    let fk: i64 = conn
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0);
}
