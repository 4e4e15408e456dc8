//! Threads: total throughput of one thread against two, and what a write costs once many threads
//! have read the table. Ours (`Person`, keyed by a `String` name, by value) runs beside the
//! other designs a weak-keyed table could stand on, each holding the same ages keyed by the
//! owner's address, and beside the floor:
//!
//! - `floor`: the same shape of work with nothing shared — each thread hashes the owner's name
//!   into a map of its own and reads or writes a `u32` there. How well the machine itself scales
//!   a loop like ours.
//! - `ours`: `p.age()` and `p.set_age(v)`.
//! - `rwlock`: one `RwLock<HashMap>`, what a user would hand-roll.
//! - `sharded`: 64 `parking_lot::RwLock<HashMap>` shards on lines of their own: readers count
//!   themselves per shard (the design ours had before its per-thread reader slots).
//! - `papaya`: `papaya::HashMap`, lock-free with epoch-based reclamation (`seize`): readers write
//!   nothing shared, writers defer every freed value.
//! - `dashmap`: `dashmap::DashMap`, the sharded map users reach for first (an `RwLock` per
//!   shard, shards chosen by the hash's top bits).
//!
//! Scenarios, each timed as "one thread alone" and "two threads at once":
//!
//! - `disjoint`: 1,024 live owners split in two halves; each thread alternates a read and a write
//!   round-robin over its own half (one thread alone works on the first half).
//! - `shared`: 64 owners, read round-robin by every thread.
//! - `mostly`: the 1,024 owners, read round-robin by every thread (each from its own starting
//!   point), nine reads to one write.
//! - `crowded`: `disjoint` with 8 threads on this machine's cores, each on its eighth of the
//!   owners, against one thread on one eighth.
//! - `idle`: one thread writes round-robin over 1,024 owners while 0 or 30 other threads, which
//!   have each read every owner once, sleep.
//!
//! Every thread performs `OPS` operations; throughput is all threads' operations over the time
//! of the slowest thread. Each run of a scenario measures every design in turn, one thread then
//! the crowd, so that a noisy moment hits them alike; each figure is the median of `RUNS` runs,
//! and a scaling the median of the runs' ratios. Prints human-readable lines and, for
//! `scripts/bench.sh`, `THREADS <impl> <scenario> <threads> <ops_per_sec>`,
//! `SCALING <impl> <scenario> <n-thread / one-thread>` and
//! `IDLE <impl> <idle threads> <ns per write>` lines.
//!
//! `OPS` and `RUNS` can be overridden with the `BENCH_THREADS_OPS` and `BENCH_THREADS_RUNS`
//! environment variables; `BENCH_THREADS_IMPLS=ours,dashmap` and `BENCH_THREADS_SCENARIOS=mostly`
//! run only the designs and scenarios named.

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
/// The sleeping readers of the `idle` scenario.
const IDLE: usize = 30;
/// The threads of the `crowded` scenario.
const CROWD: usize = 8;

type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// How often a thread writes: every `n`-th operation is a write (`0`: never).
#[derive(Clone, Copy)]
struct WriteEvery(usize);

impl WriteEvery {
    const NEVER: Self = Self(0);

    fn writes(self, op: usize) -> bool {
        self.0 != 0 && op % self.0 == self.0 - 1
    }
}

/// A table to read and write owners' ages in.
trait Workload: Sync {
    fn read(&self, p: &Arc<Person>);
    fn write(&self, p: &Arc<Person>, age: u32);

    /// One thread's work: `ops` operations round-robin over `owners` from `start`, writing as
    /// `write` says and reading otherwise.
    fn run(&self, owners: &[Arc<Person>], start: usize, ops: usize, write: WriteEvery) {
        let mut i = start % owners.len();
        for op in 0..ops {
            let p = black_box(&owners[i]);
            if write.writes(op) {
                self.write(p, age_of(op));
            } else {
                self.read(p);
            }
            i += 1;
            if i == owners.len() {
                i = 0;
            }
        }
    }
}

fn address(p: &Arc<Person>) -> usize {
    Arc::as_ptr(p).addr()
}

/// The floor: a map of the thread's own, keyed by the owner's name (hashed as ours hashes it).
struct Floor;

impl Workload for Floor {
    fn read(&self, _: &Arc<Person>) {}
    fn write(&self, _: &Arc<Person>, _: u32) {}

