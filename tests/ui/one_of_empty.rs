use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Dice {
    #[descriptor(one_of = [])]
    faces: Field<u8>,
}

fn main() {}
