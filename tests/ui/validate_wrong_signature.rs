use std::sync::Arc;

use weakprop::{Descriptors, Field};

fn is_adult(age: u32) -> bool {
    age >= 18
}

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Person {
    #[descriptor(validate = is_adult)]
    age: Field<u32>,
}

fn main() {
    let ada = Arc::new(Person { age: Field::new() });
    ada.set_age(36).unwrap();
    let _ = (ada.age(), ada.take_age());
}
