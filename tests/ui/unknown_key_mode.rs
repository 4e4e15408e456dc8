use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = something_else)]
struct Node {
    label: Field<String>,
}

fn main() {}
