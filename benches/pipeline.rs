//! Pipeline throughput on generated corpora ([`paperkg::synth`]): reading arXiv JSON Lines
//! (MB/s), the whole `build` (papers/s) on 20,000 papers, and the generator itself (MB/s).
//!
//! Corpora are written once into a temporary folder before measuring; outputs of `build` go
//! to a fresh temporary folder per run. Extraction alone is measured in `benches/extract.rs`;
//! the side-by-side comparison with Python and rg is `bench/run.sh`.
//!
//! Run with `cargo bench --bench pipeline` (the build group takes a few minutes).

use std::fs::File;
use std::hint::black_box;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use paperkg::build::{self, BuildConfig, Silent};
use paperkg::ingest::{IngestOptions, Records};
use paperkg::synth::{self, SynthConfig};
use paperkg::{Extractor, Lexicon};

/// Writes `papers` generated papers to `dir/synth-N.jsonl` and returns the path.
fn generated(dir: &Path, papers: usize) -> PathBuf {
    let path = dir.join(format!("synth-{papers}.jsonl"));
    let config = SynthConfig {
        papers,
        seed: 42,
        ..SynthConfig::default()
    };
    let file = File::create(&path).expect("create corpus file");
    synth::write_corpus(BufWriter::new(file), &config).expect("write corpus");
    path
}

fn ingest(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = generated(dir.path(), 20_000);
    let bytes = std::fs::metadata(&path).expect("corpus size").len();
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(20);
    group.bench_function("arXiv JSON Lines, 20k generated papers", |b| {
        b.iter(|| {
            let records = Records::new(std::slice::from_ref(&path), IngestOptions::default());
            black_box(records.filter_map(Result::ok).count())
        })
    });
    group.finish();
}

fn build_end_to_end(c: &mut Criterion) {
    const PAPERS: usize = 20_000;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = generated(dir.path(), PAPERS);
    let extractor = Extractor::new(&Lexicon::builtin());
    let mut group = c.benchmark_group("build");
    group.throughput(Throughput::Elements(PAPERS as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(70));
    group.bench_function("20k generated papers to SQLite + DOT", |b| {
        b.iter(|| {
            let out = tempfile::tempdir_in(dir.path()).expect("output dir");
            let config = BuildConfig::new(vec![path.clone()], out.path().to_path_buf());
            let summary = build::build(&config, &extractor, &mut Silent).expect("builds");
            black_box(summary.mentions)
        })
    });
    group.finish();
}

fn generate(c: &mut Criterion) {
    let config = SynthConfig {
        papers: 5_000,
        seed: 7,
        ..SynthConfig::default()
    };
    let bytes = synth::write_corpus(std::io::sink(), &config)
        .expect("sink")
        .bytes;
    let mut group = c.benchmark_group("synth");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(20);
    group.bench_function("5k papers to JSON Lines", |b| {
        b.iter(|| black_box(synth::write_corpus(std::io::sink(), &config).expect("sink")))
    });
    group.finish();
}

criterion_group!(benches, ingest, build_end_to_end, generate);
criterion_main!(benches);
