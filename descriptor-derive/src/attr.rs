//! The options of `#[descriptor(...)]` (on fields) and `#[descriptors(...)]` (on the struct),
//! parsed into plain values.
//!
//! Each option is one [`Attr`] field of [`FieldOptions`] or [`StructOptions`] and one row of
//! that struct's option table, which names it and says how to parse its value. Parsing is
//! forgiving where it can be: an unknown or duplicate option is recorded in the [`Ctxt`] and
//! parsing goes on with the next one, so that a single compile reports every mistake of an
//! attribute. Only malformed syntax stops the attribute it is in.

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{
    Attribute, Expr, ExprArray, ExprLit, ExprPath, Ident, Lit, LitStr, Meta, Path, Token, token,
};

use crate::ctxt::Ctxt;
use crate::{render, suggest};

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
}

/// The options of the struct, gathered from all of its `#[descriptors(...)]`s.
#[derive(Default)]
pub struct StructOptions {
    pub key: Attr<Assignment<Ident>>,
    pub krate: Attr<Assignment<Path>>,
    pub manual_drop: Attr<Ident>,
    pub values: Attr<Assignment<Ident>>,
    pub no_values: Attr<Ident>,
    pub serde: Attr<Ident>,
}

impl StructOptions {
    /// The key mode given (checked when parsed), or the default.
    pub fn key_mode(&self) -> KeyMode {
        match self.key.get() {
            Some(key) if key.value == "identity" => KeyMode::Identity,
            _ => KeyMode::Value,
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
        let parser = |input: ParseStream| {
            while !input.is_empty() {
                let keyword = input.call(Ident::parse_any)?;
                let name = keyword.to_string();
                let mut parse = Parse {
                    cx,
                    keyword,
                    input,
                    on: Self::ON,
                };
                match Self::TABLE.iter().find(|(known, _)| *known == name) {
                    Some((_, parse_into)) => parse_into(self, &mut parse)?,
                    None => parse.unknown(Self::TABLE, Self::ALIASES)?,
                }
                if input.is_empty() {
                    break;
                }
                input.parse::<Token![,]>()?;
            }
            Ok(())
        };
        if let Err(error) = parser.parse2(list.tokens.clone()) {
            cx.syn_error(error);
        }
    }
}

impl Options for FieldOptions {
    const ON: &'static str = "field";
    const SYNTAX: &'static str = "#[descriptor(range(min = 0, max = 10), ...)]";
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
    ];
    const ALIASES: &'static [(&'static str, &'static str)] = &[
        ("min", "range"),
        ("max", "range"),
        ("minimum", "range"),
        ("maximum", "range"),
        ("bounds", "range"),
        ("len", "length"),
        ("min_len", "length"),
        ("max_len", "length"),
        ("min_length", "length"),
        ("max_length", "length"),
        ("size", "length"),
        ("check", "validate"),
        ("validator", "validate"),
        ("convert", "coerce"),
        ("transform", "coerce"),
        ("map", "coerce"),
        ("readonly", "once"),
        ("read_only", "once"),
        ("frozen", "once"),
        ("final", "once"),
        ("set_once", "once"),
        ("on_set", "on_change"),
        ("observe", "on_change"),
        ("observer", "on_change"),
        ("watch", "on_change"),
        ("notify", "on_change"),
        ("choices", "one_of"),
        ("choice", "one_of"),
        ("allowed", "one_of"),
        ("any_of", "one_of"),
        ("in", "one_of"),
        ("enum", "one_of"),
        ("values", "one_of"),
        ("not_empty", "non_empty"),
        ("nonempty", "non_empty"),
        ("required", "non_empty"),
        ("non_blank", "non_empty"),
        ("not_blank", "non_empty"),
        ("regex", "pattern"),
        ("regexp", "pattern"),
        ("re", "pattern"),
        ("matches", "pattern"),
        ("format", "pattern"),
    ];
}

