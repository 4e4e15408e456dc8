//! [`FieldCore<T, F>`]: the part of a descriptor that does not know its owner type, and its write
//! pipeline — coerce, check, `once`, store, notify — over owners given by address (the data of
//! their live pointer) and hash. A [`Descriptor<O, T, F>`](super::descriptor::Descriptor) is this
//! plus a few inlined lines that hash the owner and take its address, so the pipeline is compiled
//! once per value type: the `u32` fields of a hundred owner types share one.

use super::error::{ErrorKind, ValidationError};
use super::rules::RuleSet;
use super::state::{FieldFlavor, RawState};
use crate::observe::change::Observer;
use crate::observe::hold::Defer;
use crate::observe::notifier::Notifier;
use crate::observe::subscribers::{Subscribers, Subscription};
use crate::sync::reads::{self, Deferred, Release};
use crate::table::keys::{Key, KeyOps};
use crate::table::raw::{Expected, Inserted};

use std::sync::Arc;

/// What a descriptor is, but its owner type.
pub(crate) struct FieldCore<T, F: FieldFlavor> {
    pub(crate) owner: &'static str,
    pub(crate) field: &'static str,
    pub(crate) rules: RuleSet<T>,
    pub(crate) on_change: Option<Observer<T>>,
    /// Hands a change to a hold on its owner (see `observe/hold.rs`). Taken in the descriptor's
    /// constructors, whose bounds (for `Shared`: `O` and `T` are `Send + Sync + 'static`) it
    /// needs, so that no method needs them.
    pub(crate) defer: Defer<T, F>,
    /// The owner type's functions, for keeping an owner alive while its held change waits.
    pub(crate) ops: &'static KeyOps,
}

/// How one attempt of an update ended, when it broke no rule.
pub(crate) enum Attempt<T> {
    /// The value was stored: a clone of it, as stored (coerced).
    Stored(T),
    /// Another write came between the read and the store: nothing was stored.
    Moved,
}

/// A field's state and an owner's hash in its table: where a write goes. `None` when the calling
/// thread's tables are gone (a `Local` field written as its thread exits).
pub(crate) type Place<'a, T, F> = Option<(&'a RawState<T, F>, u64)>;

impl<T, F: FieldFlavor> FieldCore<T, F> {
    pub(crate) fn error(&self, kind: ErrorKind) -> ValidationError {
        ValidationError::new(self.owner, self.field, kind)
    }

    /// Panics if this thread holds a read (the write could wait for it), naming the field.
    #[inline]
    #[track_caller]
    pub(crate) fn refuse_write_under_read(&self) {
        if reads::is_reading() {
            self.write_under_read();
        }
    }

    #[cold]
    #[track_caller]
    fn write_under_read(&self) -> ! {
        reads::write_under_read(&format!("`{}.{}`", self.owner, self.field))
    }

    /// Checks a value for a write that has not happened yet: refused if the field is `once` and
    /// `set` (the caller looked), else coerced and checked.
    pub(crate) fn validate(&self, set: bool, value: T) -> Result<T, ValidationError> {
        if set {
            return Err(self.error(ErrorKind::AlreadySet));
        }
        self.prepare(value)
    }

    /// Stores a value that [`validate`](Self::validate) accepted (`checked`: by this field, else
    /// it is checked again), then notifies; the value it replaced.
    pub(crate) fn store_validated(
        &self,
        place: Place<'_, T, F>,
        owner: Key,
        value: T,
        checked: bool,
    ) -> Result<Option<T>, ValidationError> {
        if checked {
            self.store(place, owner, value)
        } else {
            self.replace(place, owner, value)
        }
    }

    /// Coerces and checks `value`: the value to store, or the error naming the rule it broke.
    pub(crate) fn prepare(&self, value: T) -> Result<T, ValidationError> {
        self.rules.apply(value).map_err(|kind| self.error(kind))
    }

    /// The pipeline of a write: coerce, check, store (refused for a `once` field that is set),
    /// notify; the value it replaced.
    pub(crate) fn replace(
        &self,
        place: Place<'_, T, F>,
        owner: Key,
        value: T,
    ) -> Result<Option<T>, ValidationError> {
        self.refuse_write_under_read();
        let value = self.prepare(value)?;
        self.put(place, owner, value)
    }

    /// Stores a value already coerced and checked, then notifies.
    pub(crate) fn store(
        &self,
        place: Place<'_, T, F>,
        owner: Key,
        value: T,
    ) -> Result<Option<T>, ValidationError> {
        self.refuse_write_under_read();
        self.put(place, owner, value)
    }

    /// [`store`](Self::store) once the write is known not to be under a read.
    #[inline(always)]
    fn put(
        &self,
        place: Place<'_, T, F>,
        owner: Key,
        value: T,
    ) -> Result<Option<T>, ValidationError> {
        let overwrite = !self.rules.is_once();
        match self.insert(place, owner, value, overwrite, Expected::Anything) {
            Some(Inserted::New) => Ok(None),
            // Nothing expected: a store is never `Moved`.
            Some(Inserted::Replaced(old) | Inserted::Moved(old)) => Ok(Some(old)),
            Some(Inserted::Refused(_)) => Err(self.error(ErrorKind::AlreadySet)),
            None => Err(self.error(ErrorKind::TablesGone)),
        }
    }

