//! Every rule a parsed [`Owner`] (or [`KindDef`]) must satisfy before it can be expanded. Each
//! violation is recorded with the span of the tokens to change; all of them are reported
//! together. A kind's rule options are checked as a field's are, where the kind is defined.
//!
//! Rules about types (hashable owner, `PartialOrd` values, lengths, function signatures, the
//! type of a default) are not checked here: the expansion aims the type checker at the user's
//! tokens, and the runtime's `#[diagnostic::on_unimplemented]` messages explain the failure.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{Data, Expr, Fields, GenericArgument, Lit, PathArguments, Type, UnOp};

use crate::ast::{Accessor, DescField, Extended, KindDef, Owner, mentions, params};
use crate::attr::{Assignment, Attr, Bounds, FieldOptions, HashKind, KeyMode};
use crate::ctxt::Ctxt;
use crate::render;

/// Records in `cx` every rule `owner` breaks.
pub fn check(cx: &mut Ctxt, owner: &Owner) {
    check_generics(cx, owner);
    check_extension(cx, owner);
    check_misplaced_attributes(cx, owner);
    check_has_fields(cx, owner);
    check_values(cx, owner);
    check_hash(cx, owner);
    for field in &owner.fields {
        check_lazy(cx, field);
        check_rules(cx, Some(field.value_ty), &field.options);
    }
    check_method_names(cx, owner);
}

/// Records in `cx` every rule `kind` breaks: its shape, and its options as a field's are checked.
pub fn check_kind(cx: &mut Ctxt, kind: &KindDef) {
    check_kind_shape(cx, kind);
    let options = &kind.options;
    if kind.attr.is_none() {
        cx.error_spanned_by(
            kind.ident,
            format!(
                "`#[derive(Kind)]` needs the type of the values `{}` checks and its rules: write \
                 `#[kind(u8, range(max = 100))]` on it",
                kind.ident,
            ),
        );
        return;
    }
    check_field_behaviour(cx, kind);
    if let Some(extends) = options.extends.get()
        && let Type::Path(path) = &extends.value
        && path.qself.is_none()
        && path.path.is_ident(kind.ident)
    {
        cx.error_spanned_by(
            extends,
            format!(
                "`{}` cannot extend itself: `extends` names another kind, whose rules run first",
                kind.ident,
            ),
        );
    }
    // Without a value type (already reported), the checks that need none still run.
    check_rules(cx, options.value_ty.as_ref(), &options.rules);
}

