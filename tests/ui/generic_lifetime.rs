use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Borrowed<'a> {
    name: &'a str,
    count: Field<u32>,
}

fn main() {
    let ada = Arc::new(Borrowed { name: "Ada", count: Field::new() });
    ada.set_count(1).unwrap();
    assert_eq!(ada.count(), Some(1));
    let _ = (ada.name, ada.take_count(), ada.snapshot());
}
