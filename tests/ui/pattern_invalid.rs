use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Item {
    #[descriptor(pattern = "^[A-Z{3}-[0-9]{4}$")]
    sku: Field<String>,
}

fn main() {
    let item = Arc::new(Item { sku: Field::new() });
    item.set_sku("ABC-1234".into()).unwrap();
    let _ = (item.sku(), item.take_sku());
}
