//! Derived code must not trip any lint a strict user crate denies, the nursery group included:
//! every option, every kind of owner (value- and identity-keyed, generic, `rc`, without a values
//! struct, with a manual `Drop`), fields of kinds and fields attached to foreign types, the values
//! struct and its `snapshot`/`load` are used here under `deny(warnings, clippy::all,
//! clippy::pedantic, clippy::nursery)` (`derive_partial_eq_without_eq` on a values struct,
//! `use_self`, `missing_const_for_fn`, ...). CI runs clippy on all targets with `-D warnings`,
//! with and without `--all-features` (the `serde` owner and `pattern` need theirs); this file's
//! `deny` makes the same lints errors in any clippy run, with that flag or without it.
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

const fn strict_log(_owner: &Arc<Strict>, _old: Option<&String>, _new: Option<&String>) {}

fn summary(owner: &Arc<Strict>) -> String {
    format!("{}: {}", owner.id, owner.percent())
}

/// A public owner with public fields: its accessors are public API and must be documented.
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Strict {
    id: u64,
    /// Percentage.
    #[descriptor(range(min = 0, max = 100), default = 50)]
    pub percent: Field<u8>,
    #[descriptor(length(min = 1, max = 40))]
    #[descriptor(validate = not_blank, coerce = trim_end, on_change = strict_log)]
    pub label: Field<String>,
    #[descriptor(once)]
    pub created: Field<u64>,
    #[descriptor(default = Vec::new(), non_empty)]
    pub(crate) tags: Field<Vec<String>>,
    #[descriptor(one_of = ["low", "high"])]
    pub level: Field<String>,
    /// Computed on first read.
    #[descriptor(lazy = summary, length(max = 80))]
    pub summary: Field<String>,
    // Private, with accessors nobody calls: no dead-code warning either.
    hidden: Field<bool>,
    r#type: Field<char>,
}

const fn account_log(_owner: &Arc<Account>, _old: Option<&u8>, _new: Option<&u8>) {}

fn initials(owner: &Arc<Account>) -> String {
    owner.id.to_string()
}

