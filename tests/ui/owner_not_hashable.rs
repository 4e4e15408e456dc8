use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors, PartialEq)]
struct Person {
    name: String,
    age: Field<u32>,
}

fn main() {
    let ada = Arc::new(Person { name: "Ada".into(), age: Field::new() });
    ada.set_age(36).unwrap();
    assert_eq!(ada.age(), Some(36));
    let _ = (ada.take_age(), ada.with_age(|age| age.copied()), Person::age_descriptor().len());
    let _ = (ada.snapshot(), ada.load(PersonValues::default()), Person::fields());
}
