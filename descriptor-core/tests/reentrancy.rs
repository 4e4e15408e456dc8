//! User code that re-enters the tables: the guarantee that no user code runs under a table lock.
//!
//! Each test would deadlock (the shard locks are not reentrant) or crash without that guarantee,
//! so each runs its body under a watchdog that fails the run after [`PATIENCE`] instead of
//! hanging CI.

use std::hash::{Hash, Hasher};
use std::panic;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use weakprop_core::{Descriptor, ErrorKind, Rules, WeakKeyMap};

mod support;
use support::watchdog_for;

/// How long a body may run before the test calls it a deadlock.
const PATIENCE: Duration = Duration::from_secs(10);

/// A table of owners whose value is the next owner of a chain: dropping a value drops the next
/// owner, whose `Drop` releases its entry from the very same table, whose value is the next...
macro_rules! chain_table {
    ($module:ident) => {
        mod $module {
            use super::*;

            pub struct Link {
                pub id: u32,
                /// Whether `Drop` releases the entry (else it dies unreleased, for the sweeps).
                pub releases: bool,
            }

            impl Hash for Link {
                fn hash<H: Hasher>(&self, state: &mut H) {
                    self.id.hash(state);
                }
            }

            impl PartialEq for Link {
                fn eq(&self, other: &Self) -> bool {
                    self.id == other.id
                }
            }

            impl Eq for Link {}

            impl Drop for Link {
                fn drop(&mut self) {
                    DROPS.fetch_add(1, Ordering::SeqCst);
                    if self.releases {
                        NEXT.release(self);
                    }
                }
            }

            pub static NEXT: Descriptor<Link, Option<Arc<Link>>> =
                Descriptor::by_value("Link", "next", Rules::new());
            pub static DROPS: AtomicUsize = AtomicUsize::new(0);

            /// A chain of `length` links, every one with an entry; the head's entry holds the
            /// only `Arc` of link 1, link 1's holds link 2's, and so on. Spread over the shards,
            /// neighbours often share one.
            pub fn chain(length: u32, head_releases: bool) -> Arc<Link> {
                let mut next = None;
                for id in (1..length).rev() {
                    let link = Arc::new(Link { id, releases: true });
                    NEXT.set(&link, next).unwrap();
                    next = Some(link);
                }
                let head = Arc::new(Link {
                    id: 0,
                    releases: head_releases,
                });
                NEXT.set(&head, next).unwrap();
                head
            }

            pub fn drops() -> usize {
                DROPS.load(Ordering::SeqCst)
            }
        }
    };
}

const CHAIN: u32 = 64;

chain_table!(replaced);
chain_table!(taken);
chain_table!(released);
chain_table!(purged);
chain_table!(swept);

#[test]
fn replacing_a_value_that_holds_the_last_arc_of_another_owner_releases_it() {
    use replaced::{NEXT, chain, drops};
    watchdog_for(PATIENCE, || {
        let head = chain(CHAIN, true);
        assert_eq!(NEXT.len(), CHAIN as usize);
        // The old value (link 1) drops after the lock: its `Drop` releases into this table, and
        // so on down the chain.
        NEXT.set(&head, None).unwrap();
        assert_eq!(drops(), CHAIN as usize - 1);
        assert_eq!(NEXT.len(), 1);
        assert_eq!(NEXT.get(&head).map(|next| next.is_none()), Some(true));
        drop(head);
        assert_eq!((NEXT.len(), NEXT.purge()), (0, 0));
    });
}

#[test]
fn taking_a_value_that_holds_the_last_arc_of_another_owner_releases_it() {
    use taken::{Link, NEXT, chain, drops};
    watchdog_for(PATIENCE, || {
        let head = chain(CHAIN, true);
        // Take through an equal but distinct owner: the creator is pinned while the entry is
        // removed, and unpinned after the lock.
        let twin = Arc::new(Link {
            id: 0,
            releases: true,
        });
        let next = NEXT.take(&twin).unwrap().unwrap();
        assert_eq!(next.id, 1);
        drop(next);
        assert_eq!(drops(), CHAIN as usize - 1);
        assert!(!NEXT.contains(&head));
        assert_eq!(NEXT.len(), 0);
        drop((head, twin));
        assert_eq!(NEXT.purge(), 0);
    });
}

