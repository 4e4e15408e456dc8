#!/usr/bin/env python3
"""What a user pays at every build: the same 100 structs, each with 5 validated fields, derived
three ways — ours (`#[derive(Descriptors)]`), serde's `Serialize, Deserialize`, and garde's
`Validate` with the same rules — each crate with one function per struct that uses what it
derives, rebuilt alone with its dependencies already built and incremental compilation off.

    scripts/compile_cost.py [--rounds 5] [--owners 100] [--llvm-lines]

Prints, for each crate, the median of `--rounds` interleaved rounds of a clean rebuild
(`cargo build`, dev profile) and of `cargo check`, and `COMPILE <crate> <build|check> <s>` lines
for `scripts/bench.sh`. The crates live in target/compile-cost/ (a workspace of their own).
With --llvm-lines, also prints the lines of LLVM IR of our crate by function (`cargo
llvm-lines`, installed from the registry if missing).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "target", "compile-cost")

# The five fields: (name, rule as ours writes it, type, rule as garde writes it, value set).
FIELDS = [
    ("age", "range(min = 0, max = 150)", "u32", "range(min = 0, max = 150)", "7"),
    ("name", "length(min = 1, max = 40)", "String", "length(min = 1, max = 40)", '"ada".into()'),
    ("level", "default = 1", "u8", "skip", "2"),
    ("tags", "non_empty", "Vec<String>", "length(min = 1)", 'vec!["a".into()]'),
    ("note", None, "String", "skip", '"n".into()'),
]


def ours(n):
    out = ["use std::sync::Arc;", "", "use weakprop::{Descriptors, Field};", ""]
    for i in range(n):
        out.append("#[derive(Descriptors, Hash, PartialEq, Eq)]")
        out.append(f"pub struct Owner{i} {{")
        out.append("    pub id: u64,")
        for name, rule, ty, _, _ in FIELDS:
            if rule:
                out.append(f"    #[descriptor({rule})]")
            out.append(f"    pub {name}: Field<{ty}>,")
        out.append("}")
        out.append("")
        fields = ", ".join(f"{name}: Field::new()" for name, *_ in FIELDS)
        out.append(f"pub fn use_owner{i}() -> usize {{")
        out.append(f"    let o = Arc::new(Owner{i} {{ id: {i}, {fields} }});")
        for name, _, _, _, value in FIELDS:
            out.append(f"    o.set_{name}({value}).unwrap();")
        out.append("    usize::from(o.level()) + o.name().map_or(0, |n| n.len()) + o.tags().map_or(0, |t| t.len())")
        out.append("        + o.note().map_or(0, |n| n.len()) + o.age().map_or(0, |a| a as usize)")
        out.append("}")
        out.append("")
    return "\n".join(out)


def serde(n):
    out = ["use serde::{Deserialize, Serialize};", ""]
    for i in range(n):
        out.append("#[derive(Serialize, Deserialize)]")
        out.append(f"pub struct Owner{i} {{")
        out.append("    pub id: u64,")
        for name, _, ty, _, _ in FIELDS:
            out.append(f"    pub {name}: {ty},")
        out.append("}")
        out.append("")
        fields = ", ".join(f"{name}: {value}" for name, _, _, _, value in FIELDS)
        out.append(f"pub fn use_owner{i}() -> usize {{")
        out.append(f"    let o = Owner{i} {{ id: {i}, {fields} }};")
        out.append("    let json = serde_json::to_string(&o).unwrap();")
        out.append(f"    let back: Owner{i} = serde_json::from_str(&json).unwrap();")
        out.append("    json.len() + back.name.len()")
        out.append("}")
        out.append("")
    return "\n".join(out)


def garde(n):
    out = ["use garde::Validate;", ""]
    for i in range(n):
        out.append("#[derive(Validate)]")
        out.append(f"pub struct Owner{i} {{")
        out.append("    #[garde(skip)]")
        out.append("    pub id: u64,")
        for name, _, ty, rule, _ in FIELDS:
            out.append(f"    #[garde({rule})]")
            out.append(f"    pub {name}: {ty},")
        out.append("}")
        out.append("")
        fields = ", ".join(f"{name}: {value}" for name, _, _, _, value in FIELDS)
        out.append(f"pub fn use_owner{i}() -> usize {{")
        out.append(f"    let o = Owner{i} {{ id: {i}, {fields} }};")
        out.append("    usize::from(o.validate().is_ok())")
        out.append("}")
        out.append("")
    return "\n".join(out)


CRATES = {
    "ours": (ours, f'weakprop = {{ path = "{ROOT}" }}'),
    "serde": (serde, 'serde = { version = "1", features = ["derive"] }\nserde_json = "1"'),
    "garde": (garde, 'garde = { version = "0.22", features = ["derive"] }'),
}


def generate(n):
    os.makedirs(WORK, exist_ok=True)
    with open(os.path.join(WORK, "Cargo.toml"), "w") as f:
        f.write('[workspace]\nmembers = ["ours", "serde", "garde"]\nresolver = "3"\n')
    for name, (source, deps) in CRATES.items():
        src = os.path.join(WORK, name, "src")
        os.makedirs(src, exist_ok=True)
        with open(os.path.join(WORK, name, "Cargo.toml"), "w") as f:
            f.write(f'[package]\nname = "cost-{name}"\nversion = "0.0.0"\nedition = "2024"\n'
                    f'publish = false\n\n[dependencies]\n{deps}\n')
        with open(os.path.join(src, "lib.rs"), "w") as f:
            f.write(source(n) + "\n")


def cargo(*args, quiet=True):
    env = dict(os.environ, CARGO_INCREMENTAL="0", CARGO_TARGET_DIR=os.path.join(WORK, "target"))
    return subprocess.run(["cargo", *args], cwd=WORK, env=env, check=True,
                          stdout=subprocess.DEVNULL if quiet else None,
                          stderr=subprocess.DEVNULL if quiet else None)


def timed(command, name):
    cargo("clean", "-p", f"cost-{name}")
    start = time.monotonic()
    cargo(command, "-p", f"cost-{name}")
    return time.monotonic() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--owners", type=int, default=100)
    parser.add_argument("--llvm-lines", action="store_true")
    args = parser.parse_args()
    generate(args.owners)
    # Dependencies first, once, for both commands.
    for name in CRATES:
        cargo("build", "-p", f"cost-{name}")
        cargo("check", "-p", f"cost-{name}")
    times = {(name, cmd): [] for name in CRATES for cmd in ("build", "check")}
    for _ in range(args.rounds):
        for cmd in ("build", "check"):
            for name in CRATES:
                times[(name, cmd)].append(timed(cmd, name))
    print(f"compile cost: {args.owners} structs x 5 validated fields, median of {args.rounds} "
          "interleaved rounds, dev profile, incremental off")
    for name in CRATES:
        build = statistics.median(times[(name, "build")])
        check = statistics.median(times[(name, "check")])
        print(f"  {name:<6} clean rebuild {build:6.2f} s   cargo check {check:5.2f} s")
        print(f"COMPILE {name} build {build:.3f}")
        print(f"COMPILE {name} check {check:.3f}")
    if args.llvm_lines:
        if subprocess.run(["cargo", "llvm-lines", "--version"], capture_output=True).returncode:
            subprocess.run(["cargo", "install", "cargo-llvm-lines", "--quiet"], check=True)
        cargo("llvm-lines", "-p", "cost-ours", "--lib", quiet=False)


if __name__ == "__main__":
    sys.exit(main())
