//! Graphviz DOT drawings of an [`ExportGraph`]: the build's `graph.dot` and
//! `paperkg export dot` share this one code path.
//!
//! [`to_dot`] lays out nothing itself: it styles what the selection kept (see
//! `crate::store::export`) and prints DOT through graphviz-rust. Models are blue ellipses,
//! methods green rounded boxes, datasets yellow cylinders, papers grey notes; a larger text
//! means more papers. Typed relations are labelled arrows (`variant of` purple with a
//! hollow head, `based on` brown, `trained on` orange dotted, `evaluated on` gold dashed);
//! co-mentions are undirected blue-grey lines, thicker and labelled with the number of
//! shared papers when more than one. Two entities get one line: the most specific relation
//! between them stands for the others. A paper gets one arrow per entity, coloured by its
//! strongest relation. A caption says what is shown and what was left out, and a key
//! explains shapes, colours and lines.
//!
//! The layout engine is `neato` (set in the file, so `dot -Tsvg` uses it too): a
//! force-directed layout reads better than ranks for a graph of entities, where most lines
//! are undirected co-mentions. A large drawing (more than 200 nodes or 500 lines) uses
//! `sfdp` and straight lines instead, which render in seconds where neato with routed
//! curves takes many minutes.
//!
//! Every label goes through [`escape_label`], because graphviz-rust prints quoted ids
//! exactly as given. Output is deterministic: nodes by id, edges by their endpoints.
//!
//! [`render`] runs Graphviz's `dot` (through graphviz-rust) to make SVG or PNG.
//!
//! This module does not read the database or choose what to draw.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use graphviz_rust::cmd::{CommandArg, Format};
use graphviz_rust::dot_structures::{
    Attribute, Edge as DotEdge, EdgeTy, Graph, GraphAttributes, Id, Node as DotNode, NodeId, Stmt,
    Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::atomic::write_atomic;
use super::model::{EntityItem, EntityLink, ExportGraph, PaperLink};
use super::ExportError;
use crate::extract::EntityType;
use crate::graph::{EntityRelation, PaperRelation};

/// Characters per line of a paper label.
const TITLE_WIDTH: usize = 36;
/// Lines of a paper label; a longer title is cut with `…`.
const TITLE_LINES: usize = 3;
/// The node id of the key.
const KEY_NODE: &str = "key";

/// The DOT text and what it contains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotOutput {
    /// The DOT source, ending in a newline.
    pub text: String,
    /// Papers and entities drawn (the key not counted).
    pub nodes: usize,
    /// Lines drawn (one per related pair).
    pub edges: usize,
    /// Entities that matched but were left out to keep the drawing readable.
    pub dropped_nodes: usize,
}

impl DotOutput {
    /// Whether the selection was cut to its strongest part.
    pub fn truncated(&self) -> bool {
        self.dropped_nodes > 0
    }
}

/// Renders the selection as DOT.
///
/// # Complexity
/// O(V + E log E) for the V nodes and E edges of `graph`.
pub fn to_dot(graph: &ExportGraph) -> DotOutput {
    let (dot, nodes, edges) = build_graph(graph);
    let mut text = dot.print(&mut PrinterContext::default());
    text.push('\n');
    DotOutput {
        text,
        nodes,
        edges,
        dropped_nodes: graph
            .scope
            .candidate_entities
            .saturating_sub(graph.entities.len()),
    }
}

/// Renders as [`to_dot`] does and writes the text to `path` atomically.
pub fn write_dot(graph: &ExportGraph, path: &Path) -> Result<DotOutput, ExportError> {
    let out = to_dot(graph);
    write_atomic(path, out.text.as_bytes())?;
    Ok(out)
}

/// An image format Graphviz renders to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderFormat {
    /// Scalable vector graphics.
    Svg,
    /// Portable network graphics.
    Png,
}

impl RenderFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            RenderFormat::Svg => "svg",
            RenderFormat::Png => "png",
        }
    }
}

