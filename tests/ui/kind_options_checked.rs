use std::sync::Arc;

use weakprop::{Descriptors, Field, Kind};

/// Bounds that accept nothing, and a typo.
#[derive(Kind)]
#[kind(u8, range(min = 100, max = 1), rnage(max = 3))]
pub struct Percent;

/// Integer bounds on a string, an empty list, a duplicate and a broken pattern.
#[derive(Kind)]
#[kind(String, range(max = 40), one_of = [], length(max = 1), length(max = 2), pattern = "(")]
pub struct Name;

#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Player {
    id: u32,
    pub health: Field<u8, Percent>,
    pub name: Field<String, Name>,
}

fn main() {
    let player = Arc::new(Player { id: 1, health: Field::new(), name: Field::new() });
    player.set_health(100).unwrap();
    player.set_name("Ada".into()).unwrap();
    let _ = (player.id, player.health(), player.name());
}
