//! `lazy = path`: Python's `functools.cached_property`, stored weakly per owner.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

use weakprop::{Descriptors, Field};

/// How often `area` ran, per shape name (tests run at once, each with shapes of its own).
static AREA_RUNS: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

fn area_runs(name: &str) -> usize {
    AREA_RUNS
        .lock()
        .unwrap()
        .iter()
        .filter(|&&run| run == name)
        .count()
}

fn area(shape: &Arc<Shape>) -> f64 {
    AREA_RUNS.lock().unwrap().push(shape.name);
    shape.width * shape.height
}

/// Reads another lazy field and an ordinary descriptor.
fn label(shape: &Arc<Shape>) -> String {
    let scale = shape.scale().unwrap_or(1.0);
    format!("{}: {}", shape.name, shape.area() * scale)
}

fn record(_: &Arc<Shape>, old: Option<&f64>, new: Option<&f64>) {
    CHANGES.lock().unwrap().push((old.copied(), new.copied()));
}

static CHANGES: Mutex<Vec<(Option<f64>, Option<f64>)>> = Mutex::new(Vec::new());

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Shape {
    name: &'static str,
    width: f64,
    height: f64,
    #[descriptor(lazy = area, range(min = 0.0), on_change = record)]
    area: Field<f64>,
    #[descriptor(lazy = label)]
    label: Field<String>,
    scale: Field<f64>,
}

fn shape(name: &'static str, width: f64, height: f64) -> Arc<Shape> {
    Arc::new(Shape {
        name,
        width,
        height,
        area: Field::new(),
        label: Field::new(),
        scale: Field::new(),
    })
}

#[test]
fn a_lazy_value_is_computed_once_and_stored() {
    let square = shape("square", 3.0, 3.0);
    assert_eq!(
        Shape::area_descriptor().get(&square),
        None,
        "nothing before the first read"
    );
    assert_eq!(square.area(), 9.0);
    assert_eq!(square.area(), 9.0);
    assert_eq!(square.with_area(|area| *area * 2.0), 18.0);
    assert_eq!(area_runs("square"), 1);
    assert_eq!(Shape::area_descriptor().get(&square), Some(9.0), "stored");
    assert_eq!(square.snapshot().area, Some(9.0));
}

#[test]
fn take_invalidates_and_the_next_read_computes_again() {
    let rect = shape("rect", 2.0, 5.0);
    assert_eq!(rect.area(), 10.0);
    assert_eq!(rect.take_area(), Some(10.0));
    assert_eq!(Shape::area_descriptor().get(&rect), None);
    assert_eq!(rect.area(), 10.0);
    assert_eq!(area_runs("rect"), 2);
}

#[test]
fn set_overrides_through_the_rules() {
    let rect = shape("override", 2.0, 5.0);
    rect.set_area(42.0).unwrap();
    assert_eq!(rect.area(), 42.0);
    assert_eq!(
        area_runs("override"),
        0,
        "no computation over a stored value"
    );
    assert_eq!(
        rect.set_area(-1.0).unwrap_err().to_string(),
        "Shape.area: -1.0 is below the minimum 0.0"
    );
    assert_eq!(rect.area(), 42.0);
}

#[test]
fn a_lazy_function_reads_other_descriptors_and_other_lazy_fields() {
    let tile = shape("tile", 2.0, 2.0);
    tile.set_scale(10.0).unwrap();
    assert_eq!(tile.label(), "tile: 40");
    assert_eq!(
        tile.with_area(|area| *area),
        4.0,
        "computed by label's function, stored"
    );
}

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Loop {
    #[descriptor(lazy = loops)]
    value: Field<u32>,
}

fn loops(owner: &Arc<Loop>) -> u32 {
    owner.value() + 1
}

#[test]
fn a_lazy_function_that_reads_its_own_field_panics_naming_it() {
    let owner = Arc::new(Loop {
        value: Field::new(),
    });
    let payload = panic::catch_unwind(AssertUnwindSafe(|| owner.value())).unwrap_err();
    let message = payload.downcast_ref::<String>().unwrap();
    assert_eq!(
        message,
        "Loop.value: its `lazy` function read `Loop.value` of the same owner, which it is \
         computing; a lazy value cannot depend on itself"
    );
    // Nothing was stored, nothing is stuck: the field still works.
    owner.set_value(7).unwrap();
    assert_eq!(owner.value(), 7);
}

