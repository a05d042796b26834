//! `paperkg path A B`: the shortest connection between two entities, each hop with the
//! sentence that explains it.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use paperkg::store::explore::{self, PathReport};
use paperkg::EntityType;

use super::exit;
use super::explore::{entity_label, found, print_json, write_evidence, DbArgs};

/// Arguments of `paperkg path`.
#[derive(Debug, Args)]
pub struct PathArgs {
    /// The first entity: its name or any alias, in any case.
    #[arg(value_name = "A")]
    pub from: String,
    /// The second entity.
    #[arg(value_name = "B")]
    pub to: String,
    /// Only consider entities of this type when resolving A and B.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<EntityType>,
    #[command(flatten)]
    pub db: DbArgs,
}

/// Runs `paperkg path`; exits with [`exit::NO_PATH`] when nothing connects A and B.
pub fn run(args: PathArgs) -> anyhow::Result<ExitCode> {
    let store = args.db.open()?;
    let report = match found(explore::path(&store, &args.from, &args.to, args.kind))? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    if args.db.json {
        print_json(&report)?;
    } else if report.connected {
        write_report(&mut std::io::stdout().lock(), &report)?;
    }
    if !report.connected {
        eprintln!(
            "paperkg: no connection between {} and {}",
            entity_label(&report.from),
            entity_label(&report.to)
        );
        return Ok(ExitCode::from(exit::NO_PATH));
    }
    Ok(ExitCode::SUCCESS)
}

fn write_report(out: &mut impl Write, r: &PathReport) -> std::io::Result<()> {
    let n = r.hops.len();
    writeln!(
        out,
        "{} → {}: {n} hop{}{}",
        entity_label(&r.from),
        entity_label(&r.to),
        if n == 1 { "" } else { "s" },
        if r.sentence_evidence {
            ""
        } else {
            " (some hops only share papers, no sentence names both)"
        }
    )?;
    for (i, h) in r.hops.iter().enumerate() {
        let rel = match h.direction {
            "out" => format!("—{}→", h.relation),
            "in" => format!("←{}—", h.relation),
            _ => format!("—{}—", h.relation),
        };
        writeln!(
            out,
            "{}. {} {rel} {}   ({} paper{}, {} with a sentence naming both)",
            i + 1,
            h.from.name,
            h.to.name,
            h.support,
            if h.support == 1 { "" } else { "s" },
            h.sentences
        )?;
        for e in &h.evidence {
            write_evidence(out, "   ", e)?;
        }
    }
    Ok(())
}
