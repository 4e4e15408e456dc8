//! [`Descriptor<O, T, F>`]: one field's rules and its weak-keyed table of per-owner values, for
//! owners of either [flavor](crate::Flavor).

use core::fmt;
use core::mem::ManuallyDrop;
use core::ptr;
use std::rc::Rc;
use std::sync::Arc;

use super::core::{Attempt, FieldCore, Place};
use super::derived::{Extension, Keyed, Owner};
use super::diagnostics::{FieldValue, SharedForeign};
use super::error::ValidationError;
use super::lazy::Computing;
use super::rules::Rules;
use super::state::{FieldFlavor, FieldState, LocalHome, RawState};
use crate::observe::change::Change;
use crate::observe::hold;
use crate::observe::subscribers::{LocalCallback, SharedCallback, Subscription};
use crate::sync::reads::{self, Lent};
use crate::table::flavor::{Local, Shared};
use crate::table::keying::{HashableOwner, Keying};
use crate::table::keys::{Key, OpsOf};
use crate::table::raw::{Expected, Held};
use crate::table::typed::live_keys;

/// One descriptor field: its rules and the weak-keyed table of every owner's value.
///
/// `#[derive(Descriptors)]` places one in a `static` per field and reaches it through
/// `Owner::x_descriptor()`. The table holds only a weak reference to each owner, and an owner's
/// entry is removed when its last strong reference drops (the derive's `Drop` calls
/// [`release`](Self::release)).
///
/// `F` is the owners' [flavor](crate::Flavor): [`Shared`] (the default) for owners in an
/// [`Arc`], whose table is shared by every thread, or [`Local`] for owners in an [`Rc`]
/// (`#[descriptors(rc)]`), where each thread has a table of its own and the descriptor is a
/// handle to the calling thread's. Methods that take the owner's pointer take `&F::Ptr<O>`:
/// `&Arc<O>`, or `&Rc<O>`.
///
/// Two key modes: [`by_value`](Self::by_value), where equal owners share one entry (like
/// Python's `WeakKeyDictionary`), and [`by_identity`](Self::by_identity), where each `Arc`
/// allocation has its own.
///
/// # Examples
///
/// A descriptor by hand, without the derive:
///
/// ```
/// use std::sync::Arc;
/// use weakprop_core::validate::range;
/// use weakprop_core::{Descriptor, ErrorKind, Rules};
///
/// #[derive(Hash, PartialEq, Eq)]
/// struct Person { name: String }
///
/// fn check_age(age: &u32) -> Result<(), ErrorKind> { range(age, Some(&0), Some(&150)) }
/// static AGE: Descriptor<Person, u32> =
///     Descriptor::by_value("Person", "age", Rules::new().check(check_age));
///
/// let guido = Arc::new(Person { name: "Guido".into() });
/// AGE.set(&guido, 68)?;
/// assert_eq!(AGE.get(&guido), Some(68));
/// assert_eq!(AGE.set(&guido, 200).unwrap_err().to_string(), "Person.age: 200 is above the maximum 150");
/// assert_eq!(AGE.len(), 1);
/// drop(guido); // no `Drop` releases it here, but a dead owner is never observed
/// assert_eq!(AGE.len(), 0);
/// assert_eq!(AGE.purge(), 1);
/// # Ok::<(), weakprop_core::ValidationError>(())
/// ```
pub struct Descriptor<O, T, F: FieldFlavor = Shared> {
    /// Everything but the owner type, and the write pipeline (compiled once per value type).
    core: FieldCore<T, F>,
    /// How owners are hashed (their hash is computed here, where their type is known).
    keying: Keying<O>,
    /// The field's table and subscribers, or (for [`Local`]) where the calling thread's are.
    home: F::Home<O, T>,
}

/// An owner's hash, computed once by a derived `Drop` for all of its type's tables. Not a
/// public API.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct OwnerHash {
    hash: u64,
    by_value: bool,
    /// Whether the hash serves the other tables of the same keying (not for a keyed keying,
    /// whose tables have keys of their own).
    shared: bool,
}

/// A value that passed a field's coercion and checks, ready for
/// [`Descriptor::set_validated`]: how a multi-field load checks every field before it writes
/// any.
///
/// # Examples
///
/// ```
/// # use std::sync::Arc;
/// # use weakprop_core::{Descriptor, Rules};
/// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
/// let owner = Arc::new(());
/// let checked = AGE.validate(&owner, 68)?;
/// assert_eq!(*checked.value(), 68);
/// AGE.set_validated(&owner, checked)?;
/// # Ok::<(), weakprop_core::ValidationError>(())
/// ```
pub struct Validated<'d, O, T, F: FieldFlavor = Shared> {
    descriptor: &'d Descriptor<O, T, F>,
    value: T,
}

impl<O, T, F: FieldFlavor> Validated<'_, O, T, F> {
    /// The value as it will be stored (after coercion).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// fn trimmed(name: String) -> String { name.trim().to_owned() }
    /// static NAME: Descriptor<(), String> = Descriptor::by_identity("User", "name", Rules::new().coerce(trimmed));
    /// let checked = NAME.validate(&(), " Ada ".into())?;
    /// assert_eq!(checked.value(), "Ada");
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    #[must_use]
    pub fn value(&self) -> &T {
        &self.value
    }

    /// Gives the value back without storing it.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// assert_eq!(AGE.validate(&(), 68)?.into_value(), 68);
    /// assert!(AGE.is_empty());
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    #[must_use]
    pub fn into_value(self) -> T {
        self.value
    }
}

impl<O, T: fmt::Debug, F: FieldFlavor> fmt::Debug for Validated<'_, O, T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Validated").field(&self.value).finish()
    }
}

