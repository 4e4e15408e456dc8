use std::sync::Arc;

use weakprop::{Descriptors, Field};

pub struct Connection {
    pub peer: String,
}

#[derive(Descriptors)]
#[descriptors(extend = Connection)]
struct Stats {
    #[descriptor(range(max = 10))]
    retries: Field<u32>,
    last_error: String,
    #[descriptor(default = 0)]
    opened: u64,
}

fn main() {
    let conn = Arc::new(Connection { peer: "db".into() });
    conn.set_retries(3).unwrap();
    assert_eq!(conn.retries(), Some(3));
    let _ = (conn.take_retries(), Stats::retries_descriptor().len(), conn.snapshot(), &conn.peer);
}
