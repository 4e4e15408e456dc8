//! Every option, every key mode and every way of naming the crate compiles, for owners and kinds.
extern crate weakprop as renamed;

use std::sync::Arc;

use weakprop::{Descriptors, Field, Kind};

fn non_zero(value: &u32) -> Result<(), String> {
    if *value == 0 {
        Err("must not be zero".into())
    } else {
        Ok(())
    }
}

fn clamp(value: u32) -> u32 {
    value.min(1_000)
}

fn log(_owner: &Arc<ByValue>, old: Option<&u32>, new: Option<&u32>) {
    println!("{old:?} -> {new:?}");
}

#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(key = value, hash = keyed)]
struct ByValue {
    id: u32,
    #[descriptor(range(min = 1, max = 100), validate = non_zero, coerce = clamp, on_change = log)]
    a: Field<u32>,
    #[descriptor(length(min = 1), default = String::from("x"), non_empty)]
    #[descriptor(one_of = ["x", "y"])]
    b: Field<String>,
    #[descriptor(once)]
    #[descriptor]
    c: weakprop::Field<Vec<u8>>,
}

#[derive(Descriptors)]
#[descriptors(key = identity, crate = renamed, values = RatioValues)]
#[descriptors(manual_drop)]
struct ByIdentity {
    #[descriptor(range(max = 1.0), validate = "check_ratio")]
    ratio: renamed::Field<f64>,
}

fn check_ratio(_: &f64) -> Result<(), String> {
    Ok(())
}

#[derive(Descriptors)]
#[descriptors(key = identity, crate = "::weakprop", no_values)]
pub struct Public {
    pub r#type: Field<char>,
}

/// A kind, through the renamed crate.
#[derive(renamed::Kind)]
#[kind(u32, range(max = 100), crate = renamed)]
pub struct Capped;

/// Every rule option and `extends`, through a path.
#[derive(Kind)]
#[kind(u32, extends = self::Capped, validate = non_zero, coerce = clamp, one_of = [1, 2, 3], crate = "::weakprop")]
pub struct Small;

#[derive(Descriptors)]
#[descriptors(key = identity, no_values)]
pub struct Kinds {
    pub capped: renamed::Field<u32, Capped>,
    #[descriptor(range(min = 1), default = 1, once)]
    pub small: Field<u32, Small>,
}

fn main() {
    let k = Arc::new(Kinds {
        capped: Field::new(),
        small: Field::new(),
    });
    k.set_capped(100).unwrap();
    k.set_small(2).unwrap();
    assert_eq!(Kinds::fields()[1].rules.len(), 5);

    let a = Arc::new(ByValue {
        id: 1,
        a: Field::new(),
        b: Field::new(),
        c: Field::new(),
    });
    a.set_a(5).unwrap();
    assert_eq!(a.snapshot().a, Some(5));
    assert_eq!(a.b(), "x");
    let b = Arc::new(ByIdentity {
        ratio: Field::new(),
    });
    b.set_ratio(0.5).unwrap();
    b.load(RatioValues { ratio: Some(0.25) }).unwrap();
    b.release();
    let p = Arc::new(Public {
        r#type: Field::new(),
    });
    p.set_type('x').unwrap();
    assert_eq!(p.take_type(), Some('x'));
}
