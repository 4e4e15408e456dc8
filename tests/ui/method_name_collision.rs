use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Point {
    x: Field<i32>,
    set_x: Field<bool>,
}

fn main() {}
