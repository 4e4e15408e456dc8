//! Run-time observation: subscriptions, their order and lifetime, and held notifications.

use std::sync::{Arc, Mutex};
use std::thread;

use weakprop_core::{Descriptor, Descriptors, FieldInfo, Rules, Subscription};

/// A thread-safe log that subscribers append to.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    fn push(&self, line: String) {
        self.0.lock().unwrap().push(line);
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

fn describe(tag: &str, field: &str, old: Option<&i32>, new: Option<&i32>) -> String {
    format!("{tag} {field}: {old:?} -> {new:?}")
}

/// Not zero-sized: a table keeps a dead owner's key, until its sweep, as the pointer that
/// `Weak::into_raw` gives, which for a zero-sized type points one past the allocation, and
/// valgrind (`scripts/valgrind.sh`) would report that allocation as lost.
struct Point(#[allow(dead_code)] u8);

impl Descriptors for Point {
    fn fields() -> &'static [FieldInfo] {
        &[]
    }

    fn release(&self) {}
}

#[test]
fn subscribers_run_after_the_write_in_subscription_order() {
    static X: Descriptor<Point, i32> = Descriptor::by_identity("Point", "x", Rules::new());
    let log = Log::default();
    let point = Arc::new(Point(0));
    let subscriptions: Vec<Subscription> = ["first", "second", "third"]
        .into_iter()
        .map(|tag| {
            let log = log.clone();
            X.subscribe(move |owner, change| {
                // After the write: the new value is already readable.
                assert_eq!(X.get(owner).as_ref(), change.new_value());
                log.push(describe(
                    tag,
                    change.field(),
                    change.old_value(),
                    change.new_value(),
                ));
            })
        })
        .collect();
    X.set(&point, 1).unwrap();
    assert_eq!(
        log.take(),
        [
            "first x: None -> Some(1)",
            "second x: None -> Some(1)",
            "third x: None -> Some(1)"
        ]
    );
    drop(subscriptions);
    X.set(&point, 2).unwrap();
    assert!(log.take().is_empty());
}

