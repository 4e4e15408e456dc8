use std::sync::Arc;

use weakprop::{Descriptors, Field};

/// Takes the owner by reference, not its `Arc`.
fn tally(order: &Order) -> u32 {
    order.lines
}

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Order {
    lines: u32,
    #[descriptor(lazy = tally)]
    total: Field<u32>,
}

fn main() {
    let order = Arc::new(Order { lines: 3, total: Field::new() });
    let total: u32 = order.total();
    let _ = (total, order.with_total(|total| *total), order.take_total());
}
