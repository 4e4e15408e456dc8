//! [`PerType`]: one value per type, where a generic `static` is needed.
//!
//! Rust has no generic statics, and a `static` inside a generic function is shared by all of its
//! instantiations. So `#[derive(Descriptors)]` on a generic owner gives each field one `PerType`,
//! which holds that field's [`Descriptor`] for each instantiation of the owner:
//! `Keyed::<u64>::score_descriptor()` and `Keyed::<String>::score_descriptor()` are two tables.
//!
//! Lookups take no lock and write nothing shared: values are registered once and never removed,
//! in levels of slots that only ever go from empty to full ([`Slots`], which the thread-local
//! registry of `thread.rs` shares). Registering takes a lock, so that each type's value is made
//! exactly once.

use core::any::{Any, TypeId};
use core::hash::{Hash, Hasher};
use core::ptr;
use std::sync::OnceLock;

use parking_lot::Mutex;

use crate::field::descriptor::{Descriptor, OwnerHash};
use crate::field::state::FieldFlavor;

/// Slots in the first level; each further level has twice as many as the one before (a power
/// of two, so that a probe wraps with a mask rather than a division).
const FIRST_LEVEL: usize = 8;

/// A slot that goes from empty to full once: `OnceLock` for [`PerType`], `OnceCell` for its
/// thread-local counterpart.
pub(crate) trait Registry {
    /// What a full slot holds.
    type Entry;
    /// An empty slot.
    const EMPTY: Self;
    /// The entry, if the slot is full.
    fn get(&self) -> Option<&Self::Entry>;
}

/// Levels of slots, probed from a `TypeId`'s bits: the storage of a one-value-per-type
/// registry. Slots are never emptied, so a probe that meets an empty slot knows the type has
/// no entry, and a reference to an entry stays valid as long as the slots do.
pub(crate) struct Slots<C> {
    first: [C; FIRST_LEVEL],
    more: OnceLock<Box<Level<C>>>,
}

/// A level after the first.
struct Level<C> {
    slots: Box<[C]>,
    more: OnceLock<Box<Level<C>>>,
}

impl<C: Registry> Slots<C> {
    /// Empty slots.
    pub(crate) const fn new() -> Self {
        Self {
            first: [C::EMPTY; FIRST_LEVEL],
            more: OnceLock::new(),
        }
    }

    /// The entry for `type_id`, if there is one; `id_of` tells an entry's type.
    #[inline]
    pub(crate) fn find(
        &self,
        type_id: TypeId,
        id_of: impl Fn(&C::Entry) -> TypeId,
    ) -> Option<&C::Entry> {
        let hash = hash(type_id);
        // The common case, kept short: the type in its first slot of the first level.
        #[allow(clippy::cast_possible_truncation)] // only the low bits choose a slot
        let entry = self.first[hash as usize & (FIRST_LEVEL - 1)].get()?;
        if id_of(entry) == type_id {
            return Some(entry);
        }
        self.find_further(hash, type_id, id_of)
    }

    /// The rest of [`find`](Self::find): every slot of the probe sequence, level after level.
    #[cold]
    fn find_further(
        &self,
        hash: u64,
        type_id: TypeId,
        id_of: impl Fn(&C::Entry) -> TypeId,
    ) -> Option<&C::Entry> {
        let mut slots: &[C] = &self.first;
        let mut more = &self.more;
        loop {
            for index in probe(hash, slots.len()) {
                let entry = slots[index].get()?;
                if id_of(entry) == type_id {
                    return Some(entry);
                }
            }
            let level = more.get()?;
            slots = &level.slots;
            more = &level.more;
        }
    }

    /// The first empty slot on `type_id`'s probe sequence, adding a level if every slot on it
    /// is full. The caller makes sure nobody fills it before it does.
    pub(crate) fn first_free(&self, type_id: TypeId) -> &C {
        let hash = hash(type_id);
        let mut slots: &[C] = &self.first;
        let mut more = &self.more;
        loop {
            if let Some(index) =
                probe(hash, slots.len()).find(|&index| slots[index].get().is_none())
            {
                return &slots[index];
            }
            let len = slots.len() * 2;
            let level = more.get_or_init(|| {
                Box::new(Level {
                    slots: (0..len).map(|_| C::EMPTY).collect(),
                    more: OnceLock::new(),
                })
            });
            slots = &level.slots;
            more = &level.more;
        }
    }

    /// Whether a level beyond the first exists.
    #[cfg(test)]
    fn has_more(&self) -> bool {
        self.more.get().is_some()
    }
}