/// How to get Graphviz, for the error when `dot` is missing.
pub const INSTALL_GRAPHVIZ: &str = "Graphviz's `dot` is not installed (or not on PATH); \
install it (Debian/Ubuntu: `sudo apt-get install graphviz`, macOS: `brew install graphviz`, \
Windows: `winget install graphviz`) or render the DOT file elsewhere with `dot -Tsvg FILE -o FILE.svg`";

/// Renders DOT `text` with Graphviz's `dot` (through graphviz-rust) and writes the image to
/// `path` atomically. Returns the path.
///
/// Fails with [`ExportError::Graphviz`] when `dot` is not installed (the message says how
/// to install it) or rejects the input.
pub fn render(text: &str, format: RenderFormat, path: &Path) -> Result<PathBuf, ExportError> {
    let fmt = match format {
        RenderFormat::Svg => Format::Svg,
        RenderFormat::Png => Format::Png,
    };
    let bytes =
        graphviz_rust::exec_dot(text.to_string(), vec![CommandArg::Format(fmt)]).map_err(|e| {
            ExportError::Graphviz {
                path: path.to_path_buf(),
                reason: if e.kind() == io::ErrorKind::NotFound {
                    INSTALL_GRAPHVIZ.to_string()
                } else {
                    format!("`dot` failed: {}", e.to_string().trim())
                },
            }
        })?;
    write_atomic(path, &bytes)
}