/// A kind names rules and holds no data: a unit struct, without parameters, whose name is all
/// that a field's type needs (`Field<u8, Percent>`).
fn check_kind_shape(cx: &mut Ctxt, kind: &KindDef) {
    let ident = kind.ident;
    let message = format!(
        "`#[derive(Kind)]` goes on a unit struct, as in `struct {ident};`: a kind is a name for a \
         set of rules, and holds no data"
    );
    match kind.data {
        Data::Struct(data) => match &data.fields {
            Fields::Unit => {}
            Fields::Named(fields) => cx.error_spanned_by(fields, message),
            Fields::Unnamed(fields) => cx.error_spanned_by(fields, message),
        },
        Data::Enum(data) => {
            let enum_token = data.enum_token;
            cx.error_spanned_by(quote::quote!(#enum_token #ident), message);
        }
        Data::Union(data) => {
            let union_token = data.union_token;
            cx.error_spanned_by(quote::quote!(#union_token #ident), message);
        }
    }
    if !kind.generics.params.is_empty() {
        cx.error_spanned_by(
            kind.generics,
            format!(
                "a kind cannot have parameters: a field names it as a plain type \
                 (`Field<T, {ident}>`); write one kind for each set of rules, or implement \
                 `Kind<T>` by hand for a kind generic over its values",
            ),
        );
    }
}

/// `default`, `once`, `on_change` and `lazy` say what one field does, not what its values are.
fn check_field_behaviour(cx: &mut Ctxt, kind: &KindDef) {
    let rules = &kind.options.rules;
    let value_ty = kind
        .options
        .value_ty
        .as_ref()
        .map_or_else(|| "T".to_owned(), |ty| render::ty(ty.to_token_stream()));
    let field = format!("Field<{value_ty}, {}>", kind.ident);
    let mut reject = |tokens: proc_macro2::TokenStream, option: &str, example: &str| {
        cx.error_spanned_by(
            tokens,
            format!(
                "`{option}` is per-field behaviour, which a kind cannot carry: put it on each \
                 field of this kind, as in `#[descriptor({example})] x: {field}`"
            ),
        );
    };
    if let Some(default) = rules.default.get() {
        let example = render::tokens(default.to_token_stream());
        reject(default.to_token_stream(), "default", &example);
    }
    if let Some(once) = rules.once.get() {
        reject(once.to_token_stream(), "once", "once");
    }
    if let Some(on_change) = rules.on_change.get() {
        let example = render::tokens(on_change.to_token_stream());
        reject(on_change.to_token_stream(), "on_change", &example);
    }
    if let Some(lazy) = rules.lazy.get() {
        let example = render::tokens(lazy.to_token_stream());
        reject(lazy.to_token_stream(), "lazy", &example);
    }
}

/// The checks of a field's (or a kind's) rule options that can be judged before the type
/// checker does: bounds that are missing, inverted or meant as a length (when the value type is
/// known), an empty `one_of`, a pattern that is not a regular expression.
fn check_rules(cx: &mut Ctxt, value_ty: Option<&Type>, options: &FieldOptions) {
    check_bounds(cx, &options.range);
    check_bounds(cx, &options.length);
    if !value_ty.is_some_and(|value_ty| check_range_of_length(cx, value_ty, options)) {
        check_inverted(cx, &options.range);
    }
    check_inverted(cx, &options.length);
    check_one_of(cx, &options.one_of);
    check_pattern(cx, &options.pattern);
}

/// `hash = keyed` hashes owners by value: with `key = identity` a table hashes addresses, which
/// no input chooses; so it does for fields attached with `extend`, unless `key = value`.
fn check_hash(cx: &mut Ctxt, owner: &Owner) {
    let options = &owner.options;
    let Some(hash) = options.hash.get() else {
        return;
    };
    if options.hash_kind() != HashKind::Keyed || options.key_mode() != KeyMode::Identity {
        return;
    }
    let message = match (options.key.get(), options.extend.get()) {
        (Some(key), _) => format!(
            "`hash = keyed` protects tables keyed by value from keys chosen to collide; with `{} \
             = identity` a table hashes addresses, which no input chooses: remove `hash = keyed`",
            key.keyword,
        ),
        (None, Some(extend)) => format!(
            "`hash = keyed` protects tables keyed by value from keys chosen to collide; the \
             fields attached with `{}` are keyed by identity, and their tables hash addresses, \
             which no input chooses: remove `hash = keyed`, or key by value with `key = value`",
            extend.keyword,
        ),
        (None, None) => return,
    };
    cx.error_spanned_by(hash, message);
}

/// A struct with `extend = Foreign` only lists the fields it attaches to `Foreign`: every member
/// is a `Field`, and the struct options that shape an owner of its own make no sense on it. The
/// type must be one that an `Arc` can hold and name: sized, not the struct itself.
fn check_extension(cx: &mut Ctxt, owner: &Owner) {
    let Some(extend) = owner.options.extend.get() else {
        return;
    };
    let (ident, foreign) = (owner.ident, render::ty(extend.value.to_token_stream()));
    for field in &owner.others {
        let (name, field_ty) = (field.ident, field.ty);
        let ty = render::ty(field_ty.to_token_stream());
        cx.error_spanned_by(
            quote::quote!(#name: #field_ty),
            format!(
                "`{ident}` lists the fields it attaches to `{foreign}` (`extend`), so every member \
                 is a `Field<T>`, and `{}` is a `{ty}`; declare it as `{name}: Field<{ty}>` to \
                 attach it to `{foreign}` too, or keep it elsewhere",
                name.unraw(),
            ),
        );
    }
    if let Some(manual_drop) = owner.options.manual_drop.get() {
        cx.error_spanned_by(
            manual_drop,
            format!(
                "`manual_drop` leaves out the `Drop` that releases an owner's values, and fields \
                 attached to `{foreign}` have none: `{foreign}` is not ours to give a `Drop`, so \
                 the values of a dead `{foreign}` are swept from the tables instead; remove \
                 `manual_drop`"
            ),
        );
    }
    check_extended_type(cx, owner, &extend.value);
    if owner.extended() != Some(Extended::Holdable) {
        return;
    }
    // A parameter that the type does not decide would have to be named at every call.
    for param in params(owner.generics) {
        if !mentions(&[param], extend.value.to_token_stream()) {
            cx.error_spanned_by(
                param,
                format!(
                    "`{param}` does not appear in `{foreign}`, so a method call on an `Arc` of it \
                     cannot tell which `{ident}<..>` it means: every type and const parameter of \
                     `{ident}` must appear in the type it extends, as in `extend = \
                     Channel<{param}>`"
                ),
            );
        }
    }
}

/// The type of `extend`: one that an `Arc` holds (sized) and that names a type of its own.
fn check_extended_type(cx: &mut Ctxt, owner: &Owner, ty: &Type) {
    let (rendered, ident) = (render::ty(ty.to_token_stream()), owner.ident);
    let message = match owner.extended() {
        None | Some(Extended::Holdable | Extended::NotAType) => return,
        Some(Extended::Itself) => format!(
            "`{ident}` cannot attach fields to itself: without `extend`, `#[derive(Descriptors)]` \
             gives `{ident}` fields of its own"
        ),
        Some(Extended::Unnamed) => format!(
            "`extend` needs the type that the fields are attached to, written out, and \
             `{rendered}` names none: write `extend = Connection`"
        ),
        Some(Extended::Unsized) => format!(
            "`{rendered}` is not sized, and fields are attached to the values of a sized type, \
             in `Arc`s of it; attach them to a sized type that holds it, such as a struct of \
             yours around it"
        ),
    };
    cx.error_spanned_by(ty, message);
}

/// `values = Name` and `serde` contradict `no_values`, and the values struct needs a name of its
/// own.
fn check_values(cx: &mut Ctxt, owner: &Owner) {
    let options = &owner.options;
    if let Some(no_values) = options.no_values.get() {
        if let Some(values) = options.values.get() {
            cx.error_spanned_by(
                no_values,
                format!(
                    "`no_values` contradicts `{} = ...`: keep `values = Name` to name the values \
                     struct, or `no_values` to generate none",
                    values.keyword,
                ),
            );
        }
        if let Some(serde) = options.serde.get() {
            cx.error_spanned_by(
                serde,
                "`serde` derives `Serialize` and `Deserialize` for the values struct, which \
                 `no_values` turns off; keep one of the two",
            );
        }
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

/// A `lazy` field computes what it has while unset: a `default` would never be seen, and a
/// `once` field could never be computed again.
fn check_lazy(cx: &mut Ctxt, field: &DescField) {
    let options = &field.options;
    let Some(lazy) = options.lazy.get() else {
        return;
    };
    if let Some(default) = options.default.get() {
        cx.error_spanned_by(
            default,
            format!(
                "`default` contradicts `lazy`: the getter of a `lazy` field computes its value \
                 while it is unset, so a default would never be returned; keep `{lazy}` or the \
                 default",
                lazy = render::tokens(lazy.to_token_stream()),
            ),
        );
    }
    if let Some(once) = options.once.get() {
        cx.error_spanned_by(
            once,
            "`once` contradicts `lazy`: a `lazy` value is computed again after `take_x()`, which \
             a `once` field does not have, and a computed value would make its first `set_x()` \
             fail; keep one of the two",
        );
    }
}

/// `one_of = []` accepts nothing at all.
fn check_one_of(cx: &mut Ctxt, one_of: &Attr<Assignment<syn::ExprArray>>) {
    let Some(one_of) = one_of.get() else { return };
    if one_of.value.elems.is_empty() {
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
fn check_pattern(cx: &mut Ctxt, pattern: &Attr<Assignment<syn::LitStr>>) {
    let Some(pattern) = pattern.get() else { return };
    if let Err(error) = regex_syntax::Parser::new().parse(&pattern.value.value()) {
        cx.error_spanned_by(
            &pattern.value,
            format!("`pattern` is not a valid regular expression: {error}"),
        );
    }
}

/// A table outlives every borrow, so an owner cannot borrow anything: type and const parameters
/// are fine (each instantiation has its tables), lifetime parameters are not.
fn check_generics(cx: &mut Ctxt, owner: &Owner) {
    for param in owner.generics.lifetimes() {
        cx.error_spanned_by(
            param,
            format!(
                "`#[derive(Descriptors)]` does not support lifetime parameters: descriptor tables \
                 outlive every borrow, so an owner must be `'static`; remove `{}` and own the \
                 data (or hold it in an `Arc`) instead",
                param.lifetime,
            ),
        );
    }
}

/// `#[descriptor(...)]` only means something on a `Field<T>`. (With `extend`, a member that is
/// not a `Field` is an error of its own.)
fn check_misplaced_attributes(cx: &mut Ctxt, owner: &Owner) {
    if owner.extends().is_some() {
        return;
    }
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
    // A member wrongly marked, or (with `extend`) any member that is not a `Field`, is the
    // error to fix first.
    let misplaced = owner
        .others
        .iter()
        .any(|field| !field.descriptor_attrs.is_empty() || owner.extends().is_some());
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
fn check_bounds(cx: &mut Ctxt, bounds: &Attr<Bounds>) {
    let Some(bounds) = bounds.get() else { return };
    if bounds.min.is_none() && bounds.max.is_none() && !bounds.had_unknown {
        let name = bounds.keyword.to_string();
        cx.error_spanned_by(
            bounds,
            format!(
                "`{name}` needs at least one bound: write `{name}(min = ...)`, `{name}(max = ...)` \
                 or both"
            ),
        );
    }
}

/// `range` compares the value itself with its bounds: integer bounds on a string or a
/// collection, which can never compare with it, are surely meant as a length. Returns whether
/// it reported that (then the bounds' order is beside the point).
fn check_range_of_length(cx: &mut Ctxt, value_ty: &Type, options: &FieldOptions) -> bool {
    let Some(range) = options.range.get() else {
        return false;
    };
    let Some(unit) = length_unit(value_ty) else {
        return false;
    };
    let bounds = [("min", &range.min), ("max", &range.max)];
    let mut written = Vec::new();
    for (name, bound) in bounds {
        let Some(bound) = bound else { continue };
        let Some(Literal::Int(value)) = literal(bound) else {
            return false;
        };
        if value < 0 {
            return false;
        }
        written.push(format!("{name} = {value}"));
    }
    if written.is_empty() {
        return false;
    }
    let ty = render::ty(value_ty.to_token_stream());
    cx.error_spanned_by(
        range,
        format!(
            "`range` compares a `{ty}` itself with its bounds, and these are integers; to bound \
             its length in {unit}, write `length({})`",
            written.join(", "),
        ),
    );
    true
}

/// What `length` counts in `ty`, if `ty` is spelt as one of the strings or collections it
/// measures (through references and smart pointers): `None` for any other type, whose bounds
/// the type checker judges.
fn length_unit(ty: &Type) -> Option<&'static str> {
    match ty {
        Type::Group(group) => length_unit(&group.elem),
        Type::Paren(paren) => length_unit(&paren.elem),
        Type::Reference(reference) => length_unit(&reference.elem),
        Type::Slice(_) => Some("elements"),
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            match last.ident.to_string().as_str() {
                "String" | "str" => Some("characters"),
                "Vec" | "VecDeque" | "HashMap" | "HashSet" | "BTreeMap" | "BTreeSet" => {
                    Some("elements")
                }
                "Box" | "Rc" | "Arc" | "Cow" => match &last.arguments {
                    PathArguments::AngleBracketed(arguments) => {
                        arguments.args.iter().find_map(|argument| match argument {
                            GenericArgument::Type(inner) => length_unit(inner),
                            _ => None,
                        })
                    }
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

/// `range(min = 10, max = 1)` or `length(min = 5, max = 2)` with literal bounds accepts no value
/// at all: every write would fail at run time.
fn check_inverted(cx: &mut Ctxt, bounds: &Attr<Bounds>) {
    let Some(bounds) = bounds.get() else { return };
    let (Some(min), Some(max)) = (&bounds.min, &bounds.max) else {
        return;
    };
    let (Some(low), Some(high)) = (literal(min), literal(max)) else {
        return;
    };
    if low.compare(&high) != Some(Ordering::Greater) {
        return;
    }
    let keyword = &bounds.keyword;
    let (min, max) = (
        render::tokens(min.to_token_stream()),
        render::tokens(max.to_token_stream()),
    );
    cx.error_spanned_by(
        bounds,
        format!(
            "`{keyword}(min = {min}, max = {max})` accepts no value: its minimum is above its \
             maximum, so every write would fail; swap them: `{keyword}(min = {max}, max = {min})`"
        ),
    );
}

/// A bound written as a literal, for the checks that can judge it before the type checker does.
enum Literal {
    Int(i128),
    Float(f64),
    Char(char),
    Str(String),
}

impl Literal {
    /// The order of two literals of one kind, as the value type orders them (a `String`
    /// compares its bytes, as `str::cmp` does); `None` across kinds, which is a type error the
    /// type checker reports.
    fn compare(&self, other: &Self) -> Option<Ordering> {
        match (self, other) {
            (Self::Int(a), Self::Int(b)) => Some(a.cmp(b)),
            (Self::Float(a), Self::Float(b)) => a.partial_cmp(b),
            (Self::Char(a), Self::Char(b)) => Some(a.cmp(b)),
            (Self::Str(a), Self::Str(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

/// `expr` as a [`Literal`], if it is one (a negated number too); `None` for anything else,
/// including an integer too large for `i128`.
fn literal(expr: &Expr) -> Option<Literal> {
    match expr {
        Expr::Group(group) => literal(&group.expr),
        Expr::Paren(paren) => literal(&paren.expr),
        Expr::Lit(lit) => match &lit.lit {
            Lit::Int(int) => int.base10_parse().ok().map(Literal::Int),
            Lit::Float(float) => float.base10_parse().ok().map(Literal::Float),
            Lit::Char(char) => Some(Literal::Char(char.value())),
            Lit::Str(str) => Some(Literal::Str(str.value())),
            _ => None,
        },
        Expr::Unary(unary) if matches!(unary.op, UnOp::Neg(_)) => match literal(&unary.expr)? {
            Literal::Int(int) => Some(Literal::Int(-int)),
            Literal::Float(float) => Some(Literal::Float(-float)),
            Literal::Char(_) | Literal::Str(_) => None,
        },
        _ => None,
    }
}

/// Two fields must not generate the same method (`x` generates `set_x`, which is also the
/// getter of a field named `set_x`).
fn check_method_names(cx: &mut Ctxt, owner: &Owner) {
    let mut taken: BTreeMap<String, (String, &'static str)> = BTreeMap::new();
    for field in &owner.fields {
        if (owner.is_rc() || owner.extends().is_some())
            && field.ident.unraw() == "hold_notifications"
        {
            let whose = if owner.extends().is_some() {
                "the owners'"
            } else {
                "an `rc` owner's"
            };
            cx.error_spanned_by(
                field.ident,
                format!(
                    "field `hold_notifications` would generate the getter `hold_notifications`, \
                     which is already the method that holds {whose} notifications; rename the \
                     field"
                ),
            );
        }
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
        for accessor in Accessor::of(field) {
            let (method, role) = (accessor.ident(field).unraw().to_string(), accessor.role());
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
