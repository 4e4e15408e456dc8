//! The weak-keyed table engine behind [`WeakKeyMap`](crate::WeakKeyMap),
//! [`LocalWeakKeyMap`](crate::LocalWeakKeyMap) and [`Descriptor`](crate::Descriptor), for
//! either [`Flavor`] of key, over keys erased ([`super::keys`]): it is generic over the value
//! type only, so its code is compiled once per value type. [`super::typed`] puts the key type
//! back on top.
//!
//! Entries are spread over the flavor's shards by their key's hash: for [`Shared`](crate::Shared)
//! keys, 16 shards under one [`ShardedLock`](crate::sync::shard_lock::ShardedLock), whose readers
//! of different threads never write the same cache line; for [`Local`](crate::Local) keys, one
//! shard of a thread's own. Each entry keeps its key's hash, a weak reference to the key's
//! `Arc` (or `Rc`) and the value. The weak reference keeps the key's allocation (not the key)
//! alive, so while an entry exists no other key can take its address: comparing a probe's
//! address with a stored one's is an exact identity test.
//!
//! **No user code runs under a shard lock.** `Hash` runs before locking; `Eq` runs only on an
//! address mismatch, on keys copied out of the shard and upgraded after unlocking (see
//! [`RawTable::first_equal`]); every value or key leaving the table is moved out under the lock
//! and dropped after it, and so is every strong reference to a key that the table upgraded (its
//! last drop runs the key's `Drop`). The one exception is documented on [`RawTable::lookup`]: what
//! reads a value in place (its `Clone`, a `with_` closure). There, reads nest and writes are
//! refused ([`crate::sync::reads`]): the table's writes check it first.

use core::mem;
#[cfg(not(debug_assertions))]
use core::mem::ManuallyDrop;
#[cfg(not(debug_assertions))]
use core::ptr;

use hashbrown::HashTable;

use super::flavor::Flavor;
use super::keying::TableKeys;
use super::keys::{Key, KeyOps, Pinned, WeakKeys};
use crate::sync::reads::{self, Lent, Reading};
use crate::sync::shards::{ConstInit, Shards};

/// Smallest shard size at which an insertion sweeps dead entries.
const MIN_SWEEP: usize = 8;

/// One key's entry. Its `key` is a weak reference that the table drops ([`Garbage`],
/// [`RawTable`]'s `Drop`): an entry alone does not know how. Its `version` is its shard's clock
/// at the last store into it (see [`Expected`]).
struct Entry<V> {
    hash: u64,
    key: Key,
    value: V,
    version: u32,
}

impl<V> Entry<V> {
    /// Whether this is the entry that the key at `address` created under `hash`. The hash is
    /// compared too, so that an owner whose `Hash` changed never finds its old entry by chance
    /// (through a bucket that its new hash happens to probe): the outcome is always a miss.
    fn is(&self, hash: u64, address: Key) -> bool {
        self.hash == hash && self.key == address
    }
}

// SAFETY: an entry's key is a weak reference to a key of the table's type, which the typed layer
// keeps in its own type (`Table<K, V, F>` holds a marker of `F`'s weak pointer to `K`): a table
// is `Send` or `Sync` only if that weak pointer is, as when the entry held it typed.
unsafe impl<V: Send> Send for Entry<V> {}
// SAFETY: as for `Send`.
unsafe impl<V: Sync> Sync for Entry<V> {}

/// Entries taken out of a shard, to be dropped once it is unlocked: their keys' weak references
/// (no user code), then their values (user code).
struct Garbage<V> {
    entries: Vec<Entry<V>>,
    ops: &'static KeyOps,
}

impl<V> Garbage<V> {
    fn new(ops: &'static KeyOps) -> Self {
        Self {
            entries: Vec::new(),
            ops,
        }
    }

    fn len(&self) -> usize {
        self.entries.len()
    }
}

impl<V> Drop for Garbage<V> {
    fn drop(&mut self) {
        for entry in &self.entries {
            // SAFETY: each entry owns one weak reference of `ops`' key type.
            unsafe { (self.ops.drop_weak)(entry.key) };
        }
        // The values drop with the vector, each even if one before it panics.
    }
}

