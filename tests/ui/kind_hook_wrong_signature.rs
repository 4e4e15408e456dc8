use std::sync::Arc;

use weakprop::{Descriptors, Field, Kind};

fn even(value: &u32) -> Result<(), String> {
    if value % 2 == 0 { Ok(()) } else { Err(format!("{value} is odd")) }
}

fn halve(value: u32) -> u32 {
    value / 2
}

/// Hooks of another value type than the kind's.
#[derive(Kind)]
#[kind(u8, validate = even, coerce = halve)]
pub struct Even;

#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Player {
    id: u32,
    pub luck: Field<u8, Even>,
}

fn main() {
    let player = Arc::new(Player { id: 1, luck: Field::new() });
    player.set_luck(2).unwrap();
    let _ = (player.id, player.luck());
}
