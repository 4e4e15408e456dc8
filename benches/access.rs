//! Single-threaded access and lifecycle: our descriptors against every anchor, in one run.
//!
//! Groups (criterion writes `<CRITERION_HOME>/<group>/<bench>/new/estimates.json`):
//!
//! - `string_key` and `u64_key`: one operation per iteration, round-robin over 1,024 live owners.
//!   `floor` (a plain field read through an `Arc`), our `get_value`/`set_value` (`x()`/`set_x()`,
//!   owner keyed by value), `update_value` (`update_x(|age| ..)` of the same owners), `set_kind` (`set_x()` of the same owner whose rule is a kind's,
//!   `Field<u32, Age>`, instead of written inline), `get_lazy` (`x()` of a `lazy` field already computed, String key only),
//!   `get_generic`/`set_generic` (the same on a generic owner) and
//!   `get_identity`/`set_identity` (`key = identity`),
//!   `wkm_get`/`wkm_insert` (`WeakKeyMap`), `wt_get`/`wt_insert` (`weak_table::WeakKeyHashMap`),
//!   `wt_ptr_get`/`wt_ptr_insert` (`weak_table::PtrWeakKeyHashMap`, the identity anchor) and
//!   `rwlock_get`/`rwlock_insert` (a hand-rolled `RwLock<HashMap<usize, u32>>` keyed by
//!   `Arc::as_ptr`).
//! - `rc_string_key` and `rc_u64_key`: owners in an `Rc` (`#[descriptors(rc)]`): `get`/`set`
//!   (`x()`/`set_x()`) against weak-table's `WeakKeyHashMap<rc::Weak<_>, u32>` `wt_get`/`wt_insert`.
//! - `lifecycle_string_key` and `lifecycle_u64_key`: one iteration is a pass of 100,000 owners,
//!   each created in an `Arc`, given an age and dropped, next to 1,024 live owners. Divide by
//!   100,000 for the cost per owner. Keys are built before the clock starts, as in the Python
//!   seed bench.
//!
//! Before the benches, one untimed pass per lifecycle variant prints how many dead entries each
//! table is left holding, as `LEFTOVER <key> <variant> dead=<n> live=<n>` lines.

mod support;

use std::collections::HashMap;
use std::hash::Hash;
use std::hint::black_box;
use std::rc::{self, Rc};
use std::sync::{Arc, RwLock, Weak};
use std::time::{Duration, Instant};

use criterion::{Bencher, Criterion, SamplingMode};
use weak_table::{PtrWeakKeyHashMap, WeakKeyHashMap};
use weakprop::WeakKeyMap;

use support::{
    GenericPerson, IdPerson, IdPersonById, Key, KeyedPerson, KeyedPersonById, KindPerson,
    KindPersonById, LIFECYCLE, LIVE, LazyPerson, Owner, Person, PersonById, Plain, RcOwner,
    RcPerson, RcPersonById, age_of, make, make_rc,
};

/// Runs `op` on one item per iteration, cycling through `items`.
fn round_robin<T, R>(b: &mut Bencher<'_>, items: &[T], mut op: impl FnMut(usize, &T) -> R) {
    let mut i = 0;
    b.iter(|| {
        let out = op(i, black_box(&items[i]));
        // No division in the loop: it would cost more than some of the operations measured.
        i += 1;
        if i == items.len() {
            i = 0;
        }
        out
    });
}

/// One timed iteration = `one` on each of `keys`; `after` (untimed) runs after each pass.
fn passes<K: Clone>(
    b: &mut Bencher<'_>,
    keys: &[K],
    mut one: impl FnMut(K),
    mut after: impl FnMut(),
) {
    b.iter_custom(|iters| {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            let batch = keys.to_vec();
            let start = Instant::now();
            for key in batch {
                one(black_box(key));
            }
            total += start.elapsed();
            after();
        }
        total
    });
}

fn address<T>(p: &Arc<T>) -> usize {
    Arc::as_ptr(p).addr()
}

