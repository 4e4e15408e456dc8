//! [`Shards`]: the one interface of the two ways a table's shards are locked, so that one table
//! serves both flavors of owner: a [`ShardedLock`](super::shard_lock::ShardedLock) for owners in
//! an `Arc`, shared by every thread, or a [`LocalLock`](super::local_lock::LocalLock) of one
//! thread for owners in an `Rc`. Each lock implements it in its own file.

use core::ops::{Deref, DerefMut};

use super::reads::Lent;

/// A value the locks can build their shards from in a `const` context. Not a public API.
#[doc(hidden)]
pub trait ConstInit {
    /// The initial value of every shard.
    const INIT: Self;
}

/// The shards of a table: each readable by many (on one thread, or on all) or writable by one.
#[doc(hidden)]
pub trait Shards<S> {
    /// How many shards there are.
    const COUNT: usize;
    /// All shards, empty.
    const NEW: Self;
    /// Shared access to one shard.
    type Read<'a>: Deref<Target = S>
    where
        Self: 'a,
        S: 'a;
    /// Exclusive access to one shard.
    type Write<'a>: DerefMut<Target = S>
    where
        Self: 'a,
        S: 'a;

    /// Shared access to shard `index`, whose data is lent to `lent` (counted among the
    /// thread's reads until the guard drops).
    fn read(&self, index: usize, lent: Lent) -> Self::Read<'_>;
    /// Exclusive access to shard `index`. The thread must hold no read: callers refuse such a
    /// write first, naming it.
    fn write(&self, index: usize) -> Self::Write<'_>;
    /// Shard `index`, through the only reference to the lock (as it drops, say).
    fn get_mut(&mut self, index: usize) -> &mut S;
}
