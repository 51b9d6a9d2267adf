#!/usr/bin/env python3
"""`vault-lsp check --format sarif` on tests/vault, checked two ways.

1. The essential rules of the SARIF 2.1.0 schema (and of GitHub code
   scanning, which needs help.text, a region's four numbers, and columns
   of at least 1): the types, required properties and enumerations of
   every object the log holds, and the references inside it (ruleId and
   ruleIndex name the same rule, relatedLocations' ids are unique, uris
   relative to a uriBaseId that originalUriBaseIds defines).
2. Real values: the results are the text format's lines, one for one
   (file, line, column, level, code, message); each region, read from the
   file in Unicode code points as columnKind says, holds the text the
   diagnostic is about; the fixes, applied, repair the note; the rules'
   default levels are the levels results have without settings; and a
   severity set in .vault-lsp.yaml is the result's level.

Run: python3 tests/cli/check_sarif.py --server build/vault-lsp
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
VAULT = os.path.join(os.path.dirname(HERE), "vault")
LEVELS = {"none", "note", "warning", "error"}
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def run(server, args, cwd):
    p = subprocess.run([server, "check"] + args, cwd=cwd, capture_output=True,
                       text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def nonempty_text(obj, where):
    return check(isinstance(obj, dict) and isinstance(obj.get("text"), str) and obj["text"],
                 f"{where}: a message object with non-empty text")


def validate_region(r, where):
    if not check(isinstance(r, dict), f"{where}: region is an object"):
        return
    for k in ("startLine", "startColumn", "endLine", "endColumn"):
        check(isinstance(r.get(k), int) and r[k] >= 1, f"{where}: region.{k} an integer >= 1")
    if all(isinstance(r.get(k), int) for k in ("startLine", "startColumn", "endLine", "endColumn")):
        check((r["endLine"], r["endColumn"]) >= (r["startLine"], r["startColumn"]),
              f"{where}: region ends after it starts")


def validate_artifact(a, bases, where):
    if not check(isinstance(a, dict), f"{where}: artifactLocation is an object"):
        return
    uri = a.get("uri")
    check(isinstance(uri, str) and uri, f"{where}: artifactLocation.uri")
    if "uriBaseId" in a:
        # SARIF 3.4.4: with a uriBaseId the uri is a relative reference.
        check(a["uriBaseId"] in bases, f"{where}: uriBaseId {a.get('uriBaseId')} is defined")
        check(not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri) and not uri.startswith("/"),
              f"{where}: uri {uri!r} is relative")
    # A URI: no spaces or other characters that must be percent-encoded.
    check(re.fullmatch(r"[A-Za-z0-9\-._~/%!$&'()*+,;=:@]*", uri or "") is not None,
          f"{where}: uri {uri!r} is percent-encoded")


def validate_physical(p, bases, where):
    if not check(isinstance(p, dict), f"{where}: physicalLocation is an object"):
        return
    validate_artifact(p.get("artifactLocation"), bases, where)
    validate_region(p.get("region"), where)


def validate(log):
    """The schema's essential rules; returns the run (or None)."""
    check(log.get("version") == "2.1.0", "version is 2.1.0")
    check(isinstance(log.get("$schema"), str) and log["$schema"].startswith("https://")
          and log["$schema"].endswith("sarif-schema-2.1.0.json"), "$schema names the 2.1.0 schema")
    runs = log.get("runs")
    if not check(isinstance(runs, list) and len(runs) == 1, "exactly one run"):
        return None
    run = runs[0]
    driver = run.get("tool", {}).get("driver", {})
    check(driver.get("name") == "vault-lsp", "tool.driver.name is vault-lsp")
    check(isinstance(driver.get("version"), str) and re.fullmatch(r"\d+\.\d+\.\d+", driver["version"]),
          "tool.driver.version")
    rules = driver.get("rules")
    check(isinstance(rules, list) and rules, "tool.driver.rules is a non-empty array")
    ids = [r.get("id") for r in rules or []]
    check(len(ids) == len(set(ids)), "rule ids are unique")
    for r in rules or []:
        w = f"rule {r.get('id')}"
        check(isinstance(r.get("id"), str) and r["id"], f"{w}: id")
        for k in ("shortDescription", "fullDescription", "help"):
            nonempty_text(r.get(k), f"{w}: {k}")
        check(len(r.get("shortDescription", {}).get("text", "")) <= 1024, f"{w}: short description <= 1024")
        check(r.get("defaultConfiguration", {}).get("level") in LEVELS - {"none"},
              f"{w}: defaultConfiguration.level")
    check(run.get("columnKind") in ("utf16CodeUnits", "unicodeCodePoints"), "run.columnKind")
    bases = run.get("originalUriBaseIds", {})
    for name, loc in bases.items():
        u = loc.get("uri", "")
        check(u.startswith("file:///") and u.endswith("/"),
              f"originalUriBaseIds.{name}: an absolute file URI ending in '/'")
    results = run.get("results")
    if not check(isinstance(results, list), "run.results is an array"):
        return run
    for i, res in enumerate(results):
        w = f"result {i} ({res.get('ruleId')})"
        check(res.get("ruleId") in ids, f"{w}: ruleId is a rule's id")
        ri = res.get("ruleIndex")
        check(isinstance(ri, int) and 0 <= ri < len(ids) and ids[ri] == res.get("ruleId"),
              f"{w}: ruleIndex names the same rule")
        check(res.get("level") in LEVELS, f"{w}: level")
        nonempty_text(res.get("message"), f"{w}: message")
        locs = res.get("locations")
        if check(isinstance(locs, list) and len(locs) == 1, f"{w}: one location"):
            validate_physical(locs[0].get("physicalLocation"), bases, f"{w} location")
        rel_ids = []
        for j, rl in enumerate(res.get("relatedLocations", [])):
            rel_ids.append(rl.get("id"))
            check(isinstance(rl.get("id"), int) and rl["id"] >= 0, f"{w}: relatedLocations[{j}].id")
            nonempty_text(rl.get("message"), f"{w}: relatedLocations[{j}].message")
            validate_physical(rl.get("physicalLocation"), bases, f"{w} related {j}")
        check(len(rel_ids) == len(set(rel_ids)), f"{w}: related location ids are unique")
        for j, fx in enumerate(res.get("fixes", [])):
            nonempty_text(fx.get("description"), f"{w}: fixes[{j}].description")
            changes = fx.get("artifactChanges")
            if not check(isinstance(changes, list) and changes, f"{w}: fixes[{j}].artifactChanges"):
                continue
            for ch in changes:
                validate_artifact(ch.get("artifactLocation"), bases, f"{w} fix {j}")
                reps = ch.get("replacements")
                if check(isinstance(reps, list) and reps, f"{w}: fix {j} replacements"):
                    for rep in reps:
                        validate_region(rep.get("deletedRegion"), f"{w} fix {j} deletedRegion")
                        check(isinstance(rep.get("insertedContent", {}).get("text"), str),
                              f"{w}: fix {j} insertedContent.text")
    return run


