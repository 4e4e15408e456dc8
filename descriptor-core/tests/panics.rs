//! A panic in any user hook reaches the caller and leaves the table consistent: the previous
//! value in place when the panic came before the store, every value dropped exactly once, and no
//! lock held or poisoned (later operations work, from this thread and from another).

use std::hash::{Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use weakprop_core::{Descriptor, ErrorKind, Rules, WeakKeyMap};

/// Runs `f`, which must panic, and returns its panic message.
fn panic_message(f: impl FnOnce()) -> String {
    let payload =
        panic::catch_unwind(AssertUnwindSafe(f)).expect_err("the hook's panic reached the caller");
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        String::from("<not a string>")
    }
}

/// Runs `f` on another thread and returns its result; fails if it is still blocked after 10 s
/// (a lock left held by the panic).
fn on_another_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    let (done, result) = mpsc::channel();
    let worker = thread::spawn(move || {
        let _ = done.send(f());
    });
    match result.recv_timeout(Duration::from_secs(10)) {
        Ok(value) => {
            worker.join().unwrap();
            value
        }
        Err(RecvTimeoutError::Disconnected) => panic::resume_unwind(worker.join().unwrap_err()),
        Err(RecvTimeoutError::Timeout) => panic!("a lock is still held after the panic"),
    }
}

/// An owner whose `Hash` or `Eq` panics on demand.
#[derive(Debug)]
struct Owner {
    id: u32,
    hash_panics: AtomicBool,
    eq_panics: AtomicBool,
}

impl Owner {
    fn new(id: u32) -> Arc<Self> {
        Arc::new(Self {
            id,
            hash_panics: AtomicBool::new(false),
            eq_panics: AtomicBool::new(false),
        })
    }
}

impl Hash for Owner {
    fn hash<H: Hasher>(&self, state: &mut H) {
        assert!(
            !self.hash_panics.load(Ordering::SeqCst),
            "Hash of owner {}",
            self.id
        );
        self.id.hash(state);
    }
}

impl PartialEq for Owner {
    fn eq(&self, other: &Self) -> bool {
        let panics =
            self.eq_panics.load(Ordering::SeqCst) || other.eq_panics.load(Ordering::SeqCst);
        assert!(!panics, "Eq of owner {}", self.id);
        self.id == other.id
    }
}

impl Eq for Owner {}

/// A value that counts its drops and panics in `Clone` or `Drop` on demand. Clones (what `get`
/// returns) are plain: they neither count nor panic.
#[derive(Debug)]
struct Bomb {
    n: u32,
    clone_panics: bool,
    drop_panics: bool,
    drops: Option<Arc<AtomicUsize>>,
}

impl Bomb {
    fn new(n: u32, drops: &Arc<AtomicUsize>) -> Self {
        Self {
            n,
            clone_panics: false,
            drop_panics: false,
            drops: Some(drops.clone()),
        }
    }

    fn panicking_on_clone(mut self) -> Self {
        self.clone_panics = true;
        self
    }

    fn panicking_on_drop(mut self) -> Self {
        self.drop_panics = true;
        self
    }
}

impl Clone for Bomb {
    fn clone(&self) -> Self {
        assert!(!self.clone_panics, "Clone of value {}", self.n);
        Self {
            n: self.n,
            clone_panics: false,
            drop_panics: false,
            drops: None,
        }
    }
}

impl Drop for Bomb {
    fn drop(&mut self) {
        if let Some(drops) = &self.drops {
            drops.fetch_add(1, Ordering::SeqCst);
        }
        assert!(
            !self.drop_panics || thread::panicking(),
            "Drop of value {}",
            self.n
        );
    }
}

fn value_of(table: &'static Descriptor<Owner, Bomb>, owner: &Owner) -> Option<u32> {
    table.get(owner).map(|bomb| bomb.n)
}

