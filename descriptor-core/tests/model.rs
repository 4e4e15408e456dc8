//! Model-based tests: random sequences of operations on a table, checked step by step against a
//! plain reference model of `WeakKeyDictionary` semantics.
//!
//! The model is a list of live entries `(key, creator, value)`:
//! - by value, an owner finds the live entry whose key equals its own (equal owners share the
//!   entry that the first of them created); by identity, only the entry its own allocation
//!   created;
//! - an entry dies with its creator's last `Arc`, whether other equal owners live on or not;
//! - a dead entry is never observable (`get`, `contains`, `len`, `keys` skip it); its value is
//!   dropped at once if the owner's `Drop` releases it, and otherwise by the next sweep at the
//!   latest (`purge` returns exactly how many such values were still held).
//!
//! Values are `Arc<u32>` tokens with a serial number; every token ever stored is watched through
//! a `Weak`, so the test sees exactly which values the table still holds.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::{Arc, Weak};

use proptest::prelude::*;
use proptest::sample::Index;
use weakprop_core::{Descriptor, Rules, WeakKeyMap};

/// A stored value: its number is what the model compares, its allocation shows whether the
/// table still holds it.
type Value = Arc<u32>;

/// Owner keys come from a small domain, so that equal-but-distinct owners are frequent.
const KEYS: u8 = 3;

/// An owner without a `Drop`: its dead entries must simply be invisible until swept.
#[derive(Debug, Hash, PartialEq, Eq)]
struct Plain {
    key: u8,
}

/// Owners whose `Drop` releases their entry, as the derive's generated `Drop` does; one type per
/// table because the `Drop` names its static.
macro_rules! released_owner {
    ($name:ident, $table:ident) => {
        #[derive(Debug, Hash, PartialEq, Eq)]
        struct $name {
            key: u8,
        }

        impl Drop for $name {
            fn drop(&mut self) {
                $table.release(self);
            }
        }
    };
}

released_owner!(ValueOwner, BY_VALUE_RELEASED);
released_owner!(IdentityOwner, BY_IDENTITY_RELEASED);

thread_local! {
    /// What the observer of `BY_VALUE_RELEASED` saw, as `(old, new)` value numbers. Proptest
    /// runs a test's cases on the test's own thread, so a thread-local keeps tests apart.
    static CHANGES: RefCell<Vec<(Option<u32>, Option<u32>)>> = const { RefCell::new(Vec::new()) };
}

fn record(_: &Arc<ValueOwner>, old: Option<&Value>, new: Option<&Value>) {
    CHANGES.with(|changes| {
        changes
            .borrow_mut()
            .push((old.map(|v| **v), new.map(|v| **v)))
    });
}

static MAP: WeakKeyMap<Plain, Value> = WeakKeyMap::new();
static BY_VALUE_RELEASED: Descriptor<ValueOwner, Value> =
    Descriptor::by_value("ValueOwner", "value", Rules::new().on_change(record));
static BY_VALUE_PLAIN: Descriptor<Plain, Value> =
    Descriptor::by_value("Plain", "value", Rules::new());
static BY_IDENTITY_RELEASED: Descriptor<IdentityOwner, Value> =
    Descriptor::by_identity("IdentityOwner", "value", Rules::new());
static BY_IDENTITY_PLAIN: Descriptor<Plain, Value> =
    Descriptor::by_identity("Plain", "value", Rules::new());

/// The system under test: one table and the owner type it is used with.
trait Subject {
    type Owner: Send + Sync + 'static;
    /// Keyed by `Hash + Eq` (else by allocation).
    const BY_VALUE: bool;
    /// The owner's `Drop` releases its entry.
    const RELEASES: bool;
    /// `remove` notifies an observer whose records land in `CHANGES`.
    const OBSERVED: bool = false;

    fn owner(key: u8) -> Self::Owner;
    fn insert(owner: &Arc<Self::Owner>, value: Value) -> Option<Value>;
    fn get(owner: &Self::Owner) -> Option<Value>;
    fn contains(owner: &Self::Owner) -> bool;
    /// `WeakKeyMap::remove` or `Descriptor::take`.
    fn remove(owner: &Arc<Self::Owner>) -> Option<Value>;
    /// `Descriptor::release`; `None` for a map, which has none.
    fn release(owner: &Self::Owner) -> Option<bool>;
    fn len() -> usize;
    fn is_empty() -> bool;
    /// `WeakKeyMap::keys`; `None` for a descriptor, which has none.
    fn keys() -> Option<Vec<Arc<Self::Owner>>>;
    fn purge() -> usize;
}

struct Map;

impl Subject for Map {
    type Owner = Plain;
    const BY_VALUE: bool = true;
    const RELEASES: bool = false;

