//! Keys, erased: what the table engine ([`super::raw`]) knows of a key is the address of its
//! data, and a few functions of its type ([`KeyOps`]). So the engine is compiled once per value
//! type, not once per owner type and value type: a `u32` field on a hundred owner types shares
//! one copy (the typed layer above it, [`super::typed`], is a few inlined lines).
//!
//! A weak reference to a key is kept as its raw form (`Weak::into_raw`), which is the address of
//! the key's data (what `Arc::as_ptr` gives), so an entry's key is compared with a probe's
//! address without a call. A strong reference that pins a key is kept the same way
//! (`Arc::into_raw`).

use core::marker::PhantomData;
use core::mem::ManuallyDrop;

use super::flavor::{Flavor, OwnerPtr};

/// A key's address: the data of its `Arc` (or `Rc`), erased.
pub(crate) type Key = *const ();

/// What the engine needs of a key type and its pointer: functions over erased keys.
///
/// Each takes raw references as [`Key`]s: a *weak* key comes from `Weak::into_raw` of the key
/// type's weak pointer, a *strong* one from `into_raw` of its `Arc` (or `Rc`).
pub(crate) struct KeyOps {
    /// Whether the key of a weak reference is alive.
    pub(crate) is_alive: unsafe fn(Key) -> bool,
    /// A new weak reference to a live key, given its address (borrowed from a live pointer).
    pub(crate) downgrade: unsafe fn(Key) -> Key,
    /// A new weak reference to the key of a weak reference.
    pub(crate) clone_weak: unsafe fn(Key) -> Key,
    /// Drops a weak reference.
    pub(crate) drop_weak: unsafe fn(Key),
    /// A new strong reference to a live key, given its address (borrowed from a live pointer).
    pub(crate) clone_strong: unsafe fn(Key) -> Key,
    /// A strong reference to the key of a weak reference, if it is alive.
    pub(crate) upgrade: unsafe fn(Key) -> Option<Key>,
    /// Drops a strong reference: the key's `Drop` runs if it was the last.
    pub(crate) drop_strong: unsafe fn(Key),
}

/// The [`KeyOps`] of keys `K` in `F`'s pointer.
pub(crate) struct OpsOf<K, F>(PhantomData<fn() -> (K, F)>);

impl<K, F: Flavor> OpsOf<K, F> {
    /// The functions, in a `static` of their own.
    pub(crate) const OPS: &'static KeyOps = &KeyOps {
        is_alive: is_alive::<K, F>,
        downgrade: downgrade::<K, F>,
        clone_weak: clone_weak::<K, F>,
        drop_weak: drop_weak::<K, F>,
        clone_strong: clone_strong::<K, F>,
        upgrade: upgrade::<K, F>,
        drop_strong: drop_strong::<K, F>,
    };
}

/// `F`'s pointer to `K`.
type Ptr<K, F> = <F as Flavor>::Ptr<K>;

/// The weak reference that `weak` stands for, not to be dropped.
///
/// # Safety
///
/// `weak` must come from `weak_into_raw` of `Ptr<K, F>` and not have been taken back.
unsafe fn borrow_weak<K, F: Flavor>(weak: Key) -> ManuallyDrop<<Ptr<K, F> as OwnerPtr<K>>::Weak> {
    // SAFETY: the caller's contract; `ManuallyDrop` keeps the reference counted once.
    ManuallyDrop::new(unsafe { Ptr::<K, F>::weak_from_raw(weak.cast()) })
}

/// # Safety
///
/// As [`borrow_weak`].
unsafe fn is_alive<K, F: Flavor>(weak: Key) -> bool {
    // SAFETY: the caller's contract.
    Ptr::<K, F>::is_alive(&*unsafe { borrow_weak::<K, F>(weak) })
}

