use std::sync::Arc;

use weakprop::{Descriptors, Field};

pub struct Connection {
    pub peer: String,
}

#[derive(Descriptors)]
#[descriptors(extend = Connection, hash = keyed)]
struct Stats {
    retries: Field<u32>,
}

fn main() {
    let conn = Arc::new(Connection { peer: "db".into() });
    conn.set_retries(3).unwrap();
    assert_eq!(conn.retries(), Some(3));
    let _ = &conn.peer;
}
