use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity, valeus = ItemState)]
struct Item {
    quantity: Field<u32>,
}

fn main() {
    let item = Arc::new(Item { quantity: Field::new() });
    item.set_quantity(3).unwrap();
    let state: ItemState = item.snapshot();
    item.load(state).unwrap();
}
