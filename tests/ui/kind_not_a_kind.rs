use std::sync::Arc;

use weakprop::{Descriptors, Field, Kind};

#[derive(Kind)]
#[kind(u8, range(max = 100))]
pub struct Percent;

#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Player {
    id: u32,
    pub name: Field<String, String>,
    pub health: Field<u8, Percent>,
}

fn main() {
    let player = Arc::new(Player { id: 1, name: Field::new(), health: Field::new() });
    player.set_name("Ada".into()).unwrap();
    let _ = (player.id, player.name(), player.health());
}
