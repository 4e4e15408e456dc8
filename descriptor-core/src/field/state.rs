//! Where a field's state — its table and its subscribers — lives: in the field's descriptor for
//! [`Shared`] owners, in a `thread_local!` of the calling thread for [`Local`] ones
//! ([`FieldFlavor`]). The registries that hold the states of generic owners are the layer above
//! ([`crate::home`]).
//!
//! The state itself ([`RawState`]) does not know the owner type: the write pipeline that works
//! on it is compiled once per value type. [`FieldState`] wraps it with the owner type, for the
//! `Send` and `Sync` of a table of that owner type, and for the derive to name.

use core::marker::PhantomData;
use std::sync::{Arc, OnceLock};

use crate::observe::subscribers::{ObserverFlavor, Subscribers};
use crate::table::flavor::{Local, OwnerPtr, Shared};
use crate::table::keying::Keying;
use crate::table::keys::OpsOf;
use crate::table::raw::RawTable;

/// Where each [`Flavor`](crate::Flavor) keeps a field's state: [`Shared`] in the field's
/// `static` descriptor, [`Local`] in a `thread_local!` of each thread. Implemented by [`Shared`]
/// and [`Local`] only.
pub trait FieldFlavor: ObserverFlavor {
    /// Where a field's state is: in the descriptor, or in the calling thread.
    #[doc(hidden)]
    type Home<O, T>;

    /// The field's state (the calling thread's, for [`Local`]); `None` if the thread's tables
    /// are gone.
    #[doc(hidden)]
    fn state<O, T>(home: &Self::Home<O, T>) -> Option<&FieldState<O, T, Self>>;
}

impl FieldFlavor for Shared {
    type Home<O, T> = FieldState<O, T, Self>;

    #[inline]
    fn state<O, T>(home: &FieldState<O, T, Self>) -> Option<&FieldState<O, T, Self>> {
        Some(home)
    }
}

impl FieldFlavor for Local {
    type Home<O, T> = LocalHome<O, T>;

    #[inline]
    fn state<O, T>(home: &LocalHome<O, T>) -> Option<&FieldState<O, T, Self>> {
        home.get()
    }
}

/// A field's table and subscribers: in its descriptor for [`Shared`] owners, in a
/// `thread_local!` for [`Local`] ones. Not a public API.
#[doc(hidden)]
pub struct FieldState<O, T, F: ObserverFlavor> {
    pub(crate) raw: RawState<T, F>,
    /// The table holds weak references to `O`, erased: the state is `Send` and `Sync` as far as
    /// those are.
    owner: PhantomData<<F::Ptr<O> as OwnerPtr<O>>::Weak>,
}

/// A field's table and subscribers, whatever its owner type.
pub(crate) struct RawState<T, F: ObserverFlavor> {
    pub(crate) table: RawTable<T, F>,
    /// Created by the first `subscribe`, so that a field nobody subscribes to costs nothing.
    pub(crate) subscribers: OnceLock<Arc<Subscribers<T, F>>>,
}

impl<O, T, F: ObserverFlavor> FieldState<O, T, F> {
    /// An empty table keyed as `keying` says, and no subscribers.
    #[must_use]
    pub const fn new(keying: Keying<O>) -> Self {
        Self {
            raw: RawState {
                table: RawTable::new(OpsOf::<O, F>::OPS, keying.erased_eq()),
                subscribers: OnceLock::new(),
            },
            owner: PhantomData,
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

    /// The calling thread's state, or `None` if the thread's tables are gone.
    #[inline]
    pub(crate) fn get(&self) -> Option<&FieldState<O, T, Local>> {
        let state = (self.state)();
        // SAFETY: a non-null address is that of the calling thread's state in a
        // `thread_local!`, as `new`'s contract says. A thread's `thread_local!`s are destroyed
        // only as it exits, one after another and never while code of that thread runs on its
        // stack that borrowed them: the reference given out is used by this crate's own calls,
        // which return before the thread's code does. It is only ever accessed through shared
        // references (its lock hands out the rest).
        (!state.is_null()).then(|| unsafe { &*state })
    }
}
