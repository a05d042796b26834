//! The build pipeline: ingest → extract → graph → export, streamed in batches.
//!
//! Records are read one batch at a time; each new paper's entities are extracted, and the
//! typed relations among them found ([`relations::analyse`], one pass over its sentences),
//! in parallel (rayon). Then papers, provenance, mentions and evidence go to the SQLite
//! writer (one transaction) and into the [`KnowledgeGraph`], in input order. Abstracts are
//! never kept beyond their batch, so memory stays bounded by the batch size and the graph.
//! At the end the entity → entity edges are added, the database is committed and renamed
//! into place, and the DOT file is drawn from the new database, by the same code (and with
//! the same readable defaults) as `paperkg export dot`.
//!
//! This module does no terminal output: problems and progress go to a [`Observer`]
//! supplied by the caller.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::export::dot::{self, DotOutput};
use crate::export::sqlite::{BuildInfo, SqliteWriter};
use crate::export::ExportError;
use crate::extract::{EntityType, Extractor, Mention};
use crate::graph::relations::{self, Relations};
use crate::graph::{Edge, EntityRelation, KnowledgeGraph, Node, PaperSlot};
use crate::ingest::{IngestError, IngestOptions, Provenance, Record, Records};
use crate::limits;
use crate::store::export::{self as selection, ExportOptions};
use crate::store::{Store, StoreError};

/// File name of the database inside the output folder.
pub const DATABASE_FILE: &str = "kg.sqlite";
/// File name of the DOT drawing inside the output folder.
pub const DOT_FILE: &str = "graph.dot";

/// What to build and where.
#[derive(Clone, Debug)]
pub struct BuildConfig {
    /// Input files and directories.
    pub inputs: Vec<PathBuf>,
    /// Output folder; created if missing.
    pub out_dir: PathBuf,
    /// Stop at the first input problem instead of skipping it.
    pub strict: bool,
    /// Records per batch handed to the parallel extractor.
    pub batch_size: usize,
    /// Reading limits.
    pub ingest: IngestOptions,
    /// Most distinct entities kept per paper (the first named); 0 for no limit. Default
    /// [`limits::DEFAULT_MAX_ENTITIES`].
    pub max_entities: usize,
    /// What the DOT drawing shows (by default [`ExportOptions::drawing`]).
    pub dot: ExportOptions,
}

impl BuildConfig {
    /// A configuration with default limits for `inputs` into `out_dir`.
    pub fn new(inputs: Vec<PathBuf>, out_dir: PathBuf) -> BuildConfig {
        BuildConfig {
            inputs,
            out_dir,
            strict: false,
            batch_size: 2048,
            ingest: IngestOptions::default(),
            max_entities: limits::DEFAULT_MAX_ENTITIES,
            dot: ExportOptions::drawing(),
        }
    }
}

/// Receives problems and progress while a build runs.
pub trait Observer {
    /// An input problem; the record (or file) was skipped unless the build is strict.
    fn problem(&mut self, error: &IngestError);
    /// Progress after a batch: raw input bytes consumed and records read so far.
    fn progress(&mut self, bytes_read: u64, records_read: usize);
    /// A paper named `found` distinct entities, more than [`BuildConfig::max_entities`];
    /// only the first `kept` were kept. The paper itself is kept. Ignored by default.
    fn entities_capped(&mut self, _source: &Provenance, _found: usize, _kept: usize) {}
}

/// An [`Observer`] that ignores everything.
#[derive(Debug, Default)]
pub struct Silent;

impl Observer for Silent {
    fn problem(&mut self, _error: &IngestError) {}
    fn progress(&mut self, _bytes_read: u64, _records_read: usize) {}
}

/// What a finished build did.
#[derive(Clone, Debug)]
pub struct BuildSummary {
    /// Input files read.
    pub files_read: usize,
    /// Records read (paper occurrences, duplicates included).
    pub records_read: usize,
    /// Distinct papers.
    pub papers: usize,
    /// Records that were a paper already seen.
    pub duplicates: usize,
    /// Input problems skipped.
    pub problems: usize,
    /// Papers whose entities were cut to [`BuildConfig::max_entities`].
    pub capped_papers: usize,
    /// Entities per type, in [`EntityType::ALL`] order.
    pub entities_by_type: Vec<(EntityType, usize)>,
    /// Entities no paper names, known only as the family of a variant (included above).
    pub family_only: usize,
    /// Mentions recorded.
    pub mentions: usize,
    /// paper → entity edges.
    pub mention_edges: usize,
    /// entity – entity co-mention edges.
    pub co_mention_edges: usize,
    /// Typed entity → entity edges (variant_of, based_on, trained_on, evaluated_on).
    pub relation_edges: usize,
    /// Evidence rows written (sentences supporting a relation).
    pub evidence: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Path of the database written.
    pub database: PathBuf,
    /// Path of the DOT file written.
    pub dot_path: PathBuf,
    /// What the DOT file shows.
    pub dot: DotSummary,
}

