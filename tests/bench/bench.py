#!/usr/bin/env python3
"""bench.py - end-to-end performance of vault-lsp on generated vaults.

    python3 tests/bench/bench.py --notes 1000,10000 [--server build/vault-lsp]

For each size N it generates /tmp/vault-bench-N with genvault.py (or reuses
it when its .genvault.json matches), starts the real server over pipes and
prints one table with a column per size:

  - initialize: spawn -> response, and request -> response;
  - indexing: initialize sent -> $/progress "end" (the client offers
    window.workDoneProgress and answers window/workDoneProgress/create), and
    in a second server without progress: initialize sent -> the answer to a
    completion sent at once (from the notes indexed so far), and to a
    documentLink (which waits for the whole index);
  - peak RSS of the server (VmHWM, read just before shutdown);
  - completion after "[[" + 1, 2, 3 typed characters, prefixes taken from
    real note names, and + the first 3 letters of a name's last word, by a
    client without completionItem/resolve (documentation inline) and, in
    the second server, by one with it; hover and definition on links; the time from a
    didChange to the publishDiagnostics carrying its version, with 1 and
    with 20 notes open; workspace/symbol after 1-3 characters, its first
    request and the memory its tables add. Latencies are client-side
    round trips: from the write of prebuilt request bytes to the arrival
    of the last byte of the matching message (JSON decoding is not
    included);
  - unlinked mentions: the first vault-lsp.unlinkedMentions command (it
    builds the index; the RSS it adds), then the command and a codeAction
    (refactor) on random people and customers;
  - warm starts from the index cache (a cache folder of the run's own):
    spawn -> answer to the first request that needs the index, with
    nothing changed and with 1% of the notes changed (on a copy of the
    vault), median of three and its range, and the cache's size;
    the other rows start the server with --no-cache, as cold as before;
  - `vault-lsp check DIR` (wall, CPU, max RSS);
  - floors: `cat` of every note (warm cache) and `cmark` over all notes'
    bytes (one core).

Python 3 standard library only; needs `cmark` on PATH for the last row
(apt-get install cmark).
"""
import argparse
import json
import os
import random
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import genvault  # noqa: E402

GENERATOR = 4  # bump with genvault.py's "generator" when its output changes

now = time.perf_counter


# ---- LSP client ----------------------------------------------------------------

def frame(obj):
    body = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def uri_of(path):
    return "file://" + urllib.parse.quote(os.path.abspath(path))


def u16len(s):
    return len(s.encode("utf-16-le")) // 2


class Timeout(Exception):
    pass


