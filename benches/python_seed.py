#!/usr/bin/env python3
"""Baseline timings for the seed's Python design: a data descriptor with WeakKeyDictionary storage.

The seed this crate grew from is a Python lecture, *Strong and weak
references* (retold in Rust by ``cargo run --example person``).  It builds up to the storage design below, and
this crate reimplements that design in Rust:

* In[32]-In[39]: a ``weakref.WeakKeyDictionary`` keyed by an instance holds
  only a weak reference to it (``getweakrefcount`` goes to 1 while the strong
  ref count stays at 1), and the entry disappears by itself once the instance
  is destroyed.
* In[40]: keys must support weak references, so built-ins such as ``str`` or
  ``int`` cannot be keys.  The owner instances are the keys, not their names.
* In[41]-In[45]: a class that defines ``__eq__`` without ``__hash__`` is
  unhashable and cannot be a key.
* In[46]-In[51]: ``Person`` with ``__eq__`` and ``__hash__`` on ``name``
  works as a key.  ``Person`` below is that class.
* The closing text says: "In the next lectures we'll look at how to use
  WeakKeyDictionary as a storage mechanism for our data descriptors."  The
  seed does not contain that descriptor.  ``IntegerField`` is the standard
  version of it: ``__set_name__``, ``__get__``, ``__set__`` and
  ``__delete__``, with per-instance values in a ``WeakKeyDictionary`` owned
  by the descriptor and validation (``int``, inclusive bounds) on
  ``__set__``.

The Rust benches use a String-keyed owner and a u64-keyed owner, so there
are two owner classes: ``Person`` (hashed by its ``str`` name, In[46]) and
``PersonById`` (hashed by an ``int`` id).  Both have
``age = IntegerField(0, 150)``.

Measurements (each one has 1,024 live owners created up front, so the
dictionary is never trivially small):

* ``get``: read ``p.age``, round-robin over the 1,024 owners.
* ``set``: write ``p.age = v``, round-robin, always with a valid ``v``.
* ``lifecycle``: for each of 100,000 fresh owners, create it, set its age and
  drop it.  The drop fires the weakref callback that removes the entry.
  Afterwards only the 1,024 live entries may remain.  Once the live owners
  are released at the end, the dictionary must be empty.

Each measurement runs ``--runs`` times (default 7).  ``get`` and ``set`` are
calibrated so that one run takes about ``--run-seconds`` (default 0.2 s).  A
``lifecycle`` run is always one pass over the 100,000 owners.  The median ns
per operation is reported.  Timing uses ``time.perf_counter_ns`` with the
cyclic GC disabled, as ``timeit`` does; the owners have no cycles and are
freed by reference counting.  Per-operation figures include the cost of the
Python ``for`` loop that drives them, which is small next to a descriptor
call.  Owner keys (names and ids) for ``lifecycle`` are built before timing
starts, so string formatting is not measured.

Before timing, ``self_check`` verifies the design and exits non-zero if it is
broken: validation errors, ``__delete__``, and entries disappearing when
their owner is dropped.

Usage::

    python3 benches/python_seed.py            # human-readable table
    python3 benches/python_seed.py --json     # one JSON object on stdout
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import platform
import statistics
import sys
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, overload

LIVE_OWNERS = 1_024
LIFECYCLE_OWNERS = 100_000
DEFAULT_RUNS = 7
DEFAULT_RUN_SECONDS = 0.2
MIN_AGE, MAX_AGE = 0, 150


# --------------------------------------------------------------------------
# The design under test
# --------------------------------------------------------------------------


class IntegerField:
    """Validated ``int`` data descriptor that stores values in a WeakKeyDictionary.

    The dictionary belongs to the descriptor and is keyed by the owner
    instance (the seed's In[32]-In[39]).  It holds only weak references, so
    it does not keep owners alive, and the entry for an owner is removed when
    the owner is destroyed.  Owners must be hashable and support weak
    references (the seed's In[40]-In[50]).
    """

    def __init__(self, min_value: int, max_value: int) -> None:
        if min_value > max_value:
            raise ValueError(f"empty range: {min_value} > {max_value}")
        self.min_value = min_value
        self.max_value = max_value
        self.values: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
        self.qualname = "<unbound IntegerField>"

    def __set_name__(self, owner: type, name: str) -> None:
        self.qualname = f"{owner.__name__}.{name}"

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> IntegerField: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> int: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> IntegerField | int:
        if instance is None:
            return self
        try:
            return self.values[instance]
        except KeyError:
            raise AttributeError(f"{self.qualname} is not set") from None

    def __set__(self, instance: object, value: int) -> None:
        if type(value) is not int:  # rejects bool and int subclasses too
            raise TypeError(f"{self.qualname}: expected int, got {type(value).__name__}")
        if value < self.min_value:
            raise ValueError(f"{self.qualname}: {value} is below the minimum {self.min_value}")
        if value > self.max_value:
            raise ValueError(f"{self.qualname}: {value} is above the maximum {self.max_value}")
        self.values[instance] = value

    def __delete__(self, instance: object) -> None:
        try:
            del self.values[instance]
        except KeyError:
            raise AttributeError(f"{self.qualname} is not set") from None


class Person:
    """The seed's In[46] ``Person`` (hashed by ``name``) with a validated ``age``."""

    age = IntegerField(MIN_AGE, MAX_AGE)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Person(name={self.name})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Person) and self.name == other.name

    def __hash__(self) -> int:
        return hash(self.name)


class PersonById:
    """Same design as ``Person`` but hashed by an int id (the Rust u64-keyed owner)."""

    age = IntegerField(MIN_AGE, MAX_AGE)

    def __init__(self, id: int) -> None:
        self.id = id

    def __repr__(self) -> str:
        return f"PersonById(id={self.id})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PersonById) and self.id == other.id

    def __hash__(self) -> int:
        return hash(self.id)


class Owner(Protocol):
    age: int


@dataclass(frozen=True)
class Variant:
    """One owner class plus a way to produce distinct keys for it."""

    label: str  # key in the JSON output
    title: str  # heading in the table
    cls: type[Person] | type[PersonById]
    make_key: Callable[[int], str] | Callable[[int], int]

    @property
    def field(self) -> IntegerField:
        return self.cls.age

    def keys(self, start: int, count: int) -> list[Any]:
        return [self.make_key(i) for i in range(start, start + count)]


VARIANTS: tuple[Variant, ...] = (
    Variant("string_key", "Person (str name)", Person, lambda i: f"owner-{i}"),
    Variant("u64_key", "PersonById (int id)", PersonById, lambda i: i),
)


# --------------------------------------------------------------------------
# Correctness checks (these run before any timing)
# --------------------------------------------------------------------------


class SelfCheckError(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    # Explicit checks instead of `assert`, so `python3 -O` cannot skip them.
    if not condition:
        raise SelfCheckError(message)


@contextmanager
def expect_raises(exc_type: type[BaseException], message: str | None = None) -> Iterator[None]:
    try:
        yield
    except exc_type as exc:
        if message is not None:
            check(str(exc) == message, f"expected message {message!r}, got {str(exc)!r}")
    else:
        raise SelfCheckError(f"expected {exc_type.__name__}" + (f": {message}" if message else ""))


def self_check(variant: Variant) -> None:
    cls, field = variant.cls, variant.field
    name = cls.__name__
    baseline = len(field.values)
    check(baseline == 0, f"{name}.age storage should start empty, has {baseline} entries")
    check(isinstance(field, IntegerField), "class access should return the descriptor")

    p = cls(variant.make_key(0))
    with expect_raises(AttributeError, f"{name}.age is not set"):
        p.age

    p.age = 42
    check(p.age == 42, "get after set")
    check(len(field.values) == 1, "set should add exactly one entry")
    check(weakref.getweakrefcount(p) == 1, "storage should hold one weak reference")
    check("age" not in vars(p), "value must live in the descriptor, not the instance __dict__")
    p.age = MIN_AGE
    p.age = MAX_AGE
    check(p.age == MAX_AGE, "inclusive bounds")

    with expect_raises(ValueError, f"{name}.age: 200 is above the maximum 150"):
        p.age = 200
    with expect_raises(ValueError, f"{name}.age: -1 is below the minimum 0"):
        p.age = -1
    for bad in ("42", 42.0, True, None):
        with expect_raises(TypeError):
            p.age = bad  # type: ignore[assignment]
    check(p.age == MAX_AGE, "a rejected set must not change the stored value")

    # Equal owners hash alike, so they share one slot (a consequence of In[46]).
    twin = cls(variant.make_key(0))
    check(twin.age == MAX_AGE, "owners equal by key should share storage")
    del twin

    del p.age
    check(len(field.values) == 0, "delete should remove the entry")
    with expect_raises(AttributeError, f"{name}.age is not set"):
        p.age
    with expect_raises(AttributeError, f"{name}.age is not set"):
        del p.age

    # Entries disappear when the owner is dropped (the seed's In[38]-In[39]).
    p.age = 7
    probe = weakref.ref(p)
    check(len(field.values) == 1, "re-set after delete")
    del p
    check(probe() is None, "owner should be freed by refcounting, i.e. storage holds no strong ref")
    check(len(field.values) == 0, "dropping the owner should remove its entry")

    # Storage does not keep owners alive, even in bulk.
    owners = [cls(k) for k in variant.keys(1, 100)]
    for o in owners:
        o.age = 1
    check(len(field.values) == 100, "bulk set")
    del o  # the loop variable is a strong reference too
    owners.clear()
    check(len(field.values) == 0, "bulk drop should empty the storage")


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------


@contextmanager
def gc_paused() -> Iterator[None]:
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def time_get(owners: Sequence[Owner], rounds: int) -> int:
    with gc_paused():
        start = time.perf_counter_ns()
        for _ in range(rounds):
            for p in owners:
                p.age
        return time.perf_counter_ns() - start


def time_set(pairs: Sequence[tuple[Owner, int]], rounds: int) -> int:
    with gc_paused():
        start = time.perf_counter_ns()
        for _ in range(rounds):
            for p, v in pairs:
                p.age = v
        return time.perf_counter_ns() - start


def time_lifecycle(cls: Callable[[Any], Owner], keys: Sequence[Any]) -> int:
    with gc_paused():
        start = time.perf_counter_ns()
        for k in keys:
            p = cls(k)
            p.age = 42
            del p  # refcount hits 0: the weakref callback removes the entry
        return time.perf_counter_ns() - start


def calibrate(run: Callable[[int], int], target_ns: float) -> int:
    """Return a round count for which ``run(rounds)`` takes about ``target_ns``."""
    rounds = 1
    while True:
        elapsed = run(rounds)
        if elapsed >= target_ns / 10:
            return max(1, math.ceil(rounds * target_ns / elapsed))
        rounds *= 2


@dataclass(frozen=True)
class Stat:
    samples_ns_per_op: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ns_per_op)

    @property
    def low(self) -> float:
        return min(self.samples_ns_per_op)

    @property
    def high(self) -> float:
        return max(self.samples_ns_per_op)


def repeated(run: Callable[[], int], ops: int, runs: int) -> Stat:
    return Stat(tuple(run() / ops for _ in range(runs)))


def bench_variant(variant: Variant, runs: int, run_seconds: float) -> dict[str, Stat]:
    cls, field = variant.cls, variant.field
    target_ns = run_seconds * 1e9

    owners: list[Owner] = [cls(k) for k in variant.keys(0, LIVE_OWNERS)]
    for i, p in enumerate(owners):
        p.age = i % (MAX_AGE + 1)
    check(len(field.values) == LIVE_OWNERS, "live owners should all be stored")

    get_rounds = calibrate(lambda r: time_get(owners, r), target_ns)
    get = repeated(lambda: time_get(owners, get_rounds), get_rounds * LIVE_OWNERS, runs)

    pairs = [(p, (i * 7) % (MAX_AGE + 1)) for i, p in enumerate(owners)]
    set_rounds = calibrate(lambda r: time_set(pairs, r), target_ns)
    set_ = repeated(lambda: time_set(pairs, set_rounds), set_rounds * LIVE_OWNERS, runs)
    check(all(p.age == v for p, v in pairs), "set benchmark should leave the last written values")

    # Transient keys start after the live ones: equal keys would share a slot.
    transient = variant.keys(LIVE_OWNERS, LIFECYCLE_OWNERS)
    time_lifecycle(cls, transient[:1_000])  # warm-up
    lifecycle_samples: list[float] = []
    for _ in range(runs):
        lifecycle_samples.append(time_lifecycle(cls, transient) / LIFECYCLE_OWNERS)
        check(
            len(field.values) == LIVE_OWNERS,
            f"lifecycle leaked entries: {len(field.values) - LIVE_OWNERS}",
        )

    del p, pairs
    owners.clear()
    check(len(field.values) == 0, f"storage not empty after drop: {len(field.values)} entries")

    return {"get": get, "set": set_, "lifecycle": Stat(tuple(lifecycle_samples))}


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def to_json(results: dict[str, dict[str, Stat]]) -> str:
    doc: dict[str, Any] = {"python": platform.python_version()}
    for label, stats in results.items():
        doc[label] = {f"{name}_ns": round(stat.median, 2) for name, stat in stats.items()}
    return json.dumps(doc)


def to_table(results: dict[str, dict[str, Stat]], runs: int, wall_s: float) -> str:
    titles = {v.label: v.title for v in VARIANTS}
    lines = [
        f"{platform.python_implementation()} {platform.python_version()}: IntegerField over "
        f"WeakKeyDictionary, {LIVE_OWNERS:,} live owners, median of {runs} runs",
        "",
        f"{'owner':<22}{'op':<11}{'median ns/op':>13}{'min':>10}{'max':>10}",
        "-" * 66,
    ]
    for label, stats in results.items():
        for name, stat in stats.items():
            lines.append(
                f"{titles[label]:<22}{name:<11}{stat.median:>13.1f}{stat.low:>10.1f}{stat.high:>10.1f}"
            )
    lines += ["", f"lifecycle = create + set + drop, per owner, {LIFECYCLE_OWNERS:,} owners per run",
              f"total wall time {wall_s:.1f} s"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="repetitions per measurement")
    parser.add_argument(
        "--run-seconds", type=float, default=DEFAULT_RUN_SECONDS,
        help="target duration of one get/set run",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.run_seconds <= 0:
        parser.error("--runs must be >= 1 and --run-seconds > 0")

    started = time.perf_counter()
    try:
        for variant in VARIANTS:
            self_check(variant)
        results = {v.label: bench_variant(v, args.runs, args.run_seconds) for v in VARIANTS}
    except SelfCheckError as exc:
        print(f"python_seed: self-check failed: {exc}", file=sys.stderr)
        return 1
    wall_s = time.perf_counter() - started

    print(to_json(results) if args.json else to_table(results, args.runs, wall_s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
