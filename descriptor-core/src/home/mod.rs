//! The fifth layer: homes for the states of generic owners' fields, which a `static` cannot
//! hold (Rust has no generic statics): a registry of one value per type, in a `static`
//! ([`per_type`]) or in a thread's `thread_local!` ([`thread`]).

pub(crate) mod per_type;
pub(crate) mod thread;
