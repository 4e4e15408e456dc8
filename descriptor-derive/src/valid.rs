//! Every rule a parsed [`Owner`] must satisfy before it can be expanded. Each violation is
//! recorded with the span of the tokens to change; all of them are reported together.
//!
//! Rules about types (hashable owner, `PartialOrd` values, lengths, function signatures, the
//! type of a default) are not checked here: the expansion aims the type checker at the user's
//! tokens, and the runtime's `#[diagnostic::on_unimplemented]` messages explain the failure.

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::GenericParam;
use syn::ext::IdentExt;

use crate::ast::{DescField, Owner};
use crate::attr::{Bounds, OneOf, Pattern};
use crate::ctxt::Ctxt;
use crate::render;

/// Records in `cx` every rule `owner` breaks.
pub fn check(cx: &mut Ctxt, owner: &Owner) {
    check_generics(cx, owner);
    check_misplaced_attributes(cx, owner);
    check_has_fields(cx, owner);
    check_values(cx, owner);
    for field in &owner.fields {
        check_bounds(cx, field.options.range.as_ref());
        check_bounds(cx, field.options.length.as_ref());
        check_one_of(cx, field.options.one_of.as_ref());
        check_pattern(cx, field.options.pattern.as_ref());
    }
    check_method_names(cx, owner);
}

/// `values = Name` and `no_values` contradict each other, and the values struct needs a name of
/// its own.
fn check_values(cx: &mut Ctxt, owner: &Owner) {
    if let Some((values, no_values)) = &owner.values_conflict {
        cx.error_spanned_by(
            no_values,
            format!(
                "`no_values` contradicts `{values} = ...`: keep `values = Name` to name the values \
                 struct, or `no_values` to generate none"
            ),
        );
    }
    if let Some(values) = &owner.values
        && values.named
        && values.ident == *owner.ident
    {
        cx.error_spanned_by(
            &values.ident,
            format!(
                "the values struct cannot be called `{}` like the struct it belongs to; choose \
                 another name, as in `values = {}Values`",
                owner.ident, owner.ident,
            ),
        );
    }
}

/// `one_of = []` accepts nothing at all.
fn check_one_of(cx: &mut Ctxt, one_of: Option<&OneOf>) {
    let Some(one_of) = one_of else { return };
    if one_of.values.elems.is_empty() {
        cx.error_spanned_by(
            one_of,
            "`one_of` needs at least one value: an empty list would reject every value; write \
             `one_of = [a, b, c]`",
        );
    }
}

/// A `pattern` must be a regular expression that the `regex` crate accepts: checked here with
/// its own parser, so that a typo is a compile error at the literal instead of a value that
/// every write fails on.
fn check_pattern(cx: &mut Ctxt, pattern: Option<&Pattern>) {
    let Some(pattern) = pattern else { return };
    if let Err(error) = regex_syntax::Parser::new().parse(&pattern.regex.value()) {
        cx.error_spanned_by(
            &pattern.regex,
            format!("`pattern` is not a valid regular expression: {error}"),
        );
    }
}

/// A descriptor's table is one `static` per field, and a `static` cannot depend on generic
/// parameters of the owner.
fn check_generics(cx: &mut Ctxt, owner: &Owner) {
    for param in &owner.generics.params {
        let message = match param {
            GenericParam::Lifetime(param) => format!(
                "`#[derive(Descriptors)]` does not support lifetime parameters: an owner lives in \
                 an `Arc` that descriptor tables refer to, so it must be `'static`; remove `{}` \
                 and own the data instead",
                param.lifetime,
            ),
            GenericParam::Type(param) => format!(
                "`#[derive(Descriptors)]` does not support generic structs: each descriptor is one \
                 `static` table, which cannot depend on the type parameter `{}`; use a concrete \
                 type",
                param.ident,
            ),
            GenericParam::Const(param) => format!(
                "`#[derive(Descriptors)]` does not support const generics: each descriptor is one \
                 `static` table, which cannot depend on the const parameter `{}`; use a concrete \
                 value",
                param.ident,
            ),
        };
        cx.error_spanned_by(param, message);
    }
}

/// `#[descriptor(...)]` only means something on a `Field<T>`.
fn check_misplaced_attributes(cx: &mut Ctxt, owner: &Owner) {
    for field in &owner.others {
        for attr in &field.descriptor_attrs {
            let ty = render::ty(field.ty.to_token_stream());
            cx.error_spanned_by(
                attr,
                format!(
                    "`#[descriptor]` applies only to fields of type `Field<T>`; to make `{}` a \
                     descriptor field, declare it as `{}: Field<{}>`",
                    field.ident.unraw(),
                    field.ident,
                    ty,
                ),
            );
        }
    }
}

/// A derive without a single `Field<T>` would generate nothing; that is surely a mistake.
fn check_has_fields(cx: &mut Ctxt, owner: &Owner) {
    let misplaced = owner
        .others
        .iter()
        .any(|field| !field.descriptor_attrs.is_empty());
    if owner.fields.is_empty() && !misplaced {
        cx.error_spanned_by(
            owner.ident,
            format!(
                "`{}` has no descriptor fields, so there is nothing to derive; declare a field as \
                 `name: Field<T>` to give it accessors backed by a descriptor",
                owner.ident,
            ),
        );
    }
}

/// `range()` or `length()` with neither bound checks nothing.
fn check_bounds(cx: &mut Ctxt, bounds: Option<&Bounds>) {
    let Some(bounds) = bounds else { return };
    if bounds.min.is_none() && bounds.max.is_none() && !bounds.had_unknown {
        let name = bounds.keyword.to_string();
        cx.error_spanned_by(
            &bounds.tokens,
            format!(
                "`{name}` needs at least one bound: write `{name}(min = ...)`, `{name}(max = ...)` \
                 or both"
            ),
        );
    }
}

/// Two fields must not generate the same method (`x` generates `set_x`, which is also the
/// getter of a field named `set_x`).
fn check_method_names(cx: &mut Ctxt, owner: &Owner) {
    let mut taken: BTreeMap<String, (String, &'static str)> = BTreeMap::new();
    for field in &owner.fields {
        if owner.values.is_some() {
            let name = field.ident.unraw().to_string();
            if name == "snapshot" || name == "load" {
                cx.error_spanned_by(
                    field.ident,
                    format!(
                        "field `{name}` would generate the getter `{name}`, which is already the \
                         method that {} every field at once; rename the field, or write \
                         `#[descriptors(no_values)]` to generate no `snapshot` and `load`",
                        if name == "load" { "loads" } else { "snapshots" },
                    ),
                );
            }
        }
        for (method, role) in method_names(field) {
            let name = field.ident.unraw().to_string();
            if let Some((other, other_role)) = taken.get(&method) {
                cx.error_spanned_by(
                    field.ident,
                    format!(
                        "field `{name}` would generate the {role} `{method}`, which is already the \
                         {other_role} of field `{other}`; rename one of the two fields"
                    ),
                );
            } else {
                taken.insert(method, (name, role));
            }
        }
    }
}

/// The inherent methods generated for `field`, with what each is, for error messages.
fn method_names(field: &DescField) -> Vec<(String, &'static str)> {
    let name = field.ident.unraw().to_string();
    let mut names = vec![
        (name.clone(), "getter"),
        (format!("set_{name}"), "setter"),
        (format!("{name}_descriptor"), "descriptor accessor"),
    ];
    if field.options.once.is_none() {
        names.push((format!("take_{name}"), "taker"));
    }
    names
}
