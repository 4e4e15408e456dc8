//! Run-time observation: [`Change`], subscriber lists and the [`Subscription`] guard, for both
//! [flavors](crate::Flavor) of owner.
//!
//! A field's observers are its static `on_change` hook and the closures subscribed at run time.
//! Both are called after the write, outside every lock, in that order (subscribers in
//! subscription order), unless the owner's notifications are held (see [`crate::hold`]).

use core::fmt;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

use parking_lot::RwLock;

use crate::flavor::{Flavor, Local, Shared};

/// An observer of one field: called after each successful write or take with the old and new
/// values.
///
/// # Examples
///
/// ```
/// # use std::sync::Arc;
/// use weakprop_core::OnChange;
///
/// struct Sensor;
/// fn log(_: &Arc<Sensor>, old: Option<&f64>, new: Option<&f64>) {
///     println!("reading: {old:?} -> {new:?}");
/// }
/// const LOG: OnChange<Sensor, f64> = log;
/// ```
pub type OnChange<O, T> = fn(&Arc<O>, Option<&T>, Option<&T>);

/// [`OnChange`] for an owner in an `Rc` (`#[descriptors(rc)]`).
///
/// # Examples
///
/// ```
/// # use std::rc::Rc;
/// use weakprop_core::LocalOnChange;
///
/// struct Widget;
/// fn relayout(_: &Rc<Widget>, old: Option<&u32>, new: Option<&u32>) {
///     println!("width: {old:?} -> {new:?}");
/// }
/// const RELAYOUT: LocalOnChange<Widget, u32> = relayout;
/// ```
pub type LocalOnChange<O, T> = fn(&Rc<O>, Option<&T>, Option<&T>);

/// An observer hook of either flavor: `fn(&Arc<O>, ..)` or `fn(&Rc<O>, ..)`.
pub(crate) type Hook<O, T, F> = fn(&<F as Flavor>::Ptr<O>, Option<&T>, Option<&T>);

/// A field's static `on_change` hook, with the `Clone` of its value type.
pub(crate) struct Observer<O, T, F: Flavor> {
    pub(crate) notify: Hook<O, T, F>,
    pub(crate) clone: fn(&T) -> T,
}

impl<O, T, F: Flavor> Clone for Observer<O, T, F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O, T, F: Flavor> Copy for Observer<O, T, F> {}

/// One change of one field of one owner, as subscribers see it.
///
/// `old` is `None` when the field was unset; `new` is `None` when the value was taken.
///
/// # Examples
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use weakprop_core::{Descriptor, Rules};
///
/// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let log = seen.clone();
/// let _subscription = AGE.subscribe(move |_owner, change| {
///     log.lock().unwrap().push(format!("{}: {:?} -> {:?}", change.field(), change.old_value(), change.new_value()));
/// });
/// let owner = Arc::new(());
/// AGE.set(&owner, 1)?;
/// AGE.take(&owner);
/// assert_eq!(*seen.lock().unwrap(), ["age: None -> Some(1)", "age: Some(1) -> None"]);
/// # Ok::<(), weakprop_core::ValidationError>(())
/// ```
pub struct Change<'a, O, T, F: Flavor = Shared> {
    owner: &'a F::Ptr<O>,
    field: &'static str,
    old: Option<&'a T>,
    new: Option<&'a T>,
}

impl<'a, O, T, F: Flavor> Change<'a, O, T, F> {
    /// The owner whose field changed.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// let owner = Arc::new(());
    /// let expected = owner.clone();
    /// let _subscription = AGE.subscribe(move |_, change| {
    ///     assert!(Arc::ptr_eq(change.owner(), &expected));
    ///     assert_eq!(change.field(), "age");
    ///     assert_eq!((change.old_value(), change.new_value()), (None, Some(&7)));
    /// });
    /// AGE.set(&owner, 7)?;
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    #[must_use]
    pub fn owner(&self) -> &'a F::Ptr<O> {
        self.owner
    }

    /// The field's name. See [`owner`](Self::owner) for an example.
    #[must_use]
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// The value before the change, if the field was set. See [`owner`](Self::owner) for an
    /// example.
    #[must_use]
    pub fn old_value(&self) -> Option<&'a T> {
        self.old
    }

    /// The value after the change, or `None` if it was taken. See [`owner`](Self::owner) for
    /// an example.
    #[must_use]
    pub fn new_value(&self) -> Option<&'a T> {
        self.new
    }
}

