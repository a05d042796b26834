//! `paperkg explain A B`: every piece of evidence linking two entities — their direct
//! relations with the sentences behind them, and the papers naming both.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use paperkg::store::explore::{self, Explanation};
use paperkg::EntityType;

use super::explore::{
    cut, entity_label, found, paper_label, pmi_cell, print_json, statement, write_evidence, DbArgs,
};

/// Arguments of `paperkg explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The first entity: its name or any alias, in any case.
    #[arg(value_name = "A")]
    pub first: String,
    /// The second entity.
    #[arg(value_name = "B")]
    pub second: String,
    /// Only consider entities of this type when resolving A and B.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<EntityType>,
    /// Most sentences per relation, and most shared papers, listed.
    #[arg(long, value_name = "K", default_value_t = 10)]
    pub limit: usize,
    #[command(flatten)]
    pub db: DbArgs,
}

/// Runs `paperkg explain`.
pub fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let store = args.db.open()?;
    let report = match found(explore::explain(
        &store,
        &args.first,
        &args.second,
        args.kind,
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

fn write_report(out: &mut impl Write, r: &Explanation) -> std::io::Result<()> {
    writeln!(
        out,
        "{} and {}",
        entity_label(&r.first),
        entity_label(&r.second)
    )?;
    if r.relations.is_empty() {
        writeln!(out, "relations: none")?;
    } else {
        writeln!(out, "relations:")?;
    }
    for l in &r.relations {
        writeln!(
            out,
            "  {}: {} paper{}, {} with a sentence naming both, PMI {}",
            statement(&r.first.name, &l.relation, l.direction, &r.second.name),
            l.support,
            if l.support == 1 { "" } else { "s" },
            l.sentences,
            pmi_cell(l.pmi)
        )?;
        for e in &l.evidence {
            write_evidence(out, "    ", e)?;
        }
    }
    writeln!(
        out,
        "papers naming both: {}{}",
        r.shared_total,
        if r.shared_papers.len() < r.shared_total {
            format!(" ({} shown)", r.shared_papers.len())
        } else {
            String::new()
        }
    )?;
    for p in &r.shared_papers {
        writeln!(
            out,
            "  {}  {}",
            paper_label(&p.paper),
            cut(&p.paper.title, 90)
        )?;
        for (name, evidence) in [(&r.first.name, &p.first), (&r.second.name, &p.second)] {
            for e in evidence {
                writeln!(
                    out,
                    "    {name}: {} ({}, {}): “{}”",
                    e.relation,
                    e.rule,
                    e.field,
                    cut(&e.sentence, 320)
                )?;
            }
        }
    }
    Ok(())
}
