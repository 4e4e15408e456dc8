//! This crate asks for the serde feature and opts one struct in; `additive-plain`, built in the
//! same workspace build, did neither (its own test shows it unchanged).

use std::sync::Arc;

use additive_with_serde::{Account, AccountValues};
use weakprop::Field;

#[test]
fn the_opted_in_struct_serializes() {
    let account = Arc::new(Account {
        id: 1,
        balance: Field::new(),
    });
    account.set_balance(250).unwrap();
    let json = serde_json::to_string(&account.snapshot()).unwrap();
    assert_eq!(json, r#"{"balance":250}"#);
    let back: AccountValues = serde_json::from_str(&json).unwrap();
    assert_eq!(back.balance, Some(250));
}
