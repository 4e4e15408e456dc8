use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity, manul_drop)]
struct Session {
    token: Field<String>,
}

fn main() {
    let session = Arc::new(Session { token: Field::new() });
    session.set_token("secret".into()).unwrap();
    let _ = (session.token(), session.take_token(), session.snapshot());
}
