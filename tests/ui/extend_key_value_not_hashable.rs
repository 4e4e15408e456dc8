use std::sync::Arc;

use weakprop::{Descriptors, Field};

/// Another crate's type: no `Hash`, no `Eq`.
pub struct Connection {
    pub peer: String,
}

#[derive(Descriptors)]
#[descriptors(extend = Connection, key = value)]
struct Stats {
    retries: Field<u32>,
    #[descriptor(default = String::new())]
    last_error: Field<String>,
}

fn main() {
    let conn = Arc::new(Connection { peer: "db".into() });
    conn.set_retries(3).unwrap();
    assert_eq!(conn.retries(), Some(3));
    let _ = (conn.last_error(), conn.take_retries(), Stats::retries_descriptor().len(), &conn.peer);
}
