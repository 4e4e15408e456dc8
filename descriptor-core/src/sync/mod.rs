//! The bottom layer: how a table's shards are locked. Nothing here knows of owners, values or
//! fields.
//!
//! - [`shard_lock`]: the lock of a table that every thread shares, whose readers count
//!   themselves on cache lines of their own thread ([`reader_slots`] hands those out), over
//!   the atomics of [`atomics`] (`loom`'s under `--cfg loom`, where this layer is model-checked).
//! - [`wait`]: how its waiters back off, park and poll, never spinning for long.
//! - [`local_lock`]: the lock of a table of one thread.
//! - [`shards`]: the one interface of both, which the table above is written against.
//! - [`reads`]: what the current thread is reading, whichever the lock, and the rule that keeps
//!   user code run during a read from deadlocking: nested reads always complete, writes panic,
//!   and an owner's release waits for the outermost read to end.

pub(crate) mod atomics;
#[cfg(not(loom))]
pub(crate) mod local_lock;
pub(crate) mod reader_slots;
pub(crate) mod reads;
pub(crate) mod shard_lock;
pub(crate) mod shards;
pub(crate) mod wait;
