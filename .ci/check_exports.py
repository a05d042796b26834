#!/usr/bin/env python3
"""Reads paperkg's GraphML and node-link JSON exports back with networkx and checks that
their node and edge counts equal the database's (papers + entities; paper_entities +
edges). Used by .ci/run; usage: check_exports.py DB GRAPHML JSON"""
import json
import sqlite3
import sys

import networkx as nx


def main() -> int:
    db, graphml, node_link = sys.argv[1:4]
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    count = lambda table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    nodes = count("papers") + count("entities")
    edges = count("paper_entities") + count("edges")

    g = nx.read_graphml(graphml)
    with open(node_link, encoding="utf-8") as f:
        h = nx.node_link_graph(json.load(f), edges="links")
    ok = True
    for name, graph in (("graphml", g), ("json", h)):
        got = (graph.number_of_nodes(), graph.number_of_edges())
        print(f"{name}: {got[0]} nodes, {got[1]} edges (database: {nodes}, {edges})")
        ok &= got == (nodes, edges)
    types = {d.get("type") for _, d in g.nodes(data=True)}
    if not {"paper", "model", "method", "dataset"} <= types:
        print(f"graphml: node types {types}")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
