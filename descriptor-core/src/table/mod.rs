//! The second layer: the weak-keyed table, on the locks of [`crate::sync`]. Nothing here knows
//! of fields, rules or observers.
//!
//! - [`flavor`]: which pointer an owner lives in (`Arc` or `Rc`) and which lock guards its
//!   tables.
//! - [`keying`]: how a table recognises a key: by `Hash + Eq`, or by address.
//! - [`keys`]: keys erased, so that [`raw`], the sharded table engine (with its rule that no
//!   user code runs under its locks), is compiled once per value type; [`typed`] puts the key
//!   type back on top, in inlined lines.
//! - [`map`] and [`local_map`]: [`WeakKeyMap`](crate::WeakKeyMap) and
//!   [`LocalWeakKeyMap`](crate::LocalWeakKeyMap), Python's `WeakKeyDictionary` over it.

pub(crate) mod flavor;
pub(crate) mod keying;
pub(crate) mod keys;
pub(crate) mod local_map;
pub(crate) mod map;
pub(crate) mod raw;
pub(crate) mod typed;
