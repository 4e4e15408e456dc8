//! The options of `#[descriptor(...)]` (on fields), `#[descriptors(...)]` (on the struct) and
//! `#[kind(T, ...)]` (on a kind), parsed into plain values.
//!
//! Each option is one [`Attr`] field of [`FieldOptions`], [`StructOptions`] or [`KindOptions`]
//! and one row of that struct's option table, which names it and says how to parse its value. A
//! kind takes the rule options of a field, so its table holds only its own (`extends`, `crate`)
//! and hands every other option to the field's table. Parsing is
//! forgiving where it can be: an unknown or duplicate option is recorded in the [`Ctxt`] and
//! parsing goes on with the next one, so that a single compile reports every mistake of an
//! attribute. Only malformed syntax stops the attribute it is in.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Expr, ExprArray, ExprPath, Ident, LitStr, Meta, Path, Token, Type, token};

use crate::ctxt::Ctxt;
use crate::suggest;

mod parse;

pub use parse::Parse;

/// One option: unset, or set by its first occurrence (a second one is an error).
pub struct Attr<T>(Option<T>);

impl<T> Default for Attr<T> {
    fn default() -> Self {
        Self(None)
    }
}

impl<T> Attr<T> {
    /// The option's value, if it was given.
    pub fn get(&self) -> Option<&T> {
        self.0.as_ref()
    }

    /// Whether the option was given.
    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }
}

/// `keyword = value`, kept whole for messages and spans.
pub struct Assignment<T> {
    pub keyword: Ident,
    pub value: T,
}

impl<T: ToTokens> ToTokens for Assignment<T> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let (keyword, value) = (&self.keyword, &self.value);
        tokens.extend(quote!(#keyword = #value));
    }
}

/// `range(min = a, max = b)` or `length(min = a, max = b)`; either bound may be missing here,
/// [`valid`](crate::valid) rejects a rule with neither.
pub struct Bounds {
    pub keyword: Ident,
    parens: token::Paren,
    pub min: Option<Expr>,
    pub max: Option<Expr>,
    /// Whether an unknown bound was reported already (then "no bound" would only repeat it).
    pub had_unknown: bool,
}

impl ToTokens for Bounds {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.keyword.to_tokens(tokens);
        self.parens.surround(tokens, |inner| {
            let bounds = [("min", &self.min), ("max", &self.max)];
            let bounds = bounds.iter().filter_map(|(name, bound)| {
                let name = Ident::new(name, self.keyword.span());
                bound.as_ref().map(|bound| quote!(#name = #bound))
            });
            inner.extend(quote!(#(#bounds),*));
        });
    }
}

/// How a descriptor's table keys its owners.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyMode {
    /// By the owner's `Hash + Eq`, like `WeakKeyDictionary` (the default).
    #[default]
    Value,
    /// By the address of the owner's `Arc` allocation, like `id(instance)`.
    Identity,
}

/// How a table keyed by value hashes its owners.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub enum HashKind {
    /// foldhash with a process-random seed, shared by the owner type's tables (the default).
    #[default]
    Fast,
    /// std's `RandomState` (SipHash-1-3 under random keys), each table its own: for owners keyed
    /// by untrusted input.
    Keyed,
}

/// `serde`, or `serde(deny_unknown_fields, rename_all = "camelCase")`: the values struct's
/// `serde` derives and the container attributes passed to them.
pub struct Serde {
    pub keyword: Ident,
    pub deny_unknown_fields: Option<Ident>,
    pub rename_all: Option<LitStr>,
    /// The parenthesised options as written, for messages.
    pub written: TokenStream,
}

impl ToTokens for Serde {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.keyword.to_tokens(tokens);
        self.written.to_tokens(tokens);
    }
}

/// The options of one descriptor field, gathered from all of its `#[descriptor(...)]`s.
#[derive(Default)]
pub struct FieldOptions {
    pub range: Attr<Bounds>,
    pub length: Attr<Bounds>,
    pub validate: Attr<Assignment<ExprPath>>,
    pub coerce: Attr<Assignment<ExprPath>>,
    pub default: Attr<Assignment<Expr>>,
    pub once: Attr<Ident>,
    pub on_change: Attr<Assignment<ExprPath>>,
    pub one_of: Attr<Assignment<ExprArray>>,
    pub non_empty: Attr<Ident>,
    pub pattern: Attr<Assignment<LitStr>>,
    pub lazy: Attr<Assignment<ExprPath>>,
}

/// The options of the struct, gathered from all of its `#[descriptors(...)]`s.
#[derive(Default)]
pub struct StructOptions {
    pub key: Attr<Assignment<Ident>>,
    pub hash: Attr<Assignment<Ident>>,
    pub krate: Attr<Assignment<Path>>,
    pub manual_drop: Attr<Ident>,
    pub values: Attr<Assignment<Ident>>,
    pub no_values: Attr<Ident>,
    pub serde: Attr<Serde>,
    pub rc: Attr<Ident>,
    /// The type of another crate that the struct's fields are attached to.
    pub extend: Attr<Assignment<Type>>,
}

