//! [`Descriptor<O, T>`]: one field's rules and its weak-keyed table of per-owner values.

use core::fmt;
use core::ptr;
use std::sync::{Arc, OnceLock};

use crate::checks::{FieldValue, HashableOwner};
use crate::hold;
use crate::observe::{Change, Notifier, Observer, Subscribers, Subscription};
use crate::table::{Inserted, Keying, Table, hash_value};
use crate::{ErrorKind, ValidationError};

/// An observer of one field: called after each successful write or take with the old and new
/// values.
///
/// # Examples
///
/// ```
/// # use std::sync::Arc;
/// use descriptor_core::OnChange;
///
/// struct Sensor;
/// fn log(_: &Arc<Sensor>, old: Option<&f64>, new: Option<&f64>) {
///     println!("reading: {old:?} -> {new:?}");
/// }
/// const LOG: OnChange<Sensor, f64> = log;
/// ```
pub type OnChange<O, T> = fn(&Arc<O>, Option<&T>, Option<&T>);

/// A field's check: `Ok` accepts the value, `Err` names the rule it broke.
///
/// # Examples
///
/// ```
/// use descriptor_core::{Check, validate::range};
///
/// const PERCENT: Check<u8> = |value| range(value, None, Some(&100));
/// assert!(PERCENT(&101).is_err());
/// ```
pub type Check<T> = fn(&T) -> Result<(), ErrorKind>;

/// The write pipeline of one field, built in a `const` context: coerce, check, `once`, notify.
///
/// `#[derive(Descriptors)]` builds one from the field's options; build one by hand to use a
/// [`Descriptor`] without the derive.
///
/// # Examples
///
/// ```
/// use descriptor_core::validate::range;
/// use descriptor_core::{ErrorKind, Rules};
///
/// fn clamp_negative(value: i32) -> i32 { value.max(0) }
/// fn at_most_150(value: &i32) -> Result<(), ErrorKind> { range(value, None, Some(&150)) }
///
/// struct Person;
/// const AGE_RULES: Rules<Person, i32> = Rules::new().coerce(clamp_negative).check(at_most_150);
/// ```
pub struct Rules<O, T> {
    coerce: Option<fn(T) -> T>,
    check: Option<Check<T>>,
    once: bool,
    on_change: Option<Observer<O, T>>,
}

impl<O, T> Rules<O, T> {
    /// No rules: every value is accepted and stored as given.
    ///
    /// # Examples
    ///
    /// ```
    /// # use descriptor_core::Rules;
    /// const ANYTHING: Rules<(), String> = Rules::new();
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            coerce: None,
            check: None,
            once: false,
            on_change: None,
        }
    }

    /// Transforms each written value before it is checked (trim a string, clamp a number).
    ///
    /// # Examples
    ///
    /// ```
    /// # use descriptor_core::Rules;
    /// fn lowercase(value: String) -> String { value.to_lowercase() }
    /// const EMAIL: Rules<(), String> = Rules::new().coerce(lowercase);
    /// ```
    #[must_use]
    pub const fn coerce(mut self, coerce: fn(T) -> T) -> Self {
        self.coerce = Some(coerce);
        self
    }

    /// Checks each (coerced) value before it is stored; an `Err` rejects the write.
    ///
    /// # Examples
    ///
    /// ```
    /// # use descriptor_core::{ErrorKind, Rules};
    /// fn even(value: &u8) -> Result<(), ErrorKind> {
    ///     if value % 2 == 0 { Ok(()) } else { Err(ErrorKind::Invalid(format!("{value} is odd"))) }
    /// }
    /// const EVEN: Rules<(), u8> = Rules::new().check(even);
    /// ```
    #[must_use]
    pub const fn check(mut self, check: Check<T>) -> Self {
        self.check = Some(check);
        self
    }

    /// Makes the first successful write final: later writes fail with
    /// [`ErrorKind::AlreadySet`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use descriptor_core::Rules;
    /// const ID: Rules<(), u64> = Rules::new().once();
    /// ```
    #[must_use]
    pub const fn once(mut self) -> Self {
        self.once = true;
        self
    }

    /// Calls `notify(owner, old, new)` after each successful write (`new` is `Some`) or take
    /// (`new` is `None`), outside every lock, so it may read and write descriptors freely.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use descriptor_core::Rules;
    /// struct Person;
    /// fn log(_: &Arc<Person>, old: Option<&u32>, new: Option<&u32>) {
    ///     println!("age: {old:?} -> {new:?}");
    /// }
    /// const AGE: Rules<Person, u32> = Rules::new().on_change(log);
    /// ```
    #[must_use]
    pub const fn on_change(mut self, notify: OnChange<O, T>) -> Self
    where
        T: Clone,
    {
        self.on_change = Some(Observer {
            notify,
            clone: T::clone,
        });
        self
    }

    /// Whether [`once`](Self::once) was set.
    ///
    /// # Examples
    ///
    /// ```
    /// # use descriptor_core::Rules;
    /// assert!(Rules::<(), u8>::new().once().is_once());
    /// ```
    #[must_use]
    pub const fn is_once(&self) -> bool {
        self.once
    }
}

