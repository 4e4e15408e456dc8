use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Person {
    #[descriptor(default = "zero")]
    age: Field<u32>,
}

fn main() {
    let ada = Arc::new(Person { age: Field::new() });
    ada.set_age(36).unwrap();
    let age: u32 = ada.age();
    let _ = (age, ada.take_age(), ada.with_age(|age| *age + 1));
}
