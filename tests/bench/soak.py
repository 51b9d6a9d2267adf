#!/usr/bin/env python3
"""soak.py — memory under a long editing session.

Opens NOTES notes of a vault, then for SECONDS makes random edits (insert
a character or a word, delete a span), and after every fifth edit one
request (completion, hover, definition, document symbols, folding, code
actions). Prints the server's RSS every few seconds and, at the end, how
much it grew after warm-up, per edit.

  python3 tests/bench/soak.py --server build/vault-lsp --vault /tmp/gv10k
      [--seconds 120] [--notes 20] [--mode random|same|new-word] [--seed 1]

Modes: random edits; `same` inserts and deletes the same character at one
place; `new-word` inserts and deletes a word never seen before.
Exit status 1 when --max-growth MB is given and the growth after warm-up
exceeds it.
"""
import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import Server, initialize_params, list_notes, read_text, uri_of  # noqa: E402

WORDS = ("meeting project budget alice plan review the customer renewal risk "
         "contract call deck hiring roadmap - [[ ]] # \n").split(" ")


def pos_of(text, off):
    """LSP position (UTF-16) of character offset off."""
    before = text[:off]
    line = before.count("\n")
    col = off - (before.rfind("\n") + 1)
    seg = before[before.rfind("\n") + 1:]
    return {"line": line, "character": len(seg.encode("utf-16-le")) // 2 if col else 0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--vault", required=True)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--notes", type=int, default=20)
    ap.add_argument("--mode", choices=("random", "same", "new-word", "new-link", "new-tag", "new-heading"), default="random")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--warmup", type=float, default=0.25, help="fraction of the run")
    ap.add_argument("--max-growth", type=float, default=None, help="MB")
    a = ap.parse_args()

    rng = random.Random(a.seed)
    root = os.path.abspath(a.vault)
    s = Server([os.path.abspath(a.server), "--no-cache"], "/dev/null")
    s.call("initialize", initialize_params(root))
    s.notify("initialized", {})
    s.settle(quiet=1.0, max_wait=600)

    paths = sorted(list_notes(root))
    rng.shuffle(paths)
    docs = []
    for p in paths[:a.notes]:
        text = read_text(p)
        uri = uri_of(p)
        s.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": text}})
        docs.append({"uri": uri, "text": text, "version": 1})
    s.settle(quiet=1.0, max_wait=600)

    # same / new-word edit the open note with the most bullets (facts).
    target = max(docs, key=lambda d: d["text"].count("\n- "))
    samples = []
    edits = 0
    serial = 0
    t0 = time.monotonic()
    next_sample = t0
    same_pending = False
    while True:
        t = time.monotonic() - t0
        if t >= a.seconds:
            break
        d = docs[edits % len(docs)] if a.mode == "random" else target
        text = d["text"]
        if a.mode != "random":
            # Inside the first bullet (a fact), else near the start.
            b = text.find("\n- ")
            off = b + 3 if b >= 0 else min(len(text), 40)
            if not same_pending:
                serial += 1
                word = "w%dq%x" % (serial, serial * 7919)
                new = {"same": "x", "new-word": " " + word, "new-link": " [[%s]]" % word,
                       "new-tag": " #%s" % word, "new-heading": "\n## %s\n" % word}[a.mode]
                rng_range = (off, off)
                d["inserted"] = new
            else:
                new = ""
                rng_range = (off, off + len(d["inserted"]))
            same_pending = not same_pending
        else:
            off = rng.randrange(len(text) + 1)
            if rng.random() < 0.5 or len(text) < 100:
                new = rng.choice(WORDS) if rng.random() < 0.7 else rng.choice("abcxyz ")
                rng_range = (off, off)
            else:
                new = ""
                rng_range = (off, min(len(text), off + rng.randint(1, 8)))
        start, end = pos_of(text, rng_range[0]), pos_of(text, rng_range[1])
        d["text"] = text[:rng_range[0]] + new + text[rng_range[1]:]
        d["version"] += 1
        s.notify("textDocument/didChange", {
            "textDocument": {"uri": d["uri"], "version": d["version"]},
            "contentChanges": [{"range": {"start": start, "end": end}, "text": new}]})
        edits += 1
        if edits % 5 == 0:
            p = pos_of(d["text"], rng.randrange(len(d["text"]) + 1))
            td = {"uri": d["uri"]}
            kind = (edits // 5) % 6
            if kind == 0:
                s.call("textDocument/completion", {"textDocument": td, "position": p})
            elif kind == 1:
                s.call("textDocument/hover", {"textDocument": td, "position": p})
            elif kind == 2:
                s.call("textDocument/definition", {"textDocument": td, "position": p})
            elif kind == 3:
                s.call("textDocument/documentSymbol", {"textDocument": td})
            elif kind == 4:
                s.call("textDocument/foldingRange", {"textDocument": td})
            else:
                s.call("textDocument/codeAction", {"textDocument": td,
                       "range": {"start": p, "end": p}, "context": {"diagnostics": []}})
        else:
            try:
                while True:
                    s.recv(0)
            except Exception:
                pass
        if time.monotonic() >= next_sample:
            samples.append((time.monotonic() - t0, edits, s.rss()["VmRSS"]))
            print("%6.1f s %7d edits  RSS %7.1f MB" % (samples[-1][0], edits,
                  samples[-1][2] / 1e6), flush=True)
            next_sample += max(1.0, a.seconds / 20)
    s.settle(quiet=1.0, max_wait=120)
    samples.append((time.monotonic() - t0, edits, s.rss()["VmRSS"]))
    s.shutdown()

    warm = [x for x in samples if x[0] >= a.seconds * a.warmup]
    w0, w1 = warm[0], samples[-1]
    grew = (w1[2] - w0[2]) / 1e6
    per_edit = (w1[2] - w0[2]) / max(1, w1[1] - w0[1])
    print("mode %s: %d edits in %.0f s; RSS %.1f -> %.1f MB after warm-up (%+.1f MB, %.0f bytes/edit)"
          % (a.mode, edits, samples[-1][0], w0[2] / 1e6, w1[2] / 1e6, grew, per_edit))
    if a.max_growth is not None and grew > a.max_growth:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
