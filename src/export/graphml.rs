//! GraphML (<http://graphml.graphdrawing.org/>) for Gephi, Cytoscape, yEd and networkx.
//!
//! [`to_graphml`] writes one directed graph: papers (`p<id>`) and entities (`e<id>`) as
//! nodes, paper → entity and entity → entity relations as edges, parallel edges allowed
//! (a paper may relate to an entity in two ways; two entities may be both `variant_of` and
//! `co_mentioned`). Attributes are declared with `<key>` elements, so tools read them typed:
//!
//! * nodes: `label` (title or name), `type` (`paper`, `model`, `method`, `dataset`),
//!   `db_id`, and `arxiv_id`, `update_date`, `categories` for papers, `family`, `papers`,
//!   `mentions` for entities;
//! * edges: `relation`, `weight` (mentions for a paper edge, supporting papers for an
//!   entity edge), `sentences`, `pmi`, `evidence` (evidence rows) and `undirected` (true
//!   for `co_mentioned`, which GraphML cannot mark in a directed graph without breaking
//!   readers such as networkx).
//!
//! Text goes through [`super::escape::xml`]. Output is deterministic.
//!
//! This module does not read the database or choose what to write.

use std::fmt::Write as _;
use std::path::Path;

use super::atomic::write_atomic;
use super::escape::xml;
use super::model::ExportGraph;
use super::ExportError;

/// (id, for, attr.name, attr.type) of every attribute.
const KEYS: &[(&str, &str, &str, &str)] = &[
    ("n_label", "node", "label", "string"),
    ("n_type", "node", "type", "string"),
    ("n_db_id", "node", "db_id", "long"),
    ("n_arxiv_id", "node", "arxiv_id", "string"),
    ("n_update_date", "node", "update_date", "string"),
    ("n_categories", "node", "categories", "string"),
    ("n_family", "node", "family", "string"),
    ("n_papers", "node", "papers", "long"),
    ("n_mentions", "node", "mentions", "long"),
    ("e_relation", "edge", "relation", "string"),
    ("e_weight", "edge", "weight", "long"),
    ("e_sentences", "edge", "sentences", "long"),
    ("e_pmi", "edge", "pmi", "double"),
    ("e_evidence", "edge", "evidence", "long"),
    ("e_undirected", "edge", "undirected", "boolean"),
];

