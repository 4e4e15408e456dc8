//! Releases deferred to the end of a read (an owner whose last `Arc` drops in a `Clone` or a
//! closure): when they run, what they pin, and panicking values. Found by a review that tried
//! to break the contract; each test has tables of its own (a module from `tables!`), so that no
//! test's purge frees another test's garbage.
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

mod support;
use support::watchdog;

/// Counts its drops.
pub struct Counted(pub &'static AtomicUsize);
impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A value whose `Clone` lets go of the owner it holds.
pub struct Dropper<P>(pub Mutex<Option<Arc<P>>>);
impl<P> Clone for Dropper<P> {
    fn clone(&self) -> Self {
        drop(self.0.lock().unwrap().take());
        Dropper(Mutex::new(None))
    }
}

/// A value whose `Drop` panics.
pub struct PanicsOnDrop;
impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        panic!("value drop panics");
    }
}

/// `Person` keyed by `id`, whose `Drop` releases its entries (as a derived owner's does), with
/// `SCORE` (counted values), `HOLD` (values whose `Clone` drops an owner) and `BOMB` (values
/// that panic on drop). `identity` keys them by address instead.
macro_rules! tables {
    ($module:ident, $keying:ident) => {
        mod $module {
            use super::*;
            use std::hash::{Hash, Hasher};
            use weakprop_core::{Descriptor, Rules};
            pub struct Person {
                pub id: u32,
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
                    SCORE.release(self);
                    HOLD.release(self);
                    BOMB.release(self);
                }
            }
            pub static SCORE: Descriptor<Person, Counted> =
                Descriptor::$keying("Person", "score", Rules::new());
            pub static HOLD: Descriptor<Person, Dropper<Person>> =
                Descriptor::$keying("Person", "hold", Rules::new());
            pub static BOMB: Descriptor<Person, PanicsOnDrop> =
                Descriptor::$keying("Person", "bomb", Rules::new());
            pub fn person(id: u32) -> Arc<Person> {
                Arc::new(Person { id })
            }
            #[allow(dead_code)]
            /// A new owner with `id`, at `address` if the allocator gives it back within 16 tries.
            pub fn person_at(id: u32, address: usize) -> (Arc<Person>, bool) {
                let mut spare = Vec::new();
                let mut p = person(id);
                while Arc::as_ptr(&p) as usize != address && spare.len() < 16 {
                    spare.push(p);
                    p = person(id);
                }
                let reused = Arc::as_ptr(&p) as usize == address;
                (p, reused)
            }
        }
    };
}

tables!(t1, by_value);
tables!(t2, by_value);
tables!(t3, by_value);
tables!(t4, by_value);
tables!(t5, by_value);
tables!(t6, by_value);
tables!(t7, by_value);

/// An owner whose last `Arc` drops in a value's `Clone` under a plain `get` (the outermost
/// read) is released as the `get` returns.
#[test]
fn an_owner_dropped_in_the_clone_of_a_get_is_released_when_the_get_returns() {
    use t1::*;
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    watchdog(|| {
        let victim = person(100);
        SCORE.set(&victim, Counted(&DROPS)).unwrap();
        let holder = person(101);
        HOLD.set(&holder, Dropper(Mutex::new(Some(victim))))
            .unwrap();
        let _ = HOLD.get(&holder); // the Clone drops `victim`'s last Arc
        assert_eq!(
            DROPS.load(Ordering::SeqCst),
            1,
            "not released as the get returned"
        );
    });
}

/// The same `Clone`, nested in a `with` closure, is released as `with` returns.
#[test]
fn an_owner_dropped_in_a_clone_nested_in_a_with_is_released() {
    use t2::*;
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    watchdog(|| {
        let victim = person(200);
        SCORE.set(&victim, Counted(&DROPS)).unwrap();
        let holder = person(201);
        HOLD.set(&holder, Dropper(Mutex::new(Some(victim))))
            .unwrap();
        HOLD.with(&holder, |v| drop(v.cloned()));
        assert_eq!(DROPS.load(Ordering::SeqCst), 1);
    });
}