/// The size of the DOT drawing.
#[derive(Clone, Copy, Debug)]
pub struct DotSummary {
    /// Nodes drawn.
    pub nodes: usize,
    /// Edges drawn.
    pub edges: usize,
    /// Entities left out to keep the drawing readable.
    pub dropped_nodes: usize,
}

/// Why a build did not produce outputs. The previous outputs are untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The output folder could not be created.
    #[error("{path}: cannot create output folder: {source}")]
    OutputDir {
        /// The folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// `--strict` and an input problem.
    #[error("stopped at the first input problem (--strict): {0}")]
    Strict(IngestError),
    /// No usable record in any input.
    #[error("no usable paper in the input ({problems} problem(s) reported)")]
    NothingRead {
        /// Problems reported.
        problems: usize,
    },
    /// Writing an output failed.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// Reading the new database back for the drawing failed (the database is in place).
    #[error(transparent)]
    Drawing(#[from] StoreError),
}

/// Runs the whole pipeline.
///
/// Outputs are written to temporary files and renamed into place only when complete, so an
/// error (or an interrupted process) leaves the previous database and DOT file untouched.
pub fn build(
    config: &BuildConfig,
    extractor: &Extractor,
    observer: &mut dyn Observer,
) -> Result<BuildSummary, BuildError> {
    let started = Instant::now();
    std::fs::create_dir_all(&config.out_dir).map_err(|source| BuildError::OutputDir {
        path: config.out_dir.clone(),
        source,
    })?;
    let db_path = config.out_dir.join(DATABASE_FILE);
    let mut writer = SqliteWriter::create(&db_path)?;
    let mut graph = KnowledgeGraph::new();
    let mut records = Records::new(&config.inputs, config.ingest.clone());
    let mut counts = Counts::default();
    let batch_size = config.batch_size.max(1);
    let mut batch: Vec<Record> = Vec::with_capacity(batch_size);
    loop {
        batch.clear();
        for item in records.by_ref() {
            match item {
                Ok(record) => {
                    batch.push(record);
                    if batch.len() == batch_size {
                        break;
                    }
                }
                Err(error) => {
                    observer.problem(&error);
                    counts.problems += 1;
                    if config.strict {
                        return Err(BuildError::Strict(error));
                    }
                }
            }
        }
        if batch.is_empty() {
            break;
        }
        let capped = add_batch(
            &batch,
            extractor,
            config.max_entities,
            &mut graph,
            &mut writer,
            &mut counts,
        )?;
        for (source, found) in capped {
            observer.entities_capped(source, found, config.max_entities);
        }
        observer.progress(records.bytes_read(), counts.records);
    }
    if graph.paper_count() == 0 {
        return Err(BuildError::NothingRead {
            problems: counts.problems,
        });
    }
    graph.finish();
    let info = BuildInfo {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        inputs: config
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        records_read: counts.records,
        problems: counts.problems,
        elapsed_ms: started.elapsed().as_millis() as u64,
    };
    let database = writer.finish(&graph, &info)?;
    let dot_path = config.out_dir.join(DOT_FILE);
    let drawn = {
        let store = Store::open(&database)?;
        let selected = selection::load(&store, &config.dot)?;
        dot::write_dot(&selected, &dot_path)?
    };
    Ok(summarise(
        &graph,
        &counts,
        records.files_read(),
        started.elapsed(),
        database,
        dot_path,
        &drawn,
    ))
}

/// Running totals of a build.
#[derive(Debug, Default)]
struct Counts {
    records: usize,
    duplicates: usize,
    problems: usize,
    capped: usize,
    mentions: usize,
    evidence: usize,
}

/// A new paper's mentions, relations, and its entity count when it was capped.
type Analysed = (Vec<Mention>, Relations, Option<usize>);

/// Adds one batch: identity and dedup in input order, extraction in parallel (each paper
/// capped to `max_entities`), then writes. Returns the papers that were capped, with the
/// number of entities they named.
fn add_batch<'b>(
    batch: &'b [Record],
    extractor: &Extractor,
    max_entities: usize,
    graph: &mut KnowledgeGraph,
    writer: &mut SqliteWriter,
    counts: &mut Counts,
) -> Result<Vec<(&'b Provenance, usize)>, ExportError> {
    let mut slots = Vec::with_capacity(batch.len());
    for record in batch {
        let key = record.key();
        let slot = graph.add_paper(&key, &record.title);
        slots.push((key, slot));
    }
    let extracted: Vec<Option<Analysed>> = batch
        .par_iter()
        .zip(slots.par_iter())
        .map(|(record, (_, slot))| match slot {
            PaperSlot::New(_) => {
                let mut mentions = extractor.extract(&record.title, &record.abstract_text);
                let capped = limits::cap_entities(&mut mentions, max_entities);
                let found = relations::analyse(&record.title, &record.abstract_text, &mentions);
                Some((mentions, found, capped))
            }
            PaperSlot::Duplicate(_) => None,
        })
        .collect();
    let mut capped_papers = Vec::new();
    for ((record, (key, slot)), analysed) in batch.iter().zip(&slots).zip(extracted) {
        counts.records += 1;
        match (*slot, analysed) {
            (PaperSlot::New(ordinal), Some((mentions, found, capped))) => {
                if let Some(n) = capped {
                    capped_papers.push((&record.source, n));
                    counts.capped += 1;
                }
                writer.add_paper(ordinal, key, record)?;
                writer.add_provenance(ordinal, &record.source)?;
                let added = graph.add_paper_relations(key, &mentions, &found);
                for (mention, entity) in mentions.iter().zip(&added.entities) {
                    writer.add_mention(ordinal, entity.ordinal, mention)?;
                }
                for evidence in &added.evidence {
                    writer.add_evidence(ordinal, evidence)?;
                }
                counts.mentions += mentions.len();
                counts.evidence += added.evidence.len();
            }
            (PaperSlot::Duplicate(ordinal), _) | (PaperSlot::New(ordinal), None) => {
                writer.add_provenance(ordinal, &record.source)?;
                counts.duplicates += 1;
            }
        }
    }
    Ok(capped_papers)
}

