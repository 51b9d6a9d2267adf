#!/usr/bin/env python3
"""`vault-lsp check`'s progress line: on a terminal, for a large vault only,
rewritten in place and erased before anything else is printed there.

A generated vault of 1,200 notes (over the 1,000 files that make a vault
large) is checked with stderr on a pseudo-terminal (Python's pty), and the
bytes the terminal received are played on a small screen model (carriage
return, newline, characters overwriting): the screen must show exactly
what a run without a terminal prints, so no progress text is left behind,
while the bytes must hold "indexing N/1200 files" and "diagnosing
N/1200 notes" lines. Then: stderr not a terminal, or a small vault, gets
no progress at all.

Run: python3 tests/cli/check_progress.py --server build/vault-lsp
"""
import argparse
import json
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def screen(data):
    """The lines a terminal shows after receiving data (no wrapping)."""
    lines, row, col = [[]], 0, 0
    for ch in data.decode("utf-8", "replace"):
        if ch == "\r":
            col = 0
        elif ch == "\n":
            row += 1
            col = 0
            if row == len(lines):
                lines.append([])
        else:
            line = lines[row]
            line.extend(" " * (col + 1 - len(line)))
            line[col] = ch
            col += 1
    text = ["".join(l).rstrip() for l in lines]
    while text and not text[-1]:
        text.pop()
    return text


def on_pty(cmd, stdout_too, deadline=60):
    """Runs cmd with stderr (and stdout if stdout_too) on a new pty.
    Returns (exit code, bytes the terminal got, stdout if not on it)."""
    master, slave = pty.openpty()
    out = tempfile.TemporaryFile()
    p = subprocess.Popen(cmd, stdout=slave if stdout_too else out, stderr=slave,
                         stdin=subprocess.DEVNULL)
    os.close(slave)
    got = bytearray()
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        r, _, _ = select.select([master], [], [], 0.5)
        if r:
            try:
                b = os.read(master, 65536)
            except OSError:  # EIO: every writer has closed the terminal
                break
            if not b:
                break
            got += b
        elif p.poll() is not None:
            break
    else:
        p.kill()
        failures.append(f"{cmd}: still running after {deadline} s; the terminal got {bytes(got[-400:])!r}")
    code = p.wait(timeout=10)
    os.close(master)
    out.seek(0)
    return code, bytes(got), out.read().decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    server = os.path.abspath(ap.parse_args().server)
    tmp = tempfile.mkdtemp(prefix="vault-progress-")
    try:
        return run_cases(server, tmp)
    finally:
        subprocess.run(["rm", "-rf", tmp])


def run_cases(server, tmp):
    vault = os.path.join(tmp, "big")
    os.makedirs(os.path.join(vault, "People"))
    for i in range(1200):
        with open(os.path.join(vault, "People", f"Person {i:04}.md"), "w") as f:
            f.write(f"# Person {i}\n\n- works with [[Person {(i + 1) % 1200:04}]] and [[Nobody {i}]]\n")
    summary = "1200 notes: 0 errors, 1200 warnings, 0 info, 0 hints"

    # Without a terminal: no progress, the reference output.
    p = subprocess.run([server, "check", vault], capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, f"exit 0, got {p.returncode}")
    plain = p.stdout.splitlines()
    check(len(plain) == 1201 and plain[-1] == summary, f"1200 lines and the summary: {plain[-1:]}")
    check(p.stderr == "", f"nothing on stderr when it is not a terminal: {p.stderr[:200]!r}")

    # stderr on a terminal, stdout to a file: the progress was drawn, and
    # erased; the results are untouched.
    code, term, out = on_pty([server, "check", vault], stdout_too=False)
    check(code == 0, f"exit 0 with a terminal, got {code}")
    check(out.splitlines() == plain, "stdout is the same with stderr on a terminal")
    drawn = re.findall(rb"vault-lsp check: (\w+) (\d+)/(\d+) (\w+)", term)
    check(any(w == b"indexing" and t == b"1200" and u == b"files" for w, _, t, u in drawn),
          f"an 'indexing N/1200 files' line: {term[:300]!r}")
    check(any(w == b"diagnosing" and t == b"1200" and u == b"notes" for w, _, t, u in drawn),
          f"a 'diagnosing N/1200 notes' line: {term[:300]!r}")
    check(all(int(n) <= int(t) for _, n, t, _ in drawn), "counts never pass the total")
    check(b"\n" not in term, "the progress stays on one line, rewritten in place")
    check(screen(term) == [], f"the line is erased at the end: {screen(term)}")

    # stdout on the same terminal: each result is printed on a clean line,
    # so the screen is exactly the plain output.
    code, term, _ = on_pty([server, "check", vault], stdout_too=True)
    check(code == 0, f"exit 0, got {code}")
    check(b"vault-lsp check: indexing" in term, "progress drawn with stdout on the terminal too")
    shown = screen(term)
    check(shown == plain, "the screen is the results and the summary, nothing of the progress left:\n"
          + "\n".join(f"  {a!r} != {b!r}" for a, b in zip(shown, plain) if a != b)[:2000]
          + f"\n  ({len(shown)} lines shown, {len(plain)} expected)")

    # JSON: stdout is JSON lines only; the terminal ends with the summary
    # alone on its line.
    code, term, out = on_pty([server, "check", "--format", "json", vault], stdout_too=False)
    lines = out.splitlines()
    check(len(lines) == 1200 and all(json.loads(l)["code"] == "unresolved-link" for l in lines),
          "json: 1200 objects on stdout")
    check(b"vault-lsp check: diagnosing" in term, "json: progress drawn")
    check(screen(term) == [summary], f"json: the terminal shows the summary only: {screen(term)}")

    # SARIF: one document on stdout, whatever was drawn on stderr.
    code, term, out = on_pty([server, "check", "--format", "sarif", vault], stdout_too=False)
    check(len(json.loads(out)["runs"][0]["results"]) == 1200, "sarif: 1200 results")
    check(screen(term) == [summary], f"sarif: the terminal shows the summary only: {screen(term)}")

    # A small vault on a terminal: no progress (it would only flicker).
    small = os.path.join(tmp, "small")
    os.makedirs(small)
    for i in range(999):
        with open(os.path.join(small, f"n{i}.md"), "w") as f:
            f.write("- a [[missing]] link\n")
    code, term, out = on_pty([server, "check", small], stdout_too=False)
    check(code == 0 and out.endswith("999 notes: 0 errors, 999 warnings, 0 info, 0 hints\n"),
          f"999 notes checked: {out[-100:]!r}")
    check(term == b"", f"999 files: nothing drawn, got {term[:200]!r}")

    for f in failures:
        print("FAIL:", f)
    print(f"check_progress: {'FAILED' if failures else 'passed'} ({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
