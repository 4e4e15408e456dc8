use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Person {
    name: String,
    #[descriptor(rnage(min = 0, max = 150))]
    age: Field<u32>,
    #[descriptor(colour = "red")]
    eyes: Field<String>,
}

fn main() {
    let ada = Arc::new(Person { name: "Ada".into(), age: Field::new(), eyes: Field::new() });
    ada.set_age(36).unwrap();
    ada.set_eyes("brown".into()).unwrap();
    assert_eq!(ada.age(), Some(36));
    let _ = (ada.eyes(), ada.take_age(), ada.with_eyes(|eyes| eyes.cloned()), ada.snapshot());
}
