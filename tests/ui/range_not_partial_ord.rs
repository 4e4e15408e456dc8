use descriptor::{Descriptors, Field};

#[derive(Clone)]
struct Colour(u8, u8, u8);

#[derive(Descriptors)]
#[descriptors(key = identity, no_values)]
struct Pixel {
    #[descriptor(range(min = Colour(0, 0, 0)))]
    colour: Field<Colour>,
}

fn main() {}
