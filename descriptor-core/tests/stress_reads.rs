//! Many threads (beyond the 31 exclusive reader slots) mixing nested reads,
//! drops inside closures and clones, equal-owner reads, takes, purges and writes.
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use weakprop_core::{Descriptor, Rules, WeakKeyMap};

mod support;
use support::watchdog_for;

/// How long the body may run before the test calls it a deadlock: 30 s, or `BREAK_PATIENCE`
/// seconds if that variable is set.
fn patience() -> Duration {
    std::env::var("BREAK_PATIENCE")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
        .unwrap_or(Duration::from_secs(30))
}

static MADE: AtomicUsize = AtomicUsize::new(0);
static DROPPED: AtomicUsize = AtomicUsize::new(0);

/// A value counted in and out; its Clone sometimes drops an owner it holds.
struct Val {
    n: u64,
    hold: Mutex<Option<Arc<P>>>,
}
impl Val {
    fn new(n: u64, hold: Option<Arc<P>>) -> Self {
        MADE.fetch_add(1, Ordering::SeqCst);
        Val {
            n,
            hold: Mutex::new(hold),
        }
    }
}
impl Clone for Val {
    fn clone(&self) -> Self {
        // Drop the held owner (possibly its last Arc) under the read, and read other tables.
        let held = self.hold.lock().unwrap().take();
        if let Some(p) = &held {
            let _ = B.get(p);
            let _ = MAP.get(&p.id);
        }
        drop(held);
        Val::new(self.n, None)
    }
}
impl Drop for Val {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::SeqCst);
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
        A.release(self);
        B.release(self);
    }
}

static A: Descriptor<P, Val> = Descriptor::by_value("P", "a", Rules::new());
static B: Descriptor<P, Val> = Descriptor::by_value("P", "b", Rules::new());
static MAP: WeakKeyMap<u32, u64> = WeakKeyMap::new();

fn rng(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn many_threads_mixing_everything() {
    let threads: usize = std::env::var("BREAK_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(48);
    let secs: u64 = std::env::var("BREAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    watchdog_for(patience(), move || {
        let stop = Arc::new(AtomicBool::new(false));
        let ops = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (stop, ops) = (stop.clone(), ops.clone());
                thread::spawn(move || {
                    let mut s = 0x9E37_79B9_7F4A_7C15_u64 ^ ((t as u64 + 1) * 0x1234_5678_9abc);
                    let mut keep: Vec<Arc<P>> = Vec::new();
                    let mut map_keys: Vec<Arc<u32>> = Vec::new();
                    while !stop.load(Ordering::Relaxed) {
                        let r = rng(&mut s);
                        let id = (r % 64) as u32;
                        match (r >> 8) % 12 {
                            0 | 1 => {
                                let p = Arc::new(P { id });
                                let hold = if r & (1 << 20) != 0 {
                                    Some(Arc::new(P { id: id + 1 }))
                                } else {
                                    None
                                };
                                if let Some(h) = &hold {
                                    let _ = A.set(h, Val::new(1, None));
                                }
                                let _ = A.set(&p, Val::new(r, hold));
                                if keep.len() < 8 {
                                    keep.push(p);
                                }
                            }
                            2 => {
                                let twin = P { id };
                                let _ = A.get(&twin);
                            }
                            3 => {
                                // Nested: a closure of B reads A of an equal owner, drops owners.
                                if let Some(p) = keep.pop() {
                                    let _ = B.set(&p, Val::new(2, None));
                                    let twin = Arc::new(P { id: p.id });
                                    B.with(&twin, |v| {
                                        let _ = A.get(&P { id: p.id });
                                        let _ = A.with(
                                            &P {
                                                id: (p.id + 3) % 64,
                                            },
                                            |w| w.map(|w| w.n),
                                        );
                                        if v.is_some() {
                                            drop(p); // maybe the last Arc: deferred
                                        }
                                        let _ = MAP.get(&id);
                                        let _ = A.len();
                                    });
                                }
                            }
                            4 => {
                                let p = Arc::new(P { id });
                                let _ = A.take(&p);
                            }
                            5 => {
                                if r.is_multiple_of(64) {
                                    A.purge();
                                    B.purge();
                                    MAP.purge();
                                }
                            }
                            6 => {
                                let k = Arc::new(id);
                                MAP.insert(&k, r);
                                if map_keys.len() < 4 {
                                    map_keys.push(k);
                                } else {
                                    map_keys.remove(0);
                                }
                            }
                            7 => {
                                let _ = MAP.get(&id);
                                let _ = MAP.get_or_insert_with(&Arc::new(id), || 5);
                            }
                            8 => {
                                let _ = A.keys_len_probe();
                            }
                            9 => {
                                if let Some(p) = keep.first() {
                                    let _ = A.replace(p, Val::new(3, None));
                                }
                            }
                            10 => {
                                keep.clear();
                            }
                            _ => {
                                let _ = A.get(&P { id });
                                let _ = B.get(&P { id });
                            }
                        }
                        ops.fetch_add(1, Ordering::Relaxed);
                    }
                    drop(keep);
                })
            })
            .collect();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(secs) {
            thread::sleep(Duration::from_millis(50));
        }
        stop.store(true, Ordering::Relaxed);
        for h in handles {
            h.join().unwrap();
        }
        eprintln!("ops: {}", ops.load(Ordering::Relaxed));
        A.purge();
        B.purge();
        assert_eq!(A.len(), 0);
        assert_eq!(B.len(), 0);
        let (made, dropped) = (MADE.load(Ordering::SeqCst), DROPPED.load(Ordering::SeqCst));
        assert_eq!(made, dropped, "values made vs dropped");
    });
}

trait Probe {
    fn keys_len_probe(&self) -> usize;
}
impl Probe for Descriptor<P, Val> {
    fn keys_len_probe(&self) -> usize {
        self.len() + usize::from(self.is_empty())
    }
}
