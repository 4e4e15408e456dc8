//! Held changes delivered by a thread that holds a read: observers run after it, outside every
//! lock.
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

use weakprop_core::{Descriptor, Descriptors, FieldInfo, Rules};

mod support;
use support::watchdog;

/// Not zero-sized: a table keeps a dead owner's key, until its sweep, as the pointer that
/// `Weak::into_raw` gives, which for a zero-sized type points one past the allocation, and
/// valgrind (`scripts/valgrind.sh`) would report that allocation as lost.
struct Doc(#[allow(dead_code)] u8);
impl Descriptors for Doc {
    fn fields() -> &'static [FieldInfo] {
        &[]
    }
    fn release(&self) {
        TITLE.release(self);
        AUDIT.release(self);
        VIEW.release(self);
    }
}

static OBSERVER_RESULT: Mutex<Option<String>> = Mutex::new(None);

/// `on_change` of TITLE: writes AUDIT, as the guide says an observer may.
fn audit(owner: &Arc<Doc>, _: Option<&String>, new: Option<&String>) {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        AUDIT.set(owner, format!("title -> {new:?}")).unwrap();
    }));
    *OBSERVER_RESULT.lock().unwrap() = Some(match outcome {
        Ok(()) => "observer wrote fine".into(),
        Err(p) => p
            .downcast::<String>()
            .map(|s| *s)
            .unwrap_or_else(|_| "non-string panic".into()),
    });
}

static TITLE: Descriptor<Doc, String> =
    Descriptor::by_identity("Doc", "title", Rules::new().on_change(audit));
static AUDIT: Descriptor<Doc, String> = Descriptor::by_identity("Doc", "audit", Rules::new());
static VIEW: Descriptor<Doc, u32> = Descriptor::by_identity("Doc", "view", Rules::new());

/// Thread 1 holds `doc`'s notifications and writes TITLE. Thread 2, inside a `with` closure,
/// enters a hold of the same owner (allowed: a hold is no write) and leaves it after thread 1's
/// hold ended, so its hold is the outermost and delivers thread 1's change — inside the closure,
/// under a read. The observer's write then panics "written from inside the closure".
#[test]
fn held_changes_are_delivered_inside_another_threads_with_closure() {
    watchdog(|| {
        let doc = Arc::new(Doc(0));
        let other = Arc::new(Doc(0));
        VIEW.set(&other, 1).unwrap();
        let step = Arc::new(Barrier::new(2));
        let t1 = {
            let (doc, step) = (doc.clone(), step.clone());
            thread::spawn(move || {
                doc.hold_notifications(|| {
                    TITLE.set(&doc, "draft".into()).unwrap();
                    step.wait(); // 1: thread 2 may enter its hold
                    step.wait(); // 2: thread 2 is inside its hold
                });
                step.wait(); // 3: this hold has ended
            })
        };
        VIEW.with(&other, |v| {
            assert!(v.is_some());
            step.wait(); // 1
            doc.hold_notifications(|| {
                step.wait(); // 2
                step.wait(); // 3
            });
        });
        t1.join().unwrap();
        let result = OBSERVER_RESULT.lock().unwrap().clone();
        assert_eq!(
            result.as_deref(),
            Some("observer wrote fine"),
            "the observer ran under another thread's read"
        );
        assert!(AUDIT.get(&doc).is_some());
    });
}
