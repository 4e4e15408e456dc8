use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
struct Point(Field<i32>, Field<i32>);

fn main() {}
