//! [`Rules`]: what a field does to each written value before it is stored — coerce, check,
//! `once` — and who is told afterwards.

use core::marker::PhantomData;

use super::error::ErrorKind;
use crate::observe::change::{Hook, Observer};
use crate::table::flavor::{Flavor, Shared};

/// A field's check: `Ok` accepts the value, `Err` names the rule it broke.
///
/// # Examples
///
/// ```
/// use weakprop_core::{Check, validate::range};
///
/// const PERCENT: Check<u8> = |value| range(value, None, Some(&100));
/// assert!(PERCENT(&101).is_err());
/// ```
pub type Check<T> = fn(&T) -> Result<(), ErrorKind>;

/// The write pipeline of one field, built in a `const` context: coerce, check, `once`, notify.
///
/// `#[derive(Descriptors)]` builds one from the field's options; build one by hand to use a
/// [`Descriptor`](crate::Descriptor) without the derive. `F` is the owner's flavor, which only
/// the `on_change` hook's signature depends on: `fn(&Arc<O>, ..)`, or `fn(&Rc<O>, ..)` for a
/// [`Local`](crate::Local) owner.
///
/// # Examples
///
/// ```
/// use weakprop_core::validate::range;
/// use weakprop_core::{ErrorKind, Rules};
///
/// fn clamp_negative(value: i32) -> i32 { value.max(0) }
/// fn at_most_150(value: &i32) -> Result<(), ErrorKind> { range(value, None, Some(&150)) }
///
/// struct Person;
/// const AGE_RULES: Rules<Person, i32> = Rules::new().coerce(clamp_negative).check(at_most_150);
/// ```
pub struct Rules<O, T, F: Flavor = Shared> {
    pub(crate) set: RuleSet<T>,
    pub(crate) on_change: Option<Observer<T>>,
    /// The hook's owner type and flavor, erased in `on_change`.
    owner: PhantomData<fn(&F::Ptr<O>)>,
}

/// The rules of a write that concern the value alone: what a descriptor's write pipeline runs,
/// compiled once per value type.
pub(crate) struct RuleSet<T> {
    coerce: Option<fn(T) -> T>,
    check: Option<Check<T>>,
    once: bool,
}

impl<T> RuleSet<T> {
    /// Whether the first successful write is final.
    pub(crate) const fn is_once(&self) -> bool {
        self.once
    }

    /// Coerces `value`, then checks it: the value to store, or the rule it broke.
    pub(crate) fn apply(&self, value: T) -> Result<T, ErrorKind> {
        let value = match self.coerce {
            Some(coerce) => coerce(value),
            None => value,
        };
        if let Some(check) = self.check {
            check(&value)?;
        }
        Ok(value)
    }
}

impl<O, T, F: Flavor> Rules<O, T, F> {
    /// No rules: every value is accepted and stored as given.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::Rules;
    /// const ANYTHING: Rules<(), String> = Rules::new();
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            set: RuleSet {
                coerce: None,
                check: None,
                once: false,
            },
            on_change: None,
            owner: PhantomData,
        }
    }

    /// Transforms each written value before it is checked (trim a string, clamp a number).
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::Rules;
    /// fn lowercase(value: String) -> String { value.to_lowercase() }
    /// const EMAIL: Rules<(), String> = Rules::new().coerce(lowercase);
    /// ```
    #[must_use]
    pub const fn coerce(mut self, coerce: fn(T) -> T) -> Self {
        self.set.coerce = Some(coerce);
        self
    }

    /// Checks each (coerced) value before it is stored; an `Err` rejects the write.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::{ErrorKind, Rules};
    /// fn even(value: &u8) -> Result<(), ErrorKind> {
    ///     if value % 2 == 0 { Ok(()) } else { Err(ErrorKind::Invalid(format!("{value} is odd"))) }
    /// }
    /// const EVEN: Rules<(), u8> = Rules::new().check(even);
    /// ```
    #[must_use]
    pub const fn check(mut self, check: Check<T>) -> Self {
        self.set.check = Some(check);
        self
    }

    /// Makes the first successful write final: later writes fail with
    /// [`ErrorKind::AlreadySet`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::Rules;
    /// const ID: Rules<(), u64> = Rules::new().once();
    /// ```
    #[must_use]
    pub const fn once(mut self) -> Self {
        self.set.once = true;
        self
    }

    /// Calls `notify(owner, old, new)` after each successful write (`new` is `Some`) or take
    /// (`new` is `None`), outside every lock, so it may read and write descriptors freely.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use weakprop_core::Rules;
    /// struct Person;
    /// fn log(_: &Arc<Person>, old: Option<&u32>, new: Option<&u32>) {
    ///     println!("age: {old:?} -> {new:?}");
    /// }
    /// const AGE: Rules<Person, u32> = Rules::new().on_change(log);
    /// ```
    #[must_use]
    pub const fn on_change(mut self, notify: Hook<O, T, F>) -> Self
    where
        T: Clone,
    {
        self.on_change = Some(Observer::new::<O, F>(notify));
        self
    }

    /// Whether [`once`](Self::once) was set.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::Rules;
    /// assert!(Rules::<(), u8>::new().once().is_once());
    /// ```
    #[must_use]
    pub const fn is_once(&self) -> bool {
        self.set.once
    }
}

impl<O, T, F: Flavor> Default for Rules<O, T, F> {
    fn default() -> Self {
        Self::new()
    }
}
