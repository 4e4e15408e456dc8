//! [`Notifier`]: everything a change's delivery needs — the field's `on_change` hook and its
//! subscribers — detached from the descriptor, so that a held change can be delivered later.

use std::sync::Arc;

use super::change::{Change, Hook, Observer};
use super::panics::EveryObserver;
use super::subscribers::{ObserverFlavor, Subscribers};

/// Everything needed to tell one field's observers about a change, detached from the
/// descriptor so that a held change can be delivered later.
pub(crate) struct Notifier<O, T, F: ObserverFlavor> {
    pub(crate) field: &'static str,
    pub(crate) on_change: Option<Hook<O, T, F>>,
    pub(crate) subscribers: Option<Arc<Subscribers<O, T, F>>>,
    pub(crate) clone: fn(&T) -> T,
}

impl<O, T, F: ObserverFlavor> Notifier<O, T, F> {
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

    /// Calls `on_change`, then each subscriber in subscription order; each runs even if one
    /// before it panicked, and the first panic resumes after the last.
    pub(crate) fn deliver(&self, owner: &F::Ptr<O>, old: Option<&T>, new: Option<&T>) {
        let mut observers = EveryObserver::default();
        self.deliver_to(&mut observers, owner, old, new);
        observers.finish();
    }

    /// [`deliver`](Self::deliver), among `observers`: each runs even if one before it panicked,
    /// and the first panic is left in `observers`.
    pub(crate) fn deliver_to(
        &self,
        observers: &mut EveryObserver,
        owner: &F::Ptr<O>,
        old: Option<&T>,
        new: Option<&T>,
    ) {
        if let Some(notify) = self.on_change {
            observers.run(|| notify(owner, old, new));
        }
        if let Some(subscribers) = &self.subscribers {
            let change = Change::new(owner, self.field, old, new);
            for callback in subscribers.snapshot() {
                observers.run(|| F::call(&callback, owner, &change));
            }
        }
    }
}
