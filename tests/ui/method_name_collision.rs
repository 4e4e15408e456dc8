use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Point {
    x: Field<i32>,
    set_x: Field<bool>,
}

fn main() {
    let point = Arc::new(Point { x: Field::new(), set_x: Field::new() });
    point.set_x(1).unwrap();
    let _ = (point.x(), point.take_x(), point.take_set_x());
}
