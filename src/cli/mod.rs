//! Command-line interface: the clap types and one module per subcommand.
//!
//! Each subcommand turns its arguments into the library's plain configuration types and
//! calls the library; nothing here does pipeline work itself.

mod build;
mod eval;
pub mod exit;
mod explain;
mod explore;
mod export;
mod extract;
mod neighbors;
mod papers;
mod path;
mod related;
mod show;
mod sql;
mod stats;
mod synth;
mod top;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Turn machine-learning paper listings into a knowledge graph of models, methods and
/// datasets, exported as SQLite and Graphviz DOT.
#[derive(Debug, Parser)]
#[command(name = "paperkg", version, about, long_about = None)]
#[command(after_help = exit::EXIT_CODES_HELP)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// paperkg's subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read listings, extract entities, build the graph, write SQLite and DOT.
    Build(build::BuildArgs),
    /// Print the summary of a built database.
    Stats(stats::StatsArgs),
    /// Print the entities of each paper as JSON lines (the gold standard's format).
    Extract(extract::ExtractArgs),
    /// Score extraction against a gold standard (default: the bundled dev set).
    Eval(eval::EvalArgs),
    /// Show an entity's card: type, aliases, family, variants, papers, strongest relations.
    Show(show::ShowArgs),
    /// List the entities within N hops of one.
    Neighbors(neighbors::NeighborsArgs),
    /// Find the shortest connection between two entities, each hop with its sentence.
    Path(path::PathArgs),
    /// Rank entities by papers, degree or PageRank.
    Top(top::TopArgs),
    /// List the entities most associated with one, by PMI.
    Related(related::RelatedArgs),
    /// List the papers naming an entity, with the relation and sentence.
    Papers(papers::PapersArgs),
    /// Show every piece of evidence linking two entities.
    Explain(explain::ExplainArgs),
    /// Write a deterministic synthetic corpus (arXiv JSON Lines) for benchmarks.
    Synth(synth::SynthArgs),
    /// Run SQL on a built database, read-only, printing each statement's rows.
    Sql(sql::SqlArgs),
    /// Write the graph as a readable Graphviz drawing, GraphML, node-link JSON or Neo4j CSV.
    Export(export::ExportArgs),
}

/// Default output folder.
pub const DEFAULT_OUT_DIR: &str = "exports";

/// The database read by commands that take `--db`.
pub fn default_db() -> PathBuf {
    PathBuf::from(DEFAULT_OUT_DIR).join(paperkg::build::DATABASE_FILE)
}

/// Parses the command line and runs the command.
pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Extract(args) => extract::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Show(args) => show::run(args),
        Command::Neighbors(args) => neighbors::run(args),
        Command::Path(args) => path::run(args),
        Command::Top(args) => top::run(args),
        Command::Related(args) => related::run(args),
        Command::Papers(args) => papers::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Synth(args) => synth::run(args),
        Command::Sql(args) => sql::run(args),
        Command::Export(args) => export::run(args),
    }
}

/// Whether an error is a closed stdout (`paperkg stats | head`), which is not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Formats an integer with thousands separators: `12345` → `12,345`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn clap_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(2_700_000), "2,700,000");
    }
}
