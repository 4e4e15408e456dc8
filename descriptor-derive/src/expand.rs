//! Turns a valid [`Owner`] into code: per field a getter, a setter, a taker and the accessor of
//! its `static` descriptor; then `impl Descriptors`, `impl Drop` and the compile-time checks.
//!
//! Generated code names the runtime only through `#krate::__private`, `::core` and `::std`,
//! brings nothing into the user's scope, and aims every check at the user's own tokens with
//! `quote_spanned!` so that type errors point at the option that caused them.

use proc_macro2::{Delimiter, Group, Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::DeriveInput;
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use crate::ast::{DescField, Owner};
use crate::attr::{Bounds, KeyMode};
use crate::ctxt::Ctxt;
use crate::{render, valid};

/// The whole derive: parse, validate, then expand, or report every error found.
pub fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::new();
    let owner = Owner::from_syn(&mut cx, input);
    if let Some(owner) = &owner {
        valid::check(&mut cx, owner);
    }
    match (cx.check(), owner) {
        (Ok(()), Some(owner)) => expand(&owner),
        (Err(errors), _) => errors.to_compile_error(),
        // `from_syn` records an error whenever it returns `None`.
        (Ok(()), None) => TokenStream::new(),
    }
}

fn expand(owner: &Owner) -> TokenStream {
    let krate = &owner.krate;
    let private = quote!(#krate::__private);
    let ident = owner.ident;

    let owner_check = match owner.key {
        KeyMode::Value => quote_spanned! {ident.span()=>
            const _: () = #private::assert_hashable_owner::<#ident>();
        },
        KeyMode::Identity => TokenStream::new(),
    };
    let value_checks = owner.fields.iter().map(|field| {
        let value_ty = field.value_ty;
        quote_spanned! {value_ty.span()=>
            const _: () = #private::assert_field_value::<#value_ty>();
        }
    });
    let methods = owner
        .fields
        .iter()
        .map(|field| field_methods(owner, &private, field));
    let (values_struct, values_methods) = match &owner.values {
        Some(values) => (
            values_struct(owner, &private, &values.ident),
            values_methods(owner, &private, &values.ident),
        ),
        None => (TokenStream::new(), TokenStream::new()),
    };
    let infos = owner.fields.iter().map(|field| field_info(&private, field));
    // The owner is hashed once, by its first table (every table of one owner type hashes it
    // alike), and released from each table by that hash.
    let first_descriptor = owner.fields.first().map(descriptor_fn);
    let owner_hash = first_descriptor.map(|first| {
        quote! { let hash = Self::#first().owner_hash(self); }
    });
    let releases = owner.fields.iter().map(|field| {
        let (field_ident, descriptor) = (field.ident, descriptor_fn(field));
        // Touching the marker also keeps rustc from calling the field never read.
        quote! {
            let _ = &self.#field_ident;
            let _ = Self::#descriptor().release_hashed(self, hash);
        }
    });
    let drop = if owner.manual_drop {
        TokenStream::new()
    } else {
        quote! {
            impl ::core::ops::Drop for #ident {
                fn drop(&mut self) {
                    <Self as #private::Descriptors>::release(self);
                }
            }
        }
    };

    quote! {
        #values_struct

        const _: () = {
            #owner_check
            #(#value_checks)*

            // The accessors of a private field may well go unused.
            #[allow(dead_code)]
            impl #ident {
                #(#methods)*
                #values_methods
            }

            impl #private::Descriptors for #ident {
                fn fields() -> &'static [#private::FieldInfo] {
                    const FIELDS: &[#private::FieldInfo] = &[#(#infos),*];
                    FIELDS
                }

                fn release(&self) {
                    #owner_hash
                    #(#releases)*
                }
            }

            #drop
        };
    }
}