#[test]
fn change_carries_the_owner_and_take_reports_no_new_value() {
    static X: Descriptor<Point, i32> = Descriptor::by_identity("Point", "x", Rules::new());
    let point = Arc::new(Point(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (target, log) = (point.clone(), seen.clone());
    let _subscription = X.subscribe(move |owner, change| {
        assert!(Arc::ptr_eq(owner, &target) && Arc::ptr_eq(change.owner(), &target));
        log.lock()
            .unwrap()
            .push((change.old_value().copied(), change.new_value().copied()));
    });
    X.set(&point, 5).unwrap();
    assert_eq!(X.take(&point), Some(5));
    assert_eq!(X.take(&point), None); // nothing taken, nothing reported
    assert_eq!(*seen.lock().unwrap(), [(None, Some(5)), (Some(5), None)]);
}

#[test]
fn failed_writes_notify_nobody() {
    fn positive(value: &i32) -> Result<(), weakprop_core::ErrorKind> {
        weakprop_core::validate::range(value, Some(&1), None)
    }
    static X: Descriptor<Point, i32> =
        Descriptor::by_identity("Point", "x", Rules::new().check(positive));
    let log = Log::default();
    let sink = log.clone();
    let _subscription = X.subscribe(move |_, change| sink.push(change.field().to_owned()));
    assert!(X.set(&Arc::new(Point(0)), 0).is_err());
    assert!(log.take().is_empty());
}

#[test]
fn subscribers_may_write_subscribe_and_unsubscribe_without_deadlock() {
    static X: Descriptor<Point, i32> = Descriptor::by_identity("Point", "x", Rules::new());
    static Y: Descriptor<Point, i32> = Descriptor::by_identity("Point", "y", Rules::new());
    let log = Log::default();
    let late: Arc<Mutex<Vec<Subscription>>> = Arc::default();
    let (sink, keep) = (log.clone(), late.clone());
    let mirror = X.subscribe(move |owner, change| {
        // Writes another field and subscribes to this one from inside a callback.
        Y.set(owner, change.new_value().copied().unwrap_or(0) * 10)
            .unwrap();
        let sink = sink.clone();
        keep.lock().unwrap().push(X.subscribe(move |_, change| {
            sink.push(format!("late {:?}", change.new_value()));
        }));
    });
    let point = Arc::new(Point(0));
    X.set(&point, 1).unwrap();
    assert_eq!(Y.get(&point), Some(10));
    drop(mirror);
    X.set(&point, 2).unwrap();
    assert_eq!(log.take(), ["late Some(2)"]);
    // A subscriber that unsubscribes itself.
    let slot: Arc<Mutex<Option<Subscription>>> = Arc::default();
    let own = slot.clone();
    *slot.lock().unwrap() = Some(X.subscribe(move |_, _| drop(own.lock().unwrap().take())));
    X.set(&point, 3).unwrap();
    assert!(slot.lock().unwrap().is_none());
    late.lock().unwrap().clear();
}

#[test]
fn held_notifications_deliver_one_change_per_field_in_first_change_order() {
    static X: Descriptor<Point, i32> = Descriptor::by_identity("Point", "x", Rules::new());
    static Y: Descriptor<Point, i32> = Descriptor::by_identity("Point", "y", Rules::new());
    let log = Log::default();
    let _subscriptions: Vec<Subscription> = [&X, &Y]
        .into_iter()
        .map(|descriptor| {
            let log = log.clone();
            descriptor.subscribe(move |_, change| {
                log.push(describe(
                    "held",
                    change.field(),
                    change.old_value(),
                    change.new_value(),
                ));
            })
        })
        .collect();
    let point = Arc::new(Point(0));
    X.set(&point, 1).unwrap();
    log.take();
    point.hold_notifications(|| {
        Y.set(&point, 10).unwrap();
        X.set(&point, 2).unwrap();
        X.set(&point, 3).unwrap();
        point.hold_notifications(|| X.set(&point, 4).unwrap()); // nested: still held
        Y.take(&point);
        assert!(log.take().is_empty());
    });
    assert_eq!(
        log.take(),
        ["held x: Some(1) -> Some(4)"] // y was set and taken again: no change to report
    );
    // Other owners are not held.
    let other = Arc::new(Point(0));
    point.hold_notifications(|| X.set(&other, 7).unwrap());
    assert_eq!(log.take(), ["held x: None -> Some(7)"]);
}

#[test]
fn held_notifications_cover_writes_from_other_threads_and_survive_a_panic() {
    static X: Descriptor<Point, i32> = Descriptor::by_identity("Point", "x", Rules::new());
    let log = Log::default();
    let sink = log.clone();
    let _subscription = X.subscribe(move |_, change| {
        sink.push(describe(
            "threads",
            change.field(),
            change.old_value(),
            change.new_value(),
        ));
    });
    let point = Arc::new(Point(0));
    point.hold_notifications(|| {
        let remote = point.clone();
        thread::spawn(move || X.set(&remote, 1).unwrap())
            .join()
            .unwrap();
        assert!(log.take().is_empty());
    });
    assert_eq!(log.take(), ["threads x: None -> Some(1)"]);

    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        point.hold_notifications(|| {
            X.set(&point, 2).unwrap();
            panic!("user code failed mid-batch");
        })
    }));
    assert!(panicked.is_err());
    assert_eq!(log.take(), ["threads x: Some(1) -> Some(2)"]);
}

#[test]
fn validate_then_set_validated_writes_only_checked_values() {
    fn small(value: &i32) -> Result<(), weakprop_core::ErrorKind> {
        weakprop_core::validate::range(value, None, Some(&9))
    }
    fn double(value: i32) -> i32 {
        value * 2
    }
    static X: Descriptor<Point, i32> =
        Descriptor::by_identity("Point", "x", Rules::new().coerce(double).check(small));
    static ONCE: Descriptor<Point, i32> =
        Descriptor::by_identity("Point", "once", Rules::new().once());
    let point = Arc::new(Point(0));
    let checked = X.validate(&point, 4).unwrap();
    assert_eq!(*checked.value(), 8);
    assert!(X.validate(&point, 5).is_err());
    assert_eq!(X.get(&point), None);
    X.set_validated(&point, checked).unwrap();
    assert_eq!(X.get(&point), Some(8));
    // A value validated by another descriptor is checked again by this one.
    let foreign = ONCE.validate(&point, 100).unwrap();
    assert!(X.set_validated(&point, foreign).is_err());
    ONCE.set(&point, 1).unwrap();
    assert!(ONCE.validate(&point, 2).is_err());
}
