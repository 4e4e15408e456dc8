use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Person {
    #[descriptor(coerce = str::trim)]
    name: Field<String>,
}

fn main() {}
