//! A lock over the shards of one table that adapts to how the table is used: in read-mostly
//! phases its readers never write a cache line that another thread writes, and in phases with
//! writes from several threads it is a plain read-write lock per shard, so that threads on
//! different owners cost each other no more than the shard line they happen to share.
//!
//! **Two ways to read.** Each shard has a *state word*: the writer's phase, a count of the
//! readers counted there, and a *bias* bit. While the shard is *biased*, a reader counts itself
//! in its own *slot* instead: a cache line per thread (handed out by [`super::reader_slots`])
//! holding one counter per shard, which no other thread writes. A writer must then *revoke*:
//! look at the counter of every slot that has read the shard (each shard keeps a mask of them)
//! and wait for those that are raised. Looking at another thread's slot costs a cache miss when
//! that thread is busy, so a revocation that had to look at other threads' slots leaves the
//! shard unbiased: its readers count themselves in the state word, as a read-write lock's do,
//! until [`INHIBIT_PER_SLOT`] counted reads per slot looked at have gone by; the next of them
//! sets the bias again. This is BRAVO's *inhibition* (Dice and Kogan, "BRAVO: Biased Locking for
//! Reader-Writer Locks", 2019), counted in reads rather than in time. A thread that reads and
//! writes alone keeps the bias: its revocations look at no one else.
//!
//! **Nested reads.** User code runs under a read (a value's `Clone`, a `with_` closure) and may
//! read again, this shard or another ([`super::reads`] counts the thread's reads). A writer that
//! waits for readers must not make such a read wait: with readers `A` in shard 0 and `B` in
//! shard 1, writers waiting on each, `A` reading shard 1 and `B` shard 0 would wait forever. So
//! a writer goes through two phases: *pending* (it holds the shard against other writers and new
//! outermost readers, and waits for the readers in it) and *active* (it writes). A nested read
//! enters a pending shard, counted, and waits only for an active writer, which runs no user code
//! and waits for nobody. Writes from a thread that holds a read are refused before they start
//! (see [`super::reads`]), so no writer ever waits while holding a read.
//!
//! **Protocol**, for shard `s`:
//!
//! - A reader in slot `i` raises its counter for `s`, *then* loads the state word and the mask.
//!   If the word is biased with its phase free and bit `i` is set, it holds the read. If only
//!   bit `i` is missing, it sets it (`fetch_or`) and loads the word again. Otherwise it lowers
//!   its counter and reads counted.
//! - A counted reader adds itself to the word's count if the phase admits it (free; or pending,
//!   for a nested read), and otherwise takes itself off again and waits.
//! - A writer moves the phase from free to pending with a compare-and-swap. If the bias is set,
//!   it *then* loads the mask and waits until the counter of each slot in it has been seen at
//!   zero. Then it waits for the count to reach zero and moves the phase to active with a
//!   compare-and-swap that requires a zero count (and clears the bias if the revocation looked
//!   at other threads). Releasing frees the phase. A shard that is free, unbiased and unread
//!   takes a writer with one compare-and-swap. So does a biased one that no one reads: the
//!   writer goes straight to active, *then* looks at the mask and the counters as above; if one
//!   is raised, it steps back to pending before it waits, so that nested reads still enter,
//!   and wakes those that parked while it was active.
//! - The bias is set again only by a counted reader, with a compare-and-swap that requires the
//!   phase free.
//!
//! The handshake between a slot reader and a writer is Dekker's: both sides' accesses are
//! `SeqCst`. In their total order, a reader that holds a slot read raised its counter and saw
//! its bit set (or set it) before its last load of the word found it biased and free; that load
//! came before the writer's compare-and-swap to pending, so the writer's later loads of the mask
//! and the counter see both, and it waits. A reader whose load came after sees the phase taken
//! and reads counted. Until the phase is free again, no reader holds a slot read that the writer
//! did not wait for. Counted readers and the writer meet on one word, whose compare-and-swap to
//! active requires a zero count. So a reader never overlaps an active writer.
//!
//! A reader that already holds a slot read of `s` may read `s` again without looking at the
//! word, because its counter has stayed non-zero since it entered: no writer can have become
//! active since.
//!
//! **Waiting** ([`super::wait`]): a short spin, a few yields, then a thread that waits for a
//! writer parks until the writer's release wakes it (a bit in the word says someone is parked),
//! and a writer that waits for counted readers parks until the last of them wakes it. Only a
//! revoking writer, waiting for slot readers who never look at the word on their way out, polls
//! at growing intervals. Threads beyond the exclusive slots always read counted.
//!
//! The protocol is model-checked with `loom`: `RUSTFLAGS="--cfg loom" cargo test -p
//! weakprop-core --release --lib` (`.ci/run` does), and `scripts/loom_mutants.py` checks that
//! the models catch a bug put in each of its steps. Miri (`scripts/miri.sh`) runs the table's
//! tests over it; nightlies before 2026-06-14 report a false Stacked Borrows error in the
//! two-thread tests (rust-lang/miri#5104, fixed then).

