//! The table's contract under concurrency: what user code may do while a value is read in place
//! (a `with` closure, a value's `Clone`), races between a reader of an equal owner and its
//! creator's drop, and panicking observers. Each test that could hang runs under a watchdog.

use std::hash::{Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use weakprop_core::{Descriptor, Descriptors, FieldInfo, Rules};

mod support;
use support::watchdog;

fn panic_message(f: impl FnOnce()) -> String {
    let payload = panic::catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => (*payload.downcast::<&str>().unwrap()).to_owned(),
    }
}

/// An owner keyed by its id whose `Drop` releases its entries, as a derived owner's does.
struct Person {
    id: u32,
}

impl Hash for Person {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl PartialEq for Person {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Person {}

impl Drop for Person {
    fn drop(&mut self) {
        AGE.release(self);
        NAME.release(self);
        LOG.release(self);
        TWIN_AGE.release(self);
    }
}

static AGE: Descriptor<Person, u32> = Descriptor::by_value("Person", "age", Rules::new());
static NAME: Descriptor<Person, String> = Descriptor::by_value("Person", "name", Rules::new());
static LOG: Descriptor<Person, Vec<String>> = Descriptor::by_value("Person", "log", Rules::new());
/// The first test's own field: it counts the field's entries, which tests running beside it
/// must not add to.
static TWIN_AGE: Descriptor<Person, u32> = Descriptor::by_value("Person", "twin_age", Rules::new());

/// A reader of an equal owner finds the creator's entry by `Eq`, pinning the creator meanwhile;
/// when another thread drops the creator at that moment, the pin is its last `Arc`, whose drop
/// releases the creator's entries. That drop must come after the read lock, or the release would
/// write under this thread's own read.
#[test]
fn a_reader_of_an_equal_owner_survives_its_creator_dying_on_another_thread() {
    watchdog(|| {
        let twin = Arc::new(Person { id: 1 });
        let stop = AtomicBool::new(false);
        let (reads, lives) = (AtomicUsize::new(0), AtomicUsize::new(0));
        thread::scope(|scope| {
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let creator = Arc::new(Person { id: 1 });
                    TWIN_AGE.set(&creator, 42).unwrap();
                    drop(creator);
                    lives.fetch_add(1, Ordering::Relaxed);
                }
            });
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    // Either no entry, or the creator's: never anything else.
                    assert!(matches!(TWIN_AGE.get(&twin), None | Some(42)));
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            });
            let start = Instant::now();
            while start.elapsed() < Duration::from_millis(1500) {
                thread::sleep(Duration::from_millis(20));
            }
            stop.store(true, Ordering::Relaxed);
        });
        assert!(reads.load(Ordering::Relaxed) > 0 && lives.load(Ordering::Relaxed) > 0);
        assert_eq!(TWIN_AGE.len(), 0);
    });
}

/// The same drop, made inside the read itself: a `with` closure of an equal owner drops the last
/// `Arc` of the entry's creator. Its release waits for the read to end, then happens at once.
#[test]
fn a_closure_that_drops_its_entrys_creator_releases_it_when_the_read_ends() {
    watchdog(|| {
        let creator = Arc::new(Person { id: 2 });
        NAME.set(&creator, "Guido".into()).unwrap();
        let twin = Arc::new(Person { id: 2 });
        let seen = NAME.with(&twin, move |name| {
            let seen = name.cloned();
            drop(creator); // the last `Arc`: its `Drop` releases, under this very read
            assert_eq!(name.map(String::as_str), Some("Guido"), "still lent");
            seen
        });
        assert_eq!(seen.as_deref(), Some("Guido"));
        assert_eq!(NAME.get(&twin), None, "released as the read ended");
        assert_eq!(NAME.purge(), 0, "nothing left for a sweep");
    });
}

