use std::sync::Arc;

use weakprop::{Descriptors, Field};

/// Neither `Debug` nor `PartialEq`: nor, then, is the values struct.
#[derive(Clone)]
struct Texture {
    pixels: Vec<u8>,
}

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Sprite {
    texture: Field<Texture>,
}

fn main() {
    let sprite = Arc::new(Sprite { texture: Field::new() });
    sprite.set_texture(Texture { pixels: vec![1] }).unwrap();
    let values = sprite.snapshot();
    assert_eq!(values.texture.as_ref().map(|t| t.pixels.len()), Some(1));
    println!("{values:?}");
}
