//! A field's rules, twice: as the code of its descriptor's write pipeline, and as the text of
//! `FieldInfo::rules` and of the accessors' docs.

use proc_macro2::{Delimiter, Group, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use crate::ast::DescField;
use crate::attr::{Attr, Bounds};
use crate::context::{Expansion, respan};
use crate::render;

impl Expansion<'_> {
    /// `constructor(owner, field, rules, more_arguments..)` with the field's rules: `coerce` and
    /// `on_change` functions as fn pointers of the signature they need, and every check chained
    /// in one closure; each piece spanned at the option it comes from.
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

        let mut builder = TokenStream::new();
        if let Some(coerce) = options.coerce.get() {
            let path = &coerce.value;
            let call = self.hook_call(
                path,
                &quote!((#value_ty,)),
                &quote!(CoerceHook as _, CoerceOther as _),
                |hook| quote_spanned!(path.span()=> #hook.coerce(#value)),
            );
            builder.extend(quote!(.coerce(|#value: #value_ty| -> #value_ty { #call })));
        }
        let checks = self.checks(field);
        if !checks.is_empty() {
            builder.extend(quote! {
                .check(|#value: &#value_ty| -> ::core::result::Result<(), #private::ErrorKind> {
                    #(#checks)*
                    ::core::result::Result::Ok(())
                })
            });
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
            builder.extend(quote!(.on_change(|#owner_arg, #old, #new| #call)));
        }
        quote! {
            #constructor(#owner_name, #field_name, #private::Rules::new() #builder #more_arguments)
        }
    }

    /// The owner's type as an item inside its accessors can name it: a `static` cannot name
    /// `Self`, so a non-generic owner is named by its name (a generic one has no `static`s).
    pub fn owner_in_items(&self) -> TokenStream {
        if self.owner.is_generic() {
            quote!(Self)
        } else {
            let ident = self.owner.ident;
            quote!(#ident)
        }
    }

    /// One statement per check of the field, `runtime_check(value, ...)?;`, each located at its
    /// option so that an unmet bound of the check (a value type without a length, say) is
    /// reported there.
    fn checks(&self, field: &DescField) -> Vec<TokenStream> {
        let (options, value_ty) = (&field.options, field.value_ty);
        let mut checks = Vec::new();
        if let Some(range) = options.range.get() {
            let span = range.keyword.span();
            let reference = quote_spanned!(value_ty.span()=> &#value_ty);
            let (bounds, min, max) = typed_bounds(range, &reference, true);
            checks.push(self.check(span, |private, value| {
                quote_spanned!(span=> { #bounds #private::range(#value, #min, #max) })
            }));
        }
        if let Some(length) = options.length.get() {
            let span = length.keyword.span();
            let (bounds, min, max) = typed_bounds(length, &quote_spanned!(span=> usize), false);
            checks.push(self.check(span, |private, value| {
                quote_spanned!(span=> { #bounds #private::length(#value, #min, #max) })
            }));
        }
        if let Some(one_of) = options.one_of.get() {
            // At the list: a value of the wrong type is reported there ("can't compare").
            let (span, values) = (one_of.value.span(), &one_of.value);
            checks.push(self.check(
                span,
                |private, value| quote_spanned!(span=> #private::one_of(#value, &#values)),
            ));
        }
        if let Some(keyword) = options.non_empty.get() {
            let span = keyword.span();
            checks.push(self.check(
                span,
                |private, value| quote_spanned!(span=> #private::check_non_empty(#value)),
            ));
        }
        if let Some(pattern) = options.pattern.get() {
            // The runtime decides, by its `regex` feature, between the check and a compile error.
            let (span, regex) = (pattern.keyword.span(), &pattern.value);
            checks.push(self.check(
                span,
                |private, value| quote_spanned!(span=> #private::pattern!(#value, #regex)),
            ));
        }
        if let Some(validate) = options.validate.get() {
            // Method lookup on `&&&ValidateCall` takes a function of `&T`, else one of what `T`
            // dereferences to (`&str` for a `String`), else a fallback whose unmet bound names
            // the signature; all at the user's path.
            let (span, path) = (validate.value.span(), &validate.value);
            let call = self.hook_call(
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
    /// `{ use traits; call(&&Hook::<signature, _>(path, PhantomData)) }`, every token located
    /// at the path, so that a function of another signature is one error there, naming the
    /// expected signature in the user's types.
    pub fn hook_call(
        &self,
        path: &syn::ExprPath,
        signature: &TokenStream,
        traits: &TokenStream,
        call: impl FnOnce(TokenStream) -> TokenStream,
    ) -> TokenStream {
        let span = path.span();
        let private = respan(&self.private, span);
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

    /// One check, `call?;`, where `call` is given the runtime's path and the checked value,
    /// both located at the option's `span`.
    fn check(
        &self,
        span: Span,
        call: impl FnOnce(&TokenStream, &syn::Ident) -> TokenStream,
    ) -> TokenStream {
        let (private, value) = (respan(&self.private, span), local("value", span));
        let call = call(&private, &value);
        quote_spanned!(span=> #call?;)
    }
}

/// A mixed-site name, which cannot collide with a user's function called `value`, located at
/// `at` so that a type error about it points at the option it serves.
fn local(name: &str, at: Span) -> syn::Ident {
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

/// The `FieldInfo` literal of one field.
pub fn field_info(private: &TokenStream, field: &DescField) -> TokenStream {
    let name = field.ident.unraw().to_string();
    let type_name = render::ty(field.value_ty.to_token_stream());
    let rules = rendered(field);
    let has_default = field.options.default.is_set();
    let once = field.options.once.is_set();
    quote! {
        #private::FieldInfo {
            name: #name,
            type_name: #type_name,
            rules: &[#(#rules),*],
            has_default: #has_default,
            once: #once,
        }
    }
}

/// The field's rules as the user wrote them, in a fixed order.
pub fn rendered(field: &DescField) -> Vec<String> {
    fn text<T: ToTokens>(option: &Attr<T>) -> Option<String> {
        option
            .get()
            .map(|tokens| render::tokens(tokens.to_token_stream()))
    }
    let options = &field.options;
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
