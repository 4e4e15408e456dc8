//! Derived code is as quiet under `clippy::nursery` as under `clippy::pedantic`: a crate that
//! denies the nursery group (`derive_partial_eq_without_eq` on a values struct, `use_self`,
//! `missing_const_for_fn`, ...) derives every kind of owner here; CI runs clippy on all targets
//! with `-D warnings`, which this file's `deny` turns into errors.
#![deny(warnings, clippy::all, clippy::pedantic, clippy::nursery)]

use std::rc::Rc;
use std::sync::Arc;

use weakprop::{Descriptors, Field, Kind};

fn not_blank(value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        Err("is blank".to_owned())
    } else {
        Ok(())
    }
}

fn trim_end(mut value: String) -> String {
    value.truncate(value.trim_end().len());
    value
}

const fn log(_owner: &Arc<Account>, _old: Option<&u8>, _new: Option<&u8>) {}

fn initials(owner: &Arc<Account>) -> String {
    owner.id.to_string()
}

/// Every option on a value-keyed owner, with a values struct whose fields are all `Eq`.
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Account {
    id: u64,
    /// A percentage.
    #[descriptor(range(min = 0, max = 100), on_change = log)]
    pub level: Field<u8>,
    /// A name.
    #[descriptor(length(min = 1, max = 40), validate = not_blank, coerce = trim_end)]
    pub name: Field<String>,
    /// Set once.
    #[descriptor(once)]
    pub created: Field<u64>,
    /// With a default.
    #[descriptor(default = Vec::new(), non_empty)]
    pub tags: Field<Vec<String>>,
    /// One of two.
    #[descriptor(one_of = ["low", "high"])]
    pub tier: Field<String>,
    /// Computed.
    #[descriptor(lazy = initials)]
    pub initials: Field<String>,
    /// A float: its values struct is `PartialEq` but not `Eq`.
    pub ratio: Field<f64>,
}

/// Generic, keyed by identity, without bounds written.
#[derive(Descriptors)]
#[descriptors(key = identity)]
pub struct Slot<T> {
    /// The parameter itself.
    pub value: Field<T>,
}

/// An `rc` owner.
#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(rc)]
pub struct Widget {
    id: u32,
    /// A width.
    #[descriptor(range(max = 4096))]
    pub width: Field<u32>,
}

/// Without a values struct, with a manual `Drop`.
#[derive(Descriptors)]
#[descriptors(key = identity, no_values, manual_drop)]
pub struct Handle {
    /// Anything at all.
    pub label: Field<String>,
}

impl Drop for Handle {
    fn drop(&mut self) {
        Descriptors::release(self);
    }
}

/// A percentage.
#[derive(Kind)]
#[kind(u8, range(max = 100))]
pub struct Percent;

/// A few percentages.
#[derive(Kind)]
#[kind(u8, extends = Percent, one_of = [0, 50, 100])]
pub struct EvenPercent;

/// A trimmed label.
#[derive(Kind)]
#[kind(String, coerce = trim_end, length(min = 1, max = 40), non_empty, validate = not_blank)]
pub struct Label;

const fn graded_log(_owner: &Arc<Graded>, _old: Option<&u8>, _new: Option<&u8>) {}

/// Fields of kinds: a kind alone, a kind and options of the field's own, two coercions.
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Graded {
    id: u8,
    /// A kind alone.
    pub health: Field<u8, Percent>,
    /// A kind, then the field's own.
    #[descriptor(range(min = 10), default = 50, on_change = graded_log)]
    pub armor: Field<u8, EvenPercent>,
    /// Two coercions.
    #[descriptor(coerce = trim_end)]
    pub label: Field<String, Label>,
}

/// A generic owner whose kind is a parameter.
#[derive(Descriptors)]
#[descriptors(key = identity)]
pub struct Gauge<K> {
    /// Its kind's rules, then a default.
    #[descriptor(default = 0)]
    pub level: Field<u8, K>,
}

/// An `rc` owner with a field of a kind.
#[derive(Descriptors)]
#[descriptors(rc, key = identity)]
pub struct LocalGauge {
    /// A percentage.
    pub level: Field<u8, EvenPercent>,
}

const fn eq<T: Eq>() {}

