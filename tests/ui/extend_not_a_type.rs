use std::sync::Arc;

use weakprop::{Descriptors, Field};

pub struct Connection {
    pub peer: String,
}

pub fn connect() -> Arc<Connection> {
    Arc::new(Connection { peer: "db".into() })
}

#[derive(Descriptors)]
#[descriptors(extend = connect(), key = value)]
struct Called {
    retries: Field<u32>,
}

#[derive(Descriptors)]
#[descriptors(extend = 443)]
struct Port {
    opened: Field<bool>,
}

#[derive(Descriptors)]
#[descriptors(extend = connect)]
struct Function {
    peer_name: Field<String>,
}

fn main() {
    let conn = connect();
    conn.set_retries(3).unwrap();
    assert_eq!(conn.retries(), Some(3));
    conn.set_opened(true).unwrap();
    conn.set_peer_name(conn.peer.clone()).unwrap();
    let _ = (Called::retries_descriptor().len(), Port::opened_descriptor().len());
}
