use descriptor::{Descriptors, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Tagged<T> {
    tag: T,
    count: Field<u32>,
}

fn main() {}
