//! A natural race: identity-keyed owners; some getters' `Clone` let go of an owner (its release
//! deferred); sweeps free the dead entries; threads create owners and check that the value they
//! just wrote for their own, live owner is still there.
use std::panic;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use weakprop_core::{Descriptor, Rules};

struct Node;
impl Drop for Node {
    fn drop(&mut self) {
        VALUE.release(self);
        LEASE.release(self);
    }
}
static VALUE: Descriptor<Node, u64> = Descriptor::by_identity("Node", "value", Rules::new());
#[derive(Default)]
struct Lease(Mutex<Option<Arc<Node>>>);
impl Clone for Lease {
    fn clone(&self) -> Self {
        drop(self.0.lock().unwrap().take());
        Lease::default()
    }
}
static LEASE: Descriptor<Node, Lease> = Descriptor::by_identity("Node", "lease", Rules::new());

#[test]
fn live_owners_keep_their_values() {
    let stop = Arc::new(AtomicBool::new(false));
    let lost = Arc::new(AtomicUsize::new(0));
    let checks = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let (stop, lost, checks) = (stop.clone(), lost.clone(), checks.clone());
            thread::spawn(move || {
                let mut i = 0_u64;
                let mut keep = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    // A leased node dies inside a getter's Clone.
                    let victim = Arc::new(Node);
                    VALUE.set(&victim, 1).unwrap();
                    let holder = Arc::new(Node);
                    LEASE.set(&holder, Lease(Mutex::new(Some(victim)))).unwrap();
                    let _ = LEASE.get(&holder);
                    if i.is_multiple_of(4) && std::env::var_os("NO_PURGE").is_none() {
                        VALUE.purge();
                    }
                    // My own live node: its value must stay while I hold it.
                    let mine = Arc::new(Node);
                    let v = (t as u64) << 32 | i;
                    VALUE.set(&mine, v).unwrap();
                    if i.is_multiple_of(64) {
                        let _ = VALUE.len(); // ends a non-Clone read: pending releases run
                    }
                    checks.fetch_add(1, Ordering::Relaxed);
                    if VALUE.get(&mine) != Some(v) {
                        lost.fetch_add(1, Ordering::Relaxed);
                    }
                    keep.push(mine);
                    if keep.len() > 32 {
                        keep.remove(0);
                    }
                }
            })
        })
        .collect();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(2) {
        thread::sleep(Duration::from_millis(20));
    }
    stop.store(true, Ordering::Relaxed);
    for h in handles {
        if let Err(p) = h.join() {
            panic::resume_unwind(p);
        }
    }
    let (lost, checks) = (lost.load(Ordering::Relaxed), checks.load(Ordering::Relaxed));
    assert_eq!(
        lost, 0,
        "{lost} of {checks} live owners lost the value just written"
    );
}
