//! The options of `#[descriptor(...)]` (on fields) and `#[descriptors(...)]` (on the struct),
//! parsed into plain values.
//!
//! Parsing is forgiving where it can be: an unknown or duplicate option is recorded in the
//! [`Ctxt`] and parsing goes on with the next one, so that a single compile reports every
//! mistake of an attribute. Only malformed syntax stops the attribute it is in.

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{
    Attribute, Expr, ExprArray, ExprLit, ExprPath, Ident, Lit, LitStr, Meta, Path, Token, token,
};

use crate::ctxt::Ctxt;
use crate::render;

/// The options of one descriptor field, gathered from all of its `#[descriptor(...)]`s.
#[derive(Default)]
pub struct FieldOptions {
    pub range: Option<Bounds>,
    pub length: Option<Bounds>,
    pub validate: Option<PathOption>,
    pub coerce: Option<PathOption>,
    pub default: Option<DefaultOption>,
    pub once: Option<Ident>,
    pub on_change: Option<PathOption>,
    pub one_of: Option<OneOf>,
    pub non_empty: Option<Ident>,
    pub pattern: Option<Pattern>,
}

/// `range(min = a, max = b)` or `length(min = a, max = b)`; either bound may be missing here,
/// [`valid`](crate::valid) rejects a rule with neither.
pub struct Bounds {
    /// `range` or `length`, for spans.
    pub keyword: Ident,
    /// The whole option, `range(...)`, for errors about it as a whole.
    pub tokens: TokenStream,
    pub min: Option<Expr>,
    pub max: Option<Expr>,
    /// Whether an unknown bound was reported already (then "no bound" would only repeat it).
    pub had_unknown: bool,
}

/// `validate = path`, `coerce = path` or `on_change = path`.
pub struct PathOption {
    pub keyword: Ident,
    pub path: ExprPath,
}

/// `one_of = [a, b, c]`; [`valid`](crate::valid) rejects an empty list.
pub struct OneOf {
    pub keyword: Ident,
    pub values: ExprArray,
}

/// `pattern = "regex"`; [`valid`](crate::valid) checks the regex's syntax.
pub struct Pattern {
    pub keyword: Ident,
    pub regex: LitStr,
}

