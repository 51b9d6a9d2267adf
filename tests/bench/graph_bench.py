#!/usr/bin/env python3
"""graph_bench.py — the graph read backwards, timed: references,
documentHighlight, codeLens and codeLens/resolve on a vault's most-linked
notes, renaming them (the WorkspaceEdit computed, not applied) and moving
a folder (workspace/willRenameFiles), as round trips over pipes, with the
memory the reference index adds.

    python3 tests/bench/graph_bench.py --server build/vault-lsp --vault /tmp/vault-bench-100000

The vault is any folder (tests/bench/genvault.py makes them). The notes
with the most inbound links are found by reading the vault here (a link's
last path component, case-folded, counted per file stem), so the figures
are for the heaviest notes, not typical ones. The first references request
builds the index of names outside links: its time and the RSS it adds are
printed apart.
"""
import argparse
import os
import random
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import (Server, fmt_bytes, initialize_params, lat, list_notes, now, pct,  # noqa: E402
                   read_text, uri_of)

LINK = re.compile(r"\[\[([^\]|#\n]+)")


def most_linked(notes, k):
    """The k notes with the most links to their stem, with the counts."""
    by_stem = {}
    for p in notes:
        by_stem.setdefault(os.path.splitext(os.path.basename(p))[0].lower(), []).append(p)
    counts = {}
    for p in notes:
        for m in LINK.finditer(read_text(p)):
            t = m.group(1).strip()
            if t.lower().endswith(".md"):
                t = t[:-3]
            t = t.rsplit("/", 1)[-1].lower()
            if t in by_stem:
                counts[t] = counts.get(t, 0) + 1
    # A stem two notes share makes its links ambiguous: left out.
    top = sorted(((s, n) for s, n in counts.items() if len(by_stem[s]) == 1),
                 key=lambda kv: -kv[1])[:k]
    return [(by_stem[s][0], n) for s, n in top]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--vault", required=True)
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--notes", type=int, default=5, help="how many of the most-linked notes")
    ap.add_argument("--log", default="/tmp/graph-bench-server.log")
    ap.add_argument("--folder", default="Contacts", help="the folder willRenameFiles moves")
    ap.add_argument("--moves", type=int, default=5, help="willRenameFiles samples")
    args = ap.parse_args()
    rng = random.Random(1)
    root = os.path.realpath(args.vault)
    notes = list_notes(root)
    t = now()
    top = most_linked(notes, args.notes)
    print(f"{len(notes)} notes; most linked: " +
          ", ".join(f"{os.path.basename(p)} ({n})" for p, n in top) +
          f" (counted in {now() - t:.1f} s)")

    s = Server([args.server, "--log-level", "warn", "--no-cache"], args.log)
    init = initialize_params(root, progress=False)
    init["capabilities"]["workspace"] = {"workspaceEdit": {
        "documentChanges": True, "resourceOperations": ["create", "rename", "delete"]}}
    s.call("initialize", init, timeout=3600)
    s.notify("initialized", {})
    first = top[0][0]
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri_of(first), "languageId": "markdown", "version": 1, "text": read_text(first)}})
    t = now()
    s.call("textDocument/documentSymbol", {"textDocument": {"uri": uri_of(first)}}, timeout=3600)
    print(f"indexed, first answer after {now() - t:.1f} s")
    s.settle(2.0, 1800)
    rss0 = s.rss().get("VmRSS", 0)
    pos = {"textDocument": {"uri": uri_of(first)}, "position": {"line": 0, "character": 0},
           "context": {"includeDeclaration": True}}
    build, res, _ = s.call("textDocument/references", pos, timeout=600)
    rss1 = s.rss().get("VmRSS", 0)
    print(f"first references (builds the index of names outside links): {build * 1e3:.0f} ms, "
          f"{len(res or [])} locations; RSS {fmt_bytes(rss0)} -> {fmt_bytes(rss1)} "
          f"(+{fmt_bytes(rss1 - rss0)})")

    for p, _ in top[1:]:
        s.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri_of(p), "languageId": "markdown", "version": 1, "text": read_text(p)}})
    s.settle(1.0, 600)

    rows = []
    for method, params_of in (
        ("textDocument/references", lambda u: {"textDocument": {"uri": u},
                                               "position": {"line": 0, "character": 0},
                                               "context": {"includeDeclaration": True}}),
        ("textDocument/documentHighlight", lambda u: {"textDocument": {"uri": u},
                                                      "position": {"line": 0, "character": 0}}),
        ("textDocument/codeLens", lambda u: {"textDocument": {"uri": u}}),
    ):
        times, cpus, sizes, counts = [], [], [], []
        for i in range(args.samples):
            p, _ = top[i % len(top)]
            rid, req = s.request_bytes(method, params_of(uri_of(p)))
            dt, dc, msg, n = s.timed_request(rid, req)
            times.append(dt)
            cpus.append(dc)
            sizes.append(n)
            counts.append(len(msg.get("result") or []))
        rows.append((method, times, cpus, statistics.mean(counts), statistics.mean(sizes)))
    # codeLens/resolve: the note's lens, which counts its references.
    lenses = {}
    for p, _ in top:
        lenses[p] = s.call("textDocument/codeLens", {"textDocument": {"uri": uri_of(p)}})[1][0]
    times, cpus, sizes = [], [], []
    titles = set()
    for i in range(args.samples):
        p, _ = top[i % len(top)]
        rid, req = s.request_bytes("codeLens/resolve", lenses[p])
        dt, dc, msg, n = s.timed_request(rid, req)
        times.append(dt)
        cpus.append(dc)
        sizes.append(n)
        titles.add(msg["result"]["command"]["title"])
    rows.append(("codeLens/resolve", times, cpus, 1, statistics.mean(sizes)))
    # rename: the most-linked notes, from their first line (computed only).
    times, cpus, sizes, counts = [], [], [], []
    for i in range(args.samples):
        p, _ = top[i % len(top)]
        rid, req = s.request_bytes("textDocument/rename", {
            "textDocument": {"uri": uri_of(p)}, "position": {"line": 0, "character": 0},
            "newName": os.path.splitext(os.path.basename(p))[0] + " Renamed"})
        dt, dc, msg, n = s.timed_request(rid, req)
        times.append(dt)
        cpus.append(dc)
        sizes.append(n)
        counts.append(sum(len(c.get("edits", [])) for c in msg["result"]["documentChanges"]))
    rows.append(("textDocument/rename", times, cpus, statistics.mean(counts), statistics.mean(sizes)))
    # willRenameFiles: a folder moved in the explorer.
    folder = os.path.join(root, args.folder)
    n_in = sum(1 for p in notes if p.startswith(folder + "/"))
    times, cpus, sizes, counts = [], [], [], []
    for _ in range(args.moves):
        rid, req = s.request_bytes("workspace/willRenameFiles", {"files": [{
            "oldUri": uri_of(folder), "newUri": uri_of(os.path.join(root, "Moved", args.folder))}]})
        dt, dc, msg, n = s.timed_request(rid, req)
        times.append(dt)
        cpus.append(dc)
        sizes.append(n)
        res = msg.get("result") or {}
        counts.append(sum(len(c.get("edits", [])) for c in res.get("documentChanges", [])))
    rows.append((f"willRenameFiles ({n_in} notes)", times, cpus, statistics.mean(counts),
                 statistics.mean(sizes)))
    print(f"lens titles: {', '.join(sorted(titles))}")
    print(f"{'request':32} {'round trip ms: median / p99 / max':36} {'server CPU p99 ms':18} "
          f"{'results':8} bytes")
    for method, times, cpus, count, size in rows:
        print(f"{method:32} {lat(times):36} {pct(cpus, 99) * 1e3:<18.2f} {count:<8.0f} {size:.0f}")
    rss = s.rss()
    print(f"RSS now {fmt_bytes(rss.get('VmRSS', 0))}, peak {fmt_bytes(rss.get('VmHWM', 0))}")
    s.shutdown()


if __name__ == "__main__":
    main()
