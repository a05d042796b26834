//! Graphviz DOT rendering of the knowledge graph, or of one entity's neighbourhood.
//!
//! [`to_dot`] chooses the nodes to show ([`DotOptions`]), builds a graphviz-rust
//! [`graphviz_rust::dot_structures::Graph`] and prints it; [`write_dot`] writes the
//! text to a file atomically. Papers are grey notes labelled with their (wrapped,
//! truncated) title; models are light blue ellipses, methods pale green boxes, datasets
//! gold cylinders. Paper → entity arrows are coloured by relation (proposes, uses,
//! evaluates_on, compares_with, mentions; one arrow per pair, the strongest relation),
//! thicker for more mentions; typed entity → entity arrows (variant_of, based_on,
//! trained_on, evaluated_on) each have their own colour and style; `co_mentioned` edges
//! are undirected dashed lines labelled with the number of shared papers (when more than
//! one); where they are too dense for `dot` to lay out, only each entity's strongest few
//! are drawn. A graph label says what is shown, the key, and what was left out.
//!
//! The layout attributes (`rankdir=LR`, `overlap=false`) suit `dot`, which lays out a few
//! hundred nodes in seconds.
//!
//! Every label goes through [`escape_label`], because graphviz-rust prints quoted ids
//! exactly as given. Output is deterministic: nodes and edges are sorted by ordinal.
//!
//! This module does not run Graphviz (render the file with `dot -Tsvg`) and does not read
//! the database.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;

use graphviz_rust::dot_structures::{
    Attribute, Edge as DotEdge, EdgeTy, Graph, GraphAttributes, Id, Node as DotNode, NodeId, Stmt,
    Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::atomic::write_atomic;
use super::ExportError;
use crate::extract::EntityType;
use crate::graph::{
    Edge, EntityNode, EntityRelation, KnowledgeGraph, Node, PaperNode, PaperRelation,
};

/// Characters per line of a paper label.
const TITLE_WIDTH: usize = 40;
/// Lines of a paper label; a longer title is cut with `…`.
const TITLE_LINES: usize = 3;
/// Co-mention edges per drawn node beyond which they are thinned (see `choose_edges`).
const CO_MENTION_BUDGET: usize = 4;
/// Co-mention edges kept per entity when thinning.
const CO_MENTION_BACKBONE: usize = 3;

/// What to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotOptions {
    /// Draw only this node's neighbourhood (usually an entity; a paper works too).
    /// `None` draws the whole graph.
    pub focus: Option<NodeIndex>,
    /// With `focus`: how many hops to follow, over mention and co-mention edges alike,
    /// ignoring direction. Only edges that are drawn are followed.
    pub depth: usize,
    /// The most nodes to draw; a larger selection keeps its strongest part. 0 means no
    /// limit.
    pub max_nodes: usize,
    /// Draw papers and `mentions` edges. Without them only entities and co-mention edges
    /// are drawn (and followed).
    pub include_papers: bool,
    /// Draw (and follow) only co-mention edges shared by at least this many papers.
    pub min_co_mentions: usize,
}

impl Default for DotOptions {
    fn default() -> Self {
        DotOptions {
            focus: None,
            depth: 1,
            max_nodes: 400,
            include_papers: true,
            min_co_mentions: 1,
        }
    }
}

/// The DOT text and what it contains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotOutput {
    /// The DOT source, ending in a newline.
    pub text: String,
    /// Nodes drawn.
    pub nodes: usize,
    /// Edges drawn.
    pub edges: usize,
    /// True when the selection was cut to `max_nodes`.
    pub truncated: bool,
    /// Nodes selected but not drawn because of `max_nodes`.
    pub dropped_nodes: usize,
}

/// Renders the graph (or the focus's neighbourhood) as DOT.
///
/// # Selection
/// Without `focus`, every entity and (with `include_papers`) every paper is a candidate.
/// With `focus`, the candidates are the nodes within `depth` hops of it. When there are
/// more candidates than `max_nodes`, the focus is kept, then about half the budget goes to
/// entities (nearest first, then by papers, mentions, ordinal), then to the papers that
/// link the most kept entities, and any budget left to further entities.
///
/// Co-mention edges between drawn nodes are all drawn unless there are more than four per
/// node; then each entity keeps its three strongest, and the focus keeps all of its own.
///
/// # Complexity
/// O((V + E) log V) for the candidate nodes and edges.
pub fn to_dot(graph: &KnowledgeGraph, options: &DotOptions) -> DotOutput {
    let selection = select(graph, options);
    let (dot, nodes, edges) = build_graph(graph, options, &selection);
    let mut text = dot.print(&mut PrinterContext::default());
    text.push('\n');
    DotOutput {
        text,
        nodes,
        edges,
        truncated: selection.dropped > 0,
        dropped_nodes: selection.dropped,
    }
}

