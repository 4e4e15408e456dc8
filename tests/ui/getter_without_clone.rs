use std::sync::Arc;

use weakprop::{Descriptors, Field};

/// Not `Clone`: a getter cannot return a copy of it.
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
    sprite.set_texture(Texture { pixels: vec![0; 64] }).unwrap();
    let texture = sprite.texture();
    let size = sprite.with_texture(|texture| texture.map(|texture| texture.pixels.len()));
    let _ = (texture, size, sprite.take_texture(), Sprite::texture_descriptor().len());
}