impl<O, T> Descriptor<O, T, Shared> {
    /// A descriptor keyed by the owner's `Hash + Eq`: equal owners share one entry, which keeps
    /// the owner that created it.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// #[derive(Hash, PartialEq, Eq)]
    /// struct Person { name: &'static str }
    /// static NICK: Descriptor<Person, String> = Descriptor::by_value("Person", "nick", Rules::new());
    ///
    /// let (a, b) = (Arc::new(Person { name: "Guido" }), Arc::new(Person { name: "Guido" }));
    /// NICK.set(&a, "BDFL".into())?;
    /// assert_eq!(NICK.get(&b).as_deref(), Some("BDFL"));
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    #[must_use]
    pub const fn by_value(owner: &'static str, field: &'static str, rules: Rules<O, T>) -> Self
    where
        O: HashableOwner + Send + Sync + 'static,
        T: Send + Sync + 'static,
    {
        Self::shared(owner, field, Keying::by_value(), rules)
    }

    /// A descriptor keyed by the owner's `Arc` allocation (Python's `id(instance)`): no bounds
    /// on the owner but thread safety, and equal owners stay independent.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// struct Node; // neither Hash nor Eq
    /// static LABEL: Descriptor<Node, String> = Descriptor::by_identity("Node", "label", Rules::new());
    ///
    /// let (a, b) = (Arc::new(Node), Arc::new(Node));
    /// LABEL.set(&a, "root".into())?;
    /// assert_eq!(LABEL.get(&b), None);
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    #[must_use]
    pub const fn by_identity(owner: &'static str, field: &'static str, rules: Rules<O, T>) -> Self
    where
        O: Send + Sync + 'static,
        T: Send + Sync + 'static,
    {
        Self::shared(owner, field, Keying::by_identity(), rules)
    }

    /// The descriptor of a field of a derived owner, keyed as the owner type says. Not a
    /// public API: what `#[derive(Descriptors)]` builds.
    #[doc(hidden)]
    #[must_use]
    pub const fn derived(owner: &'static str, field: &'static str, rules: Rules<O, T>) -> Self
    where
        O: Owner,
        T: FieldValue,
    {
        Self::shared(owner, field, O::KEYING, rules)
    }

    /// The descriptor of a field that the list `E` attaches to `O` (`#[descriptors(extend =
    /// O)]`), keyed as `E` says. Not a public API: what `#[derive(Descriptors)]` builds.
    #[doc(hidden)]
    #[must_use]
    pub const fn extension<E>(owner: &'static str, field: &'static str, rules: Rules<O, T>) -> Self
    where
        E: Extension<O>,
        O: SharedForeign,
        T: FieldValue,
    {
        Self::shared(owner, field, E::KEYING, rules)
    }

    const fn shared(
        owner: &'static str,
        field: &'static str,
        keying: Keying<O>,
        rules: Rules<O, T>,
    ) -> Self
    where
        O: Send + Sync + 'static,
        T: Send + Sync + 'static,
    {
        let Rules { set, on_change, .. } = rules;
        Self {
            core: FieldCore {
                owner,
                field,
                rules: set,
                on_change,
                defer: hold::defer_shared::<T>,
                ops: OpsOf::<O, Shared>::OPS,
            },
            keying,
            home: FieldState::new(keying),
        }
    }

    /// Subscribes `callback` to every change of this field, for every owner, until the
    /// returned [`Subscription`] drops.
    ///
    /// Callbacks run after the write, outside every lock, after the field's `on_change` hook
    /// and in subscription order; they may read and write descriptors, subscribe and
    /// unsubscribe.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use weakprop_core::{Descriptor, Rules};
    ///
    /// static SCORE: Descriptor<(), u32> = Descriptor::by_identity("Player", "score", Rules::new());
    /// let total = Arc::new(Mutex::new(0_i64));
    /// let sum = total.clone();
    /// let _subscription = SCORE.subscribe(move |_, change| {
    ///     let delta = i64::from(change.new_value().copied().unwrap_or(0)) - i64::from(change.old_value().copied().unwrap_or(0));
    ///     *sum.lock().unwrap() += delta;
    /// });
    /// let (a, b) = (Arc::new(()), Arc::new(()));
    /// SCORE.set(&a, 10)?;
    /// SCORE.set(&b, 5)?;
    /// SCORE.set(&a, 7)?;
    /// assert_eq!(*total.lock().unwrap(), 12);
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    pub fn subscribe<C>(&self, callback: C) -> Subscription
    where
        C: Fn(&Arc<O>, &Change<'_, O, T>) + Send + Sync + 'static,
        O: 'static,
        T: Clone + 'static,
    {
        let field = self.core.field;
        let erased = shared_callback(move |owner: Key, old: Option<&T>, new: Option<&T>| {
            // SAFETY: subscribers are called with the data of a live `Arc` of this field's
            // owner type, borrowed here (`ManuallyDrop`).
            let owner = ManuallyDrop::new(unsafe { Arc::from_raw(owner.cast::<O>()) });
            callback(&owner, &Change::new(&*owner, field, old, new));
        });
        self.core.subscribe(self.state(), erased, T::clone)
    }
}

impl<O: 'static, T: 'static> Descriptor<O, T, Local> {
    /// The descriptor of a field of a derived owner in an `Rc`, keyed by `keying` (its state's
    /// keying too), whose per-thread state `home` reaches. Not a public API: what
    /// `#[derive(Descriptors)]` builds with `rc`.
    #[doc(hidden)]
    #[must_use]
    pub const fn local(
        owner: &'static str,
        field: &'static str,
        rules: Rules<O, T, Local>,
        keying: Keying<O>,
        home: LocalHome<O, T>,
    ) -> Self {
        let Rules { set, on_change, .. } = rules;
        Self {
            core: FieldCore {
                owner,
                field,
                rules: set,
                on_change,
                defer: hold::defer_local::<T>,
                ops: OpsOf::<O, Local>::OPS,
            },
            keying,
            home,
        }
    }

