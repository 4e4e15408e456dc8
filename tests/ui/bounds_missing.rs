use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Person {
    #[descriptor(range())]
    age: Field<u32>,
    #[descriptor(length())]
    name: Field<String>,
}

fn main() {
    let ada = Arc::new(Person { age: Field::new(), name: Field::new() });
    ada.set_age(36).unwrap();
    ada.set_name("Ada".into()).unwrap();
    let _ = (ada.age(), ada.name(), ada.take_age(), ada.snapshot());
}
