//! Traits that exist for their compile errors: each names a requirement that derived code puts
//! on the user's types, and its `#[diagnostic::on_unimplemented]` says, at the user's tokens,
//! what is missing and how to fix it.
//!
//! Every trait is re-exported, hidden, at the crate root as well as in `__private`: rustc names
//! a trait by its shortest visible path, and an error should say `weakprop::FieldValue`, not
//! `weakprop::__private::FieldValue`. They stay `#[doc(hidden)]`, which keeps their blanket
//! impls out of the documentation of every user type.
//!
//! A requirement that is several traits at once (`Send + Sync`) is one trait here whose blanket
//! impl is `#[diagnostic::do_not_recommend]`: a type that misses both is one error, with this
//! trait's message, instead of one error per missing trait. The traits that name a hook's
//! signature or a receiver have no impls at all: they are the unmet bound of a fallback that
//! only a wrong program reaches.

use core::marker::PhantomData;
use core::ops::Deref;

use super::error::ErrorKind;
use super::validate::{self, Length};
use crate::table::keying::HashableOwner;

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

/// A type that fields attached with `#[descriptors(extend = ..)]` may key in tables every thread
/// uses: `Send + Sync + 'static`, as for [`SharedOwner`], told in the words of `extend`.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "fields attached to `Arc<{Self}>` need `{Self}: Send + Sync + 'static`",
    label = "their tables are `static`, shared by every thread",
    note = "if its objects stay on one thread, attach the fields to `Rc<{Self}>` instead: write `#[descriptors(rc)]` beside `extend`"
)]
pub trait SharedForeign: Send + Sync + 'static {}

#[diagnostic::do_not_recommend]
impl<O: Send + Sync + 'static> SharedForeign for O {}

/// A type that fields attached with `#[descriptors(extend = .., key = value)]` may key by value:
/// [`HashableOwner`], told in the words of `extend`, whose default needs no `Hash` or `Eq`.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not hashable, so the fields attached to it cannot be keyed by value",
    label = "`key = value` needs `Hash` and `Eq` of `{Self}`",
    note = "`key = value` finds an owner's values by its `Hash + Eq`, as Python's `WeakKeyDictionary` does",
    note = "remove `key = value`: fields attached with `extend` are keyed by the `Arc` allocation by default, which asks nothing of the type"
)]
pub trait HashableForeign: HashableOwner {}

#[diagnostic::do_not_recommend]
impl<O: HashableOwner + ?Sized> HashableForeign for O {}

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

/// What a getter of an owner `O` asks of its value type, checked where the getter is called:
/// `x()` returns a copy, `with_x()` lends the value and needs nothing.
///
/// Its blanket impl is left to recommend: rustc then says which trait is missing (`Clone`) and
/// suggests deriving it.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not `Clone`, so a getter of `{O}` cannot return a copy of it",
    label = "this getter returns a copy of the stored value",
    note = "borrow the value instead: the field's `with_` method (`with_x` for a field `x`) lends it to a closure"
)]
pub trait GetterClone<O: ?Sized>: Clone {}

impl<O: ?Sized, T: Clone> GetterClone<O> for T {}

/// What `update_x` and `try_update_x` of an owner `O` ask of the value type, checked where
/// they are called: they return a copy of the value they stored.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not `Clone`, so an update of `{O}` cannot return the value it stored",
    label = "`update_` returns a copy of the value it stores",
    note = "to store a value computed from the current one without a copy, read it with the field's `with_` method and write it with `set_`, which is not atomic"
)]
pub trait UpdateClone<O: ?Sized>: Clone {}

impl<O: ?Sized, T: Clone> UpdateClone<O> for T {}

/// What `snapshot` of an owner `O` asks of each value type, checked where it is called.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{O}::snapshot` copies every stored value, and `{Self}` is not `Clone`",
    label = "not `Clone`",
    note = "read such a field with its `with_` method, which lends the value instead of copying it"
)]
pub trait SnapshotClone<O: ?Sized>: Clone {}

impl<O: ?Sized, T: Clone> SnapshotClone<O> for T {}