    /// Subscribes `callback` to every change of this field, for every owner on the calling
    /// thread, until the returned [`Subscription`] drops. As [`Descriptor::subscribe`] for
    /// owners in an `Arc`, but the callback needs not be `Send` or `Sync`: it runs on this
    /// thread, for this thread's owners.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::cell::RefCell;
    /// use std::rc::Rc;
    /// use weakprop_core::{Descriptor, Local, Rules};
    /// use weakprop_core::__private::{FieldState, Keying, LocalHome};
    ///
    /// // What `#[derive(Descriptors)]` writes for a field of an `rc` owner: the field's state in
    /// // a `thread_local!`, and a `static` descriptor that reaches the calling thread's.
    /// struct Widget;
    /// fn state() -> *const FieldState<Widget, u32, Local> {
    ///     thread_local! {
    ///         static STATE: FieldState<Widget, u32, Local> =
    ///             const { FieldState::new(Keying::by_identity()) };
    ///     }
    ///     STATE.try_with(|state| std::ptr::from_ref(state)).unwrap_or(std::ptr::null())
    /// }
    /// static WIDTH: Descriptor<Widget, u32, Local> =
    ///     Descriptor::local("Widget", "width", Rules::new(), Keying::by_identity(), LocalHome::new(state));
    ///
    /// let seen = Rc::new(RefCell::new(Vec::new()));
    /// let log = seen.clone();
    /// let _subscription = WIDTH.subscribe(move |_, change| {
    ///     log.borrow_mut().push(change.new_value().copied());
    /// });
    /// let widget = Rc::new(Widget);
    /// WIDTH.set(&widget, 640)?;
    /// assert_eq!(*seen.borrow(), [Some(640)]);
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    pub fn subscribe<C>(&self, callback: C) -> Subscription<Local>
    where
        C: Fn(&Rc<O>, &Change<'_, O, T, Local>) + 'static,
        T: Clone,
    {
        let field = self.core.field;
        let erased = local_callback(move |owner: Key, old: Option<&T>, new: Option<&T>| {
            // SAFETY: subscribers are called with the data of a live `Rc` of this field's
            // owner type, borrowed here (`ManuallyDrop`).
            let owner = ManuallyDrop::new(unsafe { Rc::from_raw(owner.cast::<O>()) });
            callback(&owner, &Change::new(&*owner, field, old, new));
        });
        self.core.subscribe(self.state(), erased, T::clone)
    }
}

impl<O, T, F: FieldFlavor> Descriptor<O, T, F> {
    /// This field's state: the one table of a [`Shared`] field, the calling thread's of a
    /// [`Local`] one (`None` once the thread's tables are gone, as it exits).
    #[inline]
    fn state(&self) -> Option<&RawState<T, F>> {
        // `match`, not `map`: a closure here would be compiled once per owner and value type.
        match F::state(&self.home) {
            Some(state) => Some(&state.raw),
            None => None,
        }
    }

    /// Where a write of `owner` goes: the state and the owner's hash in its table, by `keying`
    /// (this descriptor's, or the derived owner type's constant, which inlines).
    #[inline]
    fn place(&self, owner: &O, keying: &Keying<O>) -> Place<'_, T, F> {
        match self.state() {
            Some(state) => Some((state, keying.hash(owner, state.table.hash_keys()))),
            None => None,
        }
    }

    /// The field's name, as in Python's `__set_name__`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// assert_eq!(AGE.name(), "age");
    /// ```
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.core.field
    }

