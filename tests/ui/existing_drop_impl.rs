use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Connection {
    peer: Field<String>,
}

impl Drop for Connection {
    fn drop(&mut self) {}
}

fn main() {
    let connection = Arc::new(Connection { peer: Field::new() });
    connection.set_peer("10.0.0.1".into()).unwrap();
    let _ = (connection.peer(), connection.take_peer());
}
