#!/usr/bin/env bash
# Runs the workspace's test binaries under valgrind's memcheck: invalid reads and writes, use of
# uninitialised memory, and definite or indirect leaks each fail the run.
#
#   scripts/valgrind.sh                      # every test binary of the workspace
#   scripts/valgrind.sh -p weakprop-core     # another selection of `cargo test` packages
#
# trybuild's `ui` binary (it runs rustc) and doc tests (not built by `--no-run`) are skipped.
# The examples that build with the selected features run too (the `cache` example has an
# allocator of its own).
# PROPTEST_CASES defaults to 32 here: memcheck is ~50x slower, and memory errors do not need
# many cases to show. Prints one line per binary and a summary; exits 1 if any binary failed.
set -euo pipefail

cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }

selection=("$@")
[ ${#selection[@]} -gt 0 ] || selection=(--workspace)
export PROPTEST_CASES="${PROPTEST_CASES:-32}"
# A proc-macro crate's own test binary links the toolchain's libstd dynamically; cargo finds
# it through the sysroot, and so must we.
export LD_LIBRARY_PATH="$(rustc --print target-libdir)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

start=$SECONDS
binaries="$(cargo test "${selection[@]}" --no-run --message-format=json | scripts/artifacts.py tests)"

# The examples too: `cache` has a counting global allocator of its own (unsafe code).
examples="$(cargo build --examples --message-format=json 2>/dev/null | scripts/artifacts.py examples)"
built=$SECONDS

run=0 failed=0 errors=0 leaks=0
# Runs one binary under memcheck: invalid accesses, uninitialised reads and definite or
# indirect leaks each fail it.
check() {
    local name=$1 executable=$2 log out status=0 began=$SECONDS
    shift 2
    run=$((run + 1))
    log="$logs/$run.log" out="$logs/$run.out"
    # --fair-sched=yes: memcheck runs one thread at a time, and its default hand-over lets the
    # running thread take the turn back at once, so a thread woken from a futex could wait for
    # minutes behind a writer in a loop (`thread_churn` timed out on that, not on our lock).
    valgrind --fair-sched=yes --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=1 --quiet --log-file="$log" "$executable" "$@" >"$out" 2>&1 || status=$?
    # With --quiet, memcheck logs only errors: count the error headers and the leak records.
    found=$(grep -cE '^==[0-9]+== (Invalid|Conditional|Use of uninitialised|Syscall param|Mismatched|Source and destination|Argument)' "$log" || true)
    lost=$(grep -cE 'are (definitely|indirectly) lost in loss record' "$log" || true)
    errors=$((errors + found)) leaks=$((leaks + lost))
    if [ "$status" -ne 0 ]; then
        failed=$((failed + 1))
        echo "FAIL  $name (exit $status, $found errors, $lost leaks)"
        tail -n 40 "$out"
        cat "$log"
    else
        echo "ok    $name ($((SECONDS - began)) s)"
    fi
}

# Two tests are left to the native run: the shard lock's race of spinning threads (memcheck runs
# one thread at a time, so it would time valgrind's scheduler for minutes and check no memory
# that the other tests do not) and the derive's never-panics search (thousands of parses of
# safe code in the proc macro, which has no `unsafe` to check).
skipped=(--skip readers_on_other_threads_never_see_a_write_midway --skip never_panics)
while read -r name executable; do
    [ -n "$executable" ] && check "$name" "$executable" --test-threads=2 -q "${skipped[@]}"
done <<<"$binaries"
while read -r name executable; do
    [ -n "$executable" ] && check "$name" "$executable"
done <<<"$examples"

echo "valgrind: $run binaries run, $failed failed, $errors errors, $leaks leaks" \
     "(build $((built - start)) s, run $((SECONDS - built)) s)"
[ "$failed" -eq 0 ]
