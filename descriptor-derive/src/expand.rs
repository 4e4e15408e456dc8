//! Turns a valid [`Owner`] into code: its `impl Owner` (how its tables key it), the accessors of
//! each field (`accessors`), the values struct (`values`), `impl Descriptors` and `impl Drop`.
//!
//! Generated code names the runtime only through `#krate::__private`, `::core` and `::std`,
//! adds to the user's module only the values struct and a private trait of write fallbacks
//! (`PersonWritesNeedArc`, whose one job is the error of a write through `&self`), and aims every
//! check at the user's own tokens with `quote_spanned!` so that type errors point at the option
//! that caused them. Each requirement of a non-generic owner is checked in one place: `Hash +
//! Eq` and thread safety at its `impl Owner`, a value type's thread safety at its table, so that
//! a misuse is one error however many accessors the user calls; a generic owner's, at each
//! accessor that a generic `impl` calls.
//!
//! When the input has errors, the derive still expands the items' signatures (with bodies that
//! never run) next to the errors, so that the user's uses of the generated methods do not add
//! follow-on errors of their own.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::DeriveInput;
use syn::ext::IdentExt;

use crate::ast::{Accessor, Owner};
use crate::attr::{HashKind, KeyMode};
use crate::bounds::where_clause;
use crate::context::{
    Expansion, Method, descriptor_fn, local_states, local_states_static, respan, tables_static,
};
use crate::ctxt::Ctxt;
use crate::{rules, valid};

/// The whole derive: parse, validate, then expand, or report every error found next to a
/// fallback expansion.
pub fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::new();
    let owner = Owner::from_syn(&mut cx, input);
    if let Some(owner) = &owner {
        valid::check(&mut cx, owner);
    }
    match (cx.check(), owner) {
        (Ok(()), Some(owner)) => Expansion::new(&owner, false).expand(),
        (Err(errors), Some(owner)) => {
            let mut tokens = errors.to_compile_error();
            tokens.extend(Expansion::new(&owner, true).expand());
            tokens
        }
        (Err(errors), None) => errors.to_compile_error(),
        // `from_syn` records an error whenever it returns `None`.
        (Ok(()), None) => TokenStream::new(),
    }
}

