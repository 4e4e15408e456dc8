//! Where a [`Local`](crate::Local) field's state lives: in a `thread_local!` of the calling
//! thread, which a field's `&'static` descriptor names.
//!
//! A non-generic owner's field has a `thread_local!` of its own. A generic owner's field cannot
//! (a `thread_local!` in a generic function is one for all instantiations), so it has a
//! `thread_local!` [`LocalPerType`] holding one state per instantiation, as [`PerType`] does
//! for `static`s. Either way the derive writes the function that reaches it ([`LocalHome`]).
//!
//! When a thread exits, its states drop, with their values. An owner dropped after that (by
//! another thread-local's destructor) finds no state, and its `Drop` releases nothing: its
//! values went with the table.
//!
//! [`PerType`]: crate::per_type::PerType

use core::any::{Any, TypeId};
use std::thread::LocalKey;

use crate::descriptor::FieldState;
use crate::flavor::Local;
use crate::owner::Keyed;
use crate::per_type::{Registry, Slots};

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

/// One value per type, for a `thread_local!`: [`PerType`](crate::per_type::PerType) for one
/// thread, whose values drop with the thread. Not a public API.
#[doc(hidden)]
pub struct LocalPerType {
    slots: Slots<core::cell::OnceCell<Entry>>,
}

struct Entry {
    type_id: TypeId,
    value: Box<dyn Any>,
}

impl Default for LocalPerType {
    fn default() -> Self {
        Self::new()
    }
}

impl LocalPerType {
    /// An empty registry, for a `thread_local!`.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            slots: Slots::new(),
        }
    }

    /// The address of the calling thread's state of a field of owner type `O` and value type
    /// `T`, kept in `states` (one per instantiation), or null if the thread's states are gone:
    /// what the [`LocalHome`] of a generic owner's field calls.
    pub fn state<O: Keyed, T: 'static>(
        states: &'static LocalKey<LocalPerType>,
    ) -> *const FieldState<O, T, Local> {
        states
            .try_with(|states| {
                core::ptr::from_ref(
                    states.get_or_init(|| FieldState::<O, T, Local>::new(O::KEYING)),
                )
            })
            .unwrap_or(core::ptr::null())
    }

    /// The value of type `D` in this registry, made by `init` the first time a `D` is asked
    /// for and kept until the registry drops.
    pub fn get_or_init<D: Any>(&self, init: impl FnOnce() -> D) -> &D {
        let type_id = TypeId::of::<D>();
        let entry = match self.slots.find(type_id, |entry| entry.type_id) {
            Some(entry) => entry,
            // One thread: nobody fills the slot between the search and here, and `init` is the
            // crate's own constructor, which cannot reach the registry.
            None => self.slots.first_free(type_id).get_or_init(|| Entry {
                type_id,
                value: Box::new(init()),
            }),
        };
        match entry.value.downcast_ref::<D>() {
            Some(value) => value,
            None => mismatched_entry(),
        }
    }
}

impl Registry for core::cell::OnceCell<Entry> {
    type Entry = Entry;
    const EMPTY: Self = Self::new();

    fn get(&self) -> Option<&Entry> {
        core::cell::OnceCell::get(self)
    }
}

#[cold]
fn mismatched_entry() -> ! {
    unreachable!("a registry entry found by its type's id holds a value of that type")
}
