use std::sync::Arc;

use weakprop::Descriptors;

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Person {
    name: String,
    age: u32,
}

fn main() {
    let ada = Arc::new(Person { name: "Ada".into(), age: 36 });
    let _ = (Person::fields(), ada.name.len(), ada.age);
}