impl<O, T> Default for Rules<O, T> {
    fn default() -> Self {
        Self::new()
    }
}

/// One descriptor field: its rules and the weak-keyed table of every owner's value.
///
/// `#[derive(Descriptors)]` places one in a `static` per field and reaches it through
/// `Owner::x_descriptor()`. Owners live in an [`Arc`]; the table holds only a weak reference
/// to each, and an owner's entry is removed when its last `Arc` drops (the derive's `Drop` calls
/// [`release`](Self::release)).
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
/// use descriptor_core::validate::range;
/// use descriptor_core::{Descriptor, ErrorKind, Rules};
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
/// # Ok::<(), descriptor_core::ValidationError>(())
/// ```
pub struct Descriptor<O, T> {
    owner: &'static str,
    field: &'static str,
    rules: Rules<O, T>,
    table: Table<O, T>,
    /// Created by the first `subscribe`, so that a field nobody subscribes to costs nothing.
    subscribers: OnceLock<Arc<Subscribers<O, T>>>,
}

// SAFETY: stated instead of derived so that a value type that is not `Send + Sync` is reported
// through `FieldValue`'s message rather than through the table's internals. The conditions are
// exactly the derived ones: the table's shards are `RwLock`s of entries holding a `Weak<O>`
// (`Send + Sync` iff `O: Send + Sync`) and a `T` (`T: Send + Sync`); the rules are `fn`
// pointers and the subscribers `Send + Sync` closures behind their own lock.
unsafe impl<O: Send + Sync, T: FieldValue> Sync for Descriptor<O, T> {}

/// An owner's hash, computed once by a derived `Drop` for all of its type's tables. Not a
/// public API.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct OwnerHash {
    hash: u64,
    by_value: bool,
}

/// A value that passed a field's coercion and checks, ready for
/// [`Descriptor::set_validated`]: how a multi-field load checks every field before it writes
/// any.
///
/// # Examples
///
/// ```
/// # use std::sync::Arc;
/// # use descriptor_core::{Descriptor, Rules};
/// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
/// let owner = Arc::new(());
/// let checked = AGE.validate(&owner, 68)?;
/// assert_eq!(*checked.value(), 68);
/// AGE.set_validated(&owner, checked)?;
/// # Ok::<(), descriptor_core::ValidationError>(())
/// ```
pub struct Validated<'d, O, T> {
    descriptor: &'d Descriptor<O, T>,
    value: T,
}

impl<O, T> Validated<'_, O, T> {
    /// The value as it will be stored (after coercion).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use descriptor_core::{Descriptor, Rules};
    /// fn trimmed(name: String) -> String { name.trim().to_owned() }
    /// static NAME: Descriptor<(), String> = Descriptor::by_identity("User", "name", Rules::new().coerce(trimmed));
    /// let checked = NAME.validate(&(), " Ada ".into())?;
    /// assert_eq!(checked.value(), "Ada");
    /// # Ok::<(), descriptor_core::ValidationError>(())
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
    /// # use descriptor_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// assert_eq!(AGE.validate(&(), 68)?.into_value(), 68);
    /// assert!(AGE.is_empty());
    /// # Ok::<(), descriptor_core::ValidationError>(())
    /// ```
    #[must_use]
    pub fn into_value(self) -> T {
        self.value
    }
}

impl<O, T: fmt::Debug> fmt::Debug for Validated<'_, O, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Validated").field(&self.value).finish()
    }
}

