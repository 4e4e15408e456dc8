//! [`Keying`]: how a table recognises its keys — by their `Hash + Eq`, as `WeakKeyDictionary`
//! does, or by the address of their allocation, as `id(instance)` does — and
//! [`HashableOwner`], the bound whose compile error explains a key that is not hashable.

use core::hash::{Hash, Hasher};
use core::ptr;

use foldhash::SharedSeed;
use foldhash::quality::FoldHasher;

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
    hash: fn(&K) -> u64,
    eq: Option<fn(&K, &K) -> bool>,
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
            hash: hash_value::<K>,
            eq: Some(K::eq),
        }
    }

    /// Keys by identity: only the very same allocation finds its entry.
    #[must_use]
    pub const fn by_identity() -> Self {
        Self {
            hash: hash_address::<K>,
            eq: None,
        }
    }

    /// Whether keys are compared by value.
    #[must_use]
    pub const fn is_by_value(&self) -> bool {
        self.eq.is_some()
    }

    /// The key's hash. Every keying of one kind hashes a key alike (the same function and
    /// seeds), so one owner's hash serves all of its type's tables. Called on a `const` keying,
    /// the hash function is known at compile time and inlines.
    #[inline]
    pub fn hash(&self, key: &K) -> u64 {
        (self.hash)(key)
    }

    /// Whether two keys are equal, for a keying by value; `None` for a keying by identity.
    pub(crate) fn eq(&self) -> Option<fn(&K, &K) -> bool> {
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

fn hash_address<K>(key: &K) -> u64 {
    let mut state = hasher();
    state.write_usize(ptr::from_ref(key).addr());
    state.finish()
}

#[cfg(test)]
mod tests {
    use core::hash::{Hash, Hasher};

    use foldhash::SharedSeed;

    use super::{Keying, hasher_seeded};

    #[test]
    fn equal_keys_hash_alike_by_value_and_apart_by_identity() {
        let (a, b) = (String::from("Guido"), String::from("Guido"));
        let by_value = Keying::<String>::by_value();
        assert_eq!(by_value.hash(&a), by_value.hash(&b));
        assert!(by_value.eq().is_some_and(|eq| eq(&a, &b)));
        let by_identity = Keying::<String>::by_identity();
        assert_ne!(by_identity.hash(&a), by_identity.hash(&b));
        assert!(by_identity.eq().is_none());
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
