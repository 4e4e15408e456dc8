use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptor(key = identity)]
struct Node {
    #[descriptors(once)]
    label: Field<String>,
}

fn main() {}
