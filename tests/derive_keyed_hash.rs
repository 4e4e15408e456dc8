//! `#[descriptors(hash = keyed)]`: owners keyed by untrusted input, hashed by std's `RandomState`
//! (SipHash-1-3 under each table's own random keys) instead of the fast default.

use std::rc::Rc;
use std::sync::Arc;

use weakprop::{Descriptors, Field};

/// A session keyed by a user name that comes from requests.
#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(hash = keyed)]
struct Session {
    user: String,
    #[descriptor(range(max = 100))]
    requests: Field<u32>,
    #[descriptor(default = String::from("en"))]
    locale: Field<String>,
}

fn session(user: &str) -> Arc<Session> {
    Arc::new(Session {
        user: user.into(),
        requests: Field::new(),
        locale: Field::new(),
    })
}

#[test]
fn a_keyed_owner_is_read_written_shared_by_equal_owners_and_released() {
    let ada = session("ada");
    ada.set_requests(3).unwrap();
    ada.set_locale("fr".into()).unwrap();
    assert!(ada.set_requests(101).is_err());
    // An equal owner finds the entry, as in any table keyed by value.
    let again = session("ada");
    assert_eq!(
        (again.requests(), again.locale()),
        (Some(3), "fr".to_owned())
    );
    assert_eq!(session("grace").requests(), None);
    assert_eq!(Session::requests_descriptor().len(), 1);
    drop(again);
    assert_eq!(
        Session::requests_descriptor().len(),
        1,
        "the entry is ada's"
    );
    // Each table hashes with keys of its own; the `Drop` releases from both anyway.
    drop(ada);
    assert!(Session::requests_descriptor().is_empty());
    assert!(Session::locale_descriptor().is_empty());
    assert_eq!(
        Session::requests_descriptor().purge() + Session::locale_descriptor().purge(),
        0
    );
}

#[test]
fn many_keyed_owners_on_threads_each_find_their_own_value() {
    let owners: Vec<Arc<Session>> = (0..256).map(|id| session(&format!("user{id}"))).collect();
    std::thread::scope(|scope| {
        for chunk in owners.chunks(64) {
            scope.spawn(move || {
                for (i, owner) in chunk.iter().enumerate() {
                    owner.set_requests(u32::try_from(i).unwrap()).unwrap();
                }
                for (i, owner) in chunk.iter().enumerate() {
                    assert_eq!(owner.requests(), Some(u32::try_from(i).unwrap()));
                }
            });
        }
    });
    drop(owners);
    assert!(Session::requests_descriptor().is_empty());
}

/// A generic owner and an `rc` owner, keyed.
#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(hash = keyed)]
struct Tagged<K> {
    key: K,
    tag: Field<String>,
}

#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(hash = keyed, rc)]
struct Widget {
    name: String,
    width: Field<u32>,
}

#[test]
fn generic_and_rc_owners_can_be_keyed_too() {
    let tagged = Arc::new(Tagged {
        key: 7_u64,
        tag: Field::new(),
    });
    tagged.set_tag("seven".into()).unwrap();
    assert_eq!(tagged.tag().as_deref(), Some("seven"));
    drop(tagged);
    assert!(Tagged::<u64>::tag_descriptor().is_empty());

    let widget = Rc::new(Widget {
        name: "button".into(),
        width: Field::new(),
    });
    widget.set_width(80).unwrap();
    let twin = Rc::new(Widget {
        name: "button".into(),
        width: Field::new(),
    });
    assert_eq!(twin.width(), Some(80));
    drop((widget, twin));
    assert!(Widget::width_descriptor().is_empty());
}
