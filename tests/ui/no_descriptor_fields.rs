use descriptor::Descriptors;

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Person {
    name: String,
    age: u32,
}

fn main() {}
