//! Where a field's state — its table and its subscribers — lives: in the field's descriptor for
//! [`Shared`] owners, in a `thread_local!` of the calling thread for [`Local`] ones
//! ([`FieldFlavor`]). The registries that hold the states of generic owners are the layer above
//! ([`crate::home`]).

use std::sync::{Arc, OnceLock};

use crate::observe::subscribers::{ObserverFlavor, Subscribers};
use crate::table::flavor::{Local, Shared};
use crate::table::keying::Keying;
use crate::table::raw::Table;

/// Where each [`Flavor`](crate::Flavor) keeps a field's state: [`Shared`] in the field's
/// `static` descriptor, [`Local`] in a `thread_local!` of each thread. Implemented by [`Shared`]
/// and [`Local`] only.
pub trait FieldFlavor: ObserverFlavor {
    /// Where a field's state is: in the descriptor, or in the calling thread.
    #[doc(hidden)]
    type Home<O, T>;

    /// Runs `f` on the field's state (the calling thread's, for [`Local`]); `None` if the
    /// thread's tables are gone.
    #[doc(hidden)]
    fn with_state<O, T, R>(
        home: &Self::Home<O, T>,
        f: impl FnOnce(&FieldState<O, T, Self>) -> R,
    ) -> Option<R>;
}

impl FieldFlavor for Shared {
    type Home<O, T> = FieldState<O, T, Self>;

    #[inline]
    fn with_state<O, T, R>(
        home: &FieldState<O, T, Self>,
        f: impl FnOnce(&FieldState<O, T, Self>) -> R,
    ) -> Option<R> {
        Some(f(home))
    }
}

impl FieldFlavor for Local {
    type Home<O, T> = LocalHome<O, T>;

    #[inline]
    fn with_state<O, T, R>(
        home: &LocalHome<O, T>,
        f: impl FnOnce(&FieldState<O, T, Self>) -> R,
    ) -> Option<R> {
        home.with(f)
    }
}

/// A field's table and subscribers: in its descriptor for [`Shared`] owners, in a
/// `thread_local!` for [`Local`] ones. Not a public API.
#[doc(hidden)]
pub struct FieldState<O, T, F: ObserverFlavor> {
    pub(crate) table: Table<O, T, F>,
    /// Created by the first `subscribe`, so that a field nobody subscribes to costs nothing.
    pub(crate) subscribers: OnceLock<Arc<Subscribers<O, T, F>>>,
}

impl<O, T, F: ObserverFlavor> FieldState<O, T, F> {
    /// An empty table keyed as `keying` says, and no subscribers.
    #[must_use]
    pub const fn new(keying: Keying<O>) -> Self {
        Self {
            table: Table::new(keying),
            subscribers: OnceLock::new(),
        }
    }
}

/// Where the calling thread's state of one [`Local`] field is: a function, generated for the
/// field, that returns the address of the state in its `thread_local!`, or null if the thread's
/// tables are gone. Not a public API.
///
/// A function rather than the `thread_local!`'s `&'static LocalKey`, whose type would require
/// `O: 'static` wherever a `Descriptor<O, T, Local>` is named (a generic owner's `Drop` names
/// it without that bound); and an address rather than a reference for the same reason.
#[doc(hidden)]
pub struct LocalHome<O, T> {
    state: fn() -> *const FieldState<O, T, Local>,
}

impl<O, T> LocalHome<O, T> {
    /// The home that `state` finds. `state` must return the address of the calling thread's
    /// state of this field in a `thread_local!` (`LocalKey::try_with`), or null if it is gone.
    #[must_use]
    pub const fn new(state: fn() -> *const FieldState<O, T, Local>) -> Self {
        Self { state }
    }

    /// Runs `f` on the calling thread's state, or returns `None` if the thread's tables are
    /// gone.
    #[inline]
    pub(crate) fn with<R>(&self, f: impl FnOnce(&FieldState<O, T, Local>) -> R) -> Option<R> {
        let state = (self.state)();
        // SAFETY: a non-null address is that of the calling thread's state in a
        // `thread_local!`, as `new`'s contract says. A thread's `thread_local!`s are destroyed
        // only as it exits, one after another and never while code of that thread runs on its
        // stack, so the state outlives `f`; and it is only ever accessed through shared
        // references (its lock hands out the rest).
        (!state.is_null()).then(|| f(unsafe { &*state }))
    }
}
