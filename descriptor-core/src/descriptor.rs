//! [`Descriptor<O, T>`]: one field's rules and its weak-keyed table of per-owner values.

use core::fmt;
use core::ptr;
use std::sync::{Arc, OnceLock};

use crate::diagnostics::{FieldValue, HashableOwner};
use crate::hold::{self, Defer};
use crate::keying::Keying;
use crate::lazy::Computing;
use crate::observe::{Change, Notifier, Subscribers, Subscription};
use crate::owner::Owner;
use crate::table::{Inserted, Table};
use crate::{ErrorKind, Rules, ValidationError};

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
    /// Hands a change to a hold on its owner (see `hold.rs`). Taken in the constructors, whose
    /// bounds (`O` and `T` are `Send + Sync + 'static`) it needs, so that no method needs them.
    defer: Defer<O, T>,
}

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
        O: HashableOwner + Send + Sync + 'static,
        T: Send + Sync + 'static,
    {
        Self::with_keying(owner, field, Keying::by_value(), rules)
    }

    /// A descriptor keyed by the owner's `Arc` allocation (Python's `id(instance)`): no bounds
    /// on the owner but thread safety, and equal owners stay independent.
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
    pub const fn by_identity(owner: &'static str, field: &'static str, rules: Rules<O, T>) -> Self
    where
        O: Send + Sync + 'static,
        T: Send + Sync + 'static,
    {
        Self::with_keying(owner, field, Keying::by_identity(), rules)
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
        Self::with_keying(owner, field, O::KEYING, rules)
    }

    const fn with_keying(
        owner: &'static str,
        field: &'static str,
        keying: Keying<O>,
        rules: Rules<O, T>,
    ) -> Self
    where
        O: Send + Sync + 'static,
        T: Send + Sync + 'static,
    {
        Self {
            owner,
            field,
            rules,
            table: Table::new(keying),
            subscribers: OnceLock::new(),
            defer: hold::defer::<O, T>,
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
    /// The value's `Clone` runs under the table's read lock: it may read any table, but a write
    /// to this one from there panics (it would wait for its own read).
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
    /// # use descriptor_core::{Descriptor, Rules};
    /// static BLOB: Descriptor<(), Vec<u8>> = Descriptor::by_identity("File", "blob", Rules::new());
    /// let owner = Arc::new(());
    /// BLOB.set(&owner, vec![7; 1 << 20])?;
    /// assert_eq!(BLOB.with(&owner, |blob| blob.map(Vec::len)), Some(1 << 20));
    /// # Ok::<(), descriptor_core::ValidationError>(())
    /// ```
    #[inline]
    pub fn with<R>(&self, owner: &O, f: impl FnOnce(Option<&T>) -> R) -> R {
        self.table.read(owner, self.table.hash(owner), f)
    }

    /// [`with`](Self::with) for a derived owner, whose hash function is known at compile time
    /// (and so inlines): what derived getters call. Not a public API.
    #[doc(hidden)]
    #[inline]
    pub fn with_derived<R>(&self, owner: &O, f: impl FnOnce(Option<&T>) -> R) -> R
    where
        O: Owner,
    {
        self.table.read(owner, O::KEYING.hash(owner), f)
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
        self.with(owner, |value| value.is_some())
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
    pub fn set(&self, owner: &Arc<O>, value: T) -> Result<(), ValidationError> {
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
    pub fn replace(&self, owner: &Arc<O>, value: T) -> Result<Option<T>, ValidationError> {
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
        if self.rules.is_once() && self.contains(owner) {
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
    ) -> Result<Option<T>, ValidationError> {
        if ptr::eq(value.descriptor, self) {
            self.store(owner, value.value)
        } else {
            self.replace(owner, value.value)
        }
    }

    fn prepare(&self, value: T) -> Result<T, ValidationError> {
        self.rules.apply(value).map_err(|kind| self.error(kind))
    }

    fn store(&self, owner: &Arc<O>, value: T) -> Result<Option<T>, ValidationError> {
        match self.insert(owner, value, !self.rules.is_once()) {
            Inserted::New => Ok(None),
            Inserted::Replaced(old) => Ok(Some(old)),
            Inserted::Refused(_) => Err(self.error(ErrorKind::AlreadySet)),
        }
    }

    /// Stores `value` (replacing the owner's value only if `overwrite`), then notifies of
    /// whatever changed.
    fn insert(&self, owner: &Arc<O>, value: T, overwrite: bool) -> Inserted<T> {
        let notifier = self.notifier();
        // Observers are told the value this write stored, even if another write follows.
        let stored = notifier
            .as_ref()
            .map(|notifier| notifier.clone_value(&value));
        let outcome = self.table.insert(owner, value, overwrite);
        if let Some(notifier) = notifier {
            match &outcome {
                Inserted::New => self.notify(notifier, owner, None, stored),
                Inserted::Replaced(old) => self.notify(notifier, owner, Some(old), stored),
                Inserted::Refused(_) => {}
            }
        }
        outcome
    }

    /// Lends the owner's value to `f`; if the field is unset, first computes the value with
    /// `compute` and stores it (a `lazy` field's getter: Python's `functools.cached_property`).
    ///
    /// `compute` runs outside every lock and may read any descriptor, other lazy fields included.
    /// The computed value is the field's own, like a `default`: it is stored as it is (the
    /// field's coercion and checks govern writes), and it is a change that observers are told of
    /// (from unset to the value). Threads that read an unset field at once may each compute it;
    /// the value stored first is the one they all get.
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
    /// # use descriptor_core::{Descriptor, Rules};
    /// static WORDS: Descriptor<String, usize> = Descriptor::by_value("Text", "words", Rules::new());
    /// fn count(text: &Arc<String>) -> usize { text.split_whitespace().count() }
    ///
    /// let text = Arc::new(String::from("a cached property"));
    /// assert_eq!(WORDS.with_or_compute(&text, count, |words| *words), 3);
    /// assert_eq!(WORDS.get(&text), Some(3)); // stored
    /// ```
    pub fn with_or_compute<R>(
        &self,
        owner: &Arc<O>,
        compute: fn(&Arc<O>) -> T,
        f: impl FnOnce(&T) -> R,
    ) -> R {
        self.lend_or_compute(owner, self.table.hash(owner), compute, f)
    }

    /// [`with_or_compute`](Self::with_or_compute) for a derived owner, whose hash function
    /// inlines. Not a public API.
    #[doc(hidden)]
    #[inline]
    pub fn with_or_compute_derived<R>(
        &self,
        owner: &Arc<O>,
        compute: fn(&Arc<O>) -> T,
        f: impl FnOnce(&T) -> R,
    ) -> R
    where
        O: Owner,
    {
        self.lend_or_compute(owner, O::KEYING.hash(owner), compute, f)
    }

    #[inline]
    fn lend_or_compute<R>(
        &self,
        owner: &Arc<O>,
        hash: u64,
        compute: fn(&Arc<O>) -> T,
        f: impl FnOnce(&T) -> R,
    ) -> R {
        let mut f = f;
        loop {
            let lent = self.table.read(owner, hash, |value| match value {
                Some(value) => Ok(f(value)),
                None => Err(f),
            });
            match lent {
                Ok(result) => return result,
                Err(unused) => f = unused,
            }
            self.compute_and_store(owner, compute);
        }
    }

    /// Computes the owner's value and stores it unless a value arrived meanwhile (which is then
    /// the one that counts: the computed one is dropped).
    #[cold]
    fn compute_and_store(&self, owner: &Arc<O>, compute: fn(&Arc<O>) -> T) {
        let computed = {
            let field_id = ptr::from_ref(self).addr();
            let _computing = Computing::enter(field_id, Arc::as_ptr(owner).addr(), || {
                format!("{}.{}", self.owner, self.field)
            });
            compute(owner)
        };
        drop(self.insert(owner, computed, false));
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
    pub fn take(&self, owner: &Arc<O>) -> Option<T> {
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

    fn notify(&self, notifier: Notifier<O, T>, owner: &Arc<O>, old: Option<&T>, new: Option<T>) {
        let field_id = ptr::from_ref(self).addr();
        if let Some((notifier, new)) = (self.defer)(field_id, notifier, owner, old, new) {
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
            .field("once", &self.rules.is_once())
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

// SAFETY: the only constructor, `static_descriptor`, requires `O: Owner` (so `O: Send + Sync`)
// and `T: FieldValue` (so `T: Send + Sync`), and under those bounds `Descriptor<O, T>` is
// `Sync`: the constructor asserts it at compile time, so a field added to `Descriptor` that is
// not `Sync` breaks this crate's build rather than this impl.
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
