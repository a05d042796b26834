//! Explore-command latency on the bundled corpus's database, and the throughput of the
//! relation rules that build it.
//!
//! The database is built once into a temporary folder; each explore query is measured as
//! the command runs it: open the database read-only, resolve the names, answer (loading
//! the entity graph into petgraph where the command needs it). Process start-up and
//! printing are not included.
//!
//! Run with `cargo bench --bench explore`.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use paperkg::build::{self, BuildConfig, Silent};
use paperkg::graph::relations;
use paperkg::ingest::{IngestOptions, Records};
use paperkg::store::explore::{self, NeighborQuery, TopBy};
use paperkg::store::Store;
use paperkg::{Extractor, Lexicon};

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/samples")
}

fn explore_queries(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let extractor = Extractor::new(&Lexicon::builtin());
    let config = BuildConfig::new(vec![samples()], dir.path().to_path_buf());
    let summary = build::build(&config, &extractor, &mut Silent).expect("bundled sample builds");
    let db = summary.database;
    let open = || Store::open(&db).expect("opens");

    let mut group = c.benchmark_group("explore");
    group.sample_size(30);
    group.bench_function("open", |b| b.iter(|| black_box(open())));
    group.bench_function("show LoRA", |b| {
        b.iter(|| black_box(explore::show(&open(), "LoRA", None, 12).expect("show")))
    });
    group.bench_function("neighbors LoRA --depth 2", |b| {
        let q = NeighborQuery {
            depth: 2,
            kind: None,
            relation: None,
            limit: 25,
        };
        b.iter(|| black_box(explore::neighbors(&open(), "LoRA", None, &q).expect("neighbors")))
    });
    group.bench_function("neighbors MMLU --depth 2 --limit 500", |b| {
        let q = NeighborQuery {
            depth: 2,
            kind: None,
            relation: None,
            limit: 500,
        };
        b.iter(|| black_box(explore::neighbors(&open(), "MMLU", None, &q).expect("neighbors")))
    });
    group.bench_function("path LoRA GPT-4", |b| {
        b.iter(|| black_box(explore::path(&open(), "LoRA", "GPT-4", None).expect("path")))
    });
    group.bench_function("top --by pagerank", |b| {
        b.iter(|| black_box(explore::top(&open(), None, TopBy::PageRank, 20).expect("top")))
    });
    group.bench_function("related MMLU", |b| {
        b.iter(|| black_box(explore::related(&open(), "MMLU", None, 2, 20).expect("related")))
    });
    group.bench_function("papers Llama 2", |b| {
        b.iter(|| black_box(explore::papers(&open(), "Llama 2", None, None, 20).expect("papers")))
    });
    group.bench_function("explain LoRA Llama 2", |b| {
        b.iter(|| {
            black_box(explore::explain(&open(), "LoRA", "Llama 2", None, 10).expect("explain"))
        })
    });
    group.bench_function("not found (suggestions)", |b| {
        b.iter(|| black_box(explore::show(&open(), "Lorra-XL", None, 12).is_err()))
    });
    group.finish();
}

fn relation_rules(c: &mut Criterion) {
    let extractor = Extractor::new(&Lexicon::builtin());
    let papers: Vec<(String, String, Vec<paperkg::Mention>)> =
        Records::new(&[samples()], IngestOptions::default())
            .filter_map(Result::ok)
            .map(|r| {
                let mentions = extractor.extract(&r.title, &r.abstract_text);
                (r.title, r.abstract_text, mentions)
            })
            .collect();
    let bytes: usize = papers.iter().map(|(t, a, _)| t.len() + a.len()).sum();
    let mut group = c.benchmark_group("relations");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("analyse bundled corpus", |b| {
        b.iter(|| {
            let mut n = 0;
            for (title, abstract_text, mentions) in &papers {
                n += relations::analyse(title, abstract_text, mentions)
                    .links
                    .len();
            }
            black_box(n)
        })
    });
    group.finish();
}

criterion_group!(benches, explore_queries, relation_rules);
criterion_main!(benches);
