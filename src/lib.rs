//! Python-style data descriptors for Rust. (Guide: see README until the crate guide lands.)

pub use descriptor_core::*;
pub use descriptor_derive::Descriptors;
