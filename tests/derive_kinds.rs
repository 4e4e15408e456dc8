//! Reusable kinds: `#[derive(Kind)]` and hand-written `Kind<T>`s on `Field<T, K>` fields, whose
//! rules run as the same options written on the field would, before the field's own.

use std::fmt::Debug;
use std::rc::Rc;
use std::sync::Arc;

use weakprop::{Descriptors, ErrorKind, Field, Kind, Plain};

/// A percentage.
#[derive(Kind)]
#[kind(u8, range(max = 100))]
pub struct Percent;

fn even(value: &u8) -> Result<(), String> {
    if value.is_multiple_of(2) {
        Ok(())
    } else {
        Err(format!("{value} is odd"))
    }
}

/// Percent's rules first, then its own.
#[derive(Kind)]
#[kind(u8, extends = Percent, validate = even)]
pub struct EvenPercent;

/// A port a service may bind without privileges: a kind written by hand.
pub struct Port;

impl Kind<u16> for Port {
    const NAME: &'static str = "Port";

    fn check(value: &u16) -> Result<(), String> {
        if *value >= 1024 {
            Ok(())
        } else {
            Err(format!("{value} is a privileged port"))
        }
    }
}

#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Player {
    id: u32,
    pub health: Field<u8, Percent>,
    #[descriptor(default = 50, range(min = 10))]
    pub armor: Field<u8, Percent>,
    pub luck: Field<u8, EvenPercent>,
    pub port: Field<u16, Port>,
}

fn player(id: u32) -> Arc<Player> {
    Arc::new(Player {
        id,
        health: Field::new(),
        armor: Field::new(),
        luck: Field::new(),
        port: Field::new(),
    })
}

#[test]
fn a_kinds_rule_fails_as_the_same_rule_written_on_the_field() {
    let p = player(1);
    p.set_health(100).unwrap();
    let error = p.set_health(101).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Player.health: 101 is above the maximum 100"
    );
    assert_eq!(
        error.kind(),
        &ErrorKind::AboveMaximum {
            value: "101".into(),
            max: "100".into()
        }
    );
    assert_eq!((error.owner(), error.field()), ("Player", "health"));
    assert_eq!(p.health(), Some(100));
}

#[test]
fn a_fields_own_options_add_to_its_kinds() {
    let p = player(2);
    assert_eq!(p.armor(), 50);
    let below = p.set_armor(5).unwrap_err();
    assert_eq!(below.to_string(), "Player.armor: 5 is below the minimum 10");
    let above = p.set_armor(120).unwrap_err();
    assert_eq!(
        above.to_string(),
        "Player.armor: 120 is above the maximum 100"
    );
    p.set_armor(60).unwrap();
    assert_eq!(p.armor(), 60);
}

#[test]
fn an_extended_kinds_rules_run_first() {
    let p = player(3);
    p.set_luck(42).unwrap();
    // 101 is odd too: the extended kind's range is reported, not `even`.
    assert!(matches!(
        p.set_luck(101).unwrap_err().kind(),
        ErrorKind::AboveMaximum { .. }
    ));
    let odd = p.set_luck(41).unwrap_err();
    assert_eq!(odd.kind(), &ErrorKind::Invalid("41 is odd".into()));
    assert_eq!(odd.to_string(), "Player.luck: 41 is odd");
    assert_eq!(p.luck(), Some(42));
}

#[test]
fn a_hand_written_kinds_reason_is_the_errors_text() {
    let p = player(4);
    p.set_port(8080).unwrap();
    let error = p.set_port(80).unwrap_err();
    assert_eq!(error.to_string(), "Player.port: 80 is a privileged port");
    assert_eq!(
        error.kind(),
        &ErrorKind::Invalid("80 is a privileged port".into())
    );
}

#[test]
fn field_info_names_each_kind_of_the_chain_then_the_fields_own_rules() {
    let rules: Vec<(&str, &[&str])> = Player::fields()
        .iter()
        .map(|field| (field.name, field.rules))
        .collect();
    assert_eq!(
        rules,
        [
            ("health", &["kind Percent: range(max = 100)"][..]),
            (
                "armor",
                &[
                    "kind Percent: range(max = 100)",
                    "range(min = 10)",
                    "default = 50"
                ][..]
            ),
            (
                "luck",
                &[
                    "kind Percent: range(max = 100)",
                    "kind EvenPercent: validate = even"
                ][..]
            ),
            ("port", &["kind Port"][..]),
        ]
    );
    let armor = Player::fields()[1];
    assert_eq!((armor.type_name, armor.has_default), ("u8", true));
}