#[test]
fn a_write_inside_a_with_closure_panics_naming_the_field_and_the_closure() {
    watchdog(|| {
        let (a, b) = (Arc::new(Person { id: 3 }), Arc::new(Person { id: 4 }));
        AGE.set(&a, 1).unwrap();
        // Another owner, another table: a write from a read is refused whatever it writes.
        let message = panic_message(|| AGE.with(&a, |_| NAME.set(&b, "x".into()).unwrap()));
        assert!(
            message.starts_with(
                "`Person.name` was written from inside the closure of a `with_` method"
            ),
            "{message}"
        );
        let message = panic_message(|| AGE.with(&a, |_| AGE.take(&b)).map(drop).unwrap_or(()));
        assert!(message.starts_with("`Person.age` was written"), "{message}");
        // Nothing is held after the panic: the tables work, from this thread and another.
        NAME.set(&b, "after".into()).unwrap();
        thread::scope(|scope| {
            scope.spawn(|| AGE.set(&a, 2).unwrap());
        });
        assert_eq!(AGE.get(&a), Some(2));
    });
}

/// A value whose `Clone` writes a descriptor: `get` runs it under the read.
#[derive(Debug)]
struct Noisy(u32);

static NOISY: Descriptor<Person, Noisy> = Descriptor::by_value("Person", "noisy", Rules::new());
static NOISY_OWNER: Mutex<Option<Arc<Person>>> = Mutex::new(None);

impl Clone for Noisy {
    fn clone(&self) -> Self {
        let owner = NOISY_OWNER.lock().unwrap().clone();
        if let Some(owner) = owner {
            AGE.set(&owner, self.0).unwrap();
        }
        Self(self.0)
    }
}

#[test]
fn a_value_clone_that_writes_panics_naming_the_clone() {
    watchdog(|| {
        let owner = Arc::new(Person { id: 5 });
        NOISY.set(&owner, Noisy(7)).unwrap();
        *NOISY_OWNER.lock().unwrap() = Some(owner.clone());
        let message = panic_message(|| drop(NOISY.get(&owner)));
        *NOISY_OWNER.lock().unwrap() = None;
        assert!(
            message.starts_with("`Person.age` was written from inside a value's `Clone`"),
            "{message}"
        );
        assert_eq!(NOISY.get(&owner).map(|noisy| noisy.0), Some(7));
    });
}

/// Two threads, each inside a `with` closure of one table, each writing the table the other
/// reads: with writes allowed there, each write waits for the other thread's read. Both are
/// refused instead, and neither thread hangs.
#[test]
fn crosswise_writes_from_two_closures_panic_instead_of_hanging() {
    watchdog(|| {
        let (a, b) = (Arc::new(Person { id: 6 }), Arc::new(Person { id: 7 }));
        AGE.set(&a, 1).unwrap();
        NAME.set(&b, "b".into()).unwrap();
        let both_inside = Barrier::new(2);
        let outcomes: Vec<String> = thread::scope(|scope| {
            let first = scope.spawn(|| {
                panic_message(|| {
                    AGE.with(&a, |_| {
                        both_inside.wait();
                        NAME.set(&b, "from a".into()).unwrap();
                    });
                })
            });
            let second = scope.spawn(|| {
                panic_message(|| {
                    NAME.with(&b, |_| {
                        both_inside.wait();
                        AGE.set(&a, 2).unwrap();
                    });
                })
            });
            vec![first.join().unwrap(), second.join().unwrap()]
        });
        for message in outcomes {
            assert!(
                message.contains("was written from inside the closure"),
                "{message}"
            );
        }
        assert_eq!((AGE.get(&a), NAME.get(&b).as_deref()), (Some(1), Some("b")));
    });
}

