//! [`Kind<T>`]: a named, reusable set of rules for values of type `T`, which a field takes as
//! the second parameter of its marker, `Field<T, K>`; [`Plain`], the kind of a field without
//! one. The rest of this file is what `#[derive(Kind)]` and `#[derive(Descriptors)]` build
//! kinds and their fields' rules with.

use core::marker::PhantomData;

use super::error::ErrorKind;
use super::rules::Rules;
use crate::table::flavor::Flavor;

/// A named, reusable set of rules for values of type `T`: the lecture's `IntegerField(min, max)`,
/// written once and put on every field that needs it, as `Field<T, K>`.
///
/// `#[derive(Kind)]` writes one from the options of `#[descriptor(...)]`, reporting the same
/// [`ErrorKind`]s as the options written on a field (`AboveMaximum`, `TooLong`, ...). Write one
/// by hand for a rule that the options cannot say: a name and a check are enough, and the check's
/// reason becomes the error's text, as [`ErrorKind::Invalid`].
///
/// A field of kind `K` coerces each written value with `K`'s coercion, then its own, and checks
/// the result with `K`'s checks, then its own: every check sees the value that is stored. A kind
/// that extends another (`#[kind(T, extends = Other)]`) puts the other's coercion and checks
/// before its own, the same way.
///
/// # Examples
///
/// A kind written by hand, checked and coerced as a field of that kind would be:
///
/// ```
/// use weakprop_core::{ErrorKind, Kind};
///
/// /// A port a service may bind without privileges.
/// struct Port;
///
/// impl Kind<u16> for Port {
///     const NAME: &'static str = "Port";
///
///     fn check(value: &u16) -> Result<(), String> {
///         if *value >= 1024 { Ok(()) } else { Err(format!("{value} is a privileged port")) }
///     }
/// }
///
/// assert_eq!(Port::check(&8080), Ok(()));
/// assert_eq!(Port::validate(&80), Err(ErrorKind::Invalid("80 is a privileged port".into())));
/// assert_eq!(Port::coerce(80), 80);                 // no coercion: the identity
/// assert_eq!(<Port as Kind<u16>>::RULES, ["kind Port"]);  // what `FieldInfo::rules` lists
/// ```
///
/// With the derive (through the `weakprop` crate), `#[kind(u16, range(min = 1024))]` on
/// `struct Port;` says the same, and `port: Field<u16, Port>` puts it on a field.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a kind of `{T}` values",
    label = "not a kind of `{T}` values",
    note = "a kind of `{T}` values is a unit struct with `#[derive(Kind)]` and `#[kind({T}, ...)]`, or a type with an `impl Kind<{T}>`: each kind checks values of one type"
)]
pub trait Kind<T> {
    /// The kind's name, as `FieldInfo::rules` lists it: `"kind {NAME}"`.
    const NAME: &'static str;

    /// The kind's rules, as `FieldInfo::rules` lists them before a field's own: `["kind
    /// {NAME}"]` unless a kind says more. A derived kind lists its `extends` chain, then itself
    /// with its options: `["kind Percent: range(max = 100)", "kind EvenPercent: validate =
    /// even"]`.
    const RULES: &'static [&'static str] = &Named::<T, Self>::RULES;

    /// Whether [`coerce`](Self::coerce) may change a value. A field of a kind that says `false`
    /// does not call it; a derived kind says `false` when neither it nor the kinds it extends
    /// coerce. Leave it `true` if you write a `coerce` of your own.
    const COERCES: bool = true;

    /// Checks a value (after coercion): `Err(reason)` rejects it, and the reason becomes the
    /// error's text.
    ///
    /// # Errors
    ///
    /// The reason the value breaks the kind's rules.
    fn check(value: &T) -> Result<(), String>;

    /// Transforms each written value before it is checked (trim a string, clamp a number): the
    /// identity unless a kind says otherwise.
    #[inline]
    #[must_use]
    fn coerce(value: T) -> T {
        value
    }

    /// [`check`](Self::check), as the error a field reports: [`ErrorKind::Invalid`] with the
    /// reason. A derived kind reports the precise kind of each rule instead (`AboveMaximum`,
    /// `TooLong`, ...), as the same rule written on a field does.
    ///
    /// # Errors
    ///
    /// The rule the value breaks.
    #[inline]
    fn validate(value: &T) -> Result<(), ErrorKind> {
        Self::check(value).map_err(ErrorKind::Invalid)
    }
}

/// The kind of a plain field: `Field<T>` is `Field<T, Plain>`. It has no rules.
///
/// # Examples
///
/// ```
/// use weakprop_core::{Field, Kind, Plain};
///
/// let _: Field<u32> = Field::<u32, Plain>::new();
/// assert_eq!(<Plain as Kind<u32>>::check(&7), Ok(()));
/// assert!(<Plain as Kind<u32>>::RULES.is_empty());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Plain;

