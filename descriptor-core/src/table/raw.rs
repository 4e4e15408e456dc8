//! The weak-keyed table behind [`WeakKeyMap`](crate::WeakKeyMap),
//! [`LocalWeakKeyMap`](crate::LocalWeakKeyMap) and [`Descriptor`](crate::Descriptor), for
//! either [`Flavor`] of key.
//!
//! Entries are spread over the flavor's shards by their key's hash: for [`Shared`](crate::Shared)
//! keys, 16 shards under one [`ShardedLock`](crate::sync::shard_lock::ShardedLock), whose readers of
//! different threads never write the same cache line; for [`Local`](crate::Local) keys, one
//! shard of a thread's own. Each entry keeps its key's hash, a weak reference to the key's
//! `Arc` (or `Rc`) and the value. The weak reference keeps the key's allocation (not the key)
//! alive, so while an entry exists no other key can take its address: comparing a probe's
//! address with a stored one's is an exact identity test.
//!
//! **No user code runs under a shard lock.** `Hash` runs before locking; `Eq` runs only on an
//! address mismatch, on keys copied out of the shard and upgraded after unlocking (see
//! [`Table::first_equal`]); every value or key leaving the table is moved out under the lock and
//! dropped after it, and so is every `Arc` of a key that the table upgraded (its last drop runs
//! the key's `Drop`). The one exception is documented on [`Table::read`]: what reads a value in
//! place (its `Clone`, a `with_` closure). There, reads nest and writes are refused
//! ([`crate::sync::reads`]): the table's writes check it first.

use core::mem;
use core::ptr;

use hashbrown::HashTable;

use super::flavor::{Flavor, OwnerPtr};
use super::keying::{Keying, TableKeys};
use crate::sync::reads::{self, Lent, Reading};
use crate::sync::shards::{ConstInit, Shards};

/// Smallest shard size at which an insertion sweeps dead entries.
const MIN_SWEEP: usize = 8;

/// `Arc<K>` or `Rc<K>`, as the flavor says.
pub(crate) type Ptr<K, F> = <F as Flavor>::Ptr<K>;
/// The weak reference that an entry holds to its key.
pub(crate) type WeakKey<K, F> = <Ptr<K, F> as OwnerPtr<K>>::Weak;

struct Entry<K, V, F: Flavor> {
    hash: u64,
    key: WeakKey<K, F>,
    value: V,
}

impl<K, V, F: Flavor> Entry<K, V, F> {
    /// Whether this is the entry that the key at `address` created under `hash`. The hash is
    /// compared too, so that an owner whose `Hash` changed never finds its old entry by chance
    /// (through a bucket that its new hash happens to probe): the outcome is always a miss.
    fn is(&self, hash: u64, address: *const K) -> bool {
        self.hash == hash && self.is_at(address)
    }

    fn is_at(&self, address: *const K) -> bool {
        ptr::eq(Ptr::<K, F>::weak_as_ptr(&self.key), address)
    }

    fn is_live(&self) -> bool {
        Ptr::<K, F>::is_alive(&self.key)
    }
}

/// Entries (and so values and keys) taken out of a shard, to be dropped once it is unlocked.
type Garbage<K, V, F> = Vec<Entry<K, V, F>>;

/// One shard's entries. Not a public API (it is named by the flavors' lock types).
#[doc(hidden)]
pub struct Shard<K, V, F: Flavor> {
    entries: HashTable<Entry<K, V, F>>,
    /// Bumped whenever a new entry is added, so that a writer who compared keys outside the lock
    /// can tell whether an equal key may have arrived in the meantime.
    generation: u64,
    /// Entry count at which the next insertion sweeps dead entries.
    sweep_at: usize,
}

impl<K, V, F: Flavor> Shard<K, V, F> {
    const fn new() -> Self {
        Self {
            entries: HashTable::new(),
            generation: 0,
            sweep_at: MIN_SWEEP,
        }
    }

