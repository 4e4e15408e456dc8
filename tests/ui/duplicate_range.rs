use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Person {
    #[descriptor(range(min = 0))]
    #[descriptor(range(max = 150))]
    age: Field<u32>,
}

fn main() {
    let ada = Arc::new(Person { age: Field::new() });
    ada.set_age(36).unwrap();
    let _ = (ada.age(), ada.take_age(), ada.snapshot());
}
