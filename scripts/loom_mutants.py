#!/usr/bin/env python3
"""Checks that the shard lock's loom models catch a bug in each step of its protocol: puts each
bug below into descriptor-core/src/sync/shard_lock.rs in turn, runs the models, and restores the
file. Every bug must make some model fail (a data race on the shard, a wrong value, or a
deadlock, which is what a lost wake-up looks like to loom). A bug that only a cycle of four
threads shows (two readers nested across two shards, a writer waiting on each) is beyond loom's
reach; for it the script runs the test of that cycle with real threads instead.

    scripts/loom_mutants.py            # every bug, about a minute each
    scripts/loom_mutants.py revoke     # the bugs whose names start with these words

Exits 1 if a bug goes uncaught. Not run by CI (loom builds take minutes); run it after changing
the lock.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCK = os.path.join(ROOT, "descriptor-core", "src", "sync", "shard_lock.rs")

# The real-thread test of the cycle of nested reads across two shards, each with a waiting writer.
CYCLE = ["cargo", "test", "-p", "weakprop-core", "--release", "--test", "contract",
         "nested_reads_across_tables_pass_waiting_writers"]

# name: (text in the lock, the same text with the bug in it[, the test that catches it instead])
BUGS = {
    "revoke skipped: a pending writer does not wait for the readers in their slots": (
        "            self.revoke(shard, others);",
        "            let _ = (shard, others);",
    ),
    "fast path blind: a writer that took a biased shard at once ignores a raised slot": (
        "            if self.readers[index].0[shard].load(Ordering::SeqCst) != 0 {\n                // Pending",
        "            if false {\n                // Pending",
    ),
    "no step back: a writer that found a raised slot waits for it while active": (
        "                let before = state.fetch_sub(ACTIVE - PENDING, Ordering::SeqCst);",
        "                let before = state.load(Ordering::SeqCst);",
        CYCLE,
    ),
    "wake-up lost: a writer that steps back does not wake nested reads parked meanwhile": (
        "                if before & PARKED != 0 {\n                    wait::unpark_all(phase_key(state));\n"
        "                }",
        "                let _ = before;",
    ),
    "active with readers: a writer does not wait for the counted readers": (
        "            if now & READERS == 0 {\n                let active",
        "            if true {\n                let active",
    ),
    "wake-up lost: the last counted reader does not wake the writer": (
        "        wait::unpark_all(drain_key(state));",
        "        let _ = drain_key(state);",
    ),
    "wake-up lost: a writer's release does not wake the parked": (
        "            wait::unpark_all(phase_key(self.state));",
        "            let _ = phase_key(self.state);",
    ),
    "mask joined blindly: a reader that sets its bit does not look at the word again": (
        "            handshake_fence();\n            if biased_and_free(guarded.state.load(Ordering::SeqCst)) {\n"
        "                return counter;\n            }",
        "            return counter;",
    ),
    "phase ignored: a slot reader enters a biased shard whose writer is pending": (
        "fn biased_and_free(state: u32) -> bool {\n    state & (PHASE | BIASED) == BIASED",
        "fn biased_and_free(state: u32) -> bool {\n    state & BIASED == BIASED",
    ),
}


def run_models(command=None):
    if command is None:
        env = dict(os.environ, RUSTFLAGS="--cfg loom", CARGO_TARGET_DIR=os.path.join(ROOT, "target", "loom"))
        command = ["cargo", "test", "-p", "weakprop-core", "--release", "--lib", "shard_lock"]
    else:
        env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(ROOT, "target", "mutants"))
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    failed = sorted({line.split("'")[1].rsplit("::", 1)[-1] for line in result.stdout.splitlines()
                     if line.startswith("thread '") and "panicked" in line})
    return result.returncode, failed


def main():
    wanted = sys.argv[1:]
    original = open(LOCK).read()
    code, failed = run_models()
    if code != 0:
        sys.exit(f"the models fail without a bug: {failed}")
    uncaught = 0
    try:
        for name, (good, bad, *instead) in BUGS.items():
            if wanted and not any(name.startswith(w) for w in wanted):
                continue
            if original.count(good) != 1:
                sys.exit(f"{name}: its text is not in the lock once; update this script")
            with open(LOCK, "w") as f:
                f.write(original.replace(good, bad))
            code, failed = run_models(*instead)
            if code == 0:
                uncaught += 1
                print(f"NOT CAUGHT  {name}")
            else:
                print(f"caught      {name}\n            by {', '.join(failed) or 'a failing run'}")
    finally:
        with open(LOCK, "w") as f:
            f.write(original)
    sys.exit(1 if uncaught else 0)


if __name__ == "__main__":
    main()