class Server:
    """A synchronous client: one thread writes and reads, so the time a
    response arrives is taken as soon as its last byte is read."""

    def __init__(self, cmd, log_path, env=None):
        self.log = open(log_path, "ab")
        self.t_spawn = now()
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=self.log, bufsize=0, env=env)
        self.fin = self.p.stdin.fileno()
        self.fout = self.p.stdout.fileno()
        self.buf = bytearray()
        self.next_id = 1
        self.progress = []   # (t, value)
        self.diags = {}      # uri -> (t, version, n)
        self.pubs = {}       # uri -> number of publications
        self.progress_token = None

    # -- sending
    def new_id(self):
        i = self.next_id
        self.next_id += 1
        return i

    def write(self, data):
        mv = memoryview(data)
        while mv:
            n = os.write(self.fin, mv)
            mv = mv[n:]

    def request_bytes(self, method, params):
        i = self.new_id()
        return i, frame({"jsonrpc": "2.0", "id": i, "method": method, "params": params})

    def notify(self, method, params):
        self.write(frame({"jsonrpc": "2.0", "method": method, "params": params}))

    # -- receiving
    def _read_raw(self, deadline):
        """(arrival time, body bytes) of the next message."""
        while True:
            h = self.buf.find(b"\r\n\r\n")
            if h >= 0:
                m = re.search(rb"Content-Length:\s*(\d+)", bytes(self.buf[:h]), re.I)
                n = int(m.group(1))
                end = h + 4 + n
                if len(self.buf) >= end:
                    t = self._t_last
                    body = bytes(self.buf[h + 4:end])
                    del self.buf[:end]
                    return t, body
            wait = deadline - now()
            if wait <= 0:
                raise Timeout()
            r, _, _ = select.select([self.fout], [], [], wait)
            if not r:
                continue
            chunk = os.read(self.fout, 1 << 20)
            self._t_last = now()
            if not chunk:
                raise EOFError("server closed its output (exit code %s)" % self.p.poll())
            self.buf += chunk

    def recv(self, timeout=600):
        """Next message, with its arrival time; answers server requests."""
        t, body = self._read_raw(now() + timeout)
        msg = json.loads(body)
        method = msg.get("method")
        if method is not None and "id" in msg:
            if method == "window/workDoneProgress/create":
                self.progress_token = msg["params"].get("token")
                self.write(frame({"jsonrpc": "2.0", "id": msg["id"], "result": None}))
                self.t_create_answered = now()
            elif method == "workspace/configuration":
                items = msg["params"].get("items", [])
                self.write(frame({"jsonrpc": "2.0", "id": msg["id"], "result": [None] * len(items)}))
            else:
                self.write(frame({"jsonrpc": "2.0", "id": msg["id"],
                                  "error": {"code": -32601, "message": "not supported"}}))
        elif method == "$/progress":
            self.progress.append((t, msg["params"].get("value", {})))
        elif method == "textDocument/publishDiagnostics":
            p = msg["params"]
            self.diags[p["uri"]] = (t, p.get("version"), len(p.get("diagnostics", [])))
            self.pubs[p["uri"]] = self.pubs.get(p["uri"], 0) + 1
            if p.get("version") is None and p.get("diagnostics"):
                self.t_last_pub = t  # a closed note's diagnostics
        return t, msg, len(body)

    def wait_response(self, rid, timeout=600):
        deadline = now() + timeout
        while True:
            t, msg, n = self.recv(max(0.0, deadline - now()))
            if msg.get("id") == rid and "method" not in msg:
                if "error" in msg:
                    raise RuntimeError("request %d failed: %s" % (rid, msg["error"]))
                return t, msg, n

    def wait_diag(self, uri, version, timeout=600):
        deadline = now() + timeout
        while True:
            d = self.diags.get(uri)
            if d and d[1] == version:
                return d
            self.recv(max(0.0, deadline - now()))

    def settle(self, quiet=1.0, max_wait=300):
        """Reads until the server has used no CPU for `quiet` seconds.
        True if it did within max_wait."""
        deadline = now() + max_wait
        last_cpu, last_change, next_check = self.cpu(), now(), now() + 0.2
        while now() < deadline:
            try:
                self.recv(0.2)
            except Timeout:
                pass
            if now() >= next_check:
                next_check = now() + 0.2
                c = self.cpu()
                if c - last_cpu > 0.002:
                    last_cpu, last_change = c, now()
                elif now() - last_change > quiet:
                    return True
        return False

    def call(self, method, params, timeout=600):
        rid, b = self.request_bytes(method, params)
        t0 = now()
        self.write(b)
        t, msg, n = self.wait_response(rid, timeout)
        return t - t0, msg.get("result"), n

    def cpu(self):
        """CPU seconds used so far by all the server's threads (ns precision)."""
        t = 0
        base = "/proc/%d/task" % self.p.pid
        for tid in os.listdir(base):
            try:
                with open("%s/%s/schedstat" % (base, tid)) as f:
                    t += int(f.read().split()[0])
            except OSError:
                pass
        return t / 1e9

    def cpu_total(self):
        """CPU seconds of the whole process, exited threads included (10 ms ticks)."""
        with open("/proc/%d/stat" % self.p.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def timed_request(self, rid, req):
        """(wall round trip, server CPU, response, bytes) of a prebuilt request."""
        c0 = self.cpu()
        t0 = now()
        self.write(req)
        t, msg, n = self.wait_response(rid)
        return t - t0, self.cpu() - c0, msg, n

    def rss(self):
        out = {}
        with open("/proc/%d/status" % self.p.pid) as f:
            for line in f:
                if line.startswith(("VmHWM", "VmRSS")):
                    k, v = line.split(":")
                    out[k] = int(v.split()[0]) * 1024
        return out

    def shutdown(self):
        try:
            self.call("shutdown", None, timeout=60)
            self.notify("exit", None)
            self.p.wait(timeout=30)
        except Exception:
            self.p.kill()
            self.p.wait()
        self.log.close()


def initialize_params(root, progress=True, resolve=False):
    item = {"snippetSupport": False}
    if resolve:  # documentation on completionItem/resolve, not inline
        item["resolveSupport"] = {"properties": ["documentation"]}
    caps = {"textDocument": {"completion": {"completionItem": item},
                             "hover": {"contentFormat": ["markdown", "plaintext"]},
                             "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
                             "publishDiagnostics": {"versionSupport": True}},
            "general": {"positionEncodings": ["utf-16"]}}
    if progress:
        caps["window"] = {"workDoneProgress": True}
    return {"processId": os.getpid(), "rootUri": uri_of(root),
            "workspaceFolders": [{"uri": uri_of(root), "name": os.path.basename(root)}],
            "capabilities": caps}


# ---- statistics ---------------------------------------------------------------

def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def lat(xs):
    """'median / p99 / max' in ms."""
    if not xs:
        return "n/a"
    ms = [x * 1e3 for x in xs]
    return "%s / %s / %s" % (fmt_ms(statistics.median(ms)), fmt_ms(pct(ms, 99)), fmt_ms(max(ms)))


def fmt_ms(ms):
    if ms < 1:
        return "%.3f" % ms
    if ms < 10:
        return "%.2f" % ms
    if ms < 1000:
        return "%.1f" % ms
    return "%.0f" % ms


def fmt_s(s):
    return "%.3f s" % s if s < 10 else "%.1f s" % s


def fmt_bytes(n):
    return "%.1f MiB" % (n / 1048576)


# ---- the vault ---------------------------------------------------------------

def ensure_vault(n, seed, dup_rate, base):
    out = "%s-%d" % (base, n)
    meta_path = os.path.join(out, ".genvault.json")
    try:
        with open(meta_path) as f:
            meta = json.load(f)
        if (meta.get("notes"), meta.get("seed"), meta.get("dup_rate"), meta.get("generator")) == \
                (n, seed, dup_rate, GENERATOR):
            print("reusing %s (%.1f MB)" % (out, meta["bytes"] / 1e6), file=sys.stderr)
            return out, meta
    except (OSError, ValueError):
        pass
    if os.path.exists(out):
        shutil.rmtree(out)
    print("generating %s ..." % out, file=sys.stderr)
    meta = genvault.generate(n, out, seed, dup_rate)
    return out, meta


def list_notes(root):
    res = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for f in sorted(files):
            if f.endswith(".md") and not f.startswith("."):
                res.append(os.path.join(d, f))
    return res


def read_text(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace")


LINK_RE = re.compile(r"!?\[\[([^\]\n]+?)\]\]")


def link_positions(text):
    """(line, utf16 col) inside the target of every wikilink outside code."""
    res = []
    fence = False
    for ln, line in enumerate(text.split("\n")):
        s = line.lstrip()
        if s.startswith("```") or s.startswith("~~~"):
            fence = not fence
            continue
        if fence or "`" in line:
            continue
        for m in LINK_RE.finditer(line):
            col = m.start(1) + min(2, max(0, len(m.group(1)) - 1))
            res.append((ln, u16len(line[:col])))
    return res


# ---- the measurements ----------------------------------------------------------

def measure_lsp(server, root, notes, rng, samples, log_path, settle_max):
    r = {}
    # 1. initialize and indexing with $/progress.
    s = Server([server, "--log-level", "warn", "--no-cache"], log_path)
    rid, b = s.request_bytes("initialize", initialize_params(root, progress=True))
    t0 = now()
    s.write(b)
    t_init, _, _ = s.wait_response(rid, 60)
    r["init_spawn"] = t_init - s.t_spawn
    r["init_rt"] = t_init - t0
    s.notify("initialized", {})
    t_end = None
    begun = False
    deadline = now() + 3600
    while t_end is None:
        try:
            t, msg, _ = s.recv(5 if not begun else max(1, deadline - now()))
        except Timeout:
            if not begun:
                break  # the server never began: indexing ended before the create was answered
            raise
        if msg.get("method") == "$/progress":
            v = msg["params"]["value"]
            begun = True
            if v.get("kind") == "end":
                t_end = t
                r["index_cpu"] = s.cpu_total()
                r["index_msg"] = v.get("message", "")
    r["index_progress"] = (t_end - t0) if t_end else None
    by_size = sorted(notes, key=lambda p: abs(os.path.getsize(p) - 6000))
    meeting = next(p for p in by_size if "/Meetings/" in p)

    # 2. After the index, every note is diagnosed and published, a batch at
    # a time between messages. Time requests meanwhile, then wait for quiet.
    def close_all(uris):
        """Closes documents and waits for their empty publications."""
        for x in uris:
            s.notify("textDocument/didClose", {"textDocument": {"uri": x}})
        for x in uris:
            s.wait_diag(x, None)

    mu, mt = uri_of(meeting), read_text(meeting)
    s.notify("textDocument/didOpen", {"textDocument": {"uri": mu, "languageId": "markdown",
                                                       "version": 1, "text": mt}})
    s.wait_diag(mu, 1)
    mpos = link_positions(mt)
    pre = [s.request_bytes("textDocument/definition", {
        "textDocument": {"uri": mu}, "position": {"line": ln, "character": col}})
        for ln, col in (mpos[i % len(mpos)] for i in range(min(samples, 100)))]
    r["def_busy"] = [s.timed_request(rid, req)[0] for rid, req in pre]
    close_all([mu])
    c_settle = s.cpu_total()
    settled = s.settle(1.0, settle_max)
    t_last = getattr(s, "t_last_pub", None)
    r["vault_diags"] = ("%s%s" % ("" if settled else "> ", fmt_s((t_last if settled else now()) - t0)),
                        sum(1 for u in s.diags if s.diags[u][2]), s.cpu_total() - r.get("index_cpu", 0))

    # 3. latencies on the indexed, quiet server.
    stems = [os.path.splitext(os.path.basename(p))[0] for p in notes]

    r.update(measure_completion(s, meeting, stems, rng, samples, settle_max, "compl"))

    # Hover and definition on links of a few link-rich notes.
    rich = sorted(notes[::max(1, len(notes) // 200)],
                  key=lambda p: -len(link_positions(read_text(p))))[:5]
    pos = []
    for p in rich:
        u = uri_of(p)
        s.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "markdown",
                                                           "version": 1, "text": read_text(p)}})
        s.wait_diag(u, 1)
        pos += [(u, ln, col) for ln, col in link_positions(read_text(p))]
    picks = [rng.choice(pos) for _ in range(samples)]
    s.settle(0.5, settle_max)
    resolved = []
    for method, key in (("textDocument/definition", "definition"), ("textDocument/hover", "hover")):
        pre = [s.request_bytes(method, {"textDocument": {"uri": u},
                                        "position": {"line": ln, "character": col}})
               for u, ln, col in picks]
        times, cpus = [], []
        for i, (rid, req) in enumerate(pre):
            dt, dc, msg, n = s.timed_request(rid, req)
            times.append(dt)
            cpus.append(dc)
            if key == "definition":
                resolved.append(msg.get("result") not in (None, []))
        r[key] = times
        r[key + "_cpu"] = cpus
    # A hover on an unresolved link also looks for similar names ("did you mean").
    r["hover_res"] = [t for t, ok in zip(r["hover"], resolved) if ok]
    r["hover_unres"] = [t for t, ok in zip(r["hover"], resolved) if not ok]
    r["hover_unres_cpu"] = [t for t, ok in zip(r["hover_cpu"], resolved) if not ok]
    r["definition_found"] = sum(resolved) / len(resolved)
    close_all([uri_of(p) for p in rich])

    # Diagnostics: type a new fact, a character per didChange, into a ~10 KB note.
    big = min(notes, key=lambda p: (abs(os.path.getsize(p) - 10000), p))
    r["diag_note_kb"] = os.path.getsize(big) / 1024
    text = read_text(big)
    lines = text.split("\n")
    at = next((i + 1 for i, l in enumerate(lines) if l.startswith("## Key")), len(lines) - 1)
    u = uri_of(big)

    def typing(uri, n, v):
        """n didChange messages typing a fact, a character at a time, on a new line."""
        phrase = "- %s mentioned [[%s]] at the review." % (rng.choice(stems), rng.choice(stems))
        out = []
        typed = None  # None: the line is not there yet
        while len(out) < n:
            v += 1
            if typed is None:
                ch = {"range": {"start": {"line": at, "character": 0},
                                "end": {"line": at, "character": 0}}, "text": "\n"}
                typed = ""
            elif len(typed) == len(phrase):
                ch = {"range": {"start": {"line": at, "character": 0},
                                "end": {"line": at, "character": u16len(typed)}}, "text": ""}
                typed = ""
            else:
                c = phrase[len(typed)]
                col = u16len(typed)
                ch = {"range": {"start": {"line": at, "character": col},
                                "end": {"line": at, "character": col}}, "text": c}
                typed += c
            out.append((frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": v}, "contentChanges": [ch]}}), v))
        return out, v

    def run_typing(extra_open):
        v = 1
        s.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "markdown",
                                                           "version": v, "text": text}})
        s.wait_diag(u, v)
        others = []
        for p in extra_open:
            ou = uri_of(p)
            s.notify("textDocument/didOpen", {"textDocument": {"uri": ou, "languageId": "markdown",
                                                               "version": 1, "text": read_text(p)}})
            s.wait_diag(ou, 1)
            others.append(ou)
        n = samples if not extra_open else max(20, samples // 2)
        s.settle(0.5, settle_max)
        pre, v = typing(u, n, v)
        times, cpus = [], []
        for b, ver in pre:
            c0 = s.cpu()
            t0 = now()
            s.write(b)
            t, _, _ = s.wait_diag(u, ver)
            times.append(t - t0)
            cpus.append(s.cpu() - c0)
        close_all([u] + others)
        return times, cpus

    r["diag1"], r["diag1_cpu"] = run_typing([])
    others = [p for p in by_size if p != big][:19]
    r["diag20"], r["diag20_cpu"] = run_typing(others)

    r.update(measure_semantic_tokens(s, notes, rng, samples, settle_max))

    rss = s.rss()
    r["rss_hwm"] = rss.get("VmHWM")
    r["rss_now"] = rss.get("VmRSS")
    # After the RSS rows, so that they stay what they were: a user who
    # never asks for symbols never builds their tables.
    r.update(measure_workspace_symbol(s, notes, samples, settle_max))
    measure_unlinked(s, notes, rng, samples, r)
    s.shutdown()

    # 4. A client without progress, with completionItem/resolve: completion
    # is answered at once while the vault is indexed (incomplete, from the
    # notes in so far); documentLink waits for all of them. Then, once the
    # vault is diagnosed, completion as this kind of client gets it.
    s = Server([server, "--log-level", "warn", "--no-cache"], log_path)
    rid, b = s.request_bytes("initialize", initialize_params(root, progress=False, resolve=True))
    t0 = now()
    s.write(b)
    s.wait_response(rid, 60)
    s.notify("initialized", {})
    mu, mt = uri_of(meeting), read_text(meeting).rstrip("\n") + "\n- [[" + stems[0][:2]
    s.notify("textDocument/didOpen", {"textDocument": {"uri": mu, "languageId": "markdown",
                                                       "version": 1, "text": mt}})
    rid, b = s.request_bytes("textDocument/completion", {
        "textDocument": {"uri": mu}, "position": {"line": mt.count("\n"),
                                                  "character": u16len(mt.split("\n")[-1])}})
    s.write(b)
    t, msg, _ = s.wait_response(rid, 3600)
    res = msg.get("result") or {}
    r["early_completion"] = (t - t0, len(res.get("items", [])), bool(res.get("isIncomplete")))
    rid, b = s.request_bytes("textDocument/documentLink", {"textDocument": {"uri": mu}})
    s.write(b)
    t, _, _ = s.wait_response(rid, 3600)
    r["index_first_request"] = t - t0
    s.notify("textDocument/didClose", {"textDocument": {"uri": mu}})
    s.settle(1.0, settle_max)
    r.update(measure_completion(s, meeting, stems, rng, samples, settle_max, "rcompl"))
    s.shutdown()
    return r


def measure_completion(s, meeting, stems, rng, samples, settle_max, key):
    """Completion latencies, as rows key1, key2, key3, keyw3."""
    r = {}
    # Completion: a line "- [[" + prefix at the end of a note, retyped per sample.
    text = read_text(meeting)
    if not text.endswith("\n"):
        text += "\n"
    uri = uri_of(meeting)
    version = 1
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown",
                                                       "version": version, "text": text}})
    s.wait_diag(uri, version)
    last_line = text.count("\n")
    s.settle(0.5, settle_max)  # what opening the note scheduled
    cur = ""
    # "w3": the start of a name's last word, as when typing a surname.
    for k in (1, 2, 3, "w3"):
        pre = []
        for _ in range(samples):
            if k == "w3":
                words = rng.choice(stems).split()
                while len(words) < 2 or len(words[-1]) < 3:
                    words = rng.choice(stems).split()
                typed = words[-1][:3]
            else:
                stem = rng.choice(stems)
                while len(stem) < k:
                    stem = rng.choice(stems)
                typed = stem[:k]
            line = "- [[" + typed
            version += 1
            change = frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": last_line, "character": 0},
                                              "end": {"line": last_line, "character": u16len(cur)}},
                                    "text": line}]}})
            cur = line
            rid, req = s.request_bytes("textDocument/completion", {
                "textDocument": {"uri": uri},
                "position": {"line": last_line, "character": u16len(line)},
                "context": {"triggerKind": 1}})
            pre.append((change, version, rid, req))
        times, cpus, items, sizes, incomplete = [], [], [], [], 0
        for change, v, rid, req in pre:
            s.write(change)
            s.wait_diag(uri, v)        # the edit is applied; now time the request alone
            dt, dc, msg, n = s.timed_request(rid, req)
            times.append(dt)
            cpus.append(dc)
            res = msg.get("result")
            its = res.get("items", []) if isinstance(res, dict) else (res or [])
            if isinstance(res, dict) and res.get("isIncomplete"):
                incomplete += 1
            items.append(len(its))
            sizes.append(n)
        r["%s%s" % (key, k)] = times
        r["%s%s_cpu" % (key, k)] = cpus
        r["%s%s_items" % (key, k)] = (statistics.mean(items), statistics.mean(sizes), incomplete)
    version += 1
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                        "contentChanges": [{"text": text}]})
    s.wait_diag(uri, version)
    s.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    s.wait_diag(uri, None)
    return r


