//! Graph assembly on generated papers ([`paperkg::synth`]): adding 20,000 extracted and
//! analysed papers to a [`KnowledgeGraph`] (what the build's graph step does per batch), then
//! finishing it (co-mention edges, display names) and preparing its database rows
//! ([`GraphRows`]: degrees, PageRank, edge rows), on one core.
//!
//! Extraction and relation analysis run once, before measuring; they are measured in
//! `benches/extract.rs`.
//!
//! Run with `cargo bench --bench graph`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use paperkg::export::sqlite::GraphRows;
use paperkg::graph::relations::{self, Relations};
use paperkg::ingest::{IngestOptions, Records};
use paperkg::synth::{self, SynthConfig};
use paperkg::{Extractor, KnowledgeGraph, Lexicon, Mention};

const PAPERS: usize = 20_000;

/// One generated paper, extracted and analysed: its identity key, mentions and relations.
type Analysed = (String, Vec<Mention>, Relations);

fn analysed() -> Vec<Analysed> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("synth.jsonl");
    let config = SynthConfig {
        papers: PAPERS,
        seed: 42,
        ..SynthConfig::default()
    };
    let file = std::fs::File::create(&path).expect("create corpus file");
    synth::write_corpus(std::io::BufWriter::new(file), &config).expect("write corpus");
    let extractor = Extractor::new(&Lexicon::builtin());
    let mut out = Vec::with_capacity(PAPERS);
    for record in Records::new(&[path], IngestOptions::default()).filter_map(Result::ok) {
        let mentions = extractor.extract(&record.title, &record.abstract_text);
        let found = relations::analyse(&record.title, &record.abstract_text, &mentions);
        out.push((record.key(), mentions, found));
    }
    out
}

fn assembled(papers: &[Analysed]) -> KnowledgeGraph {
    let mut graph = KnowledgeGraph::new();
    for (key, mentions, found) in papers {
        graph.add_paper(key);
        black_box(graph.add_paper_relations(key, mentions, found));
    }
    graph
}

fn graph(c: &mut Criterion) {
    let papers = analysed();
    let mut group = c.benchmark_group("graph");
    group.throughput(Throughput::Elements(papers.len() as u64));
    group.sample_size(20);
    group.bench_function("add 20k analysed papers", |b| {
        b.iter(|| black_box(assembled(&papers).paper_count()))
    });
    group.bench_function("finish and prepare rows, 20k papers", |b| {
        b.iter_batched(
            || assembled(&papers),
            |mut graph| {
                graph.finish();
                black_box(GraphRows::of(&graph))
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, graph);
criterion_main!(benches);
