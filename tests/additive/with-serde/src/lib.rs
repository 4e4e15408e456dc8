//! A crate that turns `descriptor/serde` on and opts one struct in.

use weakprop::{Descriptors, Field};

/// An account whose values struct, `AccountValues`, is `Serialize` and `Deserialize`.
#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(serde)]
pub struct Account {
    /// The identity.
    pub id: u32,
    /// The balance in cents, never negative.
    #[descriptor(range(min = 0))]
    pub balance: Field<i64>,
}
