use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Person {
    #[descriptor(validate = |age: &u32| *age > 0)]
    age: Field<u32>,
}

fn main() {}
