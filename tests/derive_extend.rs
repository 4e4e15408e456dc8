//! `#[descriptors(extend = Type)]`: typed, validated, observable fields on a type of another
//! crate, keyed by its `Arc`s, whose values leave (by the sweep, or `purge`) after it dies.
//!
//! Each test that counts entries or drops has list structs of its own: tables are `static`s
//! shared by the tests of this file, which run at once.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

use weakprop::{Descriptors, ErrorKind, Field, Kind};

/// Stands in for another crate: no `Hash`, no `Eq`, no `Clone`, no `Drop` of ours.
mod net {
    pub struct Connection {
        pub peer: String,
    }

    impl Connection {
        pub fn open(peer: &str) -> std::sync::Arc<Self> {
            std::sync::Arc::new(Self { peer: peer.into() })
        }
    }

    /// Hashable, for `key = value`.
    #[derive(Hash, PartialEq, Eq)]
    pub struct Endpoint {
        pub host: String,
        pub port: u16,
    }

    /// Generic, for the derive's generic lists.
    pub struct Channel<T> {
        pub capacity: usize,
        pub last: Option<T>,
    }
}

use net::{Channel, Connection, Endpoint};

/// A value that counts its drops in a counter of its test's own.
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Fields attached to every `Arc<Connection>`, in a module of their own as another crate's
/// would be: their trait is in scope where it is imported. (Every other list of this file is
/// declared in the test that uses it, whose tables and trait are then its own.)
mod stats {
    use weakprop::{Descriptors, Field};

    use super::net::Connection;

    #[derive(Descriptors)]
    #[descriptors(extend = Connection)]
    pub struct Stats {
        #[descriptor(range(max = 10))]
        pub retries: Field<u32>,
        #[descriptor(length(max = 16), default = String::from("anonymous"))]
        pub user: Field<String>,
        #[descriptor(once)]
        pub opened_at: Field<u64>,
    }
}

use stats::Stats;

#[test]
fn accessors_are_methods_of_every_arc_of_the_type() {
    use stats::StatsExt;

    let c = Connection::open("a");
    assert_eq!(c.retries(), None);
    c.set_retries(3).unwrap();
    assert_eq!(c.retries(), Some(3));
    assert_eq!(c.with_retries(|retries| retries.copied()), Some(3));
    assert_eq!(c.user(), "anonymous");
    c.set_user("ada".into()).unwrap();
    assert_eq!(c.with_user(String::len), 3);
    c.set_opened_at(1).unwrap();
    assert_eq!(
        c.set_opened_at(2).unwrap_err().kind(),
        &ErrorKind::AlreadySet
    );
    assert_eq!(c.take_retries(), Some(3));
    assert_eq!(c.take_retries(), None);
    assert_eq!(c.peer, "a", "the type itself is untouched");
}

#[test]
fn errors_name_the_type_the_fields_are_attached_to() {
    use stats::StatsExt;

    let c = Connection::open("b");
    let error = c.set_retries(11).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Connection.retries: 11 is above the maximum 10"
    );
    assert_eq!((error.owner(), error.field()), ("Connection", "retries"));
    assert_eq!(c.retries(), None, "a refused write stores nothing");
}

#[test]
fn the_struct_lists_the_fields_and_their_descriptors() {
    let names: Vec<&str> = Stats::fields().iter().map(|field| field.name).collect();
    assert_eq!(names, ["retries", "user", "opened_at"]);
    assert_eq!(Stats::fields()[0].rules, ["range(max = 10)"]);
    assert!(Stats::fields()[1].has_default && Stats::fields()[2].once);
    let descriptor = Stats::retries_descriptor();
    assert_eq!(
        (descriptor.owner_name(), descriptor.name()),
        ("Connection", "retries")
    );
    assert!(
        !descriptor.is_keyed_by_value(),
        "keyed by identity by default"
    );
}