impl<O, T> Descriptor<O, T> {
    /// A descriptor keyed by the owner's `Hash + Eq`: equal owners share one entry, which keeps
    /// the owner that created it.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use descriptor_core::{Descriptor, Rules};
    /// #[derive(Hash, PartialEq, Eq)]
    /// struct Person { name: &'static str }
    /// static NICK: Descriptor<Person, String> = Descriptor::by_value("Person", "nick", Rules::new());
    ///
    /// let (a, b) = (Arc::new(Person { name: "Guido" }), Arc::new(Person { name: "Guido" }));
    /// NICK.set(&a, "BDFL".into())?;
    /// assert_eq!(NICK.get(&b).as_deref(), Some("BDFL"));
    /// # Ok::<(), descriptor_core::ValidationError>(())
    /// ```
    #[must_use]
    pub const fn by_value(owner: &'static str, field: &'static str, rules: Rules<O, T>) -> Self
    where
        O: HashableOwner,
    {
        Self {
            owner,
            field,
            rules,
            table: Table::new(Keying::by_value()),
            subscribers: OnceLock::new(),
        }
    }

    /// A descriptor keyed by the owner's `Arc` allocation (Python's `id(instance)`): no bounds
    /// on the owner, and equal owners stay independent.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use descriptor_core::{Descriptor, Rules};
    /// struct Node; // neither Hash nor Eq
    /// static LABEL: Descriptor<Node, String> = Descriptor::by_identity("Node", "label", Rules::new());
    ///
    /// let (a, b) = (Arc::new(Node), Arc::new(Node));
    /// LABEL.set(&a, "root".into())?;
    /// assert_eq!(LABEL.get(&b), None);
    /// # Ok::<(), descriptor_core::ValidationError>(())
    /// ```
    #[must_use]
    pub const fn by_identity(owner: &'static str, field: &'static str, rules: Rules<O, T>) -> Self {
        Self {
            owner,
            field,
            rules,
            table: Table::new(Keying::by_identity()),
            subscribers: OnceLock::new(),
        }
    }

