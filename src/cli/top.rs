//! `paperkg top`: the most important entities by papers, degree or PageRank.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use paperkg::store::explore::{self, TopBy, TopRow};
use paperkg::EntityType;

use super::explore::{print_json, DbArgs, Table};

/// What to rank by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// Papers naming the entity.
    Papers,
    /// Distinct entities related to it.
    Degree,
    /// PageRank over the support-weighted entity graph.
    Pagerank,
}

/// Arguments of `paperkg top`.
#[derive(Debug, Args)]
pub struct TopArgs {
    /// Only entities of this type (model, method, dataset).
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<EntityType>,
    /// What to rank by.
    #[arg(long, value_enum, default_value_t = By::Papers)]
    pub by: By,
    /// Most entities listed.
    #[arg(long, value_name = "K", default_value_t = 20)]
    pub limit: usize,
    #[command(flatten)]
    pub db: DbArgs,
}

/// Runs `paperkg top`.
pub fn run(args: TopArgs) -> anyhow::Result<ExitCode> {
    let store = args.db.open()?;
    let by = match args.by {
        By::Papers => TopBy::Papers,
        By::Degree => TopBy::Degree,
        By::Pagerank => TopBy::PageRank,
    };
    let rows = explore::top(&store, args.kind, by, args.limit)?;
    if args.db.json {
        print_json(&rows)?;
    } else {
        write_rows(&mut std::io::stdout().lock(), &rows)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_rows(out: &mut impl Write, rows: &[TopRow]) -> std::io::Result<()> {
    let mut t = Table::new(&["RANK", "ENTITY", "TYPE", "PAPERS", "DEGREE", "PAGERANK"]);
    for r in rows {
        t.row(vec![
            r.rank.to_string(),
            r.entity.name.clone(),
            r.entity.kind.to_string(),
            r.entity.papers.to_string(),
            r.degree.to_string(),
            format!("{:.4}", r.pagerank),
        ]);
    }
    t.write(out, "")
}
