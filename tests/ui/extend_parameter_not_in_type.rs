use std::sync::Arc;

use weakprop::{Descriptors, Field};

pub struct Connection {
    pub peer: String,
}

#[derive(Descriptors)]
#[descriptors(extend = Connection)]
struct Slots<T, const N: usize> {
    value: Field<T>,
    history: Field<[u8; N]>,
}

fn main() {
    let conn = Arc::new(Connection { peer: "db".into() });
    conn.set_value(3_u32).unwrap();
    let _ = (Slots::<u32, 2>::value_descriptor().len(), &conn.peer);
}