/// `default = expr`.
pub struct DefaultOption {
    pub keyword: Ident,
    pub expr: Expr,
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

/// The options of the struct, gathered from all of its `#[descriptors(...)]`s.
#[derive(Default)]
pub struct StructOptions {
    pub key: Option<(Ident, KeyMode)>,
    pub krate: Option<(Ident, Path)>,
    pub manual_drop: Option<Ident>,
    /// `values = Name`: the keyword and the name of the values struct.
    pub values: Option<(Ident, Ident)>,
    pub no_values: Option<Ident>,
}

const FIELD_OPTIONS: &[&str] = &[
    "range",
    "length",
    "validate",
    "coerce",
    "default",
    "once",
    "on_change",
    "one_of",
    "non_empty",
    "pattern",
];
const FIELD_ALIASES: &[(&str, &str)] = &[
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
const STRUCT_OPTIONS: &[&str] = &["key", "crate", "manual_drop", "values", "no_values"];
const STRUCT_ALIASES: &[(&str, &str)] = &[
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
];
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

impl FieldOptions {
    /// Parses one `#[descriptor(...)]` attribute into `self`, recording every problem in `cx`.
    pub fn parse_attr(&mut self, cx: &mut Ctxt, attr: &Attribute) {
        match &attr.meta {
            // A bare `#[descriptor]` marks the field without options.
            Meta::Path(_) => {}
            Meta::NameValue(meta) => cx.error_spanned_by(
                meta,
                "expected a list of options: `#[descriptor(range(min = 0, max = 10), ...)]`",
            ),
            Meta::List(list) => {
                let parser = |input: ParseStream| self.parse_list(cx, input);
                if let Err(error) = parser.parse2(list.tokens.clone()) {
                    cx.syn_error(error);
                }
            }
        }
    }

    fn parse_list(&mut self, cx: &mut Ctxt, input: ParseStream) -> syn::Result<()> {
        while !input.is_empty() {
            let keyword = input.call(Ident::parse_any)?;
            match keyword.to_string().as_str() {
                name @ ("range" | "length") => {
                    let bounds = parse_bounds(cx, input, keyword.clone())?;
                    let slot = if name == "range" {
                        &mut self.range
                    } else {
                        &mut self.length
                    };
                    if let Some(first) = slot {
                        duplicate(cx, &bounds.tokens, name, &first.tokens);
                    } else {
                        *slot = Some(bounds);
                    }
                }
                name @ ("validate" | "coerce" | "on_change") => {
                    let path = parse_path_value(input, &keyword)?;
                    let option = PathOption {
                        keyword: keyword.clone(),
                        path,
                    };
                    let slot = match name {
                        "validate" => &mut self.validate,
                        "coerce" => &mut self.coerce,
                        _ => &mut self.on_change,
                    };
                    if let Some(first) = slot {
                        let first = quote!(#first);
                        duplicate(cx, &option, name, &first);
                    } else {
                        *slot = Some(option);
                    }
                }
                "default" => {
                    if !input.peek(Token![=]) {
                        return Err(syn::Error::new_spanned(
                            &keyword,
                            "expected a value: `default = expr`",
                        ));
                    }
                    input.parse::<Token![=]>()?;
                    let expr: Expr = input.parse()?;
                    let option = DefaultOption {
                        keyword: keyword.clone(),
                        expr,
                    };
                    if let Some(first) = &self.default {
                        let (first_keyword, first_expr) = (&first.keyword, &first.expr);
                        duplicate(
                            cx,
                            &option,
                            "default",
                            &quote!(#first_keyword = #first_expr),
                        );
                    } else {
                        self.default = Some(option);
                    }
                }
                "once" => {
                    if input.peek(Token![=]) || input.peek(token::Paren) {
                        let value = skip_value(input)?;
                        cx.error_spanned_by(
                            quote!(#keyword #value),
                            "`once` takes no value: write `once` on its own",
                        );
                    }
                    if let Some(first) = &self.once {
                        duplicate(cx, &keyword, "once", first);
                    } else {
                        self.once = Some(keyword);
                    }
                }
                "non_empty" => {
                    if input.peek(Token![=]) || input.peek(token::Paren) {
                        let value = skip_value(input)?;
                        cx.error_spanned_by(
                            quote!(#keyword #value),
                            "`non_empty` takes no value: write `non_empty` on its own",
                        );
                    }
                    if let Some(first) = &self.non_empty {
                        duplicate(cx, &keyword, "non_empty", first);
                    } else {
                        self.non_empty = Some(keyword);
                    }
                }
                "one_of" => {
                    expect_eq(input, &keyword, "a list of values: `one_of = [a, b, c]`")?;
                    match input.parse::<Expr>()? {
                        Expr::Array(values) => {
                            let option = OneOf { keyword, values };
                            if let Some(first) = &self.one_of {
                                duplicate(cx, &option, "one_of", first);
                            } else {
                                self.one_of = Some(option);
                            }
                        }
                        other => cx.error_spanned_by(
                            &other,
                            "expected a list of values in brackets: `one_of = [a, b, c]`",
                        ),
                    }
                }
                "pattern" => {
                    expect_eq(
                        input,
                        &keyword,
                        "a regular expression: `pattern = \"^[a-z]+$\"`",
                    )?;
                    match input.parse::<Expr>()? {
                        Expr::Lit(ExprLit {
                            lit: Lit::Str(regex),
                            ..
                        }) => {
                            let option = Pattern { keyword, regex };
                            if let Some(first) = &self.pattern {
                                duplicate(cx, &option, "pattern", first);
                            } else {
                                self.pattern = Some(option);
                            }
                        }
                        other => cx.error_spanned_by(
                            &other,
                            "expected the regular expression as a string literal: \
                             `pattern = \"^[a-z]+$\"`",
                        ),
                    }
                }
                other => {
                    let value = skip_value(input)?;
                    cx.error_spanned_by(
                        quote!(#keyword #value),
                        unknown("descriptor option", other, FIELD_OPTIONS, FIELD_ALIASES),
                    );
                }
            }
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(())
    }
}

impl StructOptions {
    /// Parses one `#[descriptors(...)]` attribute into `self`, recording every problem in `cx`.
    pub fn parse_attr(&mut self, cx: &mut Ctxt, attr: &Attribute) {
        match &attr.meta {
            Meta::List(list) => {
                let parser = |input: ParseStream| self.parse_list(cx, input);
                if let Err(error) = parser.parse2(list.tokens.clone()) {
                    cx.syn_error(error);
                }
            }
            meta => cx.error_spanned_by(
                meta,
                "expected a list of options: `#[descriptors(key = identity, crate = path, manual_drop, values = Name, no_values)]`",
            ),
        }
    }

    fn parse_list(&mut self, cx: &mut Ctxt, input: ParseStream) -> syn::Result<()> {
        while !input.is_empty() {
            let keyword = input.call(Ident::parse_any)?;
            match keyword.to_string().as_str() {
                "key" => {
                    expect_eq(input, &keyword, "`key = identity` or `key = value`")?;
                    let mode_ident = input.call(Ident::parse_any)?;
                    let mode = match mode_ident.to_string().as_str() {
                        "value" => Some(KeyMode::Value),
                        "identity" => Some(KeyMode::Identity),
                        other => {
                            cx.error_spanned_by(
                                &mode_ident,
                                unknown("key mode", other, KEY_MODES, KEY_ALIASES),
                            );
                            None
                        }
                    };
                    if let Some(mode) = mode {
                        if let Some((first, _)) = &self.key {
                            duplicate_struct_option(
                                cx,
                                quote!(#keyword = #mode_ident),
                                "key",
                                first,
                            );
                        } else {
                            self.key = Some((keyword, mode));
                        }
                    }
                }
                "crate" => {
                    expect_eq(input, &keyword, "`crate = path` or `crate = \"path\"`")?;
                    let path = if input.peek(LitStr) {
                        let lit: LitStr = input.parse()?;
                        lit.parse_with(Path::parse_mod_style).map_err(|_| {
                            syn::Error::new_spanned(
                                &lit,
                                format!(
                                    "expected a path in `crate = \"...\"`, found {:?}",
                                    lit.value()
                                ),
                            )
                        })?
                    } else {
                        input.call(Path::parse_mod_style)?
                    };
                    if let Some((first, _)) = &self.krate {
                        duplicate_struct_option(cx, quote!(#keyword = #path), "crate", first);
                    } else {
                        self.krate = Some((keyword, path));
                    }
                }
                "manual_drop" => {
                    if input.peek(Token![=]) || input.peek(token::Paren) {
                        let value = skip_value(input)?;
                        cx.error_spanned_by(
                            quote!(#keyword #value),
                            "`manual_drop` takes no value: write `manual_drop` on its own",
                        );
                    }
                    if let Some(first) = &self.manual_drop {
                        duplicate_struct_option(cx, &keyword, "manual_drop", first);
                    } else {
                        self.manual_drop = Some(keyword);
                    }
                }
                "values" => {
                    let example = "the name of the values struct: `values = PersonValues`";
                    expect_eq(input, &keyword, example)?;
                    if input.peek(Ident) && (input.peek2(Token![,]) || input.peek2(syn::parse::End))
                    {
                        let name: Ident = input.parse()?;
                        if let Some((first, first_name)) = &self.values {
                            duplicate_struct_option(
                                cx,
                                quote!(#keyword = #name),
                                "values",
                                quote!(#first = #first_name),
                            );
                        } else {
                            self.values = Some((keyword, name));
                        }
                    } else {
                        let mut value = TokenStream::new();
                        while !input.is_empty() && !input.peek(Token![,]) {
                            let tree: TokenTree = input.parse()?;
                            value.extend([tree]);
                        }
                        cx.error_spanned_by(
                            if value.is_empty() {
                                keyword.to_token_stream()
                            } else {
                                value
                            },
                            format!("expected {example}"),
                        );
                    }
                }
                "no_values" => {
                    if input.peek(Token![=]) || input.peek(token::Paren) {
                        let value = skip_value(input)?;
                        cx.error_spanned_by(
                            quote!(#keyword #value),
                            "`no_values` takes no value: write `no_values` on its own",
                        );
                    }
                    if let Some(first) = &self.no_values {
                        duplicate_struct_option(cx, &keyword, "no_values", first);
                    } else {
                        self.no_values = Some(keyword);
                    }
                }
                other => {
                    let value = skip_value(input)?;
                    cx.error_spanned_by(
                        quote!(#keyword #value),
                        unknown("struct option", other, STRUCT_OPTIONS, STRUCT_ALIASES),
                    );
                }
            }
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(())
    }
}

/// Parses the `(min = a, max = b)` after `range` or `length`.
fn parse_bounds(cx: &mut Ctxt, input: ParseStream, keyword: Ident) -> syn::Result<Bounds> {
    let name = keyword.to_string();
    if !input.peek(token::Paren) {
        let value = if input.peek(Token![=]) {
            Some(skip_value(input)?)
        } else {
            None
        };
        return Err(syn::Error::new_spanned(
            quote!(#keyword #value),
            format!(
                "expected bounds in parentheses: `{name}(min = ..., max = ...)`, either side optional"
            ),
        ));
    }
    let content;
    let parens = syn::parenthesized!(content in input);
    let mut min: Option<Expr> = None;
    let mut max: Option<Expr> = None;
    let mut had_unknown = false;
    while !content.is_empty() {
        if !(content.peek(Ident::peek_any)
            && content.peek2(Token![=])
            && !content.peek2(Token![==]))
        {
            let rest: TokenStream = content.parse()?;
            return Err(syn::Error::new_spanned(
                rest,
                format!("expected `min = ...` or `max = ...`, as in `{name}(min = 1, max = 10)`"),
            ));
        }
        let bound = content.call(Ident::parse_any)?;
        content.parse::<Token![=]>()?;
        let expr: Expr = content.parse()?;
        let slot = match bound.to_string().as_str() {
            "min" => Some(&mut min),
            "max" => Some(&mut max),
            other => {
                cx.error_spanned_by(
                    &bound,
                    unknown_in(
                        "bound",
                        other,
                        &format!(" in `{name}(...)`"),
                        BOUNDS,
                        BOUND_ALIASES,
                    ),
                );
                had_unknown = true;
                None
            }
        };
        if let Some(slot) = slot {
            if let Some(first) = slot {
                let bound_name = bound.to_string();
                duplicate(
                    cx,
                    quote!(#bound = #expr),
                    &bound_name,
                    &quote!(#bound = #first),
                );
            } else {
                *slot = Some(expr);
            }
        }
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    let mut tokens = keyword.to_token_stream();
    parens.surround(&mut tokens, |inner| {
        if let Some(min) = &min {
            inner.extend(quote!(min = #min));
        }
        if let Some(max) = &max {
            inner.extend(quote!(max = #max));
        }
    });
    Ok(Bounds {
        keyword,
        tokens,
        min,
        max,
        had_unknown,
    })
}

/// Parses `= path` (or `= "path"`) after `validate`, `coerce` or `on_change`.
fn parse_path_value(input: ParseStream, keyword: &Ident) -> syn::Result<ExprPath> {
    let example = match keyword.to_string().as_str() {
        "validate" => "`validate = check_fn`, with `fn check_fn(value: &T) -> Result<(), String>`",
        "coerce" => "`coerce = coerce_fn`, with `fn coerce_fn(value: T) -> T`",
        _ => {
            "`on_change = observer`, with `fn observer(owner: &Arc<Self>, old: Option<&T>, new: Option<&T>)`"
        }
    };
    expect_eq(input, keyword, example)?;
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        return lit.parse().map_err(|_| {
            syn::Error::new_spanned(&lit, format!("expected the path of a function: {example}"))
        });
    }
    let expr: Expr = input.parse()?;
    match expr {
        Expr::Path(path) => Ok(path),
        other => Err(syn::Error::new_spanned(
            other,
            format!("expected the path of a function, not an expression: {example}"),
        )),
    }
}

/// Consumes the `=` of `keyword = ...`, or explains what is missing.
fn expect_eq(input: ParseStream, keyword: &Ident, example: &str) -> syn::Result<()> {
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        Ok(())
    } else {
        let value = if input.peek(token::Paren) {
            Some(skip_value(input)?)
        } else {
            None
        };
        Err(syn::Error::new_spanned(
            quote!(#keyword #value),
            format!("expected {example}"),
        ))
    }
}

/// Skips the value of an option that is being rejected, `= tokens` up to the next top-level comma
/// or a parenthesized group, so that parsing can go on with the next option.
fn skip_value(input: ParseStream) -> syn::Result<TokenStream> {
    let mut skipped = TokenStream::new();
    if input.peek(token::Paren) {
        let group: TokenTree = input.parse()?;
        skipped.extend([group]);
    } else if input.peek(Token![=]) {
        while !input.is_empty() && !input.peek(Token![,]) {
            let tree: TokenTree = input.parse()?;
            skipped.extend([tree]);
        }
    }
    Ok(skipped)
}

/// Records that option `name` (the tokens `second`) repeats one given earlier (`first`).
fn duplicate(cx: &mut Ctxt, second: impl ToTokens, name: &str, first: impl ToTokens) {
    duplicate_on(cx, "field", second, name, first);
}

/// [`duplicate`], for an option of the struct.
fn duplicate_struct_option(cx: &mut Ctxt, second: impl ToTokens, name: &str, first: impl ToTokens) {
    duplicate_on(cx, "struct", second, name, first);
}

fn duplicate_on(
    cx: &mut Ctxt,
    owner: &str,
    second: impl ToTokens,
    name: &str,
    first: impl ToTokens,
) {
    let first = render::tokens(first.to_token_stream());
    cx.error_spanned_by(
        second,
        format!("duplicate `{name}`: this {owner} already has `{first}`; keep only one of them"),
    );
}

/// The message for an unknown word: what it is, and the closest known one if any.
fn unknown(what: &str, found: &str, known: &[&str], aliases: &[(&str, &str)]) -> String {
    unknown_in(what, found, "", known, aliases)
}

/// [`unknown`], with where the word was found (`" in `range(...)`"`).
fn unknown_in(
    what: &str,
    found: &str,
    place: &str,
    known: &[&str],
    aliases: &[(&str, &str)],
) -> String {
    let expected = || {
        let mut list = String::new();
        for (index, name) in known.iter().enumerate() {
            if index > 0 {
                list.push_str(if index + 1 == known.len() {
                    " or "
                } else {
                    ", "
                });
            }
            list.push('`');
            list.push_str(name);
            list.push('`');
        }
        list
    };
    match did_you_mean(found, known, aliases) {
        Some(suggestion) => {
            format!("unknown {what} `{found}`{place}, did you mean `{suggestion}`?")
        }
        None => format!("unknown {what} `{found}`{place}, expected {}", expected()),
    }
}

/// The known word closest to `found` (by edit distance, transpositions counting once), or a
/// known alias' meaning, if it is close enough to be a likely typo.
fn did_you_mean<'a>(found: &str, known: &[&'a str], aliases: &[(&str, &str)]) -> Option<&'a str> {
    let lower = found.to_ascii_lowercase();
    if let Some(&(_, meaning)) = aliases.iter().find(|(alias, _)| *alias == lower) {
        return known.iter().copied().find(|name| *name == meaning);
    }
    known
        .iter()
        .map(|name| (edit_distance(&lower, name), *name))
        .filter(|&(distance, name)| distance <= (name.chars().count() / 3).max(1))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, name)| name)
}

/// Optimal string alignment distance: Levenshtein plus adjacent transpositions (`rnage`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

impl ToTokens for PathOption {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let (keyword, path) = (&self.keyword, &self.path);
        tokens.extend(quote!(#keyword = #path));
    }
}

impl ToTokens for OneOf {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let (keyword, values) = (&self.keyword, &self.values);
        tokens.extend(quote!(#keyword = #values));
    }
}

impl ToTokens for Pattern {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let (keyword, regex) = (&self.keyword, &self.regex);
        tokens.extend(quote!(#keyword = #regex));
    }
}

impl ToTokens for DefaultOption {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let (keyword, expr) = (&self.keyword, &self.expr);
        tokens.extend(quote!(#keyword = #expr));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transposed_letters_suggest_the_option() {
        assert_eq!(
            did_you_mean("rnage", FIELD_OPTIONS, FIELD_ALIASES),
            Some("range")
        );
        assert_eq!(
            did_you_mean("lenght", FIELD_OPTIONS, FIELD_ALIASES),
            Some("length")
        );
        assert_eq!(
            did_you_mean("onchange", FIELD_OPTIONS, FIELD_ALIASES),
            Some("on_change")
        );
    }

    #[test]
    fn aliases_from_other_libraries_suggest_the_option() {
        assert_eq!(
            did_you_mean("max", FIELD_OPTIONS, FIELD_ALIASES),
            Some("range")
        );
        assert_eq!(
            did_you_mean("readonly", FIELD_OPTIONS, FIELD_ALIASES),
            Some("once")
        );
        assert_eq!(did_you_mean("id", KEY_MODES, KEY_ALIASES), Some("identity"));
    }

    #[test]
    fn unrelated_words_suggest_nothing() {
        assert_eq!(did_you_mean("colour", FIELD_OPTIONS, FIELD_ALIASES), None);
        assert_eq!(did_you_mean("x", BOUNDS, BOUND_ALIASES), None);
    }

    #[test]
    fn edit_distance_counts_a_transposition_once() {
        assert_eq!(edit_distance("rnage", "range"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
