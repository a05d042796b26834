//! `paperkg export dot|graphml|json|neo4j`: write a built database (or the part of it the
//! selection flags choose) as a Graphviz drawing, GraphML, node-link JSON or Neo4j CSV.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use paperkg::export::dot::{self, RenderFormat};
use paperkg::export::model::ExportGraph;
use paperkg::export::{graphml, json, neo4j};
use paperkg::store::export::{self as selection, AnyRelation, ExportOptions};
use paperkg::store::Store;
use paperkg::EntityType;

use super::explore::found;
use super::thousands;

/// Arguments of `paperkg export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format.
    #[command(subcommand)]
    pub format: ExportFormat,
}

/// The formats `paperkg export` writes.
#[derive(Debug, Subcommand)]
pub enum ExportFormat {
    /// A readable Graphviz drawing: by default the 40 entities named by the most papers
    /// (or the focus and its 30 strongest partners), without papers.
    Dot(DotArgs),
    /// GraphML for Gephi, Cytoscape, yEd and networkx (default: the whole graph).
    Graphml(FileArgs),
    /// Node-link JSON for D3 and networkx (default: the whole graph).
    Json(FileArgs),
    /// CSV files and an import script for `neo4j-admin database import` (default: the whole
    /// graph), written into a folder.
    Neo4j(FileArgs),
}

/// What to export: the same flags for every format.
#[derive(Debug, Args)]
pub struct SelectArgs {
    /// Only this entity and its neighbourhood (a name or alias, in any case).
    #[arg(long, value_name = "NAME")]
    pub focus: Option<String>,
    /// With --focus: how many hops of relations to follow.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub depth: usize,
    /// Only entities of these types (comma-separated: model,method,dataset).
    #[arg(long, value_name = "TYPES", value_delimiter = ',')]
    pub types: Vec<EntityType>,
    /// Only these relations (comma-separated): variant_of, based_on, trained_on,
    /// evaluated_on, co_mentioned between entities; proposes, uses, evaluates_on,
    /// compares_with, mentions from papers.
    #[arg(long = "rel", value_name = "RELATIONS", value_delimiter = ',')]
    pub relations: Vec<AnyRelation>,
    /// Only entity relations supported by at least W papers.
    #[arg(long, value_name = "W", default_value_t = 1)]
    pub min_weight: usize,
    /// The most entities (the strongest are kept); 0 keeps every one. Default: 40 (30 with
    /// --focus) for dot, every entity for the other formats.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Include papers and paper → entity edges (the default except for dot).
    #[arg(long, conflicts_with = "no_papers")]
    pub papers: bool,
    /// Leave papers out.
    #[arg(long)]
    pub no_papers: bool,
    /// The database to read (built by `paperkg build`).
    #[arg(long, value_name = "FILE", default_value_os_t = super::default_db())]
    pub db: PathBuf,
}

/// Arguments of `paperkg export dot`.
#[derive(Debug, Args)]
pub struct DotArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Co-mention lines kept per entity (its strongest); 0 keeps every one.
    #[arg(long, value_name = "K", default_value_t = 2)]
    pub co_mentions: usize,
    /// Output file; `-` prints to standard output. Default: graph.dot beside the database.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also render the drawing with Graphviz, beside the DOT file (FILE.svg or FILE.png).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub render: Option<Render>,
}

/// Arguments of `paperkg export graphml|json|neo4j`.
#[derive(Debug, Args)]
pub struct FileArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Output file (a folder for neo4j); `-` prints to standard output (not for neo4j).
    /// Default: graph.graphml, graph.json or neo4j/ beside the database.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Image formats for --render.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Render {
    /// SVG (scalable; opens in a browser).
    Svg,
    /// PNG.
    Png,
}

/// Runs `paperkg export`.
pub fn run(args: ExportArgs) -> anyhow::Result<ExitCode> {
    match args.format {
        ExportFormat::Dot(a) => run_dot(a),
        ExportFormat::Graphml(a) => run_file(a, "graph.graphml", graphml::to_graphml),
        ExportFormat::Json(a) => run_file(a, "graph.json", json::to_json),
        ExportFormat::Neo4j(a) => run_neo4j(a),
    }
}

impl SelectArgs {
    /// The library's options, starting from a format's defaults.
    fn options(&self, mut base: ExportOptions, focus_top: usize) -> ExportOptions {
        base.focus = self.focus.clone();
        base.depth = self.depth;
        base.types = self.types.clone();
        base.relations = self.relations.clone();
        base.min_weight = self.min_weight;
        if self.papers {
            base.papers = true;
        }
        if self.no_papers {
            base.papers = false;
        }
        base.top = match (self.top, &self.focus) {
            (Some(n), _) => n,
            (None, Some(_)) if base.top > 0 => focus_top,
            (None, _) => base.top,
        };
        base
    }

