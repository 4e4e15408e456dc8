use std::sync::Arc;

use weakprop::{Descriptors, Field};

/// Not `Clone`: an update cannot return a copy of the value it stored.
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
    let old = sprite.replace_texture(Texture { pixels: vec![0; 64] }).unwrap();
    let grown = sprite.update_texture(|texture| Texture {
        pixels: vec![0; texture.map_or(0, |texture| texture.pixels.len()) * 2],
    });
    let _ = (old, grown);
}
