//! What a generic owner's impls ask of its parameters, added to their `where` clauses as serde's
//! derives do: the bounds are stated on the types that need them (`Keyed<K>: Owner`,
//! `Vec<K>: FieldValue`), so a parameter is asked for exactly what its uses need.
//!
//! A non-generic owner gets no bounds: its requirements are checked once each, at the user's
//! tokens (see `expand`), and a `where` clause on a concrete type would only repeat the error.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::Generics;
use syn::spanned::Spanned;

use crate::ast::{DescField, mentions_params};
use crate::attr::KeyMode;
use crate::context::Expansion;

impl Expansion<'_> {
    /// What every accessor of a generic owner needs: `Owner<..>: Owner` (thread safety, and
    /// `Hash + Eq` when keyed by value, which its impls ask for), or with `rc`,
    /// `Owner<..>: Keyed`; with `extend`, `Stats<..>: Extension<Foreign<..>>` and the thread
    /// safety of `Foreign<..>` (or with `rc`, that it is `'static`).
    pub fn owner_bounds(&self) -> Vec<TokenStream> {
        if !self.owner.is_generic() {
            return Vec::new();
        }
        let (private, self_ty) = (&self.private, self.self_ty());
        if let Some(foreign) = self.foreign() {
            let sharing = if self.owner.is_rc() {
                quote!('static)
            } else {
                quote!(#private::SharedForeign)
            };
            return vec![
                quote!(#self_ty: #private::Extension<#foreign>),
                quote!(#foreign: #sharing),
            ];
        }
        if self.owner.is_rc() {
            vec![quote!(#self_ty: #private::Keyed)]
        } else {
            vec![quote!(#self_ty: #private::Owner)]
        }
    }

    /// What `impl Keyed` (or `impl Extension`) needs: to be `'static`, and hashable when keyed
    /// by value (the owner, or the type the fields are attached to).
    pub fn keying_bounds(&self) -> Vec<TokenStream> {
        if !self.owner.is_generic() {
            return Vec::new();
        }
        let (private, self_ty) = (&self.private, self.self_ty());
        let mut bounds = vec![quote!(#self_ty: 'static)];
        if self.owner.key() == KeyMode::Value {
            match self.foreign() {
                Some(foreign) => bounds.push(quote!(#foreign: #private::HashableForeign)),
                None => bounds.push(quote!(#self_ty: #private::HashableOwner)),
            }
        }
        bounds
    }

    /// What `impl Owner` needs: its supertraits.
    pub fn sharing_bounds(&self) -> Vec<TokenStream> {
        if !self.owner.is_generic() {
            return Vec::new();
        }
        let (private, self_ty) = (&self.private, self.self_ty());
        vec![quote!(#self_ty: #private::Keyed + #private::SharedOwner)]
    }

    /// What the accessors of `field` need of a value type that mentions the owner's
    /// parameters: to be storable, and whatever its rules need; and of a kind, when it or the
    /// value type mentions them, to be a kind of the value type. Hooks (`validate`, `coerce`,
    /// `on_change`) are the user's functions: their bounds are the user's to write on the struct.
    pub fn field_bounds(&self, field: &DescField) -> Vec<TokenStream> {
        let (ty, private) = (field.value_ty, &self.private);
        let mut bounds = Vec::new();
        if let Some(kind) = field.kind
            && self.is_generic_field(field)
        {
            bounds.push(quote_spanned!(kind.span()=> #kind: #private::Kind<#ty>));
        }
        if !mentions_params(self.owner.generics, ty) {
            return bounds;
        }
        let options = &field.options;
        let storable = if self.owner.is_rc() {
            quote!('static)
        } else {
            quote!(#private::FieldValue)
        };
        bounds.push(quote_spanned!(ty.span()=> #ty: #storable));
        let rules = [
            (options.range.is_set(), quote!(#private::Bounded)),
            (options.length.is_set(), quote!(#private::Length)),
            (options.non_empty.is_set(), quote!(#private::NonEmptyValue)),
            (options.pattern.is_set(), quote!(#private::AsStr)),
            (options.one_of.is_set(), quote!(::core::fmt::Debug)),
        ];
        bounds.extend(
            rules
                .into_iter()
                .filter(|(used, _)| *used)
                .map(|(_, bound)| quote_spanned!(ty.span()=> #ty: #bound)),
        );
        bounds
    }

    /// Whether `field`'s value type or kind mentions the owner's parameters: then what they
    /// need is asked in `where` clauses, and its kind's rules are known only once the owner is
    /// instantiated.
    pub fn is_generic_field(&self, field: &DescField) -> bool {
        let generics = self.owner.generics;
        mentions_params(generics, field.value_ty)
            || field
                .kind
                .is_some_and(|kind| mentions_params(generics, kind))
    }

    /// What an accessor of `field` needs: the owner's bounds and the field's. On the method,
    /// not on the `impl` block: method lookup then finds the accessor in a generic `impl` that
    /// lacks them, and the unmet bound is an error of its own that says what is missing, where
    /// an `impl`'s unmet bounds hide its methods ("the method exists but its trait bounds were
    /// not satisfied", or a fallback's message about receivers).
    pub fn accessor_bounds(&self, field: &DescField) -> Vec<TokenStream> {
        let mut bounds = self.owner_bounds();
        bounds.extend(self.field_bounds(field));
        bounds
    }

    /// What a method that touches every table (`snapshot`, `load`) needs: the owner's bounds
    /// and every field's.
    pub fn all_bounds(&self) -> Vec<TokenStream> {
        let mut bounds = self.owner_bounds();
        bounds.extend(self.fields_bounds());
        bounds
    }

    /// Every field's bounds: what a method that touches every table needs beside the owner's.
    pub fn fields_bounds(&self) -> Vec<TokenStream> {
        self.owner
            .fields
            .iter()
            .flat_map(|field| self.field_bounds(field))
            .collect()
    }
}

/// `where` + the struct's own predicates + `extra`, or nothing if there are none.
pub fn where_clause(generics: &Generics, extra: &[TokenStream]) -> TokenStream {
    let own = generics
        .where_clause
        .iter()
        .flat_map(|clause| clause.predicates.iter());
    let predicates: Vec<TokenStream> = own
        .map(ToTokens::to_token_stream)
        .chain(extra.iter().cloned())
        .collect();
    if predicates.is_empty() {
        TokenStream::new()
    } else {
        quote!(where #(#predicates,)*)
    }
}

/// `where` + `extra` alone, for a method inside an impl that carries the struct's predicates.
pub fn method_where(extra: &[TokenStream]) -> TokenStream {
    if extra.is_empty() {
        TokenStream::new()
    } else {
        quote!(where #(#extra,)*)
    }
}
