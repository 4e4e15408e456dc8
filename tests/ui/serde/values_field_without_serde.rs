use std::sync::Arc;

use weakprop::{Descriptors, Field};

/// Not `Serialize`, in a struct that opts in to `serde`.
#[derive(Clone, Debug, PartialEq)]
struct Colour(u8, u8, u8);

#[derive(Descriptors)]
#[descriptors(key = identity, serde)]
struct Pixel {
    colour: Field<Colour>,
}

fn main() {
    let pixel = Arc::new(Pixel { colour: Field::new() });
    pixel.set_colour(Colour(255, 0, 0)).unwrap();
    let _ = (pixel.colour(), pixel.snapshot());
}
