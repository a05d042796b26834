//! `paperkg related NAME`: the entities most associated with one, by pointwise mutual
//! information over the papers naming both, with a minimum support.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use paperkg::store::explore::{self, RelatedReport};
use paperkg::EntityType;

use super::explore::{entity_label, found, print_json, DbArgs, Table};

/// Arguments of `paperkg related`.
#[derive(Debug, Args)]
pub struct RelatedArgs {
    /// The entity: its name or any alias, in any case.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Only consider entities of this type when resolving NAME.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<EntityType>,
    /// Least number of papers naming both (PMI of rare pairs is noise).
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub min_support: usize,
    /// Most entities listed.
    #[arg(long, value_name = "K", default_value_t = 20)]
    pub limit: usize,
    #[command(flatten)]
    pub db: DbArgs,
}

/// Runs `paperkg related`.
pub fn run(args: RelatedArgs) -> anyhow::Result<ExitCode> {
    let store = args.db.open()?;
    let report = match found(explore::related(
        &store,
        &args.name,
        args.kind,
        args.min_support,
        args.limit,
    ))? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    if args.db.json {
        print_json(&report)?;
    } else {
        write_report(&mut std::io::stdout().lock(), &report)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_report(out: &mut impl Write, r: &RelatedReport) -> std::io::Result<()> {
    writeln!(
        out,
        "{}, {} papers: {} entities share at least {} of them (PMI over {} papers)",
        entity_label(&r.entity),
        r.entity.papers,
        r.total,
        r.min_support,
        r.total_papers
    )?;
    if r.related.is_empty() {
        return Ok(());
    }
    let mut t = Table::new(&["ENTITY", "TYPE", "PAPERS", "SHARED", "SENTENCES", "PMI"]);
    for x in &r.related {
        t.row(vec![
            x.entity.name.clone(),
            x.entity.kind.to_string(),
            x.entity.papers.to_string(),
            x.shared_papers.to_string(),
            x.sentences.to_string(),
            format!("{:.2}", x.pmi),
        ]);
    }
    t.write(out, "  ")
}
