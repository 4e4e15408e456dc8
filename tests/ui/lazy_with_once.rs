use std::sync::Arc;

use weakprop::{Descriptors, Field};

fn issue(_: &Arc<Ticket>) -> u64 {
    7
}

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Ticket {
    #[descriptor(once, lazy = issue)]
    number: Field<u64>,
}

fn main() {
    let ticket = Arc::new(Ticket { number: Field::new() });
    let number: u64 = ticket.number();
    let _ = (number, ticket.set_number(8), Ticket::number_descriptor().len());
}
