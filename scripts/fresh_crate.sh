#!/usr/bin/env bash
# Builds and runs the README's first example in a new crate that depends on this repository by
# path, as the README's "Depend on it" says: what a user who copies the dependency line and the
# example gets. Uses its own target directory under target/ (the dependencies are built once).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
crate="$(mktemp -d "${TMPDIR:-/tmp}/weakprop-fresh.XXXXXX")"
trap 'rm -rf "$crate"' EXIT

mkdir -p "$crate/src"
cat >"$crate/Cargo.toml" <<TOML
[package]
name = "fresh"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
weakprop = { path = "$root" }

[workspace]
TOML
# The README's first rust block, unchanged.
awk '/^```rust$/ && !done { inside = 1; next } inside && /^```$/ { inside = 0; done = 1; next } inside' \
    "$root/README.md" >"$crate/src/main.rs"
[ -s "$crate/src/main.rs" ] || { echo "no rust block found in README.md" >&2; exit 1; }

CARGO_TARGET_DIR="$root/target/fresh" cargo run --quiet --manifest-path "$crate/Cargo.toml"
echo "fresh crate: the README's first example builds and runs with a path dependency"
