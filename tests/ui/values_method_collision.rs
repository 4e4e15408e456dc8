use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Camera {
    snapshot: Field<Vec<u8>>,
}

fn main() {}
