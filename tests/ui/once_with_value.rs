use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Account {
    #[descriptor(once = true)]
    id: Field<u64>,
}

fn main() {
    let account = Arc::new(Account { id: Field::new() });
    account.set_id(7).unwrap();
    let _ = (account.id(), account.snapshot());
}
