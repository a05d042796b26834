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
//! With [`BuildConfig::append`], the records of the database already in the output folder
//! are replayed first ([`Replay`]: every record in its original order, with its original
//! file and line), then the new inputs' records, skipping those the database already holds
//! (same paper, file and line). Everything goes through the same pipeline into a new
//! database, so appending `B` to a build of `A` gives what building `A B` gives, every
//! derived table (entities, edges, PMI, evidence, full-text index) refreshed.
//!
//! This module does no terminal output: problems and progress go to a [`Observer`]
//! supplied by the caller.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::export::dot::{self, DotOutput};
use crate::export::sqlite::{
    BuildInfo, EvidenceRow, GraphRows, MentionRow, PaperLinkRow, PaperRow, ProvenanceRow,
    SqliteWriter, WriterOptions,
};
use crate::export::ExportError;
use crate::extract::{EntityType, Extractor, Mention, Scratch};
use crate::graph::relations::{self, Relations};
use crate::graph::{
    Edge, EntityRelation, EvidenceRecord, KnowledgeGraph, Node, PaperLink, PaperSlot,
};
use crate::ingest::{IngestError, IngestOptions, Provenance, Record, Records};
use crate::limits;
use crate::store::export::{self as selection, ExportOptions};
use crate::store::replay::Replay;
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
    /// How the database is written (e.g. without the full-text index).
    pub writer: WriterOptions,
    /// Add the inputs to the database already in `out_dir` (replaying its records first)
    /// instead of replacing it. Without a database there, a normal build.
    pub append: bool,
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
            writer: WriterOptions::default(),
            append: false,
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
    /// Where the wall time went.
    pub stages: Stages,
    /// What was appended to an existing database; `None` for a normal build, and for
    /// [`BuildConfig::append`] when there was no database to append to.
    pub appended: Option<Appended>,
    /// Whether the discovery rules ran after the lexicon (`false`: a lexicon-only build,
    /// see [`Extractor::with_discovery`]).
    pub discovery: bool,
}

/// What `build --append` found and added.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Appended {
    /// Papers in the database before.
    pub previous_papers: usize,
    /// Records replayed from the database (its provenance rows), included in
    /// [`BuildSummary::records_read`].
    pub replayed_records: usize,
    /// New input records skipped because the database already held them (same paper,
    /// file and line); not in [`BuildSummary::records_read`].
    pub already_stored: usize,
}

