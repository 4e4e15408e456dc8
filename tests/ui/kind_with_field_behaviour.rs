use std::sync::Arc;

use weakprop::{Descriptors, Field, Kind};

fn log(_: &Arc<Player>, _: Option<&u8>, _: Option<&u8>) {}

fn fifty(_: &Arc<Player>) -> u8 {
    50
}

/// A percentage that tries to say what each field does.
#[derive(Kind)]
#[kind(u8, range(max = 100), default = 50, once, on_change = log, lazy = fifty)]
pub struct Percent;

#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Player {
    id: u32,
    pub health: Field<u8, Percent>,
}

fn main() {
    let player = Arc::new(Player { id: 1, health: Field::new() });
    player.set_health(100).unwrap();
    let _ = (player.id, player.health(), player.take_health());
}
