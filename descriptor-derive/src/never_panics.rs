//! The macros never panic: thousands of generated inputs, most of them malformed (random
//! attribute token soup, odd field types, odd generics, every input shape), each of which must
//! come back as code or as `compile_error!`, never as a panic. `#[derive(Kind)]` gets the same
//! soup in its `#[kind(...)]`.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use proc_macro2::TokenStream;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use syn::DeriveInput;

/// Words the options are made of, real and misspelt, plus a few that mean nothing here.
const WORDS: &[&str] = &[
    "range",
    "rnage",
    "length",
    "min",
    "max",
    "mn",
    "validate",
    "coerce",
    "default",
    "once",
    "on_change",
    "key",
    "identity",
    "value",
    "crate",
    "manual_drop",
    "one_of",
    "non_empty",
    "pattern",
    "values",
    "no_values",
    "extends",
    "extend",
    "Connection",
    "rc",
    "serde",
    "deny_unknown_fields",
    "rename_all",
    "dyn",
    "kind",
    "Percent",
    "u8",
    "descriptor",
    "Field",
    "self",
    "Self",
    "r#type",
    "_",
    "x",
];

const PUNCT: &[&str] = &[
    "=", ",", "::", "-", "&", "#", "!", "<", ">", "..", ";", ":", "|", "+",
];

const LITERALS: &[&str] = &[
    "0",
    "-1",
    "150",
    "1.5",
    "\"n/a\"",
    "\"^[a-z]+$\"",
    "\"(\"",
    "'c'",
    "\"camelCase\"",
    "b\"x\"",
    "true",
    "1e9",
];

const TYPES: &[&str] = &[
    "Field<u32>",
    "Field<String>",
    "weakprop::Field<Vec<u8>>",
    "::weakprop::Field<[u8; 3]>",
    "Field<Field<u8>>",
    "Field<>",
    "Field",
    "Field<u32, u8>",
    "Field<u8, Percent>",
    "Field<u8, T>",
    "Field<T, Percent, u8>",
    "Field<'a>",
    "Field<dyn Fn()>",
    "Field<(u8, String)>",
    "Field<fn(u8) -> u8>",
    "Field<Option<Box<str>>>",
    "u32",
    "String",
    "Vec<Field<u8>>",
    "&'static str",
    "[Field<u8>; 2]",
];

const GENERICS: &[&str] = &[
    "",
    "",
    "",
    "<T>",
    "<'a>",
    "<const N: usize>",
    "<T: Clone>",
    "<>",
    "<T = u8>",
];

/// A token tree of the soup: a word, a punctuation, a literal or a group of smaller soup.
fn soup(depth: u32) -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        prop::sample::select(WORDS).prop_map(str::to_owned),
        prop::sample::select(PUNCT).prop_map(str::to_owned),
        prop::sample::select(LITERALS).prop_map(str::to_owned),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    let inner = prop::collection::vec(soup(depth - 1), 0..5).prop_map(|trees| trees.join(" "));
    prop_oneof![
        3 => leaf,
        1 => inner.clone().prop_map(|body| format!("({body})")),
        1 => inner.clone().prop_map(|body| format!("[{body}]")),
        1 => inner.prop_map(|body| format!("{{{body}}}")),
    ]
    .boxed()
}

/// Attributes close to real ones: `#[descriptor(...)]`, `#[descriptors(...)]`, other shapes.
fn attribute() -> impl Strategy<Value = String> {
    let body = prop::collection::vec(soup(2), 0..6).prop_map(|trees| trees.join(" "));
    (
        prop::sample::select(&["descriptor", "descriptors", "descriptor", "doc", "serde"][..]),
        body,
        0..4_u8,
    )
        .prop_map(|(name, body, form)| match form {
            0 => format!("#[{name}({body})]"),
            1 => format!("#[{name} = {body}]"),
            2 => format!("#[{name}]"),
            _ => format!("#[{name}{body}]"),
        })
}

fn field() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(attribute(), 0..3),
        prop::sample::select(&["", "pub ", "pub(crate) "][..]),
        prop::sample::select(WORDS),
        prop::sample::select(TYPES),
    )
        .prop_map(|(attrs, vis, name, ty)| format!("{} {vis}{name}: {ty}", attrs.join(" ")))
}

/// A whole item: struct (named, tuple, unit), enum or union, with generics and attributes.
fn item() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(attribute(), 0..3),
        0..6_u8,
        prop::sample::select(GENERICS),
        prop::collection::vec(field(), 0..5),
        prop::sample::select(TYPES),
    )
        .prop_map(|(attrs, shape, generics, fields, ty)| {
            let attrs = attrs.join(" ");
            let named = fields.join(", ");
            match shape {
                0..=2 => format!("{attrs} struct Owner{generics} {{ {named} }}"),
                3 => format!("{attrs} struct Owner{generics}(u8, {ty});"),
                4 => format!("{attrs} struct Owner{generics};"),
                _ if fields.len() % 2 == 0 => {
                    format!("{attrs} enum Owner{generics} {{ A {{ x: {ty} }}, B }}")
                }
                _ => format!("{attrs} union Owner{generics} {{ {named} }}"),
            }
        })
}

