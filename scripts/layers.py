#!/usr/bin/env python3
"""The import graph of a crate's modules, drawn from their `use crate::...` lines.

    scripts/layers.py descriptor-core/src [--order sync,table,observe,field,home]

Prints every import cycle (strongly connected group of files) and, with --order, every import
from a folder to a folder listed after it (an upward import). Exits 1 if a cycle has more than
two files or an import points upwards: what ARCHITECTURE.md promises.
"""
import os
import re
import sys


def modules(src):
    """Module path (tuple) -> file, for every .rs file under src."""
    found = {}
    for folder, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, src)[:-3].split(os.sep)
            if rel[-1] in ("mod", "lib", "main"):
                rel = rel[:-1]
            found[tuple(rel)] = path
    return found


USE = re.compile(r"\buse\s+(crate|super)::([^;]*);", re.S)
# A path written out in code, `crate::a::b(..)`, imports `a` as much as a `use` line does.
INLINE = re.compile(r"(?<![\w$])(crate)::((?:[a-z_][a-z0-9_]*::)+)")


def expand(tree):
    """`a::{b, c::{d}}` -> ['a::b', 'a::c::d'] (good enough for `use` trees)."""
    tree = re.sub(r"\s+", "", tree)
    depth, start, parts = 0, 0, []
    brace = tree.find("{")
    if brace == -1:
        return [tree]
    prefix, inner = tree[:brace], tree[brace + 1 : tree.rfind("}")]
    for i, ch in enumerate(inner + ","):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            if inner[start:i]:
                parts.append(inner[start:i])
            start = i + 1
    return [p for part in parts for p in expand(prefix + part)]


def resolve(mods, here, root, path):
    """The module a `use` path names: its longest prefix that is a module."""
    base = () if root == "crate" else here[:-1]
    segments = [s for s in path.split("::") if s and s != "self"]
    full = base + tuple(s.split(" as ")[0] for s in segments)
    for n in range(len(full), 0, -1):
        if full[:n] in mods:
            return full[:n]
    return None


def reexports(mods, src):
    """Names that lib.rs re-exports (`pub use crate::a::X`) -> the module they come from, so that
    `use crate::X` counts as an import of `a`."""
    lib = mods.get(())
    if lib is None:
        return {}
    names = {}
    for root, tree in re.findall(r"\bpub use\s+(crate)::([^;]*);", open(lib).read()):
        for item in expand(tree):
            target = resolve(mods, (), root, item)
            if target:
                names[item.split("::")[-1].split(" as ")[-1]] = target
    return names


def graph(src):
    mods = modules(src)
    names = reexports(mods, src)
    edges = {m: set() for m in mods}
    for mod, path in mods.items():
        text = open(path).read()
        # Imports inside `#[cfg(test)] mod tests` do not count: tests may reach anywhere.
        text = text.split("#[cfg(test)]\nmod tests")[0]
        text = re.sub(r"//[^\n]*", "", text)
        written = [(root, path) for root, path in INLINE.findall(USE.sub("", text))]
        for root, tree in USE.findall(text) + written:
            for item in expand(tree):
                target = resolve(mods, mod, root, item)
                if target is None and root == "crate" and "::" not in item:
                    target = names.get(item.split(" as ")[0])
                if target and target != mod and not (mod[: len(target)] == target):
                    edges[mod].add(target)
    return mods, edges


def cycles(edges):
    """Tarjan's strongly connected components with more than one file."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    sys.setrecursionlimit(10000)
    for v in edges:
        if v not in index:
            visit(v)
    return out


def main():
    args = sys.argv[1:]
    order = []
    if "--order" in args:
        i = args.index("--order")
        order = args[i + 1].split(",")
        del args[i : i + 2]
    src = args[0]
    mods, edges = graph(src)
    name = lambda m: "::".join(m) or "lib"
    bad = 0
    for group in cycles(edges):
        too_big = len(group) > 2
        bad += too_big
        print(("CYCLE " if too_big else "pair  ") + " <-> ".join(map(name, group)))
    rank = {folder: i for i, folder in enumerate(order)}
    for mod, targets in sorted(edges.items()):
        for target in sorted(targets):
            a, b = mod[:1], target[:1]
            if a and b and a[0] in rank and b[0] in rank and rank[b[0]] > rank[a[0]]:
                bad += 1
                print(f"UP    {name(mod)} -> {name(target)}")
    imports = sum(len(t) for t in edges.values())
    print(f"{src}: {len(mods)} files, {imports} imports between them, {bad} problems")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
