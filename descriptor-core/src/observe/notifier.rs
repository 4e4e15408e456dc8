//! [`Notifier`]: everything a change's delivery needs — the field's `on_change` hook and its
//! subscribers — detached from the descriptor, so that a held change can be delivered later.
//! Its owner type is erased: the owner is given as the address of its data.

use std::sync::Arc;

use super::change::Observer;
use super::panics::EveryObserver;
use super::subscribers::{ObserverFlavor, Subscribers};
use crate::table::keys::Key;

/// Everything needed to tell one field's observers about a change, detached from the
/// descriptor so that a held change can be delivered later.
pub(crate) struct Notifier<T, F: ObserverFlavor> {
    pub(crate) on_change: Option<Observer<T>>,
    pub(crate) subscribers: Option<Arc<Subscribers<T, F>>>,
    pub(crate) clone: fn(&T) -> T,
}

impl<T, F: ObserverFlavor> Notifier<T, F> {
    /// A notifier for a field with an `on_change` hook and/or subscribers; `None` if nobody
    /// listens (the fast path: nothing is cloned).
    pub(crate) fn new(
        on_change: Option<Observer<T>>,
        subscribers: Option<&Arc<Subscribers<T, F>>>,
    ) -> Option<Self> {
        let subscribers = subscribers.filter(|list| list.is_active());
        let clone = on_change
            .map(|observer| observer.clone)
            .or(subscribers.map(|list| list.clone))?;
        Some(Self {
            on_change,
            subscribers: subscribers.cloned(),
            clone,
        })
    }

    pub(crate) fn clone_value(&self, value: &T) -> T {
        (self.clone)(value)
    }

    /// Calls `on_change`, then each subscriber in subscription order; each runs even if one
    /// before it panicked, and the first panic resumes after the last.
    ///
    /// # Safety
    ///
    /// `owner` must be the address of the data of a live pointer to an owner of the field's
    /// owner type (the type its hook and subscribers were made for).
    pub(crate) unsafe fn deliver(&self, owner: Key, old: Option<&T>, new: Option<&T>) {
        let mut observers = EveryObserver::default();
        // SAFETY: the caller's contract.
        unsafe { self.deliver_to(&mut observers, owner, old, new) };
        observers.finish();
    }

    /// [`deliver`](Self::deliver), among `observers`: each runs even if one before it panicked,
    /// and the first panic is left in `observers`.
    ///
    /// # Safety
    ///
    /// As [`deliver`](Self::deliver).
    pub(crate) unsafe fn deliver_to(
        &self,
        observers: &mut EveryObserver,
        owner: Key,
        old: Option<&T>,
        new: Option<&T>,
    ) {
        if let Some(hook) = &self.on_change {
            // SAFETY: the caller's contract.
            observers.run(|| unsafe { hook.notify(owner, old, new) });
        }
        if let Some(subscribers) = &self.subscribers {
            for callback in subscribers.snapshot() {
                observers.run(|| F::call(&callback, owner, old, new));
            }
        }
    }
}
