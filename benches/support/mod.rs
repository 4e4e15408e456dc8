//! Owners and constants shared by the bench binaries (`access`, `threads`, `memory`).
//!
//! Each bench binary includes this module with `mod support;`. Not every binary uses every item.
//!
//! The descriptor owners are what users write: `#[derive(Descriptors)]` structs with an ordinary
//! key field and `age: Field<u32>` validated like the seed's `IntegerField(0, 150)`. The
//! [`Owner`] trait only forwards to the derived methods, so one generic bench covers all four.
#![allow(dead_code)]

use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::sync::Arc;

use weakprop::{Descriptor, Descriptors, Field, Kind, Local, Shared, ValidationError};

/// Live owners in every single-threaded measurement.
pub const LIVE: usize = 1_024;
/// Owners created, set and dropped by one lifecycle pass.
pub const LIFECYCLE: usize = 100_000;
/// The largest valid age (`IntegerField(0, 150)` in the Python seed).
pub const MAX_AGE: u32 = 150;

/// The owners' identities: a `String` name (the seed's `Person`) or a `u64` id.
pub trait Key: Clone + Hash + Eq + Send + Sync + 'static {
    /// Label used in bench group names and in the script's table.
    const LABEL: &'static str;
    /// The `i`-th distinct key.
    fn nth(i: usize) -> Self;
}

impl Key for String {
    const LABEL: &'static str = "string_key";
    fn nth(i: usize) -> Self {
        format!("owner-{i}")
    }
}

impl Key for u64 {
    const LABEL: &'static str = "u64_key";
    fn nth(i: usize) -> Self {
        i as u64
    }
}

/// What a bench needs of a descriptor owner, so one generic bench covers all four owner types.
/// Each method forwards to the inherent method the derive generates; everything inlines.
pub trait Owner: Send + Sync + Sized + 'static {
    type Key: Key;
    fn new(key: Self::Key) -> Self;
    /// `p.age()`.
    fn get_age(self: &Arc<Self>) -> Option<u32>;
    /// `p.set_age(v)`.
    fn put_age(self: &Arc<Self>, age: u32) -> Result<(), ValidationError>;
    /// `p.update_age(..)`: one year older, back to 1 past 120.
    fn bump_age(self: &Arc<Self>) -> Result<u32, ValidationError>;
    /// `Self::age_descriptor()`.
    fn descriptor() -> &'static Descriptor<Self, u32>;
}

/// `impl Owner` (or with `rc`, `impl RcOwner`) for a derived owner: each method forwards to
/// the derived one.
macro_rules! impl_owner {
    ($owner:ty, $key:ident: $key_ty:ty) => {
        impl_owner!(Owner, Arc, Shared; $owner, $key: $key_ty);
    };
    (rc $owner:ty, $key:ident: $key_ty:ty) => {
        impl_owner!(RcOwner, Rc, Local; $owner, $key: $key_ty);
    };
    ($trait:ident, $pointer:ident, $flavor:ident; $owner:ty, $key:ident: $key_ty:ty) => {
        impl $trait for $owner {
            type Key = $key_ty;
            #[inline]
            fn new(key: $key_ty) -> Self {
                Self {
                    $key: key,
                    age: Field::new(),
                }
            }
            #[inline]
            fn get_age(self: &$pointer<Self>) -> Option<u32> {
                self.age()
            }
            #[inline]
            fn put_age(self: &$pointer<Self>, age: u32) -> Result<(), ValidationError> {
                self.set_age(age)
            }
            #[inline]
            fn bump_age(self: &$pointer<Self>) -> Result<u32, ValidationError> {
                self.update_age(|age| age.map_or(1, |age| age % 120 + 1))
            }
            #[inline]
            fn descriptor() -> &'static Descriptor<Self, u32, $flavor> {
                Self::age_descriptor()
            }
        }
    };
}

/// The seed's `Person`, hashed by its name (`WeakKeyDictionary` semantics).
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    #[descriptor(range(min = 0, max = 150))]
    pub age: Field<u32>,
}
impl_owner!(Person, name: String);

/// `Person` with a `u64` id for its identity.
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct PersonById {
    pub id: u64,
    #[descriptor(range(min = 0, max = 150))]
    pub age: Field<u32>,
}
impl_owner!(PersonById, id: u64);

/// The seed's `IntegerField(0, 150)` as a kind: the same rule as `Person`'s, written once.
#[derive(Kind)]
#[kind(u32, range(min = 0, max = 150))]
pub struct Age;

/// `Person` whose age has the kind `Age`: `set_kind` beside `set_value`, the same rule written
/// once instead of inline.
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct KindPerson {
    pub name: String,
    pub age: Field<u32, Age>,
}
impl_owner!(KindPerson, name: String);

/// `KindPerson` with a `u64` id.
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct KindPersonById {
    pub id: u64,
    pub age: Field<u32, Age>,
}
impl_owner!(KindPersonById, id: u64);

