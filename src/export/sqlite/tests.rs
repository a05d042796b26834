use std::fs;

use super::rows::Binder;
use super::*;
use crate::extract::{EntityType, Field, Mention};
use crate::graph::relations::analyse;
use crate::graph::PaperSlot;
use crate::ingest::{Provenance, Record};

fn record(id: Option<&str>, title: &str, abstract_text: &str, file: &str, line: usize) -> Record {
    Record {
        id: id.map(str::to_string),
        title: title.into(),
        abstract_text: abstract_text.into(),
        authors: Some("A. Author, B. Author".into()),
        categories: Some("cs.CL cs.LG".into()),
        update_date: Some("2024-01-02".into()),
        source: Provenance {
            file: PathBuf::from(file),
            line,
        },
    }
}

fn mention(
    name: &str,
    kind: EntityType,
    family: Option<&str>,
    surface: &str,
    field: Field,
    char_start: usize,
) -> Mention {
    Mention {
        name: name.into(),
        kind,
        family: family.map(str::to_string),
        surface: surface.into(),
        field,
        byte_start: char_start,
        char_start,
        char_len: surface.chars().count(),
        proposed: false,
    }
}

fn info() -> BuildInfo {
    BuildInfo {
        tool_version: "0.1.0-test".into(),
        inputs: vec!["data/a.txt".into(), "data/b.jsonl.gz".into()],
        records_read: 4,
        problems: 1,
        discovery: true,
    }
}

/// Drives the writer the way the build pipeline does: one graph paper per new key, a
/// provenance row per record, mentions for new papers only.
fn build(path: &Path) -> PathBuf {
    let lora = |s: &str, at| mention("LoRA", EntityType::Method, None, s, Field::Abstract, at);
    let llama2 = |s: &str, f, at| mention("Llama 2", EntityType::Model, Some("LLaMA"), s, f, at);
    let llama = mention(
        "LLaMA",
        EntityType::Model,
        None,
        "LLaMA",
        Field::Abstract,
        10,
    );
    let mmlu = mention(
        "MMLU",
        EntityType::Dataset,
        None,
        "MMLU",
        Field::Abstract,
        30,
    );
    let inputs: Vec<(Record, Vec<Mention>)> = vec![
        (
            record(
                Some("2401.00001"),
                "LoRA for Llama 2",
                "We tune LLaMA-2 with lora.",
                "a.txt",
                1,
            ),
            vec![
                llama2("Llama 2", Field::Title, 9),
                llama2("LLaMA-2", Field::Abstract, 8),
                lora("lora", 21),
            ],
        ),
        (
            record(
                None,
                "Scaling \"quotes\" and {braces}",
                "LLaMA on MMLU with LoRA",
                "a.txt",
                5,
            ),
            vec![llama.clone(), mmlu.clone(), lora("LoRA", 19)],
        ),
        (
            record(
                Some("2401.00001"),
                "LoRA for Llama 2",
                "dup",
                "b.jsonl.gz",
                3,
            ),
            vec![],
        ),
        (
            record(Some("2402.1"), "Nothing here", "plain", "b.jsonl.gz", 4),
            vec![],
        ),
    ];
    let mut graph = KnowledgeGraph::new();
    let w = SqliteWriter::create(path).unwrap();
    let mut ins = w.inserts().unwrap();
    for (rec, mentions) in &inputs {
        let key = rec.key();
        match graph.add_paper(&key) {
            PaperSlot::New(ord) => {
                ins.add_papers([PaperRow {
                    ordinal: ord,
                    key: &key,
                    record: rec,
                }])
                .unwrap();
                ins.add_provenance([provenance(ord, &rec.source)]).unwrap();
                let rels = analyse(&rec.title, &rec.abstract_text, mentions);
                let added = graph.add_paper_relations(&key, mentions, &rels);
                let rows = mentions.iter().zip(&added.entities).enumerate();
                ins.add_mentions(rows.map(|(seq, (mention, r))| MentionRow {
                    paper: ord,
                    seq,
                    entity: r.ordinal,
                    mention,
                }))
                .unwrap();
                ins.add_paper_links(
                    added
                        .links
                        .iter()
                        .map(|link| PaperLinkRow { paper: ord, link }),
                )
                .unwrap();
                let rows = added.evidence.iter().enumerate();
                ins.add_evidence(rows.map(|(seq, record)| EvidenceRow {
                    paper: ord,
                    seq,
                    record,
                }))
                .unwrap();
            }
            PaperSlot::Duplicate(ord) => {
                ins.add_provenance([provenance(ord, &rec.source)]).unwrap()
            }
        }
    }
    drop(ins);
    graph.finish();
    w.finish(&graph, &info()).unwrap().path
}

