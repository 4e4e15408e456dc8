use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Camera {
    snapshot: Field<Vec<u8>>,
}

fn main() {
    let camera = Arc::new(Camera { snapshot: Field::new() });
    camera.set_snapshot(vec![1, 2, 3]).unwrap();
    let _ = (camera.snapshot(), camera.take_snapshot());
}
