use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Order {
    #[descriptor(non_empty)]
    quantity: Field<u32>,
}

fn main() {}