/// The unmet bound of a method that stores (a setter, a taker, `load`, a `lazy` getter) reached
/// through a plain reference to the owner, `P` being the pointer it needs: `Arc<Owner>`, or
/// `Rc<Owner>` for an `rc` owner. Never implemented.
///
/// The derive gives such an owner a private trait of fallbacks, named after the owner
/// (`CounterWritesNeedArc`), with one method per storing accessor that takes `&self` and asks
/// for this trait: method lookup finds a fallback where the real method's receiver does not
/// match, and the error is this trait's message instead of "no method named `set_x` found".
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "writes need `self: &{P}`, not `&{Self}`",
    label = "this method may store a value, so it needs the owner's `{P}`",
    note = "a descriptor table keeps a weak reference to each owner, which only the owner's `{P}` can give: setters, takers, `load` and the getters of `lazy` fields take `self: &{P}`; other reads take `&self`",
    note = "in a method of `{Self}`, take `self: &{P}` instead of `&self`; an owner with `#[descriptors(rc)]` lives in an `Rc`, one without it in an `Arc`"
)]
pub trait WriteThrough<P: ?Sized> {}

/// What the methods of fields attached with `#[descriptors(extend = ..)]` are called on: the
/// pointer `P` that the type's objects live in (`Arc<O>`, or `Rc<O>` with `rc`), and nothing
/// else.
///
/// The derive implements the fields' trait for `P`, whose methods ask `Self: AttachedTo<P>`, and
/// for the type itself, whose methods never run: a call through a plain reference (`&O`) finds
/// the second, and its error is this trait's message instead of "no method found".
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the fields attached to this type are methods of `{P}`, not of `{Self}`",
    label = "called on a `{Self}`",
    note = "a field's table keeps a weak reference to each object it holds a value for, which only its `{P}` can give: the trait of the fields is implemented for `{P}`",
    note = "take `&{P}` where you took `&{Self}`; to read through a plain reference, ask the field's descriptor, whose `get` and `with` take `&{Self}` (`Stats::retries_descriptor().get(object)` for a field `retries` attached by `Stats`)"
)]
pub trait AttachedTo<P: ?Sized> {}

impl<P: ?Sized> AttachedTo<P> for P {}

/// The body of a fallback method, whose bound (a hook's `*Signature` trait, or
/// [`WriteThrough`]) never holds.
#[doc(hidden)]
#[cold]
pub fn unreachable_fallback() -> ! {
    unreachable!("a descriptor fallback method ran, but its bound is never met")
}

/// A hook function `F` (`validate`, `coerce`, `on_change` or `lazy`) and the signature its
/// option expects, `S`: `(T,)` for a value's hooks, `(P, T)` for those that take the owner's
/// pointer `P` (`Arc<Owner>` or `Rc<Owner>`).
///
/// The derive calls a hook as a method of `&&Hook` (or `&&&Hook`), and each hook's traits are
/// implemented at one level of references each: method lookup takes the first whose bounds may
/// hold, a function of the expected signature, else a fallback whose bound names that signature
/// in the user's types. A function of another signature is then one error, the fallback's,
/// where a coercion to a fn pointer would report "mismatched types" in rustc's terms, and a
/// `Fn` bound "type mismatch in function arguments". A generic function, whose parameters
/// lookup cannot see yet, is taken to be of the expected signature.
#[doc(hidden)]
pub struct Hook<S, F>(pub F, pub PhantomData<fn() -> S>);

/// `validate = f` with `f: fn(&T) -> Result<(), String>`. See [`Hook`].
#[doc(hidden)]
pub trait ValidateByRef<T> {
    /// Runs the validator.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`] with the validator's reason.
    fn validate(&self, value: &T) -> Result<(), ErrorKind>;
}

impl<T, F: Fn(&T) -> Result<(), String>> ValidateByRef<T> for &&Hook<(T,), F> {
    #[inline]
    fn validate(&self, value: &T) -> Result<(), ErrorKind> {
        validate::custom((self.0)(value))
    }
}

/// `validate = f` with `f` a function of what `T` dereferences to: `fn(&str) -> ..` for a
/// `String`. See [`Hook`].
#[doc(hidden)]
pub trait ValidateByDeref<T> {
    /// Runs the validator.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`] with the validator's reason.
    fn validate(&self, value: &T) -> Result<(), ErrorKind>;
}

impl<T: Deref, F: Fn(&T::Target) -> Result<(), String>> ValidateByDeref<T> for &Hook<(T,), F> {
    #[inline]
    fn validate(&self, value: &T) -> Result<(), ErrorKind> {
        validate::custom((self.0)(value))
    }
}

/// `validate = f` with any other `f`: [`ValidateSignature`]'s error. See [`Hook`].
#[doc(hidden)]
pub trait ValidateOther<T, F> {
    /// Never runs: its bound never holds.
    ///
    /// # Errors
    ///
    /// None: it does not return.
    fn validate(&self, _: &T) -> Result<(), ErrorKind>
    where
        F: ValidateSignature<T>,
    {
        unreachable_fallback()
    }
}

