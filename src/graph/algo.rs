//! Graph algorithms for the explore commands, over an [`EntityGraph`]: pointwise mutual
//! information, shortest paths that prefer explainable hops, weighted PageRank, degrees and
//! neighbourhoods.
//!
//! An [`EntityGraph`] holds entities as nodes and entity → entity relations as edges, as the
//! explore commands load them from a built database (see `crate::store`). Every algorithm
//! here walks it as an undirected graph: a relation connects its two entities whichever way
//! it points.
//!
//! This module does no I/O and knows nothing of papers or sentences; the caller fetches the
//! evidence for the edges these functions return.

use std::collections::VecDeque;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use rayon::prelude::*;

use super::relations::EntityRelation;
use crate::extract::EntityType;

/// An entity node of an [`EntityGraph`].
#[derive(Clone, Debug, PartialEq)]
pub struct EntityInfo {
    /// The entity's id in the database.
    pub id: i64,
    /// Canonical name.
    pub name: String,
    /// Type.
    pub kind: EntityType,
    /// The family it is a variant of, if any.
    pub family: Option<String>,
    /// Papers naming it (0 for a family only named as a parent).
    pub papers: usize,
    /// Mentions of it.
    pub mentions: usize,
}

/// An entity → entity relation of an [`EntityGraph`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkInfo {
    /// The relation.
    pub relation: EntityRelation,
    /// Papers supporting it.
    pub support: usize,
    /// Papers with a sentence naming both entities (the rest only share the paper).
    pub sentences: usize,
    /// Pointwise mutual information (bits), for `co_mentioned`.
    pub pmi: Option<f64>,
}

impl LinkInfo {
    /// How strongly an edge explains a connection, for choosing among equally short paths
    /// and ranking neighbours: a typed relation beats a co-mention, sentence evidence beats
    /// shared papers, more support beats less.
    pub fn strength(&self) -> f64 {
        let typed = if self.relation == EntityRelation::CoMentioned {
            0.0
        } else {
            2.0
        };
        typed + (1.0 + self.sentences as f64).ln() + 0.5 * (1.0 + self.support as f64).ln()
    }
}

/// Entities and their relations, loaded for exploring.
pub type EntityGraph = DiGraph<EntityInfo, LinkInfo>;

/// PageRank's damping factor, as stored in `entities.pagerank` and used by `paperkg top`.
pub const PAGERANK_DAMPING: f64 = 0.85;
/// PageRank's iteration cap (it stops earlier once the ranks settle).
pub const PAGERANK_ITERATIONS: usize = 100;

/// Pointwise mutual information of two entities, in bits:
/// `log2(P(a, b) / (P(a) P(b)))` with probabilities over `total` papers, i.e.
/// `log2(joint · total / (a · b))`. Positive when they share more papers than chance
/// would give; `None` when a count is 0 (or `joint` exceeds `a` or `b`).
///
/// ```
/// use paperkg::graph::algo::pmi;
/// assert_eq!(pmi(2, 4, 4, 16), Some(1.0));
/// assert_eq!(pmi(0, 4, 4, 16), None);
/// ```
pub fn pmi(joint: usize, a: usize, b: usize, total: usize) -> Option<f64> {
    if joint == 0 || a == 0 || b == 0 || total == 0 || joint > a.min(b) {
        return None;
    }
    Some(((joint as f64) * (total as f64) / ((a as f64) * (b as f64))).log2())
}

/// Every edge at `node`, in either direction, with the node at its other end.
fn incident(g: &EntityGraph, node: NodeIndex) -> impl Iterator<Item = (NodeIndex, EdgeIndex)> + '_ {
    let out = g
        .edges_directed(node, Direction::Outgoing)
        .map(|e| (e.target(), e.id()));
    let inc = g
        .edges_directed(node, Direction::Incoming)
        .map(|e| (e.source(), e.id()));
    out.chain(inc)
}

/// Number of distinct entities linked to `node` by any relation.
///
/// # Complexity
/// O(d log d) for d incident edges.
pub fn degree(g: &EntityGraph, node: NodeIndex) -> usize {
    let mut others: Vec<NodeIndex> = incident(g, node)
        .map(|(n, _)| n)
        .filter(|&n| n != node)
        .collect();
    others.sort_unstable();
    others.dedup();
    others.len()
}