#[test]
fn releasing_an_owner_whose_value_holds_another_owner_cascades() {
    use released::{NEXT, chain, drops};
    watchdog_for(PATIENCE, || {
        let head = chain(CHAIN, true);
        // The head's `Drop` releases its entry; the value (link 1) drops after the lock, and
        // its `Drop` releases into the same table, down the whole chain.
        drop(head);
        assert_eq!(drops(), CHAIN as usize);
        assert_eq!((NEXT.len(), NEXT.purge()), (0, 0));
    });
}

#[test]
fn purging_a_dead_owner_whose_value_holds_another_owner_cascades() {
    use purged::{NEXT, chain, drops};
    watchdog_for(PATIENCE, || {
        let head = chain(CHAIN, false);
        drop(head); // dies unreleased: its entry (and so the whole chain) waits for a sweep
        assert_eq!(drops(), 1);
        assert_eq!(
            NEXT.len(),
            CHAIN as usize - 1,
            "the head's dead entry is invisible"
        );
        // The sweep drops link 1 after the shard's lock; it releases into the same table.
        assert_eq!(NEXT.purge(), 1);
        assert_eq!(drops(), CHAIN as usize);
        assert_eq!((NEXT.len(), NEXT.purge()), (0, 0));
    });
}

#[test]
fn the_amortised_sweep_of_an_insert_drops_garbage_after_the_lock() {
    use swept::{Link, NEXT, chain, drops};
    watchdog_for(PATIENCE, || {
        let head = chain(CHAIN, false);
        drop(head);
        // Enough live owners that every shard grows past its sweep threshold (8) at least once:
        // the insert that sweeps the head's shard drops the chain, which releases into it.
        let live: Vec<Arc<Link>> = (1000..1000 + 64 * 16)
            .map(|id| {
                let owner = Arc::new(Link { id, releases: true });
                NEXT.set(&owner, None).unwrap();
                owner
            })
            .collect();
        assert_eq!(drops(), CHAIN as usize, "no purge was needed");
        assert_eq!(NEXT.len(), live.len());
        drop(live);
        assert_eq!((NEXT.len(), NEXT.purge()), (0, 0));
    });
}

/// A key whose `Drop` removes its own (dead) entry from the map, and whose entry's value may
/// hold the last `Arc` of another key: CPython's cascading deletes, through `remove`.
struct Cascade {
    id: u32,
}

