use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Person {
    name: String,
    #[descriptor(range(min = 0, max = 150))]
    age: u32,
    height: Field<f32>,
}

fn main() {
    let ada = Arc::new(Person { name: "Ada".into(), age: 36, height: Field::new() });
    ada.set_height(1.7).unwrap();
    assert_eq!(ada.height(), Some(1.7));
    assert_eq!((ada.name.as_str(), ada.age), ("Ada", 36));
    let _ = (ada.take_height(), Person::height_descriptor().len(), ada.snapshot());
}
