use std::sync::Arc;

use weakprop::{Descriptors, Field};

fn tally(_: &Arc<Order>) -> u32 {
    1
}

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Order {
    #[descriptor(lazy = tally, default = 0)]
    total: Field<u32>,
}

fn main() {
    let order = Arc::new(Order { total: Field::new() });
    let total: u32 = order.total();
    order.set_total(total + 1).unwrap();
    let _ = (order.take_total(), order.with_total(|total| *total));
}
