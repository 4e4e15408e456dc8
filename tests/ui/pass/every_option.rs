//! Every option, every key mode and every way of naming the crate compiles.
extern crate weakprop as renamed;

use std::sync::Arc;

use weakprop::{Descriptors, Field};

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

fn main() {
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