#[test]
fn the_derive_never_panics_on_generated_inputs() {
    let mut runner = TestRunner::new(Config {
        cases: 3_000,
        failure_persistence: None,
        ..Config::default()
    });
    let (parsed, rejected) = (Cell::new(0_u32), Cell::new(0_u32));
    let outcome = runner.run(&item(), |source| {
        let Ok(tokens) = source.parse::<TokenStream>() else {
            return Ok(());
        };
        let Ok(input) = syn::parse2::<DeriveInput>(tokens) else {
            return Ok(());
        };
        parsed.set(parsed.get() + 1);
        let expanded = catch_unwind(AssertUnwindSafe(|| crate::expand::derive(&input)));
        let Ok(output) = expanded else {
            return Err(TestCaseError::fail(format!(
                "the derive panicked on: {source}"
            )));
        };
        if output.to_string().contains("compile_error") {
            rejected.set(rejected.get() + 1);
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    let (parsed, rejected) = (parsed.get(), rejected.get());
    eprintln!("3000 generated items: {parsed} parsed, {rejected} rejected with errors, 0 panics");
    // The generator must actually reach the derive, and mostly with input it has to reject.
    assert!(
        parsed >= 1_000,
        "only {parsed} of 3000 generated inputs parsed as items"
    );
    assert!(
        rejected * 2 >= parsed,
        "only {rejected} of {parsed} inputs were rejected"
    );
}

#[test]
fn every_malformed_option_is_an_error_not_a_panic() {
    let mut runner = TestRunner::new(Config {
        cases: 1_000,
        failure_persistence: None,
        ..Config::default()
    });
    let body = prop::collection::vec(soup(3), 1..8).prop_map(|trees| trees.join(" "));
    let outcome = runner.run(&body, |body| {
        let source =
            format!("struct Owner {{ name: String, #[descriptor({body})] x: Field<u32> }}");
        let Ok(input) = syn::parse_str::<DeriveInput>(&source) else {
            return Ok(());
        };
        let output = catch_unwind(AssertUnwindSafe(|| crate::expand::derive(&input)))
            .map_err(|_| TestCaseError::fail(format!("the derive panicked on: {source}")))?;
        // Random soup is almost never a valid option list; when it is, it expands to code.
        prop_assert!(!output.is_empty(), "no output at all for: {source}");
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

/// A `#[derive(Kind)]` input: mostly a unit struct, with `#[kind(...)]` attributes whose first
/// argument is a type, an option or soup.
fn kind_item() -> impl Strategy<Value = String> {
    let body = prop::collection::vec(soup(2), 0..6).prop_map(|trees| trees.join(" "));
    let first = prop_oneof![
        prop::sample::select(TYPES).prop_map(|ty| format!("{ty}, ")),
        prop::sample::select(&["u8, ", "String, ", "", "u8", "range(max = 1), "][..])
            .prop_map(str::to_owned),
    ];
    let attribute = (
        prop::sample::select(&["kind", "kind", "descriptor", "doc"][..]),
        first,
        body,
        0..4_u8,
    )
        .prop_map(|(name, first, body, form)| match form {
            0 | 1 => format!("#[{name}({first}{body})]"),
            2 => format!("#[{name}]"),
            _ => format!("#[{name} = {body}]"),
        });
    (
        prop::collection::vec(attribute, 0..3),
        0..5_u8,
        prop::sample::select(GENERICS),
    )
        .prop_map(|(attrs, shape, generics)| {
            let attrs = attrs.join(" ");
            match shape {
                0..=2 => format!("{attrs} struct Percent{generics};"),
                3 => format!("{attrs} struct Percent{generics} {{ x: u8 }}"),
                _ => format!("{attrs} enum Percent{generics} {{ A }}"),
            }
        })
}

#[test]
fn the_kind_derive_never_panics_on_generated_inputs() {
    let mut runner = TestRunner::new(Config {
        cases: 2_000,
        failure_persistence: None,
        ..Config::default()
    });
    let parsed = Cell::new(0_u32);
    let outcome = runner.run(&kind_item(), |source| {
        let Ok(input) = syn::parse_str::<DeriveInput>(&source) else {
            return Ok(());
        };
        parsed.set(parsed.get() + 1);
        let output = catch_unwind(AssertUnwindSafe(|| crate::kind::derive(&input)))
            .map_err(|_| TestCaseError::fail(format!("the derive panicked on: {source}")))?;
        prop_assert!(!output.is_empty(), "no output at all for: {source}");
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    assert!(parsed.get() >= 1_000, "only {} inputs parsed", parsed.get());
}
