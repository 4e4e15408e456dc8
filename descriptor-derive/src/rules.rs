//! A field's rules, twice: as the code of its descriptor's write pipeline, and as the text of
//! `FieldInfo::rules` and of the accessors' docs. The code of a set of rule options (`checks`,
//! `coerce_call`) is also what a derived kind's methods are made of.
//!
//! A field of a kind `K` runs `K`'s coercion, then its own, and then `K`'s checks and its own on
//! the result, so that every check sees the value that is stored. `K` is named as `<K as
//! Kind<T>>` at `K`'s tokens wherever it is used: a kind of another value type is then one
//! error there, the same at every use, which rustc reports once.

use proc_macro2::{Delimiter, Group, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{ExprPath, Type};

use crate::ast::DescField;
use crate::attr::{Assignment, Attr, Bounds, FieldOptions};
use crate::context::{Expansion, respan};
use crate::render;

impl Expansion<'_> {
    /// `constructor(owner, field, rules, more_arguments..)` with the field's rules: `coerce` and
    /// `on_change` functions as fn pointers of the signature they need, and every check chained
    /// in one function (its kind's first); each piece spanned at the option it comes from.
    ///
    /// The pieces are closures for a generic owner, whose types they may name, and otherwise
    /// functions declared in a block around the call: the descriptor of a non-generic owner is
    /// built in a `static`'s initializer, where rustc type-checks a function with its signature
    /// written out faster than a closure it has to infer (a sixth of a crate's `cargo check`
    /// with a hundred owners).
    pub fn build_descriptor(
        &self,
        field: &DescField,
        constructor: &TokenStream,
        more_arguments: &TokenStream,
    ) -> TokenStream {
        let (private, value_ty, options) = (&self.private, field.value_ty, &field.options);
        let owner_name = self.owner_name();
        let field_name = field.ident.unraw().to_string();
        let value = local("value", Span::call_site());
        let kind = field.kind.map(|kind| as_kind(private, kind, value_ty));
        let mut pieces = Pieces::new(self.owner.is_generic());

        let mut rules = quote!(#private::Rules::new());
        let mut builder = TokenStream::new();
        match (&kind, options.coerce.get()) {
            (kind, Some(coerce)) => {
                let call = coerce_call(private, value_ty, coerce);
                let first = kind
                    .as_ref()
                    .map(|kind| quote!(let #value = #kind::coerce(#value);));
                let coerce = pieces.function(
                    "coerce",
                    &quote!(#value: #value_ty),
                    &quote!(#value_ty),
                    &quote!({ #first #call }),
                );
                builder.extend(quote!(.coerce(#coerce)));
            }
            // Only if the kind coerces: a field of a kind without a coercion calls none.
            (Some(kind), None) => {
                rules = quote!(#private::kind_coerce(#kind::COERCES, #kind::coerce, #rules));
            }
            (None, None) => {}
        }
        let mut checks: Vec<TokenStream> = kind
            .iter()
            .map(|kind| quote!(#kind::validate(#value)?;))
            .collect();
        checks.extend(checks_of(private, value_ty, options));
        if !checks.is_empty() {
            let check = pieces.function(
                "check",
                &quote!(#value: &#value_ty),
                &quote!(::core::result::Result<(), #private::ErrorKind>),
                &quote!({
                    #(#checks)*
                    ::core::result::Result::Ok(())
                }),
            );
            builder.extend(quote!(.check(#check)));
        }
        if options.once.is_set() {
            builder.extend(quote!(.once()));
        }
        if let Some(on_change) = options.on_change.get() {
            let (pointer, owner, path) = (self.pointer(), self.owner_in_items(), &on_change.value);
            let (old, new) = (
                local("old", Span::call_site()),
                local("new", Span::call_site()),
            );
            let owner_arg = local("owner", Span::call_site());
            let call = self.hook_call(
                path,
                &quote!((#pointer<#owner>, #value_ty)),
                &quote!(OnChangeHook as _, OnChangeOther as _),
                |hook| quote_spanned!(path.span()=> #hook.on_change(#owner_arg, #old, #new)),
            );
            let on_change = pieces.function(
                "on_change",
                &quote! {
                    #owner_arg: &#pointer<#owner>,
                    #old: ::core::option::Option<&#value_ty>,
                    #new: ::core::option::Option<&#value_ty>
                },
                &quote!(()),
                &quote!({ #call }),
            );
            builder.extend(quote!(.on_change(#on_change)));
        }
        pieces.around(quote! {
            #constructor(#owner_name, #field_name, #rules #builder #more_arguments)
        })
    }

    /// The owner's type as an item inside its accessors can name it: a `static` cannot name
    /// `Self`, so a non-generic owner is named by its name (a generic one has no `static`s); the
    /// type that fields attached with `extend` are keyed by, as written.
    pub fn owner_in_items(&self) -> TokenStream {
        if let Some(foreign) = self.foreign() {
            foreign.to_token_stream()
        } else if self.owner.is_generic() {
            quote!(Self)
        } else {
            let ident = self.owner.ident;
            quote!(#ident)
        }
    }

    /// [`hook_call`] with the runtime's path.
    pub fn hook_call(
        &self,
        path: &syn::ExprPath,
        signature: &TokenStream,
        traits: &TokenStream,
        call: impl FnOnce(TokenStream) -> TokenStream,
    ) -> TokenStream {
        hook_call(&self.private, path, signature, traits, call)
    }
}

/// The functions a descriptor's rules are made of: closures in place, or functions declared
/// before the expression that uses them (see [`Expansion::build_descriptor`]).
struct Pieces {
    closures: bool,
    items: TokenStream,
}

impl Pieces {
    fn new(closures: bool) -> Self {
        Self {
            closures,
            items: TokenStream::new(),
        }
    }

    /// A function of `parameters` returning `output`: a closure, or the name of a function
    /// declared for [`around`](Self::around).
    fn function(
        &mut self,
        name: &str,
        parameters: &TokenStream,
        output: &TokenStream,
        body: &TokenStream,
    ) -> TokenStream {
        if self.closures {
            return quote!(|#parameters| -> #output #body);
        }
        let name = Expansion::private_ident(&format!("__weakprop_{name}"));
        self.items
            .extend(quote!(fn #name(#parameters) -> #output #body));
        name.into_token_stream()
    }

    /// `expression`, after the functions it uses.
    fn around(self, expression: TokenStream) -> TokenStream {
        if self.items.is_empty() {
            return expression;
        }
        let items = self.items;
        quote!({ #items #expression })
    }
}

/// `<K as Kind<T>>`, every token at `K`'s: where a kind of another value type is reported.
pub fn as_kind(private: &TokenStream, kind: &Type, value_ty: &Type) -> TokenStream {
    respan(&quote!(<#kind as #private::Kind<#value_ty>>), kind.span())
}

/// The call of a `coerce = path` hook on `value`, located at the path: a function of another
/// signature is one error there, naming the one expected.
pub fn coerce_call(
    private: &TokenStream,
    value_ty: &Type,
    coerce: &Assignment<ExprPath>,
) -> TokenStream {
    let (path, value) = (&coerce.value, local("value", Span::call_site()));
    hook_call(
        private,
        path,
        &quote!((#value_ty,)),
        &quote!(CoerceHook as _, CoerceOther as _),
        |hook| quote_spanned!(path.span()=> #hook.coerce(#value)),
    )
}

/// One statement per check of the options, `runtime_check(value, ...)?;`, each located at its
/// option so that an unmet bound of the check (a value type without a length, say) is reported
/// there.
pub fn checks_of(
    private: &TokenStream,
    value_ty: &Type,
    options: &FieldOptions,
) -> Vec<TokenStream> {
    let mut checks = Vec::new();
    if let Some(range) = options.range.get() {
        let span = range.keyword.span();
        let reference = quote_spanned!(value_ty.span()=> &#value_ty);
        let (bounds, min, max) = typed_bounds(range, &reference, true);
        checks.push(check(
            private,
            span,
            |private, value| quote_spanned!(span=> { #bounds #private::range(#value, #min, #max) }),
        ));
    }
    if let Some(length) = options.length.get() {
        let span = length.keyword.span();
        let (bounds, min, max) = typed_bounds(length, &quote_spanned!(span=> usize), false);
        checks.push(check(private, span, |private, value| {
            quote_spanned!(span=> { #bounds #private::length(#value, #min, #max) })
        }));
    }
    if let Some(one_of) = options.one_of.get() {
        // At the list: a value of the wrong type is reported there ("can't compare").
        let (span, values) = (one_of.value.span(), &one_of.value);
        checks.push(check(
            private,
            span,
            |private, value| quote_spanned!(span=> #private::one_of(#value, &#values)),
        ));
    }
    if let Some(keyword) = options.non_empty.get() {
        let span = keyword.span();
        checks.push(check(
            private,
            span,
            |private, value| quote_spanned!(span=> #private::check_non_empty(#value)),
        ));
    }
    if let Some(pattern) = options.pattern.get() {
        // The runtime decides, by its `regex` feature, between the check and a compile error.
        let (span, regex) = (pattern.keyword.span(), &pattern.value);
        checks.push(check(
            private,
            span,
            |private, value| quote_spanned!(span=> #private::pattern!(#value, #regex)),
        ));
    }
    if let Some(validate) = options.validate.get() {
        // Method lookup on `&&&ValidateCall` takes a function of `&T`, else one of what `T`
        // dereferences to (`&str` for a `String`), else a fallback whose unmet bound names the
        // signature; all at the user's path.
        let (span, path) = (validate.value.span(), &validate.value);
        let call = hook_call(
            private,
            path,
            &quote!((#value_ty,)),
            &quote!(ValidateByDeref as _, ValidateByRef as _, ValidateOther as _),
            |hook| {
                let value = local("value", span);
                quote_spanned!(span=> (&#hook).validate(#value))
            },
        );
        checks.push(quote_spanned!(span=> #call?;));
    }
    checks
}

/// A call of the hook at `path` through the runtime's `Hook<signature, F>` (see its docs):
/// `{ use traits; call(&&Hook::<signature, _>(path, PhantomData)) }`, every token located at
/// the path, so that a function of another signature is one error there, naming the expected
/// signature in the user's types.
pub fn hook_call(
    private: &TokenStream,
    path: &syn::ExprPath,
    signature: &TokenStream,
    traits: &TokenStream,
    call: impl FnOnce(TokenStream) -> TokenStream,
) -> TokenStream {
    let span = path.span();
    let private = respan(private, span);
    let hook = quote_spanned! {span=>
        (&&#private::Hook::<#signature, _>(#path, ::core::marker::PhantomData))
    };
    let call = call(hook);
    quote_spanned! {span=>
        {
            // Each call site uses one of these traits; the others stay unused.
            #[allow(unused_imports)]
            use #private::{#traits};
            #call
        }
    }
}

/// One check, `call?;`, where `call` is given the runtime's path and the checked value, both
/// located at the option's `span`.
fn check(
    private: &TokenStream,
    span: Span,
    call: impl FnOnce(&TokenStream, &syn::Ident) -> TokenStream,
) -> TokenStream {
    let (private, value) = (respan(private, span), local("value", span));
    let call = call(&private, &value);
    quote_spanned!(span=> #call?;)
}

/// A mixed-site name, which cannot collide with a user's function called `value`, located at
/// `at` so that a type error about it points at the option it serves.
pub fn local(name: &str, at: Span) -> syn::Ident {
    syn::Ident::new(name, Span::mixed_site().located_at(at))
}

/// The bounds of `range` or `length` as `let` statements of the bound's type (`&T` or `usize`),
/// and the `Option`s that pass them: a bound of another type is then a "mismatched types" error
/// at the user's expression, with "expected due to this" at the type (the field's own, for
/// `range`). `by_ref` borrows each bound (`range` compares references).
fn typed_bounds(
    bounds: &Bounds,
    ty: &TokenStream,
    by_ref: bool,
) -> (TokenStream, TokenStream, TokenStream) {
    let mut statements = TokenStream::new();
    let mut arg = |name: &str, bound: Option<&syn::Expr>| match bound {
        Some(expr) => {
            let span = expr.span();
            // An invisible group keeps `min = a + b` one operand of `&`; it is located at the
            // expression, where a type error about the bound belongs.
            let mut group = Group::new(Delimiter::None, expr.to_token_stream());
            group.set_span(span);
            let reference = if by_ref {
                quote_spanned!(span=> &)
            } else {
                quote!()
            };
            let name = local(name, span);
            statements.extend(quote_spanned!(span=> let #name: #ty = #reference #group;));
            quote_spanned!(span=> ::core::option::Option::Some(#name))
        }
        None => quote_spanned!(bounds.keyword.span()=> ::core::option::Option::None),
    };
    let min = arg("min", bounds.min.as_ref());
    let max = arg("max", bounds.max.as_ref());
    (statements, min, max)
}

/// The `FieldInfo` literal of one field. `generic` says that the field's value type or kind
/// names the owner's parameters: then its kind's rules are not known until the owner is
/// instantiated, and are joined to the field's own in an array of a fixed size.
pub fn field_info(private: &TokenStream, field: &DescField, generic: bool) -> TokenStream {
    let name = field.ident.unraw().to_string();
    let type_name = render::ty(field.value_ty.to_token_stream());
    let own = rendered(field);
    let rules = match field.kind {
        None => quote!(&[#(#own),*]),
        Some(kind) => {
            let kind_rules = {
                let kind = as_kind(private, kind, field.value_ty);
                quote!(#kind::RULES)
            };
            if own.is_empty() {
                kind_rules
            } else if generic {
                let (own_ty, value_ty) = (Expansion::private_ident("Own"), field.value_ty);
                quote! {{
                    struct #own_ty;
                    impl #private::OwnRules for #own_ty {
                        const RULES: &'static [&'static str] = &[#(#own),*];
                    }
                    #private::KindRules::<#value_ty, #kind, #own_ty>::RULES
                }}
            } else {
                let (first, all) = (
                    Expansion::private_ident("KIND"),
                    Expansion::private_ident("ALL"),
                );
                let count = own.len();
                quote! {{
                    const #first: &[&str] = #kind_rules;
                    const #all: [&str; #first.len() + #count] =
                        #private::join_rules(#first, &[#(#own),*]);
                    &#all
                }}
            }
        }
    };
    let has_default = field.options.default.is_set();
    let once = field.options.once.is_set();
    quote! {
        #private::FieldInfo {
            name: #name,
            type_name: #type_name,
            rules: #rules,
            has_default: #has_default,
            once: #once,
        }
    }
}

/// The field's own rules as the user wrote them, in a fixed order (its kind's are not here).
pub fn rendered(field: &DescField) -> Vec<String> {
    rendered_options(&field.options)
}

/// Options as the user wrote them, in a fixed order.
pub fn rendered_options(options: &FieldOptions) -> Vec<String> {
    fn text<T: ToTokens>(option: &Attr<T>) -> Option<String> {
        option
            .get()
            .map(|tokens| render::tokens(tokens.to_token_stream()))
    }
    [
        text(&options.range),
        text(&options.length),
        text(&options.one_of),
        text(&options.non_empty),
        text(&options.pattern),
        text(&options.validate),
        text(&options.coerce),
        text(&options.default),
        text(&options.lazy),
        text(&options.once),
        text(&options.on_change),
    ]
    .into_iter()
    .flatten()
    .collect()
}
