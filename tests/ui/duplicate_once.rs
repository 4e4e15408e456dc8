use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Account {
    #[descriptor(once, once)]
    id: Field<u64>,
}

fn main() {
    let account = Arc::new(Account { id: Field::new() });
    account.set_id(7).unwrap();
    let _ = (account.id(), Account::id_descriptor().len(), account.snapshot());
}