impl<T> Kind<T> for Plain {
    const NAME: &'static str = "Plain";
    const RULES: &'static [&'static str] = &[];
    const COERCES: bool = false;

    #[inline]
    fn check(_: &T) -> Result<(), String> {
        Ok(())
    }

    #[inline]
    fn validate(_: &T) -> Result<(), ErrorKind> {
        Ok(())
    }
}

/// The default [`Kind::RULES`], `["kind {NAME}"]`, made at compile time: a trait's default
/// cannot format, so the text is copied into a buffer of a fixed size.
pub(crate) struct Named<T, K: ?Sized>(PhantomData<fn() -> (*const T, *const K)>);

/// The room for `"kind "` and a kind's name.
const LABEL_CAPACITY: usize = 128;

/// `"kind {name}"` in a fixed-size buffer.
struct Label {
    bytes: [u8; LABEL_CAPACITY],
    len: usize,
}

impl Label {
    const PREFIX: &'static str = "kind ";

    const fn of(name: &str) -> Self {
        let (prefix, name) = (Self::PREFIX.as_bytes(), name.as_bytes());
        assert!(
            prefix.len() + name.len() <= LABEL_CAPACITY,
            "the `NAME` of a kind is at most 123 bytes long"
        );
        let mut bytes = [0; LABEL_CAPACITY];
        let mut i = 0;
        while i < prefix.len() {
            bytes[i] = prefix[i];
            i += 1;
        }
        let mut j = 0;
        while j < name.len() {
            bytes[i + j] = name[j];
            j += 1;
        }
        Self { bytes, len: i + j }
    }

    const fn as_str(&'static self) -> &'static str {
        match core::str::from_utf8(self.bytes.split_at(self.len).0) {
            Ok(text) => text,
            // A `&str` cut where it ends: always UTF-8.
            Err(_) => unreachable!(),
        }
    }
}

impl<T, K: Kind<T> + ?Sized> Named<T, K> {
    const LABEL: Label = Label::of(K::NAME);
    const RULES: [&'static str; 1] = [Label::as_str(&Self::LABEL)];
}

/// A field's rules with its kind's coercion in front: `coerce` if the kind `coerces`, else
/// nothing, so that a field of a kind without a coercion costs what the same field without a
/// kind costs. Not a public API: `#[derive(Descriptors)]` builds a field's rules with it, passing
/// `<K as Kind<T>>::COERCES` and `<K as Kind<T>>::coerce` (so that a `K` that is not a kind of
/// `T` is reported where the field names it, and nowhere else).
#[doc(hidden)]
#[must_use]
pub const fn kind_coerce<O, T, F: Flavor>(
    coerces: bool,
    coerce: fn(T) -> T,
    rules: Rules<O, T, F>,
) -> Rules<O, T, F> {
    if coerces { rules.coerce(coerce) } else { rules }
}

/// A derived kind's `check`: its precise verdict, as the reason a hand-written kind gives. Not a
/// public API.
///
/// # Errors
///
/// The text of the rule the value breaks.
#[doc(hidden)]
pub fn reason(verdict: Result<(), ErrorKind>) -> Result<(), String> {
    verdict.map_err(|kind| kind.to_string())
}

/// `first` then `then`, in an array of exactly their total length: how a derived kind lists its
/// `extends` chain before itself, and a field its kind's rules before its own, at compile time.
/// Not a public API.
///
/// # Panics
///
/// At compile time, if `N` is not the total length.
#[doc(hidden)]
#[must_use]
pub const fn join_rules<const N: usize>(
    first: &[&'static str],
    then: &[&'static str],
) -> [&'static str; N] {
    assert!(first.len() + then.len() == N);
    let mut joined = [""; N];
    let mut i = 0;
    while i < first.len() {
        joined[i] = first[i];
        i += 1;
    }
    let mut j = 0;
    while j < then.len() {
        joined[i + j] = then[j];
        j += 1;
    }
    joined
}

/// A field's own rules, for [`KindRules`]: implemented by a type that the derive declares for
/// it. Not a public API.
#[doc(hidden)]
pub trait OwnRules {
    /// The field's own rules, as `FieldInfo::rules` lists them.
    const RULES: &'static [&'static str];
}

/// The most rules a field whose kind or value type names its owner's parameters lists.
const GENERIC_CAPACITY: usize = 32;

/// `K`'s rules, then the field's own (`Own`'s), where `K` or `T` name a generic owner's
/// parameters: an array's length cannot depend on them, so the rules are copied into one of a
/// fixed size, and the list is the part of it they fill. Not a public API.
#[doc(hidden)]
pub struct KindRules<T, K: ?Sized, Own>(
    PhantomData<fn() -> (*const T, *const K)>,
    PhantomData<Own>,
);

impl<T, K: Kind<T> + ?Sized, Own: OwnRules> KindRules<T, K, Own> {
    const LEN: usize = K::RULES.len() + Own::RULES.len();

    const PADDED: [&'static str; GENERIC_CAPACITY] = {
        assert!(
            Self::LEN <= GENERIC_CAPACITY,
            "a field of a generic owner lists at most 32 rules"
        );
        let (first, then) = (K::RULES, Own::RULES);
        let mut padded = [""; GENERIC_CAPACITY];
        let mut i = 0;
        while i < first.len() {
            padded[i] = first[i];
            i += 1;
        }
        let mut j = 0;
        while j < then.len() {
            padded[i + j] = then[j];
            j += 1;
        }
        padded
    };

    /// `K`'s rules, then `Own`'s.
    pub const RULES: &'static [&'static str] = Self::PADDED.split_at(Self::LEN).0;
}

#[cfg(test)]
mod tests {
    use super::{Kind, KindRules, OwnRules, Plain, join_rules, kind_coerce, reason};
    use crate::field::error::ErrorKind;
    use crate::field::rules::Rules;
    use crate::field::validate::range;

