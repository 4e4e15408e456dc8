//! The `#[derive(Descriptors)]` macro of the [`weakprop`](https://docs.rs/weakprop) crate.
//!
//! Use it through the facade, never directly (the facade's documentation runs this example):
//!
//! ```text
//! use weakprop::{Descriptors, Field};
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! pub struct Person {
//!     name: String,
//!     #[descriptor(range(min = 0, max = 150))]
//!     pub age: Field<u32>,
//! }
//! ```
//!
//! Its sibling `#[derive(Kind)]` names a reusable set of rules (`#[kind(u8, range(max = 100))]`
//! on `struct Percent;`), which a field takes as `Field<u8, Percent>`.
//!
//! Each macro works in three steps, each module importing only from those before it:
//! `ast` builds the model of the struct and its options (with `attr`, and `suggest` for
//! did-you-mean), `valid` checks every rule the model must satisfy and reports all violations at
//! once, and `expand` turns a valid model into code. The expansion's shared data is `context`'s
//! `Expansion`, to which `bounds`, `rules`, `accessors` and `values` each add the methods that
//! write their part; `kind` expands a kind from the same pieces of `rules` as a field's rules,
//! and `extension` puts the same accessors in a trait for fields attached to a type of another
//! crate (`#[descriptors(extend = Type)]`). Expansion never fails.

mod accessors;
mod ast;
mod attr;
mod bounds;
mod context;
mod ctxt;
mod expand;
mod extension;
mod kind;
#[cfg(test)]
mod never_panics;
mod render;
mod rules;
mod suggest;
mod valid;
mod values;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Generates the accessors, the `Descriptors` impl and the `Drop` impl of a struct whose
/// `Field<T>` fields are data descriptors.
///
/// See the `weakprop` crate for the options (`#[descriptor(...)]` on fields,
/// `#[descriptors(...)]` on the struct) and the generated methods.
#[proc_macro_derive(Descriptors, attributes(descriptor, descriptors))]
pub fn derive_descriptors(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}

/// Generates `impl Kind<T>` for a unit struct from `#[kind(T, options...)]`: a named, reusable
/// set of rules that a field takes as `Field<T, Name>`.
///
/// See the `weakprop` crate for the options (the rule options of `#[descriptor(...)]`, and
/// `extends = OtherKind`).
// `descriptor` and `descriptors` are claimed only to say, on a kind, what to write instead.
#[proc_macro_derive(Kind, attributes(kind, descriptor, descriptors))]
pub fn derive_kind(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    kind::derive(&input).into()
}