/// Quotes `text` as a DOT string for a label (or any quoted attribute value), quotes
/// included.
///
/// * `"` and `\` are backslash-escaped, so no title can end the string or form a
///   Graphviz escape such as `\N` or `\l`.
/// * A newline (`\n`, `\r\n`, `\r`, U+2028, U+2029) becomes the DOT line break `\n`; tabs
///   and other control characters become spaces.
/// * `{`, `}`, `<`, `>` and `|` are backslash-escaped (shown literally, even in record
///   shapes); `&` becomes `&amp;`, because Graphviz decodes HTML entities in labels.
/// * Printable non-ASCII (accents, CJK, RTL scripts, emoji) stays UTF-8, which Graphviz
///   reads by default; invisible format characters (bidi controls, zero-width characters,
///   BOM) become numeric entities, so they are visible in the source and cannot reorder
///   it. (Graphviz 2.43 garbles entities above U+FFFF, which is why emoji stay UTF-8.)
///
/// ```
/// use paperkg::export::dot::escape_label;
/// assert_eq!(escape_label(r#"The "\N" {trick}"#), r#""The \"\\N\" \{trick\}""#);
/// ```
pub fn escape_label(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '{' | '}' | '<' | '>' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            c if c.is_control() => out.push(' '),
            c if is_invisible_format(c) => out.push_str(&format!("&#{};", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Bidi controls, zero-width characters and the BOM.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Wraps `title` into lines of at most `width` characters (words longer than that are
/// split), at most `max_lines` of them; a longer title ends its last line with `…`.
/// Runs of whitespace and control characters, newlines included, count as one space.
/// Lines are joined with `\n`.
fn wrap_title(title: &str, width: usize, max_lines: usize) -> String {
    let width = width.max(2);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_len = 0;
    let words = title.split(|c: char| c.is_whitespace() || c.is_control());
    for word in words.filter(|w| !w.is_empty()) {
        let chars: Vec<char> = word.chars().collect();
        for chunk in chars.chunks(width) {
            if line_len > 0 && line_len + 1 + chunk.len() <= width {
                line.push(' ');
                line_len += 1;
            } else if line_len > 0 {
                lines.push(std::mem::take(&mut line));
                line_len = 0;
            }
            line.extend(chunk);
            line_len += chunk.len();
        }
    }
    if line_len > 0 {
        lines.push(line);
    }
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            let kept: String = last.chars().take(width - 1).collect();
            *last = format!("{}…", kept.trim_end());
        }
    }
    lines.join("\n")
}

fn plain(s: &str) -> Id {
    Id::Plain(s.to_string())
}

fn quoted(s: &str) -> Id {
    Id::Escaped(escape_label(s))
}

fn attr(key: &str, value: Id) -> Attribute {
    Attribute(plain(key), value)
}

fn number(x: f64) -> Id {
    Id::Plain(format!("{x:.1}"))
}

/// Grows with `n`: 1 for 1, then logarithmically, capped at `max`.
fn grow(n: usize, base: f64, step: f64, max: f64) -> f64 {
    (base + step * (n.max(1) as f64).ln()).min(max)
}

/// Fill, border, shape and extra style of an entity type.
fn entity_style(kind: EntityType) -> (&'static str, &'static str, &'static str, &'static str) {
    match kind {
        EntityType::Model => ("#dbe9f6", "#3f73a8", "ellipse", "filled"),
        EntityType::Method => ("#ddf0d8", "#4c8a42", "box", "filled,rounded"),
        EntityType::Dataset => ("#fdf1c7", "#a98414", "cylinder", "filled"),
    }
}

/// Colour, line style, arrowhead and label of a typed entity → entity relation.
fn link_style(
    relation: EntityRelation,
) -> (&'static str, &'static str, &'static str, &'static str) {
    match relation {
        EntityRelation::VariantOf => ("#7b3294", "solid", "onormal", "variant of"),
        EntityRelation::BasedOn => ("#8c510a", "bold", "normal", "based on"),
        EntityRelation::TrainedOn => ("#e66101", "dotted", "normal", "trained on"),
        EntityRelation::EvaluatedOn => ("#b8860b", "dashed", "normal", "evaluated on"),
        EntityRelation::CoMentioned => (CO_MENTION_COLOUR, "solid", "none", ""),
    }
}

const CO_MENTION_COLOUR: &str = "#8fa8c0";
/// Co-mention lines shared by at least this many papers carry the number.
const CO_MENTION_LABEL_FROM: usize = 3;

/// Colour and style of a paper → entity arrow.
fn paper_style(relation: PaperRelation) -> (&'static str, &'static str) {
    match relation {
        PaperRelation::Proposes => ("#1b7837", "bold"),
        PaperRelation::Uses => ("#404040", "solid"),
        PaperRelation::EvaluatesOn => ("#e08214", "solid"),
        PaperRelation::ComparesWith => ("#b2182b", "dashed"),
        PaperRelation::Mentions => ("#b0b0b0", "solid"),
    }
}

/// One line per related pair of entities: the most specific relation, with the co-mention
/// count of the pair when there is one. Sorted by endpoints.
fn entity_lines(links: &[EntityLink]) -> Vec<(&EntityLink, usize)> {
    let mut pairs: BTreeMap<(i64, i64), (&EntityLink, usize)> = BTreeMap::new();
    for l in links {
        let key = (l.source.min(l.target), l.source.max(l.target));
        let shared = if l.relation == EntityRelation::CoMentioned {
            l.support
        } else {
            0
        };
        pairs
            .entry(key)
            .and_modify(|(best, co)| {
                *co = (*co).max(shared);
                if l.relation < best.relation {
                    *best = l;
                }
            })
            .or_insert((l, shared));
    }
    pairs.into_values().collect()
}

/// One arrow per paper and entity: the strongest relation. Sorted by paper, entity.
fn paper_lines(links: &[PaperLink]) -> Vec<&PaperLink> {
    let mut pairs: BTreeMap<(i64, i64), &PaperLink> = BTreeMap::new();
    for l in links {
        pairs
            .entry((l.paper, l.entity))
            .and_modify(|best| {
                if l.relation < best.relation {
                    *best = l;
                }
            })
            .or_insert(l);
    }
    pairs.into_values().collect()
}

fn vertex(id: String) -> Vertex {
    Vertex::N(NodeId(Id::Plain(id), None))
}

/// Beyond this many nodes a drawing is laid out for speed (sfdp, straight lines).
const LARGE_NODES: usize = 200;
/// Beyond this many lines a drawing is laid out for speed (sfdp, straight lines).
const LARGE_LINES: usize = 500;

/// The graphviz-rust graph, with the number of nodes and lines drawn (the key excluded).
fn build_graph(graph: &ExportGraph) -> (Graph, usize, usize) {
    let focus = graph.scope.focus.as_ref().map(|f| f.id);
    let entity_lines = entity_lines(&graph.links);
    let paper_lines = paper_lines(&graph.paper_links);
    // Curved lines routed around nodes, and neato's stress layout, take minutes beyond a
    // few hundred lines; a large export gets sfdp and straight lines so it still renders.
    let large =
        graph.node_count() > LARGE_NODES || entity_lines.len() + paper_lines.len() > LARGE_LINES;
    let (layout, splines) = if large {
        ("sfdp", "false")
    } else {
        ("neato", "true")
    };
    let mut stmts: Vec<Stmt> = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("layout", plain(layout)),
            attr("overlap", plain("prism")),
            attr("overlap_scaling", number(-4.0)),
            attr("sep", quoted("+10")),
            attr("splines", plain(splines)),
            attr("outputorder", plain("edgesfirst")),
            attr("pad", number(0.3)),
            attr("fontname", quoted("Helvetica,Arial,sans-serif")),
            attr("fontsize", number(16.0)),
            attr("labelloc", plain("t")),
            attr(
                "label",
                quoted(&caption(graph, entity_lines.len() + paper_lines.len())),
            ),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", quoted("Helvetica,Arial,sans-serif")),
            attr("style", plain("filled")),
            attr("margin", quoted("0.08,0.04")),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", quoted("Helvetica,Arial,sans-serif")),
            attr("fontsize", number(9.0)),
            attr("arrowsize", number(0.7)),
        ])),
    ];

    for p in &graph.papers {
        let mut attrs = vec![
            attr(
                "label",
                quoted(&wrap_title(&p.title, TITLE_WIDTH, TITLE_LINES)),
            ),
            attr("shape", plain("note")),
            attr("fillcolor", quoted("#f2f2f2")),
            attr("color", quoted("#8c8c8c")),
            attr("fontsize", number(9.0)),
        ];
        if let Some(id) = &p.arxiv_id {
            attrs.push(attr("tooltip", quoted(&format!("arXiv:{id}"))));
        }
        stmts.push(Stmt::Node(DotNode::new(
            NodeId(Id::Plain(ExportGraph::paper_key(p.id)), None),
            attrs,
        )));
    }
    for e in &graph.entities {
        stmts.push(entity_node(e, focus == Some(e.id)));
    }

    for &(l, shared) in &entity_lines {
        let mut attrs = Vec::new();
        if l.relation == EntityRelation::CoMentioned {
            attrs.push(attr("dir", plain("none")));
            attrs.push(attr("color", quoted(CO_MENTION_COLOUR)));
            attrs.push(attr("penwidth", number(grow(l.support, 1.0, 1.2, 6.0))));
            if l.support >= CO_MENTION_LABEL_FROM {
                attrs.push(attr("label", plain(&l.support.to_string())));
                attrs.push(attr("fontcolor", quoted("#5b7690")));
            }
            attrs.push(attr(
                "tooltip",
                quoted(&format!("co-mentioned by {} papers", l.support)),
            ));
        } else {
            let (colour, style, head, label) = link_style(l.relation);
            attrs.push(attr("color", quoted(colour)));
            attrs.push(attr("fontcolor", quoted(colour)));
            attrs.push(attr("style", plain(style)));
            attrs.push(attr("arrowhead", plain(head)));
            attrs.push(attr("penwidth", number(grow(l.support, 1.4, 0.8, 5.0))));
            // Family trees are common and their hollow purple arrows are unmistakable; a
            // label on each would only crowd the drawing.
            if l.relation != EntityRelation::VariantOf {
                attrs.push(attr("label", quoted(label)));
            }
            let also = if shared > 0 {
                format!("; co-mentioned by {shared}")
            } else {
                String::new()
            };
            attrs.push(attr(
                "tooltip",
                quoted(&format!("{label}: {} papers{also}", l.support)),
            ));
        }
        stmts.push(Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(
                vertex(ExportGraph::entity_key(l.source)),
                vertex(ExportGraph::entity_key(l.target)),
            ),
            attributes: attrs,
        }));
    }
    for l in &paper_lines {
        let (colour, style) = paper_style(l.relation);
        stmts.push(Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(
                vertex(ExportGraph::paper_key(l.paper)),
                vertex(ExportGraph::entity_key(l.entity)),
            ),
            attributes: vec![
                attr("color", quoted(colour)),
                attr("style", plain(style)),
                attr("penwidth", number(grow(l.count, 1.0, 0.8, 4.0))),
                attr("tooltip", quoted(l.relation.as_str())),
            ],
        }));
    }
    stmts.push(key_node(graph));

    let drawn = (graph.node_count(), entity_lines.len() + paper_lines.len());
    (
        Graph::DiGraph {
            id: plain("paperkg"),
            strict: false,
            stmts,
        },
        drawn.0,
        drawn.1,
    )
}

