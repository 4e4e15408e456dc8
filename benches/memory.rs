//! Bytes allocated per live entry, counted by a global allocator: our `Descriptor` (by value and
//! by identity) and `WeakKeyMap` against `weak_table`'s `WeakKeyHashMap` and `PtrWeakKeyHashMap`,
//! at 1,024 and 100,000 entries, for owners keyed by a `String` and by a `u64`.
//!
//! Each table is created empty (our descriptor's fixed shard array included) before counting
//! starts, the owners are created before counting starts, and the figure is the net growth of
//! the heap while one `u32` per owner is stored, divided by the number of owners: the table's
//! buckets, control bytes and spare capacity, which is what an entry costs. Prints
//! `MEMORY <key> <impl> <entries> <bytes per entry>` lines for `scripts/bench.sh`.

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::{Arc, Weak};

use weak_table::{PtrWeakKeyHashMap, WeakKeyHashMap};
use weakprop::{Descriptor, Rules, WeakKeyMap};

use support::{Key, Plain, age_of};

/// The system allocator, counting the bytes currently allocated.
struct Counting;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);

#[allow(clippy::cast_possible_wrap)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE_BYTES.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Net bytes allocated by `fill`, per owner.
fn per_entry(owners: usize, fill: impl FnOnce()) -> f64 {
    let before = LIVE_BYTES.load(Ordering::Relaxed);
    fill();
    let after = LIVE_BYTES.load(Ordering::Relaxed);
    (after - before) as f64 / owners as f64
}

fn measure<K: Key>(n: usize) {
    let owners: Vec<Arc<Plain<K>>> = (0..n).map(|i| Arc::new(Plain::new(K::nth(i)))).collect();
    let report = |name: &str, bytes: f64| println!("MEMORY {} {name} {n} {bytes:.1}", K::LABEL);

    let by_value = Box::new(Descriptor::<Plain<K>, u32>::by_value(
        "Plain",
        "age",
        Rules::new(),
    ));
    report(
        "ours_value",
        per_entry(n, || {
            for (i, p) in owners.iter().enumerate() {
                by_value.set(p, age_of(i)).expect("no rules");
            }
        }),
    );
    assert_eq!(by_value.len(), n);
    drop(by_value);

    let by_identity = Box::new(Descriptor::<Plain<K>, u32>::by_identity(
        "Plain",
        "age",
        Rules::new(),
    ));
    report(
        "ours_identity",
        per_entry(n, || {
            for (i, p) in owners.iter().enumerate() {
                by_identity.set(p, age_of(i)).expect("no rules");
            }
        }),
    );
    assert_eq!(by_identity.len(), n);
    drop(by_identity);

    let map = WeakKeyMap::<Plain<K>, u32>::new();
    report(
        "wkm",
        per_entry(n, || {
            for (i, p) in owners.iter().enumerate() {
                map.insert(p, age_of(i));
            }
        }),
    );
    assert_eq!(map.len(), n);
    drop(map);

    let mut wt = WeakKeyHashMap::<Weak<Plain<K>>, u32>::new();
    report(
        "wt",
        per_entry(n, || {
            for (i, p) in owners.iter().enumerate() {
                wt.insert(Arc::clone(p), age_of(i));
            }
        }),
    );
    assert_eq!(wt.len(), n);
    drop(wt);

    let mut wt_ptr = PtrWeakKeyHashMap::<Weak<Plain<K>>, u32>::new();
    report(
        "wt_ptr",
        per_entry(n, || {
            for (i, p) in owners.iter().enumerate() {
                wt_ptr.insert(Arc::clone(p), age_of(i));
            }
        }),
    );
    assert_eq!(wt_ptr.len(), n);
}

fn main() {
    for n in [1_024, 100_000] {
        measure::<String>(n);
        measure::<u64>(n);
    }
}
