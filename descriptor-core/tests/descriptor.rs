//! `Descriptor` on hand-written owners, in both key modes.

use std::sync::{Arc, Mutex};

use weakprop_core::validate::{length, range};
use weakprop_core::{Descriptor, ErrorKind, Rules, ValidationError};

#[derive(Debug, Hash, PartialEq, Eq)]
struct Person {
    name: String,
}

impl Drop for Person {
    fn drop(&mut self) {
        AGE.release(self);
        NICK.release(self);
        TOKEN.release(self);
    }
}

fn person(name: &str) -> Arc<Person> {
    Arc::new(Person { name: name.into() })
}

fn check_age(age: &u32) -> Result<(), ErrorKind> {
    range(age, Some(&0), Some(&150))
}

fn check_nick(nick: &String) -> Result<(), ErrorKind> {
    length(nick, Some(1), Some(12))
}

fn trim(nick: String) -> String {
    nick.trim().to_owned()
}

static AGE: Descriptor<Person, u32> =
    Descriptor::by_value("Person", "age", Rules::new().check(check_age));
static TOKEN: Descriptor<Person, Arc<()>> = Descriptor::by_value("Person", "token", Rules::new());
static NICK: Descriptor<Person, String> = Descriptor::by_value(
    "Person",
    "nick",
    Rules::new().coerce(trim).check(check_nick),
);

#[test]
fn set_validates_and_keeps_the_old_value_on_error() {
    let p = person("set_validates");
    AGE.set(&p, 68).unwrap();
    let error = AGE.set(&p, 200).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Person.age: 200 is above the maximum 150"
    );
    assert_eq!((error.owner(), error.field()), ("Person", "age"));
    assert_eq!(AGE.get(&p), Some(68));
}

#[test]
fn coerce_runs_before_the_check() {
    let p = person("coerce");
    NICK.set(&p, "  Guido  ".into()).unwrap();
    assert_eq!(NICK.get(&p).as_deref(), Some("Guido"));
    let error = NICK.set(&p, "   ".into()).unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::TooShort { length: 0, min: 1 });
}

#[test]
fn take_removes_the_value_like_delete() {
    let p = person("take");
    AGE.set(&p, 1).unwrap();
    assert!(AGE.contains(&p));
    assert_eq!(AGE.take(&p), Some(1));
    assert_eq!(AGE.take(&p), None);
    assert_eq!(AGE.get(&p), None);
}

#[test]
fn equal_owners_share_an_entry_that_belongs_to_its_creator() {
    let (first, twin) = (person("twins"), person("twins"));
    AGE.set(&first, 30).unwrap();
    assert_eq!(AGE.get(&twin), Some(30));
    AGE.set(&twin, 31).unwrap();
    assert_eq!(AGE.get(&first), Some(31));
    // The twin did not create the entry, so releasing it removes nothing.
    assert!(!AGE.release(&twin));
    assert_eq!(AGE.get(&first), Some(31));
    drop(first); // the creator's Drop releases the entry
    assert_eq!(AGE.get(&twin), None);
}

#[test]
fn dropping_the_last_arc_releases_the_entry_and_drops_its_value_at_once() {
    let p = person("released");
    let token = Arc::new(());
    TOKEN.set(&p, token.clone()).unwrap();
    assert_eq!((Arc::strong_count(&token), Arc::weak_count(&p)), (2, 1));
    drop(p); // Person's Drop releases its entries before its memory is freed
    assert_eq!(Arc::strong_count(&token), 1);
    assert_eq!(
        TOKEN.get(&Person {
            name: "released".into()
        }),
        None
    );
}

struct Node {
    label: &'static str,
}

static CHANGES: Mutex<Vec<(Option<u8>, Option<u8>)>> = Mutex::new(Vec::new());

fn record(node: &Arc<Node>, old: Option<&u8>, new: Option<&u8>) {
    assert_eq!(node.label, "observed");
    // Observers run outside every lock: reading the same field here must not deadlock.
    assert_eq!(WEIGHT.get(node).as_ref(), new);
    CHANGES.lock().unwrap().push((old.copied(), new.copied()));
}

static WEIGHT: Descriptor<Node, u8> =
    Descriptor::by_identity("Node", "weight", Rules::new().on_change(record));
static ID: Descriptor<Node, u64> = Descriptor::by_identity("Node", "id", Rules::new().once());

#[test]
fn identity_keys_keep_equal_owners_apart() {
    let (a, b) = (
        Arc::new(Node { label: "same" }),
        Arc::new(Node { label: "same" }),
    );
    ID.set(&a, 1).unwrap();
    assert_eq!(ID.get(&b), None);
    ID.set(&b, 2).unwrap();
    assert_eq!((ID.get(&a), ID.get(&b)), (Some(1), Some(2)));
    assert!(ID.release(&a));
    assert!(!ID.release(&a));
    assert_eq!(ID.get(&b), Some(2));
}

#[test]
fn once_keeps_the_first_value() {
    let n = Arc::new(Node { label: "once" });
    ID.set(&n, 7).unwrap();
    let error: ValidationError = ID.set(&n, 8).unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::AlreadySet);
    assert_eq!(ID.get(&n), Some(7));
}

#[test]
fn observer_sees_every_set_and_take_with_old_and_new() {
    let n = Arc::new(Node { label: "observed" });
    WEIGHT.set(&n, 1).unwrap();
    WEIGHT.set(&n, 2).unwrap();
    assert_eq!(WEIGHT.take(&n), Some(2));
    assert_eq!(WEIGHT.take(&n), None);
    assert_eq!(
        *CHANGES.lock().unwrap(),
        [(None, Some(1)), (Some(1), Some(2)), (Some(2), None)]
    );
}

#[test]
fn purge_sweeps_owners_that_died_unreleased() {
    static LABEL: Descriptor<Node, String> = Descriptor::by_identity("Node", "label", Rules::new());
    let keep = Arc::new(Node { label: "keep" });
    LABEL.set(&keep, "kept".into()).unwrap();
    for _ in 0..3 {
        LABEL
            .set(&Arc::new(Node { label: "gone" }), "lost".into())
            .unwrap();
    }
    assert_eq!(LABEL.len(), 1);
    assert_eq!(LABEL.purge(), 3);
    assert_eq!(LABEL.purge(), 0);
    assert_eq!(LABEL.get(&keep).as_deref(), Some("kept"));
    assert_eq!(LABEL.name(), "label");
    assert!(!LABEL.is_empty());
}

#[test]
fn with_lends_what_get_returns_in_both_key_modes() {
    static BY_ID: Descriptor<Person, u8> = Descriptor::by_identity("Person", "by_id", Rules::new());
    let (p, twin) = (person("with"), person("with"));
    AGE.set(&p, 42).unwrap();
    assert_eq!(AGE.with(&twin, |age| age.copied()), AGE.get(&twin));
    assert_eq!(AGE.with(&p, |age| age.copied()), Some(42));
    // An equal owner that is not in an `Arc` finds the entry too, as a dictionary lookup does.
    let probe = Person {
        name: "with".into(),
    };
    assert_eq!(AGE.with(&probe, |age| age.copied()), Some(42));
    BY_ID.set(&p, 7).unwrap();
    assert_eq!(BY_ID.with(&p, |id| id.copied()), Some(7));
    assert_eq!(BY_ID.with(&twin, |id| id.copied()), None);
}
