//! Node-link JSON for D3 (`d3-force`) and networkx (`networkx.node_link_graph(data,
//! edges="links")`).
//!
//! The document is one object: `directed` (true), `multigraph` (true: a paper may relate
//! to an entity in two ways), `graph` (what was selected), `nodes` and `links`. A node has
//! `id` (`p<id>` or `e<id>`), `label`, `type` (`paper`, `model`, `method`, `dataset`),
//! `db_id`, and the paper's `arxiv_id`, `update_date`, `categories` or the entity's
//! `family`, `papers`, `mentions`. A link has `source`, `target`, `relation`, `weight`
//! (mentions, or supporting papers), `evidence` (evidence rows), `undirected` (true for
//! `co_mentioned`) and, for entity links, `sentences` and `pmi`.
//!
//! serde_json escapes the text. Each node and link is on its own line, so the file diffs
//! well and streams into line-oriented tools; the output is deterministic.
//!
//! This module does not read the database or choose what to write.

use std::path::Path;

use serde_json::{json, Value};

use super::atomic::write_atomic;
use super::model::ExportGraph;
use super::ExportError;

/// Renders the selection as node-link JSON.
///
/// # Complexity
/// O(V + E) in the nodes and edges of `graph`.
pub fn to_json(graph: &ExportGraph) -> String {
    let s = &graph.scope;
    let meta = json!({
        "name": "paperkg",
        "focus": s.focus.as_ref().map(|f| f.name.clone()),
        "depth": s.focus.as_ref().map(|_| s.depth),
        "types": s.types.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        "relations": s.relations,
        "min_weight": s.min_weight,
        "entities_matched": s.candidate_entities,
    });
    let mut nodes: Vec<Value> = Vec::with_capacity(graph.node_count());
    for p in &graph.papers {
        nodes.push(json!({
            "id": ExportGraph::paper_key(p.id),
            "label": p.title,
            "type": "paper",
            "db_id": p.id,
            "arxiv_id": p.arxiv_id,
            "update_date": p.update_date,
            "categories": p.categories,
        }));
    }
    for e in &graph.entities {
        nodes.push(json!({
            "id": ExportGraph::entity_key(e.id),
            "label": e.name,
            "type": e.kind.as_str(),
            "db_id": e.id,
            "family": e.family,
            "papers": e.papers,
            "mentions": e.mentions,
        }));
    }
    let mut links: Vec<Value> = Vec::with_capacity(graph.edge_count());
    for l in &graph.paper_links {
        links.push(json!({
            "source": ExportGraph::paper_key(l.paper),
            "target": ExportGraph::entity_key(l.entity),
            "relation": l.relation.as_str(),
            "weight": l.count,
            "evidence": l.evidence,
            "undirected": false,
        }));
    }
    for l in &graph.links {
        links.push(json!({
            "source": ExportGraph::entity_key(l.source),
            "target": ExportGraph::entity_key(l.target),
            "relation": l.relation.as_str(),
            "weight": l.support,
            "sentences": l.sentences,
            "pmi": l.pmi,
            "evidence": l.evidence,
            "undirected": !l.relation.is_directed(),
        }));
    }
    let mut out = String::with_capacity(160 * (nodes.len() + links.len()) + 256);
    out.push_str("{\"directed\": true, \"multigraph\": true,\n\"graph\": ");
    out.push_str(&meta.to_string());
    out.push_str(",\n\"nodes\": [");
    push_lines(&mut out, &nodes);
    out.push_str("],\n\"links\": [");
    push_lines(&mut out, &links);
    out.push_str("]}\n");
    out
}

/// Writes `items` one per line, comma-separated.
fn push_lines(out: &mut String, items: &[Value]) {
    for (i, v) in items.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(&v.to_string());
    }
    if !items.is_empty() {
        out.push('\n');
    }
}

/// Renders as [`to_json`] does and writes the document to `path` atomically.
pub fn write_json(graph: &ExportGraph, path: &Path) -> Result<(), ExportError> {
    write_atomic(path, to_json(graph).as_bytes()).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::graphml::tests::{hostile_graph, HOSTILE};

    #[test]
    fn hostile_text_round_trips_through_json() {
        let g = hostile_graph();
        let text = to_json(&g);
        let v: Value = serde_json::from_str(&text).unwrap();
        let nodes = v["nodes"].as_array().unwrap();
        let links = v["links"].as_array().unwrap();
        assert_eq!((nodes.len(), links.len()), (6, 4));
        for (node, title) in nodes.iter().zip(HOSTILE) {
            assert_eq!(node["label"], *title);
        }
        assert_eq!(nodes[4]["label"], "<LoRA & \"friends\">");
        assert_eq!(nodes[5]["family"], "LLaMA\n'quoted'");
        assert_eq!(links[2]["undirected"], true);
        assert_eq!(links[2]["pmi"], 1.5);
        assert_eq!(v["directed"], true);
        assert_eq!(to_json(&g), text, "deterministic");
    }

    #[test]
    fn empty_graph_is_valid_json() {
        let v: Value = serde_json::from_str(&to_json(&ExportGraph::default())).unwrap();
        assert_eq!(v["nodes"], json!([]));
        assert_eq!(v["links"], json!([]));
    }
}