/// PageRank over the undirected, support-weighted entity graph, by power iteration.
///
/// Each relation counts in both directions with weight = its support; a node without edges
/// spreads its rank evenly. Stops after `iterations` rounds or when the ranks move less
/// than 1e-10 in total. Ranks sum to 1 and are indexed by node index.
///
/// petgraph's `algo::page_rank` computes the unweighted version in O(k · V² · d); this one
/// is O(k · (V + E)), which matters on a graph of a million entities. The unit tests check
/// that both order a small graph alike.
///
/// # Complexity
/// O(k · (V + E)) for k iterations.
pub fn pagerank(g: &EntityGraph, damping: f64, iterations: usize) -> Vec<f64> {
    let edges: Vec<(usize, usize, usize)> = g
        .raw_edges()
        .iter()
        .map(|e| (e.source().index(), e.target().index(), e.weight.support))
        .collect();
    pagerank_of(g.node_count(), &edges, damping, iterations)
}

/// [`pagerank`] over `n` nodes numbered from 0 and `edges` given as `(a, b, support)`, in
/// the order the sums are taken. The build computes it this way, without a petgraph.
pub fn pagerank_of(
    n: usize,
    edges: &[(usize, usize, usize)],
    damping: f64,
    iterations: usize,
) -> Vec<f64> {
    if n == 0 {
        return Vec::new();
    }
    let damping = damping.clamp(0.0, 1.0);
    let mut out_weight = vec![0.0f64; n];
    // Where each node's rank comes from, node by node (compressed rows): the other end of
    // each edge at it, with the edge's weight, in the order the edges are given, and for
    // an edge `(a, b)` the contribution to `b` before the one to `a`. Summed in that order,
    // node by node, the ranks are the same numbers as adding each edge's two contributions
    // in turn, edge after edge; and the nodes can be summed in parallel.
    let mut starts = vec![0usize; n + 1];
    let mut valid = 0;
    // Node numbers are stored as u32 (petgraph's default index): larger graphs have none.
    let fits = u32::try_from(n).is_ok();
    let in_range = |a: usize, b: usize| fits && a < n && b < n;
    for &(a, b, support) in edges {
        if in_range(a, b) {
            let w = support.max(1) as f64;
            out_weight[a] += w;
            out_weight[b] += w;
            starts[a + 1] += 1;
            starts[b + 1] += 1;
            valid += 1;
        }
    }
    for i in 0..n {
        starts[i + 1] += starts[i];
    }
    let mut from = vec![0u32; 2 * valid];
    let mut weight = vec![0.0f64; 2 * valid];
    let mut fill = starts.clone();
    for &(a, b, support) in edges {
        if in_range(a, b) {
            let w = support.max(1) as f64;
            let (a32, b32) = (a as u32, b as u32);
            from[fill[b]] = a32;
            weight[fill[b]] = w;
            fill[b] += 1;
            from[fill[a]] = b32;
            weight[fill[a]] = w;
            fill[a] += 1;
        }
    }
    drop(fill);
    let mut rank = vec![1.0 / n as f64; n];
    let mut next = vec![0.0f64; n];
    // Per node: damping × rank for the iteration under way, and the node's out weight
    // (side by side, so that each contribution reads one place).
    let mut damped: Vec<(f64, f64)> = out_weight.into_iter().map(|w| (0.0, w)).collect();
    for _ in 0..iterations {
        let dangling: f64 = (0..n)
            .filter(|&i| damped[i].1 == 0.0)
            .map(|i| rank[i])
            .sum();
        let base = (1.0 - damping) / n as f64 + damping * dangling / n as f64;
        for (d, r) in damped.iter_mut().zip(&rank) {
            d.0 = damping * r;
        }
        next.par_iter_mut().enumerate().for_each(|(v, x)| {
            let mut sum = base;
            for (&u, &w) in from[starts[v]..starts[v + 1]]
                .iter()
                .zip(&weight[starts[v]..starts[v + 1]])
            {
                let (d, out) = damped[u as usize];
                sum += d * w / out;
            }
            *x = sum;
        });
        let delta: f64 = rank.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if delta < 1e-10 {
            break;
        }
    }
    rank
}

