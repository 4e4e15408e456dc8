//! The contract through the derive: releases deferred from a getter's `Clone`, `rc` owners,
//! a `load` whose observer panics, `once` fields.
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use weakprop::{Descriptors, Field};

static SCORE_DROPS: AtomicUsize = AtomicUsize::new(0);

#[derive(Debug)]
struct Score(#[allow(dead_code)] u32);
impl Drop for Score {
    fn drop(&mut self) {
        SCORE_DROPS.fetch_add(1, Ordering::SeqCst);
    }
}

/// A value whose `Clone` lets go of an owner it was keeping alive (say, a lease that ends when
/// it is read).
#[derive(Default)]
struct Lease(Mutex<Option<Arc<Player>>>);
impl Clone for Lease {
    fn clone(&self) -> Self {
        drop(self.0.lock().unwrap().take());
        Lease::default()
    }
}

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Player {
    id: u32,
    score: Field<Score>,
    lease: Field<Lease>,
}

fn player(id: u32) -> Arc<Player> {
    Arc::new(Player {
        id,
        score: Field::new(),
        lease: Field::new(),
    })
}

/// Through the facade: `holder.lease()` (a getter) drops the last `Arc` of `victim` in the
/// value's `Clone`. The guide: its values are dropped as the outermost read ends.
#[test]
fn getter_clone_dropping_an_owner_releases_it_when_the_getter_returns() {
    let victim = player(1);
    victim.set_score(Score(7)).unwrap();
    let holder = player(2);
    holder.set_lease(Lease(Mutex::new(Some(victim)))).unwrap();
    let before = SCORE_DROPS.load(Ordering::SeqCst);
    let _ = holder.lease();
    assert_eq!(
        SCORE_DROPS.load(Ordering::SeqCst) - before,
        1,
        "victim's score still not dropped after the getter returned"
    );
}

#[derive(Default)]
struct Lease2(Mutex<Option<Arc<Player2>>>);
impl Clone for Lease2 {
    fn clone(&self) -> Self {
        drop(self.0.lock().unwrap().take());
        Lease2::default()
    }
}
#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Player2 {
    id: u32,
    score: Field<Score>,
    lease: Field<Lease2>,
}
fn player2(id: u32) -> Arc<Player2> {
    Arc::new(Player2 {
        id,
        score: Field::new(),
        lease: Field::new(),
    })
}

/// The same, then a purge, a new equal owner at the same address, and any `with_` read: the
/// new owner's score is removed by the stale release.
#[test]
fn stale_release_after_getter_removes_a_new_players_score() {
    let player = player2;
    let victim = player(10);
    let address = Arc::as_ptr(&victim) as usize;
    victim.set_score(Score(7)).unwrap();
    let holder = player(11);
    holder.set_lease(Lease2(Mutex::new(Some(victim)))).unwrap();
    let _ = holder.lease();
    let purged = Player2::score_descriptor().purge();
    // Other tests' dead players may be freed by the purge too: allocate until one lands on
    // the victim's address (keeping the others alive).
    let mut others = Vec::new();
    let mut newcomer = player(10);
    while Arc::as_ptr(&newcomer) as usize != address && others.len() < 16 {
        others.push(newcomer);
        newcomer = player(10);
    }
    let reused = Arc::as_ptr(&newcomer) as usize == address;
    drop(others);
    eprintln!("purged {purged}, reused {reused}");
    newcomer.set_score(Score(8)).unwrap();
    holder.with_lease(|_| ());
    assert!(
        newcomer.with_score(|s| s.is_some()),
        "newcomer's score vanished (address reused: {reused})"
    );
}

// ----- rc owners -----

thread_local! {
    static RC_DROPS: RefCell<u32> = const { RefCell::new(0) };
}
struct RcScore;
impl Drop for RcScore {
    fn drop(&mut self) {
        RC_DROPS.with(|d| *d.borrow_mut() += 1);
    }
}
#[derive(Default)]
struct RcLease(RefCell<Option<Rc<Node>>>);
impl Clone for RcLease {
    fn clone(&self) -> Self {
        drop(self.0.borrow_mut().take());
        RcLease::default()
    }
}

#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(rc)]
struct Node {
    id: u32,
    score: Field<RcScore>,
    lease: Field<RcLease>,
}
fn node(id: u32) -> Rc<Node> {
    Rc::new(Node {
        id,
        score: Field::new(),
        lease: Field::new(),
    })
}

/// An `rc` owner dropped inside its own table's closure (an equal twin's `with_`): released
/// when the closure returns.
#[test]
fn rc_owner_dropped_in_its_own_tables_closure() {
    let creator = node(1);
    creator.set_score(RcScore).unwrap();
    creator.set_lease(RcLease::default()).unwrap();
    let twin = node(1);
    let mut creator = Some(creator);
    twin.with_lease(|l| {
        assert!(l.is_some());
        drop(creator.take()); // the read pins the creator: it dies as the read ends
    });
    assert_eq!(RC_DROPS.with(|d| *d.borrow()), 1);
    assert_eq!(Node::score_descriptor().len(), 0);
    assert_eq!(Node::score_descriptor().purge(), 0);
}

#[test]
fn rc_getter_clone_dropping_an_owner_releases_it_when_the_getter_returns() {
    let victim = node(5);
    victim.set_score(RcScore).unwrap();
    let holder = node(6);
    holder
        .set_lease(RcLease(RefCell::new(Some(victim))))
        .unwrap();
    let before = RC_DROPS.with(|d| *d.borrow());
    let _ = holder.lease();
    assert_eq!(
        RC_DROPS.with(|d| *d.borrow()) - before,
        1,
        "rc victim's score not dropped"
    );
}

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Account {
    number: u32,
    #[descriptor(once)]
    owner_id: Field<u64>,
}

/// `once`: "the first successful set wins; later sets fail; no `take_`". The descriptor's own
/// `take` removes nothing from a `once` field either.
#[test]
fn a_once_field_cannot_be_taken_through_its_descriptor() {
    let a = Arc::new(Account {
        number: 1,
        owner_id: Field::new(),
    });
    a.set_owner_id(1).unwrap();
    assert!(a.set_owner_id(2).is_err());
    assert_eq!(Account::owner_id_descriptor().take(&a), None);
    assert!(a.set_owner_id(2).is_err(), "a once field was set twice");
    assert_eq!(a.owner_id(), Some(1));
}

fn grumpy(_: &Arc<Profile>, _: Option<&u32>, _: Option<&u32>) {
    panic!("grumpy observer");
}

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Profile {
    id: u32,
    #[descriptor(on_change = grumpy)]
    age: Field<u32>,
    nick: Field<String>,
}

/// `load` validates every field, then stores them one by one; the first field's observer
/// panics, and the other fields are stored anyway before the panic resumes.
#[test]
fn a_panicking_observer_leaves_a_load_half_applied() {
    let p = Arc::new(Profile {
        id: 1,
        age: Field::new(),
        nick: Field::new(),
    });
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        p.load(ProfileValues {
            age: Some(30),
            nick: Some("ada".into()),
        })
    }));
    assert!(r.is_err());
    assert_eq!(p.age(), Some(30));
    assert_eq!(
        p.nick().as_deref(),
        Some("ada"),
        "load stopped after the first field"
    );
}
