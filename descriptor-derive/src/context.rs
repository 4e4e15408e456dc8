//! [`Expansion`]: the plain data that every part of the expansion shares — the owner, the
//! runtime's path, whether this is a fallback expansion — and the names of the items it
//! generates. Each part (`accessors`, `values`, `bounds`, `rules`, and `expand`, which puts
//! them together) adds its methods to it from its own file; nothing here calls them.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};
use syn::ext::IdentExt;

use crate::ast::{Accessor, DescField, Extended, Owner};
use crate::render;

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

    /// The trait of the fields attached with `extend`: `StatsExt` for `Stats`, at its name.
    pub fn extension_trait(&self) -> syn::Ident {
        let ident = self.owner.ident;
        format_ident!("{}Ext", ident.unraw(), span = ident.span())
    }

    /// The owner's name, for messages and `ValidationError::owner`: the struct's, or with
    /// `extend` the name of the type its fields are attached to.
    pub fn owner_name(&self) -> String {
        match self.owner.extends() {
            Some(foreign) => type_name(foreign),
            None => self.owner.ident.unraw().to_string(),
        }
    }

    /// The type that the fields are attached to with `extend`, as the expansion names it: the
    /// user's; or, in a fallback expansion for a type that cannot be one (`dyn Trait`, not a
    /// type at all), `()`, so that the items keep their signatures and add no errors.
    pub fn foreign(&self) -> Option<TokenStream> {
        match self.owner.extended()? {
            Extended::Holdable => self.owner.extends().map(ToTokens::to_token_stream),
            Extended::NotAType | Extended::Unsized | Extended::Unnamed | Extended::Itself => {
                Some(quote!(()))
            }
        }
    }

    /// The type that the tables key, where the accessors are written: `Self` in a derived
    /// owner's `impl`, the type the fields are attached to with `extend` (the accessors are then
    /// in an `impl` for its `Arc`, and `x_descriptor()` in one for the struct).
    pub fn owner_ty(&self) -> TokenStream {
        self.foreign().unwrap_or_else(|| quote!(Self))
    }

    /// Where the accessors find `x_descriptor()`: `Self`, or with `extend` the struct that lists
    /// the fields, `<Stats<T>>`.
    pub fn home(&self) -> TokenStream {
        match self.owner.extends() {
            Some(_) => {
                let list = self.self_ty();
                quote!(<#list>)
            }
            None => quote!(Self),
        }
    }

    /// The runtime's read `name` (`get`, `with`, `get_or_compute`, `with_or_compute`) with the
    /// keying known at compile time: a derived owner's (`get_derived`, by its `Keyed`), or that
    /// of the struct that attaches the fields (`get_extended::<Stats>`, by its `Extension`).
    pub fn read_fn(&self, name: &str) -> TokenStream {
        match self.owner.extends() {
            Some(_) => {
                let (read, list) = (format_ident!("{name}_extended"), self.self_ty());
                // The reads that lend take the closure's result type too.
                if name.starts_with("with") {
                    quote!(#read::<#list, _>)
                } else {
                    quote!(#read::<#list>)
                }
            }
            None => format_ident!("{name}_derived").to_token_stream(),
        }
    }

    /// The receiver of a method that may store: the owner's `Arc` (or `Rc`); with `extend`,
    /// `&self`, which is one.
    pub fn writer_receiver(&self) -> TokenStream {
        if self.owner.extends().is_some() {
            quote!(&self)
        } else {
            let pointer = self.pointer();
            quote!(self: &#pointer<Self>)
        }
    }

    /// The keying of the owner type's tables, as an item inside an accessor (a `static`, a
    /// `thread_local!`) can name it: `<Person as Keyed>::KEYING`, or with `extend`
    /// `<Stats as Extension<Connection>>::KEYING`.
    pub fn keying_in_items(&self) -> TokenStream {
        let private = &self.private;
        let owner = self.owner_in_items();
        match self.foreign() {
            Some(foreign) => {
                let list = if self.owner.is_generic() {
                    quote!(Self)
                } else {
                    self.owner.ident.to_token_stream()
                };
                quote!(<#list as #private::Extension<#foreign>>::KEYING)
            }
            None => quote!(<#owner as #private::Keyed>::KEYING),
        }
    }
}

/// The name of a type, for `ValidationError::owner`: the last segment of a path
/// (`Connection` for `net::Connection<u8>`), else the type as written.
fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Group(group) => type_name(&group.elem),
        syn::Type::Paren(paren) => type_name(&paren.elem),
        syn::Type::Path(path) => path.path.segments.last().map_or_else(
            || render::ty(ty.to_token_stream()),
            |last| last.ident.unraw().to_string(),
        ),
        _ => render::ty(ty.to_token_stream()),
    }
}

/// One generated method, in pieces, so that it can be written where the expansion puts it: an
/// inherent method of a derived owner, or a method of the trait that fields attached with
/// `extend` get (declared with its docs in the trait, defined in the `impl` for the `Arc`).
#[derive(Clone)]
pub struct Method {
    /// Its name, for the check of a fallback expansion against duplicates.
    pub name: String,
    /// Its doc attributes.
    pub docs: TokenStream,
    /// Its visibility, as an inherent method.
    pub vis: TokenStream,
    pub must_use: bool,
    pub inline: bool,
    /// `fn name<..>(receiver, arguments) -> Output`.
    pub signature: TokenStream,
    pub where_clause: TokenStream,
    /// The `where` clause the documentation shows, if it is another: the method then has a twin
    /// under `cfg(doc)` that never runs (see `getter`).
    pub doc_where: Option<TokenStream>,
    /// The body, braces included.
    pub body: TokenStream,
}

impl Method {
    /// As an inherent method.
    pub fn inherent(&self) -> TokenStream {
        let Self {
            docs,
            vis,
            signature,
            where_clause,
            body,
            ..
        } = self;
        let (must_use, inline) = (self.must_use(), self.inline());
        match &self.doc_where {
            Some(doc_where) => quote! {
                #docs
                #[cfg(not(doc))]
                #must_use
                #inline
                #vis #signature #where_clause #body

                #docs
                #[cfg(doc)]
                #must_use
                #vis #signature #doc_where {
                    ::core::unreachable!()
                }
            },
            None => quote! {
                #docs
                #must_use
                #inline
                #vis #signature #where_clause #body
            },
        }
    }

    /// As the declaration of a trait method, with its docs.
    pub fn declaration(&self) -> TokenStream {
        let Self {
            docs,
            signature,
            where_clause,
            ..
        } = self;
        let must_use = self.must_use();
        match &self.doc_where {
            Some(doc_where) => quote! {
                #docs
                #[cfg(not(doc))]
                #must_use
                #signature #where_clause;

                #docs
                #[cfg(doc)]
                #must_use
                #signature #doc_where;
            },
            None => quote! {
                #docs
                #must_use
                #signature #where_clause;
            },
        }
    }

    /// As the definition of a trait method, in the trait's `impl`.
    pub fn definition(&self) -> TokenStream {
        let Self {
            signature,
            where_clause,
            body,
            ..
        } = self;
        let inline = self.inline();
        match &self.doc_where {
            Some(doc_where) => quote! {
                #[cfg(not(doc))]
                #inline
                #signature #where_clause #body

                #[cfg(doc)]
                #signature #doc_where {
                    ::core::unreachable!()
                }
            },
            None => quote! {
                #inline
                #signature #where_clause #body
            },
        }
    }

    /// As the definition of a trait method whose body is `body`.
    pub fn definition_with(&self, body: &TokenStream) -> TokenStream {
        Self {
            body: body.clone(),
            inline: false,
            ..self.clone()
        }
        .definition()
    }

    /// Adds `bound` to the method's `where` clause, and keeps it out of the documentation's.
    pub fn add_hidden_bound(&mut self, bound: &TokenStream) {
        let shown = self.doc_where.take();
        let where_clause = &self.where_clause;
        self.doc_where = Some(shown.unwrap_or_else(|| where_clause.clone()));
        self.where_clause = if where_clause.is_empty() {
            quote!(where #bound)
        } else {
            // `method_where` ends every clause with a comma.
            quote!(#where_clause #bound)
        };
    }

    fn must_use(&self) -> Option<TokenStream> {
        self.must_use.then(|| quote!(#[must_use]))
    }

    fn inline(&self) -> Option<TokenStream> {
        self.inline.then(|| quote!(#[inline]))
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
