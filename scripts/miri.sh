#!/usr/bin/env bash
# The runtime's tests under Miri (Stacked Borrows, data races, weak memory): optional, nightly
# only, not part of CI.
#
#   scripts/miri.sh                         # with the toolchain `nightly`
#   MIRI_TOOLCHAIN=nightly-2026-10-01 scripts/miri.sh
#
# Use a Miri from 2026-06-14 or later: earlier ones let a SeqCst load read a value that C++20
# forbids it to (rust-lang/miri#5104), and report a read overlapping a write in the shard lock
# that cannot happen (see the note in descriptor-core/src/sync/shard_lock.rs).
#
# Skipped for time (each spins real threads for seconds, or thousands of them, which Miri runs
# about a thousand times slower): the stress tests (stress.rs, stress_reads.rs,
# thread_churn.rs, address_reuse.rs), the lock's own race of spinning threads, the race of a
# reader beside a churning creator (contract.rs), and the 32-thread thread_exit.rs.
# Proptest runs 4 cases per property.
set -euo pipefail
cd "$(dirname "$0")/.."
toolchain="${MIRI_TOOLCHAIN:-nightly}"
cargo "+$toolchain" miri --version >/dev/null 2>&1 \
    || { echo "Miri is not installed for $toolchain: rustup +$toolchain component add miri rust-src" >&2; exit 2; }
export PROPTEST_CASES=4
export MIRIFLAGS="${MIRIFLAGS:-} -Zmiri-many-seeds=0..2"
skips=(
    --skip readers_on_other_threads_never_see_a_write_midway
    --skip a_reader_of_an_equal_owner_survives_its_creator_dying_on_another_thread
    --skip nested_reads_across_tables_pass_waiting_writers
)
tests=(contract deferred_releases descriptor holds_in_reads late_thread_locals limits model
       observe panics reentrancy weak_key_map)
start=$SECONDS
cargo "+$toolchain" miri test -p weakprop-core --lib -- "${skips[@]}"
for test in "${tests[@]}"; do
    cargo "+$toolchain" miri test -p weakprop-core --test "$test" -- "${skips[@]}"
done
echo "miri: the runtime's tests passed under $toolchain in $((SECONDS - start)) s"
