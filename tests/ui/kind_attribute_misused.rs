use std::sync::Arc;

use weakprop::{Descriptors, Field, Kind};

/// Two attributes, and a field's.
#[derive(Kind)]
#[kind(u8, range(max = 100))]
#[kind(u8, range(min = 1))]
#[descriptor(range(max = 100))]
pub struct Percent;

/// Not a list.
#[derive(Kind)]
#[kind = "u8"]
pub struct Ratio;

#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Player {
    id: u32,
    pub health: Field<u8, Percent>,
    pub luck: Field<u8, Ratio>,
}

fn main() {
    let player = Arc::new(Player { id: 1, health: Field::new(), luck: Field::new() });
    player.set_health(100).unwrap();
    let _ = (player.id, player.health(), player.luck());
}
