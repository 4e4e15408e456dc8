use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(hash = siphash)]
struct Session {
    user: String,
    requests: Field<u32>,
}

fn main() {
    let session = Arc::new(Session { user: "ada".into(), requests: Field::new() });
    session.set_requests(1).unwrap();
    assert_eq!(session.requests(), Some(1));
}
