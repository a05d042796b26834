//! `paperkg papers NAME`: the papers naming an entity, with how each relates to it and the
//! sentence that says so.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use paperkg::graph::PaperRelation;
use paperkg::store::explore::{self, PapersReport};
use paperkg::EntityType;

use super::explore::{cut, entity_label, found, paper_label, print_json, DbArgs};

/// Arguments of `paperkg papers`.
#[derive(Debug, Args)]
pub struct PapersArgs {
    /// The entity: its name or any alias, in any case.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Only consider entities of this type when resolving NAME.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<EntityType>,
    /// Only papers with this relation: proposes, uses, evaluates_on, compares_with,
    /// mentions.
    #[arg(long, value_name = "R")]
    pub rel: Option<PaperRelation>,
    /// Most papers listed.
    #[arg(long, value_name = "K", default_value_t = 20)]
    pub limit: usize,
    #[command(flatten)]
    pub db: DbArgs,
}

/// Runs `paperkg papers`.
pub fn run(args: PapersArgs) -> anyhow::Result<ExitCode> {
    let store = args.db.open()?;
    let report = match found(explore::papers(
        &store, &args.name, args.kind, args.rel, args.limit,
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

fn write_report(out: &mut impl Write, r: &PapersReport) -> std::io::Result<()> {
    writeln!(
        out,
        "{}: {} paper{}{}",
        entity_label(&r.entity),
        r.total,
        if r.total == 1 { "" } else { "s" },
        if r.papers.len() < r.total {
            format!(", {} shown", r.papers.len())
        } else {
            String::new()
        }
    )?;
    for hit in &r.papers {
        writeln!(
            out,
            "{}  {}  [{}]",
            paper_label(&hit.paper),
            cut(&hit.paper.title, 90),
            hit.relations.join(", ")
        )?;
        for e in &hit.evidence {
            writeln!(
                out,
                "    {} ({}, {}): “{}”",
                e.relation,
                e.rule,
                e.field,
                cut(&e.sentence, 320)
            )?;
        }
    }
    Ok(())
}
