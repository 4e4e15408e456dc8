//! One operation in a loop, for a profiler: `valgrind --tool=callgrind` counts its instructions
//! repeatably (`scripts/profile.sh` runs it). Not a timing benchmark.
//!
//! `cargo bench --bench profile -- <op> [iterations]`, where `op` is one of `get`, `set`,
//! `update` (`update_x` adding one),
//! `set_kind` (`set` with the rule a kind's), `get_generic`, `set_generic`, `get_rc`, `set_rc`, `wt_get_rc`,
//! `wt_insert_rc` (weak-table on the same `Rc` owners), `wt_get`, `wt_insert`, `wt_lifecycle`
//! (weak-table on the same `Arc` owners), `get_identity`, `set_identity` or `lifecycle`
//! (String-keyed owners, 1,024 live).

mod support;

use std::hint::black_box;
use std::sync::Arc;

use support::{
    GenericPerson, IdPerson, KindPerson, LIVE, Owner, Person, RcOwner, RcPerson, age_of, make,
    make_rc,
};

fn reads<O: Owner>(owners: &[Arc<O>], iterations: usize) {
    for i in 0..iterations {
        black_box(black_box(&owners[i & (LIVE - 1)]).get_age());
    }
}

fn writes<O: Owner>(owners: &[Arc<O>], iterations: usize) {
    for i in 0..iterations {
        black_box(black_box(&owners[i & (LIVE - 1)]).put_age(age_of(i))).ok();
    }
}

fn updates<O: Owner>(owners: &[Arc<O>], iterations: usize) {
    for i in 0..iterations {
        black_box(black_box(&owners[i & (LIVE - 1)]).bump_age()).ok();
    }
}

fn main() {
    let mut args = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"));
    let op = args.next().unwrap_or_else(|| "get".to_owned());
    let iterations = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let people: Vec<Arc<Person>> = make(0, LIVE);
    let ids: Vec<Arc<IdPerson>> = make(0, LIVE);
    let generic: Vec<Arc<GenericPerson<String>>> = make(0, LIVE);
    writes(&people, LIVE);
    writes(&ids, LIVE);
    writes(&generic, LIVE);
    match op.as_str() {
        "get" => reads(&people, iterations),
        "set" => writes(&people, iterations),
        "update" => updates(&people, iterations),
        "set_kind" => {
            let owners: Vec<Arc<KindPerson>> = make(0, LIVE);
            writes(&owners, LIVE);
            writes(&owners, iterations);
        }
        "get_generic" => reads(&generic, iterations),
        "set_generic" => writes(&generic, iterations),
        "get_rc" => {
            let owners: Vec<std::rc::Rc<RcPerson>> = make_rc(0, LIVE);
            for (i, p) in owners.iter().enumerate() {
                p.put_age(age_of(i)).ok();
            }
            for i in 0..iterations {
                black_box(black_box(&owners[i & (LIVE - 1)]).get_age());
            }
        }
        "set_rc" => {
            let owners: Vec<std::rc::Rc<RcPerson>> = make_rc(0, LIVE);
            for i in 0..iterations {
                black_box(black_box(&owners[i & (LIVE - 1)]).put_age(age_of(i))).ok();
            }
        }
        "wt_get_rc" | "wt_insert_rc" => {
            let owners: Vec<std::rc::Rc<RcPerson>> = make_rc(0, LIVE);
            let mut wt = weak_table::WeakKeyHashMap::<std::rc::Weak<RcPerson>, u32>::new();
            for (i, p) in owners.iter().enumerate() {
                wt.insert(p.clone(), age_of(i));
            }
            for i in 0..iterations {
                let p = black_box(&owners[i & (LIVE - 1)]);
                if op == "wt_get_rc" {
                    black_box(wt.get(&**p));
                } else {
                    black_box(wt.insert(p.clone(), age_of(i)));
                }
            }
        }
        "wt_get" | "wt_insert" => {
            let mut wt = weak_table::WeakKeyHashMap::<std::sync::Weak<Person>, u32>::new();
            for (i, p) in people.iter().enumerate() {
                wt.insert(Arc::clone(p), age_of(i));
            }
            for i in 0..iterations {
                let p = black_box(&people[i & (LIVE - 1)]);
                if op == "wt_get" {
                    black_box(wt.get(&**p));
                } else {
                    black_box(wt.insert(Arc::clone(p), age_of(i)));
                }
            }
        }
        "wt_lifecycle" => {
            let mut wt = weak_table::WeakKeyHashMap::<std::sync::Weak<Person>, u32>::new();
            let keys: Vec<String> = (0..iterations).map(|i| format!("gone-{i}")).collect();
            for key in keys {
                let owner = Arc::new(Person::new(key));
                black_box(wt.insert(Arc::clone(&owner), 1));
            }
        }
        "get_identity" => reads(&ids, iterations),
        "set_identity" => writes(&ids, iterations),
        "lifecycle" => {
            let keys: Vec<String> = (0..iterations).map(|i| format!("gone-{i}")).collect();
            for key in keys {
                let owner = Arc::new(Person::new(key));
                black_box(owner.set_age(1)).ok();
            }
            assert_eq!(Person::age_descriptor().len(), LIVE);
        }
        other => {
            eprintln!(
                "unknown op {other}: use get, set, get_generic, set_generic, get_rc, set_rc, \
                 wt_get_rc, wt_insert_rc, wt_get, wt_insert, wt_lifecycle, get_identity, \
                 set_identity or lifecycle"
            );
        }
    }
}