def first_answer(server, root, notes, cache_home, log_path):
    """A session with the index cache in cache_home: (the server, spawn ->
    answer to didOpen + documentSymbol, the server's CPU by then)."""
    s = Server([server, "--log-level", "info"], log_path, dict(os.environ, XDG_CACHE_HOME=cache_home))
    rid, b = s.request_bytes("initialize", initialize_params(root, progress=False))
    s.write(b)
    s.wait_response(rid, 60)
    s.notify("initialized", {})
    note = notes[len(notes) // 2]
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri_of(note), "languageId": "markdown",
                                                       "version": 1, "text": read_text(note)}})
    s.call("textDocument/documentSymbol", {"textDocument": {"uri": uri_of(note)}}, 3600)
    return s, now() - s.t_spawn, s.cpu_total()


def first_cache(server, root, notes, cache_home, settle_max):
    """A first session, until the cache it writes holds the diagnostics:
    written once when the index is built, again once the background
    diagnosis is through (the log says "index cache: wrote" each time). A
    write still due at shutdown is dropped when large, so the session
    waits for the second one."""
    log = os.path.join(cache_home, "first-%s.log" % os.path.basename(root))
    open(log, "w").close()
    s, _, _ = first_answer(server, root, notes, cache_home, log)
    deadline = now() + settle_max
    while now() < deadline:
        try:
            s.recv(0.5)
        except Timeout:
            pass
        with open(log, errors="replace") as f:
            if f.read().count("index cache: wrote") >= 2:
                break
    else:
        print("warning: the first session's cache was not written twice in %.0f s" % settle_max,
              file=sys.stderr)
    s.shutdown()


