#!/usr/bin/env python3
"""references_property.py — references and definition agree, on a vault
made for it, before and after a burst of random edits and file changes.

    references_property.py --server build/vault-lsp [--seed N] [--rounds K]

The vault (written to a temporary folder) holds people, projects and
meetings with every form of reference: [[Name]], [[Folder/Name]],
[[Name.md]], [[Name|display]], [[Name#Heading]], [[Name#^block]], embeds,
[[#Local heading]], Markdown links ([x](../People/A%20B.md)), aliases, a
name two notes share (ambiguous), names no
note has, people values in frontmatter, owner: "[[Project]]", With lines,
emoji before links (UTF-16 columns), tags (nested, in frontmatter and
text). The test finds every reference site
itself, from the text it wrote (not from the server), and checks over
real pipes that
  1. for every site S that has a definition D, references(D) contains S;
  2. for every note, heading and block T that some definition reaches,
     references(T) is exactly the set of sites whose definition is T
     (for a note: whose definition is anywhere in it);
then edits open buffers (links added and removed, headings renamed,
aliases added), creates, deletes and renames files on disk (telling the
server as a watching client would), and checks again.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

FIRST = ["Ada", "Bjorn", "Chiara", "Dev", "Elin", "Farid", "Greta", "Hamid", "Ines", "Jonas",
         "Kari", "Lena", "Mads", "Nora", "Oskar", "Pia"]
LAST = ["Alvik", "Berg", "Castell", "Dahl", "Eide", "Falk", "Grimstad", "Holm", "Iversen",
        "Jensen", "Krog", "Lund", "Moe", "Nygaard", "Ovre", "Pettersen"]
WORDS = ["Lighthouse", "Orion", "Beacon", "Harbor", "Atlas", "Comet", "Delta", "Ember"]
SECTIONS = ["Notes", "Decisions", "Risks", "Milestones", "Open questions"]


def uri_of(path):
    return "file://" + urllib.parse.quote(path)


def u16(s):
    return len(s.encode("utf-16-le")) // 2


class Server:
    def __init__(self, binary, root):
        self.p = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
        self.next = 1
        self.versions = {}
        self.root = root
        caps = {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}
        self.call("initialize", {"processId": os.getpid(), "rootUri": uri_of(root),
                                 "capabilities": caps})
        self.notify("initialized", {})
        self.wait_indexed()

    def wait_indexed(self):
        """Definitions asked while the vault is indexed answer from the notes
        in so far; workspace/symbol is answered once all of them are."""
        self.call("workspace/symbol", {"query": ""})

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def recv(self):
        n = None
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise SystemExit("the server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                n = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(n))

    def call(self, method, params):
        rid = self.next
        self.next += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            m = self.recv()
            if "method" in m and "id" in m:  # a request of the server's: accept it
                self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
                continue
            if m.get("id") == rid and "method" not in m:
                if "error" in m:
                    raise SystemExit(f"{method} failed: {m['error']}")
                return m.get("result")

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def open(self, path, text):
        self.versions[path] = 1
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri_of(path), "languageId": "markdown", "version": 1, "text": text}})

    def change(self, path, text):
        self.versions[path] += 1
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri_of(path), "version": self.versions[path]},
            "contentChanges": [{"text": text}]})

    def close(self, path):
        del self.versions[path]
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri_of(path)}})

    def watched(self, changes):
        self.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": uri_of(p), "type": t} for p, t in changes]})

    def stop(self):
        self.call("shutdown", None)
        self.notify("exit", None)
        self.p.wait(timeout=10)


# --------------------------------------------------------------------------
# The vault

class Vault:
    def __init__(self, root, rng):
        self.root = root
        self.rng = rng
        self.notes = {}  # rel -> text
        people = set()
        while len(people) < 12:
            people.add(f"{rng.choice(FIRST)} {rng.choice(LAST)}")
        self.people = sorted(people)
        self.projects = [f"Project {w}" for w in rng.sample(WORDS, 5)]
        self.aliases = {}
        for p in self.people[:4]:
            self.aliases[p] = p.split()[0] + "y"  # unique nicknames
        self.headings = {}
        self.blocks = {}
        for p in self.people:
            self.add_card(f"People/{p}.md", p, "person")
        # The same name twice: links to it are ambiguous.
        self.add_card(f"Contacts/{self.people[5]}.md", self.people[5], "person")
        for p in self.projects:
            self.add_card(f"Projects/{p}.md", p, "project")
        for i in range(18):
            self.add_meeting(i)

    def names(self):
        return [os.path.splitext(os.path.basename(r))[0] for r in self.notes]

    def add_card(self, rel, name, kind):
        rng = self.rng
        secs = rng.sample(SECTIONS, 3)
        self.headings[rel] = secs
        blocks = [f"b{rng.randrange(10**6):06d}" for _ in range(2)]
        self.blocks[rel] = blocks
        fm = [f"type: {kind}", f"tags: [topic, kind/{kind}]"]
        if name in self.aliases:
            fm.append(f"aliases: [{self.aliases[name]}]")
        body = [f"# {name}", "", f"Filed under #topic/{rng.choice(WORDS).lower()} and #{kind}.", ""]
        for k, s in enumerate(secs):
            body += [f"## {s}", ""]
            body.append(f"- {self.prose()} {self.link(rel)} ^{blocks[k]}" if k < 2
                        else f"- {self.prose()} {self.link(rel)}")
            body.append(f"- {self.prose()} 🚀 {self.link(rel)} and {self.link(rel)}")
            body.append("")
        self.notes[rel] = "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body)

    def add_meeting(self, i):
        rng = self.rng
        rel = f"Meetings/2026-01-{i + 1:02d} - {rng.choice(WORDS)} sync.md"
        who = rng.sample(self.people, 3)
        spelt = [self.aliases.get(w, w) if rng.random() < 0.3 else w for w in who]
        if rng.random() < 0.3:
            spelt.append("Nobody Atall")
        self.headings[rel] = ["Summary", "Decisions"]
        self.blocks[rel] = [f"m{i:02d}"]
        fm = ["type: meeting", "participants: [" + ", ".join(f'"{w}"' for w in spelt) + "]",
              f'owner: "[[{rng.choice(self.projects)}]]"']
        body = ["# Sync", "", "**With**: " + ", ".join(spelt), "", "## Summary", ""]
        # A Markdown link to a card, its path percent-encoded.
        card = f"People/{who[0]}.md"
        if card in self.notes:
            body += [f"Minutes for [{who[0].split()[0]}](../{card.replace(' ', '%20')}).", ""]
        for _ in range(4):
            body.append(f"- {self.prose()} {self.link(rel)}")
        body += ["", f"Decided with {self.link(rel)}. ^m{i:02d}", "", "## Decisions", "",
                 f"- See [[#Summary]] and {self.link(rel)}", ""]
        self.notes[rel] = "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body)

    def prose(self):
        return self.rng.choice(["Talked to", "Agreed with", "Écrit par", "Met", "Noted by"])

    def link(self, here):
        """A link of a random form to a random note, heading or block."""
        rng = self.rng
        pool = [r for r in self.notes if r != here] or [here]
        rel = rng.choice(pool + ["People/" + self.people[0] + ".md"])
        stem = os.path.splitext(os.path.basename(rel))[0]
        form = rng.randrange(11)
        if form == 0:
            return f"[[{rel[:-3]}]]"
        if form == 1:
            return f"[[{stem}.md]]"
        if form == 2:
            return f"[[{stem}|{stem.split()[0]}]]"
        if form == 3 and self.headings.get(rel):
            return f"[[{stem}#{rng.choice(self.headings[rel])}]]"
        if form == 4 and self.blocks.get(rel):
            return f"[[{stem}#^{rng.choice(self.blocks[rel])}]]"
        if form == 5:
            return f"![[{stem}]]"
        if form == 6 and stem in self.aliases:
            return f"[[{self.aliases[stem]}]]"
        if form == 7:
            return "[[Nobody Atall]]"
        if form == 8:
            return f"[[{stem}#No such heading]]"
        return f"[[{stem}]]"

    def write(self):
        for rel, text in self.notes.items():
            path = os.path.join(self.root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)


# --------------------------------------------------------------------------
# The oracle: the sites of a text, found here and not by the server

LINK = re.compile(r"!?\[\[([^\[\]]*)\]\]")
MDLINK = re.compile(r"\[[^\]\n]*\]\((<([^>\n]*\.md)(#[^>\n]*)?>|([^)\s#]*\.md)(#[^)\s]*)?)\)")
PEOPLE_KEYS = ("participants",)


def line_cols(text, start, end):
    line = text.count("\n", 0, start)
    ls = text.rfind("\n", 0, start) + 1
    return (line, u16(text[ls:start]), text.count("\n", 0, end),
            u16(text[text.rfind("\n", 0, end) + 1:end]))


def sites(text):
    """Every reference site: (line, col, end line, end col) in UTF-16."""
    out = []
    fm_end = text.find("\n---\n", 4) + 5 if text.startswith("---\n") else 0
    for m in LINK.finditer(text, fm_end):
        out.append(line_cols(text, m.start(), m.end()))
    for m in MDLINK.finditer(text, fm_end):
        g = 2 if m.group(2) else 4  # the path, without '<', '>' or '#'
        out.append(line_cols(text, m.start(g), m.end(g)))
    pos = 0
    for line in text[:fm_end].split("\n"):
        key, _, rest = line.partition(":")
        if key in PEOPLE_KEYS:
            for v in re.finditer(r'"([^"]*)"', rest):
                s = pos + len(key) + 1 + v.start(1)
                out.append(line_cols(text, s, s + len(v.group(1))))
        elif '"[[' in rest:
            v = re.search(r'"(\[\[[^"]*\]\])"', rest)
            s = pos + len(key) + 1 + v.start(1)
            out.append(line_cols(text, s, s + len(v.group(1))))
        pos += len(line) + 1
    for m in re.finditer(r"^\*\*With\*\*: (.*)$", text, re.M):
        s = m.start(1)
        for name in m.group(1).split(", "):
            out.append(line_cols(text, s, s + len(name)))
            s += len(name) + 2
    return sorted(out)


# --------------------------------------------------------------------------
# The property

def loc_key(loc, root):
    r = loc["range"]
    rel = urllib.parse.unquote(loc["uri"])[len("file://") + len(root) + 1:]
    return (rel, r["start"]["line"], r["start"]["character"], r["end"]["line"],
            r["end"]["character"])


def check(srv, vault, round_name):
    root = vault.root
    by_target = {}   # definition key -> sites
    by_note = {}     # rel -> sites whose definition is in it
    n_sites = n_defs = 0
    failures = []
    for rel in sorted(srv_open(srv)):
        path = os.path.join(root, rel)
        text = vault.notes[rel]
        for (l1, c1, l2, c2) in sites(text):
            n_sites += 1
            mid = c1 + max(1, (c2 - c1) // 2) if l1 == l2 else c1 + 1
            d = srv.call("textDocument/definition", {"textDocument": {"uri": uri_of(path)},
                                                     "position": {"line": l1, "character": mid}})
            if not d:
                continue
            n_defs += 1
            target = loc_key(d[0], root)
            site = (rel, l1, c1, l2, c2)
            by_target.setdefault(target, set()).add(site)
            by_note.setdefault(target[0], set()).add(site)
    asked = 0
    for target, want in sorted(by_target.items()):
        rel, line, col = target[0], target[1], target[2]
        if (line, col) == (0, 0):
            continue  # the note as a whole: checked below
        text = vault.notes[rel]
        row = text.split("\n")[line]
        if not row.startswith("#"):
            # A block: its definition spans the block; ask on its id.
            line = target[3]
            row = text.split("\n")[line]
            col = u16(row[:row.rindex("^")])
        got = refs(srv, root, rel, line, col)
        asked += 1
        if got != want:
            failures.append((f"{rel}:{line}:{col}", want, got))
    for rel, want in sorted(by_note.items()):
        if rel not in vault.notes:
            continue
        got = refs(srv, root, rel, 0, 0)
        asked += 1
        if got != want:
            failures.append((f"{rel} (the note)", want, got))
    for where, want, got in failures[:5]:
        print(f"{round_name}: references at {where}:\n  missing {sorted(want - got)[:4]}\n"
              f"  extra   {sorted(got - want)[:4]}", file=sys.stderr)
    print(f"{round_name}: {n_sites} sites, {n_defs} with a definition, {asked} targets asked, "
          f"{len(failures)} wrong")
    return not failures


def refs(srv, root, rel, line, col):
    path = os.path.join(root, rel)
    if path not in srv.versions:
        srv.open(path, VAULT.notes[rel])
    r = srv.call("textDocument/references", {
        "textDocument": {"uri": uri_of(path)}, "position": {"line": line, "character": col},
        "context": {"includeDeclaration": False}}) or []
    return {loc_key(l, root) for l in r}


def srv_open(srv):
    return [os.path.relpath(p, VAULT.root) for p in srv.versions]


# --------------------------------------------------------------------------
# The burst

def burst(srv, vault, rng):
    rels = sorted(vault.notes)
    for _ in range(25):
        rel = rng.choice(rels)
        if rel not in vault.notes:
            continue
        path = os.path.join(vault.root, rel)
        text = vault.notes[rel]
        lines = text.split("\n")
        what = rng.randrange(5)
        if what == 0:    # a link added
            lines.append(f"- {vault.prose()} {vault.link(rel)}")
        elif what == 1:  # a line with links removed
            idx = [i for i, l in enumerate(lines) if l.startswith("- ") and "[[" in l]
            if idx:
                del lines[rng.choice(idx)]
        elif what == 2:  # a heading renamed: links to it now miss it
            idx = [i for i, l in enumerate(lines) if l.startswith("## ")]
            if idx:
                i = rng.choice(idx)
                lines[i] = "## " + rng.choice(SECTIONS) + " " + str(rng.randrange(9))
        elif what == 3 and rel.startswith("People/"):  # an alias declared
            stem = os.path.basename(rel)[:-3]
            nick = stem.split()[1] + "son"
            if "aliases:" not in text and nick not in vault.aliases.values():
                lines.insert(1, f"aliases: [{nick}]")
                vault.aliases[stem] = nick
        else:            # a With line
            lines.append("**With**: " + ", ".join(rng.sample(vault.people, 2)))
        text = "\n".join(lines)
        vault.notes[rel] = text
        srv.change(path, text)
    # Files on disk: a new note, one deleted, one renamed.
    rel = "People/Quinn Zeller.md"
    vault.people.append("Quinn Zeller")
    vault.add_card(rel, "Quinn Zeller", "person")
    for r in rng.sample(sorted(vault.notes), 4):
        if r.startswith("Meetings/"):
            vault.notes[r] += f"\n- With [[Quinn Zeller]] and [[Quinn Zeller#{vault.headings[rel][0]}]]\n"
            srv.change(os.path.join(vault.root, r), vault.notes[r])
    changes = []
    path = os.path.join(vault.root, rel)
    with open(path, "w", encoding="utf-8") as f:
        f.write(vault.notes[rel])
    changes.append((path, 1))
    gone = rng.choice([r for r in vault.notes if r.startswith("Projects/")])
    gpath = os.path.join(vault.root, gone)
    srv.close(gpath)
    os.remove(gpath)
    del vault.notes[gone]
    changes.append((gpath, 3))
    moved = rng.choice([r for r in vault.notes if r.startswith("People/") and r != rel])
    mpath = os.path.join(vault.root, moved)
    new = "Contacts/" + os.path.basename(moved)
    npath = os.path.join(vault.root, new)
    srv.close(mpath)
    os.makedirs(os.path.dirname(npath), exist_ok=True)
    os.rename(mpath, npath)
    vault.notes[new] = vault.notes.pop(moved)
    vault.headings[new] = vault.headings[moved]
    vault.blocks[new] = vault.blocks[moved]
    changes += [(mpath, 3), (npath, 1)]
    srv.watched(changes)
    for r in (rel, new):
        srv.open(os.path.join(vault.root, r), vault.notes[r])


VAULT = None


def main():
    global VAULT
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp = tempfile.mkdtemp(prefix="vault-refs-")
    ok = True
    try:
        VAULT = Vault(os.path.realpath(tmp), rng)
        VAULT.write()
        srv = Server(args.server, VAULT.root)
        for rel, text in VAULT.notes.items():
            srv.open(os.path.join(VAULT.root, rel), text)
        ok = check(srv, VAULT, "before")
        for k in range(args.rounds):
            burst(srv, VAULT, rng)
            ok = check(srv, VAULT, f"after burst {k + 1}") and ok
        srv.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
