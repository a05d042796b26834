//! `paperkg build`: the whole pipeline, with a progress bar and a closing summary.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use paperkg::build::{self, BuildConfig, BuildSummary, Observer};
use paperkg::export::sqlite::extraction_label;
use paperkg::ingest::{self, IngestError, Provenance};

use super::{thousands, DEFAULT_OUT_DIR};

/// Problems printed one by one before the rest are only counted.
const SHOWN_PROBLEMS: usize = 50;

/// Arguments of `paperkg build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Listing pages (.txt), arXiv metadata (.jsonl, .json), optionally .gz, or folders of
    /// them. Without any, the bundled sample corpus in data/samples is built.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output folder for kg.sqlite and graph.dot.
    #[arg(long, short, value_name = "DIR", default_value = DEFAULT_OUT_DIR)]
    pub out: PathBuf,
    /// Extra lexicon file (name, type, aliases, parent, case; tab-separated), matched before
    /// the built-in one. May be repeated.
    #[arg(long, value_name = "FILE")]
    pub lexicon: Vec<PathBuf>,
    /// Link papers only to the lexicon's names, without the discovery rules (names it does
    /// not know, acronym definitions, the names a paper coins): extraction takes about a
    /// third of the CPU time. `meta.extraction` records it. With `--append`, the papers
    /// already stored are re-extracted the same way, so a database is all one or the other.
    #[arg(long)]
    pub lexicon_only: bool,
    /// Stop at the first input problem instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Most entities drawn in graph.dot (those named by the most papers); 0 draws them all.
    /// `paperkg export dot` draws other selections.
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub dot_nodes: usize,
    /// Skip the FTS5 full-text index over titles and abstracts (about two fifths of a large
    /// build's time); full-text queries then fail with "no such table: papers_fts".
    #[arg(long)]
    pub no_fts: bool,
    /// Add the inputs to the database already in the output folder instead of replacing
    /// it: its papers are kept (and re-extracted with the current lexicon), records it
    /// already holds (same paper, file and line) are skipped, and every derived table and
    /// graph.dot are rebuilt, as if all inputs had been built at once. Without a database
    /// there, a normal build.
    #[arg(long)]
    pub append: bool,
    /// Longest input line (or JSON array element) read; a longer one is skipped with a
    /// warning naming its file and line. Bytes, or with a suffix: 512K, 8M, 1G.
    #[arg(long, value_name = "SIZE", default_value = "8M", value_parser = parse_size)]
    pub max_line_bytes: u64,
    /// Most bytes read from one file (after decompression); the records before the limit
    /// are kept, the rest of the file is skipped with a warning naming the line reached.
    /// 0 or absent: no limit.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_bytes: Option<u64>,
    /// Most distinct entities kept per paper (the first it names); a paper naming more is
    /// kept with those, and a warning names its file and line. 0: no limit.
    #[arg(long, value_name = "N", default_value_t = paperkg::limits::DEFAULT_MAX_ENTITIES)]
    pub max_entities: usize,
}

/// Parses a byte size: digits with an optional K, M, G (powers of 1024; `KiB`, `MB`… also
/// read as such).
fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size (bytes, or e.g. 512K, 8M, 1G)"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("{text:?}: unknown unit (use K, M or G)")),
    };
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("{text:?} is too large"))
}

