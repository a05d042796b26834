//! `paperkg stats`: the build summary read back from a database.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use paperkg::export::sqlite::{read_stats, DbStats};

use super::thousands;

/// Arguments of `paperkg stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The database to read.
    #[arg(long, value_name = "FILE", default_value_os_t = super::default_db())]
    pub db: PathBuf,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `paperkg stats`.
pub fn run(args: StatsArgs) -> anyhow::Result<ExitCode> {
    let stats = read_stats(&args.db)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&stats)?)?;
    } else {
        write_stats(&mut out, &args.db, &stats)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_stats(out: &mut impl Write, db: &std::path::Path, s: &DbStats) -> std::io::Result<()> {
    let entities: usize = s.entities_by_type.iter().map(|(_, n)| n).sum();
    let by_type: Vec<String> = s
        .entities_by_type
        .iter()
        .map(|(kind, n)| format!("{kind} {}", thousands(*n)))
        .collect();
    writeln!(
        out,
        "{}: built by paperkg {} from {}",
        db.display(),
        s.tool_version,
        s.inputs.join(", ")
    )?;
    if !s.extraction.is_empty() {
        writeln!(out, "  extraction {}", s.extraction)?;
    }
    writeln!(
        out,
        "  papers     {} ({} records, {} duplicate record(s) merged)",
        thousands(s.papers),
        thousands(s.records),
        thousands(s.duplicates)
    )?;
    writeln!(
        out,
        "  skipped    {} input problem(s)",
        thousands(s.problems)
    )?;
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
    Ok(())
}