#[test]
fn keys_are_identities_by_default() {
    #[derive(Descriptors)]
    #[descriptors(extend = Connection)]
    struct Tags {
        tag: Field<&'static str>,
    }

    // Two connections that no `Eq` could tell apart, had they one.
    let (a, b) = (Connection::open("same"), Connection::open("same"));
    a.set_tag("first").unwrap();
    assert_eq!(b.tag(), None);
    b.set_tag("second").unwrap();
    assert_eq!((a.tag(), b.tag()), (Some("first"), Some("second")));
    assert_eq!(Tags::tag_descriptor().len(), 2);
    let a2 = Arc::clone(&a);
    assert_eq!(a2.tag(), Some("first"), "one allocation, one entry");
    drop((a, a2, b));
    assert_eq!(Tags::tag_descriptor().len(), 0);
}

#[test]
fn key_value_shares_entries_between_equal_owners() {
    #[derive(Descriptors)]
    #[descriptors(extend = Endpoint, key = value)]
    struct Health {
        #[descriptor(range(max = 100))]
        score: Field<u8>,
    }

    let endpoint = |port| {
        Arc::new(Endpoint {
            host: "db".into(),
            port,
        })
    };
    let (first, twin, other) = (endpoint(5432), endpoint(5432), endpoint(6543));
    first.set_score(90).unwrap();
    assert_eq!(twin.score(), Some(90), "equal owners share one entry");
    assert_eq!(other.score(), None);
    twin.set_score(80).unwrap();
    assert_eq!(first.score(), Some(80));
    assert!(Health::score_descriptor().is_keyed_by_value());
    assert_eq!(Health::score_descriptor().len(), 1);
    drop(first); // the entry belongs to the owner that created it
    assert_eq!(twin.score(), None);
}

#[test]
fn a_dead_owners_values_are_invisible_at_once_and_dropped_by_purge() {
    #[derive(Descriptors)]
    #[descriptors(extend = Connection, no_values)]
    struct Buffers {
        buffer: Field<Counted>,
    }

    let drops = Arc::new(AtomicUsize::new(0));
    let c = Connection::open("c");
    c.set_buffer(Counted(drops.clone())).unwrap();
    c.set_buffer(Counted(drops.clone())).unwrap();
    assert_eq!(drops.load(Ordering::SeqCst), 1, "the replaced value");
    let weak = Arc::downgrade(&c);
    drop(c);
    assert!(
        weak.upgrade().is_none(),
        "the table kept no strong reference"
    );
    assert_eq!(Buffers::buffer_descriptor().len(), 0, "invisible at once");
    assert_eq!(
        drops.load(Ordering::SeqCst),
        1,
        "no `Drop` of ours ran: the value waits for a sweep"
    );
    assert_eq!(Buffers::buffer_descriptor().purge(), 1);
    assert_eq!(drops.load(Ordering::SeqCst), 2);
    assert_eq!(Buffers::buffer_descriptor().purge(), 0);
}

/// Owners that die unreleased are swept as new values are stored: without the sweep, every
/// one of them would still hold its value at the end.
#[test]
fn the_amortised_sweep_drops_dead_owners_values_with_garbage_below_the_live_size() {
    #[derive(Descriptors)]
    #[descriptors(extend = Connection, no_values)]
    struct Churn {
        payload: Field<Counted>,
    }

    const LIVE: usize = 256;
    const DEAD: usize = 10_000;
    let drops = Arc::new(AtomicUsize::new(0));
    let live: Vec<Arc<Connection>> = (0..LIVE)
        .map(|n| {
            let c = Connection::open(&format!("live {n}"));
            c.set_payload(Counted(drops.clone())).unwrap();
            c
        })
        .collect();
    for n in 0..DEAD {
        let c = Connection::open(&format!("short-lived {n}"));
        c.set_payload(Counted(drops.clone())).unwrap();
    }
    assert_eq!(Churn::payload_descriptor().len(), LIVE);
    let swept = drops.load(Ordering::SeqCst);
    // Each of the table's 16 shards sweeps when it has doubled since its last sweep (and holds
    // at least 8 entries): its dead entries never outnumber its live ones by more than 8.
    let garbage = DEAD - swept;
    assert!(
        garbage <= LIVE + 16 * 8,
        "{garbage} dead values kept beside {LIVE} live ones"
    );
    assert_eq!(Churn::payload_descriptor().purge(), garbage);
    assert_eq!(
        drops.load(Ordering::SeqCst),
        DEAD,
        "every dead owner's value"
    );
    drop(live);
    assert_eq!(Churn::payload_descriptor().purge(), LIVE);
    assert_eq!(drops.load(Ordering::SeqCst), DEAD + LIVE);
}