/// The values struct, `PersonValues`: an `Option<T>` per field, defined through the runtime's
/// `values_struct!`, which adds the `serde` derives when the runtime has that feature.
fn values_struct(owner: &Owner, private: &TokenStream, values: &syn::Ident) -> TokenStream {
    let vis = owner.vis;
    let owner_name = owner.ident.unraw().to_string();
    let serde_crate = format!(
        "{}::__private::serde",
        render::tokens(owner.krate.to_token_stream())
    );
    let doc = format!(
        "The stored values of a [`{owner_name}`]'s descriptor fields, one `Option` per field: \
         what [`{owner_name}::snapshot`] returns and [`{owner_name}::load`] takes."
    );
    let none_doc = "In a snapshot, `None` is a field that is unset (a `default` is not stored, so \
                    a field that only has its default is `None` too). In a load, `None` leaves \
                    the field as it is.";
    let fields = owner.fields.iter().map(|field| {
        let (docs, vis, value_ty) = (&field.docs, field.vis, field.value_ty);
        // The whole field at the user's type: a value type without `Debug`, `Clone` or
        // `PartialEq` (or, with `serde`, `Serialize`/`Deserialize`) is reported there.
        let vis = respan(&vis.to_token_stream(), value_ty.span());
        let mut ident = field.ident.clone();
        ident.set_span(value_ty.span());
        let ty = quote_spanned!(value_ty.span()=> ::core::option::Option<#value_ty>);
        quote!({ #(#docs)* #vis #ident: #ty })
    });
    quote! {
        #private::values_struct! {
            serde_crate = #serde_crate;
            attrs {
                #[doc = #doc]
                #[doc = ""]
                #[doc = #none_doc]
                #[derive(
                    ::core::default::Default,
                    ::core::fmt::Debug,
                    ::core::clone::Clone,
                    ::core::cmp::PartialEq,
                )]
            }
            item { #vis struct #values }
            fields { #(#fields)* }
        }
    }
}

/// `snapshot` and `load`, with the owner's visibility.
fn values_methods(owner: &Owner, private: &TokenStream, values: &syn::Ident) -> TokenStream {
    let vis = owner.vis;
    let owner_name = owner.ident.unraw().to_string();
    // Mixed-site: no field or user item can collide with these names.
    let values_arg = syn::Ident::new("values", Span::mixed_site());
    let errors = syn::Ident::new("errors", Span::mixed_site());
    let locals: Vec<syn::Ident> = owner
        .fields
        .iter()
        .map(|field| format_ident!("field_{}", field.ident.unraw(), span = Span::mixed_site()))
        .collect();
    let idents: Vec<&syn::Ident> = owner.fields.iter().map(|field| field.ident).collect();
    let descriptors: Vec<syn::Ident> = owner.fields.iter().map(descriptor_fn).collect();
    let stores = owner.fields.iter().zip(&locals).map(|(field, local)| {
        let descriptor = descriptor_fn(field);
        // The runtime's `Send + Sync` bounds on writes are blamed on the field's type.
        respan(
            &quote!(#private::store_for_load(Self::#descriptor(), self, #local, &mut #errors);),
            field.value_ty.span(),
        )
    });

    let snapshot_doc = format!(
        "Returns the values stored for this `{owner_name}`, one `Option` per descriptor field: \
         `None` for a field that is unset. A `default` is not stored, so a field that only has \
         its default is `None`."
    );
    let snapshot_threads_doc = "Each field is read on its own: a write from another thread \
                                during the snapshot may show in one field and not in another.";
    let load_doc = format!(
        "Loads `values` into this `{owner_name}`: every field that is `Some` is coerced and \
         checked against its rules first, and only if all of them pass are they written, in \
         declaration order. A field that is `None` is left as it is."
    );
    let load_errors_doc = "Every field that breaks a rule, all at once and in declaration order; \
                           then nothing was written. A `once` field that is already set counts \
                           as broken.";
    let load_threads_doc = "The load is all-or-none against rule failures, not a transaction: \
                            writes from other threads may interleave between its fields, and \
                            should another thread set a `once` field between the check and the \
                            write, that field's error is returned while the other fields are \
                            written.";
    quote! {
        #[doc = #snapshot_doc]
        #[doc = ""]
        #[doc = #snapshot_threads_doc]
        #[must_use]
        #vis fn snapshot(self: &::std::sync::Arc<Self>) -> #values {
            #values {
                #(#idents: Self::#descriptors().get(self),)*
            }
        }

        #[doc = #load_doc]
        #[doc = ""]
        #[doc = #load_threads_doc]
        #[doc = ""]
        #[doc = "# Errors"]
        #[doc = ""]
        #[doc = #load_errors_doc]
        #vis fn load(
            self: &::std::sync::Arc<Self>,
            #values_arg: #values,
        ) -> ::core::result::Result<(), #private::ValidationErrors> {
            let #values { #(#idents: #locals),* } = #values_arg;
            let mut #errors = #private::ValidationErrors::new();
            #(
                let #locals =
                    #private::validate_for_load(Self::#descriptors(), self, #locals, &mut #errors);
            )*
            if !#errors.is_empty() {
                return ::core::result::Result::Err(#errors);
            }
            #(#stores)*
            #errors.into_result()
        }
    }
}

