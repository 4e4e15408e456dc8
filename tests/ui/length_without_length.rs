use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Person {
    #[descriptor(length(max = 3))]
    age: Field<u32>,
}

fn main() {}
