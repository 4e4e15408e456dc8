//! [`LocalWeakKeyMap<K, V>`]: Python's `weakref.WeakKeyDictionary` for keys in an `Rc`, on one
//! thread.

use core::fmt;
use core::hash::Hash;
use std::rc::Rc;

use super::flavor::Local;
use super::keying::Keying;
use super::typed::Table;
use crate::sync::reads;

/// Panics if this thread holds a read (a value's `Clone`, a `with_` closure): a write could wait
/// for it.
#[inline]
#[track_caller]
fn refuse_write_under_read() {
    if reads::is_reading() {
        reads::write_under_read("a `LocalWeakKeyMap`");
    }
}

/// A map whose keys are held weakly, for keys in an [`Rc`]: [`WeakKeyMap`](crate::WeakKeyMap)'s
/// single-threaded counterpart, as `Rc` is `Arc`'s.
///
/// Keys are compared by `Hash + Eq` through a weak reference to their `Rc`: inserting never
/// raises a key's strong count, and a key's entry disappears from view as soon as its last `Rc`
/// drops. Equal keys share one entry, which keeps the first key, as in Python. Dead entries are
/// swept as the map grows (and by [`purge`](Self::purge)), so garbage stays bounded by the live
/// size. Neither keys nor values need to be `Send` or `Sync`; the map stays on its thread.
///
/// No user code — `Hash`, `Eq`, or the `Drop` of a replaced or removed value — runs while the
/// map is being changed, so keys and values may themselves use the map. The one exception is
/// the value's `Clone` in [`get`](Self::get), which may read the map but not write to it (that
/// panics, saying so).
///
/// # Examples
///
/// ```
/// use std::rc::Rc;
/// use weakprop_core::LocalWeakKeyMap;
///
/// #[derive(Hash, PartialEq, Eq)]
/// struct Node { id: u32 }
///
/// let labels = LocalWeakKeyMap::new();
/// let root = Rc::new(Node { id: 0 });
/// labels.insert(&root, Rc::new("root")); // a value that is not `Send`
/// assert_eq!(Rc::strong_count(&root), 1);
/// assert_eq!(labels.get(&Node { id: 0 }).as_deref(), Some(&"root"));
/// drop(root);
/// assert!(labels.is_empty());
/// ```
pub struct LocalWeakKeyMap<K, V> {
    table: Table<K, V, Local>,
}

impl<K: Hash + Eq, V> LocalWeakKeyMap<K, V> {
    /// Creates an empty map; it allocates nothing until the first insertion.
    ///
    /// # Examples
    ///
    /// ```
    /// use weakprop_core::LocalWeakKeyMap;
    ///
    /// let map: LocalWeakKeyMap<String, usize> = LocalWeakKeyMap::new();
    /// assert!(map.is_empty());
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
    /// # use std::rc::Rc;
    /// # use weakprop_core::LocalWeakKeyMap;
    /// let map = LocalWeakKeyMap::new();
    /// let (first, equal) = (Rc::new("Guido".to_string()), Rc::new("Guido".to_string()));
    /// assert_eq!(map.insert(&first, 1), None);
    /// assert_eq!(map.insert(&equal, 2), Some(1));
    /// assert!(Rc::ptr_eq(&map.keys()[0], &first));
    /// ```
    pub fn insert(&self, key: &Rc<K>, value: V) -> Option<V> {
        refuse_write_under_read();
        self.table.replace(key, value)
    }

