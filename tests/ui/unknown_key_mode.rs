use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = something_else)]
struct Node {
    label: Field<String>,
}

fn main() {
    let node = Arc::new(Node { label: Field::new() });
    node.set_label("root".into()).unwrap();
    let _ = (node.label(), node.take_label());
}
