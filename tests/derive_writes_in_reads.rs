//! Every write entry point from inside a read, three kinds of read: a write panics naming what
//! ran, or (a lazy getter, `get_or_insert_with`, a release) is done without storing or later.
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use weakprop::{Descriptors, Field, WeakKeyMap};

const PATIENCE: Duration = Duration::from_secs(20);
fn watchdog(body: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let worker = thread::spawn(move || {
        body();
        let _ = done.send(());
    });
    match finished.recv_timeout(PATIENCE) {
        Ok(()) => worker.join().unwrap(),
        Err(RecvTimeoutError::Disconnected) => panic::resume_unwind(worker.join().unwrap_err()),
        Err(RecvTimeoutError::Timeout) => {
            eprintln!("DEADLOCK");
            std::process::abort()
        }
    }
}

fn triple(item: &Arc<Item>) -> u32 {
    item.qty().unwrap_or(0) * 3
}

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Item {
    sku: u32,
    qty: Field<u32>,
    #[descriptor(lazy = triple)]
    lazy: Field<u32>,
    probe: Field<Probe>,
}

static MAP: WeakKeyMap<Item, u32> = WeakKeyMap::new();

/// What a `Probe`'s Clone runs: set by the test.
type Action = Box<dyn Fn() -> String + Send + Sync>;
static ACTION: Mutex<Option<Arc<Action>>> = Mutex::new(None);
static OUT: Mutex<Vec<String>> = Mutex::new(Vec::new());

#[derive(PartialEq, Eq, Hash)]
struct Probe;
impl Clone for Probe {
    fn clone(&self) -> Self {
        let action = ACTION.lock().unwrap().clone();
        if let Some(a) = action {
            OUT.lock().unwrap().push(a());
        }
        Probe
    }
}

fn item(sku: u32) -> Arc<Item> {
    Arc::new(Item {
        sku,
        qty: Field::new(),
        lazy: Field::new(),
        probe: Field::new(),
    })
}

fn outcome(f: impl FnOnce() -> String) -> String {
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(s) => format!("ok: {s}"),
        Err(p) => format!(
            "PANIC: {}",
            p.downcast::<String>().map(|s| *s).unwrap_or_else(|p| p
                .downcast::<&str>()
                .map(|s| s.to_string())
                .unwrap_or_default())
        ),
    }
}

/// A write entry point, named, as a closure that reports its outcome.
type Write<'a> = (&'static str, Box<dyn FnOnce() -> String + 'a>);

fn writes(target: &Arc<Item>) -> Vec<Write<'_>> {
    let t = target;
    vec![
        ("set", Box::new(move || format!("{:?}", t.set_qty(1)))),
        ("take", Box::new(move || format!("{:?}", t.take_qty()))),
        (
            "replace",
            Box::new(move || format!("{:?}", Item::qty_descriptor().replace(t, 2))),
        ),
        (
            "set_validated",
            Box::new(move || {
                let v = Item::qty_descriptor().validate(t, 3).unwrap();
                format!("{:?}", Item::qty_descriptor().set_validated(t, v))
            }),
        ),
        (
            "load",
            Box::new(move || {
                format!(
                    "{:?}",
                    t.load(ItemValues {
                        qty: Some(4),
                        ..Default::default()
                    })
                    .is_ok()
                )
            }),
        ),
        (
            "purge",
            Box::new(move || format!("{}", Item::qty_descriptor().purge())),
        ),
        (
            "subscribe",
            Box::new(move || {
                let s = Item::qty_descriptor().subscribe(|_, _| {});
                drop(s);
                "sub".into()
            }),
        ),
        (
            "hold",
            Box::new(move || t.hold_notifications(|| "held".to_string())),
        ),
        ("lazy getter", Box::new(move || format!("{}", t.lazy()))),
        (
            "map insert",
            Box::new(move || format!("{:?}", MAP.insert(t, 1))),
        ),
        (
            "map remove",
            Box::new(move || format!("{:?}", MAP.remove(t))),
        ),
        (
            "map get_or_insert_with",
            Box::new(move || format!("{:?}", MAP.get_or_insert_with(t, || 9))),
        ),
        ("map purge", Box::new(move || format!("{}", MAP.purge()))),
        (
            "map release",
            Box::new(move || format!("{}", MAP.release(t))),
        ),
        (
            "Descriptors::release",
            Box::new(move || {
                t.release();
                "released".into()
            }),
        ),
    ]
}

#[test]
fn every_write_inside_a_with_closure() {
    watchdog(|| {
        let reader = item(1);
        reader.set_qty(10).unwrap();
        let target = item(2);
        target.set_qty(5).unwrap();
        MAP.insert(&target, 5);
        for (name, write) in writes(&target) {
            let o = reader.with_qty(|q| {
                assert!(q.is_some());
                outcome(write)
            });
            eprintln!("with_qty closure / {name}: {o}");
            // Still usable from here and from another thread.
            target.set_qty(5).unwrap();
            let t2 = target.clone();
            thread::spawn(move || {
                t2.set_qty(6).unwrap();
                MAP.insert(&t2, 6);
            })
            .join()
            .unwrap();
            assert_eq!(target.qty(), Some(6));
        }
        // The same, inside the same table's read of the very same owner:
        for (name, write) in writes(&target) {
            let o = target.with_qty(|_| outcome(write));
            eprintln!("with_qty of target itself / {name}: {o}");
            let _ = target.set_qty(5);
        }
    });
}

#[test]
fn every_write_inside_a_getters_clone() {
    watchdog(|| {
        let reader = item(11);
        reader.set_probe(Probe).unwrap();
        let target = item(12);
        target.set_qty(5).unwrap();
        MAP.insert(&target, 5);
        let names: Vec<&str> = writes(&target).into_iter().map(|(n, _)| n).collect();
        for (i, name) in names.iter().enumerate() {
            let t = target.clone();
            *ACTION.lock().unwrap() = Some(Arc::new(Box::new(move || {
                let (_, w) = writes(&t).into_iter().nth(i).unwrap();
                outcome(w)
            })));
            let _ = reader.probe();
            *ACTION.lock().unwrap() = None;
            let o = OUT.lock().unwrap().pop().unwrap();
            eprintln!("probe() Clone / {name}: {o}");
            target.set_qty(5).unwrap();
        }
    });
}

/// The guide: "Writing panics" from a `with_x` closure, whether or not the field holds a value
/// (given `None`, the closure runs after the lock, but still counts as a read), so that code
/// tested on unset fields does not start panicking once they are set.
#[test]
fn a_write_in_a_with_closure_panics_whether_or_not_the_field_is_set() {
    let a = item(40);
    let unset = outcome(|| a.with_qty(|q| format!("{:?} {:?}", q.copied(), a.set_qty(1))));
    a.set_qty(5).unwrap();
    let set = outcome(|| a.with_qty(|q| format!("{:?} {:?}", q.copied(), a.set_qty(2))));
    assert!(
        unset.starts_with("PANIC") && set.starts_with("PANIC"),
        "{unset}\n{set}"
    );
}
