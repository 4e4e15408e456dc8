use std::sync::Arc;

use weakprop::{Descriptors, Field};

fn log(new: &u32) {
    println!("{new}");
}

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Person {
    #[descriptor(on_change = log)]
    age: Field<u32>,
}

fn main() {
    let ada = Arc::new(Person { age: Field::new() });
    ada.set_age(36).unwrap();
    let _ = (ada.age(), ada.take_age());
}
