use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity, serde(deny_unknown_field, rename_all = "camelcase"))]
struct Settings {
    max_connections: Field<u32>,
}

fn main() {
    let settings = Arc::new(Settings { max_connections: Field::new() });
    settings.set_max_connections(8).unwrap();
    let _ = settings.snapshot();
}