    fn find(&self, hash: u64, address: *const K) -> Option<&Entry<K, V, F>> {
        self.entries.find(hash, |entry| entry.is(hash, address))
    }

    /// The entry at `address`, or else at `other`.
    fn find_mut(
        &mut self,
        hash: u64,
        address: *const K,
        other: Option<*const K>,
    ) -> Option<&mut Entry<K, V, F>> {
        self.entries.find_mut(hash, |entry| {
            entry.is(hash, address) || other.is_some_and(|other| entry.is(hash, other))
        })
    }

    fn remove(&mut self, hash: u64, address: *const K) -> Option<Entry<K, V, F>> {
        let found = self
            .entries
            .find_entry(hash, |entry| entry.is(hash, address))
            .ok()?;
        Some(found.remove().0)
    }

    /// Live keys with this hash: the candidates an equal probe must be compared with.
    fn keys_with_hash(&self, hash: u64) -> Vec<WeakKey<K, F>> {
        self.entries
            .iter_hash(hash)
            .filter(|entry| entry.hash == hash && entry.is_live())
            .map(|entry| entry.key.clone())
            .collect()
    }

    /// Adds an entry for a key known to have none, sweeping dead entries when the shard has
    /// doubled since the last sweep (so garbage stays bounded by the live size).
    fn insert(&mut self, hash: u64, key: &Ptr<K, F>, value: V) -> Garbage<K, V, F> {
        let garbage = if self.entries.len() >= self.sweep_at {
            self.sweep()
        } else {
            Vec::new()
        };
        self.entries.insert_unique(
            hash,
            Entry {
                hash,
                key: Ptr::<K, F>::downgrade(key),
                value,
            },
            |entry| entry.hash,
        );
        self.generation = self.generation.wrapping_add(1);
        garbage
    }

    fn sweep(&mut self) -> Garbage<K, V, F> {
        let garbage: Garbage<K, V, F> = self.entries.extract_if(|entry| !entry.is_live()).collect();
        self.sweep_at = MIN_SWEEP.max(2 * self.entries.len());
        garbage
    }

    fn live_len(&self) -> usize {
        self.entries.iter().filter(|entry| entry.is_live()).count()
    }
}

impl<K, V, F: Flavor> ConstInit for Shard<K, V, F> {
    const INIT: Self = Self::new();
}

/// The shards of a table of `F` keys.
type ShardsOf<K, V, F> = <F as Flavor>::Shards<Shard<K, V, F>>;

/// The weak-keyed, sharded table.
pub(crate) struct Table<K, V, F: Flavor> {
    keying: Keying<K>,
    /// The random keys of a keyed table's hash function (unused by the other keyings).
    keys: TableKeys,
    shards: ShardsOf<K, V, F>,
}

/// Calls `read` with no value, counted as a read lent to `lent` (see [`Table::read`]).
fn lend_none<V, R>(lent: Lent, read: impl FnOnce(Option<&V>) -> R) -> R {
    let _reading = Reading::enter(lent);
    read(None)
}

/// Outcome of [`Table::insert`].
pub(crate) enum Inserted<V> {
    /// The key had no entry; one was created.
    New,
    /// The key's entry held this value, now replaced.
    Replaced(V),
    /// `overwrite` was false and the key already had an entry: the offered value, untouched.
    Refused(V),
}

impl<K, V, F: Flavor> Table<K, V, F> {
    pub(crate) const fn new(keying: Keying<K>) -> Self {
        Self {
            keying,
            keys: TableKeys::new(),
            shards: ShardsOf::<K, V, F>::NEW,
        }
    }

    pub(crate) const fn is_by_value(&self) -> bool {
        self.keying.is_by_value()
    }

    /// Whether a key's hash here is its hash in every table of the same keying (see
    /// [`Keying::is_shared`]).
    pub(crate) const fn hash_is_shared(&self) -> bool {
        self.keying.is_shared()
    }