fn summarise(
    graph: &KnowledgeGraph,
    counts: &Counts,
    files_read: usize,
    elapsed: Duration,
    database: PathBuf,
    dot_path: PathBuf,
    drawn: &DotOutput,
) -> BuildSummary {
    let mut by_type = [0usize; 3];
    let mut family_only = 0;
    for node in graph.graph.node_weights() {
        if let Node::Entity(e) = node {
            by_type[e.kind as usize] += 1;
            family_only += usize::from(e.papers == 0);
        }
    }
    let mut mention_edges = 0;
    let mut co_mention_edges = 0;
    let mut relation_edges = 0;
    for edge in graph.graph.edge_weights() {
        match edge {
            Edge::PaperToEntity { .. } => mention_edges += 1,
            Edge::EntityToEntity {
                relation: EntityRelation::CoMentioned,
                ..
            } => co_mention_edges += 1,
            Edge::EntityToEntity { .. } => relation_edges += 1,
        }
    }
    BuildSummary {
        files_read,
        records_read: counts.records,
        papers: graph.paper_count(),
        duplicates: counts.duplicates,
        problems: counts.problems,
        capped_papers: counts.capped,
        entities_by_type: EntityType::ALL.iter().copied().zip(by_type).collect(),
        family_only,
        mentions: counts.mentions,
        mention_edges,
        co_mention_edges,
        relation_edges,
        evidence: counts.evidence,
        elapsed,
        database,
        dot_path,
        dot: DotSummary {
            nodes: drawn.nodes,
            edges: drawn.edges,
            dropped_nodes: drawn.dropped_nodes,
        },
    }
}

/// The bundled sample corpus, used when `build` gets no input: `data/samples` relative to
/// the working directory when it is there (so provenance reads `data/samples/…`), else the
/// copy in the source tree paperkg was built from.
pub fn bundled_samples() -> PathBuf {
    let relative = Path::new("data").join("samples");
    if relative.is_dir() {
        return relative;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}
