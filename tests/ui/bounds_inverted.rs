use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Player {
    #[descriptor(range(min = 10, max = 1))]
    level: Field<u32>,
    #[descriptor(length(min = 5, max = 2))]
    name: Field<String>,
    #[descriptor(range(min = 0.5, max = -0.5))]
    balance: Field<f64>,
}

fn main() {
    let player = Arc::new(Player { level: Field::new(), name: Field::new(), balance: Field::new() });
    player.set_level(5).unwrap();
    player.set_name("Ada".into()).unwrap();
    player.set_balance(0.0).unwrap();
    let _ = (player.level(), player.name(), player.take_balance(), player.snapshot());
}
