use std::sync::Arc;

use weakprop::{Descriptors, Field, Kind};

/// A kind with data.
#[derive(Kind)]
#[kind(u8, range(max = 100))]
pub struct Percent {
    max: u8,
}

/// A kind as an enum.
#[derive(Kind)]
#[kind(u8, range(max = 10))]
pub enum Small {
    Only,
}

/// A kind with a parameter.
#[derive(Kind)]
#[kind(u8, range(max = 10))]
pub struct Bounded<const MAX: u8>;

#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Player {
    id: u32,
    pub health: Field<u8, Percent>,
    pub level: Field<u8, Small>,
}

fn main() {
    let player = Arc::new(Player { id: 1, health: Field::new(), level: Field::new() });
    player.set_health(100).unwrap();
    player.set_level(1).unwrap();
    let _ = (player.id, player.health(), Percent { max: 1 }.max, Small::Only, Bounded::<1>);
}
