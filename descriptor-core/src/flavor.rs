//! The two flavors of owner: [`Shared`] (in an `Arc`, usable from every thread) and [`Local`]
//! (in an `Rc`, on one thread). One table, one write pipeline and one observer list serve both;
//! a flavor says which pointer an owner lives in, how a table's shards are locked, and where a
//! field's per-owner state lives.

use core::ops::Deref;
use std::rc::{self, Rc};
use std::sync::{self, Arc};

use crate::descriptor::FieldState;
use crate::local::LocalHome;
use crate::local_lock::LocalLock;
use crate::lock::{ConstInit, ReadGuard, ShardedLock, WriteGuard};
use crate::observe::{Change, LocalCallback, SharedCallback, Subscribers, Unsubscribe};
use crate::slot::CurrentThread;

/// Owners that live in an [`Arc`]: tables are `static`, shared by every thread, and owners and
/// values must be `Send + Sync`. The default flavor.
#[derive(Debug, Clone, Copy)]
pub struct Shared;

/// Owners that live in an [`Rc`] (`#[descriptors(rc)]`): each thread has tables of its own,
/// and neither owners nor values need to be `Send` or `Sync`.
#[derive(Debug, Clone, Copy)]
pub struct Local;

/// A kind of owner: which pointer it lives in and how its tables are shared. Implemented by
/// [`Shared`] and [`Local`] only.
pub trait Flavor: sealed::Sealed + Sized + 'static {
    /// `Arc<O>` or `Rc<O>`.
    type Ptr<O>: OwnerPtr<O>;
    /// The shards of a table and what guards them.
    #[doc(hidden)]
    type Shards<S: ConstInit>: Shards<S>;
    /// A closure subscribed to a field: thread-safe for [`Shared`] owners.
    #[doc(hidden)]
    type Callback<O, T>: Clone;
    /// What a [`Subscription`](crate::Subscription) keeps of its field's subscriber list: thread-safe for
    /// [`Shared`] owners.
    #[doc(hidden)]
    type Unsubscriber: ?Sized + Unsubscribe;

    /// Calls a subscribed closure.
    #[doc(hidden)]
    fn call<O, T>(
        callback: &Self::Callback<O, T>,
        owner: &Self::Ptr<O>,
        change: &Change<'_, O, T, Self>,
    );

    /// The handle of a subscriber list that its subscriptions keep.
    #[doc(hidden)]
    fn unsubscriber<O: 'static, T: 'static>(
        list: &Arc<Subscribers<O, T, Self>>,
    ) -> sync::Weak<Self::Unsubscriber>;

    /// Where a field's state lives: in its descriptor, or in the calling thread.
    #[doc(hidden)]
    type Home<O, T>;

    /// Runs `f` on the field's state (the calling thread's, for [`Local`]); `None` if the
    /// thread's tables are gone.
    #[doc(hidden)]
    fn with_state<O, T, R>(
        home: &Self::Home<O, T>,
        f: impl FnOnce(&FieldState<O, T, Self>) -> R,
    ) -> Option<R>;
}

impl Flavor for Shared {
    type Ptr<O> = Arc<O>;
    type Shards<S: ConstInit> = ShardedLock<S, SHARED_SHARDS>;
    type Callback<O, T> = SharedCallback<O, T>;
    type Unsubscriber = dyn Unsubscribe + Send + Sync;
    type Home<O, T> = FieldState<O, T, Self>;

    #[inline]
    fn with_state<O, T, R>(
        home: &FieldState<O, T, Self>,
        f: impl FnOnce(&FieldState<O, T, Self>) -> R,
    ) -> Option<R> {
        Some(f(home))
    }

    fn call<O, T>(
        callback: &Self::Callback<O, T>,
        owner: &Arc<O>,
        change: &Change<'_, O, T, Self>,
    ) {
        callback(owner, change);
    }

    fn unsubscriber<O: 'static, T: 'static>(
        list: &Arc<Subscribers<O, T, Self>>,
    ) -> sync::Weak<Self::Unsubscriber> {
        let list: Arc<Self::Unsubscriber> = list.clone();
        Arc::downgrade(&list)
    }
}

impl Flavor for Local {
    type Ptr<O> = Rc<O>;
    type Shards<S: ConstInit> = LocalLock<S>;
    type Callback<O, T> = LocalCallback<O, T>;
    type Unsubscriber = dyn Unsubscribe;
    type Home<O, T> = LocalHome<O, T>;

    #[inline]
    fn with_state<O, T, R>(
        home: &LocalHome<O, T>,
        f: impl FnOnce(&FieldState<O, T, Self>) -> R,
    ) -> Option<R> {
        home.with(f)
    }

    fn call<O, T>(callback: &Self::Callback<O, T>, owner: &Rc<O>, change: &Change<'_, O, T, Self>) {
        callback(owner, change);
    }

    fn unsubscriber<O: 'static, T: 'static>(
        list: &Arc<Subscribers<O, T, Self>>,
    ) -> sync::Weak<Self::Unsubscriber> {
        let list: Arc<Self::Unsubscriber> = list.clone();
        Arc::downgrade(&list)
    }
}

mod sealed {
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
}

/// The shards of a table: each readable by many (on one thread, or on all) or writable by one.
#[doc(hidden)]
pub trait Shards<S> {
    /// How many shards there are.
    const COUNT: usize;
    /// All shards, empty.
    const NEW: Self;
    /// Shared access to one shard.
    type Read<'a>: Deref<Target = S>
    where
        Self: 'a,
        S: 'a;
    /// Exclusive access to one shard.
    type Write<'a>: core::ops::DerefMut<Target = S>
    where
        Self: 'a,
        S: 'a;

    /// Shared access to shard `index`.
    fn read(&self, index: usize) -> Self::Read<'_>;
    /// Exclusive access to shard `index`.
    fn write(&self, index: usize) -> Self::Write<'_>;
}

/// Shards of a [`Shared`] table.
const SHARED_SHARDS: usize = 16;

impl<S: ConstInit> Shards<S> for ShardedLock<S, SHARED_SHARDS> {
    const COUNT: usize = SHARED_SHARDS;
    const NEW: Self = Self::new();
    type Read<'a>
        = ReadGuard<'a, S, CurrentThread>
    where
        S: 'a;
    type Write<'a>
        = WriteGuard<'a, S>
    where
        S: 'a;

    #[inline]
    fn read(&self, index: usize) -> Self::Read<'_> {
        ShardedLock::read(self, index, &CurrentThread)
    }

    #[inline]
    fn write(&self, index: usize) -> Self::Write<'_> {
        ShardedLock::write(self, index, &CurrentThread)
    }
}