/// The table works after the panic: read, write and take, here and from another thread.
fn still_works(table: &'static Descriptor<Owner, Bomb>, owner: &Arc<Owner>, expected: Option<u32>) {
    assert_eq!(value_of(table, owner), expected);
    let drops = Arc::new(AtomicUsize::new(0));
    let other = owner.clone();
    let counter = drops.clone();
    on_another_thread(move || {
        let previous = table.replace(&other, Bomb::new(100, &counter)).unwrap();
        assert_eq!(previous.map(|bomb| bomb.n), expected);
        assert_eq!(value_of(table, &other), Some(100));
    });
    assert_eq!(table.take(owner).map(|bomb| bomb.n), Some(100));
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert_eq!(value_of(table, owner), None);
}

fn refuse_13(value: &Bomb) -> Result<(), ErrorKind> {
    assert_ne!(value.n, 13, "check refused 13");
    Ok(())
}

#[test]
fn a_panicking_check_keeps_the_old_value() {
    static TABLE: Descriptor<Owner, Bomb> =
        Descriptor::by_value("Owner", "checked", Rules::new().check(refuse_13));
    let drops = Arc::new(AtomicUsize::new(0));
    let owner = Owner::new(1);
    TABLE.set(&owner, Bomb::new(1, &drops)).unwrap();
    let message = panic_message(|| drop(TABLE.set(&owner, Bomb::new(13, &drops))));
    assert!(message.contains("check refused 13"), "{message}");
    assert_eq!(
        drops.load(Ordering::SeqCst),
        1,
        "the refused value was dropped once"
    );
    assert_eq!(TABLE.len(), 1);
    assert_eq!(value_of(&TABLE, &owner), Some(1));
    still_works(&TABLE, &owner, Some(1));
    assert_eq!(drops.load(Ordering::SeqCst), 2);
}

fn explode_13(value: Bomb) -> Bomb {
    assert_ne!(value.n, 13, "coerce refused 13");
    value
}

#[test]
fn a_panicking_coercion_keeps_the_old_value() {
    static TABLE: Descriptor<Owner, Bomb> =
        Descriptor::by_value("Owner", "coerced", Rules::new().coerce(explode_13));
    let drops = Arc::new(AtomicUsize::new(0));
    let owner = Owner::new(2);
    TABLE.set(&owner, Bomb::new(1, &drops)).unwrap();
    let message = panic_message(|| drop(TABLE.set(&owner, Bomb::new(13, &drops))));
    assert!(message.contains("coerce refused 13"), "{message}");
    assert_eq!(
        drops.load(Ordering::SeqCst),
        1,
        "the value was dropped once, while unwinding"
    );
    assert_eq!(TABLE.len(), 1);
    still_works(&TABLE, &owner, Some(1));
    assert_eq!(drops.load(Ordering::SeqCst), 2);
}

fn observe_13(_: &Arc<Owner>, _: Option<&Bomb>, new: Option<&Bomb>) {
    assert!(new.is_none_or(|new| new.n != 13), "observer refused 13");
    assert!(new.is_some(), "observer refused a take");
}

#[test]
fn a_panicking_observer_runs_after_the_store() {
    static TABLE: Descriptor<Owner, Bomb> =
        Descriptor::by_value("Owner", "observed", Rules::new().on_change(observe_13));
    let drops = Arc::new(AtomicUsize::new(0));
    let owner = Owner::new(3);
    TABLE.set(&owner, Bomb::new(1, &drops)).unwrap();
    // The observer runs after the write: the new value is stored, the old one dropped once.
    let message = panic_message(|| drop(TABLE.set(&owner, Bomb::new(13, &drops))));
    assert!(message.contains("observer refused 13"), "{message}");
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert_eq!(value_of(&TABLE, &owner), Some(13));
    // A take's notification panics after the removal: the taken value is dropped once.
    let message = panic_message(|| drop(TABLE.take(&owner)));
    assert!(message.contains("observer refused a take"), "{message}");
    assert_eq!(drops.load(Ordering::SeqCst), 2);
    assert_eq!((TABLE.len(), value_of(&TABLE, &owner)), (0, None));
    TABLE.set(&owner, Bomb::new(1, &drops)).unwrap();
    assert_eq!(value_of(&TABLE, &owner), Some(1));
    // `still_works` takes, which this observer refuses after the fact.
    assert_eq!(
        on_another_thread({
            let owner = owner.clone();
            move || value_of(&TABLE, &owner)
        }),
        Some(1)
    );
    assert!(TABLE.release(&owner));
    assert_eq!(drops.load(Ordering::SeqCst), 3);
}

