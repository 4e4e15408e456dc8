//! Reads through `&self`, values that need no derives, and `with_x`, which lends a value
//! instead of cloning it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

use weakprop::{Descriptors, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Person {
    name: String,
    #[descriptor(range(max = 150))]
    age: Field<u32>,
    #[descriptor(default = String::from("n/a"))]
    nickname: Field<String>,
}

impl Person {
    fn new(name: &str) -> Self {
        Person {
            name: name.into(),
            age: Field::new(),
            nickname: Field::new(),
        }
    }

    /// An ordinary `&self` method, reading descriptors.
    fn describe(&self) -> String {
        let age = self
            .age()
            .map_or_else(|| "?".to_owned(), |age| age.to_string());
        self.with_nickname(|nickname| format!("{} ({nickname}), {age}", self.name))
    }
}

#[test]
fn a_ref_self_method_reads_descriptors() {
    let guido = Arc::new(Person::new("Guido"));
    assert_eq!(guido.describe(), "Guido (n/a), ?");
    guido.set_age(68).unwrap();
    guido.set_nickname("BDFL".into()).unwrap();
    assert_eq!(guido.describe(), "Guido (BDFL), 68");
}

#[test]
fn an_equal_owner_outside_an_arc_finds_the_entry_and_dropping_it_leaves_the_entry() {
    // A name of this test's own: tests run at once, and equal owners share their entries.
    let guido = Arc::new(Person::new("Guido van Rossum"));
    guido.set_age(68).unwrap();
    {
        let probe = Person::new("Guido van Rossum"); // on the stack: its `Drop` runs at the `}`
        assert_eq!(probe.age(), Some(68));
        assert_eq!(probe.describe(), "Guido van Rossum (n/a), 68");
    }
    assert_eq!(
        guido.age(),
        Some(68),
        "the probe's `Drop` released nothing of Guido's"
    );
    assert_eq!(Person::new("Nobody").age(), None);
}

/// No derives at all: not `Clone`, `Debug` or `PartialEq`.
struct Texture {
    pixels: Vec<u8>,
}

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Sprite {
    texture: Field<Texture>,
    frames: Field<Mutex<Vec<u32>>>,
}

fn sprite() -> Arc<Sprite> {
    Arc::new(Sprite {
        texture: Field::new(),
        frames: Field::new(),
    })
}

#[test]
fn a_value_type_with_no_derives_is_stored_lent_taken_and_loaded() {
    let sprite = sprite();
    assert!(sprite.with_texture(|texture| texture.is_none()));
    sprite
        .set_texture(Texture {
            pixels: vec![1, 2, 3],
        })
        .unwrap();
    assert_eq!(
        sprite.with_texture(|texture| texture.map(|t| t.pixels.len())),
        Some(3)
    );
    let taken = sprite.take_texture().map(|texture| texture.pixels);
    assert_eq!(taken, Some(vec![1, 2, 3]));
    sprite
        .load(SpriteValues {
            texture: Some(Texture { pixels: vec![9] }),
            frames: None,
        })
        .unwrap();
    assert_eq!(
        sprite.with_texture(|texture| texture.map(|t| t.pixels[0])),
        Some(9)
    );
}

#[test]
fn a_mutex_field_is_mutated_through_with() {
    let sprite = sprite();
    sprite.set_frames(Mutex::new(Vec::new())).unwrap();
    for frame in 0..3 {
        sprite.with_frames(|frames| frames.unwrap().lock().unwrap().push(frame));
    }
    assert_eq!(
        sprite.with_frames(|frames| frames.unwrap().lock().unwrap().clone()),
        [0, 1, 2]
    );
}

/// A 1 MiB value whose `Clone` counts itself.
struct Blob(Vec<u8>);

static BLOB_CLONES: AtomicUsize = AtomicUsize::new(0);

impl Clone for Blob {
    fn clone(&self) -> Self {
        BLOB_CLONES.fetch_add(1, Ordering::Relaxed);
        Blob(self.0.clone())
    }
}

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct File {
    blob: Field<Blob>,
}

#[test]
fn with_lends_a_large_value_without_copying_it() {
    let file = Arc::new(File { blob: Field::new() });
    file.set_blob(Blob(vec![7; 1 << 20])).unwrap();
    let address = file.with_blob(|blob| blob.map(|blob| blob.0.as_ptr().addr()));
    let again = file.with_blob(|blob| blob.map(|blob| blob.0.as_ptr().addr()));
    assert_eq!(address, again, "the very same buffer, lent twice");
    let sum: u64 =
        file.with_blob(|blob| blob.map_or(0, |blob| blob.0.iter().map(|&b| u64::from(b)).sum()));
    assert_eq!(sum, 7 << 20);
    assert_eq!(BLOB_CLONES.load(Ordering::Relaxed), 0);
    let copy = file.blob();
    assert_eq!(
        BLOB_CLONES.load(Ordering::Relaxed),
        1,
        "the getter clones, `with_blob` does not"
    );
    assert_ne!(copy.map(|blob| blob.0.as_ptr().addr()), address);
}

#[test]
fn a_with_closure_reads_any_descriptor_even_while_a_writer_waits() {
    let (guido, ada) = (Arc::new(Person::new("G.")), Arc::new(Person::new("A.")));
    guido.set_age(68).unwrap();
    ada.set_age(36).unwrap();
    let barrier = Barrier::new(2);
    thread::scope(|scope| {
        scope.spawn(|| {
            barrier.wait();
            for age in 0..1_000 {
                ada.set_age(age % 100).unwrap();
            }
        });
        guido.with_age(|age| {
            barrier.wait();
            // Reads of the same table, of another owner and of another field, while the other
            // thread writes: nothing waits for this closure to end.
            for _ in 0..1_000 {
                assert!(ada.age().is_some());
                assert_eq!(guido.age(), age.copied());
                assert_eq!(guido.nickname(), "n/a");
            }
        });
    });
    assert_eq!(ada.age(), Some(99));
}

#[test]
fn a_write_from_inside_a_with_closure_panics_naming_the_field() {
    let (guido, ada) = (Arc::new(Person::new("G..")), Arc::new(Person::new("A..")));
    guido.set_age(68).unwrap();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        guido.with_age(|_| ada.set_age(1).unwrap());
    }));
    let message = outcome.unwrap_err().downcast::<String>().unwrap();
    assert!(
        message.starts_with("`Person.age` was written from inside the closure of a `with_` method"),
        "{message}"
    );
    ada.set_age(2).unwrap(); // after the closure, the write goes through
    assert_eq!(ada.age(), Some(2));
}
