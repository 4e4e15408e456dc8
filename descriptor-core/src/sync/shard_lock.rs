//! A read-mostly lock over the shards of one table, whose readers never write a cache line
//! that another thread's readers write.
//!
//! A read-write lock keeps its readers in one counter, so two threads reading the same shard
//! bounce that counter's cache line between their cores on every read. Here each reader counts
//! itself in its own *slot*: a cache line per thread (handed out by [`super::reader_slots`]) holding one
//! counter per shard. Each shard has a writer flag, which readers only load.
//!
//! A writer must look at the counters of every slot that may be reading, but not at the others:
//! each shard keeps a mask of its *active* slots, which a reader adds itself to (once, not at
//! every read) and a writer takes idle slots out of. So a write's cost depends on the threads
//! that read the shard since its last write, not on how many threads ever did.
//!
//! **Protocol**, for shard `s` and a reader in slot `i`:
//!
//! - A reader raises its counter for `s`, *then* loads `s`'s writer flag and `s`'s mask. If the
//!   flag is clear and bit `i` is set, it holds the read. If bit `i` is clear, it sets it
//!   (`fetch_or`) and loads the flag again. Whenever it finds the flag set, it lowers its
//!   counter, waits for the flag to clear and starts over.
//! - A writer sets the flag with a compare-and-swap (which excludes other writers), *then*
//!   loads the mask, and for each slot in it loads its counter for `s`, waiting until it is
//!   zero. Slots it found at zero (other than its own thread's) it takes out of the mask before
//!   it clears the flag: they were idle, and will add themselves again when they read.
//!
//! All of these accesses are `SeqCst`, as in Dekker's algorithm. In their total order, a reader
//! that holds the read raised its counter and saw its bit set (or set it) before its last look
//! at the flag saw it clear; a writer that set the flag after that look finds the bit in the
//! mask (only a writer holding the flag clears bits, and only of slots whose counter it saw at
//! zero) and then the counter raised, and waits. A writer that set the flag before that look is
//! seen by it, and the reader backs off. So never both proceed.
//!
//! A reader that already holds a read of `s` may read `s` again without looking at the flag —
//! a value's `Clone` may read its own table while a writer waits — because its counter has
//! stayed non-zero since it entered, so no writer can have got past its wait (nor taken its bit
//! out of the mask).
//!
//! A thread in an exclusive slot is the only writer of that slot's counters: it enters with one
//! atomic swap and leaves with a plain release store. Threads beyond the exclusive slots share
//! the last slot with atomic increments, and track their own nesting (see [`SharedNesting`]).
//!
//! The protocol is model-checked with `loom`: `RUSTFLAGS="--cfg loom" cargo test -p
//! weakprop-core --release --lib` (`.ci/run` does).

use core::ops::{Deref, DerefMut};

use super::atomics::{
    AtomicU32, ConstPtr, MutPtr, Ordering, UnsafeCell, handshake_fence, spin_wait,
};
#[cfg(not(loom))]
use super::reader_slots::CurrentThread;
use super::reader_slots::{SLOTS, Slot, Threads};
use super::shards::{ConstInit, Shards};

const FREE: u32 = 0;
const WRITING: u32 = 1;

/// One slot's cache line: a counter per shard, written by the slot's readers only.
#[repr(align(128))]
struct Counters<const N: usize>([AtomicU32; N]);

/// One shard: its writer flag, its mask of active reader slots (bit `i` for slot `i`) and its
/// data, on cache lines of their own.
#[repr(align(128))]
struct Guarded<T> {
    writer: AtomicU32,
    active: AtomicU32,
    data: UnsafeCell<T>,
}

// One bit per slot.
const _: () = assert!(SLOTS <= u32::BITS as usize);

/// `N` shards of `T`, each readable by many threads at once or writable by one. Not a public
/// API: the lock of a [`Shared`](crate::Shared) table.
#[doc(hidden)]
pub struct ShardedLock<T, const N: usize> {
    shards: [Guarded<T>; N],
    readers: [Counters<N>; SLOTS],
}

// SAFETY: the lock hands out `&T` to several threads at once (needs `T: Sync`) and `&mut T` to
// one thread at a time, possibly not the one that created `T` (needs `T: Send`): `RwLock<T>`'s
// conditions. Everything else in it is atomics.
unsafe impl<T: Send + Sync, const N: usize> Sync for ShardedLock<T, N> {}
// SAFETY: moving the lock moves the `T`s it owns: `T: Send`.
unsafe impl<T: Send, const N: usize> Send for ShardedLock<T, N> {}

