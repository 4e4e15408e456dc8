//! What observers are given: [`Change`] for subscribers, and the `on_change` hook's signature
//! ([`OnChange`], [`LocalOnChange`]).

use core::fmt;
use std::rc::Rc;
use std::sync::Arc;

use crate::table::flavor::{Flavor, Shared};

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
