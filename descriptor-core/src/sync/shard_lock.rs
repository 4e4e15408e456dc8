//! A read-mostly lock over the shards of one table, whose readers never write a cache line
//! that another thread's readers write.
//!
//! A read-write lock keeps its readers in one counter, so two threads reading the same shard
//! bounce that counter's cache line between their cores on every read. Here each reader counts
//! itself in its own *slot*: a cache line per thread (handed out by [`super::reader_slots`])
//! holding one counter per shard. Each shard has a writer word, which readers only load.
//!
//! A writer must look at the counters of every slot that may be reading, but not at the others:
//! each shard keeps a mask of its *active* slots, which a reader adds itself to (once, not at
//! every read) and a writer takes idle slots out of. So a write's cost depends on the threads
//! that read the shard since its last write, not on how many threads ever did.
//!
//! **Nested reads.** User code runs under a read (a value's `Clone`, a `with_` closure) and may
//! read again, this shard or another ([`super::reads`] counts the thread's reads). A writer that
//! waits for readers must not make such a read wait: with readers `A` in shard 0 and `B` in
//! shard 1, writers waiting on each, `A` reading shard 1 and `B` shard 0 would wait forever. So
//! a writer goes through two states: *pending* (it holds the shard against other writers and
//! new outermost readers, and waits for the readers in it) and *active* (it writes). A nested
//! read enters a pending shard, and waits only for an active writer, which runs no user code
//! and waits for nobody. Writes from a thread that holds a read are refused before they start
//! (see [`super::reads`]), so no writer ever waits while holding a read.
//!
//! **Protocol**, for shard `s` and a reader in slot `i`:
//!
//! - A reader raises its counter for `s`, *then* loads `s`'s writer word and `s`'s mask. If the
//!   word admits it (free; or pending, for a nested read) and bit `i` is set, it holds the read.
//!   If bit `i` is clear, it sets it (`fetch_or`) and loads the word again. Whenever the word
//!   does not admit it, it lowers its counter, waits until it would and starts over.
//! - A writer moves the word from free to pending with a compare-and-swap (which excludes other
//!   writers), *then* loads the mask and waits until the counter of each slot in it is zero.
//!   Then it stores *active*, loads the mask again and looks at those counters once more: if
//!   one is raised (a nested read came in meanwhile), it stores pending and waits again.
//!   Finally it takes the slots it found idle (other than its own thread's) out of the mask,
//!   writes, and frees the word.
//!
//! All of these accesses are `SeqCst`, as in Dekker's algorithm. In their total order, a reader
//! that holds the read raised its counter and saw its bit set (or set it) before its last look
//! at the word found it admitting. If that look came before the writer's store of *active*, the
//! raised counter and the bit come before the writer's second look, which sees them and goes
//! back to waiting (only a writer holding the word clears bits, and only of slots whose counter
//! it saw at zero); if it came after, the reader saw *active* and backed off. So a reader never
//! overlaps an active writer.
//!
//! A reader that already holds a read of `s` may read `s` again without looking at the word,
//! because its counter has stayed non-zero since it entered: no writer can have become active
//! since (nor taken its bit out of the mask).
//!
//! A thread in an exclusive slot is the only writer of that slot's counters: it enters with one
//! atomic swap and leaves with a plain release store. Threads beyond the exclusive slots share
//! the last slot with atomic increments; their nested reads need no bookkeeping of their own,
//! since a writer cannot become active while any of them holds a read of the shard.
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
use super::reads::Lent;
use super::shards::{ConstInit, Shards};

/// No writer.
const FREE: u32 = 0;
/// A writer holds the shard and waits for its readers; nested reads still enter.
const PENDING: u32 = 1;
/// A writer writes: no reader enters.
const ACTIVE: u32 = 2;

/// Whether a reader may enter past the writer word `word`: any reader when it is free, a
/// nested one while a writer only waits.
#[inline]
fn admits(word: u32, nested: bool) -> bool {
    word == FREE || (nested && word == PENDING)
}