/// An owner dies inside a `with` closure; while the closure runs, another thread purges the
/// dead entry (an insert's amortised sweep does the same) and creates an equal owner, trying
/// for the same address, and sets its value. The deferred release pins the dead owner's
/// allocation, so the address cannot be reused: the other thread's value stays.
#[test]
fn a_deferred_release_pins_its_owner_so_no_new_owner_takes_its_address() {
    use t4::*;
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    watchdog(|| {
        let victim = person(400);
        let address = Arc::as_ptr(&victim) as usize;
        SCORE.set(&victim, Counted(&DROPS)).unwrap();
        let holder = person(401);
        HOLD.set(&holder, Dropper(Mutex::new(None))).unwrap();
        let (to_b, from_a) = mpsc::channel::<()>();
        let (to_a, from_b) = mpsc::channel::<(Arc<Person>, bool)>();
        let b = thread::spawn(move || {
            from_a.recv().unwrap();
            assert_eq!(SCORE.purge(), 1);
            let (newcomer, reused) = person_at(400, address);
            SCORE.set(&newcomer, Counted(&DROPS)).unwrap();
            to_a.send((newcomer, reused)).unwrap();
        });
        let mut victim = Some(victim);
        let (newcomer, reused) = HOLD.with(&holder, |v| {
            assert!(v.is_some());
            drop(victim.take()); // the last Arc: release deferred to the end of this read
            to_b.send(()).unwrap();
            from_b.recv().unwrap()
        });
        b.join().unwrap();
        assert!(
            SCORE.contains(&newcomer),
            "another thread's live owner lost its value (address reused: {reused})"
        );
    });
}

/// Holds: an owner dropped inside a closure that then panics is released during unwinding.
#[test]
fn held_owner_dropped_in_a_panicking_closure_is_released() {
    use t5::*;
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    watchdog(|| {
        let victim = person(500);
        SCORE.set(&victim, Counted(&DROPS)).unwrap();
        let holder = person(501);
        HOLD.set(&holder, Dropper(Mutex::new(None))).unwrap();
        let mut victim = Some(victim);
        let r = panic::catch_unwind(AssertUnwindSafe(|| {
            HOLD.with(&holder, |_| {
                drop(victim.take());
                panic!("closure panics after dropping an owner");
            })
        }));
        assert!(r.is_err());
        assert_eq!(DROPS.load(Ordering::SeqCst), 1);
        assert_eq!(SCORE.purge(), 0);
        SCORE.set(&holder, Counted(&DROPS)).unwrap();
    });
}

/// Two owners die in one closure; the first one's value panics on drop as the read ends: the
/// second's deferred release runs anyway, then the panic resumes.
#[test]
fn a_panicking_deferred_release_does_not_skip_the_rest() {
    use t6::*;
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    watchdog(|| {
        let first = person(600);
        BOMB.set(&first, PanicsOnDrop).unwrap();
        let second = person(601);
        SCORE.set(&second, Counted(&DROPS)).unwrap();
        let holder = person(602);
        HOLD.set(&holder, Dropper(Mutex::new(None))).unwrap();
        let mut owners = Some((first, second));
        let r = panic::catch_unwind(AssertUnwindSafe(|| {
            HOLD.with(&holder, |_| drop(owners.take()));
        }));
        assert!(r.is_err(), "the value's panic surfaces from `with`");
        assert_eq!(
            DROPS.load(Ordering::SeqCst),
            1,
            "second owner's value was not released"
        );
    });
}

/// The same panicking value, its owner dropped in a closure that then panics: the deferred
/// release drops it during unwinding, where a second panic would abort the process; it is
/// dropped instead, and the closure's panic continues. Run in a child process, which would die
/// if it aborted.
#[test]
fn a_deferred_value_drop_panicking_during_unwind_does_not_abort() {
    use t7::*;
    if std::env::var("DEFERRED_RELEASES_CHILD").is_ok() {
        let victim = person(700);
        BOMB.set(&victim, PanicsOnDrop).unwrap();
        let holder = person(701);
        HOLD.set(&holder, Dropper(Mutex::new(None))).unwrap();
        let mut victim = Some(victim);
        let r = panic::catch_unwind(AssertUnwindSafe(|| {
            HOLD.with(&holder, |_| {
                drop(victim.take());
                panic!("closure panics after dropping an owner");
            })
        }));
        eprintln!("CHILD SURVIVED: {}", r.is_err());
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "a_deferred_value_drop_panicking_during_unwind_does_not_abort",
            "--exact",
            "--nocapture",
        ])
        .env("DEFERRED_RELEASES_CHILD", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("CHILD SURVIVED"),
        "child died: {:?}",
        out.status
    );
}