#[test]
fn a_panicking_hash_reaches_every_caller_and_changes_nothing() {
    static TABLE: Descriptor<Owner, Bomb> = Descriptor::by_value("Owner", "hashed", Rules::new());
    static MAP: WeakKeyMap<Owner, u32> = WeakKeyMap::new();
    let drops = Arc::new(AtomicUsize::new(0));
    let owner = Owner::new(4);
    TABLE.set(&owner, Bomb::new(1, &drops)).unwrap();
    MAP.insert(&owner, 1);
    owner.hash_panics.store(true, Ordering::SeqCst);
    for message in [
        panic_message(|| drop(TABLE.get(&owner))),
        panic_message(|| {
            let _ = TABLE.contains(&owner);
        }),
        panic_message(|| drop(TABLE.set(&owner, Bomb::new(2, &drops)))),
        panic_message(|| drop(TABLE.take(&owner))),
        panic_message(|| {
            let _ = TABLE.release(&owner);
        }),
        panic_message(|| {
            let _ = MAP.get(&owner);
        }),
        panic_message(|| {
            let _ = MAP.insert(&owner, 2);
        }),
        panic_message(|| {
            let _ = MAP.remove(&owner);
        }),
    ] {
        assert!(message.contains("Hash of owner 4"), "{message}");
    }
    assert_eq!(
        drops.load(Ordering::SeqCst),
        1,
        "only the value offered to set was dropped"
    );
    assert_eq!((TABLE.len(), MAP.len(), MAP.keys().len()), (1, 1, 1));
    owner.hash_panics.store(false, Ordering::SeqCst);
    assert_eq!(MAP.get(&owner), Some(1));
    still_works(&TABLE, &owner, Some(1));
}

#[test]
fn a_panicking_eq_unpins_the_stored_owner_and_changes_nothing() {
    static TABLE: Descriptor<Owner, Bomb> = Descriptor::by_value("Owner", "compared", Rules::new());
    static MAP: WeakKeyMap<Owner, u32> = WeakKeyMap::new();
    let drops = Arc::new(AtomicUsize::new(0));
    let creator = Owner::new(5);
    TABLE.set(&creator, Bomb::new(1, &drops)).unwrap();
    MAP.insert(&creator, 1);
    let twin = Owner::new(5);
    twin.eq_panics.store(true, Ordering::SeqCst);
    for message in [
        panic_message(|| drop(TABLE.get(&twin))),
        panic_message(|| {
            let _ = TABLE.contains(&twin);
        }),
        panic_message(|| drop(TABLE.set(&twin, Bomb::new(2, &drops)))),
        panic_message(|| drop(TABLE.take(&twin))),
        panic_message(|| {
            let _ = MAP.get(&twin);
        }),
        panic_message(|| {
            let _ = MAP.insert(&twin, 2);
        }),
        panic_message(|| {
            let _ = MAP.remove(&twin);
        }),
    ] {
        assert!(message.contains("Eq of owner 5"), "{message}");
    }
    // `release` finds by address alone: no `Eq`, so no panic, and the twin created nothing.
    assert!(!TABLE.release(&twin));
    assert_eq!(
        drops.load(Ordering::SeqCst),
        1,
        "only the value offered to set was dropped"
    );
    assert_eq!(
        (Arc::strong_count(&creator), Arc::weak_count(&creator)),
        (1, 2),
        "the creator was unpinned while unwinding"
    );
    assert_eq!(Arc::weak_count(&twin), 0, "the twin got no entry");
    twin.eq_panics.store(false, Ordering::SeqCst);
    assert_eq!(MAP.get(&twin), Some(1));
    assert_eq!(value_of(&TABLE, &twin), Some(1));
    still_works(&TABLE, &creator, Some(1));
    assert_eq!(MAP.len(), 1);
}

