//! [`Table<K, V, F>`]: the table engine ([`super::raw`]) for keys of type `K`. Every method is a
//! few inlined lines that hash the key and hand its address to the engine, so that nothing is
//! compiled once per key type but what a caller uses where it calls it.

use core::marker::PhantomData;
use core::ptr;

use super::flavor::{Flavor, OwnerPtr};
use super::keying::Keying;
use super::keys::{Key, OpsOf};
use super::raw::{Expected, Inserted, RawTable};
use crate::sync::reads::{self, Lent};

/// `Arc<K>` or `Rc<K>`, as the flavor says.
pub(crate) type Ptr<K, F> = <F as Flavor>::Ptr<K>;

/// The weak-keyed, sharded table of keys `K` (in `F`'s pointer) and values `V`.
pub(crate) struct Table<K, V, F: Flavor> {
    keying: Keying<K>,
    raw: RawTable<V, F>,
    /// The engine's entries hold weak references to `K`, erased: the table is `Send` and `Sync`
    /// as far as those are.
    _keys: PhantomData<<Ptr<K, F> as OwnerPtr<K>>::Weak>,
}

/// `key`'s address, erased.
#[inline]
fn address<K>(key: &K) -> Key {
    ptr::from_ref(key).cast()
}

impl<K, V, F: Flavor> Table<K, V, F> {
    pub(crate) const fn new(keying: Keying<K>) -> Self {
        Self {
            raw: RawTable::new(OpsOf::<K, F>::OPS, keying.erased_eq()),
            keying,
            _keys: PhantomData,
        }
    }

    /// The key's hash in this table. Every table of one shared keying hashes a key alike (the
    /// same function and seeds), so one owner's hash serves all of its type's tables.
    #[inline]
    pub(crate) fn hash(&self, key: &K) -> u64 {
        self.keying.hash(key, self.raw.hash_keys())
    }

    /// Reads the value of `key`'s live entry with `read`, which runs under the shard's read lock
    /// and is the value's `Clone` or the like (so it must not write to a table).
    #[inline]
    pub(crate) fn get<R>(&self, key: &K, read: impl FnOnce(&V) -> R) -> Option<R> {
        self.read(key, self.hash(key), Lent::Clone, |value| value.map(read))
    }

    /// Lends the value of `key`'s live entry (or of a live key equal to it) to `read`, or `None`
    /// if it has none; `hash` must be [`hash`](Self::hash)'s. See [`RawTable::lookup`].
    #[inline]
    pub(crate) fn read<R>(
        &self,
        key: &K,
        hash: u64,
        lent: Lent,
        read: impl FnOnce(Option<&V>) -> R,
    ) -> R {
        let alive = OpsOf::<K, F>::OPS.is_alive;
        self.raw.lookup(address(key), hash, lent, alive).lend(read)
    }

    /// Stores `value` for `key`: into the entry of `key` or of a live key equal to it, or into a
    /// new entry (see [`RawTable::insert`]).
    #[inline]
    pub(crate) fn insert(&self, key: &Ptr<K, F>, value: V, overwrite: bool) -> Inserted<V> {
        let key: &K = key;
        self.raw.insert(
            address(key),
            self.hash(key),
            value,
            overwrite,
            Expected::Anything,
        )
    }

    /// Stores `value` for `key`, replacing any value: what a map's `insert` does. Returns the
    /// value it replaced.
    #[inline]
    pub(crate) fn replace(&self, key: &Ptr<K, F>, value: V) -> Option<V> {
        match self.insert(key, value, true) {
            Inserted::New => None,
            // With `overwrite` and no expectation, an existing entry is always replaced: neither
            // `Refused` nor `Moved` can occur.
            Inserted::Replaced(old) | Inserted::Refused(old) | Inserted::Moved(old) => Some(old),
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
            Inserted::Replaced(_) | Inserted::Refused(_) | Inserted::Moved(_) => {
                self.get(key, V::clone).unwrap_or(stored)
            }
        }
    }

    /// Removes the live entry of `key` (or of a key equal to it) and returns its value.
    #[inline]
    pub(crate) fn remove(&self, key: &K) -> Option<V> {
        self.raw.remove(address(key), self.hash(key))
    }

    /// Removes the entry that this very key created, found by hash and address alone (no `Eq`,
    /// no upgrade), whether or not the key is still alive: what an owner's `Drop` calls.
    #[inline]
    pub(crate) fn release(&self, key: &K) -> Option<V> {
        self.raw.release_at(self.hash(key), address(key))
    }

    /// Removes every entry whose key has died; returns how many.
    #[inline]
    pub(crate) fn purge(&self) -> usize {
        self.raw.purge()
    }

    /// The number of entries whose key is alive.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.raw.len()
    }

    /// The live keys, in no particular order.
    pub(crate) fn keys(&self) -> Vec<Ptr<K, F>> {
        live_keys::<K, V, F>(&self.raw)
    }

    /// Calls `read` with each live key and its value (see `WeakKeyMap::for_each`).
    pub(crate) fn for_each(&self, mut read: impl FnMut(&Ptr<K, F>, &V)) {
        let keys = self.keys();
        for key in &keys {
            self.read(key, self.hash(key), Lent::Closure, |value| {
                if let Some(value) = value {
                    read(key, value);
                }
            });
        }
        // The keys drop here, after every read: a last `Arc` may release entries of this table.
    }
}

/// Strong pointers to the live keys of `raw`, a table of `K` keys, in no particular order:
/// copied out under each shard's read lock as weak references, upgraded after (where a key's
/// last `Arc`, should another thread drop the others meanwhile, drops outside every lock).
pub(crate) fn live_keys<K, V, F: Flavor>(raw: &RawTable<V, F>) -> Vec<Ptr<K, F>> {
    let weak = raw.weak_keys();
    weak.iter()
        .filter_map(|key| {
            // SAFETY: the list owns a weak reference of `K` per key; it is borrowed here
            // (`ManuallyDrop`), not taken.
            let weak =
                core::mem::ManuallyDrop::new(unsafe { Ptr::<K, F>::weak_from_raw(key.cast()) });
            Ptr::<K, F>::upgrade(&weak)
        })
        .collect()
}