/// Get and set on 1,024 live owners of key type `O::Key`; `O` is keyed by value, `G` is the same
/// owner made generic, `I` is keyed by identity, `K` hashed with a keyed hash, and `A` has its
/// rule from a kind.
fn access<O, G, I, K, A>(c: &mut Criterion)
where
    O: Owner + Hash + Eq,
    G: Owner<Key = O::Key>,
    I: Owner<Key = O::Key>,
    K: Owner<Key = O::Key>,
    A: Owner<Key = O::Key>,
{
    let owners: Vec<Arc<O>> = make(0, LIVE);
    // `leftovers` ran a lifecycle pass through `O`'s table; `A`'s gets the same history, so that
    // `set_kind` and `set_value` differ in the rule's source alone.
    {
        let live: Vec<Arc<A>> = make(0, LIVE);
        live.iter().for_each(|p| p.put_age(1).unwrap());
        transient_keys::<O::Key>()
            .into_iter()
            .for_each(ours_one::<A>);
    }
    let kinds: Vec<Arc<A>> = make(0, LIVE);
    let generic: Vec<Arc<G>> = make(0, LIVE);
    let keyed: Vec<Arc<K>> = make(0, LIVE);
    let ids: Vec<Arc<I>> = make(0, LIVE);
    let plain: Vec<Arc<Plain<O::Key>>> = (0..LIVE)
        .map(|i| {
            Arc::new(Plain {
                key: O::Key::nth(i),
                age: age_of(i),
            })
        })
        .collect();

    let map = WeakKeyMap::<O, u32>::new();
    let mut wt = WeakKeyHashMap::<Weak<O>, u32>::new();
    let mut wt_ptr = PtrWeakKeyHashMap::<Weak<I>, u32>::new();
    let rwlock = RwLock::new(HashMap::<usize, u32>::new());
    for (i, (p, q)) in owners.iter().zip(&ids).enumerate() {
        p.put_age(age_of(i)).expect("valid age");
        generic[i].put_age(age_of(i)).expect("valid age");
        keyed[i].put_age(age_of(i)).expect("valid age");
        kinds[i].put_age(age_of(i)).expect("valid age");
        q.put_age(age_of(i)).expect("valid age");
        map.insert(p, age_of(i));
        wt.insert(Arc::clone(p), age_of(i));
        wt_ptr.insert(Arc::clone(q), age_of(i));
        rwlock.write().unwrap().insert(address(p), age_of(i));
    }
    assert_eq!(O::descriptor().len(), LIVE);
    assert_eq!(I::descriptor().len(), LIVE);

    let mut g = c.benchmark_group(O::Key::LABEL);
    g.bench_function("floor", |b| round_robin(b, &plain, |_, p| p.age));

    g.bench_function("get_value", |b| round_robin(b, &owners, |_, p| p.get_age()));
    g.bench_function("set_value", |b| {
        round_robin(b, &owners, |i, p| p.put_age(age_of(i * 7)))
    });
    g.bench_function("update_value", |b| {
        round_robin(b, &owners, |_, p| p.bump_age())
    });
    g.bench_function("set_kind", |b| {
        round_robin(b, &kinds, |i, p| p.put_age(age_of(i * 7)))
    });
    if O::Key::LABEL == "string_key" {
        let lazy: Vec<Arc<LazyPerson>> = (0..LIVE)
            .map(|i| Arc::new(LazyPerson::new(String::nth(i))))
            .collect();
        let computed: u32 = lazy.iter().map(|p| p.age()).sum();
        assert!(computed > 0 && LazyPerson::age_descriptor().len() == LIVE);
        g.bench_function("get_lazy", |b| round_robin(b, &lazy, |_, p| p.age()));
    }
    g.bench_function("get_generic", |b| {
        round_robin(b, &generic, |_, p| p.get_age())
    });
    g.bench_function("set_generic", |b| {
        round_robin(b, &generic, |i, p| p.put_age(age_of(i * 7)))
    });
    g.bench_function("get_keyed", |b| round_robin(b, &keyed, |_, p| p.get_age()));
    g.bench_function("set_keyed", |b| {
        round_robin(b, &keyed, |i, p| p.put_age(age_of(i * 7)))
    });
    g.bench_function("get_identity", |b| round_robin(b, &ids, |_, p| p.get_age()));
    g.bench_function("set_identity", |b| {
        round_robin(b, &ids, |i, p| p.put_age(age_of(i * 7)))
    });

    g.bench_function("wkm_get", |b| round_robin(b, &owners, |_, p| map.get(p)));
    g.bench_function("wkm_insert", |b| {
        round_robin(b, &owners, |i, p| map.insert(p, age_of(i * 7)))
    });

    g.bench_function("wt_get", |b| {
        round_robin(b, &owners, |_, p| wt.get(&**p).copied())
    });
    g.bench_function("wt_insert", |b| {
        round_robin(b, &owners, |i, p| wt.insert(Arc::clone(p), age_of(i * 7)))
    });
    g.bench_function("wt_ptr_get", |b| {
        round_robin(b, &ids, |_, p| wt_ptr.get(p).copied())
    });
    g.bench_function("wt_ptr_insert", |b| {
        round_robin(b, &ids, |i, p| wt_ptr.insert(Arc::clone(p), age_of(i * 7)))
    });

    g.bench_function("rwlock_get", |b| {
        round_robin(b, &owners, |_, p| {
            rwlock.read().unwrap().get(&address(p)).copied()
        })
    });
    g.bench_function("rwlock_insert", |b| {
        round_robin(b, &owners, |i, p| {
            rwlock.write().unwrap().insert(address(p), age_of(i * 7))
        })
    });
    g.finish();

    // Everything above still holds the values the benches wrote.
    assert_eq!(O::descriptor().len(), LIVE);
    assert_eq!(map.len(), LIVE);
    drop((owners, ids));
    assert!(O::descriptor().is_empty() && I::descriptor().is_empty());
}

