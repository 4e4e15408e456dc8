//! The two flavors of owner: [`Shared`] (in an `Arc`, usable from every thread) and [`Local`]
//! (in an `Rc`, on one thread). One table serves both; a flavor says which pointer an owner
//! lives in and how a table's shards are locked.
//!
//! The layers above add to the family what they need of it, each in a trait of its own: the
//! callbacks of subscribers ([`ObserverFlavor`](crate::ObserverFlavor)) and where a field's
//! state lives ([`FieldFlavor`](crate::FieldFlavor)).

use core::ops::Deref;
use std::rc::{self, Rc};
use std::sync::{self, Arc};

use crate::sync::local_lock::LocalLock;
use crate::sync::shard_lock::{SHARED_SHARDS, ShardedLock};
use crate::sync::shards::{ConstInit, Shards};

/// Owners that live in an [`Arc`]: tables are `static`, shared by every thread, and owners and
/// values must be `Send + Sync`. The default flavor.
#[derive(Debug, Clone, Copy)]
pub struct Shared;

/// Owners that live in an [`Rc`] (`#[descriptors(rc)]`): each thread has tables of its own,
/// and neither owners nor values need to be `Send` or `Sync`.
#[derive(Debug, Clone, Copy)]
pub struct Local;

/// A kind of owner: which pointer it lives in and how its tables are locked. Implemented by
/// [`Shared`] and [`Local`] only.
pub trait Flavor: sealed::Sealed + Sized + 'static {
    /// `Arc<O>` or `Rc<O>`.
    type Ptr<O>: OwnerPtr<O>;
    /// The shards of a table and what guards them.
    #[doc(hidden)]
    type Shards<S: ConstInit>: Shards<S>;
}

impl Flavor for Shared {
    type Ptr<O> = Arc<O>;
    type Shards<S: ConstInit> = ShardedLock<S, SHARED_SHARDS>;
}

impl Flavor for Local {
    type Ptr<O> = Rc<O>;
    type Shards<S: ConstInit> = LocalLock<S>;
}

/// Keeps [`Flavor`] (and the traits that extend it) to the two flavors.
pub(crate) mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Shared {}
    impl Sealed for super::Local {}
}

/// A reference-counted pointer that an owner lives in, and its weak counterpart: what a table
/// needs to hold a key weakly and to recognise it by address.
pub trait OwnerPtr<T>: Deref<Target = T> + Clone {
    /// `sync::Weak<T>` or `rc::Weak<T>`.
    type Weak: Clone;

    /// A weak reference to the pointee.
    fn downgrade(this: &Self) -> Self::Weak;
    /// The pointee again, if it is alive.
    fn upgrade(weak: &Self::Weak) -> Option<Self>;
    /// The address of the pointee (what `Arc::as_ptr` gives), alive or not.
    fn weak_as_ptr(weak: &Self::Weak) -> *const T;
    /// Whether the pointee is alive.
    fn is_alive(weak: &Self::Weak) -> bool;
    /// The pointer as a raw pointer to its data, kept until [`from_raw`](Self::from_raw).
    #[doc(hidden)]
    fn into_raw(this: Self) -> *const T;
    /// The pointer that [`into_raw`](Self::into_raw) gave (or a live pointer's `as_ptr`, to be
    /// borrowed without being dropped).
    ///
    /// # Safety
    ///
    /// `raw` must come from `into_raw` of this type, and be taken back once; or be the data of a
    /// live pointer, and the result never dropped.
    #[doc(hidden)]
    unsafe fn from_raw(raw: *const T) -> Self;
    /// The weak reference as a raw pointer, kept until [`weak_from_raw`](Self::weak_from_raw).
    #[doc(hidden)]
    fn weak_into_raw(weak: Self::Weak) -> *const T;
    /// The weak reference that [`weak_into_raw`](Self::weak_into_raw) gave.
    ///
    /// # Safety
    ///
    /// `raw` must come from `weak_into_raw` of this type, and be taken back once.
    #[doc(hidden)]
    unsafe fn weak_from_raw(raw: *const T) -> Self::Weak;
}

impl<T> OwnerPtr<T> for Arc<T> {
    type Weak = sync::Weak<T>;

    fn downgrade(this: &Self) -> Self::Weak {
        Arc::downgrade(this)
    }

    fn upgrade(weak: &Self::Weak) -> Option<Self> {
        weak.upgrade()
    }

    fn weak_as_ptr(weak: &Self::Weak) -> *const T {
        weak.as_ptr()
    }

    fn is_alive(weak: &Self::Weak) -> bool {
        weak.strong_count() > 0
    }

    fn weak_into_raw(weak: Self::Weak) -> *const T {
        weak.into_raw()
    }

    unsafe fn weak_from_raw(raw: *const T) -> Self::Weak {
        // SAFETY: the caller's contract: from `into_raw`, once.
        unsafe { sync::Weak::from_raw(raw) }
    }

    fn into_raw(this: Self) -> *const T {
        Arc::into_raw(this)
    }

    unsafe fn from_raw(raw: *const T) -> Self {
        // SAFETY: the caller's contract.
        unsafe { Arc::from_raw(raw) }
    }
}

impl<T> OwnerPtr<T> for Rc<T> {
    type Weak = rc::Weak<T>;

    fn downgrade(this: &Self) -> Self::Weak {
        Rc::downgrade(this)
    }

    fn upgrade(weak: &Self::Weak) -> Option<Self> {
        weak.upgrade()
    }

    fn weak_as_ptr(weak: &Self::Weak) -> *const T {
        weak.as_ptr()
    }

    fn is_alive(weak: &Self::Weak) -> bool {
        weak.strong_count() > 0
    }

    fn weak_into_raw(weak: Self::Weak) -> *const T {
        weak.into_raw()
    }

    unsafe fn weak_from_raw(raw: *const T) -> Self::Weak {
        // SAFETY: the caller's contract: from `into_raw`, once.
        unsafe { rc::Weak::from_raw(raw) }
    }

    fn into_raw(this: Self) -> *const T {
        Rc::into_raw(this)
    }

    unsafe fn from_raw(raw: *const T) -> Self {
        // SAFETY: the caller's contract.
        unsafe { Rc::from_raw(raw) }
    }
}
