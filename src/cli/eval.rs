//! `paperkg eval`: extraction scored against a gold standard, with the reference scorer's
//! rules (see `paperkg::eval`).

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use paperkg::eval::{self, AnnotatedEntity, Score};
use paperkg::extract::group_mentions;
use paperkg::ingest::{IngestOptions, Records};

use super::extract::{extractor, paper_id};

/// Arguments of `paperkg eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold standard: a JSON array of {id, title, entities}.
    #[arg(
        long,
        value_name = "GOLD.json",
        default_value = "data/eval/dev_gold.json"
    )]
    pub gold: PathBuf,
    /// The papers the gold file annotates.
    #[arg(value_name = "INPUT", default_value = "data/eval/dev_papers.jsonl")]
    pub inputs: Vec<PathBuf>,
    /// Also match when one name's tokens contain the other's ("CNN/DailyMail" ~
    /// "CNN/DailyMail cloze test").
    #[arg(long)]
    pub lenient: bool,
    /// List up to N missed and N spurious entities (untyped).
    #[arg(long, value_name = "N")]
    pub show: Option<usize>,
    /// Print the figures as JSON, like the reference scorer.
    #[arg(long)]
    pub json: bool,
    /// Extra lexicon file, matched before the built-in one. May be repeated.
    #[arg(long, value_name = "FILE")]
    pub lexicon: Vec<PathBuf>,
    /// Score the lexicon's names alone, without the discovery rules (as `extract
    /// --lexicon-only` finds them).
    #[arg(long)]
    pub lexicon_only: bool,
}

/// Runs `paperkg eval`.
pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let gold = eval::load_gold(&args.gold)?;
    let extractor = extractor(&args.lexicon, args.lexicon_only)?;
    let mut predicted: HashMap<String, Vec<AnnotatedEntity>> = HashMap::new();
    for item in Records::new(&args.inputs, IngestOptions::default()) {
        let record = match item {
            Ok(record) => record,
            Err(error) => {
                eprintln!("paperkg: warning: skipped: {error}");
                continue;
            }
        };
        let mentions = extractor.extract(&record.title, &record.abstract_text);
        let entities = group_mentions(&mentions)
            .into_iter()
            .map(|e| AnnotatedEntity {
                name: e.name,
                kind: e.kind.to_string(),
                mentions: e.mentions,
                optional: false,
                proposed: e.proposed,
            })
            .collect();
        predicted.entry(paper_id(&record)).or_insert(entities);
    }
    let untyped = eval::score(&gold, &predicted, args.lenient, false);
    let typed = eval::score(&gold, &predicted, args.lenient, true);
    let without = gold
        .iter()
        .filter(|d| !predicted.contains_key(&eval::id_string(&d.id)))
        .count();
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut value = serde_json::json!({
            "untyped": untyped,
            "typed": typed,
            "papers_without_prediction": without,
        });
        if let Some(n) = args.show {
            value["missed_sample"] =
                serde_json::json!(&untyped.missed[..n.min(untyped.missed.len())]);
            value["spurious_sample"] =
                serde_json::json!(&untyped.spurious[..n.min(untyped.spurious.len())]);
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        write_table(&mut out, &untyped, &typed)?;
        if let Some(n) = args.show {
            writeln!(out, "\nmissed ({} in all):", untyped.missed.len())?;
            for (id, name, kind) in untyped.missed.iter().take(n) {
                writeln!(out, "  {id:<10} {kind:<8} {name}")?;
            }
            writeln!(out, "spurious ({} in all):", untyped.spurious.len())?;
            for (id, name, kind) in untyped.spurious.iter().take(n) {
                writeln!(out, "  {id:<10} {kind:<8} {name}")?;
            }
        }
    }
    if !args.json {
        writeln!(
            out,
            "P={:.3} R={:.3} F1={:.3} typedF1={:.3} papers_without_prediction={without}",
            untyped.precision, untyped.recall, untyped.f1, typed.f1
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_table(out: &mut impl Write, untyped: &Score, typed: &Score) -> std::io::Result<()> {
    writeln!(
        out,
        "          precision  recall     f1     tp  gold  predicted"
    )?;
    for (label, s) in [("untyped", untyped), ("typed", typed)] {
        writeln!(
            out,
            "{label:<9} {:>9.3} {:>7.3} {:>6.3} {:>6} {:>5} {:>10}",
            s.precision, s.recall, s.f1, s.tp, s.gold_required, s.predicted_counted
        )?;
    }
    Ok(())
}
