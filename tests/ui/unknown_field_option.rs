use descriptor::{Descriptors, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Person {
    name: String,
    #[descriptor(rnage(min = 0, max = 150))]
    age: Field<u32>,
    #[descriptor(colour = "red")]
    eyes: Field<String>,
}

fn main() {}