/// The number of distinct other nodes each of `n` nodes (numbered from 0) is linked to
/// by `edges`, in either direction: [`degree`] for every node at once.
pub fn degrees_of(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut pairs: Vec<(usize, usize)> = Vec::with_capacity(edges.len() * 2);
    for &(a, b) in edges {
        if a != b && a < n && b < n {
            pairs.push((a, b));
            pairs.push((b, a));
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let mut out = vec![0usize; n];
    for (a, _) in pairs {
        out[a] += 1;
    }
    out
}

/// An entity reached from the start of a [`neighborhood`] search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reached {
    /// The entity.
    pub node: NodeIndex,
    /// Hops from the start (1 for direct neighbours).
    pub depth: usize,
    /// The entity it was reached from (at `depth - 1`).
    pub via: NodeIndex,
    /// The strongest edge from `via` to `node` (see [`LinkInfo::strength`]).
    pub edge: EdgeIndex,
}

/// The entities within `depth` hops of `start` over edges that pass `follow`, breadth-first.
/// Each is reported once, at its smallest depth, with the strongest edge reaching it from
/// the previous layer. Ordered by depth, then edge strength (strongest first), then node
/// index. `start` itself is not reported.
///
/// # Complexity
/// O(V + E) over the part of the graph within `depth` hops.
pub fn neighborhood(
    g: &EntityGraph,
    start: NodeIndex,
    depth: usize,
    follow: &dyn Fn(&LinkInfo) -> bool,
) -> Vec<Reached> {
    let mut dist: Vec<Option<usize>> = vec![None; g.node_count()];
    let mut best: Vec<Option<(f64, NodeIndex, EdgeIndex)>> = vec![None; g.node_count()];
    if start.index() >= g.node_count() {
        return Vec::new();
    }
    dist[start.index()] = Some(0);
    let mut queue = VecDeque::from([start]);
    let mut order = Vec::new();
    while let Some(node) = queue.pop_front() {
        let d = dist[node.index()].unwrap_or(0);
        if d >= depth {
            continue;
        }
        for (other, edge) in incident(g, node) {
            if !follow(&g[edge]) || other == start {
                continue;
            }
            match dist[other.index()] {
                None => {
                    dist[other.index()] = Some(d + 1);
                    best[other.index()] = Some((g[edge].strength(), node, edge));
                    order.push(other);
                    queue.push_back(other);
                }
                Some(od) if od == d + 1 => {
                    let s = g[edge].strength();
                    if best[other.index()].is_none_or(|(bs, _, _)| s > bs) {
                        best[other.index()] = Some((s, node, edge));
                    }
                }
                Some(_) => {}
            }
        }
    }
    let mut out: Vec<(usize, f64, Reached)> = order
        .into_iter()
        .filter_map(|node| {
            let depth = dist[node.index()]?;
            let (s, via, edge) = best[node.index()]?;
            Some((
                depth,
                s,
                Reached {
                    node,
                    depth,
                    via,
                    edge,
                },
            ))
        })
        .collect();
    out.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.total_cmp(&a.1))
            .then(a.2.node.cmp(&b.2.node))
    });
    out.into_iter().map(|(_, _, r)| r).collect()
}

/// One hop of a path: from `from` to `to` over `edge` (which may point either way).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop {
    /// Where the hop starts.
    pub from: NodeIndex,
    /// Where it ends.
    pub to: NodeIndex,
    /// The relation crossed.
    pub edge: EdgeIndex,
}