    fn run(&self, owners: &[Arc<Person>], start: usize, ops: usize, write: WriteEvery) {
        let mut ages: FastMap<String, u32> = owners.iter().map(|p| (p.name.clone(), 1)).collect();
        let mut i = start % owners.len();
        for op in 0..ops {
            let p = black_box(&owners[i]);
            if write.writes(op) {
                if let Some(age) = ages.get_mut(&p.name) {
                    *age = age_of(op);
                }
            } else {
                black_box(ages.get(&p.name).copied());
            }
            i += 1;
            if i == owners.len() {
                i = 0;
            }
        }
    }
}

struct Ours;

impl Workload for Ours {
    fn read(&self, p: &Arc<Person>) {
        black_box(p.age());
    }

    fn write(&self, p: &Arc<Person>, age: u32) {
        black_box(p.set_age(age)).expect("valid age");
    }
}

struct Hand(RwLock<HashMap<usize, u32>>);

impl Workload for Hand {
    fn read(&self, p: &Arc<Person>) {
        black_box(self.0.read().unwrap().get(&address(p)).copied());
    }

    fn write(&self, p: &Arc<Person>, age: u32) {
        black_box(self.0.write().unwrap().insert(address(p), age));
    }
}

/// One shard of [`Sharded`], on cache lines of its own.
#[repr(align(128))]
struct Shard(parking_lot::RwLock<FastMap<usize, u32>>);

struct Sharded(Vec<Shard>);

impl Sharded {
    fn shard(&self, key: usize) -> &parking_lot::RwLock<FastMap<usize, u32>> {
        // The address's middle bits: its low ones are alignment.
        &self.0[(key >> 6) % self.0.len()].0
    }
}

impl Workload for Sharded {
    fn read(&self, p: &Arc<Person>) {
        let key = address(p);
        black_box(self.shard(key).read().get(&key).copied());
    }

    fn write(&self, p: &Arc<Person>, age: u32) {
        let key = address(p);
        black_box(self.shard(key).write().insert(key, age));
    }
}

struct Papaya(papaya::HashMap<usize, u32>);

impl Workload for Papaya {
    fn read(&self, p: &Arc<Person>) {
        black_box(self.0.pin().get(&address(p)).copied());
    }

    fn write(&self, p: &Arc<Person>, age: u32) {
        black_box(self.0.pin().insert(address(p), age));
    }
}

struct Dash(dashmap::DashMap<usize, u32, foldhash::fast::RandomState>);

impl Workload for Dash {
    fn read(&self, p: &Arc<Person>) {
        black_box(self.0.get(&address(p)).map(|age| *age));
    }

    fn write(&self, p: &Arc<Person>, age: u32) {
        black_box(self.0.insert(address(p), age));
    }
}

