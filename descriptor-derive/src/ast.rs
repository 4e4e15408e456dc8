//! The model of a `#[derive(Descriptors)]` input — the owner struct, its options and its fields
//! — and of a `#[derive(Kind)]` input, [`KindDef`].
//!
//! Building the model parses every attribute; shapes the owner model cannot represent at all
//! (enums, unions, tuple and unit structs) are rejected here, every other rule is [`valid`]'s
//! job.
//!
//! [`valid`]: crate::valid

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, format_ident};
use syn::ext::IdentExt;
use syn::{
    Attribute, Data, DeriveInput, Fields, GenericArgument, Generics, Ident, Path, PathArguments,
    Type, Visibility, parse_quote,
};

use crate::attr::{FieldOptions, KeyMode, KindOptions, Options, StructOptions};
use crate::ctxt::Ctxt;

/// The struct that owns descriptor fields.
pub struct Owner<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    pub generics: &'a Generics,
    pub options: StructOptions,
    /// Path of the facade in the user's crate (`::weakprop` unless renamed).
    pub krate: Path,
    /// The values struct and its `snapshot`/`load` methods, unless `no_values`.
    pub values: Option<Values>,
    /// The `Field<T>` fields, in declaration order.
    pub fields: Vec<DescField<'a>>,
    /// The other fields, kept to reject `#[descriptor]` on them.
    pub others: Vec<OtherField<'a>>,
}

/// The generated values struct.
pub struct Values {
    /// `PersonValues`, or the name given with `values = Name`.
    pub ident: Ident,
    /// Whether the name was given (and so is the user's to check against the owner's).
    pub named: bool,
}

/// A field of type `Field<T>`, or `Field<T, K>`.
pub struct DescField<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    /// `T`.
    pub value_ty: &'a Type,
    /// `K`, if the field has a kind.
    pub kind: Option<&'a Type>,
    /// The field's own doc comments, repeated on its getter.
    pub docs: Vec<&'a Attribute>,
    pub options: FieldOptions,
}

/// A field that is not a descriptor, with any `#[descriptor]` attributes wrongly put on it.
pub struct OtherField<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub descriptor_attrs: Vec<&'a Attribute>,
}

