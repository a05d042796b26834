//! CSV files for `neo4j-admin database import full`, so a graph that outgrows one machine
//! moves to a Neo4j server or cluster.
//!
//! [`write_neo4j`] fills a folder with:
//!
//! * `papers.csv`: `paperId:ID(Paper)`, `arxivId`, `title`, `updateDate`, `categories`;
//! * `entities.csv`: `entityId:ID(Entity)`, `name`, `type`, `family`, `papers:long`,
//!   `mentions:long`, `:LABEL` (`Entity;Model`, `Entity;Method` or `Entity;Dataset`);
//! * `paper_entities.csv`: `:START_ID(Paper)`, `:END_ID(Entity)`, `:TYPE` (`PROPOSES`,
//!   `USES`, `EVALUATES_ON`, `COMPARES_WITH`, `MENTIONS`), `count:long`, `evidence:long`;
//! * `relations.csv`: `:START_ID(Entity)`, `:END_ID(Entity)`, `:TYPE` (`VARIANT_OF`,
//!   `BASED_ON`, `TRAINED_ON`, `EVALUATED_ON`, `CO_MENTIONED`), `support:long`,
//!   `sentences:long`, `pmi:double`, `evidence:long`;
//! * `import.sh`: the import command ([`IMPORT_COMMAND`]).
//!
//! Ids are the database's `papers.id` and `entities.id`, in separate id spaces. Fields are
//! quoted by [`super::escape::csv_field`]; a missing value is an empty unquoted field, which
//! Neo4j reads as no property. Titles may hold line breaks, hence `--multiline-fields=true`.
//!
//! Each file is written atomically; a failure part-way can leave a mix of new and previous
//! files in the folder, never a half-written file.
//!
//! This module does not read the database or choose what to write.

use std::path::{Path, PathBuf};

use super::atomic::write_atomic;
use super::escape::csv_line;
use super::model::ExportGraph;
use super::ExportError;

/// The import command, run from the folder (`import.sh` runs it there). Its last word is the
/// database name, `neo4j` unless `import.sh` is given another.
pub const IMPORT_COMMAND: &str = "neo4j-admin database import full \
--overwrite-destination --multiline-fields=true \
--nodes=Paper=papers.csv --nodes=entities.csv \
--relationships=paper_entities.csv --relationships=relations.csv";

/// The files [`write_neo4j`] writes, in order.
pub const FILES: [&str; 5] = [
    "papers.csv",
    "entities.csv",
    "paper_entities.csv",
    "relations.csv",
    "import.sh",
];