/// Rows go in whole, in order, whether they fill multi-row statements, part of one,
/// or neither, and are counted; a bad row fails the call, and the rows of its
/// statement are not counted.
#[test]
fn bulk_insert_writes_every_row_in_order() {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch("CREATE TABLE t (n INTEGER NOT NULL, s TEXT)")
        .unwrap();
    let written = Cell::new(0);
    let mut bulk = BulkInsert::prepare(&conn, "t", &["n", "s"], Some(&written)).unwrap();
    let bind = |b: &mut Binder<'_, '_>, n: &i64| {
        b.bind(n)?;
        b.bind((n % 3 != 0).then(|| format!("row {n}")))
    };
    let mut expected = Vec::new();
    let mut next = 0i64;
    for count in [0, 1, 31, 32, 33, 64, 70] {
        let rows: Vec<i64> = (next..next + count).collect();
        next += count;
        bulk.insert(rows.iter().copied(), bind).unwrap();
        expected.extend(rows);
    }
    let mut st = conn.prepare("SELECT n, s FROM t ORDER BY rowid").unwrap();
    let found: Vec<(i64, Option<String>)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let expected: Vec<(i64, Option<String>)> = expected
        .into_iter()
        .map(|n| (n, (n % 3 != 0).then(|| format!("row {n}"))))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(written.get(), expected.len());
    let null = |b: &mut Binder<'_, '_>, n: &Option<i64>| {
        b.bind(n)?;
        b.bind("x")
    };
    let rows: Vec<Option<i64>> = (0..40).map(|n| (n != 35).then_some(n)).collect();
    assert!(bulk.insert(rows.iter().copied(), null).is_err());
    // The first 32 went in by one statement; the 33rd to 35th, one by one, failed at
    // the 36th row.
    assert_eq!(written.get(), expected.len() + 35);
}

fn paper<'a>(ordinal: usize, key: &'a str, record: &'a Record) -> PaperRow<'a> {
    PaperRow {
        ordinal,
        key,
        record,
    }
}

fn provenance(paper: usize, source: &Provenance) -> ProvenanceRow<'_> {
    ProvenanceRow { paper, source }
}

fn temp_names(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect()
}

