//! The seed lecture, *Strong and weak references*, told in Rust, step by step.
//!
//! Each step names the part of the lecture it retells and prints what happens, with where each
//! count comes from. Run it with `cargo run --example person`.

use std::sync::{Arc, Weak};

use weakprop::{Descriptors, Field, WeakKeyMap};

/// The lecture's final `Person`: equal and hashed by name, and now with descriptor fields.
#[derive(Descriptors, Debug, Hash, PartialEq, Eq)]
struct Person {
    /// The identity: `Hash + Eq` look only at the name (the markers below compare equal).
    name: String,
    #[descriptor(range(min = 0, max = 150))]
    age: Field<u32>,
    #[descriptor(length(min = 1, max = 40), coerce = trimmed, default = String::from("n/a"))]
    nickname: Field<String>,
}

fn trimmed(nickname: String) -> String {
    nickname.trim().to_owned()
}

impl Person {
    fn new(name: &str) -> Arc<Self> {
        Arc::new(Self {
            name: name.to_owned(),
            age: Field::new(),
            nickname: Field::new(),
        })
    }

    /// An ordinary `&self` method: descriptors are read through any reference to the owner.
    fn describe(&self) -> String {
        match self.age() {
            Some(age) => format!("{} ({}), {age}", self.name, self.nickname()),
            None => format!("{} ({})", self.name, self.nickname()),
        }
    }
}

/// The same owner keyed by identity: Python's `id(instance)`, from the lecture that follows.
#[derive(Descriptors, Debug, Hash, PartialEq, Eq)]
#[descriptors(key = identity)]
struct Account {
    name: String,
    #[descriptor(range(min = 0))]
    balance: Field<i64>,
}

/// The compiler's answer to the lecture's unhashable `Person`, quoted from the first error of
/// `tests/ui/owner_not_hashable.stderr` as it reads in a user's `src/main.rs`.
const NOT_HASHABLE: &str = "\
error[E0277]: `Person` is not hashable, so it cannot key its descriptor tables by value
 --> src/main.rs:4:8
  |
3 | #[derive(Descriptors, PartialEq)]
  |          ----------- in this derive macro expansion