#[test]
fn a_derived_kind_checks_as_its_options_do() {
    assert_eq!(<Percent as Kind<u8>>::NAME, "Percent");
    assert_eq!(<EvenPercent as Kind<u8>>::check(&42), Ok(()));
    assert_eq!(
        <EvenPercent as Kind<u8>>::check(&102),
        Err("102 is above the maximum 100".into())
    );
    assert_eq!(
        <EvenPercent as Kind<u8>>::validate(&7),
        Err(ErrorKind::Invalid("7 is odd".into()))
    );
    const { assert!(!<EvenPercent as Kind<u8>>::COERCES) };
}

fn trimmed(value: String) -> String {
    value.trim().to_owned()
}

fn lowercase(value: String) -> String {
    value.to_lowercase()
}

fn at_most_100(value: u32) -> u32 {
    value.min(100)
}

/// A display name: trimmed, then one to twelve characters.
#[derive(Kind)]
#[kind(String, coerce = trimmed, length(min = 1, max = 12))]
pub struct DisplayName;

/// A display name that is also a handle: lowercase, of a few known prefixes.
#[derive(Kind)]
#[kind(String, extends = DisplayName, coerce = lowercase, non_empty)]
pub struct Handle;

#[derive(Kind)]
#[kind(u32, range(max = 100))]
pub struct Score;

#[derive(Descriptors)]
#[descriptors(key = identity)]
pub struct Account {
    pub name: Field<String, DisplayName>,
    pub handle: Field<String, Handle>,
    #[descriptor(coerce = lowercase, one_of = ["ada", "grace"])]
    pub first: Field<String, DisplayName>,
    #[descriptor(coerce = at_most_100)]
    pub score: Field<u32, Score>,
}

fn account() -> Arc<Account> {
    Arc::new(Account {
        name: Field::new(),
        handle: Field::new(),
        first: Field::new(),
        score: Field::new(),
    })
}

#[test]
fn coercions_run_in_order_and_every_check_sees_the_stored_value() {
    let a = account();
    a.set_name("  Ada Lovelace ".into()).unwrap();
    assert_eq!(a.name().as_deref(), Some("Ada Lovelace"));
    assert_eq!(
        a.set_name("   ".into()).unwrap_err().to_string(),
        "Account.name: length 0 is below the minimum length 1"
    );
    // The extended kind trims, this kind lowercases, then both kinds' checks run.
    a.set_handle("  ADA ".into()).unwrap();
    assert_eq!(a.handle().as_deref(), Some("ada"));
    assert!(matches!(
        a.set_handle(" a very long handle ".into())
            .unwrap_err()
            .kind(),
        ErrorKind::TooLong {
            length: 18,
            max: 12
        }
    ));
    // The kind trims, the field lowercases, and `one_of` sees "grace".
    a.set_first(" Grace ".into()).unwrap();
    assert_eq!(a.first().as_deref(), Some("grace"));
    assert_eq!(
        a.set_first("Linus".into()).unwrap_err().to_string(),
        r#"Account.first: "linus" is not one of "ada", "grace""#
    );
    // The field's coercion comes before the kind's check: 150 is stored as 100.
    a.set_score(150).unwrap();
    assert_eq!(a.score(), Some(100));
}

#[test]
fn a_kind_says_whether_it_coerces() {
    const {
        assert!(<DisplayName as Kind<String>>::COERCES);
        assert!(<Handle as Kind<String>>::COERCES);
        assert!(!<Score as Kind<u32>>::COERCES);
    }
    assert_eq!(<Handle as Kind<String>>::coerce("  MiXed ".into()), "mixed");
    assert_eq!(
        <Handle as Kind<String>>::RULES,
        [
            "kind DisplayName: length(min = 1, max = 12), coerce = trimmed",
            "kind Handle: non_empty, coerce = lowercase"
        ]
    );
}

#[test]
fn load_enforces_a_kinds_rules_with_every_other_fields() {
    let p = player(5);
    let errors = p
        .load(PlayerValues {
            health: Some(101),
            luck: Some(3),
            port: Some(22),
            ..PlayerValues::default()
        })
        .unwrap_err();
    assert_eq!(
        errors.to_string(),
        "Player.health: 101 is above the maximum 100\nPlayer.luck: 3 is odd\nPlayer.port: 22 is a privileged port"
    );
    assert_eq!(p.snapshot(), PlayerValues::default());
    p.load(PlayerValues {
        health: Some(99),
        armor: Some(10),
        luck: Some(2),
        port: Some(1024),
    })
    .unwrap();
    assert_eq!((p.health(), p.armor(), p.luck()), (Some(99), 10, Some(2)));
}

