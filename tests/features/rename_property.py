#!/usr/bin/env python3
"""rename_property.py — renames and moves break no link, on a vault made
for it (references_property.py's), applied on disk as a client would.

    rename_property.py --server build/vault-lsp [--seed N] [--steps K]

Each step renames something at a random place — a note (from a link to
it, its title heading or its body; sometimes to the name of a note in
another folder), a heading (from its line or a link's subpath), a block
id, an alias — or moves a folder (workspace/willRenameFiles). The
WorkspaceEdit is applied to the files (text edits in UTF-16, then the file
renames), the server told as an editor tells it (didChange, didClose and
didOpen under the new name, didRenameFiles). Then every reference site,
found by the test in the text, must lead where it led before (the note,
heading or block under its new name and path), none may have become
ambiguous, and every edit must lie inside a reference or the renamed
declaration: no other byte of the vault changes.
"""
import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import references_property as rp  # noqa: E402


def uri_path(uri):
    return urllib.parse.unquote(uri[len("file://"):])


def apply_text_edits(text, edits):
    """TextEdits (UTF-16 ranges) applied to text, the last first."""
    lines = text.split("\n")

    def offset(pos):
        line = lines[pos["line"]] if pos["line"] < len(lines) else ""
        before = sum(len(l) + 1 for l in lines[:pos["line"]])
        units, i = 0, 0
        while i < len(line) and units < pos["character"]:
            units += 2 if ord(line[i]) > 0xFFFF else 1
            i += 1
        return before + i

    spans = sorted(((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"])
                    for e in edits), reverse=True)
    for s, e, new in spans:
        text = text[:s] + new + text[e:]
    return text, [(s, e) for s, e, _ in spans]


class World:
    def __init__(self, binary, seed):
        self.rng = random.Random(seed)
        self.tmp = tempfile.mkdtemp(prefix="vault-rename-")
        self.vault = rp.Vault(os.path.realpath(self.tmp), self.rng)
        rp.VAULT = self.vault
        self.vault.write()
        caps = {"workspace": {"workspaceEdit": {"documentChanges": True,
                                                "resourceOperations": ["create", "rename", "delete"]},
                              "didChangeWatchedFiles": {"dynamicRegistration": True}}}
        self.srv = rp.Server.__new__(rp.Server)
        self.srv.p = rp.subprocess.Popen([binary], stdin=rp.subprocess.PIPE, stdout=rp.subprocess.PIPE,
                                         stderr=rp.subprocess.DEVNULL)
        self.srv.next = 1
        self.srv.versions = {}
        self.srv.root = self.vault.root
        self.srv.call("initialize", {"processId": os.getpid(), "rootUri": rp.uri_of(self.vault.root),
                                     "capabilities": caps})
        self.srv.notify("initialized", {})
        self.srv.wait_indexed()
        for rel, text in self.vault.notes.items():
            self.srv.open(self.path(rel), text)
        self.fresh = 0

    def path(self, rel):
        return os.path.join(self.vault.root, rel)

    def rel(self, path):
        return os.path.relpath(path, self.vault.root)

    # -- what every site means ---------------------------------------------
    def meanings(self):
        """rel -> [(site, target)] in site order; target is (rel, line
        text at the definition's start) or None."""
        out = {}
        for rel in sorted(self.vault.notes):
            text = self.vault.notes[rel]
            rows = []
            for (l1, c1, l2, c2) in rp.sites(text):
                mid = c1 + max(1, (c2 - c1) // 2) if l1 == l2 else c1 + 1
                d = self.srv.call("textDocument/definition", {
                    "textDocument": {"uri": rp.uri_of(self.path(rel))},
                    "position": {"line": l1, "character": mid}})
                target = None
                if d:
                    trel = self.rel(uri_path(d[0]["uri"]))
                    r = d[0]["range"]
                    lines = self.vault.notes[trel].split("\n")
                    # What it leads to: the top, or the block's or heading's
                    # last line (a block's id sits there).
                    line = lines[r["end"]["line"]] if r != {"start": {"line": 0, "character": 0},
                                                             "end": {"line": 0, "character": 0}} else None
                    target = (trel, self.anchor(line), len(d))
                rows.append(((l1, c1, l2, c2), target))
            out[rel] = rows
        return out

    @staticmethod
    def anchor(line):
        if line is None:
            return None
        if line.startswith("#"):
            return ("heading", line.lstrip("#").strip())
        if "^" in line:
            return ("block", line[line.rindex("^") + 1:].strip())
        return ("line", line)

    # -- applying a WorkspaceEdit as a client ------------------------------
    def apply(self, edit, moves=()):
        """Applies edit (and, for willRenameFiles, the moves after it);
        returns {rel: [(start, end) of each edit in the old text]}."""
        touched = {}
        renames = []
        for change in edit.get("documentChanges", []):
            if change.get("kind") == "rename":
                renames.append((uri_path(change["oldUri"]), uri_path(change["newUri"])))
                continue
            assert change.get("kind") is None, change
            rel = self.rel(uri_path(change["textDocument"]["uri"]))
            version = change["textDocument"].get("version")
            if version is not None and version != self.srv.versions.get(self.path(rel)):
                raise SystemExit(f"stale version for {rel}: {version}")
            new, spans = apply_text_edits(self.vault.notes[rel], change["edits"])
            touched.setdefault(rel, []).extend(spans)
            self.vault.notes[rel] = new
            with open(self.path(rel), "w", encoding="utf-8") as f:
                f.write(new)
            self.srv.change(self.path(rel), new)
        for old, new in list(renames) + list(moves):
            self.move(old, new)
        return touched

    def move(self, old, new):
        orel, nrel = self.rel(old), self.rel(new)
        moved = [r for r in self.vault.notes if r == orel or r.startswith(orel + "/")]
        for r in moved:
            self.srv.close(self.path(r))
        os.makedirs(os.path.dirname(new), exist_ok=True)
        os.rename(old, new)
        self.srv.notify("workspace/didRenameFiles", {"files": [
            {"oldUri": rp.uri_of(old), "newUri": rp.uri_of(new)}]})
        for r in moved:
            to = nrel + r[len(orel):]
            self.vault.notes[to] = self.vault.notes.pop(r)
            for table in (self.vault.headings, self.vault.blocks):
                if r in table:
                    table[to] = table.pop(r)
            self.srv.open(self.path(to), self.vault.notes[to])
        return {r: nrel + r[len(orel):] for r in moved}


TAG = re.compile(r"(?<![\w/#])#([A-Za-z][\w/-]*)")


def tags_of(text):
    """Every tag a note writes (folded), in the frontmatter's tags: list
    and in its text, as the test wrote them."""
    out = []
    fm_end = text.find("\n---\n", 4) if text.startswith("---\n") else -1
    for line in text[:max(fm_end, 0)].split("\n"):
        if line.startswith("tags: ["):
            out += [t.strip().lower() for t in line[len("tags: ["):-1].split(",")]
    for m in TAG.finditer(text[fm_end + 5 if fm_end >= 0 else 0:]):
        out.append(m.group(1).lower())
    return sorted(out)


def retag(tag, old, new):
    old, new = old.lower(), new.lower()
    if tag == old or tag.startswith(old + "/"):
        return new + tag[len(old):]
    return tag


def pos_of(text, needle, nth=0):
    i = -1
    for _ in range(nth + 1):
        i = text.find(needle, i + 1)
        if i < 0:
            return None
    line = text.count("\n", 0, i)
    col = rp.u16(text[text.rfind("\n", 0, i) + 1:i])
    return {"line": line, "character": col}


def step(w, k):
    """One random rename; returns (description, path map, expected renames
    of anchors, the declaration lines the edit may touch) or None."""
    rng, v = w.rng, w.vault
    kind = rng.choice(["note", "note", "heading", "block", "alias", "folder", "tag"])
    rels = sorted(v.notes)
    if kind == "folder":
        folder = rng.choice(["Projects", "Meetings", "People", "Contacts"])
        if not any(r.startswith(folder + "/") for r in rels):
            return None
        new = f"Archive{k}/{folder}"
        old_abs, new_abs = w.path(folder), w.path(new)
        edit = w.srv.call("workspace/willRenameFiles", {"files": [
            {"oldUri": rp.uri_of(old_abs), "newUri": rp.uri_of(new_abs)}]}) or {}
        return f"move {folder}/ to {new}/", edit, [(old_abs, new_abs)], {}
    rel = rng.choice(rels)
    text = v.notes[rel]
    stem = os.path.basename(rel)[:-3]
    if kind == "note":
        # A namesake elsewhere: projects are named by links only, so links
        # to them must be given paths; people also by plain names (refused).
        others = [r for r in rels if os.path.dirname(r) != os.path.dirname(rel)
                  and ("Projects/" in r or rng.random() < 0.3)]
        if rng.random() < 0.35 and others:
            new = os.path.basename(rng.choice(others))[:-3]  # a namesake elsewhere
        else:
            w.fresh += 1
            new = f"Renamed {w.fresh} {rng.choice(rp.LAST)}"
        # From a link to it elsewhere, its title, or its body.
        where = None
        linking = [r for r in rels if f"[[{stem}]]" in v.notes[r] and r != rel]
        if linking and rng.random() < 0.5:
            src = rng.choice(linking)
            p = pos_of(v.notes[src], f"[[{stem}]]")
            where = (src, {"line": p["line"], "character": p["character"] + 3})
        elif rng.random() < 0.5 and text.find("\n# ") >= 0:
            where = (rel, pos_of(text, "\n# ") and {"line": pos_of(text, "\n# ")["line"] + 1, "character": 3})
        else:
            where = (rel, {"line": len(text.split("\n")) - 2, "character": 0})
        desc = f"rename note {rel} to {new!r}"
    elif kind == "heading":
        heads = [h for h in v.headings.get(rel, []) if f"\n## {h}\n" in text]
        if not heads:
            return None
        h = rng.choice(heads)
        new = f"{h} renamed {k}"
        where = (rel, {"line": pos_of(text, f"\n## {h}\n")["line"] + 1, "character": 4})
        desc = f"rename heading {rel}#{h} to {new!r}"
    elif kind == "block":
        blocks = [b for b in v.blocks.get(rel, []) if f"^{b}" in text]
        if not blocks:
            return None
        b = rng.choice(blocks)
        new = f"r{k}{b}"
        p = pos_of(text, f"^{b}")
        where = (rel, {"line": p["line"], "character": p["character"] + 2})
        desc = f"rename block {rel}#^{b} to ^{new}"
    elif kind == "tag":
        # A parent from the frontmatter ("topic": its nested tags follow)
        # or a nested one from the text.
        if "tags: [topic" in text and rng.random() < 0.5:
            line = text.split("\n").index(next(l for l in text.split("\n") if l.startswith("tags: [")))
            where = (rel, {"line": line, "character": len("tags: [") + 1})
        else:
            m = re.search(r"#topic/\w+", text)
            if not m:
                return None
            p = pos_of(text, m.group(0))
            where = (rel, {"line": p["line"], "character": p["character"] + 2})
        new = f"subject{k}"
        desc = f"rename a tag of {rel} to #{new}"
    else:
        if "aliases: [" not in text:
            return None
        line = text.split("\n").index(next(l for l in text.split("\n") if l.startswith("aliases: [")))
        new = f"Nick{k}"
        where = (rel, {"line": line, "character": len("aliases: [") + 1})
        desc = f"rename the alias of {rel} to {new!r}"
    src, pos = where
    uri = rp.uri_of(w.path(src))
    prep = w.srv.call("textDocument/prepareRename", {"textDocument": {"uri": uri}, "position": pos})
    if not prep:
        return None
    try:
        edit = w.srv.call("textDocument/rename", {"textDocument": {"uri": uri}, "position": pos,
                                                  "newName": new})
    except SystemExit as e:  # a refusal (a name that exists): fine, nothing changes
        return (f"{desc}: refused ({e})", None, [], {})
    return desc, edit, [], {"kind": kind, "new": new, "placeholder": prep.get("placeholder"),
                            "note": rel}


def check_annotations(binary):
    """Over 50 files: each edit and the file rename carry an annotation
    that needs confirmation, for a client that supports them; not for one
    that does not."""
    tmp = tempfile.mkdtemp(prefix="vault-annot-")
    ok = True
    try:
        root = os.path.realpath(tmp)
        os.makedirs(os.path.join(root, "Meetings"))
        with open(os.path.join(root, "Target.md"), "w") as f:
            f.write("# Target\n")
        for i in range(60):
            with open(os.path.join(root, "Meetings", f"M{i}.md"), "w") as f:
                f.write(f"- met [[Target]] ({i})\n")
        for support in (True, False):
            we = {"documentChanges": True, "resourceOperations": ["rename"]}
            if support:
                we["changeAnnotationSupport"] = {"groupsOnLabel": True}
            srv = rp.Server.__new__(rp.Server)
            srv.p = rp.subprocess.Popen([binary], stdin=rp.subprocess.PIPE,
                                        stdout=rp.subprocess.PIPE, stderr=rp.subprocess.DEVNULL)
            srv.next, srv.versions, srv.root = 1, {}, root
            srv.call("initialize", {"processId": os.getpid(), "rootUri": rp.uri_of(root),
                                    "capabilities": {"workspace": {"workspaceEdit": we}}})
            srv.notify("initialized", {})
            path = os.path.join(root, "Target.md")
            srv.open(path, "# Target\n")
            edit = srv.call("textDocument/rename", {"textDocument": {"uri": rp.uri_of(path)},
                                                    "position": {"line": 0, "character": 3},
                                                    "newName": "Goal"})
            srv.stop()
            changes = edit.get("documentChanges", [])
            ids = [e.get("annotationId") for c in changes for e in c.get("edits", [])] + \
                  [c.get("annotationId") for c in changes if c.get("kind") == "rename"]
            notes = edit.get("changeAnnotations", {})
            if support:
                good = len(changes) == 62 and ids and all(i == "vault-lsp.rename" for i in ids) and \
                    notes.get("vault-lsp.rename", {}).get("needsConfirmation") is True
            else:
                good = len(changes) == 62 and not any(ids) and not notes
            print(f"61 files renamed by a client {'with' if support else 'without'} annotations: "
                  f"{len(changes)} changes, {'ok' if good else 'WRONG'}")
            ok = ok and good
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--steps", type=int, default=24)
    args = ap.parse_args()
    ok = check_annotations(args.server)
    w = World(args.server, args.seed)
    try:
        before = w.meanings()
        done = 0
        for k in range(args.steps * 3):
            if done == args.steps:
                break
            s = step(w, k)
            if not s:
                continue
            desc, edit, moves, info = s
            if edit is None:
                print(desc)
                continue
            done += 1
            # Anchors renamed: heading and block texts, as the test knows them.
            old_notes = dict(w.vault.notes)
            old_tags = {r: tags_of(t) for r, t in old_notes.items()}
            touched = w.apply(edit)
            pathmap = {}
            for old, new in moves:
                pathmap.update(w.move(old, new))
            for ch in edit.get("documentChanges", []):
                if ch.get("kind") == "rename":
                    pathmap[w.rel(uri_path(ch["oldUri"]))] = w.rel(uri_path(ch["newUri"]))
            renamed_anchor = {}
            if info.get("kind") in ("heading", "block"):
                renamed_anchor[(info["note"], (info["kind"], info["placeholder"]))] = \
                    (info["kind"], info["new"])
            after = w.meanings()
            bad = 0
            for rel, rows in before.items():
                nrel = pathmap.get(rel, rel)
                now = after.get(nrel)
                if now is None or len(now) != len(rows):
                    print(f"{desc}: {rel} has {len(rows)} sites, now {now and len(now)}", file=sys.stderr)
                    bad += 1
                    continue
                for (site, t0), (_, t1) in zip(rows, now):
                    # A name written plain (a people value, a With name)
                    # that already meant two notes follows the one the
                    # resolution prefers: it can take no path (README).
                    line = w.vault.notes[nrel].split("\n")[site[0]]
                    plain = "[[" not in line[max(0, site[1] - 3):site[3] + 2]
                    if plain and t0 and t0[2] > 1:
                        continue
                    want = None
                    if t0:
                        trel, anchor, n = t0
                        anchor = renamed_anchor.get((trel, anchor), anchor)
                        want = (pathmap.get(trel, trel), anchor, n)
                    got = t1
                    if want and got and want[2] < got[2]:
                        print(f"{desc}: {rel} {site} became ambiguous", file=sys.stderr)
                        bad += 1
                    if (want and (not got or got[:2] != want[:2])) or (not want and got):
                        print(f"{desc}: {rel} {site} led to {want}, now {got}", file=sys.stderr)
                        bad += 1
            if info.get("kind") == "tag":
                # Every place of the tag or one nested under it renamed,
                # and nothing else.
                for rel, before_tags in old_tags.items():
                    want = sorted(retag(t, info["placeholder"], info["new"]) for t in before_tags)
                    if tags_of(w.vault.notes[rel]) != want:
                        print(f"{desc}: the tags of {rel} are {tags_of(w.vault.notes[rel])}, "
                              f"not {want}", file=sys.stderr)
                        bad += 1
                touched = {}
            # Every edit inside a reference, or the declaration renamed.
            for rel, spans in touched.items():
                text = old_notes[rel]
                lines = text.split("\n")
                starts = [0]
                for l in lines:
                    starts.append(starts[-1] + len(l) + 1)
                refs = []
                for (l1, c1, l2, c2) in rp.sites(text):
                    refs.append((l1, c1, l2, c2))
                for s, e in spans:
                    line = text.count("\n", 0, s)
                    col = rp.u16(text[starts[line]:s])
                    ecol = rp.u16(text[starts[line]:e])
                    inside = any(l1 == line and c1 <= col and ecol <= c2 for (l1, c1, l2, c2) in refs)
                    row = lines[line]
                    decl = row.startswith("#") or row.startswith("aliases:") or "^" in row[col - 1:ecol + 1] \
                        or row.startswith(("name:", "title:"))
                    if not inside and not decl:
                        print(f"{desc}: an edit outside any reference in {rel}:{line}: "
                              f"{row[:col]!r} [{text[s:e]!r}] ...", file=sys.stderr)
                        bad += 1
            print(f"{desc}: {sum(len(s) for s in touched.values())} edits in {len(touched)} notes"
                  f"{', moved ' + str(len(pathmap)) if pathmap else ''}: {'ok' if not bad else f'{bad} WRONG'}")
            ok = ok and not bad
            before = after
        w.srv.stop()
    finally:
        shutil.rmtree(w.tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
