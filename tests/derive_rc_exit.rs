//! `rc` owners and values at thread exit, in both destructor orders.
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use weakprop::{Descriptors, Field};

static DROPS: AtomicUsize = AtomicUsize::new(0);

/// A value whose `Drop` reads and writes other nodes' fields, and drops the node it holds.
struct Link {
    next: Option<Rc<Node>>,
}
impl Drop for Link {
    fn drop(&mut self) {
        DROPS.fetch_add(1, Ordering::SeqCst);
        if let Some(next) = &self.next {
            let _ = next.label();
            let _ = next.with_link(|l| l.is_some());
            let _ = next.set_label(format!("dropped {}", next.id));
            let _ = next.take_label();
            let _ = next.area();
            let sub = Node::label_descriptor().subscribe(|_, _| {});
            drop(sub);
        }
    }
}

fn area(node: &Rc<Node>) -> u32 {
    node.id * 2
}

#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(rc)]
struct Node {
    id: u32,
    label: Field<String>,
    link: Field<Link>,
    #[descriptor(lazy = area)]
    area: Field<u32>,
}
fn node(id: u32) -> Rc<Node> {
    Rc::new(Node {
        id,
        label: Field::new(),
        link: Field::new(),
        area: Field::new(),
    })
}

thread_local! {
    static EARLY: RefCell<Option<Rc<Node>>> = const { RefCell::new(None) };
    static LATE: RefCell<Option<Rc<Node>>> = const { RefCell::new(None) };
}

/// A chain of 4 nodes, each node's `link` value holding the next node's only `Rc`.
fn chain(base: u32) -> Rc<Node> {
    let mut next: Option<Rc<Node>> = None;
    for id in (base..base + 4).rev() {
        let n = node(id);
        n.set_label(format!("n{id}")).unwrap();
        n.set_link(Link { next: next.take() }).unwrap();
        let _ = n.area();
        next = Some(n);
    }
    next.unwrap()
}

#[test]
fn chains_held_by_thread_locals_drop_cleanly_at_thread_exit() {
    DROPS.store(0, Ordering::SeqCst);
    thread::spawn(|| {
        // Registered before the tables (its destructor runs after theirs, LIFO) ...
        EARLY.with(|e| *e.borrow_mut() = Some(chain(100)));
        // ... and another whose destructor runs before them.
        let c = chain(200);
        LATE.with(|l| *l.borrow_mut() = Some(c));
    })
    .join()
    .expect("thread exit panicked");
    // Every link of both chains is dropped, once.
    assert_eq!(DROPS.load(Ordering::SeqCst), 8);
}
