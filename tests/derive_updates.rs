//! `update_x`, `try_update_x`, `replace_x` and a field's `for_each`: read-modify-writes that
//! lose nothing to other threads, and visits of every live owner's value.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use weakprop::{Descriptors, ErrorKind, Field};

/// Every change to a page's hits, as the observer saw it: `(old, new)`.
static STEPS: Mutex<Vec<(Option<u64>, u64)>> = Mutex::new(Vec::new());
/// How many values the validator has been asked about.
static CHECKED: AtomicU64 = AtomicU64::new(0);

fn below_a_million(hits: &u64) -> Result<(), String> {
    CHECKED.fetch_add(1, Ordering::Relaxed);
    if *hits < 1_000_000 {
        Ok(())
    } else {
        Err(format!("{hits} hits is too many"))
    }
}

fn record(_page: &Arc<Page>, old: Option<&u64>, new: Option<&u64>) {
    if let Some(new) = new {
        STEPS.lock().unwrap().push((old.copied(), *new));
    }
}

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Page {
    #[descriptor(validate = below_a_million, on_change = record)]
    hits: Field<u64>,
    #[descriptor(range(max = 10))]
    stock: Field<u32>,
    #[descriptor(once)]
    slug: Field<String>,
}

fn page() -> Arc<Page> {
    Arc::new(Page {
        hits: Field::new(),
        stock: Field::new(),
        slug: Field::new(),
    })
}

#[test]
fn four_threads_of_ten_thousand_updates_end_at_forty_thousand_and_every_step_is_seen() {
    const THREADS: u64 = 4;
    const EACH: u64 = 10_000;
    let page = page();
    let calls = AtomicU64::new(0);
    thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                for _ in 0..EACH {
                    let stored = page
                        .update_hits(|hits| {
                            calls.fetch_add(1, Ordering::Relaxed);
                            hits.copied().unwrap_or(0) + 1
                        })
                        .unwrap();
                    assert!((1..=THREADS * EACH).contains(&stored));
                }
            });
        }
    });
    assert_eq!(page.hits(), Some(THREADS * EACH));
    // The rules checked each value `f` returned, once; `f` ran again after each lost race.
    assert!(calls.load(Ordering::Relaxed) >= THREADS * EACH);
    assert_eq!(
        CHECKED.load(Ordering::Relaxed),
        calls.load(Ordering::Relaxed)
    );
    // The observer saw each step, in an order in which each went one up from the one before.
    let mut steps = STEPS.lock().unwrap().clone();
    assert_eq!(steps.len(), 40_000);
    steps.sort_by_key(|&(_, new)| new);
    for (count, (old, new)) in (1..).zip(steps) {
        assert_eq!(new, count);
        assert_eq!(old, (count > 1).then(|| count - 1));
    }
}

#[test]
fn an_update_that_breaks_a_rule_stores_nothing_and_does_not_retry() {
    let page = page();
    page.set_stock(9).unwrap();
    let mut calls = 0;
    let error = page
        .update_stock(|stock| {
            calls += 1;
            stock.copied().unwrap_or(0) + 5
        })
        .unwrap_err();
    assert_eq!(calls, 1);
    assert!(matches!(error.kind(), ErrorKind::AboveMaximum { .. }));
    assert_eq!(error.to_string(), "Page.stock: 14 is above the maximum 10");
    assert_eq!(page.stock(), Some(9));
    assert_eq!(
        page.update_stock(|stock| stock.copied().unwrap_or(0) + 1),
        Ok(10)
    );
}

#[test]
fn an_update_sees_none_while_the_field_is_unset() {
    let page = page();
    let mut seen = Vec::new();
    page.update_stock(|stock| {
        seen.push(stock.copied());
        2
    })
    .unwrap();
    page.update_stock(|stock| {
        seen.push(stock.copied());
        3
    })
    .unwrap();
    assert_eq!(seen, [None, Some(2)]);
}

#[test]
fn a_try_update_that_gives_up_stores_nothing() {
    let page = page();
    let take_one = |stock: Option<&u32>| stock.and_then(|n| n.checked_sub(1));
    assert_eq!(page.try_update_stock(take_one), Ok(None));
    assert_eq!(page.stock(), None);
    page.set_stock(2).unwrap();
    assert_eq!(page.try_update_stock(take_one), Ok(Some(1)));
    assert_eq!(page.try_update_stock(take_one), Ok(Some(0)));
    assert_eq!(page.try_update_stock(take_one), Ok(None));
    assert_eq!(page.stock(), Some(0));
    let error = page.try_update_stock(|_| Some(11)).unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::AboveMaximum { .. }));
    assert_eq!(page.stock(), Some(0));
}

#[test]
fn try_updates_on_threads_sell_exactly_the_stock() {
    let page = page();
    page.set_stock(10).unwrap();
    let sold = AtomicUsize::new(0);
    thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                while page
                    .try_update_stock(|stock| stock.and_then(|n| n.checked_sub(1)))
                    .unwrap()
                    .is_some()
                {
                    sold.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    assert_eq!(sold.into_inner(), 10);
    assert_eq!(page.stock(), Some(0));
}

#[test]
fn replace_returns_the_value_it_replaced_and_keeps_it_when_refused() {
    let page = page();
    assert_eq!(page.replace_stock(3), Ok(None));
    assert_eq!(page.replace_stock(4), Ok(Some(3)));
    let error = page.replace_stock(11).unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::AboveMaximum { .. }));
    assert_eq!(page.stock(), Some(4));
}

#[test]
fn a_once_field_is_written_by_its_setter_only() {
    let page = page();
    page.set_slug("home".to_owned()).unwrap();
    let error = page.set_slug("away".to_owned()).unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::AlreadySet);
    // A `once` field has no `replace_slug`, `update_slug` or `try_update_slug`; through its
    // descriptor, an update of a set value is refused like a second set.
    let error = Page::slug_descriptor()
        .update(&page, |_| "away".to_owned())
        .unwrap_err();
    assert_eq!(*error.kind(), ErrorKind::AlreadySet);
    assert_eq!(page.slug().as_deref(), Some("home"));
}

#[test]
#[should_panic(expected = "was written from inside the closure of a `with_` method")]
fn an_update_inside_a_read_of_its_table_panics() {
    let page = page();
    page.set_stock(1).unwrap();
    page.with_stock(|_| {
        let _ = page.update_stock(|stock| stock.copied().unwrap_or(0) + 1);
    });
}

/// A field of its own for the test of `for_each`, which sees every owner of the field.
#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Shelf {
    books: Field<u32>,
    label: Field<String>,
}

fn shelf() -> Arc<Shelf> {
    Arc::new(Shelf {
        books: Field::new(),
        label: Field::new(),
    })
}

#[test]
fn for_each_visits_every_live_owner_once_and_none_that_died() {
    let mut shelves: Vec<_> = (0..5).map(|_| shelf()).collect();
    for (books, shelf) in (1..).zip(&shelves) {
        shelf.set_books(books).unwrap();
        shelf.set_label(format!("shelf {books}")).unwrap();
    }
    let empty = shelf();
    drop(shelves.remove(1));
    let mut seen = Vec::new();
    Shelf::books_descriptor().for_each(|shelf, books| {
        // The closure may read the owner's other fields (not write them: that panics).
        seen.push((*books, shelf.label().unwrap()));
    });
    seen.sort_unstable();
    let expected: Vec<_> = [1, 3, 4, 5]
        .map(|books| (books, format!("shelf {books}")))
        .into();
    assert_eq!(seen, expected);
    assert_eq!(empty.books(), None);
}
