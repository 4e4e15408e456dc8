//! Traits that exist for their compile errors: each names a requirement that derived code puts
//! on the user's types, and its `#[diagnostic::on_unimplemented]` says, at the user's tokens,
//! what is missing and how to fix it. All are implemented for every type that meets them.
//!
//! A requirement that is several traits at once (`Send + Sync`) is one trait here whose blanket
//! impl is `#[diagnostic::do_not_recommend]`: a type that misses both is one error, with this
//! trait's message, instead of one error per missing trait.
//!
//! Every trait is re-exported, hidden, at the crate root as well as in `__private`: rustc names
//! a trait by its shortest visible path, and an error should say `weakprop::FieldValue`, not
//! `weakprop::__private::FieldValue`. They stay `#[doc(hidden)]`, which keeps their blanket
//! impls out of the documentation of every user type.

use super::error::ErrorKind;
use super::validate::{self, Length};

/// An owner whose tables every thread may use: `Send + Sync + 'static`.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot own descriptors: an owner must be `Send + Sync + 'static`",
    label = "its descriptor tables are `static`, shared by every thread",
    note = "use thread-safe types in the owner's fields, e.g. `Arc` for `Rc`, `Mutex` or atomics for `Cell`/`RefCell`, owned data for references",
    note = "or, if the owner stays on one thread, keep it in an `Rc` and write `#[descriptors(rc)]`"
)]
pub trait SharedOwner: Send + Sync + 'static {}

#[diagnostic::do_not_recommend]
impl<O: Send + Sync + 'static> SharedOwner for O {}

/// A type that descriptor tables can store: shared between threads and owning no borrow.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a descriptor value: values must be `Send + Sync + 'static`",
    label = "values live in a `static` table shared by every thread",
    note = "use a thread-safe type instead, e.g. `Arc` for `Rc`, `Mutex` or atomics for `Cell`/`RefCell`, an owned type for a reference",
    note = "or, if the owner stays on one thread, keep it in an `Rc` and write `#[descriptors(rc)]`: then values need not be `Send` or `Sync`"
)]
pub trait FieldValue: Send + Sync + 'static {}

#[diagnostic::do_not_recommend]
impl<T: Send + Sync + 'static> FieldValue for T {}

/// A value that `non_empty` can measure: anything with a [`Length`].
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`non_empty` cannot measure values of type `{Self}`",
    label = "`{Self}` has no length",
    note = "`non_empty` applies to strings, slices, arrays, `Vec`, `VecDeque`, maps and sets",
    note = "for a type of your own, implement `weakprop::validate::Length` for it"
)]
pub trait NonEmptyValue: Length {}

impl<T: Length + ?Sized> NonEmptyValue for T {}

/// The check of `non_empty`: [`non_empty`](crate::validate::non_empty), with a compile error
/// that names the option.
///
/// # Errors
///
/// [`ErrorKind::Empty`].
#[doc(hidden)]
pub fn check_non_empty<T: NonEmptyValue + ?Sized>(value: &T) -> Result<(), ErrorKind> {
    validate::non_empty(value)
}