/// One shard's entries. Not a public API (it is named by the flavors' lock types).
#[doc(hidden)]
pub struct Shard<V> {
    entries: HashTable<Entry<V>>,
    /// Bumped whenever a new entry is added, so that a writer who compared keys outside the lock
    /// can tell whether an equal key may have arrived in the meantime.
    generation: u64,
    /// Entry count at which the next insertion sweeps dead entries.
    sweep_at: usize,
    /// Ticks at every store: the version it gives the entry it stores into.
    clock: u32,
}

impl<V> Shard<V> {
    const fn new() -> Self {
        Self {
            entries: HashTable::new(),
            generation: 0,
            sweep_at: MIN_SWEEP,
            clock: 0,
        }
    }

    #[inline]
    fn find(&self, hash: u64, address: Key) -> Option<&Entry<V>> {
        self.entries.find(hash, |entry| entry.is(hash, address))
    }

    /// Stores `value` into the entry at `address` (or else at `other`) if it has one: replacing
    /// its value only if `overwrite` and the entry is as `expected`. The value comes back if
    /// there is no such entry.
    #[inline(always)]
    fn store(
        &mut self,
        at: (u64, Key, Option<Key>),
        value: V,
        overwrite: bool,
        expected: Expected,
    ) -> Result<Inserted<V>, V> {
        let (hash, address, other) = at;
        let Self { entries, clock, .. } = self;
        let Some(entry) = entries.find_mut(hash, |entry| {
            entry.is(hash, address) || other.is_some_and(|other| entry.is(hash, other))
        }) else {
            return Err(value);
        };
        Ok(if !overwrite {
            Inserted::Refused(value)
        } else if !expected.admits(Some(entry.version)) {
            Inserted::Moved(value)
        } else {
            entry.version = tick(clock);
            Inserted::Replaced(mem::replace(&mut entry.value, value))
        })
    }

    fn remove(&mut self, hash: u64, address: Key) -> Option<Entry<V>> {
        let found = self
            .entries
            .find_entry(hash, |entry| entry.is(hash, address))
            .ok()?;
        Some(found.remove().0)
    }

    /// Live keys with this hash, as new weak references: the candidates an equal probe must be
    /// compared with.
    fn keys_with_hash(&self, hash: u64, ops: &'static KeyOps) -> WeakKeys {
        let keys = self
            .entries
            .iter_hash(hash)
            // SAFETY: every entry's key is a weak reference of `ops`' type.
            .filter(|entry| entry.hash == hash && unsafe { (ops.is_alive)(entry.key) })
            .map(|entry| unsafe { (ops.clone_weak)(entry.key) })
            .collect();
        WeakKeys::new(keys, ops)
    }

    /// Adds an entry for a key known to have none (`key`, a new weak reference), sweeping dead
    /// entries when the shard has doubled since the last sweep (so garbage stays bounded by the
    /// live size).
    fn insert(&mut self, hash: u64, key: Key, value: V, ops: &'static KeyOps) -> Garbage<V> {
        let garbage = if self.entries.len() >= self.sweep_at {
            self.sweep(ops)
        } else {
            Garbage::new(ops)
        };
        let version = tick(&mut self.clock);
        let entry = Entry {
            hash,
            key,
            value,
            version,
        };
        self.entries.insert_unique(hash, entry, |entry| entry.hash);
        self.generation = self.generation.wrapping_add(1);
        garbage
    }

    fn sweep(&mut self, ops: &'static KeyOps) -> Garbage<V> {
        let entries = self
            .entries
            // SAFETY: every entry's key is a weak reference of `ops`' type.
            .extract_if(|entry| !unsafe { (ops.is_alive)(entry.key) })
            .collect();
        self.sweep_at = MIN_SWEEP.max(2 * self.entries.len());
        Garbage { entries, ops }
    }

    fn live_len(&self, ops: &'static KeyOps) -> usize {
        self.entries
            .iter()
            // SAFETY: every entry's key is a weak reference of `ops`' type.
            .filter(|entry| unsafe { (ops.is_alive)(entry.key) })
            .count()
    }
}

/// Ticks a shard's clock: the version of a store. It wraps after 2³² stores into the shard, so a
/// compare-and-set could take an entry stored into that many times during one attempt for
/// unchanged.
fn tick(clock: &mut u32) -> u32 {
    *clock = clock.wrapping_add(1);
    *clock
}