#[test]
fn a_plain_field_is_a_field_of_the_plain_kind() {
    #[derive(Descriptors)]
    #[descriptors(key = identity, no_values)]
    struct Note {
        text: Field<String, Plain>,
        plain: Field<String>,
    }
    let note = Arc::new(Note {
        text: Field::new(),
        plain: Field::new(),
    });
    note.set_text(String::new()).unwrap();
    note.set_plain(String::new()).unwrap();
    assert!(Note::fields().iter().all(|field| field.rules.is_empty()));
    assert_eq!(Field::<u8>::new(), Field::<u8, Plain>::new());
}

#[test]
fn once_and_lazy_fields_take_a_kind_too() {
    fn half(owner: &Arc<Meter>) -> u8 {
        owner.id / 2
    }
    #[derive(Descriptors, Hash, PartialEq, Eq)]
    struct Meter {
        id: u8,
        #[descriptor(once)]
        first: Field<u8, Percent>,
        #[descriptor(lazy = half)]
        level: Field<u8, Percent>,
    }
    let meter = Arc::new(Meter {
        id: 240,
        first: Field::new(),
        level: Field::new(),
    });
    assert!(meter.set_first(200).is_err());
    meter.set_first(20).unwrap();
    assert_eq!(
        meter.set_first(30).unwrap_err().kind(),
        &ErrorKind::AlreadySet
    );
    // Computed values are stored as computed; rules govern writes.
    assert_eq!(meter.level(), 120);
    assert!(meter.set_level(101).is_err());
    meter.set_level(100).unwrap();
    assert_eq!(meter.level(), 100);
    assert_eq!(
        Meter::fields()[1].rules,
        ["kind Percent: range(max = 100)", "lazy = half"]
    );
}

/// A generic owner whose field has a kind that names none of its parameters.
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Keyed<K> {
    key: K,
    pub health: Field<u8, Percent>,
    #[descriptor(range(min = 10))]
    pub armor: Field<u8, EvenPercent>,
}

#[test]
fn kinds_work_on_generic_owners() {
    let by_id = Arc::new(Keyed {
        key: 7_u64,
        health: Field::new(),
        armor: Field::new(),
    });
    let by_name = Arc::new(Keyed {
        key: String::from("seven"),
        health: Field::new(),
        armor: Field::new(),
    });
    by_id.set_health(100).unwrap();
    assert!(by_name.set_health(101).is_err());
    assert_eq!(
        by_id.set_armor(8).unwrap_err().to_string(),
        "Keyed.armor: 8 is below the minimum 10"
    );
    assert!(by_name.set_armor(11).is_err());
    assert_eq!(Keyed::<u64>::health_descriptor().len(), 1);
    assert_eq!(
        Keyed::<String>::fields()[1].rules,
        [
            "kind Percent: range(max = 100)",
            "kind EvenPercent: validate = even",
            "range(min = 10)"
        ]
    );
    assert_eq!(by_id.key + by_name.key.len() as u64, 12);
}

/// A gauge whose rules are a parameter: each instantiation has its kind's. (Keyed by identity:
/// std's `derive(Hash)` would ask `K: Hash` of the kind.)
#[derive(Descriptors)]
#[descriptors(key = identity)]
pub struct Gauge<K> {
    id: u32,
    #[descriptor(default = 0)]
    pub level: Field<u8, K>,
    #[descriptor(range(min = 1))]
    pub peak: Field<u8, Percent>,
}

#[test]
fn a_kind_may_be_a_parameter_of_the_owner() {
    let percent = Arc::new(Gauge::<Percent> {
        id: 1,
        level: Field::new(),
        peak: Field::new(),
    });
    let even = Arc::new(Gauge::<EvenPercent> {
        id: 1,
        level: Field::new(),
        peak: Field::new(),
    });
    percent.set_level(51).unwrap();
    assert_eq!(
        even.set_level(51).unwrap_err().to_string(),
        "Gauge.level: 51 is odd"
    );
    assert!(percent.set_level(101).is_err());
    assert_eq!(
        (percent.level(), even.level(), percent.id),
        (51, 0, even.id)
    );
    assert_eq!(
        Gauge::<Percent>::fields()[0].rules,
        ["kind Percent: range(max = 100)", "default = 0"]
    );
    assert!(even.set_peak(0).is_err());
    assert_eq!(
        Gauge::<EvenPercent>::fields()[1].rules,
        ["kind Percent: range(max = 100)", "range(min = 1)"]
    );
    assert_eq!(
        Gauge::<EvenPercent>::fields()[0].rules,
        [
            "kind Percent: range(max = 100)",
            "kind EvenPercent: validate = even",
            "default = 0"
        ]
    );
}

