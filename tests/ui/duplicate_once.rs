use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Account {
    #[descriptor(once, once)]
    id: Field<u64>,
}

fn main() {}