#[test]
fn written_database_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kg.sqlite");
    assert_eq!(build(&path), path);
    assert!(temp_names(dir.path()).is_empty());
    let conn = Connection::open(&path).unwrap();

    let titles: Vec<String> = conn
        .prepare(
            "SELECT DISTINCT p.title FROM papers p \
             JOIN paper_entities pe ON pe.paper_id = p.id \
             JOIN aliases a ON a.entity_id = pe.entity_id \
             WHERE a.alias = 'lora' COLLATE NOCASE ORDER BY p.id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        titles,
        ["LoRA for Llama 2", "Scaling \"quotes\" and {braces}"]
    );

    let aliases: Vec<String> = conn
        .prepare(
            "SELECT alias FROM aliases JOIN entities ON entities.id = entity_id \
             WHERE name = 'Llama 2' ORDER BY alias",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(aliases, ["LLaMA-2", "Llama 2"]);

    let (parent, family): (Option<String>, Option<String>) = conn
        .query_row(
            "SELECT p.name, e.family FROM entities e LEFT JOIN entities p ON p.id = e.parent_id \
             WHERE e.name = 'Llama 2'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (parent.as_deref(), family.as_deref()),
        (Some("LLaMA"), Some("LLaMA"))
    );

    let (count, pc, mc): (i64, i64, i64) = conn
        .query_row(
            "SELECT pe.count, e.paper_count, e.mention_count FROM paper_entities pe \
             JOIN entities e ON e.id = pe.entity_id WHERE e.name = 'Llama 2'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((count, pc, mc), (2, 1, 2));

    let span: (String, String, i64, i64) = conn
        .query_row(
            "SELECT surface, field, char_start, char_end FROM mentions WHERE field = 'title'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(span, ("Llama 2".to_string(), "title".to_string(), 9, 16));

    let weight: i64 = conn
        .query_row(
            "SELECT support FROM edges e JOIN entities a ON a.id = e.source_id \
             JOIN entities b ON b.id = e.target_id \
             WHERE a.name = 'Llama 2' AND b.name = 'LoRA' AND relation = 'co_mentioned'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(weight, 1);
    let backwards: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM edges WHERE source_id >= target_id",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(backwards, 0);

    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    assert!(foreign_key_violations(&conn).unwrap().is_empty());
    let version: i32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}

/// `edges_packed` holds the rows of `edges`, in key order, block after block.
#[test]
fn packed_edges_are_the_rows_of_edges() {
    use crate::build::{build, bundled_samples, BuildConfig, Silent};
    use crate::{Extractor, Lexicon};
    let dir = tempfile::tempdir().unwrap();
    let config = BuildConfig::new(vec![bundled_samples()], dir.path().to_path_buf());
    build(&config, &Extractor::new(&Lexicon::builtin()), &mut Silent).unwrap();
    let conn = Connection::open(dir.path().join("kg.sqlite")).unwrap();
    let rows: Vec<(i64, i64, String, i64, i64)> = conn
        .prepare(
            "SELECT source_id, target_id, relation, support, sentences FROM edges \
             ORDER BY source_id, target_id, relation",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let blocks: Vec<(i64, Vec<u8>)> = conn
        .prepare("SELECT block, relations FROM edges_packed ORDER BY block")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(rows.len() > 1000, "{}", rows.len());
    assert_eq!(blocks.len(), rows.len().div_ceil(packed::BLOCK));
    let mut unpacked = Vec::new();
    for (i, (block, bytes)) in blocks.iter().enumerate() {
        assert_eq!(*block, i as i64);
        packed::decode(bytes, |e| {
            unpacked.push((
                i64::from(e.source),
                i64::from(e.target),
                e.relation.as_str().to_string(),
                i64::from(e.support),
                i64::from(e.sentences),
            ))
        })
        .unwrap();
    }
    assert_eq!(unpacked, rows);
}

/// `paperkg stats` reads the counts the build recorded in `meta`, and they are the
/// tables' own counts: for a build of part of the bundled corpus, and after the rest
/// is appended to it (the stored papers replayed into the new file).
#[test]
fn recorded_counts_are_the_tables_counts() {
    use crate::build::{build, bundled_samples, BuildConfig, Silent};
    use crate::{Extractor, Lexicon};
    let mut files: Vec<PathBuf> = fs::read_dir(bundled_samples())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 4);
    let dir = tempfile::tempdir().unwrap();
    let extractor = Extractor::new(&Lexicon::builtin());
    let mut config = BuildConfig::new(files[..2].to_vec(), dir.path().to_path_buf());
    let path = dir.path().join("kg.sqlite");
    let counted = dir.path().join("counted.sqlite");
    let check = |path: &Path| {
        let recorded = read_stats(path).unwrap();
        fs::copy(path, &counted).unwrap();
        Connection::open(&counted)
            .unwrap()
            .execute(
                "DELETE FROM meta WHERE key IN \
                 ('papers', 'provenance', 'mentions', 'paper_entities', 'evidence')",
                [],
            )
            .unwrap();
        assert_eq!(recorded, read_stats(&counted).unwrap());
        recorded
    };
    build(&config, &extractor, &mut Silent).unwrap();
    let first = check(&path);
    config.inputs = files[2..].to_vec();
    config.append = true;
    build(&config, &extractor, &mut Silent).unwrap();
    let all = check(&path);
    assert!(all.papers > first.papers, "{first:?} {all:?}");
    assert!(all.records > first.records && all.duplicates > 0, "{all:?}");
    assert!(all.mentions > first.mentions && all.evidence > first.evidence);
}

#[test]
fn read_stats_reports_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let path = build(&dir.path().join("kg.sqlite"));
    let s = read_stats(&path).unwrap();
    assert_eq!((s.papers, s.records, s.duplicates), (3, 4, 1));
    assert_eq!(
        s.entities_by_type,
        [
            ("model".to_string(), 2),
            ("method".to_string(), 1),
            ("dataset".to_string(), 1)
        ]
    );
    assert_eq!((s.mentions, s.mention_edges, s.co_mention_edges), (6, 5, 4));
    // Llama 2 variant_of LLaMA.
    assert_eq!(s.relation_edges, 1);
    assert!(s.evidence >= 6, "{s:?}");
    assert_eq!(s.problems, 1);
    assert_eq!(s.inputs, info().inputs);
    assert_eq!(s.tool_version, "0.1.0-test");
    assert_eq!(s.extraction, EXTRACTION_FULL);
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["entities_by_type"][0], serde_json::json!(["model", 2]));
}

/// The SQL block of `docs/schema.md`.
fn documented_schema() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema.md");
    let doc = fs::read_to_string(&path).unwrap();
    let begin = doc.find("<!-- schema:begin").expect("schema:begin marker");
    let start = begin
        + doc[begin..]
            .find("```sql\n")
            .expect("```sql after the marker")
        + 7;
    let end = start + doc[start..].find("```").expect("closing ```");
    doc[start..end].to_string()
}

