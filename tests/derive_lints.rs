//! Derived code must not trip any lint a strict user crate denies: every option, the values
//! struct and its `snapshot`/`load` are used here under `deny(warnings, clippy::all,
//! clippy::pedantic)`, and CI runs clippy on all targets (`pattern` with the `regex` feature).
#![deny(warnings, clippy::all, clippy::pedantic)]

use std::sync::Arc;

use weakprop::{Descriptors, Field};

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
