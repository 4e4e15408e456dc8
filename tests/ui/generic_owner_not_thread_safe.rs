use std::hash::Hash;
use std::rc::Rc;
use std::sync::Arc;

use weakprop::{Descriptors, Field};

/// Fine for `Keyed<String>`; `Keyed<Rc<str>>` cannot be shared between threads.
#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Keyed<K> {
    key: K,
    score: Field<u32>,
}

fn main() {
    let fine = Arc::new(Keyed { key: String::from("a"), score: Field::new() });
    fine.set_score(1).unwrap();
    let shared = Arc::new(Keyed { key: Rc::<str>::from("a"), score: Field::new() });
    shared.set_score(1).unwrap();
}