#[test]
fn a_value_clone_that_panics_in_get_releases_the_read_lock() {
    static TABLE: Descriptor<Owner, Bomb> = Descriptor::by_value("Owner", "cloned", Rules::new());
    let drops = Arc::new(AtomicUsize::new(0));
    let owner = Owner::new(6);
    TABLE
        .set(&owner, Bomb::new(1, &drops).panicking_on_clone())
        .unwrap();
    // `get` runs `Clone` under the shard's read lock: the lock must be released on unwinding,
    // or the writer on another thread below blocks forever.
    let message = panic_message(|| drop(TABLE.get(&owner)));
    assert!(message.contains("Clone of value 1"), "{message}");
    assert!(TABLE.contains(&owner));
    assert_eq!(TABLE.len(), 1);
    let twin = Owner::new(6);
    let message = panic_message(|| drop(TABLE.get(&twin)));
    assert!(
        message.contains("Clone of value 1"),
        "through an equal owner too: {message}"
    );
    assert_eq!(
        drops.load(Ordering::SeqCst),
        0,
        "the stored value was not touched"
    );
    let mut old = TABLE
        .replace(&owner, Bomb::new(2, &drops))
        .unwrap()
        .unwrap();
    old.clone_panics = false;
    drop(old);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    still_works(&TABLE, &owner, Some(2));
}

fn notice(_: &Arc<Owner>, _: Option<&Bomb>, _: Option<&Bomb>) {}

#[test]
fn a_value_clone_that_panics_before_the_store_keeps_the_old_value() {
    // With an observer, `set` clones the new value for it before storing.
    static TABLE: Descriptor<Owner, Bomb> =
        Descriptor::by_value("Owner", "noticed", Rules::new().on_change(notice));
    let drops = Arc::new(AtomicUsize::new(0));
    let owner = Owner::new(7);
    TABLE.set(&owner, Bomb::new(1, &drops)).unwrap();
    let message =
        panic_message(|| drop(TABLE.set(&owner, Bomb::new(2, &drops).panicking_on_clone())));
    assert!(message.contains("Clone of value 2"), "{message}");
    assert_eq!(
        drops.load(Ordering::SeqCst),
        1,
        "the new value was dropped once"
    );
    assert_eq!(value_of(&TABLE, &owner), Some(1));
    still_works(&TABLE, &owner, Some(1));
}

#[test]
fn a_value_drop_that_panics_on_replace_leaves_the_new_value_stored() {
    static TABLE: Descriptor<Owner, Bomb> = Descriptor::by_value("Owner", "replaced", Rules::new());
    let drops = Arc::new(AtomicUsize::new(0));
    let owner = Owner::new(8);
    TABLE
        .set(&owner, Bomb::new(1, &drops).panicking_on_drop())
        .unwrap();
    let message = panic_message(|| drop(TABLE.set(&owner, Bomb::new(2, &drops))));
    assert!(message.contains("Drop of value 1"), "{message}");
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    still_works(&TABLE, &owner, Some(2));
    assert_eq!(drops.load(Ordering::SeqCst), 2);
}

#[test]
fn a_value_drop_that_panics_on_release_leaves_the_entry_removed() {
    static TABLE: Descriptor<Owner, Bomb> = Descriptor::by_value("Owner", "released", Rules::new());
    let drops = Arc::new(AtomicUsize::new(0));
    let owner = Owner::new(9);
    TABLE
        .set(&owner, Bomb::new(1, &drops).panicking_on_drop())
        .unwrap();
    let message = panic_message(|| {
        TABLE.release(&owner);
    });
    assert!(message.contains("Drop of value 1"), "{message}");
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert_eq!((TABLE.len(), TABLE.purge()), (0, 0));
    assert!(!TABLE.release(&owner));
    assert_eq!(
        Arc::weak_count(&owner),
        0,
        "the entry and its weak reference are gone"
    );
    TABLE.set(&owner, Bomb::new(2, &drops)).unwrap();
    still_works(&TABLE, &owner, Some(2));
}

