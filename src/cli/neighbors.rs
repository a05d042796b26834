//! `paperkg neighbors NAME`: the entities within N hops, nearest and strongest first.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use paperkg::graph::EntityRelation;
use paperkg::store::explore::{self, NeighborQuery, NeighborsReport};
use paperkg::EntityType;

use super::explore::{entity_label, found, pmi_cell, print_json, statement, DbArgs, Table};

/// Arguments of `paperkg neighbors`.
#[derive(Debug, Args)]
pub struct NeighborsArgs {
    /// The entity to start from: its name or any alias, in any case.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Hops to follow.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub depth: u16,
    /// List only neighbours of this type (model, method, dataset); others are still walked
    /// through.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<EntityType>,
    /// Follow only this relation: variant_of, based_on, trained_on, evaluated_on,
    /// co_mentioned.
    #[arg(long, value_name = "R")]
    pub rel: Option<EntityRelation>,
    /// Most neighbours listed.
    #[arg(long, value_name = "K", default_value_t = 25)]
    pub limit: usize,
    #[command(flatten)]
    pub db: DbArgs,
}

/// Runs `paperkg neighbors`.
pub fn run(args: NeighborsArgs) -> anyhow::Result<ExitCode> {
    let store = args.db.open()?;
    let query = NeighborQuery {
        depth: usize::from(args.depth),
        kind: args.kind,
        relation: args.rel,
        limit: args.limit,
    };
    let report = match found(explore::neighbors(&store, &args.name, None, &query))? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    if args.db.json {
        print_json(&report)?;
    } else {
        write_report(&mut std::io::stdout().lock(), &report, &query)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_report(
    out: &mut impl Write,
    r: &NeighborsReport,
    q: &NeighborQuery,
) -> std::io::Result<()> {
    let hops = if q.depth == 1 { "hop" } else { "hops" };
    writeln!(
        out,
        "{} within {} {hops}: {} found{}",
        entity_label(&r.entity),
        q.depth,
        r.total,
        if r.neighbors.len() < r.total {
            format!(", {} shown", r.neighbors.len())
        } else {
            String::new()
        }
    )?;
    if r.neighbors.is_empty() {
        return Ok(());
    }
    let mut t = Table::new(&[
        "DEPTH",
        "ENTITY",
        "TYPE",
        "PAPERS",
        "REACHED BY",
        "SUPPORT",
        "PMI",
    ]);
    for n in &r.neighbors {
        t.row(vec![
            n.depth.to_string(),
            n.entity.name.clone(),
            n.entity.kind.to_string(),
            n.entity.papers.to_string(),
            statement(&n.via, n.relation, n.direction, &n.entity.name),
            n.support.to_string(),
            pmi_cell(n.pmi),
        ]);
    }
    t.write(out, "  ")
}