    /// Reads the selection; an unknown focus exits with code 3 and suggestions.
    fn load(&self, options: &ExportOptions) -> anyhow::Result<Result<ExportGraph, ExitCode>> {
        let store = Store::open(&self.db)?;
        found(selection::load(&store, options))
    }

    fn default_output(&self, name: &str) -> PathBuf {
        match self.db.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.join(name),
            _ => PathBuf::from(name),
        }
    }
}

/// Says on stderr what was left out, so a cut graph is never mistaken for the whole.
fn report_cut(graph: &ExportGraph) {
    let s = &graph.scope;
    if graph.entities.len() < s.candidate_entities {
        eprintln!(
            "paperkg: kept the strongest {} of {} entities{}; use --top N (0 for all), --focus, \
             --types or --min-weight to choose another part",
            thousands(graph.entities.len()),
            thousands(s.candidate_entities),
            if s.focus.is_some() {
                " within reach of the focus"
            } else {
                ""
            }
        );
    }
    if s.candidate_papers > graph.papers.len() {
        eprintln!(
            "paperkg: kept {} of the {} papers linking them (those naming the most of them)",
            thousands(graph.papers.len()),
            thousands(s.candidate_papers)
        );
    }
}

fn run_dot(args: DotArgs) -> anyhow::Result<ExitCode> {
    let mut options = args.select.options(ExportOptions::drawing(), 30);
    options.co_mentions_per_entity = args.co_mentions;
    let graph = match args.select.load(&options)? {
        Ok(g) => g,
        Err(code) => return Ok(code),
    };
    report_cut(&graph);
    let path = args
        .output
        .unwrap_or_else(|| args.select.default_output(paperkg::build::DOT_FILE));
    let out = dot::to_dot(&graph);
    if path.as_os_str() == "-" {
        std::io::stdout().lock().write_all(out.text.as_bytes())?;
        if let Some(render) = args.render {
            anyhow::bail!("--render {render:?} needs a file: give -o FILE");
        }
        return Ok(ExitCode::SUCCESS);
    }
    dot::write_dot(&graph, &path)?;
    eprintln!(
        "paperkg: wrote {} ({} nodes, {} lines)",
        path.display(),
        thousands(out.nodes),
        thousands(out.edges)
    );
    if let Some(render) = args.render {
        let format = match render {
            Render::Svg => RenderFormat::Svg,
            Render::Png => RenderFormat::Png,
        };
        let image = path.with_extension(format.extension());
        dot::render(&out.text, format, &image)?;
        eprintln!("paperkg: drew {}", image.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The selection of a whole-graph export (every entity unless filtered), with a message
/// when it was cut; an exit code instead when the selection cannot be made.
fn load_everything(args: &FileArgs) -> anyhow::Result<Result<ExportGraph, ExitCode>> {
    let options = args.select.options(ExportOptions::everything(), 0);
    let graph = args.select.load(&options)?;
    if let Ok(g) = &graph {
        report_cut(g);
    }
    Ok(graph)
}

fn run_file(
    args: FileArgs,
    default_name: &str,
    write: fn(&ExportGraph) -> String,
) -> anyhow::Result<ExitCode> {
    let graph = match load_everything(&args)? {
        Ok(g) => g,
        Err(code) => return Ok(code),
    };
    let path = args
        .output
        .unwrap_or_else(|| args.select.default_output(default_name));
    let text = write(&graph);
    if path.as_os_str() == "-" {
        std::io::stdout().lock().write_all(text.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    paperkg::export::write_file(&path, text.as_bytes())?;
    report_written(&path, &graph);
    Ok(ExitCode::SUCCESS)
}

fn run_neo4j(args: FileArgs) -> anyhow::Result<ExitCode> {
    let graph = match load_everything(&args)? {
        Ok(g) => g,
        Err(code) => return Ok(code),
    };
    let dir = args
        .output
        .unwrap_or_else(|| args.select.default_output("neo4j"));
    if dir.as_os_str() == "-" {
        anyhow::bail!("neo4j export writes several files: give -o FOLDER");
    }
    neo4j::write_neo4j(&graph, &dir)?;
    report_written(&dir, &graph);
    eprintln!(
        "paperkg: import with `bash {}` (runs: {} neo4j)",
        Path::new(&dir).join("import.sh").display(),
        neo4j::IMPORT_COMMAND
    );
    Ok(ExitCode::SUCCESS)
}

fn report_written(path: &Path, graph: &ExportGraph) {
    eprintln!(
        "paperkg: wrote {} ({} nodes: {} papers, {} entities; {} edges)",
        path.display(),
        thousands(graph.node_count()),
        thousands(graph.papers.len()),
        thousands(graph.entities.len()),
        thousands(graph.edge_count())
    );
}