4 | struct Person {
  |        ^^^^^^ `Person` needs `Hash` and `Eq`
  |
  = help: the trait `Hash` is not implemented for `Person`
  = note: descriptor tables find an owner's values by its `Hash + Eq`, as Python's `WeakKeyDictionary` does
  = note: derive them on the fields that make up the owner's identity: `#[derive(Hash, PartialEq, Eq)]`
  = note: or key by the `Arc` allocation instead, with `#[descriptors(key = identity)]`";

fn step(title: &str) {
    println!("\n== {title}");
}

/// Prints `text` as a quotation, each line behind a `> `.
fn quote(text: &str) {
    for line in text.lines() {
        println!("  > {line}");
    }
}

fn main() -> Result<(), weakprop::ValidationError> {
    step("Strong references: Arc::strong_count is ref_count()");
    let p1 = Person::new("A");
    println!(
        "p1 = Arc::new(Person {{ name: \"A\", .. }})   strong_count = {}",
        Arc::strong_count(&p1)
    );
    let p2 = Arc::clone(&p1);
    println!(
        "p2 = Arc::clone(&p1)                     strong_count = {}",
        Arc::strong_count(&p1)
    );
    drop(p2);
    println!(
        "drop(p2)                                 strong_count = {}",
        Arc::strong_count(&p1)
    );

    step("Weak references: a Weak does not count as an owner");
    let weak1: Weak<Person> = Arc::downgrade(&p1);
    println!(
        "weak1 = Arc::downgrade(&p1)              strong_count = {}, weak_count = {} (weak1)",
        Arc::strong_count(&p1),
        Arc::weak_count(&p1)
    );
    println!(
        "weak1.upgrade()                          = {:?}",
        weak1.upgrade().map(|p| p.name.clone())
    );
    drop(p1);
    println!(
        "drop(p1)                                 weak1.upgrade() = {:?} (dead)",
        weak1.upgrade()
    );

    step("Not everything can be weakly referenced");
    println!(
        "Python: weakref.ref([1, 2, 3]) -> TypeError: cannot create weak reference to 'list' object"
    );
    println!("Rust:   anything in an Arc can be: Arc::downgrade(&Arc::new(vec![1, 2, 3])) works.");
    println!(
        "        What a weak-keyed table refuses is a key that is not in an Arc, and it refuses it"
    );
    println!(
        "        at compile time: WeakKeyMap::insert takes `&Arc<K>`, so `map.insert(&\"python\", ..)`"
    );
    println!(
        "        is error[E0308]: expected `&Arc<_>`, found `&&str`. Put the key in an Arc first."
    );

    step("WeakKeyDictionary is WeakKeyMap");
    let d = WeakKeyMap::new();
    let p1 = Person::new("A");
    println!(
        "before insert: strong_count = {}, weak_count = {}",
        Arc::strong_count(&p1),
        Arc::weak_count(&p1)
    );
    d.insert(&p1, "A");
    println!(
        "d.insert(&p1, \"A\"): strong_count = {}, weak_count = {} (the map's entry holds the Weak)",
        Arc::strong_count(&p1),
        Arc::weak_count(&p1)
    );
    println!(
        "d.keys() (keyrefs)  = {:?}",
        d.keys().iter().map(|k| k.name.as_str()).collect::<Vec<_>>()
    );
    drop(p1);
    println!(
        "drop(p1); d.keys()  = {:?}, d.len() = {}",
        d.keys(),
        d.len()
    );

    step("Hashability: Python refuses at run time, Rust at compile time");
    println!("Python: d[p1] = 'Guido' -> TypeError: unhashable type: 'Person'");
    println!(
        "Rust: #[derive(Descriptors, PartialEq)] struct Person {{ name: String, age: Field<u32> }}"
    );
    println!("      does not compile; the compiler says (quoted):");
    quote(NOT_HASHABLE);
    println!(
        "Fix: #[derive(Hash, PartialEq, Eq)] on the owner, or #[descriptors(key = identity)]."
    );

    step("Equal keys share one entry");
    let (guido, twin) = (Person::new("Guido"), Person::new("Guido"));
    println!(
        "guido == twin: {}, distinct allocations: {}",
        guido == twin,
        !Arc::ptr_eq(&guido, &twin)
    );
    d.insert(&guido, "Guido");
    d.insert(&twin, "Guido again");
    println!(
        "d.insert(&guido, ..); d.insert(&twin, ..): d.len() = {}",
        d.len()
    );
    println!(
        "the entry kept its first key: {}",
        Arc::ptr_eq(&d.keys()[0], &guido)
    );

    step("Descriptors: validated fields whose values live in a weak-keyed side table");
    println!(
        "size_of::<Field<u32>>() = {} bytes: Person stores no age",
        size_of::<Field<u32>>()
    );
    let before = (Arc::strong_count(&guido), Arc::weak_count(&guido));
    println!(
        "before: strong_count = {} (guido), weak_count = {} (the map d, which still holds guido as a key)",
        before.0, before.1
    );
    guido.set_age(68)?;
    guido.set_nickname("  BDFL  ".into())?;
    println!("guido.set_age(68); guido.set_nickname(\"  BDFL  \") (coerced: trimmed)");
    println!(
        "guido.age() = {:?}, guido.nickname() = {:?}, guido.describe() = {:?}",
        guido.age(),
        guido.nickname(),
        guido.describe()
    );
    println!(
        "after:  strong_count = {} (a descriptor write never raises it), weak_count = {} (the map d, \
         and one Weak per table entry: age, nickname)",
        Arc::strong_count(&guido),
        Arc::weak_count(&guido)
    );
    println!(
        "twin.age() = {:?}: equal owners share the entry",
        twin.age()
    );
    if let Err(error) = guido.set_age(200) {
        println!("guido.set_age(200) -> Err: {error}");
    }
    println!("guido.age() is still {:?}", guido.age());
    println!(
        "fresh Person: nickname() = {:?} (the default, not stored)",
        Person::new("Tim").nickname()
    );
    for field in Person::fields() {
        println!(
            "  field {:<9} {:<7} rules: {:?}",
            field.name, field.type_name, field.rules
        );
    }

    step("Keyed by identity: equal owners stay apart");
    let (alice, alias) = (
        Arc::new(Account {
            name: "alice".into(),
            balance: Field::new(),
        }),
        Arc::new(Account {
            name: "alice".into(),
            balance: Field::new(),
        }),
    );
    alice.set_balance(100)?;
    println!(
        "alice == alias: {}; alice.balance() = {:?}, alias.balance() = {:?}",
        alice == alias,
        alice.balance(),
        alias.balance()
    );

    step("The last Arc drops: the entry goes with it, at once (no sweep)");
    let table = Person::age_descriptor();
    println!(
        "Person::age_descriptor().len() = {} while guido lives",
        table.len()
    );
    drop(twin); // shares guido's entry but did not create it: nothing to release
    println!("drop(twin):  len() = {}", table.len());
    drop(guido);
    println!("drop(guido): len() = {}", table.len());
    println!(
        "guido's entries took their values with them; the map d's dead key is never observed \
         (d.len() = {}), and the map frees it at its next sweep.",
        d.len()
    );
    Ok(())
}
