#!/usr/bin/env python3
"""The Python baseline of bench/run.sh: what paperkg build does, written with the usual stack.

    python3 bench/baseline.py --lexicon data/lexicon.tsv --out DIR CORPUS.jsonl

* spaCy: `spacy.blank("en")` (tokenizer only, no model download) and a `PhraseMatcher`
  loaded with every lexicon name and alias, plus the space / hyphen / no-separator variants
  paperkg's matcher also generates (`Llama 2`, `Llama-2`, `Llama2`). Entries whose case rule
  is `fold` (or, left empty, whose name has 6+ characters and a digit, hyphen, space or inner
  capital, as in paperkg) go to a matcher on `LOWER`; the rest to one on `ORTH` (exact case).
  Titles and abstracts go through `nlp.pipe`; overlapping matches keep the longest.
* networkx: a graph of paper and entity nodes, paper -> entity mention edges, and weighted
  entity - entity co-mention edges (entities named in the same paper).
* sqlite3: tables papers, entities, mentions and edges, written in one transaction.

Papers are deduplicated by id. What it does not do, unlike paperkg: discover names outside the
lexicon (coined names, acronym definitions), type relations, keep evidence sentences, draw DOT.
So the comparison flatters the baseline.
"""

import argparse
import itertools
import json
import os
import re
import sqlite3
import sys
import time

import networkx as nx
import spacy
from spacy.matcher import PhraseMatcher
from spacy.util import filter_spans

TYPES = ("model", "method", "dataset")


def folds(name, case):
    """paperkg's case rule: fold case for names that are never an ordinary word."""
    if case == "fold":
        return True
    if case == "exact":
        return False
    shaped = any(c.isdigit() for c in name) or any(c in " -" for c in name) or any(
        c.isupper() for c in name[1:])
    return len(name) >= 6 and shaped


def variants(name):
    """The name and its space / hyphen / no-separator spellings."""
    out = {name}
    if " " in name or "-" in name:
        for sep in (" ", "-", ""):
            out.add(re.sub(r"[ -]", sep, name))
    return out


def load_lexicon(path):
    """[(name, type, [surface forms], fold)] from a paperkg lexicon TSV."""
    entries = []
    for line in open(path, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t") + [""] * 5
        name, kind, aliases, _parent, case = (c.strip() for c in cols[:5])
        if kind not in TYPES:
            continue
        forms = set()
        for form in [name] + [a.strip() for a in aliases.split("|") if a.strip()]:
            forms |= variants(form)
        entries.append((name, kind, sorted(forms), case))
    return entries


def read_papers(path):
    """(id, title, abstract) per JSON line, whitespace collapsed, first occurrence only."""
    seen = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            pid = str(rec.get("id") or rec.get("title", ""))
            if pid in seen:
                continue
            seen.add(pid)
            title = " ".join(str(rec.get("title", "")).split())
            abstract = " ".join(str(rec.get("abstract", "")).split())
            if title and abstract:
                yield pid, title, abstract


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--lexicon", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--batch-size", type=int, default=1000)
    args = ap.parse_args()
    started = time.perf_counter()

    nlp = spacy.blank("en")
    nlp.max_length = 10_000_000
    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    folded = PhraseMatcher(nlp.vocab, attr="LOWER")
    entries = load_lexicon(args.lexicon)
    for i, (name, _kind, forms, case) in enumerate(entries):
        matcher = folded if folds(name, case) else exact
        matcher.add(str(i), list(nlp.tokenizer.pipe(forms)))

    os.makedirs(args.out, exist_ok=True)
    db_path = os.path.join(args.out, "baseline.sqlite")
    if os.path.exists(db_path):
        os.remove(db_path)
    db = sqlite3.connect(db_path)
    db.executescript("""
        CREATE TABLE papers (id INTEGER PRIMARY KEY, key TEXT UNIQUE, title TEXT, abstract TEXT);
        CREATE TABLE entities (id INTEGER PRIMARY KEY, name TEXT, type TEXT);
        CREATE TABLE mentions (paper_id INTEGER, entity_id INTEGER, surface TEXT, start INTEGER);
        CREATE TABLE edges (src INTEGER, dst INTEGER, kind TEXT, weight INTEGER);
    """)
    graph = nx.Graph()
    entity_ids = {}
    paper_rows, mention_rows = [], []
    papers = 0
    db.execute("BEGIN")

    def flush():
        db.executemany("INSERT INTO papers VALUES (?, ?, ?, ?)", paper_rows)
        db.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?)", mention_rows)
        paper_rows.clear()
        mention_rows.clear()

    stream = read_papers(args.corpus)
    pairs = ((f"{title}\n{abstract}", (pid, title, abstract)) for pid, title, abstract in stream)
    for doc, (pid, title, abstract) in nlp.pipe(pairs, batch_size=args.batch_size, as_tuples=True):
        papers += 1
        paper_node = ("paper", papers)
        graph.add_node(paper_node, key=pid)
        paper_rows.append((papers, pid, title, abstract))
        ids = {}
        for match_id, s, e in itertools.chain(exact(doc), folded(doc)):
            ids[(s, e)] = match_id
        named = set()
        for span in filter_spans([doc[s:e] for s, e in ids]):
            name, kind, _forms, _case = entries[int(nlp.vocab.strings[ids[(span.start, span.end)]])]
            key = (kind, name)
            eid = entity_ids.get(key)
            if eid is None:
                eid = entity_ids[key] = len(entity_ids) + 1
                graph.add_node(("entity", eid), name=name, type=kind)
            mention_rows.append((papers, eid, span.text, span.start_char))
            named.add(eid)
        for eid in named:
            graph.add_edge(paper_node, ("entity", eid), kind="mentions")
        for a, b in itertools.combinations(sorted(named), 2):
            u, v = ("entity", a), ("entity", b)
            if graph.has_edge(u, v):
                graph[u][v]["weight"] += 1
            else:
                graph.add_edge(u, v, kind="co_mention", weight=1)
        if len(paper_rows) >= 10_000:
            flush()
    flush()
    db.executemany(
        "INSERT INTO entities VALUES (?, ?, ?)",
        ((eid, name, kind) for (kind, name), eid in entity_ids.items()))
    edge_rows = []
    for u, v, data in graph.edges(data=True):
        if u[0] == "entity" and v[0] == "entity":
            edge_rows.append((u[1], v[1], "co_mention", data["weight"]))
        else:
            paper, entity = (u, v) if u[0] == "paper" else (v, u)
            edge_rows.append((paper[1], entity[1], "mentions", 1))
    db.executemany("INSERT INTO edges VALUES (?, ?, ?, ?)", edge_rows)
    db.commit()
    db.close()
    print(json.dumps({
        "papers": papers,
        "entities": len(entity_ids),
        "mentions_edges": sum(1 for r in edge_rows if r[2] == "mentions"),
        "co_mention_edges": sum(1 for r in edge_rows if r[2] == "co_mention"),
        "seconds": round(time.perf_counter() - started, 2),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