/// Renders as [`to_dot`] does and writes the text to `path` atomically.
pub fn write_dot(
    graph: &KnowledgeGraph,
    options: &DotOptions,
    path: &Path,
) -> Result<DotOutput, ExportError> {
    let out = to_dot(graph, options);
    write_atomic(path, out.text.as_bytes())?;
    Ok(out)
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

/// The nodes to draw, in output order, and how many candidates were left out.
struct Selection {
    nodes: Vec<NodeIndex>,
    candidates: usize,
    dropped: usize,
    focus_missing: bool,
    /// With a focus: the edge by which each node was first reached.
    tree: HashSet<EdgeIndex>,
}

/// The edges to draw, in output order, and how co-mention edges were thinned.
struct EdgeChoice {
    /// (source, target, weight), sorted by the endpoints' order keys.
    edges: Vec<(NodeIndex, NodeIndex, Edge)>,
    /// Co-mention edges between drawn nodes.
    co_total: usize,
    /// Co-mention edges drawn.
    co_drawn: usize,
}

/// Papers first, then entities, each by ordinal.
fn order_key(graph: &KnowledgeGraph, ix: NodeIndex) -> (u8, usize) {
    match &graph.graph[ix] {
        Node::Paper(p) => (0, p.ordinal),
        Node::Entity(e) => (1, e.ordinal),
    }
}

/// Whether an edge is drawn (and followed) under `options`.
fn edge_shown(edge: &Edge, options: &DotOptions) -> bool {
    match *edge {
        Edge::PaperToEntity { .. } => options.include_papers,
        Edge::EntityToEntity {
            relation: EntityRelation::CoMentioned,
            support,
            ..
        } => support >= options.min_co_mentions,
        Edge::EntityToEntity { .. } => true,
    }
}

/// Whether an edge is a co-mention (the only kind that is thinned).
fn is_co_mention(edge: &Edge) -> bool {
    matches!(
        edge,
        Edge::EntityToEntity {
            relation: EntityRelation::CoMentioned,
            ..
        }
    )
}

fn select(graph: &KnowledgeGraph, options: &DotOptions) -> Selection {
    let g = &graph.graph;
    // Candidate nodes with their distance from the focus (0 without a focus).
    let mut dist: HashMap<NodeIndex, usize> = HashMap::new();
    let mut focus_missing = false;
    let mut tree = HashSet::new();
    match options.focus {
        None => {
            for ix in g.node_indices() {
                if options.include_papers || matches!(g[ix], Node::Entity(_)) {
                    dist.insert(ix, 0);
                }
            }
        }
        Some(focus) if focus.index() < g.node_count() => {
            dist.insert(focus, 0);
            let mut queue = VecDeque::from([focus]);
            while let Some(ix) = queue.pop_front() {
                let d = dist.get(&ix).copied().unwrap_or(0);
                if d >= options.depth {
                    continue;
                }
                let out = g
                    .edges_directed(ix, Direction::Outgoing)
                    .map(|e| (e.target(), e));
                let inc = g
                    .edges_directed(ix, Direction::Incoming)
                    .map(|e| (e.source(), e));
                for (next, e) in out.chain(inc) {
                    if edge_shown(e.weight(), options) && !dist.contains_key(&next) {
                        dist.insert(next, d + 1);
                        tree.insert(e.id());
                        queue.push_back(next);
                    }
                }
            }
        }
        Some(_) => focus_missing = true,
    }
    let candidates = dist.len();
    let mut nodes: Vec<NodeIndex> = if options.max_nodes == 0 || candidates <= options.max_nodes {
        dist.keys().copied().collect()
    } else {
        cap(graph, options, &dist)
    };
    nodes.sort_by_key(|&ix| order_key(graph, ix));
    let dropped = candidates - nodes.len();
    Selection {
        nodes,
        candidates,
        dropped,
        focus_missing,
        tree,
    }
}

/// Keeps at most `options.max_nodes` of the candidates: the focus, the strongest
/// entities, the papers linking the most of them, then more entities.
fn cap(
    graph: &KnowledgeGraph,
    options: &DotOptions,
    dist: &HashMap<NodeIndex, usize>,
) -> Vec<NodeIndex> {
    let g = &graph.graph;
    let mut budget = options.max_nodes;
    let mut kept: HashSet<NodeIndex> = HashSet::new();
    if let Some(focus) = options.focus {
        kept.insert(focus);
        budget = budget.saturating_sub(1);
    }
    let mut entities: Vec<(NodeIndex, &EntityNode)> = Vec::new();
    let mut papers: Vec<(NodeIndex, &PaperNode)> = Vec::new();
    for &ix in dist.keys() {
        if kept.contains(&ix) {
            continue;
        }
        match &g[ix] {
            Node::Entity(e) => entities.push((ix, e)),
            Node::Paper(p) => papers.push((ix, p)),
        }
    }
    let d = |ix: NodeIndex| dist.get(&ix).copied().unwrap_or(usize::MAX);
    entities.sort_by_key(|&(ix, e)| (d(ix), Reverse(e.papers), Reverse(e.mentions), e.ordinal));
    let first = if papers.is_empty() {
        budget
    } else {
        budget.div_ceil(2)
    };
    let first = first.min(entities.len());
    kept.extend(entities[..first].iter().map(|&(ix, _)| ix));
    budget -= first;

    // Papers ranked by how many kept entities they link, then by mentions of them.
    // (distance, linked entities, mentions of them, ordinal, node): smallest first.
    type PaperRank = (usize, Reverse<usize>, Reverse<usize>, usize, NodeIndex);
    let mut ranked: Vec<PaperRank> = Vec::new();
    for &(ix, p) in &papers {
        let (mut linked, mut count) = (0, 0);
        for e in g.edges_directed(ix, Direction::Outgoing) {
            if let Edge::PaperToEntity { count: c, .. } = e.weight() {
                if kept.contains(&e.target()) {
                    linked += 1;
                    count += c;
                }
            }
        }
        if linked > 0 {
            ranked.push((d(ix), Reverse(linked), Reverse(count), p.ordinal, ix));
        }
    }
    ranked.sort_unstable();
    let take = ranked.len().min(budget);
    kept.extend(ranked[..take].iter().map(|r| r.4));
    budget -= take;

    let more = (entities.len() - first).min(budget);
    kept.extend(entities[first..first + more].iter().map(|&(ix, _)| ix));
    kept.into_iter().collect()
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

fn node_id(graph: &KnowledgeGraph, ix: NodeIndex) -> String {
    match &graph.graph[ix] {
        Node::Paper(p) => format!("p{}", p.ordinal),
        Node::Entity(e) => format!("e{}", e.ordinal),
    }
}

/// Pen width growing with `n` (1 for 1), capped at `max`.
fn pen_width(n: usize, max: f64) -> Id {
    let w = (1.0 + (n.max(1) as f64).ln()).min(max);
    Id::Plain(format!("{w:.1}"))
}

/// Chooses the edges between drawn nodes. Co-mention edges can be dense (thousands among a
/// few hundred entities, which `dot` cannot lay out in reasonable time), so when there are
/// more than [`CO_MENTION_BUDGET`] per node, only each entity's [`CO_MENTION_BACKBONE`]
/// strongest are drawn, plus every edge of the focus and the edges the focus's
/// neighbourhood was reached by.
///
/// # Complexity
/// O(E log E) for the E edges between drawn nodes.
fn choose_edges(graph: &KnowledgeGraph, options: &DotOptions, selection: &Selection) -> EdgeChoice {
    let g = &graph.graph;
    let kept: HashSet<NodeIndex> = selection.nodes.iter().copied().collect();
    let mut mentions: Vec<(NodeIndex, NodeIndex, Edge, EdgeIndex)> = Vec::new();
    let mut mention_at: HashMap<(NodeIndex, NodeIndex), usize> = HashMap::new();
    let mut typed = Vec::new();
    let mut co = Vec::new();
    for e in g.edge_references() {
        let (a, b) = (e.source(), e.target());
        if !(kept.contains(&a) && kept.contains(&b) && edge_shown(e.weight(), options)) {
            continue;
        }
        match *e.weight() {
            Edge::PaperToEntity { relation, .. } => {
                // One arrow per paper and entity: the strongest relation (first in order).
                match mention_at.get(&(a, b)).and_then(|&i| mentions.get_mut(i)) {
                    Some(slot) => {
                        if let Edge::PaperToEntity { relation: r, .. } = slot.2 {
                            if relation < r {
                                *slot = (a, b, *e.weight(), e.id());
                            }
                        }
                    }
                    None => {
                        mention_at.insert((a, b), mentions.len());
                        mentions.push((a, b, *e.weight(), e.id()));
                    }
                }
            }
            Edge::EntityToEntity { .. } if !is_co_mention(e.weight()) => {
                typed.push((a, b, *e.weight(), e.id()))
            }
            Edge::EntityToEntity { .. } => {
                let (a, b) = if order_key(graph, b) < order_key(graph, a) {
                    (b, a)
                } else {
                    (a, b)
                };
                co.push((a, b, *e.weight(), e.id()));
            }
        }
    }
    // One line per pair of entities: the most specific typed relation stands for the
    // others and for the co-mention (Graphviz loses some of several `constraint=false`
    // edges between the same two nodes).
    typed.sort_by_key(|&(a, b, w, _)| {
        let rank = match w {
            Edge::EntityToEntity { relation, .. } => relation as usize,
            Edge::PaperToEntity { .. } => usize::MAX,
        };
        (a.min(b), a.max(b), rank)
    });
    typed.dedup_by_key(|&mut (a, b, _, _)| (a.min(b), a.max(b)));
    let typed_pairs: HashSet<(NodeIndex, NodeIndex)> = typed
        .iter()
        .map(|&(a, b, _, _)| (a.min(b), a.max(b)))
        .collect();
    co.retain(|&(a, b, _, _)| !typed_pairs.contains(&(a.min(b), a.max(b))));
    let co_total = co.len();
    if co_total > CO_MENTION_BUDGET.saturating_mul(selection.nodes.len()) {
        let strength = |w: &Edge| match *w {
            Edge::EntityToEntity { support, .. } => support,
            Edge::PaperToEntity { count, .. } => count,
        };
        // (strength, other end's order key, edge): strongest first.
        type Ranked = (Reverse<usize>, (u8, usize), EdgeIndex);
        let mut by_node: HashMap<NodeIndex, Vec<Ranked>> = HashMap::new();
        for &(a, b, w, id) in &co {
            by_node
                .entry(a)
                .or_default()
                .push((Reverse(strength(&w)), order_key(graph, b), id));
            by_node
                .entry(b)
                .or_default()
                .push((Reverse(strength(&w)), order_key(graph, a), id));
        }
        let mut keep: HashSet<EdgeIndex> = selection.tree.clone();
        for list in by_node.values_mut() {
            list.sort_unstable();
            keep.extend(list.iter().take(CO_MENTION_BACKBONE).map(|x| x.2));
        }
        let focus = options.focus;
        co.retain(|&(a, b, _, id)| keep.contains(&id) || focus == Some(a) || focus == Some(b));
    }
    let co_drawn = co.len();
    let mut edges: Vec<(NodeIndex, NodeIndex, Edge)> = mentions
        .into_iter()
        .chain(typed)
        .chain(co)
        .map(|(a, b, w, _)| (a, b, w))
        .collect();
    edges.sort_by_key(|&(a, b, _)| (order_key(graph, a), order_key(graph, b)));
    EdgeChoice {
        edges,
        co_total,
        co_drawn,
    }
}

/// The graphviz-rust graph, with the number of nodes and edges in it.
fn build_graph(
    graph: &KnowledgeGraph,
    options: &DotOptions,
    selection: &Selection,
) -> (Graph, usize, usize) {
    let g = &graph.graph;
    let choice = choose_edges(graph, options, selection);

    let mut stmts: Vec<Stmt> = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("rankdir", plain("LR")),
            attr("overlap", plain("false")),
            attr("nodesep", plain("0.15")),
            attr("ranksep", plain("1.2")),
            attr("fontname", plain("Helvetica")),
            attr("fontsize", plain("12")),
            attr("labelloc", plain("t")),
            attr("label", quoted(&legend(graph, options, selection, &choice))),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", plain("Helvetica")),
            attr("fontsize", plain("10")),
            attr("style", plain("filled")),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", plain("Helvetica")),
            attr("fontsize", plain("8")),
            attr("arrowsize", plain("0.6")),
        ])),
    ];

    for &ix in &selection.nodes {
        let mut attrs = match &g[ix] {
            Node::Paper(p) => vec![
                attr(
                    "label",
                    quoted(&wrap_title(&p.title, TITLE_WIDTH, TITLE_LINES)),
                ),
                attr("shape", plain("note")),
                attr("fillcolor", plain("grey92")),
                attr("color", plain("grey55")),
                attr("fontsize", plain("9")),
            ],
            Node::Entity(e) => {
                let (shape, fill) = match e.kind {
                    EntityType::Model => ("ellipse", "lightblue"),
                    EntityType::Method => ("box", "palegreen"),
                    EntityType::Dataset => ("cylinder", "gold"),
                };
                vec![
                    attr("label", quoted(&e.name)),
                    attr("shape", plain(shape)),
                    attr("fillcolor", plain(fill)),
                ]
            }
        };
        if options.focus == Some(ix) {
            attrs.push(attr("penwidth", plain("3")));
        }
        stmts.push(Stmt::Node(DotNode::new(
            NodeId(plain(&node_id(graph, ix)), None),
            attrs,
        )));
    }

    for &(a, b, weight) in &choice.edges {
        let attributes = match weight {
            Edge::PaperToEntity { relation, count } => {
                let (color, style) = paper_edge_style(relation);
                vec![
                    attr("penwidth", pen_width(count, 4.0)),
                    attr("color", plain(color)),
                    attr("style", plain(style)),
                ]
            }
            Edge::EntityToEntity {
                relation, support, ..
            } if relation != EntityRelation::CoMentioned => {
                let (color, style, head) = entity_edge_style(relation);
                let mut attrs = vec![
                    attr("color", plain(color)),
                    attr("style", plain(style)),
                    attr("arrowhead", plain(head)),
                    attr("penwidth", pen_width(support, 4.0)),
                ];
                if options.include_papers {
                    attrs.push(attr("constraint", plain("false")));
                }
                attrs
            }
            Edge::EntityToEntity {
                support: papers, ..
            } => {
                let mut attrs = vec![
                    attr("dir", plain("none")),
                    attr("style", plain("dashed")),
                    attr("color", plain("steelblue")),
                    attr("penwidth", pen_width(papers, 5.0)),
                ];
                // Labels on a few thousand edges slow `dot` down; 1 is the unmarked case.
                if papers > 1 {
                    attrs.push(attr("label", Id::Plain(papers.to_string())));
                }
                // With papers drawn, ranks come from paper → entity arrows; entity links
                // would otherwise drag entities into long chains.
                if options.include_papers {
                    attrs.push(attr("constraint", plain("false")));
                }
                attrs
            }
        };
        let end = |ix| Vertex::N(NodeId(plain(&node_id(graph, ix)), None));
        stmts.push(Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(end(a), end(b)),
            attributes,
        }));
    }

    let (nodes, edge_count) = (selection.nodes.len(), choice.edges.len());
    (
        Graph::DiGraph {
            id: plain("paperkg"),
            strict: false,
            stmts,
        },
        nodes,
        edge_count,
    )
}

