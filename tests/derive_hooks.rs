//! The signatures that `validate`, `coerce`, `on_change` and `lazy` accept: exactly the ones
//! their compile errors name, plus what the value dereferences to for a validator (`&str` for a
//! `String`, `&[T]` for a `Vec<T>`), and generic functions, whose parameters are inferred.

use std::fmt::Debug;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use weakprop::{Descriptors, Field};

fn not_blank(value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        Err("is blank".to_owned())
    } else {
        Ok(())
    }
}

fn short_slice(value: &[u8]) -> Result<(), String> {
    if value.len() <= 3 {
        Ok(())
    } else {
        Err(format!("{} bytes", value.len()))
    }
}

// The signature under test: a validator of the field's own type.
#[allow(clippy::ptr_arg)]
fn of_string(value: &String) -> Result<(), String> {
    if value.contains('@') {
        Ok(())
    } else {
        Err("no `@`".to_owned())
    }
}

/// Generic, and `?Sized`: it could take `&String` or `&str`; it is taken to take `&String`.
fn ascii<S: AsRef<str> + ?Sized>(value: &S) -> Result<(), String> {
    if value.as_ref().is_ascii() {
        Ok(())
    } else {
        Err("not ASCII".to_owned())
    }
}

/// Generic over any ordered value with a default.
fn above_default<T: PartialOrd + Default + Debug>(value: &T) -> Result<(), String> {
    if *value > T::default() {
        Ok(())
    } else {
        Err(format!("{value:?} is not above the default"))
    }
}

fn identity<T>(value: T) -> T {
    value
}

static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn record<O, T: Debug>(_owner: &Arc<O>, old: Option<&T>, new: Option<&T>) {
    SEEN.lock().unwrap().push(format!("{old:?} -> {new:?}"));
}

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Account {
    name: String,
    #[descriptor(validate = not_blank)]
    nickname: Field<String>,
    #[descriptor(validate = short_slice)]
    code: Field<Vec<u8>>,
    #[descriptor(validate = of_string)]
    email: Field<String>,
}

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Profile {
    id: u32,
    #[descriptor(validate = of_string)]
    email: Field<String>,
    #[descriptor(validate = ascii)]
    handle: Field<String>,
    #[descriptor(validate = above_default, coerce = identity, on_change = record)]
    karma: Field<i64>,
    #[descriptor(lazy = label)]
    label: Field<String>,
}

fn label(profile: &Arc<Profile>) -> String {
    format!("#{}", profile.id)
}

fn profile(id: u32) -> Arc<Profile> {
    Arc::new(Profile {
        id,
        email: Field::new(),
        handle: Field::new(),
        karma: Field::new(),
        label: Field::new(),
    })
}

#[test]
fn a_validator_of_a_string_may_take_str_and_of_a_vec_a_slice() {
    let account = Arc::new(Account {
        name: "Ada".to_owned(),
        nickname: Field::new(),
        code: Field::new(),
        email: Field::new(),
    });
    account.set_nickname("ada".to_owned()).unwrap();
    let error = account.set_nickname("  ".to_owned()).unwrap_err();
    assert_eq!(error.to_string(), "Account.nickname: is blank");
    account.set_code(vec![1, 2, 3]).unwrap();
    assert_eq!(
        account.set_code(vec![0; 4]).unwrap_err().to_string(),
        "Account.code: 4 bytes"
    );
    account.set_email("a@b".to_owned()).unwrap();
    assert_eq!(account.name, "Ada");
}

#[test]
fn a_validator_of_t_and_generic_hooks_are_inferred() {
    let p = profile(1);
    p.set_email("a@b".to_owned()).unwrap();
    assert!(p.set_email("ab".to_owned()).is_err());
    p.set_handle("ada".to_owned()).unwrap();
    assert_eq!(
        p.set_handle("adà".to_owned()).unwrap_err().to_string(),
        "Profile.handle: not ASCII"
    );
    p.set_karma(5).unwrap();
    assert_eq!(
        p.set_karma(0).unwrap_err().to_string(),
        "Profile.karma: 0 is not above the default"
    );
    assert!(SEEN.lock().unwrap().contains(&"None -> Some(5)".to_owned()));
    assert_eq!(p.label(), "#1");
}

/// Reads through `&self`, writes through `self: &Arc<Self>`: the shape the compile error of a
/// write through `&self` asks for.
impl Profile {
    fn describe(&self) -> String {
        format!("{}: {:?}", self.id, self.karma())
    }

    fn reward(self: &Arc<Self>, points: i64) -> Result<(), weakprop::ValidationError> {
        let karma = self.karma().unwrap_or_default();
        self.set_karma(karma + points)
    }
}

#[test]
fn reads_take_self_and_writes_take_the_arc() {
    let p = profile(2);
    p.reward(3).unwrap();
    p.reward(4).unwrap();
    assert_eq!(p.describe(), "2: Some(7)");
}

fn half(widget: &Rc<Widget>) -> u32 {
    widget.width / 2
}

fn relayout<T: Debug>(_widget: &Rc<Widget>, old: Option<&T>, new: Option<&T>) {
    assert_ne!(format!("{old:?}"), format!("{new:?}"));
}

#[derive(Descriptors)]
#[descriptors(rc, key = identity)]
struct Widget {
    width: u32,
    #[descriptor(lazy = half, on_change = relayout)]
    half: Field<u32>,
    #[descriptor(validate = not_blank, coerce = identity)]
    title: Field<String>,
}

#[test]
fn rc_hooks_take_the_rc() {
    let widget = Rc::new(Widget {
        width: 640,
        half: Field::new(),
        title: Field::new(),
    });
    assert_eq!(widget.half(), 320);
    widget.set_title("Main".to_owned()).unwrap();
    assert!(widget.set_title(String::new()).is_err());
}
