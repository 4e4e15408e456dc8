//! The `one_of` and `non_empty` rules (and `pattern`'s feature-independent side), through the
//! derive: what each accepts, what it rejects, and the error it says.

use std::sync::Arc;

use weakprop::{Descriptors, ErrorKind, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Shirt {
    id: u32,
    #[descriptor(one_of = ["S", "M", "L", "XL"])]
    size: Field<String>,
    #[descriptor(one_of = [1, 2, 4], default = 1)]
    pack: Field<u8>,
    #[descriptor(non_empty)]
    name: Field<String>,
    #[descriptor(non_empty, length(max = 3))]
    colours: Field<Vec<String>>,
}

fn shirt(id: u32) -> Arc<Shirt> {
    Arc::new(Shirt {
        id,
        size: Field::new(),
        pack: Field::new(),
        name: Field::new(),
        colours: Field::new(),
    })
}

#[test]
fn one_of_accepts_each_listed_value() {
    let s = shirt(1);
    for size in ["S", "M", "L", "XL"] {
        s.set_size(size.to_owned()).unwrap();
        assert_eq!(s.size().as_deref(), Some(size));
    }
    for pack in [1, 2, 4] {
        s.set_pack(pack).unwrap();
    }
}

#[test]
fn one_of_rejects_anything_else_and_lists_the_allowed_values() {
    let s = shirt(2);
    s.set_size("M".into()).unwrap();
    let error = s.set_size("XXL".into()).unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"Shirt.size: "XXL" is not one of "S", "M", "L", "XL""#
    );
    assert!(matches!(error.kind(), ErrorKind::NotOneOf { .. }));
    assert_eq!(s.size().as_deref(), Some("M"));
    assert_eq!(
        s.set_pack(3).unwrap_err().to_string(),
        "Shirt.pack: 3 is not one of 1, 2, 4"
    );
    assert_eq!(s.pack(), 1);
}

#[test]
fn non_empty_rejects_empty_strings_and_collections() {
    let s = shirt(3);
    let error = s.set_name(String::new()).unwrap_err();
    assert_eq!(error.to_string(), "Shirt.name: must not be empty");
    assert!(matches!(error.kind(), ErrorKind::Empty));
    s.set_name(" ".into()).unwrap();
    assert_eq!(
        s.set_colours(Vec::new()).unwrap_err().to_string(),
        "Shirt.colours: must not be empty"
    );
    s.set_colours(vec!["red".into()]).unwrap();
    assert!(s.set_colours(vec![String::new(); 4]).is_err());
}

#[test]
fn field_info_lists_the_new_rules_as_written() {
    let fields = Shirt::fields();
    assert_eq!(fields[0].rules, [r#"one_of = ["S", "M", "L", "XL"]"#]);
    assert_eq!(fields[1].rules, ["one_of = [1, 2, 4]", "default = 1"]);
    assert_eq!(fields[2].rules, ["non_empty"]);
    assert_eq!(fields[3].rules, ["length(max = 3)", "non_empty"]);
}