/// Runs `paperkg build`.
pub fn run(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let extractor = super::extract::extractor(&args.lexicon, args.lexicon_only)?;
    let inputs = if args.inputs.is_empty() {
        vec![build::bundled_samples()]
    } else {
        args.inputs
    };
    let mut config = BuildConfig::new(inputs, args.out);
    config.strict = args.strict;
    config.dot.top = args.dot_nodes;
    config.writer.full_text = !args.no_fts;
    config.ingest.max_line_bytes = usize::try_from(args.max_line_bytes)
        .unwrap_or(usize::MAX)
        .max(1);
    config.ingest.max_file_bytes = args.max_file_bytes.filter(|&n| n > 0);
    config.max_entities = args.max_entities;
    config.append = args.append;

    let mut reporter = Reporter::new(ingest::total_bytes(&config.inputs));
    let result = build::build(&config, &extractor, &mut reporter);
    reporter.bar.finish_and_clear();
    reporter.report_hidden();
    let summary = result.context("build failed; previous outputs, if any, are unchanged")?;
    if args.append && summary.appended.is_none() {
        eprintln!(
            "paperkg: --append: there was no database at {} yet, so this was a normal build",
            summary.database.display()
        );
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", summary_json(&summary))?;
    } else {
        write_summary(&mut out, &summary)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Draws the progress bar and prints problems to stderr.
struct Reporter {
    bar: ProgressBar,
    problems: usize,
}

impl Reporter {
    fn new(total_bytes: u64) -> Reporter {
        let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}",
        );
        if let Ok(style) = style {
            bar.set_style(style);
        }
        Reporter { bar, problems: 0 }
    }

    fn report_hidden(&self) {
        if self.problems > SHOWN_PROBLEMS {
            eprintln!(
                "paperkg: {} more problem(s) not shown",
                self.problems - SHOWN_PROBLEMS
            );
        }
    }
}

impl Observer for Reporter {
    fn problem(&mut self, error: &IngestError) {
        self.problems += 1;
        if self.problems <= SHOWN_PROBLEMS {
            self.bar
                .suspend(|| eprintln!("paperkg: warning: skipped: {error}"));
        }
    }

    fn entities_capped(&mut self, source: &Provenance, found: usize, kept: usize) {
        self.problems += 1;
        if self.problems <= SHOWN_PROBLEMS {
            self.bar.suspend(|| {
                eprintln!(
                    "paperkg: warning: {}:{}: the paper names {found} entities; kept the \
                     first {kept} (--max-entities)",
                    source.file.display(),
                    source.line
                )
            });
        }
    }

    fn progress(&mut self, bytes_read: u64, records_read: usize) {
        self.bar.set_position(bytes_read);
        self.bar
            .set_message(format!("{} records", thousands(records_read)));
    }
}

fn write_summary(out: &mut impl Write, s: &BuildSummary) -> std::io::Result<()> {
    let by_type: Vec<String> = s
        .entities_by_type
        .iter()
        .map(|(kind, n)| format!("{kind} {}", thousands(*n)))
        .collect();
    let entities: usize = s.entities_by_type.iter().map(|(_, n)| n).sum();
    match &s.appended {
        None => writeln!(
            out,
            "paperkg build: {} records from {} file(s) in {:.2} s",
            thousands(s.records_read),
            s.files_read,
            s.elapsed.as_secs_f64()
        )?,
        Some(a) => writeln!(
            out,
            "paperkg build --append: {} records replayed from the database and {} from {} file(s) in {:.2} s",
            thousands(a.replayed_records),
            thousands(s.records_read.saturating_sub(a.replayed_records)),
            s.files_read,
            s.elapsed.as_secs_f64()
        )?,
    }
    if !s.discovery {
        writeln!(
            out,
            "  extraction lexicon only: names the lexicon does not know were not looked for"
        )?;
    }
    writeln!(
        out,
        "  papers     {} ({} duplicate record(s) merged)",
        thousands(s.papers),
        thousands(s.duplicates)
    )?;
    if let Some(a) = &s.appended {
        writeln!(
            out,
            "  appended   {} new paper(s) to the {} already stored ({} record(s) replayed; {} input record(s) already stored, skipped)",
            thousands(s.papers.saturating_sub(a.previous_papers)),
            thousands(a.previous_papers),
            thousands(a.replayed_records),
            thousands(a.already_stored)
        )?;
    }
    writeln!(
        out,
        "  skipped    {} input problem(s)",
        thousands(s.problems)
    )?;
    if s.capped_papers > 0 {
        writeln!(
            out,
            "  capped     {} paper(s) named more entities than --max-entities",
            thousands(s.capped_papers)
        )?;
    }
    writeln!(
        out,
        "  entities   {} ({}{})",
        thousands(entities),
        by_type.join(", "),
        if s.family_only > 0 {
            format!("; {} known only as families", thousands(s.family_only))
        } else {
            String::new()
        }
    )?;
    writeln!(out, "  mentions   {}", thousands(s.mentions))?;
    writeln!(
        out,
        "  edges      {} paper→entity, {} co-mention, {} typed entity→entity",
        thousands(s.mention_edges),
        thousands(s.co_mention_edges),
        thousands(s.relation_edges)
    )?;
    writeln!(
        out,
        "  evidence   {} sentence(s) behind the relations",
        thousands(s.evidence)
    )?;
    writeln!(out, "  database   {}", s.database.display())?;
    let t = &s.stages;
    let full_text = match t.full_text {
        Some(d) => format!(" (full-text index {})", seconds(d)),
        None => " (full-text index skipped)".to_string(),
    };
    writeln!(
        out,
        "  time       read+extract+write {}, graph {} (then paper indexes {} more), tables+indexes {}{full_text}, drawing {}",
        seconds(t.streaming),
        seconds(t.graph),
        seconds(t.paper_indexes),
        seconds(t.database),
        seconds(t.drawing)
    )?;
    let drawn = if s.dot.dropped_nodes > 0 {
        format!(
            " ({} of {} entities, the most-named; `paperkg export dot` draws more)",
            thousands(s.dot.nodes),
            thousands(s.dot.nodes + s.dot.dropped_nodes)
        )
    } else {
        format!(
            " ({} nodes, {} edges)",
            thousands(s.dot.nodes),
            thousands(s.dot.edges)
        )
    };
    writeln!(out, "  graph      {}{drawn}", s.dot_path.display())?;
    Ok(())
}