/// Get and set on 1,024 live owners in `Rc`s, against weak-table on the same `Rc`s, and their
/// lifecycles: one thread's tables against weak-table at home.
fn local<O: RcOwner + Hash + Eq>(c: &mut Criterion) {
    type P<K> = Plain<K>;
    let owners: Vec<Rc<O>> = make_rc(0, LIVE);
    let mut wt = WeakKeyHashMap::<rc::Weak<O>, u32>::new();
    for (i, p) in owners.iter().enumerate() {
        p.put_age(age_of(i)).expect("valid age");
        wt.insert(Rc::clone(p), age_of(i));
    }
    let mut g = c.benchmark_group(format!("rc_{}", O::Key::LABEL));
    g.bench_function("get", |b| round_robin(b, &owners, |_, p| p.get_age()));
    g.bench_function("set", |b| {
        round_robin(b, &owners, |i, p| p.put_age(age_of(i * 7)))
    });
    g.bench_function("wt_get", |b| {
        round_robin(b, &owners, |_, p| wt.get(&**p).copied())
    });
    g.bench_function("wt_insert", |b| {
        round_robin(b, &owners, |i, p| wt.insert(Rc::clone(p), age_of(i * 7)))
    });
    g.finish();

    let keys = transient_keys::<O::Key>();
    let mut g = c.benchmark_group(format!("lifecycle_rc_{}", O::Key::LABEL));
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.bench_function("ours", |b| {
        passes(
            b,
            &keys,
            |key| black_box(Rc::new(O::new(key)).put_age(42)).expect("valid age"),
            || assert_eq!(O::descriptor().purge(), 0, "a dropped owner left its entry"),
        )
    });
    let live: Vec<Rc<P<O::Key>>> = (0..LIVE).map(|i| Rc::new(P::new(O::Key::nth(i)))).collect();
    let mut wt = WeakKeyHashMap::<rc::Weak<P<O::Key>>, u32>::new();
    live.iter().for_each(|p| {
        wt.insert(Rc::clone(p), 1);
    });
    g.bench_function("wt", |b| {
        passes(
            b,
            &keys,
            |k| {
                black_box(wt.insert(Rc::new(P::new(k)), 42));
            },
            || {},
        )
    });
    g.finish();
    assert_eq!(O::descriptor().len(), LIVE);
    drop(owners);
    assert!(O::descriptor().is_empty());
}

/// Keys of the transient owners: after the live ones, since equal keys would share an entry.
fn transient_keys<K: Key>() -> Vec<K> {
    (LIVE..LIVE + LIFECYCLE).map(K::nth).collect()
}

/// Create, set, drop: ours releases in `Drop`.
fn ours_one<O: Owner>(key: O::Key) {
    let p = Arc::new(O::new(key));
    black_box(p.put_age(42)).expect("valid age");
}

/// Our table after a pass: the live owners and not one dead entry.
fn ours_check<O: Owner>() {
    assert_eq!(O::descriptor().len(), LIVE);
    assert_eq!(
        O::descriptor().purge(),
        0,
        "a dropped owner left its entry behind"
    );
}

