use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Person {
    #[descriptor(default = "zero")]
    age: Field<u32>,
}

fn main() {}
