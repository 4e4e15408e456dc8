use std::sync::Arc;

use weakprop::{Descriptors, Field, Kind};

/// A percentage.
#[derive(Kind)]
#[kind(u8, range(max = 100))]
pub struct Percent;

/// Extends itself.
#[derive(Kind)]
#[kind(u8, extends = Looping, range(min = 1))]
pub struct Looping;

/// Extends a kind of other values.
#[derive(Kind)]
#[kind(u16, extends = Percent, range(min = 1))]
pub struct Wide;

#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Player {
    id: u32,
    pub health: Field<u8, Looping>,
    pub range: Field<u16, Wide>,
}

fn main() {
    let player = Arc::new(Player { id: 1, health: Field::new(), range: Field::new() });
    player.set_health(100).unwrap();
    player.set_range(1000).unwrap();
    let _ = (player.id, player.health(), player.range());
}