    /// The field's name, as in Python's `__set_name__`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use descriptor_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// assert_eq!(AGE.name(), "age");
    /// ```
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.field
    }

    /// The owner type's name.
    ///
    /// # Examples
    ///
    /// ```
    /// # use descriptor_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// assert_eq!(AGE.owner_name(), "Person");
    /// ```
    #[must_use]
    pub fn owner_name(&self) -> &'static str {
        self.owner
    }

    /// Whether owners are keyed by `Hash + Eq` (`true`) or by identity (`false`).
    ///
    /// # Examples
    ///
    /// ```
    /// # use descriptor_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// assert!(!AGE.is_keyed_by_value());
    /// ```
    #[must_use]
    pub fn is_keyed_by_value(&self) -> bool {
        self.table.is_by_value()
    }

    /// The owner's value, if one is set (Python's `__get__`).
    ///
    /// The value's `Clone` runs under the table's read lock: it may read this table, but a write
    /// to it from there panics (it would wait for its own read).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use descriptor_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// let owner = Arc::new(());
    /// assert_eq!(AGE.get(&owner), None);
    /// AGE.set(&owner, 7)?;
    /// assert_eq!(AGE.get(&owner), Some(7));
    /// # Ok::<(), descriptor_core::ValidationError>(())
    /// ```
    #[must_use]
    pub fn get(&self, owner: &O) -> Option<T>
    where
        T: Clone,
    {
        self.table.get(owner, T::clone)
    }

    /// [`get`](Self::get) for a table keyed by value, with the owner's `Hash` called directly
    /// rather than through the table's function pointer, so that it inlines: what a derived
    /// getter calls. On a table keyed by identity it is `get`.
    #[doc(hidden)]
    #[must_use]
    #[inline]
    pub fn get_by_value(&self, owner: &O) -> Option<T>
    where
        O: HashableOwner,
        T: Clone,
    {
        if self.table.is_by_value() {
            self.table.get_hashed(owner, hash_value(owner), T::clone)
        } else {
            self.get(owner)
        }
    }

    /// Whether the owner has a value.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use descriptor_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// let owner = Arc::new(());
    /// AGE.set(&owner, 7)?;
    /// assert!(AGE.contains(&owner));
    /// # Ok::<(), descriptor_core::ValidationError>(())
    /// ```
    #[must_use]
    pub fn contains(&self, owner: &O) -> bool {
        self.table.get(owner, |_| ()).is_some()
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
    /// # use descriptor_core::{Descriptor, Rules};
    /// static ID: Descriptor<(), u64> = Descriptor::by_identity("Person", "id", Rules::new().once());
    /// let owner = Arc::new(());
    /// ID.set(&owner, 1)?;
    /// assert_eq!(ID.set(&owner, 2).unwrap_err().to_string(), "Person.id: is already set, and a `once` field keeps its first value");
    /// assert_eq!(ID.get(&owner), Some(1));
    /// # Ok::<(), descriptor_core::ValidationError>(())
    /// ```
    pub fn set(&self, owner: &Arc<O>, value: T) -> Result<(), ValidationError>
    where
        O: Send + Sync + 'static,
        T: FieldValue,
    {
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
    /// # use descriptor_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// let owner = Arc::new(());
    /// assert_eq!(AGE.replace(&owner, 1)?, None);
    /// assert_eq!(AGE.replace(&owner, 2)?, Some(1));
    /// # Ok::<(), descriptor_core::ValidationError>(())
    /// ```
    pub fn replace(&self, owner: &Arc<O>, value: T) -> Result<Option<T>, ValidationError>
    where
        O: Send + Sync + 'static,
        T: FieldValue,
    {
        let value = self.prepare(value)?;
        self.store(owner, value)
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
    /// # use descriptor_core::{Descriptor, ErrorKind, Rules, validate::range};
    /// fn adult(age: &u32) -> Result<(), ErrorKind> { range(age, Some(&18), None) }
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new().check(adult));
    /// let owner = Arc::new(());
    /// assert!(AGE.validate(&owner, 17).is_err());
    /// assert!(AGE.get(&owner).is_none());
    /// ```
    pub fn validate(&self, owner: &O, value: T) -> Result<Validated<'_, O, T>, ValidationError> {
        if self.rules.once && self.contains(owner) {
            return Err(self.error(ErrorKind::AlreadySet));
        }
        Ok(Validated {
            descriptor: self,
            value: self.prepare(value)?,
        })
    }

    /// Stores a value that [`validate`](Self::validate) accepted, then notifies; returns the
    /// value it replaced. A value validated by another descriptor is validated again here.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::AlreadySet`] if a `once` field was set since the value was validated, or
    /// the checks' error for a value validated elsewhere.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use descriptor_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// let owner = Arc::new(());
    /// let checked = AGE.validate(&owner, 68)?;
    /// assert_eq!(AGE.set_validated(&owner, checked)?, None);
    /// assert_eq!(AGE.get(&owner), Some(68));
    /// # Ok::<(), descriptor_core::ValidationError>(())
    /// ```
    pub fn set_validated(
        &self,
        owner: &Arc<O>,
        value: Validated<'_, O, T>,
    ) -> Result<Option<T>, ValidationError>
    where
        O: Send + Sync + 'static,
        T: FieldValue,
    {
        if ptr::eq(value.descriptor, self) {
            self.store(owner, value.value)
        } else {
            self.replace(owner, value.value)
        }
    }

    fn prepare(&self, value: T) -> Result<T, ValidationError> {
        let value = match self.rules.coerce {
            Some(coerce) => coerce(value),
            None => value,
        };
        if let Some(check) = self.rules.check {
            check(&value).map_err(|kind| self.error(kind))?;
        }
        Ok(value)
    }

    fn store(&self, owner: &Arc<O>, value: T) -> Result<Option<T>, ValidationError>
    where
        O: Send + Sync + 'static,
        T: FieldValue,
    {
        let notifier = self.notifier();
        // Observers are told the value this write stored, even if another write follows.
        let stored = notifier
            .as_ref()
            .map(|notifier| notifier.clone_value(&value));
        let old = match self.table.insert(owner, value, !self.rules.once) {
            Inserted::New => None,
            Inserted::Replaced(old) => Some(old),
            Inserted::Refused(_) => return Err(self.error(ErrorKind::AlreadySet)),
        };
        if let Some(notifier) = notifier {
            self.notify(notifier, owner, old.as_ref(), stored);
        }
        Ok(old)
    }

    /// Removes and returns the owner's value (Python's `__delete__`), notifying observers.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use descriptor_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// let owner = Arc::new(());
    /// AGE.set(&owner, 68)?;
    /// assert_eq!(AGE.take(&owner), Some(68));
    /// assert_eq!(AGE.take(&owner), None);
    /// # Ok::<(), descriptor_core::ValidationError>(())
    /// ```
    pub fn take(&self, owner: &Arc<O>) -> Option<T>
    where
        O: Send + Sync + 'static,
        T: FieldValue,
    {
        let old = self.table.remove(owner)?;
        if let Some(notifier) = self.notifier() {
            self.notify(notifier, owner, Some(&old), None);
        }
        Some(old)
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
    /// use descriptor_core::{Descriptor, Rules};
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
    /// # Ok::<(), descriptor_core::ValidationError>(())
    /// ```
    pub fn subscribe<F>(&self, callback: F) -> Subscription
    where
        F: Fn(&Arc<O>, &Change<'_, O, T>) + Send + Sync + 'static,
        O: 'static,
        T: Clone + 'static,
    {
        self.subscribers
            .get_or_init(|| Arc::new(Subscribers::new(T::clone)))
            .add(Arc::new(callback))
    }

    fn notifier(&self) -> Option<Notifier<O, T>> {
        Notifier::new(self.field, self.rules.on_change, self.subscribers.get())
    }

    fn notify(&self, notifier: Notifier<O, T>, owner: &Arc<O>, old: Option<&T>, new: Option<T>)
    where
        O: Send + Sync + 'static,
        T: FieldValue,
    {
        let field_id = ptr::from_ref(self).addr();
        if let Some((notifier, new)) = hold::defer(field_id, notifier, owner, old, new) {
            notifier.deliver(owner, old, new.as_ref());
        }
    }

    /// Removes the entry that this very owner created (found by hash and address, without
    /// `Eq`) and drops its value; returns whether there was one.
    ///
    /// This is what the derived `Drop` calls, so it is safe to call while the owner is being
    /// dropped. An equal owner's entry is left alone, and observers are not called.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use descriptor_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// let owner = Arc::new(());
    /// AGE.set(&owner, 68)?;
    /// assert!(AGE.release(&owner));
    /// assert!(AGE.is_empty());
    /// # Ok::<(), descriptor_core::ValidationError>(())
    /// ```
    pub fn release(&self, owner: &O) -> bool {
        self.table.release(owner).is_some()
    }

    /// The owner's hash in this table, for [`release_hashed`](Self::release_hashed) on the
    /// other tables of its type: a derived `Drop` hashes the owner once, not once per field.
    #[doc(hidden)]
    #[must_use]
    pub fn owner_hash(&self, owner: &O) -> OwnerHash {
        OwnerHash {
            hash: self.table.hash(owner),
            by_value: self.table.is_by_value(),
        }
    }

    /// [`release`](Self::release), with the owner's hash from
    /// [`owner_hash`](Self::owner_hash) (of any table keyed the same way; otherwise the hash is
    /// computed again).
    #[doc(hidden)]
    pub fn release_hashed(&self, owner: &O, hash: OwnerHash) -> bool {
        let released = if hash.by_value == self.table.is_by_value() {
            self.table.release_hashed(owner, hash.hash)
        } else {
            self.table.release(owner)
        };
        released.is_some()
    }

    /// Sweeps the entries of owners that died without being released; returns how many.
    ///
    /// Derived owners release their entries as they drop, so this is the safety net for
    /// `manual_drop` owners that forget to.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use descriptor_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// AGE.set(&Arc::new(()), 1)?; // the owner dies at once, unreleased
    /// assert_eq!(AGE.purge(), 1);
    /// assert_eq!(AGE.purge(), 0);
    /// # Ok::<(), descriptor_core::ValidationError>(())
    /// ```
    pub fn purge(&self) -> usize {
        self.table.purge()
    }

    /// The number of live owners with a value.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use descriptor_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// let (a, b) = (Arc::new(()), Arc::new(()));
    /// AGE.set(&a, 1)?;
    /// AGE.set(&b, 2)?;
    /// assert_eq!(AGE.len(), 2);
    /// # Ok::<(), descriptor_core::ValidationError>(())
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether no live owner has a value.
    ///
    /// # Examples
    ///
    /// ```
    /// # use descriptor_core::{Descriptor, Rules};
    /// static AGE: Descriptor<(), u32> = Descriptor::by_identity("Person", "age", Rules::new());
    /// assert!(AGE.is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn error(&self, kind: ErrorKind) -> ValidationError {
        ValidationError::new(self.owner, self.field, kind)
    }
}

impl<O, T> fmt::Debug for Descriptor<O, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Descriptor")
            .field("owner", &self.owner)
            .field("field", &self.field)
            .field("keyed_by_value", &self.table.is_by_value())
            .field("once", &self.rules.once)
            .finish_non_exhaustive()
    }
}