impl<O, T: fmt::Debug, F: Flavor> fmt::Debug for Change<'_, O, T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Change")
            .field("field", &self.field)
            .field("old", &self.old)
            .field("new", &self.new)
            .finish()
    }
}

/// A closure subscribed to a field of a [`Shared`] owner.
pub(crate) type SharedCallback<O, T> = Arc<dyn Fn(&Arc<O>, &Change<'_, O, T>) + Send + Sync>;
/// A closure subscribed to a field of a [`Local`] owner.
pub(crate) type LocalCallback<O, T> = Rc<dyn Fn(&Rc<O>, &Change<'_, O, T, Local>)>;

/// One subscription: its id and its closure.
type Subscriber<O, T, F> = (u64, <F as Flavor>::Callback<O, T>);

/// The closures subscribed to one field. Not a public API.
#[doc(hidden)]
pub struct Subscribers<O, T, F: Flavor> {
    /// Each subscription's id and closure, in subscription order.
    list: RwLock<Vec<Subscriber<O, T, F>>>,
    count: AtomicUsize,
    next_id: AtomicU64,
    /// Subscribers need the stored value after it moved into the table: a clone of it.
    clone: fn(&T) -> T,
}

impl<O, T, F: Flavor> Subscribers<O, T, F> {
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

    pub(crate) fn add(self: &Arc<Self>, callback: F::Callback<O, T>) -> Subscription<F>
    where
        O: 'static,
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
    fn snapshot(&self) -> Vec<F::Callback<O, T>> {
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

impl<O, T, F: Flavor> Unsubscribe for Subscribers<O, T, F> {
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
pub struct Subscription<F: Flavor = Shared> {
    /// `None` for a subscription made as its thread's tables were gone: nothing to undo.
    list: Option<Weak<F::Unsubscriber>>,
    id: u64,
}

impl<F: Flavor> Subscription<F> {
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

impl<F: Flavor> Drop for Subscription<F> {
    fn drop(&mut self) {
        if let Some(list) = self.list.as_ref().and_then(Weak::upgrade) {
            list.unsubscribe(self.id);
        }
    }
}

impl<F: Flavor> fmt::Debug for Subscription<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Everything needed to tell one field's observers about a change, detached from the
/// descriptor so that a held change can be delivered later.
pub(crate) struct Notifier<O, T, F: Flavor> {
    pub(crate) field: &'static str,
    pub(crate) on_change: Option<Hook<O, T, F>>,
    pub(crate) subscribers: Option<Arc<Subscribers<O, T, F>>>,
    pub(crate) clone: fn(&T) -> T,
}

impl<O, T, F: Flavor> Notifier<O, T, F> {
    /// A notifier for a field with an `on_change` hook and/or subscribers; `None` if nobody
    /// listens (the fast path: nothing is cloned).
    pub(crate) fn new(
        field: &'static str,
        on_change: Option<Observer<O, T, F>>,
        subscribers: Option<&Arc<Subscribers<O, T, F>>>,
    ) -> Option<Self> {
        let subscribers = subscribers.filter(|list| list.is_active());
        let clone = on_change
            .map(|observer| observer.clone)
            .or(subscribers.map(|list| list.clone))?;
        Some(Self {
            field,
            on_change: on_change.map(|observer| observer.notify),
            subscribers: subscribers.cloned(),
            clone,
        })
    }

    pub(crate) fn clone_value(&self, value: &T) -> T {
        (self.clone)(value)
    }

    /// Calls `on_change`, then each subscriber in subscription order.
    pub(crate) fn deliver(&self, owner: &F::Ptr<O>, old: Option<&T>, new: Option<&T>) {
        if let Some(notify) = self.on_change {
            notify(owner, old, new);
        }
        if let Some(subscribers) = &self.subscribers {
            let change = Change {
                owner,
                field: self.field,
                old,
                new,
            };
            for callback in subscribers.snapshot() {
                F::call(&callback, owner, &change);
            }
        }
    }
}
