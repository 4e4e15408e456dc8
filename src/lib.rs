//! Python-style data descriptors for Rust: validated, observable fields whose per-owner values
//! live in thread-safe, weak-keyed side tables.
//!
//! ```
//! use std::sync::Arc;
//! use weakprop::{Descriptors, Field};
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! pub struct Person {
//!     name: String,                            // an ordinary field: the identity (Hash + Eq)
//!     #[descriptor(range(min = 0, max = 150))]
//!     pub age: Field<u32>,                     // zero bytes; the value lives in a side table
//!     #[descriptor(length(min = 1, max = 40), default = String::from("n/a"))]
//!     pub nickname: Field<String>,
//! }
//!
//! let p = Arc::new(Person { name: "Guido".into(), age: Field::new(), nickname: Field::new() });
//! p.set_age(68)?;
//! assert_eq!(p.age(), Some(68));
//! assert_eq!(p.set_age(200).unwrap_err().to_string(), "Person.age: 200 is above the maximum 150");
//! assert_eq!(p.nickname(), "n/a");
//! assert_eq!(p.take_age(), Some(68));
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! # From Python descriptors to Rust
//!
//! The seed of this crate is a Python lecture on strong and weak references. A data descriptor
//! such as `IntegerField` sits once on the class and keeps each instance's value in a
//! `weakref.WeakKeyDictionary` keyed by the instance. Each Python concept has a Rust
//! counterpart:
//!
//! | Python | Rust |
//! |---|---|
//! | the descriptor object on the class | a `static` [`Descriptor<O, T>`] per field, reached by `Owner::x_descriptor()` |
//! | `__set_name__` | the derive knows the field's name: [`Descriptor::name`], [`FieldInfo::name`] |
//! | `__get__` | `owner.x()` → `Option<T>`, or `T` with `default = expr`; `owner.with_x(\|v\| ..)` borrows |
//! | `__set__` (validates, may raise) | `owner.set_x(value)` → `Result<(), ValidationError>` |
//! | `__delete__` | `owner.take_x()` → `Option<T>` |
//! | `p.hits += 1` (atomic enough under the GIL) | `p.update_hits(\|h\| h.map_or(1, \|h\| h + 1))`, atomic per owner and field (see [Updates](#updates-read-compute-write-as-one)) |
//! | `sys.getrefcount` / `ref_count(id(p))` | [`Arc::strong_count`](std::sync::Arc::strong_count) |
//! | `weakref.ref(p)`, `getweakrefcount(p)` | [`Arc::downgrade`](std::sync::Arc::downgrade), [`Arc::weak_count`](std::sync::Arc::weak_count) |
//! | `weakref.WeakKeyDictionary` | [`WeakKeyMap<K, V>`], and the table inside each [`Descriptor`] |
//! | `d.keyrefs()` | [`WeakKeyMap::keys`] (already upgraded: only live keys) |
//! | `__hash__` + `__eq__` | `#[derive(Hash, PartialEq, Eq)]` on the owner |
//! | `TypeError: unhashable type` (run time) | a compile error that says how to fix it |
//! | keying by `id(instance)` | `#[descriptors(key = identity)]` |
//! | a field class reused on many attributes, `IntegerField(0, 150)`, and its subclasses | a [`Kind`]: `#[derive(Kind)] #[kind(u32, range(max = 150))] struct Age;` on `age: Field<u32, Age>`, and `extends = Age` (see [Kinds](#kinds-rules-written-once)) |
//! | a `WeakKeyDictionary` of someone else's objects | fields attached to a type of another crate: `#[descriptors(extend = Connection)]` (see [Fields on types you do not own](#fields-on-types-you-do-not-own-extend)) |
//!
//! ## `__get__`, `__set__`, `__delete__`
//!
//! Each `Field<T>` member becomes a getter, a validating setter and a taker. Writes take the
//! owner's [`Arc`](std::sync::Arc), because the table holds a weak reference to it; reads take
//! `&self`, so they work in the owner's own methods too:
//!
//! ```
//! use std::sync::Arc;
//! use weakprop::{Descriptors, ErrorKind, Field};
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! struct Person {
//!     name: String,
//!     #[descriptor(range(min = 0, max = 150))]
//!     age: Field<u32>,
//! }
//!
//! impl Person {
//!     fn greeting(&self) -> String {
//!         match self.age() {
//!             Some(age) => format!("{}, {age}", self.name),
//!             None => self.name.clone(),
//!         }
//!     }
//! }
//!
//! let p = Arc::new(Person { name: "Guido".into(), age: Field::new() });
//! assert_eq!(p.age(), None);                   // unset: Python would raise AttributeError
//! p.set_age(68)?;                              // __set__
//! let error = p.set_age(151).unwrap_err();     // ValueError in Python
//! assert_eq!((error.owner(), error.field()), ("Person", "age"));
//! assert!(matches!(error.kind(), ErrorKind::AboveMaximum { .. }));
//! assert_eq!(p.greeting(), "Guido, 68");       // a rejected write changes nothing
//! assert_eq!(p.take_age(), Some(68));          // __delete__
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! ### Writes need `self: &Arc<Self>`
//!
//! A table keeps a weak reference to each owner it stores a value for, and only the owner's
//! `Arc` can give one: a `&Person` cannot. So setters, takers, `load` and the getter of a `lazy`
//! field (which may store what it computes) take `self: &Arc<Self>` (`self: &Rc<Self>` with
//! `#[descriptors(rc)]`), and so must a method of yours that calls them; other reads take `&self`.
//! A write through `&self` is a compile error that says this:
//!
//! ```compile_fail,E0277
//! # use std::sync::Arc;
//! # use weakprop::{Descriptors, Field, ValidationError};
//! # #[derive(Descriptors, Hash, PartialEq, Eq)]
//! # struct Person { name: String, age: Field<u32> }
//! impl Person {
//!     fn birthday(&self) -> Result<(), ValidationError> {
//!         let age = self.age().unwrap_or(0);   // a read: fine through `&self`
//!         self.set_age(age + 1)                // error: writes need `self: &Arc<Person>`, not `&Person`
//!     }
//! }
//! ```
//!
//! ```
//! # use std::sync::Arc;
//! # use weakprop::{Descriptors, Field, ValidationError};
//! # #[derive(Descriptors, Hash, PartialEq, Eq)]
//! # struct Person { name: String, age: Field<u32> }
//! impl Person {
//!     fn birthday(self: &Arc<Self>) -> Result<(), ValidationError> {
//!         let age = self.age().unwrap_or(0);
//!         self.set_age(age + 1)
//!     }
//! }
//!
//! let p = Arc::new(Person { name: "Guido".into(), age: Field::new() });
//! p.birthday()?;                               // method syntax works on the `Arc`
//! assert_eq!(p.age(), Some(1));
//! # Ok::<(), ValidationError>(())
//! ```
//!
//! ## Any value: `with_x` lends instead of cloning
//!
//! A value type needs only `Send + Sync + 'static`. `x()` returns a clone, so it needs `Clone`
//! (checked where it is called); `with_x(|value| ...)` lends the stored value to a closure
//! instead, which is how to read a large value without copying it, or a value that cannot be
//! cloned at all, such as a `Mutex`:
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use weakprop::{Descriptors, Field};
//!
//! struct Image {                               // no derives at all
//!     pixels: Vec<u8>,
//! }
//!
//! #[derive(Descriptors)]
//! #[descriptors(key = identity)]
//! struct Sprite {
//!     image: Field<Image>,
//!     frames_drawn: Field<Mutex<u64>>,
//! }
//!
//! let sprite = Arc::new(Sprite { image: Field::new(), frames_drawn: Field::new() });
//! sprite.set_image(Image { pixels: vec![0; 1 << 20] })?;   // 1 MiB, stored once
//! let bytes = sprite.with_image(|image| image.map_or(0, |image| image.pixels.len()));
//! assert_eq!(bytes, 1 << 20);                  // read in place: nothing was copied
//!
//! sprite.set_frames_drawn(Mutex::new(0))?;
//! sprite.with_frames_drawn(|frames| *frames.unwrap().lock().unwrap() += 1);
//! assert_eq!(sprite.with_frames_drawn(|frames| *frames.unwrap().lock().unwrap()), 1);
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! ## Generic owners
//!
//! Type and const parameters work, with or without bounds written: the derive asks for what its
//! methods need where they need it (`Keyed<K>: Hash + Eq + Send + Sync + 'static` here). Each
//! instantiation has tables of its own.
//!
//! ```
//! use std::sync::Arc;
//! use weakprop::{Descriptors, Field};
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! struct Keyed<K> {
//!     key: K,
//!     #[descriptor(range(min = 0))]
//!     score: Field<i64>,
//! }
//!
//! let by_id = Arc::new(Keyed { key: 7_u64, score: Field::new() });
//! let by_name = Arc::new(Keyed { key: String::from("seven"), score: Field::new() });
//! by_id.set_score(10)?;
//! by_name.set_score(20)?;
//! assert_eq!(Keyed::<u64>::score_descriptor().len(), 1);     // two tables
//! assert_eq!(Keyed::<String>::score_descriptor().len(), 1);
//! drop(by_id);                                 // released at once, as for any owner
//! assert!(Keyed::<u64>::score_descriptor().is_empty());
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! ## `__set_name__`: every field knows its name
//!
//! ```
//! use weakprop::{Descriptors, Field};
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! struct Person {
//!     name: String,
//!     #[descriptor(range(min = 0, max = 150))]
//!     age: Field<u32>,
//! }
//!
//! assert_eq!(Person::age_descriptor().name(), "age");
//! let [age] = Person::fields() else { unreachable!() };
//! assert_eq!((age.name, age.type_name, age.rules), ("age", "u32", &["range(min = 0, max = 150)"][..]));
//! ```
//!
//! ## `WeakKeyDictionary`: a weak reference, not an owner
//!
//! A descriptor write never raises the owner's strong count; the table holds one weak
//! reference. When the last `Arc` drops, the derived `Drop` removes the owner's entries and drops
//! their values before the owner's memory is freed: no garbage collector, no sweep.
//!
//! ```
//! use std::sync::Arc;
//! use weakprop::{Descriptors, Field};
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! struct Person {
//!     name: String,
//!     age: Field<u32>,
//! }
//!
//! let p = Arc::new(Person { name: "Ada".into(), age: Field::new() });
//! p.set_age(36)?;
//! assert_eq!((Arc::strong_count(&p), Arc::weak_count(&p)), (1, 1));
//! assert_eq!(Person::age_descriptor().len(), 1);
//! drop(p);
//! assert_eq!(Person::age_descriptor().len(), 0);
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! [`WeakKeyMap`] is the dictionary itself, for attaching data to objects you do not own:
//!
//! ```
//! use std::sync::Arc;
//! use weakprop::WeakKeyMap;
//!
//! let d = WeakKeyMap::new();
//! let p1 = Arc::new(String::from("A"));
//! d.insert(&p1, "A");                          // d[p1] = "A"
//! assert_eq!(d.keys(), [p1.clone()]);          // d.keyrefs()
//! drop(p1);                                    // del p1
//! assert!(d.keys().is_empty());
//! ```
//!
//! ## Hashability, checked by the compiler
//!
//! Python rejects an unhashable key when it is first used. Here a value-keyed owner must be
//! `Hash + Eq`, and the compiler says so, with the fix:
//!
//! ```compile_fail,E0277
//! use weakprop::{Descriptors, Field};
//!
//! #[derive(Descriptors, PartialEq)]            // error: `Person` is not hashable, ...
//! struct Person {
//!     name: String,
//!     age: Field<u32>,
//! }
//! ```
//!
//! Equal owners share one entry, which belongs to the owner that created it, as the dictionary
//! keeps its first key (In\[46\]–In\[51\] of the seed):
//!
//! ```
//! use std::sync::Arc;
//! use weakprop::{Descriptors, Field};
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! struct Person {
//!     name: String,
//!     age: Field<u32>,
//! }
//!
//! let guido = Arc::new(Person { name: "Guido".into(), age: Field::new() });
//! let twin = Arc::new(Person { name: "Guido".into(), age: Field::new() });
//! guido.set_age(68)?;
//! assert_eq!(twin.age(), Some(68));
//! drop(guido);                                 // the entry leaves with its creator
//! assert_eq!(twin.age(), None);
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! That is what keying by value means, and it is easy to forget when the fields that make an
//! owner equal are an id: a service that keeps sessions by user id hands one session's values to
//! every other session `Arc` with an equal id (a second login, a reconnect before the first
//! session dropped), and a write through either changes both. When each `Arc` is an object of its
//! own, whatever its fields say, key by identity (`#[descriptors(key = identity)]`, next).
//!
//! ## `id(instance)`: keying by identity
//!
//! `#[descriptors(key = identity)]` keys each table by the owner's `Arc` allocation: the owner
//! needs neither `Hash` nor `Eq`, and equal owners stay independent.
//!
//! ```
//! use std::sync::Arc;
//! use weakprop::{Descriptors, Field};
//!
//! #[derive(Descriptors)]
//! #[descriptors(key = identity)]
//! struct Node {
//!     #[descriptor(length(max = 16))]
//!     label: Field<String>,
//! }
//!
//! let (a, b) = (Arc::new(Node { label: Field::new() }), Arc::new(Node { label: Field::new() }));
//! a.set_label("root".into())?;
//! assert_eq!(b.label(), None);
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! ## Owners keyed by untrusted input: `hash = keyed`
//!
//! Tables hash owners with foldhash under a process-random seed: fast and well spread, but not
//! built to resist keys chosen to collide, and such keys make every operation on their table
//! slow (as in any hash table). When owners are keyed by data that others choose — user names
//! from requests, ids from a file — write `#[descriptors(hash = keyed)]`: each table then
//! hashes with std's `RandomState` (SipHash-1-3 under random keys of its own, as a `HashMap`
//! does), so that nobody who cannot see the keys can make owners collide. It costs what SipHash
//! costs over foldhash on each access (see BENCHMARKS.md), and an owner's `Drop` hashes it once
//! per table instead of once.
//!
//! ```
//! use std::sync::Arc;
//! use weakprop::{Descriptors, Field};
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! #[descriptors(hash = keyed)]
//! struct Session {
//!     user_name: String, // from the request
//!     #[descriptor(range(max = 1000))]
//!     requests: Field<u32>,
//! }
//!
//! let session = Arc::new(Session { user_name: "ada".into(), requests: Field::new() });
//! session.set_requests(1)?;
//! assert_eq!(session.requests(), Some(1));
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! # Field options
//!
//! | option | meaning |
//! |---|---|
//! | `range(min = a, max = b)` | inclusive bounds for `PartialOrd` values; either side may be left out |
//! | `length(min = a, max = b)` | strings (in `char`s), slices, `Vec`, maps, sets (see [`Length`]); either side optional |
//! | `one_of = [a, b, c]` | the value must equal one of these (of any type comparable with it: `&str` for a `String`) |
//! | `non_empty` | at least one character or element |
//! | `pattern = "regex"` | strings must match (feature `regex`; the pattern is checked at compile time) |
//! | `validate = path` | custom check `fn(&T) -> Result<(), String>`, or of what `T` dereferences to (`fn(&str) -> ..` for a `String`, `fn(&[u8]) -> ..` for a `Vec<u8>`); the string becomes the error's reason |
//! | `coerce = path` | `fn(T) -> T` applied before validation (trim, clamp) |
//! | `default = expr` | what the getter returns while unset; not stored; the getter returns `T` |
//! | `once` | the first successful set wins; later sets fail; no `take_` |
//! | `on_change = path` | `fn(&Arc<Self>, old: Option<&T>, new: Option<&T>)` after each successful set or take |
//! | `lazy = path` | `fn(&Arc<Self>) -> T` computes the value on first read and stores it (Python's `cached_property`); the getter returns `T` |
//!
//! The rule options (`range` to `coerce`) can also be written once, as a kind, for every field
//! that needs them: see [Kinds](#kinds-rules-written-once).
//!
//! Struct options, in `#[descriptors(...)]`: `key = identity`, `hash = keyed` (for owners keyed
//! by untrusted input), `crate = path` (for a renamed
//! dependency), `manual_drop` (no generated `Drop`: your own `Drop` calls
//! [`Descriptors::release`]), `values = Name` (renames the values struct, see below),
//! `no_values` (no values struct, `snapshot` or `load`), `serde` (a values struct that is
//! `Serialize` and `Deserialize`; needs the `serde` feature; `serde(deny_unknown_fields,
//! rename_all = "camelCase")` passes those container options on), `rc` (owners in an `Rc`, see
//! below) and `extend = Type` (fields attached to a type of another crate, see below).
//!
//! ```
//! use std::sync::Arc;
//! use weakprop::{Descriptors, Field};
//!
//! fn lowercase(email: String) -> String {
//!     email.trim().to_lowercase()
//! }
//!
//! fn has_at(email: &str) -> Result<(), String> {   // `&str` for a `String` field
//!     if email.contains('@') { Ok(()) } else { Err(format!("{email:?} has no `@`")) }
//! }
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! struct User {
//!     id: u64,
//!     #[descriptor(coerce = lowercase, validate = has_at)]
//!     email: Field<String>,
//!     #[descriptor(once)]
//!     created: Field<u64>,
//! }
//!
//! let user = Arc::new(User { id: 1, email: Field::new(), created: Field::new() });
//! user.set_email("  Ada@Example.org ".into())?;
//! assert_eq!(user.email().as_deref(), Some("ada@example.org"));
//! assert_eq!(user.set_email("nobody".into()).unwrap_err().to_string(), r#"User.email: "nobody" has no `@`"#);
//! user.set_created(1_700_000_000)?;
//! assert!(user.set_created(0).is_err());       // `once`: the first value stays
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! A validator takes the value by reference, as `fn(&T) -> Result<(), String>`, or takes what
//! the value dereferences to: `&str` for a `String` (as `has_at` above), `&[T]` for a `Vec<T>`,
//! `&U` for a `Box<U>` or an `Arc<U>`. A generic validator is taken to be of `&T`. Hooks of any
//! other signature are a compile error that names the one expected, in your types
//! (`` `on_change` expects a function `fn(&Arc<User>, Option<&u64>, Option<&u64>)` ``).
//!
//! ## `lazy`: Python's `cached_property`
//!
//! A `lazy` field computes its value on first read and stores it in its side table, so the
//! owner carries no slot for the cache and the cached value leaves with the owner. Its getter
//! takes the owner's `Arc` (it may store) and returns `T`; `take_x()` invalidates, `set_x(v)`
//! overrides through the field's rules. The function runs outside every lock and may read any
//! descriptor, other lazy fields included; one that reads its own field panics, naming it. The
//! computed value is the field's own, like a `default`: it is stored as computed (rules govern
//! writes), and observers see it arrive (from unset to the value). Threads that read an unset
//! field at once may each run the function; all get the value stored first.
//!
//! ```
//! use std::sync::Arc;
//! use weakprop::{Descriptors, Field};
//!
//! fn word_count(document: &Arc<Document>) -> usize {
//!     document.text.split_whitespace().count()
//! }
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! struct Document {
//!     text: String,
//!     #[descriptor(lazy = word_count)]
//!     words: Field<usize>,
//! }
//!
//! let doc = Arc::new(Document { text: "weak keys, strong ideas".into(), words: Field::new() });
//! assert_eq!(doc.words(), 4);                  // computed and stored
//! assert_eq!(Document::words_descriptor().len(), 1);
//! doc.take_words();                            // invalidated: the next read computes again
//! doc.set_words(10)?;                          // or overridden
//! assert_eq!(doc.words(), 10);
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! # Kinds: rules written once
//!
//! The lecture series writes `IntegerField(min, max)` once and puts it on every attribute that
//! holds such a number; a stricter field subclasses it. Here that is a *kind*: a unit struct
//! with `#[derive(Kind)]` and `#[kind(T, options...)]`, where the options are the rule options
//! of `#[descriptor(...)]` (`range`, `length`, `one_of`, `non_empty`, `pattern`, `validate`,
//! `coerce`) and `extends = OtherKind`. A field takes a kind as the second parameter of its
//! marker, `Field<T, K>`, and any options of its own add to the kind's:
//!
//! ```
//! use std::sync::Arc;
//! use weakprop::{Descriptors, ErrorKind, Field, Kind};
//!
//! /// A percentage.
//! #[derive(Kind)]
//! #[kind(u8, range(max = 100))]
//! pub struct Percent;
//!
//! fn even(value: &u8) -> Result<(), String> {
//!     if value % 2 == 0 { Ok(()) } else { Err(format!("{value} is odd")) }
//! }
//!
//! /// Percent's rules first, then its own: the lecture's subclass.
//! #[derive(Kind)]
//! #[kind(u8, extends = Percent, validate = even)]
//! pub struct EvenPercent;
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! pub struct Player {
//!     id: u32,
//!     pub health: Field<u8, Percent>,          // the kind's rules
//!     #[descriptor(default = 50, range(min = 10))]
//!     pub armor: Field<u8, Percent>,           // plus the field's own, checked after the kind's
//!     pub luck: Field<u8, EvenPercent>,
//! }
//!
//! let p = Arc::new(Player { id: 1, health: Field::new(), armor: Field::new(), luck: Field::new() });
//! p.set_health(100)?;
//! let error = p.set_health(101).unwrap_err();  // as if `range(max = 100)` were written here
//! assert_eq!(error.to_string(), "Player.health: 101 is above the maximum 100");
//! assert!(matches!(error.kind(), ErrorKind::AboveMaximum { .. }));
//! assert_eq!(p.armor(), 50);
//! assert_eq!(p.set_armor(5).unwrap_err().to_string(), "Player.armor: 5 is below the minimum 10");
//! assert_eq!(p.set_luck(41).unwrap_err().to_string(), "Player.luck: 41 is odd");
//! assert_eq!(
//!     Player::fields()[1].rules,
//!     ["kind Percent: range(max = 100)", "range(min = 10)", "default = 50"]
//! );
//! assert_eq!(
//!     Player::fields()[2].rules,
//!     ["kind Percent: range(max = 100)", "kind EvenPercent: validate = even"]
//! );
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! A kind's rule fails with the same [`ErrorKind`] and text as the rule written on the field,
//! and costs what it would cost there: the field's check calls the kind's, inlined. Its options
//! are checked where the kind is defined, as a field's are (bounds that accept nothing, a
//! `range` on a type that is not ordered, a pattern that does not parse). `default`, `once`,
//! `on_change` and `lazy` say what one field does, not what its values are: they stay on the
//! field, and on a kind they are a compile error that says so.
//!
//! **Order.** A field of a kind runs the coercions first — the `extends` chain's, the kind's,
//! then the field's own — and then the checks in the same order, on the result. Every check
//! sees the value that is stored, so a coercion further down cannot store what a kind forbids;
//! a field's `coerce` that clamps runs before its kind's `range`, and the kind's `range` still
//! holds for what it stores.
//!
//! **By hand.** For a rule the options cannot say, implement [`Kind<T>`]: a name and a check
//! are enough (`coerce` is the identity unless you write one). The check's reason becomes the
//! error's text, as [`ErrorKind::Invalid`]:
//!
//! ```
//! use std::sync::Arc;
//! use weakprop::{Descriptors, Field, Kind};
//!
//! struct Port;                                 // a kind written by hand
//! impl Kind<u16> for Port {
//!     const NAME: &'static str = "Port";
//!     fn check(value: &u16) -> Result<(), String> {
//!         if *value >= 1024 { Ok(()) } else { Err(format!("{value} is a privileged port")) }
//!     }
//! }
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! struct Service {
//!     name: &'static str,
//!     port: Field<u16, Port>,
//! }
//!
//! let api = Arc::new(Service { name: "api", port: Field::new() });
//! assert_eq!(api.set_port(80).unwrap_err().to_string(), "Service.port: 80 is a privileged port");
//! assert_eq!(Service::fields()[0].rules, ["kind Port"]);
//! ```
//!
//! **A crate of kinds.** A kind is an ordinary public type, so a team can keep its rules — a
//! port, an e-mail address, a display name — in one crate that every service depends on, and
//! write `Field<u16, rules::Port>`; a kind of one crate may extend a kind of another. Kinds
//! work on generic and `rc` owners alike, and a kind may be a parameter of its owner
//! (`struct Gauge<K> { level: Field<u8, K> }`: each instantiation has its kind's rules).
//!
//! A kind checks values of one type. Using it for another is one error, at the field, that
//! names both:
//!
//! ```compile_fail,E0277
//! # use weakprop::{Descriptors, Field, Kind};
//! #[derive(Kind)]
//! #[kind(u8, range(max = 100))]
//! struct Percent;
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! struct Player {
//!     id: u32,
//!     score: Field<u32, Percent>,              // error: `Percent` is not a kind of `u32` values
//! }
//! ```
//!
//! # Single-threaded owners: `#[descriptors(rc)]`
//!
//! Python's objects live in one thread, and so do many Rust programs' (widget trees, game
//! entities, document models). With `#[descriptors(rc)]` the owner lives in an `Rc`, writes take
//! `&Rc<Self>`, hooks take `&Rc<Self>`, and neither owner nor values need `Send` or `Sync`.
//! Each thread has tables of its own: `x_descriptor()` is a handle to the calling thread's. Key
//! modes, rules, hooks, prompt release, the values struct, `lazy`, `subscribe` and
//! `hold_notifications` work as for `Arc` owners. [`LocalWeakKeyMap`] is the map for `Rc` keys.
//!
//! ```
//! use std::cell::Cell;
//! use std::rc::Rc;
//! use weakprop::{Descriptors, Field};
//!
//! struct Texture {
//!     uses: Cell<u32>,                         // not `Sync`: no matter
//! }
//!
//! #[derive(Descriptors)]
//! #[descriptors(rc, key = identity)]
//! struct Sprite {
//!     #[descriptor(range(max = 4096))]
//!     width: Field<u32>,
//!     texture: Field<Rc<Texture>>,             // not `Send`: no matter
//! }
//!
//! let sprite = Rc::new(Sprite { width: Field::new(), texture: Field::new() });
//! sprite.set_width(64)?;
//! sprite.set_texture(Rc::new(Texture { uses: Cell::new(0) }))?;
//! sprite.with_texture(|texture| texture.map(|t| t.uses.set(t.uses.get() + 1)));
//! assert_eq!(Sprite::width_descriptor().len(), 1);   // this thread's table
//! let elsewhere = std::thread::spawn(|| Sprite::width_descriptor().len()).join().unwrap();
//! assert_eq!(elsewhere, 0);                          // another thread's
//! drop(sprite);
//! assert!(Sprite::texture_descriptor().is_empty());
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! When a thread exits its tables drop with their values; an owner dropped after that (by
//! another thread-local's destructor) releases nothing, and a write to it fails with
//! [`ErrorKind::TablesGone`] rather than panic.
//!
//! # Fields on types you do not own: `extend`
//!
//! Python's `WeakKeyDictionary` exists for objects that carry no storage for you: you key data
//! by someone else's object, and it leaves when the object dies. The most useful side table is
//! on a type of another crate — a connection pool's `Arc<Connection>`, a parser's
//! `Arc<SourceFile>` — which you cannot add fields to, nor derive anything on. A struct of
//! `Field`s with `#[descriptors(extend = Type)]` attaches them to every `Arc<Type>`, typed,
//! validated and observed:
//!
//! ```
//! use std::sync::Arc;
//! use weakprop::{Descriptors, Field};
//!
//! mod pool {                                   // stands in for another crate
//!     pub struct Connection {                  // no Hash, no Eq, no Drop of ours
//!         pub peer: String,
//!     }
//! }
//! use pool::Connection;
//!
//! fn handshake(conn: &Arc<Connection>) -> String {
//!     format!("hello, {}", conn.peer)
//! }
//!
//! /// Fields attached to every `Arc<Connection>`.
//! #[derive(Descriptors)]
//! #[descriptors(extend = Connection)]
//! pub struct ConnStats {
//!     #[descriptor(range(max = 10))]
//!     pub retries: Field<u32>,
//!     #[descriptor(lazy = handshake)]           // fn(&Arc<Connection>) -> String
//!     pub greeting: Field<String>,
//! }
//!
//! let c = Arc::new(Connection { peer: "db".into() });
//! c.set_retries(3)?;                           // through the generated trait `ConnStatsExt`
//! assert_eq!(c.retries(), Some(3));
//! assert_eq!(c.set_retries(11).unwrap_err().to_string(), "Connection.retries: 11 is above the maximum 10");
//! assert_eq!(c.greeting(), "hello, db");       // computed on first read, stored
//! assert_eq!(ConnStats::retries_descriptor().len(), 1);
//! assert_eq!(ConnStats::fields()[0].name, "retries");
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! - **A trait, `ConnStatsExt`** (with the struct's visibility), implemented for
//!   `Arc<Connection>` (`Rc<Connection>` with `rc`), holds every accessor a derived owner
//!   gets: `x()`, `with_x()`, `set_x()`, `take_x()`, `replace_x()`, `update_x()`,
//!   `try_update_x()`, `snapshot()`, `load()` and
//!   `hold_notifications()`, each on `&self`, which is the `Arc`. Bring it into scope where you
//!   call them. Its methods are as visible as it is, whatever a field's own visibility (which
//!   is that of its `x_descriptor()`). `ConnStats::x_descriptor()` and `<ConnStats as Descriptors>::fields()` are as
//!   for a derived owner, and errors name the type: `Connection.retries: ...`. A call through
//!   `&Connection` is a compile error that says to take the `Arc`; a field's descriptor reads
//!   through a plain reference (`ConnStats::retries_descriptor().get(&*c)`).
//! - **Keys are identities**: each `Arc` allocation has values of its own, so the type needs
//!   neither `Hash` nor `Eq`. `key = value` keys by its `Hash + Eq` instead (equal objects share
//!   values; a type without them is a compile error), and `hash = keyed` may go with it.
//! - **Every option works**: rules, kinds, `default`, `once`, `on_change` and `lazy` (whose
//!   functions take `&Arc<Connection>`: a typed cache per object), [`Descriptor::subscribe`],
//!   the values struct (`ConnStatsValues`). Several structs (several crates) may attach fields
//!   to one type; where two of their traits are in scope, call a method that both have through
//!   its trait: `ConnStatsExt::snapshot(&c)`.
//! - **The struct is only the list**: every member must be a `Field` (anything else is a
//!   compile error at the member), and you never need to build one; `manual_drop`, which
//!   leaves out a `Drop`, is a compile error on it.
//! - **Generic types**: `extend = Channel<T>` on `struct Queue<T>` attaches fields to every
//!   `Arc<Channel<T>>`, with tables of each instantiation's own; each type and const parameter
//!   of the struct must appear in the type (a method call could not infer one that does not).
//!   `extend = Channel<u64>` attaches them to one instantiation. A type that an `Arc` cannot
//!   hold (`dyn Trait`, `[T]`, `str`) is rejected: attach the fields to a struct of yours
//!   around it.
//!
//! **Swept, not prompt.** A derived owner's `Drop` removes its values before its memory is
//! freed. A type of another crate has no `Drop` of ours, so when its last `Arc` drops its
//! values stay in the tables for a while: invisible at once (reads, `len()`, `snapshot()` and
//! every other access skip them), and dropped by the table's amortised sweep — each of its 16
//! shards sweeps when a value is stored and it has doubled since its last sweep, so a shard
//! holds no more dead entries than live ones (or 8) — or at once by each field's `purge()`. Until then, the object's allocation stays too (the table's weak reference keeps
//! it), not the object: its own `Drop` has run.
//!
//! ```
//! # use std::sync::Arc;
//! # use std::sync::atomic::{AtomicUsize, Ordering};
//! # use weakprop::{Descriptors, Field};
//! # pub struct Connection;
//! static DROPPED: AtomicUsize = AtomicUsize::new(0);
//!
//! pub struct Buffer(Vec<u8>);
//! impl Drop for Buffer {
//!     fn drop(&mut self) { DROPPED.fetch_add(1, Ordering::Relaxed); }
//! }
//!
//! #[derive(Descriptors)]
//! #[descriptors(extend = Connection)]
//! pub struct Buffers {
//!     pub pending: Field<Buffer>,
//! }
//!
//! let c = Arc::new(Connection);
//! c.set_pending(Buffer(vec![0; 4096]))?;
//! drop(c);
//! assert_eq!(Buffers::pending_descriptor().len(), 0);   // invisible at once
//! assert_eq!(DROPPED.load(Ordering::Relaxed), 0);       // not dropped yet
//! assert_eq!(Buffers::pending_descriptor().purge(), 1);
//! assert_eq!(DROPPED.load(Ordering::Relaxed), 1);
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! # Observing changes
//!
//! Besides the static `on_change` hook, any field can be observed at run time with
//! [`Descriptor::subscribe`]; the returned [`Subscription`] unsubscribes when dropped.
//! Observers run after the write, outside every lock, so they may read and write descriptors.
//! [`Descriptors::hold_notifications`] batches an owner's changes into one per field.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use weakprop::{Descriptors, Field};
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! struct Item {
//!     sku: String,
//!     quantity: Field<u32>,
//! }
//!
//! let log = Arc::new(Mutex::new(Vec::new()));
//! let sink = log.clone();
//! let subscription = Item::quantity_descriptor().subscribe(move |item, change| {
//!     sink.lock().unwrap().push(format!("{}: {:?} -> {:?}", item.sku, change.old_value(), change.new_value()));
//! });
//!
//! let item = Arc::new(Item { sku: "A-1".into(), quantity: Field::new() });
//! item.set_quantity(5)?;
//! item.hold_notifications(|| {
//!     item.set_quantity(4)?;
//!     item.set_quantity(3)
//! })?;
//! drop(subscription);
//! item.set_quantity(0)?;
//! assert_eq!(*log.lock().unwrap(), ["A-1: None -> Some(5)", "A-1: Some(5) -> Some(3)"]);
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! # Snapshot and load
//!
//! For `Person` the derive also generates `PersonValues`, a plain struct with an `Option<T>` per
//! descriptor field. It asks nothing of the field types: it is `Default`, and `Debug`, `Clone`,
//! `PartialEq` and `Eq` when every field type is; with `#[descriptors(serde)]` (and the `serde`
//! feature) it is `Serialize` and `Deserialize` too: unknown keys are ignored, as serde does,
//! unless you write `serde(deny_unknown_fields)`, and `serde(rename_all = "camelCase")` renames
//! its keys (any of serde's cases). `snapshot()` reads every stored value (so
//! every field type must be `Clone`); `load()` coerces and validates every `Some` field first and
//! writes them only if all pass, reporting every failing field at once in
//! [`ValidationErrors`]. `None` leaves a field as it is.
//!
//! ```
//! use std::sync::Arc;
//! use weakprop::{Descriptors, Field};
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! struct Item {
//!     code: &'static str,
//!     #[descriptor(range(min = 1))]
//!     price_cents: Field<u64>,
//!     #[descriptor(non_empty)]
//!     name: Field<String>,
//! }
//!
//! let item = Arc::new(Item { code: "A-1", price_cents: Field::new(), name: Field::new() });
//! item.load(ItemValues { price_cents: Some(250), name: Some("hammer".into()) }).unwrap();
//!
//! let errors = item.load(ItemValues { price_cents: Some(0), name: Some(String::new()) }).unwrap_err();
//! assert_eq!(errors.to_string(), "Item.price_cents: 0 is below the minimum 1\nItem.name: must not be empty");
//! assert_eq!(item.snapshot(), ItemValues { price_cents: Some(250), name: Some("hammer".into()) });
//! ```
//!
//! # Threads
//!
//! Tables are `static` and `Sync`; owners and values must be `Send + Sync + 'static` (the
//! compiler says so otherwise). No user code — validators, coercers, observers, `Hash`, `Eq`,
//! or the `Drop` of a replaced or removed value — runs while a table lock is held, so none of
//! it can deadlock the table or poison it; a panicking hook leaves the old value in place.
//!
//! The exception is code that reads a stored value in place, while the table is read: the
//! closure of `with_x()`, the `f` of `update_x(f)`, the closure of `for_each`, and the value's
//! `Clone` in `x()`, `snapshot()` and [`WeakKeyMap::get`]. From there, exactly this holds, on every thread and in thread-local
//! destructors too:
//!
//! - **Reading works**: any descriptor or map, the one being read included, even while writers
//!   wait (a nested read never waits for a writer that waits for a read).
//! - **Writing panics**, naming the field and what ran: `set_x`, `take_x`, `replace_x`,
//!   `update_x`, `load`, and the
//!   writes of a [`WeakKeyMap`] (`insert`, `remove`, `purge`), whether or not the field read
//!   holds a value (a closure given `None` runs after the lock, but still counts as a read). A write there could wait for the
//!   very read it runs in, or for another thread's read that waits for this one. Write after the
//!   closure returns.
//! - **A `lazy` getter computes without storing** (storing is a write), and so does
//!   [`WeakKeyMap::get_or_insert_with`].
//! - **Dropping an owner releases it when the read ends**: an owner whose last `Arc` drops in
//!   there has its values dropped as this thread's outermost read ends. Until then its entries
//!   are invisible, and its memory is not freed before its values are dropped. A key of a
//!   [`WeakKeyMap`] that calls [`WeakKeyMap::release`] in there is left to the map's sweep, and
//!   so is an owner dropped in a thread-local destructor that runs after this crate's own (its
//!   list of work for the end of the read is gone).
//! - **Held changes wait too**: observers of changes held by [`Descriptors::hold_notifications`]
//!   run when this thread's outermost read ends, if the hold ends inside one.
//!
//! ```
//! use std::sync::Arc;
//! use weakprop::{Descriptors, Field};
//!
//! #[derive(Descriptors, Hash, PartialEq, Eq)]
//! struct Account {
//!     id: u32,
//!     balance: Field<i64>,
//!     audit: Field<String>,
//! }
//!
//! let a = Arc::new(Account { id: 1, balance: Field::new(), audit: Field::new() });
//! a.set_balance(10)?;
//! // Read inside, write after:
//! let note = a.with_balance(|balance| format!("balance was {balance:?}"));
//! a.set_audit(note)?;
//! // A write inside panics instead of risking a deadlock:
//! let inside = std::panic::catch_unwind(|| a.with_balance(|_| a.set_audit("x".into())));
//! assert!(inside.is_err());
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! Observers (`on_change`, subscribers) run after the write, outside every lock: they may read
//! and write any descriptor, subscribe and unsubscribe. A panicking observer cannot undo the
//! write; every other observer of that change (and, in a hold, of every held change) still
//! runs, and the first panic resumes after them. Validators and coercers run before the write,
//! outside every lock, and may do the same.
//!
//! ## Updates: read, compute, write as one
//!
//! `p.set_hits(p.hits().unwrap_or(0) + 1)` is a read and a write: another thread's write can
//! come between them and be lost. `update_x(f)` is the read-modify-write that loses nothing,
//! as [`AtomicU64::fetch_update`](std::sync::atomic::AtomicU64::fetch_update) is: `f` gets the
//! current value (`None` while unset) where a `with_x` closure would, returns the new one, and
//! the store happens only if no other write to that owner's field came in between (each entry
//! carries a version); otherwise `f` runs again on the newer value. So keep `f` quick and free
//! of side effects. The field's rules check each value `f` returns, outside every lock (a value
//! that breaks one is the error, and `f` does not run again); observers run once, for the
//! value stored, which `update_x` returns. `try_update_x(f)` lets `f` give up with `None`, and
//! `replace_x(v)` is `set_x` returning the value it replaced. A `once` field has none of the
//! three: its one write is `set_x`.
//!
//! ```
//! use std::sync::Arc;
//! use std::thread;
//! use weakprop::{Descriptors, Field};
//!
//! #[derive(Descriptors)]
//! #[descriptors(key = identity)]
//! struct Page {
//!     hits: Field<u64>,
//!     #[descriptor(range(max = 10))]
//!     stock: Field<u32>,
//! }
//!
//! let page = Arc::new(Page { hits: Field::new(), stock: Field::new() });
//! thread::scope(|scope| {
//!     for _ in 0..4 {
//!         scope.spawn(|| {
//!             for _ in 0..1_000 {
//!                 page.update_hits(|hits| hits.map_or(1, |hits| hits + 1)).unwrap();
//!             }
//!         });
//!     }
//! });
//! assert_eq!(page.hits(), Some(4_000));
//!
//! page.set_stock(1)?;
//! let sell = |stock: Option<&u32>| stock.and_then(|n| n.checked_sub(1));
//! assert_eq!(page.try_update_stock(sell)?, Some(0));
//! assert_eq!(page.try_update_stock(sell)?, None); // sold out: nothing stored
//! assert_eq!(page.replace_stock(5)?, Some(0));
//! assert!(page.update_stock(|stock| stock.map_or(0, |n| n * 3)).is_err()); // 15 > 10
//! assert_eq!(page.stock(), Some(5));
//! # Ok::<(), weakprop::ValidationError>(())
//! ```
//!
//! `x_descriptor().for_each(|owner, value| ..)` visits every live owner that has a value (and
//! [`WeakKeyMap::for_each`] every live key), reading each in place like `with_x`; no lock is
//! held between two calls, and the owners it visits stay alive until it returns.
//!
//! `set_x` takes the value type itself, not `impl Into<T>`: with `Into`, `set_age(68)` on a
//! `u32` field would no longer compile (an integer literal with no other type to go by is an
//! `i32`, and `u32: From<i32>` does not hold), and `set_name("ada".into())` would become
//! ambiguous. Write `set_name("ada".into())` or `set_name("ada".to_owned())`.
//!
//! Readers of a table never write a cache line that another thread's readers write, so reads
//! scale across cores (each of the first 31 reading threads alive at once gets a cache line of
//! its own; threads beyond share one); writes to one shard exclude each other and that shard's
//! readers.
//!
//! # Limits
//!
//! - **An owner's `Hash` must not change while it has values.** If it does, its entries keep the
//!   hash they were stored under: reads, writes and `take` with the new hash miss them (a write
//!   creates a second entry), and its `Drop` releases only the entry of its current hash. The
//!   stranded entry dies with the owner and is freed by the next sweep or
//!   [`Descriptor::purge`]. Nothing else is affected, and nothing is undefined.
//! - **A value that holds its own owner keeps it alive**, as a `WeakKeyDictionary` value that
//!   refers to its key does: the owner never drops, so its entry stays. `take_x()` breaks the
//!   cycle. Hold a [`Weak`](std::sync::Weak) in the value instead.
//! - **Keys without a `Drop` hook are swept, not released.** A [`WeakKeyMap`] cannot know when
//!   a foreign key dies, nor can the fields attached to a type of another crate (`extend`): its
//!   entry is invisible at once and freed by the amortised sweep (garbage stays below the live
//!   size) or by `purge()`. A key type can call [`WeakKeyMap::release`] from its own `Drop` to
//!   free its values at once.
//! - **A panicking `Drop` of a value surfaces where the value is dropped**: a value dropped by a
//!   sweep during another owner's `set` makes that `set` panic after its own value was stored.
//! - **`load` is all-or-none against rule failures**, not a transaction: another thread may
//!   write between its fields.
//! - **Values belong to the `Arc` they were stored through, not to the owner's bytes.**
//!   `Arc::try_unwrap` (or `Arc::into_inner`) ends that `Arc`: the values are unreachable from
//!   then on, a new `Arc` around the same owner starts with none, and the old ones are dropped by
//!   the next sweep or [`Descriptor::purge`], not at once (the owner's `Drop` has not run). To
//!   move an owner into a new `Arc`, carry its values across with `snapshot` and `load`:
//!
//!   ```
//!   # use std::sync::Arc;
//!   # use weakprop::{Descriptors, Field};
//!   # #[derive(Descriptors, Hash, PartialEq, Eq)]
//!   # struct Person { name: String, age: Field<u32> }
//!   let p = Arc::new(Person { name: "Ada".into(), age: Field::new() });
//!   p.set_age(36)?;
//!   let values = p.snapshot();                 // before the `Arc` ends
//!   let person = Arc::try_unwrap(p).ok().unwrap();
//!   assert_eq!(person.age(), None);            // left behind with the old `Arc`
//!   assert_eq!(Person::age_descriptor().purge(), 1);   // and freed by a sweep
//!   let p = Arc::new(person);
//!   assert_eq!(p.age(), None);                 // a new `Arc` starts with none
//!   p.load(values).unwrap();
//!   assert_eq!(p.age(), Some(36));
//!   # Ok::<(), weakprop::ValidationError>(())
//!   ```
//! - **A generic owner finds its tables through a registry**, one lookup of its instantiation
//!   per access (a few nanoseconds, see BENCHMARKS.md), since Rust has no
//!   generic statics.

pub use weakprop_core::*;
pub use weakprop_derive::{Descriptors, Kind};

/// What code generated by `#[derive(Descriptors)]` names. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use weakprop_core::__private::*;
}

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
