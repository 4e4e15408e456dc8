use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptor(key = identity)]
struct Node {
    #[descriptors(once)]
    label: Field<String>,
}

fn main() {
    let node = Arc::new(Node { label: Field::new() });
    node.set_label("root".into()).unwrap();
    assert_eq!(node.label().as_deref(), Some("root"));
    let _ = (node.take_label(), Node::label_descriptor().len());
}