    /// The owner type's name.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// assert_eq!(AGE.owner_name(), "Person");
    /// ```
    #[must_use]
    pub fn owner_name(&self) -> &'static str {
        self.core.owner
    }

    /// Whether owners are keyed by `Hash + Eq` (`true`) or by identity (`false`).
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// assert!(!AGE.is_keyed_by_value());
    /// ```
    #[must_use]
    pub fn is_keyed_by_value(&self) -> bool {
        self.keying.is_by_value()
    }

    /// The owner's value, if one is set (Python's `__get__`).
    ///
    /// The value's `Clone` runs under the table's read lock: it may read any table, but a write
    /// to this one from there panics (it would wait for its own read).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// let owner = Arc::new(());
    /// assert_eq!(AGE.get(&owner), None);
    /// AGE.set(&owner, 7)?;
    /// assert_eq!(AGE.get(&owner), Some(7));
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    #[must_use]
    pub fn get(&self, owner: &O) -> Option<T>
    where
        T: Clone,
    {
        self.held(owner, &self.keying, Lent::Clone).cloned()
    }

    /// Lends the owner's value to `f`, without cloning it: `f` gets `Some(&value)`, or `None`
    /// while the field is unset.
    ///
    /// `f` runs under the table's read lock while it holds the value: it may read any
    /// descriptor, this one included, but a write to this table from there panics (it would wait
    /// for its own read). It runs after unlocking when it is given `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// static BLOB: Descriptor<(), Vec<u8>> = Descriptor::by_identity("File", "blob", Rules::new());
    /// let owner = Arc::new(());
    /// BLOB.set(&owner, vec![7; 1 << 20])?;
    /// assert_eq!(BLOB.with(&owner, |blob| blob.map(Vec::len)), Some(1 << 20));
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    #[inline]
    pub fn with<R>(&self, owner: &O, f: impl FnOnce(Option<&T>) -> R) -> R {
        self.lend(owner, &self.keying, Lent::Closure, f)
    }

    /// [`with`](Self::with) for a derived owner, whose hash function is known at compile time
    /// (and so inlines): what derived getters call. Not a public API.
    #[doc(hidden)]
    #[inline]
    pub fn with_derived<R>(&self, owner: &O, f: impl FnOnce(Option<&T>) -> R) -> R
    where
        O: Keyed,
    {
        self.lend(owner, &O::KEYING, Lent::Closure, f)
    }

    /// [`get`](Self::get) for a derived owner, whose hash function inlines: what derived
    /// getters call (a `default` is applied by the getter, after the read). Not a public API.
    #[doc(hidden)]
    #[inline]
    #[must_use]
    pub fn get_derived(&self, owner: &O) -> Option<T>
    where
        O: Keyed,
        T: Clone,
    {
        self.held(owner, &O::KEYING, Lent::Clone).cloned()
    }

    /// [`get`](Self::get) for a field that the list `E` attaches to a type it does not own,
    /// keyed as `E` says (whose hash function inlines): what its getter calls. Not a public API.
    #[doc(hidden)]
    #[inline]
    #[must_use]
    pub fn get_extended<E>(&self, owner: &O) -> Option<T>
    where
        E: Extension<O>,
        T: Clone,
    {
        self.held(owner, &E::KEYING, Lent::Clone).cloned()
    }

    /// [`with`](Self::with) for a field that the list `E` attaches to a type it does not own.
    /// Not a public API.
    #[doc(hidden)]
    #[inline]
    pub fn with_extended<E, R>(&self, owner: &O, f: impl FnOnce(Option<&T>) -> R) -> R
    where
        E: Extension<O>,
    {
        self.lend(owner, &E::KEYING, Lent::Closure, f)
    }

    /// The one body of [`with`](Self::with), [`get`](Self::get) and their derived forms, which
    /// differ in how they hash the owner and in what they lend the value to.
    #[inline]
    fn lend<R>(
        &self,
        owner: &O,
        keying: &Keying<O>,
        to: Lent,
        f: impl FnOnce(Option<&T>) -> R,
    ) -> R {
        self.held(owner, keying, to).lend(f)
    }

    /// The owner's value, held readable (see [`Held`]): compiled once per owner and value type,
    /// whatever closure then reads it.
    #[inline]
    fn held(&self, owner: &O, keying: &Keying<O>, to: Lent) -> Held<'_, T, F> {
        self.held_at(self.place(owner, keying), owner, to)
    }

    /// [`held`](Self::held) at a place already found.
    #[inline]
    fn held_at<'a>(&'a self, place: Place<'a, T, F>, owner: &O, to: Lent) -> Held<'a, T, F> {
        match place {
            Some((state, hash)) => {
                let alive = OpsOf::<O, F>::OPS.is_alive;
                state.table.lookup(address(owner), hash, to, alive)
            }
            // The calling thread's tables are gone: nothing is stored for it.
            None => Held::missing(to),
        }
    }

    /// Whether the owner has a value.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// let owner = Arc::new(());
    /// AGE.set(&owner, 7)?;
    /// assert!(AGE.contains(&owner));
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    #[must_use]
    pub fn contains(&self, owner: &O) -> bool {
        self.held(owner, &self.keying, Lent::Table).found()
    }

    /// Writes the owner's value through the pipeline (Python's `__set__`): coerce, check,
    /// `once`, store, then notify.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] naming the owner, the field and the failed rule; the previous value
    /// stays in place.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// static ID: Descriptor<(), u64> = Descriptor::by_identity("Person", "id", Rules::new().once());
    /// let owner = Arc::new(());
    /// ID.set(&owner, 1)?;
    /// assert_eq!(ID.set(&owner, 2).unwrap_err().to_string(), "Person.id: is already set, and a `once` field keeps its first value");
    /// assert_eq!(ID.get(&owner), Some(1));
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    pub fn set(&self, owner: &F::Ptr<O>, value: T) -> Result<(), ValidationError> {
        self.replace(owner, value).map(drop)
    }

    /// Like [`set`](Self::set), and returns the value it replaced.
    ///
    /// # Errors
    ///
    /// As [`set`](Self::set).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// let owner = Arc::new(());
    /// assert_eq!(AGE.replace(&owner, 1)?, None);
    /// assert_eq!(AGE.replace(&owner, 2)?, Some(1));
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    #[inline]
    pub fn replace(&self, owner: &F::Ptr<O>, value: T) -> Result<Option<T>, ValidationError> {
        let owner: &O = owner;
        let place = self.place(owner, &self.keying);
        self.core.replace(place, address(owner), value)
    }

    /// Updates the owner's value with `f`, atomically: `f` gets the current value (`None` while
    /// unset) and returns the new one, which goes through the field's rules and observers and
    /// is stored only if no other write to this owner's value came in between; otherwise `f`
    /// runs again, on the newer value, as [`AtomicU64::fetch_update`] does. Returns the value
    /// stored (coerced, as a getter would return it).
    ///
    /// `f` runs where a [`with`](Self::with) closure runs: under a read of the table, so it may
    /// read any descriptor but must not write one (that panics), and should be quick and free
    /// of side effects, since it may run more than once. The rules check each value `f`
    /// returns, outside every lock; the observers run once, for the value stored.
    ///
    /// [`AtomicU64::fetch_update`]: std::sync::atomic::AtomicU64::fetch_update
    ///
    /// # Errors
    ///
    /// The [`ValidationError`] of a value `f` returned that breaks a rule (then nothing is
    /// stored and `f` is not run again), or of a `once` field that is already set.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use std::thread;
    /// # use weakprop_core::{Descriptor, Rules};
    /// static HITS: Descriptor<(), u64> = Descriptor::by_identity("Page", "hits", Rules::new());
    /// let page = Arc::new(());
    /// thread::scope(|scope| {
    ///     for _ in 0..4 {
    ///         scope.spawn(|| {
    ///             for _ in 0..1_000 {
    ///                 HITS.update(&page, |hits| hits.copied().unwrap_or(0) + 1).unwrap();
    ///             }
    ///         });
    ///     }
    /// });
    /// assert_eq!(HITS.get(&page), Some(4_000));
    /// ```
    pub fn update(
        &self,
        owner: &F::Ptr<O>,
        mut f: impl FnMut(Option<&T>) -> T,
    ) -> Result<T, ValidationError>
    where
        T: Clone,
    {
        match self.update_with(owner, &mut |value| Some(f(value)))? {
            Some(stored) => Ok(stored),
            None => unreachable!("an update's `f` always proposes a value"),
        }
    }

    /// Like [`update`](Self::update), but `f` may give up by returning `None`: then nothing is
    /// stored and the result is `Ok(None)`.
    ///
    /// # Errors
    ///
    /// As [`update`](Self::update).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// static STOCK: Descriptor<(), u32> = Descriptor::by_identity("Item", "stock", Rules::new());
    /// let item = Arc::new(());
    /// STOCK.set(&item, 1)?;
    /// let take_one = |stock: Option<&u32>| stock.and_then(|n| n.checked_sub(1));
    /// assert_eq!(STOCK.try_update(&item, take_one)?, Some(0));
    /// assert_eq!(STOCK.try_update(&item, take_one)?, None); // sold out: nothing stored
    /// assert_eq!(STOCK.get(&item), Some(0));
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    pub fn try_update(
        &self,
        owner: &F::Ptr<O>,
        mut f: impl FnMut(Option<&T>) -> Option<T>,
    ) -> Result<Option<T>, ValidationError>
    where
        T: Clone,
    {
        self.update_with(owner, &mut f)
    }

    /// The loop of [`try_update`](Self::try_update) and [`update`](Self::update), compiled once
    /// per field type rather than once per closure: read the value and its version, let `f`
    /// propose, check and store if the version is unchanged, else go round again.
    fn update_with(
        &self,
        owner: &O,
        f: &mut dyn FnMut(Option<&T>) -> Option<T>,
    ) -> Result<Option<T>, ValidationError>
    where
        T: Clone,
    {
        self.core.refuse_write_under_read();
        // Hashed once: the owner's hash does not change between tries.
        let place = self.place(owner, &self.keying);
        loop {
            let (proposal, expected) = self
                .held_at(place, owner, Lent::Closure)
                .lend_expecting(&mut *f);
            let Some(proposal) = proposal else {
                return Ok(None);
            };
            match self
                .core
                .attempt(place, address(owner), proposal, expected, T::clone)?
            {
                Attempt::Stored(value) => return Ok(Some(value)),
                Attempt::Moved => {}
            }
        }
    }

    /// Calls `f` with every owner that has a value and its value, in no particular order: the
    /// owners alive when it starts (a field of an `rc` owner: the calling thread's), that still
    /// have a value when their turn comes.
    ///
    /// `f` runs where a [`with`](Self::with) closure runs: it may read any descriptor, and must
    /// not write one (that panics). To change values, collect the owners first. No lock is held
    /// between two calls.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// static SCORE: Descriptor<(), u32> = Descriptor::by_identity("Player", "score", Rules::new());
    /// let (ann, bob) = (Arc::new(()), Arc::new(()));
    /// SCORE.set(&ann, 3)?;
    /// SCORE.set(&bob, 4)?;
    /// let mut best = Vec::new();
    /// SCORE.for_each(|player, score| if *score > 3 { best.push(player.clone()) });
    /// assert!(best.len() == 1 && Arc::ptr_eq(&best[0], &bob));
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    pub fn for_each(&self, mut f: impl FnMut(&F::Ptr<O>, &T)) {
        let Some(state) = self.state() else {
            return;
        };
        let owners: Vec<F::Ptr<O>> = live_keys::<O, T, F>(&state.table);
        for owner in &owners {
            self.with(owner, |value| {
                if let Some(value) = value {
                    f(owner, value);
                }
            });
        }
        // The owners drop here, after every read: a last `Arc` releases the owner's entries.
    }

    /// Runs the field's coercion and checks on `value` without storing it, and checks that a
    /// `once` field is still unset for `owner`.
    ///
    /// # Errors
    ///
    /// The [`ValidationError`] that [`set`](Self::set) would return.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, ErrorKind, Rules, validate::range};
    /// fn adult(age: &u32) -> Result<(), ErrorKind> { range(age, Some(&18), None) }
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new().check(adult));
    /// let owner = Arc::new(());
    /// assert!(AGE.validate(&owner, 17).is_err());
    /// assert!(AGE.get(&owner).is_none());
    /// ```
    pub fn validate(&self, owner: &O, value: T) -> Result<Validated<'_, O, T, F>, ValidationError> {
        let set = self.core.rules.is_once() && self.contains(owner);
        let value = self.core.validate(set, value)?;
        Ok(Validated {
            descriptor: self,
            value,
        })
    }

    /// Stores a value that [`validate`](Self::validate) accepted, then notifies; returns the
    /// value it replaced. A value validated by another descriptor is validated again here.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::AlreadySet`](super::error::ErrorKind::AlreadySet) if a `once` field was set since the value was validated, or
    /// the checks' error for a value validated elsewhere.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// let owner = Arc::new(());
    /// let checked = AGE.validate(&owner, 68)?;
    /// assert_eq!(AGE.set_validated(&owner, checked)?, None);
    /// assert_eq!(AGE.get(&owner), Some(68));
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    pub fn set_validated(
        &self,
        owner: &F::Ptr<O>,
        value: Validated<'_, O, T, F>,
    ) -> Result<Option<T>, ValidationError> {
        let owner: &O = owner;
        let place = self.place(owner, &self.keying);
        let checked = ptr::eq(value.descriptor, self);
        self.core
            .store_validated(place, address(owner), value.value, checked)
    }

    /// Lends the owner's value to `f`; if the field is unset, first computes the value with
    /// `compute` and stores it (a `lazy` field's getter: Python's `functools.cached_property`).
    ///
    /// `compute` runs outside every lock and may read any descriptor, other lazy fields included.
    /// The computed value is the field's own, like a `default`: it is stored as it is (the
    /// field's coercion and checks govern writes), and it is a change that observers are told of
    /// (from unset to the value). Threads that read an unset field at once may each compute it;
    /// the value stored first is the one they all get. Should the calling thread's tables be
    /// gone (a [`Local`] field read as the thread exits), the computed value is lent and dropped.
    ///
    /// # Panics
    ///
    /// If `compute` reads this field of the same owner (through this method): the value would
    /// depend on itself.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// static WORDS: Descriptor<String, usize> = Descriptor::by_value("Text", "words", Rules::new());
    /// fn count(text: &Arc<String>) -> usize { text.split_whitespace().count() }
    ///
    /// let text = Arc::new(String::from("a cached property"));
    /// assert_eq!(WORDS.with_or_compute(&text, count, |words| *words), 3);
    /// assert_eq!(WORDS.get(&text), Some(3)); // stored
    /// ```
    pub fn with_or_compute<R>(
        &self,
        owner: &F::Ptr<O>,
        compute: fn(&F::Ptr<O>) -> T,
        f: impl FnOnce(&T) -> R,
    ) -> R {
        self.lend_or_compute(owner, &self.keying, compute, Lent::Closure, f)
    }

    /// The getter of a derived `lazy` field: [`with_or_compute`](Self::with_or_compute), cloning
    /// the value. Not a public API.
    #[doc(hidden)]
    #[inline]
    pub fn get_or_compute_derived(&self, owner: &F::Ptr<O>, compute: fn(&F::Ptr<O>) -> T) -> T
    where
        O: Keyed,
        T: Clone,
    {
        self.lend_or_compute(owner, &O::KEYING, compute, Lent::Clone, T::clone)
    }

    /// [`with_or_compute`](Self::with_or_compute) for a derived owner, whose hash function
    /// inlines. Not a public API.
    #[doc(hidden)]
    #[inline]
    pub fn with_or_compute_derived<R>(
        &self,
        owner: &F::Ptr<O>,
        compute: fn(&F::Ptr<O>) -> T,
        f: impl FnOnce(&T) -> R,
    ) -> R
    where
        O: Keyed,
    {
        self.lend_or_compute(owner, &O::KEYING, compute, Lent::Closure, f)
    }

    /// The getter of a `lazy` field that the list `E` attaches to a type it does not own. Not a
    /// public API.
    #[doc(hidden)]
    #[inline]
    pub fn get_or_compute_extended<E>(&self, owner: &F::Ptr<O>, compute: fn(&F::Ptr<O>) -> T) -> T
    where
        E: Extension<O>,
        T: Clone,
    {
        self.lend_or_compute(owner, &E::KEYING, compute, Lent::Clone, T::clone)
    }

    /// [`with_or_compute`](Self::with_or_compute) for a field that the list `E` attaches to a
    /// type it does not own. Not a public API.
    #[doc(hidden)]
    #[inline]
    pub fn with_or_compute_extended<E, R>(
        &self,
        owner: &F::Ptr<O>,
        compute: fn(&F::Ptr<O>) -> T,
        f: impl FnOnce(&T) -> R,
    ) -> R
    where
        E: Extension<O>,
    {
        self.lend_or_compute(owner, &E::KEYING, compute, Lent::Closure, f)
    }

    #[inline]
    fn lend_or_compute<R>(
        &self,
        owner: &F::Ptr<O>,
        keying: &Keying<O>,
        compute: fn(&F::Ptr<O>) -> T,
        to: Lent,
        f: impl FnOnce(&T) -> R,
    ) -> R {
        let key: &O = owner;
        let mut f = f;
        loop {
            let place = self.place(key, keying);
            if place.is_none() {
                // The calling thread's tables are gone: lend a value computed for the occasion.
                return f(&self.compute(owner, compute));
            }
            let lent = self.held(key, keying, to).lend(|value| match value {
                Some(value) => Ok(f(value)),
                None => Err(f),
            });
            match lent {
                Ok(result) => return result,
                Err(unused) => f = unused,
            }
            if reads::is_reading() {
                // Storing is a write, which a read of this thread's refuses: lend a value
                // computed for the occasion, as for an unset field without `lazy`.
                return f(&self.compute(owner, compute));
            }
            let computed = self.compute(owner, compute);
            drop(
                self.core
                    .insert(place, address(key), computed, false, Expected::Anything),
            );
        }
    }

    /// The owner's value, computed by `compute` as no other computation of it is under way on
    /// this thread.
    #[cold]
    fn compute(&self, owner: &F::Ptr<O>, compute: fn(&F::Ptr<O>) -> T) -> T {
        let field_id = ptr::from_ref(self).addr();
        let _computing = Computing::enter(field_id, ptr::from_ref::<O>(owner).addr(), || {
            format!("{}.{}", self.core.owner, self.core.field)
        });
        compute(owner)
    }

    /// Removes and returns the owner's value (Python's `__delete__`), notifying observers.
    ///
    /// A `once` field keeps its first value for good: `take` removes nothing from it and returns
    /// `None` (the derive generates no `take_x` for it).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// let owner = Arc::new(());
    /// AGE.set(&owner, 68)?;
    /// assert_eq!(AGE.take(&owner), Some(68));
    /// assert_eq!(AGE.take(&owner), None);
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    #[inline]
    pub fn take(&self, owner: &F::Ptr<O>) -> Option<T> {
        let owner: &O = owner;
        self.core
            .take(self.place(owner, &self.keying), address(owner))
    }

    /// Removes the entry that this very owner created (found by hash and address, without
    /// `Eq`) and drops its value; returns whether there was one.
    ///
    /// This is what the derived `Drop` calls, so it is safe to call while the owner is being
    /// dropped. An equal owner's entry is left alone, and observers are not called.
    ///
    /// Called while this thread reads a table (an owner whose last `Arc` drops inside a `with_`
    /// closure or a value's `Clone`), the release waits until the thread's outermost read ends:
    /// a write there could wait for that very read. Its entry is invisible meanwhile (its owner
    /// is dead), and the owner's memory is not freed before its value is dropped (the entry's
    /// weak reference keeps it). That is why the descriptor must be `'static`, as a field's
    /// descriptor is.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// let owner = Arc::new(());
    /// AGE.set(&owner, 68)?;
    /// assert!(AGE.release(&owner));
    /// assert!(AGE.is_empty());
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    pub fn release(&'static self, owner: &O) -> bool {
        let hash = self.owner_hash(owner);
        self.release_hashed(owner, hash)
    }

    /// The owner's hash in this table, for [`release_hashed`](Self::release_hashed) on the
    /// other tables of its type: a derived `Drop` hashes the owner once, not once per field.
    #[doc(hidden)]
    #[must_use]
    pub fn owner_hash(&self, owner: &O) -> OwnerHash {
        OwnerHash {
            hash: match self.place(owner, &self.keying) {
                Some((_, hash)) => hash,
                None => 0,
            },
            by_value: self.keying.is_by_value(),
            shared: self.keying.is_shared(),
        }
    }

    /// [`release`](Self::release), with the owner's hash from
    /// [`owner_hash`](Self::owner_hash) (of any table keyed the same way; otherwise the hash is
    /// computed again).
    #[doc(hidden)]
    pub fn release_hashed(&'static self, owner: &O, hash: OwnerHash) -> bool {
        // SAFETY: `self` is `'static`.
        unsafe { Self::release_hashed_raw(self, owner, hash) }
    }

    /// [`release_hashed`](Self::release_hashed) of the descriptor at `this`.
    ///
    /// # Safety
    ///
    /// `this` must point to a descriptor that lives for the rest of the program (a `static`, or a
    /// leaked one whose type differs from its own only in lifetimes that are not `'static`).
    #[doc(hidden)]
    pub unsafe fn release_hashed_raw(this: *const Self, owner: &O, hash: OwnerHash) -> bool {
        // SAFETY: the caller's contract.
        let descriptor = unsafe { &*this };
        let keying = &descriptor.keying;
        let state = descriptor.state();
        let reusable = hash.shared && keying.is_shared() && hash.by_value == keying.is_by_value();
        let hash = match state {
            Some(state) if !reusable => keying.hash(owner, state.table.hash_keys()),
            _ => hash.hash,
        };
        // SAFETY: `release_deferred` is safe to call with `this`, which lives for the rest of
        // the program (this function's contract).
        unsafe {
            FieldCore::release_now_or_later(
                state,
                hash,
                address(owner),
                this.cast(),
                Self::release_deferred,
            )
        }
    }

    /// A release deferred to the end of this thread's outermost read.
    ///
    /// # Safety
    ///
    /// `this` must be what [`release_hashed_raw`](Self::release_hashed_raw) was given.
    unsafe fn release_deferred(this: *const (), hash: u64, address: usize) {
        // SAFETY: the caller's contract: a descriptor of this type that lives for good.
        let descriptor = unsafe { &*this.cast::<Self>() };
        FieldCore::release_at(descriptor.state(), hash, ptr::without_provenance(address));
    }

    /// Sweeps the entries of owners that died without being released; returns how many.
    ///
    /// Derived owners release their entries as they drop, so this is the safety net for
    /// `manual_drop` owners that forget to, and the way to drop at once the values of dead
    /// objects of a type of another crate (`#[descriptors(extend = Type)]`), which have no
    /// `Drop` to release them: the table's amortised sweep drops those otherwise, as values are
    /// stored.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// AGE.set(&Arc::new(()), 1)?; // the owner dies at once, unreleased
    /// assert_eq!(AGE.purge(), 1);
    /// assert_eq!(AGE.purge(), 0);
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    pub fn purge(&self) -> usize {
        self.core.refuse_write_under_read();
        self.state().map_or(0, |state| state.table.purge())
    }

    /// The number of live owners with a value.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// let (a, b) = (Arc::new(()), Arc::new(()));
    /// AGE.set(&a, 1)?;
    /// AGE.set(&b, 2)?;
    /// assert_eq!(AGE.len(), 2);
    /// # Ok::<(), weakprop_core::ValidationError>(())
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.state().map_or(0, |state| state.table.len())
    }

    /// Whether no live owner has a value.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// assert!(AGE.is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<O, T, F: FieldFlavor> Descriptor<O, T, F> {
    /// The owner-free part, and where a write of `owner` goes: what a load stores through.
    pub(crate) fn target(&self, owner: &O) -> (&FieldCore<T, F>, Place<'_, T, F>, Key) {
        (&self.core, self.place(owner, &self.keying), address(owner))
    }

    /// The owner-free part.
    pub(crate) fn core(&self) -> &FieldCore<T, F> {
        &self.core
    }

    /// Whether the first successful write is final.
    pub(crate) fn is_once(&self) -> bool {
        self.core.rules.is_once()
    }
}