fn entity_node(e: &EntityItem, is_focus: bool) -> Stmt {
    let (fill, border, shape, style) = entity_style(e.kind);
    let size = grow(e.papers, 10.0, 2.2, 22.0) + if is_focus { 4.0 } else { 0.0 };
    let papers = match e.papers {
        0 => "named by no paper (a family known from its variants)".to_string(),
        1 => "1 paper".to_string(),
        n => format!("{n} papers"),
    };
    let mut attrs = vec![
        attr("label", quoted(&e.name)),
        attr("shape", plain(shape)),
        attr("style", quoted(style)),
        attr("fillcolor", quoted(fill)),
        attr("color", quoted(border)),
        attr("fontsize", number(size)),
        attr(
            "tooltip",
            quoted(&format!("{} ({}): {papers}", e.name, e.kind)),
        ),
    ];
    if is_focus {
        attrs.push(attr("penwidth", number(3.0)));
    }
    Stmt::Node(DotNode::new(
        NodeId(Id::Plain(ExportGraph::entity_key(e.id)), None),
        attrs,
    ))
}

/// The caption: what is shown, and what was left out.
fn caption(graph: &ExportGraph, lines: usize) -> String {
    let s = &graph.scope;
    let mut out = Vec::new();
    let types = if s.types.is_empty() {
        "entities".to_string()
    } else {
        let names: Vec<&str> = s.types.iter().map(|t| t.as_str()).collect();
        format!("{} entities", names.join("/"))
    };
    match &s.focus {
        Some(f) => {
            let hops = if s.depth == 1 { "hop" } else { "hops" };
            out.push(format!(
                "{} ({}) and its strongest relations within {} {hops}",
                f.name, f.kind, s.depth
            ));
        }
        None if graph.entities.len() < s.candidate_entities => out.push(format!(
            "The {} {types} named by the most papers",
            graph.entities.len()
        )),
        None => out.push(format!("All {types}")),
    }
    let mut facts = vec![format!(
        "{} of {} {types}",
        graph.entities.len(),
        s.candidate_entities
    )];
    if !graph.papers.is_empty() || s.candidate_papers > 0 {
        facts.push(format!(
            "{} of {} papers",
            graph.papers.len(),
            s.candidate_papers
        ));
    }
    facts.push(format!("{lines} lines"));
    if !s.relations.is_empty() {
        facts.push(format!("relations: {}", s.relations.join(", ")));
    }
    if s.min_weight > 1 {
        facts.push(format!("relations with ≥ {} papers", s.min_weight));
    }
    let co_kept = graph
        .links
        .iter()
        .filter(|l| l.relation == EntityRelation::CoMentioned)
        .count();
    if s.co_mentions_per_entity > 0 && co_kept < s.co_mentions_total {
        facts.push(format!(
            "co-mentions: each entity's {} strongest ({co_kept} of {})",
            s.co_mentions_per_entity, s.co_mentions_total
        ));
    }
    out.push(facts.join(" · "));
    out.join("\n")
}

