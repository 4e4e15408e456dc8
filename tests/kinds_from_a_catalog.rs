//! Kinds from another crate: `tests/kinds/catalog` defines them (derived and by hand), this
//! crate's owners use them, extend them and add options of their own.

use std::rc::Rc;
use std::sync::Arc;

use kinds_catalog::{DisplayName, Email, EvenPercent, Percent, Port};
use weakprop::{Descriptors, ErrorKind, Field, Kind};

fn multiple_of_ten(value: &u8) -> Result<(), String> {
    if value.is_multiple_of(10) {
        Ok(())
    } else {
        Err(format!("{value} is not a multiple of ten"))
    }
}

/// A kind of this crate that extends one of the catalog's.
#[derive(Kind)]
#[kind(u8, extends = kinds_catalog::EvenPercent, validate = multiple_of_ten)]
pub struct Step;

#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Service {
    name: &'static str,
    pub port: Field<u16, Port>,
    pub owner: Field<String, DisplayName>,
    #[descriptor(length(max = 20))]
    pub contact: Field<String, Email>,
    #[descriptor(default = 50)]
    pub cpu: Field<u8, kinds_catalog::Percent>,
    pub step: Field<u8, Step>,
}

fn service() -> Arc<Service> {
    Arc::new(Service {
        name: "api",
        port: Field::new(),
        owner: Field::new(),
        contact: Field::new(),
        cpu: Field::new(),
        step: Field::new(),
    })
}

#[test]
fn a_catalogs_kinds_check_this_crates_fields() {
    let s = service();
    s.set_port(8080).unwrap();
    assert_eq!(
        s.set_port(80).unwrap_err().to_string(),
        "Service.port: 80 is a privileged port"
    );
    s.set_owner("  Ada  ".into()).unwrap();
    assert_eq!(s.owner().as_deref(), Some("Ada"));
    assert!(matches!(
        s.set_owner(" ".into()).unwrap_err().kind(),
        ErrorKind::TooShort { length: 0, min: 1 }
    ));
    assert_eq!(s.cpu(), 50);
    assert_eq!(
        s.set_cpu(101).unwrap_err().to_string(),
        "Service.cpu: 101 is above the maximum 100"
    );
    assert_eq!(s.name, "api");
}

#[test]
fn a_catalog_kind_that_extends_another_runs_both_then_the_fields_own() {
    let s = service();
    s.set_contact("  Ada@Example.ORG ".into()).unwrap();
    assert_eq!(s.contact().as_deref(), Some("ada@example.org"));
    assert_eq!(
        s.set_contact("nobody".into()).unwrap_err().to_string(),
        r#"Service.contact: "nobody" has no `@`"#
    );
    assert_eq!(
        s.set_contact("someone@a-long-domain.org".into())
            .unwrap_err()
            .to_string(),
        "Service.contact: length 25 is above the maximum length 20"
    );
}

#[test]
fn a_kind_of_this_crate_extends_a_catalogs_chain() {
    let s = service();
    s.set_step(40).unwrap();
    assert!(matches!(
        s.set_step(110).unwrap_err().kind(),
        ErrorKind::AboveMaximum { .. }
    ));
    assert_eq!(
        s.set_step(41).unwrap_err().to_string(),
        "Service.step: 41 is odd"
    );
    assert_eq!(
        s.set_step(42).unwrap_err().to_string(),
        "Service.step: 42 is not a multiple of ten"
    );
}

#[test]
fn field_info_lists_a_catalogs_rules() {
    let rules: Vec<&[&str]> = Service::fields().iter().map(|field| field.rules).collect();
    assert_eq!(
        rules,
        [
            &["kind Port"][..],
            &["kind DisplayName: length(min = 1, max = 40), coerce = trimmed"][..],
            &[
                "kind DisplayName: length(min = 1, max = 40), coerce = trimmed",
                "kind Email: validate = has_at, coerce = lowercase",
                "length(max = 20)"
            ][..],
            &["kind Percent: range(max = 100)", "default = 50"][..],
            &[
                "kind Percent: range(max = 100)",
                "kind EvenPercent: validate = even",
                "kind Step: validate = multiple_of_ten"
            ][..],
        ]
    );
}

#[test]
fn load_enforces_a_catalogs_rules() {
    let s = service();
    let errors = s
        .load(ServiceValues {
            port: Some(22),
            cpu: Some(120),
            ..ServiceValues::default()
        })
        .unwrap_err();
    assert_eq!(errors.len(), 2);
    assert_eq!(s.snapshot(), ServiceValues::default());
}

/// A generic owner and an `rc` owner, with the catalog's kinds.
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Tagged<K> {
    key: K,
    pub level: Field<u8, EvenPercent>,
}

#[derive(Descriptors)]
#[descriptors(rc, key = identity)]
pub struct Panel {
    #[descriptor(range(min = 10))]
    pub opacity: Field<u8, Percent>,
}

#[test]
fn a_catalogs_kinds_work_on_generic_and_rc_owners() {
    let tagged = Arc::new(Tagged {
        key: 'k',
        level: Field::new(),
    });
    tagged.set_level(2).unwrap();
    assert!(tagged.set_level(3).is_err());
    assert_eq!(tagged.key, 'k');
    let panel = Rc::new(Panel {
        opacity: Field::new(),
    });
    panel.set_opacity(10).unwrap();
    assert_eq!(
        panel.set_opacity(9).unwrap_err().to_string(),
        "Panel.opacity: 9 is below the minimum 10"
    );
    assert!(panel.set_opacity(101).is_err());
    assert_eq!(
        Panel::fields()[0].rules,
        ["kind Percent: range(max = 100)", "range(min = 10)"]
    );
}