impl<'d, O, T, F: FieldFlavor> Validated<'d, O, T, F> {
    /// `value`, accepted by `descriptor`'s checks.
    pub(crate) fn new(descriptor: &'d Descriptor<O, T, F>, value: T) -> Self {
        Self { descriptor, value }
    }

    /// Whether `descriptor` accepted it.
    pub(crate) fn is_of(&self, descriptor: &Descriptor<O, T, F>) -> bool {
        ptr::eq(self.descriptor, descriptor)
    }
}

/// `owner`'s address, erased: what the table compares entries' keys with.
#[inline]
fn address<O>(owner: &O) -> Key {
    ptr::from_ref(owner).cast()
}

/// A subscriber of a [`Shared`] field, its owner type erased (a function, so that the closure
/// gets the signature the callback type asks for).
fn shared_callback<T>(
    callback: impl Fn(Key, Option<&T>, Option<&T>) + Send + Sync + 'static,
) -> SharedCallback<T> {
    Arc::new(callback)
}

/// A subscriber of a [`Local`] field, its owner type erased.
fn local_callback<T>(callback: impl Fn(Key, Option<&T>, Option<&T>) + 'static) -> LocalCallback<T> {
    Rc::new(callback)
}

impl<O, T, F: FieldFlavor> fmt::Debug for Descriptor<O, T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Descriptor")
            .field("owner", &self.core.owner)
            .field("field", &self.core.field)
            .field("once", &self.core.rules.is_once())
            .finish_non_exhaustive()
    }
}