#[test]
fn docs_schema_md_holds_the_schema_verbatim() {
    assert_eq!(
        documented_schema().trim(),
        SCHEMA.trim(),
        "docs/schema.md is out of date: paste SCHEMA (src/export/sqlite/schema.rs) between the \
         schema markers"
    );
}

#[test]
fn docs_schema_md_describes_every_table_view_and_index() {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(build(&dir.path().join("kg.sqlite"))).unwrap();
    let doc =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema.md")).unwrap();
    let prose = &doc[..doc.find("<!-- schema:begin").unwrap()];
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view', 'index') \
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'papers_fts_%'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(names.len() > 25, "{names:?}");
    for name in names {
        assert!(
            prose.contains(&format!("`{name}`")),
            "docs/schema.md does not describe {name}"
        );
    }
}

#[test]
fn full_text_index_and_views_answer() {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(build(&dir.path().join("kg.sqlite"))).unwrap();
    let titles: Vec<String> = conn
        .prepare(
            "SELECT p.title FROM papers_fts JOIN papers p ON p.id = papers_fts.rowid \
             WHERE papers_fts MATCH 'lora' ORDER BY bm25(papers_fts), p.id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        titles,
        ["LoRA for Llama 2", "Scaling \"quotes\" and {braces}"]
    );
    let tree: (String, String, i64) = conn
        .query_row("SELECT entity, ancestor, depth FROM family_tree", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(tree, ("Llama 2".into(), "LLaMA".into(), 1));
    let sentence: String = conn
        .query_row(
            "SELECT sentence FROM relation_evidence WHERE relation = 'variant_of'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        sentence.contains("Llama 2") || sentence.contains("LLaMA-2"),
        "{sentence}"
    );
    for view in [
        "entity_papers",
        "co_occurrences",
        "relations",
        "paper_evidence",
    ] {
        let n: i64 = conn
            .query_row(&format!("SELECT COUNT(*) FROM {view}"), [], |r| r.get(0))
            .unwrap();
        assert!(n > 0, "{view} is empty");
    }
}

#[test]
fn same_input_gives_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let a = build(&dir.path().join("a.sqlite"));
    let b = build(&dir.path().join("b.sqlite"));
    assert_eq!(fs::read(a).unwrap(), fs::read(b).unwrap());
}