impl Expansion<'_> {
    fn expand(&self) -> TokenStream {
        if self.owner.extends().is_some() {
            return self.expand_extension();
        }
        let (impl_generics, _, _) = self.owner.generics.split_for_impl();
        let self_ty = self.self_ty();
        let accessor_where = where_clause(self.owner.generics, &[]);
        let tables = self.generic_tables();
        let methods = self
            .accessor_methods()
            .into_iter()
            .map(|(_, method)| method.inherent());
        let values_struct = self.values_struct_if_any();
        let values_methods = self.values_methods_if_any();
        let values_methods = values_methods.iter().map(Method::inherent);
        let owner_impl = self.owner_impl();
        let hold = self.local_hold().map(|hold| hold.inherent());
        let descriptors_impl = self.descriptors_impl();
        let drop_impl = self.drop_impl();
        let write_fallbacks = self.write_fallbacks();
        quote! {
            #values_struct
            #write_fallbacks

            const _: () = {
                #owner_impl
                #tables

                // The accessors of a private field may well go unused.
                #[allow(dead_code)]
                impl #impl_generics #self_ty #accessor_where {
                    #(#methods)*
                    #(#values_methods)*
                    #hold
                }

                #descriptors_impl
                #drop_impl
            };
        }
    }

    /// Every field's accessors; in a fallback expansion, not a method whose name an earlier
    /// field's took (that clash is one of the errors).
    pub fn accessor_methods(&self) -> Vec<(Accessor, Method)> {
        let mut taken = std::collections::BTreeSet::new();
        let all = self
            .owner
            .fields
            .iter()
            .flat_map(|field| self.accessors(field));
        all.filter(|(_, method)| taken.insert(method.name.clone()) || !self.fallback)
            .collect()
    }

    /// The values struct, unless `no_values`.
    pub fn values_struct_if_any(&self) -> TokenStream {
        match &self.owner.values {
            Some(values) => self.values_struct(values),
            None => TokenStream::new(),
        }
    }

    /// `snapshot` and `load`, unless `no_values`; a fallback skips what the errors are about, a
    /// `snapshot` or `load` field's methods.
    pub fn values_methods_if_any(&self) -> Vec<Method> {
        match &self.owner.values {
            Some(_) if self.fallback && self.has_field_named(&["snapshot", "load"]) => Vec::new(),
            Some(values) => self.values_methods(values),
            None => Vec::new(),
        }
    }

    pub fn has_field_named(&self, names: &[&str]) -> bool {
        self.owner
            .fields
            .iter()
            .any(|field| names.contains(&field.ident.unraw().to_string().as_str()))
    }

    /// `hold_notifications` for an `rc` owner: `Descriptors::hold_notifications` takes the
    /// owner's `Arc`, so an owner in an `Rc` gets an inherent method of the same name (which
    /// method calls find first).
    fn local_hold(&self) -> Option<Method> {
        if !self.owner.is_rc() {
            return None;
        }
        let doc = format!(
            "Runs `f` with this `{}`'s notifications held, then delivers one change per changed \
             field (its first old value and its last new value), in the order the fields first \
             changed: `Descriptors::hold_notifications` for an owner in an `Rc`. Holds nest (the \
             outermost delivers); if `f` panics, the held changes are delivered before the panic \
             continues.",
            self.owner_name(),
        );
        Some(self.hold_method(&doc))
    }

    /// `hold_notifications`, documented by `doc`: through `hold_local` for an owner in an `Rc`,
    /// `hold_shared` for one in an `Arc`.
    pub fn hold_method(&self, doc: &str) -> Method {
        let private = &self.private;
        let f = Self::private_ident("f");
        let hold = if self.owner.is_rc() {
            quote!(hold_local)
        } else {
            quote!(hold_shared)
        };
        let receiver = self.writer_receiver();
        Method {
            name: "hold_notifications".to_owned(),
            docs: quote!(#[doc = #doc]),
            vis: self.owner.vis.to_token_stream(),
            must_use: false,
            inline: false,
            signature: quote! {
                fn hold_notifications<R>(
                    #receiver,
                    #f: impl ::core::ops::FnOnce() -> R,
                ) -> R
            },
            where_clause: TokenStream::new(),
            doc_where: None,
            body: self.body(quote!(#private::#hold(self, #f))),
        }
    }

    /// `impl Keyed`: how the owner's tables key it, and (unless `rc`) `impl Owner`: that it may
    /// be shared between threads. Their bounds (`Hash + Eq` when keyed by value, thread safety)
    /// are checked here once, at the struct's name.
    fn owner_impl(&self) -> TokenStream {
        if self.fallback {
            return TokenStream::new();
        }
        let (private, ident) = (&self.private, self.owner.ident);
        let (impl_generics, _, _) = self.owner.generics.split_for_impl();
        let self_ty = self.self_ty();
        let keyed_where = where_clause(self.owner.generics, &self.keying_bounds());
        let keying = match (self.owner.key(), self.owner.options.hash_kind()) {
            (KeyMode::Value, HashKind::Fast) => quote!(by_value),
            (KeyMode::Value, HashKind::Keyed) => quote!(by_value_keyed),
            (KeyMode::Identity, _) => quote!(by_identity),
        };
        // A generic owner's accessors ask for these impls; an unmet bound of them is reported
        // as the trait's own message (see `Owner`), once.
        let not_recommended = self
            .owner
            .is_generic()
            .then(|| quote!(#[diagnostic::do_not_recommend]));
        let shared = (!self.owner.is_rc()).then(|| {
            let owner_where = where_clause(self.owner.generics, &self.sharing_bounds());
            quote! {
                #not_recommended
                impl #impl_generics #private::Owner for #self_ty #owner_where {}
            }
        });
        let impls = quote! {
            #not_recommended
            impl #impl_generics #private::Keyed for #self_ty #keyed_where {
                const KEYING: #private::Keying<Self> = #private::Keying::#keying();
            }
            #shared
        };
        respan(&impls, ident.span())
    }

    /// A generic owner's tables, one registry per field (a `static` cannot be generic): each
    /// holds the field's descriptor for every instantiation of the owner.
    pub fn generic_tables(&self) -> TokenStream {
        if !self.owner.is_generic() || self.fallback {
            return TokenStream::new();
        }
        let private = &self.private;
        let tables = self.owner.fields.iter().map(tables_static);
        let locals = self.owner.fields.iter().filter(|_| self.owner.is_rc()).map(|field| {
            let (states, function) = (local_states_static(field), local_states(field));
            let state = if self.owner.extends().is_some() {
                // Keyed as the struct that attaches the field says.
                quote! {
                    fn #function<E: #private::Extension<O>, O: 'static, T: 'static>(
                    ) -> *const #private::FieldState<O, T, #private::Local> {
                        #private::LocalPerType::state_keyed(&#states, E::KEYING)
                    }
                }
            } else {
                quote! {
                    fn #function<O: #private::Keyed, T: 'static>(
                    ) -> *const #private::FieldState<O, T, #private::Local> {
                        #private::LocalPerType::state(&#states)
                    }
                }
            };
            quote! {
                ::std::thread_local! {
                    static #states: #private::LocalPerType = const { #private::LocalPerType::new() };
                }
                #state
            }
        });
        quote! {
            #(static #tables: #private::PerType = #private::PerType::new();)*
            #(#locals)*
        }
    }

    /// `impl Descriptors`: the fields' metadata, and `release`.
    pub fn descriptors_impl(&self) -> TokenStream {
        let private = &self.private;
        let (impl_generics, _, _) = self.owner.generics.split_for_impl();
        let self_ty = self.self_ty();
        let where_clause = where_clause(self.owner.generics, &self.all_bounds());
        let infos = self
            .owner
            .fields
            .iter()
            .map(|field| rules::field_info(private, field, self.is_generic_field(field)));
        // A kind that names the owner's parameters has rules of each instantiation's own, which
        // an inline `const` may name and a `const` item may not.
        let fields = if self
            .owner
            .fields
            .iter()
            .any(|field| field.kind.is_some() && self.is_generic_field(field))
        {
            quote!(const { &[#(#infos),*] })
        } else {
            quote! {
                const FIELDS: &[#private::FieldInfo] = &[#(#infos),*];
                FIELDS
            }
        };
        // The owner is hashed once, by its first table (every table of one owner type hashes it
        // alike), and released from each table by that hash.
        let hash = Self::private_ident("hash");
        let first = self.owner.fields.first().map(descriptor_fn);
        let releases = self.owner.fields.iter().map(|field| {
            let (field_ident, descriptor) = (field.ident, descriptor_fn(field));
            // Touching the marker also keeps rustc from calling the field never read.
            quote! {
                let _ = &self.#field_ident;
                let _ = Self::#descriptor().release_hashed(self, #hash);
            }
        });
        let release = if self.owner.extends().is_some() {
            // The struct only lists the fields attached to another type: it owns no values.
            // Touching the markers keeps rustc from calling the fields never read.
            let fields = self.owner.fields.iter().map(|field| field.ident);
            quote!({ #(let _ = &self.#fields;)* })
        } else {
            self.body(quote! {
                let #hash = Self::#first().owner_hash(self);
                #(#releases)*
            })
        };
        quote! {
            impl #impl_generics #private::Descriptors for #self_ty #where_clause {
                fn fields() -> &'static [#private::FieldInfo] {
                    #fields
                }

                fn release(&self) #release
            }
        }
    }

    /// The `Drop` that releases the owner's entries before its memory is freed, unless
    /// `manual_drop`. A `Drop` impl must have exactly the struct's bounds, so a generic owner's
    /// finds its tables without asking for any (see `release_generic`).
    fn drop_impl(&self) -> TokenStream {
        if self.owner.options.manual_drop.is_set() || self.fallback {
            return TokenStream::new();
        }
        let private = &self.private;
        let (impl_generics, _, _) = self.owner.generics.split_for_impl();
        let self_ty = self.self_ty();
        let where_clause = where_clause(self.owner.generics, &[]);
        let body = if self.owner.is_generic() {
            let hash = Self::private_ident("hash");
            let releases = self.owner.fields.iter().map(|field| {
                let (tables, value_ty) = (tables_static(field), field.value_ty);
                let flavor = if self.owner.is_rc() { quote!(#private::Local) } else { quote!(#private::Shared) };
                quote!(#private::release_generic::<Self, #value_ty, #flavor>(&#tables, self, &mut #hash);)
            });
            quote! {
                let mut #hash = ::core::option::Option::None;
                #(#releases)*
            }
        } else {
            quote!(<Self as #private::Descriptors>::release(self);)
        };
        let doc = format!(
            "Written by `#[derive(Descriptors)]`: removes this `{}`'s values from its descriptor \
             tables (`Descriptors::release`) before its memory is freed. To write a `Drop` of \
             your own, add `#[descriptors(manual_drop)]` and call `Descriptors::release` from it.",
            self.owner_name(),
        );
        quote! {
            #[doc = #doc]
            impl #impl_generics ::core::ops::Drop for #self_ty #where_clause {
                fn drop(&mut self) {
                    #body
                }
            }
        }
    }
}
