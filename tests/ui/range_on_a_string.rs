use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct User {
    id: u64,
    #[descriptor(range(min = 1, max = 10))]
    name: Field<String>,
}

fn main() {
    let user = Arc::new(User { id: 1, name: Field::new() });
    user.set_name("Ada".into()).unwrap();
    let _ = (user.id, user.name(), user.take_name(), User::name_descriptor().len());
}
