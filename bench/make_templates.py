#!/usr/bin/env python3
"""Derive data/synth/templates.tsv, the phrase bank of `paperkg synth`, from the bundled corpus.

Run once by hand when the bank should be refreshed (the bank is committed, so the generator's
output for a seed does not drift when extraction changes):

    cargo build --release
    python3 bench/make_templates.py > data/synth/templates.tsv

Every title and abstract sentence of data/samples becomes one template, with the entities
that `paperkg extract` finds replaced by slots:

    @model@ @method@ @dataset@         a known entity of that type (filled from the lexicon)
    @new-model@ @new-method@ ...       the name the paper coins (filled with a coined name)
    @def-model@ ...                    "Long Form Words (ACRONYM)" defining the coined name

Sentences are tagged by their place in the abstract: `open` (first), `close` (last),
`propose` (names the coined entity), `body` (the rest); titles are tagged `title`.
This script does not write anything itself: it prints the bank on stdout.
"""

import collections
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "paperkg")
SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!e\.g\.)(?<!i\.e\.)(?<!al\.)(?<!vs\.)(?<!etc\.)(?<!Fig\.)(?<!Eq\.)"
    r"\s+(?=[A-Z@(\"'])")
OWN_DEFINITION = re.compile(r"@new-(\w+)@ \(@new-\1@\)")
DEFINITION = re.compile(r"((?:[A-Z][\w-]*\s+(?:(?:of|for|and|with|in|the|to|via|a)\s+)?){1,6})\(@new-(\w+)@\)")


def norm(title):
    return " ".join("".join(c for c in w if c.isalnum()) for w in title.lower().split())


def listing_pairs():
    """(title, abstract) pairs of the listing pages: an abstract is a long line, its title
    the content line before it (chrome glued to the first title is cut off later)."""
    for path in sorted(glob.glob(os.path.join(ROOT, "data", "samples", "*.txt"))):
        lines = [l.strip() for l in open(path, encoding="utf-8") if l.strip()]
        for i, line in enumerate(lines):
            if len(line) > 300 and i > 0 and len(lines[i - 1]) < 300:
                yield lines[i - 1], line


def mask(text, surfaces):
    """Replaces every surface (longest first) bounded by non-alphanumerics with its slot."""
    for surface, slot in sorted(surfaces, key=lambda s: -len(s[0])):
        pattern = r"(?<![\w@])" + re.escape(surface) + r"(?![\w@])"
        text = re.sub(pattern, slot.replace("\\", "\\\\"), text)
    return text


def main():
    out = subprocess.run(
        [BIN, "extract", os.path.join(ROOT, "data", "samples")],
        check=True, capture_output=True, text=True,
    ).stdout
    papers = {}
    for line in out.splitlines():
        p = json.loads(line)
        papers[norm(p["title"])] = p
    seen = set()
    rows = collections.OrderedDict()
    for raw_title, abstract in listing_pairs():
        key = norm(raw_title)
        paper = papers.get(key) or next(
            (p for k, p in papers.items() if key.endswith(k)), None)
        if paper is None or paper["title"] in seen:
            continue
        seen.add(paper["title"])
        surfaces = []
        for e in paper["entities"]:
            slot = "@new-%s@" % e["type"] if e["proposed"] else "@%s@" % e["type"]
            for s in e["mentions"]:
                surfaces.append((s, slot))
        title = mask(paper["title"], surfaces)
        rows[("title", title)] = None
        body = OWN_DEFINITION.sub(r"@def-\1@", mask(abstract, surfaces))
        body = DEFINITION.sub(lambda m: "@def-%s@" % m.group(2), body)
        sentences = [s.strip() for s in SENTENCE_END.split(body) if s.strip()]
        for i, s in enumerate(sentences):
            if "@new-" in s or "@def-" in s:
                kind = "propose"
            elif i == 0:
                kind = "open"
            elif i == len(sentences) - 1:
                kind = "close"
            else:
                kind = "body"
            rows[(kind, s)] = None
    print("# paperkg synth phrase bank, derived from data/samples by bench/make_templates.py.")
    print("# kind <TAB> template; slots: @model@ @method@ @dataset@ (known entities),")
    print("# @new-TYPE@ (the paper's coined name), @def-TYPE@ (its long form and acronym).")
    for kind, text in rows:
        if "\t" in text:
            continue
        print("%s\t%s" % (kind, text))


if __name__ == "__main__":
    sys.exit(main())
