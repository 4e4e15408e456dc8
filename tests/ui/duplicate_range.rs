use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Person {
    #[descriptor(range(min = 0))]
    #[descriptor(range(max = 150))]
    age: Field<u32>,
}

fn main() {}
