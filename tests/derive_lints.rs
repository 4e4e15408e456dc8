//! Derived code must not trip any lint a strict user crate denies: every option, the values
//! struct and its `snapshot`/`load` are used here under `deny(warnings, clippy::all,
//! clippy::pedantic)`, and CI runs clippy on all targets (`pattern` with the `regex` feature).
#![deny(warnings, clippy::all, clippy::pedantic)]

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

fn log(_owner: &Arc<Strict>, _old: Option<&String>, _new: Option<&String>) {}

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
    #[descriptor(validate = not_blank, coerce = trim_end, on_change = log)]
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

#[derive(Descriptors)]
#[descriptors(key = identity, crate = weakprop, manual_drop, values = ManualState)]
struct Manual {
    #[descriptor(range(min = 1.5, max = 2.5))]
    ratio: Field<f64>,
}

/// Without a values struct.
#[derive(Descriptors)]
#[descriptors(key = identity, no_values)]
pub struct Opaque {
    /// Anything at all.
    pub handle: Field<Arc<dyn Fn() + Send + Sync>>,
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

/// Kept in an `Rc`, with a value type that is not `Send`, generic.
#[derive(Descriptors)]
#[descriptors(rc, key = identity)]
pub struct Local<T: 'static> {
    /// A shared, single-threaded value.
    #[descriptor(non_empty)]
    pub items: Field<std::rc::Rc<Vec<T>>>,
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

fn scene_title(scene: &std::rc::Rc<Scene>) -> String {
    scene.name.to_uppercase()
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

fn graded_log(_owner: &Arc<Graded>, _old: Option<&u8>, _new: Option<&u8>) {}

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

impl Drop for Manual {
    fn drop(&mut self) {
        Descriptors::release(self);
    }
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

    let local = std::rc::Rc::new(Local::<u8> {
        items: Field::new(),
        count: Field::new(),
    });
    local.set_items(std::rc::Rc::new(vec![1])).unwrap();
    local.set_count(std::cell::Cell::new(2)).unwrap();
    local.hold_notifications(|| local.with_count(|count| count.map(std::cell::Cell::get)));
    assert_eq!(local.snapshot().items.map(|items| items.len()), Some(1));
    let scene = std::rc::Rc::new(Scene {
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

fn conn_log(_conn: &Arc<other::Conn>, _old: Option<&u32>, _new: Option<&u32>) {}

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
    let cell = std::rc::Rc::new(other::Cells([
        std::cell::Cell::new(1_u8),
        std::cell::Cell::new(2),
    ]));
    cell.set_last(cell.0[0].get()).unwrap();
    cell.hold_notifications(|| cell.set_history([1, 2]).unwrap());
    assert_eq!(cell.history(), Some([1, 2]));
    assert_eq!(CellFields::<u8, 2>::history_descriptor().len(), 1);
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