def measure_warm(server, root, notes, rng, log_path, settle_max, idle_seconds, runs=3):
    """Warm starts: the cache written by a first session (once its
    background diagnosis is through), then `runs` sessions from it; the
    same on a copy of the vault with 1% of its notes changed since. The
    first warm session, nothing changed, also gives the CPU until the
    server is quiet (kept diagnostics published) and then its CPU while
    idle for idle_seconds."""
    r = {}
    cache_home = tempfile.mkdtemp(prefix="vault-bench-cache-")
    copy = tempfile.mkdtemp(prefix="vault-bench-copy-")
    try:
        def warm(root_, notes_, saved=None, idle=False):
            times, cpus = [], []
            for i in range(runs):
                if saved:  # the cache as it was before the changes, each time
                    shutil.copy2(saved, saved[:-len(".saved")])
                s, t, cpu = first_answer(server, root_, notes_, cache_home, log_path)
                if idle and i == 0:
                    s.settle(quiet=2.0, max_wait=settle_max)
                    r["warm_quiet_cpu"] = s.cpu()
                    c0 = s.cpu()
                    end = now() + idle_seconds
                    while now() < end:
                        try:
                            s.recv(max(0.01, end - now()))
                        except Timeout:
                            pass
                    r["idle_cpu"] = (s.cpu() - c0, idle_seconds)
                s.shutdown()
                times.append(t)
                cpus.append(cpu)
            return statistics.median(times), min(times), max(times), statistics.median(cpus)

        first_cache(server, root, notes, cache_home, settle_max)
        files = [os.path.join(cache_home, "vault-lsp", f) for f in os.listdir(os.path.join(cache_home, "vault-lsp"))
                 if f.endswith(".idx")]
        r["cache_bytes"] = sum(os.path.getsize(f) for f in files)
        r["warm"] = warm(root, notes, idle=True)

        shutil.copytree(root, copy, dirs_exist_ok=True)
        copied = list_notes(copy)
        first_cache(server, copy, copied, cache_home, settle_max)
        mine = [os.path.join(cache_home, "vault-lsp", f) for f in os.listdir(os.path.join(cache_home, "vault-lsp"))
                if f.endswith(".idx") and os.path.join(cache_home, "vault-lsp", f) not in files]
        for p in rng.sample(copied, max(1, len(copied) // 100)):
            other = os.path.splitext(os.path.basename(rng.choice(copied)))[0]
            with open(p, "a", encoding="utf-8") as f:
                f.write("\n- Edited while the server was down: see [[%s]]\n" % other)
        saved = mine[0] + ".saved" if mine else None
        if saved:
            shutil.copy2(mine[0], saved)
        r["warm1"] = warm(copy, copied, saved)
    finally:
        shutil.rmtree(cache_home, ignore_errors=True)
        shutil.rmtree(copy, ignore_errors=True)
    return r


def measure_semantic_tokens(s, notes, rng, samples, settle_max):
    """semanticTokens/full on a ~10 KB note, /full/delta against the
    previous result after each character typed (a fact with a link, on a
    new line), and full on a 10 KB buffer of links: round trips of prebuilt
    requests on a quiet server."""
    r = {}
    big = min(notes, key=lambda p: (abs(os.path.getsize(p) - 10000), p))
    u, text = uri_of(big), read_text(big)
    s.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "markdown",
                                                       "version": 1, "text": text}})
    s.wait_diag(u, 1)

    def full(uri):
        """(times, cpus, last result, its bytes) of semanticTokens/full on a quiet server."""
        # What opening a note marks for diagnosis is queued at the next
        # message: one untimed request, then quiet.
        s.call("textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})
        s.settle(0.5, settle_max)
        pre = [s.request_bytes("textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})
               for _ in range(samples)]
        times, cpus = [], []
        for rid, req in pre:
            dt, dc, msg, n = s.timed_request(rid, req)
            times.append(dt)
            cpus.append(dc)
        return times, cpus, msg["result"], n

    r["sem_full"], r["sem_full_cpu"], result, n = full(u)
    r["sem_full_size"] = (os.path.getsize(big) / 1024, len(result["data"]) // 5, n)

    at = text.count("\n") // 2
    stems = [os.path.splitext(os.path.basename(p))[0] for p in notes[::max(1, len(notes) // 1000)]]
    phrase = "- Met [[%s]] about #planning ^b%d" % (rng.choice(stems), rng.randrange(1000))
    v, typed, prev = 2, "", result["resultId"]
    s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": v}, "contentChanges": [
        {"range": {"start": {"line": at, "character": 0}, "end": {"line": at, "character": 0}},
         "text": "\n"}]})
    times, cpus, sizes = [], [], []
    for _ in range(samples):
        v += 1
        if len(typed) == len(phrase):
            ch = {"range": {"start": {"line": at, "character": 0},
                            "end": {"line": at, "character": u16len(typed)}}, "text": ""}
            typed = ""
        else:
            col = u16len(typed)
            ch = {"range": {"start": {"line": at, "character": col},
                            "end": {"line": at, "character": col}}, "text": phrase[len(typed)]}
            typed += phrase[len(typed)]
        s.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": v},
                                            "contentChanges": [ch]})
        s.wait_diag(u, v)  # the edit is applied; now time the request alone
        rid, req = s.request_bytes("textDocument/semanticTokens/full/delta",
                                   {"textDocument": {"uri": u}, "previousResultId": prev})
        dt, dc, msg, n = s.timed_request(rid, req)
        prev = msg["result"]["resultId"]
        times.append(dt)
        cpus.append(dc)
        sizes.append(n)
    r["sem_delta"], r["sem_delta_cpu"], r["sem_delta_bytes"] = times, cpus, statistics.mean(sizes)
    s.notify("textDocument/didClose", {"textDocument": {"uri": u}})
    s.wait_diag(u, None)

    # The worst case per byte: a 10 KB buffer of nothing but links (some to
    # headings, some unresolved), tags, block ids and people values, never
    # saved (closing it removes it from the index).
    text = "---\nparticipants: [%s]\ntags: [a, b/c]\n---\n\n" % ", ".join(
        rng.choice(stems) for _ in range(8))
    i = 0
    while len(text.encode("utf-8")) < 10000:
        i += 1
        text += "- 📅 [[%s]] and [[%s#Key Facts]] with [[%s|x]] #t%d ^b%d\n" % (
            rng.choice(stems), rng.choice(stems), rng.choice(stems) + "zz", i, i)
    u = uri_of(os.path.join(os.path.dirname(big), "semantic-tokens-bench-unsaved.md"))
    s.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "markdown",
                                                       "version": 1, "text": text}})
    s.wait_diag(u, 1)
    r["sem_dense"], r["sem_dense_cpu"], result, n = full(u)
    r["sem_dense_size"] = (len(text.encode("utf-8")) / 1024, len(result["data"]) // 5, n)
    s.notify("textDocument/didClose", {"textDocument": {"uri": u}})
    s.wait_diag(u, None)
    return r


def measure_workspace_symbol(s, notes, samples, settle_max):
    """workspace/symbol: the first request (which builds the tag index and
    the table of headings and block ids) with the RSS it adds, then
    queries of 1-3 characters taken from note names and headings, and the
    empty query. Its own random draws, so the other rows keep theirs."""
    r = {}
    rng = random.Random(17)
    stems = [os.path.splitext(os.path.basename(p))[0] for p in notes]
    headings = []
    for p in rng.sample(notes, min(200, len(notes))):
        headings += [l.lstrip("#").strip() for l in read_text(p).split("\n")
                     if l.startswith("#") and l.lstrip("#").startswith(" ")]
    s.settle(0.5, settle_max)
    rss0 = s.rss()["VmRSS"]
    rid, req = s.request_bytes("workspace/symbol", {"query": "summary"})
    r["wsym_first"] = s.timed_request(rid, req)[0]
    r["wsym_rss"] = s.rss()["VmRSS"] - rss0
    pre = []
    for i in range(samples):
        name = rng.choice(stems if i % 2 else headings or stems)
        pre.append(s.request_bytes("workspace/symbol", {"query": name[:1 + i % 3]}))
    times, cpus, items = [], [], []
    for rid, req in pre:
        dt, dc, msg, n = s.timed_request(rid, req)
        times.append(dt)
        cpus.append(dc)
        items.append(len(msg.get("result") or []))
    r["wsym"], r["wsym_cpu"], r["wsym_items"] = times, cpus, statistics.mean(items)
    pre = [s.request_bytes("workspace/symbol", {"query": ""}) for _ in range(max(20, samples // 5))]
    r["wsym_empty"] = [s.timed_request(rid, req)[0] for rid, req in pre]
    return r
def measure_unlinked(s, notes, rng, samples, r):
    """workspace/executeCommand vault-lsp.unlinkedMentions: the first one
    (which builds the index, with the RSS it adds), then on random notes
    (people and customers first: the names prose writes); and a codeAction
    on one, which counts a note's mentions and finds those under the
    cursor."""
    def command(path):
        return s.request_bytes("workspace/executeCommand", {
            "command": "vault-lsp.unlinkedMentions", "arguments": [uri_of(path)]})
    named = [p for p in notes if "/People/" in p or "/Customers/" in p] or notes
    before = s.rss().get("VmRSS")
    rid, req = command(rng.choice(named))
    dt, _, _, _ = s.timed_request(rid, req)
    r["unlinked_build"] = dt
    r["unlinked_rss"] = s.rss().get("VmRSS") - before
    times, found = [], []
    for rid, req in [command(rng.choice(named)) for _ in range(samples)]:
        dt, _, msg, _ = s.timed_request(rid, req)
        times.append(dt)
        found.append(len(msg.get("result") or []))
    r["unlinked_cmd"] = times
    r["unlinked_found"] = (statistics.mean(found), max(found))
    times = []
    for path in [rng.choice(named) for _ in range(min(samples, 50))]:
        u = uri_of(path)
        s.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "markdown",
                                                           "version": 1, "text": read_text(path)}})
        s.wait_diag(u, 1)
        rid, req = s.request_bytes("textDocument/codeAction", {
            "textDocument": {"uri": u}, "context": {"diagnostics": [], "only": ["refactor"]},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}})
        dt, _, _, _ = s.timed_request(rid, req)
        times.append(dt)
        s.notify("textDocument/didClose", {"textDocument": {"uri": u}})
        s.wait_diag(u, None)
    r["unlinked_action"] = times


