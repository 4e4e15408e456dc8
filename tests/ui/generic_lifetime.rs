use descriptor::{Descriptors, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Borrowed<'a> {
    name: &'a str,
    count: Field<u32>,
}

fn main() {}
