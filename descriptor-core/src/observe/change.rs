//! What observers are given: [`Change`] for subscribers, and the `on_change` hook's signature
//! ([`OnChange`], [`LocalOnChange`]).

use core::fmt;
use core::mem::ManuallyDrop;
use std::rc::Rc;
use std::sync::Arc;

use crate::table::flavor::{Flavor, OwnerPtr, Shared};
use crate::table::keys::Key;

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

/// A field's static `on_change` hook, its owner type erased, with the `Clone` of its value type:
/// what delivers a change is compiled once per value type, not once per owner type too.
pub(crate) struct Observer<T> {
    /// Calls `hook` with the owner at a key: [`call_hook`] for the hook's owner type.
    call: unsafe fn(*const (), Key, Option<&T>, Option<&T>),
    /// The hook, a function pointer cast to a raw pointer.
    hook: *const (),
    pub(crate) clone: fn(&T) -> T,
}

// SAFETY: `hook` is a function pointer (cast to a raw pointer, to erase its type), which may be
// called from any thread; the rest is function pointers.
unsafe impl<T> Send for Observer<T> {}
// SAFETY: as for `Send`.
unsafe impl<T> Sync for Observer<T> {}

impl<T> Clone for Observer<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Observer<T> {}

impl<T> Observer<T> {
    /// The observer calling `hook`.
    pub(crate) const fn new<O, F: Flavor>(hook: Hook<O, T, F>) -> Self
    where
        T: Clone,
    {
        Self {
            call: call_hook::<O, T, F>,
            hook: hook as *const (),
            clone: T::clone,
        }
    }

    /// Calls the hook with the owner at `owner`.
    ///
    /// # Safety
    ///
    /// `owner` must be the address of the data of a live pointer (`Arc` or `Rc`, as the hook's
    /// flavor) to an owner of the hook's owner type.
    pub(crate) unsafe fn notify(&self, owner: Key, old: Option<&T>, new: Option<&T>) {
        // SAFETY: `hook` was made by `new` for the types `call` is for; the caller's contract.
        unsafe { (self.call)(self.hook, owner, old, new) };
    }
}

/// Calls the hook at `hook` with the owner at `owner`.
///
/// # Safety
///
/// `hook` must be a `Hook<O, T, F>` cast to a raw pointer, and `owner` the address of the data
/// of a live `F::Ptr<O>`.
unsafe fn call_hook<O, T, F: Flavor>(
    hook: *const (),
    owner: Key,
    old: Option<&T>,
    new: Option<&T>,
) {
    // SAFETY: the caller's contract: a function pointer of this type, cast to a raw pointer of
    // the same size (as on every platform Rust supports).
    let hook = unsafe { core::mem::transmute::<*const (), Hook<O, T, F>>(hook) };
    // SAFETY: the caller's contract: a live pointer's data, borrowed (`ManuallyDrop` leaves its
    // count as it is).
    let owner = ManuallyDrop::new(unsafe { <F::Ptr<O> as OwnerPtr<O>>::from_raw(owner.cast()) });
    hook(&owner, old, new);
}

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
    /// The change of `field` of `owner` from `old` to `new`.
    pub(crate) fn new(
        owner: &'a F::Ptr<O>,
        field: &'static str,
        old: Option<&'a T>,
        new: Option<&'a T>,
    ) -> Self {
        Self {
            owner,
            field,
            old,
            new,
        }
    }

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
