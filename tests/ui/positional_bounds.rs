use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Person {
    #[descriptor(range(0, 150))]
    age: Field<u32>,
}

fn main() {}