impl<T: ConstInit, const N: usize> ShardedLock<T, N> {
    /// `N` unlocked shards of `T::INIT`.
    #[cfg(not(loom))]
    pub(crate) const fn new() -> Self {
        Self {
            shards: [const {
                Guarded {
                    writer: AtomicU32::new(FREE),
                    active: AtomicU32::new(0),
                    data: UnsafeCell::new(T::INIT),
                }
            }; N],
            readers: [const { Counters([const { AtomicU32::new(0) }; N]) }; SLOTS],
        }
    }

    /// `N` unlocked shards of `T::INIT` (loom's atomics are not `const`).
    #[cfg(loom)]
    pub(crate) fn new() -> Self {
        Self {
            shards: core::array::from_fn(|_| Guarded {
                writer: AtomicU32::new(FREE),
                active: AtomicU32::new(0),
                data: UnsafeCell::new(T::INIT),
            }),
            readers: core::array::from_fn(|_| {
                Counters(core::array::from_fn(|_| AtomicU32::new(0)))
            }),
        }
    }
}

impl<T, const N: usize> ShardedLock<T, N> {
    /// Shared access to shard `shard`, for the current thread as `threads` describes it.
    #[inline]
    pub(crate) fn read<'a, Th: Threads>(
        &'a self,
        shard: usize,
        threads: &'a Th,
    ) -> ReadGuard<'a, T, Th> {
        let slot = threads.slot();
        let guarded = &self.shards[shard];
        let counter = &self.readers[slot.index].0[shard];
        if slot.is_exclusive() {
            let held = counter.load(Ordering::Relaxed);
            if held > 0 {
                // Nested read: this thread's counter already keeps writers out.
                counter.store(held + 1, Ordering::Relaxed);
            } else {
                counter.swap(1, Ordering::SeqCst);
                handshake_fence();
                if guarded.writer.load(Ordering::SeqCst) != FREE
                    || guarded.active.load(Ordering::SeqCst) & slot.bit() == 0
                {
                    Self::enter(guarded, slot, || {
                        counter.store(0, Ordering::Release);
                        spin_wait(|| guarded.writer.load(Ordering::Acquire) == FREE);
                        counter.swap(1, Ordering::SeqCst);
                        handshake_fence();
                    });
                }
            }
        } else {
            Self::enter_shared(guarded, counter, slot, threads);
        }
        ReadGuard {
            data: guarded.data.get(),
            counter,
            exclusive: slot.is_exclusive(),
            threads,
        }
    }

    /// The rest of a read's entry, for a reader whose counter is raised but that found a writer
    /// or its slot out of the mask: it adds its slot to the mask, and backs off (with `retry`,
    /// which lowers the counter, waits for the writer and raises it again) until no writer is
    /// there.
    #[cold]
    fn enter(guarded: &Guarded<T>, slot: Slot, mut retry: impl FnMut()) {
        loop {
            if guarded.writer.load(Ordering::SeqCst) == FREE {
                if guarded.active.load(Ordering::SeqCst) & slot.bit() != 0 {
                    return;
                }
                guarded.active.fetch_or(slot.bit(), Ordering::SeqCst);
                handshake_fence();
                if guarded.writer.load(Ordering::SeqCst) == FREE {
                    return;
                }
            }
            retry();
        }
    }

    /// A reader in the shared slot: atomic increments, and nesting tracked by `threads`.
    #[cold]
    fn enter_shared(guarded: &Guarded<T>, counter: &AtomicU32, slot: Slot, threads: &impl Threads) {
        let id = core::ptr::from_ref(counter).addr();
        if threads.holds_shared(id) {
            counter.fetch_add(1, Ordering::Relaxed);
        } else {
            counter.fetch_add(1, Ordering::SeqCst);
            handshake_fence();
            Self::enter(guarded, slot, || {
                counter.fetch_sub(1, Ordering::Release);
                spin_wait(|| guarded.writer.load(Ordering::Acquire) == FREE);
                counter.fetch_add(1, Ordering::SeqCst);
                handshake_fence();
            });
        }
        threads.nest_shared(id, true);
    }

    /// Exclusive access to shard `shard`. The current thread must not hold a read of it.
    #[inline]
    pub(crate) fn write<'a>(&'a self, shard: usize, threads: &impl Threads) -> WriteGuard<'a, T> {
        let guarded = &self.shards[shard];
        while guarded
            .writer
            .compare_exchange_weak(FREE, WRITING, Ordering::SeqCst, Ordering::Relaxed)
            .is_err()
        {
            if self.holds_read(shard, threads) {
                write_under_own_read();
            }
            spin_wait(|| guarded.writer.load(Ordering::Relaxed) == FREE);
        }
        handshake_fence();
        let own = threads.slot().bit();
        let active = guarded.active.load(Ordering::SeqCst);
        let mut idle = 0;
        let mut slots = active;
        while slots != 0 {
            let index = slots.trailing_zeros() as usize;
            slots &= slots - 1;
            let counter = &self.readers[index].0[shard];
            if counter.load(Ordering::SeqCst) == 0 {
                idle |= 1 << index;
            } else {
                if self.holds_read(shard, threads) {
                    guarded.writer.store(FREE, Ordering::Release);
                    write_under_own_read();
                }
                spin_wait(|| counter.load(Ordering::SeqCst) == 0);
            }
        }
        // Idle slots leave the mask, so that the next writes do not look at them again; this
        // thread's own stays (its counter is on a line this thread has at hand anyway).
        let idle = idle & !own;
        if idle != 0 {
            guarded.active.fetch_and(!idle, Ordering::SeqCst);
        }
        WriteGuard {
            data: guarded.data.get_mut(),
            writer: &guarded.writer,
        }
    }
}

