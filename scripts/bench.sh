#!/usr/bin/env bash
# Runs every benchmark of the performance issue in one go and prints ONE table: each
# measurement's median, and each target ratio with its target and PASS/MISS.
#
#   scripts/bench.sh            # about 3 minutes on 2 cores once built (+40 s for a fresh build)
#
# Steps: build the bench binaries; run `benches/access.rs` (criterion: single-threaded get/set
# against every anchor, lifecycle, dead entries left behind), `benches/threads.rs` (two threads
# against one), `benches/memory.rs` (bytes per live entry) and `benches/python_seed.py` (the
# CPython seed design); then read their outputs and print the table.
#
# Knobs (environment):
#   BENCH_WARMUP=0.5 BENCH_MEASURE=1.5   criterion warm-up / measurement seconds per bench
#   BENCH_THREADS_RUNS=7                 runs of each two-thread measurement (median reported)
#   BENCH_PYTHON_RUNS=7                  runs of each Python measurement (median reported)
#   BENCH_COMPILE_ROUNDS=3               interleaved rounds of the compile-cost crates
#   BENCH_KEEP=1                         keep the raw logs (their folder is printed)
#   CARGO_TARGET_DIR                     as usual; criterion's files go below it
set -euo pipefail

started=$SECONDS
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

warmup="${BENCH_WARMUP:-0.5}"
measure="${BENCH_MEASURE:-1.5}"
export BENCH_THREADS_RUNS="${BENCH_THREADS_RUNS:-7}"
python_runs="${BENCH_PYTHON_RUNS:-7}"

target_dir="${CARGO_TARGET_DIR:-$root/target}"
export CRITERION_HOME="$target_dir/criterion-bench-sh"
logs="$(mktemp -d "${TMPDIR:-/tmp}/descriptor-bench.XXXXXX")"
cleanup() { [[ -n "${BENCH_KEEP:-}" ]] && echo "raw logs kept in $logs" >&2 || rm -rf "$logs"; }
trap cleanup EXIT

step() { printf '==> %s (%ds)\n' "$*" "$((SECONDS - started))" >&2; }

step "building the bench binaries"
cargo bench --benches --no-run --quiet 2>"$logs/build.log" || { cat "$logs/build.log" >&2; exit 1; }

step "access + lifecycle (criterion, warm-up ${warmup}s, measurement ${measure}s per bench)"
rm -rf "$CRITERION_HOME"
cargo bench --quiet --bench access -- --warm-up-time "$warmup" --measurement-time "$measure" \
    >"$logs/access.log" 2>&1 || { tail -40 "$logs/access.log" >&2; exit 1; }

step "two threads against one"
cargo bench --quiet --bench threads >"$logs/threads.log" 2>&1 \
    || { tail -40 "$logs/threads.log" >&2; exit 1; }

step "bytes per live entry"
cargo bench --quiet --bench memory >"$logs/memory.log" 2>&1 \
    || { tail -40 "$logs/memory.log" >&2; exit 1; }

step "compile cost: 100 structs x 5 fields, ours against serde and garde"
python3 scripts/compile_cost.py --rounds "${BENCH_COMPILE_ROUNDS:-3}" >"$logs/compile.log" 2>&1 \
    || { tail -40 "$logs/compile.log" >&2; exit 1; }

step "the Python seed design"
python3 benches/python_seed.py --json --runs "$python_runs" >"$logs/python.json"

machine="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)"
machine="${machine:-unknown CPU}, $(nproc) cores, $(rustc --version | cut -d' ' -f1-2)"

step "done; the table"
python3 - "$CRITERION_HOME" "$logs" "$machine" "$((SECONDS - started))" <<'PY'
import json, os, sys

crit, logs, machine, elapsed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
KEYS = ("string_key", "u64_key")
LIFECYCLE = 100_000


def ns(group, bench):
    """Criterion's median, in ns per iteration."""
    with open(os.path.join(crit, group, bench, "new", "estimates.json")) as f:
        return json.load(f)["median"]["point_estimate"]


def lines(log, tag):
    with open(os.path.join(logs, log)) as f:
        return [l.split()[1:] for l in f if l.startswith(tag + " ")]