def file_of(run, artifact):
    base = run["originalUriBaseIds"][artifact["uriBaseId"]]["uri"]
    return urllib.parse.unquote(urllib.parse.urlparse(base + artifact["uri"]).path)


def region_text(path, r):
    """The text of a region, columns in Unicode code points."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if r["startLine"] == r["endLine"]:
        return lines[r["startLine"] - 1][r["startColumn"] - 1:r["endColumn"] - 1]
    out = [lines[r["startLine"] - 1][r["startColumn"] - 1:]]
    out += lines[r["startLine"]:r["endLine"] - 1]
    out.append(lines[r["endLine"] - 1][:r["endColumn"] - 1])
    return "\n".join(out)


def apply_fix(path, fix):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    (rep,) = fix["artifactChanges"][0]["replacements"]
    r = rep["deletedRegion"]
    assert r["startLine"] == r["endLine"]
    line = lines[r["startLine"] - 1]
    lines[r["startLine"] - 1] = (line[:r["startColumn"] - 1] + rep["insertedContent"]["text"]
                                 + line[r["endColumn"] - 1:])
    return lines[r["startLine"] - 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    server = os.path.abspath(ap.parse_args().server)
    tests = os.path.dirname(HERE)

    code, out, err = run(server, ["--format", "sarif", "vault"], tests)
    check(code == 1, f"exit 1 (the vault has an error), got {code}")
    check(err.strip() == "14 notes: 1 errors, 16 warnings, 20 info, 0 hints",
          f"the summary on stderr, got {err!r}")
    log = json.loads(out)
    run_ = validate(log)
    if run_ is None:
        return finish()
    results = run_["results"]

    # The base is the checked folder; columns are code points.
    check(run_["originalUriBaseIds"] == {"VAULTROOT": {"uri": "file://" + urllib.parse.quote(
        os.path.realpath(VAULT)) + "/"}}, f"VAULTROOT is the vault's URI: {run_['originalUriBaseIds']}")
    check(run_["columnKind"] == "unicodeCodePoints", "columnKind unicodeCodePoints")
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    check(set(rules) == {"unresolved-link", "ambiguous-link", "unresolved-heading",
                         "unresolved-block", "invalid-frontmatter", "duplicate-fact",
                         "near-duplicate-fact", "subsumed-fact", "mojibake", "cross-note-fact",
                         "name-variant", "duplicate-card"}, f"a rule per code: {sorted(rules)}")

    # One for one with the text format.
    _, text, _ = run(server, ["vault"], tests)
    level = {"error": "error", "warning": "warning", "info": "note", "hint": "note"}
    want = []
    for line in text.splitlines()[:-1]:
        m = re.fullmatch(r"vault/(.+?):(\d+):(\d+): (\w+): (.*) \[([a-z-]+)\]", line)
        want.append((m[1], int(m[2]), int(m[3]), level[m[4]], m[6], m[5]))
    got = []
    for r in results:
        p = r["locations"][0]["physicalLocation"]
        path = os.path.relpath(file_of(run_, p["artifactLocation"]), os.path.realpath(VAULT))
        got.append((path, p["region"]["startLine"], p["region"]["startColumn"], r["level"],
                    r["ruleId"], r["message"]["text"]))
    check(got == want, "the results are the text format's lines:\n  " +
          "\n  ".join(f"{g} != {w}" for g, w in zip(got, want) if g != w) +
          f"\n  ({len(got)} results, {len(want)} lines)")
    check(len(results) == 37, f"37 results, got {len(results)}")

    # Without settings a result's level is its rule's default level.
    for r in results:
        check(r["level"] == rules[r["ruleId"]]["defaultConfiguration"]["level"],
              f"{r['ruleId']}: level {r['level']} is the rule's default")

    def find(code, path_part, line):
        for r in results:
            p = r["locations"][0]["physicalLocation"]
            if r["ruleId"] == code and path_part in file_of(run_, p["artifactLocation"]) \
                    and p["region"]["startLine"] == line:
                return r, file_of(run_, p["artifactLocation"]), p["region"]
        failures.append(f"no {code} result at {path_part}:{line}")
        return None, None, None

    # Regions hold what the diagnostic is about, in code points: line 13
    # of Zoë's card starts with an emoji (two UTF-16 units, four bytes).
    r, path, reg = find("unresolved-link", "People/Z", 13)
    if r:
        check(region_text(path, reg) == "[[Orbital Compute]]",
              f"the region is the link, in code points: {region_text(path, reg)!r}")
        check((reg["startColumn"], reg["endColumn"]) == (51, 70), f"columns 51-70: {reg}")
    r, path, reg = find("mojibake", "Northwind dynamics", 27)
    if r:
        check(region_text(path, reg) == "üìÖ", f"the mojibake region: {region_text(path, reg)!r}")
        (fx,) = r["fixes"]
        check(fx["description"]["text"] == "Replace with '📅'", f"fix title: {fx['description']}")
        fixed = apply_fix(path, fx)
        check("@Myself 📅 2026-01-06" in fixed, f"the fix repairs the line: {fixed!r}")
    r, path, reg = find("unresolved-link", "Ragnar Priya 1-1", 49)
    if r:
        check(region_text(path, reg) == "[[Orion Migration - EU Region]]", "the link's region")
        (fx,) = r["fixes"]
        check(fx["description"]["text"] == "Change to [[Orion Migration (EU region)]]",
              f"fix title: {fx['description']}")
        rep = fx["artifactChanges"][0]["replacements"][0]
        check(region_text(path, rep["deletedRegion"]) == "Orion Migration - EU Region",
              "the fix replaces the link's target only")
        check("[[Orion Migration (EU region)]]" in apply_fix(path, fx), "the fix makes the link")
        (rel,) = r["relatedLocations"]
        check(file_of(run_, rel["physicalLocation"]["artifactLocation"]).endswith(
            "/Projects/Orion Migration (EU region).md"), "related: the note meant")
    r, path, reg = find("name-variant", "Ragnar Priya 1-1", 45)
    if r:
        (fx,) = r["fixes"]
        check(fx["description"]["text"] == "Change to [[Marek Nowak]]", "name-variant fix title")
        check("[[Marek Nowak]]" in apply_fix(path, fx), "the name-variant fix writes the card's name")
        check(file_of(run_, r["relatedLocations"][0]["physicalLocation"]["artifactLocation"])
              .endswith("/People/Marek Nowak.md"), "related: the card")
    r, path, reg = find("duplicate-fact", "People/Priya Natarajan.md", 16)
    if r:
        (rel,) = r["relatedLocations"]
        check(rel["physicalLocation"]["region"]["startLine"] == 14, "related: the earlier fact, line 14")
        check("fixes" not in r, "a duplicate fact has no text fix")
    r, path, reg = find("invalid-frontmatter", "Broken Frontmatter", 5)
    if r:
        check(r["level"] == "error" and (reg["startColumn"], reg["endLine"]) == (5, 5), f"{reg}")

    # Settings: the level is the configured severity; --code filters.
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(VAULT, os.path.join(tmp, "vault"), symlinks=True)
        with open(os.path.join(tmp, "vault", ".vault-lsp.yaml"), "w") as f:
            f.write("diagnostics: {ambiguous-link: error, mojibake: off}\n")
        code, out, err = run(server, ["--format", "sarif", "--code", "ambiguous-link,mojibake",
                                      "vault"], tmp)
        res = validate(json.loads(out))["results"]
        check(code == 1, f"an ambiguous link as an error fails the check: exit {code}")
        check([r["ruleId"] for r in res] == ["ambiguous-link"] * 3, f"3 ambiguous links: {res}")
        check(all(r["level"] == "error" and r["properties"]["severity"] == "error" for r in res),
              "the configured level")
        check(len(json.loads(out)["runs"][0]["tool"]["driver"]["rules"]) == 12,
              "every rule is listed whatever is reported")
        check(err.endswith("14 notes: 3 errors, 0 warnings, 0 info, 0 hints (32 more not shown)\n"),
              f"summary: {err!r}")

    # An empty vault: a valid log with no results, exit 0.
    with tempfile.TemporaryDirectory() as tmp:
        code, out, err = run(server, ["--format", "sarif", tmp], tmp)
        run_ = validate(json.loads(out))
        check(code == 0 and run_ and run_["results"] == [], "an empty vault: no results, exit 0")
    return finish()


def finish():
    for f in failures:
        print("FAIL:", f)
    print(f"check_sarif: {'FAILED' if failures else 'passed'} ({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
