//! The atomics and cells of [`super::shard_lock`]: the standard ones, or `loom`'s when the lock's
//! protocol is being model-checked (`--cfg loom`).

#[cfg(not(loom))]
pub(crate) use core::sync::atomic::{AtomicU32, Ordering};
#[cfg(loom)]
pub(crate) use loom::cell::{ConstPtr, MutPtr, UnsafeCell};
#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicU32, Ordering};

/// `core::cell::UnsafeCell` with loom's access API, so the lock reads the same either way.
#[cfg(not(loom))]
pub(crate) struct UnsafeCell<T>(core::cell::UnsafeCell<T>);

#[cfg(not(loom))]
impl<T> UnsafeCell<T> {
    pub(crate) const fn new(value: T) -> Self {
        Self(core::cell::UnsafeCell::new(value))
    }

    /// The value, shared.
    ///
    /// # Safety
    ///
    /// No `&mut T` to the value may exist while the returned reference lives.
    pub(crate) unsafe fn deref(&self) -> &T {
        // SAFETY: the caller excludes writers.
        unsafe { &*self.0.get() }
    }

    pub(crate) fn get_mut(&self) -> MutPtr<T> {
        MutPtr(self.0.get())
    }

    /// The value, through the only reference to the cell.
    pub(crate) fn get_exclusive(&mut self) -> &mut T {
        self.0.get_mut()
    }
}

/// A pointer to a cell's value, for exclusive access.
#[cfg(not(loom))]
pub(crate) struct MutPtr<T>(*mut T);

#[cfg(not(loom))]
impl<T> MutPtr<T> {
    /// # Safety
    ///
    /// No other reference to the value may exist while the returned reference lives.
    #[allow(clippy::mut_from_ref)] // the `UnsafeCell` contract, as loom's `MutPtr::deref`
    pub(crate) unsafe fn deref(&self) -> &mut T {
        // SAFETY: the pointer comes from a live `UnsafeCell`; the caller guarantees exclusivity.
        unsafe { &mut *self.0 }
    }
}

/// Orders a `SeqCst` read-modify-write before the `SeqCst` load that follows it (the two halves
/// of the lock's Dekker handshake). Nothing to do under the C11 model, where `SeqCst`
/// operations already share one total order; loom models `SeqCst` accesses as `AcqRel` only (a
/// documented limitation that reports false alarms) and does model `fence(SeqCst)`, so under
/// loom the equivalent fence is made explicit.
#[cfg(not(loom))]
#[inline]
pub(crate) fn handshake_fence() {}

/// See the other definition: the fence that loom needs to see the handshake's total order.
#[cfg(loom)]
pub(crate) fn handshake_fence() {
    loom::sync::atomic::fence(Ordering::SeqCst);
}
