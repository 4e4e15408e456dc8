//! [`PerType`]: one value per type, where a generic `static` is needed.
//!
//! Rust has no generic statics, and a `static` inside a generic function is shared by all of its
//! instantiations. So `#[derive(Descriptors)]` on a generic owner gives each field one `PerType`,
//! which holds that field's [`Descriptor`] for each instantiation of the owner:
//! `Keyed::<u64>::score_descriptor()` and `Keyed::<String>::score_descriptor()` are two tables.
//!
//! Lookups take no lock and write nothing shared: values are registered once and never removed,
//! in levels of slots that only ever go from empty to full. Registering takes a lock, so that
//! each type's value is made exactly once.

use core::any::{Any, TypeId};
use core::hash::{Hash, Hasher};
use core::ptr;
use std::sync::OnceLock;

use parking_lot::Mutex;

use crate::Descriptor;
use crate::descriptor::OwnerHash;

/// Slots in the first level; each further level has twice as many as the one before (a power
/// of two, so that a probe wraps with a mask rather than a division).
const FIRST_LEVEL: usize = 8;

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
/// use descriptor_core::__private::PerType;
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
    first: [OnceLock<Slot>; FIRST_LEVEL],
    more: OnceLock<Box<Level>>,
    /// Held while a value is registered.
    registering: Mutex<()>,
}

/// A level after the first.
struct Level {
    slots: Box<[OnceLock<Slot>]>,
    more: OnceLock<Box<Level>>,
}

struct Slot {
    type_id: TypeId,
    value: &'static (dyn Any + Send + Sync),
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
            first: [const { OnceLock::new() }; FIRST_LEVEL],
            more: OnceLock::new(),
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
        match self.find(type_id) {
            // SAFETY: the slot was registered for `TypeId::of::<D>()`, so it holds a `D`.
            Some(value) => unsafe { downcast(value) },
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
        let value = match self.find(type_id) {
            Some(value) => value,
            None => {
                let value: &'static D = Box::leak(Box::new(init()));
                self.first_free(type_id)
                    .get_or_init(|| Slot { type_id, value });
                value
            }
        };
        // SAFETY: as in `get_or_init`: found for, or registered as, `TypeId::of::<D>()`.
        unsafe { downcast(value) }
    }

    /// The value registered for `type_id`, if any.
    #[inline]
    fn find(&self, type_id: TypeId) -> Option<&'static (dyn Any + Send + Sync)> {
        let hash = hash(type_id);
        // The common case, kept short: the type in its first slot of the first level.
        #[allow(clippy::cast_possible_truncation)] // only the low bits choose a slot
        let slot = self.first[hash as usize & (FIRST_LEVEL - 1)].get()?;
        if slot.type_id == type_id {
            return Some(slot.value);
        }
        self.find_further(hash, type_id)
    }

    /// The rest of [`find`](Self::find): every slot of the probe sequence, level after level.
    #[cold]
    fn find_further(&self, hash: u64, type_id: TypeId) -> Option<&'static (dyn Any + Send + Sync)> {
        let mut slots: &[OnceLock<Slot>] = &self.first;
        let mut more = &self.more;
        loop {
            for index in probe(hash, slots.len()) {
                let slot = slots[index].get()?;
                if slot.type_id == type_id {
                    return Some(slot.value);
                }
            }
            let level = more.get()?;
            slots = &level.slots;
            more = &level.more;
        }
    }

    /// The first empty slot on `type_id`'s probe sequence, adding a level if every slot on it is
    /// full. Called with the registering lock held, so nobody else fills it meanwhile.
    fn first_free(&self, type_id: TypeId) -> &OnceLock<Slot> {
        let hash = hash(type_id);
        let mut slots: &[OnceLock<Slot>] = &self.first;
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
                    slots: (0..len).map(|_| OnceLock::new()).collect(),
                    more: OnceLock::new(),
                })
            });
            slots = &level.slots;
            more = &level.more;
        }
    }

    /// The value registered for `D` with every lifetime in `D` taken as `'static`: the only way
    /// to reach a generic owner's table from its `Drop`, which cannot require `'static`.
    ///
    /// # Safety
    ///
    /// The value is a `D` up to lifetimes, not a `D`: the caller must not let anything of a
    /// shorter lifetime into it, nor anything out of it that keeps a longer one.
    unsafe fn find_ignoring_lifetimes<D>(&self) -> Option<&D> {
        let value = self.find(typeid::of::<D>())?;
        // SAFETY: registered for `TypeId::of` a type equal to `D` up to lifetimes, which have no
        // bearing on layout; what the reference may be used for is the caller's contract.
        Some(unsafe { &*ptr::from_ref(value).cast::<D>() })
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
pub fn release_generic<O, T>(tables: &PerType, owner: &O, hash: &mut Option<OwnerHash>) {
    // SAFETY: only `owner_hash` and `release_hashed` are called, which compare addresses and
    // move an entry out to drop it: nothing goes into the table, and nothing that comes out of
    // it outlives this call.
    let Some(descriptor) = (unsafe { tables.find_ignoring_lifetimes::<Descriptor<O, T>>() }) else {
        return;
    };
    let hash = *hash.get_or_insert_with(|| descriptor.owner_hash(owner));
    descriptor.release_hashed(owner, hash);
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
            registry.more.get().is_some(),
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