/// One slot's cache line: a counter per shard, written by the slot's readers only.
#[repr(align(128))]
struct Counters<const N: usize>([AtomicU32; N]);

/// One shard: its writer word, its mask of active reader slots (bit `i` for slot `i`) and its
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
    /// Shared access to shard `shard`, for the current thread as `threads` describes it, lending
    /// the data to `lent`. Always inlined: it is most of a getter, whose caller knows the shard
    /// count and the thread's slot kind (its slow paths are out of line).
    #[inline(always)]
    pub(crate) fn read<Th: Threads>(
        &self,
        shard: usize,
        threads: &Th,
        lent: Lent,
    ) -> ReadGuard<'_, T, Th> {
        let slot = threads.slot();
        let guarded = &self.shards[shard];
        let counter = &self.readers[slot.index].0[shard];
        if slot.is_exclusive() {
            let held = counter.load(Ordering::Relaxed);
            if held > 0 {
                // Nested read: this thread's counter already keeps writers from becoming active.
                counter.store(held + 1, Ordering::Relaxed);
            } else {
                counter.swap(1, Ordering::SeqCst);
                handshake_fence();
                // A free word admits every reader: whether this one is nested matters only when
                // a writer is there.
                if guarded.writer.load(Ordering::SeqCst) != FREE
                    || guarded.active.load(Ordering::SeqCst) & slot.bit() == 0
                {
                    let nested = threads.is_reading();
                    Self::enter(guarded, slot, nested, || {
                        counter.store(0, Ordering::Release);
                        spin_wait(|| admits(guarded.writer.load(Ordering::Acquire), nested));
                        counter.swap(1, Ordering::SeqCst);
                        handshake_fence();
                    });
                }
            }
        } else {
            Self::enter_shared(guarded, counter, slot, threads.is_reading());
        }
        ReadGuard {
            data: guarded.data.get(),
            counter,
            exclusive: slot.is_exclusive(),
            _reading: threads.enter(lent),
        }
    }

    /// The rest of a read's entry, for a reader whose counter is raised but that found the
    /// writer word not admitting it or its slot out of the mask: it adds its slot to the mask,
    /// and backs off (with `retry`, which lowers the counter, waits until the word admits it and
    /// raises the counter again) until the word admits it.
    #[cold]
    fn enter(guarded: &Guarded<T>, slot: Slot, nested: bool, mut retry: impl FnMut()) {
        loop {
            if admits(guarded.writer.load(Ordering::SeqCst), nested) {
                if guarded.active.load(Ordering::SeqCst) & slot.bit() != 0 {
                    return;
                }
                guarded.active.fetch_or(slot.bit(), Ordering::SeqCst);
                handshake_fence();
                if admits(guarded.writer.load(Ordering::SeqCst), nested) {
                    return;
                }
            }
            retry();
        }
    }

    /// A reader in the shared slot: atomic increments. A nested read of a shard this thread
    /// already reads finds the word free or pending (a writer cannot become active while the
    /// shared counter counts this thread), so it needs no bookkeeping of its own.
    #[cold]
    fn enter_shared(guarded: &Guarded<T>, counter: &AtomicU32, slot: Slot, nested: bool) {
        counter.fetch_add(1, Ordering::SeqCst);
        handshake_fence();
        Self::enter(guarded, slot, nested, || {
            counter.fetch_sub(1, Ordering::Release);
            spin_wait(|| admits(guarded.writer.load(Ordering::Acquire), nested));
            counter.fetch_add(1, Ordering::SeqCst);
            handshake_fence();
        });
    }

    /// Exclusive access to shard `shard`. The current thread must hold no read (of any table):
    /// the caller refuses such a write first, naming it (`super::reads::write_under_read`).
    #[inline]
    pub(crate) fn write<'a>(&'a self, shard: usize, threads: &impl Threads) -> WriteGuard<'a, T> {
        debug_assert!(
            !threads.is_reading(),
            "a write under a read was let through"
        );
        let guarded = &self.shards[shard];
        while guarded
            .writer
            .compare_exchange_weak(FREE, PENDING, Ordering::SeqCst, Ordering::Relaxed)
            .is_err()
        {
            spin_wait(|| guarded.writer.load(Ordering::Relaxed) == FREE);
        }
        handshake_fence();
        let idle = loop {
            let idle = self.wait_for_readers(guarded, shard);
            guarded.writer.store(ACTIVE, Ordering::SeqCst);
            handshake_fence();
            if self.readers_left(guarded, shard) {
                break idle;
            }
            // A nested read entered while the writer was pending: wait for it too.
            guarded.writer.store(PENDING, Ordering::SeqCst);
            handshake_fence();
        };
        // Idle slots leave the mask, so that the next writes do not look at them again; this
        // thread's own stays (its counter is on a line this thread has at hand anyway).
        let idle = idle & !threads.slot().bit();
        if idle != 0 {
            guarded.active.fetch_and(!idle, Ordering::SeqCst);
        }
        WriteGuard {
            data: guarded.data.get_mut(),
            writer: &guarded.writer,
        }
    }

    /// Waits until the counter of every slot in `guarded`'s mask has been seen at zero; the
    /// slots that were idle at the first look.
    fn wait_for_readers(&self, guarded: &Guarded<T>, shard: usize) -> u32 {
        let mut idle = 0;
        let mut slots = guarded.active.load(Ordering::SeqCst);
        while slots != 0 {
            let index = slots.trailing_zeros() as usize;
            slots &= slots - 1;
            let counter = &self.readers[index].0[shard];
            if counter.load(Ordering::SeqCst) == 0 {
                idle |= 1 << index;
            } else {
                spin_wait(|| counter.load(Ordering::SeqCst) == 0);
            }
        }
        idle
    }

    /// Whether every slot in `guarded`'s mask reads zero now: the writer's second look, after
    /// it became active.
    fn readers_left(&self, guarded: &Guarded<T>, shard: usize) -> bool {
        let mut slots = guarded.active.load(Ordering::SeqCst);
        while slots != 0 {
            let index = slots.trailing_zeros() as usize;
            slots &= slots - 1;
            if self.readers[index].0[shard].load(Ordering::SeqCst) != 0 {
                return false;
            }
        }
        true
    }
}

