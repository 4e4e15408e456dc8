//! Fields on a type of another crate: `#[descriptors(extend = Connection)]` on a struct that
//! only lists them (`Stats`).
//!
//! Their accessors are the methods a derived owner gets, built by `accessors` and `values`, as
//! methods of a trait, `StatsExt` (the struct's visibility): declared with their docs in the
//! trait, defined in its `impl` for `Arc<Connection>` (`Rc<Connection>` with `rc`), whose
//! `&self` is the pointer that a write needs. `x_descriptor()` stays an associated function of
//! the struct, and so does `impl Descriptors` (its `release` has nothing to release).
//! `impl Extension<Connection> for Stats` says how the tables key a `Connection` (by identity,
//! or with `key = value` by its `Hash + Eq`, checked there once, at the user's `Connection`).
//!
//! No `Drop` is written: `Connection` is not ours. A dead `Connection`'s values are invisible at
//! once and dropped by the tables' sweep, as for any key that no `Drop` releases.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::parse_quote;

use crate::ast::{Accessor, Extended};
use crate::attr::{HashKind, KeyMode};
use crate::bounds::where_clause;
use crate::context::{Expansion, Method, descriptor_fn};

impl Expansion<'_> {
    /// The trait, its `impl` for the pointer, the descriptors of the fields, the values struct,
    /// `impl Extension` and `impl Descriptors`.
    pub fn expand_extension(&self) -> TokenStream {
        let Some(foreign) = self.foreign() else {
            return TokenStream::new();
        };
        let (impl_generics, ty_generics, _) = self.owner.generics.split_for_impl();
        let struct_where = where_clause(self.owner.generics, &[]);
        let (vis, list_ty, pointer) = (self.owner.vis, self.self_ty(), self.pointer());
        let private_path = &self.private;
        let name = self.extension_trait();

        let mut descriptors = Vec::new();
        let mut methods = Vec::new();
        for (accessor, method) in self.accessor_methods() {
            if accessor == Accessor::Descriptor {
                descriptors.push(method.inherent());
            } else {
                methods.push(method);
            }
        }
        methods.extend(self.values_methods_if_any());
        // A fallback skips what the errors are about: a field called `hold_notifications`.
        if !(self.fallback && self.has_field_named(&["hold_notifications"])) {
            methods.push(self.hold_method(&self.extension_hold_doc()));
        }
        let holdable = self.owner.extended() == Some(Extended::Holdable);
        if holdable {
            // Every method is for the pointer alone: the type itself gets the trait too, with
            // methods that never run, so that a call through `&Foreign` is this bound's error.
            let private = &self.private;
            let bound = quote!(for<'__d> Self: #private::AttachedTo<#pointer<#foreign>>);
            for method in &mut methods {
                method.add_hidden_bound(&bound);
            }
        }
        let declarations = methods.iter().map(Method::declaration);
        let definitions = methods.iter().map(Method::definition);
        let never = quote!({ #private_path::unreachable_fallback() });
        let fallbacks = methods.iter().map(|method| method.definition_with(&never));
        let through_the_type = holdable.then(|| {
            quote! {
                #[doc(hidden)]
                impl #impl_generics #name #ty_generics for #foreign #struct_where {
                    #(#fallbacks)*
                }
            }
        });

        let implemented = if holdable {
            quote!(impl #impl_generics #name #ty_generics for #pointer<#foreign> #struct_where)
        } else {
            // A fallback for a type that cannot be one: the trait for every type, so that the
            // user's calls find its methods and the one error is the type's.
            let mut generics = self.owner.generics.clone();
            let any = Self::private_ident("__WeakpropAnyPointer");
            generics
                .params
                .push(parse_quote!(#any: ?::core::marker::Sized));
            let (impl_generics, _, _) = generics.split_for_impl();
            quote!(impl #impl_generics #name #ty_generics for #any #struct_where)
        };
        let trait_doc = self.extension_doc();
        let values_struct = self.values_struct_if_any();
        let extension_impl = self.extension_impl();
        let tables = self.generic_tables();
        let descriptors_impl = self.descriptors_impl();
        quote! {
            #values_struct

            #(#[doc = #trait_doc])*
            // The accessors of a field may well go unused.
            #[allow(dead_code)]
            #vis trait #name #impl_generics #struct_where {
                #(#declarations)*
            }

            const _: () = {
                #extension_impl
                #tables

                #[allow(dead_code)]
                impl #impl_generics #list_ty #struct_where {
                    #(#descriptors)*
                }

                #implemented {
                    #(#definitions)*
                }

                #through_the_type

                #descriptors_impl
            };
        }
    }

    /// `impl Extension<Foreign>`: how the tables of the fields key a `Foreign`. Keyed by value,
    /// `Foreign`'s `Hash + Eq` is checked here, once, at the user's `Foreign`.
    fn extension_impl(&self) -> TokenStream {
        let Some(foreign) = self.foreign() else {
            return TokenStream::new();
        };
        // A fallback keeps it where the type is one: the calls that ask for it then add no
        // errors (and an error of its own, such as a type that is not hashable, is real).
        if self.fallback && self.owner.extended() != Some(Extended::Holdable) {
            return TokenStream::new();
        }
        let private = &self.private;
        let (impl_generics, _, _) = self.owner.generics.split_for_impl();
        let list_ty = self.self_ty();
        let keyed_where = where_clause(self.owner.generics, &self.keying_bounds());
        let keying = match (self.owner.key(), self.owner.options.hash_kind()) {
            (KeyMode::Identity, _) => quote!(#private::Keying::by_identity()),
            (KeyMode::Value, HashKind::Fast) => {
                quote!(#private::foreign_by_value::<#foreign>(false))
            }
            (KeyMode::Value, HashKind::Keyed) => {
                quote!(#private::foreign_by_value::<#foreign>(true))
            }
        };
        // As for a generic owner's `impl Keyed`: an unmet bound is reported as the trait's own
        // message, once per call.
        let not_recommended = self
            .owner
            .is_generic()
            .then(|| quote!(#[diagnostic::do_not_recommend]));
        quote! {
            #not_recommended
            impl #impl_generics #private::Extension<#foreign> for #list_ty #keyed_where {
                const KEYING: #private::Keying<#foreign> = #keying;
            }
        }
    }

    /// The trait's docs: what it is, how to call it, and how values leave.
    fn extension_doc(&self) -> Vec<String> {
        let list = self.owner.ident.unraw().to_string();
        let owner = self.owner_name();
        let pointer = if self.owner.is_rc() { "Rc" } else { "Arc" };
        let keyed = match self.owner.key() {
            KeyMode::Identity => format!(
                "Each `{pointer}<{owner}>` allocation has values of its own (they are keyed by \
                 identity): equal `{owner}`s stay independent."
            ),
            KeyMode::Value => format!(
                "Values are keyed by `{owner}`'s `Hash + Eq` (`key = value`): equal `{owner}`s \
                 share them, and they belong to the one that stored them first."
            ),
        };
        let purge = self.owner.fields.first().map_or_else(String::new, |field| {
            format!(" (`{list}::{}().purge()`)", descriptor_fn(field))
        });
        vec![
            format!(
                "The fields that [`{list}`] attaches to `{owner}`, as methods of every \
                 `{pointer}<{owner}>`: written by `#[derive(Descriptors)]` with `extend`. Bring \
                 the trait into scope to call them."
            ),
            String::new(),
            keyed,
            String::new(),
            format!(
                "`{owner}` has no `Drop` of this crate's, so its values do not leave the moment \
                 it dies, as a derived owner's do: they are invisible at once (to reads, `len()` \
                 and every other access), and dropped by the tables' amortised sweep (a shard of \
                 a table holds no more dead entries than live ones, or 8), or at once by \
                 `purge()`{purge}."
            ),
        ]
    }

    fn extension_hold_doc(&self) -> String {
        format!(
            "Runs `f` with this `{}`'s notifications held, then delivers one change per changed \
             field (its first old value and its last new value), in the order the fields first \
             changed: `Descriptors::hold_notifications` for a type that is not yours. The hold \
             covers every field attached to this object, by any struct. Holds nest (the \
             outermost delivers); if `f` panics, the held changes are delivered before the panic \
             continues.",
            self.owner_name(),
        )
    }
}
