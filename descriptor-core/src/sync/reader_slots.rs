//! Reader slots: each thread that reads a table gets one of [`SHARED_SLOT`] process-wide slot
//! numbers for as long as it lives, so that its read counters sit on a cache line no other
//! thread writes (see [`super::shard_lock`]). Threads beyond that share the last slot.

use core::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

use super::reads::{self, Lent, Reading};

/// Reader slots per table: the first [`SHARED_SLOT`] are each owned by one thread at a time,
/// the last is shared by every other thread.
pub(crate) const SLOTS: usize = 32;
/// The slot shared by threads that found every exclusive slot taken.
pub(crate) const SHARED_SLOT: usize = SLOTS - 1;

/// Where the current thread counts its reads.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    /// The slot's index, below [`SLOTS`].
    pub(crate) index: usize,
}

impl Slot {
    pub(crate) fn is_exclusive(self) -> bool {
        self.index != SHARED_SLOT
    }

    /// The slot's bit in a shard's mask of active slots.
    pub(crate) fn bit(self) -> u32 {
        1 << self.index
    }
}

/// What the lock needs to know of the threads: their slot, and whether the current thread
/// already holds a read (of any table), which [`super::reads`] counts. [`CurrentThread`] in the
/// library; a model of threads under loom.
#[doc(hidden)]
pub trait Threads {
    /// One read counted for the current thread, until it drops.
    type Reading;
    /// The current thread's slot.
    fn slot(&self) -> Slot;
    /// Whether the current thread holds a read.
    fn is_reading(&self) -> bool;
    /// Counts a read of the current thread, lending its data to `lent`.
    fn enter(&self, lent: Lent) -> Self::Reading;
}

/// Which exclusive slots are owned by a live thread.
static TAKEN: [AtomicBool; SHARED_SLOT] = [const { AtomicBool::new(false) }; SHARED_SLOT];

const UNASSIGNED: usize = usize::MAX;

thread_local! {
    /// The current thread's slot, or `UNASSIGNED` before its first read.
    static SLOT: Cell<usize> = const { Cell::new(UNASSIGNED) };
    /// Gives the slot back when the thread exits.
    static OWNERSHIP: Ownership = const { Ownership };
}

struct Ownership;

impl Drop for Ownership {
    fn drop(&mut self) {
        // Reads made by later thread-local destructors use the shared slot.
        let index = SLOT.with(|slot| slot.replace(SHARED_SLOT));
        if let Some(taken) = TAKEN.get(index) {
            taken.store(false, Ordering::Release);
        }
    }
}

/// The current thread, as the lock sees it.
#[doc(hidden)]
pub struct CurrentThread;

impl CurrentThread {
    #[cold]
    fn assign() -> usize {
        let Some(index) = TAKEN.iter().position(|taken| {
            taken
                .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
        }) else {
            return SHARED_SLOT;
        };
        // Registers the thread-local destructor that gives the slot back; if the thread is
        // already exiting, give it back now.
        if OWNERSHIP.try_with(|_| ()).is_err() {
            TAKEN[index].store(false, Ordering::Release);
            return SHARED_SLOT;
        }
        index
    }
}

impl Threads for CurrentThread {
    type Reading = Reading;

    #[inline]
    fn slot(&self) -> Slot {
        let index = SLOT.with(|slot| {
            let index = slot.get();
            if index != UNASSIGNED {
                return index;
            }
            let index = Self::assign();
            slot.set(index);
            index
        });
        Slot { index }
    }

    #[inline]
    fn is_reading(&self) -> bool {
        reads::is_reading()
    }

    #[inline]
    fn enter(&self, lent: Lent) -> Reading {
        Reading::enter(lent)
    }
}

#[cfg(test)]
mod tests {
    use super::CurrentThread;
    use super::{SHARED_SLOT, Threads};
    use std::collections::HashSet;
    use std::sync::{Arc, Barrier, Mutex};
    use std::thread;

    /// The slot tests count slots: they must not run at the same time as each other.
    static SERIAL: Mutex<()> = Mutex::new(());

    /// Spawns `threads` threads that each take a slot while all are alive; their slots.
    fn slots_of_simultaneous_threads(threads: usize) -> Vec<usize> {
        let barrier = Arc::new(Barrier::new(threads));
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let barrier = barrier.clone();
                thread::spawn(move || {
                    let slot = CurrentThread.slot().index;
                    assert_eq!(CurrentThread.slot().index, slot, "a thread keeps its slot");
                    barrier.wait(); // every thread holds its slot at once
                    slot
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().unwrap())
            .collect()
    }

    #[test]
    fn live_threads_get_distinct_exclusive_slots() {
        let _serial = SERIAL.lock().unwrap();
        let slots = slots_of_simultaneous_threads(8);
        let distinct: HashSet<_> = slots.iter().collect();
        assert_eq!(distinct.len(), 8, "{slots:?}");
        assert!(!slots.contains(&SHARED_SLOT));
    }

    #[test]
    fn exiting_threads_give_their_slot_back() {
        let _serial = SERIAL.lock().unwrap();
        // More sequential threads than there are slots: each finds a free one again.
        for _ in 0..3 * SHARED_SLOT {
            let slot = thread::spawn(|| CurrentThread.slot().index).join().unwrap();
            assert_ne!(slot, SHARED_SLOT);
        }
    }

    #[test]
    fn threads_beyond_the_exclusive_slots_share_the_last_one() {
        let _serial = SERIAL.lock().unwrap();
        let slots = slots_of_simultaneous_threads(SHARED_SLOT + 4);
        let shared = slots.iter().filter(|&&slot| slot == SHARED_SLOT).count();
        assert!(
            shared >= 4,
            "{shared} threads in the shared slot: {slots:?}"
        );
    }
}