/// The four (three for `once`) inherent methods of one field.
fn field_methods(owner: &Owner, private: &TokenStream, field: &DescField) -> TokenStream {
    let vis = field.vis;
    let value_ty = field.value_ty;
    let name = field.ident.unraw().to_string();
    let getter = field.ident;
    let setter = format_ident!("set_{}", field.ident.unraw(), span = field.ident.span());
    let taker = format_ident!("take_{}", field.ident.unraw(), span = field.ident.span());
    let descriptor = descriptor_fn(field);
    let rules = rules(field);
    let rules_doc = if rules.is_empty() {
        "It has no rules: every value is accepted.".to_owned()
    } else {
        let list: Vec<String> = rules.iter().map(|rule| format!("`{rule}`")).collect();
        format!("Rules: {}.", list.join(", "))
    };
    let owner_name = owner.ident.unraw().to_string();

    let field_docs = &field.docs;
    let separator = if field_docs.is_empty() {
        quote!()
    } else {
        quote!(#[doc = ""])
    };
    // A value-keyed table's getter calls the owner's `Hash` directly (inlined), not through the
    // table's function pointer.
    let get = match owner.key {
        KeyMode::Value => quote!(get_by_value),
        KeyMode::Identity => quote!(get),
    };
    let getter_method = if let Some(default) = &field.options.default {
        let expr = &default.expr;
        let doc = format!(
            "Returns this owner's `{name}`, or its default `{}` while it is unset.",
            render::tokens(expr.to_token_stream()),
        );
        // The closure's declared return type makes a default of the wrong type an error at the
        // user's expression.
        let default = quote_spanned! {expr.span()=> || -> #value_ty { #expr }};
        quote! {
            #(#field_docs)*
            #separator
            #[doc = #doc]
            #[doc = ""]
            #[doc = #rules_doc]
            #[must_use]
            #[inline]
            #vis fn #getter(self: &::std::sync::Arc<Self>) -> #value_ty {
                Self::#descriptor().#get(self).unwrap_or_else(#default)
            }
        }
    } else {
        let doc = format!("Returns this owner's `{name}`, or `None` while it is unset.");
        quote! {
            #(#field_docs)*
            #separator
            #[doc = #doc]
            #[doc = ""]
            #[doc = #rules_doc]
            #[must_use]
            #[inline]
            #vis fn #getter(self: &::std::sync::Arc<Self>) -> ::core::option::Option<#value_ty> {
                Self::#descriptor().#get(self)
            }
        }
    };

    let set_doc =
        format!("Sets this owner's `{name}` to `value`, if `value` passes the field's rules.");
    let errors_doc = if field.options.once.is_some() {
        format!(
            "Returns a `ValidationError` naming `{owner_name}.{name}` if `value` breaks a rule, or \
             if `{name}` has already been set (`once`). The stored value is then unchanged."
        )
    } else {
        format!(
            "Returns a `ValidationError` naming `{owner_name}.{name}` if `value` breaks a rule. \
             The stored value is then unchanged."
        )
    };
    // The runtime's `Send + Sync` bounds on writes, too, are blamed on the field's type.
    let set_call = respan(
        &quote!(Self::#descriptor().set(self, value)),
        value_ty.span(),
    );
    let take_call = respan(&quote!(Self::#descriptor().take(self)), value_ty.span());
    let taker_method = if field.options.once.is_some() {
        TokenStream::new()
    } else {
        let doc = format!(
            "Removes this owner's `{name}` and returns it, or `None` if it was unset (Python's \
             `del obj.{name}`)."
        );
        quote! {
            #[doc = #doc]
            #[inline]
            #vis fn #taker(self: &::std::sync::Arc<Self>) -> ::core::option::Option<#value_ty> {
                #take_call
            }
        }
    };
    let descriptor_doc = format!(
        "The descriptor behind `{name}`: one table shared by every `{owner_name}`, holding each \
         owner's value."
    );
    let descriptor_static = descriptor_static(owner, private, field);

    quote! {
        #getter_method

        #[doc = #set_doc]
        #[doc = ""]
        #[doc = #rules_doc]
        #[doc = ""]
        #[doc = "# Errors"]
        #[doc = ""]
        #[doc = #errors_doc]
        #[inline]
        #vis fn #setter(
            self: &::std::sync::Arc<Self>,
            value: #value_ty,
        ) -> ::core::result::Result<(), #private::ValidationError> {
            #set_call
        }

        #taker_method

        #[doc = #descriptor_doc]
        #[must_use]
        #vis fn #descriptor() -> &'static #private::Descriptor<Self, #value_ty> {
            #descriptor_static
            &DESCRIPTOR
        }
    }
}