/// The key: an HTML-like table explaining shapes, colours and lines. Only fixed text goes
/// in it, so it needs no escaping.
fn key_node(graph: &ExportGraph) -> Stmt {
    let mut types = String::new();
    for kind in EntityType::ALL {
        let (fill, border, shape, _) = entity_style(kind);
        types.push_str(&format!(
            r##"<td bgcolor="{fill}" color="{border}">{kind} ({shape})</td>"##
        ));
    }
    if !graph.papers.is_empty() {
        types.push_str(r##"<td bgcolor="#f2f2f2" color="#8c8c8c">paper (note)</td>"##);
    }
    let mut relations = String::new();
    for relation in EntityRelation::ALL {
        let (colour, _, _, label) = link_style(relation);
        let text = if relation == EntityRelation::CoMentioned {
            "co-mentioned (number: shared papers, from 3)"
        } else {
            label
        };
        relations.push_str(&format!(
            r##"<td><font color="{colour}">{text}</font></td>"##
        ));
    }
    let mut rows = format!(
        r##"<tr><td colspan="5" align="left"><b>Key</b>: text size = papers naming it; line width = supporting papers</td></tr><tr>{types}</tr><tr>{relations}</tr>"##
    );
    if !graph.papers.is_empty() {
        let mut cells = String::new();
        for relation in PaperRelation::ALL {
            let (colour, _) = paper_style(relation);
            cells.push_str(&format!(
                r##"<td><font color="{colour}">paper {}</font></td>"##,
                relation.as_str().replace('_', " ")
            ));
        }
        rows.push_str(&format!("<tr>{cells}</tr>"));
    }
    let table = format!(
        r##"<<table border="0" cellborder="1" cellspacing="2" cellpadding="4">{rows}</table>>"##
    );
    Stmt::Node(DotNode::new(
        NodeId(plain(KEY_NODE), None),
        vec![
            attr("shape", plain("plaintext")),
            attr("style", plain("solid")),
            attr("fontsize", number(10.0)),
            attr("label", Id::Html(table)),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::model::{PaperItem, Scope};

    fn entity(id: i64, name: &str, kind: EntityType, papers: usize) -> EntityItem {
        EntityItem {
            id,
            name: name.into(),
            kind,
            family: None,
            parent_id: None,
            papers,
            mentions: papers,
        }
    }

    fn link(source: i64, target: i64, relation: EntityRelation, support: usize) -> EntityLink {
        EntityLink {
            source,
            target,
            relation,
            support,
            sentences: support,
            pmi: None,
            evidence: support,
        }
    }

    fn paper_link(paper: i64, entity: i64, relation: PaperRelation) -> PaperLink {
        PaperLink {
            paper,
            entity,
            relation,
            count: 1,
            evidence: 1,
        }
    }

    const NASTY: &[&str] = &[
        "Say \"hello\" to C:\\path\\N and \\l",
        "Braces {x} | <script>alert('x')</script> & $\\mathcal{O}(n^2)$",
        "Line one\nline two\r\nthree\ttab\u{0007}bell\u{007f}",
        "Emoji 🚀🦙 and 中文 and עברית RTL and العربية \u{202E}override\u{202C}",
        "A very long title that goes on and on, well past forty characters per line, \
         for more than three lines of text in total, surely",
    ];

    /// Five hostile paper titles, four entities (one with a hostile name), every kind of line.
    fn nasty_graph() -> ExportGraph {
        let papers = NASTY
            .iter()
            .enumerate()
            .map(|(i, t)| PaperItem {
                id: i as i64 + 1,
                arxiv_id: Some(format!("2401.0000{i}")),
                title: t.to_string(),
                update_date: None,
                categories: None,
            })
            .collect();
        ExportGraph {
            papers,
            entities: vec![
                entity(1, "GPT-4", EntityType::Model, 2),
                entity(2, "MLoRA", EntityType::Method, 2),
                entity(3, "\"quoted\" {set} <b>&</b>", EntityType::Dataset, 2),
                entity(4, "Llama 🦙", EntityType::Model, 1),
            ],
            paper_links: vec![
                paper_link(1, 1, PaperRelation::Uses),
                paper_link(1, 1, PaperRelation::Mentions),
                paper_link(1, 2, PaperRelation::Proposes),
                paper_link(2, 1, PaperRelation::ComparesWith),
                paper_link(2, 3, PaperRelation::EvaluatesOn),
                paper_link(3, 2, PaperRelation::Uses),
                paper_link(3, 3, PaperRelation::Mentions),
                paper_link(4, 4, PaperRelation::Mentions),
            ],
            links: vec![
                link(1, 2, EntityRelation::CoMentioned, 1),
                link(1, 3, EntityRelation::CoMentioned, 3),
                link(1, 3, EntityRelation::EvaluatedOn, 1),
                link(2, 3, EntityRelation::CoMentioned, 1),
                link(4, 1, EntityRelation::VariantOf, 1),
            ],
            scope: Scope {
                candidate_entities: 4,
                candidate_papers: 5,
                min_weight: 1,
                depth: 1,
                ..Scope::default()
            },
        }
    }

    /// Node ids and edge count of parsed DOT text, the key left out; panics if it does not
    /// parse.
    fn parsed(text: &str) -> (Vec<String>, usize) {
        let g = graphviz_rust::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let Graph::DiGraph { stmts, .. } = g else {
            panic!("not a digraph")
        };
        let mut nodes = Vec::new();
        let mut edges = 0;
        for s in stmts {
            match s {
                Stmt::Node(n) if n.id.0 != plain(KEY_NODE) => nodes.push(n.id.0.to_string()),
                Stmt::Edge(_) => edges += 1,
                _ => {}
            }
        }
        (nodes, edges)
    }

    #[test]
    fn nasty_titles_give_dot_that_parses_with_matching_counts() {
        let g = nasty_graph();
        let out = to_dot(&g);
        let (nodes, edges) = parsed(&out.text);
        assert_eq!(nodes.len(), out.nodes);
        assert_eq!(edges, out.edges);
        // 5 papers + 4 entities; 7 paper arrows (one per pair) + 4 entity lines (the
        // evaluated_on line stands for the co-mention of the same pair).
        assert_eq!((out.nodes, out.edges), (9, 11));
        assert!(!out.truncated());
        assert!(out.text.contains("\\<script\\>"), "{}", out.text);
        assert!(!out.text.contains("<script>"));
        assert!(out
            .text
            .contains("\\\"quoted\\\" \\{set\\} \\<b\\>&amp;\\</b\\>"));
        assert_eq!(out, to_dot(&g), "output is deterministic");
    }

    #[test]
    fn a_typed_relation_stands_for_the_co_mention_of_the_same_pair() {
        let out = to_dot(&nasty_graph());
        let lines: Vec<&str> = out
            .text
            .lines()
            .filter(|l| l.contains("e1 -> e3"))
            .collect();
        assert_eq!(lines.len(), 1, "{}", out.text);
        assert!(lines[0].contains("evaluated on"), "{}", lines[0]);
        assert!(lines[0].contains("co-mentioned by 3"), "{}", lines[0]);
    }

    #[test]
    fn a_large_graph_is_laid_out_with_sfdp_and_straight_lines() {
        let small = to_dot(&nasty_graph());
        assert!(small.text.contains("layout=neato"), "{}", small.text);
        assert!(small.text.contains("splines=true"));
        let mut big = nasty_graph();
        for i in 0..LARGE_NODES as i64 {
            big.entities
                .push(entity(100 + i, &format!("Model-{i}"), EntityType::Model, 1));
        }
        let out = to_dot(&big);
        assert!(out.text.contains("layout=sfdp"), "{}", out.text);
        assert!(out.text.contains("splines=false"));
        assert!(!out.text.contains("splines=true"));
    }

    #[test]
    fn printed_graph_parses_back_to_the_same_structure() {
        let (built, _, _) = build_graph(&nasty_graph());
        let text = built.print(&mut PrinterContext::default());
        assert_eq!(graphviz_rust::parse(&text).unwrap(), built);
    }

    #[test]
    fn caption_says_what_was_left_out() {
        let mut g = nasty_graph();
        g.scope.candidate_entities = 40;
        g.scope.co_mentions_total = 9;
        g.scope.co_mentions_per_entity = 3;
        let out = to_dot(&g);
        assert!(out.truncated());
        assert_eq!(out.dropped_nodes, 36);
        assert!(out.text.contains("The 4 entities named by the most papers"));
        assert!(out.text.contains("4 of 40 entities"), "{}", out.text);
        assert!(out.text.contains("each entity's 3 strongest (3 of 9)"));
        g.scope.focus = Some(g.entities[0].clone());
        assert!(to_dot(&g)
            .text
            .contains("GPT-4 (model) and its strongest relations within 1 hop"));
    }

    #[test]
    fn an_empty_selection_still_draws_a_caption_and_key() {
        let out = to_dot(&ExportGraph::default());
        assert_eq!((out.nodes, out.edges), (0, 0));
        assert_eq!(parsed(&out.text), (vec![], 0));
        assert!(out.text.contains("Key"));
    }

    #[test]
    fn escape_label_escapes_what_dot_would_interpret() {
        assert_eq!(escape_label("plain"), "\"plain\"");
        assert_eq!(escape_label("a \"b\" \\N"), r#""a \"b\" \\N""#);
        assert_eq!(escape_label("a\nb\r\nc\rd"), r#""a\nb\nc\nd""#);
        assert_eq!(escape_label("{x} <y> |z|"), r#""\{x\} \<y\> \|z\|""#);
        assert_eq!(escape_label("R&D &amp;"), r#""R&amp;D &amp;amp;""#);
        assert_eq!(escape_label("t\tab\u{0}\u{1b}\u{7f}\u{85}"), "\"t ab    \"");
        assert_eq!(escape_label("é 中 🚀 שלום"), "\"é 中 🚀 שלום\"");
        assert_eq!(escape_label("a\u{202E}b\u{200B}"), "\"a&#8238;b&#8203;\"");
        assert_eq!(escape_label("trailing \\"), r#""trailing \\""#);
    }

    #[test]
    fn escaped_labels_parse_back_verbatim() {
        for s in NASTY {
            let text = format!("digraph g {{ a [label={}] }}", escape_label(s));
            let g = graphviz_rust::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            let Graph::DiGraph { stmts, .. } = g else {
                panic!("not a digraph")
            };
            let Stmt::Node(n) = &stmts[0] else {
                panic!("not a node")
            };
            assert_eq!(n.attributes[0].1, Id::Escaped(escape_label(s)));
        }
    }

    #[test]
    fn wrap_title_wraps_splits_and_truncates() {
        assert_eq!(wrap_title("short  title\n", 40, 3), "short title");
        assert_eq!(wrap_title("tab\tbell\u{7}\u{7f}", 40, 3), "tab bell");
        assert_eq!(wrap_title("aaa bbb ccc", 7, 3), "aaa bbb\nccc");
        assert_eq!(wrap_title("abcdefghij", 4, 3), "abcd\nefgh\nij");
        assert_eq!(wrap_title("one two three four", 5, 2), "one\ntwo…");
        assert_eq!(wrap_title("", 40, 3), "");
        let long = wrap_title(NASTY[4], TITLE_WIDTH, TITLE_LINES);
        let lines: Vec<&str> = long.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(
            lines.iter().all(|l| l.chars().count() <= TITLE_WIDTH),
            "{long}"
        );
        assert!(long.ends_with('…'));
    }

    #[test]
    fn write_dot_writes_the_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kg.dot");
        let g = nasty_graph();
        let out = write_dot(&g, &path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), out.text);
        let err = write_dot(&g, &dir.path().join("no/kg.dot"));
        assert!(err.unwrap_err().to_string().contains("kg.dot"));
    }

    #[test]
    fn dot_renders_the_output_when_installed() {
        if std::process::Command::new("dot")
            .arg("-V")
            .output()
            .is_err()
        {
            eprintln!("skipping dot_renders_the_output_when_installed: Graphviz `dot` not on PATH");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let mut without_papers = nasty_graph();
        without_papers.papers.clear();
        without_papers.paper_links.clear();
        for g in [nasty_graph(), without_papers] {
            let out = to_dot(&g);
            let path = dir.path().join("g.svg");
            render(&out.text, RenderFormat::Svg, &path)
                .unwrap_or_else(|e| panic!("{e:#?}\n{}", out.text));
            let svg = std::fs::read_to_string(&path).unwrap();
            if !g.papers.is_empty() {
                assert!(
                    svg.contains("&lt;script&gt;"),
                    "label text is escaped in SVG"
                );
                assert!(svg.contains("🚀"));
            }
            assert!(svg.contains("Llama 🦙"));
            assert!(svg.contains("Key"));
            let png = dir.path().join("g.png");
            render(&out.text, RenderFormat::Png, &png).unwrap();
            assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
        }
    }
}
