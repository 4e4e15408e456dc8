//! A crate of kinds: the rules a team writes once and every service's owners put on their
//! fields, as `Field<u8, Percent>`. The `weakprop` package's `tests/kinds_from_a_catalog.rs`
//! uses them from another crate.

use weakprop::Kind;

/// A percentage: at most 100.
#[derive(Kind)]
#[kind(u8, range(max = 100))]
pub struct Percent;

/// An even percentage: `Percent`'s rules, then its own.
#[derive(Kind)]
#[kind(u8, extends = Percent, validate = even)]
pub struct EvenPercent;

/// A name shown to people: trimmed, one to forty characters.
#[derive(Kind)]
#[kind(String, coerce = trimmed, length(min = 1, max = 40))]
pub struct DisplayName;

/// An e-mail address: trimmed and lowercased, with an `@`.
#[derive(Kind)]
#[kind(String, extends = DisplayName, coerce = lowercase, validate = has_at)]
pub struct Email;

/// A port a service may bind without privileges: a kind written by hand.
pub struct Port;

impl Kind<u16> for Port {
    const NAME: &'static str = "Port";
    const COERCES: bool = false;

    fn check(value: &u16) -> Result<(), String> {
        if *value >= 1024 {
            Ok(())
        } else {
            Err(format!("{value} is a privileged port"))
        }
    }
}

fn even(value: &u8) -> Result<(), String> {
    if value.is_multiple_of(2) {
        Ok(())
    } else {
        Err(format!("{value} is odd"))
    }
}

fn trimmed(value: String) -> String {
    value.trim().to_owned()
}

fn lowercase(value: String) -> String {
    value.to_lowercase()
}

fn has_at(value: &str) -> Result<(), String> {
    if value.contains('@') {
        Ok(())
    } else {
        Err(format!("{value:?} has no `@`"))
    }
}
