use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity, serde)]
struct Item {
    quantity: Field<u32>,
}

fn main() {
    let item = Arc::new(Item { quantity: Field::new() });
    item.set_quantity(3).unwrap();
    let values: ItemValues = item.snapshot();
    item.load(values).unwrap();
}
