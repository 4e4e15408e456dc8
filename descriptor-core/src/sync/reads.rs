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
//!   ([`defer`]), and so does other work that must not run under a read (observers of held
//!   changes that this thread delivers).
//!
//! The depth is a `const` thread-local without a destructor, so it works in every thread-local
//! destructor too; the deferred list has one, and once it is gone a release cannot be deferred
//! ([`defer`] says so and the caller leaves the entry to the table's sweep).

use core::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};

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

/// Work that waits for the outermost read to end.
pub enum Deferred {
    /// A release: `run(table, hash, address)`, then `unpin(pin)`.
    Release(Release),
    /// Anything else that must not run under a read.
    Work(Box<dyn FnOnce()>),
}

/// A release by address, with the owner's allocation pinned (by a weak reference, `pin`) until
/// it runs, so that no other owner can take the address meanwhile (a sweep may remove the dead
/// entry first, freeing the allocation if nothing else held it).
pub struct Release {
    /// Performs the release. It must be safe to call with `table` for as long as the thread
    /// lives (the caller of [`defer`] guarantees it, typically with a `'static` table).
    pub run: unsafe fn(*const (), u64, usize),
    /// The table, erased.
    pub table: *const (),
    /// The owner's hash in that table.
    pub hash: u64,
    /// The owner's address.
    pub address: usize,
    /// A weak reference to the owner, erased.
    pub pin: *const (),
    /// Drops `pin`.
    pub unpin: unsafe fn(*const ()),
}

impl Deferred {
    /// Does the work.
    fn run(self) {
        match self {
            Self::Release(release) => {
                // Unpinned even if the release panics (a value's `Drop`).
                struct Unpin(unsafe fn(*const ()), *const ());
                impl Drop for Unpin {
                    fn drop(&mut self) {
                        // SAFETY: `defer`'s contract: `unpin` takes this `pin`, once.
                        unsafe { (self.0)(self.1) };
                    }
                }
                let _unpin = Unpin(release.unpin, release.pin);
                // SAFETY: `defer`'s contract: the table outlives this thread's use of it.
                unsafe { (release.run)(release.table, release.hash, release.address) };
            }
            Self::Work(work) => work(),
        }
    }
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
        let state = (STATE.get() - ONE_READ) & !CLONING | self.outer;
        STATE.set(state);
        if state & !CLONING == PENDING {
            run_deferred();
        }
    }
}

/// Whether this thread holds a read of a table.
#[inline]
pub fn is_reading() -> bool {
    STATE.get() >= ONE_READ
}

/// Records work to run when this thread's outermost read ends. Gives it back if the thread is
/// past the teardown of its deferred list (in a late thread-local destructor): the caller then
/// does without it (a release leaves the entry for the table's sweep).
///
/// # Safety
///
/// A [`Release`]'s `run` must be safe to call with its `table` until this thread exits, and its
/// `unpin` with its `pin`, once.
pub unsafe fn defer(deferred: Deferred) -> Result<(), Deferred> {
    let mut deferred = Some(deferred);
    let queued = DEFERRED.try_with(|list| {
        if let Some(deferred) = deferred.take() {
            list.borrow_mut().push(deferred);
        }
    });
    match (queued, deferred) {
        (Ok(()), _) => {
            STATE.set(STATE.get() | PENDING);
            Ok(())
        }
        (Err(_), Some(deferred)) => Err(deferred),
        (Err(_), None) => Ok(()),
    }
}

/// Runs the deferred work, now that the thread holds no read. Each item may drop values whose
/// `Drop` reads, writes or defers again: the list is taken before any runs. Every item runs even
/// if one panics (a value's `Drop`); the first panic resumes after the last, unless the thread
/// is already unwinding (an owner dropped in a closure that then panicked), where a second
/// panic would abort the process: then it is dropped.
#[cold]
fn run_deferred() {
    let mut first_panic = None;
    loop {
        STATE.set(STATE.get() & !PENDING);
        let batch = DEFERRED
            .try_with(|list| core::mem::take(&mut *list.borrow_mut()))
            .unwrap_or_default();
        if batch.is_empty() {
            break;
        }
        for deferred in batch {
            // Unwind safety: each item is a release or a delivery of its own; a panic leaves
            // the tables consistent (values are dropped outside their locks).
            if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| deferred.run())) {
                first_panic.get_or_insert(payload);
            }
        }
    }
    if let Some(payload) = first_panic
        && !std::thread::panicking()
    {
        panic::resume_unwind(payload);
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
    use super::{Deferred, Lent, Reading, Release, defer, is_reading};
    use std::cell::Cell;

    thread_local! {
        static RAN: Cell<u32> = const { Cell::new(0) };
    }

    unsafe fn count(_: *const (), hash: u64, _: usize) {
        RAN.set(RAN.get() + u32::try_from(hash).unwrap());
    }

    unsafe fn unpin(_: *const ()) {
        RAN.set(RAN.get() + 10);
    }

    #[test]
    fn reads_nest_and_deferred_work_runs_when_the_outermost_ends() {
        assert!(!is_reading());
        let outer = Reading::enter(Lent::Closure);
        let inner = Reading::enter(Lent::Clone);
        assert!(is_reading());
        let deferred = Deferred::Release(Release {
            run: count,
            table: core::ptr::null(),
            hash: 1,
            address: 0,
            pin: core::ptr::null(),
            unpin,
        });
        // SAFETY: `count` and `unpin` ignore what they are given.
        assert!(unsafe { defer(deferred) }.is_ok());
        drop(inner);
        assert_eq!(RAN.get(), 0, "an outer read is still held");
        drop(outer);
        assert_eq!(RAN.get(), 11, "released, then unpinned");
        assert!(!is_reading());
    }

    #[test]
    fn work_deferred_under_a_clone_read_runs_when_it_ends() {
        let outer = Reading::enter(Lent::Clone);
        // SAFETY: plain work, no table.
        assert!(unsafe { defer(Deferred::Work(Box::new(|| RAN.set(RAN.get() + 100)))) }.is_ok());
        drop(outer);
        assert_eq!(RAN.get(), 100, "the outermost read lent to a `Clone`");
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