#[test]
fn dropped_writer_leaves_no_temp_file_and_previous_database_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = build(&dir.path().join("kg.sqlite"));
    let before = fs::read(&path).unwrap();
    {
        let w = SqliteWriter::create(&path).unwrap();
        assert_eq!(temp_names(dir.path()).len(), 1);
        let mut ins = w.inserts().unwrap();
        let rec = record(Some("x"), "X", "x", "x.txt", 1);
        ins.add_papers([paper(1, "id:x", &rec)]).unwrap();
        ins.add_provenance([provenance(1, &rec.source)]).unwrap();
    }
    assert!(temp_names(dir.path()).is_empty());
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(read_stats(&path).unwrap().papers, 3);
}

#[test]
fn finish_replaces_an_existing_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = build(&dir.path().join("kg.sqlite"));
    let mut graph = KnowledgeGraph::new();
    graph.add_paper("id:only");
    graph.finish();
    let w = SqliteWriter::create(&path).unwrap();
    let mut ins = w.inserts().unwrap();
    let rec = record(Some("only"), "Only", "", "o.txt", 1);
    ins.add_papers([paper(1, "id:only", &rec)]).unwrap();
    ins.add_provenance([provenance(1, &rec.source)]).unwrap();
    drop(ins);
    w.finish(&graph, &BuildInfo::default()).unwrap();
    let s = read_stats(&path).unwrap();
    assert_eq!((s.papers, s.records, s.mentions), (1, 1, 0));
    assert!(temp_names(dir.path()).is_empty());
}

#[test]
fn mention_of_unknown_entity_fails_and_keeps_target_absent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kg.sqlite");
    let mut graph = KnowledgeGraph::new();
    graph.add_paper("id:1");
    graph.finish();
    let w = SqliteWriter::create(&path).unwrap();
    let mut ins = w.inserts().unwrap();
    let rec = record(Some("1"), "One", "", "o.txt", 1);
    ins.add_papers([paper(1, "id:1", &rec)]).unwrap();
    let m = mention("Ghost", EntityType::Model, None, "Ghost", Field::Title, 0);
    ins.add_mentions([MentionRow {
        paper: 1,
        seq: 0,
        entity: 7,
        mention: &m,
    }])
    .unwrap();
    drop(ins);
    let err = w.finish(&graph, &BuildInfo::default()).unwrap_err();
    assert!(matches!(err, ExportError::Invalid { .. }), "{err:?}");
    assert!(err.to_string().contains("foreign key"), "{err}");
    assert!(!path.exists());
    assert!(temp_names(dir.path()).is_empty());
}

#[test]
fn create_in_missing_directory_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing").join("kg.sqlite");
    let err = SqliteWriter::create(&path).unwrap_err();
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
}

#[test]
fn read_stats_rejects_missing_and_foreign_files() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.sqlite");
    let err = read_stats(&missing).unwrap_err();
    assert!(matches!(err, ExportError::Io { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&missing.display().to_string()),
        "{err}"
    );

    let text = dir.path().join("notes.txt");
    fs::write(
        &text,
        "this is not a database, just some text long enough to look like one\n".repeat(20),
    )
    .unwrap();
    let err = read_stats(&text).unwrap_err();
    assert!(matches!(err, ExportError::NotADatabase { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&text.display().to_string()),
        "{err}"
    );

    let other = dir.path().join("other.sqlite");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x);")
        .unwrap();
    let err = read_stats(&other).unwrap_err();
    assert!(matches!(err, ExportError::NotADatabase { .. }), "{err:?}");

    let empty = dir.path().join("empty.sqlite");
    fs::write(&empty, "").unwrap();
    assert!(matches!(
        read_stats(&empty),
        Err(ExportError::NotADatabase { .. })
    ));

    let old = build(&dir.path().join("old.sqlite"));
    Connection::open(&old)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let err = read_stats(&old).unwrap_err();
    assert!(
        matches!(
            err,
            ExportError::SchemaVersion {
                found: 99,
                expected: SCHEMA_VERSION,
                ..
            }
        ),
        "{err:?}"
    );
}