impl<T, const N: usize> ShardedLock<T, N> {
    /// Whether the current thread holds a read of `shard`: waiting for its own read to end
    /// would never return.
    #[cold]
    fn holds_read(&self, shard: usize, threads: &impl Threads) -> bool {
        let slot = threads.slot();
        let counter = &self.readers[slot.index].0[shard];
        if slot.is_exclusive() {
            counter.load(Ordering::Relaxed) > 0
        } else {
            threads.holds_shared(core::ptr::from_ref(counter).addr())
        }
    }
}

/// Panics, rather than hangs: the current thread is writing a shard it is reading. Only a
/// value's `Clone` runs under a read, so only a `Clone` that writes its own table gets here.
#[cold]
fn write_under_own_read() -> ! {
    panic!(
        "a descriptor table was written while the same thread was reading it: a value's \
         `Clone` must not write to the table it is read from"
    )
}

/// Shared access to one shard; the read ends when it drops.
#[doc(hidden)]
pub struct ReadGuard<'a, T, Th: Threads> {
    data: ConstPtr<T>,
    counter: &'a AtomicU32,
    exclusive: bool,
    threads: &'a Th,
}

impl<T, Th: Threads> Deref for ReadGuard<'_, T, Th> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: while this guard lives, the reader counter it holds keeps every writer of the
        // shard waiting (see the module's protocol), so no `&mut T` exists.
        unsafe { self.data.deref() }
    }
}

impl<T, Th: Threads> Drop for ReadGuard<'_, T, Th> {
    #[inline]
    fn drop(&mut self) {
        if self.exclusive {
            // Only this thread writes its exclusive slot's counters: no read-modify-write
            // needed. Release: the shard's reads happen before a writer sees the counter fall.
            let held = self.counter.load(Ordering::Relaxed);
            self.counter.store(held - 1, Ordering::Release);
        } else {
            self.threads
                .nest_shared(core::ptr::from_ref(self.counter).addr(), false);
            self.counter.fetch_sub(1, Ordering::Release);
        }
    }
}

/// Exclusive access to one shard; the write ends when it drops.
#[doc(hidden)]
pub struct WriteGuard<'a, T> {
    data: MutPtr<T>,
    writer: &'a AtomicU32,
}

impl<T> Deref for WriteGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: this guard holds the shard's writer flag and saw every reader counter at zero
        // after setting it: no other reference to the data exists.
        unsafe { self.data.deref() }
    }
}

impl<T> DerefMut for WriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes this the only reference through the guard.
        unsafe { self.data.deref() }
    }
}

impl<T> Drop for WriteGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // Release: the shard's writes happen before the next reader or writer enters.
        self.writer.store(FREE, Ordering::Release);
    }
}

/// Shards of a [`Shared`](crate::Shared) table.
pub(crate) const SHARED_SHARDS: usize = 16;

