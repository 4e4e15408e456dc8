//! Where the states of a generic [`Local`](crate::Local) owner's fields live: a `thread_local!`
//! [`LocalPerType`] per field, holding one state per instantiation, as [`PerType`] does for
//! `static`s (a `thread_local!` in a generic function is one for all instantiations). A
//! non-generic owner's field has a `thread_local!` of its own, which the derive writes; either
//! way the derive writes the function that reaches the state
//! ([`LocalHome`](crate::field::state::LocalHome)).
//!
//! When a thread exits, its states drop, with their values. An owner dropped after that (by
//! another thread-local's destructor) finds no state, and its `Drop` releases nothing: its
//! values went with the table.
//!
//! [`PerType`]: super::per_type::PerType

use core::any::{Any, TypeId};
use std::thread::LocalKey;

use super::per_type::{Registry, Slots};
use crate::field::derived::Keyed;
use crate::field::state::FieldState;
use crate::table::flavor::Local;
use crate::table::keying::Keying;

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
        Self::state_keyed(states, O::KEYING)
    }

    /// [`state`](Self::state) of a field keyed by `keying`: a field that a generic list attaches
    /// to a type it does not own (`#[descriptors(extend = ..)]`), keyed as the list says.
    pub fn state_keyed<O: 'static, T: 'static>(
        states: &'static LocalKey<LocalPerType>,
        keying: Keying<O>,
    ) -> *const FieldState<O, T, Local> {
        states
            .try_with(|states| {
                core::ptr::from_ref(states.get_or_init(|| FieldState::<O, T, Local>::new(keying)))
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
