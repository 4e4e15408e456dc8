//! [`Keying`]: how a table recognises its keys — by their `Hash + Eq`, as `WeakKeyDictionary`
//! does, or by the address of their allocation, as `id(instance)` does — and
//! [`HashableOwner`], the bound whose compile error explains a key that is not hashable.
//!
//! Keys are hashed with foldhash's `quality` hasher and a process-random seed: fast, and spread
//! well, but not a keyed pseudorandom function, so keys chosen to collide can be built whatever
//! the seed. For keys that come from untrusted input, [`Keying::by_value_keyed`] hashes with
//! std's `RandomState` (SipHash-1-3 under random keys), a table's keys its own ([`TableKeys`]),
//! as a `HashMap` does.

use core::hash::{BuildHasher, Hash, Hasher};
use core::ptr;

use foldhash::SharedSeed;
use foldhash::quality::FoldHasher;
use std::hash::RandomState;
use std::sync::OnceLock;

use super::keys::Key;

/// An owner that can key a table by value: `Hash + Eq`, like a `WeakKeyDictionary` key.
///
/// Implemented for every `Hash + Eq` type; never implement it by hand. It exists so that a
/// missing `Hash` or `Eq` is reported with what to do about it.
///
/// # Examples
///
/// ```
/// use weakprop_core::HashableOwner;
///
/// #[derive(Hash, PartialEq, Eq)]
/// struct Person { name: String }
///
/// fn keyable<O: HashableOwner>() {}
/// keyable::<Person>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not hashable, so it cannot key its descriptor tables by value",
    label = "`{Self}` needs `Hash` and `Eq`",
    note = "descriptor tables find an owner's values by its `Hash + Eq`, as Python's `WeakKeyDictionary` does",
    note = "derive them on the fields that make up the owner's identity: `#[derive(Hash, PartialEq, Eq)]`",
    note = "or key by the `Arc` allocation instead, with `#[descriptors(key = identity)]`"
)]
pub trait HashableOwner: Hash + Eq {}

// Not recommended: an owner without `Hash` and `Eq` is then one error, this trait's, instead of
// one per missing trait.
#[diagnostic::do_not_recommend]
impl<O: Hash + Eq + ?Sized> HashableOwner for O {}

/// Per-table part of the hash seed; the process-random part comes from foldhash's global seed.
const SEED: u64 = 0x5EED_DE5C_0000_0001;

/// How a table recognises a key: its hash function, and its equality if keys are compared by
/// value. Not a public API: `#[derive(Descriptors)]` names it for each owner type.
#[doc(hidden)]
pub struct Keying<K> {
    hash: HashFn<K>,
    eq: Option<unsafe fn(Key, Key) -> bool>,
}

/// A keying's hash function.
enum HashFn<K> {
    /// The same function and seed for every table: one owner's hash serves all of its type's.
    Seeded(fn(&K) -> u64),
    /// Keyed by each table's own [`TableKeys`].
    PerTable(fn(&K, &RandomState) -> u64),
}

impl<K> Clone for HashFn<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K> Copy for HashFn<K> {}

/// The random keys of one table's hash function, for a [`Keying::by_value_keyed`] table: made
/// as the table first hashes a key. Not a public API.
#[doc(hidden)]
pub struct TableKeys(OnceLock<RandomState>);

impl TableKeys {
    /// Keys not made yet.
    #[must_use]
    pub const fn new() -> Self {
        Self(OnceLock::new())
    }

    fn get(&self) -> &RandomState {
        self.0.get_or_init(RandomState::new)
    }
}

impl Default for TableKeys {
    fn default() -> Self {
        Self::new()
    }
}

impl<K> Clone for Keying<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K> Copy for Keying<K> {}

impl<K> Keying<K> {
    /// Keys by value: equal keys share one entry.
    #[must_use]
    pub const fn by_value() -> Self
    where
        K: HashableOwner,
    {
        Self {
            hash: HashFn::Seeded(hash_value::<K>),
            eq: Some(eq_erased::<K>),
        }
    }

    /// Keys by value, hashed by a keyed pseudorandom function (std's `RandomState`: SipHash-1-3
    /// under random keys of each table's own), for keys that come from untrusted input: nobody
    /// who cannot see the keys can choose keys that collide. Slower than [`by_value`](Self::by_value)
    /// by what SipHash costs over foldhash, and an owner's `Drop` hashes it once per table.
    #[must_use]
    pub const fn by_value_keyed() -> Self
    where
        K: HashableOwner,
    {
        Self {
            hash: HashFn::PerTable(hash_keyed::<K>),
            eq: Some(eq_erased::<K>),
        }
    }

    /// Keys by identity: only the very same allocation finds its entry.
    #[must_use]
    pub const fn by_identity() -> Self {
        Self {
            hash: HashFn::Seeded(hash_address::<K>),
            eq: None,
        }
    }

    /// Whether keys are compared by value.
    #[must_use]
    pub const fn is_by_value(&self) -> bool {
        self.eq.is_some()
    }

