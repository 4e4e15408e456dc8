use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Dice {
    #[descriptor(one_of = 4..=20)]
    faces: Field<u8>,
}

fn main() {}