/// `static DESCRIPTOR: Descriptor<Owner, T> = ...;` with the field's rules: `coerce` and
/// `on_change` functions passed as they are, and every check chained in one closure; each piece
/// spanned at the option it comes from.
fn descriptor_static(owner: &Owner, private: &TokenStream, field: &DescField) -> TokenStream {
    let ident = owner.ident;
    let value_ty = field.value_ty;
    let owner_name = ident.unraw().to_string();
    let field_name = field.ident.unraw().to_string();
    let options = &field.options;
    // Mixed-site names cannot collide with a user's function called `value` or `owner`; each
    // use is located at the option it serves, so that a type error there points at the option.
    let local = |name: &str, at: Span| syn::Ident::new(name, Span::mixed_site().located_at(at));
    let value = local("value", Span::call_site());

    // An unhashable owner fails `by_value`'s bound too: blame the struct's name there as well.
    let constructor = match owner.key {
        KeyMode::Value => respan(&quote!(#private::Descriptor::by_value), ident.span()),
        KeyMode::Identity => quote!(#private::Descriptor::by_identity),
    };

    let mut builder = TokenStream::new();
    if let Some(coerce) = &options.coerce {
        // Passed as is: a wrong signature is reported as "expected fn pointer `fn(T) -> T`".
        let path = &coerce.path;
        builder.extend(quote_spanned!(path.span()=> .coerce(#path)));
    }
    let mut checks = Vec::new();
    if let Some(range) = &options.range {
        let (min, max) = bound_args(range, true);
        let value = local("value", range.keyword.span());
        let private = respan(private, range.keyword.span());
        checks.push(quote_spanned! {range.keyword.span()=>
            #private::range(#value, #min, #max)?;
        });
    }
    if let Some(length) = &options.length {
        let (min, max) = bound_args(length, false);
        let value = local("value", length.keyword.span());
        let private = respan(private, length.keyword.span());
        checks.push(quote_spanned! {length.keyword.span()=>
            #private::length(#value, #min, #max)?;
        });
    }
    if let Some(one_of) = &options.one_of {
        // At the list: a value of the wrong type is reported there ("can't compare").
        let values = &one_of.values;
        let value = local("value", values.span());
        let private = respan(private, values.span());
        checks.push(quote_spanned! {values.span()=>
            #private::one_of(#value, &#values)?;
        });
    }
    if let Some(keyword) = &options.non_empty {
        let value = local("value", keyword.span());
        let private = respan(private, keyword.span());
        checks.push(quote_spanned! {keyword.span()=>
            #private::check_non_empty(#value)?;
        });
    }
    if let Some(pattern) = &options.pattern {
        // The runtime decides, by its `regex` feature, between the check and a compile error.
        let (keyword, regex) = (&pattern.keyword, &pattern.regex);
        let value = local("value", keyword.span());
        let private = respan(private, keyword.span());
        checks.push(quote_spanned! {keyword.span()=>
            #private::pattern!(#value, #regex)?;
        });
    }
    if let Some(validate) = &options.validate {
        let path = &validate.path;
        let value = local("value", path.span());
        checks.push(quote_spanned! {path.span()=>
            #private::custom(#path(#value))?;
        });
    }
    if !checks.is_empty() {
        builder.extend(quote! {
            .check(|#value: &#value_ty| -> ::core::result::Result<(), #private::ErrorKind> {
                #(#checks)*
                ::core::result::Result::Ok(())
            })
        });
    }
    if options.once.is_some() {
        builder.extend(quote!(.once()));
    }
    if let Some(on_change) = &options.on_change {
        let path = &on_change.path;
        builder.extend(quote_spanned!(path.span()=> .on_change(#path)));
    }

    // A value type that is not `Send + Sync` fails the static's `Sync`: blame the field's type.
    let static_ty = respan(
        &quote!(#private::Descriptor<#ident, #value_ty>),
        value_ty.span(),
    );
    quote! {
        static DESCRIPTOR: #static_ty = #constructor(
            #owner_name,
            #field_name,
            #private::Rules::new() #builder,
        );
    }
}

/// `tokens` with every token located at `span`, so that an error about the whole call of a
/// runtime function (such as an unmet bound of `range::<T>`) points at the user's option.
fn respan(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut tree| {
            tree.set_span(tree.span().located_at(span));
            tree
        })
        .collect()
}

/// The `min` and `max` arguments of `range` (`Option<&T>`) or `length` (`Option<usize>`).
fn bound_args(bounds: &Bounds, by_ref: bool) -> (TokenStream, TokenStream) {
    let arg = |bound: Option<&syn::Expr>| match bound {
        Some(expr) => {
            // An invisible group keeps `min = a + b` one operand of `&`.
            let expr = Group::new(Delimiter::None, expr.to_token_stream());
            let reference = if by_ref { quote!(&) } else { quote!() };
            quote_spanned!(expr.span()=> ::core::option::Option::Some(#reference #expr))
        }
        None => quote_spanned!(bounds.keyword.span()=> ::core::option::Option::None),
    };
    (arg(bounds.min.as_ref()), arg(bounds.max.as_ref()))
}

/// The `FieldInfo` literal of one field.
fn field_info(private: &TokenStream, field: &DescField) -> TokenStream {
    let name = field.ident.unraw().to_string();
    let type_name = render::ty(field.value_ty.to_token_stream());
    let rules = rules(field);
    let has_default = field.options.default.is_some();
    let once = field.options.once.is_some();
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

/// The field's rules, rendered as written, in the order of the option table.
fn rules(field: &DescField) -> Vec<String> {
    let options = &field.options;
    // `name = tokens`, the tokens printed as a user writes them.
    let assignment = |name: &str, tokens: &dyn ToTokens| {
        format!("{name} = {}", render::tokens(tokens.to_token_stream()))
    };
    let bounds = |bounds: &Bounds| {
        let parts: Vec<String> = [("min", &bounds.min), ("max", &bounds.max)]
            .into_iter()
            .filter_map(|(name, bound)| bound.as_ref().map(|bound| assignment(name, bound)))
            .collect();
        format!("{}({})", bounds.keyword, parts.join(", "))
    };
    let flag = |name: &str, set: bool| set.then(|| name.to_owned());
    [
        options.range.as_ref().map(bounds),
        options.length.as_ref().map(bounds),
        options
            .one_of
            .as_ref()
            .map(|one_of| assignment("one_of", &one_of.values)),
        flag("non_empty", options.non_empty.is_some()),
        options
            .pattern
            .as_ref()
            .map(|pattern| assignment("pattern", &pattern.regex)),
        options
            .validate
            .as_ref()
            .map(|validate| assignment("validate", &validate.path)),
        options
            .coerce
            .as_ref()
            .map(|coerce| assignment("coerce", &coerce.path)),
        options
            .default
            .as_ref()
            .map(|default| assignment("default", &default.expr)),
        flag("once", options.once.is_some()),
        options
            .on_change
            .as_ref()
            .map(|on_change| assignment("on_change", &on_change.path)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// `x_descriptor` for field `x`.
fn descriptor_fn(field: &DescField) -> syn::Ident {
    format_ident!(
        "{}_descriptor",
        field.ident.unraw(),
        span = field.ident.span()
    )
}