#[test]
fn a_taken_value_is_the_callers_to_drop() {
    static TABLE: Descriptor<Owner, Bomb> =
        Descriptor::by_value("Owner", "taken", Rules::new().on_change(notice));
    let drops = Arc::new(AtomicUsize::new(0));
    let owner = Owner::new(10);
    TABLE
        .set(&owner, Bomb::new(1, &drops).panicking_on_drop())
        .unwrap();
    // `take` runs no `Drop` of the value: the panic comes from the caller's own drop.
    let taken = TABLE.take(&owner).unwrap();
    assert_eq!(TABLE.len(), 0);
    let message = panic_message(move || drop(taken));
    assert!(message.contains("Drop of value 1"), "{message}");
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    still_works(&TABLE, &owner, None);
}

#[test]
fn a_value_drop_that_panics_in_purge_leaves_every_other_value_dropped_once() {
    static TABLE: Descriptor<Owner, Bomb> = Descriptor::by_value("Owner", "purged", Rules::new());
    let drops = Arc::new(AtomicUsize::new(0));
    for id in 100..140 {
        TABLE.set(&Owner::new(id), Bomb::new(id, &drops)).unwrap();
    }
    // Last, so that no insert sweeps it: an insert sweeps before it adds its own entry.
    TABLE
        .set(&Owner::new(11), Bomb::new(11, &drops).panicking_on_drop())
        .unwrap();
    // Every owner died unreleased; the inserts above may already have swept some.
    let swept_on_insert = drops.load(Ordering::SeqCst);
    let message = panic_message(|| {
        TABLE.purge();
    });
    assert!(message.contains("Drop of value 11"), "{message}");
    // The panic stopped the purge in the bomb's shard, after taking that shard's garbage out
    // (the rest of that garbage is still dropped while unwinding); later shards wait for the
    // next purge.
    let second = TABLE.purge();
    assert_eq!(
        drops.load(Ordering::SeqCst),
        41,
        "{swept_on_insert} swept on insert, then {second}"
    );
    assert_eq!((TABLE.len(), TABLE.purge()), (0, 0));
    let owner = Owner::new(12);
    TABLE.set(&owner, Bomb::new(1, &drops)).unwrap();
    still_works(&TABLE, &owner, Some(1));
}

/// The amortised sweep drops other owners' garbage in whichever insert triggers it: a panic in
/// such a value's `Drop` reaches that innocent writer, after its own value was stored.
#[test]
fn a_value_drop_that_panics_in_the_amortised_sweep_reaches_the_inserting_writer() {
    static TABLE: Descriptor<Owner, Bomb> = Descriptor::by_value("Owner", "swept", Rules::new());
    static WRITTEN: Mutex<Vec<Arc<Owner>>> = Mutex::new(Vec::new());
    let drops = Arc::new(AtomicUsize::new(0));
    TABLE
        .set(&Owner::new(13), Bomb::new(13, &drops).panicking_on_drop())
        .unwrap();
    let mut message = None;
    for id in 1000..1000 + 64 * 16 {
        let owner = Owner::new(id);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            TABLE.set(&owner, Bomb::new(id, &drops))
        }));
        WRITTEN.lock().unwrap().push(owner.clone());
        if let Err(payload) = outcome {
            message = payload.downcast_ref::<String>().cloned();
            assert_eq!(
                value_of(&TABLE, &owner),
                Some(id),
                "the writer's own value was stored"
            );
            break;
        }
    }
    let message = message.expect("some insert swept the dead owner's shard");
    assert!(message.contains("Drop of value 13"), "{message}");
    let written = std::mem::take(&mut *WRITTEN.lock().unwrap());
    assert_eq!(TABLE.len(), written.len());
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    let last = written.last().unwrap().clone();
    drop(written);
    assert_eq!(TABLE.len(), 1);
    drop(TABLE.take(&last));
    still_works(&TABLE, &last, None);
    drop(last);
    TABLE.purge();
    assert_eq!((TABLE.len(), TABLE.purge()), (0, 0));
}