/// # Safety
///
/// `key` must be the address of the data of a live `Ptr<K, F>` (what its `as_ptr` gives).
unsafe fn downgrade<K, F: Flavor>(key: Key) -> Key {
    // SAFETY: the caller's contract: a live pointer's data, whose strong count this borrowed
    // pointer does not change (`ManuallyDrop`).
    let strong = ManuallyDrop::new(unsafe { Ptr::<K, F>::from_raw(key.cast()) });
    Ptr::<K, F>::weak_into_raw(Ptr::<K, F>::downgrade(&strong)).cast()
}

/// # Safety
///
/// As [`downgrade`].
unsafe fn clone_strong<K, F: Flavor>(key: Key) -> Key {
    // SAFETY: the caller's contract, as in `downgrade`.
    let strong = ManuallyDrop::new(unsafe { Ptr::<K, F>::from_raw(key.cast()) });
    Ptr::<K, F>::into_raw((*strong).clone()).cast()
}

/// # Safety
///
/// As [`borrow_weak`].
unsafe fn clone_weak<K, F: Flavor>(weak: Key) -> Key {
    // SAFETY: the caller's contract.
    let weak = unsafe { borrow_weak::<K, F>(weak) };
    Ptr::<K, F>::weak_into_raw((*weak).clone()).cast()
}

/// # Safety
///
/// As [`borrow_weak`]; the weak reference is taken back.
unsafe fn drop_weak<K, F: Flavor>(weak: Key) {
    // SAFETY: the caller's contract.
    drop(unsafe { Ptr::<K, F>::weak_from_raw(weak.cast()) });
}

/// # Safety
///
/// As [`borrow_weak`].
unsafe fn upgrade<K, F: Flavor>(weak: Key) -> Option<Key> {
    // SAFETY: the caller's contract.
    let weak = unsafe { borrow_weak::<K, F>(weak) };
    Ptr::<K, F>::upgrade(&weak).map(|strong| Ptr::<K, F>::into_raw(strong).cast())
}

/// # Safety
///
/// `strong` must come from `into_raw` of `Ptr<K, F>` and not have been taken back; it is.
unsafe fn drop_strong<K, F: Flavor>(strong: Key) {
    // SAFETY: the caller's contract.
    drop(unsafe { Ptr::<K, F>::from_raw(strong.cast()) });
}

/// A strong reference that pins a key (so that its entry can be found again by address), dropped
/// as the guard drops: after every lock, since it may be the key's last.
pub(crate) struct Pinned {
    key: Key,
    ops: &'static KeyOps,
}

impl Pinned {
    /// Takes the strong reference `key` (from [`KeyOps::upgrade`]).
    pub(crate) fn new(key: Key, ops: &'static KeyOps) -> Self {
        Self { key, ops }
    }

    /// The pinned key's address.
    pub(crate) fn key(&self) -> Key {
        self.key
    }
}

impl Drop for Pinned {
    fn drop(&mut self) {
        // SAFETY: `key` is a strong reference of `ops`' type, owned by this guard.
        unsafe { (self.ops.drop_strong)(self.key) };
    }
}

/// Weak references to keys, copied out of a shard to be compared with a probe after unlocking;
/// dropped as the list drops.
pub(crate) struct WeakKeys {
    keys: Vec<Key>,
    ops: &'static KeyOps,
}

impl WeakKeys {
    /// Takes the weak references `keys` (from [`KeyOps::clone_weak`]).
    pub(crate) fn new(keys: Vec<Key>, ops: &'static KeyOps) -> Self {
        Self { keys, ops }
    }

    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The weak references, each still owned by the list.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Key> + '_ {
        self.keys.iter().copied()
    }

    /// The live keys, each pinned by a new strong reference, in no particular order.
    pub(crate) fn upgrade(&self) -> Vec<Pinned> {
        self.iter()
            // SAFETY: every key of the list is a weak reference of `ops`' type.
            .filter_map(|weak| unsafe { (self.ops.upgrade)(weak) })
            .map(|strong| Pinned::new(strong, self.ops))
            .collect()
    }
}

impl Drop for WeakKeys {
    fn drop(&mut self) {
        for &weak in &self.keys {
            // SAFETY: the list owns one weak reference of `ops`' type per key.
            unsafe { (self.ops.drop_weak)(weak) };
        }
    }
}
