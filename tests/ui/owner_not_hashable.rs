use descriptor::{Descriptors, Field};

#[derive(Descriptors, PartialEq)]
struct Person {
    name: String,
    age: Field<u32>,
}

fn main() {}