/// The shortest connection from `from` to `to` over edges that pass `follow`: fewest hops
/// first, and among paths with that many hops, the one whose edges are strongest in total
/// ([`LinkInfo::strength`]; ties go to lower node indexes). `Some(vec![])` when
/// `from == to`; `None` when they are not connected.
///
/// # Complexity
/// O(V + E): one breadth-first search, then one pass over its layers.
///
/// ```
/// use paperkg::graph::algo::{shortest_path, EntityGraph, EntityInfo, LinkInfo};
/// use paperkg::graph::EntityRelation;
/// use paperkg::EntityType;
/// let mut g = EntityGraph::new();
/// let node = |g: &mut EntityGraph, name: &str| g.add_node(EntityInfo {
///     id: 0, name: name.into(), kind: EntityType::Model, family: None, papers: 1, mentions: 1,
/// });
/// let (a, b, c) = (node(&mut g, "A"), node(&mut g, "B"), node(&mut g, "C"));
/// let link = LinkInfo { relation: EntityRelation::CoMentioned, support: 1, sentences: 1, pmi: None };
/// g.add_edge(a, b, link);
/// g.add_edge(c, b, link);
/// let path = shortest_path(&g, a, c, &|_| true).unwrap();
/// assert_eq!(path.iter().map(|h| h.to).collect::<Vec<_>>(), [b, c]);
/// ```
pub fn shortest_path(
    g: &EntityGraph,
    from: NodeIndex,
    to: NodeIndex,
    follow: &dyn Fn(&LinkInfo) -> bool,
) -> Option<Vec<Hop>> {
    let n = g.node_count();
    if from.index() >= n || to.index() >= n {
        return None;
    }
    if from == to {
        return Some(Vec::new());
    }
    // Layered BFS; `score[v]` is the best total strength of a shortest path to v, with the
    // hop that achieves it.
    let mut dist: Vec<Option<usize>> = vec![None; n];
    let mut score: Vec<f64> = vec![f64::NEG_INFINITY; n];
    let mut back: Vec<Option<(NodeIndex, EdgeIndex)>> = vec![None; n];
    dist[from.index()] = Some(0);
    score[from.index()] = 0.0;
    let mut queue = VecDeque::from([from]);
    while let Some(node) = queue.pop_front() {
        let d = dist[node.index()].unwrap_or(0);
        if dist[to.index()].is_some_and(|dt| d >= dt) {
            break;
        }
        let mut edges: Vec<(NodeIndex, EdgeIndex)> = incident(g, node).collect();
        edges.sort_unstable();
        for (other, edge) in edges {
            if !follow(&g[edge]) {
                continue;
            }
            let candidate = score[node.index()] + g[edge].strength();
            match dist[other.index()] {
                None => {
                    dist[other.index()] = Some(d + 1);
                    score[other.index()] = candidate;
                    back[other.index()] = Some((node, edge));
                    queue.push_back(other);
                }
                Some(od) if od == d + 1 && candidate > score[other.index()] => {
                    score[other.index()] = candidate;
                    back[other.index()] = Some((node, edge));
                }
                Some(_) => {}
            }
        }
    }
    dist[to.index()]?;
    let mut hops = Vec::new();
    let mut at = to;
    while at != from {
        let (prev, edge) = back[at.index()]?;
        hops.push(Hop {
            from: prev,
            to: at,
            edge,
        });
        at = prev;
    }
    hops.reverse();
    Some(hops)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(g: &mut EntityGraph, name: &str) -> NodeIndex {
        g.add_node(EntityInfo {
            id: g.node_count() as i64 + 1,
            name: name.into(),
            kind: EntityType::Model,
            family: None,
            papers: 1,
            mentions: 1,
        })
    }

    fn co(support: usize, sentences: usize) -> LinkInfo {
        LinkInfo {
            relation: EntityRelation::CoMentioned,
            support,
            sentences,
            pmi: None,
        }
    }

    #[test]
    fn pmi_math() {
        // Independent: P(a,b) = P(a) P(b).
        assert_eq!(pmi(1, 4, 4, 16), Some(0.0));
        assert_eq!(pmi(4, 4, 4, 16), Some(2.0));
        let below = pmi(1, 8, 8, 16).unwrap();
        assert!((below - (-2.0)).abs() < 1e-12, "{below}");
        assert_eq!(pmi(0, 1, 1, 1), None);
        assert_eq!(pmi(1, 0, 1, 1), None);
        assert_eq!(pmi(1, 1, 1, 0), None);
        assert_eq!(pmi(3, 2, 5, 10), None, "joint above a marginal");
    }

    /// A – B – C – D, plus A – E – D with stronger edges, plus isolated F.
    fn sample() -> (EntityGraph, Vec<NodeIndex>) {
        let mut g = EntityGraph::new();
        let ns: Vec<NodeIndex> = ["A", "B", "C", "D", "E", "F"]
            .iter()
            .map(|n| node(&mut g, n))
            .collect();
        g.add_edge(ns[0], ns[1], co(1, 1));
        g.add_edge(ns[1], ns[2], co(1, 1));
        g.add_edge(ns[2], ns[3], co(1, 1));
        g.add_edge(ns[0], ns[4], co(5, 0));
        g.add_edge(
            ns[3],
            ns[4],
            LinkInfo {
                relation: EntityRelation::BasedOn,
                support: 2,
                sentences: 2,
                pmi: None,
            },
        );
        (g, ns)
    }

    #[test]
    fn shortest_path_takes_fewest_hops_then_strongest() {
        let (g, ns) = sample();
        let p = shortest_path(&g, ns[0], ns[3], &|_| true).unwrap();
        let via: Vec<NodeIndex> = p.iter().map(|h| h.to).collect();
        assert_eq!(via, [ns[4], ns[3]]);
        // The reverse direction walks edges backwards.
        let p = shortest_path(&g, ns[3], ns[0], &|_| true).unwrap();
        assert_eq!(p.iter().map(|h| h.to).collect::<Vec<_>>(), [ns[4], ns[0]]);
        // Only sentence-evidenced edges: the long way round.
        let p = shortest_path(&g, ns[0], ns[3], &|l| l.sentences > 0).unwrap();
        assert_eq!(
            p.iter().map(|h| h.to).collect::<Vec<_>>(),
            [ns[1], ns[2], ns[3]]
        );
        assert_eq!(shortest_path(&g, ns[0], ns[5], &|_| true), None);
        assert_eq!(shortest_path(&g, ns[0], ns[0], &|_| true), Some(vec![]));
        assert_eq!(
            shortest_path(&g, ns[0], NodeIndex::new(99), &|_| true),
            None
        );
    }

    #[test]
    fn shortest_path_prefers_stronger_of_equal_paths() {
        let mut g = EntityGraph::new();
        let ns: Vec<NodeIndex> = ["A", "B", "C", "D"]
            .iter()
            .map(|n| node(&mut g, n))
            .collect();
        g.add_edge(ns[0], ns[1], co(1, 0));
        g.add_edge(ns[1], ns[3], co(1, 0));
        g.add_edge(ns[0], ns[2], co(3, 3));
        g.add_edge(ns[2], ns[3], co(3, 3));
        let p = shortest_path(&g, ns[0], ns[3], &|_| true).unwrap();
        assert_eq!(p[0].to, ns[2]);
    }

    #[test]
    fn neighborhood_by_depth_and_filter() {
        let (g, ns) = sample();
        let r = neighborhood(&g, ns[0], 1, &|_| true);
        let nodes: Vec<NodeIndex> = r.iter().map(|x| x.node).collect();
        // B's edge has sentence evidence; E's only shared papers, however many.
        assert_eq!(nodes, [ns[1], ns[4]]);
        let r = neighborhood(&g, ns[0], 2, &|_| true);
        let at2: Vec<(NodeIndex, NodeIndex)> = r
            .iter()
            .filter(|x| x.depth == 2)
            .map(|x| (x.node, x.via))
            .collect();
        assert_eq!(at2.len(), 2);
        assert!(at2.contains(&(ns[3], ns[4])));
        assert!(at2.contains(&(ns[2], ns[1])));
        let r = neighborhood(&g, ns[3], 1, &|l| l.relation == EntityRelation::BasedOn);
        assert_eq!(r.iter().map(|x| x.node).collect::<Vec<_>>(), [ns[4]]);
        assert!(neighborhood(&g, ns[5], 3, &|_| true).is_empty());
        assert!(neighborhood(&g, NodeIndex::new(99), 3, &|_| true).is_empty());
    }

    #[test]
    fn degree_counts_distinct_neighbours() {
        let (mut g, ns) = sample();
        g.add_edge(ns[1], ns[0], co(1, 0));
        assert_eq!(degree(&g, ns[0]), 2);
        assert_eq!(degree(&g, ns[5]), 0);
    }

    #[test]
    fn pagerank_sums_to_one_and_orders_like_petgraph() {
        // A star around B plus a tail, all weights 1.
        let mut g = EntityGraph::new();
        let ns: Vec<NodeIndex> = ["A", "B", "C", "D", "E", "F"]
            .iter()
            .map(|n| node(&mut g, n))
            .collect();
        for (a, b) in [(0, 1), (2, 1), (3, 1), (4, 1), (4, 5)] {
            g.add_edge(ns[a], ns[b], co(1, 1));
        }
        let ours = pagerank(&g, 0.85, 100);
        assert!((ours.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        let mut un = petgraph::graph::UnGraph::<(), ()>::new_undirected();
        let us: Vec<NodeIndex> = (0..6).map(|_| un.add_node(())).collect();
        for (a, b) in [(0, 1), (2, 1), (3, 1), (4, 1), (4, 5)] {
            un.add_edge(us[a], us[b], ());
        }
        let theirs = petgraph::algo::page_rank(&un, 0.85_f64, 100);
        let order = |r: &[f64]| {
            let mut ix: Vec<usize> = (0..r.len()).collect();
            ix.sort_by(|&a, &b| r[b].total_cmp(&r[a]).then(a.cmp(&b)));
            ix
        };
        assert_eq!(order(&ours)[..2], order(&theirs)[..2]);
        assert_eq!(order(&ours)[0], 1);
        assert!(pagerank(&EntityGraph::new(), 0.85, 10).is_empty());
    }
}
