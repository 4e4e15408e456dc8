//! The inherent methods of one descriptor field `x`: `x()`, `with_x()`, `set_x()`, and (not for
//! `once` fields) `take_x()`, `replace_x()`, `update_x()` and `try_update_x()`; `x_descriptor()`.
//!
//! Reads take `&self`, so they work in the owner's own `&self` methods; writes take
//! `self: &Arc<Self>` (`&Rc<Self>` with `rc`), since the table keeps a weak reference to the
//! owner. A write through `&self` finds a fallback of the same name instead, whose only use is
//! its compile error (`write_fallbacks`).

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use crate::ast::{Accessor, DescField};
use crate::bounds::method_where;
use crate::context::{Expansion, Method, descriptor_fn, local_states, respan, tables_static};
use crate::{render, rules};

impl Expansion<'_> {
    /// The owner's fallbacks for a write through a plain reference (`self.set_x(..)` in a
    /// `&self` method): a private trait beside the struct, since method lookup only finds traits
    /// in scope, with a `&self` method of the same name and arguments for each accessor that
    /// stores. Where the real method's receiver (`&Arc<Self>`) does not match, lookup finds the
    /// fallback, whose bound `Self: WriteThrough<Arc<Self>>` never holds: one error, with what
    /// to write instead. Named `PersonWritesNeedArc` (or `..NeedRc`), which is what the error's
    /// "required by a bound in" note then says.
    pub fn write_fallbacks(&self) -> TokenStream {
        if self.fallback {
            return TokenStream::new();
        }
        let (private, pointer) = (&self.private, self.pointer());
        let flavor = if self.owner.is_rc() { "Rc" } else { "Arc" };
        let name = format_ident!("{}WritesNeed{}", self.owner.ident.unraw(), flavor);
        let (impl_generics, ty_generics, where_clause) = self.owner.generics.split_for_impl();
        let self_ty = self.self_ty();
        let body = quote!({ #private::unreachable_fallback() });
        let fallback = |at: Span, signature: TokenStream| {
            let (private, pointer) = (respan(private, at), respan(&pointer, at));
            let bound = quote_spanned!(at=> Self: #private::WriteThrough<#pointer<Self>>);
            quote!(fn #signature where #bound #body)
        };
        let mut methods = Vec::new();
        for field in &self.owner.fields {
            let (at, value_ty) = (field.ident.span(), field.value_ty);
            for accessor in Accessor::of(field) {
                if let Some((parameters, output)) = self.write_signature(field, accessor, false) {
                    let ident = accessor.ident(field);
                    methods.push(fallback(at, quote!(#ident(&self #parameters) -> #output)));
                }
            }
            if field.options.lazy.is_set() && !field.options.default.is_set() {
                let (getter, with) = (field.ident, Accessor::With.ident(field));
                methods.push(fallback(at, quote!(#getter(&self) -> #value_ty)));
                methods.push(fallback(
                    at,
                    quote!(#with<R>(&self, _: impl ::core::ops::FnOnce(&#value_ty) -> R) -> R),
                ));
            }
        }
        if let Some(values) = &self.owner.values {
            let values_ty = self.values_ty(values);
            methods.push(fallback(
                self.owner.ident.span(),
                quote! {
                    load(&self, _: #values_ty) -> ::core::result::Result<(), #private::ValidationErrors>
                },
            ));
        }
        quote! {
            #[doc(hidden)]
            #[allow(dead_code)]
            trait #name #impl_generics #where_clause {
                #(#methods)*
            }

            impl #impl_generics #name #ty_generics for #self_ty #where_clause {}
        }
    }

    /// The accessors of `field`, each with what it is.
    pub fn accessors(&self, field: &DescField) -> Vec<(Accessor, Method)> {
        Accessor::of(field)
            .map(|accessor| {
                let method = match accessor {
                    Accessor::Getter => self.getter(field),
                    Accessor::With => self.with(field),
                    Accessor::Setter => self.setter(field),
                    Accessor::Taker => self.taker(field),
                    Accessor::Replacer => self.replacer(field),
                    Accessor::Updater => self.updater(field, false),
                    Accessor::TryUpdater => self.updater(field, true),
                    Accessor::Descriptor => self.descriptor_accessor(field),
                };
                (accessor, method)
            })
            .collect()
    }

    /// `x()`. A field with a `default` or `lazy` reads through `with_x`, so that the default
    /// expression and the `lazy` function are type-checked once, each error reported once.
    ///
    /// Its `T: Clone` bound is checked where it is called, which takes a bound that rustc does
    /// not check at the definition (`for<'__d> T: GetterClone<Self>`): rustdoc would render that
    /// as it is, so documentation (`cfg(doc)`) gets a twin without it, whose docs say it in words.
    fn getter(&self, field: &DescField) -> Method {
        let (getter, value_ty) = (field.ident, field.value_ty);
        let descriptor = descriptor_fn(field);
        let home = self.home();
        let (bounds, clone_bounds) = self.bounds_with_clone(field, "GetterClone");
        // The value is cloned under the read (its `Clone` is what runs there); a default is
        // made after it.
        let (get, get_or_compute) = (self.read_fn("get"), self.read_fn("get_or_compute"));
        let (receiver, output, body) = match Reading::of(self, field) {
            Reading::Stored => (
                quote!(&self),
                quote!(::core::option::Option<#value_ty>),
                quote!(#home::#descriptor().#get(self)),
            ),
            Reading::Default(default) => (
                quote!(&self),
                quote!(#value_ty),
                quote!(#home::#descriptor().#get(self).unwrap_or_else(#default)),
            ),
            Reading::Lazy(compute) => (
                self.writer_receiver(),
                quote!(#value_ty),
                quote!(#home::#descriptor().#get_or_compute(self, #compute)),
            ),
        };
        Method {
            name: getter.unraw().to_string(),
            docs: self.docs(field, &self.getter_doc(field)),
            vis: field.vis.to_token_stream(),
            must_use: true,
            inline: true,
            signature: quote!(fn #getter(#receiver) -> #output),
            where_clause: method_where(&clone_bounds),
            doc_where: Some(method_where(&bounds)),
            body: self.body(body),
        }
    }

    fn with(&self, field: &DescField) -> Method {
        let value_ty = field.value_ty;
        let name = field.ident.unraw().to_string();
        let with = Accessor::With.ident(field);
        let descriptor = descriptor_fn(field);
        let home = self.home();
        let (read, read_or_compute) = (self.read_fn("with"), self.read_fn("with_or_compute"));
        let (f, value) = (Self::private_ident("f"), Self::private_ident("value"));
        let lent = "without cloning it. The closure runs while the table is read-locked: it may \
                    read any descriptor, but a write to any descriptor from inside it panics (it could \
                    wait for this very read).";
        let (receiver, lent_ty, doc, body) = match Reading::of(self, field) {
            Reading::Stored => (
                quote!(&self),
                quote!(::core::option::Option<&#value_ty>),
                format!("Lends this owner's `{name}` to `f` (`None` while it is unset), {lent}"),
                quote!(#home::#descriptor().#read(self, #f)),
            ),
            Reading::Default(default) => (
                quote!(&self),
                quote!(&#value_ty),
                format!(
                    "Lends this owner's `{name}` to `f`, or its default while it is unset, {lent}"
                ),
                quote! {
                    #home::#descriptor().#read(self, |#value| match #value {
                        ::core::option::Option::Some(#value) => #f(#value),
                        ::core::option::Option::None => #f(&(#default)()),
                    })
                },
            ),
            Reading::Lazy(compute) => (
                self.writer_receiver(),
                quote!(&#value_ty),
                format!(
                    "Lends this owner's `{name}` to `f`, computing and storing it first if it is \
                     unset, {lent}"
                ),
                quote!(#home::#descriptor().#read_or_compute(self, #compute, #f)),
            ),
        };
        Method {
            name: with.unraw().to_string(),
            docs: quote!(#[doc = #doc]),
            vis: field.vis.to_token_stream(),
            must_use: false,
            inline: true,
            signature: quote! {
                fn #with<R>(
                    #receiver,
                    #f: impl ::core::ops::FnOnce(#lent_ty) -> R,
                ) -> R
            },
            where_clause: method_where(&self.accessor_bounds(field)),
            doc_where: None,
            body: self.body(body),
        }
    }

    fn setter(&self, field: &DescField) -> Method {
        let name = field.ident.unraw().to_string();
        let doc =
            format!("Sets this owner's `{name}` to `value`, if `value` passes the field's rules.");
        let once = if field.options.once.is_set() {
            format!(", or if `{name}` has already been set (`once`)")
        } else {
            String::new()
        };
        self.writer(
            field,
            Accessor::Setter,
            docs(
                &[&doc, &rules_doc(field)],
                Some(&self.rule_errors_doc(field, &once)),
            ),
            quote!(set(self, value)),
        )
    }

    fn taker(&self, field: &DescField) -> Method {
        let name = field.ident.unraw().to_string();
        let doc = format!(
            "Removes this owner's `{name}` and returns it, or `None` if it was unset (Python's \
             `del obj.{name}`)."
        );
        self.writer(
            field,
            Accessor::Taker,
            docs(&[&doc], None),
            quote!(take(self)),
        )
    }

    /// `replace_x(value)`: `set_x`, returning the value it replaced.
    fn replacer(&self, field: &DescField) -> Method {
        let name = field.ident.unraw().to_string();
        let doc = format!(
            "Sets this owner's `{name}` to `value`, if `value` passes the field's rules, and \
             returns the value it replaced (`None` if it was unset)."
        );
        self.writer(
            field,
            Accessor::Replacer,
            docs(
                &[&doc, &rules_doc(field)],
                Some(&self.rule_errors_doc(field, "")),
            ),
            quote!(replace(self, value)),
        )
    }

    /// `update_x(f)`, or with `fallible`, `try_update_x(f)`: an atomic read-modify-write. Its
    /// `T: Clone` bound (the value stored is returned) is checked where it is called, as the
    /// getter's is.
    fn updater(&self, field: &DescField, fallible: bool) -> Method {
        let value_ty = field.value_ty;
        let name = field.ident.unraw().to_string();
        let owner = self.owner_name();
        let (accessor, runtime, summary) = if fallible {
            (
                Accessor::TryUpdater,
                quote!(try_update),
                format!(
                    "Like `update_{name}`, but `f` may give up by returning `None`: then nothing \
                     is stored and the result is `Ok(None)`."
                ),
            )
        } else {
            (
                Accessor::Updater,
                quote!(update),
                format!(
                    "Updates this owner's `{name}` atomically: `f` gets the current value \
                     (`None` while unset) and returns the new one, which is stored only if no \
                     other write to this owner's `{name}` came in between; otherwise `f` runs \
                     again on the newer value, as `AtomicU64::fetch_update` does. Returns the \
                     value stored."
                ),
            )
        };
        let closure_doc = format!(
            "`f` runs where a `with_{name}` closure runs: it may read any descriptor, must not \
             write one (that panics), and may run more than once. The rules check each value \
             `f` returns, outside every lock; the observers run once, for the value stored."
        );
        let clone_doc = format!(
            "The value stored is returned as a copy, so `{}` must be `Clone` (checked where \
             this is called).",
            render::tokens(value_ty.to_token_stream())
        );
        let errors_doc = format!(
            "Returns a `ValidationError` naming `{owner}.{name}` if the value `f` returns breaks \
             a rule; then nothing is stored, and `f` is not run again."
        );
        let mut method = self.writer(
            field,
            accessor,
            docs(&[&summary, &closure_doc, &clone_doc], Some(&errors_doc)),
            quote!(#runtime(self, f)),
        );
        let (bounds, clone_bounds) = self.bounds_with_clone(field, "UpdateClone");
        method.where_clause = method_where(&clone_bounds);
        method.doc_where = Some(method_where(&bounds));
        method
    }

    /// A method of `field` that may store, so takes the owner's pointer:
    /// `fn name(self: &Arc<Self>, parameters) -> output`, whose body calls `call` on the field's
    /// descriptor.
    fn writer(
        &self,
        field: &DescField,
        accessor: Accessor,
        docs: TokenStream,
        call: TokenStream,
    ) -> Method {
        let ident = accessor.ident(field);
        let (parameters, output) = self
            .write_signature(field, accessor, true)
            .expect("a writer has a write signature");
        let (receiver, home, descriptor) =
            (self.writer_receiver(), self.home(), descriptor_fn(field));
        Method {
            name: ident.unraw().to_string(),
            docs,
            vis: field.vis.to_token_stream(),
            must_use: false,
            inline: true,
            signature: quote!(fn #ident(#receiver #parameters) -> #output),
            where_clause: method_where(&self.accessor_bounds(field)),
            doc_where: None,
            body: self.body(quote!(#home::#descriptor().#call)),
        }
    }

    /// What the writer `accessor` of `field` takes after its receiver (with a leading comma) and
    /// returns; `None` for an accessor that does not write. `named` gives the parameters the
    /// names its body uses; unnamed (`_`), they suit the body-less fallbacks.
    fn write_signature(
        &self,
        field: &DescField,
        accessor: Accessor,
        named: bool,
    ) -> Option<(TokenStream, TokenStream)> {
        let (value_ty, private) = (field.value_ty, &self.private);
        let name = |name: &str| {
            if named {
                format_ident!("{}", name)
            } else {
                format_ident!("_")
            }
        };
        let error = quote!(#private::ValidationError);
        let option = quote!(::core::option::Option<#value_ty>);
        let (value, f) = (name("value"), name("f"));
        let updater = |proposal: &TokenStream| {
            (
                quote!(, #f: impl ::core::ops::FnMut(::core::option::Option<&#value_ty>) -> #proposal),
                quote!(::core::result::Result<#proposal, #error>),
            )
        };
        Some(match accessor {
            Accessor::Setter => (
                quote!(, #value: #value_ty),
                quote!(::core::result::Result<(), #error>),
            ),
            Accessor::Taker => (TokenStream::new(), option),
            Accessor::Replacer => (
                quote!(, #value: #value_ty),
                quote!(::core::result::Result<#option, #error>),
            ),
            Accessor::Updater => updater(&quote!(#value_ty)),
            Accessor::TryUpdater => updater(&option),
            Accessor::Getter | Accessor::With | Accessor::Descriptor => return None,
        })
    }

    /// The `# Errors` text of a write that checks `value` against the field's rules; `also`
    /// names another failure, after a comma.
    fn rule_errors_doc(&self, field: &DescField, also: &str) -> String {
        let (owner, name) = (self.owner_name(), field.ident.unraw());
        format!(
            "Returns a `ValidationError` naming `{owner}.{name}` if `value` breaks a rule{also}. \
             The stored value is then unchanged."
        )
    }

    /// The field's accessor bounds, and the same with `for<'__d> T: check<Self>`: a `Clone`
    /// bound (`GetterClone`, `UpdateClone`) that rustc checks where the method is called, with
    /// that trait's message, rather than at its definition. rustdoc would render it as it is,
    /// so the method's documentation (`cfg(doc)`) shows the first list.
    fn bounds_with_clone(
        &self,
        field: &DescField,
        check: &str,
    ) -> (Vec<TokenStream>, Vec<TokenStream>) {
        let bounds = self.accessor_bounds(field);
        let at = field.value_ty.span();
        let (value_ty, check) = (field.value_ty, format_ident!("{}", check, span = at));
        let (private_at, owner_at) = (respan(&self.private, at), self.owner_ty_at(at));
        let mut with_clone = bounds.clone();
        with_clone.push(quote_spanned!(at=> for<'__d> #value_ty: #private_at::#check<#owner_at>));
        (bounds, with_clone)
    }

    /// The owner type at `at`, for a bound whose error points there: `Self` spanned there, or
    /// with `extend` the type the fields are attached to, as written.
    fn owner_ty_at(&self, at: Span) -> TokenStream {
        if self.owner.extends().is_some() {
            self.owner_ty()
        } else {
            quote_spanned!(at=> Self)
        }
    }

    /// `x_descriptor()`: a `static` for a non-generic owner; for a generic one, its
    /// instantiation's descriptor in the field's registry.
    fn descriptor_accessor(&self, field: &DescField) -> Method {
        let (value_ty, private) = (field.value_ty, &self.private);
        let name = field.ident.unraw().to_string();
        let owner = self.owner_name();
        let descriptor = descriptor_fn(field);
        let shared_by = match (self.owner.is_rc(), self.owner.is_generic()) {
            (false, false) => format!("one table shared by every `{owner}`"),
            (false, true) => {
                format!("one table for each instantiation of `{owner}`, shared by its owners")
            }
            (true, false) => format!("a handle to the calling thread's table of `{owner}`s"),
            (true, true) => {
                format!("a handle to the calling thread's table of this instantiation of `{owner}`")
            }
        };
        let doc =
            format!("The descriptor behind `{name}`: {shared_by}, holding each owner's value.");
        let state = Self::private_ident("state");
        // A `static` inside a method cannot name `Self`: name the struct (or the type that the
        // fields are attached to).
        let (owner_in_items, keying) = (self.owner_in_items(), self.keying_in_items());
        let body = match (self.owner.is_rc(), self.owner.is_generic()) {
            (false, false) => {
                // Named with the user's types, where an unmet bound of the constructor (a value
                // type that is not thread-safe) is reported.
                let ident = self.owner.ident;
                let constructor = match self.foreign() {
                    Some(foreign) => {
                        quote!(#private::static_extension::<#ident, #foreign, #value_ty>)
                    }
                    None => quote!(#private::static_descriptor::<#ident, #value_ty>),
                };
                let build = self.build_descriptor(field, &constructor, &TokenStream::new());
                quote! {
                    static DESCRIPTOR: #private::StaticDescriptor<#owner_in_items, #value_ty> =
                        #build;
                    DESCRIPTOR.get()
                }
            }
            (false, true) => {
                let tables = tables_static(field);
                let constructor = match self.foreign() {
                    Some(foreign) => {
                        quote!(#private::Descriptor::<#foreign, #value_ty>::extension::<Self>)
                    }
                    None => quote!(#private::Descriptor::<Self, #value_ty>::derived),
                };
                let build = self.build_descriptor(field, &constructor, &TokenStream::new());
                quote!(#tables.get_or_init(|| #build))
            }
            (true, false) => {
                // The calling thread's state, in a `thread_local!` of this field's own.
                let field_state =
                    quote!(#private::FieldState<#owner_in_items, #value_ty, #private::Local>);
                let descriptor_ty = self.descriptor_ty(&owner_in_items, value_ty);
                let home = quote!(, #keying, #private::LocalHome::new(#state));
                let build =
                    self.build_descriptor(field, &quote!(#private::Descriptor::local), &home);
                quote! {
                    #[inline]
                    fn #state() -> *const #field_state {
                        ::std::thread_local! {
                            static STATE: #field_state = const {
                                #private::FieldState::new(#keying)
                            };
                        }
                        STATE
                            .try_with(|state| ::core::ptr::from_ref(state))
                            .unwrap_or(::core::ptr::null())
                    }
                    static DESCRIPTOR: #descriptor_ty = #build;
                    &DESCRIPTOR
                }
            }
            (true, true) => {
                let (tables, states) = (tables_static(field), local_states(field));
                let constructor = quote!(
                    #private::Descriptor::<#owner_in_items, #value_ty, #private::Local>::local
                );
                let state_of = match self.foreign() {
                    Some(foreign) => quote!(#states::<Self, #foreign, #value_ty>),
                    None => quote!(#states::<Self, #value_ty>),
                };
                let home = quote!(, #keying, #private::LocalHome::new(#state_of));
                let build = self.build_descriptor(field, &constructor, &home);
                quote!(#tables.get_or_init(|| #build))
            }
        };
        let descriptor_ty = self.descriptor_ty(&self.owner_ty(), value_ty);
        Method {
            name: descriptor.unraw().to_string(),
            docs: quote!(#[doc = #doc]),
            vis: field.vis.to_token_stream(),
            must_use: true,
            inline: false,
            signature: quote!(fn #descriptor() -> &'static #descriptor_ty),
            where_clause: method_where(&self.accessor_bounds(field)),
            doc_where: None,
            body: self.body(body),
        }
    }

    /// The field's doc comments, then `what`, then its rules.
    fn docs(&self, field: &DescField, what: &str) -> TokenStream {
        let field_docs = &field.docs;
        let separator = (!field_docs.is_empty()).then(|| quote!(#[doc = ""]));
        let rules_doc = rules_doc(field);
        quote! {
            #(#field_docs)*
            #separator
            #[doc = #what]
            #[doc = ""]
            #[doc = #rules_doc]
        }
    }

    fn getter_doc(&self, field: &DescField) -> String {
        let name = field.ident.unraw().to_string();
        let clone = format!(
            " The value is cloned, so `{}` must be `Clone` (checked where this is called); \
             `with_{name}` lends it without cloning.",
            render::ty(field.value_ty.to_token_stream()),
        );
        let what = match (field.options.default.get(), field.options.lazy.get()) {
            (Some(default), _) => format!(
                "Returns this owner's `{name}`, or its default `{}` while it is unset.",
                render::tokens(default.value.to_token_stream()),
            ),
            (None, Some(lazy)) => format!(
                "Returns this owner's `{name}`: the stored value, or else the result of `{}`, \
                 which it stores (computed on first read, and again after `take_{name}()`). The \
                 function may run more than once when threads read an unset value at once; all \
                 get the value stored first.",
                render::tokens(lazy.value.to_token_stream()),
            ),
            (None, None) => format!("Returns this owner's `{name}`, or `None` while it is unset."),
        };
        what + &clone
    }
}

/// How a field's getters read it.
enum Reading {
    /// The stored value, if any.
    Stored,
    /// The stored value, or else this `|| -> T` closure's.
    Default(TokenStream),
    /// The stored value, or else this function's (`fn(&Arc<Self>) -> T`, or `&Rc<Self>`), which
    /// is stored.
    Lazy(TokenStream),
}

impl Reading {
    /// How `field` of `expansion` is read.
    fn of(expansion: &Expansion, field: &DescField) -> Self {
        let (options, value_ty) = (&field.options, field.value_ty);
        if let Some(default) = options.default.get() {
            Self::Default(default_fn(field, &default.value))
        } else if let Some(lazy) = options.lazy.get() {
            let (pointer, path) = (expansion.pointer(), &lazy.value);
            let (owner, owner_ty) = (Expansion::private_ident("owner"), expansion.owner_ty());
            let call = expansion.hook_call(
                path,
                &quote!((#pointer<#owner_ty>, #value_ty)),
                &quote!(LazyHook as _, LazyOther as _),
                |hook| quote_spanned!(path.span()=> #hook.compute(#owner)),
            );
            Self::Lazy(quote!(|#owner: &#pointer<#owner_ty>| -> #value_ty #call))
        } else {
            Self::Stored
        }
    }
}

/// `|| -> T { default }`: the closure's declared return type makes a default of the wrong type
/// an error at the user's expression.
fn default_fn(field: &DescField, expr: &syn::Expr) -> TokenStream {
    let value_ty = field.value_ty;
    quote_spanned! {expr.span()=> || -> #value_ty { #expr }}
}

/// "Rules: `range(min = 0, max = 150)`." for the accessors' docs; a field of a kind names it
/// first ("Rules: those of the kind `Percent`, then `range(min = 10)`.").
/// Doc attributes: `paragraphs` with blank lines between them, then an `# Errors` section
/// holding `errors`, if given.
fn docs(paragraphs: &[&str], errors: Option<&str>) -> TokenStream {
    let mut lines: Vec<&str> = Vec::new();
    for paragraph in paragraphs {
        if !lines.is_empty() {
            lines.push("");
        }
        lines.push(paragraph);
    }
    if let Some(errors) = errors {
        lines.extend(["", "# Errors", "", errors]);
    }
    quote!(#(#[doc = #lines])*)
}

fn rules_doc(field: &DescField) -> String {
    let rules = rules::rendered(field);
    let list: Vec<String> = rules.iter().map(|rule| format!("`{rule}`")).collect();
    match (field.kind, list.is_empty()) {
        (None, true) => "It has no rules: every value is accepted.".to_owned(),
        (None, false) => format!("Rules: {}.", list.join(", ")),
        (Some(kind), true) => format!(
            "Rules: those of the kind `{}`.",
            render::ty(kind.to_token_stream())
        ),
        (Some(kind), false) => format!(
            "Rules: those of the kind `{}`, then {}.",
            render::ty(kind.to_token_stream()),
            list.join(", ")
        ),
    }
}