    fn owner(key: u8) -> Plain {
        Plain { key }
    }
    fn insert(owner: &Arc<Plain>, value: Value) -> Option<Value> {
        MAP.insert(owner, value)
    }
    fn get(owner: &Plain) -> Option<Value> {
        MAP.get(owner)
    }
    fn contains(owner: &Plain) -> bool {
        MAP.contains_key(owner)
    }
    fn remove(owner: &Arc<Plain>) -> Option<Value> {
        MAP.remove(owner)
    }
    fn release(_: &Plain) -> Option<bool> {
        None
    }
    fn len() -> usize {
        MAP.len()
    }
    fn is_empty() -> bool {
        MAP.is_empty()
    }
    fn keys() -> Option<Vec<Arc<Plain>>> {
        Some(MAP.keys())
    }
    fn purge() -> usize {
        MAP.purge()
    }
}

macro_rules! descriptor_subject {
    ($name:ident, $owner:ident, $table:ident, by_value = $by_value:expr, releases = $releases:expr, observed = $observed:expr) => {
        struct $name;

        impl Subject for $name {
            type Owner = $owner;
            const BY_VALUE: bool = $by_value;
            const RELEASES: bool = $releases;
            const OBSERVED: bool = $observed;

            fn owner(key: u8) -> $owner {
                $owner { key }
            }
            fn insert(owner: &Arc<$owner>, value: Value) -> Option<Value> {
                $table.replace(owner, value).expect("no rules to break")
            }
            fn get(owner: &$owner) -> Option<Value> {
                $table.get(owner)
            }
            fn contains(owner: &$owner) -> bool {
                $table.contains(owner)
            }
            fn remove(owner: &Arc<$owner>) -> Option<Value> {
                $table.take(owner)
            }
            fn release(owner: &$owner) -> Option<bool> {
                Some($table.release(owner))
            }
            fn len() -> usize {
                $table.len()
            }
            fn is_empty() -> bool {
                $table.is_empty()
            }
            fn keys() -> Option<Vec<Arc<$owner>>> {
                None
            }
            fn purge() -> usize {
                $table.purge()
            }
        }
    };
}

descriptor_subject!(
    ByValueReleased,
    ValueOwner,
    BY_VALUE_RELEASED,
    by_value = true,
    releases = true,
    observed = true
);
descriptor_subject!(
    ByValuePlain,
    Plain,
    BY_VALUE_PLAIN,
    by_value = true,
    releases = false,
    observed = false
);
descriptor_subject!(
    ByIdentityReleased,
    IdentityOwner,
    BY_IDENTITY_RELEASED,
    by_value = false,
    releases = true,
    observed = false
);
descriptor_subject!(
    ByIdentityPlain,
    Plain,
    BY_IDENTITY_PLAIN,
    by_value = false,
    releases = false,
    observed = false
);

#[derive(Debug, Clone)]
enum Op {
    /// A new owner (a new allocation) with this key.
    New(u8),
    /// One more `Arc` of an owner.
    Clone(Index),
    /// One `Arc` of an owner less (the last one kills it).
    Drop(Index),
    /// `insert` / `replace` through an owner's `Arc`.
    Insert(Index),
    /// `get` through an owner's `Arc`.
    Get(Index),
    /// `get` with a fresh owner of this key that lives outside any `Arc`.
    GetProbe(u8),
    Contains(Index),
    /// `remove` / `take` through an owner's `Arc`.
    Remove(Index),
    /// `remove` / `take` through a fresh `Arc` of an owner with this key, dropped right after.
    RemoveProbe(u8),
    /// `release` (descriptors only; a no-op for the map).
    Release(Index),
    Purge,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..KEYS).prop_map(Op::New),
        2 => any::<Index>().prop_map(Op::Clone),
        3 => any::<Index>().prop_map(Op::Drop),
        4 => any::<Index>().prop_map(Op::Insert),
        2 => any::<Index>().prop_map(Op::Get),
        1 => (0..KEYS).prop_map(Op::GetProbe),
        1 => any::<Index>().prop_map(Op::Contains),
        2 => any::<Index>().prop_map(Op::Remove),
        1 => (0..KEYS).prop_map(Op::RemoveProbe),
        1 => any::<Index>().prop_map(Op::Release),
        1 => Just(Op::Purge),
    ]
}

/// One owner of the run: the `Arc`s the test holds (none once it died).
struct Slot<O> {
    key: u8,
    arcs: Vec<Arc<O>>,
}

/// A live entry of the reference model.
struct ModelEntry {
    key: u8,
    creator: usize,
    value: u32,
}

