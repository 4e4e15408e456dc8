//! Threads that come and go (reading in their thread-local destructors, nested, past the 31
//! exclusive slots) while writers write the same shards.
use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use weakprop_core::{Descriptor, Rules};

mod support;
use support::watchdog_for;

/// An owner keyed by identity.
struct N;
impl Drop for N {
    fn drop(&mut self) {
        A.release(self);
        B.release(self);
    }
}
static A: Descriptor<N, u64> = Descriptor::by_identity("N", "a", Rules::new());
static B: Descriptor<N, u64> = Descriptor::by_identity("N", "b", Rules::new());

struct Reader(Vec<Arc<N>>);
impl Drop for Reader {
    fn drop(&mut self) {
        // Nested reads of both tables in a TLS destructor, dropping owners inside.
        let owners = std::mem::take(&mut self.0);
        for pair in owners.chunks(2) {
            let mut victim = pair.get(1).cloned();
            A.with(&pair[0], |a| {
                B.with(&pair[0], |b| {
                    let _ = (a, b, A.get(&pair[0]), B.len());
                    drop(victim.take());
                });
            });
        }
    }
}
thread_local! {
    static READER: RefCell<Option<Reader>> = const { RefCell::new(None) };
}

#[test]
fn threads_coming_and_going_with_writers() {
    watchdog_for(Duration::from_secs(30), || {
        let shared: Arc<Vec<Arc<N>>> = Arc::new((0..32).map(|_| Arc::new(N)).collect());
        for n in shared.iter() {
            A.set(n, 1).unwrap();
            B.set(n, 1).unwrap();
        }
        let stop = Arc::new(AtomicBool::new(false));
        let spawned = Arc::new(AtomicUsize::new(0));
        let writers: Vec<_> = (0..2)
            .map(|_| {
                let (stop, shared) = (stop.clone(), shared.clone());
                thread::spawn(move || {
                    let mut k = 0_u64;
                    while !stop.load(Ordering::Relaxed) {
                        k += 1;
                        for n in shared.iter() {
                            A.set(n, k).unwrap();
                            B.set(n, k).unwrap();
                        }
                    }
                })
            })
            .collect();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(3) {
            let batch: Vec<_> = (0..40)
                .map(|_| {
                    let shared = shared.clone();
                    spawned.fetch_add(1, Ordering::Relaxed);
                    thread::spawn(move || {
                        let mut mine = Vec::new();
                        for n in shared.iter().take(8) {
                            let fresh = Arc::new(N);
                            A.set(&fresh, 5).unwrap();
                            mine.push(n.clone());
                            mine.push(fresh);
                        }
                        READER.with(|r| *r.borrow_mut() = Some(Reader(mine)));
                        for n in shared.iter() {
                            A.with(n, |_| {
                                let _ = B.get(n);
                            });
                        }
                    })
                })
                .collect();
            for t in batch {
                t.join().unwrap();
            }
        }
        stop.store(true, Ordering::Relaxed);
        for w in writers {
            w.join().unwrap();
        }
        eprintln!("threads: {}", spawned.load(Ordering::Relaxed));
        assert_eq!(A.len(), 32);
        assert_eq!(
            A.purge(),
            0,
            "every fresh owner released, none left for a sweep"
        );
    });
}
