use std::sync::Arc;

use weakprop::{Descriptors, Field};

pub struct Connection {
    pub peer: String,
}

#[derive(Descriptors)]
#[descriptors(extend = Connection)]
struct Stats {
    retries: Field<u32>,
}

fn retry(conn: &Connection) -> u32 {
    let retries = conn.retries().unwrap_or(0) + 1;
    conn.set_retries(retries).unwrap();
    retries
}

fn main() {
    let conn = Arc::new(Connection { peer: "db".into() });
    assert_eq!(retry(&conn), 1);
    let _ = (Stats::retries_descriptor().len(), &conn.peer);
}