access = {k: {} for k in KEYS}
for k in KEYS:
    for b in ("floor", "get_value", "set_value", "update_value", "set_kind", "get_generic", "set_generic", "get_keyed",
              "set_keyed", "get_identity",
              "set_identity", "wkm_get",
              "wkm_insert", "wt_get", "wt_insert", "wt_ptr_get", "wt_ptr_insert", "rwlock_get",
              "rwlock_insert"):
        access[k][b] = ns(k, b)
    for b in ("ours_value", "ours_identity", "wkm", "wt", "wt_ptr"):
        access[k]["life_" + b] = ns("lifecycle_" + k, b) / LIFECYCLE
    for b in ("get", "set", "wt_get", "wt_insert"):
        access[k]["rc_" + b] = ns("rc_" + k, b)
    for b in ("ours", "wt"):
        access[k]["rc_life_" + b] = ns("lifecycle_rc_" + k, b) / LIFECYCLE
access["string_key"]["get_lazy"] = ns("string_key", "get_lazy")
leftover = {(k, v): int(d.split("=")[1]) for k, v, d, _ in lines("access.log", "LEFTOVER")}
threads = {(impl, sc, int(n)): float(v) for impl, sc, n, v in lines("threads.log", "THREADS")}
scaling = {(impl, sc): float(v) for impl, sc, v in lines("threads.log", "SCALING")}
idle = {(impl, int(n)): float(v) for impl, n, v in lines("threads.log", "IDLE")}
memory = {(k, impl, int(n)): float(b) for k, impl, n, b in lines("memory.log", "MEMORY")}
compile_s = {(c, cmd): float(v) for c, cmd, v in lines("compile.log", "COMPILE")}
with open(os.path.join(logs, "python.json")) as f:
    py = json.load(f)

W = 44
out = []
row = lambda label, *cells: out.append(f"{label:<{W}}" + "".join(f"{c:>14}" for c in cells))
rule = lambda: out.append("-" * (W + 14 * 4))

out.append(f"weakprop benchmarks: {machine}; Python {py['python']}")
out.append("medians; single-threaded, 1,024 live owners unless stated")
out.append("")
row("MEASUREMENT (ns per operation)", "string key", "u64 key")
rule()
MEAS = [
    ("floor: plain field read through an Arc", "floor"),
    ("x()      keyed by value", "get_value"),
    ("set_x()  keyed by value", "set_value"),
    ("update_x(f) keyed by value", "update_value"),
    ("set_x()  keyed by value, its rule a kind's", "set_kind"),
    ("x()      lazy field, computed (String key only)", "get_lazy"),
    ("x()      generic owner, keyed by value", "get_generic"),
    ("set_x()  generic owner, keyed by value", "set_generic"),
    ("x()      hash = keyed (SipHash, untrusted keys)", "get_keyed"),
    ("set_x()  hash = keyed (SipHash, untrusted keys)", "set_keyed"),
    ("x()      keyed by identity", "get_identity"),
    ("set_x()  keyed by identity", "set_identity"),
    ("WeakKeyMap::get", "wkm_get"),
    ("WeakKeyMap::insert", "wkm_insert"),
    ("weak-table WeakKeyHashMap::get", "wt_get"),
    ("weak-table WeakKeyHashMap::insert", "wt_insert"),
    ("weak-table PtrWeakKeyHashMap::get", "wt_ptr_get"),
    ("weak-table PtrWeakKeyHashMap::insert", "wt_ptr_insert"),
    ("RwLock<HashMap<addr, u32>> get", "rwlock_get"),
    ("RwLock<HashMap<addr, u32>> insert", "rwlock_insert"),
]
for label, b in MEAS:
    row(label, *(f"{access[k][b]:.2f}" if b in access[k] else "" for k in KEYS))
out.append("lifecycle: Arc::new + set + drop, per owner over 100,000 (dead entries left after a pass)")
for label, b in (("  ours, keyed by value", "ours_value"), ("  ours, keyed by identity", "ours_identity"),
                 ("  WeakKeyMap (no Drop hook)", "wkm"), ("  weak-table WeakKeyHashMap", "wt"),
                 ("  weak-table PtrWeakKeyHashMap", "wt_ptr")):
    row(label, *(f"{access[k]['life_' + b]:.1f} ({leftover[(k, b)]})" for k in KEYS))
