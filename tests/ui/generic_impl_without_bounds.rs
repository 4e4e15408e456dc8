use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Session<Id> {
    id: Id,
    user: Field<String>,
}

/// No bounds on `Id`: the accessors need `Session<Id>` to be hashable and thread-safe.
impl<Id> Session<Id> {
    fn rename(self: &Arc<Self>, name: &str) {
        self.set_user(name.to_owned()).unwrap();
    }
}

fn main() {
    let session = Arc::new(Session { id: 1_u64, user: Field::new() });
    session.rename("ada");
    let _ = (session.id, session.user());
}