/// A derived field's descriptor in its `static`. Not a public API.
///
/// A `static` must be `Sync`, and a `Descriptor<O, T>` is `Sync` exactly when `O` and `T` are
/// `Send + Sync`; left to the `static`, a value type that is not would be reported through every
/// private type between the `static` and the value. This wrapper's one constructor,
/// [`static_descriptor`], asks for the same thing through [`FieldValue`] and [`Owner`], whose
/// messages say what to do, and the wrapper is `Sync` unconditionally: whatever it holds
/// satisfied those bounds.
#[doc(hidden)]
pub struct StaticDescriptor<O, T>(Descriptor<O, T>);

// SAFETY: the only constructors, `static_descriptor` and `static_extension`, require `O: Owner`
// or `O: SharedForeign` (so `O: Send + Sync`) and `T: FieldValue` (so `T: Send + Sync`), and
// under those bounds `Descriptor<O, T>` is `Sync`: each constructor asserts it at compile time,
// so a field added to `Descriptor` that is not `Sync` breaks this crate's build rather than this
// impl.
unsafe impl<O, T> Sync for StaticDescriptor<O, T> {}

impl<O, T> StaticDescriptor<O, T> {
    /// The descriptor.
    #[must_use]
    pub const fn get(&self) -> &Descriptor<O, T> {
        &self.0
    }
}