struct Run<S: Subject> {
    slots: Vec<Slot<S::Owner>>,
    entries: Vec<ModelEntry>,
    /// Every value ever stored, by number.
    values: Vec<Weak<u32>>,
    /// The observer calls the model expects, as `(old, new)`.
    changes: Vec<(Option<u32>, Option<u32>)>,
}

impl<S: Subject> Run<S> {
    fn new() -> Self {
        // Earlier cases of this test left only dead owners behind: sweep their entries so that
        // `purge` counts this case's garbage alone.
        S::purge();
        CHANGES.with(|changes| changes.borrow_mut().clear());
        Self {
            slots: Vec::new(),
            entries: Vec::new(),
            values: Vec::new(),
            changes: Vec::new(),
        }
    }

    /// The live slot at `index`, if there are slots and that one is alive.
    fn live(&self, index: &Index) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let slot = index.index(self.slots.len());
        (!self.slots[slot].arcs.is_empty()).then_some(slot)
    }

    /// The model entry `slot` addresses: by value, the live entry of an equal key; by identity,
    /// the one it created.
    fn entry_of(&self, slot: usize) -> Option<usize> {
        let key = self.slots[slot].key;
        self.entries.iter().position(|entry| {
            if S::BY_VALUE {
                entry.key == key
            } else {
                entry.creator == slot
            }
        })
    }

    fn entry_of_probe(&self, key: u8) -> Option<usize> {
        if S::BY_VALUE {
            self.entries.iter().position(|entry| entry.key == key)
        } else {
            None // a fresh allocation (or no allocation at all) never has an entry
        }
    }

    fn new_value(&mut self) -> Value {
        let value = Arc::new(u32::try_from(self.values.len()).unwrap());
        self.values.push(Arc::downgrade(&value));
        value
    }

    fn apply(&mut self, op: &Op) -> Result<(), TestCaseError> {
        match *op {
            Op::New(key) => self.slots.push(Slot {
                key,
                arcs: vec![Arc::new(S::owner(key))],
            }),
            Op::Clone(ref index) => {
                if let Some(slot) = self.live(index) {
                    let arc = self.slots[slot].arcs[0].clone();
                    self.slots[slot].arcs.push(arc);
                }
            }
            Op::Drop(ref index) => {
                if let Some(slot) = self.live(index) {
                    let arc = self.slots[slot].arcs.pop().unwrap();
                    if self.slots[slot].arcs.is_empty() {
                        // The creator's last `Arc`: its entry dies (and is released, if the
                        // owner's `Drop` says so) right here.
                        self.entries.retain(|entry| entry.creator != slot);
                    }
                    drop(arc);
                }
            }
            Op::Insert(ref index) => {
                if let Some(slot) = self.live(index) {
                    let value = self.new_value();
                    let number = *value;
                    let actual = S::insert(&self.slots[slot].arcs[0], value).map(|v| *v);
                    let expected = match self.entry_of(slot) {
                        Some(at) => Some(std::mem::replace(&mut self.entries[at].value, number)),
                        None => {
                            self.entries.push(ModelEntry {
                                key: self.slots[slot].key,
                                creator: slot,
                                value: number,
                            });
                            None
                        }
                    };
                    self.changes.push((expected, Some(number)));
                    prop_assert_eq!(actual, expected, "insert through owner {}", slot);
                }
            }
            Op::Get(ref index) => {
                if let Some(slot) = self.live(index) {
                    let actual = S::get(&self.slots[slot].arcs[0]).map(|v| *v);
                    let expected = self.entry_of(slot).map(|at| self.entries[at].value);
                    prop_assert_eq!(actual, expected, "get through owner {}", slot);
                }
            }
            Op::GetProbe(key) => {
                let probe = S::owner(key);
                let actual = S::get(&probe).map(|v| *v);
                let expected = self.entry_of_probe(key).map(|at| self.entries[at].value);
                prop_assert_eq!(actual, expected, "get with a probe of key {}", key);
                prop_assert_eq!(S::contains(&probe), expected.is_some());
            }
            Op::Contains(ref index) => {
                if let Some(slot) = self.live(index) {
                    let actual = S::contains(&self.slots[slot].arcs[0]);
                    let expected = self.entry_of(slot).is_some();
                    prop_assert_eq!(actual, expected, "contains through owner {}", slot);
                }
            }
            Op::Remove(ref index) => {
                if let Some(slot) = self.live(index) {
                    let actual = S::remove(&self.slots[slot].arcs[0]).map(|v| *v);
                    let expected = self.entry_of(slot).map(|at| self.entries.remove(at).value);
                    if let Some(old) = expected {
                        self.changes.push((Some(old), None));
                    }
                    prop_assert_eq!(actual, expected, "remove through owner {}", slot);
                }
            }
            Op::RemoveProbe(key) => {
                let actual = S::remove(&Arc::new(S::owner(key))).map(|v| *v);
                let expected = self
                    .entry_of_probe(key)
                    .map(|at| self.entries.remove(at).value);
                if let Some(old) = expected {
                    self.changes.push((Some(old), None));
                }
                prop_assert_eq!(actual, expected, "remove with a probe of key {}", key);
            }
            Op::Release(ref index) => {
                if let Some(slot) = self.live(index) {
                    let Some(actual) = S::release(&self.slots[slot].arcs[0]) else {
                        return Ok(());
                    };
                    // Only the entry this very allocation created, never an equal owner's.
                    let expected = self.entries.iter().position(|e| e.creator == slot);
                    if let Some(at) = expected {
                        self.entries.remove(at);
                    }
                    prop_assert_eq!(actual, expected.is_some(), "release of owner {}", slot);
                }
            }
            Op::Purge => {
                let held = self.held_garbage();
                prop_assert_eq!(S::purge(), held, "purge returns the dead entries it swept");
            }
        }
        self.check()
    }

    /// Values that the table still holds although no live entry has them: the values of dead,
    /// unswept entries.
    fn held_garbage(&self) -> usize {
        let live: BTreeSet<u32> = self.entries.iter().map(|entry| entry.value).collect();
        (0_u32..)
            .zip(&self.values)
            .filter(|(number, weak)| weak.strong_count() > 0 && !live.contains(number))
            .count()
    }

    /// The invariants that hold after every step.
    fn check(&self) -> Result<(), TestCaseError> {
        prop_assert_eq!(S::len(), self.entries.len(), "len counts the live entries");
        prop_assert_eq!(S::is_empty(), self.entries.is_empty());
        if let Some(keys) = S::keys() {
            // `keys` lists exactly the creators of the live entries (the first key of each).
            let actual: BTreeSet<usize> = keys.iter().map(|key| Arc::as_ptr(key).addr()).collect();
            let expected: BTreeSet<usize> = self
                .entries
                .iter()
                .map(|entry| Arc::as_ptr(&self.slots[entry.creator].arcs[0]).addr())
                .collect();
            prop_assert_eq!(keys.len(), self.entries.len(), "keys are unique");
            prop_assert_eq!(
                actual,
                expected,
                "keys are the creators of the live entries"
            );
        }
        for entry in &self.entries {
            prop_assert_eq!(
                self.values[entry.value as usize].strong_count(),
                1,
                "the table holds value {} once, and only the table",
                entry.value
            );
        }
        if S::RELEASES {
            // Prompt: a released entry's value is dropped before `drop` returns.
            prop_assert_eq!(
                self.held_garbage(),
                0,
                "released values are dropped at once"
            );
        }
        if S::OBSERVED {
            let seen = CHANGES.with(|changes| changes.borrow().clone());
            prop_assert_eq!(
                &seen,
                &self.changes,
                "the observer saw every write and take"
            );
        }
        Ok(())
    }

    /// Drops every owner, then checks that nothing is left behind.
    fn finish(mut self) -> Result<(), TestCaseError> {
        for slot in &mut self.slots {
            slot.arcs.clear();
        }
        self.entries.clear();
        self.check()?;
        let held = self.held_garbage();
        prop_assert_eq!(S::purge(), held);
        prop_assert_eq!(S::purge(), 0);
        prop_assert_eq!(self.held_garbage(), 0, "every value was dropped");
        Ok(())
    }
}

