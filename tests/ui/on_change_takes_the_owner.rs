use std::sync::Arc;

use weakprop::{Descriptors, Field};

/// Takes the owner by reference; `on_change` passes its `Arc`.
fn log(person: &Person, old: Option<&u32>, new: Option<&u32>) {
    println!("{}: {old:?} -> {new:?}", person.name);
}

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Person {
    name: String,
    #[descriptor(on_change = log)]
    age: Field<u32>,
}

fn main() {
    let ada = Arc::new(Person { name: "Ada".into(), age: Field::new() });
    ada.set_age(36).unwrap();
    let _ = (ada.age(), ada.take_age(), Person::age_descriptor().len());
}
