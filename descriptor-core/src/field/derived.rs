//! What `#[derive(Descriptors)]` implements once per owner type, so that each requirement of
//! the owner is checked once, at its `impl`: how its tables key it ([`Keyed`]) and that it may be
//! shared between threads ([`Owner`]). The descriptor's derived constructors ask for them.

use super::diagnostics::SharedOwner;
use crate::table::keying::Keying;

/// How the tables of a derived owner type key it, decided once per type by
/// `#[derive(Descriptors)]` (so that an owner that is not hashable is reported once, at its
/// `impl`). Not a public API.
#[doc(hidden)]
pub trait Keyed: Sized + 'static {
    /// The keying of every table of this owner type.
    const KEYING: Keying<Self>;
}

/// A derived owner that lives in an `Arc`: its thread safety is checked once, at this `impl`.
/// Not a public API.
#[doc(hidden)]
pub trait Owner: Keyed + SharedOwner {}