fn run<S: Subject>(ops: &[Op]) -> Result<(), TestCaseError> {
    let mut run = Run::<S>::new();
    for op in ops {
        run.apply(op)?;
    }
    run.finish()
}

// proptest's default configuration: 256 cases (`PROPTEST_CASES` overrides it), each of up to 80
// steps; about two seconds for the five tests in a debug build.
proptest! {
    #[test]
    fn weak_key_map_behaves_like_a_weak_key_dictionary(ops in prop::collection::vec(op(), 1..80)) {
        run::<Map>(&ops)?;
    }

    #[test]
    fn by_value_descriptor_with_releasing_owners_matches_the_model(ops in prop::collection::vec(op(), 1..80)) {
        run::<ByValueReleased>(&ops)?;
    }

    #[test]
    fn by_value_descriptor_with_plain_owners_matches_the_model(ops in prop::collection::vec(op(), 1..80)) {
        run::<ByValuePlain>(&ops)?;
    }

    #[test]
    fn by_identity_descriptor_with_releasing_owners_matches_the_model(ops in prop::collection::vec(op(), 1..80)) {
        run::<ByIdentityReleased>(&ops)?;
    }

    #[test]
    fn by_identity_descriptor_with_plain_owners_matches_the_model(ops in prop::collection::vec(op(), 1..80)) {
        run::<ByIdentityPlain>(&ops)?;
    }
}