#[test]
fn computing_is_a_change_that_observers_see() {
    let square = shape("observed", 4.0, 4.0);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let _subscription = Shape::area_descriptor().subscribe(move |owner, change| {
        if owner.name == "observed" {
            sink.lock()
                .unwrap()
                .push((change.old_value().copied(), change.new_value().copied()));
        }
    });
    assert_eq!(square.area(), 16.0);
    assert_eq!(square.area(), 16.0);
    square.take_area();
    assert_eq!(
        *seen.lock().unwrap(),
        [(None, Some(16.0)), (Some(16.0), None)]
    );
    assert!(
        CHANGES.lock().unwrap().contains(&(None, Some(16.0))),
        "on_change too"
    );
}

static SLOW_RUNS: AtomicUsize = AtomicUsize::new(0);

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Report {
    #[descriptor(lazy = slow_build)]
    body: Field<Arc<String>>,
}

fn slow_build(_: &Arc<Report>) -> Arc<String> {
    let run = SLOW_RUNS.fetch_add(1, Ordering::Relaxed);
    thread::sleep(std::time::Duration::from_millis(20));
    Arc::new(format!("built by run {run}"))
}

#[test]
fn threads_reading_at_once_agree_on_the_value_stored_first() {
    let report = Arc::new(Report { body: Field::new() });
    let barrier = Barrier::new(4);
    let bodies: Vec<Arc<String>> = thread::scope(|scope| {
        let readers: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    barrier.wait();
                    report.body()
                })
            })
            .collect();
        readers
            .into_iter()
            .map(|reader| reader.join().unwrap())
            .collect()
    });
    assert!(
        bodies
            .windows(2)
            .all(|pair| Arc::ptr_eq(&pair[0], &pair[1])),
        "{bodies:?}"
    );
    let runs = SLOW_RUNS.load(Ordering::Relaxed);
    // Each thread that found the field unset computed it: with a 20 ms function and a barrier,
    // usually all four. The documented bound is one run per reading thread.
    assert!((1..=4).contains(&runs), "{runs} runs");
    println!("4 threads reading an unset lazy field at once: the function ran {runs} times");
}

static DROPS: AtomicUsize = AtomicUsize::new(0);

struct Counted(u32);

impl Drop for Counted {
    fn drop(&mut self) {
        DROPS.fetch_add(1, Ordering::Relaxed);
    }
}

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Holder {
    #[descriptor(lazy = counted)]
    value: Field<Counted>,
}

fn counted(_: &Arc<Holder>) -> Counted {
    Counted(5)
}

#[test]
fn a_computed_value_leaves_with_its_owner() {
    let holder = Arc::new(Holder {
        value: Field::new(),
    });
    assert_eq!(holder.with_value(|value| value.0), 5);
    assert_eq!(Holder::value_descriptor().len(), 1);
    let before = DROPS.load(Ordering::Relaxed);
    drop(holder);
    assert_eq!(DROPS.load(Ordering::Relaxed), before + 1);
    assert!(Holder::value_descriptor().is_empty());
}

#[test]
fn field_info_lists_lazy_among_the_rules() {
    let area = Shape::fields()
        .iter()
        .find(|field| field.name == "area")
        .unwrap();
    assert_eq!(
        area.rules,
        ["range(min = 0.0)", "lazy = area", "on_change = record"]
    );
    assert!(!area.has_default);
}

#[test]
fn a_lazy_getter_inside_a_read_computes_without_storing() {
    let square = shape("inside a read", 2.0, 2.0);
    square.set_scale(1.0).unwrap();
    // Storing would be a write from inside `with_scale`'s read: the value is computed and lent.
    let inside = square.with_scale(|_| square.area());
    assert_eq!(inside, 4.0);
    assert_eq!(Shape::area_descriptor().len(), 0, "not stored");
    assert_eq!(square.area(), 4.0); // outside any read: computed again, and stored
    assert_eq!(area_runs("inside a read"), 2);
    assert!(Shape::area_descriptor().contains(&square));
}
