//! `pattern = "regex"`, with the `regex` feature: each field's pattern is compiled once, and a
//! value that does not match is rejected with an error naming the pattern.
#![cfg(feature = "regex")]

use std::sync::Arc;

use weakprop::{Descriptors, ErrorKind, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Item {
    id: u32,
    #[descriptor(pattern = "^[A-Z]{3}-[0-9]{4}$")]
    sku: Field<String>,
    #[descriptor(pattern = r"\d", non_empty)]
    note: Field<Box<str>>,
    /// A pattern that parses but is far past the `regex` crate's size limit.
    #[descriptor(pattern = "(((((a{100}){100}){100}){100}){100})")]
    huge: Field<String>,
}

fn item(id: u32) -> Arc<Item> {
    Arc::new(Item {
        id,
        sku: Field::new(),
        note: Field::new(),
        huge: Field::new(),
    })
}

#[test]
fn pattern_accepts_a_matching_string() {
    let it = item(1);
    it.set_sku("ABC-1234".into()).unwrap();
    assert_eq!(it.sku().as_deref(), Some("ABC-1234"));
    it.set_note("room 101".into()).unwrap();
}

#[test]
fn pattern_rejects_a_string_that_does_not_match_and_names_the_pattern() {
    let it = item(2);
    it.set_sku("XYZ-0001".into()).unwrap();
    let error = it.set_sku("abc".into()).unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"Item.sku: "abc" does not match the pattern "^[A-Z]{3}-[0-9]{4}$""#
    );
    assert!(matches!(error.kind(), ErrorKind::NoMatch { .. }));
    assert_eq!(it.sku().as_deref(), Some("XYZ-0001"));
    assert!(it.set_note("no digits".into()).is_err());
}

#[test]
fn a_pattern_too_big_to_compile_rejects_every_value_without_panicking() {
    let it = item(3);
    for _ in 0..2 {
        let error = it.set_huge("a".into()).unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::Invalid(_)), "{error}");
        assert!(
            error.to_string().starts_with(
                r#"Item.huge: the pattern "(((((a{100}){100}){100}){100}){100})" cannot be used: "#
            ),
            "{error}"
        );
    }
    assert_eq!(it.huge(), None);
}

#[test]
fn field_info_shows_the_pattern_as_written() {
    let fields = Item::fields();
    assert_eq!(fields[0].rules, [r#"pattern = "^[A-Z]{3}-[0-9]{4}$""#]);
    assert_eq!(fields[1].rules, ["non_empty", r#"pattern = r"\d""#]);
}

#[test]
fn load_checks_patterns_with_every_other_field() {
    let it = item(4);
    let errors = it
        .load(ItemValues {
            sku: Some("bad".into()),
            note: Some("".into()),
            huge: None,
        })
        .unwrap_err();
    assert_eq!(
        errors.to_string(),
        "Item.sku: \"bad\" does not match the pattern \"^[A-Z]{3}-[0-9]{4}$\"\n\
         Item.note: must not be empty"
    );
}
