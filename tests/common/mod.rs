//! Helpers shared by the integration tests: the binary, run from the crate's folder, and
//! the bundled sample built once into a temporary folder.
//!
//! Each test file compiles this module on its own and uses part of it.
#![allow(dead_code)]

use std::path::PathBuf;

use assert_cmd::Command;

/// `paperkg`, run from the crate's folder (so `data/samples` resolves as for a user).
pub fn paperkg() -> Command {
    let mut cmd = Command::cargo_bin("paperkg").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// Builds the bundled sample into a new folder under Cargo's target directory (kept for
/// the whole run; `cargo clean` removes it) and returns the database's path.
pub fn build_bundled(prefix: &str) -> PathBuf {
    let dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temp dir")
        .keep();
    let out = paperkg()
        .args(["build", "--out"])
        .arg(&dir)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.join("kg.sqlite")
}
