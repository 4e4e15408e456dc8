//! The documented limits, pinned down exactly: an owner whose `Hash` changes while it has an
//! entry, and a reference cycle through a value.

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

use weakprop_core::{Descriptor, Rules, WeakKeyMap};

/// An owner whose hash includes a mutable `salt` (its equality does not).
#[derive(Debug)]
struct Shifty {
    id: u32,
    salt: AtomicU32,
}

impl Shifty {
    fn new(id: u32) -> Arc<Self> {
        Arc::new(Self {
            id,
            salt: AtomicU32::new(0),
        })
    }

    fn shift(&self, salt: u32) {
        self.salt.store(salt, Ordering::SeqCst);
    }
}

impl Hash for Shifty {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
        self.salt.load(Ordering::SeqCst).hash(state);
    }
}

impl PartialEq for Shifty {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Shifty {}

impl Drop for Shifty {
    fn drop(&mut self) {
        SHIFTY.release(self);
    }
}

static SHIFTY: Descriptor<Shifty, Tracked> = Descriptor::by_value("Shifty", "value", Rules::new());
static TRACKED_DROPS: AtomicUsize = AtomicUsize::new(0);

/// A value that counts the drops of the instances the table holds (its clones do not count).
#[derive(Debug)]
struct Tracked {
    n: u32,
    counted: bool,
}

impl Tracked {
    fn new(n: u32) -> Self {
        Self { n, counted: true }
    }
}

impl Clone for Tracked {
    fn clone(&self) -> Self {
        Self {
            n: self.n,
            counted: false,
        }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if self.counted {
            TRACKED_DROPS.fetch_add(1, Ordering::SeqCst);
        }
    }
}

fn drops() -> usize {
    TRACKED_DROPS.load(Ordering::SeqCst)
}

fn value(owner: &Shifty) -> Option<u32> {
    SHIFTY.get(owner).map(|value| value.n)
}

/// What happens, step by step, when an owner's hash changes while it has an entry.
///
/// The entry keeps the hash it was stored under, and every lookup compares the stored hash as
/// well as the address, so a lookup with the new hash always misses it.
#[test]
fn an_owner_whose_hash_changes_loses_its_entry_until_it_dies_and_a_sweep_frees_it() {
    let id = 0;
    let bystander = Shifty::new(id + 1);
    SHIFTY.set(&bystander, Tracked::new(1000)).unwrap();
    let owner = Shifty::new(id);
    SHIFTY.set(&owner, Tracked::new(1)).unwrap();
    let base = drops();

    owner.shift(1);
    assert_eq!(value(&owner), None);
    // The entry is still there and still live: counted by `len`, but out of reach by value,
    // by address (the lookup looks in the new hash's place), and by `release`.
    assert!(!SHIFTY.contains(&owner));
    assert_eq!(SHIFTY.len(), 2);
    assert!(SHIFTY.take(&owner).is_none());
    assert!(!SHIFTY.release(&owner));
    // A write with the new hash creates a second entry for the same owner: `len` counts both.
    SHIFTY.set(&owner, Tracked::new(2)).unwrap();
    assert_eq!(value(&owner), Some(2));
    assert_eq!(SHIFTY.len(), 3);
    assert_eq!(
        Arc::weak_count(&owner),
        2,
        "two entries hold a weak reference to it"
    );
    // Shifting back finds the first entry again, untouched.
    owner.shift(0);
    assert_eq!(value(&owner), Some(1));
    owner.shift(1);
    assert_eq!(value(&owner), Some(2));
    // Nothing else was lost or corrupted.
    assert_eq!(SHIFTY.get(&bystander).map(|value| value.n), Some(1000));
    assert_eq!(drops(), base);

    // Dropped with the new hash, the owner's `Drop` releases only the entry of that hash (value
    // 2, dropped at once). The first entry is dead, so invisible, but its value (1) is held
    // until a sweep: the next `purge` (or an amortised sweep of its shard).
    drop(owner);
    assert_eq!(
        drops(),
        base + 1,
        "only the entry of the current hash was released"
    );
    assert_eq!(
        SHIFTY.len(),
        1,
        "the stranded entry is dead, so not counted"
    );
    let swept = SHIFTY.purge();
    assert!(swept >= 1, "purge sweeps the stranded entry");
    assert_eq!(drops(), base + 2, "and drops its value then");
    assert_eq!(SHIFTY.get(&bystander).map(|value| value.n), Some(1000));
    drop(bystander);
}

/// An owner whose value holds an `Arc` of its own key: the same cycle as a
/// `WeakKeyDictionary` value referring to its key, which keeps the key alive.
#[derive(Debug, Hash, PartialEq, Eq)]
struct Node {
    id: u32,
}

impl Drop for Node {
    fn drop(&mut self) {
        SELF_REF.release(self);
        SELF_REF_ID.release(self);
    }
}

static SELF_REF: Descriptor<Node, Option<Arc<Node>>> =
    Descriptor::by_value("Node", "me", Rules::new());
static SELF_REF_ID: Descriptor<Node, Option<Arc<Node>>> =
    Descriptor::by_identity("Node", "me", Rules::new());
static SELF_MAP: WeakKeyMap<Node, Arc<Node>> = WeakKeyMap::new();

#[test]
fn a_value_that_owns_its_own_key_keeps_it_alive_until_taken() {
    let node = Arc::new(Node { id: 1 });
    let watch: Weak<Node> = Arc::downgrade(&node);
    SELF_REF.set(&node, Some(node.clone())).unwrap();
    drop(node);
    // The cycle: the entry's value keeps the key alive, so the entry stays live and reachable.
    assert_eq!(watch.strong_count(), 1);
    assert_eq!(SELF_REF.len(), 1);
    assert_eq!(SELF_REF.purge(), 0, "a live entry is not garbage");
    let probe = Arc::new(Node { id: 1 });
    assert!(SELF_REF.contains(&probe));
    // `take` (here through an equal owner) breaks it: the returned value holds the last `Arc`.
    let taken = SELF_REF.take(&probe).flatten().unwrap();
    assert!(Arc::ptr_eq(&taken, &watch.upgrade().unwrap()));
    drop(taken);
    assert_eq!(watch.strong_count(), 0, "the key is freed");
    assert_eq!((SELF_REF.len(), SELF_REF.purge()), (0, 0));
}

#[test]
fn an_identity_keyed_cycle_is_reachable_only_through_its_own_arc() {
    let node = Arc::new(Node { id: 2 });
    let watch = Arc::downgrade(&node);
    SELF_REF_ID.set(&node, Some(node.clone())).unwrap();
    drop(node);
    assert_eq!(watch.strong_count(), 1);
    assert_eq!(SELF_REF_ID.len(), 1);
    // An equal owner does not reach it by identity; only the key's own `Arc` does.
    assert!(!SELF_REF_ID.contains(&Node { id: 2 }));
    let node = watch.upgrade().unwrap();
    let taken = SELF_REF_ID.take(&node).flatten().unwrap();
    drop((node, taken));
    assert_eq!(watch.strong_count(), 0);
    assert_eq!((SELF_REF_ID.len(), SELF_REF_ID.purge()), (0, 0));
}

#[test]
fn a_weak_key_map_value_that_owns_its_key_keeps_it_alive_until_removed() {
    let key = Arc::new(Node { id: 3 });
    let watch = Arc::downgrade(&key);
    SELF_MAP.insert(&key, key.clone());
    drop(key);
    assert_eq!(watch.strong_count(), 1);
    assert_eq!(SELF_MAP.len(), 1);
    assert_eq!(SELF_MAP.keys().len(), 1);
    assert_eq!(SELF_MAP.purge(), 0);
    let value = SELF_MAP.remove(&Node { id: 3 }).unwrap();
    drop(value);
    assert_eq!(watch.strong_count(), 0);
    assert!(SELF_MAP.is_empty());
    assert_eq!(SELF_MAP.purge(), 0);
}
