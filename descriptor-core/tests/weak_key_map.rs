//! `WeakKeyMap` against every `WeakKeyDictionary` cell of the seed (In[32]–In[51]).

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use weakprop_core::WeakKeyMap;

/// The seed's `Person` of In[46]: equal and hashed by name.
#[derive(Debug, Hash, PartialEq, Eq)]
struct Person {
    name: String,
}

fn person(name: &str) -> Arc<Person> {
    Arc::new(Person {
        name: name.to_owned(),
    })
}

#[test]
fn insertion_does_not_raise_the_strong_count() {
    // In[32]–In[36]: ref_count(id(p1)) stays 1 after `d[p1] = "A"`, and one weak ref appears.
    let p1 = person("A");
    let d = WeakKeyMap::new();
    assert_eq!((Arc::strong_count(&p1), Arc::weak_count(&p1)), (1, 0));
    d.insert(&p1, "A");
    assert_eq!((Arc::strong_count(&p1), Arc::weak_count(&p1)), (1, 1));
    assert_eq!(d.get(&p1), Some("A"));
}

#[test]
fn keys_lists_the_live_keys_like_keyrefs() {
    // In[37]: list(d.keyrefs()) shows the weak reference to p1.
    let p1 = person("A");
    let d = WeakKeyMap::new();
    d.insert(&p1, "A");
    let keys = d.keys();
    assert_eq!(keys.len(), 1);
    assert!(Arc::ptr_eq(&keys[0], &p1));
}

#[test]
fn entry_vanishes_when_its_key_drops() {
    // In[38]–In[39]: after `del p1`, keyrefs() is empty.
    let p1 = person("A");
    let d = WeakKeyMap::new();
    d.insert(&p1, "A");
    drop(p1);
    assert!(d.keys().is_empty());
    assert_eq!(d.len(), 0);
    assert!(d.is_empty());
    assert!(!d.contains_key(&Person { name: "A".into() }));
    assert_eq!(d.get(&Person { name: "A".into() }), None);
    assert_eq!(d.purge(), 1);
}

#[test]
fn equal_but_distinct_keys_share_one_entry_that_keeps_the_first_key() {
    // In[47]–In[51]: p1 == p2 with equal hashes; the dict keeps the first key object.
    let (p1, p2) = (person("Guido"), person("Guido"));
    let d = WeakKeyMap::new();
    d.insert(&p1, "first");
    assert_eq!(d.get(&p2), Some("first"));
    assert_eq!(d.insert(&p2, "second"), Some("first"));
    assert_eq!(d.len(), 1);
    assert!(Arc::ptr_eq(&d.keys()[0], &p1));
    assert_eq!(Arc::weak_count(&p2), 0);
    // The entry belongs to p1: once p1 is gone, p2 no longer finds it.
    drop(p1);
    assert_eq!(d.get(&p2), None);
    assert_eq!(d.insert(&p2, "own"), None);
    assert_eq!(d.get(&p2), Some("own"));
}

#[test]
fn remove_takes_the_value_of_an_equal_key() {
    let (p1, p2) = (person("Guido"), person("Guido"));
    let d = WeakKeyMap::new();
    d.insert(&p1, 1);
    assert_eq!(d.remove(&p2), Some(1));
    assert!(d.is_empty());
    assert_eq!(Arc::weak_count(&p1), 0);
}

#[test]
fn garbage_stays_bounded_by_the_live_size() {
    let d = WeakKeyMap::new();
    let live: Vec<_> = (0..16).map(Arc::new).collect();
    for key in &live {
        d.insert(key, ());
    }
    for i in 100..10_100 {
        d.insert(&Arc::new(i), ()); // dies at once
    }
    assert_eq!(d.len(), live.len());
    let garbage = d.purge();
    assert!(
        garbage <= 16 * 2 * 8 + live.len() * 2,
        "{garbage} dead entries were kept"
    );
}

/// A key whose `Eq` drops the last `Arc` of another key of the same map, like CPython's
/// `test_weak_keyed_cascading_deletes`: nothing may run under the map's lock.
#[derive(Debug)]
struct Dropper {
    id: u32,
    victim: std::sync::Mutex<Option<Arc<Dropper>>>,
}

impl Hash for Dropper {
    fn hash<H: Hasher>(&self, state: &mut H) {
        0_u8.hash(state); // every key collides, so every lookup compares with `Eq`
    }
}

impl PartialEq for Dropper {
    fn eq(&self, other: &Self) -> bool {
        self.victim.lock().unwrap().take();
        other.victim.lock().unwrap().take();
        self.id == other.id
    }
}

impl Eq for Dropper {}

#[test]
fn eq_that_drops_another_key_does_not_deadlock() {
    let d = WeakKeyMap::new();
    let victim = Arc::new(Dropper {
        id: 0,
        victim: None.into(),
    });
    d.insert(&victim, "victim");
    let killer = Arc::new(Dropper {
        id: 1,
        victim: Some(victim.clone()).into(),
    });
    drop(victim); // `killer` now holds the victim's last Arc
    d.insert(&killer, "killer");
    let probe = Dropper {
        id: 1,
        victim: None.into(),
    };
    assert_eq!(d.get(&probe), Some("killer"));
    assert_eq!(d.len(), 1);
}

#[test]
fn two_threads_insert_read_and_drop_keys_in_one_map() {
    static MAP: WeakKeyMap<(usize, u32), usize> = WeakKeyMap::new();
    const ROUNDS: u32 = 2_000;
    let barrier = Arc::new(Barrier::new(2));
    let seen = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..2)
        .map(|thread| {
            let (barrier, seen) = (barrier.clone(), seen.clone());
            thread::spawn(move || {
                barrier.wait();
                let mut kept = Vec::new();
                for round in 0..ROUNDS {
                    let key = Arc::new((thread, round));
                    MAP.insert(&key, thread);
                    if MAP.get(&(thread, round)) == Some(thread) {
                        seen.fetch_add(1, Ordering::Relaxed);
                    }
                    if round % 2 == 0 {
                        kept.push(key);
                    }
                }
                kept
            })
        })
        .collect();
    let kept: Vec<Arc<(usize, u32)>> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert_eq!(seen.load(Ordering::Relaxed), 2 * ROUNDS as usize);
    assert_eq!(MAP.len(), kept.len());
    let keys: HashSet<_> = MAP.keys().iter().map(|k| **k).collect();
    assert_eq!(keys, kept.iter().map(|k| **k).collect());
    drop(kept);
    assert!(MAP.is_empty());
}

#[test]
fn for_each_visits_the_live_keys_only() {
    let d = WeakKeyMap::new();
    let (ann, bob, cid) = (person("Ann"), person("Bob"), person("Cid"));
    d.insert(&ann, 1);
    d.insert(&bob, 2);
    d.insert(&cid, 3);
    drop(bob);
    let mut seen = Vec::new();
    d.for_each(|key, value| {
        // Readers of the map may run inside: a visit holds no lock that a read waits for.
        assert_eq!(d.get(key), Some(*value));
        seen.push((key.name.clone(), *value));
    });
    seen.sort();
    assert_eq!(seen, [("Ann".to_owned(), 1), ("Cid".to_owned(), 3)]);

    drop((ann, cid));
    assert!(d.is_empty());
}

#[test]
#[should_panic(expected = "from inside")]
fn a_write_from_for_each_panics_rather_than_waits() {
    let d = WeakKeyMap::new();
    let ann = person("Ann");
    d.insert(&ann, 1);
    d.for_each(|key, value| {
        d.insert(key, value + 1);
    });
}
