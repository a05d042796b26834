//! Integration tests: a build killed with SIGKILL mid-way leaves the previous database
//! byte for byte as it was, and readers of the database are neither blocked by a build
//! nor shown half of one. Both follow from write-then-rename: the build writes a
//! temporary file beside the database and renames it over the database only when it is
//! complete.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};
use tempfile::TempDir;

fn paperkg() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paperkg"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("paperkg runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `paperkg build --out DIR` of the bundled corpus (395 papers).
fn build_bundled(out: &Path) {
    run(paperkg().args(["build", "--out"]).arg(out));
}

/// A 60,000-paper synthetic corpus (110 MB), generated once per test run: large enough
/// that its build is still running a few seconds after it starts, even in release mode.
fn large_corpus() -> &'static Path {
    static CORPUS: OnceLock<PathBuf> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("durability");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("synth-60000-1.jsonl");
        let partial = dir.join(format!("synth-60000-1.jsonl.{}", std::process::id()));
        run(paperkg()
            .args(["synth", "--papers", "60000", "--seed", "1", "-o"])
            .arg(&partial));
        std::fs::rename(&partial, &path).unwrap();
        path
    })
}

/// Starts `paperkg build [--append] --out OUT INPUT` in the background.
fn start_build(out: &Path, input: &Path, append: bool) -> Child {
    let mut cmd = paperkg();
    cmd.args(["build", "--out"]).arg(out);
    if append {
        cmd.arg("--append");
    }
    cmd.arg(input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("paperkg starts")
}

/// Names of the temporary databases in `dir`.
fn temp_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".kg.sqlite.tmp-"))
        .collect();
    names.sort();
    names
}

/// Waits until `child` has created its temporary database in `dir`, i.e. is writing.
fn wait_until_writing(child: &mut Child, dir: &Path) {
    let name = format!(".kg.sqlite.tmp-{}-0", child.id());
    let started = Instant::now();
    while !dir.join(&name).exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it began writing"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no temporary database after 2 minutes"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Runs a read-only query through `paperkg sql` and returns its single value.
fn sql_value(db: &Path, query: &str) -> String {
    let out = run(paperkg()
        .args(["sql", "--format", "csv", "-e", query, "--db"])
        .arg(db));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    lines.next().expect("a header line");
    lines.next().expect("a value line").to_string()
}

/// The database opens, passes `PRAGMA integrity_check`, and `paperkg stats` reads it.
fn assert_sound(db: &Path, papers: &str) {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let out = run(paperkg().args(["stats", "--json", "--db"]).arg(db));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["papers"].to_string(), papers, "{stats}");
}

#[test]
fn a_build_killed_mid_way_leaves_the_previous_database_as_it_was() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    build_bundled(&out);
    let db = out.join("kg.sqlite");
    let before = std::fs::read(&db).unwrap();
    let dot_before = std::fs::read(out.join("graph.dot")).unwrap();
    let corpus = large_corpus();

    // Killed just after it starts writing, after about 0.7 s and 2 s, and an append
    // (which reads the old database while it writes the new one).
    for (delay_ms, append) in [(0, false), (700, false), (700, true), (2000, false)] {
        let mut child = start_build(&out, corpus, append);
        wait_until_writing(&mut child, &out);
        std::thread::sleep(Duration::from_millis(delay_ms));
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build finished within {delay_ms} ms; the corpus is too small to kill it mid-way"
        );
        child.kill().unwrap(); // SIGKILL on Unix: no destructor, no clean-up runs.
        child.wait().unwrap();

        let what = format!("killed after {delay_ms} ms (append: {append})");
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{what}: kg.sqlite changed"
        );
        assert!(
            std::fs::read(out.join("graph.dot")).unwrap() == dot_before,
            "{what}: graph.dot changed"
        );
        assert_sound(&db, "395");
        assert_eq!(
            temp_files(&out),
            [format!(".kg.sqlite.tmp-{}-0", child.id())],
            "{what}: the killed build's temporary file is left behind"
        );

        // The next build succeeds and removes the dead build's temporary file.
        build_bundled(&out);
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{what}: the same input gives the same bytes"
        );
        assert_eq!(temp_files(&out), Vec::<String>::new(), "{what}");
    }
}

#[test]
fn readers_see_the_old_complete_database_while_a_build_runs() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    build_bundled(&out);
    let db = out.join("kg.sqlite");

    // A reader holding a read transaction (a shared lock) across both builds below.
    let held = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    held.execute_batch("BEGIN").unwrap();
    let count = |conn: &Connection| -> i64 {
        conn.query_row("SELECT COUNT(*) FROM papers", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count(&held), 395);

    // While a large build writes: readers get the old, complete content at once.
    let mut child = start_build(&out, large_corpus(), false);
    wait_until_writing(&mut child, &out);
    std::thread::sleep(Duration::from_millis(300));
    let asked = Instant::now();
    assert_eq!(sql_value(&db, "SELECT COUNT(*) FROM papers"), "395");
    assert_eq!(
        sql_value(&db, "SELECT value FROM meta WHERE key = 'records_read'"),
        "447"
    );
    assert_sound(&db, "395");
    assert!(
        child.try_wait().unwrap().is_none(),
        "the build ended before the readers were done; they did not overlap"
    );
    let answered = asked.elapsed();
    assert!(
        answered < Duration::from_secs(20),
        "readers waited {answered:?}"
    );
    assert_eq!(count(&held), 395);
    child.kill().unwrap();
    child.wait().unwrap();

    // A build that completes while the reader still holds its transaction: it is not
    // blocked, the held transaction keeps seeing the old database, new readers the new one.
    let one_file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/samples")
        .join("000_44ea3c20c369b1e8.txt");
    let mut child = start_build(&out, &one_file, false);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the build is blocked by the reader"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
    assert_eq!(count(&held), 395);
    assert_eq!(sql_value(&db, "SELECT COUNT(*) FROM papers"), "126");
    held.execute_batch("COMMIT").unwrap();
    assert_sound(&db, "126");
    assert_eq!(temp_files(&out), Vec::<String>::new());
}