out.append("owners in an Rc (#[descriptors(rc)]) against weak-table on the same Rc owners")
for label, b in (("  x()", "rc_get"), ("  set_x()", "rc_set"), ("  weak-table get", "rc_wt_get"),
                 ("  weak-table insert", "rc_wt_insert")):
    row(label, *(f"{access[k][b]:.2f}" for k in KEYS))
for label, b in (("  lifecycle: ours", "rc_life_ours"), ("  lifecycle: weak-table", "rc_life_wt")):
    row(label, *(f"{access[k][b]:.1f}" for k in KEYS))
out.append("CPython seed design (IntegerField over WeakKeyDictionary)")
for op in ("get", "set", "lifecycle"):
    row(f"  {op}", *(f"{py[k][op + '_ns']:.1f}" for k in KEYS))
out.append("threads, total throughput (Mops/s): 1 thread -> n threads (String key, by value)")
out.append("  floor: the same loop on a map of each thread's own; sharded: 64 RwLock shards; papaya: epochs")
SCENARIOS = (("disjoint", 2, "disjoint owners, get+set"), ("shared", 2, "64 shared owners, get"),
             ("mostly", 2, "1,024 shared owners, 9 gets : 1 set"),
             ("crowded", 8, "8 threads on the cores, disjoint get+set"))
IMPLS = ("floor", "ours", "rwlock", "sharded", "papaya", "dashmap")
PEERS = ("rwlock", "sharded", "papaya", "dashmap")
for sc, n, what in SCENARIOS:
    out.append(f"  {what}")
    for impl in IMPLS:
        one, many = threads[(impl, sc, 1)] / 1e6, threads[(impl, sc, n)] / 1e6
        row(f"    {impl}", f"{one:.1f} -> {many:.1f}", f"x{scaling[(impl, sc)]:.2f}")
out.append("one thread writing, ns per write: alone -> beside 30 idle threads that read the table")
for impl in ("ours",) + PEERS:
    row(f"  {impl}", f"{idle[(impl, 0)]:.1f} -> {idle[(impl, 30)]:.1f}", f"x{idle[(impl, 30)] / idle[(impl, 0)]:.2f}")
out.append("compile cost, seconds: 100 structs x 5 validated fields, dev profile, incremental off")
for c in ("ours", "serde", "garde"):
    row(f"  {c}: clean rebuild, cargo check", f"{compile_s[(c, 'build')]:.2f}", f"{compile_s[(c, 'check')]:.2f}")
out.append("bytes allocated per live entry (u32 values)")
for n in (1_024, 100_000):
    for impl, label in (("ours_value", "ours, by value"), ("ours_identity", "ours, by identity"),
                        ("wkm", "WeakKeyMap"), ("wt", "WeakKeyHashMap"), ("wt_ptr", "PtrWeakKeyHashMap")):
        row(f"  {n:>7,} entries: {label}", *(f"{memory[(k, impl, n)]:.1f}" for k in KEYS))

out.append("")
row("TARGET (ratio; PASS/MISS per key)", "string key", "u64 key", "target")
rule()
passes = misses = 0


def target(label, values, limit, at_most=True):
    global passes, misses
    cells = []
    for v in values:
        ok = v <= limit if at_most else v >= limit
        passes, misses = passes + ok, misses + (not ok)
        cells.append(f"{v:.2f} {'PASS' if ok else 'MISS'}")
    cells += [""] * (2 - len(values))
    row(label, *cells, ("<= " if at_most else ">= ") + f"{limit:g}")