/// One `&'static` value per type of value, created on first use. Not a public API: the derive
/// keeps the descriptors of generic owners in one per field, where each instantiation's
/// descriptor (`Descriptor<Keyed<u64>, T>`, `Descriptor<Keyed<String>, T>`) is a type of its own.
///
/// # Examples
///
/// A counter per type `T`, in one `static`: the value's type names `T`.
///
/// ```
/// use std::marker::PhantomData;
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use weakprop_core::__private::PerType;
///
/// struct Count<T>(AtomicUsize, PhantomData<fn() -> T>);
///
/// fn count<T: 'static>() -> usize {
///     static COUNTS: PerType = PerType::new();
///     let count = COUNTS.get_or_init(|| Count::<T>(AtomicUsize::new(0), PhantomData));
///     count.0.fetch_add(1, Ordering::Relaxed) + 1
/// }
/// assert_eq!((count::<u8>(), count::<u8>(), count::<u16>()), (1, 2, 1));
/// ```
pub struct PerType {
    slots: Slots<OnceLock<Slot>>,
    /// Held while a value is registered.
    registering: Mutex<()>,
}

/// A registered value, leaked for the rest of the program.
struct Slot {
    type_id: TypeId,
    value: &'static (dyn Any + Send + Sync),
}

impl<T> Registry for OnceLock<T> {
    type Entry = T;
    const EMPTY: Self = OnceLock::new();

    fn get(&self) -> Option<&T> {
        OnceLock::get(self)
    }
}

impl Default for PerType {
    fn default() -> Self {
        Self::new()
    }
}

impl PerType {
    /// An empty registry, for a `static`.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            slots: Slots::new(),
            registering: Mutex::new(()),
        }
    }

    /// The value of type `D`, made by `init` the first time a `D` is asked for (once, even when
    /// threads race) and kept for the rest of the program (so the registry is a `static`).
    #[inline]
    pub fn get_or_init<D: Any + Send + Sync>(
        &'static self,
        init: impl FnOnce() -> D,
    ) -> &'static D {
        let type_id = TypeId::of::<D>();
        match self.slots.find(type_id, |slot| slot.type_id) {
            // SAFETY: the slot was registered for `TypeId::of::<D>()`, so it holds a `D`.
            Some(slot) => unsafe { downcast(slot.value) },
            None => self.register(type_id, init),
        }
    }

    #[cold]
    fn register<D: Any + Send + Sync>(
        &self,
        type_id: TypeId,
        init: impl FnOnce() -> D,
    ) -> &'static D {
        let _registering = self.registering.lock();
        let value = match self.slots.find(type_id, |slot| slot.type_id) {
            Some(slot) => slot.value,
            None => {
                let value: &'static D = Box::leak(Box::new(init()));
                self.slots
                    .first_free(type_id)
                    .get_or_init(|| Slot { type_id, value });
                value
            }
        };
        // SAFETY: as in `get_or_init`: found for, or registered as, `TypeId::of::<D>()`.
        unsafe { downcast(value) }
    }

    /// The address of the value registered for `D` with every lifetime in `D` taken as
    /// `'static`: the only way to reach a generic owner's table from its `Drop`, which cannot
    /// require `'static`. The value is leaked: it lives for the rest of the program.
    ///
    /// The value is a `D` up to lifetimes, not a `D`: whoever dereferences the address must not
    /// let anything of a shorter lifetime into it, nor anything out of it that keeps a longer
    /// one.
    fn find_ignoring_lifetimes<D>(&self) -> Option<*const D> {
        let slot = self.slots.find(typeid::of::<D>(), |slot| slot.type_id)?;
        // Registered for `TypeId::of` a type equal to `D` up to lifetimes, which have no bearing
        // on layout.
        Some(ptr::from_ref(slot.value).cast::<D>())
    }
}

/// # Safety
///
/// `value` must be a `D`.
unsafe fn downcast<D>(value: &'static (dyn Any + Send + Sync)) -> &'static D {
    // SAFETY: the caller's contract; the data pointer of a `dyn Any` points at its value.
    unsafe { &*ptr::from_ref(value).cast::<D>() }
}

/// The slots of a level of `len` slots (a power of two) that `hash` visits, in order.
#[inline]
fn probe(hash: u64, len: usize) -> impl Iterator<Item = usize> {
    #[allow(clippy::cast_possible_truncation)] // only the low bits choose a slot
    let start = hash as usize;
    (0..len).map(move |step| start.wrapping_add(step) & (len - 1))
}

/// A `TypeId`'s own bits: it is already a hash.
#[inline]
fn hash(type_id: TypeId) -> u64 {
    #[derive(Default)]
    struct Bits(u64);
    impl Hasher for Bits {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for &byte in bytes {
                self.0 = self.0.rotate_left(8) ^ u64::from(byte);
            }
        }
        fn write_u64(&mut self, bits: u64) {
            self.0 ^= bits;
        }
    }
    let mut bits = Bits::default();
    type_id.hash(&mut bits);
    bits.finish()
}