impl<T, F> ValidateOther<T, F> for Hook<(T,), F> {}

/// The signature that `validate = path` expects, named in the error of a function that has
/// another. Never implemented.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`validate` expects a function `fn(&{T}) -> Result<(), String>`",
    label = "expected `fn(&{T}) -> Result<(), String>`",
    note = "the validator borrows the value and returns `Err(reason)` to reject it; the reason becomes the error's text",
    note = "it may take what the value dereferences to instead: `fn(&str) -> Result<(), String>` for a `String`, `fn(&[u8]) -> ..` for a `Vec<u8>`"
)]
pub trait ValidateSignature<T> {}

/// `coerce = f` with `f: fn(T) -> T`. See [`Hook`].
#[doc(hidden)]
pub trait CoerceHook<T> {
    /// Runs the coercion.
    fn coerce(&self, value: T) -> T;
}

impl<T, F: Fn(T) -> T> CoerceHook<T> for &Hook<(T,), F> {
    #[inline]
    fn coerce(&self, value: T) -> T {
        (self.0)(value)
    }
}

/// `coerce = f` with any other `f`: [`CoerceSignature`]'s error. See [`Hook`].
#[doc(hidden)]
pub trait CoerceOther<T, F> {
    /// Never runs: its bound never holds.
    fn coerce(&self, _: T) -> T
    where
        F: CoerceSignature<T>,
    {
        unreachable_fallback()
    }
}

impl<T, F> CoerceOther<T, F> for Hook<(T,), F> {}

/// The signature that `coerce = path` expects. Never implemented.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`coerce` expects a function `fn({T}) -> {T}`",
    label = "expected `fn({T}) -> {T}`",
    note = "the coercion takes each written value and returns the one to check and store (trimmed, clamped, ...)"
)]
pub trait CoerceSignature<T> {}

/// `on_change = f` with `f: fn(&P, Option<&T>, Option<&T>)`. See [`Hook`].
#[doc(hidden)]
pub trait OnChangeHook<P, T> {
    /// Runs the observer.
    fn on_change(&self, owner: &P, old: Option<&T>, new: Option<&T>);
}

impl<P, T, F: Fn(&P, Option<&T>, Option<&T>)> OnChangeHook<P, T> for &Hook<(P, T), F> {
    #[inline]
    fn on_change(&self, owner: &P, old: Option<&T>, new: Option<&T>) {
        (self.0)(owner, old, new);
    }
}

/// `on_change = f` with any other `f`: [`OnChangeSignature`]'s error. See [`Hook`].
#[doc(hidden)]
pub trait OnChangeOther<P, T, F> {
    /// Never runs: its bound never holds.
    fn on_change(&self, _: &P, _: Option<&T>, _: Option<&T>)
    where
        F: OnChangeSignature<P, T>,
    {
        unreachable_fallback()
    }
}

impl<P, T, F> OnChangeOther<P, T, F> for Hook<(P, T), F> {}

/// The signature that `on_change = path` expects. Never implemented.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`on_change` expects a function `fn(&{P}, Option<&{T}>, Option<&{T}>)`",
    label = "expected `fn(&{P}, Option<&{T}>, Option<&{T}>)`",
    note = "the observer gets the owner, then the old and the new value (`None` when unset), after each successful set or take"
)]
pub trait OnChangeSignature<P, T> {}

/// `lazy = f` with `f: fn(&P) -> T`. See [`Hook`].
#[doc(hidden)]
pub trait LazyHook<P, T> {
    /// Computes the value.
    fn compute(&self, owner: &P) -> T;
}

impl<P, T, F: Fn(&P) -> T> LazyHook<P, T> for &Hook<(P, T), F> {
    #[inline]
    fn compute(&self, owner: &P) -> T {
        (self.0)(owner)
    }
}

/// `lazy = f` with any other `f`: [`LazySignature`]'s error. See [`Hook`].
#[doc(hidden)]
pub trait LazyOther<P, T, F> {
    /// Never runs: its bound never holds.
    fn compute(&self, _: &P) -> T
    where
        F: LazySignature<P, T>,
    {
        unreachable_fallback()
    }
}

impl<P, T, F> LazyOther<P, T, F> for Hook<(P, T), F> {}

/// The signature that `lazy = path` expects. Never implemented.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`lazy` expects a function `fn(&{P}) -> {T}`",
    label = "expected `fn(&{P}) -> {T}`",
    note = "the function gets the owner by the pointer it lives in, as writes do: reading a `lazy` field may store"
)]
pub trait LazySignature<P, T> {}
