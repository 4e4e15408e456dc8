use std::sync::Arc;

use weakprop::{Descriptors, Field};

/// Not `Clone`: a snapshot cannot copy it.
struct Texture {
    pixels: Vec<u8>,
}

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Sprite {
    name: Field<String>,
    texture: Field<Texture>,
}

fn main() {
    let sprite = Arc::new(Sprite { name: Field::new(), texture: Field::new() });
    sprite.load(SpriteValues { name: Some("hero".into()), texture: Some(Texture { pixels: vec![] }) }).unwrap();
    let values = sprite.snapshot();
    let _ = (values.name, sprite.with_texture(|texture| texture.map(|t| t.pixels.len())));
}