/// Releases `owner` from its entry in the `Descriptor<O, T>` that `tables` holds for `O`, if it
/// holds one: what the derived `Drop` of a generic owner calls. `O` need not be `'static` (a
/// `Drop` impl cannot ask for more than the struct does); an owner type with lifetimes that were
/// not `'static` never had a table, and then nothing is found. `hash` is computed by the first
/// table found and reused by the others. Not a public API.
pub fn release_generic<O, T, F: FieldFlavor>(
    tables: &PerType,
    owner: &O,
    hash: &mut Option<OwnerHash>,
) {
    let Some(descriptor) = tables.find_ignoring_lifetimes::<Descriptor<O, T, F>>() else {
        return;
    };
    // SAFETY: a registered descriptor is leaked, so it lives for the rest of the program; only
    // `owner_hash` and `release_hashed_raw` are called, which compare addresses and move an
    // entry out to drop it: nothing goes into the table, and nothing that comes out of it
    // outlives the release.
    let hash = *hash.get_or_insert_with(|| unsafe { &*descriptor }.owner_hash(owner));
    // SAFETY: as above: the descriptor lives for the rest of the program.
    unsafe { Descriptor::release_hashed_raw(descriptor, owner, hash) };
}

#[cfg(test)]
mod tests {
    use super::PerType;
    use std::sync::Barrier;
    use std::thread;

    struct Marker<const N: usize>;

    /// A value of its own type for each `N`.
    fn value_of<const N: usize>(registry: &'static PerType) -> &'static usize {
        &registry.get_or_init::<(Marker<N>, usize)>(|| (Marker, N)).1
    }

    #[test]
    fn each_type_gets_its_own_value_once() {
        static REGISTRY: PerType = PerType::new();
        assert_eq!(*REGISTRY.get_or_init(|| 1_u8), 1);
        assert_eq!(*REGISTRY.get_or_init(|| 2_u8), 1, "made once");
        assert_eq!(*REGISTRY.get_or_init(|| 3_u16), 3);
    }

    #[test]
    fn many_types_spill_into_further_levels_and_stay_found() {
        static REGISTRY: PerType = PerType::new();
        let registry = &REGISTRY;
        let values = [
            value_of::<0>(registry),
            value_of::<1>(registry),
            value_of::<2>(registry),
            value_of::<3>(registry),
            value_of::<4>(registry),
            value_of::<5>(registry),
            value_of::<6>(registry),
            value_of::<7>(registry),
            value_of::<8>(registry),
            value_of::<9>(registry),
            value_of::<10>(registry),
            value_of::<11>(registry),
            value_of::<12>(registry),
            value_of::<13>(registry),
            value_of::<14>(registry),
            value_of::<15>(registry),
            value_of::<16>(registry),
            value_of::<17>(registry),
            value_of::<18>(registry),
            value_of::<19>(registry),
            value_of::<20>(registry),
            value_of::<21>(registry),
            value_of::<22>(registry),
            value_of::<23>(registry),
            value_of::<24>(registry),
            value_of::<25>(registry),
        ];
        assert!(
            registry.slots.has_more(),
            "26 types need more than one level"
        );
        for (n, value) in values.into_iter().enumerate() {
            assert_eq!(*value, n);
        }
        assert!(core::ptr::eq(
            value_of::<25>(registry),
            value_of::<25>(registry)
        ));
    }

    #[test]
    fn racing_threads_agree_on_one_value() {
        static REGISTRY: PerType = PerType::new();
        let barrier = Barrier::new(4);
        let addresses: Vec<usize> = thread::scope(|scope| {
            let workers: Vec<_> = (0..4)
                .map(|_| {
                    scope.spawn(|| {
                        barrier.wait();
                        core::ptr::from_ref(REGISTRY.get_or_init(|| vec![0_u8; 16])).addr()
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|worker| worker.join().unwrap())
                .collect()
        });
        assert!(
            addresses.windows(2).all(|pair| pair[0] == pair[1]),
            "{addresses:?}"
        );
    }
}
