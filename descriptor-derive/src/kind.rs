//! `#[derive(Kind)]`: parse a kind's `#[kind(T, ...)]`, validate it as a field's options are
//! validated, and expand `impl Kind<T>` from the same pieces a field's rules are made of
//! (`rules`), so that a derived kind reports the same errors, in the same words and at the same
//! tokens, as its options written on a field.
//!
//! A kind that `extends` another calls the other's `coerce` and `validate` first and lists its
//! rules first. The other kind is named `<Other as Kind<T>>` at its tokens in `extends = Other`:
//! a kind of other values is one error there.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::DeriveInput;
use syn::ext::IdentExt;

use crate::ast::KindDef;
use crate::ctxt::Ctxt;
use crate::rules::{as_kind, checks_of, coerce_call, local, rendered_options};
use crate::valid;

/// The whole derive: parse, validate, then expand, or report every error found next to a
/// fallback `impl Kind` (so that the fields of this kind add no errors of their own).
pub fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::new();
    let kind = KindDef::from_syn(&mut cx, input);
    valid::check_kind(&mut cx, &kind);
    match (cx.check(), &kind.options.value_ty) {
        (Ok(()), Some(value_ty)) => expand(&kind, value_ty),
        (Err(errors), _) => {
            let mut tokens = errors.to_compile_error();
            tokens.extend(fallback(&kind));
            tokens
        }
        // `check_kind` records an error whenever the value type is missing.
        (Ok(()), None) => TokenStream::new(),
    }
}

/// `impl Kind<T> for Name`: its name, its rules' text (the `extends` chain's first), whether it
/// coerces, and `coerce` and `validate` (the extended kind's first); `check` gives `validate`'s
/// error as text.
fn expand(kind: &KindDef, value_ty: &syn::Type) -> TokenStream {
    let krate = &kind.krate;
    let private = quote!(#krate::__private);
    let ident = kind.ident;
    let name = ident.unraw().to_string();
    let options = &kind.options.rules;
    let value = local("value", Span::call_site());
    let parent = kind
        .options
        .extends
        .get()
        .map(|extends| as_kind(&private, &extends.value, value_ty));

    let own = rendered_options(options);
    let entry = if own.is_empty() {
        format!("kind {name}")
    } else {
        format!("kind {name}: {}", own.join(", "))
    };
    let rules = match &parent {
        None => quote!(&[#entry]),
        Some(parent) => {
            let (first, all) = (private_ident("FIRST"), private_ident("ALL"));
            quote! {{
                const #first: &[&str] = #parent::RULES;
                const #all: [&str; #first.len() + 1] = #private::join_rules(#first, &[#entry]);
                &#all
            }}
        }
    };

    let coerce = options.coerce.get();
    let coerces = match (coerce, &parent) {
        (Some(_), _) => quote!(true),
        (None, Some(parent)) => quote!(#parent::COERCES),
        (None, None) => quote!(false),
    };
    let coerce_fn = (coerce.is_some() || parent.is_some()).then(|| {
        let first = parent
            .as_ref()
            .map(|parent| quote!(let #value = #parent::coerce(#value);));
        let own = coerce.map_or_else(
            || quote!(#value),
            |coerce| coerce_call(&private, value_ty, coerce),
        );
        quote! {
            #[inline]
            fn coerce(#value: #value_ty) -> #value_ty {
                #first
                #own
            }
        }
    });

    let first_check = parent
        .as_ref()
        .map(|parent| quote!(#parent::validate(#value)?;));
    let checks = checks_of(&private, value_ty, options);
    quote! {
        #[automatically_derived]
        impl #private::Kind<#value_ty> for #ident {
            const NAME: &'static str = #name;
            const RULES: &'static [&'static str] = #rules;
            const COERCES: bool = #coerces;

            #[inline]
            fn check(
                #value: &#value_ty,
            ) -> ::core::result::Result<(), ::std::string::String> {
                #private::reason(<Self as #private::Kind<#value_ty>>::validate(#value))
            }

            #coerce_fn

            #[inline]
            fn validate(#value: &#value_ty) -> ::core::result::Result<(), #private::ErrorKind> {
                #first_check
                #(#checks)*
                ::core::result::Result::Ok(())
            }
        }
    }
}

/// What a kind with errors still implements, with a `check` that never runs: `Kind<T>`, or
/// without a value type, `Kind<T>` for every `T`. Nothing for a kind with parameters (one of
/// its errors).
fn fallback(kind: &KindDef) -> TokenStream {
    if !kind.generics.params.is_empty() {
        return TokenStream::new();
    }
    let krate = &kind.krate;
    let (ident, name) = (kind.ident, kind.ident.unraw().to_string());
    let any = private_ident("T");
    let (params, value_ty) = match &kind.options.value_ty {
        Some(value_ty) => (TokenStream::new(), quote!(#value_ty)),
        None => (quote!(<#any>), quote!(#any)),
    };
    quote! {
        impl #params #krate::__private::Kind<#value_ty> for #ident {
            const NAME: &'static str = #name;

            fn check(_: &#value_ty) -> ::core::result::Result<(), ::std::string::String> {
                ::core::unreachable!()
            }
        }
    }
}

/// A name of the expansion's own, which no user item or expression can name.
fn private_ident(name: &str) -> syn::Ident {
    syn::Ident::new(name, Span::mixed_site())
}
