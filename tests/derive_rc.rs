//! `#[descriptors(rc)]`: owners in an `Rc`, values that need neither `Send` nor `Sync`, one
//! table per thread.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::thread;

use weakprop::{Descriptors, Field, Local, Subscription};

/// Not `Send`, not `Sync`: a GPU handle stand-in.
#[derive(Debug)]
struct Texture {
    id: u32,
    loads: Rc<Cell<u32>>,
}

fn half(width: u32) -> u32 {
    width / 2
}

thread_local! {
    static RELAYOUTS: RefCell<Vec<(Option<u32>, Option<u32>)>> = const { RefCell::new(Vec::new()) };
}

fn relayout(_: &Rc<Widget>, old: Option<&u32>, new: Option<&u32>) {
    RELAYOUTS.with(|log| log.borrow_mut().push((old.copied(), new.copied())));
}

fn area(widget: &Rc<Widget>) -> u32 {
    widget.width().unwrap_or(0) * widget.height
}

#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(rc)]
struct Widget {
    name: String,
    height: u32,
    #[descriptor(range(max = 4096), on_change = relayout)]
    width: Field<u32>,
    #[descriptor(coerce = half)]
    margin: Field<u32>,
    texture: Field<Rc<Texture>>,
    #[descriptor(lazy = area)]
    area: Field<u32>,
    #[descriptor(default = String::from("left"), one_of = ["left", "right"])]
    align: Field<String>,
}

/// A widget named `name`, not yet in an `Rc`.
fn unshared(name: &str) -> Widget {
    Widget {
        name: name.into(),
        height: 10,
        width: Field::new(),
        margin: Field::new(),
        texture: Field::new(),
        area: Field::new(),
        align: Field::new(),
    }
}

fn widget(name: &str) -> Rc<Widget> {
    Rc::new(unshared(name))
}

#[test]
fn an_rc_owner_stores_validates_and_observes_values_that_are_not_send() {
    let button = widget("button");
    let loads = Rc::new(Cell::new(0));
    button
        .set_texture(Rc::new(Texture {
            id: 7,
            loads: loads.clone(),
        }))
        .unwrap();
    assert_eq!(button.texture().map(|texture| texture.id), Some(7));
    assert_eq!(
        button.with_texture(|texture| texture.map(|t| t.loads.get())),
        Some(0)
    );
    button.set_width(300).unwrap();
    assert_eq!(
        button.set_width(5000).unwrap_err().to_string(),
        "Widget.width: 5000 is above the maximum 4096"
    );
    button.set_margin(8).unwrap();
    assert_eq!(button.margin(), Some(4));
    assert_eq!(button.area(), 3000);
    assert_eq!(button.align(), "left");
    assert!(button.set_align("middle".into()).is_err());
    assert_eq!(button.take_width(), Some(300));
    RELAYOUTS.with(|log| assert_eq!(*log.borrow(), [(None, Some(300)), (Some(300), None)]));
    let values = button.snapshot();
    assert_eq!(values.margin, Some(4));
    assert_eq!(values.texture.map(|texture| texture.id), Some(7));
}

#[test]
fn equal_rc_owners_share_an_entry_and_identity_keys_stay_apart() {
    let (first, twin) = (widget("twin"), widget("twin"));
    first.set_width(10).unwrap();
    assert_eq!(twin.width(), Some(10));
    let probe = unshared("twin");
    assert_eq!(
        probe.width(),
        Some(10),
        "an equal owner outside an Rc finds it too"
    );
    drop(probe);
    drop(first);
    assert_eq!(twin.width(), None, "the entry left with its creator");
}