fn lifecycle<O: Owner, I: Owner<Key = O::Key>>(c: &mut Criterion) {
    type P<K> = Plain<K>;
    let keys = transient_keys::<O::Key>();
    let mut g = c.benchmark_group(format!("lifecycle_{}", O::Key::LABEL));
    g.sample_size(10).sampling_mode(SamplingMode::Flat);

    {
        let live: Vec<Arc<O>> = make(0, LIVE);
        live.iter().for_each(|p| p.put_age(1).unwrap());
        g.bench_function("ours_value", |b| {
            passes(b, &keys, ours_one::<O>, ours_check::<O>)
        });
    }
    {
        let live: Vec<Arc<I>> = make(0, LIVE);
        live.iter().for_each(|p| p.put_age(1).unwrap());
        g.bench_function("ours_identity", |b| {
            passes(b, &keys, ours_one::<I>, ours_check::<I>)
        });
    }

    let live: Vec<Arc<P<O::Key>>> = (0..LIVE)
        .map(|i| Arc::new(P::new(O::Key::nth(i))))
        .collect();
    {
        let map = WeakKeyMap::<P<O::Key>, u32>::new();
        live.iter().for_each(|p| {
            map.insert(p, 1);
        });
        g.bench_function("wkm", |b| {
            passes(
                b,
                &keys,
                |k| {
                    black_box(map.insert(&Arc::new(P::new(k)), 42));
                },
                || {},
            )
        });
    }
    {
        let mut wt = WeakKeyHashMap::<Weak<P<O::Key>>, u32>::new();
        live.iter().for_each(|p| {
            wt.insert(Arc::clone(p), 1);
        });
        g.bench_function("wt", |b| {
            passes(
                b,
                &keys,
                |k| {
                    black_box(wt.insert(Arc::new(P::new(k)), 42));
                },
                || {},
            )
        });
    }
    {
        let mut wt = PtrWeakKeyHashMap::<Weak<P<O::Key>>, u32>::new();
        live.iter().for_each(|p| {
            wt.insert(Arc::clone(p), 1);
        });
        g.bench_function("wt_ptr", |b| {
            passes(
                b,
                &keys,
                |k| {
                    black_box(wt.insert(Arc::new(P::new(k)), 42));
                },
                || {},
            )
        });
    }
    g.finish();
}

/// One untimed pass per lifecycle variant from a fresh table holding 1,024 live owners; prints
/// what each table is left holding.
fn leftovers<O: Owner, I: Owner<Key = O::Key>>() {
    type P<K> = Plain<K>;
    let label = O::Key::LABEL;
    let keys = transient_keys::<O::Key>();
    let report = |variant: &str, dead: usize, live: usize| {
        println!("LEFTOVER {label} {variant} dead={dead} live={live}");
    };

    let live: Vec<Arc<O>> = make(0, LIVE);
    live.iter().for_each(|p| p.put_age(1).unwrap());
    keys.iter().cloned().for_each(ours_one::<O>);
    let live_len = O::descriptor().len();
    report("ours_value", O::descriptor().purge(), live_len);
    drop(live);

    let live: Vec<Arc<I>> = make(0, LIVE);
    live.iter().for_each(|p| p.put_age(1).unwrap());
    keys.iter().cloned().for_each(ours_one::<I>);
    let live_len = I::descriptor().len();
    report("ours_identity", I::descriptor().purge(), live_len);
    drop(live);

    let live: Vec<Arc<P<O::Key>>> = (0..LIVE)
        .map(|i| Arc::new(P::new(O::Key::nth(i))))
        .collect();

    let map = WeakKeyMap::<P<O::Key>, u32>::new();
    live.iter().for_each(|p| {
        map.insert(p, 1);
    });
    keys.iter().for_each(|k| {
        map.insert(&Arc::new(P::new(k.clone())), 42);
    });
    let live_len = map.len();
    report("wkm", map.purge(), live_len);

    // weak-table's `len()` counts expired entries too; the live ones are exactly `live`.
    let mut wt = WeakKeyHashMap::<Weak<P<O::Key>>, u32>::new();
    live.iter().for_each(|p| {
        wt.insert(Arc::clone(p), 1);
    });
    keys.iter().for_each(|k| {
        wt.insert(Arc::new(P::new(k.clone())), 42);
    });
    report("wt", wt.len() - live.len(), live.len());

    let mut wt = PtrWeakKeyHashMap::<Weak<P<O::Key>>, u32>::new();
    live.iter().for_each(|p| {
        wt.insert(Arc::clone(p), 1);
    });
    keys.iter().for_each(|k| {
        wt.insert(Arc::new(P::new(k.clone())), 42);
    });
    report("wt_ptr", wt.len() - live.len(), live.len());
}

fn main() {
    leftovers::<Person, IdPerson>();
    leftovers::<PersonById, IdPersonById>();

    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    access::<Person, GenericPerson<String>, IdPerson, KeyedPerson, KindPerson>(&mut c);
    access::<PersonById, GenericPerson<u64>, IdPersonById, KeyedPersonById, KindPersonById>(&mut c);
    lifecycle::<Person, IdPerson>(&mut c);
    lifecycle::<PersonById, IdPersonById>(&mut c);
    local::<RcPerson>(&mut c);
    local::<RcPersonById>(&mut c);
    c.final_summary();
}
