#!/usr/bin/env python3
"""layers.py - holds every #include of the sources to the layers.

lsp/layers.txt lists the layers, lowest first, with each one's folder and
the system headers first allowed in it (the same file CMake builds the
libraries from). Every .c and .h under those folders and under
include/<layer>/ belongs to its layer. This fails when:

  - an include points up a layer (a file includes a header of a layer
    listed after its own);
  - a system header is included below the layer that brings it in
    (jansson only from protocol up, tree-sitter only in buffers and up...);
  - modules include each other in a cycle, also inside one layer (a module
    is a .c with its same-named header and its private x_impl.h:
    include/index/workspace.h, lsp/index/workspace_impl.h and
    lsp/index/workspace.c are one module);
  - a quoted include names no header of the project, or names two.

    python3 tests/layers.py [--root DIR]     check the tree (default: this checkout)
    python3 tests/layers.py --self-test      show that each rule catches what it should
"""
import argparse
import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def read_layers(root):
    layers = []  # (name, folder, [system headers])
    with open(os.path.join(root, "lsp", "layers.txt"), encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split()
            layers.append((parts[0], parts[1], [h.strip("<>") for h in parts[2:]]))
    return layers


def source_files(root, layers):
    """Every .c/.h of the layers: path relative to root -> layer index."""
    files = {}
    for i, (name, folder, _) in enumerate(layers):
        for top in (folder, os.path.join("include", name)):
            base = os.path.join(root, top)
            for dirpath, _, names in os.walk(base):
                for n in names:
                    if n.endswith((".c", ".h")):
                        rel = os.path.relpath(os.path.join(dirpath, n), root)
                        files[rel] = i
    return files


def module_of(rel, layers, index):
    """include/<layer>/x.h and <folder>/x.c are one module: '<layer>/x'; so
    is x_impl.h beside them, the private header its files share."""
    name = layers[index][0]
    stem = os.path.splitext(os.path.basename(rel))[0]
    if stem.endswith("_impl"):
        stem = stem[:-len("_impl")]
    return name + "/" + stem


def check(root):
    layers = read_layers(root)
    order = {name: i for i, (name, _, _) in enumerate(layers)}
    files = source_files(root, layers)
    # Headers anyone may name by their bare name: include/<layer>/*.h.
    public = {}
    for rel, i in files.items():
        parts = rel.split(os.sep)
        if parts[0] == "include" and rel.endswith(".h"):
            public.setdefault(os.path.basename(rel), []).append(rel)
    system = {}
    for i, (_, _, headers) in enumerate(layers):
        for h in headers:
            system[h] = i

    problems = []
    edges = {}  # module -> {module: "file: #include"}
    for rel in sorted(files):
        i = files[rel]
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            text = f.read()
        me = module_of(rel, layers, i)
        for m in INCLUDE.finditer(text):
            kind, name = m.group(1), m.group(2)
            line = text.count("\n", 0, m.start()) + 1
            where = "%s:%d" % (rel, line)
            if kind == "<":
                if name in system and system[name] > i:
                    problems.append("%s: <%s> is for layer %s and up, not %s"
                                    % (where, name, layers[system[name]][0], layers[i][0]))
                continue
            beside = os.path.normpath(os.path.join(os.path.dirname(rel), name))
            if beside in files:
                target = beside
            elif os.path.basename(name) in public and "/" not in name:
                found = public[os.path.basename(name)]
                if len(found) > 1:
                    problems.append("%s: \"%s\" names %s" % (where, name, " and ".join(found)))
                    continue
                target = found[0]
            else:
                if os.path.exists(os.path.join(root, beside)):
                    continue  # generated tables and the like, beside the file
                problems.append("%s: \"%s\" is no header of the project" % (where, name))
                continue
            j = files[target]
            if j > i:
                problems.append("%s: includes %s, up from layer %s to layer %s"
                                % (where, target, layers[i][0], layers[j][0]))
            other = module_of(target, layers, j)
            if other != me:
                edges.setdefault(me, {}).setdefault(other, "%s includes %s" % (where, target))

    for cycle in cycles(edges):
        steps = [edges[a][b] for a, b in zip(cycle, cycle[1:] + cycle[:1])]
        problems.append("cycle between modules %s:\n    %s"
                        % (" -> ".join(cycle + cycle[:1]), "\n    ".join(steps)))
    return problems, len(files), sum(len(v) for v in edges.values())


def cycles(edges):
    """One cycle per strongly connected component of more than one module
    (Tarjan), each as the list of its modules along the cycle."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, {})):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(path_in(sorted(comp), edges))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def path_in(comp, edges):
    """A cycle through comp's first module, inside comp (breadth first)."""
    members, start = set(comp), comp[0]
    prev, queue = {start: None}, [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(edges.get(v, {})):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path))
            if w in members and w not in prev:
                prev[w] = v
                queue.append(w)
    return comp


def self_test():
    """Each rule, on a small tree made for it, must find its problem."""
    layout = "low lsp/low\nmid lsp/mid <jansson.h>\nhigh lsp/high\n"
    cases = {
        "clean": ({"lsp/low/a.c": '#include "a.h"\n', "include/low/a.h": "",
                   "lsp/mid/b.c": '#include "a.h"\n#include <jansson.h>\n',
                   "include/mid/b.h": '#include "a.h"\n',
                   "lsp/high/c.c": '#include "b.h"\n#include "priv.h"\n',
                   "lsp/high/priv.h": ""}, None),
        "upward": ({"lsp/low/a.c": '#include "b.h"\n', "include/mid/b.h": ""},
                   "up from layer low to layer mid"),
        "system": ({"lsp/low/a.c": "#include <jansson.h>\n"}, "<jansson.h> is for layer mid"),
        "cycle": ({"lsp/mid/a.c": '#include "b.h"\n', "include/mid/a.h": "",
                   "lsp/mid/b.c": '#include "a.h"\n', "include/mid/b.h": ""},
                  "cycle between modules mid/a -> mid/b -> mid/a"),
        "cycle through a private header": ({
                   "lsp/mid/a.c": '#include "b.h"\n', "lsp/mid/a.h": "",
                   "lsp/mid/b.h": '#include "a.h"\n'},
                  "cycle between modules mid/a -> mid/b -> mid/a"),
        "unknown": ({"lsp/low/a.c": '#include "nowhere.h"\n'}, "is no header of the project"),
        "twice": ({"lsp/high/a.c": '#include "x.h"\n', "include/low/x.h": "",
                   "include/mid/x.h": ""}, "names include"),
    }
    failed = 0
    for name, (tree, want) in cases.items():
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "lsp"))
            with open(os.path.join(root, "lsp", "layers.txt"), "w") as f:
                f.write(layout)
            for rel, text in tree.items():
                os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
                with open(os.path.join(root, rel), "w") as f:
                    f.write(text)
            problems, _, _ = check(root)
            ok = not problems if want is None else any(want in p for p in problems)
            print("%s: %s" % ("ok" if ok else "FAILED", name))
            if not ok:
                failed += 1
                print("  expected %s, got %s" % (want or "no problem", problems))
    return failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        sys.exit(1 if self_test() else 0)
    problems, n_files, n_edges = check(os.path.abspath(args.root))
    for p in problems:
        print(p)
    if problems:
        print("%d problem(s) in the layers (lsp/layers.txt)" % len(problems))
        sys.exit(1)
    print("%d files, %d arrows between modules: every include points down or across "
          "a layer, and no modules include each other in a cycle" % (n_files, n_edges))


if __name__ == "__main__":
    main()
