//! How the shard lock's threads wait: a short spin, a few yields, then either parking (until
//! the thread that changes what the waiter waits for wakes it) or, for a state that no thread
//! will announce, polling at growing intervals. Never an unbounded spin: with more threads than
//! cores, a spinner would burn the time slice of the very thread it waits for.
//!
//! Parking goes through `parking_lot_core`'s table of queues, keyed by an address; under
//! `--cfg loom` a model of it (one mutex and condition variable) lets loom check that no wake-up
//! is lost.

#[cfg(not(loom))]
use std::time::Duration;

/// Where a waiter is in its back-off: spinning, yielding, then parked or polling.
pub(crate) struct Backoff {
    step: u32,
}

/// Steps that spin (`2^step` pause instructions each).
#[cfg(not(loom))]
const SPINS: u32 = 6;
/// Steps, after the spins, that yield the processor.
#[cfg(not(loom))]
const YIELDS: u32 = SPINS + 4;
/// The longest pause of a poll.
#[cfg(not(loom))]
const LONGEST_POLL: Duration = Duration::from_millis(1);

impl Backoff {
    pub(crate) const fn new() -> Self {
        Self { step: 0 }
    }

    /// Spins or yields a little and returns `true` while that is still worth it; `false` when
    /// the waiter should park instead.
    #[cfg(not(loom))]
    pub(crate) fn snooze(&mut self) -> bool {
        if self.step < SPINS {
            for _ in 0..1_u32 << self.step {
                core::hint::spin_loop();
            }
        } else if self.step < YIELDS {
            std::thread::yield_now();
        } else {
            return false;
        }
        self.step += 1;
        true
    }

    /// Under loom, no spinning: go straight to parking, whose protocol is what is checked.
    #[cfg(loom)]
    pub(crate) fn snooze(&mut self) -> bool {
        let _ = self.step;
        false
    }

    /// One more pause of a poll: a snooze, then sleeps that double up to a millisecond.
    #[cfg(not(loom))]
    fn pause(&mut self) {
        if !self.snooze() {
            let doublings = (self.step - YIELDS).min(7);
            std::thread::sleep((Duration::from_micros(8) * (1 << doublings)).min(LONGEST_POLL));
            self.step += 1;
        }
    }

    /// Under loom, a poll yields to the scheduler at each try.
    #[cfg(loom)]
    fn pause(&mut self) {
        loom::thread::yield_now();
    }
}

/// Waits until `ready()`, for a state that no thread announces (a reader leaving its slot):
/// spins, yields, then sleeps at growing intervals.
pub(crate) fn poll(mut ready: impl FnMut() -> bool) {
    let mut backoff = Backoff::new();
    while !ready() {
        backoff.pause();
    }
}

/// Parks the current thread on `key` if `validate()` still holds once the key's queue is
/// locked; returns when another thread calls [`unpark_all`] on the key (or at once if
/// `validate()` failed). May return spuriously: callers check their condition again.
#[cfg(not(loom))]
pub(crate) fn park(key: usize, validate: impl FnOnce() -> bool) {
    // SAFETY: `park`'s contract: the callbacks do not call into the parking lot or panic
    // (`validate` loads an atomic; the others do nothing), and `key` is an address of ours (a
    // lock's state word, or one past it), which no other user of the parking lot waits on.
    unsafe {
        parking_lot_core::park(
            key,
            validate,
            || {},
            |_, _| {},
            parking_lot_core::DEFAULT_PARK_TOKEN,
            None,
        );
    }
}

/// Wakes every thread parked on `key`.
#[cfg(not(loom))]
pub(crate) fn unpark_all(key: usize) {
    // SAFETY: as in `park`: `key` is an address of ours.
    unsafe {
        parking_lot_core::unpark_all(key, parking_lot_core::DEFAULT_UNPARK_TOKEN);
    }
}

#[cfg(loom)]
loom::lazy_static! {
    /// The model's parking lot: for each key woken so far, how many times; parked threads wait
    /// on one condition variable until their key's count moves.
    static ref LOT: (loom::sync::Mutex<Vec<(usize, u64)>>, loom::sync::Condvar) =
        (loom::sync::Mutex::new(Vec::new()), loom::sync::Condvar::new());
}

/// How many times `key` was woken, in the model's lot.
#[cfg(loom)]
fn wakes(lot: &[(usize, u64)], key: usize) -> u64 {
    lot.iter()
        .find(|(k, _)| *k == key)
        .map_or(0, |(_, wakes)| *wakes)
}

/// Parks the current thread if `validate()` holds under the lot's lock, as `parking_lot_core`
/// does, until `key` is woken: a wake-up of another key does not return, so that loom reports a
/// lost one as a deadlock.
#[cfg(loom)]
pub(crate) fn park(key: usize, validate: impl FnOnce() -> bool) {
    let mut lot = LOT.0.lock().unwrap();
    if !validate() {
        return;
    }
    let parked_at = wakes(&lot, key);
    while wakes(&lot, key) == parked_at {
        lot = LOT.1.wait(lot).unwrap();
    }
}

/// Wakes every thread parked on `key`, in the model.
#[cfg(loom)]
pub(crate) fn unpark_all(key: usize) {
    let mut lot = LOT.0.lock().unwrap();
    match lot.iter_mut().find(|(k, _)| *k == key) {
        Some((_, wakes)) => *wakes += 1,
        None => lot.push((key, 1)),
    }
    LOT.1.notify_all();
}
