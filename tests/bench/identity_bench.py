#!/usr/bin/env python3
"""identity_bench.py - false positives and recall of `name-variant`.

    python3 tests/bench/identity_bench.py --server build/vault-lsp [--people 10000]
        [--seed 1] [--inject 0.2] [--base /tmp/idbench]
    python3 tests/bench/identity_bench.py --from-json CLEAN.json,INJECTED.json [...]

Generates with genpeople.py (or reuses, when its parameter stamp matches)
a clean vault of N distinct people whose meetings name them correctly and
the same vault with misspellings injected, runs `BIN check --format json`
on each (timed) and prints:

- clean vault: the `name-variant` diagnostics (every one is false), per
  1,000 people (the target is fewer than 1), the first 20 for reading;
- injected vault: TP / FP / FN, precision and recall per misspelling kind,
  per place and overall. A diagnostic is a TP when its path and line are
  those of an injected mention and its message names the intended card's
  path; any other `name-variant` diagnostic is a FP (charged to the kind
  and place of the injected mention on its line, if any); an injected
  mention without its TP is a FN.

--from-json scores saved outputs of `check --format json` instead of
running a server (paths in them may be vault-relative or start with the
vault's directory). The outputs of a run are saved beside the vaults as
clean.check.json and injected.check.json. Exits 0 whatever the numbers;
1 when the server crashed or could not run. Python 3 standard library only.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import genpeople  # noqa: E402

CODE = "name-variant"
MSG = re.compile(r"^'(?P<text>.*)' is probably (?P<name>.*) "
                 r"\((?P<card>[^()]*)\): a spelling not in its aliases$")


def ensure(out, people, seed, inject):
    stamp = {"version": genpeople.VERSION, "people": people, "seed": seed,
             "inject": inject}
    try:
        with open(os.path.join(out, ".genpeople.json")) as f:
            if json.load(f) == stamp:
                print("reusing %s" % out)
                return
    except (OSError, ValueError):
        pass
    meta, secs = genpeople.generate(people, seed, out, inject)
    print("generated %s in %.1f s (%d near pairs, %d injected)"
          % (out, secs, len(meta["nearPairs"]), len(meta["injected"])))


def run_check(server, vault, save):
    t0 = time.time()
    p = subprocess.run([server, "check", "--format", "json", vault],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    secs = time.time() - t0
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr.decode("utf-8", "replace")[-2000:])
        print("server failed on %s: exit status %d" % (vault, p.returncode))
        sys.exit(1)
    with open(save, "wb") as f:
        f.write(p.stdout)
    summary = p.stderr.decode("utf-8", "replace").strip().splitlines()
    return secs, summary[-1] if summary else ""


def load(path, vault):
    """The diagnostics of a saved output, with vault-relative paths."""
    out, root = [], os.path.abspath(vault)
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except ValueError:
                sys.exit("%s:%d: not JSON" % (path, n))
            p = d.get("path", "")
            for prefix in (root, vault):
                if p.startswith(prefix.rstrip("/") + "/"):
                    p = p[len(prefix.rstrip("/")) + 1:]
                    break
            d["rel"] = p
            out.append(d)
    return out


def card_of(d):
    m = MSG.match(d.get("message", ""))
    if m:
        return m.group("card")
    return None


def pct(a, b):
    return "%5.1f%%" % (100.0 * a / b) if b else "    -"


def score(diags, truth):
    """Per (kind, place): TP, FP, FN; plus the FPs on no injected line."""
    by_line = {}
    for i, t in enumerate(truth):
        by_line.setdefault((t["path"], t["line"]), []).append(i)
    found = [False] * len(truth)
    fp_on, fp_off, bad_msg = [], [], 0
    for d in diags:
        card = card_of(d)
        if card is None:
            bad_msg += 1
        hits = by_line.get((d["rel"], d.get("line")), [])
        tp = [i for i in hits if not found[i] and truth[i]["intended"] == card]
        if tp:
            found[tp[0]] = True
        elif hits:
            fp_on.append((hits[0], d))
        else:
            fp_off.append(d)
    return found, fp_on, fp_off, bad_msg


def table(label, groups, truth, found, fp_on):
    rows = {}
    for i, t in enumerate(truth):
        r = rows.setdefault(t[label], [0, 0, 0])
        r[0 if found[i] else 2] += 1
    for i, _ in fp_on:
        rows.setdefault(truth[i][label], [0, 0, 0])[1] += 1
    print("  %-16s %5s %5s %5s %10s %8s" % ("by " + label, "TP", "FP", "FN",
                                            "precision", "recall"))
    for g in groups + sorted(set(rows) - set(groups)):
        tp, fp, fn = rows.get(g, [0, 0, 0])
        print("  %-16s %5d %5d %5d %10s %8s" % (g, tp, fp, fn, pct(tp, tp + fp),
                                                pct(tp, tp + fn)))


def show(d):
    return "    %s:%s:%s: %s" % (d["rel"], d.get("line"), d.get("column"),
                                 d.get("message"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", help="the vault-lsp binary")
    ap.add_argument("--people", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--inject", type=float, default=0.2)
    ap.add_argument("--base", default="/tmp/idbench")
    ap.add_argument("--from-json", metavar="CLEAN.json,INJECTED.json",
                    help="score saved `check --format json` outputs")
    a = ap.parse_args()
    if not a.server and not a.from_json:
        ap.error("--server or --from-json is needed")
    top = os.path.join(a.base, "people-%d-seed-%d" % (a.people, a.seed))
    clean = os.path.join(top, "clean")
    injected = os.path.join(top, "injected-%g" % a.inject)
    ensure(clean, a.people, a.seed, 0.0)
    ensure(injected, a.people, a.seed, a.inject)
    with open(os.path.join(injected, ".identity-truth.json"), encoding="utf-8") as f:
        meta = json.load(f)
    truth = meta["injected"]

    if a.from_json:
        files = a.from_json.split(",")
        if len(files) != 2:
            ap.error("--from-json takes CLEAN.json,INJECTED.json")
        times = None
    else:
        files = [os.path.join(top, "clean.check.json"),
                 os.path.join(top, "injected-%g.check.json" % a.inject)]
        times = [run_check(a.server, v, f) for v, f in zip((clean, injected), files)]
    all_clean = load(files[0], clean)
    all_inj = load(files[1], injected)
    cd = [d for d in all_clean if d.get("code") == CODE]
    idg = [d for d in all_inj if d.get("code") == CODE]

    print()
    print("%d people, %d meetings, %d near pairs of cards (seed %d)"
          % (a.people, meta["meetings"], len(meta["nearPairs"]), a.seed))
    if times:
        print("check: clean %.2f s (%s); injected %.2f s (%s)"
              % (times[0][0], times[0][1], times[1][0], times[1][1]))
    print()
    print("clean vault: %d %s diagnostics, %.2f per 1,000 people (target < 1)"
          % (len(cd), CODE, 1000.0 * len(cd) / a.people))
    other = {}
    for d in all_clean:
        if d.get("code") != CODE:
            other[d.get("code")] = other.get(d.get("code"), 0) + 1
    if other:
        print("  other codes: " + ", ".join("%s %d" % kv for kv in sorted(other.items())))
    for d in cd[:20]:
        print(show(d))

    found, fp_on, fp_off, bad = score(idg, truth)
    tp, fn = sum(found), len(found) - sum(found)
    fp = len(fp_on) + len(fp_off)
    print()
    print("injected vault: %d misspelt mentions in %d meetings (rate %g)"
          % (len(truth), meta["meetings"], a.inject))
    table("kind", genpeople.KINDS, truth, found, fp_on)
    print()
    table("place", genpeople.PLACES, truth, found, fp_on)
    print()
    print("  overall: TP %d  FP %d (%d on an injected line, %d elsewhere)  FN %d"
          "  precision %s  recall %s" % (tp, fp, len(fp_on), len(fp_off), fn,
                                         pct(tp, tp + fp).strip(),
                                         pct(tp, tp + fn).strip()))
    if bad:
        print("  %d %s messages did not name a card in the expected form" % (bad, CODE))
    if fp_on:
        print("  FPs on an injected line (first 10):")
        for i, d in fp_on[:10]:
            print(show(d) + "   [meant %s]" % truth[i]["intended"])
    missed = [t for t, f in zip(truth, found) if not f]
    if missed and len(missed) < len(truth):
        print("  missed (first 10):")
        for t in missed[:10]:
            print("    %s:%d: '%s' (%s, %s) meant %s" % (
                t["path"], t["line"], t["text"], t["kind"], t["place"], t["name"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