impl<'a> Owner<'a> {
    /// Builds the model, recording every problem found on the way in `cx`. `None` if the input
    /// is not a struct with named fields.
    pub fn from_syn(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let mut options = StructOptions::default();
        for attr in &input.attrs {
            if attr.path().is_ident("descriptors") {
                options.parse_attr(cx, attr);
            } else if attr.path().is_ident("descriptor") {
                cx.error_spanned_by(
                    attr,
                    "`#[descriptor(...)]` goes on a `Field<T>` field; options of the struct are \
                     written `#[descriptors(...)]`",
                );
            }
        }

        let ident = &input.ident;
        let named = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => named,
                Fields::Unnamed(unnamed) => {
                    cx.error_spanned_by(
                        unnamed,
                        "`#[derive(Descriptors)]` does not support tuple structs: descriptor fields \
                         need names for their accessors; use named fields, as in \
                         `struct Point { x: Field<i32> }`",
                    );
                    return None;
                }
                Fields::Unit => {
                    let semi = &data.semi_token;
                    cx.error_spanned_by(
                        quote::quote!(#ident #semi),
                        "`#[derive(Descriptors)]` needs named `Field<T>` fields, and a unit struct \
                         has none; add fields, as in `struct Point { x: Field<i32> }`",
                    );
                    return None;
                }
            },
            Data::Enum(data) => {
                let enum_token = &data.enum_token;
                return unsupported(cx, quote::quote!(#enum_token #ident), "enums");
            }
            Data::Union(data) => {
                let union_token = &data.union_token;
                return unsupported(cx, quote::quote!(#union_token #ident), "unions");
            }
        };

        let mut fields = Vec::new();
        let mut others = Vec::new();
        for field in &named.named {
            // Named fields always have an identifier; skip defensively rather than panic.
            let Some(field_ident) = &field.ident else {
                continue;
            };
            for attr in &field.attrs {
                if attr.path().is_ident("descriptors") {
                    cx.error_spanned_by(
                        attr,
                        "`#[descriptors(...)]` goes on the struct; options of a field are written \
                         `#[descriptor(...)]`",
                    );
                }
            }
            let descriptor_attrs: Vec<&Attribute> = field
                .attrs
                .iter()
                .filter(|attr| attr.path().is_ident("descriptor"))
                .collect();
            if let Some((value_ty, kind)) = field_value_type(&field.ty) {
                let mut options = FieldOptions::default();
                for attr in descriptor_attrs {
                    options.parse_attr(cx, attr);
                }
                fields.push(DescField {
                    ident: field_ident,
                    vis: &field.vis,
                    value_ty,
                    kind,
                    docs: field
                        .attrs
                        .iter()
                        .filter(|attr| attr.path().is_ident("doc"))
                        .collect(),
                    options,
                });
            } else {
                others.push(OtherField {
                    ident: field_ident,
                    ty: &field.ty,
                    descriptor_attrs,
                });
            }
        }

        let values = match (options.values.get(), options.no_values.is_set()) {
            (_, true) => None,
            (Some(name), false) => Some(Values {
                ident: name.value.clone(),
                named: true,
            }),
            (None, false) => Some(Values {
                ident: format_ident!("{}Values", ident.unraw(), span = ident.span()),
                named: false,
            }),
        };
        Some(Owner {
            ident,
            vis: &input.vis,
            generics: &input.generics,
            krate: options
                .krate
                .get()
                .map_or_else(|| parse_quote!(::weakprop), |krate| krate.value.clone()),
            options,
            values,
            fields,
            others,
        })
    }

    pub fn key(&self) -> KeyMode {
        self.options.key_mode()
    }

    /// Whether the owner lives in an `Rc` (`#[descriptors(rc)]`): then each thread has tables of
    /// its own.
    pub fn is_rc(&self) -> bool {
        self.options.rc.is_set()
    }

    /// The type that the fields are attached to (`#[descriptors(extend = Type)]`): then the
    /// struct only lists them, and they are keyed by that type's `Arc`s.
    pub fn extends(&self) -> Option<&Type> {
        self.options.extend.get().map(|extend| &extend.value)
    }

    /// What the type of `extend` is, if there is one.
    pub fn extended(&self) -> Option<Extended> {
        self.extends().map(|ty| Extended::of(ty, self.ident))
    }

    /// Whether the owner has type or const parameters: then its tables cannot be `static`s.
    pub fn is_generic(&self) -> bool {
        params(self.generics).next().is_some()
    }
}

/// What the type written in `extend = ..` is: a type that an `Arc` can hold and that names a
/// type of its own, or why not ([`valid`](crate::valid) says it).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Extended {
    /// A type to attach fields to.
    Holdable,
    /// Not a type at all (reported as it was parsed).
    NotAType,
    /// A type an `Arc` cannot hold: `dyn Trait`, `[T]`, `str`.
    Unsized,
    /// Names no type: `_`, `!`, `impl Trait`.
    Unnamed,
    /// The struct itself.
    Itself,
}

impl Extended {
    fn of(ty: &Type, owner: &Ident) -> Self {
        match ty {
            Type::Group(group) => Self::of(&group.elem, owner),
            Type::Paren(paren) => Self::of(&paren.elem, owner),
            Type::Verbatim(_) => Self::NotAType,
            Type::TraitObject(_) | Type::Slice(_) => Self::Unsized,
            Type::ImplTrait(_) | Type::Infer(_) | Type::Never(_) => Self::Unnamed,
            Type::Path(path) if path.qself.is_none() => {
                if path.path.is_ident(owner) || path.path.is_ident("Self") {
                    Self::Itself
                } else if path.path.is_ident("str") {
                    Self::Unsized
                } else {
                    Self::Holdable
                }
            }
            _ => Self::Holdable,
        }
    }
}

/// Whether `ty` mentions one of the owner's type or const parameters.
pub fn mentions_params(generics: &Generics, ty: &Type) -> bool {
    let params: Vec<&syn::Ident> = params(generics).collect();
    mentions(&params, ty.to_token_stream())
}

/// The owner's type and const parameters, by name.
pub fn params(generics: &Generics) -> impl Iterator<Item = &syn::Ident> {
    generics
        .type_params()
        .map(|param| &param.ident)
        .chain(generics.const_params().map(|param| &param.ident))
}

/// Whether `tokens` name one of `params`.
pub fn mentions(params: &[&syn::Ident], tokens: TokenStream) -> bool {
    tokens.into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => params.contains(&&ident),
        TokenTree::Group(group) => mentions(params, group.stream()),
        TokenTree::Punct(_) | TokenTree::Literal(_) => false,
    })
}

/// Records that the input is an enum or a union, which cannot own descriptors.
fn unsupported<T>(cx: &mut Ctxt, tokens: proc_macro2::TokenStream, what: &str) -> Option<T> {
    cx.error_spanned_by(
        tokens,
        format!(
            "`#[derive(Descriptors)]` does not support {what}: only a struct with named \
             `Field<T>` fields can own descriptors"
        ),
    );
    None
}

