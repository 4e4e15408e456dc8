//! Both crates in one build: the serde feature is on (this crate asks for it), and the crate
//! that did not ask is unchanged by it.

use std::sync::Arc;

use additive_with_serde::{Account, AccountValues};
use descriptor::Field;

#[test]
fn the_opted_in_struct_serializes_and_the_other_crate_is_untouched() {
    let account = Arc::new(Account {
        id: 1,
        balance: Field::new(),
    });
    account.set_balance(250).unwrap();
    let json = serde_json::to_string(&account.snapshot()).unwrap();
    assert_eq!(json, r#"{"balance":250}"#);
    let back: AccountValues = serde_json::from_str(&json).unwrap();
    assert_eq!(back.balance, Some(250));

    let session = additive_plain::open(7);
    assert_eq!(session.handle(), Some(additive_plain::Handle(7)));
    assert_eq!(session.snapshot().handle, Some(additive_plain::Handle(7)));
}
