//! Real threads churning owners and values: every value is dropped exactly once, no entry is
//! left behind, and no update is lost. Each test owns its statics, so it may assert on their
//! global `len()` and `purge()`.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Instant;

use weakprop_core::{Descriptor, Rules, WeakKeyMap};

const THREADS: usize = 4;
const ROUNDS: usize = 10_000;

/// Runs `work(thread)` on [`THREADS`] threads released together; returns their results.
fn on_threads<R: Send + 'static>(work: fn(usize) -> R) -> Vec<R> {
    let start = Arc::new(Barrier::new(THREADS));
    let workers: Vec<_> = (0..THREADS)
        .map(|thread| {
            let start = start.clone();
            thread::spawn(move || {
                start.wait();
                work(thread)
            })
        })
        .collect();
    workers
        .into_iter()
        .map(|worker| worker.join().unwrap())
        .collect()
}

/// Prints how long a test took (shown with `--nocapture`).
fn timed<R>(name: &str, test: impl FnOnce() -> R) -> R {
    let start = Instant::now();
    let result = test();
    eprintln!(
        "{name}: {THREADS} threads x {ROUNDS} rounds in {:?}",
        start.elapsed()
    );
    result
}

/// A value that counts every instance made (clones included) and every drop.
macro_rules! counted {
    ($name:ident, $made:ident, $dropped:ident) => {
        static $made: AtomicUsize = AtomicUsize::new(0);
        static $dropped: AtomicUsize = AtomicUsize::new(0);

        #[derive(Debug, PartialEq, Eq)]
        struct $name(u64);

        impl $name {
            fn new(n: u64) -> Self {
                $made.fetch_add(1, Ordering::Relaxed);
                Self(n)
            }
        }

        impl Clone for $name {
            fn clone(&self) -> Self {
                Self::new(self.0)
            }
        }

        impl Drop for $name {
            fn drop(&mut self) {
                $dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    };
}

counted!(Churned, CHURNED_MADE, CHURNED_DROPPED);

#[derive(Debug, Hash, PartialEq, Eq)]
struct Churner {
    thread: usize,
    round: usize,
}

impl Drop for Churner {
    fn drop(&mut self) {
        CHURN.release(self);
        CHURN_ID.release(self);
    }
}

static CHURN: Descriptor<Churner, Churned> = Descriptor::by_value("Churner", "value", Rules::new());
static CHURN_ID: Descriptor<Churner, Churned> =
    Descriptor::by_identity("Churner", "id", Rules::new());

fn churn(thread: usize) -> usize {
    let mut kept = Vec::new();
    let mut operations = 0;
    for round in 0..ROUNDS {
        let owner = Arc::new(Churner { thread, round });
        let n = (thread * ROUNDS + round) as u64;
        CHURN.set(&owner, Churned::new(n)).unwrap();
        CHURN_ID.set(&owner, Churned::new(n)).unwrap();
        CHURN.set(&owner, Churned::new(n + 1)).unwrap();
        // No lost update: the last write is what is read back, by value and by identity.
        assert_eq!(CHURN.get(&owner), Some(Churned::new(n + 1)));
        assert_eq!(CHURN_ID.get(&owner), Some(Churned::new(n)));
        // An equal owner reaches the same entry.
        let twin = Arc::new(Churner { thread, round });
        assert_eq!(CHURN.get(&twin), Some(Churned::new(n + 1)));
        drop(twin);
        operations += 7;
        match round % 4 {
            0 => {
                assert_eq!(CHURN.take(&owner), Some(Churned::new(n + 1)));
                assert_eq!(CHURN.get(&owner), None);
                operations += 2;
            }
            1 => kept.push(owner), // dropped at the end of the thread, all at once
            2 => {
                // Kept alive by another thread's `Arc` for a while.
                kept.push(owner.clone());
            }
            _ => {} // dropped here: its `Drop` releases both entries
        }
        if kept.len() > 64 {
            kept.drain(..32);
        }
    }
    operations
}

#[test]
fn owners_churned_by_threads_drop_every_value_once_and_leave_no_entry() {
    let operations: usize = timed("churn", || on_threads(churn)).into_iter().sum();
    assert!(operations > THREADS * ROUNDS * 7);
    assert_eq!((CHURN.len(), CHURN_ID.len()), (0, 0));
    assert_eq!(
        (CHURN.purge(), CHURN_ID.purge()),
        (0, 0),
        "released owners left no garbage"
    );
    let made = CHURNED_MADE.load(Ordering::SeqCst);
    assert_eq!(
        made,
        CHURNED_DROPPED.load(Ordering::SeqCst),
        "every value dropped exactly once"
    );
    assert!(made > THREADS * ROUNDS * 4);
}

counted!(Stamp, STAMPS_MADE, STAMPS_DROPPED);

/// A stamp `writer << 32 | seq`: each writer's sequence numbers only grow.
fn stamp(writer: usize, seq: usize) -> u64 {
    ((writer as u64) << 32) | seq as u64
}

fn unstamp(stamp: u64) -> (usize, usize) {
    ((stamp >> 32) as usize, (stamp & 0xFFFF_FFFF) as usize)
}

#[derive(Debug, Hash, PartialEq, Eq)]
struct Account {
    id: usize,
}

impl Drop for Account {
    fn drop(&mut self) {
        LEDGER.release(self);
    }
}

static LEDGER: Descriptor<Account, Stamp> = Descriptor::by_value("Account", "last", Rules::new());
const ACCOUNTS: usize = 4;

/// What one thread wrote and what its writes replaced.
struct Journal {
    written: Vec<(usize, u64)>,
    replaced: Vec<(usize, u64)>,
}

fn write_shared(thread: usize) -> Journal {
    // Equal but distinct owners: the entries belong to the main thread's accounts, so every
    // access compares with `Eq` outside the lock.
    let twins: Vec<Arc<Account>> = (0..ACCOUNTS).map(|id| Arc::new(Account { id })).collect();
    let mut journal = Journal {
        written: Vec::new(),
        replaced: Vec::new(),
    };
    let mut last_seen = vec![HashMap::<usize, usize>::new(); ACCOUNTS];
    for seq in 0..ROUNDS {
        let account = seq % ACCOUNTS;
        let value = stamp(thread, seq);
        let old = LEDGER.replace(&twins[account], Stamp::new(value)).unwrap();
        journal.written.push((account, value));
        if let Some(old) = old {
            journal.replaced.push((account, old.0));
        }
        // Monotonic: once this thread saw writer w's write s, it never sees an older one of w.
        let seen = LEDGER
            .get(&twins[(seq + 1) % ACCOUNTS])
            .map(|stamp| stamp.0);
        if let Some(seen) = seen {
            let (writer, seen_seq) = unstamp(seen);
            let slot = last_seen[(seq + 1) % ACCOUNTS].entry(writer).or_insert(0);
            assert!(
                seen_seq >= *slot,
                "went back from {writer}:{slot} to {writer}:{seen_seq}"
            );
            *slot = seen_seq;
        }
    }
    journal
}

#[test]
fn threads_writing_shared_owners_lose_no_update() {
    let accounts: Vec<Arc<Account>> = (0..ACCOUNTS).map(|id| Arc::new(Account { id })).collect();
    // The main thread creates the entries, so they outlive the threads' equal twins.
    let mut written: Vec<(usize, u64)> = Vec::new();
    for account in &accounts {
        let value = stamp(THREADS, account.id);
        LEDGER.set(account, Stamp::new(value)).unwrap();
        written.push((account.id, value));
    }
    let journals = timed("shared", || on_threads(write_shared));
    // Every value written was either replaced by a later write (and returned to that writer)
    // exactly once, or is the account's final value.
    written.extend(journals.iter().flat_map(|j| j.written.clone()));
    let mut accounted: Vec<(usize, u64)> =
        journals.iter().flat_map(|j| j.replaced.clone()).collect();
    for account in &accounts {
        let last = LEDGER.take(account).expect("every account was written");
        accounted.push((account.id, last.0));
    }
    written.sort_unstable();
    accounted.sort_unstable();
    assert_eq!(written.len(), THREADS * ROUNDS + ACCOUNTS);
    assert!(written == accounted, "a write was lost or returned twice");
    assert_eq!(LEDGER.len(), 0);
    drop(accounts);
    assert_eq!(LEDGER.purge(), 0);
    assert_eq!(
        STAMPS_MADE.load(Ordering::SeqCst),
        STAMPS_DROPPED.load(Ordering::SeqCst),
        "every value dropped exactly once"
    );
}

counted!(Cached, CACHED_MADE, CACHED_DROPPED);

/// A key without a `Drop`: its dead entries are swept amortised and by the purging thread.
#[derive(Debug, PartialEq, Eq)]
struct Key(usize);

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

static CACHE: WeakKeyMap<Key, Cached> = WeakKeyMap::new();

fn cache_churn(thread: usize) -> usize {
    let mut kept: Vec<Arc<Key>> = Vec::new();
    let mut purged = 0;
    for round in 0..ROUNDS {
        // Keys shared between threads by value: threads race on equal keys' entries.
        let key = Arc::new(Key(round % 97));
        CACHE.insert(&key, Cached::new(round as u64));
        if let Some(value) = CACHE.get(&key) {
            assert!(value.0 < ROUNDS as u64);
        }
        if round % 3 == 0 {
            drop(CACHE.remove(&key));
        }
        if round % 5 == 0 {
            kept.push(key);
        }
        if kept.len() > 32 {
            kept.drain(..16);
        }
        if thread == 0 && round % 256 == 0 {
            purged += CACHE.purge();
        }
        assert!(CACHE.len() <= 97, "equal keys share one entry");
    }
    purged
}

#[test]
fn threads_churning_a_weak_key_map_leave_no_value_behind() {
    let purged: usize = timed("cache", || on_threads(cache_churn)).into_iter().sum();
    assert_eq!(CACHE.len(), 0);
    assert!(CACHE.keys().is_empty());
    let garbage = CACHE.purge();
    assert_eq!(CACHE.purge(), 0);
    assert_eq!(
        CACHED_MADE.load(Ordering::SeqCst),
        CACHED_DROPPED.load(Ordering::SeqCst),
        "every value dropped exactly once ({purged} purged while running, {garbage} at the end)"
    );
}