/// The options of a kind, from its `#[kind(T, ...)]`: the value type, the rule options of a
/// field (those a kind may not carry are parsed too, and rejected by [`valid`](crate::valid)),
/// and the kind's own.
#[derive(Default)]
pub struct KindOptions {
    /// `T`, unless the attribute left it out (an error already recorded).
    pub value_ty: Option<Type>,
    pub rules: FieldOptions,
    pub extends: Attr<Assignment<Type>>,
    pub krate: Attr<Assignment<Path>>,
}

impl StructOptions {
    /// The key mode given (checked when parsed), or the default: by value, except for fields
    /// attached with `extend` to a type that need not be `Hash + Eq`.
    pub fn key_mode(&self) -> KeyMode {
        match self.key.get() {
            Some(key) if key.value == "identity" => KeyMode::Identity,
            Some(_) => KeyMode::Value,
            None if self.extend.is_set() => KeyMode::Identity,
            None => KeyMode::Value,
        }
    }

    /// The hash given (checked when parsed), or the default.
    pub fn hash_kind(&self) -> HashKind {
        match self.hash.get() {
            Some(hash) if hash.value == "keyed" => HashKind::Keyed,
            _ => HashKind::Fast,
        }
    }
}

/// An option's row in its table: its name, and how to parse it into its field.
type Row<O> = (&'static str, fn(&mut O, &mut Parse) -> syn::Result<()>);

/// A struct of options, parsed from one kind of attribute.
pub trait Options: Default + 'static {
    /// `"field"` or `"struct"`, for messages.
    const ON: &'static str;
    /// Every option: the table adding an option adds a row to.
    const TABLE: &'static [Row<Self>];
    /// Words from other libraries (or plain English) and the option they likely mean.
    const ALIASES: &'static [(&'static str, &'static str)];
    /// The attribute's syntax, for "expected a list of options".
    const SYNTAX: &'static str;

    /// Parses the option called `name` into `self`, or `None` if there is no such option.
    fn parse_option(&mut self, name: &str, parse: &mut Parse) -> Option<syn::Result<()>> {
        let (_, parse_into) = Self::TABLE.iter().find(|(known, _)| *known == name)?;
        Some(parse_into(self, parse))
    }

    /// The names of every option, for did-you-mean.
    fn known() -> Vec<&'static str> {
        Self::TABLE.iter().map(|(name, _)| *name).collect()
    }

    /// [`ALIASES`](Self::ALIASES), and those of any table this one hands options to.
    fn aliases() -> Vec<(&'static str, &'static str)> {
        Self::ALIASES.to_vec()
    }

    /// Parses one attribute into `self`, recording every problem in `cx`.
    fn parse_attr(&mut self, cx: &mut Ctxt, attr: &Attribute) {
        let list = match &attr.meta {
            Meta::List(list) => list,
            // A bare `#[descriptor]` marks a field without options.
            Meta::Path(_) if Self::ON == "field" => return,
            meta => {
                return cx.error_spanned_by(
                    meta,
                    format!("expected a list of options: `{}`", Self::SYNTAX),
                );
            }
        };
        let parser = |input: ParseStream| self.parse_options(cx, input);
        if let Err(error) = parser.parse2(list.tokens.clone()) {
            cx.syn_error(error);
        }
    }

    /// Parses `option, option, ...` up to the end of `input`: each option through the table,
    /// an unknown one recorded in `cx` with a suggestion.
    fn parse_options(&mut self, cx: &mut Ctxt, input: ParseStream) -> syn::Result<()> {
        while !input.is_empty() {
            let keyword = input.call(Ident::parse_any)?;
            let name = keyword.to_string();
            let mut parse = Parse {
                cx,
                keyword,
                input,
                on: Self::ON,
            };
            match self.parse_option(&name, &mut parse) {
                Some(parsed) => parsed?,
                None => parse.unknown(&Self::known(), &Self::aliases())?,
            }
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(())
    }
}

impl Options for FieldOptions {
    const ON: &'static str = "field";
    const SYNTAX: &'static str = "#[descriptor(range(min = 0, max = 10), ...)]";
    const ALIASES: &'static [(&'static str, &'static str)] = suggest::FIELD_ALIASES;
    #[rustfmt::skip]
    const TABLE: &'static [Row<Self>] = &[
        ("range", |o, p| p.set(&mut o.range, Parse::bounds)),
        ("length", |o, p| p.set(&mut o.length, Parse::bounds)),
        ("validate", |o, p| p.set(&mut o.validate, |p| p.path("`validate = check_fn`, with `fn check_fn(value: &T) -> Result<(), String>`"))),
        ("coerce", |o, p| p.set(&mut o.coerce, |p| p.path("`coerce = coerce_fn`, with `fn coerce_fn(value: T) -> T`"))),
        ("default", |o, p| p.set(&mut o.default, Parse::expr)),
        ("once", |o, p| p.set(&mut o.once, Parse::flag)),
        ("on_change", |o, p| p.set(&mut o.on_change, |p| p.path("`on_change = observer`, with `fn observer(owner: &Arc<Self>, old: Option<&T>, new: Option<&T>)`"))),
        ("one_of", |o, p| p.set(&mut o.one_of, Parse::list)),
        ("non_empty", |o, p| p.set(&mut o.non_empty, Parse::flag)),
        ("pattern", |o, p| p.set(&mut o.pattern, Parse::regex)),
        ("lazy", |o, p| p.set(&mut o.lazy, |p| p.path("`lazy = compute_fn`, with `fn compute_fn(owner: &Arc<Self>) -> T`"))),
    ];
}

