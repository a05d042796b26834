//! What the explore commands (`show`, `neighbors`, `path`, `top`, `related`, `papers`,
//! `explain`) share: the `--db` / `--json` arguments, opening the database, turning an
//! unknown name into exit code 3, and plain-text tables and sentences.
//!
//! Nothing here queries the database itself; see `paperkg::store`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use paperkg::store::explore::EntitySummary;
use paperkg::store::{EvidenceText, PaperRef, Store, StoreError};
use serde::Serialize;

use super::exit;

/// Longest sentence printed in full; longer ones are cut with `…`.
const SENTENCE_CHARS: usize = 320;
/// Widest table cell; longer text is cut with `…`.
const CELL_CHARS: usize = 64;

/// `--db` and `--json`, common to every explore command.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// The database to read (built by `paperkg build`).
    #[arg(long, value_name = "FILE", default_value_os_t = super::default_db())]
    pub db: PathBuf,
    /// Print JSON (one object) instead of a table.
    #[arg(long)]
    pub json: bool,
}

impl DbArgs {
    /// Opens the database read-only.
    pub fn open(&self) -> anyhow::Result<Store> {
        Ok(Store::open(&self.db)?)
    }
}

/// Turns a library result into the command's outcome: an unknown name is reported on
/// stderr with its suggestions and exits with [`exit::NOT_FOUND`]; other errors propagate.
pub fn found<T>(result: Result<T, StoreError>) -> anyhow::Result<Result<T, ExitCode>> {
    match result {
        Ok(v) => Ok(Ok(v)),
        Err(e @ StoreError::UnknownName { .. }) => {
            eprintln!("paperkg: {e}");
            Ok(Err(ExitCode::from(exit::NOT_FOUND)))
        }
        Err(e) => Err(e.into()),
    }
}

/// Prints `value` as pretty JSON on stdout.
pub fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    // Serialised first, so that a closed pipe surfaces as a plain `io::Error`.
    let text = serde_json::to_string_pretty(value)?;
    writeln!(std::io::stdout().lock(), "{text}")?;
    Ok(())
}

/// `Name (type)`.
pub fn entity_label(e: &EntitySummary) -> String {
    format!("{} ({})", e.name, e.kind)
}

/// `arXiv:2401.00001` or `paper #12`.
pub fn paper_label(p: &PaperRef) -> String {
    match &p.arxiv_id {
        Some(id) => format!("arXiv:{id}"),
        None => format!("paper #{}", p.id),
    }
}

/// A relation as a statement, given one end (`subject`), the `direction` seen from it
/// (`out`, `in` or `both`) and the other end: `Llama 2 variant_of LLaMA`.
pub fn statement(subject: &str, relation: &str, direction: &str, other: &str) -> String {
    match direction {
        "in" => format!("{other} {relation} {subject}"),
        _ => format!("{subject} {relation} {other}"),
    }
}

/// A PMI value, or `-`.
pub fn pmi_cell(pmi: Option<f64>) -> String {
    pmi.map_or_else(|| "-".to_string(), |p| format!("{p:.2}"))
}

/// `text` cut to `max` characters with `…`.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// Writes an evidence sentence, indented, with where it is from on the next line.
pub fn write_evidence(out: &mut impl Write, indent: &str, e: &EvidenceText) -> std::io::Result<()> {
    writeln!(out, "{indent}“{}”", cut(&e.sentence, SENTENCE_CHARS))?;
    writeln!(
        out,
        "{indent}  — {} “{}” ({}, {}, rule {})",
        paper_label(&e.paper),
        cut(&e.paper.title, 70),
        e.field,
        e.relation,
        e.rule
    )
}

/// A plain-text table: a header row and left-aligned columns separated by two spaces;
/// cells are cut to a readable width.
#[derive(Debug, Default)]
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headings.
    pub fn new(headings: &[&str]) -> Table {
        Table {
            rows: vec![headings.iter().map(|h| h.to_string()).collect()],
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.into_iter().map(|c| cut(&c, CELL_CHARS)).collect());
    }

    /// Writes the table, each line prefixed by `indent`.
    pub fn write(&self, out: &mut impl Write, indent: &str) -> std::io::Result<()> {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0; columns];
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        for row in &self.rows {
            let mut line = String::from(indent);
            for (i, cell) in row.iter().enumerate() {
                line.push_str(cell);
                if i + 1 < row.len() {
                    let pad = widths[i] - cell.chars().count() + 2;
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_columns() {
        let mut t = Table::new(&["A", "LONG"]);
        t.row(vec!["xyz".into(), "1".into()]);
        let mut out = Vec::new();
        t.write(&mut out, "  ").unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "  A    LONG\n  xyz  1\n");
    }

    #[test]
    fn cut_marks_truncation() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
    }
}
