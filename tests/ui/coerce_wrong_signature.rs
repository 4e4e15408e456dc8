use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Person {
    #[descriptor(coerce = str::trim)]
    name: Field<String>,
}

fn main() {
    let ada = Arc::new(Person { name: Field::new() });
    ada.set_name(" Ada ".into()).unwrap();
    let _ = (ada.name(), ada.take_name(), Person::name_descriptor().len());
}
