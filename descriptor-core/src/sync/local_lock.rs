//! [`LocalLock`]: the one shard of a [`Local`](crate::Local) table, on one thread.
//!
//! A thread's tables need no atomics, but they do need to know who is looking: user code that
//! runs while a value is read in place (a value's `Clone`, a `with_x` closure) may read the same
//! table again, which is fine, or write to it, which would invalidate the value being read. So
//! readers count themselves and a writer checks that nobody is reading — a `RefCell`, but with
//! an error message that says which user code did what.

use core::cell::{Cell, UnsafeCell};
use core::ops::{Deref, DerefMut};

use super::reads::{Lent, Reading};
use super::shards::{ConstInit, Shards};

/// One shard, readable by many borrows or writable by one, on the owning thread.
pub struct LocalLock<S> {
    /// Reads under way; `WRITING` while a write is.
    state: Cell<usize>,
    data: UnsafeCell<S>,
}

const WRITING: usize = usize::MAX;

impl<S: ConstInit> Shards<S> for LocalLock<S> {
    const COUNT: usize = 1;
    const NEW: Self = Self {
        state: Cell::new(0),
        data: UnsafeCell::new(S::INIT),
    };
    type Read<'a>
        = LocalRead<'a, S>
    where
        S: 'a;
    type Write<'a>
        = LocalWrite<'a, S>
    where
        S: 'a;

    #[inline]
    fn read(&self, _index: usize, lent: Lent) -> LocalRead<'_, S> {
        let readers = self.state.get();
        if readers == WRITING {
            // Writes run no user code, so no read can start during one.
            unreachable_read_during_write();
        }
        self.state.set(readers + 1);
        LocalRead {
            lock: self,
            _reading: Reading::enter(lent),
        }
    }

    #[inline]
    fn write(&self, _index: usize) -> LocalWrite<'_, S> {
        if self.state.get() != 0 {
            write_while_read();
        }
        self.state.set(WRITING);
        LocalWrite { lock: self }
    }

    fn get_mut(&mut self, _index: usize) -> &mut S {
        self.data.get_mut()
    }
}

/// Shared access to the shard; the read ends when it drops.
pub struct LocalRead<'a, S> {
    lock: &'a LocalLock<S>,
    /// The thread's count of its reads, dropped after this lock's.
    _reading: Reading,
}

impl<S> Deref for LocalRead<'_, S> {
    type Target = S;

    fn deref(&self) -> &S {
        // SAFETY: while this guard lives the lock counts it as a reader, and `write` refuses to
        // start while any reader is counted, so no `&mut S` exists; the lock is not `Sync`, so
        // every guard is on this thread.
        unsafe { &*self.lock.data.get() }
    }
}

impl<S> Drop for LocalRead<'_, S> {
    #[inline]
    fn drop(&mut self) {
        self.lock.state.set(self.lock.state.get() - 1);
    }
}

/// Exclusive access to the shard; the write ends when it drops.
pub struct LocalWrite<'a, S> {
    lock: &'a LocalLock<S>,
}

impl<S> Deref for LocalWrite<'_, S> {
    type Target = S;

    fn deref(&self) -> &S {
        // SAFETY: as in `deref_mut`, and `&self` gives out only a shared reborrow.
        unsafe { &*self.lock.data.get() }
    }
}

impl<S> DerefMut for LocalWrite<'_, S> {
    fn deref_mut(&mut self) -> &mut S {
        // SAFETY: `write` set the state to `WRITING` only after seeing no reader, and neither
        // `read` nor `write` starts while it is `WRITING`: this guard is the only access.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<S> Drop for LocalWrite<'_, S> {
    #[inline]
    fn drop(&mut self) {
        self.lock.state.set(0);
    }
}

/// Panics, rather than corrupt the table: the current thread is writing a table it is reading.
/// Only a value's `Clone` or a `with_x` closure runs during a read.
#[cold]
fn write_while_read() -> ! {
    panic!(
        "a descriptor table was written while it was being read: a value's `Clone`, or the \
         closure of a `with_` method, must not write to the table it reads"
    )
}

#[cold]
fn unreachable_read_during_write() -> ! {
    panic!("a descriptor table was read while it was being written, which no user code can cause")
}

#[cfg(test)]
mod tests {
    use super::LocalLock;
    use crate::sync::reads::Lent;
    use crate::sync::shards::{ConstInit, Shards};
    use std::panic::{self, AssertUnwindSafe};

    impl ConstInit for Vec<u8> {
        const INIT: Self = Vec::new();
    }

    #[test]
    fn reads_nest_and_a_write_follows_them() {
        let lock = <LocalLock<Vec<u8>> as Shards<_>>::NEW;
        lock.write(0).push(1);
        let outer = lock.read(0, Lent::Closure);
        let inner = lock.read(0, Lent::Closure);
        assert_eq!((outer.len(), inner.len()), (1, 1));
        drop((outer, inner));
        lock.write(0).push(2);
        assert_eq!(*lock.read(0, Lent::Closure), [1, 2]);
    }

    #[test]
    fn a_write_during_a_read_panics_and_leaves_the_lock_usable() {
        let lock = <LocalLock<Vec<u8>> as Shards<_>>::NEW;
        let read = lock.read(0, Lent::Closure);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| lock.write(0).push(1)));
        assert!(outcome.is_err());
        drop(read);
        lock.write(0).push(3);
        assert_eq!(*lock.read(0, Lent::Closure), [3]);
    }
}
