use std::sync::Arc;

use weakprop::{Descriptors, Field, Kind};

/// A percentage.
#[derive(Kind)]
#[kind(u8, range(max = 100))]
pub struct Percent;

#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Player {
    id: u32,
    #[descriptor(extends = Percent)]
    pub health: Field<u8>,
}

fn main() {
    let player = Arc::new(Player { id: 1, health: Field::new() });
    player.set_health(100).unwrap();
    let _ = (player.id, player.health());
}