use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};
use core::ptr;

#[cfg(loom)]
use super::atomics::ConstPtr;
use super::atomics::{AtomicU32, MutPtr, Ordering, UnsafeCell, handshake_fence};
#[cfg(not(loom))]
use super::reader_slots::CurrentThread;
use super::reader_slots::{SHARED_SLOT, Slot, Threads};
use super::reads::Lent;
use super::shards::ConstInit;
#[cfg(not(loom))]
use super::shards::Shards;
use super::wait::{self, Backoff};

/// The phase bits of a state word.
const PHASE: u32 = 0b11;
/// No writer.
const FREE: u32 = 0;
/// A writer holds the shard and waits for its readers; nested reads still enter.
const PENDING: u32 = 1;
/// A writer writes: no reader enters.
const ACTIVE: u32 = 2;
/// Readers count themselves in their slots. Set only while the phase is free.
const BIASED: u32 = 1 << 2;
/// Threads are parked until the phase is free again: the writer's release wakes them.
const PARKED: u32 = 1 << 3;
/// The pending writer is parked until the count is zero: the last counted reader wakes it.
const DRAINING: u32 = 1 << 4;
/// One counted reader.
const READER: u32 = 1 << 5;
/// The count of counted readers.
const READERS: u32 = !(READER - 1);

/// Counted reads after which a shard is biased again, for each other thread's slot that the
/// last revocation had to look at: a look costs a cache miss or a wait, and reads in a slot
/// save about one each, so a shard goes back to its slots once its reads have paid for the
/// next revocation many times over.
#[cfg(not(loom))]
const INHIBIT_PER_SLOT: u32 = 16;
/// Under loom, the bias comes back at the first counted read, so that models see it.
#[cfg(loom)]
const INHIBIT_PER_SLOT: u32 = 0;

/// Whether a reader may enter a shard whose state word is `state`: any reader while the phase is
/// free, a nested one while a writer only waits.
#[inline]
fn admits(state: u32, nested: bool) -> bool {
    let phase = state & PHASE;
    phase == FREE || (nested && phase == PENDING)
}

/// Whether a slot reader may hold a read of a shard whose state word is `state`.
#[inline]
fn biased_and_free(state: u32) -> bool {
    state & (PHASE | BIASED) == BIASED
}

/// The parking key of the threads that wait for `state`'s writer.
fn phase_key(state: &AtomicU32) -> usize {
    ptr::from_ref(state).addr()
}

/// The parking key of the writer that waits for `state`'s counted readers (the word is aligned,
/// so no other word's key is this).
fn drain_key(state: &AtomicU32) -> usize {
    ptr::from_ref(state).addr() + 1
}

/// Waits until `ready(state)`: backs off, then sets `flag` in the word and parks on `key` until
/// the thread that clears the flag wakes it.
fn wait_for(state: &AtomicU32, key: usize, flag: u32, ready: impl Fn(u32) -> bool) {
    let mut backoff = Backoff::new();
    loop {
        let now = state.load(Ordering::Acquire);
        if ready(now) {
            return;
        }
        if backoff.snooze() {
            continue;
        }
        if now & flag == 0
            && state
                .compare_exchange_weak(now, now | flag, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            continue;
        }
        wait::park(key, || {
            let now = state.load(Ordering::Relaxed);
            !ready(now) && now & flag != 0
        });
    }
}