impl<V> ConstInit for Shard<V> {
    const INIT: Self = Self::new();
}

/// The shards of a table of `F` keys.
type ShardsOf<V, F> = <F as Flavor>::Shards<Shard<V>>;

/// The weak-keyed, sharded table, its keys erased.
pub(crate) struct RawTable<V, F: Flavor> {
    /// What the table needs of its key type.
    ops: &'static KeyOps,
    /// Whether two live keys are equal, for a table keyed by value.
    eq: Option<unsafe fn(Key, Key) -> bool>,
    /// The random keys of a keyed table's hash function (unused by the other keyings).
    keys: TableKeys,
    shards: ShardsOf<V, F>,
}

/// Outcome of [`RawTable::insert`].
pub(crate) enum Inserted<V> {
    /// The key had no entry; one was created.
    New,
    /// The key's entry held this value, now replaced.
    Replaced(V),
    /// `overwrite` was false and the key already had an entry: the offered value, untouched.
    Refused(V),
    /// The key's entry is not as the caller expected (see [`Expected`]): the offered value,
    /// untouched.
    Moved(V),
}

/// What a store expects of the key's entry: the compare of a compare-and-set. A reader learns
/// an entry's version with [`Held::version`]; a store that expects it happens only if no store
/// into the entry (nor a removal and a new entry) came in between.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Expected {
    /// Whatever there is.
    Anything,
    /// No entry.
    Nothing,
    /// The entry of this version.
    Version(u32),
}

impl Expected {
    /// Whether a store may go into a key's entry of `version` (`None`: no entry).
    pub(crate) fn admits(self, version: Option<u32>) -> bool {
        match self {
            Self::Anything => true,
            Self::Nothing => version.is_none(),
            Self::Version(expected) => version == Some(expected),
        }
    }
}

/// What [`RawTable::lookup`] found, held: the value (if any) and what keeps it readable — its
/// shard's read lock (and the pin of an equal key, unpinned after the unlock), or for no value,
/// the count of this thread's reads, so that a write from the value's reader panics whether or
/// not the key has a value (code tested on unset fields does not panic on set ones).
pub(crate) struct Held<'a, V: 'a, F: Flavor>
where
    ShardsOf<V, F>: 'a,
{
    /// The value's entry, in the shard `shard` read-locks; null if none.
    entry: *const Entry<V>,
    /// The shard of the value's entry, read-locked.
    shard: Option<<ShardsOf<V, F> as Shards<Shard<V>>>::Read<'a>>,
    /// The equal key whose entry it is, pinned until after the shard is unlocked.
    pin: Option<Pinned>,
    /// No value: the read is counted still.
    reading: Option<Reading>,
}

impl<'a, V: 'a, F: Flavor> Drop for Held<'a, V, F>
where
    ShardsOf<V, F>: 'a,
{
    fn drop(&mut self) {
        Self::let_go(self.shard.take(), self.pin.take(), self.reading.take());
    }
}