fn summary_json(s: &BuildSummary) -> serde_json::Value {
    let by_type: serde_json::Map<String, serde_json::Value> = s
        .entities_by_type
        .iter()
        .map(|(kind, n)| (kind.to_string(), (*n).into()))
        .collect();
    serde_json::json!({
        "files_read": s.files_read,
        "records_read": s.records_read,
        "papers": s.papers,
        "duplicates": s.duplicates,
        "problems": s.problems,
        "capped_papers": s.capped_papers,
        "entities_by_type": by_type,
        "family_only": s.family_only,
        "mentions": s.mentions,
        "mention_edges": s.mention_edges,
        "co_mention_edges": s.co_mention_edges,
        "relation_edges": s.relation_edges,
        "evidence": s.evidence,
        "extraction": extraction_label(s.discovery),
        "elapsed_ms": s.elapsed.as_millis() as u64,
        "database": s.database.display().to_string(),
        "dot": s.dot_path.display().to_string(),
        "dot_nodes": s.dot.nodes,
        "dot_edges": s.dot.edges,
        "dot_dropped_nodes": s.dot.dropped_nodes,
        "appended": s.appended.map(|a| serde_json::json!({
            "new_papers": s.papers.saturating_sub(a.previous_papers),
            "previous_papers": a.previous_papers,
            "replayed_records": a.replayed_records,
            "already_stored": a.already_stored,
        })),
        "stages_ms": {
            "streaming": s.stages.streaming.as_millis() as u64,
            "graph": s.stages.graph.as_millis() as u64,
            "paper_indexes": s.stages.paper_indexes.as_millis() as u64,
            "database": s.stages.database.as_millis() as u64,
            "full_text": s.stages.full_text.map(|d| d.as_millis() as u64),
            "drawing": s.stages.drawing.as_millis() as u64,
        },
    })
}

/// A duration as seconds with two decimals: `1.25 s`.
fn seconds(d: std::time::Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("512K"), Ok(512 * 1024));
        assert_eq!(parse_size("8M"), Ok(8 << 20));
        assert_eq!(parse_size("8MiB"), Ok(8 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert!(parse_size("").is_err());
        assert!(parse_size("8X").is_err());
        assert!(parse_size("-1").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