#[cfg(not(loom))]
impl<S: ConstInit> Shards<S> for ShardedLock<S, SHARED_SHARDS> {
    const COUNT: usize = SHARED_SHARDS;
    const NEW: Self = Self::new();
    type Read<'a>
        = ReadGuard<'a, S, CurrentThread>
    where
        S: 'a;
    type Write<'a>
        = WriteGuard<'a, S>
    where
        S: 'a;

    #[inline]
    fn read(&self, index: usize) -> Self::Read<'_> {
        ShardedLock::read(self, index, &CurrentThread)
    }

    #[inline]
    fn write(&self, index: usize) -> Self::Write<'_> {
        ShardedLock::write(self, index, &CurrentThread)
    }
}

/// The protocol under loom, which runs every interleaving of the threads (with bounded
/// preemption) and fails on a data race in the shard's `UnsafeCell`, a deadlock or a lost
/// wake-up. `RUSTFLAGS="--cfg loom" cargo test -p weakprop-core --release --lib shard_lock`.
#[cfg(all(test, loom))]
mod loom_model {
    use super::ShardedLock;
    use crate::sync::reader_slots::{SHARED_SLOT, Slot, Threads};
    use crate::sync::shards::ConstInit;
    use core::cell::RefCell;
    use loom::sync::Arc;
    use loom::thread;

    impl ConstInit for u32 {
        const INIT: Self = 0;
    }

    /// Every interleaving with up to two preemptions: the waits are spin loops, which an
    /// unbounded search would unroll forever.
    fn model(body: impl Fn() + Sync + Send + 'static) {
        model_with(2, body);
    }

    /// [`model`] with up to `preemptions` preemptions.
    fn model_with(preemptions: usize, body: impl Fn() + Sync + Send + 'static) {
        let mut builder = loom::model::Builder::new();
        builder.preemption_bound = Some(preemptions);
        builder.max_branches = 100_000;
        builder.check(body);
    }

    /// A thread with a fixed slot, tracking its own nesting in the shared slot.
    struct Thread {
        slot: usize,
        held: RefCell<Vec<usize>>,
    }

    impl Thread {
        fn new(slot: usize) -> Self {
            Self {
                slot,
                held: RefCell::new(Vec::new()),
            }
        }
    }

    impl Threads for Thread {
        fn slot(&self) -> Slot {
            Slot { index: self.slot }
        }

        fn holds_shared(&self, counter: usize) -> bool {
            self.held.borrow().contains(&counter)
        }

        fn nest_shared(&self, counter: usize, entered: bool) {
            let mut held = self.held.borrow_mut();
            if entered {
                held.push(counter);
            } else if let Some(position) = held.iter().rposition(|&each| each == counter) {
                held.remove(position);
            }
        }
    }

    /// A reader in `slot` and a writer: loom checks that the read never overlaps the write
    /// (the shard's `UnsafeCell` would report it), and that the reader sees the value from
    /// before or after the write, never anything else.
    fn a_reader_and_a_writer(slot: usize) {
        model(move || {
            let lock = Arc::new(ShardedLock::<u32, 2>::new());
            let reader = {
                let lock = lock.clone();
                thread::spawn(move || {
                    let value = *lock.read(0, &Thread::new(slot));
                    assert!(value == 0 || value == 1);
                })
            };
            // The writer has its own slot: an exclusive slot belongs to one thread at a time.
            *lock.write(0, &Thread::new(1)) += 1;
            reader.join().unwrap();
            assert_eq!(*lock.read(0, &Thread::new(1)), 1);
        });
    }

    #[test]
    fn an_exclusive_slot_reader_never_overlaps_a_writer() {
        a_reader_and_a_writer(0);
    }

    #[test]
    fn a_shared_slot_reader_never_overlaps_a_writer() {
        a_reader_and_a_writer(SHARED_SLOT);
    }

    #[test]
    fn two_writers_exclude_each_other() {
        model(|| {
            let lock = Arc::new(ShardedLock::<u32, 1>::new());
            let other = {
                let lock = lock.clone();
                thread::spawn(move || *lock.write(0, &Thread::new(1)) += 1)
            };
            *lock.write(0, &Thread::new(0)) += 1;
            other.join().unwrap();
            assert_eq!(*lock.read(0, &Thread::new(0)), 2);
        });
    }

