//! [`Parse`]: one option's value, parsed after its keyword — the parsers that the option tables
//! of [`attr`](super) name.

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{Expr, ExprArray, ExprLit, ExprPath, Ident, Lit, LitStr, Path, Token, Type, token};

use super::{Assignment, Attr, Bounds, Serde};
use crate::ctxt::Ctxt;
use crate::{render, suggest};

const KEY_MODES: &[&str] = &["value", "identity"];
const HASH_KINDS: &[&str] = &["fast", "keyed"];
const BOUNDS: &[&str] = &["min", "max"];
const SERDE_OPTIONS: &[&str] = &["deny_unknown_fields", "rename_all"];
/// The cases of serde's `rename_all`.
const RENAME_RULES: &[&str] = &[
    "lowercase",
    "UPPERCASE",
    "PascalCase",
    "camelCase",
    "snake_case",
    "SCREAMING_SNAKE_CASE",
    "kebab-case",
    "SCREAMING-KEBAB-CASE",
];

/// One option being parsed: its keyword, the input after it, and where errors go.
///
/// Each parser returns `Ok(Some(value))`, `Ok(None)` after recording an error it could skip
/// past, or `Err` for syntax that ends the attribute.
pub struct Parse<'c, 'a> {
    pub(super) cx: &'c mut Ctxt,
    pub(super) keyword: Ident,
    pub(super) input: ParseStream<'a>,
    pub(super) on: &'static str,
}