/// Wall time of each stage of a build. The stages run one after another; reading,
/// extraction and writing rows overlap inside `streaming`, and the writer's last rows and
/// the indexes on the papers' tables overlap `graph` (and are counted in `database` when
/// they outlast it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stages {
    /// Reading, extracting, adding to the graph and writing paper rows, overlapped.
    pub streaming: Duration,
    /// Finishing the graph (co-mention edges, display names) and preparing its rows.
    pub graph: Duration,
    /// After `graph`, waiting for the writer thread, which meanwhile stores its last paper
    /// rows and builds the indexes on the papers' tables (it started on them when
    /// streaming ended, beside `graph`).
    pub paper_indexes: Duration,
    /// Writing entities and edges, building indexes (and the full-text index), committing.
    pub database: Duration,
    /// The part of `database` spent on the full-text index; `None` when skipped.
    pub full_text: Option<Duration>,
    /// Drawing graph.dot from the new database.
    pub drawing: Duration,
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
    #[error("{path}: cannot create output folder")]
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
    /// `--append` to a database of another schema version.
    #[error(
        "{} has paperkg schema version {found}, but this paperkg writes version {expected}: \
         --append cannot extend it; rebuild it from all its inputs without --append",
        path.display()
    )]
    AppendSchema {
        /// The database.
        path: PathBuf,
        /// Its schema version.
        found: i32,
        /// The version this paperkg writes.
        expected: i32,
    },
    /// `--append`: reading the existing database back failed.
    #[error("--append: cannot read the existing database back: {0}")]
    Replay(StoreError),
    /// A pipeline thread panicked (a bug); nothing was written.
    #[error("internal error: the {0} thread panicked; no output was written")]
    Panicked(&'static str),
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
    let replay = if config.append {
        open_replay(&db_path)?
    } else {
        None
    };
    let previous = replay.as_ref().map(|r| r.previous().clone());
    let writer = SqliteWriter::create_with(&db_path, config.writer)?;
    let mut graph = KnowledgeGraph::new();
    let mut counts = Counts::default();
    let batch_size = config.batch_size.max(1);
    let mut stages = Stages::default();
    let (writer, read, graph_rows) = std::thread::scope(|scope| -> Result<_, BuildError> {
        // Reader thread → this thread (identity, extraction on the rayon pool, graph) →
        // writer thread: reading, extracting and writing overlap. The channels are bounded,
        // so at most a few batches are in flight.
        let (batch_tx, batch_rx) = mpsc::sync_channel::<InputBatch>(IN_FLIGHT);
        let (rows_tx, rows_rx) = mpsc::sync_channel::<Vec<PaperRows>>(IN_FLIGHT);
        let reader = scope.spawn(move || read_batches(config, replay, batch_size, batch_tx));
        let writing = scope.spawn(move || write_rows(writer, rows_rx));
        // Extraction of one batch (on the rayon pool) overlaps adding the batch before it
        // to the graph: `pending` holds the batch extracted but not yet added.
        let mut pending: Option<Analysed> = None;
        // Reports the capped papers of an added batch and hands its rows to the writer;
        // false when the writer stopped on an error (returned by the join below).
        let deliver = |(rows, capped): (Vec<PaperRows>, Vec<(Provenance, usize)>),
                       observer: &mut dyn Observer| {
            for (source, found) in &capped {
                observer.entities_capped(source, *found, config.max_entities);
            }
            rows_tx.send(rows).is_ok()
        };
        let mut writer_gone = false;
        for input in batch_rx {
            for error in &input.problems {
                observer.problem(error);
                counts.problems += 1;
            }
            if config.strict {
                if let Some(error) = input.problems.into_iter().next() {
                    return Err(BuildError::Strict(error));
                }
            }
            let slots = assign_slots(&input.records, &mut graph);
            let waiting = pending.take();
            let (extracted, added) = rayon::join(
                || analyse_batch(&input.records, &slots, extractor, config.max_entities),
                || waiting.map(|batch| add_batch(batch, &mut graph, &mut counts)),
            );
            pending = Some(Analysed {
                records: input.records,
                slots,
                extracted,
            });
            if let Some(added) = added {
                if !deliver(added, observer) {
                    writer_gone = true;
                    break;
                }
            }
            observer.progress(input.bytes_read, counts.records);
        }
        if let (Some(batch), false) = (pending.take(), writer_gone) {
            deliver(add_batch(batch, &mut graph, &mut counts), observer);
        }
        drop(rows_tx);
        stages.streaming = started.elapsed();
        // While the writer stores the last rows and indexes the papers, finish the graph
        // and prepare its rows here.
        let finishing = Instant::now();
        graph.finish();
        let graph_rows = GraphRows::of(&graph);
        stages.graph = finishing.elapsed();
        let waiting = Instant::now();
        let writer = writing
            .join()
            .map_err(|_| BuildError::Panicked("writer"))??;
        stages.paper_indexes = waiting.elapsed();
        let read = reader
            .join()
            .map_err(|_| BuildError::Panicked("reader"))??;
        Ok((writer, read, graph_rows))
    })?;
    if graph.paper_count() == 0 {
        return Err(BuildError::NothingRead {
            problems: counts.problems,
        });
    }
    let previous = previous.unwrap_or_default();
    let mut inputs = previous.inputs;
    let appended_from = inputs.len();
    for input in &config.inputs {
        let input = input.display().to_string();
        // An input appended again is listed once: its records were skipped as stored.
        if !inputs[..appended_from].contains(&input) {
            inputs.push(input);
        }
    }
    let info = BuildInfo {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        inputs,
        records_read: counts.records,
        problems: previous.problems.saturating_add(counts.problems),
        discovery: extractor.discovers(),
    };
    let finishing = Instant::now();
    let finished = writer.finish_with(&graph, &graph_rows, &info)?;
    let database = finished.path;
    stages.database = finishing.elapsed();
    stages.full_text = finished.full_text;
    let dot_path = config.out_dir.join(DOT_FILE);
    let drawing = Instant::now();
    let drawn = {
        let store = Store::open(&database)?;
        let selected = selection::load(&store, &config.dot)?;
        dot::write_dot(&selected, &dot_path)?
    };
    stages.drawing = drawing.elapsed();
    let mut summary = summarise(
        &graph,
        &counts,
        read.files_read,
        started.elapsed(),
        database,
        dot_path,
        &drawn,
    );
    summary.stages = stages;
    summary.appended = read.appended;
    summary.discovery = extractor.discovers();
    Ok(summary)
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

/// Batches in flight between the pipeline's threads, per channel.
const IN_FLIGHT: usize = 2;

/// Records read ahead by the reader thread, with the problems met while reading them.
struct InputBatch {
    records: Vec<Record>,
    problems: Vec<IngestError>,
    /// Input bytes consumed so far (for progress).
    bytes_read: u64,
}

/// What the writer thread stores for one record.
enum PaperRows {
    /// A new paper with its mentions (each with its entity's ordinal) and evidence.
    New {
        ordinal: usize,
        key: String,
        record: Box<Record>,
        mentions: Vec<(Mention, usize)>,
        links: Vec<PaperLink>,
        evidence: Vec<EvidenceRecord>,
    },
    /// Another occurrence of paper `ordinal`.
    Duplicate { ordinal: usize, source: Provenance },
}

/// Opens the database at `db_path` for `--append`; `None` when there is none.
fn open_replay(db_path: &Path) -> Result<Option<Replay>, BuildError> {
    match std::fs::metadata(db_path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    match Replay::open(db_path) {
        Ok(replay) => Ok(Some(replay)),
        Err(StoreError::Open(ExportError::SchemaVersion {
            path,
            found,
            expected,
        })) => Err(BuildError::AppendSchema {
            path,
            found,
            expected,
        }),
        Err(e) => Err(BuildError::Replay(e)),
    }
}

/// What the reader thread read.
struct ReadTotals {
    files_read: usize,
    appended: Option<Appended>,
}

/// The records the reader thread sends: the replayed database's first (when appending),
/// then the inputs', minus those the database already holds. A database error ends it and
/// is kept in `failed`.
struct Feed {
    replay: Option<Replay>,
    replaying: bool,
    records: Records,
    appended: Appended,
    failed: Option<StoreError>,
}

impl Iterator for Feed {
    type Item = Result<Record, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed.is_some() {
            return None;
        }
        if self.replaying {
            match self.replay.as_mut().and_then(Iterator::next) {
                Some(Ok(record)) => {
                    self.appended.replayed_records += 1;
                    return Some(Ok(record));
                }
                Some(Err(e)) => {
                    self.failed = Some(e);
                    return None;
                }
                None => self.replaying = false,
            }
        }
        loop {
            let item = self.records.next()?;
            if let (Ok(record), Some(replay)) = (&item, &self.replay) {
                match replay.already_read(&record.key(), &record.source) {
                    Ok(true) => {
                        self.appended.already_stored += 1;
                        continue;
                    }
                    Ok(false) => {}
                    Err(e) => {
                        self.failed = Some(e);
                        return None;
                    }
                }
            }
            return Some(item);
        }
    }
}

/// The reader thread: reads the replayed database (if any) and every input in batches of
/// `batch_size` records and sends them on until the inputs end or the receiver hangs up.
/// Fails when the replayed database cannot be read: a partial replay would lose papers.
fn read_batches(
    config: &BuildConfig,
    replay: Option<Replay>,
    batch_size: usize,
    tx: SyncSender<InputBatch>,
) -> Result<ReadTotals, BuildError> {
    let appended = replay.as_ref().map(|r| Appended {
        previous_papers: r.previous().papers,
        ..Appended::default()
    });
    let mut records = Feed {
        replaying: replay.is_some(),
        replay,
        records: Records::new(&config.inputs, config.ingest.clone()),
        appended: appended.unwrap_or_default(),
        failed: None,
    };
    loop {
        let mut batch = InputBatch {
            records: Vec::with_capacity(batch_size),
            problems: Vec::new(),
            bytes_read: 0,
        };
        for item in records.by_ref() {
            match item {
                Ok(record) => {
                    batch.records.push(record);
                    if batch.records.len() == batch_size {
                        break;
                    }
                }
                Err(error) => batch.problems.push(error),
            }
        }
        if records.failed.is_some() {
            break;
        }
        batch.bytes_read = records.records.bytes_read();
        let last = batch.records.len() < batch_size;
        if (batch.records.is_empty() && batch.problems.is_empty()) || tx.send(batch).is_err() {
            break;
        }
        if last {
            break;
        }
    }
    if let Some(e) = records.failed {
        return Err(BuildError::Replay(e));
    }
    Ok(ReadTotals {
        files_read: records.records.files_read(),
        appended: appended.map(|_| records.appended),
    })
}

/// The writer thread: stores every batch of rows in arrival order, indexes the papers,
/// then hands the writer back for [`SqliteWriter::finish_with`]. Stops at the first error.
fn write_rows(
    mut writer: SqliteWriter,
    rx: Receiver<Vec<PaperRows>>,
) -> Result<SqliteWriter, ExportError> {
    {
        let mut inserts = writer.inserts()?;
        for rows in rx {
            // Table by table, each in key order: every insert appends.
            let new = || {
                rows.iter().filter_map(|row| match row {
                    PaperRows::New {
                        ordinal,
                        key,
                        record,
                        mentions,
                        links,
                        evidence,
                    } => Some((*ordinal, key, record, mentions, links, evidence)),
                    PaperRows::Duplicate { .. } => None,
                })
            };
            inserts.add_papers(new().map(|(ordinal, key, record, ..)| PaperRow {
                ordinal,
                key,
                record,
            }))?;
            inserts.add_provenance(rows.iter().map(|row| match row {
                PaperRows::New {
                    ordinal, record, ..
                } => ProvenanceRow {
                    paper: *ordinal,
                    source: &record.source,
                },
                PaperRows::Duplicate { ordinal, source } => ProvenanceRow {
                    paper: *ordinal,
                    source,
                },
            }))?;
            inserts.add_mentions(new().flat_map(|(paper, _, _, mentions, _, _)| {
                mentions
                    .iter()
                    .enumerate()
                    .map(move |(seq, (mention, entity))| MentionRow {
                        paper,
                        seq,
                        entity: *entity,
                        mention,
                    })
            }))?;
            inserts.add_paper_links(new().flat_map(|(paper, _, _, _, links, _)| {
                links.iter().map(move |link| PaperLinkRow { paper, link })
            }))?;
            inserts.add_evidence(new().flat_map(|(paper, .., evidence)| {
                evidence
                    .iter()
                    .enumerate()
                    .map(move |(seq, record)| EvidenceRow { paper, seq, record })
            }))?;
        }
    }
    writer.index_papers()?;
    Ok(writer)
}

/// A new paper's mentions, relations, and its entity count when it was capped; `None`
/// for a duplicate.
type Extracted = Option<(Vec<Mention>, Relations, Option<usize>)>;

/// A batch extracted and analysed, not yet added to the graph.
struct Analysed {
    records: Vec<Record>,
    /// Each record's identity key and slot, from [`assign_slots`].
    slots: Vec<(String, PaperSlot)>,
    /// Each record's extraction, from [`analyse_batch`].
    extracted: Vec<Extracted>,
}

/// Gives each record of a batch its paper node, in input order: a new ordinal, or the
/// ordinal of the paper it repeats.
fn assign_slots(batch: &[Record], graph: &mut KnowledgeGraph) -> Vec<(String, PaperSlot)> {
    let mut slots = Vec::with_capacity(batch.len());
    for record in batch {
        let key = record.key();
        let slot = graph.add_paper(&key);
        slots.push((key, slot));
    }
    slots
}

/// Extracts the entities of each new paper of a batch (capped to `max_entities`) and
/// analyses their relations, in parallel; duplicates are skipped.
fn analyse_batch(
    batch: &[Record],
    slots: &[(String, PaperSlot)],
    extractor: &Extractor,
    max_entities: usize,
) -> Vec<Extracted> {
    batch
        .par_iter()
        .zip(slots.par_iter())
        .map_init(Scratch::new, |scratch, (record, (_, slot))| match slot {
            PaperSlot::New(_) => {
                let mut mentions =
                    extractor.extract_with(scratch, &record.title, &record.abstract_text);
                let capped = limits::cap_entities(&mut mentions, max_entities);
                let found = relations::analyse(&record.title, &record.abstract_text, &mentions);
                Some((mentions, found, capped))
            }
            PaperSlot::Duplicate(_) => None,
        })
        .collect()
}

/// Adds an analysed batch to the graph in input order. Returns the rows for the writer
/// thread, in input order, and the papers that were capped with the number of entities
/// they named.
fn add_batch(
    batch: Analysed,
    graph: &mut KnowledgeGraph,
    counts: &mut Counts,
) -> (Vec<PaperRows>, Vec<(Provenance, usize)>) {
    let Analysed {
        records,
        slots,
        extracted,
    } = batch;
    let mut rows = Vec::with_capacity(records.len());
    let mut capped_papers = Vec::new();
    for ((record, (key, slot)), analysed) in records.into_iter().zip(slots).zip(extracted) {
        counts.records += 1;
        match (slot, analysed) {
            (PaperSlot::New(ordinal), Some((mentions, found, capped))) => {
                if let Some(n) = capped {
                    capped_papers.push((record.source.clone(), n));
                    counts.capped += 1;
                }
                let added = graph.add_paper_relations(&key, &mentions, &found);
                counts.mentions += mentions.len();
                counts.evidence += added.evidence.len();
                let mentions = mentions
                    .into_iter()
                    .zip(added.entities.iter().map(|e| e.ordinal))
                    .collect();
                rows.push(PaperRows::New {
                    ordinal,
                    key,
                    record: Box::new(record),
                    mentions,
                    links: added.links,
                    evidence: added.evidence,
                });
            }
            (PaperSlot::Duplicate(ordinal), _) | (PaperSlot::New(ordinal), None) => {
                counts.duplicates += 1;
                rows.push(PaperRows::Duplicate {
                    ordinal,
                    source: record.source,
                });
            }
        }
    }
    (rows, capped_papers)
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
        stages: Stages::default(),
        appended: None,
        discovery: true,
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
