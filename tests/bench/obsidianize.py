#!/usr/bin/env python3
"""Adds to a copy of a vault what real Obsidian vaults hold and generated
ones lack, each written as Obsidian reads it, so that every diagnostic it
causes is false — and a few things that are really wrong, so that the true
ones can be counted too:

  attachments   images, PDFs, audio, canvases and bases in attachment
                folders, embedded by name in another letter case, by path
                suffix, with |300 sizes and #page=3 / #icon subpaths
  comments      %% ... %% inline, multi-line and unclosed, holding template
                links and headings; <!-- ... --> likewise
  relative      [[./Sibling]] and [[../Folder/Note]] links
  glued ids     ![[chart.png]]^fig-3 and a link to that block
  code          hex dumps and Latin-1 text inside fences and code spans
  true          links to a missing attachment and a missing relative
                note: these must stay reported

Usage:
    python3 tests/bench/obsidianize.py --vault /tmp/gv10k --out /tmp/ob10k [--seed 1] [--rate 0.3]

Prints how many of each hazard it wrote (and how many true problems), so
that `vault-lsp check --format json` counts per code can be read against
them. Deterministic for (vault, seed, rate).
"""
import argparse
import os
import random
import shutil

KINDS = [("png", b"\x89PNG\r\n\x1a\n"), ("webp", b"RIFF\0\0\0\0WEBP"), ("pdf", b"%PDF-1.4\n"),
         ("mp3", b"ID3"), ("canvas", b'{"nodes":[],"edges":[]}'), ("base", b"views: []\n"),
         ("jpg", b"\xff\xd8\xff"), ("svg", b"<svg/>")]


def notes_of(root):
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for f in sorted(files):
            if f.endswith(".md") and not f.startswith("."):
                out.append(os.path.join(d, f))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vault", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rate", type=float, default=0.3, help="share of notes that get hazards")
    a = ap.parse_args()
    r = random.Random(a.seed)
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    shutil.copytree(a.vault, a.out, symlinks=True)
    notes = notes_of(a.out)
    count = {k: 0 for k in ("attachments", "embeds", "comments", "relative", "glued", "code", "true")}

    # Attachments at two depths.
    folders = ["assets", os.path.join("Attachments", "2025", "img")]
    files = []
    for i in range(max(20, len(notes) // 10)):
        ext, magic = KINDS[i % len(KINDS)]
        rel = os.path.join(folders[i % 2], "Diagram %d.%s" % (i, ext))
        path = os.path.join(a.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(magic + bytes(r.randrange(256) for _ in range(r.randrange(16, 256))))
        files.append(rel.replace(os.sep, "/"))
        count["attachments"] += 1

    by_dir = {}
    for path in notes:
        by_dir.setdefault(os.path.dirname(path), []).append(path)
    for path in notes:
        if r.random() >= a.rate:
            continue
        rel_dir = os.path.relpath(os.path.dirname(path), a.out).replace(os.sep, "/")
        stem = os.path.basename(path)[:-3]
        lines = []
        att = r.choice(files)
        name = att.rsplit("/", 1)[1]
        ext = name.rsplit(".", 1)[1]
        lines.append("![[%s]]" % (name.upper() if r.random() < 0.5 else name))
        lines.append("![[%s|300]]" % att)
        lines.append("[[%s#%s]]" % (name, "page=3" if ext == "pdf" else "icon"))
        count["embeds"] += 3
        bid = "fig-%d" % r.randrange(10**6)
        lines.append("![[%s]]^%s" % (name, bid))
        lines.append("See [[#^%s]] above." % bid)
        count["glued"] += 1
        lines.append("%% [[{{title}}#Summary]] and #todo from the template %% kept text")
        lines.append("%%\n## {{heading}}\n- [[{{person}}]] owns [[Nowhere#Deep]]\n- [[{{person}}]] owns [[Nowhere#Deep]]\n%%")
        lines.append("<!-- [[Old Name]] was renamed -->")
        count["comments"] += 3
        sib = [n for n in by_dir[os.path.dirname(path)] if n != path]
        if sib:
            lines.append("Next: [[./%s]]" % os.path.basename(r.choice(sib))[:-3])
            count["relative"] += 1
        if rel_dir != ".":
            up = r.choice(notes)
            up_rel = os.path.relpath(up, os.path.dirname(path)).replace(os.sep, "/")
            if up_rel.startswith("../"):
                lines.append("Up: [[%s]]" % up_rel[:-3])
                count["relative"] += 1
        lines.append("```\n00000000  c3 a9 c3 a8  Ã©Ã¨ Ã¼Ã¶ â€™ â€œ\n```")
        lines.append("The dump `Ã©Ã¨ â€™` is bytes, not prose.")
        count["code"] += 2
        if r.random() < 0.1:
            lines.append("![[Missing %d.png]]" % r.randrange(10**6))
            lines.append("[[./No such note %d]]" % r.randrange(10**6))
            count["true"] += 2
        with open(path, "a", encoding="utf-8") as f:
            f.write("\n\n" + "\n\n".join(lines) + "\n")
    for k, v in count.items():
        print("%-12s %d" % (k, v))


if __name__ == "__main__":
    main()
