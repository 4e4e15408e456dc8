use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity, values = ItemState, no_values)]
struct Item {
    quantity: Field<u32>,
}

fn main() {}
