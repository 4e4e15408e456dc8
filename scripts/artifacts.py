#!/usr/bin/env python3
"""Lists the executables in cargo's `--message-format=json` output, one `name path` per line.

    cargo test --no-run --message-format=json | scripts/artifacts.py tests
    cargo build --examples --message-format=json | scripts/artifacts.py examples
    cargo bench --no-run --message-format=json | scripts/artifacts.py bench NAME

Used by the scripts instead of jq, which a fresh machine may not have (python3 it has).
"""

import json
import sys


def wanted(message: dict, kind: str, name: str | None) -> bool:
    if message.get("reason") != "compiler-artifact" or not message.get("executable"):
        return False
    target = message["target"]
    if kind == "tests":
        # trybuild's `ui` binary runs rustc on the compile-fail cases: not a memory test.
        return message["profile"]["test"] and target["name"] != "ui"
    if kind == "examples":
        return target["kind"] == ["example"]
    return target["name"] == name


def main() -> None:
    kind = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) > 2 else None
    seen = set()
    for line in sys.stdin:
        if not line.startswith("{"):
            continue
        message = json.loads(line)
        if wanted(message, kind, name):
            prefix = "example:" if kind == "examples" else ""
            seen.add(f"{prefix}{message['target']['name']} {message['executable']}")
    print("\n".join(sorted(seen)))


if __name__ == "__main__":
    main()
