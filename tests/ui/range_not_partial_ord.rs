use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Clone)]
struct Colour(u8, u8, u8);

#[derive(Descriptors)]
#[descriptors(key = identity, no_values)]
struct Pixel {
    #[descriptor(range(min = Colour(0, 0, 0)))]
    colour: Field<Colour>,
}

fn main() {
    let pixel = Arc::new(Pixel { colour: Field::new() });
    pixel.set_colour(Colour(255, 0, 0)).unwrap();
    let _ = (pixel.colour(), pixel.take_colour());
}
