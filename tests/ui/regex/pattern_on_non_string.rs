use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Item {
    #[descriptor(pattern = "^[0-9]+$")]
    quantity: Field<u32>,
}

fn main() {}
