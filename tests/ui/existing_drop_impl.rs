use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Connection {
    peer: Field<String>,
}

impl Drop for Connection {
    fn drop(&mut self) {}
}

fn main() {}