impl Options for StructOptions {
    const ON: &'static str = "struct";
    const SYNTAX: &'static str = "#[descriptors(key = identity, crate = path, manual_drop, values = Name, no_values, serde)]";
    #[rustfmt::skip]
    const TABLE: &'static [Row<Self>] = &[
        ("key", |o, p| p.set(&mut o.key, Parse::key_mode)),
        ("crate", |o, p| p.set(&mut o.krate, Parse::crate_path)),
        ("manual_drop", |o, p| p.set(&mut o.manual_drop, Parse::flag)),
        ("values", |o, p| p.set(&mut o.values, Parse::name)),
        ("no_values", |o, p| p.set(&mut o.no_values, Parse::flag)),
        ("serde", |o, p| p.set(&mut o.serde, Parse::flag)),
    ];
    const ALIASES: &'static [(&'static str, &'static str)] = &[
        ("krate", "crate"),
        ("no_drop", "manual_drop"),
        ("keyed_by", "key"),
        ("snapshot", "values"),
        ("values_struct", "values"),
        ("state", "values"),
        ("value", "values"),
        ("no_snapshot", "no_values"),
        ("skip_values", "no_values"),
        ("without_values", "no_values"),
        ("novalues", "no_values"),
        ("serialize", "serde"),
        ("serialization", "serde"),
        ("json", "serde"),
    ];
}

const KEY_MODES: &[&str] = &["value", "identity"];
const KEY_ALIASES: &[(&str, &str)] = &[
    ("id", "identity"),
    ("ptr", "identity"),
    ("pointer", "identity"),
    ("address", "identity"),
    ("arc", "identity"),
    ("hash", "value"),
    ("eq", "value"),
    ("equality", "value"),
];
const BOUNDS: &[&str] = &["min", "max"];
const BOUND_ALIASES: &[(&str, &str)] = &[
    ("minimum", "min"),
    ("maximum", "max"),
    ("lo", "min"),
    ("low", "min"),
    ("start", "min"),
    ("from", "min"),
    ("hi", "max"),
    ("high", "max"),
    ("end", "max"),
    ("to", "max"),
];

/// One option being parsed: its keyword, the input after it, and where errors go.
///
/// Each parser returns `Ok(Some(value))`, `Ok(None)` after recording an error it could skip
/// past, or `Err` for syntax that ends the attribute.
pub struct Parse<'c, 'a> {
    cx: &'c mut Ctxt,
    keyword: Ident,
    input: ParseStream<'a>,
    on: &'static str,
}

impl Parse<'_, '_> {
    /// Parses the option's value with `parse` and stores it in `attr`, unless it was given
    /// before: then the repeat is the error.
    fn set<T: ToTokens>(
        &mut self,
        attr: &mut Attr<T>,
        parse: impl FnOnce(&mut Self) -> syn::Result<Option<T>>,
    ) -> syn::Result<()> {
        let Some(value) = parse(self)? else {
            return Ok(());
        };
        match &attr.0 {
            Some(first) => self.cx.error_spanned_by(
                &value,
                format!(
                    "duplicate `{}`: this {} already has `{}`; keep only one of them",
                    self.keyword,
                    self.on,
                    render::tokens(first.to_token_stream()),
                ),
            ),
            None => attr.0 = Some(value),
        }
        Ok(())
    }

