//! Run-time observation: the closures subscribed to a field ([`Subscribers`]), the
//! [`Subscription`] guard that unsubscribes one, and what a subscriber is for each flavor
//! ([`ObserverFlavor`]).

use core::fmt;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

use parking_lot::RwLock;

use crate::table::flavor::{Flavor, Local, Shared};
use crate::table::keys::Key;

/// What subscribers are for each [`Flavor`]: thread-safe closures for [`Shared`] owners, closures
/// of one thread for [`Local`] ones. Implemented by [`Shared`] and [`Local`] only.
pub trait ObserverFlavor: Flavor {
    /// A closure subscribed to a field, its owner type erased: called with the owner's address
    /// (the data of its live pointer), the old value and the new.
    #[doc(hidden)]
    type Callback<T>: Clone;
    /// What a [`Subscription`] keeps of its field's subscriber list.
    #[doc(hidden)]
    type Unsubscriber: ?Sized + Unsubscribe;

    /// Calls a subscribed closure.
    #[doc(hidden)]
    fn call<T>(callback: &Self::Callback<T>, owner: Key, old: Option<&T>, new: Option<&T>);

    /// The handle of a subscriber list that its subscriptions keep.
    #[doc(hidden)]
    fn unsubscriber<T: 'static>(list: &Arc<Subscribers<T, Self>>) -> Weak<Self::Unsubscriber>;
}

impl ObserverFlavor for Shared {
    type Callback<T> = SharedCallback<T>;
    type Unsubscriber = dyn Unsubscribe + Send + Sync;

    fn call<T>(callback: &SharedCallback<T>, owner: Key, old: Option<&T>, new: Option<&T>) {
        callback(owner, old, new);
    }

    fn unsubscriber<T: 'static>(list: &Arc<Subscribers<T, Self>>) -> Weak<Self::Unsubscriber> {
        let list: Arc<Self::Unsubscriber> = list.clone();
        Arc::downgrade(&list)
    }
}

impl ObserverFlavor for Local {
    type Callback<T> = LocalCallback<T>;
    type Unsubscriber = dyn Unsubscribe;

    fn call<T>(callback: &LocalCallback<T>, owner: Key, old: Option<&T>, new: Option<&T>) {
        callback(owner, old, new);
    }

    fn unsubscriber<T: 'static>(list: &Arc<Subscribers<T, Self>>) -> Weak<Self::Unsubscriber> {
        let list: Arc<Self::Unsubscriber> = list.clone();
        Arc::downgrade(&list)
    }
}

/// A closure subscribed to a field of a [`Shared`] owner (see [`ObserverFlavor::Callback`]).
pub(crate) type SharedCallback<T> = Arc<dyn Fn(Key, Option<&T>, Option<&T>) + Send + Sync>;
/// A closure subscribed to a field of a [`Local`] owner (see [`ObserverFlavor::Callback`]).
pub(crate) type LocalCallback<T> = Rc<dyn Fn(Key, Option<&T>, Option<&T>)>;

/// One subscription: its id and its closure.
type Subscriber<T, F> = (u64, <F as ObserverFlavor>::Callback<T>);

/// The closures subscribed to one field. Not a public API.
#[doc(hidden)]
pub struct Subscribers<T, F: ObserverFlavor> {
    /// Each subscription's id and closure, in subscription order.
    list: RwLock<Vec<Subscriber<T, F>>>,
    count: AtomicUsize,
    next_id: AtomicU64,
    /// Subscribers need the stored value after it moved into the table: a clone of it.
    pub(crate) clone: fn(&T) -> T,
}

impl<T, F: ObserverFlavor> Subscribers<T, F> {
    pub(crate) fn new(clone: fn(&T) -> T) -> Self {
        Self {
            list: RwLock::new(Vec::new()),
            count: AtomicUsize::new(0),
            next_id: AtomicU64::new(0),
            clone,
        }
    }

    pub(crate) fn is_active(&self) -> bool {
        self.count.load(Ordering::Acquire) > 0
    }

    pub(crate) fn add(self: &Arc<Self>, callback: F::Callback<T>) -> Subscription<F>
    where
        T: 'static,
    {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut list = self.list.write();
        list.push((id, callback));
        self.count.store(list.len(), Ordering::Release);
        drop(list);
        Subscription {
            list: Some(F::unsubscriber(self)),
            id,
        }
    }

    /// The callbacks, copied out so that they run without the list's lock (and may subscribe or
    /// unsubscribe themselves).
    pub(crate) fn snapshot(&self) -> Vec<F::Callback<T>> {
        self.list
            .read()
            .iter()
            .map(|(_, callback)| callback.clone())
            .collect()
    }
}

/// A subscriber list as its subscriptions see it. Not a public API.
#[doc(hidden)]
pub trait Unsubscribe {
    /// Removes the subscription `id`.
    fn unsubscribe(&self, id: u64);
}

impl<T, F: ObserverFlavor> Unsubscribe for Subscribers<T, F> {
    fn unsubscribe(&self, id: u64) {
        let removed = {
            let mut list = self.list.write();
            let removed = list
                .iter()
                .position(|(each, _)| *each == id)
                .map(|index| list.remove(index));
            self.count.store(list.len(), Ordering::Release);
            removed
        };
        drop(removed); // the closure's captures drop outside the lock
    }
}

/// Keeps a closure subscribed to a field; dropping it unsubscribes.
///
/// Returned by [`Descriptor::subscribe`](crate::Descriptor::subscribe), like glib's
/// `connect_notify` handler id or traitlets' `observe`, but tied to a scope.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use weakprop_core::{Descriptor, Rules};
///
/// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
/// static CALLS: AtomicUsize = AtomicUsize::new(0);
/// let owner = Arc::new(());
///
/// let subscription = AGE.subscribe(|_, _| { CALLS.fetch_add(1, Ordering::Relaxed); });
/// AGE.set(&owner, 1)?;
/// drop(subscription);
/// AGE.set(&owner, 2)?;
/// assert_eq!(CALLS.load(Ordering::Relaxed), 1);
/// # Ok::<(), weakprop_core::ValidationError>(())
/// ```
///
/// A subscription to a field of an `Rc` owner is a `Subscription<Local>`, which stays on its
/// thread, as the subscribed closure does.
#[must_use = "dropping a `Subscription` unsubscribes at once; call `detach` to keep it for good"]
pub struct Subscription<F: ObserverFlavor = Shared> {
    /// `None` for a subscription made as its thread's tables were gone: nothing to undo.
    list: Option<Weak<F::Unsubscriber>>,
    id: u64,
}

impl<F: ObserverFlavor> Subscription<F> {
    /// A subscription to nothing: what subscribing gives once the thread's tables are gone.
    pub(crate) fn gone() -> Self {
        Self { list: None, id: 0 }
    }

    /// Keeps the closure subscribed for as long as the field exists.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// AGE.subscribe(|_, change| println!("{change:?}")).detach();
    /// ```
    pub fn detach(self) {
        core::mem::forget(self);
    }
}

impl<F: ObserverFlavor> Drop for Subscription<F> {
    fn drop(&mut self) {
        if let Some(list) = self.list.as_ref().and_then(Weak::upgrade) {
            list.unsubscribe(self.id);
        }
    }
}

impl<F: ObserverFlavor> fmt::Debug for Subscription<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}
