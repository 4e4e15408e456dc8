//! [`Expansion`]: the plain data that every part of the expansion shares — the owner, the
//! runtime's path, whether this is a fallback expansion — and the names of the items it
//! generates. Each part (`accessors`, `values`, `bounds`, `rules`, and `expand`, which puts
//! them together) adds its methods to it from its own file; nothing here calls them.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::quote;
use syn::ext::IdentExt;

use crate::ast::{Accessor, DescField, Owner};

/// One owner being expanded, and what every part of the expansion needs to know of it.
pub struct Expansion<'a> {
    pub owner: &'a Owner<'a>,
    /// `#krate::__private`.
    pub private: TokenStream,
    /// Whether the input had errors: then items keep their signatures, and every body is one
    /// that never runs (the build fails anyway).
    pub fallback: bool,
}

impl<'a> Expansion<'a> {
    pub fn new(owner: &'a Owner<'a>, fallback: bool) -> Self {
        let krate = &owner.krate;
        Self {
            owner,
            private: quote!(#krate::__private),
            fallback,
        }
    }

    /// `Owner<A, B>`, the owner type with its parameters.
    pub fn self_ty(&self) -> TokenStream {
        let ident = self.owner.ident;
        let (_, ty_generics, _) = self.owner.generics.split_for_impl();
        quote!(#ident #ty_generics)
    }

    /// The pointer the owner lives in: `::std::sync::Arc`, or `::std::rc::Rc` with `rc`.
    pub fn pointer(&self) -> TokenStream {
        if self.owner.is_rc() {
            quote!(::std::rc::Rc)
        } else {
            quote!(::std::sync::Arc)
        }
    }

    /// The type of the field's descriptor: `Descriptor<Self, T>`, or with `rc`
    /// `Descriptor<Self, T, Local>`.
    pub fn descriptor_ty(&self, owner: &TokenStream, value_ty: &syn::Type) -> TokenStream {
        let private = &self.private;
        if self.owner.is_rc() {
            quote!(#private::Descriptor<#owner, #value_ty, #private::Local>)
        } else {
            quote!(#private::Descriptor<#owner, #value_ty>)
        }
    }

    /// `body`, or in a fallback expansion a body that never runs.
    pub fn body(&self, body: TokenStream) -> TokenStream {
        if self.fallback {
            quote!({ ::core::unreachable!() })
        } else {
            quote!({ #body })
        }
    }

    /// An identifier of the expansion's own, which no user item or expression can name.
    pub fn private_ident(name: &str) -> syn::Ident {
        syn::Ident::new(name, Span::mixed_site())
    }

    /// The owner's name, for messages and `ValidationError::owner`.
    pub fn owner_name(&self) -> String {
        self.owner.ident.unraw().to_string()
    }
}

/// `x_descriptor` for field `x`.
pub fn descriptor_fn(field: &DescField) -> syn::Ident {
    Accessor::Descriptor.ident(field)
}

/// The `thread_local!` registry of a generic `rc` owner's field `x`, and the function that
/// reaches a state in it: `x_states`. The registry is `X_STATES`.
pub fn local_states(field: &DescField) -> syn::Ident {
    Expansion::private_ident(&format!("{}_states", field.ident.unraw()))
}

pub fn local_states_static(field: &DescField) -> syn::Ident {
    let name = field.ident.unraw().to_string().to_uppercase();
    Expansion::private_ident(&format!("{name}_STATES"))
}

/// The registry of a generic owner's field `x`: `X_TABLES`.
pub fn tables_static(field: &DescField) -> syn::Ident {
    let name = field.ident.unraw().to_string().to_uppercase();
    Expansion::private_ident(&format!("{name}_TABLES"))
}

/// `tokens` with every token, inside groups too, located at `span`, so that an error about the
/// whole call of a runtime function (such as an unmet bound of `range::<T>`) points at the
/// user's option.
pub fn respan(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => {
                let mut respanned = Group::new(group.delimiter(), respan(&group.stream(), span));
                respanned.set_span(group.span().located_at(span));
                TokenTree::Group(respanned)
            }
            mut tree => {
                tree.set_span(tree.span().located_at(span));
                tree
            }
        })
        .collect()
}