    /// A reader reads the same shard again (a value's `Clone` reading its own table) while a
    /// writer waits: with a fair read-write lock this deadlocks.
    fn nested_read_while_a_writer_waits(slot: usize) {
        model(move || {
            let lock = Arc::new(ShardedLock::<u32, 1>::new());
            let writer = {
                let lock = lock.clone();
                thread::spawn(move || *lock.write(0, &Thread::new(1)) = 7)
            };
            let me = Thread::new(slot);
            let outer = lock.read(0, &me);
            let inner = lock.read(0, &me);
            assert_eq!(*outer, *inner);
            drop(inner);
            drop(outer);
            writer.join().unwrap();
            assert_eq!(*lock.read(0, &me), 7);
        });
    }

    #[test]
    fn nested_reads_in_an_exclusive_slot_do_not_deadlock() {
        nested_read_while_a_writer_waits(0);
    }

    #[test]
    fn nested_reads_in_the_shared_slot_do_not_deadlock() {
        nested_read_while_a_writer_waits(SHARED_SLOT);
    }

    /// A reader reads, a writer takes its idle slot out of the mask, and the reader reads again
    /// while a second write comes: the second read must register again and exclude that write.
    fn a_revoked_reader_reads_again(slot: usize) {
        // Four preemptions: the reader reads, the writer takes its slot out, the reader reads
        // again as the writer finishes, and a second write comes.
        model_with(4, move || {
            let lock = Arc::new(ShardedLock::<u32, 1>::new());
            let reader = {
                let lock = lock.clone();
                thread::spawn(move || {
                    let me = Thread::new(slot);
                    let first = *lock.read(0, &me);
                    let second = *lock.read(0, &me);
                    assert!(first <= second && second <= 2);
                })
            };
            let writer = Thread::new(1);
            *lock.write(0, &writer) += 1;
            *lock.write(0, &writer) += 1;
            reader.join().unwrap();
            assert_eq!(*lock.read(0, &writer), 2);
        });
    }

    #[test]
    fn an_exclusive_slot_reader_taken_out_of_the_mask_reads_again_safely() {
        a_revoked_reader_reads_again(0);
    }

    #[test]
    fn a_shared_slot_reader_taken_out_of_the_mask_reads_again_safely() {
        a_revoked_reader_reads_again(SHARED_SLOT);
    }

    #[test]
    fn a_reader_of_another_shard_does_not_block_a_writer() {
        model(|| {
            let lock = Arc::new(ShardedLock::<u32, 2>::new());
            let reader = {
                let lock = lock.clone();
                thread::spawn(move || {
                    let me = Thread::new(1);
                    let _other_shard = lock.read(1, &me);
                    let _nested_other_shard = lock.read(1, &me);
                })
            };
            *lock.write(0, &Thread::new(0)) = 1;
            reader.join().unwrap();
        });
    }
}

/// The lock with real threads and real slots: readers must never see a half-done write.
#[cfg(all(test, not(loom)))]
mod tests {
    use super::ShardedLock;
    use crate::sync::reader_slots::CurrentThread;
    use crate::sync::shards::ConstInit;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::thread;

    /// Two halves that a writer keeps equal: a reader that sees them differ saw a write midway.
    #[derive(Clone, Copy)]
    struct Pair(u64, u64);

    impl ConstInit for Pair {
        const INIT: Self = Pair(0, 0);
    }

    static LOCK: ShardedLock<Pair, 2> = ShardedLock::new();

    #[test]
    fn readers_on_other_threads_never_see_a_write_midway() {
        let stop = AtomicBool::new(false);
        thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| {
                    let mut reads = 0_u64;
                    while !stop.load(Ordering::Relaxed) {
                        for shard in 0..2 {
                            let pair = *LOCK.read(shard, &CurrentThread);
                            assert_eq!(pair.0, pair.1, "a read overlapped a write");
                            // A nested read of the same shard is admitted even with writers about.
                            let again = *LOCK.read(shard, &CurrentThread);
                            assert!(again.0 >= pair.0);
                        }
                        reads += 1;
                    }
                    assert!(reads > 0);
                });
            }
            for round in 1..=20_000_u64 {
                let mut pair = LOCK.write(usize::from(round % 2 == 0), &CurrentThread);
                pair.0 += 1;
                // Hold the write half-done for a moment: a reader let in now would see it.
                for _ in 0..64 {
                    std::hint::spin_loop();
                }
                std::hint::black_box(&mut *pair);
                pair.1 += 1;
            }
            stop.store(true, Ordering::Relaxed);
        });
        let total = LOCK.read(0, &CurrentThread).0 + LOCK.read(1, &CurrentThread).0;
        assert_eq!(total, 20_000);
    }
}