impl Parse<'_, '_> {
    /// Parses the option's value with `parse` and stores it in `attr`, unless it was given
    /// before: then the repeat is the error.
    pub(super) fn set<T: ToTokens>(
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
    pub(super) fn unknown(&mut self, known: &[&str], aliases: &[(&str, &str)]) -> syn::Result<()> {
        let value = self.skip_value()?;
        let what = match self.on {
            "field" => "descriptor option",
            "kind" => "kind option",
            _ => "struct option",
        };
        let (keyword, word) = (&self.keyword, self.keyword.to_string());
        let message = suggest::elsewhere(self.on, &word).map_or_else(
            || suggest::unknown(what, &word, "", known, aliases),
            str::to_owned,
        );
        self.cx.error_spanned_by(quote!(#keyword #value), message);
        Ok(())
    }

    /// A flag, written on its own.
    pub(super) fn flag(&mut self) -> syn::Result<Option<Ident>> {
        if self.input.peek(Token![=]) || self.input.peek(token::Paren) {
            let (keyword, value) = (&self.keyword, self.skip_value()?);
            let message = format!("`{keyword}` takes no value: write `{keyword}` on its own");
            self.cx.error_spanned_by(quote!(#keyword #value), message);
        }
        Ok(Some(self.keyword.clone()))
    }

    /// `serde` on its own, or with the values struct's container options in parentheses:
    /// `serde(deny_unknown_fields, rename_all = "camelCase")`.
    pub(super) fn serde(&mut self) -> syn::Result<Option<Serde>> {
        let mut serde = Serde {
            keyword: self.keyword.clone(),
            deny_unknown_fields: None,
            rename_all: None,
            written: TokenStream::new(),
        };
        if self.input.peek(Token![=]) {
            let (keyword, value) = (&self.keyword, self.skip_value()?);
            let message = format!(
                "`serde` takes its options in parentheses, not `=`: `serde` on its own, or \
                 `serde({})`",
                "deny_unknown_fields, rename_all = \"camelCase\""
            );
            self.cx.error_spanned_by(quote!(#keyword #value), message);
            return Ok(Some(serde));
        }
        if !self.input.peek(token::Paren) {
            return Ok(Some(serde));
        }
        let content;
        syn::parenthesized!(content in self.input);
        let mut written = TokenStream::new();
        while !content.is_empty() {
            written.extend(self.serde_option(&content, &mut serde)?);
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
            written.extend(quote!(,));
        }
        serde.written = quote!((#written));
        Ok(Some(serde))
    }

    /// One option inside `serde(...)`, recorded in `serde`; returns its tokens as written.
    fn serde_option(
        &mut self,
        content: ParseStream,
        serde: &mut Serde,
    ) -> syn::Result<TokenStream> {
        let option = content.call(Ident::parse_any)?;
        match option.to_string().as_str() {
            "deny_unknown_fields" => {
                if content.peek(Token![=]) || content.peek(token::Paren) {
                    let value = skip_to_comma(content)?;
                    let message = "`deny_unknown_fields` takes no value: write it on its own";
                    self.cx.error_spanned_by(quote!(#option #value), message);
                } else if serde.deny_unknown_fields.replace(option.clone()).is_some() {
                    let message = "duplicate `deny_unknown_fields`: keep only one";
                    self.cx.error_spanned_by(&option, message);
                }
                Ok(quote!(#option))
            }
            "rename_all" => {
                let Some(rule) = self.rename_rule(content, &option)? else {
                    return Ok(TokenStream::new());
                };
                let written = quote!(#option = #rule);
                if !RENAME_RULES.contains(&rule.value().as_str()) {
                    let case = rule.value();
                    let message =
                        suggest::unknown("`rename_all` case", &case, "", RENAME_RULES, &[]);
                    self.cx.error_spanned_by(&rule, message);
                } else if serde.rename_all.replace(rule.clone()).is_some() {
                    self.cx
                        .error_spanned_by(&rule, "duplicate `rename_all`: keep only one");
                }
                Ok(written)
            }
            name => {
                let value = skip_to_comma(content)?;
                let message = suggest::unknown("`serde` option", name, "", SERDE_OPTIONS, &[]);
                self.cx.error_spanned_by(quote!(#option #value), message);
                Ok(TokenStream::new())
            }
        }
    }

    /// The `= "camelCase"` of `rename_all`, or `None` (reported) when it is not a string.
    fn rename_rule(&mut self, content: ParseStream, option: &Ident) -> syn::Result<Option<LitStr>> {
        if content.peek(Token![=]) && content.peek2(LitStr) {
            content.parse::<Token![=]>()?;
            return Ok(Some(content.parse()?));
        }
        let value = skip_to_comma(content)?;
        let message = format!(
            "expected `rename_all = \"...\"`, one of serde's cases: {}",
            suggest::one_of(RENAME_RULES)
        );
        self.cx.error_spanned_by(quote!(#option #value), message);
        Ok(None)
    }

    /// `= path`, or `= "path"`, of a function.
    pub(super) fn path(&mut self, example: &str) -> syn::Result<Option<Assignment<ExprPath>>> {
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

    /// `= Type`, or `= "Type"`. Anything else up to the next comma is reported as not a type,
    /// and skipped.
    pub(super) fn ty(&mut self, example: &str) -> syn::Result<Option<Assignment<Type>>> {
        let written = self.ty_or_tokens(example)?;
        Ok(written.filter(|ty| !matches!(ty.value, Type::Verbatim(_))))
    }

    /// [`ty`](Self::ty), but what is not a type is kept as its tokens (`Type::Verbatim`), after
    /// the error: so the expansion knows the option was written, and can leave out what only
    /// a type would make work, instead of adding errors of its own.
    pub(super) fn ty_or_tokens(&mut self, example: &str) -> syn::Result<Option<Assignment<Type>>> {
        self.expect_eq(example)?;
        let fork = self.input.fork();
        let parsed = if fork.peek(LitStr) {
            let lit: LitStr = fork.parse()?;
            lit.parse::<Type>().ok()
        } else {
            fork.parse::<Type>().ok()
        };
        if let Some(value) = parsed
            && (fork.is_empty() || fork.peek(Token![,]))
        {
            use syn::parse::discouraged::Speculative;
            self.input.advance_to(&fork);
            return Ok(Some(self.assign(value)));
        }
        let mut value = TokenStream::new();
        while !self.input.is_empty() && !self.input.peek(Token![,]) {
            value.extend([self.input.parse::<TokenTree>()?]);
        }
        let at = if value.is_empty() {
            self.keyword.to_token_stream()
        } else {
            value.clone()
        };
        self.cx
            .error_spanned_by(at, format!("expected a type: {example}"));
        Ok(Some(self.assign(Type::Verbatim(value))))
    }

    /// `= expr`.
    pub(super) fn expr(&mut self) -> syn::Result<Option<Assignment<Expr>>> {
        if !self.input.peek(Token![=]) {
            let message = format!("expected a value: `{} = expr`", self.keyword);
            return Err(syn::Error::new_spanned(&self.keyword, message));
        }
        self.input.parse::<Token![=]>()?;
        let value = self.input.parse()?;
        Ok(Some(self.assign(value)))
    }

    /// `= [a, b, c]`.
    pub(super) fn list(&mut self) -> syn::Result<Option<Assignment<ExprArray>>> {
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
    pub(super) fn regex(&mut self) -> syn::Result<Option<Assignment<LitStr>>> {
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
    pub(super) fn key_mode(&mut self) -> syn::Result<Option<Assignment<Ident>>> {
        self.expect_eq("`key = identity` or `key = value`")?;
        let mode = self.input.call(Ident::parse_any)?;
        if KEY_MODES.contains(&mode.to_string().as_str()) {
            return Ok(Some(self.assign(mode)));
        }
        let message = suggest::unknown(
            "key mode",
            &mode.to_string(),
            "",
            KEY_MODES,
            suggest::KEY_ALIASES,
        );
        self.cx.error_spanned_by(&mode, message);
        Ok(None)
    }

    /// `= fast` or `= keyed`.
    pub(super) fn hash_kind(&mut self) -> syn::Result<Option<Assignment<Ident>>> {
        self.expect_eq("`hash = keyed` or `hash = fast`")?;
        let kind = self.input.call(Ident::parse_any)?;
        if HASH_KINDS.contains(&kind.to_string().as_str()) {
            return Ok(Some(self.assign(kind)));
        }
        let message = suggest::unknown(
            "hash",
            &kind.to_string(),
            "",
            HASH_KINDS,
            suggest::HASH_ALIASES,
        );
        self.cx.error_spanned_by(&kind, message);
        Ok(None)
    }

    /// `= path` or `= "path"`, of a crate.
    pub(super) fn crate_path(&mut self) -> syn::Result<Option<Assignment<Path>>> {
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
    pub(super) fn name(&mut self) -> syn::Result<Option<Assignment<Ident>>> {
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
    pub(super) fn bounds(&mut self) -> syn::Result<Option<Bounds>> {
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
                    let message =
                        suggest::unknown("bound", other, &place, BOUNDS, suggest::BOUND_ALIASES);
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
                        "duplicate `{bound}`: this {} already has `{bound} = {}`; keep only one of them",
                        self.on,
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
        if self.input.peek(token::Paren) {
            Ok(TokenStream::from(self.input.parse::<TokenTree>()?))
        } else if self.input.peek(Token![=]) {
            skip_to_comma(self.input)
        } else {
            Ok(TokenStream::new())
        }
    }
}

/// Consumes the comma after a bound, if another bound follows.
fn continue_after_comma(content: ParseStream) -> syn::Result<()> {
    if !content.is_empty() {
        content.parse::<Token![,]>()?;
    }
    Ok(())
}

/// The tokens up to the next comma (or the end), skipped: the value of an option in error.
fn skip_to_comma(input: ParseStream) -> syn::Result<TokenStream> {
    let mut value = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        value.extend([input.parse::<TokenTree>()?]);
    }
    Ok(value)
}