impl Options for StructOptions {
    const ON: &'static str = "struct";
    const SYNTAX: &'static str = "#[descriptors(key = identity, hash = keyed, crate = path, manual_drop, values = Name, no_values, serde(deny_unknown_fields, rename_all = \"camelCase\"), rc, extend = Type)]";
    const ALIASES: &'static [(&'static str, &'static str)] = suggest::STRUCT_ALIASES;
    #[rustfmt::skip]
    const TABLE: &'static [Row<Self>] = &[
        ("key", |o, p| p.set(&mut o.key, Parse::key_mode)),
        ("hash", |o, p| p.set(&mut o.hash, Parse::hash_kind)),
        ("crate", |o, p| p.set(&mut o.krate, Parse::crate_path)),
        ("manual_drop", |o, p| p.set(&mut o.manual_drop, Parse::flag)),
        ("values", |o, p| p.set(&mut o.values, Parse::name)),
        ("no_values", |o, p| p.set(&mut o.no_values, Parse::flag)),
        ("serde", |o, p| p.set(&mut o.serde, Parse::serde)),
        ("rc", |o, p| p.set(&mut o.rc, Parse::flag)),
        ("extend", |o, p| p.set(&mut o.extend, |p| p.ty_or_tokens("`extend = Connection`, the type that the fields are attached to"))),
    ];
}

impl Options for KindOptions {
    const ON: &'static str = "kind";
    const SYNTAX: &'static str = "#[kind(u8, range(max = 100), ...)]";
    const ALIASES: &'static [(&'static str, &'static str)] = suggest::KIND_ALIASES;
    #[rustfmt::skip]
    const TABLE: &'static [Row<Self>] = &[
        ("extends", |o, p| p.set(&mut o.extends, |p| p.ty("`extends = OtherKind`, a kind of the same values"))),
        ("crate", |o, p| p.set(&mut o.krate, Parse::crate_path)),
    ];

    /// The kind's own options, then the rule options of a field.
    fn parse_option(&mut self, name: &str, parse: &mut Parse) -> Option<syn::Result<()>> {
        if let Some((_, parse_into)) = Self::TABLE.iter().find(|(known, _)| *known == name) {
            return Some(parse_into(self, parse));
        }
        self.rules.parse_option(name, parse)
    }

    fn known() -> Vec<&'static str> {
        let own = Self::TABLE.iter().map(|(name, _)| *name);
        own.chain(FieldOptions::known()).collect()
    }

    fn aliases() -> Vec<(&'static str, &'static str)> {
        [Self::ALIASES, FieldOptions::ALIASES].concat()
    }

    /// `#[kind(T, options...)]`: the value type first, then the options. An attribute that
    /// starts with an option instead is told where the type goes, and its options are parsed
    /// all the same.
    fn parse_attr(&mut self, cx: &mut Ctxt, attr: &Attribute) {
        let Meta::List(list) = &attr.meta else {
            return cx.error_spanned_by(
                &attr.meta,
                format!(
                    "expected the value type and the kind's rules: `{}`",
                    Self::SYNTAX
                ),
            );
        };
        let parser = |input: ParseStream| {
            if input.is_empty() {
                cx.error_spanned_by(
                    list,
                    format!(
                        "`#[kind(...)]` needs the type of the values it checks first: `{}`",
                        Self::SYNTAX
                    ),
                );
                return Ok(());
            }
            let fork = input.fork();
            let option = fork.call(Ident::parse_any).ok().filter(|first| {
                Self::known().contains(&first.to_string().as_str())
                    && (fork.is_empty()
                        || fork.peek(Token![=])
                        || fork.peek(token::Paren)
                        || fork.peek(Token![,]))
            });
            if let Some(option) = option {
                cx.error_spanned_by(
                    option,
                    format!(
                        "`#[kind(...)]` starts with the type of the values it checks, then its \
                         rules: `{}`",
                        Self::SYNTAX
                    ),
                );
            } else {
                self.value_ty = Some(input.parse()?);
                if input.is_empty() {
                    return Ok(());
                }
                input.parse::<Token![,]>()?;
            }
            self.parse_options(cx, input)
        };
        if let Err(error) = parser.parse2(list.tokens.clone()) {
            cx.syn_error(error);
        }
    }
}