/// `T` and `K` if `ty` is `Field<T, K>`, `T` alone if it is `Field<T>` (under any path:
/// `weakprop::Field<T>` too).
pub fn field_value_type(ty: &Type) -> Option<(&Type, Option<&Type>)> {
    match ty {
        Type::Group(group) => field_value_type(&group.elem),
        Type::Paren(paren) => field_value_type(&paren.elem),
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            if last.ident != "Field" {
                return None;
            }
            let PathArguments::AngleBracketed(arguments) = &last.arguments else {
                return None;
            };
            let mut arguments = arguments.args.iter();
            match (arguments.next(), arguments.next(), arguments.next()) {
                (Some(GenericArgument::Type(value_ty)), None, None) => Some((value_ty, None)),
                (
                    Some(GenericArgument::Type(value_ty)),
                    Some(GenericArgument::Type(kind)),
                    None,
                ) => Some((value_ty, Some(kind))),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A `#[derive(Kind)]` input: the type that names the kind, and its `#[kind(T, ...)]`.
pub struct KindDef<'a> {
    pub ident: &'a Ident,
    pub generics: &'a Generics,
    /// What the input is, for [`valid`](crate::valid): a kind must be a unit struct.
    pub data: &'a Data,
    /// The first `#[kind(...)]`, if there is one.
    pub attr: Option<&'a Attribute>,
    pub options: KindOptions,
    /// Path of the facade in the user's crate (`::weakprop` unless renamed).
    pub krate: Path,
}

impl<'a> KindDef<'a> {
    /// Builds the model, parsing `#[kind(...)]` and recording every problem found in it in
    /// `cx`. A second `#[kind]` is an error: a kind has one value type.
    pub fn from_syn(cx: &mut Ctxt, input: &'a DeriveInput) -> Self {
        let mut options = KindOptions::default();
        let mut first: Option<&Attribute> = None;
        for attr in &input.attrs {
            if attr.path().is_ident("kind") {
                if first.is_some() {
                    cx.error_spanned_by(
                        attr,
                        "duplicate `#[kind(...)]`: a kind has one value type; write all of its \
                         rules in one attribute, as in `#[kind(u8, range(max = 100), validate = \
                         even)]`",
                    );
                    continue;
                }
                first = Some(attr);
                options.parse_attr(cx, attr);
            } else if attr.path().is_ident("descriptor") || attr.path().is_ident("descriptors") {
                cx.error_spanned_by(
                    attr,
                    "a kind's rules are written `#[kind(T, ...)]`, as in `#[kind(u8, range(max = \
                     100))]`",
                );
            }
        }
        let krate = options
            .krate
            .get()
            .map_or_else(|| parse_quote!(::weakprop), |krate| krate.value.clone());
        KindDef {
            ident: &input.ident,
            generics: &input.generics,
            data: &input.data,
            attr: first,
            options,
            krate,
        }
    }
}

/// An inherent method that the derive generates for each descriptor field `x`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Accessor {
    /// `x()`.
    Getter,
    /// `with_x(f)`.
    With,
    /// `set_x(value)`.
    Setter,
    /// `take_x()`, unless the field is `once`.
    Taker,
    /// `replace_x(value)`, unless the field is `once`.
    Replacer,
    /// `update_x(f)`, unless the field is `once`.
    Updater,
    /// `try_update_x(f)`, unless the field is `once`.
    TryUpdater,
    /// `x_descriptor()`.
    Descriptor,
}

impl Accessor {
    /// The accessors of `field`, in the order they are generated.
    pub fn of(field: &DescField) -> impl Iterator<Item = Self> {
        let once = field.options.once.is_set();
        [
            Self::Getter,
            Self::With,
            Self::Setter,
            Self::Taker,
            Self::Replacer,
            Self::Updater,
            Self::TryUpdater,
            Self::Descriptor,
        ]
        .into_iter()
        // A `once` field keeps its first value: `set_x` is its one write.
        .filter(move |accessor| !(once && accessor.rewrites()))
    }

    /// The method's name for `field`, spanned at the field's name.
    pub fn ident(self, field: &DescField) -> Ident {
        let name = field.ident.unraw();
        let span = field.ident.span();
        match self {
            Self::Getter => field.ident.clone(),
            Self::With => format_ident!("with_{}", name, span = span),
            Self::Setter => format_ident!("set_{}", name, span = span),
            Self::Taker => format_ident!("take_{}", name, span = span),
            Self::Replacer => format_ident!("replace_{}", name, span = span),
            Self::Updater => format_ident!("update_{}", name, span = span),
            Self::TryUpdater => format_ident!("try_update_{}", name, span = span),
            Self::Descriptor => format_ident!("{}_descriptor", name, span = span),
        }
    }

    /// Whether the method changes a value that is already there, which a `once` field refuses.
    pub fn rewrites(self) -> bool {
        matches!(
            self,
            Self::Taker | Self::Replacer | Self::Updater | Self::TryUpdater
        )
    }

    /// What the method is, for messages.
    pub fn role(self) -> &'static str {
        match self {
            Self::Getter => "getter",
            Self::With => "borrowing getter",
            Self::Setter => "setter",
            Self::Taker => "taker",
            Self::Replacer => "replacer",
            Self::Updater => "updater",
            Self::TryUpdater => "fallible updater",
            Self::Descriptor => "descriptor accessor",
        }
    }
}