impl Hash for Cascade {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl PartialEq for Cascade {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Cascade {}

static CASCADE: WeakKeyMap<Cascade, Option<Arc<Cascade>>> = WeakKeyMap::new();
static CASCADE_DROPS: AtomicUsize = AtomicUsize::new(0);

impl Drop for Cascade {
    fn drop(&mut self) {
        CASCADE_DROPS.fetch_add(1, Ordering::SeqCst);
        // Only a key in its own `Drop` reaches its dead entry: removed, value dropped, and no
        // value returned (dead keys are not observable).
        assert!(CASCADE.remove(self).is_none());
    }
}

#[test]
fn weak_key_map_values_that_drop_keys_which_remove_themselves_cascade() {
    watchdog_for(PATIENCE, || {
        let mut next = None;
        for id in (1..CHAIN).rev() {
            let key = Arc::new(Cascade { id });
            CASCADE.insert(&key, next);
            next = Some(key);
        }
        let head = Arc::new(Cascade { id: 0 });
        CASCADE.insert(&head, next);
        assert_eq!(CASCADE.len(), CHAIN as usize);
        // Dropping key 1 removes its dead entry from inside its `Drop`; the map drops that
        // entry's value (key 2) after the lock, whose `Drop` does the same, and so on.
        let old = CASCADE.insert(&head, None).flatten().unwrap();
        assert_eq!(old.id, 1);
        drop(old);
        assert_eq!(CASCADE_DROPS.load(Ordering::SeqCst), CHAIN as usize - 1);
        assert_eq!(CASCADE.keys().len(), 1);
        drop(head);
        assert_eq!((CASCADE.len(), CASCADE.purge()), (0, 0));
    });
}

/// Owners of the hook tests.
#[derive(Debug, Hash, PartialEq, Eq)]
struct Account {
    id: u32,
}

impl Drop for Account {
    fn drop(&mut self) {
        BALANCE.release(self);
        AUDIT.release(self);
        LIMIT.release(self);
    }
}

/// The owner the check and the coercion of `LIMIT` work on (they are not told the owner).
static SUBJECT: Mutex<Option<Arc<Account>>> = Mutex::new(None);

fn subject() -> Arc<Account> {
    SUBJECT.lock().unwrap().clone().unwrap()
}

/// Observer of `BALANCE`: reads the field it observes, writes it again (an odd balance is
/// rounded up, which notifies once more), and writes and takes another field.
fn on_balance(owner: &Arc<Account>, old: Option<&i64>, new: Option<&i64>) {
    let history = AUDIT.get(owner).unwrap_or_default();
    AUDIT
        .set(owner, format!("{history}{old:?}->{new:?};"))
        .unwrap();
    if let Some(&new) = new {
        // Another write of this field may have followed; the observer is told the value this
        // write stored, and reads the field's current value.
        assert!(BALANCE.get(owner).is_some());
        if new % 2 != 0 {
            BALANCE.set(owner, new + 1).unwrap();
        }
    } else {
        assert_eq!(BALANCE.get(owner), None);
        assert!(AUDIT.take(owner).is_some());
    }
}

/// Coercion of `LIMIT`: adds the subject's current limit (reading the field being written) and
/// records into another field.
fn accumulate(value: i64) -> i64 {
    let owner = subject();
    AUDIT.set(&owner, format!("coerce {value}")).unwrap();
    value + LIMIT.get(&owner).unwrap_or(0)
}

/// Check of `LIMIT`: reads the field it checks, reads and writes another one, and writes this
/// very field for another owner (which runs this check again, one level deeper).
fn check_limit(value: &i64) -> Result<(), ErrorKind> {
    let owner = subject();
    let _ = LIMIT.get(&owner);
    BALANCE.set(&owner, *value).unwrap();
    if *value > 0 {
        let other = Arc::new(Account { id: 999 });
        *SUBJECT.lock().unwrap() = Some(other.clone());
        let nested = LIMIT.set(&other, -1);
        *SUBJECT.lock().unwrap() = Some(owner);
        assert!(nested.is_err(), "the nested write was checked too");
    }
    if *value < 0 {
        Err(ErrorKind::Invalid("negative".into()))
    } else {
        Ok(())
    }
}

static BALANCE: Descriptor<Account, i64> =
    Descriptor::by_value("Account", "balance", Rules::new().on_change(on_balance));
static AUDIT: Descriptor<Account, String> = Descriptor::by_value("Account", "audit", Rules::new());
static LIMIT: Descriptor<Account, i64> = Descriptor::by_value(
    "Account",
    "limit",
    Rules::new().coerce(accumulate).check(check_limit),
);

#[test]
fn an_observer_reads_and_writes_its_own_field_and_others() {
    watchdog_for(PATIENCE, || {
        let account = Arc::new(Account { id: 1 });
        BALANCE.set(&account, 3).unwrap();
        assert_eq!(BALANCE.get(&account), Some(4));
        assert_eq!(
            AUDIT.get(&account).as_deref(),
            Some("None->Some(3);Some(3)->Some(4);")
        );
        assert_eq!(BALANCE.take(&account), Some(4));
        assert_eq!(AUDIT.get(&account), None);
        assert_eq!(BALANCE.get(&account), None);
    });
}

#[test]
fn a_check_and_a_coercion_read_and_write_descriptors() {
    watchdog_for(PATIENCE, || {
        let account = Arc::new(Account { id: 2 });
        *SUBJECT.lock().unwrap() = Some(account.clone());
        LIMIT.set(&account, 10).unwrap();
        assert_eq!(LIMIT.get(&account), Some(10));
        LIMIT.set(&account, 5).unwrap(); // coerced to 5 + 10
        assert_eq!(LIMIT.get(&account), Some(15));
        assert_eq!(
            BALANCE.get(&account),
            Some(16),
            "the check wrote 15, rounded up"
        );
        assert!(LIMIT.set(&account, -100).is_err()); // -100 + 15 is rejected
        assert_eq!(LIMIT.get(&account), Some(15));
        *SUBJECT.lock().unwrap() = None;
    });
}

/// Owners of the `Hash`/`Eq` tests: their `Hash` reads a map and a descriptor, their `Eq`
/// reads and purges the very table being searched, and drops another owner's last `Arc`.
struct Nosy {
    id: u32,
    victim: Mutex<Option<Arc<Nosy>>>,
}

impl Nosy {
    fn new(id: u32) -> Arc<Self> {
        Arc::new(Self {
            id,
            victim: Mutex::new(None),
        })
    }
}

static SALT: WeakKeyMap<u32, u64> = WeakKeyMap::new();
static SALT_KEY: Mutex<Option<Arc<u32>>> = Mutex::new(None);
static NOSY_VALUE: Descriptor<Nosy, u32> = Descriptor::by_value("Nosy", "value", Rules::new());
static NOSY_TAG: Descriptor<Nosy, u32> = Descriptor::by_identity("Nosy", "tag", Rules::new());
static NOSY_EQ_CALLS: AtomicUsize = AtomicUsize::new(0);

impl Hash for Nosy {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Reads a map and the live size of the very table that is about to lock.
        let _ = SALT.get(&self.id);
        let _ = NOSY_VALUE.len();
        let _ = NOSY_TAG.get(self);
        (self.id % 2).hash(state); // few buckets, so that lookups compare with `Eq`
    }
}

impl PartialEq for Nosy {
    fn eq(&self, other: &Self) -> bool {
        NOSY_EQ_CALLS.fetch_add(1, Ordering::SeqCst);
        // Reads the table being searched (`self` is the stored key: found by address), sweeps
        // it, and drops the last `Arc` of another owner, whose `Drop` releases into it.
        let _ = NOSY_VALUE.get(self);
        let _ = NOSY_VALUE.purge();
        let _ = NOSY_TAG.get(other);
        drop(self.victim.lock().unwrap().take());
        drop(other.victim.lock().unwrap().take());
        self.id == other.id
    }
}

impl Eq for Nosy {}

impl Drop for Nosy {
    fn drop(&mut self) {
        NOSY_VALUE.release(self);
        NOSY_TAG.release(self);
    }
}

#[test]
fn an_owner_whose_hash_and_eq_use_the_tables_is_found() {
    watchdog_for(PATIENCE, || {
        let salt = Arc::new(7);
        SALT.insert(&salt, 1);
        *SALT_KEY.lock().unwrap() = Some(salt);
        let victim = Nosy::new(2);
        NOSY_VALUE.set(&victim, 20).unwrap();
        NOSY_TAG.set(&victim, 2).unwrap();
        let first = Nosy::new(4);
        NOSY_VALUE.set(&first, 40).unwrap();
        NOSY_TAG.set(&first, 4).unwrap();
        *first.victim.lock().unwrap() = Some(victim); // first now holds the victim's last Arc
        let twin = Nosy::new(4);
        // Found through `Eq`, which drops the victim (its `Drop` releases into this table).
        assert_eq!(NOSY_VALUE.get(&twin), Some(40));
        assert!(NOSY_EQ_CALLS.load(Ordering::SeqCst) > 0);
        assert_eq!(NOSY_VALUE.len(), 1, "the victim released its entry");
        NOSY_VALUE.set(&twin, 41).unwrap();
        assert_eq!(NOSY_VALUE.get(&first), Some(41));
        assert_eq!(NOSY_VALUE.take(&twin), Some(41));
        assert!(!NOSY_VALUE.contains(&first));
        // With the shared entry gone, the twin's write creates an entry of its own.
        NOSY_VALUE.set(&twin, 42).unwrap();
        assert_eq!(NOSY_VALUE.len(), 1);
        assert!(!NOSY_VALUE.release(&first));
        assert!(NOSY_VALUE.release(&twin));
        drop((first, twin));
        assert_eq!((NOSY_VALUE.len(), NOSY_VALUE.purge()), (0, 0));
        assert_eq!(NOSY_TAG.len(), 0);
    });
}

#[derive(Debug, Hash, PartialEq, Eq)]
struct Guest {
    id: u32,
}

impl Drop for Guest {
    fn drop(&mut self) {
        ROOM.release(self);
        GUEST_DROPS.fetch_add(1, Ordering::SeqCst);
    }
}

/// Owners that the observer drops: their `Drop` releases from the field being observed.
static EVICTED: Mutex<Vec<Arc<Guest>>> = Mutex::new(Vec::new());
static GUEST_DROPS: AtomicUsize = AtomicUsize::new(0);

fn evict(_: &Arc<Guest>, _: Option<&u32>, _: Option<&u32>) {
    let evicted = std::mem::take(&mut *EVICTED.lock().unwrap());
    drop(evicted);
}

static ROOM: Descriptor<Guest, u32> =
    Descriptor::by_value("Guest", "room", Rules::new().on_change(evict));

#[test]
fn an_observer_drops_owners_of_the_field_it_observes() {
    watchdog_for(PATIENCE, || {
        let guests: Vec<Arc<Guest>> = (0..32).map(|id| Arc::new(Guest { id })).collect();
        for (room, guest) in (0..).zip(&guests) {
            ROOM.set(guest, room).unwrap();
        }
        let host = Arc::new(Guest { id: 100 });
        *EVICTED.lock().unwrap() = guests;
        ROOM.set(&host, 1).unwrap(); // the observer drops every guest
        assert_eq!(GUEST_DROPS.load(Ordering::SeqCst), 32);
        assert_eq!(ROOM.len(), 1);
        // Also from inside a take's notification, dropping the owner being notified about's
        // twin.
        *EVICTED.lock().unwrap() = vec![Arc::new(Guest { id: 100 })];
        assert_eq!(ROOM.take(&host), Some(1));
        assert_eq!(GUEST_DROPS.load(Ordering::SeqCst), 33);
        drop(host);
        assert_eq!((ROOM.len(), ROOM.purge()), (0, 0));
    });
}

/// A value whose `Clone` (which `get` runs under the shard's read lock) reads the same table.
struct Echo(u32);

static ECHO_OWNER: Mutex<Option<Arc<Account>>> = Mutex::new(None);
static ECHO_ENTERED: Mutex<Option<mpsc::Sender<()>>> = Mutex::new(None);

impl Clone for Echo {
    fn clone(&self) -> Self {
        if let Some(entered) = ECHO_ENTERED.lock().unwrap().take() {
            entered.send(()).unwrap();
            // Give a writer time to queue on the shard's lock.
            thread::sleep(Duration::from_millis(300));
            let owner = ECHO_OWNER.lock().unwrap().clone().unwrap();
            let _ = ECHO.contains(&owner);
        }
        Self(self.0)
    }
}

static ECHO: Descriptor<Account, Echo> = Descriptor::by_value("Account", "echo", Rules::new());

/// `Table::get` documents that the value's `Clone` "must not write to this table"; reading it
/// deadlocks too as soon as a writer is queued on the same shard, because a parking_lot
/// read lock is not reentrant while a writer waits (`read_recursive` would be).
#[test]
fn a_value_clone_that_reads_its_own_table_survives_a_waiting_writer() {
    watchdog_for(PATIENCE, || {
        let owner = Arc::new(Account { id: 500 });
        *ECHO_OWNER.lock().unwrap() = Some(owner.clone());
        ECHO.set(&owner, Echo(1)).unwrap();
        let (entered, inside) = mpsc::channel();
        *ECHO_ENTERED.lock().unwrap() = Some(entered);
        let reader = {
            let owner = owner.clone();
            thread::spawn(move || ECHO.get(&owner).map(|echo| echo.0))
        };
        inside.recv().unwrap();
        let writer = {
            let owner = owner.clone();
            thread::spawn(move || ECHO.set(&owner, Echo(2)).unwrap())
        };
        assert_eq!(reader.join().unwrap(), Some(1));
        writer.join().unwrap();
        *ECHO_OWNER.lock().unwrap() = None;
    });
}

/// A value whose `Clone` writes the table it is read from: a write under a read, which the table
/// refuses (it could wait for the read it is part of). It panics with the reason instead of
/// hanging, and leaves the table usable.
#[derive(Debug)]
struct Meddler(u32);

static MEDDLER: Descriptor<Account, Meddler> =
    Descriptor::by_identity("Account", "meddler", Rules::new());
static MEDDLED: Mutex<Option<Arc<Account>>> = Mutex::new(None);

impl Clone for Meddler {
    fn clone(&self) -> Self {
        let owner = MEDDLED.lock().unwrap().clone();
        if let Some(owner) = owner {
            MEDDLER.set(&owner, Meddler(self.0 + 1)).unwrap();
        }
        Meddler(self.0)
    }
}

#[test]
fn a_value_clone_that_writes_its_own_table_panics_instead_of_hanging() {
    watchdog_for(PATIENCE, || {
        let owner = Arc::new(Account { id: 600 });
        MEDDLER.set(&owner, Meddler(1)).unwrap();
        *MEDDLED.lock().unwrap() = Some(owner.clone());
        let outcome = panic::catch_unwind(panic::AssertUnwindSafe(|| MEDDLER.get(&owner)));
        *MEDDLED.lock().unwrap() = None;
        let message = outcome.unwrap_err();
        let message = message
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default();
        assert!(
            message.starts_with("`Account.meddler` was written from inside a value's `Clone`"),
            "{message}"
        );
        // The table is consistent and usable, from this thread and another.
        assert_eq!(MEDDLER.get(&owner).map(|value| value.0), Some(1));
        MEDDLER.set(&owner, Meddler(2)).unwrap();
        let remote = owner.clone();
        let seen = thread::spawn(move || MEDDLER.get(&remote).map(|value| value.0))
            .join()
            .unwrap();
        assert_eq!(seen, Some(2));
    });
}