impl<'a, V: 'a, F: Flavor> Held<'a, V, F>
where
    ShardsOf<V, F>: 'a,
{
    /// Nothing found: counted as a read lent to `lent`.
    pub(crate) fn missing(lent: Lent) -> Self {
        Self {
            entry: core::ptr::null(),
            shard: None,
            pin: None,
            reading: Some(Reading::enter(lent)),
        }
    }

    /// The value, readable while this is held.
    #[inline]
    pub(crate) fn value(&self) -> Option<&V> {
        // SAFETY: a non-null `entry` points into the shard that `shard` read-locks.
        match unsafe { self.entry.as_ref() } {
            Some(entry) => Some(&entry.value),
            None => None,
        }
    }

    /// Lends the value to `read`, as [`lend`](Self::lend) does, along with what a store that
    /// must find the entry as `read` saw it expects of it.
    #[inline]
    pub(crate) fn lend_expecting<R>(self, read: impl FnOnce(Option<&V>) -> R) -> (R, Expected) {
        let expected = self.expected();
        (self.lend(read), expected)
    }

    /// What a store that must find the entry as it is now expects of it.
    fn expected(&self) -> Expected {
        // SAFETY: as in `value`.
        match unsafe { self.entry.as_ref() } {
            Some(entry) => Expected::Version(entry.version),
            None => Expected::Nothing,
        }
    }

    /// A clone of the value, made under the read (the value's `Clone` is what runs there).
    /// Compiled once per value type.
    #[inline]
    pub(crate) fn cloned(self) -> Option<V>
    where
        V: Clone,
    {
        self.lend(|value| value.cloned())
    }

    /// Whether a value was found.
    #[inline]
    pub(crate) fn found(self) -> bool {
        self.lend(|value| value.is_some())
    }

    /// Lends the value to `read`, then lets it go (unlocks, unpins). Inlined where debug
    /// assertions are off: moving a `Held` into a call costs more than the body.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn lend<R>(self, read: impl FnOnce(Option<&V>) -> R) -> R {
        let outcome = read(self.value());
        // A debug build drops `self` by its drop glue (one copy of it per value type); an
        // optimised one spells the drop out, so that it inlines into the getter (the drop glue
        // of `Held` does not). Either way the glue runs if `read` panics.
        #[cfg(debug_assertions)]
        drop(self);
        #[cfg(not(debug_assertions))]
        {
            let this = ManuallyDrop::new(self);
            // SAFETY: each field is read once, from a `Held` that is never dropped.
            let (shard, pin, reading) = unsafe {
                (
                    ptr::read(&this.shard),
                    ptr::read(&this.pin),
                    ptr::read(&this.reading),
                )
            };
            Self::let_go(shard, pin, reading);
        }
        outcome
    }

    /// Unlocks the shard, then unpins the key (its last drop may run its `Drop`, which may
    /// write this table), then ends the read; inlined where debug assertions are off, as a
    /// getter's hot path.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn let_go(
        shard: Option<<ShardsOf<V, F> as Shards<Shard<V>>>::Read<'a>>,
        pin: Option<Pinned>,
        reading: Option<Reading>,
    ) {
        drop(shard);
        drop(pin);
        drop(reading);
    }
}

impl<V, F: Flavor> RawTable<V, F> {
    /// An empty table of keys that `ops` describes, compared by `eq` if keyed by value.
    pub(crate) const fn new(ops: &'static KeyOps, eq: Option<unsafe fn(Key, Key) -> bool>) -> Self {
        Self {
            ops,
            eq,
            keys: TableKeys::new(),
            shards: ShardsOf::<V, F>::NEW,
        }
    }

    /// The random keys of a keyed table's hash function.
    pub(crate) const fn hash_keys(&self) -> &TableKeys {
        &self.keys
    }

    /// The shard that holds the entries of `hash`: its middle bits (hashbrown uses the low
    /// bits for buckets and the top seven as tags).
    #[inline]
    fn shard_of(hash: u64) -> usize {
        #[allow(clippy::cast_possible_truncation)] // reduced to a shard index
        let index = (hash >> 40) as usize % ShardsOf::<V, F>::COUNT;
        index
    }

