use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Person {
    #[descriptor(range())]
    age: Field<u32>,
    #[descriptor(length())]
    name: Field<String>,
}

fn main() {}
