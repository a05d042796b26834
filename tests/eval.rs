//! Integration tests: `paperkg extract` prints the gold format, `paperkg eval` gives the
//! same figures as the reference scorer, and extraction keeps its quality targets on the
//! bundled annotated sets.

use std::path::Path;
use std::process::Command as Process;

use tempfile::TempDir;

mod common;
use common::paperkg;

/// The standard output of `paperkg ARGS…`, which must succeed.
fn stdout_of(args: &[&str]) -> Vec<u8> {
    let out = paperkg().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn eval_json(gold: &str, papers: &str) -> serde_json::Value {
    let out = stdout_of(&["eval", "--json", "--gold", gold, papers]);
    serde_json::from_slice(&out).expect("eval --json prints one JSON object")
}

#[test]
fn eval_matches_the_reference_scorer() {
    if Process::new("python3").arg("--version").output().is_err() {
        eprintln!("skipping: python3 is not installed");
        return;
    }
    let dir = TempDir::new().unwrap();
    for set in ["dev", "sample", "classic"] {
        let gold = format!("data/eval/{set}_gold.json");
        let papers = format!("data/eval/{set}_papers.jsonl");
        let pred = paperkg().args(["extract", &papers]).output().unwrap();
        assert!(pred.status.success());
        let pred_path = dir.path().join(format!("{set}.jsonl"));
        std::fs::write(&pred_path, &pred.stdout).unwrap();
        let reference = Process::new("python3")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/eval/score.py"))
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(&gold))
            .arg(&pred_path)
            .output()
            .unwrap();
        assert!(
            reference.status.success(),
            "{}",
            String::from_utf8_lossy(&reference.stderr)
        );
        let text = String::from_utf8(reference.stdout).unwrap();
        let json_end = text.rfind('}').unwrap() + 1;
        let reference: serde_json::Value = serde_json::from_str(&text[..json_end]).unwrap();
        let ours = eval_json(&gold, &papers);
        for mode in ["untyped", "typed"] {
            for key in [
                "precision",
                "recall",
                "f1",
                "tp",
                "gold_required",
                "predicted_counted",
            ] {
                assert_eq!(ours[mode][key], reference[mode][key], "{set} {mode} {key}");
            }
        }
    }
}

#[test]
fn dev_set_meets_the_extraction_targets() {
    let s = eval_json("data/eval/dev_gold.json", "data/eval/dev_papers.jsonl");
    let p = s["untyped"]["precision"].as_f64().unwrap();
    let r = s["untyped"]["recall"].as_f64().unwrap();
    let typed_f1 = s["typed"]["f1"].as_f64().unwrap();
    assert!(p >= 0.92 && r >= 0.92 && typed_f1 >= 0.85, "{s}");
}

#[test]
fn held_out_style_sets_stay_usable() {
    // The bundled corpus sample and the 2013–2019 classics were annotated separately from
    // the rules; they guard against rules that only fit the dev set.
    for set in ["sample", "classic"] {
        let s = eval_json(
            &format!("data/eval/{set}_gold.json"),
            &format!("data/eval/{set}_papers.jsonl"),
        );
        let f1 = s["untyped"]["f1"].as_f64().unwrap();
        assert!(f1 >= 0.85, "{set}: {s}");
    }
}

#[test]
fn extract_prints_one_gold_shaped_line_per_paper() {
    let out = paperkg()
        .args(["extract", "data/eval/dev_papers.jsonl"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 40);
    let llama3 = &lines[3];
    assert_eq!(llama3["id"], "seed-03");
    let entities = llama3["entities"].as_array().unwrap();
    let names: Vec<&str> = entities
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Llama 3"), "{names:?}");
    assert!(names.contains(&"MMLU"), "{names:?}");
    for e in entities {
        assert!(["model", "method", "dataset"].contains(&e["type"].as_str().unwrap()));
        assert!(e["mentions"].as_array().is_some_and(|m| !m.is_empty()));
        assert!(e["proposed"].is_boolean());
    }
    // The JSON array form holds the same papers.
    let out = paperkg()
        .args(["extract", "--format", "json", "data/eval/dev_papers.jsonl"])
        .output()
        .unwrap();
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 40);
}

/// The entities `extract` prints, per paper: (name, proposed).
fn extracted(extra: &[&str]) -> Vec<Vec<(String, bool)>> {
    let mut args = vec!["extract"];
    args.extend_from_slice(extra);
    args.push("data/samples");
    let out = stdout_of(&args);
    let mut papers = Vec::new();
    for line in String::from_utf8(out).unwrap().lines() {
        let paper: serde_json::Value = serde_json::from_str(line).unwrap();
        let mut entities = Vec::new();
        for e in paper["entities"].as_array().unwrap() {
            let name = e["name"].as_str().unwrap().to_string();
            entities.push((name, e["proposed"].as_bool().unwrap()));
        }
        papers.push(entities);
    }
    papers
}

#[test]
fn lexicon_only_finds_fewer_names_none_proposed_and_scores_lower_recall() {
    let full = extracted(&[]);
    let known = extracted(&["--lexicon-only"]);
    assert_eq!(full.len(), known.len());
    assert_eq!(full.len(), 395);
    let count = |papers: &[Vec<(String, bool)>]| papers.iter().map(Vec::len).sum::<usize>();
    assert!(
        count(&known) < count(&full),
        "{} {}",
        count(&known),
        count(&full)
    );
    assert!(known.iter().flatten().all(|(_, proposed)| !proposed));
    assert!(full.iter().flatten().any(|(_, proposed)| *proposed));
    let out = stdout_of(&["eval", "--json", "--lexicon-only"]);
    let lexicon_only: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let both = eval_json("data/eval/dev_gold.json", "data/eval/dev_papers.jsonl");
    let recall = |s: &serde_json::Value| s["untyped"]["recall"].as_f64().unwrap();
    assert!(
        recall(&lexicon_only) < recall(&both),
        "{lexicon_only} {both}"
    );
}