    /// Shared access to the shard of `hash`, lending its data to `lent`.
    #[inline]
    fn read_shard(&self, hash: u64, lent: Lent) -> <ShardsOf<V, F> as Shards<Shard<V>>>::Read<'_> {
        self.shards.read(Self::shard_of(hash), lent)
    }

    /// Exclusive access to the shard of `hash`; refused (a panic) while this thread holds a read,
    /// which the write could wait for. Callers that can name the write check first.
    #[inline]
    fn write_shard(&self, hash: u64) -> <ShardsOf<V, F> as Shards<Shard<V>>>::Write<'_> {
        if reads::is_reading() {
            reads::write_under_read("a weak-keyed table");
        }
        self.shards.write(Self::shard_of(hash))
    }

    /// The first of `candidates` that is alive and equal to the probe at `probe`, pinned so that
    /// its entry can be found again by address (if it vanishes before the caller relocks, the
    /// caller copies the candidates again and retries). Called without a lock: `Eq` is user
    /// code, and dropping an upgraded candidate may drop its owner, whose own `Drop` releases
    /// entries of this very table.
    fn first_equal(&self, probe: Key, candidates: &WeakKeys) -> Option<Pinned> {
        let eq = self.eq?;
        candidates
            .upgrade()
            .into_iter()
            // SAFETY: `eq` compares keys of this table's type; both are alive (`probe` is
            // borrowed by the caller, the candidate pinned).
            .find(|candidate| unsafe { eq(candidate.key(), probe) })
    }

    /// Finds the live entry of the key at `probe` (or of a live key equal to it) and read-locks
    /// its shard, lending its value to `lent`; `hash` must be the key's hash in this table, and
    /// `alive` this table's `ops.is_alive` (given as a constant, so that it inlines here). The
    /// caller lends the value with [`Held::lend`]: this function is compiled once per value
    /// type, whatever closure reads the value. It is inlined where debug assertions are off (an
    /// optimised build, which then calls `alive` directly), and a call where they are on (a
    /// debug build, which then compiles one copy).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn lookup(
        &self,
        probe: Key,
        hash: u64,
        lent: Lent,
        alive: unsafe fn(Key) -> bool,
    ) -> Held<'_, V, F> {
        let candidates = {
            let shard = self.read_shard(hash, lent);
            if let Some(entry) = shard.find(hash, probe) {
                // SAFETY: the entry's key is a weak reference of this table's key type, which
                // `alive` is for.
                if unsafe { alive(entry.key) } {
                    return Held {
                        entry: &raw const *entry,
                        shard: Some(shard),
                        pin: None,
                        reading: None,
                    };
                }
                drop(shard);
                return Held::missing(lent);
            }
            if self.eq.is_none() {
                drop(shard);
                return Held::missing(lent);
            }
            shard.keys_with_hash(hash, self.ops)
        };
        self.read_equal(probe, hash, lent, candidates)
    }

    /// The rest of [`lookup`](Self::lookup) when keyed by value and not found by address: an equal
    /// key's live entry, its keys compared unlocked.
    ///
    /// The equal key is pinned (upgraded) while its entry is found again; the pin is dropped only
    /// after the shard is unlocked, since it may be the key's last strong reference (another
    /// thread may drop the key's creator meanwhile), whose drop runs the key's `Drop`.
    #[cold]
    fn read_equal(
        &self,
        probe: Key,
        hash: u64,
        lent: Lent,
        mut candidates: WeakKeys,
    ) -> Held<'_, V, F> {
        loop {
            let Some(pin) = self.first_equal(probe, &candidates) else {
                return Held::missing(lent);
            };
            let shard = self.read_shard(hash, lent);
            if let Some(entry) = shard.find(hash, pin.key()) {
                // SAFETY: the entry's key is a weak reference of this table's key type.
                if !unsafe { (self.ops.is_alive)(entry.key) } {
                    drop(shard);
                    drop(pin);
                    return Held::missing(lent);
                }
                return Held {
                    entry: &raw const *entry,
                    shard: Some(shard),
                    pin: Some(pin),
                    reading: None,
                };
            }
            candidates = shard.keys_with_hash(hash, self.ops);
            drop(shard);
            drop(pin);
        }
    }

    /// Stores `value` for the live key at `probe` (the data of a pointer the caller holds): into
    /// its entry or that of a live key equal to it (which keeps its first key, as
    /// `WeakKeyDictionary` does), or into a new entry.
    ///
    /// One write lock in the common cases: the key's own entry (found by address), a key
    /// identity-keyed, or no other live key with the same hash. Otherwise those keys are
    /// compared with `Eq` after unlocking, and the shard is locked again: to write into the
    /// equal key's entry (pinned meanwhile), or to add a new entry if no key arrived since the
    /// comparison (the shard's generation tells).
    ///
    /// A store happens only if the entry is as `expected`; else the value comes back, `Moved`.
    pub(crate) fn insert(
        &self,
        probe: Key,
        hash: u64,
        mut value: V,
        overwrite: bool,
        expected: Expected,
    ) -> Inserted<V> {
        let mut pin: Option<Pinned> = None;
        // The generation at which no live key of this hash was equal to the probe.
        let mut compared_at: Option<u64> = None;
        loop {
            let mut shard = self.write_shard(hash);
            let pinned = pin.as_ref().map(Pinned::key);
            value = match shard.store((hash, probe, pinned), value, overwrite, expected) {
                Ok(outcome) => {
                    drop(shard);
                    drop(pin);
                    return outcome;
                }
                Err(value) => value,
            };
            let candidates = (self.eq.is_some() && compared_at != Some(shard.generation))
                .then(|| shard.keys_with_hash(hash, self.ops));
            if candidates.as_ref().is_none_or(WeakKeys::is_empty) {
                if !expected.admits(None) {
                    // The entry the caller saw is gone.
                    drop(shard);
                    drop(candidates);
                    drop(pin);
                    return Inserted::Moved(value);
                }
                // SAFETY: `probe` is the data of a live pointer of this table's key type.
                let key = unsafe { (self.ops.downgrade)(probe) };
                let garbage = shard.insert(hash, key, value, self.ops);
                drop(shard);
                drop(garbage);
                drop(candidates);
                drop(pin);
                return Inserted::New;
            }
            let generation = shard.generation;
            drop(shard);
            pin = candidates.and_then(|candidates| self.first_equal(probe, &candidates));
            compared_at = pin.is_none().then_some(generation);
        }
    }

    /// Removes the live entry of the key at `probe` (or of a key equal to it) and returns its
    /// value.
    pub(crate) fn remove(&self, probe: Key, hash: u64) -> Option<V> {
        let mut candidates = {
            let mut shard = self.write_shard(hash);
            if let Some(entry) = shard.remove(hash, probe) {
                drop(shard);
                // Only a probe in the middle of its own `Drop` finds its dead entry here; dead
                // keys are not observable, so that entry is simply discarded.
                return self.take_live(entry);
            }
            // Keyed by identity: no other key can be this one.
            self.eq?;
            shard.keys_with_hash(hash, self.ops)
        };
        // Keyed by value and not found by address: an equal key's entry, compared unlocked.
        loop {
            let pin = self.first_equal(probe, &candidates)?;
            let mut shard = self.write_shard(hash);
            if let Some(entry) = shard.remove(hash, pin.key()) {
                drop(shard);
                drop(pin);
                return self.take_live(entry);
            }
            candidates = shard.keys_with_hash(hash, self.ops);
            drop(shard);
            drop(pin);
        }
    }

    /// The value of an entry taken out of its shard, if its key is alive; its key's weak
    /// reference dropped (and a dead key's value with it).
    fn take_live(&self, entry: Entry<V>) -> Option<V> {
        // SAFETY: the entry's key is a weak reference of this table's key type, owned by the
        // entry and dropped once, here.
        let alive = unsafe { (self.ops.is_alive)(entry.key) };
        unsafe { (self.ops.drop_weak)(entry.key) };
        alive.then_some(entry.value)
    }

    /// Removes the entry that the key at `address` created under `hash`, found by hash and
    /// address alone (no `Eq`, no upgrade), whether or not the key is still alive: all a release
    /// needs, so that it can be done as the key drops or after it is gone (see
    /// `Descriptor::release`).
    pub(crate) fn release_at(&self, hash: u64, address: Key) -> Option<V> {
        let entry = self.write_shard(hash).remove(hash, address)?;
        // SAFETY: the entry's key is a weak reference of this table's key type, owned by the
        // entry and dropped once, here.
        unsafe { (self.ops.drop_weak)(entry.key) };
        Some(entry.value)
    }

    /// A new weak reference to the key at `address`, if it has an entry (live or not): what pins
    /// its allocation while its release waits. Dropped with [`KeyOps::drop_weak`].
    pub(crate) fn weak_at(&self, hash: u64, address: Key) -> Option<Key> {
        let shard = self.read_shard(hash, Lent::Table);
        let entry = shard.find(hash, address)?;
        // SAFETY: the entry's key is a weak reference of this table's key type.
        Some(unsafe { (self.ops.clone_weak)(entry.key) })
    }

    /// The functions of this table's key type.
    pub(crate) const fn ops(&self) -> &'static KeyOps {
        self.ops
    }

    /// Removes every entry whose key has died; returns how many.
    pub(crate) fn purge(&self) -> usize {
        (0..ShardsOf::<V, F>::COUNT)
            .map(|shard| {
                // Dropped after the guard: the values' `Drop` is user code.
                let garbage = self.shards.write(shard).sweep(self.ops);
                garbage.len()
            })
            .sum()
    }

    /// The number of entries whose key is alive.
    pub(crate) fn len(&self) -> usize {
        (0..ShardsOf::<V, F>::COUNT)
            .map(|shard| self.shards.read(shard, Lent::Table).live_len(self.ops))
            .sum()
    }

    /// New weak references to every key, live or not, in no particular order.
    pub(crate) fn weak_keys(&self) -> WeakKeys {
        let mut keys = Vec::new();
        for shard in 0..ShardsOf::<V, F>::COUNT {
            let shard = self.shards.read(shard, Lent::Table);
            // SAFETY: every entry's key is a weak reference of this table's key type.
            keys.extend(
                (shard.entries.iter()).map(|entry| unsafe { (self.ops.clone_weak)(entry.key) }),
            );
        }
        WeakKeys::new(keys, self.ops)
    }
}