/// The descriptor of a derived owner's field, for its `static`. Not a public API.
///
/// Its bounds are on its own parameters, which the derive names with the user's types, so that
/// a value type that is not thread-safe is reported at that type.
#[doc(hidden)]
#[must_use]
pub const fn static_descriptor<O: Owner, T: FieldValue>(
    owner: &'static str,
    field: &'static str,
    rules: Rules<O, T>,
) -> StaticDescriptor<O, T> {
    const fn sync<D: Sync>() {}
    sync::<Descriptor<O, T>>();
    StaticDescriptor(Descriptor::derived(owner, field, rules))
}

/// The descriptor of a field that the list `E` attaches to `O` (`#[descriptors(extend = O)]`),
/// for its `static`. Not a public API.
///
/// As [`static_descriptor`]: its bounds are on its own parameters, which the derive names with
/// the user's types, so that a type that is not thread-safe is reported at that type (once for
/// every field: each reports the same error at the same tokens).
#[doc(hidden)]
#[must_use]
pub const fn static_extension<E: Extension<O>, O: SharedForeign, T: FieldValue>(
    owner: &'static str,
    field: &'static str,
    rules: Rules<O, T>,
) -> StaticDescriptor<O, T> {
    const fn sync<D: Sync>() {}
    sync::<Descriptor<O, T>>();
    StaticDescriptor(Descriptor::extension::<E>(owner, field, rules))
}