#[test]
fn every_owner_compiles_quietly_under_nursery() {
    let account = Arc::new(Account {
        id: 7,
        level: Field::new(),
        name: Field::new(),
        created: Field::new(),
        tags: Field::new(),
        tier: Field::new(),
        initials: Field::new(),
        ratio: Field::new(),
    });
    account.set_level(4).unwrap();
    account.set_name("Ada ".to_owned()).unwrap();
    assert_eq!(account.name().as_deref(), Some("Ada"));
    account.set_created(1).unwrap();
    account.set_tier("high".to_owned()).unwrap();
    assert_eq!(account.initials(), "7");
    assert!(account.tags().is_empty());
    let values = account.snapshot();
    assert_eq!(values.clone(), values);
    account
        .load(AccountValues {
            created: None,
            ..values
        })
        .unwrap();
    assert_eq!(account.take_level(), Some(4));

    // `Eq` whenever every field type is, as `#[derive(PartialEq, Eq)]` would give.
    eq::<SlotValues<u8>>();
    eq::<WidgetValues>();

    let slot = Arc::new(Slot::<u8> {
        value: Field::new(),
    });
    slot.set_value(1).unwrap();
    assert_eq!(slot.snapshot(), SlotValues { value: Some(1) });

    let widget = Rc::new(Widget {
        id: 1,
        width: Field::new(),
    });
    widget.set_width(640).unwrap();
    assert_eq!((widget.id, widget.width()), (1, Some(640)));

    let handle = Arc::new(Handle {
        label: Field::new(),
    });
    handle.set_label("h".to_owned()).unwrap();
    assert_eq!(handle.with_label(|label| label.map(String::len)), Some(1));
}

#[test]
fn fields_of_kinds_compile_without_warnings() {
    let graded = Arc::new(Graded {
        id: 1,
        health: Field::new(),
        armor: Field::new(),
        label: Field::new(),
    });
    graded.set_health(100).unwrap();
    assert!(graded.set_armor(0).is_err());
    graded.set_armor(50).unwrap();
    graded.set_label(" x ".to_owned()).unwrap();
    assert!(graded.set_label("   ".to_owned()).is_err());
    assert_eq!((graded.id, graded.armor()), (1, 50));
    assert_eq!(Graded::fields()[1].rules.len(), 5);
    let gauge = Arc::new(Gauge::<Percent> {
        level: Field::new(),
    });
    gauge.set_level(7).unwrap();
    assert_eq!(Gauge::<EvenPercent>::fields()[0].rules.len(), 3);
    let local = std::rc::Rc::new(LocalGauge {
        level: Field::new(),
    });
    assert!(local.set_level(51).is_err());
}

/// Stands in for a type of another crate.
pub struct Peer {
    /// Its address.
    pub address: String,
}

const fn peer_log(_peer: &Arc<Peer>, _old: Option<&u8>, _new: Option<&u8>) {}

fn peer_label(peer: &Arc<Peer>) -> String {
    peer.address.clone()
}

/// Every option, on fields attached to a type of another crate.
#[derive(Descriptors)]
#[descriptors(extend = Peer)]
pub struct PeerFields {
    /// A percentage.
    #[descriptor(range(max = 100), on_change = peer_log)]
    pub level: Field<u8>,
    /// Computed.
    #[descriptor(lazy = peer_label)]
    pub label: Field<String>,
    /// With a default, a kind of its own and a coercion.
    #[descriptor(default = String::new(), coerce = trim_end)]
    pub name: Field<String, Label>,
    /// Generic-free and `Eq`.
    #[descriptor(once)]
    pub created: Field<u64>,
}

/// Generic, on a generic type in an `Rc`.
#[derive(Descriptors)]
#[descriptors(extend = Vec<T>, rc)]
pub struct VecFields<T: 'static> {
    /// The parameter.
    pub first: Field<T>,
}

#[test]
fn fields_attached_to_foreign_types_compile_without_warnings() {
    let peer = Arc::new(Peer {
        address: "a".to_owned(),
    });
    peer.set_level(1).unwrap();
    assert_eq!(peer.label(), "a");
    assert!(peer.name().is_empty());
    peer.load(PeerFieldsValues {
        created: Some(1),
        ..PeerFieldsValues::default()
    })
    .unwrap();
    assert_eq!(peer.snapshot().created, Some(1));
    let list = Rc::new(vec![1_u8]);
    list.set_first(list[0]).unwrap();
    assert_eq!(list.first(), Some(1));
}
