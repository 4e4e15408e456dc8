//! A crate that never asked for serde: its values struct holds a type that is not
//! `Serialize`, and it compiles whatever features other crates turn on.

use std::sync::Arc;

use weakprop::{Descriptors, Field};

/// An OS resource stand-in: deliberately neither `Serialize` nor `Deserialize`.
#[derive(Debug, Clone, PartialEq)]
pub struct Handle(pub u32);

/// A session whose values struct, `SessionValues`, is not serializable.
#[derive(Descriptors)]
#[descriptors(key = identity)]
pub struct Session {
    /// The open handle.
    pub handle: Field<Handle>,
}

/// A new session, holding `handle`.
///
/// # Panics
///
/// Never: the field has no rules.
#[must_use]
pub fn open(handle: u32) -> Arc<Session> {
    let session = Arc::new(Session {
        handle: Field::new(),
    });
    session
        .set_handle(Handle(handle))
        .expect("no rules to break");
    session
}