#[test]
fn four_threads_write_shared_and_own_foreign_owners() {
    #[derive(Descriptors)]
    #[descriptors(extend = Connection, no_values)]
    struct Traffic {
        sent: Field<u64>,
        scratch: Field<Counted>,
    }

    const THREADS: usize = 4;
    const PER_THREAD: usize = 500;
    let drops = Arc::new(AtomicUsize::new(0));
    let shared = Connection::open("shared");
    shared.set_sent(0).unwrap();
    let barrier = Barrier::new(THREADS);
    let kept: Vec<Vec<Arc<Connection>>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let (shared, barrier, drops) = (&shared, &barrier, &drops);
                scope.spawn(move || {
                    barrier.wait();
                    let mut kept = Vec::new();
                    for n in 0..PER_THREAD {
                        let own = Connection::open(&format!("{t}/{n}"));
                        own.set_sent(n as u64).unwrap();
                        own.set_scratch(Counted(drops.clone())).unwrap();
                        assert_eq!(own.sent(), Some(n as u64));
                        // Every thread writes the shared owner too: it holds one of their values.
                        shared.set_sent(t as u64).unwrap();
                        assert!(shared.sent().unwrap() < THREADS as u64);
                        if n % 2 == 0 {
                            kept.push(own);
                        }
                    }
                    kept
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let kept: Vec<Arc<Connection>> = kept.into_iter().flatten().collect();
    assert_eq!(kept.len(), THREADS * PER_THREAD / 2);
    assert!(shared.sent().unwrap() < THREADS as u64);
    // The kept half and the shared owner are live; the other half died unreleased.
    assert_eq!(Traffic::sent_descriptor().len(), kept.len() + 1);
    assert_eq!(Traffic::scratch_descriptor().len(), kept.len());
    let peers: HashSet<&str> = kept.iter().map(|c| c.peer.as_str()).collect();
    assert_eq!(peers.len(), kept.len());
    for c in &kept {
        let n: u64 = c.peer.split('/').nth(1).unwrap().parse().unwrap();
        assert_eq!(c.sent(), Some(n), "each owner kept its own value");
    }
    Traffic::scratch_descriptor().purge();
    let dead = THREADS * PER_THREAD / 2;
    assert_eq!(drops.load(Ordering::SeqCst), dead);
    drop(kept);
    Traffic::scratch_descriptor().purge();
    assert_eq!(drops.load(Ordering::SeqCst), THREADS * PER_THREAD);
}

#[test]
fn lazy_is_a_typed_cache_per_foreign_object() {
    static HANDSHAKES: AtomicUsize = AtomicUsize::new(0);
    static DROPS: AtomicUsize = AtomicUsize::new(0);

    /// Not `Clone`: read with `with_handshake`.
    struct Handshake {
        greeting: String,
    }

    impl Drop for Handshake {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn handshake(c: &Arc<Connection>) -> Handshake {
        HANDSHAKES.fetch_add(1, Ordering::SeqCst);
        Handshake {
            greeting: format!("hello, {}", c.peer),
        }
    }

    fn word_count(c: &Arc<Connection>) -> usize {
        // A lazy field may read another one.
        c.with_handshake(|handshake| handshake.greeting.split_whitespace().count())
    }

    #[derive(Descriptors)]
    #[descriptors(extend = Connection, no_values)]
    struct Session {
        #[descriptor(lazy = handshake)]
        handshake: Field<Handshake>,
        #[descriptor(lazy = word_count)]
        words: Field<usize>,
    }

    let (a, b) = (Connection::open("ada"), Connection::open("bob"));
    assert_eq!(a.with_handshake(|h| h.greeting.clone()), "hello, ada");
    assert_eq!(a.with_handshake(|h| h.greeting.len()), 10);
    assert_eq!(
        HANDSHAKES.load(Ordering::SeqCst),
        1,
        "computed once, then stored"
    );
    assert_eq!(a.words(), 2);
    assert_eq!(b.words(), 2, "computed through the other lazy field");
    assert_eq!(HANDSHAKES.load(Ordering::SeqCst), 2);
    assert_eq!(Session::handshake_descriptor().len(), 2);
    // `take_` invalidates: the next read computes again.
    assert!(a.take_handshake().is_some());
    assert_eq!(DROPS.load(Ordering::SeqCst), 1);
    a.with_handshake(|_| ());
    assert_eq!(HANDSHAKES.load(Ordering::SeqCst), 3);
    drop((a, b));
    assert_eq!(Session::handshake_descriptor().purge(), 2);
    assert_eq!(
        DROPS.load(Ordering::SeqCst),
        3,
        "every cached handshake dropped"
    );
}

static CHANGES: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn record(c: &Arc<Connection>, old: Option<&u32>, new: Option<&u32>) {
    CHANGES
        .lock()
        .unwrap()
        .push(format!("{}: {old:?} -> {new:?}", c.peer));
}

#[test]
fn observers_get_the_foreign_owners_arc() {
    #[derive(Descriptors)]
    #[descriptors(extend = Connection)]
    struct Observed {
        #[descriptor(on_change = record)]
        level: Field<u32>,
    }

    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let subscription = Observed::level_descriptor().subscribe(move |c, change| {
        sink.lock()
            .unwrap()
            .push(format!("{} saw {:?}", c.peer, change.new_value()));
    });
    let c = Connection::open("watched");
    c.set_level(1).unwrap();
    c.hold_notifications(|| {
        c.set_level(2).unwrap();
        c.set_level(3).unwrap();
    });
    c.take_level();
    drop(subscription);
    c.set_level(4).unwrap();
    assert_eq!(
        *CHANGES.lock().unwrap(),
        [
            "watched: None -> Some(1)",
            "watched: Some(1) -> Some(3)",
            "watched: Some(3) -> None",
            "watched: None -> Some(4)",
        ]
    );
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "watched saw Some(1)",
            "watched saw Some(3)",
            "watched saw None"
        ]
    );
}

/// A kind, for the fields of a list.
#[derive(Kind)]
#[kind(u8, range(max = 100))]
struct Percent;

fn trimmed(name: String) -> String {
    name.trim().to_owned()
}

#[test]
fn rules_kinds_and_the_values_struct_work_through_the_trait() {
    #[derive(Descriptors)]
    #[descriptors(extend = Connection)]
    struct Profile {
        #[descriptor(coerce = trimmed, non_empty, length(max = 8))]
        name: Field<String>,
        usage: Field<u8, Percent>,
    }

    let c = Connection::open("p");
    c.set_name("  ada ".into()).unwrap();
    assert_eq!(c.name().as_deref(), Some("ada"));
    assert_eq!(
        c.set_usage(101).unwrap_err().to_string(),
        "Connection.usage: 101 is above the maximum 100"
    );
    let errors = c
        .load(ProfileValues {
            name: Some("   ".into()),
            usage: Some(200),
        })
        .unwrap_err();
    assert_eq!(errors.len(), 2, "every failing field, and nothing written");
    assert_eq!(c.name().as_deref(), Some("ada"));
    c.load(ProfileValues {
        name: None,
        usage: Some(40),
    })
    .unwrap();
    assert_eq!(
        c.snapshot(),
        ProfileValues {
            name: Some("ada".into()),
            usage: Some(40),
        }
    );
    assert_eq!(
        Profile::fields()[1].rules,
        ["kind Percent: range(max = 100)"]
    );
}

/// Another crate's fields on the same type, one named as one of `Stats`'.
mod audit {
    use weakprop::{Descriptors, Field};

    use super::net::Connection;

    #[derive(Descriptors)]
    #[descriptors(extend = Connection)]
    pub struct Audit {
        pub retries: Field<String>,
        pub note: Field<String>,
    }
}

#[test]
fn several_structs_attach_fields_to_one_type() {
    use audit::{Audit, AuditExt};
    use stats::StatsExt;

    let c = Connection::open("both");
    // Names that only one trait in scope has: method syntax.
    c.set_note("flaky".into()).unwrap();
    c.set_user("ada".into()).unwrap();
    // Names that both have: each through its trait.
    StatsExt::set_retries(&c, 2).unwrap();
    AuditExt::set_retries(&c, "two".into()).unwrap();
    assert_eq!(StatsExt::retries(&c), Some(2));
    assert_eq!(AuditExt::retries(&c).as_deref(), Some("two"));
    assert_eq!(
        Stats::retries_descriptor().name(),
        Audit::retries_descriptor().name()
    );
    assert_eq!(StatsExt::snapshot(&c).user.as_deref(), Some("ada"));
    assert_eq!(AuditExt::snapshot(&c).note.as_deref(), Some("flaky"));
    // A hold covers the object's fields, whichever struct attached them.
    let changes = Arc::new(AtomicUsize::new(0));
    let counter = changes.clone();
    let _subscription = Stats::retries_descriptor().subscribe(move |_, _| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    AuditExt::hold_notifications(&c, || {
        StatsExt::set_retries(&c, 3).unwrap();
        StatsExt::set_retries(&c, 4).unwrap();
        assert_eq!(changes.load(Ordering::SeqCst), 0);
    });
    assert_eq!(
        changes.load(Ordering::SeqCst),
        1,
        "one change, delivered as the hold ends"
    );
}

fn channel<T>() -> Arc<Channel<T>> {
    Arc::new(Channel {
        capacity: 8,
        last: None,
    })
}

#[test]
fn generic_foreign_types_have_a_table_per_instantiation() {
    // Generic: one table per instantiation of the foreign type.
    #[derive(Descriptors)]
    #[descriptors(extend = Channel<T>)]
    struct Queue<T> {
        #[descriptor(range(max = 1000))]
        depth: Field<usize>,
        peeked: Field<T>,
    }

    let (bytes, words) = (channel::<u8>(), channel::<String>());
    bytes.set_depth(3).unwrap();
    bytes.set_peeked(7).unwrap();
    words.set_peeked("hi".into()).unwrap();
    assert_eq!((bytes.depth(), bytes.peeked()), (Some(3), Some(7)));
    assert_eq!(words.peeked().as_deref(), Some("hi"));
    assert_eq!(Queue::<u8>::depth_descriptor().len(), 1);
    assert_eq!(Queue::<String>::depth_descriptor().len(), 0);
    assert_eq!(Queue::<String>::peeked_descriptor().len(), 1);
    assert!(bytes.set_depth(1001).is_err());
    assert_eq!(bytes.capacity + words.capacity, 16);
    assert!(bytes.last.is_none() && words.last.is_none());
    assert_eq!(
        bytes.snapshot(),
        QueueValues {
            depth: Some(3),
            peeked: Some(7)
        }
    );
}

#[test]
fn an_instantiation_of_a_generic_type_can_be_extended() {
    // One instantiation of a generic foreign type, by a list that is not generic.
    #[derive(Descriptors)]
    #[descriptors(extend = Channel<u64>)]
    struct Totals {
        total: Field<u64>,
    }

    let c = channel::<u64>();
    c.set_total(9).unwrap();
    assert_eq!(c.total(), Some(9));
    assert_eq!(Totals::total_descriptor().owner_name(), "Channel");
}

#[test]
fn std_types_can_carry_fields_too() {
    // A type of the standard library: a foreign type if any is.
    #[derive(Descriptors)]
    #[descriptors(extend = std::path::PathBuf, key = value, no_values)]
    struct FileMeta {
        #[descriptor(default = 0)]
        opens: Field<u32>,
    }

    let path = Arc::new(std::path::PathBuf::from("/tmp/x"));
    path.set_opens(path.opens() + 1).unwrap();
    let same = Arc::new(std::path::PathBuf::from("/tmp/x"));
    assert_eq!(same.opens(), 1, "keyed by value: an equal path finds it");
}

#[test]
fn rc_attaches_fields_to_objects_of_one_thread() {
    use std::cell::Cell;
    use std::rc::Rc;

    /// Not `Sync`: its objects stay on one thread.
    struct Widget {
        clicks: Cell<u32>,
    }

    fn label(widget: &Rc<Widget>) -> String {
        format!("clicked {} times", widget.clicks.get())
    }

    #[derive(Descriptors)]
    #[descriptors(extend = Widget, rc)]
    struct Layout {
        #[descriptor(range(max = 4096))]
        width: Field<u32>,
        /// Not `Send`: no matter.
        parent: Field<Rc<Widget>>,
        #[descriptor(lazy = label)]
        label: Field<String>,
    }

    let root = Rc::new(Widget {
        clicks: Cell::new(0),
    });
    let child = Rc::new(Widget {
        clicks: Cell::new(2),
    });
    child.set_width(640).unwrap();
    child.set_parent(Rc::clone(&root)).unwrap();
    assert_eq!(child.label(), "clicked 2 times");
    assert!(child.set_width(5000).is_err());
    assert_eq!(Layout::width_descriptor().len(), 1);
    let elsewhere = thread::spawn(|| Layout::width_descriptor().len())
        .join()
        .unwrap();
    assert_eq!(elsewhere, 0, "each thread has tables of its own");
    assert_eq!(Rc::strong_count(&root), 2, "the parent, held by a value");
    drop(child);
    assert_eq!(Layout::parent_descriptor().len(), 0);
    assert_eq!(Layout::parent_descriptor().purge(), 1);
    assert_eq!(Rc::strong_count(&root), 1, "and dropped by the purge");
    assert_eq!(root.clicks.get(), 0);
}

#[test]
fn generic_rc_lists_have_tables_per_instantiation_and_thread() {
    use std::rc::Rc;

    #[derive(Descriptors)]
    #[descriptors(extend = Channel<T>, rc, key = identity)]
    struct Pending<T> {
        next: Field<T>,
    }

    let (a, b) = (
        Rc::new(Channel::<u8> {
            capacity: 1,
            last: None,
        }),
        Rc::new(Channel::<char> {
            capacity: 1,
            last: None,
        }),
    );
    a.set_next(1).unwrap();
    b.set_next('b').unwrap();
    assert_eq!((a.next(), b.next()), (Some(1), Some('b')));
    assert_eq!(Pending::<u8>::next_descriptor().len(), 1);
    assert_eq!(Pending::<char>::next_descriptor().len(), 1);
    assert_eq!(a.capacity + b.capacity, 2);
    assert!(a.last.is_none() && b.last.is_none());
}

#[test]
fn attached_fields_update_atomically_through_the_trait() {
    #[derive(Descriptors)]
    #[descriptors(extend = Connection)]
    struct Counters {
        #[descriptor(range(max = 4_000))]
        sent: Field<u32>,
    }

    let connection = Connection::open("db");
    thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..1_000 {
                    connection
                        .update_sent(|sent| sent.map_or(1, |sent| sent + 1))
                        .unwrap();
                }
            });
        }
    });
    assert_eq!(connection.sent(), Some(4_000));
    let error = connection.update_sent(|sent| sent.map_or(0, |sent| sent + 1));
    assert!(matches!(
        error.unwrap_err().kind(),
        ErrorKind::AboveMaximum { .. }
    ));
    assert_eq!(connection.try_update_sent(|_| None), Ok(None));
    assert_eq!(connection.replace_sent(1), Ok(Some(4_000)));
    let mut visited = 0;
    Counters::sent_descriptor().for_each(|owner, sent| {
        assert!(Arc::ptr_eq(owner, &connection) && *sent == 1);
        visited += 1;
    });
    assert_eq!(visited, 1);
}
