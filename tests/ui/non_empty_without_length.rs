use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Order {
    #[descriptor(non_empty)]
    quantity: Field<u32>,
}

fn main() {
    let order = Arc::new(Order { quantity: Field::new() });
    order.set_quantity(3).unwrap();
    let _ = (order.quantity(), order.take_quantity(), order.snapshot());
}
