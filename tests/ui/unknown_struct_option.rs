use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity, manul_drop)]
struct Session {
    token: Field<String>,
}

fn main() {}
