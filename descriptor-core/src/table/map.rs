//! [`WeakKeyMap<K, V>`], Python's `weakref.WeakKeyDictionary` as a thread-safe Rust type.

use core::fmt;
use core::hash::Hash;
use std::sync::Arc;

use super::flavor::Shared;
use super::keying::Keying;
use super::typed::Table;
use crate::sync::reads;

/// Panics if this thread holds a read (a value's `Clone`, a `with_` closure): a write could wait
/// for it.
#[inline]
#[track_caller]
fn refuse_write_under_read() {
    if reads::is_reading() {
        reads::write_under_read("a `WeakKeyMap`");
    }
}

/// A thread-safe map whose keys are held weakly: Python's `weakref.WeakKeyDictionary`.
///
/// Keys are compared by `Hash + Eq` through a weak reference to their [`Arc`]: inserting never
/// raises a key's strong count, and a key's entry disappears from view as soon as its last `Arc`
/// drops. Equal keys share one entry, which keeps the first key, as in Python. Dead entries are
/// swept as the map grows (and by [`purge`](Self::purge)), so garbage stays bounded by the live
/// size.
///
/// No user code — `Hash`, `Eq`, or the `Drop` of a replaced or removed value — runs while the
/// map's locks are held, so keys and values may themselves use the map. The one exception is
/// the value's `Clone` in [`get`](Self::get).
///
/// A map takes about 6 KiB before its first entry: 16 shards and 32 per-thread reader slots,
/// each on cache lines of its own, so that threads reading it never contend. Prefer a few
/// long-lived maps (a `static` works: [`new`](Self::new) is `const`) to many short-lived ones.
///
/// # Examples
///
/// The seed's cells In\[32\]–In\[39\]:
///
/// ```
/// use std::sync::Arc;
/// use weakprop_core::WeakKeyMap;
///
/// #[derive(Hash, PartialEq, Eq, Debug)]
/// struct Person { name: String }
///
/// let p1 = Arc::new(Person { name: "A".into() });
/// let d = WeakKeyMap::new();
/// d.insert(&p1, "A");
/// assert_eq!(Arc::strong_count(&p1), 1); // the map holds only a weak reference
/// assert_eq!(d.keys(), vec![p1.clone()]);
/// drop(p1);
/// assert!(d.keys().is_empty()); // gone with its key
/// ```
pub struct WeakKeyMap<K, V> {
    table: Table<K, V, Shared>,
}

