//! The lecture series' `IntegerField(min, max)`, written once and put on every attribute that
//! holds such a number, and a stricter field that subclasses it: kinds.
//!
//! In Python:
//!
//! ```python
//! class IntegerField:
//!     def __init__(self, min_value, max_value): ...
//!     def __set__(self, instance, value): ...     # validates, then stores in a WeakKeyDictionary
//!
//! class EvenIntegerField(IntegerField):          # the parent's checks first, then its own
//!     def validate(self, value): super().validate(value); ...
//!
//! class Person:
//!     age = IntegerField(0, 150)
//!     shoe_size = EvenIntegerField(30, 50)
//! ```
//!
//! Run it with `cargo run --example kinds`.

use std::sync::Arc;

use weakprop::{Descriptors, Field, Kind};

/// `IntegerField(0, 150)`: an age, written once.
#[derive(Kind)]
#[kind(u32, range(min = 0, max = 150))]
pub struct Age;

/// `IntegerField(30, 50)`.
#[derive(Kind)]
#[kind(u32, range(min = 30, max = 50))]
pub struct ShoeSize;

/// `EvenIntegerField(30, 50)`: `ShoeSize`'s checks, then its own.
#[derive(Kind)]
#[kind(u32, extends = ShoeSize, validate = even)]
pub struct EvenShoeSize;

fn even(value: &u32) -> Result<(), String> {
    if value.is_multiple_of(2) {
        Ok(())
    } else {
        Err(format!("{value} is odd"))
    }
}

/// A name shown to people: trimmed, then one to forty characters. A kind of `String`s, with a
/// coercion.
#[derive(Kind)]
#[kind(String, coerce = trimmed, length(min = 1, max = 40))]
pub struct DisplayName;

fn trimmed(name: String) -> String {
    name.trim().to_owned()
}

/// A rule the options cannot say, written by hand: a name and a check.
pub struct Adult;

impl Kind<u32> for Adult {
    const NAME: &'static str = "Adult";

    fn check(age: &u32) -> Result<(), String> {
        if *age >= 18 {
            Ok(())
        } else {
            Err(format!("{age} is under age"))
        }
    }
}

/// The lecture's `Person`, its attributes of reusable kinds.
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Person {
    name: String,
    pub age: Field<u32, Age>,
    pub shoe_size: Field<u32, EvenShoeSize>,
    /// A field's own options add to its kind's, and run after them.
    #[descriptor(default = String::from("n/a"), length(max = 12))]
    pub nickname: Field<String, DisplayName>,
}

/// Another class, the same kinds: the rules are not repeated.
#[derive(Descriptors, Hash, PartialEq, Eq)]
pub struct Voter {
    id: u64,
    pub age: Field<u32, Adult>,
    pub name: Field<String, DisplayName>,
}

fn step(title: &str) {
    println!("\n== {title}");
}

fn main() -> Result<(), weakprop::ValidationError> {
    step(
        "IntegerField(0, 150), written once: #[derive(Kind)] #[kind(u32, range(min = 0, max = 150))] struct Age",
    );
    let guido = Arc::new(Person {
        name: "Guido".into(),
        age: Field::new(),
        shoe_size: Field::new(),
        nickname: Field::new(),
    });
    guido.set_age(68)?;
    println!("guido.set_age(68); guido.age() = {:?}", guido.age());
    if let Err(error) = guido.set_age(200) {
        println!("guido.set_age(200) -> Err: {error}");
    }

    step("EvenIntegerField(IntegerField): #[kind(u32, extends = ShoeSize, validate = even)]");
    guido.set_shoe_size(44)?;
    println!(
        "guido.set_shoe_size(44); shoe_size() = {:?}",
        guido.shoe_size()
    );
    for (size, why) in [
        (61, "ShoeSize's range runs first"),
        (43, "then its own check"),
    ] {
        if let Err(error) = guido.set_shoe_size(size) {
            println!("guido.set_shoe_size({size}) -> Err: {error}   ({why})");
        }
    }

    step("A field's own options add to its kind's");
    guido.set_nickname("   BDFL   ".into())?;
    println!(
        "guido.set_nickname(\"   BDFL   \"): trimmed by the kind -> {:?}",
        guido.nickname()
    );
    if let Err(error) = guido.set_nickname("Benevolent Dictator".into()) {
        println!("a 19-character nickname -> Err: {error}   (the field's own length)");
    }

    step("Another class, the same kinds; and one written by hand");
    let ada = Arc::new(Voter {
        id: 1,
        age: Field::new(),
        name: Field::new(),
    });
    ada.set_name(" Ada ".into())?;
    if let Err(error) = ada.set_age(17) {
        println!("ada.set_age(17) -> Err: {error}");
    }
    ada.set_age(36)?;
    println!(
        "ada (id {}): name() = {:?}, age() = {:?}",
        ada.id,
        ada.name(),
        ada.age()
    );

    step("FieldInfo names each field's kind and lists its rules, the extends chain first");
    for field in Person::fields().iter().chain(Voter::fields()) {
        println!(
            "  {:<10} {:<7} {:?}",
            field.name, field.type_name, field.rules
        );
    }
    println!(
        "\nA kind is rules, not storage: {}'s nickname and voter {}'s name share the kind \
         DisplayName, and live in two tables (Person::nickname_descriptor().len() = {}, \
         Voter::name_descriptor().len() = {}).",
        guido.name,
        ada.id,
        Person::nickname_descriptor().len(),
        Voter::name_descriptor().len(),
    );
    Ok(())
}