    /// The shard that holds the entries of `hash`: its middle bits (hashbrown uses the low
    /// bits for buckets and the top seven as tags).
    #[inline]
    fn shard_of(hash: u64) -> usize {
        #[allow(clippy::cast_possible_truncation)] // reduced to a shard index
        let index = (hash >> 40) as usize % ShardsOf::<K, V, F>::COUNT;
        index
    }

    /// Shared access to the shard of `hash`, lending its data to `lent`.
    #[inline]
    fn read_shard(
        &self,
        hash: u64,
        lent: Lent,
    ) -> <ShardsOf<K, V, F> as Shards<Shard<K, V, F>>>::Read<'_> {
        self.shards.read(Self::shard_of(hash), lent)
    }

    /// Exclusive access to the shard of `hash`; refused (a panic) while this thread holds a read,
    /// which the write could wait for. Callers that can name the write check first.
    #[inline]
    fn write_shard(&self, hash: u64) -> <ShardsOf<K, V, F> as Shards<Shard<K, V, F>>>::Write<'_> {
        if reads::is_reading() {
            reads::write_under_read("a weak-keyed table");
        }
        self.shards.write(Self::shard_of(hash))
    }

    /// The first of `candidates` that is alive and equal to `key`, with its `Arc` pinned so that
    /// its entry can be found again by address (if it vanishes before the caller relocks, the
    /// caller copies the candidates again and retries). Called without a lock: `Eq` is user
    /// code, and dropping an upgraded candidate may drop its owner, whose own `Drop` releases
    /// entries of this very table.
    fn first_equal(&self, key: &K, candidates: &[WeakKey<K, F>]) -> Option<Ptr<K, F>> {
        let eq = self.keying.eq()?;
        candidates
            .iter()
            .filter_map(Ptr::<K, F>::upgrade)
            .find(|candidate| eq(candidate, key))
    }

    /// Reads the value of `key`'s live entry with `read`, which runs under the shard's read lock
    /// and is the value's `Clone` or the like (so it must not write to a table).
    pub(crate) fn get<R>(&self, key: &K, read: impl FnOnce(&V) -> R) -> Option<R> {
        self.read(key, self.hash(key), Lent::Clone, |value| value.map(read))
    }

    /// Lends the value of `key`'s live entry to `read`, or `None` if it has none; `hash` must be
    /// [`hash`](Self::hash)'s.
    ///
    /// `read` runs under the shard's read lock when it is given a value, as `lent` says, and
    /// after unlocking when it is given `None`, but counted as a read of this thread's either
    /// way: a write from it panics whether or not the key has a value, so that code tested on
    /// unset fields does not panic on set ones.
    #[inline]
    pub(crate) fn read<R>(
        &self,
        key: &K,
        hash: u64,
        lent: Lent,
        read: impl FnOnce(Option<&V>) -> R,
    ) -> R {
        let candidates = {
            let shard = self.read_shard(hash, lent);
            if let Some(entry) = shard.find(hash, ptr::from_ref(key)) {
                if entry.is_live() {
                    return read(Some(&entry.value));
                }
                drop(shard);
                return lend_none(lent, read);
            }
            if !self.keying.is_by_value() {
                drop(shard);
                return lend_none(lent, read);
            }
            shard.keys_with_hash(hash)
        };
        self.read_equal(key, hash, lent, candidates, read)
    }

    /// The rest of [`read`](Self::read) when keyed by value and not found by address: an equal
    /// key's entry, its keys compared unlocked.
    ///
    /// The equal key is pinned (upgraded) while its entry is found again; the pin is dropped only
    /// after the shard is unlocked, since it may be the key's last `Arc` (another thread may drop
    /// the key's creator meanwhile), whose drop runs the key's `Drop`.
    #[cold]
    fn read_equal<R>(
        &self,
        key: &K,
        hash: u64,
        lent: Lent,
        mut candidates: Vec<WeakKey<K, F>>,
        read: impl FnOnce(Option<&V>) -> R,
    ) -> R {
        loop {
            let Some(pin) = self.first_equal(key, &candidates) else {
                return lend_none(lent, read);
            };
            let shard = self.read_shard(hash, lent);
            if let Some(entry) = shard.find(hash, ptr::from_ref::<K>(&pin)) {
                let outcome = if entry.is_live() {
                    let outcome = read(Some(&entry.value));
                    drop(shard);
                    outcome
                } else {
                    drop(shard);
                    lend_none(lent, read)
                };
                drop(pin);
                return outcome;
            }
            candidates = shard.keys_with_hash(hash);
            drop(shard);
            drop(pin);
        }
    }

    /// Stores `value` for `key`: into the entry of `key` or of a live key equal to it (which
    /// keeps its first key, as `WeakKeyDictionary` does), or into a new entry.
    ///
    /// One write lock in the common cases: the key's own entry (found by address), a key
    /// identity-keyed, or no other live key with the same hash. Otherwise those keys are
    /// compared with `Eq` after unlocking, and the shard is locked again: to write into the
    /// equal key's entry (pinned meanwhile), or to add a new entry if no key arrived since the
    /// comparison (the shard's generation tells).
    pub(crate) fn insert(&self, key: &Ptr<K, F>, value: V, overwrite: bool) -> Inserted<V> {
        let hash = self.hash(key);
        let probe = ptr::from_ref::<K>(key);
        let mut pin: Option<Ptr<K, F>> = None;
        // The generation at which no live key of this hash was equal to `key`.
        let mut compared_at: Option<u64> = None;
        loop {
            let mut shard = self.write_shard(hash);
            let pinned = pin.as_deref().map(ptr::from_ref);
            if let Some(entry) = shard.find_mut(hash, probe, pinned) {
                let outcome = if overwrite {
                    Inserted::Replaced(mem::replace(&mut entry.value, value))
                } else {
                    Inserted::Refused(value)
                };
                drop(shard);
                drop(pin);
                return outcome;
            }
            let candidates = if self.keying.is_by_value() && compared_at != Some(shard.generation) {
                shard.keys_with_hash(hash)
            } else {
                Vec::new()
            };
            if candidates.is_empty() {
                let garbage = shard.insert(hash, key, value);
                drop(shard);
                drop(garbage);
                drop(pin);
                return Inserted::New;
            }
            let generation = shard.generation;
            drop(shard);
            pin = self.first_equal(key, &candidates);
            compared_at = pin.is_none().then_some(generation);
        }
    }

    /// Stores `value` for `key`, replacing any value: what a map's `insert` does. Returns the
    /// value it replaced.
    pub(crate) fn replace(&self, key: &Ptr<K, F>, value: V) -> Option<V> {
        match self.insert(key, value, true) {
            Inserted::New => None,
            // With `overwrite`, an existing entry is always replaced; `Refused` cannot occur.
            Inserted::Replaced(old) | Inserted::Refused(old) => Some(old),
        }
    }

    /// The value of `key`, computing and inserting it with `compute` (outside every lock) if
    /// there is none. A value inserted meanwhile wins and the computed one is dropped. While this
    /// thread holds a read, the computed value is returned without being stored.
    pub(crate) fn get_or_insert_with(&self, key: &Ptr<K, F>, compute: impl FnOnce() -> V) -> V
    where
        V: Clone,
    {
        if let Some(value) = self.get(key, V::clone) {
            return value;
        }
        let value = compute();
        if reads::is_reading() {
            // Inserting is a write, which a read of this thread's refuses: the computed value is
            // the answer, not stored.
            return value;
        }
        let stored = value.clone();
        match self.insert(key, value, false) {
            Inserted::New => stored,
            // Another value arrived first and stays (without `overwrite` nothing is replaced);
            // the computed value is dropped here, outside the lock. Should that value have been
            // removed since, the computed one is still the right answer.
            Inserted::Replaced(_) | Inserted::Refused(_) => {
                self.get(key, V::clone).unwrap_or(stored)
            }
        }
    }

    /// Removes the live entry of `key` (or of a key equal to it) and returns its value.
    pub(crate) fn remove(&self, key: &K) -> Option<V> {
        let hash = self.hash(key);
        let probe = ptr::from_ref(key);
        let mut candidates = {
            let mut shard = self.write_shard(hash);
            if let Some(entry) = shard.remove(hash, probe) {
                drop(shard);
                // Only a probe in the middle of its own `Drop` finds its dead entry here; dead
                // keys are not observable, so that entry is simply discarded.
                return entry.is_live().then_some(entry.value);
            }
            if !self.keying.is_by_value() {
                return None;
            }
            shard.keys_with_hash(hash)
        };
        // Keyed by value and not found by address: an equal key's entry, compared unlocked.
        loop {
            let pin = self.first_equal(key, &candidates)?;
            let mut shard = self.write_shard(hash);
            if let Some(entry) = shard.remove(hash, ptr::from_ref::<K>(&pin)) {
                drop(shard);
                drop(pin);
                return entry.is_live().then_some(entry.value);
            }
            candidates = shard.keys_with_hash(hash);
            drop(shard);
            drop(pin);
        }
    }

    /// Removes the entry that this very key created, found by hash and address alone (no `Eq`,
    /// no upgrade), whether or not the key is still alive: what an owner's `Drop` calls.
    pub(crate) fn release(&self, key: &K) -> Option<V> {
        self.release_at(self.hash(key), ptr::from_ref(key))
    }

    /// [`release`](Self::release) of the key at `address`, with its hash already computed by
    /// [`hash`](Self::hash) of a table of the same keying: all a release needs, so that it can be
    /// done after the key is gone (see `Descriptor::release`).
    pub(crate) fn release_at(&self, hash: u64, address: *const K) -> Option<V> {
        let entry = self.write_shard(hash).remove(hash, address);
        entry.map(|entry| entry.value)
    }

    /// A weak reference to the key at `address`, if it has an entry (live or not): what pins
    /// its allocation while its release waits.
    pub(crate) fn weak_at(&self, hash: u64, address: *const K) -> Option<WeakKey<K, F>> {
        self.read_shard(hash, Lent::Table)
            .find(hash, address)
            .map(|entry| entry.key.clone())
    }

    /// The key's hash in this table. Every table of one shared keying hashes a key alike (the
    /// same function and seeds), so one owner's hash serves all of its type's tables.
    #[inline]
    pub(crate) fn hash(&self, key: &K) -> u64 {
        self.keying.hash(key, &self.keys)
    }

    /// [`hash`](Self::hash) with `keying`, which must be this table's: a derived owner's keying
    /// is a constant, so its hash function inlines.
    #[inline]
    pub(crate) fn hash_with(&self, keying: &Keying<K>, key: &K) -> u64 {
        keying.hash(key, &self.keys)
    }

    /// Removes every entry whose key has died; returns how many.
    pub(crate) fn purge(&self) -> usize {
        (0..ShardsOf::<K, V, F>::COUNT)
            .map(|shard| {
                // Dropped after the guard: the values' `Drop` is user code.
                let garbage = self.shards.write(shard).sweep();
                garbage.len()
            })
            .sum()
    }

    /// The number of entries whose key is alive.
    pub(crate) fn len(&self) -> usize {
        (0..ShardsOf::<K, V, F>::COUNT)
            .map(|shard| self.shards.read(shard, Lent::Table).live_len())
            .sum()
    }

    /// The live keys, in no particular order.
    pub(crate) fn keys(&self) -> Vec<Ptr<K, F>> {
        let weak: Vec<WeakKey<K, F>> = (0..ShardsOf::<K, V, F>::COUNT)
            .flat_map(|shard| {
                let shard = self.shards.read(shard, Lent::Table);
                shard
                    .entries
                    .iter()
                    .map(|entry| entry.key.clone())
                    .collect::<Vec<_>>()
            })
            .collect();
        // Upgraded (and any last `Arc` dropped) outside the locks.
        weak.iter().filter_map(Ptr::<K, F>::upgrade).collect()
    }
}
