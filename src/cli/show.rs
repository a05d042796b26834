//! `paperkg show NAME`: an entity's card — type, aliases, family and variants, papers per
//! relation, strongest relations.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use paperkg::store::explore::{self, EntityCard};
use paperkg::EntityType;

use super::explore::{entity_label, found, pmi_cell, print_json, statement, DbArgs, Table};

/// Arguments of `paperkg show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The entity: its name or any alias, in any case (`lora`, `Llama-2`).
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Only consider entities of this type (model, method, dataset).
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<EntityType>,
    /// Most relations listed.
    #[arg(long, value_name = "K", default_value_t = 12)]
    pub limit: usize,
    #[command(flatten)]
    pub db: DbArgs,
}

/// Runs `paperkg show`.
pub fn run(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let store = args.db.open()?;
    let card = match found(explore::show(&store, &args.name, args.kind, args.limit))? {
        Ok(card) => card,
        Err(code) => return Ok(code),
    };
    for other in &card.also_matches {
        eprintln!(
            "paperkg: {:?} also matches {} (use --type to choose)",
            args.name,
            entity_label(other)
        );
    }
    if args.db.json {
        print_json(&card)?;
    } else {
        write_card(&mut std::io::stdout().lock(), &card)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_card(out: &mut impl Write, c: &EntityCard) -> std::io::Result<()> {
    let e = &c.entity;
    let papers = if e.papers == 0 {
        "named by no paper (a family, known from its variants)".to_string()
    } else {
        format!("{} papers, {} mentions", e.papers, e.mentions)
    };
    writeln!(out, "{} ({}): {papers}", e.name, e.kind)?;
    writeln!(out, "  aliases    {}", c.aliases.join(", "))?;
    let family = match (&c.family, &e.family) {
        (Some(f), _) => entity_label(f),
        (None, Some(name)) => name.clone(),
        (None, None) => "-".to_string(),
    };
    writeln!(out, "  family     {family}")?;
    let variants = if c.variants.is_empty() {
        "-".to_string()
    } else {
        c.variants
            .iter()
            .map(|v| format!("{} ({})", v.name, v.papers))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "  variants   {variants}")?;
    let rels = if c.paper_relations.is_empty() {
        "-".to_string()
    } else {
        c.paper_relations
            .iter()
            .map(|r| format!("{} {}", r.relation, r.papers))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "  papers     {rels}")?;
    if c.relations.is_empty() {
        writeln!(out, "  relations  -")?;
        return Ok(());
    }
    writeln!(
        out,
        "  relations  {} strongest of {}:",
        c.relations.len(),
        c.total_relations
    )?;
    let mut t = Table::new(&["RELATION", "OTHER END", "PAPERS", "SENTENCES", "PMI"]);
    for l in &c.relations {
        t.row(vec![
            statement(&e.name, &l.relation, l.direction, &l.other.name),
            l.other.kind.to_string(),
            l.support.to_string(),
            l.sentences.to_string(),
            pmi_cell(l.pmi),
        ]);
    }
    t.write(out, "    ")
}
