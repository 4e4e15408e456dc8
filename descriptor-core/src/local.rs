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
/// field, that runs its argument on the state in its `thread_local!` and returns `false` if the
/// thread's tables are gone. Not a public API.
///
/// A function rather than the `thread_local!`'s `&'static LocalKey`, whose type would require
/// `O: 'static` wherever a `Descriptor<O, T, Local>` is named.
#[doc(hidden)]
pub struct LocalHome<O, T> {
    with: WithState<O, T>,
}

/// The function that reaches the calling thread's state of a field; `false` if it is gone.
type WithState<O, T> = fn(&mut dyn FnMut(&FieldState<O, T, Local>)) -> bool;

impl<O, T> LocalHome<O, T> {
    /// The home that `with` reaches.
    #[must_use]
    pub const fn new(with: WithState<O, T>) -> Self {
        Self { with }
    }

    /// Runs `f` on the calling thread's state, or returns `None` if the thread's tables are
    /// gone.
    #[inline]
    pub(crate) fn with<R>(&self, f: impl FnOnce(&FieldState<O, T, Local>) -> R) -> Option<R> {
        let mut f = Some(f);
        let mut result = None;
        (self.with)(&mut |state| result = f.take().map(|f| f(state)));
        result
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

    /// Runs `f` on the calling thread's state of a field of owner type `O` and value type `T`,
    /// kept in `states` (one per instantiation); `false` if the thread's states are gone: what
    /// the [`LocalHome`] of a generic owner's field calls.
    pub fn with_state<O: Keyed, T: 'static>(
        states: &'static LocalKey<LocalPerType>,
        f: &mut dyn FnMut(&FieldState<O, T, Local>),
    ) -> bool {
        states
            .try_with(|states| f(states.get_or_init(|| FieldState::<O, T, Local>::new(O::KEYING))))
            .is_ok()
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

    fn get(&self) -> Option<&Entry> {
        core::cell::OnceCell::get(self)
    }

    fn empty() -> Self {
        Self::new()
    }
}

#[cold]
fn mismatched_entry() -> ! {
    unreachable!("a registry entry found by its type's id holds a value of that type")
}