/// Every option on a value-keyed owner, with a values struct whose fields are all `Eq`.
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Account {
    id: u64,
    /// A percentage.
    #[descriptor(range(min = 0, max = 100), on_change = account_log)]
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

#[derive(Descriptors)]
#[descriptors(key = identity, crate = weakprop, manual_drop, values = ManualState)]
struct Manual {
    #[descriptor(range(min = 1.5, max = 2.5))]
    ratio: Field<f64>,
}

impl Drop for Manual {
    fn drop(&mut self) {
        Descriptors::release(self);
    }
}

/// Without a values struct.
#[derive(Descriptors)]
#[descriptors(key = identity, no_values)]
pub struct Opaque {
    /// Anything at all.
    pub handle: Field<Arc<dyn Fn() + Send + Sync>>,
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

/// A value type with no derives at all, in a values struct that then has no `Debug`, `Clone`
/// or `PartialEq` either.
pub struct Texture(pub Vec<u8>);

/// A generic owner with a bound written, a const parameter and a field holding a parameter.
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Generic<K: Ord + MinValue, V, const N: usize>
where
    V: Clone,
{
    key: K,
    extra: [V; N],
    /// The parameter itself.
    #[descriptor(range(min = K::min_value()))]
    pub value: Field<K>,
    /// A type of its own.
    pub texture: Field<Texture>,
}

/// What `range` needs of a generic value type, and a minimum of its own.
pub trait MinValue: PartialOrd + std::fmt::Debug {
    /// The smallest value.
    fn min_value() -> Self;
}

impl MinValue for u16 {
    fn min_value() -> Self {
        1
    }
}

/// Generic, keyed by identity, without bounds written.
#[derive(Descriptors)]
#[descriptors(key = identity)]
pub struct Slot<T> {
    /// The parameter itself.
    pub value: Field<T>,
}

/// Kept in an `Rc`, with a value type that is not `Send`, generic.
#[derive(Descriptors)]
#[descriptors(rc, key = identity)]
pub struct Local<T: 'static> {
    /// A shared, single-threaded value.
    #[descriptor(non_empty)]
    pub items: Field<Rc<Vec<T>>>,
    /// Plain.
    pub count: Field<std::cell::Cell<u32>>,
}

/// Kept in an `Rc`, not generic.
#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(rc)]
pub struct Scene {
    name: String,
    /// Computed.
    #[descriptor(lazy = scene_title)]
    pub title: Field<String>,
}

fn scene_title(scene: &Rc<Scene>) -> String {
    scene.name.to_uppercase()
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

/// Opted in to `serde`.
#[cfg(feature = "serde")]
#[derive(Descriptors)]
#[descriptors(key = identity, serde)]
pub struct Serialized {
    /// A name.
    pub name: Field<String>,
}

/// A pattern, with the `regex` feature.
#[cfg(feature = "regex")]
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Patterned {
    id: u8,
    /// A stock-keeping unit.
    #[descriptor(pattern = "^[A-Z]{3}-[0-9]{4}$", non_empty)]
    pub sku: Field<String>,
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

#[test]
fn strict_owner_compiles_without_warnings() {
    let strict = Arc::new(Strict {
        id: 1,
        percent: Field::new(),
        label: Field::new(),
        created: Field::new(),
        tags: Field::new(),
        level: Field::new(),
        summary: Field::new(),
        hidden: Field::new(),
        r#type: Field::new(),
    });
    assert_eq!(strict.percent(), 50);
    assert_eq!(strict.summary(), "1: 50");
    assert_eq!(strict.with_summary(String::len), 5);
    strict.set_label(" x ".to_owned()).unwrap();
    assert_eq!(strict.label().as_deref(), Some(" x"));
    strict.set_created(7).unwrap();
    assert!(strict.tags().is_empty());
    strict.set_type('t').unwrap();
    assert_eq!(strict.r#type(), Some('t'));
    strict.set_level("high".to_owned()).unwrap();
    assert_eq!(Strict::fields().len(), 8);

    let values = strict.snapshot();
    assert_eq!(values.created, Some(7));
    let copy = Arc::new(Strict {
        id: 2,
        percent: Field::new(),
        label: Field::new(),
        created: Field::new(),
        tags: Field::new(),
        level: Field::new(),
        summary: Field::new(),
        hidden: Field::new(),
        r#type: Field::new(),
    });
    copy.load(values).unwrap();
    assert_eq!(copy.r#type(), Some('t'));
    assert!(copy.load(StrictValues::default()).is_ok());

    let generic = Arc::new(Generic::<u16, (), 2> {
        key: 1,
        extra: [(); 2],
        value: Field::new(),
        texture: Field::new(),
    });
    generic.set_value(3).unwrap();
    assert!(generic.set_value(0).is_err());
    generic.set_texture(Texture(vec![1])).unwrap();
    assert_eq!(
        generic.with_texture(|texture| texture.map(|t| t.0.len())),
        Some(1)
    );
    assert_eq!(generic.value(), Some(3));
    generic.load(GenericValues::default()).unwrap();
    assert!(generic.key == 1 && generic.extra.len() == 2);

    #[cfg(feature = "serde")]
    {
        let serialized = Arc::new(Serialized { name: Field::new() });
        serialized.set_name("x".to_owned()).unwrap();
        assert_eq!(serialized.snapshot().name.as_deref(), Some("x"));
    }

    let local = Rc::new(Local::<u8> {
        items: Field::new(),
        count: Field::new(),
    });
    local.set_items(Rc::new(vec![1])).unwrap();
    local.set_count(std::cell::Cell::new(2)).unwrap();
    local.hold_notifications(|| local.with_count(|count| count.map(std::cell::Cell::get)));
    assert_eq!(local.snapshot().items.map(|items| items.len()), Some(1));
    let scene = Rc::new(Scene {
        name: "intro".to_owned(),
        title: Field::new(),
    });
    assert_eq!(scene.title(), "INTRO");

    let opaque = Arc::new(Opaque {
        handle: Field::new(),
    });
    opaque.set_handle(Arc::new(|| {})).unwrap();

    let manual = Arc::new(Manual {
        ratio: Field::new(),
    });
    manual.set_ratio(2.0).unwrap();
    assert_eq!(manual.ratio(), Some(2.0));
    let state: ManualState = manual.snapshot();
    manual.load(state).unwrap();

    #[cfg(feature = "regex")]
    {
        let patterned = Arc::new(Patterned {
            id: 1,
            sku: Field::new(),
        });
        patterned.set_sku("ABC-1234".to_owned()).unwrap();
        assert!(patterned.load(patterned.snapshot()).is_ok());
    }
}

const fn eq<T: Eq>() {}

#[test]
fn account_slot_widget_and_handle_compile_without_warnings() {
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
    let local = Rc::new(LocalGauge {
        level: Field::new(),
    });
    assert!(local.set_level(51).is_err());
}

/// Types of "another crate", for fields attached with `extend`.
pub mod other {
    /// Neither `Hash` nor `Eq`.
    pub struct Conn {
        /// Its peer.
        pub peer: String,
    }

    /// Hashable.
    #[derive(Hash, PartialEq, Eq)]
    pub struct Host(pub String);

    /// Generic, with a const parameter, and single-threaded.
    pub struct Cells<T, const N: usize>(pub [std::cell::Cell<T>; N]);
}

fn conn_greeting(conn: &Arc<other::Conn>) -> String {
    format!("hello {}", conn.peer)
}

const fn conn_log(_conn: &Arc<other::Conn>, _old: Option<&u32>, _new: Option<&u32>) {}

/// Every kind of option on fields attached to a type of another crate: a public list with a
/// private field (its accessors are the trait's), a raw name, a kind and a lazy field.
#[derive(Descriptors)]
#[descriptors(extend = other::Conn, values = ConnState)]
pub struct ConnFields {
    /// Retries.
    #[descriptor(range(max = 10), on_change = conn_log)]
    pub retries: Field<u32>,
    /// Computed.
    #[descriptor(lazy = conn_greeting, length(max = 80))]
    pub greeting: Field<String>,
    #[descriptor(default = 50)]
    level: Field<u8, Percent>,
    #[descriptor(once)]
    r#type: Field<char>,
    /// Not `Clone`.
    pub texture: Field<Texture>,
}

/// Keyed by value, with the keyed hash.
#[derive(Descriptors)]
#[descriptors(extend = other::Host, key = value, hash = keyed, no_values)]
pub struct HostFields {
    /// Hits.
    #[descriptor(default = 0)]
    pub hits: Field<u64>,
}

/// Generic, on a generic type in an `Rc`, with a bound and a const parameter.
#[derive(Descriptors)]
#[descriptors(extend = other::Cells<T, N>, rc)]
pub struct CellFields<T: Copy + 'static, const N: usize> {
    /// The parameter.
    pub last: Field<T>,
    /// An array.
    #[descriptor(non_empty)]
    pub history: Field<[u8; N]>,
}

/// Stands in for a type of another crate, named without a path.
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
    let conn = Arc::new(other::Conn { peer: "a".into() });
    conn.set_retries(1).unwrap();
    assert_eq!(conn.greeting(), "hello a");
    assert_eq!(conn.level(), 50);
    conn.set_type('t').unwrap();
    assert!(conn.load(conn.snapshot_or_default()).is_ok());
    conn.set_texture(Texture(vec![1])).unwrap();
    assert_eq!(conn.with_texture(|t| t.map(|t| t.0.len())), Some(1));
    assert_eq!(ConnFields::fields().len(), 5);
    let host = Arc::new(other::Host("h".into()));
    host.set_hits(host.hits() + 1).unwrap();
    assert_eq!(HostFields::hits_descriptor().len(), 1);
    let cell = Rc::new(other::Cells([
        std::cell::Cell::new(1_u8),
        std::cell::Cell::new(2),
    ]));
    cell.set_last(cell.0[0].get()).unwrap();
    cell.hold_notifications(|| cell.set_history([1, 2]).unwrap());
    assert_eq!(cell.history(), Some([1, 2]));
    assert_eq!(CellFields::<u8, 2>::history_descriptor().len(), 1);

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

/// A snapshot of what `ConnFields` can snapshot: `texture` is not `Clone`.
trait SnapshotOrDefault {
    fn snapshot_or_default(&self) -> ConnState;
}

impl SnapshotOrDefault for Arc<other::Conn> {
    fn snapshot_or_default(&self) -> ConnState {
        ConnState {
            retries: self.retries(),
            ..ConnState::default()
        }
    }
}