/// `Person` and `PersonById` as one generic owner: its tables are found per instantiation
/// (`K = String` or `K = u64`) instead of being `static`s.
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct GenericPerson<K> {
    pub key: K,
    #[descriptor(range(min = 0, max = 150))]
    pub age: Field<u32>,
}
impl_owner!(GenericPerson<String>, key: String);
impl_owner!(GenericPerson<u64>, key: u64);

/// `Person` hashed by a keyed function (`#[descriptors(hash = keyed)]`: SipHash under each
/// table's random keys), for owners keyed by untrusted input.
#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(hash = keyed)]
pub struct KeyedPerson {
    pub name: String,
    #[descriptor(range(min = 0, max = 150))]
    pub age: Field<u32>,
}
impl_owner!(KeyedPerson, name: String);

/// `KeyedPerson` with a `u64` id.
#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(hash = keyed)]
pub struct KeyedPersonById {
    pub id: u64,
    #[descriptor(range(min = 0, max = 150))]
    pub age: Field<u32>,
}
impl_owner!(KeyedPersonById, id: u64);

/// `Person` whose age is `lazy`: computed from the name on first read, then a stored read.
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct LazyPerson {
    pub name: String,
    #[descriptor(lazy = age_from_name, range(min = 0, max = 150))]
    pub age: Field<u32>,
}

fn age_from_name(person: &Arc<LazyPerson>) -> u32 {
    #[allow(clippy::cast_possible_truncation)] // below 151
    let age = person.name.len() as u32 % (MAX_AGE + 1);
    age
}

impl LazyPerson {
    pub fn new(name: String) -> Self {
        Self {
            name,
            age: Field::new(),
        }
    }
}

/// Keyed by its `Arc` allocation: no `Hash`, no `Eq`.
#[derive(Descriptors)]
#[descriptors(key = identity)]
pub struct IdPerson {
    pub name: String,
    #[descriptor(range(min = 0, max = 150))]
    pub age: Field<u32>,
}
impl_owner!(IdPerson, name: String);

/// Keyed by its `Arc` allocation, with a `u64` id.
#[derive(Descriptors)]
#[descriptors(key = identity)]
pub struct IdPersonById {
    pub id: u64,
    #[descriptor(range(min = 0, max = 150))]
    pub age: Field<u32>,
}
impl_owner!(IdPersonById, id: u64);

/// [`Owner`] for owners in an `Rc` (`#[descriptors(rc)]`).
pub trait RcOwner: Sized + 'static {
    type Key: Key;
    fn new(key: Self::Key) -> Self;
    /// `p.age()`.
    fn get_age(self: &Rc<Self>) -> Option<u32>;
    /// `p.set_age(v)`.
    fn put_age(self: &Rc<Self>, age: u32) -> Result<(), ValidationError>;
    /// `p.update_age(..)`: one year older, back to 1 past 120.
    fn bump_age(self: &Rc<Self>) -> Result<u32, ValidationError>;
    /// `Self::age_descriptor()`.
    fn descriptor() -> &'static Descriptor<Self, u32, Local>;
}

/// The seed's `Person` in an `Rc`: one thread, tables of its own.
#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(rc)]
pub struct RcPerson {
    pub name: String,
    #[descriptor(range(min = 0, max = 150))]
    pub age: Field<u32>,
}
impl_owner!(rc RcPerson, name: String);

/// `RcPerson` with a `u64` id.
#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(rc)]
pub struct RcPersonById {
    pub id: u64,
    #[descriptor(range(min = 0, max = 150))]
    pub age: Field<u32>,
}
impl_owner!(rc RcPersonById, id: u64);

/// `count` owners in `Rc`s with keys `start..start + count`.
pub fn make_rc<O: RcOwner>(start: usize, count: usize) -> Vec<Rc<O>> {
    (start..start + count)
        .map(|i| Rc::new(O::new(O::Key::nth(i))))
        .collect()
}

/// An owner with no descriptor: the floor (`age` is an ordinary field) and the key type of the
/// anchors' lifecycle benches, which must not pay for our `Drop`. Hashed and compared by `key`
/// only, like `Person`.
pub struct Plain<K> {
    pub key: K,
    pub age: u32,
}

impl<K: Key> Plain<K> {
    pub fn new(key: K) -> Self {
        Self { key, age: 0 }
    }
}

impl<K: Hash> Hash for Plain<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

impl<K: PartialEq> PartialEq for Plain<K> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl<K: Eq> Eq for Plain<K> {}

/// `count` owners with keys `start..start + count`, each in its own `Arc`.
pub fn make<O: Owner>(start: usize, count: usize) -> Vec<Arc<O>> {
    (start..start + count)
        .map(|i| Arc::new(O::new(O::Key::nth(i))))
        .collect()
}

/// The age the benches store for owner `i`: always valid (below 128, within the range's 150),
/// and found without a division, which would cost more than some of the operations measured.
pub fn age_of(i: usize) -> u32 {
    const _: () = assert!(127 <= MAX_AGE);
    (i & 127) as u32
}
