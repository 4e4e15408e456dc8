use descriptor::{Descriptors, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Person {
    name: String,
    #[descriptor(range(min = 0, max = 150))]
    age: u32,
    height: Field<f32>,
}

fn main() {}