    /// An option that is not in the table.
    fn unknown<O>(&mut self, table: &[Row<O>], aliases: &[(&str, &str)]) -> syn::Result<()> {
        let value = self.skip_value()?;
        let known: Vec<&str> = table.iter().map(|(name, _)| *name).collect();
        let what = if self.on == "field" {
            "descriptor option"
        } else {
            "struct option"
        };
        let keyword = &self.keyword;
        let message = suggest::unknown(what, &keyword.to_string(), "", &known, aliases);
        self.cx.error_spanned_by(quote!(#keyword #value), message);
        Ok(())
    }

    /// A flag, written on its own.
    fn flag(&mut self) -> syn::Result<Option<Ident>> {
        if self.input.peek(Token![=]) || self.input.peek(token::Paren) {
            let (keyword, value) = (&self.keyword, self.skip_value()?);
            let message = format!("`{keyword}` takes no value: write `{keyword}` on its own");
            self.cx.error_spanned_by(quote!(#keyword #value), message);
        }
        Ok(Some(self.keyword.clone()))
    }

    /// `= path`, or `= "path"`, of a function.
    fn path(&mut self, example: &str) -> syn::Result<Option<Assignment<ExprPath>>> {
        self.expect_eq(example)?;
        let value = if self.input.peek(LitStr) {
            let lit: LitStr = self.input.parse()?;
            lit.parse().map_err(|_| {
                syn::Error::new_spanned(&lit, format!("expected the path of a function: {example}"))
            })?
        } else {
            match self.input.parse::<Expr>()? {
                Expr::Path(path) => path,
                other => {
                    let message =
                        format!("expected the path of a function, not an expression: {example}");
                    return Err(syn::Error::new_spanned(other, message));
                }
            }
        };
        Ok(Some(self.assign(value)))
    }

    /// `= expr`.
    fn expr(&mut self) -> syn::Result<Option<Assignment<Expr>>> {
        if !self.input.peek(Token![=]) {
            let message = format!("expected a value: `{} = expr`", self.keyword);
            return Err(syn::Error::new_spanned(&self.keyword, message));
        }
        self.input.parse::<Token![=]>()?;
        let value = self.input.parse()?;
        Ok(Some(self.assign(value)))
    }

    /// `= [a, b, c]`.
    fn list(&mut self) -> syn::Result<Option<Assignment<ExprArray>>> {
        self.expect_eq("a list of values: `one_of = [a, b, c]`")?;
        match self.input.parse::<Expr>()? {
            Expr::Array(values) => Ok(Some(self.assign(values))),
            other => {
                let message = "expected a list of values in brackets: `one_of = [a, b, c]`";
                self.cx.error_spanned_by(&other, message);
                Ok(None)
            }
        }
    }

    /// `= "regex"`.
    fn regex(&mut self) -> syn::Result<Option<Assignment<LitStr>>> {
        self.expect_eq("a regular expression: `pattern = \"^[a-z]+$\"`")?;
        match self.input.parse::<Expr>()? {
            Expr::Lit(ExprLit {
                lit: Lit::Str(regex),
                ..
            }) => Ok(Some(self.assign(regex))),
            other => {
                let message =
                    "expected the regular expression as a string literal: `pattern = \"^[a-z]+$\"`";
                self.cx.error_spanned_by(&other, message);
                Ok(None)
            }
        }
    }

    /// `= value` or `= identity`.
    fn key_mode(&mut self) -> syn::Result<Option<Assignment<Ident>>> {
        self.expect_eq("`key = identity` or `key = value`")?;
        let mode = self.input.call(Ident::parse_any)?;
        if KEY_MODES.contains(&mode.to_string().as_str()) {
            return Ok(Some(self.assign(mode)));
        }
        let message = suggest::unknown("key mode", &mode.to_string(), "", KEY_MODES, KEY_ALIASES);
        self.cx.error_spanned_by(&mode, message);
        Ok(None)
    }

    /// `= path` or `= "path"`, of a crate.
    fn crate_path(&mut self) -> syn::Result<Option<Assignment<Path>>> {
        self.expect_eq("`crate = path` or `crate = \"path\"`")?;
        let path = if self.input.peek(LitStr) {
            let lit: LitStr = self.input.parse()?;
            lit.parse_with(Path::parse_mod_style).map_err(|_| {
                let message = format!(
                    "expected a path in `crate = \"...\"`, found {:?}",
                    lit.value()
                );
                syn::Error::new_spanned(&lit, message)
            })?
        } else {
            self.input.call(Path::parse_mod_style)?
        };
        Ok(Some(self.assign(path)))
    }

    /// `= Name`.
    fn name(&mut self) -> syn::Result<Option<Assignment<Ident>>> {
        let example = "the name of the values struct: `values = PersonValues`";
        self.expect_eq(example)?;
        let input = self.input;
        if input.peek(Ident) && (input.peek2(Token![,]) || input.peek2(syn::parse::End)) {
            let name = input.parse()?;
            return Ok(Some(self.assign(name)));
        }
        let mut value = TokenStream::new();
        while !input.is_empty() && !input.peek(Token![,]) {
            value.extend([input.parse::<TokenTree>()?]);
        }
        let at = if value.is_empty() {
            self.keyword.to_token_stream()
        } else {
            value
        };
        self.cx.error_spanned_by(at, format!("expected {example}"));
        Ok(None)
    }

    /// `(min = a, max = b)`.
    fn bounds(&mut self) -> syn::Result<Option<Bounds>> {
        let name = self.keyword.to_string();
        if !self.input.peek(token::Paren) {
            let (keyword, value) = (
                &self.keyword,
                self.input.peek(Token![=]).then(|| self.skip_value()),
            );
            let value = value.transpose()?;
            let message = format!(
                "expected bounds in parentheses: `{name}(min = ..., max = ...)`, either side optional"
            );
            return Err(syn::Error::new_spanned(quote!(#keyword #value), message));
        }
        let content;
        let parens = syn::parenthesized!(content in self.input);
        let mut bounds = Bounds {
            keyword: self.keyword.clone(),
            parens,
            min: None,
            max: None,
            had_unknown: false,
        };
        while !content.is_empty() {
            if !(content.peek(Ident::peek_any)
                && content.peek2(Token![=])
                && !content.peek2(Token![==]))
            {
                let rest: TokenStream = content.parse()?;
                let message = format!(
                    "expected `min = ...` or `max = ...`, as in `{name}(min = 1, max = 10)`"
                );
                return Err(syn::Error::new_spanned(rest, message));
            }
            let bound = content.call(Ident::parse_any)?;
            content.parse::<Token![=]>()?;
            let expr: Expr = content.parse()?;
            let slot = match bound.to_string().as_str() {
                "min" => &mut bounds.min,
                "max" => &mut bounds.max,
                other => {
                    let place = format!(" in `{name}(...)`");
                    let message = suggest::unknown("bound", other, &place, BOUNDS, BOUND_ALIASES);
                    self.cx.error_spanned_by(&bound, message);
                    bounds.had_unknown = true;
                    continue_after_comma(&content)?;
                    continue;
                }
            };
            match slot {
                Some(first) => self.cx.error_spanned_by(
                    quote!(#bound = #expr),
                    format!(
                        "duplicate `{bound}`: this field already has `{bound} = {}`; keep only one of them",
                        render::tokens(first.to_token_stream()),
                    ),
                ),
                None => *slot = Some(expr),
            }
            continue_after_comma(&content)?;
        }
        Ok(Some(bounds))
    }

    fn assign<T>(&self, value: T) -> Assignment<T> {
        Assignment {
            keyword: self.keyword.clone(),
            value,
        }
    }

    /// Consumes the `=` of `keyword = ...`, or explains what is missing.
    fn expect_eq(&mut self, example: &str) -> syn::Result<()> {
        if self.input.peek(Token![=]) {
            self.input.parse::<Token![=]>()?;
            return Ok(());
        }
        let value = if self.input.peek(token::Paren) {
            Some(self.skip_value()?)
        } else {
            None
        };
        let keyword = &self.keyword;
        Err(syn::Error::new_spanned(
            quote!(#keyword #value),
            format!("expected {example}"),
        ))
    }

    /// Skips the value of an option that is being rejected, `= tokens` up to the next
    /// top-level comma or a parenthesized group, so that parsing can go on with the next option.
    fn skip_value(&self) -> syn::Result<TokenStream> {
        let mut skipped = TokenStream::new();
        if self.input.peek(token::Paren) {
            skipped.extend([self.input.parse::<TokenTree>()?]);
        } else if self.input.peek(Token![=]) {
            while !self.input.is_empty() && !self.input.peek(Token![,]) {
                skipped.extend([self.input.parse::<TokenTree>()?]);
            }
        }
        Ok(skipped)
    }
}

/// Consumes the comma after a bound, if another bound follows.
fn continue_after_comma(content: ParseStream) -> syn::Result<()> {
    if !content.is_empty() {
        content.parse::<Token![,]>()?;
    }
    Ok(())
}