A = lambda b, c: [access[k][b] / access[k][c] for k in KEYS]
target("x() / weak-table get", A("get_value", "wt_get"), 0.30)
target("set_x() / weak-table insert", A("set_value", "wt_insert"), 0.35)
target("identity x() / PtrWeakKeyHashMap get", A("get_identity", "wt_ptr_get"), 0.5)
target("generic owner x() / x()", A("get_generic", "get_value"), 1.25)
target("lazy x(), computed / x()", [access["string_key"]["get_lazy"] / access["string_key"]["get_value"]], 1.2)
target("generic owner set_x() / set_x()", A("set_generic", "set_value"), 1.25)
target("kind's rule set_x() / same rule inline", A("set_kind", "set_value"), 1.05)
target("update_x(f) / set_x()", A("update_value", "set_value"), 1.5)
target("lifecycle / weak-table lifecycle", A("life_ours_value", "life_wt"), 0.9)
target("rc x() / weak-table get, Rc owners", A("rc_get", "rc_wt_get"), 0.25)
target("rc set_x() / weak-table insert, Rc owners", A("rc_set", "rc_wt_insert"), 0.30)
target("rc lifecycle / weak-table lifecycle, Rc owners", A("rc_life_ours", "rc_life_wt"), 0.8)
target("dead entries left by our lifecycle", [leftover[(k, "ours_value")] for k in KEYS], 0)
target("Python get / x()  (times faster)", [py[k]["get_ns"] / access[k]["get_value"] for k in KEYS], 30, False)
target("Python set / set_x()  (times faster)", [py[k]["set_ns"] / access[k]["set_value"] for k in KEYS], 30, False)
target("Python lifecycle / ours  (times faster)",
       [py[k]["lifecycle_ns"] / access[k]["life_ours_value"] for k in KEYS], 8, False)
best_peer = lambda sc: max(scaling[(p, sc)] for p in PEERS)
target("2 threads, disjoint get+set: scaling / best peer's", [scaling[("ours", "disjoint")] / best_peer("disjoint")], 1.0, False)
target("8 threads, disjoint get+set: scaling / best peer's", [scaling[("ours", "crowded")] / best_peer("crowded")], 1.0, False)
target("2 threads, 9:1 mix: scaling / best peer's", [scaling[("ours", "mostly")] / best_peer("mostly")], 1.0, False)
target("2 threads, 64 shared owners: scaling / floor's", [scaling[("ours", "shared")] / scaling[("floor", "shared")]], 0.8, False)
target("2 threads, 64 shared owners: scaling / papaya's", [scaling[("ours", "shared")] / scaling[("papaya", "shared")]], 1.0, False)
target("set_x() beside 30 idle readers / alone", [idle[("ours", 30)] / idle[("ours", 0)]], 1.1)
target("compile: clean rebuild / serde's", [compile_s[("ours", "build")] / compile_s[("serde", "build")]], 2.0)
target("compile: cargo check / serde's", [compile_s[("ours", "check")] / compile_s[("serde", "check")]], 1.0)
for n in (1_024, 100_000):
    target(f"bytes/entry ours / weak-table @ {n:,}",
           [memory[(k, "ours_value", n)] / memory[(k, "wt", n)] for k in KEYS], 1.0)
out.append("")
out.append("not targets, for reference:")
row("  identity set_x() / PtrWeakKeyHashMap insert", *(f"{v:.2f}" for v in A("set_identity", "wt_ptr_insert")))
row("  WeakKeyMap get / weak-table get", *(f"{v:.2f}" for v in A("wkm_get", "wt_get")))
row("  WeakKeyMap insert / weak-table insert", *(f"{v:.2f}" for v in A("wkm_insert", "wt_insert")))
row("  x() / floor", *(f"{v:.2f}" for v in A("get_value", "floor")))
row("  hash = keyed: x() / x()", *(f"{v:.2f}" for v in A("get_keyed", "get_value")))
row("  hash = keyed: set_x() / set_x()", *(f"{v:.2f}" for v in A("set_keyed", "set_value")))
row("  x() / RwLock<HashMap> get", *(f"{v:.2f}" for v in A("get_value", "rwlock_get")))
row("  floor 2-thread scaling (disjoint / shared)", f"x{scaling[('floor', 'disjoint')]:.2f}", f"x{scaling[('floor', 'shared')]:.2f}")
out.append("")
out.append(f"{passes} PASS, {misses} MISS; benchmarks ran in {elapsed} s (build included)")
print("\n".join(out))
PY