/// One slot's cache line: a counter per shard, written by the slot's readers only.
#[repr(align(128))]
struct Counters<const N: usize>([AtomicU32; N]);

/// One shard: its state word, its mask of slots that may be reading it (bit `i` for slot `i`),
/// the counted reads left before the bias comes back, and its data, on cache lines of their own.
#[repr(align(128))]
struct Guarded<T> {
    state: AtomicU32,
    slots: AtomicU32,
    inhibit: AtomicU32,
    data: UnsafeCell<T>,
}

impl<T> Guarded<T> {
    /// Reads counted: adds this reader to the state word's count once the phase admits it.
    fn enter_counted(&self, nested: bool) -> &AtomicU32 {
        let state = &self.state;
        loop {
            if admits(state.load(Ordering::Relaxed), nested) {
                let before = state.fetch_add(READER, Ordering::SeqCst);
                if admits(before, nested) {
                    if before & BIASED == 0 {
                        self.count_down();
                    }
                    return state;
                }
                leave_counted(state);
            }
            wait_for(state, phase_key(state), PARKED, |now| admits(now, nested));
        }
    }

    /// One counted read of a shard in its inhibition: the read that finds none left sets the
    /// bias again, if no writer is about. The countdown is a hint, so racing readers may lose
    /// steps.
    fn count_down(&self) {
        let left = self.inhibit.load(Ordering::Relaxed);
        if left > 0 {
            self.inhibit.store(left - 1, Ordering::Relaxed);
            return;
        }
        let now = self.state.load(Ordering::Relaxed);
        if now & (PHASE | BIASED) == FREE {
            // A failure means that a writer or another reader got there first: either is fine.
            let _ =
                self.state
                    .compare_exchange(now, now | BIASED, Ordering::SeqCst, Ordering::Relaxed);
        }
    }
}

/// A counted reader leaves: the last one wakes a writer that waits for the count to drain.
fn leave_counted(state: &AtomicU32) {
    let before = state.fetch_sub(READER, Ordering::Release);
    if before & READERS == READER && before & DRAINING != 0 {
        wait::unpark_all(drain_key(state));
    }
}

/// Slots with counters of their own: the shared slot's threads read counted.
const COUNTED_SLOTS: usize = SHARED_SLOT;

// One bit per slot.
const _: () = assert!(COUNTED_SLOTS <= u32::BITS as usize);
// The count has room for every thread a process may have.
const _: () = assert!(READERS >> READERS.trailing_zeros() >= 1 << 26);

/// `N` shards of `T`, each readable by many threads at once or writable by one. Not a public
/// API: the lock of a [`Shared`](crate::Shared) table.
#[doc(hidden)]
pub struct ShardedLock<T, const N: usize> {
    shards: [Guarded<T>; N],
    readers: [Counters<N>; COUNTED_SLOTS],
}

// SAFETY: the lock hands out `&T` to several threads at once (needs `T: Sync`) and `&mut T` to
// one thread at a time, possibly not the one that created `T` (needs `T: Send`): `RwLock<T>`'s
// conditions. Everything else in it is atomics.
unsafe impl<T: Send + Sync, const N: usize> Sync for ShardedLock<T, N> {}
// SAFETY: moving the lock moves the `T`s it owns: `T: Send`.
unsafe impl<T: Send, const N: usize> Send for ShardedLock<T, N> {}

impl<T: ConstInit, const N: usize> ShardedLock<T, N> {
    /// `N` unlocked, biased shards of `T::INIT`.
    #[cfg(not(loom))]
    pub(crate) const fn new() -> Self {
        Self {
            shards: [const {
                Guarded {
                    state: AtomicU32::new(BIASED),
                    slots: AtomicU32::new(0),
                    inhibit: AtomicU32::new(0),
                    data: UnsafeCell::new(T::INIT),
                }
            }; N],
            readers: [const { Counters([const { AtomicU32::new(0) }; N]) }; COUNTED_SLOTS],
        }
    }

