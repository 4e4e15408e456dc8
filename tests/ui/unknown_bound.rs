use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Person {
    #[descriptor(range(mn = 1))]
    age: Field<u32>,
    #[descriptor(length(min = 1, longest = 40))]
    name: Field<String>,
}

fn main() {}
