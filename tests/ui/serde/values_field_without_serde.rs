use descriptor::{Descriptors, Field};

#[derive(Clone, Debug, PartialEq)]
struct Colour(u8, u8, u8);

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Pixel {
    colour: Field<Colour>,
}

fn main() {}