#[test]
fn each_thread_has_tables_of_its_own() {
    let here = widget("here");
    here.set_width(1).unwrap();
    let table = Widget::width_descriptor();
    assert_eq!(table.len(), 1);
    let there = thread::spawn(|| {
        // The same name, but another thread: another table.
        let there = widget("here");
        assert_eq!(there.width(), None);
        there.set_width(2).unwrap();
        (Widget::width_descriptor().len(), there.width())
    })
    .join()
    .unwrap();
    assert_eq!(there, (1, Some(2)));
    assert_eq!(here.width(), Some(1));
    assert_eq!(table.len(), 1);
    assert_eq!(table.name(), "width");
}

#[test]
fn an_rc_owner_leaves_its_tables_when_its_last_rc_drops() {
    let loads = Rc::new(Cell::new(0));
    let panel = widget("panel");
    panel
        .set_texture(Rc::new(Texture {
            id: 1,
            loads: loads.clone(),
        }))
        .unwrap();
    assert_eq!(Rc::strong_count(&loads), 2);
    drop(panel);
    assert_eq!(
        Rc::strong_count(&loads),
        1,
        "the value dropped with its owner"
    );
    assert_eq!(
        Widget::texture_descriptor().purge(),
        0,
        "released, not swept"
    );
}

#[test]
fn subscribers_are_closures_of_the_thread_and_may_hold_rcs() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let log = seen.clone();
    let subscription: Subscription<Local> =
        Widget::margin_descriptor().subscribe(move |owner, change| {
            log.borrow_mut()
                .push((owner.name.clone(), change.new_value().copied()));
        });
    let label = widget("label");
    label.set_margin(20).unwrap();
    label.hold_notifications(|| {
        label.set_margin(2).unwrap();
        label.set_margin(4).unwrap();
    });
    drop(subscription);
    label.set_margin(6).unwrap();
    assert_eq!(
        *seen.borrow(),
        [
            ("label".to_owned(), Some(10)),
            ("label".to_owned(), Some(2))
        ]
    );
}

/// An identity-keyed tree: children hold their parent weakly, parents hold children strongly.
#[derive(Descriptors)]
#[descriptors(rc, key = identity)]
struct Node {
    children: Field<Vec<Rc<Node>>>,
    label: Field<String>,
}

fn node() -> Rc<Node> {
    Rc::new(Node {
        children: Field::new(),
        label: Field::new(),
    })
}

#[test]
fn a_wide_tree_dropped_from_its_root_releases_every_node() {
    let root = node();
    let children: Vec<Rc<Node>> = (0..10_000)
        .map(|i| {
            let child = node();
            child.set_label(format!("node {i}")).unwrap();
            child
        })
        .collect();
    root.set_children(children).unwrap();
    root.set_label("root".into()).unwrap();
    assert_eq!(Node::label_descriptor().len(), 10_001);
    // Dropping the root drops its children value, whose nodes release their own entries from
    // the table being released from: no borrow error, no leak.
    drop(root);
    assert_eq!(Node::label_descriptor().len(), 0);
    assert_eq!(Node::children_descriptor().len(), 0);
    assert_eq!(Node::label_descriptor().purge(), 0);
}

#[test]
fn owners_dropped_as_their_thread_exits_after_its_tables_drop_without_panicking() {
    use std::sync::Mutex;

    /// What the late owner's writes and reads saw, from its thread's last destructor.
    static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

    struct DropsLater(RefCell<Option<Rc<Node>>>);
    thread_local! {
        static LATE: DropsLater = const { DropsLater(RefCell::new(None)) };
    }
    impl Drop for DropsLater {
        fn drop(&mut self) {
            // The tables of this thread are gone by now (they were created after this
            // thread-local, so they were destroyed before it): the owner's accessors and its
            // `Drop` must cope.
            if let Some(node) = self.0.borrow_mut().take() {
                let mut seen = SEEN.lock().unwrap();
                match node.set_label("too late".into()) {
                    Ok(()) => seen.push("stored".into()),
                    Err(error) => seen.push(error.to_string()),
                }
                seen.push(format!("{:?}", node.label()));
                drop(seen);
                drop(node);
            }
        }
    }
    let outcome = thread::spawn(|| {
        LATE.with(|_| {}); // registered first, so destroyed last
        let late = node();
        late.set_label("late".into()).unwrap();
        let child = node();
        child.set_label("child".into()).unwrap();
        late.set_children(vec![child]).unwrap();
        assert_eq!(Node::label_descriptor().len(), 2);
        LATE.with(|cell| *cell.0.borrow_mut() = Some(late));
    })
    .join();
    assert!(outcome.is_ok(), "no panic during thread exit");
    assert_eq!(
        *SEEN.lock().unwrap(),
        [
            "Node.label: cannot be stored: this thread is exiting, and its descriptor tables are gone",
            "None",
        ]
    );
}