/// Two readers each hold one table and, from inside, read the other's, while a writer waits on
/// each table for the reader holding it. Queued behind those writers, each nested read would wait
/// for a writer that waits for the other reader: a deadlock. A nested read passes a writer that
/// is only waiting, so every thread finishes.
#[test]
fn nested_reads_across_tables_pass_waiting_writers() {
    watchdog(|| {
        let (a, b) = (Arc::new(Person { id: 8 }), Arc::new(Person { id: 9 }));
        AGE.set(&a, 1).unwrap();
        NAME.set(&b, "b".into()).unwrap();
        let inside = Barrier::new(4);
        // Long enough for both writers to be waiting on the readers.
        let writers_wait = Duration::from_millis(200);
        thread::scope(|scope| {
            scope.spawn(|| {
                AGE.with(&a, |_| {
                    inside.wait();
                    thread::sleep(writers_wait);
                    // Before or after the other thread's read lets its writer in.
                    assert!(matches!(NAME.get(&b).as_deref(), Some("b" | "written")));
                });
            });
            scope.spawn(|| {
                NAME.with(&b, |_| {
                    inside.wait();
                    thread::sleep(writers_wait);
                    assert!(matches!(AGE.get(&a), Some(1 | 2)));
                });
            });
            scope.spawn(|| {
                inside.wait();
                AGE.set(&a, 2).unwrap();
            });
            scope.spawn(|| {
                inside.wait();
                NAME.set(&b, "written".into()).unwrap();
            });
        });
        assert_eq!(
            (AGE.get(&a), NAME.get(&b).as_deref()),
            (Some(2), Some("written"))
        );
    });
}

/// Observers of the tests below: `on_change` hooks that panic on a marked value.
fn explode_on_13(_: &Arc<Observed>, _: Option<&i32>, new: Option<&i32>) {
    SEEN.lock().unwrap().push(format!("hook {new:?}"));
    assert_ne!(new, Some(&13), "the hook refused 13");
}

/// Not zero-sized: a table keeps a dead owner's key, until its sweep, as the pointer that
/// `Weak::into_raw` gives, which for a zero-sized type points one past the allocation, and
/// valgrind (`scripts/valgrind.sh`) would report that allocation as lost.
struct Observed(#[allow(dead_code)] u8);

impl Descriptors for Observed {
    fn fields() -> &'static [FieldInfo] {
        &[]
    }

    fn release(&self) {}
}

static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());
static FIRST: Descriptor<Observed, i32> =
    Descriptor::by_identity("Observed", "first", Rules::new().on_change(explode_on_13));
static SECOND: Descriptor<Observed, i32> =
    Descriptor::by_identity("Observed", "second", Rules::new().on_change(explode_on_13));
static OBSERVE_SERIAL: Mutex<()> = Mutex::new(());

#[test]
fn a_panicking_hook_does_not_silence_the_subscribers_of_its_change() {
    let _serial = OBSERVE_SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    SEEN.lock().unwrap().clear();
    let owner = Arc::new(Observed(0));
    let _first = FIRST.subscribe(|_, change| {
        SEEN.lock()
            .unwrap()
            .push(format!("one {:?}", change.new_value()));
        assert_ne!(
            change.new_value(),
            Some(&13),
            "the first subscriber refused 13"
        );
    });
    let _second = FIRST.subscribe(|_, change| {
        SEEN.lock()
            .unwrap()
            .push(format!("two {:?}", change.new_value()));
    });
    let message = panic_message(|| FIRST.set(&owner, 13).unwrap());
    assert!(
        message.contains("the hook refused 13"),
        "the first panic resumes: {message}"
    );
    assert_eq!(
        *SEEN.lock().unwrap(),
        ["hook Some(13)", "one Some(13)", "two Some(13)"],
        "every observer ran"
    );
    assert_eq!(FIRST.get(&owner), Some(13), "the write stands");
}

#[test]
fn a_panicking_hook_does_not_swallow_the_other_held_changes() {
    let _serial = OBSERVE_SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    SEEN.lock().unwrap().clear();
    let owner = Arc::new(Observed(0));
    let message = panic_message(|| {
        owner.hold_notifications(|| {
            FIRST.set(&owner, 13).unwrap();
            SECOND.set(&owner, 2).unwrap();
            assert!(SEEN.lock().unwrap().is_empty(), "held");
        });
    });
    assert!(message.contains("the hook refused 13"), "{message}");
    assert_eq!(*SEEN.lock().unwrap(), ["hook Some(13)", "hook Some(2)"]);
}
