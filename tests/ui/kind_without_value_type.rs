use std::sync::Arc;

use weakprop::{Descriptors, Field, Kind};

/// The rules, but not the type of the values they check.
#[derive(Kind)]
#[kind(range(max = 100))]
pub struct Percent;

/// Neither.
#[derive(Kind)]
pub struct Ratio;

#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Player {
    id: u32,
    pub health: Field<u8, Percent>,
    pub luck: Field<f64, Ratio>,
}

fn main() {
    let player = Arc::new(Player { id: 1, health: Field::new(), luck: Field::new() });
    player.set_health(100).unwrap();
    let _ = (player.id, player.health(), player.luck());
}
