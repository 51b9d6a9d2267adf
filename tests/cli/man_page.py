#!/usr/bin/env python3
"""The man page (lsp/cli/vault-lsp.1), --help and the README say the same.

- Every option and command that `vault-lsp --help`, `vault-lsp check
  --help` and `vault-lsp people --help` print is documented in the man
  page (an item of OPTIONS, or of the command's subsection of COMMANDS)
  and in the README's section for it; every option the man page's
  SYNOPSIS, OPTIONS and COMMANDS name exists in --help.
- The exit status of check is the same sentence in all three.
- The diagnostic codes (the rules of `check --format sarif`) are the man
  page's DIAGNOSTICS items and the README's table of codes, with the same
  default severities; the configuration keys are the README's table's.
- The page's version is the binary's.
- `MANWIDTH=80 man --warnings -l` renders it without a warning (exit 77,
  skipped, when man is not installed: .ci/deps.sh installs man-db).

Run: python3 tests/cli/man_page.py --server build/vault-lsp
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = []
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*[a-z]|-h)(?![\w-])")


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def words(text):
    return " ".join(text.split())


# --- roff to text: enough of man(7) for this page ---------------------------

ALTERNATING = {"BR", "RB", "BI", "IB", "IR", "RI"}


def roff_args(rest):
    args, cur, quoted, i = [], "", False, 0
    while i < len(rest):
        c = rest[i]
        if c == '"':
            quoted = not quoted
        elif c == " " and not quoted:
            if cur:
                args.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    if cur:
        args.append(cur)
    return args


def unescape(s):
    s = re.sub(r"\\f[BIRP]", "", s)
    return s.replace("\\-", "-").replace("\\&", "").replace("\\e", "\\")


def roff_lines(source):
    """(macro, text) for each line: macro None for text lines."""
    out = []
    for line in source.splitlines():
        if line.startswith('.\\"'):
            continue
        if line.startswith("."):
            name, _, rest = line[1:].partition(" ")
            args = roff_args(rest)
            if name in ALTERNATING:
                text = "".join(args)
            elif name == "OP":
                text = "[" + " ".join(args) + "]"
            else:
                text = " ".join(args)
            out.append((name, unescape(text)))
        else:
            out.append((None, unescape(line)))
    return out


def sections(lines):
    """{".SH name": [(macro, text)...]}, subsections as "SH/SS"."""
    secs, cur, sub = {}, None, None
    for macro, text in lines:
        if macro == "SH":
            cur, sub = text, None
            secs.setdefault(cur, [])
            continue
        if macro == "SS":
            sub = f"{cur}/{text.split()[0]}"
            secs.setdefault(sub, [])
            continue
        if cur:
            secs[cur].append((macro, text))
        if sub:
            secs[sub].append((macro, text))
    return secs


def tags(body):
    """The tag of each .TP item (the line after .TP)."""
    return [body[i + 1][1] for i, (m, _) in enumerate(body[:-1]) if m == "TP"]


def text_of(body):
    return words(" ".join(t for _, t in body))


# --- the README --------------------------------------------------------------

def readme_section(readme, heading):
    """From the heading line to the next heading of the same or a higher level."""
    start = readme.index(heading)
    level = len(heading) - len(heading.lstrip("#"))
    rest = readme[start + len(heading):]
    m = re.search(r"^#{1,%d} " % level, rest, re.M)
    return readme[start:start + len(heading) + (m.start() if m else len(rest))]


def plain_md(text):
    return words(text.replace("`", "").replace("*", ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--page", default=os.path.join(ROOT, "lsp/cli/vault-lsp.1"))
    ap.add_argument("--readme", default=os.path.join(ROOT, "README.md"))
    a = ap.parse_args()

    def run(*args):
        return subprocess.run([a.server, *args], capture_output=True, text=True, timeout=60).stdout

    helps = {"": run("--help"), "check": run("check", "--help"), "people": run("people", "--help")}
    for cmd, text in helps.items():
        check(text.startswith("usage: vault-lsp"), f"`vault-lsp {cmd} --help` prints its usage")
    options = {cmd: set(OPTION.findall(text)) for cmd, text in helps.items()}
    check({"--log", "--threads", "--version", "--help"} <= options[""], f"main options: {options['']}")
    check({"--format", "--code", "--severity", "--fail-on"} <= options["check"], f"check: {options['check']}")
    # The main help's usage names the commands' options too: they belong
    # to the commands.
    options[""] -= options["check"] | options["people"]
    commands = re.findall(r"^  ([a-z]+) PATH", helps[""], re.M)
    check(commands == ["check", "people"], f"the commands of --help: {commands}")

    with open(a.page, encoding="utf-8") as f:
        source = f.read()
    secs = sections(roff_lines(source))
    for s in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "CONFIGURATION",
              "DIAGNOSTICS", "EXIT STATUS", "ENVIRONMENT", "FILES", "SEE ALSO"):
        check(s in secs, f"the man page has a {s} section")

    # Options: --help's in the page's items, and the page's in --help.
    def tag_options(sec):
        return set(OPTION.findall(" ".join(tags(secs.get(sec, [])))))
    for cmd, sec in (("", "OPTIONS"), ("check", "COMMANDS/check"), ("people", "COMMANDS/people")):
        missing = options[cmd] - tag_options(sec)
        check(not missing, f"man page {sec}: no item for {sorted(missing)} of `vault-lsp {cmd} --help`")
    for cmd in commands:
        check(f"COMMANDS/{cmd}" in secs, f"man page: no COMMANDS subsection for {cmd}")
    named = set()
    for sec in ("SYNOPSIS", "OPTIONS", "COMMANDS"):
        named |= set(OPTION.findall(text_of(secs.get(sec, []))))
    every = set().union(*options.values())
    check(named <= every, f"the man page documents options --help lacks: {sorted(named - every)}")

    with open(a.readme, encoding="utf-8") as f:
        readme = f.read()
    running = readme_section(readme, "## Running the server")
    running = running[:running.index("### What it does")] if "### What it does" in running else running
    check_md = readme_section(readme, "### `vault-lsp check")
    people_md = readme_section(readme, "### Who is who")
    for cmd, part, name in (("", running, "Running the server"), ("check", check_md, "vault-lsp check"),
                            ("people", people_md, "Who is who")):
        missing = {o for o in options[cmd] if o not in part}
        check(not missing, f"README section '{name}' does not name {sorted(missing)}")
    for cmd in commands:
        check(f"vault-lsp {cmd}" in readme, f"README names `vault-lsp {cmd}`")

    # The exit status: one sentence, three places.
    m = re.search(r"Exit status: (.*?)(?:\n\n|\Z)", helps["check"], re.S)
    if check(m, "check --help states the exit status"):
        sentence = words(m[1])
        check(sentence.startswith("0 when") and "2 for bad usage" in sentence, f"sentence: {sentence}")
        check(sentence in text_of(secs.get("EXIT STATUS", [])),
              f"the man page's EXIT STATUS says: {sentence}")
        check(sentence in plain_md(check_md), f"the README's check section says: {sentence}")

    # Diagnostic codes and their default severities.
    with tempfile.TemporaryDirectory() as empty:
        log = json.loads(run("check", "--format", "sarif", empty))
    rules = {r["id"]: r["defaultConfiguration"]["level"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    diag = secs.get("DIAGNOSTICS", [])
    man_codes = {}
    for i, (macro, text) in enumerate(diag[:-2]):
        if macro == "TP":
            sev = diag[i + 2][1].split(":")[0]
            for code in re.split(r",\s*", diag[i + 1][1]):
                man_codes[code] = sev
    check(set(man_codes) == set(rules), f"man DIAGNOSTICS {sorted(man_codes)} != codes {sorted(rules)}")
    # The README's table under the header "| code | severity | what |".
    rows = readme[readme.index("| code | severity | what |"):].split("\n")[2:]
    table = {}
    for row in rows:
        if not row.startswith("|"):
            break
        cells = [c.strip() for c in row.strip("|").split("|")]
        for code in re.findall(r"`([a-z-]+)`", cells[0]):
            table[code] = cells[1].split(",")[0]
    check(set(table) == set(rules), f"README's table of codes {sorted(table)} != {sorted(rules)}")
    sarif = {"error": "error", "warning": "warning", "information": "note", "info": "note", "hint": "note"}
    for code, level in rules.items():
        check(sarif.get(man_codes.get(code)) == level, f"{code}: man says {man_codes.get(code)}, the rule {level}")
        check(table.get(code) == man_codes.get(code) or
              (table.get(code) == "information" and man_codes.get(code) == "info"),
              f"{code}: README says {table.get(code)}, man {man_codes.get(code)}")

    # Configuration keys.
    conf = readme_section(readme, "## Configuration")
    keys = set(re.findall(r"^\| `([A-Za-z.]+)` \|", conf, re.M))
    man_keys = set(tags(secs.get("CONFIGURATION", [])))
    check(keys and keys == man_keys, f"configuration keys: README {sorted(keys)}, man {sorted(man_keys)}")

    # Version.
    th = re.search(r'^\.TH VAULT-LSP 1 \S+ "vault-lsp ([^"]+)"', source, re.M)
    version = run("--version").split()[-1]
    check(th and th[1] == version, f"the page's version {th and th[1]} is the binary's {version}")

    # Rendering, without a warning.
    if not failures:
        man = shutil.which("man")
        if not man:
            print("check_man_page: sync checks passed; SKIPPED rendering: no `man` (install man-db)")
            return 77
        env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
        p = subprocess.run([man, "--warnings", "-l", a.page], capture_output=True, text=True,
                           env=env, timeout=60)
        check(p.returncode == 0 and p.stderr == "", f"man --warnings -l: exit {p.returncode}, {p.stderr}")
        check("EXIT STATUS" in p.stdout and "--fail-on LEVEL" in p.stdout, "the rendered page")

    for f in failures:
        print("FAIL:", f)
    print(f"man_page: {'FAILED' if failures else 'passed'} ({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