/// A hand-written kind generic over its values.
pub struct NonNegative;

impl<T: PartialOrd + Default + Debug> Kind<T> for NonNegative {
    const NAME: &'static str = "NonNegative";
    const COERCES: bool = false;

    fn check(value: &T) -> Result<(), String> {
        if *value >= T::default() {
            Ok(())
        } else {
            Err(format!("{value:?} is negative"))
        }
    }
}

#[derive(Descriptors)]
#[descriptors(key = identity)]
pub struct Stat<T: Default> {
    name: &'static str,
    pub value: Field<T, NonNegative>,
    #[descriptor(default = T::default())]
    pub best: Field<T, NonNegative>,
}

#[test]
fn a_generic_kind_checks_each_instantiations_values() {
    let ints = Arc::new(Stat::<i64> {
        name: "ints",
        value: Field::new(),
        best: Field::new(),
    });
    let floats = Arc::new(Stat::<f64> {
        name: "floats",
        value: Field::new(),
        best: Field::new(),
    });
    ints.set_value(3).unwrap();
    assert_eq!(
        ints.set_value(-3).unwrap_err().to_string(),
        "Stat.value: -3 is negative"
    );
    assert_eq!(
        floats.set_best(-0.5).unwrap_err().to_string(),
        "Stat.best: -0.5 is negative"
    );
    assert_eq!((ints.value(), floats.best()), (Some(3), 0.0));
    assert_eq!(Stat::<i64>::fields()[0].rules, ["kind NonNegative"]);
    assert_eq!(
        Stat::<f64>::fields()[1].rules,
        ["kind NonNegative", "default = T::default()"]
    );
    assert_ne!(ints.name, floats.name);
}

#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(rc)]
pub struct Widget {
    id: u32,
    pub opacity: Field<u8, Percent>,
    #[descriptor(default = 80)]
    pub width: Field<u8, EvenPercent>,
}

#[test]
fn kinds_work_on_rc_owners() {
    let widget = Rc::new(Widget {
        id: 1,
        opacity: Field::new(),
        width: Field::new(),
    });
    widget.set_opacity(100).unwrap();
    assert_eq!(
        widget.set_opacity(101).unwrap_err().to_string(),
        "Widget.opacity: 101 is above the maximum 100"
    );
    assert_eq!(widget.width(), 80);
    assert!(widget.set_width(79).is_err());
    assert_eq!(Widget::opacity_descriptor().len(), 1);
    assert_eq!(widget.id, 1);
}

#[cfg(feature = "serde")]
#[test]
fn deserialized_values_load_through_a_kinds_rules() {
    #[derive(Descriptors, Hash, PartialEq, Eq)]
    #[descriptors(serde)]
    struct Saved {
        id: u32,
        health: Field<u8, Percent>,
    }
    let saved = Arc::new(Saved {
        id: 1,
        health: Field::new(),
    });
    let values: SavedValues = serde_json::from_str(r#"{"health": 101}"#).unwrap();
    assert_eq!(
        saved.load(values).unwrap_err().to_string(),
        "Saved.health: 101 is above the maximum 100"
    );
    let values: SavedValues = serde_json::from_str(r#"{"health": 99}"#).unwrap();
    saved.load(values).unwrap();
    assert_eq!((saved.health(), saved.id), (Some(99), 1));
}

#[cfg(feature = "regex")]
#[test]
fn a_kinds_pattern_is_checked_as_a_fields() {
    #[derive(Kind)]
    #[kind(String, pattern = "^[A-Z]{3}-[0-9]{4}$")]
    struct Sku;

    #[derive(Descriptors, Hash, PartialEq, Eq)]
    struct Item {
        id: u32,
        sku: Field<String, Sku>,
    }
    let item = Arc::new(Item {
        id: 1,
        sku: Field::new(),
    });
    item.set_sku("ABC-1234".into()).unwrap();
    assert_eq!(
        item.set_sku("abc".into()).unwrap_err().to_string(),
        r#"Item.sku: "abc" does not match the pattern "^[A-Z]{3}-[0-9]{4}$""#
    );
    assert_eq!(item.id, 1);
}