impl<V, F: Flavor> Drop for RawTable<V, F> {
    fn drop(&mut self) {
        // A table that is not a `static` (a map's): its entries' weak references are its own.
        for shard in 0..ShardsOf::<V, F>::COUNT {
            let shard = self.shards.get_mut(shard);
            let entries = shard.entries.drain().collect();
            drop(Garbage {
                entries,
                ops: self.ops,
            });
        }
    }
}

/// The compare of a compare-and-set, in one shard (the lock around it is model-checked in
/// `sync::shard_lock`'s `loom` models).
#[cfg(test)]
mod tests {
    use super::{Entry, Expected, Inserted, Shard, tick};
    use crate::table::keys::Key;

    const HASH: u64 = 7;

    fn key() -> Key {
        core::ptr::without_provenance(0x40)
    }

    /// A shard with the key's entry at `value`, and the entry's version.
    fn shard_with(value: u32) -> (Shard<u32>, u32) {
        let mut shard = Shard::new();
        let version = tick(&mut shard.clock);
        let entry = Entry {
            hash: HASH,
            key: key(),
            value,
            version,
        };
        shard.entries.insert_unique(HASH, entry, |entry| entry.hash);
        (shard, version)
    }

    fn version(shard: &Shard<u32>) -> u32 {
        shard.find(HASH, key()).unwrap().version
    }

