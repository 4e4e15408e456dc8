use std::sync::Arc;

use weakprop::{Descriptors, Field};

const SKU: &str = "^[A-Z]{3}-[0-9]{4}$";

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Item {
    #[descriptor(pattern = SKU)]
    sku: Field<String>,
}

fn main() {
    let item = Arc::new(Item { sku: Field::new() });
    item.set_sku("ABC-1234".into()).unwrap();
    let _ = (item.sku(), item.take_sku());
}