/// Operations per second of `slices.len()` threads, each running `work` on its own slice (the
/// `i`-th thread from owner `i * offset` of it).
fn throughput(
    work: &dyn Workload,
    slices: &[&[Arc<Person>]],
    offset: usize,
    ops: usize,
    write: WriteEvery,
) -> f64 {
    let barrier = Barrier::new(slices.len());
    let slowest = thread::scope(|scope| {
        let handles: Vec<_> = slices
            .iter()
            .enumerate()
            .map(|(i, slice)| {
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    let start = Instant::now();
                    work.run(slice, i * offset, ops, write);
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

/// Nanoseconds per write, one thread writing round-robin over `owners` while `idle` threads
/// that each read every owner once sleep (they are alive, and hold their reader slots).
fn write_cost(work: &dyn Workload, owners: &[Arc<Person>], ops: usize, idle: usize) -> f64 {
    let ready = Barrier::new(idle + 1);
    let done = Barrier::new(idle + 1);
    thread::scope(|scope| {
        for _ in 0..idle {
            scope.spawn(|| {
                work.run(owners, 0, owners.len(), WriteEvery::NEVER);
                ready.wait();
                done.wait();
            });
        }
        ready.wait();
        let start = Instant::now();
        let mut i = 0;
        for op in 0..ops {
            work.write(black_box(&owners[i]), age_of(op));
            i += 1;
            if i == owners.len() {
                i = 0;
            }
        }
        let elapsed = start.elapsed();
        done.wait();
        elapsed.as_secs_f64() * 1e9 / ops as f64
    })
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
    let sharded = Sharded(
        (0..64)
            .map(|_| Shard(parking_lot::RwLock::default()))
            .collect(),
    );
    let papaya = Papaya(papaya::HashMap::new());
    let dash = Dash(dashmap::DashMap::default());
    for (i, p) in owners.iter().enumerate() {
        p.set_age(age_of(i)).expect("valid age");
        hand.0.write().unwrap().insert(address(p), age_of(i));
        sharded
            .shard(address(p))
            .write()
            .insert(address(p), age_of(i));
        papaya.0.pin().insert(address(p), age_of(i));
        dash.0.insert(address(p), age_of(i));
    }
    let (left, right) = owners.split_at(LIVE / 2);
    let shared = &owners[..SHARED];
    let eighths: Vec<&[Arc<Person>]> = owners.chunks(LIVE / CROWD).collect();
    let all = owners.as_slice();

    let impls: [(&str, &dyn Workload); 6] = [
        ("floor", &Floor),
        ("ours", &Ours),
        ("rwlock", &hand),
        ("sharded", &sharded),
        ("papaya", &papaya),
        ("dashmap", &dash),
    ];
    // Each scenario: one thread's slices, the crowd's, the crowd's offset into each slice, and
    // how often a thread writes.
    let scenarios = [
        ("disjoint", vec![left], vec![left, right], 0, WriteEvery(2)),
        (
            "shared",
            vec![shared],
            vec![shared, shared],
            0,
            WriteEvery::NEVER,
        ),
        (
            "mostly",
            vec![all],
            vec![all, all],
            LIVE / 2,
            WriteEvery(10),
        ),
        (
            "crowded",
            vec![eighths[0]],
            eighths.clone(),
            0,
            WriteEvery(2),
        ),
    ];
    let only = std::env::var("BENCH_THREADS_IMPLS").ok();
    let selected = |name: &str| {
        only.as_deref()
            .is_none_or(|o| o.split(',').any(|n| n == name))
    };
    let impls: Vec<(&str, &dyn Workload)> = impls
        .into_iter()
        .filter(|(name, _)| selected(name))
        .collect();
    let scenes = std::env::var("BENCH_THREADS_SCENARIOS").ok();
    for (scenario, one, many, offset, write) in &scenarios {
        if scenes
            .as_deref()
            .is_some_and(|s| !s.split(',').any(|n| n == *scenario))
        {
            continue;
        }
        let (offset, write) = (*offset, *write);
        for (_, work) in &impls {
            // Warm up caches and the shard tables.
            throughput(*work, many, offset, ops / 10, write);
        }
        // Each run measures every design, one thread then many, so that a noisy moment of the
        // machine hits all of them and both halves of a ratio alike.
        let mut samples = vec![(Vec::new(), Vec::new(), Vec::new()); impls.len()];
        for _ in 0..runs {
            for ((_, work), (single, crowd, ratio)) in impls.iter().zip(&mut samples) {
                let alone = throughput(*work, one, offset, ops, write);
                let together = throughput(*work, many, offset, ops, write);
                single.push(alone);
                crowd.push(together);
                ratio.push(together / alone);
            }
        }
        for ((name, _), (single, crowd, ratio)) in impls.iter().zip(samples) {
            let (single, crowd, scaling) = (median(single), median(crowd), median(ratio));
            let threads = many.len();
            println!(
                "{name:<8} {scenario:<9} 1 thread {:>7.2} Mops/s   {threads} threads {:>7.2} Mops/s   scaling {scaling:.2}x",
                single / 1e6,
                crowd / 1e6,
            );
            println!("THREADS {name} {scenario} 1 {single:.0}");
            println!("THREADS {name} {scenario} {threads} {crowd:.0}");
            println!("SCALING {name} {scenario} {scaling:.3}");
        }
    }
    for (name, work) in impls.iter().filter(|(name, _)| *name != "floor") {
        let mut alone = Vec::new();
        let mut crowded = Vec::new();
        for _ in 0..runs {
            alone.push(write_cost(*work, &owners, ops / 4, 0));
            crowded.push(write_cost(*work, &owners, ops / 4, IDLE));
        }
        let (alone, crowded) = (median(alone), median(crowded));
        println!(
            "{name:<8} write cost: {alone:.1} ns alone, {crowded:.1} ns beside {IDLE} idle readers ({:.2}x)",
            crowded / alone
        );
        println!("IDLE {name} 0 {alone:.2}");
        println!("IDLE {name} {IDLE} {crowded:.2}");
    }
}