def timed(cmd, shell=False, timeout=None):
    """(wall s, cpu s, max rss bytes, exit code or None on timeout) of a
    command, output discarded."""
    t0 = now()
    p = subprocess.Popen(cmd, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed = False
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if timeout and now() - t0 > timeout and not killed:
            p.kill()
            killed = True
        time.sleep(0.01)
    wall = now() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss * 1024, None if killed else p.returncode


def measure_cli(server, root, check_timeout):
    r = {}
    q = shlex_quote(root)
    timed("find %s -name '*.md' -print0 | xargs -0 cat >/dev/null" % q, shell=True)  # warm up
    r["cat"] = min(timed("find %s -name '*.md' -print0 | xargs -0 cat >/dev/null" % q, shell=True)[0]
                   for _ in range(3))
    r["check"] = timed([server, "check", root], timeout=check_timeout)
    if shutil.which("cmark"):
        r["cmark"] = timed("find %s -name '*.md' -print0 | xargs -0 cmark >/dev/null" % q, shell=True)
    return r


def shlex_quote(s):
    import shlex
    return shlex.quote(s)


# ---- the table ---------------------------------------------------------------

def table(results):
    cols = list(results)
    rows = []

    def row(label, f):
        vals = []
        for n in cols:
            try:
                vals.append(f(results[n]))
            except (KeyError, TypeError):
                vals.append("n/a")
        rows.append((label, vals))

    row("load average before / after", lambda r: "%.2f / %.2f" % r["load"])
    row("notes / bytes", lambda r: "%d / %.1f MB" % (r["files"], r["bytes"] / 1e6))
    row("initialize: spawn -> response (ms)", lambda r: fmt_ms(r["init_spawn"] * 1e3))
    row("initialize: request -> response (ms)", lambda r: fmt_ms(r["init_rt"] * 1e3))
    row("indexing: initialize -> $/progress end", lambda r: fmt_s(r["index_progress"]))
    row("  server's own count (end message)", lambda r: r["index_msg"])
    row("  server CPU (all threads) until end", lambda r: fmt_s(r["index_cpu"]))
    row("then every note diagnosed+published", lambda r: r["vault_diags"][0])
    row("  server CPU for that (after the end)", lambda r: fmt_s(r["vault_diags"][2]))
    row("  (notes with diagnostics)", lambda r: "%d" % r["vault_diags"][1])
    row("  definition latency meanwhile (ms)", lambda r: lat(r["def_busy"]))
    row("no $/progress: initialize -> completion", lambda r: "%s, %d items%s" % (
        fmt_ms(r["early_completion"][0] * 1e3) + " ms", r["early_completion"][1],
        ", incomplete" if r["early_completion"][2] else ""))
    row("  -> documentLink (waits for the index)", lambda r: fmt_s(r["index_first_request"]))
    row("warm start, nothing changed: spawn ->", lambda r: "%s (%s-%s)" % (
        fmt_s(r["warm"][0]), fmt_s(r["warm"][1]), fmt_s(r["warm"][2])))
    row("  1st answer, median (range) of 3", lambda r: "server CPU %s" % fmt_s(r["warm"][3]))
    row("warm start, 1% of notes changed", lambda r: "%s (%s-%s)" % (
        fmt_s(r["warm1"][0]), fmt_s(r["warm1"][1]), fmt_s(r["warm1"][2])))
    row("  (the same, on a copy)", lambda r: "server CPU %s" % fmt_s(r["warm1"][3]))
    row("  index cache on disk", lambda r: fmt_bytes(r["cache_bytes"]))
    row("  warm, CPU until quiet (kept diagnostics)", lambda r: fmt_s(r["warm_quiet_cpu"]))
    row("idle CPU, nothing changing", lambda r: "%.3f s over %.0f s" % r["idle_cpu"])
    row("peak RSS (VmHWM) before shutdown", lambda r: fmt_bytes(r["rss_hwm"]))
    row("  RSS (VmRSS) before shutdown", lambda r: fmt_bytes(r["rss_now"]))
    row("latency (ms): client round trip", lambda r: "median / p99 / max")
    row("          and server CPU (all threads)", lambda r: "median / p99 / max")
    # Two kinds of client: documentation inline (no completionItem/resolve)
    # and on resolve.
    for key, kind in (("compl", "no resolve"), ("rcompl", "resolve")):
        for k in (1, 2, 3, "w3"):
            label = ("3 chars of a last word" if k == "w3" else
                     "%d char%s" % (k, "s" if k > 1 else ""))
            row('  completion "[[" + %s (%s)' % (label, kind), lambda r, k=k, key=key: lat(r["%s%s" % (key, k)]))
            row("    server CPU", lambda r, k=k, key=key: lat(r["%s%s_cpu" % (key, k)]))
            row("    items / response bytes / incomplete",
                lambda r, k=k, key=key: "%.0f / %.0f / %d" % r["%s%s_items" % (key, k)])
    row("  definition on a link", lambda r: lat(r["definition"]))
    row("    server CPU", lambda r: lat(r["definition_cpu"]))
    row("    links resolved", lambda r: "%.0f%%" % (100 * r["definition_found"]))
    row("  hover on a link", lambda r: lat(r["hover"]))
    row("    server CPU", lambda r: lat(r["hover_cpu"]))
    row("    resolved links only", lambda r: lat(r["hover_res"]))
    row("    unresolved links only", lambda r: lat(r["hover_unres"]))
    row("      server CPU", lambda r: lat(r["hover_unres_cpu"]))
    row("  workspace/symbol, 1-3 characters", lambda r: lat(r["wsym"]))
    row("    server CPU", lambda r: lat(r["wsym_cpu"]))
    row("    symbols a response / empty query", lambda r: "%.0f / %s" % (r["wsym_items"], lat(r["wsym_empty"])))
    row("    first request / RSS it adds", lambda r: "%s ms / %s" % (fmt_ms(r["wsym_first"] * 1e3), fmt_bytes(r["wsym_rss"])))
    row("  didChange -> publishDiagnostics", lambda r: lat(r["diag1"]))
    row("    server CPU", lambda r: lat(r["diag1_cpu"]))
    row("    (1 note open, size)", lambda r: "%.1f KB" % r["diag_note_kb"])
    row("  same, 20 notes open", lambda r: lat(r["diag20"]))
    row("    server CPU", lambda r: lat(r["diag20_cpu"]))
    row("  semanticTokens/full, one note", lambda r: lat(r["sem_full"]))
    row("    server CPU", lambda r: lat(r["sem_full_cpu"]))
    row("    note size / tokens / response bytes", lambda r: "%.1f KB / %d / %d" % r["sem_full_size"])
    row("  semanticTokens/full/delta, each key", lambda r: lat(r["sem_delta"]))
    row("    server CPU", lambda r: lat(r["sem_delta_cpu"]))
    row("    response bytes (mean)", lambda r: "%.0f" % r["sem_delta_bytes"])
    row("  semanticTokens/full, a note of links", lambda r: lat(r["sem_dense"]))
    row("    server CPU", lambda r: lat(r["sem_dense_cpu"]))
    row("    note size / tokens / response bytes", lambda r: "%.1f KB / %d / %d" % r["sem_dense_size"])
    row("unlinked mentions: 1st command (build)", lambda r: "%s ms, +%s RSS" % (
        fmt_ms(r["unlinked_build"] * 1e3), fmt_bytes(r["unlinked_rss"])))
    row("  command on a note", lambda r: lat(r["unlinked_cmd"]))
    row("    mentions listed: mean / max", lambda r: "%.1f / %d" % r["unlinked_found"])
    row("  codeAction (count + under cursor)", lambda r: lat(r["unlinked_action"]))
    row("vault-lsp check DIR: wall / CPU", lambda r: "%s%s / %s" % (
        "" if r["check"][3] is not None else "killed at ", fmt_s(r["check"][0]), fmt_s(r["check"][1])))
    row("  max RSS", lambda r: fmt_bytes(r["check"][2]))
    row("floor: cat all notes (warm)", lambda r: fmt_s(r["cat"]))
    row("floor: cmark all notes, 1 core", lambda r: "%s / %s" % (fmt_s(r["cmark"][0]), fmt_s(r["cmark"][1])))
    row("cold start / cmark (index end / cmark wall)", lambda r: "%.2fx" % (r["index_progress"] / r["cmark"][0]))

    w0 = max(len(l) for l, _ in rows)
    ws = [max(len("%d notes" % n), *(len(v[i]) for _, v in rows)) for i, n in enumerate(cols)]
    out = ["%-*s | %s" % (w0, "", " | ".join("%*s" % (w, "%d notes" % n) for w, n in zip(ws, cols)))]
    out.append("-" * w0 + "-+-" + "-+-".join("-" * w for w in ws))
    for label, vals in rows:
        out.append("%-*s | %s" % (w0, label, " | ".join("%*s" % (w, v) for w, v in zip(ws, vals))))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notes", default="1000,10000", help="comma-separated vault sizes")
    ap.add_argument("--server", default=os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                                     "build", "vault-lsp"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dup-rate", type=float, default=0.15)
    ap.add_argument("--samples", type=int, default=200, help="requests per latency row")
    ap.add_argument("--base", default="/tmp/vault-bench", help="vaults go to BASE-N")
    ap.add_argument("--log", default="/tmp/vault-bench-server.log", help="the server's stderr")
    ap.add_argument("--settle-max", type=float, default=300,
                    help="longest wait (s) for the vault-wide diagnostics after indexing")
    ap.add_argument("--check-timeout", type=float, default=900, help="longest `check` run (s)")
    ap.add_argument("--no-cli", action="store_true", help="skip check, cat and cmark")
    ap.add_argument("--idle-seconds", type=float, default=60,
                    help="how long the idle server's CPU is measured")
    a = ap.parse_args()
    server = os.path.abspath(a.server)
    if not os.access(server, os.X_OK):
        ap.error("no server at %s (build it, or pass --server)" % server)
    # A private copy, so that a rebuild during the run does not change what is measured.
    copy = "/tmp/vault-bench-server.%d" % os.getpid()
    shutil.copy2(server, copy)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the copy is removed
    try:
        run(a, copy)
    finally:
        os.unlink(copy)


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def run(a, server):
    if not a.no_cli and not shutil.which("cmark"):
        print("note: cmark is not installed (apt-get install cmark); its row will be n/a", file=sys.stderr)
    results = {}
    for n in [int(x) for x in a.notes.split(",") if x]:
        root, meta = ensure_vault(n, a.seed, a.dup_rate, a.base)
        notes = list_notes(root)
        load0 = loadavg()
        if load0 > 0.5:
            print("warning: load average %.2f before measuring: other processes compete for the cores"
                  % load0, file=sys.stderr)
        rng = random.Random(a.seed)
        print("measuring %d notes ..." % n, file=sys.stderr)
        r = {"files": len(notes), "bytes": meta["bytes"]}
        subprocess.run("find %s -name '*.md' -print0 | xargs -0 cat >/dev/null" % shlex_quote(root),
                       shell=True)  # warm the page cache
        r.update(measure_lsp(server, root, notes, rng, a.samples, a.log, a.settle_max))
        r.update(measure_warm(server, root, notes, rng, a.log, a.settle_max, a.idle_seconds))
        if not a.no_cli:
            r.update(measure_cli(server, root, a.check_timeout))
        r["load"] = (load0, loadavg())
        results[n] = r
        print(table(results), file=sys.stderr)  # progress: the table so far
    print("%s, %d cores, samples/row %d" % (
        subprocess.run([server, "--version"], capture_output=True, text=True).stdout.strip(),
        os.cpu_count(), a.samples))
    print(table(results))


if __name__ == "__main__":
    main()