    #[test]
    fn a_store_expecting_the_version_it_read_replaces_and_moves_the_version_on() {
        let (mut shard, read) = shard_with(1);
        let stored = shard.store((HASH, key(), None), 2, true, Expected::Version(read));
        assert!(matches!(stored, Ok(Inserted::Replaced(1))));
        assert_ne!(version(&shard), read);
        // A second store expecting the same version finds the entry moved on.
        let stale = shard.store((HASH, key(), None), 3, true, Expected::Version(read));
        assert!(matches!(stale, Ok(Inserted::Moved(3))));
        assert_eq!(shard.find(HASH, key()).unwrap().value, 2);
    }

    #[test]
    fn a_store_expecting_nothing_finds_an_entry_moved_in() {
        let (mut shard, _) = shard_with(1);
        let stored = shard.store((HASH, key(), None), 2, true, Expected::Nothing);
        assert!(matches!(stored, Ok(Inserted::Moved(2))));
        assert_eq!(
            Shard::<u32>::new()
                .store((HASH, key(), None), 2, true, Expected::Nothing)
                .err(),
            Some(2)
        );
    }

    #[test]
    fn a_store_that_may_not_overwrite_is_refused_whatever_it_expects() {
        let (mut shard, read) = shard_with(1);
        let stored = shard.store((HASH, key(), None), 2, false, Expected::Version(read));
        assert!(matches!(stored, Ok(Inserted::Refused(2))));
        assert_eq!(version(&shard), read);
    }

    #[test]
    fn what_each_expectation_admits() {
        assert!(Expected::Anything.admits(None) && Expected::Anything.admits(Some(3)));
        assert!(Expected::Nothing.admits(None) && !Expected::Nothing.admits(Some(3)));
        assert!(Expected::Version(3).admits(Some(3)));
        assert!(!Expected::Version(3).admits(Some(4)) && !Expected::Version(3).admits(None));
    }
}
