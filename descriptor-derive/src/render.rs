//! Renders user tokens as the user would have written them (`String::from("n/a")`, not
//! `String :: from ("n/a")`), for `FieldInfo` and the generated documentation.
//!
//! This is a small pretty-printer over token trees, not a full Rust printer: it knows the
//! spacing conventions of rustfmt for the expressions, paths and types that appear in options.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// One printable piece: a word, a (possibly multi-character) operator, or a delimited group.
enum Piece {
    Word(String),
    Op(String),
    Group(Delimiter, String),
}

/// What the previous piece was, as far as spacing is concerned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    Start,
    /// Identifier, literal, lifetime, closing generic `>` or a group: something a call, index or
    /// postfix operator can follow.
    Operand,
    /// A prefix operator (`-x`, `&x`, `!x`, `*x`) or a path separator: nothing follows it with a
    /// space.
    Tight,
    /// `,`, `;` or `:`: followed by a space, preceded by none.
    Separator,
    /// A binary operator or `=`: spaces on both sides.
    Binary,
    /// `!` of a macro call: glued to the group after it.
    MacroBang,
}

/// Renders expression or path tokens readably (rustfmt-like spacing).
pub fn tokens(tokens: TokenStream) -> String {
    let mut out = String::new();
    write_stream(&mut out, tokens, false);
    out
}

/// Renders type tokens readably: every `<` opens generic arguments.
pub fn ty(tokens: TokenStream) -> String {
    let mut out = String::new();
    write_stream(&mut out, tokens, true);
    out
}

fn write_stream(out: &mut String, tokens: TokenStream, in_type: bool) {
    let pieces = pieces(tokens, in_type);
    let mut prev = Prev::Start;
    // Depth of generic angle brackets (`Vec<u8>`, `Vec::<u8>::new()`), where `<` and `>` are
    // brackets and not comparisons.
    let mut generic_depth = 0usize;
    let mut after_path_sep = false;
    for piece in pieces {
        match piece {
            Piece::Word(word) => {
                space_before_operand(out, prev);
                out.push_str(&word);
                prev = Prev::Operand;
                after_path_sep = false;
            }
            Piece::Group(delimiter, inner) => {
                let (open, close) = match delimiter {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::None => ("", ""),
                };
                let glued = match delimiter {
                    // A call, an index, a macro call, or a prefix operator's operand.
                    Delimiter::Parenthesis | Delimiter::Bracket => {
                        matches!(
                            prev,
                            Prev::Start | Prev::Operand | Prev::Tight | Prev::MacroBang
                        )
                    }
                    Delimiter::Brace => matches!(prev, Prev::Start | Prev::Tight | Prev::MacroBang),
                    Delimiter::None => false,
                };
                if !glued {
                    out.push(' ');
                }
                out.push_str(open);
                if delimiter == Delimiter::Brace && !inner.is_empty() {
                    out.push(' ');
                    out.push_str(&inner);
                    out.push(' ');
                } else {
                    out.push_str(&inner);
                }
                out.push_str(close);
                prev = Prev::Operand;
                after_path_sep = false;
            }
            Piece::Op(op) => {
                let generic_open = op == "<"
                    && (in_type || generic_depth > 0 || after_path_sep || prev == Prev::Start);
                let generic_close = generic_depth > 0 && (op == ">" || op == ">>");
                after_path_sep = op == "::";
                match op.as_str() {
                    "::" => {
                        if prev == Prev::Binary || prev == Prev::Separator {
                            out.push(' ');
                        }
                        out.push_str("::");
                        prev = Prev::Tight;
                    }
                    "," | ";" | ":" => {
                        out.push_str(&op);
                        prev = Prev::Separator;
                    }
                    "." | "?" => {
                        out.push_str(&op);
                        prev = if op == "." {
                            Prev::Tight
                        } else {
                            Prev::Operand
                        };
                    }
                    ".." | "..=" => {
                        if matches!(prev, Prev::Binary | Prev::Separator) {
                            out.push(' ');
                        }
                        out.push_str(&op);
                        prev = Prev::Tight;
                    }
                    _ if generic_open => {
                        out.push('<');
                        generic_depth += 1;
                        prev = Prev::Tight;
                    }
                    _ if generic_close => {
                        let closes = op.len().min(generic_depth);
                        generic_depth -= closes;
                        out.push_str(&op);
                        prev = Prev::Operand;
                    }
                    "!" if prev == Prev::Operand => {
                        out.push('!');
                        prev = Prev::MacroBang;
                    }
                    "-" | "&" | "&&" | "*" | "!" if prev != Prev::Operand => {
                        space_before_operand(out, prev);
                        out.push_str(&op);
                        prev = Prev::Tight;
                    }
                    "#" => {
                        space_before_operand(out, prev);
                        out.push('#');
                        prev = Prev::Tight;
                    }
                    _ => {
                        if prev != Prev::Start {
                            out.push(' ');
                        }
                        out.push_str(&op);
                        prev = Prev::Binary;
                    }
                }
            }
        }
    }
}