    /// `N` unlocked, biased shards of `T::INIT` (loom's atomics are not `const`).
    #[cfg(loom)]
    pub(crate) fn new() -> Self {
        Self {
            shards: core::array::from_fn(|_| Guarded {
                state: AtomicU32::new(BIASED),
                slots: AtomicU32::new(0),
                inhibit: AtomicU32::new(0),
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
        let hold = if slot.is_exclusive() {
            let counter = &self.readers[slot.index].0[shard];
            let held = counter.load(Ordering::Relaxed);
            if held > 0 {
                // Nested read: this thread's counter already keeps writers from becoming active.
                counter.store(held + 1, Ordering::Relaxed);
                counter
            } else {
                counter.swap(1, Ordering::SeqCst);
                handshake_fence();
                if biased_and_free(guarded.state.load(Ordering::SeqCst))
                    && guarded.slots.load(Ordering::SeqCst) & slot.bit() != 0
                {
                    counter
                } else {
                    Self::enter(guarded, counter, slot, threads.is_reading())
                }
            }
        } else {
            guarded.enter_counted(threads.is_reading())
        };
        ReadGuard {
            guarded,
            hold,
            #[cfg(loom)]
            access: ManuallyDrop::new(guarded.data.get()),
            _reading: threads.enter(lent),
        }
    }

    /// The rest of a read's entry, for a reader whose counter is raised but that found the
    /// shard unbiased, a writer there, or its slot out of the mask: it adds its slot to the mask
    /// if the shard is still biased, and otherwise lowers its counter and reads counted.
    fn enter<'a>(
        guarded: &'a Guarded<T>,
        counter: &'a AtomicU32,
        slot: Slot,
        nested: bool,
    ) -> &'a AtomicU32 {
        if biased_and_free(guarded.state.load(Ordering::SeqCst)) {
            guarded.slots.fetch_or(slot.bit(), Ordering::SeqCst);
            handshake_fence();
            if biased_and_free(guarded.state.load(Ordering::SeqCst)) {
                return counter;
            }
        }
        counter.store(0, Ordering::Release);
        guarded.enter_counted(nested)
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
        let state = &guarded.state;
        let taken = match state.load(Ordering::Relaxed) {
            FREE => state
                .compare_exchange(FREE, ACTIVE, Ordering::Acquire, Ordering::Relaxed)
                .is_ok(),
            BIASED => self.write_biased(guarded, shard, threads.slot()),
            _ => false,
        };
        if !taken {
            self.lock(guarded, shard, threads.slot());
        }
        WriteGuard {
            data: ManuallyDrop::new(guarded.data.get_mut()),
            state,
        }
    }

    /// A write's entry into a biased shard that no one reads or waits for: active at once, then
    /// a look at the slots in the mask. If one is raised (a reader entered before the
    /// compare-and-swap), the writer steps back to pending and waits as [`lock`](Self::lock)
    /// does; either way it holds the shard on return, unless the swap failed (`false`).
    #[inline]
    fn write_biased(&self, guarded: &Guarded<T>, shard: usize, own: Slot) -> bool {
        let state = &guarded.state;
        if state
            .compare_exchange(BIASED, BIASED | ACTIVE, Ordering::SeqCst, Ordering::Relaxed)
            .is_err()
        {
            return false;
        }
        handshake_fence();
        // This thread's own slot is idle: it holds no read.
        let others = guarded.slots.load(Ordering::SeqCst) & !own.bit();
        if others != 0 {
            self.write_beside_others(guarded, shard, others);
        }
        true
    }

    /// The rest of [`write_biased`](Self::write_biased) when other threads' slots are in the
    /// mask: unbias for a while if all are idle, and otherwise step back to pending and wait.
    #[cold]
    fn write_beside_others(&self, guarded: &Guarded<T>, shard: usize, others: u32) {
        let state = &guarded.state;
        let mut slots = others;
        while slots != 0 {
            let index = slots.trailing_zeros() as usize;
            slots &= slots - 1;
            if self.readers[index].0[shard].load(Ordering::SeqCst) != 0 {
                // Pending again (active is pending plus one), so that nested reads can enter,
                // and those that parked while this writer was active must be told so: left
                // asleep, they would wait for this writer, which waits for a read.
                let before = state.fetch_sub(ACTIVE - PENDING, Ordering::SeqCst);
                if before & PARKED != 0 {
                    wait::unpark_all(phase_key(state));
                }
                handshake_fence();
                self.finish(guarded, shard, others, true);
                return;
            }
        }
        Self::inhibit(guarded, others.count_ones());
        state.fetch_and(!BIASED, Ordering::Relaxed);
    }

    /// A write's entry past a biased, read, or written shard: pending, then as
    /// [`finish`](Self::finish) goes on.
    fn lock(&self, guarded: &Guarded<T>, shard: usize, own: Slot) {
        let state = &guarded.state;
        let was_biased = loop {
            let now = state.load(Ordering::Relaxed);
            if now & PHASE != FREE {
                wait_for(state, phase_key(state), PARKED, |now| now & PHASE == FREE);
                continue;
            }
            if state
                .compare_exchange_weak(now, now | PENDING, Ordering::SeqCst, Ordering::Relaxed)
                .is_ok()
            {
                break now & BIASED != 0;
            }
        };
        handshake_fence();
        // This thread's own slot is idle: it holds no read.
        let others = guarded.slots.load(Ordering::SeqCst) & !own.bit();
        self.finish(guarded, shard, others, was_biased);
    }

    /// A pending writer's wait: if the shard is biased, for the readers in the slots of
    /// `others` (leaving the shard unbiased for a while if there are any, see
    /// [`INHIBIT_PER_SLOT`]); then for the counted readers; then active.
    fn finish(&self, guarded: &Guarded<T>, shard: usize, others: u32, biased: bool) {
        let state = &guarded.state;
        let mut unbias = 0;
        if biased && others != 0 {
            self.revoke(shard, others);
            Self::inhibit(guarded, others.count_ones());
            unbias = BIASED;
        }
        loop {
            let now = state.load(Ordering::Acquire);
            if now & READERS == 0 {
                let active = (now & !(PHASE | DRAINING | unbias)) | ACTIVE;
                if state
                    .compare_exchange_weak(now, active, Ordering::Acquire, Ordering::Relaxed)
                    .is_ok()
                {
                    return;
                }
                continue;
            }
            wait_for(state, drain_key(state), DRAINING, |now| now & READERS == 0);
        }
    }

    /// Starts the inhibition that follows a revocation which looked at `slots` other threads'
    /// slots.
    fn inhibit(guarded: &Guarded<T>, slots: u32) {
        guarded
            .inhibit
            .store(INHIBIT_PER_SLOT * slots, Ordering::Relaxed);
    }

    /// Waits until the counter of each slot in `slots` has been seen at zero.
    ///
    /// Slots stay in the mask: a thread that reads the shard again would put its slot back at
    /// the price of a write to the shard's line, and a dormant thread's slot costs a look at a
    /// line nobody writes, which the inhibition that follows a revocation makes rare.
    fn revoke(&self, shard: usize, mut slots: u32) {
        while slots != 0 {
            let index = slots.trailing_zeros() as usize;
            slots &= slots - 1;
            let counter = &self.readers[index].0[shard];
            if counter.load(Ordering::SeqCst) != 0 {
                wait::poll(|| counter.load(Ordering::SeqCst) == 0);
            }
        }
    }
}

/// Shared access to one shard; the read ends when it drops.
#[doc(hidden)]
pub struct ReadGuard<'a, T, Th: Threads> {
    guarded: &'a Guarded<T>,
    /// What holds the read: the thread's counter in its slot, or the shard's state word for a
    /// counted read.
    hold: &'a AtomicU32,
    /// Under loom, the access that loom tracks, dropped as the read ends.
    #[cfg(loom)]
    access: ManuallyDrop<ConstPtr<T>>,
    /// The thread's count of its reads: dropped after the read ends, so that work the thread
    /// deferred to the end of its outermost read runs with no read held.
    _reading: Th::Reading,
}

