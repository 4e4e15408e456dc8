use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity, values = ItemState, no_values)]
struct Item {
    quantity: Field<u32>,
}

fn main() {
    let item = Arc::new(Item { quantity: Field::new() });
    item.set_quantity(3).unwrap();
    let _ = (item.quantity(), item.take_quantity());
}
