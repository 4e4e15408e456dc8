//! What the current thread is reading: how many table reads it holds (of either lock), what
//! runs under the innermost one, and the work deferred until its outermost read ends.
//!
//! User code runs under a read only where a stored value is read in place: the closure of a
//! `with_` method, or a value's `Clone`. From there it may read any table, but a write could
//! wait for a read that this very thread holds, directly or through other threads (two
//! threads, each writing the table the other reads, would each wait for the other). So the rule
//! is the thread's, not the table's:
//!
//! - a read that nests in another read of this thread never waits for a writer that is still
//!   waiting for readers (see [`super::shard_lock`]), so nested reads always complete;
//! - a write while this thread holds a read panics, naming what ran ([`write_under_read`]);
//! - the one write a thread cannot refuse — releasing an owner whose last reference drops in
//!   there — waits in a list of this thread's and runs when its outermost read ends
//!   ([`defer`]).
//!
//! The depth is a `const` thread-local without a destructor, so it works in every thread-local
//! destructor too; the deferred list has one, and once it is gone a release cannot be deferred
//! ([`defer`] says so and the caller leaves the entry to the table's sweep).

use core::cell::{Cell, RefCell};

/// What runs under a read: told to the user when it writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lent {
    /// A closure that the value is lent to (`with_x`, `Descriptor::with`).
    Closure,
    /// The value's `Clone` (a getter, `snapshot`, `WeakKeyMap::get`).
    Clone,
    /// Nothing: the table's own code (`len`, a probe), which runs nothing of the user's and
    /// leaves what the enclosing read lends to as it is.
    Table,
}

/// One read in [`STATE`]: the depth counts in these units, above the two flag bits.
const ONE_READ: u32 = 4;
/// Set when work waits in [`DEFERRED`] for the outermost read to end.
const PENDING: u32 = 1;
/// Set while the innermost read lends its value to a `Clone` (clear: to a closure).
const CLONING: u32 = 2;

thread_local! {
    /// The reads this thread holds (in units of [`ONE_READ`]), and the flags.
    static STATE: Cell<u32> = const { Cell::new(0) };
    /// Releases waiting for this thread's outermost read to end.
    static DEFERRED: RefCell<Vec<Deferred>> = const { RefCell::new(Vec::new()) };
}

/// A release that waits for the outermost read to end: `run(table, hash, address)`.
#[derive(Clone, Copy)]
pub struct Deferred {
    /// Performs the release. It must be safe to call with `table` for as long as the thread
    /// lives (the caller of [`defer`] guarantees it, typically with a `'static` table).
    pub run: unsafe fn(*const (), u64, usize),
    /// The table, erased.
    pub table: *const (),
    /// The owner's hash in that table.
    pub hash: u64,
    /// The owner's address.
    pub address: usize,
}

/// A read held by this thread: created as it starts, dropped as it ends.
pub struct Reading {
    /// [`STATE`]'s flags before this read, restored when it ends.
    outer: u32,
}

impl Reading {
    /// Counts a read that lends its value to `lent`.
    #[inline]
    pub fn enter(lent: Lent) -> Self {
        let state = STATE.get();
        let inner = match lent {
            Lent::Clone => state | CLONING,
            Lent::Closure => state & !CLONING,
            Lent::Table => state,
        };
        STATE.set(inner + ONE_READ);
        Self {
            outer: state & CLONING,
        }
    }
}

impl Drop for Reading {
    #[inline]
    fn drop(&mut self) {
        let state = STATE.get() - ONE_READ;
        STATE.set(state & !CLONING | self.outer);
        if state == PENDING {
            run_deferred();
        }
    }
}

/// Whether this thread holds a read of a table.
#[inline]
pub fn is_reading() -> bool {
    STATE.get() >= ONE_READ
}

/// Records a release to run when this thread's outermost read ends. `false` if the thread is
/// past the teardown of its deferred list (in a late thread-local destructor): the caller then
/// leaves the entry for the table's sweep.
///
/// # Safety
///
/// `deferred.run` must be safe to call with `deferred.table` until this thread exits.
pub unsafe fn defer(deferred: Deferred) -> bool {
    let queued = DEFERRED
        .try_with(|list| list.borrow_mut().push(deferred))
        .is_ok();
    if queued {
        STATE.set(STATE.get() | PENDING);
    }
    queued
}

/// Runs the deferred releases, now that the thread holds no read. Each may drop values whose
/// `Drop` reads, writes or defers again: the list is taken before any runs.
#[cold]
fn run_deferred() {
    STATE.set(STATE.get() & !PENDING);
    loop {
        let batch = DEFERRED
            .try_with(|list| core::mem::take(&mut *list.borrow_mut()))
            .unwrap_or_default();
        if batch.is_empty() {
            return;
        }
        for deferred in batch {
            // SAFETY: `defer`'s contract: the table outlives this thread's use of it.
            unsafe { (deferred.run)(deferred.table, deferred.hash, deferred.address) };
        }
        STATE.set(STATE.get() & !PENDING);
    }
}

/// Panics: this thread writes a table while it holds a read. `what` names the write (a
/// field, a map).
#[cold]
#[track_caller]
pub fn write_under_read(what: &str) -> ! {
    let ran = if STATE.get() & CLONING != 0 {
        "a value's `Clone` (which a getter, `snapshot` or `WeakKeyMap::get` runs while the table \
         is read)"
    } else {
        "the closure of a `with_` method (which runs while the table is read)"
    };
    panic!(
        "{what} was written from inside {ran}: code that runs during a read may read any \
         descriptor but not write one, since the write could wait for that very read; write \
         after the read returns"
    )
}

#[cfg(test)]
mod tests {
    use super::{Deferred, Lent, Reading, defer, is_reading};
    use std::cell::Cell;

    thread_local! {
        static RAN: Cell<u32> = const { Cell::new(0) };
    }

    unsafe fn count(_: *const (), hash: u64, _: usize) {
        RAN.set(RAN.get() + u32::try_from(hash).unwrap());
    }

    #[test]
    fn reads_nest_and_deferred_work_runs_when_the_outermost_ends() {
        assert!(!is_reading());
        let outer = Reading::enter(Lent::Closure);
        let inner = Reading::enter(Lent::Clone);
        assert!(is_reading());
        let deferred = Deferred {
            run: count,
            table: core::ptr::null(),
            hash: 1,
            address: 0,
        };
        // SAFETY: `count` ignores the table.
        assert!(unsafe { defer(deferred) });
        drop(inner);
        assert_eq!(RAN.get(), 0, "an outer read is still held");
        drop(outer);
        assert_eq!(RAN.get(), 1);
        assert!(!is_reading());
    }

    #[test]
    fn a_write_under_read_names_the_closure_or_the_clone() {
        let message = |lent| {
            let reading = Reading::enter(lent);
            let message = std::panic::catch_unwind(|| super::write_under_read("`A.b`"))
                .unwrap_err()
                .downcast::<String>()
                .unwrap();
            drop(reading);
            message
        };
        assert!(message(Lent::Closure).contains("the closure of a `with_` method"));
        assert!(message(Lent::Clone).contains("a value's `Clone`"));
        assert!(message(Lent::Clone).starts_with("`A.b` was written"));
    }
}
