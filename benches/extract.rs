//! Extraction throughput on the bundled corpus: the lexicon automaton and the discovery
//! rules over every title and abstract, reported in MB/s of text on one core; with a fresh
//! working memory per paper (`extract`) and with one reused `Scratch` (`extract_with`); and
//! the lexicon alone, as `--lexicon-only` runs it.
//!
//! Run with `cargo bench --bench extract`.

use std::hint::black_box;

use criterion::{criterion_group, Criterion, Throughput};
use paperkg::extract::Scratch;
use paperkg::ingest::{IngestOptions, Records};
use paperkg::{Extractor, Lexicon};

fn corpus() -> Vec<(String, String)> {
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/samples");
    Records::new(&[samples], IngestOptions::default())
        .filter_map(Result::ok)
        .map(|r| (r.title, r.abstract_text))
        .collect()
}

fn extraction(c: &mut Criterion) {
    let papers = corpus();
    let bytes: usize = papers.iter().map(|(t, a)| t.len() + a.len()).sum();
    let extractor = Extractor::new(&Lexicon::builtin());
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("bundled corpus, lexicon + discovery", |b| {
        b.iter(|| {
            let mut n = 0;
            for (title, abstract_text) in &papers {
                n += extractor.extract(title, abstract_text).len();
            }
            black_box(n)
        })
    });
    group.bench_function("bundled corpus, lexicon + discovery, reused Scratch", |b| {
        let mut scratch = Scratch::new();
        b.iter(|| {
            let mut n = 0;
            for (title, abstract_text) in &papers {
                n += extractor
                    .extract_with(&mut scratch, title, abstract_text)
                    .len();
            }
            black_box(n)
        })
    });
    // What `--lexicon-only` runs: an automaton without the discovery rules' words.
    let lexicon_only = Extractor::with_discovery(&Lexicon::builtin(), false);
    group.bench_function("bundled corpus, lexicon only", |b| {
        let mut scratch = Scratch::new();
        b.iter(|| {
            let mut n = 0;
            for (title, abstract_text) in &papers {
                n += lexicon_only
                    .extract_with(&mut scratch, title, abstract_text)
                    .len();
            }
            black_box(n)
        })
    });
    group.finish();
}

fn compile(c: &mut Criterion) {
    let lexicon = Lexicon::builtin();
    c.bench_function("compile built-in lexicon", |b| {
        b.iter(|| black_box(Extractor::new(&lexicon)))
    });
}

criterion_group!(benches, extraction, compile);

/// With `PAPERKG_EXTRACT_PASSES=N`, runs N plain passes of `extract` over the corpus and no
/// statistics: instruction counts under `valgrind --tool=callgrind` are repeatable where
/// timings on a shared machine are not (the difference between N = 3 and N = 1, halved, is
/// one pass, without start-up and lexicon compilation).
fn main() {
    let passes = std::env::var("PAPERKG_EXTRACT_PASSES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(passes) = passes {
        let papers = corpus();
        let bytes: usize = papers.iter().map(|(t, a)| t.len() + a.len()).sum();
        let extractor = Extractor::new(&Lexicon::builtin());
        let mut n = 0;
        for _ in 0..passes {
            for (title, abstract_text) in &papers {
                n += extractor.extract(title, abstract_text).len();
            }
        }
        eprintln!(
            "{passes} passes over {} papers, {bytes} bytes: {n} mentions",
            papers.len()
        );
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
