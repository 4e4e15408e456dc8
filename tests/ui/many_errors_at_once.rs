use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity, crate = descriptor, krate = descriptor)]
struct Person {
    #[descriptor(range(min = 0), lenght(max = 3), once, once)]
    age: Field<u32>,
    #[descriptor(defualt = String::new())]
    name: Field<String>,
    #[descriptor(once)]
    id: u64,
}

fn main() {
    let ada = Arc::new(Person { age: Field::new(), name: Field::new(), id: 1 });
    ada.set_age(36).unwrap();
    ada.set_name("Ada".into()).unwrap();
    let _ = (ada.age(), ada.name(), ada.take_name(), ada.id, ada.snapshot());
}