impl<T, Th: Threads> Deref for ReadGuard<'_, T, Th> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: while this guard lives, its raised slot counter or its place in the count
        // keeps every writer of the shard from becoming active (see the module's protocol), so
        // no `&mut T` exists.
        #[cfg(not(loom))]
        unsafe {
            self.guarded.data.deref()
        }
        // SAFETY: as above.
        #[cfg(loom)]
        unsafe {
            (*self.access).deref()
        }
    }
}

impl<T, Th: Threads> Drop for ReadGuard<'_, T, Th> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: dropped once, here, and not used after.
        #[cfg(loom)]
        unsafe {
            ManuallyDrop::drop(&mut self.access);
        }
        if ptr::eq(self.hold, &self.guarded.state) {
            leave_counted(self.hold);
        } else {
            // Only this thread writes its slot's counters: no read-modify-write needed.
            // Release: the shard's reads happen before a writer sees the counter fall.
            let held = self.hold.load(Ordering::Relaxed);
            self.hold.store(held - 1, Ordering::Release);
        }
    }
}

/// Exclusive access to one shard; the write ends when it drops.
#[doc(hidden)]
pub struct WriteGuard<'a, T> {
    /// Dropped as the write ends, not after: under loom it is the access that loom tracks.
    data: ManuallyDrop<MutPtr<T>>,
    state: &'a AtomicU32,
}

