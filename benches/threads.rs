//! Two threads against one: total throughput of our descriptors (`Person`, keyed by a `String`
//! name, by value) and, for reference, of a hand-rolled `RwLock<HashMap<usize, u32>>` and of a
//! plain field read (`floor`: what perfect scaling looks like on this machine).
//!
//! Scenarios, each timed as "one thread alone" and "two threads at once":
//!
//! - `disjoint`: 1,024 live owners split in two halves; each thread alternates `x()` and
//!   `set_x()` round-robin over its own half (one thread alone works on the first half).
//! - `shared`: 64 owners, read (`x()`) round-robin by every thread.
//!
//! Every thread performs `OPS` operations; throughput is all threads' operations over the time
//! of the slowest thread, and each figure is the median of `RUNS` runs. Prints human-readable
//! lines and, for `scripts/bench.sh`, `THREADS <impl> <scenario> <threads> <ops_per_sec>` and
//! `SCALING <impl> <scenario> <two-thread / one-thread>` lines.
//!
//! `OPS` and `RUNS` can be overridden with the `BENCH_THREADS_OPS` and `BENCH_THREADS_RUNS`
//! environment variables.

mod support;

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::{Arc, Barrier, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use support::{LIVE, Person, age_of, make};

const OPS: usize = 2_000_000;
const RUNS: usize = 7;
const SHARED: usize = 64;

/// One thread's work: `ops` operations on `owners` (`write`: alternate get and set).
trait Workload: Sync {
    fn run(&self, owners: &[Arc<Person>], ops: usize, write: bool);
}

/// Our descriptor: `p.age()` and `p.set_age(v)`.
struct Ours;

impl Workload for Ours {
    fn run(&self, owners: &[Arc<Person>], ops: usize, write: bool) {
        let mut i = 0;
        for op in 0..ops {
            let p = black_box(&owners[i]);
            if write && op % 2 == 1 {
                black_box(p.set_age(age_of(op))).expect("valid age");
            } else {
                black_box(p.age());
            }
            i = (i + 1) % owners.len();
        }
    }
}

/// The floor, to check the harness itself scales: an ordinary field read through the `Arc`
/// (writes do the same read: there is nothing to write to).
struct Floor;

impl Workload for Floor {
    fn run(&self, owners: &[Arc<Person>], ops: usize, _write: bool) {
        let mut i = 0;
        for _ in 0..ops {
            black_box(black_box(&owners[i]).name.len());
            i = (i + 1) % owners.len();
        }
    }
}

/// What a user would hand-roll: one `RwLock` around a `HashMap` keyed by the `Arc`'s address.
struct Hand(RwLock<HashMap<usize, u32>>);

impl Workload for Hand {
    fn run(&self, owners: &[Arc<Person>], ops: usize, write: bool) {
        let mut i = 0;
        for op in 0..ops {
            let key = Arc::as_ptr(black_box(&owners[i])).addr();
            if write && op % 2 == 1 {
                black_box(self.0.write().unwrap().insert(key, age_of(op)));
            } else {
                black_box(self.0.read().unwrap().get(&key).copied());
            }
            i = (i + 1) % owners.len();
        }
    }
}

/// Operations per second of `slices.len()` threads, each running `work` on its own slice.
fn throughput(work: &dyn Workload, slices: &[&[Arc<Person>]], ops: usize, write: bool) -> f64 {
    let barrier = Barrier::new(slices.len());
    let slowest = thread::scope(|scope| {
        let handles: Vec<_> = slices
            .iter()
            .map(|slice| {
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    let start = Instant::now();
                    work.run(slice, ops, write);
                    start.elapsed()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("bench thread panicked"))
            .max()
            .unwrap_or(Duration::ZERO)
    });
    (slices.len() * ops) as f64 / slowest.as_secs_f64()
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let ops = env_or("BENCH_THREADS_OPS", OPS);
    let runs = env_or("BENCH_THREADS_RUNS", RUNS);
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    println!("threads: {ops} ops per thread, median of {runs} runs, {cores} cores available");

    let owners: Vec<Arc<Person>> = make(0, LIVE);
    let hand = Hand(RwLock::new(HashMap::new()));
    for (i, p) in owners.iter().enumerate() {
        p.set_age(age_of(i)).expect("valid age");
        hand.0
            .write()
            .unwrap()
            .insert(Arc::as_ptr(p).addr(), age_of(i));
    }
    let (left, right) = owners.split_at(LIVE / 2);
    let shared = &owners[..SHARED];

    let impls: [(&str, &dyn Workload); 3] = [("floor", &Floor), ("ours", &Ours), ("rwlock", &hand)];
    for (name, work) in impls {
        for (scenario, one, two, write) in [
            ("disjoint", vec![left], vec![left, right], true),
            ("shared", vec![shared], vec![shared, shared], false),
        ] {
            // Warm up caches and the shard tables.
            throughput(work, &two, ops / 10, write);
            let mut single = Vec::new();
            let mut double = Vec::new();
            // Interleave the one- and two-thread runs so that a noisy moment hits both.
            for _ in 0..runs {
                single.push(throughput(work, &one, ops, write));
                double.push(throughput(work, &two, ops, write));
            }
            let (single, double) = (median(single), median(double));
            println!(
                "{name:<7} {scenario:<9} 1 thread {:>7.2} Mops/s   2 threads {:>7.2} Mops/s   scaling {:.2}x",
                single / 1e6,
                double / 1e6,
                double / single
            );
            println!("THREADS {name} {scenario} 1 {single:.0}");
            println!("THREADS {name} {scenario} 2 {double:.0}");
            println!("SCALING {name} {scenario} {:.3}", double / single);
        }
    }
}
