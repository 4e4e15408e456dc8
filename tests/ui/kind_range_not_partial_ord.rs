use std::sync::Arc;

use weakprop::{Descriptors, Field, Kind};

#[derive(Clone)]
pub struct Colour(u8, u8, u8);

/// Bounds on a type that cannot be ordered, reported where the kind says them.
#[derive(Kind)]
#[kind(Colour, range(min = Colour(0, 0, 0)))]
pub struct Bright;

#[derive(Descriptors)]
#[descriptors(key = identity, no_values)]
struct Pixel {
    colour: Field<Colour, Bright>,
}

fn main() {
    let pixel = Arc::new(Pixel { colour: Field::new() });
    pixel.set_colour(Colour(255, 0, 0)).unwrap();
    let _ = (pixel.colour(), pixel.take_colour());
}