/// Colour and style of a paper → entity arrow.
fn paper_edge_style(relation: PaperRelation) -> (&'static str, &'static str) {
    match relation {
        PaperRelation::Proposes => ("darkgreen", "bold"),
        PaperRelation::Uses => ("grey25", "solid"),
        PaperRelation::EvaluatesOn => ("darkorange", "solid"),
        PaperRelation::ComparesWith => ("firebrick", "dashed"),
        PaperRelation::Mentions => ("grey65", "solid"),
    }
}

/// Colour, style and arrowhead of a typed entity → entity arrow.
fn entity_edge_style(relation: EntityRelation) -> (&'static str, &'static str, &'static str) {
    match relation {
        EntityRelation::VariantOf => ("purple", "solid", "empty"),
        EntityRelation::BasedOn => ("sienna", "bold", "normal"),
        EntityRelation::TrainedOn => ("darkorange3", "dotted", "normal"),
        EntityRelation::EvaluatedOn => ("darkgoldenrod", "dotted", "normal"),
        EntityRelation::CoMentioned => ("steelblue", "dashed", "none"),
    }
}

/// The graph label: what is shown, the key, and what was left out.
fn legend(
    graph: &KnowledgeGraph,
    options: &DotOptions,
    selection: &Selection,
    choice: &EdgeChoice,
) -> String {
    let mut lines = Vec::new();
    match options
        .focus
        .filter(|_| !selection.focus_missing)
        .map(|ix| &graph.graph[ix])
    {
        None if selection.focus_missing => {
            lines.push("paperkg: the focus node is not in the graph".to_string())
        }
        None => lines.push("paperkg knowledge graph".to_string()),
        Some(node) => {
            let what = match node {
                Node::Entity(e) => format!("{} ({})", e.name, e.kind),
                Node::Paper(p) => format!("paper “{}”", wrap_title(&p.title, 60, 1)),
            };
            let hops = if options.depth == 1 { "hop" } else { "hops" };
            lines.push(format!(
                "paperkg: {what} and its neighbours within {} {hops}",
                options.depth
            ));
        }
    }
    let papers = selection
        .nodes
        .iter()
        .filter(|&&ix| matches!(graph.graph[ix], Node::Paper(_)))
        .count();
    lines.push(format!(
        "{papers} papers, {} entities, {} edges",
        selection.nodes.len() - papers,
        choice.edges.len()
    ));
    if options.include_papers {
        lines.push("note = paper, ellipse = model, box = method, cylinder = dataset".to_string());
        lines.push(
            "paper arrows: green bold = proposes, dark = uses, orange = evaluates_on, red dashed = \
             compares_with, grey = mentions (width: count)"
                .to_string(),
        );
    } else {
        lines.push("ellipse = model, box = method, cylinder = dataset".to_string());
    }
    lines.push(
        "entity arrows: purple hollow = variant_of, brown bold = based_on, dotted orange = \
         trained_on, dotted gold = evaluated_on; blue dashed = co-mentioned (label: shared \
         papers if > 1)"
            .to_string(),
    );
    if options.min_co_mentions > 1 {
        lines.push(format!(
            "co-mention edges shared by at least {} papers",
            options.min_co_mentions
        ));
    }
    if choice.co_drawn < choice.co_total {
        lines.push(format!(
            "co-mention edges thinned to the {CO_MENTION_BACKBONE} strongest per entity: {} of {}",
            choice.co_drawn, choice.co_total
        ));
    }
    if selection.dropped > 0 {
        lines.push(format!(
            "showing {} of {} nodes ({} dropped; the most-mentioned entities and the papers \
             linking them are kept)",
            selection.nodes.len(),
            selection.candidates,
            selection.dropped
        ));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Field, Mention};

    fn mention(name: &str, kind: EntityType) -> Mention {
        Mention {
            name: name.into(),
            kind,
            family: None,
            surface: name.into(),
            field: Field::Abstract,
            byte_start: 0,
            char_start: 0,
            char_len: name.chars().count(),
            proposed: false,
        }
    }

    /// Builds a finished graph from (title, entity names) pairs; the entity type is
    /// chosen by the name's first letter: D = dataset, M = method, else model.
    fn graph(papers: &[(&str, &[&str])]) -> KnowledgeGraph {
        let mut g = KnowledgeGraph::new();
        for (i, (title, names)) in papers.iter().enumerate() {
            let key = format!("id:{i}");
            g.add_paper(&key, title);
            let ms: Vec<Mention> = names
                .iter()
                .map(|n| {
                    let kind = match n.chars().next() {
                        Some('D') => EntityType::Dataset,
                        Some('M') => EntityType::Method,
                        _ => EntityType::Model,
                    };
                    mention(n, kind)
                })
                .collect();
            g.add_mentions(&key, &ms);
        }
        g.finish();
        g
    }

    /// Node ids and edge count of parsed DOT text; panics if it does not parse.
    fn parsed(text: &str) -> (Vec<String>, usize) {
        let g = graphviz_rust::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let Graph::DiGraph { stmts, .. } = g else {
            panic!("not a digraph")
        };
        let mut nodes = Vec::new();
        let mut edges = 0;
        for s in stmts {
            match s {
                Stmt::Node(n) => nodes.push(n.id.0.to_string()),
                Stmt::Edge(_) => edges += 1,
                _ => {}
            }
        }
        (nodes, edges)
    }

    #[test]
    fn a_typed_relation_stands_for_the_co_mention_of_the_same_pair() {
        let mut g = KnowledgeGraph::new();
        g.add_paper("id:1", "Llama paper");
        let llama2 = Mention {
            family: Some("LLaMA".into()),
            ..mention("Llama 2", EntityType::Model)
        };
        g.add_mentions("id:1", &[llama2, mention("LLaMA", EntityType::Model)]);
        g.finish();
        let out = to_dot(&g, &DotOptions::default());
        // paper → Llama 2, paper → LLaMA, and one line for variant_of + co_mentioned.
        assert_eq!(parsed(&out.text).1, 3, "{}", out.text);
        assert!(out.text.contains("color=purple"), "{}", out.text);
        assert!(!out.text.contains("color=steelblue"), "{}", out.text);
    }

    const NASTY: &[&str] = &[
        "Say \"hello\" to C:\\path\\N and \\l",
        "Braces {x} | <script>alert('x')</script> & $\\mathcal{O}(n^2)$",
        "Line one\nline two\r\nthree\ttab\u{0007}bell\u{007f}",
        "Emoji 🚀🦙 and 中文 and עברית RTL and العربية \u{202E}override\u{202C}",
        "A very long title that goes on and on, well past forty characters per line, \
         for more than three lines of text in total, surely",
    ];

    fn nasty_graph() -> KnowledgeGraph {
        let names: [&[&str]; 5] = [
            &["GPT-4", "MLoRA"],
            &["GPT-4", "D\"quoted\" {set}"],
            &["MLoRA", "D\"quoted\" {set}"],
            &["Llama 🦙"],
            &[],
        ];
        let papers: Vec<(&str, &[&str])> = NASTY.iter().copied().zip(names).collect();
        graph(&papers)
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
    fn nasty_titles_give_dot_that_parses_with_matching_counts() {
        let g = nasty_graph();
        let out = to_dot(&g, &DotOptions::default());
        let (nodes, edges) = parsed(&out.text);
        assert_eq!(nodes.len(), out.nodes);
        assert_eq!(edges, out.edges);
        // 5 papers + 4 entities; 7 mention edges + 3 co-mention edges.
        assert_eq!((out.nodes, out.edges), (9, 10));
        assert!(!out.truncated);
        assert_eq!(out.dropped_nodes, 0);
        assert_eq!(nodes[..2], ["p1".to_string(), "p2".to_string()]);
        assert!(out.text.contains("\\<script\\>"), "{}", out.text);
        assert!(!out.text.contains("<script>"));
        assert_eq!(
            out,
            to_dot(&g, &DotOptions::default()),
            "output is deterministic"
        );
    }

    #[test]
    fn printed_graph_parses_back_to_the_same_structure() {
        let g = nasty_graph();
        let options = DotOptions::default();
        let selection = select(&g, &options);
        let (built, _, _) = build_graph(&g, &options, &selection);
        let text = built.print(&mut PrinterContext::default());
        assert_eq!(graphviz_rust::parse(&text).unwrap(), built);
    }

    #[test]
    fn without_papers_only_entities_and_co_mentions_are_drawn() {
        let g = nasty_graph();
        let options = DotOptions {
            include_papers: false,
            ..DotOptions::default()
        };
        let out = to_dot(&g, &options);
        let (nodes, edges) = parsed(&out.text);
        assert!(nodes.iter().all(|n| n.starts_with('e')), "{nodes:?}");
        assert_eq!((out.nodes, out.edges, edges), (4, 3, 3));

        let options = DotOptions {
            include_papers: false,
            min_co_mentions: 2,
            ..options
        };
        assert_eq!(to_dot(&g, &options).edges, 0);
    }

    /// A chain: p1 {A, B}, p2 {B, C}, p3 {C, D}; co-mentions A–B, B–C, C–D.
    fn chain() -> KnowledgeGraph {
        graph(&[
            ("one", &["A", "B"]),
            ("two", &["B", "C"]),
            ("three", &["C", "D"]),
        ])
    }

    fn shown(g: &KnowledgeGraph, options: &DotOptions) -> Vec<String> {
        let out = to_dot(g, options);
        let (mut nodes, edges) = parsed(&out.text);
        assert_eq!((nodes.len(), edges), (out.nodes, out.edges));
        nodes.sort();
        nodes
    }

    #[test]
    fn focus_shows_only_nodes_within_depth() {
        let g = chain();
        let a = g.entity(EntityType::Model, "A");
        let mut options = DotOptions {
            focus: a,
            depth: 1,
            ..DotOptions::default()
        };
        assert_eq!(shown(&g, &options), ["e1", "e2", "p1"]);
        options.depth = 2;
        assert_eq!(shown(&g, &options), ["e1", "e2", "e3", "p1", "p2"]);
        options.depth = 0;
        assert_eq!(shown(&g, &options), ["e1"]);
        options = DotOptions {
            focus: a,
            depth: 2,
            include_papers: false,
            ..options
        };
        assert_eq!(shown(&g, &options), ["e1", "e2", "e3"]);
        let out = to_dot(&g, &options);
        assert!(
            out.text
                .contains("A (model) and its neighbours within 2 hops"),
            "{}",
            out.text
        );
    }

    #[test]
    fn focus_outside_the_graph_draws_nothing() {
        let g = chain();
        let options = DotOptions {
            focus: Some(NodeIndex::new(999)),
            ..DotOptions::default()
        };
        let out = to_dot(&g, &options);
        assert_eq!((out.nodes, out.edges), (0, 0));
        assert!(out.text.contains("not in the graph"));
        parsed(&out.text);
    }

    #[test]
    fn large_graph_is_truncated_to_its_strongest_part() {
        // Entity "Ek" is named by the first k+1 of 12 papers, so E11 is the strongest.
        let names: Vec<String> = (0..12).map(|k| format!("E{k}")).collect();
        let lists: Vec<Vec<&str>> = (0..12)
            .map(|p| names[p..].iter().map(String::as_str).collect())
            .collect();
        let titles: Vec<String> = (0..12).map(|p| format!("Paper {p}")).collect();
        let papers: Vec<(&str, &[&str])> = titles
            .iter()
            .map(String::as_str)
            .zip(lists.iter().map(Vec::as_slice))
            .collect();
        let g = graph(&papers);
        let options = DotOptions {
            max_nodes: 8,
            ..DotOptions::default()
        };
        let out = to_dot(&g, &options);
        assert!(out.truncated);
        assert_eq!((out.nodes, out.dropped_nodes), (8, 24 - 8));
        assert!(out.text.contains("showing 8 of 24 nodes"), "{}", out.text);
        let strongest = g.entity(EntityType::Model, "E11").unwrap();
        let Node::Entity(e) = &g.graph[strongest] else {
            panic!()
        };
        let nodes = shown(&g, &options);
        assert!(nodes.contains(&format!("e{}", e.ordinal)), "{nodes:?}");
        assert_eq!(nodes.iter().filter(|n| n.starts_with('e')).count(), 4);
        assert_eq!(out, to_dot(&g, &options), "truncation is deterministic");

        let focus = DotOptions {
            focus: Some(strongest),
            depth: 2,
            max_nodes: 5,
            ..options
        };
        let out = to_dot(&g, &focus);
        assert!(out.truncated && out.nodes == 5, "{out:?}");
        assert!(shown(&g, &focus).contains(&format!("e{}", e.ordinal)));
        let unlimited = DotOptions {
            max_nodes: 0,
            ..DotOptions::default()
        };
        assert_eq!(to_dot(&g, &unlimited).nodes, 24);
    }

    #[test]
    fn dense_co_mentions_are_thinned_but_keep_every_entity_and_the_focus_linked() {
        let names: Vec<String> = (0..30).map(|k| format!("A{k}")).collect();
        let all: Vec<&str> = names.iter().map(String::as_str).collect();
        let g = graph(&[("one", &all), ("two", &all)]);
        let out = to_dot(
            &g,
            &DotOptions {
                include_papers: false,
                ..DotOptions::default()
            },
        );
        let co = out.edges;
        assert!((15..=90).contains(&co), "{co} edges");
        assert!(out.text.contains(&format!(
            "thinned to the 3 strongest per entity: {co} of 435"
        )));
        for k in 1..=30 {
            let id = format!("e{k}");
            let linked = out
                .text
                .lines()
                .any(|l| l.contains("->") && l.split_whitespace().take(3).any(|w| w == id));
            assert!(linked, "{id} has no edge\n{}", out.text);
        }
        let focus = g.entity(EntityType::Model, "A0");
        let options = DotOptions {
            focus,
            include_papers: false,
            ..DotOptions::default()
        };
        let out = to_dot(&g, &options);
        let focus_edges = out
            .text
            .lines()
            .filter(|l| l.trim_start().starts_with("e1 ->"))
            .count();
        assert_eq!(focus_edges, 29);
    }

    #[test]
    fn write_dot_writes_the_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kg.dot");
        let g = nasty_graph();
        let out = write_dot(&g, &DotOptions::default(), &path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), out.text);
        let err = write_dot(&g, &DotOptions::default(), &dir.path().join("no/kg.dot"));
        assert!(err.unwrap_err().to_string().contains("kg.dot"));
    }

    #[test]
    fn dot_renders_the_output_when_installed() {
        use std::io::Write;
        use std::process::{Command, Stdio};
        if Command::new("dot").arg("-V").output().is_err() {
            eprintln!("skipping dot_renders_the_output_when_installed: Graphviz `dot` not on PATH");
            return;
        }
        let g = nasty_graph();
        for options in [
            DotOptions::default(),
            DotOptions {
                include_papers: false,
                ..DotOptions::default()
            },
        ] {
            let out = to_dot(&g, &options);
            let mut child = Command::new("dot")
                .arg("-Tsvg")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(out.text.as_bytes())
                .unwrap();
            let result = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&result.stderr);
            assert!(
                result.status.success(),
                "dot failed: {stderr}\n{}",
                out.text
            );
            assert!(
                !stderr.contains("Invalid UTF-8") && !stderr.contains("Error"),
                "{stderr}"
            );
            let svg = String::from_utf8(result.stdout).unwrap();
            if options.include_papers {
                assert!(
                    svg.contains("&lt;script&gt;"),
                    "label text is escaped in SVG"
                );
                assert!(svg.contains("🚀"));
            }
            assert!(svg.contains("Llama 🦙"));
        }
    }
}
