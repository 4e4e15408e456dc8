use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Dice {
    #[descriptor(one_of = ["d6", "d20"])]
    faces: Field<u8>,
}

fn main() {}
