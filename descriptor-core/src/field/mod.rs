//! The fourth layer: fields. A field's marker, its rules and their errors, its descriptor (the
//! write pipeline over a table and its observers) and where the descriptor keeps its state.
//!
//! - [`marker`]: [`Field<T, K>`](crate::Field), what a struct member is declared as;
//!   [`kind`]: [`Kind<T>`](crate::Kind), the reusable rules its `K` names.
//! - [`error`], [`validate`], [`rules`]: what a write is checked against, and what a refused
//!   write returns; [`diagnostics`]: the bounds whose compile errors explain a misuse.
//! - [`descriptor`]: [`Descriptor<O, T>`](crate::Descriptor), one field's values and writes, a
//!   few inlined lines over [`core`], its write pipeline without the owner type;
//!   [`lazy`] guards its computed values.
//! - [`state`]: where a field's table and subscribers live, for each flavor.
//! - [`derived`]: what the derive implements once per owner type.
//! - [`values`]: the halves of an all-or-none load, and the `serde` values struct.

pub(crate) mod core;
pub(crate) mod derived;
pub(crate) mod descriptor;
pub(crate) mod diagnostics;
pub(crate) mod error;
pub(crate) mod kind;
pub(crate) mod lazy;
pub(crate) mod marker;
pub(crate) mod rules;
pub(crate) mod state;
pub mod validate;
pub(crate) mod values;