impl<T> Deref for WriteGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: this guard made the shard's phase active with no reader counted and none in a
        // slot: no other reference to the data exists.
        unsafe { (*self.data).deref() }
    }
}

impl<T> DerefMut for WriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes this the only reference through the guard.
        unsafe { (*self.data).deref() }
    }
}

impl<T> Drop for WriteGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: dropped once, here, and not used after.
        unsafe { ManuallyDrop::drop(&mut self.data) };
        // Release: the shard's writes happen before the next reader or writer enters. The
        // count may hold readers that looked in and are backing off: keep it.
        let before = self.state.fetch_and(!(PHASE | PARKED), Ordering::Release);
        if before & PARKED != 0 {
            wait::unpark_all(phase_key(self.state));
        }
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

    /// A reader reads, a writer revokes (leaving the shard unbiased, since it looked at the
    /// reader's slot), and the reader reads again, counted, while a second write comes: that
    /// read sets the bias again (at once under loom), and the second write must revoke it.
    fn a_revoked_reader_reads_again(slot: usize) {
        // Four preemptions: the reader reads, the writer revokes, the reader reads again as the
        // writer finishes, and a second write comes.
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
    fn an_exclusive_slot_reader_reads_again_safely_after_a_revocation() {
        a_revoked_reader_reads_again(0);
    }

    #[test]
    fn a_shared_slot_reader_reads_again_safely_after_a_write() {
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

    /// A writer that went straight to active finds a slot reader and steps back to pending;
    /// meanwhile another thread's nested read found it active and parked. The slot reader waits
    /// for that nested read to complete (as user code under a read may wait for another
    /// thread), so the nested read must be woken by the step back, not by the writer's release.
    #[test]
    fn a_nested_read_parked_behind_a_writer_that_steps_back_is_woken() {
        model_with(3, || {
            let lock = Arc::new(ShardedLock::<u32, 2>::new());
            let (done, nested_done) = loom::sync::mpsc::channel();
            // The slot reader, holding shard 0 until the nested read of shard 0 is done.
            let slot_reader = {
                let lock = lock.clone();
                thread::spawn(move || {
                    let held = lock.read(0, &Thread::new(1), Lent::Closure);
                    nested_done.recv().unwrap();
                    drop(held);
                })
            };
            let nested_reader = {
                let lock = lock.clone();
                thread::spawn(move || {
                    let me = Thread::new(2);
                    let outer = lock.read(1, &me, Lent::Closure);
                    let nested = lock.read(0, &me, Lent::Closure);
                    drop((nested, outer));
                    done.send(()).unwrap();
                })
            };
            *lock.write(0, &Thread::new(0)) += 1;
            slot_reader.join().unwrap();
            nested_reader.join().unwrap();
        });
    }

    /// A shard made unbiased by a write: a counted read sets the bias again (at once under
    /// loom), the same thread's next read takes its slot, and a writer comes meanwhile: it must
    /// revoke the bias the reader set, whichever came first.
    #[test]
    fn a_reader_that_sets_the_bias_again_excludes_the_next_writer() {
        model_with(3, || {
            let lock = Arc::new(ShardedLock::<u32, 1>::new());
            *lock.write(0, &Thread::new(1)) += 1;
            let reader = {
                let lock = lock.clone();
                thread::spawn(move || {
                    let me = Thread::new(0);
                    let counted = *lock.read(0, &me, Lent::Table);
                    let in_slot = *lock.read(0, &me, Lent::Table);
                    assert!(1 <= counted && counted <= in_slot && in_slot <= 2);
                })
            };
            *lock.write(0, &Thread::new(1)) += 1;
            reader.join().unwrap();
            assert_eq!(*lock.read(0, &Thread::new(1), Lent::Table), 2);
        });
    }

    /// A reader holds a counted read while a writer waits for it and parks: the reader's
    /// leaving must wake the writer (loom reports a lost wake-up as a deadlock), and a second
    /// reader that comes while the writer is active must park and be woken by its release.
    #[test]
    fn counted_readers_and_a_writer_wake_each_other() {
        model(|| {
            let lock = Arc::new(ShardedLock::<u32, 1>::new());
            let readers: Vec<_> = [SHARED_SLOT, SHARED_SLOT]
                .into_iter()
                .map(|slot| {
                    let lock = lock.clone();
                    thread::spawn(move || {
                        let value = *lock.read(0, &Thread::new(slot), Lent::Table);
                        assert!(value <= 1);
                    })
                })
                .collect();
            *lock.write(0, &Thread::new(0)) += 1;
            for reader in readers {
                reader.join().unwrap();
            }
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

    /// A value and the version of its last store, as a table's entry keeps them.
    impl ConstInit for (u32, u32) {
        const INIT: Self = (0, 0);
    }

    /// Adds one to the value by compare-and-set, as `Descriptor::update` does: reads the value
    /// and its version under a read, computes, and stores under the write only if the version
    /// is still the one read (the table's `Expected::Version`); else tries again.
    fn increment(lock: &ShardedLock<(u32, u32), 1>, slot: usize) {
        let thread = Thread::new(slot);
        loop {
            let (version, proposal) = {
                let entry = lock.read(0, &thread, Lent::Closure);
                (entry.0, entry.1 + 1)
            };
            let mut entry = lock.write(0, &thread);
            if entry.0 == version {
                *entry = (version + 1, proposal);
                return;
            }
        }
    }

    #[test]
    fn updates_that_compare_the_version_lose_no_increment() {
        model(|| {
            let lock = Arc::new(ShardedLock::<(u32, u32), 1>::new());
            let other = {
                let lock = lock.clone();
                thread::spawn(move || increment(&lock, 1))
            };
            increment(&lock, 0);
            other.join().unwrap();
            assert_eq!(lock.read(0, &Thread::new(0), Lent::Table).1, 2);
        });
    }

    #[test]
    fn an_update_is_never_stored_over_a_set_it_did_not_see() {
        model(|| {
            let lock = Arc::new(ShardedLock::<(u32, u32), 1>::new());
            let setter = {
                let lock = lock.clone();
                thread::spawn(move || {
                    let mut entry = lock.write(0, &Thread::new(1));
                    *entry = (entry.0 + 1, 10);
                })
            };
            increment(&lock, 0);
            setter.join().unwrap();
            // The set came before the update's read (11) or after its store (10); an update
            // computed from 0 and stored over the set (1) would be a lost write.
            let value = lock.read(0, &Thread::new(0), Lent::Table).1;
            assert!(value == 10 || value == 11, "{value}");
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
