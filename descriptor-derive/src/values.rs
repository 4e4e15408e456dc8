//! The values struct (`PersonValues`: an `Option<T>` per descriptor field) and the owner's
//! `snapshot` and `load`.
//!
//! The struct asks nothing of its field types: it is `Default` always, and `Debug`, `Clone`,
//! `PartialEq` and `Eq` exactly when every field type is (each impl says so in its `where`
//! clause, which a higher-ranked bound keeps from being checked before a use). `snapshot` needs
//! every field type to be `Clone`, checked where it is called; `load` needs nothing.
//! `Serialize` and `Deserialize` come only with `#[descriptors(serde)]`.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{GenericParam, Generics, WherePredicate};

use crate::ast::Values;
use crate::ast::{mentions, params};
use crate::bounds::{self, method_where};
use crate::context::{Expansion, Method, descriptor_fn, respan};
use crate::render;

impl Expansion<'_> {
    /// The values struct and its impls.
    pub fn values_struct(&self, values: &Values) -> TokenStream {
        let vis = self.owner.vis;
        let ident = &values.ident;
        let generics = self.values_generics();
        let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
        let owner = self.owner_name();
        let doc = match self.owner.extends() {
            Some(_) => {
                let (list, methods) = (self.owner.ident.unraw(), self.extension_trait());
                format!(
                    "The stored values of the fields that [`{list}`] attaches to a `{owner}`, one \
                     `Option` per field: what [`{methods}::snapshot`] returns and \
                     [`{methods}::load`] takes."
                )
            }
            None => format!(
                "The stored values of a [`{owner}`]'s descriptor fields, one `Option` per field: \
                 what [`{owner}::snapshot`] returns and [`{owner}::load`] takes."
            ),
        };
        let none_doc = "In a snapshot, `None` is a field that is unset (a `default` is not \
                        stored, so a field that only has its default is `None` too). In a load, \
                        `None` leaves the field as it is.";
        // Each field at the user's type: a value type that is not `Serialize` (with `serde`) is
        // reported there.
        let fields: Vec<TokenStream> = self
            .owner
            .fields
            .iter()
            .map(|field| {
                let (docs, value_ty) = (&field.docs, field.value_ty);
                let vis = respan(&field.vis.to_token_stream(), value_ty.span());
                let mut field_ident = field.ident.clone();
                field_ident.set_span(value_ty.span());
                let ty = quote_spanned!(value_ty.span()=> ::core::option::Option<#value_ty>);
                quote!(#(#docs)* #vis #field_ident: #ty)
            })
            .collect();
        let attrs = quote! {
            #[doc = #doc]
            #[doc = ""]
            #[doc = #none_doc]
        };
        let item = quote!(#vis struct #ident #impl_generics #where_clause);
        let definition = match self.owner.options.serde.get() {
            Some(serde) => {
                let at = serde.keyword.span();
                let private = respan(&self.private, at);
                let serde_crate = format!("{}::serde", render::tokens(self.private.clone()));
                let deny = serde
                    .deny_unknown_fields
                    .as_ref()
                    .map(|option| quote!(#[serde(#option)]));
                let rename = serde
                    .rename_all
                    .as_ref()
                    .map(|rule| quote!(#[serde(rename_all = #rule)]));
                quote_spanned! {at=>
                    #private::serde_values! {
                        serde_crate = #serde_crate;
                        container { #deny #rename }
                        attrs { #attrs }
                        item { #item }
                        fields { #({ #fields })* }
                    }
                }
            }
            None => {
                quote!(#attrs #item { #(#fields,)* })
            }
        };
        let values_ty = quote!(#ident #ty_generics);
        let idents: Vec<&syn::Ident> = self.owner.fields.iter().map(|field| field.ident).collect();
        let names: Vec<String> = idents
            .iter()
            .map(|ident| ident.unraw().to_string())
            .collect();
        let struct_name = ident.unraw().to_string();
        // `for<'__d>`: a bound on a concrete type that does not hold is then an unmet bound of
        // the impl (checked at a use), not an error at the impl.
        let each = |bound: TokenStream| {
            let per_field: Vec<TokenStream> = self
                .owner
                .fields
                .iter()
                .map(|field| {
                    let value_ty = field.value_ty;
                    quote_spanned!(value_ty.span()=> for<'__d> #value_ty: #bound)
                })
                .collect();
            bounds::where_clause(&generics, &per_field)
        };
        let debug_where = each(quote!(::core::fmt::Debug));
        let clone_where = each(quote!(::core::clone::Clone));
        let partial_eq_where = each(quote!(::core::cmp::PartialEq));
        let eq_where = each(quote!(::core::cmp::Eq));
        let nones = idents.iter().map(|_| quote!(::core::option::Option::None));
        quote! {
            #definition

            const _: () = {
                #[automatically_derived]
                impl #impl_generics ::core::default::Default for #values_ty #where_clause {
                    fn default() -> Self {
                        Self { #(#idents: #nones,)* }
                    }
                }

                #[automatically_derived]
                impl #impl_generics ::core::fmt::Debug for #values_ty #debug_where {
                    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.debug_struct(#struct_name)
                            #(.field(#names, &self.#idents))*
                            .finish()
                    }
                }

                #[automatically_derived]
                impl #impl_generics ::core::clone::Clone for #values_ty #clone_where {
                    fn clone(&self) -> Self {
                        Self { #(#idents: ::core::clone::Clone::clone(&self.#idents),)* }
                    }
                }

                #[automatically_derived]
                impl #impl_generics ::core::cmp::PartialEq for #values_ty #partial_eq_where {
                    fn eq(&self, other: &Self) -> bool {
                        true #(&& self.#idents == other.#idents)*
                    }
                }

                // `Eq` too, as `#[derive(PartialEq, Eq)]` would give (and as clippy's
                // `derive_partial_eq_without_eq` asks of a `PartialEq` impl written by a derive).
                #[automatically_derived]
                impl #impl_generics ::core::cmp::Eq for #values_ty #eq_where {}
            };
        }
    }

    /// `snapshot` and `load`, with the owner's visibility.
    pub fn values_methods(&self, values: &Values) -> Vec<Method> {
        let (vis, private, ident) = (self.owner.vis, &self.private, &values.ident);
        let generics = self.values_generics();
        let (_, ty_generics, _) = generics.split_for_impl();
        let values_ty = quote!(#ident #ty_generics);
        let owner = self.owner_name();
        let (values_arg, errors) = (Self::private_ident("values"), Self::private_ident("errors"));
        let locals: Vec<syn::Ident> = self
            .owner
            .fields
            .iter()
            .map(|field| {
                format_ident!(
                    "field_{}",
                    field.ident.unraw(),
                    span = proc_macro2::Span::mixed_site()
                )
            })
            .collect();
        let idents: Vec<&syn::Ident> = self.owner.fields.iter().map(|field| field.ident).collect();
        let descriptors: Vec<syn::Ident> = self.owner.fields.iter().map(descriptor_fn).collect();

        // Each field type's `Clone`, at the struct's name (where the error's "required by a
        // bound" note then points); checked where `snapshot` is called, not here, and so left
        // out of the documentation's twin (see `getter`).
        let mut snapshot_bounds = self.all_bounds();
        let (at, private_at) = (
            self.owner.ident.span(),
            respan(private, self.owner.ident.span()),
        );
        let owner_at = match self.owner.extends() {
            Some(_) => self.owner_ty(),
            None => quote_spanned!(at=> Self),
        };
        snapshot_bounds.extend(self.owner.fields.iter().map(|field| {
            let value_ty = field.value_ty;
            quote_spanned!(at=> for<'__d> #value_ty: #private_at::SnapshotClone<#owner_at>)
        }));
        let snapshot_where = method_where(&snapshot_bounds);
        let load_where = method_where(&self.all_bounds());

        let snapshot_doc = format!(
            "Returns the values stored for this `{owner}`, one `Option` per descriptor field: \
             `None` for a field that is unset. A `default` is not stored, so a field that only \
             has its default is `None`. Every field type must be `Clone`."
        );
        let snapshot_threads_doc = "Each field is read on its own: a write from another thread \
                                    during the snapshot may show in one field and not in another.";
        let load_doc = format!(
            "Loads `values` into this `{owner}`: every field that is `Some` is coerced and \
             checked against its rules first, and only if all of them pass are they written, in \
             declaration order. A field that is `None` is left as it is."
        );
        let load_errors_doc = "Every field that breaks a rule, all at once and in declaration \
                               order; then nothing was written. A `once` field that is already set \
                               counts as broken.";
        let load_threads_doc = "The load is all-or-none against rule failures, not a \
                                transaction: writes from other threads may interleave between its \
                                fields, and should another thread set a `once` field between the \
                                check and the write, that field's error is returned while the \
                                other fields are written.";
        let (home, get) = (self.home(), self.read_fn("get"));
        let snapshot_body = self.body(quote! {
            #ident {
                #(#idents: #home::#descriptors().#get(self),)*
            }
        });
        let load_body = self.body(quote! {
            let #ident { #(#idents: #locals),* } = #values_arg;
            let mut #errors = #private::ValidationErrors::new();
            #(
                let #locals =
                    #private::validate_for_load(#home::#descriptors(), self, #locals, &mut #errors);
            )*
            if !#errors.is_empty() {
                return ::core::result::Result::Err(#errors);
            }
            let mut #errors = #private::Stores::new(#errors);
            #(#private::store_for_load(#home::#descriptors(), self, #locals, &mut #errors);)*
            #errors.finish()
        });
        let receiver = self.writer_receiver();
        let vis = vis.to_token_stream();
        vec![
            Method {
                name: "snapshot".to_owned(),
                docs: quote! {
                    #[doc = #snapshot_doc]
                    #[doc = ""]
                    #[doc = #snapshot_threads_doc]
                },
                vis: vis.clone(),
                must_use: true,
                inline: false,
                signature: quote!(fn snapshot(&self) -> #values_ty),
                where_clause: snapshot_where,
                doc_where: Some(load_where.clone()),
                body: snapshot_body,
            },
            Method {
                name: "load".to_owned(),
                docs: quote! {
                    #[doc = #load_doc]
                    #[doc = ""]
                    #[doc = #load_threads_doc]
                    #[doc = ""]
                    #[doc = "# Errors"]
                    #[doc = ""]
                    #[doc = #load_errors_doc]
                },
                vis,
                must_use: false,
                inline: false,
                signature: quote! {
                    fn load(
                        #receiver,
                        #values_arg: #values_ty,
                    ) -> ::core::result::Result<(), #private::ValidationErrors>
                },
                where_clause: load_where,
                doc_where: None,
                body: load_body,
            },
        ]
    }

    /// `PersonValues<..>`: the values struct with the parameters it keeps.
    pub fn values_ty(&self, values: &Values) -> TokenStream {
        let ident = &values.ident;
        let generics = self.values_generics();
        let (_, ty_generics, _) = generics.split_for_impl();
        quote!(#ident #ty_generics)
    }

    /// The owner's parameters that the field types mention (the values struct has no use for
    /// the others), with the `where` predicates that concern only them.
    fn values_generics(&self) -> Generics {
        let owner = self.owner.generics;
        let field_types: TokenStream = self
            .owner
            .fields
            .iter()
            .map(|field| field.value_ty.to_token_stream())
            .collect();
        let (kept, dropped): (Vec<&syn::Ident>, Vec<&syn::Ident>) =
            params(owner).partition(|param| mentions(&[param], field_types.clone()));
        let mut generics = Generics {
            params: owner
                .params
                .iter()
                .filter(|param| param_ident(param).is_some_and(|ident| kept.contains(&ident)))
                .cloned()
                .collect(),
            ..Generics::default()
        };
        let predicates = owner
            .where_clause
            .iter()
            .flat_map(|clause| clause.predicates.iter());
        let predicates: Vec<WherePredicate> = predicates
            .filter(|predicate| !mentions(&dropped, predicate.to_token_stream()))
            .cloned()
            .collect();
        if !predicates.is_empty() {
            generics.make_where_clause().predicates.extend(predicates);
        }
        generics
    }
}

fn param_ident(param: &GenericParam) -> Option<&syn::Ident> {
    match param {
        GenericParam::Type(param) => Some(&param.ident),
        GenericParam::Const(param) => Some(&param.ident),
        GenericParam::Lifetime(_) => None,
    }
}
