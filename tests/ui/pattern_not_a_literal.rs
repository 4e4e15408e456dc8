use descriptor::{Descriptors, Field};

const SKU: &str = "^[A-Z]{3}-[0-9]{4}$";

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Item {
    #[descriptor(pattern = SKU)]
    sku: Field<String>,
}

fn main() {}
