#!/usr/bin/env bash
# Instruction counts of one hot operation under callgrind: repeatable figures to guide (and
# check) optimisations of the table, whatever else the machine is doing.
#
#   scripts/profile.sh get|set|update|set_kind|get_generic|set_generic|get_rc|set_rc|wt_get_rc|wt_insert_rc|wt_get|wt_insert|wt_lifecycle|get_identity|set_identity|lifecycle [iterations]
#
# Prints instructions per operation and the top functions by inclusive instruction count.
set -euo pipefail
cd "$(dirname "$0")/.."
op="${1:-get}"
iterations="${2:-200000}"
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }
export CARGO_PROFILE_BENCH_DEBUG=line-tables-only  # function names, same code
cargo bench --bench profile --no-run --quiet 2>/dev/null
binary="$(cargo bench --bench profile --no-run --message-format=json 2>/dev/null \
    | scripts/artifacts.py bench profile | cut -d' ' -f2)"
out="$(mktemp)"
trap 'rm -f "$out" "$out.base"' EXIT
count() { valgrind --tool=callgrind --callgrind-out-file="$1" "$binary" "$op" "$2" >/dev/null 2>&1
          callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'; }
base=$(count "$out.base" 0)
total=$(count "$out" "$iterations")
echo "$op: $(( (total - base) / iterations )) instructions per operation ($iterations iterations)"
callgrind_annotate "$out" 2>/dev/null | grep -E "^ *[0-9,]+ \(" | head -14
