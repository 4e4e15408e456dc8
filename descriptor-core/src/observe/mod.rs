//! The third layer: observers. A field's observers are its static `on_change` hook and the
//! closures subscribed at run time; both are called after a write, outside every lock, in that
//! order (subscribers in subscription order), unless the owner's notifications are held.
//!
//! - [`change`]: what an observer is given.
//! - [`subscribers`]: subscriber lists and the [`Subscription`](crate::Subscription) guard.
//! - [`notifier`]: one change's delivery, detached from its field.
//! - [`hold`]: batched delivery while an owner's notifications are held.
//! - [`panics`]: every observer runs even if one panics; the first panic resumes after them.

pub(crate) mod change;
pub(crate) mod hold;
pub(crate) mod notifier;
pub(crate) mod panics;
pub(crate) mod subscribers;
