//! `paperkg sql FILE | -e SQL`: run SQL on a built database, read-only, and print each
//! statement's rows as an aligned table, CSV or JSON.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use paperkg::export::escape::csv_field;
use paperkg::store::sql::{SqlSession, StatementResult};
use rusqlite::types::Value;

use super::explore::Table;

/// How rows are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SqlFormat {
    /// Aligned columns under a header; long cells are cut, line breaks shown as spaces.
    Table,
    /// RFC 4180 CSV with a header line; a blank line between statements.
    Csv,
    /// One JSON array of row objects per statement, one statement per line.
    Json,
}

/// Arguments of `paperkg sql`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("script").required(true).args(["file", "execute"]))]
pub struct SqlArgs {
    /// A file of SQL statements (e.g. one of queries/*.sql); `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// SQL given on the command line instead of a file.
    #[arg(long, short = 'e', value_name = "SQL")]
    pub execute: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SqlFormat::Table)]
    pub format: SqlFormat,
    /// The database to read (built by `paperkg build`); opened read-only.
    #[arg(long, value_name = "FILE", default_value_os_t = super::default_db())]
    pub db: PathBuf,
}

/// Runs `paperkg sql`.
pub fn run(args: SqlArgs) -> anyhow::Result<ExitCode> {
    let script = match (&args.execute, &args.file) {
        (Some(sql), _) => sql.clone(),
        (None, Some(path)) if path.as_os_str() == "-" => {
            std::io::read_to_string(std::io::stdin()).context("reading SQL from standard input")?
        }
        (None, Some(path)) => {
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?
        }
        (None, None) => anyhow::bail!("give a FILE of SQL or -e SQL"),
    };
    let session = SqlSession::open(&args.db)?;
    let mut out = std::io::stdout().lock();
    let mut printed = 0usize;
    let result = session.run(&script, |r| {
        let wrote = write_result(&mut out, args.format, r, printed > 0)?;
        printed += usize::from(wrote);
        Ok(())
    });
    out.flush()?;
    let name = match &args.file {
        Some(path) if args.execute.is_none() => path.display().to_string(),
        _ => "-e".to_string(),
    };
    let statements = result.with_context(|| format!("in {name}"))?;
    if statements == 0 {
        eprintln!("paperkg: {name} holds no SQL statement");
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes one statement's rows; returns whether anything was written (a statement with no
/// columns prints nothing).
fn write_result(
    out: &mut impl Write,
    format: SqlFormat,
    r: &StatementResult,
    separate: bool,
) -> std::io::Result<bool> {
    if r.columns.is_empty() {
        return Ok(false);
    }
    match format {
        SqlFormat::Table => {
            if separate {
                writeln!(out)?;
            }
            let headings: Vec<&str> = r.columns.iter().map(String::as_str).collect();
            let mut t = Table::new(&headings);
            for row in &r.rows {
                t.row(row.iter().map(table_cell).collect());
            }
            t.write(out, "")?;
            let n = r.rows.len();
            writeln!(out, "({n} row{})", if n == 1 { "" } else { "s" })?;
        }
        SqlFormat::Csv => {
            if separate {
                writeln!(out)?;
            }
            let header: Vec<String> = r
                .columns
                .iter()
                .map(|c| csv_field(c).into_owned())
                .collect();
            writeln!(out, "{}", header.join(","))?;
            for row in &r.rows {
                let cells: Vec<String> = row.iter().map(csv_cell).collect();
                writeln!(out, "{}", cells.join(","))?;
            }
        }
        SqlFormat::Json => {
            let rows: Vec<serde_json::Value> = r
                .rows
                .iter()
                .map(|row| {
                    let object: serde_json::Map<String, serde_json::Value> = r
                        .columns
                        .iter()
                        .zip(row)
                        .map(|(c, v)| (c.clone(), json_value(v)))
                        .collect();
                    serde_json::Value::Object(object)
                })
                .collect();
            writeln!(out, "{}", serde_json::Value::Array(rows))?;
        }
    }
    Ok(true)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn table_cell(v: &Value) -> String {
    match v {
        Value::Null => "NULL".to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        Value::Blob(b) => format!("X'{}'", hex(b)),
    }
}

fn csv_cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(s) => csv_field(s).into_owned(),
        Value::Blob(b) => format!("X'{}'", hex(b)),
    }
}

fn json_value(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => (*i).into(),
        Value::Real(f) => {
            serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
        }
        Value::Text(s) => s.clone().into(),
        Value::Blob(b) => hex(b).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result() -> StatementResult {
        StatementResult {
            number: 1,
            columns: vec!["name".into(), "n".into(), "x".into()],
            rows: vec![
                vec![
                    Value::Text("a, \"b\"\nc".into()),
                    Value::Integer(3),
                    Value::Null,
                ],
                vec![
                    Value::Text("LoRA".into()),
                    Value::Real(1.5),
                    Value::Blob(vec![0, 255]),
                ],
            ],
        }
    }

    fn written(format: SqlFormat) -> String {
        let mut out = Vec::new();
        write_result(&mut out, format, &result(), false).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn formats_print_every_value_kind() {
        assert_eq!(
            written(SqlFormat::Table),
            "name      n    x\na, \"b\" c  3    NULL\nLoRA      1.5  X'00ff'\n(2 rows)\n"
        );
        assert_eq!(
            written(SqlFormat::Csv),
            "name,n,x\n\"a, \"\"b\"\"\nc\",3,\nLoRA,1.5,X'00ff'\n"
        );
        let json: serde_json::Value = serde_json::from_str(&written(SqlFormat::Json)).unwrap();
        assert_eq!(json[0]["name"], "a, \"b\"\nc");
        assert_eq!(json[0]["x"], serde_json::Value::Null);
        assert_eq!(json[1]["n"], 1.5);
        assert_eq!(json[1]["x"], "00ff");
    }
}