    struct Port;

    impl Kind<u16> for Port {
        const NAME: &'static str = "Port";

        fn check(value: &u16) -> Result<(), String> {
            if *value >= 1024 {
                Ok(())
            } else {
                Err(format!("{value} is a privileged port"))
            }
        }
    }

    /// Generic over its values, as a hand-written kind may be.
    struct NonNegative;

    impl<T: PartialOrd + Default + core::fmt::Debug> Kind<T> for NonNegative {
        const NAME: &'static str = "NonNegative";
        const COERCES: bool = false;

        fn check(value: &T) -> Result<(), String> {
            reason(Self::validate(value))
        }

        fn validate(value: &T) -> Result<(), ErrorKind> {
            range(value, Some(&T::default()), None)
        }
    }

    struct Own;

    impl OwnRules for Own {
        const RULES: &'static [&'static str] = &["range(max = 10)", "default = 5"];
    }

    #[test]
    fn a_hand_written_kind_is_named_and_reports_its_reason_as_invalid() {
        assert_eq!(<Port as Kind<u16>>::RULES, ["kind Port"]);
        assert_eq!(
            Port::validate(&80),
            Err(ErrorKind::Invalid("80 is a privileged port".into()))
        );
        assert_eq!(Port::coerce(80), 80);
    }

    #[test]
    fn a_kind_that_reports_precise_errors_gives_their_text_as_its_reason() {
        assert_eq!(
            <NonNegative as Kind<i8>>::check(&-1),
            Err("-1 is below the minimum 0".into())
        );
        assert!(matches!(
            <NonNegative as Kind<f64>>::validate(&-0.5),
            Err(ErrorKind::BelowMinimum { .. })
        ));
    }

    #[test]
    fn plain_has_no_rules_and_coerces_nothing() {
        assert!(<Plain as Kind<String>>::RULES.is_empty());
        assert_eq!(<Plain as Kind<u8>>::validate(&0), Ok(()));
        const RULES: Rules<(), u8> = kind_coerce(
            <Plain as Kind<u8>>::COERCES,
            <Plain as Kind<u8>>::coerce,
            Rules::new(),
        );
        assert_eq!(RULES.set.apply(7), Ok(7));
    }

    #[test]
    fn a_kind_that_coerces_puts_its_coercion_in_front_of_the_field() {
        struct Halved;
        impl Kind<u8> for Halved {
            const NAME: &'static str = "Halved";
            fn check(_: &u8) -> Result<(), String> {
                Ok(())
            }
            fn coerce(value: u8) -> u8 {
                value / 2
            }
        }
        const RULES: Rules<(), u8> = kind_coerce(Halved::COERCES, Halved::coerce, Rules::new());
        assert_eq!(RULES.set.apply(8), Ok(4));
    }

    #[test]
    fn rules_join_in_order_at_compile_time() {
        const FIRST: &[&str] = &["kind Percent: range(max = 100)"];
        const JOINED: [&str; 3] = join_rules(FIRST, &["range(min = 10)", "default = 50"]);
        assert_eq!(
            JOINED,
            [
                "kind Percent: range(max = 100)",
                "range(min = 10)",
                "default = 50"
            ]
        );
    }

    #[test]
    fn rules_of_generic_fields_list_the_kind_then_the_field() {
        fn rules<T: PartialOrd + Default + core::fmt::Debug>() -> &'static [&'static str] {
            KindRules::<T, NonNegative, Own>::RULES
        }
        assert_eq!(
            rules::<i32>(),
            ["kind NonNegative", "range(max = 10)", "default = 5"]
        );
    }
}