#[test]
fn an_observer_that_writes_and_a_value_whose_drop_drops_owners_of_the_same_type() {
    thread_local! {
        static LAST: RefCell<Option<Rc<Node>>> = const { RefCell::new(None) };
    }
    let parent = node();
    let child = node();
    child.set_label("child".into()).unwrap();
    parent.set_children(vec![child.clone()]).unwrap();
    drop(child);
    // Replacing the value drops the old one, whose node releases its entries: outside the
    // table's borrow.
    parent.set_children(Vec::new()).unwrap();
    assert_eq!(Node::label_descriptor().len(), 0);
    let _subscription = Node::label_descriptor().subscribe(|owner, change| {
        if change.new_value().map(String::as_str) == Some("ping") {
            owner.set_label("pong".into()).unwrap();
            LAST.with(|last| *last.borrow_mut() = Some(owner.clone()));
        }
    });
    parent.set_label("ping".into()).unwrap();
    assert_eq!(parent.label().as_deref(), Some("pong"));
    LAST.with(|last| last.borrow_mut().take());
}

/// Generic and `rc`: one table per instantiation per thread.
#[derive(Descriptors)]
#[descriptors(rc, key = identity)]
struct Slot<T: 'static> {
    value: Field<Rc<T>>,
}

#[test]
fn a_generic_rc_owner_has_a_table_per_instantiation() {
    let numbers = Rc::new(Slot::<u8> {
        value: Field::new(),
    });
    let words = Rc::new(Slot::<String> {
        value: Field::new(),
    });
    numbers.set_value(Rc::new(1)).unwrap();
    words.set_value(Rc::new("one".into())).unwrap();
    assert_eq!(Slot::<u8>::value_descriptor().len(), 1);
    assert_eq!(Slot::<String>::value_descriptor().len(), 1);
    drop(numbers);
    assert!(Slot::<u8>::value_descriptor().is_empty());
    assert_eq!(words.value().as_deref().map(String::as_str), Some("one"));
}

#[test]
fn the_arc_flavor_is_untouched() {
    #[derive(Descriptors)]
    #[descriptors(key = identity)]
    struct Shared {
        count: Field<u32>,
    }
    let shared = Arc::new(Shared {
        count: Field::new(),
    });
    shared.set_count(1).unwrap();
    let other = shared.clone();
    assert_eq!(
        thread::spawn(move || other.count()).join().unwrap(),
        Some(1)
    );
}

#[test]
fn an_rc_owner_updates_and_replaces_with_its_coercion_applied() {
    let panel = widget("panel");
    // `margin` is coerced (halved) before it is stored; the update returns the value stored.
    assert_eq!(
        panel.update_margin(|margin| margin.map_or(40, |m| m + 40)),
        Ok(20)
    );
    assert_eq!(
        panel.update_margin(|margin| margin.map_or(0, |m| m * 4)),
        Ok(40)
    );
    assert_eq!(panel.replace_margin(2), Ok(Some(40)));
    assert_eq!(panel.try_update_margin(|_| None), Ok(None));
    assert_eq!(panel.margin(), Some(1));
    let mut seen = Vec::new();
    Widget::margin_descriptor()
        .for_each(|widget, margin| seen.push((widget.name.clone(), *margin)));
    assert!(seen.contains(&("panel".to_owned(), 1)));
}