impl<K: Hash + Eq, V> WeakKeyMap<K, V> {
    /// Creates an empty map. It allocates nothing until the first insertion, and can be a
    /// `static`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weakprop_core::WeakKeyMap;
    ///
    /// static CACHE: WeakKeyMap<String, usize> = WeakKeyMap::new();
    /// assert!(CACHE.is_empty());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            table: Table::new(Keying::by_value()),
        }
    }

    /// Maps `key` to `value` and returns the value it replaced, without raising the key's strong
    /// count. If an equal live key already has an entry, that entry (and its first key) is kept
    /// and only its value replaced.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::WeakKeyMap;
    /// let map = WeakKeyMap::new();
    /// let (first, equal) = (Arc::new("Guido".to_string()), Arc::new("Guido".to_string()));
    /// assert_eq!(map.insert(&first, 1), None);
    /// assert_eq!(map.insert(&equal, 2), Some(1));
    /// assert!(Arc::ptr_eq(&map.keys()[0], &first));
    /// ```
    pub fn insert(&self, key: &Arc<K>, value: V) -> Option<V> {
        refuse_write_under_read();
        self.table.replace(key, value)
    }

    /// A clone of the value of `key` (or of a live key equal to it).
    ///
    /// The value's `Clone` runs under a read lock of the map: it may read the map, but a write to
    /// it from there panics (it would wait for its own read).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::WeakKeyMap;
    /// let map = WeakKeyMap::new();
    /// let key = Arc::new(7_u64);
    /// map.insert(&key, "seven");
    /// assert_eq!(map.get(&7), Some("seven"));
    /// assert_eq!(map.get(&8), None);
    /// ```
    #[must_use]
    pub fn get(&self, key: &K) -> Option<V>
    where
        V: Clone,
    {
        self.table.get(key, V::clone)
    }

    /// The value of `key` (or of a live key equal to it), computing and inserting it with
    /// `compute` if there is none: a cache lookup.
    ///
    /// `compute` runs outside every lock. If another thread inserted a value for the key in the
    /// meantime, that value wins and the computed one is dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::WeakKeyMap;
    /// let lengths = WeakKeyMap::new();
    /// let text = Arc::new(String::from("weak references"));
    /// assert_eq!(lengths.get_or_insert_with(&text, || text.len()), 15);
    /// assert_eq!(lengths.get_or_insert_with(&text, || unreachable!()), 15);
    /// ```
    pub fn get_or_insert_with(&self, key: &Arc<K>, compute: impl FnOnce() -> V) -> V
    where
        V: Clone,
    {
        self.table.get_or_insert_with(key, compute)
    }

    /// Removes the entry of `key` (or of a live key equal to it) and returns its value.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::WeakKeyMap;
    /// let map = WeakKeyMap::new();
    /// let key = Arc::new(1);
    /// map.insert(&key, 'a');
    /// assert_eq!(map.remove(&1), Some('a'));
    /// assert_eq!(map.remove(&1), None);
    /// ```
    pub fn remove(&self, key: &K) -> Option<V> {
        refuse_write_under_read();
        self.table.remove(key)
    }

    /// Whether `key` (or a live key equal to it) has an entry.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::WeakKeyMap;
    /// let map = WeakKeyMap::new();
    /// let key = Arc::new("k");
    /// map.insert(&key, ());
    /// assert!(map.contains_key(&"k"));
    /// ```
    #[must_use]
    pub fn contains_key(&self, key: &K) -> bool {
        self.table.get(key, |_| ()).is_some()
    }

    /// The number of entries whose key is alive.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::WeakKeyMap;
    /// let map = WeakKeyMap::new();
    /// let key = Arc::new(1);
    /// map.insert(&key, ());
    /// assert_eq!(map.len(), 1);
    /// drop(key);
    /// assert_eq!(map.len(), 0);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether no live key has an entry.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::WeakKeyMap;
    /// assert!(WeakKeyMap::<u8, u8>::new().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The live keys, in no particular order: Python's `keyrefs()`, already upgraded.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::WeakKeyMap;
    /// let map = WeakKeyMap::new();
    /// let (a, b) = (Arc::new('a'), Arc::new('b'));
    /// map.insert(&a, 1);
    /// map.insert(&b, 2);
    /// drop(b);
    /// assert_eq!(map.keys(), vec![a]);
    /// ```
    #[must_use]
    pub fn keys(&self) -> Vec<Arc<K>> {
        self.table.keys()
    }

    /// Calls `f` with every live key and its value, in no particular order: the entries of the
    /// keys alive when it starts, that still have a value when their turn comes.
    ///
    /// `f` runs where a value's reader runs (see [`get`](Self::get)): it may read any map or
    /// descriptor, and must not write one (that panics). To change values, collect what to
    /// change first. No lock is held between two calls.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::WeakKeyMap;
    /// let map = WeakKeyMap::new();
    /// let (a, b) = (Arc::new('a'), Arc::new('b'));
    /// map.insert(&a, 1);
    /// map.insert(&b, 2);
    /// let mut total = 0;
    /// map.for_each(|key, value| {
    ///     assert!(**key == 'a' || **key == 'b');
    ///     total += value;
    /// });
    /// assert_eq!(total, 3);
    /// ```
    pub fn for_each(&self, f: impl FnMut(&Arc<K>, &V)) {
        self.table.for_each(f);
    }

    /// Removes the entry that this very key created (found by hash and address, without `Eq`)
    /// and drops its value; returns whether there was one.
    ///
    /// A key type that calls this from its own `Drop` has its values freed the moment it dies,
    /// instead of at the next sweep; an equal key's entry is left alone. The exception: a key
    /// that dies while this thread reads a table (inside a `with_` closure or a value's `Clone`),
    /// where a write could wait for that read. Then nothing is removed (`false`), and the dead
    /// key's entry, invisible already, is freed by the sweep.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use weakprop_core::WeakKeyMap;
    ///
    /// static NOTES: WeakKeyMap<Page, String> = WeakKeyMap::new();
    ///
    /// #[derive(Hash, PartialEq, Eq)]
    /// struct Page(u32);
    ///
    /// impl Drop for Page {
    ///     fn drop(&mut self) {
    ///         NOTES.release(self);
    ///     }
    /// }
    ///
    /// let page = Arc::new(Page(1));
    /// NOTES.insert(&page, "draft".into());
    /// drop(page);
    /// assert_eq!(NOTES.purge(), 0); // nothing left to sweep: released on drop
    /// ```
    pub fn release(&self, key: &K) -> bool {
        // Inside a read of this thread's, a write could wait for that read: the dead key's
        // entry, invisible already, is left to the sweep.
        !reads::is_reading() && self.table.release(key).is_some()
    }

    /// Sweeps the entries whose key has died and drops their values; returns how many.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::WeakKeyMap;
    /// let map = WeakKeyMap::new();
    /// map.insert(&Arc::new(1), ()); // the key dies at once
    /// assert_eq!(map.purge(), 1);
    /// ```
    pub fn purge(&self) -> usize {
        refuse_write_under_read();
        self.table.purge()
    }
}

impl<K: Hash + Eq, V> Default for WeakKeyMap<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K, V> fmt::Debug for WeakKeyMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeakKeyMap")
            .field("len", &self.table.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::WeakKeyMap;

    #[test]
    fn an_empty_map_takes_about_six_kibibytes_as_documented() {
        let bytes = size_of::<WeakKeyMap<u64, u64>>();
        assert!((6 * 1024..7 * 1024).contains(&bytes), "{bytes} bytes");
    }
}
