use std::sync::Arc;

use weakprop::{Descriptors, Field};

/// A name the derive cannot see through: the type checker judges its bounds.
type Name = String;

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct User {
    #[descriptor(range(min = 1))]
    name: Field<Name>,
    #[descriptor(length(max = "ten"))]
    nickname: Field<String>,
}

fn main() {
    let user = Arc::new(User { name: Field::new(), nickname: Field::new() });
    user.set_name("Ada".into()).unwrap();
    user.set_nickname("A".into()).unwrap();
    let _ = (user.name(), user.nickname(), user.snapshot());
}