/// The contents of each of [`FILES`], in order.
///
/// # Complexity
/// O(V + E) in the nodes and edges of `graph`.
pub fn to_neo4j(graph: &ExportGraph) -> [String; 5] {
    let mut papers = String::from("paperId:ID(Paper),arxivId,title,updateDate,categories\n");
    for p in &graph.papers {
        let id = p.id.to_string();
        papers.push_str(&csv_line([
            Some(id.as_str()),
            p.arxiv_id.as_deref(),
            Some(p.title.as_str()),
            p.update_date.as_deref(),
            p.categories.as_deref(),
        ]));
    }
    let mut entities =
        String::from("entityId:ID(Entity),name,type,family,papers:long,mentions:long,:LABEL\n");
    for e in &graph.entities {
        let (id, papers, mentions) = (
            e.id.to_string(),
            e.papers.to_string(),
            e.mentions.to_string(),
        );
        let label = match e.kind.as_str() {
            "model" => "Entity;Model",
            "method" => "Entity;Method",
            _ => "Entity;Dataset",
        };
        entities.push_str(&csv_line([
            Some(id.as_str()),
            Some(e.name.as_str()),
            Some(e.kind.as_str()),
            e.family.as_deref(),
            Some(papers.as_str()),
            Some(mentions.as_str()),
            Some(label),
        ]));
    }
    let mut paper_links =
        String::from(":START_ID(Paper),:END_ID(Entity),:TYPE,count:long,evidence:long\n");
    for l in &graph.paper_links {
        let cells = [
            l.paper.to_string(),
            l.entity.to_string(),
            l.relation.as_str().to_ascii_uppercase(),
            l.count.to_string(),
            l.evidence.to_string(),
        ];
        paper_links.push_str(&csv_line(cells.iter().map(|c| Some(c.as_str()))));
    }
    let mut links = String::from(
        ":START_ID(Entity),:END_ID(Entity),:TYPE,support:long,sentences:long,pmi:double,\
         evidence:long\n",
    );
    for l in &graph.links {
        let pmi = l.pmi.map(|p| p.to_string());
        let cells = [
            Some(l.source.to_string()),
            Some(l.target.to_string()),
            Some(l.relation.as_str().to_ascii_uppercase()),
            Some(l.support.to_string()),
            Some(l.sentences.to_string()),
            pmi,
            Some(l.evidence.to_string()),
        ];
        links.push_str(&csv_line(cells.iter().map(|c| c.as_deref())));
    }
    let script = format!(
        "#!/bin/sh\n\
         # Imports this folder into a new Neo4j database (default name: neo4j), replacing it.\n\
         # Stop the database first; run as the user that owns Neo4j's data folder.\n\
         # Written by paperkg export neo4j.\n\
         set -e\n\
         cd \"$(dirname \"$0\")\"\n\
         {IMPORT_COMMAND} \"${{1:-neo4j}}\"\n"
    );
    [papers, entities, paper_links, links, script]
}

/// Writes [`FILES`] into `dir`, creating it if missing. Returns the paths written.
pub fn write_neo4j(graph: &ExportGraph, dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::with_capacity(FILES.len());
    for (name, text) in FILES.iter().zip(to_neo4j(graph)) {
        written.push(write_atomic(&dir.join(name), text.as_bytes())?);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::graphml::tests::{hostile_graph, HOSTILE};

    /// A minimal RFC 4180 reader: records of fields, quotes honoured.
    fn parse_csv(text: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => quoted = true,
                (false, ',') => record.push(std::mem::take(&mut field)),
                (false, '\n') => {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                (false, c) => field.push(c),
            }
        }
        assert!(
            !quoted && field.is_empty() && record.is_empty(),
            "unterminated"
        );
        records
    }

    #[test]
    fn hostile_text_round_trips_through_csv() {
        let [papers, entities, paper_links, links, script] = to_neo4j(&hostile_graph());
        let rows = parse_csv(&papers);
        assert_eq!(rows.len(), 1 + HOSTILE.len());
        for (row, title) in rows[1..].iter().zip(HOSTILE) {
            assert_eq!(row.len(), 5, "{row:?}");
            assert_eq!(row[2], *title);
            assert_eq!(row[4], "cs.CL, \"cs.LG\"");
        }
        let rows = parse_csv(&entities);
        assert_eq!(rows[1][1], "<LoRA & \"friends\">");
        assert_eq!(rows[2][3], "LLaMA\n'quoted'");
        assert_eq!(rows[2][6], "Entity;Model");
        assert!(
            entities.contains("method,,2,3,"),
            "missing family is empty: {entities}"
        );
        let rows = parse_csv(&paper_links);
        assert_eq!(rows[1], ["1", "1", "USES", "2", "1"]);
        let rows = parse_csv(&links);
        assert_eq!(rows[1], ["1", "2", "CO_MENTIONED", "1", "0", "1.5", "0"]);
        assert_eq!(rows[2][5], "", "no PMI for a typed relation");
        assert!(script.contains(IMPORT_COMMAND));
    }

    #[test]
    fn write_neo4j_creates_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("neo4j");
        let written = write_neo4j(&hostile_graph(), &out).unwrap();
        assert_eq!(written.len(), FILES.len());
        for name in FILES {
            assert!(out.join(name).is_file(), "{name}");
        }
    }
}