fn space_before_operand(out: &mut String, prev: Prev) {
    if matches!(prev, Prev::Operand | Prev::Separator | Prev::Binary) {
        out.push(' ');
    }
}

/// Groups joint punctuation into operators and lifetimes into words.
fn pieces(tokens: TokenStream, in_type: bool) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut op = String::new();
    let mut lifetime = false;
    for tree in tokens {
        match tree {
            TokenTree::Punct(punct) => {
                if punct.as_char() == '\'' && op.is_empty() {
                    lifetime = true;
                    continue;
                }
                op.push(punct.as_char());
                if punct.spacing() == Spacing::Alone {
                    pieces.push(Piece::Op(std::mem::take(&mut op)));
                }
            }
            other => {
                if !op.is_empty() {
                    pieces.push(Piece::Op(std::mem::take(&mut op)));
                }
                match other {
                    TokenTree::Ident(ident) => {
                        let prefix = if std::mem::take(&mut lifetime) {
                            "'"
                        } else {
                            ""
                        };
                        pieces.push(Piece::Word(format!("{prefix}{ident}")));
                    }
                    TokenTree::Literal(literal) => pieces.push(Piece::Word(literal.to_string())),
                    TokenTree::Group(group) => {
                        let mut inner = String::new();
                        write_stream(&mut inner, group.stream(), in_type);
                        if group.delimiter() == Delimiter::None {
                            pieces.push(Piece::Word(inner));
                        } else {
                            pieces.push(Piece::Group(group.delimiter(), inner));
                        }
                    }
                    TokenTree::Punct(_) => {}
                }
            }
        }
    }
    if !op.is_empty() {
        pieces.push(Piece::Op(op));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::{tokens, ty};

    #[test]
    fn calls_and_paths_have_no_inner_spaces() {
        assert_eq!(
            tokens(quote!(String::from("n/a"))),
            r#"String::from("n/a")"#
        );
        assert_eq!(tokens(quote!(str::trim)), "str::trim");
        assert_eq!(
            tokens(quote!(::std::time::Duration::from_secs(5))),
            "::std::time::Duration::from_secs(5)"
        );
        assert_eq!(tokens(quote!(x.len().max(3))), "x.len().max(3)");
    }

    #[test]
    fn binary_operators_are_spaced_and_prefix_ones_are_not() {
        assert_eq!(tokens(quote!(-5)), "-5");
        assert_eq!(tokens(quote!(1 + 2 * -3)), "1 + 2 * -3");
        assert_eq!(tokens(quote!(a == !b)), "a == !b");
        assert_eq!(tokens(quote!(&[1, 2])), "&[1, 2]");
        assert_eq!(tokens(quote!(f(&x, -1))), "f(&x, -1)");
    }

    #[test]
    fn generic_types_read_like_source() {
        assert_eq!(ty(quote!(Vec<String>)), "Vec<String>");
        assert_eq!(
            ty(quote!(HashMap<String, Vec<u8>>)),
            "HashMap<String, Vec<u8>>"
        );
        assert_eq!(ty(quote!(Option<&'static str>)), "Option<&'static str>");
        assert_eq!(tokens(quote!(Vec::<u8>::new())), "Vec::<u8>::new()");
        assert_eq!(ty(quote!([u8; 4])), "[u8; 4]");
        assert_eq!(ty(quote!((u32, String))), "(u32, String)");
        assert_eq!(
            ty(quote!(Box<dyn Fn(u32) -> u32 + Send>)),
            "Box<dyn Fn(u32) -> u32 + Send>"
        );
    }

    #[test]
    fn macros_and_blocks_read_like_source() {
        assert_eq!(tokens(quote!(vec![1, 2, 3])), "vec![1, 2, 3]");
        assert_eq!(tokens(quote!(format!("{}", 1))), r#"format!("{}", 1)"#);
        assert_eq!(tokens(quote!(Point { x: 1, y: 2 })), "Point { x: 1, y: 2 }");
        assert_eq!(tokens(quote!(0..=10)), "0..=10");
    }
}
