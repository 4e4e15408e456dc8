//! Deferred releases in thread-local destructors that run after the library's own.
use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use weakprop_core::{Descriptor, Rules};

mod support;
use support::watchdog;

struct Counted(&'static AtomicUsize);
impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

struct P {
    id: u32,
}
impl Hash for P {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}
impl PartialEq for P {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}
impl Eq for P {}
impl Drop for P {
    fn drop(&mut self) {
        SCORE.release(self);
        NAME.release(self);
    }
}
static SCORE: Descriptor<P, Counted> = Descriptor::by_value("P", "score", Rules::new());
static NAME: Descriptor<P, String> = Descriptor::by_value("P", "name", Rules::new());

static DROPS: AtomicUsize = AtomicUsize::new(0);
static AT_READ_END: AtomicUsize = AtomicUsize::new(usize::MAX);

/// In a TLS destructor: a `with` closure drops an owner's last Arc.
struct Late(Option<(Arc<P>, Arc<P>)>);
impl Drop for Late {
    fn drop(&mut self) {
        let (holder, victim) = self.0.take().unwrap();
        let mut victim = Some(victim);
        NAME.with(&holder, |v| {
            assert!(v.is_some());
            drop(victim.take());
        });
        AT_READ_END.store(DROPS.load(Ordering::SeqCst), Ordering::SeqCst);
    }
}
thread_local! {
    static LATE: RefCell<Late> = const { RefCell::new(Late(None)) };
}

/// Whichever order the destructors run in, the value is dropped once: when the read ends if the
/// library's list of deferred work is still there, else by the sweep (the guide's one exception).
#[test]
fn owner_dropped_in_a_closure_in_a_late_tls_destructor_is_released_or_swept() {
    watchdog(|| {
        thread::spawn(|| {
            // Registered first: its destructor runs after the library's (LIFO), or before.
            LATE.with(|late| {
                let holder = Arc::new(P { id: 1 });
                NAME.set(&holder, "h".into()).unwrap();
                let victim = Arc::new(P { id: 2 });
                SCORE.set(&victim, Counted(&DROPS)).unwrap();
                late.borrow_mut().0 = Some((holder, victim));
            });
            // A read with a deferral, so that the library's deferred list exists.
            let x = Arc::new(P { id: 3 });
            NAME.set(&x, "x".into()).unwrap();
            let y = Arc::new(P { id: 4 });
            NAME.set(&y, "y".into()).unwrap();
            let mut y = Some(y);
            NAME.with(&x, |_| drop(y.take())); // a real deferral: the list now exists
        })
        .join()
        .unwrap();
        let at_read_end = AT_READ_END.load(Ordering::SeqCst);
        assert!(at_read_end <= 1, "dropped at most once: {at_read_end}");
        let swept = SCORE.purge();
        assert_eq!(
            at_read_end + swept,
            1,
            "released when the read ended, or swept"
        );
        assert_eq!(DROPS.load(Ordering::SeqCst), 1);
    });
}
