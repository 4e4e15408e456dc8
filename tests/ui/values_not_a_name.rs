use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity, values = "ItemState")]
struct Item {
    quantity: Field<u32>,
}

fn main() {}
