//! What `#[derive(Descriptors)]` implements once per owner type, so that each requirement of
//! the owner is checked once, at its `impl`: how its tables key it ([`Keyed`]) and that it may be
//! shared between threads ([`Owner`]). The descriptor's derived constructors ask for them.
//!
//! A struct with `#[descriptors(extend = Foreign)]` lists fields attached to a type it does not
//! own, which can implement none of these (a trait of this crate for a type of another): the
//! list implements [`Extension<Foreign>`] instead, which says how the tables of its fields key
//! their owners.

use super::diagnostics::{HashableForeign, SharedOwner};
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

/// How the tables of the fields that a struct with `#[descriptors(extend = O)]` attaches to `O`
/// key their owners, implemented by that struct (a trait of this crate for a type of another
/// could not be). Not a public API.
///
/// A generic list's accessors ask for it on the method, as for [`Keyed`].
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the fields that `{Self}` attaches to `{O}` need `{O}: 'static`, and `Hash + Eq` with `key = value`",
    label = "needs what `#[derive(Descriptors)]` with `extend` needs of `{O}`",
    note = "in a generic `impl`, bound each type parameter as the derive needs it, e.g. `impl<T: Send + Sync + 'static>`"
)]
pub trait Extension<O>: 'static {
    /// The keying of every table of the fields this struct attaches to `O`.
    const KEYING: Keying<O>;
}

/// The keying by value of fields attached to `O` (`key = value`), hashed as a `HashMap` does
/// with `keyed`: [`Keying::by_value`] with a compile error that speaks of `extend`. Not a public
/// API.
#[doc(hidden)]
#[must_use]
pub const fn foreign_by_value<O: HashableForeign>(keyed: bool) -> Keying<O> {
    if keyed {
        Keying::by_value_keyed()
    } else {
        Keying::by_value()
    }
}
