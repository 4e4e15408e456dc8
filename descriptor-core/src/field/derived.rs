//! What `#[derive(Descriptors)]` implements once per owner type, so that each requirement of
//! the owner is checked once, at its `impl`: how its tables key it ([`Keyed`]) and that it may be
//! shared between threads ([`Owner`]). The descriptor's derived constructors ask for them.

use super::diagnostics::SharedOwner;
use crate::table::keying::Keying;

/// How the tables of a derived owner type key it, decided once per type by
/// `#[derive(Descriptors)]` (so that an owner that is not hashable is reported once, at its
/// `impl`). Not a public API.
///
/// A generic owner's accessors ask for it on the method, where the derive's impl is marked
/// `#[diagnostic::do_not_recommend]`: an `impl` of the owner that lacks its parameters' bounds
/// then gets one error per call, this trait's, not one per missing trait of each parameter.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the accessors of `{Self}` need `{Self}: 'static`, and `Hash + Eq` unless it is keyed by identity",
    label = "needs what `#[derive(Descriptors)]` needs of `{Self}`",
    note = "in a generic `impl`, bound each type parameter of the owner as its derives need it, e.g. `impl<T: Hash + Eq + 'static>`"
)]
pub trait Keyed: Sized + 'static {
    /// The keying of every table of this owner type.
    const KEYING: Keying<Self>;
}

/// A derived owner that lives in an `Arc`: its thread safety is checked once, at this `impl`.
/// Not a public API. A generic owner's accessors ask for it as for [`Keyed`].
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the accessors of `{Self}` need `{Self}: Send + Sync + 'static`, and `Hash + Eq` unless it is keyed by identity",
    label = "needs what `#[derive(Descriptors)]` needs of `{Self}`",
    note = "in a generic `impl`, bound each type parameter of the owner as its derives need it, e.g. `impl<T: Hash + Eq + Send + Sync + 'static>`",
    note = "for a type of your own as a parameter, make it thread-safe (and hashable when the owner is keyed by value), or keep the owner in an `Rc` with `#[descriptors(rc)]`"
)]
pub trait Owner: Keyed + SharedOwner {}
