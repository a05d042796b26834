//! Graph assembly on generated papers ([`paperkg::synth`]): finding the relations of 20,000
//! extracted papers ([`relations::analyse`]: the cue phrases of every sentence that names an
//! entity), adding the analysed papers to a [`KnowledgeGraph`] (what the build's graph step
//! does per batch), then finishing it (co-mention edges, display names) and preparing its
//! database rows ([`GraphRows`]: degrees, PageRank, edge rows), on one core.
//!
//! Extraction runs once, before measuring; it is measured in `benches/extract.rs`.
//!
//! Run with `cargo bench --bench graph`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use paperkg::export::sqlite::GraphRows;
use paperkg::graph::algo;
use paperkg::graph::relations::{self, Relations};
use paperkg::ingest::{IngestOptions, Records};
use paperkg::synth::{self, SynthConfig};
use paperkg::{Extractor, KnowledgeGraph, Lexicon, Mention};

const PAPERS: usize = 20_000;

/// One generated paper, extracted and analysed: its identity key, mentions and relations.
type Analysed = (String, Vec<Mention>, Relations);

/// One generated paper, extracted: its identity key, title, abstract and mentions.
type Extracted = (String, String, String, Vec<Mention>);

fn extracted() -> Vec<Extracted> {
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
        out.push((record.key(), record.title, record.abstract_text, mentions));
    }
    out
}

fn analysed(papers: &[Extracted]) -> Vec<Analysed> {
    let mut out = Vec::with_capacity(papers.len());
    for (key, title, abstract_text, mentions) in papers {
        let found = relations::analyse(title, abstract_text, mentions);
        out.push((key.clone(), mentions.clone(), found));
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
    let extracted = extracted();
    let papers = analysed(&extracted);
    let mut group = c.benchmark_group("graph");
    group.throughput(Throughput::Elements(papers.len() as u64));
    group.sample_size(20);
    group.bench_function("analyse 20k extracted papers", |b| {
        b.iter(|| {
            let mut links = 0;
            for (_, title, abstract_text, mentions) in &extracted {
                links += relations::analyse(title, abstract_text, mentions)
                    .links
                    .len();
            }
            black_box(links)
        })
    });
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

/// PageRank alone on a larger graph than 20k papers give: 300,000 nodes and 2,500,000
/// weighted edges (about the entity graph of a million generated papers), drawn by a fixed
/// linear congruential sequence with a skew towards low node numbers, as popular entities
/// are.
fn pagerank(c: &mut Criterion) {
    const NODES: usize = 300_000;
    const EDGES: usize = 2_500_000;
    let mut state: u64 = 42;
    let mut draw = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state >> 33
    };
    let mut edges = Vec::with_capacity(EDGES);
    for _ in 0..EDGES {
        let (x, y, w) = (draw(), draw(), draw());
        let skewed = |r: u64| ((r % 1000) * (r % 1000) * NODES as u64 / 1_000_000) as usize;
        edges.push((skewed(x), (y as usize) % NODES, (w % 5) as usize + 1));
    }
    let mut group = c.benchmark_group("graph");
    group.throughput(Throughput::Elements(EDGES as u64));
    group.sample_size(10);
    group.bench_function("PageRank, 300k nodes, 2.5M edges, 100 iterations", |b| {
        b.iter(|| {
            black_box(algo::pagerank_of(
                NODES,
                &edges,
                algo::PAGERANK_DAMPING,
                algo::PAGERANK_ITERATIONS,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, graph, pagerank);
criterion_main!(benches);
