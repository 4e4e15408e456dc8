use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Item {
    #[descriptor(pattern = "^[A-Z]{3}-[0-9]{4}$")]
    sku: Field<String>,
}

fn main() {}