    /// A clone of the value of `key` (or of a live key equal to it).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::rc::Rc;
    /// # use weakprop_core::LocalWeakKeyMap;
    /// let map = LocalWeakKeyMap::new();
    /// let key = Rc::new(7_u64);
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
    /// `compute` if there is none: a cache lookup. `compute` may use the map.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::rc::Rc;
    /// # use weakprop_core::LocalWeakKeyMap;
    /// let lengths = LocalWeakKeyMap::new();
    /// let text = Rc::new(String::from("weak references"));
    /// assert_eq!(lengths.get_or_insert_with(&text, || text.len()), 15);
    /// assert_eq!(lengths.get_or_insert_with(&text, || unreachable!()), 15);
    /// ```
    pub fn get_or_insert_with(&self, key: &Rc<K>, compute: impl FnOnce() -> V) -> V
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
    /// # use std::rc::Rc;
    /// # use weakprop_core::LocalWeakKeyMap;
    /// let map = LocalWeakKeyMap::new();
    /// let key = Rc::new(1);
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
    /// # use std::rc::Rc;
    /// # use weakprop_core::LocalWeakKeyMap;
    /// let map = LocalWeakKeyMap::new();
    /// let key = Rc::new("k");
    /// map.insert(&key, ());
    /// assert!(map.contains_key(&"k"));
    /// ```
    #[must_use]
    pub fn contains_key(&self, key: &K) -> bool {
        self.table.get(key, |_| ()).is_some()
    }

    /// The number of live keys.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::rc::Rc;
    /// # use weakprop_core::LocalWeakKeyMap;
    /// let map = LocalWeakKeyMap::new();
    /// let key = Rc::new(1);
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
    /// # use weakprop_core::LocalWeakKeyMap;
    /// assert!(LocalWeakKeyMap::<u8, u8>::new().is_empty());
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
    /// # use std::rc::Rc;
    /// # use weakprop_core::LocalWeakKeyMap;
    /// let map = LocalWeakKeyMap::new();
    /// let (a, b) = (Rc::new('a'), Rc::new('b'));
    /// map.insert(&a, 1);
    /// map.insert(&b, 2);
    /// drop(b);
    /// assert_eq!(map.keys(), vec![a]);
    /// ```
    #[must_use]
    pub fn keys(&self) -> Vec<Rc<K>> {
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
    /// # use std::rc::Rc;
    /// # use weakprop_core::LocalWeakKeyMap;
    /// let map = LocalWeakKeyMap::new();
    /// let (a, b) = (Rc::new('a'), Rc::new('b'));
    /// map.insert(&a, 1);
    /// map.insert(&b, 2);
    /// let mut total = 0;
    /// map.for_each(|key, value| {
    ///     assert!(**key == 'a' || **key == 'b');
    ///     total += value;
    /// });
    /// assert_eq!(total, 3);
    /// ```
    pub fn for_each(&self, f: impl FnMut(&Rc<K>, &V)) {
        self.table.for_each(f);
    }

    /// Removes the entry that this very key created (found by hash and address, without `Eq`)
    /// and drops its value; returns whether there was one. A key type that calls this from its
    /// own `Drop` has its values freed the moment it dies, instead of at the next sweep; except
    /// while this thread reads a table (inside a `with_` closure or a value's `Clone`), where
    /// nothing is removed (`false`) and the dead key's entry, invisible already, is swept.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::rc::Rc;
    /// # use weakprop_core::LocalWeakKeyMap;
    /// let map = LocalWeakKeyMap::new();
    /// let key = Rc::new(3);
    /// map.insert(&key, "three");
    /// assert!(map.release(&key));
    /// assert!(map.is_empty());
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
    /// # use std::rc::Rc;
    /// # use weakprop_core::LocalWeakKeyMap;
    /// let map = LocalWeakKeyMap::new();
    /// map.insert(&Rc::new(1), ()); // the key dies at once
    /// assert_eq!(map.purge(), 1);
    /// ```
    pub fn purge(&self) -> usize {
        refuse_write_under_read();
        self.table.purge()
    }
}

impl<K: Hash + Eq, V> Default for LocalWeakKeyMap<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K, V> fmt::Debug for LocalWeakKeyMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalWeakKeyMap")
            .field("len", &self.table.len())
            .finish_non_exhaustive()
    }
}