    /// One attempt of an update: coerces and checks `proposal`, then stores it if the owner's
    /// entry is still as `expected` (as the caller read it), and notifies. `clone` makes the
    /// copy of the stored value that the update returns.
    pub(crate) fn attempt(
        &self,
        place: Place<'_, T, F>,
        owner: Key,
        proposal: T,
        expected: Expected,
        clone: fn(&T) -> T,
    ) -> Result<Attempt<T>, ValidationError> {
        let value = self.prepare(proposal)?;
        let stored = clone(&value);
        let overwrite = !self.rules.is_once();
        match self.insert(place, owner, value, overwrite, expected) {
            Some(Inserted::New | Inserted::Replaced(_)) => Ok(Attempt::Stored(stored)),
            Some(Inserted::Moved(_)) => Ok(Attempt::Moved),
            Some(Inserted::Refused(_)) => Err(self.error(ErrorKind::AlreadySet)),
            None => Err(self.error(ErrorKind::TablesGone)),
        }
    }

    /// Stores `value` (replacing the owner's value only if `overwrite`), then notifies of
    /// whatever changed; `None` if the calling thread's tables are gone.
    #[inline(always)]
    pub(crate) fn insert(
        &self,
        place: Place<'_, T, F>,
        owner: Key,
        value: T,
        overwrite: bool,
        expected: Expected,
    ) -> Option<Inserted<T>> {
        let (state, hash) = place?;
        let notifier = self.notifier(state);
        // Observers are told the value this write stored, even if another write follows.
        let stored = notifier
            .as_ref()
            .map(|notifier| notifier.clone_value(&value));
        let outcome = state.table.insert(owner, hash, value, overwrite, expected);
        if let Some(notifier) = notifier {
            match &outcome {
                Inserted::New => self.notify(notifier, owner, None, stored),
                Inserted::Replaced(old) => self.notify(notifier, owner, Some(old), stored),
                Inserted::Refused(_) | Inserted::Moved(_) => {}
            }
        }
        Some(outcome)
    }

    /// Removes and returns the owner's value, notifying observers; nothing for a `once` field.
    pub(crate) fn take(&self, place: Place<'_, T, F>, owner: Key) -> Option<T> {
        self.refuse_write_under_read();
        if self.rules.is_once() {
            // The first write is final: taking it would let a second one in.
            return None;
        }
        let (state, hash) = place?;
        let old = state.table.remove(owner, hash)?;
        if let Some(notifier) = self.notifier(state) {
            self.notify(notifier, owner, Some(&old), None);
        }
        Some(old)
    }

    /// Adds a subscriber: the one body of both flavors' `subscribe`; `None` if the calling
    /// thread's tables are gone.
    pub(crate) fn subscribe(
        &self,
        state: Option<&RawState<T, F>>,
        callback: F::Callback<T>,
        clone: fn(&T) -> T,
    ) -> Subscription<F>
    where
        T: 'static,
    {
        match state {
            Some(state) => state
                .subscribers
                .get_or_init(|| Arc::new(Subscribers::new(clone)))
                .add(callback),
            None => Subscription::gone(),
        }
    }

    fn notifier(&self, state: &RawState<T, F>) -> Option<Notifier<T, F>> {
        Notifier::new(self.on_change, state.subscribers.get())
    }

    /// Tells observers of a change of the owner at `owner` (the data of a live pointer the caller
    /// holds), or holds it back if the owner's notifications are held.
    fn notify(&self, notifier: Notifier<T, F>, owner: Key, old: Option<&T>, new: Option<T>) {
        let field_id = core::ptr::from_ref(self).addr();
        if let Some((notifier, new)) = (self.defer)(field_id, notifier, owner, self.ops, old, new) {
            // SAFETY: the caller holds a live pointer to `owner`, of the type the notifier's
            // hook and subscribers were made for (this field's owner type).
            unsafe { notifier.deliver(owner, old, new.as_ref()) };
        }
    }

    /// Removes the entry of the owner at `address` under `hash`, dropping its value after the
    /// lock; whether there was one.
    pub(crate) fn release_at(state: Option<&RawState<T, F>>, hash: u64, address: Key) -> bool {
        state.is_some_and(|state| state.table.release_at(hash, address).is_some())
    }

    /// Releases the owner at `address` (see `Descriptor::release`): now, or if this thread holds
    /// a read, when its outermost read ends, `run` then being called with `this`.
    ///
    /// # Safety
    ///
    /// `run(this, hash, address)` must be safe to call until this thread exits (`this` a
    /// descriptor that lives for the rest of the program).
    pub(crate) unsafe fn release_now_or_later(
        state: Option<&RawState<T, F>>,
        hash: u64,
        address: Key,
        this: *const (),
        run: unsafe fn(*const (), u64, usize),
    ) -> bool {
        if !reads::is_reading() {
            return Self::release_at(state, hash, address);
        }
        // The entry's weak reference, cloned, pins the allocation until the release runs: a
        // sweep may remove the dead entry meanwhile, and no other owner may take its address.
        let Some((pin, ops)) = state.and_then(|state| {
            let table = &state.table;
            Some((table.weak_at(hash, address)?, table.ops()))
        }) else {
            return false;
        };
        let deferred = Deferred::Release(Release {
            run,
            table: this,
            hash,
            address: address.addr(),
            pin,
            unpin: ops.drop_weak,
        });
        // SAFETY: `run` is safe to call with `this` until this thread exits (this function's
        // contract), and `unpin` once with the pin. If the thread's list is gone (a late
        // thread-local destructor), the release comes back: the pin is dropped here, and the
        // dead entry waits for the table's sweep.
        match unsafe { reads::defer(deferred) } {
            Ok(()) => true,
            Err(deferred) => {
                if let Deferred::Release(release) = deferred {
                    // SAFETY: the pin, a weak reference of the table's key type, was never
                    // handed to the list; dropped once.
                    unsafe { (release.unpin)(release.pin) };
                }
                false
            }
        }
    }
}