#[cfg(test)]
mod tests {
    use super::Descriptor;
    use std::cell::Cell;
    use std::rc::Rc;
    use std::sync::MutexGuard;

    /// Resolves for a type that is not `Sync`, and is ambiguous (a compile error) for one that
    /// is: `static_assertions`' `assert_not_impl_any!`, by hand.
    trait AmbiguousIfSync<Marker> {
        fn check() {}
    }
    impl<T: ?Sized> AmbiguousIfSync<()> for T {}
    struct IsSync;
    impl<T: ?Sized + Sync> AmbiguousIfSync<IsSync> for T {}

    macro_rules! assert_not_sync {
        ($($ty:ty),* $(,)?) => {
            $(<$ty as AmbiguousIfSync<_>>::check();)*
        };
    }

    fn assert_sync<T: Sync>() {}

    #[test]
    fn a_descriptor_is_sync_exactly_when_its_owner_and_values_are_send_and_sync() {
        assert_sync::<Descriptor<(), u32>>();
        assert_sync::<Descriptor<String, Vec<u8>>>();
        assert_sync::<Descriptor<String, std::sync::Mutex<Vec<u8>>>>();
        assert_not_sync!(
            Descriptor<(), Cell<u32>>,                  // a value that is `Send`, not `Sync`
            Descriptor<(), MutexGuard<'static, u32>>,   // a value that is `Sync`, not `Send`
            Descriptor<(), Rc<u32>>,                    // a value that is neither
            Descriptor<Cell<u8>, u32>,                  // an owner that is `Send`, not `Sync`
            Descriptor<Rc<u8>, u32>,                    // an owner that is neither
        );
    }
}
