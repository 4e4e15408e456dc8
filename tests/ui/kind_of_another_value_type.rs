use std::sync::Arc;

use weakprop::{Descriptors, Field, Kind};

/// A percentage.
#[derive(Kind)]
#[kind(u8, range(max = 100))]
pub struct Percent;

#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Player {
    id: u32,
    pub score: Field<u32, Percent>,
}

fn main() {
    let player = Arc::new(Player { id: 1, score: Field::new() });
    player.set_score(7).unwrap();
    let _ = (player.id, player.score(), player.take_score(), Player::fields());
}