/// Shared access to one shard; the read ends when it drops.
#[doc(hidden)]
pub struct ReadGuard<'a, T, Th: Threads> {
    data: ConstPtr<T>,
    counter: &'a AtomicU32,
    exclusive: bool,
    /// The thread's count of its reads: dropped after the counter is lowered, so that work the
    /// thread deferred to the end of its outermost read runs with no read held.
    _reading: Th::Reading,
}

impl<T, Th: Threads> Deref for ReadGuard<'_, T, Th> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: while this guard lives, the reader counter it holds keeps every writer of the
        // shard from becoming active (see the module's protocol), so no `&mut T` exists.
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
        // SAFETY: this guard made the shard's writer word active after seeing every reader
        // counter at zero: no other reference to the data exists.
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

    #[inline(always)]
    fn read(&self, index: usize, lent: Lent) -> Self::Read<'_> {
        ShardedLock::read(self, index, &CurrentThread, lent)
    }

    #[inline]
    fn write(&self, index: usize) -> Self::Write<'_> {
        ShardedLock::write(self, index, &CurrentThread)
    }

    fn get_mut(&mut self, index: usize) -> &mut S {
        self.shards[index].data.get_exclusive()
    }
}

/// The protocol under loom, which runs every interleaving of the threads (with bounded
/// preemption) and fails on a data race in the shard's `UnsafeCell`, a deadlock or a lost
/// wake-up. `RUSTFLAGS="--cfg loom" cargo test -p weakprop-core --release --lib shard_lock`.
#[cfg(all(test, loom))]
mod loom_model {
    use super::ShardedLock;
    use crate::sync::reader_slots::{SHARED_SLOT, Slot, Threads};
    use crate::sync::reads::Lent;
    use crate::sync::shards::ConstInit;
    use core::cell::Cell;
    use loom::sync::Arc;
    use loom::thread;
    use std::rc::Rc;

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