    /// Whether every table of this keying hashes a key alike (the same function and seeds), so
    /// that one owner's hash serves all of its type's tables: all but a keyed keying.
    #[must_use]
    pub const fn is_shared(&self) -> bool {
        matches!(self.hash, HashFn::Seeded(_))
    }

    /// The key's hash in the table whose keys are `keys`. Called on a `const` keying, the hash
    /// function is known at compile time and inlines.
    #[inline]
    pub(crate) fn hash(&self, key: &K, keys: &TableKeys) -> u64 {
        match self.hash {
            HashFn::Seeded(hash) => hash(key),
            HashFn::PerTable(hash) => hash(key, keys.get()),
        }
    }

    /// Whether two keys (at these addresses) are equal, for a keying by value; `None` for a
    /// keying by identity.
    pub(crate) const fn erased_eq(&self) -> Option<unsafe fn(Key, Key) -> bool> {
        self.eq
    }
}

/// foldhash's `quality` hasher: its `fast` one, for some process seeds (about one in a hundred),
/// maps sequential integer keys onto a few of the 16 shards and crowds hashbrown's buckets.
#[inline]
fn hasher() -> FoldHasher<'static> {
    hasher_seeded(SharedSeed::global_random())
}

#[inline]
fn hasher_seeded(shared: &SharedSeed) -> FoldHasher<'_> {
    FoldHasher::with_seed(SEED, shared)
}

#[inline]
fn hash_value<K: Hash>(key: &K) -> u64 {
    let mut state = hasher();
    key.hash(&mut state);
    state.finish()
}

/// `K`'s `Eq` over erased keys.
///
/// # Safety
///
/// `a` and `b` must be the addresses of live `K`s.
unsafe fn eq_erased<K: Eq>(a: Key, b: Key) -> bool {
    // SAFETY: the caller's contract.
    unsafe { *a.cast::<K>() == *b.cast::<K>() }
}

fn hash_keyed<K: Hash>(key: &K, keys: &RandomState) -> u64 {
    keys.hash_one(key)
}

fn hash_address<K>(key: &K) -> u64 {
    let mut state = hasher();
    state.write_usize(ptr::from_ref(key).addr());
    state.finish()
}

#[cfg(test)]
mod tests {
    use core::hash::{Hash, Hasher};

    use foldhash::SharedSeed;

    use super::{Keying, TableKeys, hasher_seeded};

    #[test]
    fn equal_keys_hash_alike_by_value_and_apart_by_identity() {
        let (a, b) = (String::from("Guido"), String::from("Guido"));
        let keys = TableKeys::new();
        let by_value = Keying::<String>::by_value();
        assert_eq!(by_value.hash(&a, &keys), by_value.hash(&b, &keys));
        let eq = by_value.erased_eq().unwrap();
        // SAFETY: both are live `String`s.
        assert!(unsafe {
            eq(
                core::ptr::from_ref(&a).cast(),
                core::ptr::from_ref(&b).cast(),
            )
        });
        let by_identity = Keying::<String>::by_identity();
        assert_ne!(by_identity.hash(&a, &keys), by_identity.hash(&b, &keys));
        assert!(by_identity.erased_eq().is_none());
    }

    #[test]
    fn a_keyed_keying_hashes_equal_keys_alike_in_one_table_and_apart_across_tables() {
        let (a, b) = (String::from("Guido"), String::from("Guido"));
        let keyed = Keying::<String>::by_value_keyed();
        assert!(!keyed.is_shared() && Keying::<String>::by_value().is_shared());
        let (one, other) = (TableKeys::new(), TableKeys::new());
        assert_eq!(keyed.hash(&a, &one), keyed.hash(&b, &one));
        assert_eq!(keyed.hash(&a, &one), keyed.hash(&a, &one), "keys made once");
        // Two tables' keys differ: 64 owners never all hash alike in both (2^-64 per owner).
        let differ = (0..64_u32).any(|id| {
            let name = id.to_string();
            keyed.hash(&name, &one) != keyed.hash(&name, &other)
        });
        assert!(differ);
    }

    /// 1,024 sequential ids, as a program numbers its entities, must spread over the table's
    /// 16 shards (chosen by bits 40 to 43, see `raw.rs`) and over hashbrown's buckets (the
    /// low bits) under every process seed, not just most.
    #[test]
    fn sequential_ids_spread_over_shards_and_buckets_under_every_seed() {
        for seed in 0..2_000 {
            let shared = SharedSeed::from_u64(seed);
            let (mut shards, mut buckets) = ([0_u32; 16], [0_u32; 64]);
            for id in 1_000_u32..2_024 {
                let mut state = hasher_seeded(&shared);
                id.hash(&mut state);
                let hash = state.finish();
                shards[usize::try_from((hash >> 40) % 16).unwrap()] += 1;
                buckets[usize::try_from(hash % 64).unwrap()] += 1;
            }
            // Expected 64 per shard and 16 per bucket; these bounds are five standard deviations
            // out.
            assert!(
                shards.iter().all(|&n| n >= 24),
                "seed {seed}: shards {shards:?}"
            );
            assert!(
                buckets.iter().all(|&n| n <= 40),
                "seed {seed}: buckets {buckets:?}"
            );
        }
    }
}
