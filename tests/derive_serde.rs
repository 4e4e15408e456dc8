//! With the `serde` feature, `#[descriptors(serde)]` makes the values struct `Serialize` and
//! `Deserialize`: a model round-trips through JSON, and its rules are enforced on the way back
//! in. A struct that does not opt in is left as it is.
#![cfg(feature = "serde")]

use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(serde)]
struct Account {
    id: u32,
    #[descriptor(length(min = 1, max = 12))]
    owner: Field<String>,
    #[descriptor(range(min = 0))]
    balance: Field<i64>,
    #[descriptor(one_of = ["basic", "gold"])]
    tier: Field<String>,
    /// A raw identifier keeps its name in JSON.
    r#type: Field<char>,
}

fn account(id: u32) -> Arc<Account> {
    Arc::new(Account {
        id,
        owner: Field::new(),
        balance: Field::new(),
        tier: Field::new(),
        r#type: Field::new(),
    })
}

#[test]
fn a_model_round_trips_through_json() {
    let original = account(1);
    original.set_owner("ada".into()).unwrap();
    original.set_balance(1_000).unwrap();
    original.set_tier("gold".into()).unwrap();
    original.set_type('c').unwrap();

    let json = serde_json::to_string(&original.snapshot()).unwrap();
    assert_eq!(
        json,
        r#"{"owner":"ada","balance":1000,"tier":"gold","type":"c"}"#
    );

    let copy = account(2);
    copy.load(serde_json::from_str(&json).unwrap()).unwrap();
    assert_eq!(copy.snapshot(), original.snapshot());
}

#[test]
fn unset_fields_are_left_out_and_missing_fields_read_as_none() {
    let sparse = account(3);
    sparse.set_balance(5).unwrap();
    assert_eq!(
        serde_json::to_string(&sparse.snapshot()).unwrap(),
        r#"{"balance":5}"#
    );
    let values: AccountValues = serde_json::from_str("{}").unwrap();
    assert_eq!(values, AccountValues::default());
}

#[test]
fn rules_are_enforced_on_the_way_back_in() {
    let target = account(4);
    target.set_balance(10).unwrap();
    let edited = r#"{"owner":"","balance":-5,"tier":"platinum","type":"x"}"#;
    let errors = target
        .load(serde_json::from_str(edited).unwrap())
        .unwrap_err();
    assert_eq!(
        errors.to_string(),
        "Account.owner: length 0 is below the minimum length 1\n\
         Account.balance: -5 is below the minimum 0\n\
         Account.tier: \"platinum\" is not one of \"basic\", \"gold\""
    );
    assert_eq!(target.balance(), Some(10));
    assert_eq!(target.r#type(), None);
}

#[test]
fn a_renamed_crate_names_serde_through_it() {
    extern crate weakprop as renamed;

    #[derive(renamed::Descriptors)]
    #[descriptors(key = identity, crate = renamed, values = Point, serde)]
    struct Spot {
        x: renamed::Field<i32>,
    }
    let spot = Arc::new(Spot { x: Field::new() });
    spot.set_x(3).unwrap();
    let json = serde_json::to_string(&spot.snapshot()).unwrap();
    assert_eq!(json, r#"{"x":3}"#);
    let back: Point = serde_json::from_str(&json).unwrap();
    assert_eq!(back.x, Some(3));
}

/// Not `Serialize`: a struct that does not opt in asks nothing of serde, feature or not.
struct Handle(u8);

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Session {
    handle: Field<Handle>,
}

#[test]
fn a_struct_that_does_not_opt_in_asks_nothing_of_serde() {
    let session = Arc::new(Session {
        handle: Field::new(),
    });
    session.set_handle(Handle(7)).unwrap();
    assert_eq!(
        session.with_handle(|handle| handle.map(|handle| handle.0)),
        Some(7)
    );
    session
        .load(SessionValues {
            handle: Some(Handle(8)),
        })
        .unwrap();
    assert_eq!(
        session.with_handle(|handle| handle.map(|handle| handle.0)),
        Some(8)
    );
}

#[test]
fn fields_attached_to_a_foreign_type_round_trip_through_json() {
    /// Stands in for another crate's type.
    struct Socket {
        port: u16,
    }

    #[derive(Descriptors)]
    #[descriptors(extend = Socket, serde)]
    struct SocketState {
        #[descriptor(range(max = 8))]
        retries: Field<u8>,
        label: Field<String>,
    }

    let socket = Arc::new(Socket { port: 80 });
    socket.set_retries(2).unwrap();
    let json = serde_json::to_string(&socket.snapshot()).unwrap();
    assert_eq!(json, r#"{"retries":2}"#);
    let other = Arc::new(Socket { port: 443 });
    other
        .load(serde_json::from_str(r#"{"retries":3,"label":"tls"}"#).unwrap())
        .unwrap();
    assert_eq!(
        (other.retries(), other.label().as_deref()),
        (Some(3), Some("tls"))
    );
    let refused: SocketStateValues = serde_json::from_str(r#"{"retries":9}"#).unwrap();
    assert_eq!(
        other.load(refused).unwrap_err().to_string(),
        "Socket.retries: 9 is above the maximum 8"
    );
    assert_eq!(socket.port + other.port, 523);
}

/// The values struct with serde's container options: misspelt keys are refused, and the keys
/// are camelCase.
#[derive(Descriptors)]
#[descriptors(key = identity, serde(deny_unknown_fields, rename_all = "camelCase"))]
struct Settings {
    #[descriptor(range(min = 1, max = 64))]
    max_connections: Field<u32>,
    dark_mode: Field<bool>,
}

fn settings() -> Arc<Settings> {
    Arc::new(Settings {
        max_connections: Field::new(),
        dark_mode: Field::new(),
    })
}

#[test]
fn serde_container_options_reach_the_values_struct() {
    let settings = settings();
    settings.set_max_connections(8).unwrap();
    let json = serde_json::to_string(&settings.snapshot()).unwrap();
    assert_eq!(json, r#"{"maxConnections":8}"#);

    let copy = self::settings();
    copy.load(serde_json::from_str(r#"{"maxConnections":8,"darkMode":true}"#).unwrap())
        .unwrap();
    assert_eq!(
        (copy.max_connections(), copy.dark_mode()),
        (Some(8), Some(true))
    );

    let misspelt = serde_json::from_str::<SettingsValues>(r#"{"maxConnection":8}"#).unwrap_err();
    assert!(
        misspelt
            .to_string()
            .starts_with("unknown field `maxConnection`, expected"),
        "{misspelt}"
    );
    let snake = serde_json::from_str::<SettingsValues>(r#"{"max_connections":8}"#).unwrap_err();
    assert!(snake.to_string().contains("unknown field"), "{snake}");
}

#[test]
fn without_deny_unknown_fields_a_misspelt_key_is_ignored_as_serde_does() {
    let values: AccountValues = serde_json::from_str(r#"{"ownr":"ada"}"#).unwrap();
    let account = account(7);
    account.load(values).unwrap();
    assert_eq!(account.owner(), None);
}