    /// A thread with a fixed slot, counting its own reads as `reads.rs` does.
    struct Thread {
        slot: usize,
        reads: Rc<Cell<u32>>,
    }

    impl Thread {
        fn new(slot: usize) -> Self {
            Self {
                slot,
                reads: Rc::new(Cell::new(0)),
            }
        }
    }

    /// One read of a [`Thread`], counted until it drops.
    struct Reading(Rc<Cell<u32>>);

    impl Drop for Reading {
        fn drop(&mut self) {
            self.0.set(self.0.get() - 1);
        }
    }

    impl Threads for Thread {
        type Reading = Reading;

        fn slot(&self) -> Slot {
            Slot { index: self.slot }
        }

        fn is_reading(&self) -> bool {
            self.reads.get() > 0
        }

        fn enter(&self, _: Lent) -> Reading {
            self.reads.set(self.reads.get() + 1);
            Reading(self.reads.clone())
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
                    let value = *lock.read(0, &Thread::new(slot), Lent::Table);
                    assert!(value == 0 || value == 1);
                })
            };
            // The writer has its own slot: an exclusive slot belongs to one thread at a time.
            *lock.write(0, &Thread::new(1)) += 1;
            reader.join().unwrap();
            assert_eq!(*lock.read(0, &Thread::new(1), Lent::Table), 1);
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
            assert_eq!(*lock.read(0, &Thread::new(0), Lent::Table), 2);
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
            let outer = lock.read(0, &me, Lent::Table);
            let inner = lock.read(0, &me, Lent::Table);
            assert_eq!(*outer, *inner);
            drop(inner);
            drop(outer);
            writer.join().unwrap();
            assert_eq!(*lock.read(0, &me, Lent::Table), 7);
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
                    let first = *lock.read(0, &me, Lent::Table);
                    let second = *lock.read(0, &me, Lent::Table);
                    assert!(first <= second && second <= 2);
                })
            };
            let writer = Thread::new(1);
            *lock.write(0, &writer) += 1;
            *lock.write(0, &writer) += 1;
            reader.join().unwrap();
            assert_eq!(*lock.read(0, &writer, Lent::Table), 2);
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

    /// A reader that holds shard 0 reads shard 1 while a writer of shard 1 goes from pending
    /// to active: the nested read may enter while the writer is pending, and the writer's second
    /// look must then see it and wait again (without that look, loom reports the overlap as a
    /// data race on the shard).
    #[test]
    fn a_nested_read_that_enters_past_a_pending_writer_is_waited_for() {
        model_with(3, || {
            let lock = Arc::new(ShardedLock::<u32, 2>::new());
            let reader = {
                let lock = lock.clone();
                thread::spawn(move || {
                    let me = Thread::new(0);
                    let outer = lock.read(0, &me, Lent::Closure);
                    let nested = lock.read(1, &me, Lent::Closure);
                    assert!(*nested <= 1);
                    drop((nested, outer));
                })
            };
            *lock.write(1, &Thread::new(1)) += 1;
            reader.join().unwrap();
        });
    }

    #[test]
    fn a_reader_of_another_shard_does_not_block_a_writer() {
        model(|| {
            let lock = Arc::new(ShardedLock::<u32, 2>::new());
            let reader = {
                let lock = lock.clone();
                thread::spawn(move || {
                    let me = Thread::new(1);
                    let _other_shard = lock.read(1, &me, Lent::Table);
                    let _nested_other_shard = lock.read(1, &me, Lent::Table);
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
    use crate::sync::reads::Lent;
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
                            let pair = *LOCK.read(shard, &CurrentThread, Lent::Table);
                            assert_eq!(pair.0, pair.1, "a read overlapped a write");
                            // A nested read of the same shard is admitted even with writers about.
                            let again = *LOCK.read(shard, &CurrentThread, Lent::Table);
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
        let total = LOCK.read(0, &CurrentThread, Lent::Table).0
            + LOCK.read(1, &CurrentThread, Lent::Table).0;
        assert_eq!(total, 20_000);
    }
}
