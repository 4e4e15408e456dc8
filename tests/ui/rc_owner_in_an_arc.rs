use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(rc, key = identity)]
struct User {
    level: Field<u8>,
}

fn main() {
    let user = Arc::new(User { level: Field::new() });
    user.set_level(3).unwrap();
    assert_eq!(user.level(), Some(3));
}