/// Renders the selection as a GraphML document.
///
/// # Complexity
/// O(V + E) in the nodes and edges of `graph`.
pub fn to_graphml(graph: &ExportGraph) -> String {
    let mut out = String::with_capacity(256 * (graph.node_count() + graph.edge_count()) + 2048);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    for (id, target, name, kind) in KEYS {
        let _ = writeln!(
            out,
            "  <key id=\"{id}\" for=\"{target}\" attr.name=\"{name}\" attr.type=\"{kind}\"/>"
        );
    }
    out.push_str("  <graph id=\"paperkg\" edgedefault=\"directed\">\n");
    for p in &graph.papers {
        open_node(&mut out, &ExportGraph::paper_key(p.id));
        data(&mut out, "n_label", &p.title);
        data(&mut out, "n_type", "paper");
        data(&mut out, "n_db_id", &p.id.to_string());
        for (key, value) in [
            ("n_arxiv_id", &p.arxiv_id),
            ("n_update_date", &p.update_date),
            ("n_categories", &p.categories),
        ] {
            if let Some(v) = value {
                data(&mut out, key, v);
            }
        }
        out.push_str("    </node>\n");
    }
    for e in &graph.entities {
        open_node(&mut out, &ExportGraph::entity_key(e.id));
        data(&mut out, "n_label", &e.name);
        data(&mut out, "n_type", e.kind.as_str());
        data(&mut out, "n_db_id", &e.id.to_string());
        if let Some(f) = &e.family {
            data(&mut out, "n_family", f);
        }
        data(&mut out, "n_papers", &e.papers.to_string());
        data(&mut out, "n_mentions", &e.mentions.to_string());
        out.push_str("    </node>\n");
    }
    for l in &graph.paper_links {
        let (s, t) = (
            ExportGraph::paper_key(l.paper),
            ExportGraph::entity_key(l.entity),
        );
        open_edge(&mut out, &s, &t, l.relation.as_str());
        data(&mut out, "e_relation", l.relation.as_str());
        data(&mut out, "e_weight", &l.count.to_string());
        data(&mut out, "e_evidence", &l.evidence.to_string());
        data(&mut out, "e_undirected", "false");
        out.push_str("    </edge>\n");
    }
    for l in &graph.links {
        let (s, t) = (
            ExportGraph::entity_key(l.source),
            ExportGraph::entity_key(l.target),
        );
        open_edge(&mut out, &s, &t, l.relation.as_str());
        data(&mut out, "e_relation", l.relation.as_str());
        data(&mut out, "e_weight", &l.support.to_string());
        data(&mut out, "e_sentences", &l.sentences.to_string());
        if let Some(pmi) = l.pmi {
            data(&mut out, "e_pmi", &pmi.to_string());
        }
        data(&mut out, "e_evidence", &l.evidence.to_string());
        let undirected = !l.relation.is_directed();
        data(
            &mut out,
            "e_undirected",
            if undirected { "true" } else { "false" },
        );
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

/// Renders as [`to_graphml`] does and writes the document to `path` atomically.
pub fn write_graphml(graph: &ExportGraph, path: &Path) -> Result<(), ExportError> {
    write_atomic(path, to_graphml(graph).as_bytes()).map(drop)
}

fn open_node(out: &mut String, id: &str) {
    let _ = writeln!(out, "    <node id=\"{}\">", xml(id));
}

fn open_edge(out: &mut String, source: &str, target: &str, relation: &str) {
    let _ = writeln!(
        out,
        "    <edge id=\"{source}-{target}-{relation}\" source=\"{source}\" target=\"{target}\">"
    );
}

fn data(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(out, "      <data key=\"{key}\">{}</data>", xml(value));
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::export::model::{EntityItem, EntityLink, PaperItem, PaperLink};
    use crate::extract::EntityType;
    use crate::graph::{EntityRelation, PaperRelation};

    /// Titles no attribute or element may be broken by.
    pub(crate) const HOSTILE: &[&str] = &[
        "Say \"hello\" & <script>alert('x')</script>",
        "Line one\nline two\r\nthree\ttab\u{7}bell\u{1b}esc",
        "Emoji 🚀🦙, 中文, עברית RTL \u{202E}override\u{202C} and العربية",
        "]]> <!-- --> <?xml?> &amp; &#0;",
    ];

    pub(crate) fn hostile_graph() -> ExportGraph {
        ExportGraph {
            papers: HOSTILE
                .iter()
                .enumerate()
                .map(|(i, t)| PaperItem {
                    id: i as i64 + 1,
                    arxiv_id: Some("2401.00001".into()),
                    title: t.to_string(),
                    update_date: None,
                    categories: Some("cs.CL, \"cs.LG\"".into()),
                })
                .collect(),
            entities: vec![
                EntityItem {
                    id: 1,
                    name: "<LoRA & \"friends\">".into(),
                    kind: EntityType::Method,
                    family: None,
                    parent_id: None,
                    papers: 2,
                    mentions: 3,
                },
                EntityItem {
                    id: 2,
                    name: "Llama 🦙, 2".into(),
                    kind: EntityType::Model,
                    family: Some("LLaMA\n'quoted'".into()),
                    parent_id: None,
                    papers: 1,
                    mentions: 1,
                },
            ],
            paper_links: vec![
                PaperLink {
                    paper: 1,
                    entity: 1,
                    relation: PaperRelation::Uses,
                    count: 2,
                    evidence: 1,
                },
                PaperLink {
                    paper: 1,
                    entity: 1,
                    relation: PaperRelation::Mentions,
                    count: 1,
                    evidence: 0,
                },
            ],
            links: vec![
                EntityLink {
                    source: 1,
                    target: 2,
                    relation: EntityRelation::CoMentioned,
                    support: 1,
                    sentences: 0,
                    pmi: Some(1.5),
                    evidence: 0,
                },
                EntityLink {
                    source: 2,
                    target: 1,
                    relation: EntityRelation::BasedOn,
                    support: 1,
                    sentences: 1,
                    pmi: None,
                    evidence: 1,
                },
            ],
            ..ExportGraph::default()
        }
    }

    #[test]
    fn hostile_text_stays_inside_its_elements() {
        let text = to_graphml(&hostile_graph());
        assert_eq!(text.matches("<node ").count(), 6);
        assert_eq!(text.matches("<edge ").count(), 4);
        assert!(!text.contains("<script>"));
        assert!(text.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"));
        assert!(text.contains("two&#13;\nthree\ttab\u{FFFD}bell"));
        assert!(text.contains("🚀🦙, 中文, עברית RTL \u{202E}override"));
        assert!(text.contains("]]&gt; &lt;!-- --&gt; &lt;?xml?&gt; &amp;amp; &amp;#0;"));
        // Every line is a tag or the continuation of a multi-line value.
        let opened = text.matches("<data ").count();
        assert_eq!(opened, text.matches("</data>").count());
        assert_eq!(to_graphml(&hostile_graph()), text, "deterministic");
    }

    #[test]
    fn an_xml_parser_reads_back_every_title_and_count() {
        let g = hostile_graph();
        let text = to_graphml(&g);
        let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
        let nodes: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("node"))
            .collect();
        let edges = doc.descendants().filter(|n| n.has_tag_name("edge")).count();
        assert_eq!((nodes.len(), edges), (g.node_count(), g.edge_count()));
        let label = |n: &roxmltree::Node| {
            n.children()
                .find(|c| c.attribute("key") == Some("n_label"))
                .and_then(|c| c.text())
                .unwrap_or_default()
                .to_string()
        };
        for (node, title) in nodes.iter().zip(HOSTILE) {
            // Control characters XML cannot carry come back as U+FFFD; the rest verbatim.
            let expected: String = title
                .chars()
                .map(|c| {
                    if (c as u32) < 0x20 && !"\t\n\r".contains(c) {
                        '\u{FFFD}'
                    } else {
                        c
                    }
                })
                .collect();
            assert_eq!(label(node), expected);
        }
        assert_eq!(label(&nodes[4]), "<LoRA & \"friends\">");
    }

    #[test]
    fn typed_attributes_are_declared_once() {
        let text = to_graphml(&hostile_graph());
        for (id, ..) in KEYS {
            assert_eq!(text.matches(&format!("<key id=\"{id}\"")).count(), 1);
        }
        assert!(text.contains("<data key=\"e_undirected\">true</data>"));
        assert!(text.contains("<data key=\"e_pmi\">1.5</data>"));
    }
}
