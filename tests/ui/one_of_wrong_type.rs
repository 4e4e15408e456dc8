use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Dice {
    #[descriptor(one_of = ["d6", "d20"])]
    faces: Field<u8>,
}

fn main() {
    let dice = Arc::new(Dice { faces: Field::new() });
    dice.set_faces(6).unwrap();
    let _ = (dice.faces(), dice.take_faces());
}
