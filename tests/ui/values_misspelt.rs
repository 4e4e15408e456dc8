use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity, valeus = ItemState)]
struct Item {
    quantity: Field<u32>,
}

fn main() {}
