use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity, hash = keyed)]
struct Node {
    label: Field<String>,
}

fn main() {
    let node = Arc::new(Node { label: Field::new() });
    node.set_label("root".into()).unwrap();
    assert_eq!(node.label().as_deref(), Some("root"));
}
