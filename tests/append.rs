//! Integration tests: `paperkg build --append` and repeatable builds, run as a user would.
//!
//! `build A` then `build --append B` must hold what `build A B` holds (only `meta.inputs`
//! may differ in form), appending what is already stored must add nothing, and two
//! builds of the same input must write the same bytes.

use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

fn paperkg() -> Command {
    let mut cmd = Command::cargo_bin("paperkg").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

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
