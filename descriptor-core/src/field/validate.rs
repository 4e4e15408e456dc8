//! The built-in rules: [`range`], [`length`] (through the [`Length`] trait) and the glue for
//! custom checks, [`custom`].
//!
//! Each rule returns the [`ErrorKind`] that a descriptor wraps into a
//! [`ValidationError`](crate::ValidationError) naming the owner and field.

use core::cmp::Ordering;
use core::fmt::Debug;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

use super::error::ErrorKind;

/// A value that `range(min = .., max = ..)` can check: ordered against its bounds, and printable
/// in the error that names the value and the bound.
///
/// Implemented for every `PartialOrd + Debug` type; never implement it by hand.
///
/// # Examples
///
/// ```
/// use weakprop_core::validate::{Bounded, range};
///
/// fn check<T: Bounded>(value: &T, min: &T) -> bool {
///     range(value, Some(min), None).is_ok()
/// }
/// assert!(check(&2.5_f64, &0.0));
/// ```
#[diagnostic::on_unimplemented(
    message = "`range(...)` cannot check values of type `{Self}`",
    label = "`{Self}` must be `PartialOrd + Debug` to be checked against bounds",
    note = "`range` compares the value with its bounds (`PartialOrd`) and prints both in the error (`Debug`)"
)]
pub trait Bounded: PartialOrd + Debug {}

impl<T: PartialOrd + Debug + ?Sized> Bounded for T {}

/// Checks that `min <= value <= max`, either bound optional (inclusive, like Python's
/// `IntegerField(min_value, max_value)`).
///
/// A value that cannot be ordered against a bound at all (a float `NaN`) is rejected.
///
/// # Errors
///
/// [`ErrorKind::BelowMinimum`], [`ErrorKind::AboveMaximum`] or [`ErrorKind::Incomparable`],
/// naming the value and the bound.
///
/// # Examples
///
/// ```
/// use weakprop_core::validate::range;
///
/// assert!(range(&150, Some(&0), Some(&150)).is_ok());
/// let error = range(&200, Some(&0), Some(&150)).unwrap_err();
/// assert_eq!(error.to_string(), "200 is above the maximum 150");
/// assert!(range(&f64::NAN, Some(&0.0), None).is_err());
/// ```
#[inline]
pub fn range<T: Bounded + ?Sized>(
    value: &T,
    min: Option<&T>,
    max: Option<&T>,
) -> Result<(), ErrorKind> {
    // The accepting path is two comparisons and inlines into the field's check; building an
    // error (which formats both values) stays out of line.
    if let Some(min) = min
        && !matches!(
            value.partial_cmp(min),
            Some(Ordering::Greater | Ordering::Equal)
        )
    {
        return Err(below(value, min));
    }
    if let Some(max) = max
        && !matches!(
            value.partial_cmp(max),
            Some(Ordering::Less | Ordering::Equal)
        )
    {
        return Err(above(value, max));
    }
    Ok(())
}

/// The error for a value not at or above `min`: below it, or not comparable with it.
#[cold]
#[inline(never)]
fn below<T: Bounded + ?Sized>(value: &T, min: &T) -> ErrorKind {
    if value.partial_cmp(min).is_none() {
        return incomparable(value, min);
    }
    ErrorKind::BelowMinimum {
        value: render(value),
        min: render(min),
    }
}

/// The error for a value not at or below `max`: above it, or not comparable with it.
#[cold]
#[inline(never)]
fn above<T: Bounded + ?Sized>(value: &T, max: &T) -> ErrorKind {
    if value.partial_cmp(max).is_none() {
        return incomparable(value, max);
    }
    ErrorKind::AboveMaximum {
        value: render(value),
        max: render(max),
    }
}

fn render<T: Debug + ?Sized>(value: &T) -> String {
    format!("{value:?}")
}

fn incomparable<T: Debug + ?Sized>(value: &T, bound: &T) -> ErrorKind {
    ErrorKind::Incomparable {
        value: render(value),
        bound: render(bound),
    }
}

/// The length that `length(min = .., max = ..)` checks: characters for strings, elements for
/// slices, arrays, `Vec`, `VecDeque`, maps and sets.
///
/// Implement it for your own collection to use `length` on it.
///
/// # Examples
///
/// ```
/// use weakprop_core::validate::Length;
///
/// assert_eq!("héllo".length(), 5); // characters, not bytes
/// assert_eq!(vec![1, 2, 3].length(), 3);
///
/// struct Path(Vec<String>);
/// impl Length for Path {
///     fn length(&self) -> usize {
///         self.0.len()
///     }
/// }
/// assert_eq!(Path(vec!["a".into()]).length(), 1);
/// ```
#[diagnostic::on_unimplemented(
    message = "`length(...)` cannot measure values of type `{Self}`",
    label = "`{Self}` has no length",
    note = "`length` applies to strings (in chars), slices, arrays, `Vec`, `VecDeque`, maps and sets",
    note = "for a type of your own, implement `weakprop::validate::Length` for it"
)]
pub trait Length {
    /// The length the rule compares with its bounds.
    fn length(&self) -> usize;
}

impl Length for str {
    fn length(&self) -> usize {
        self.chars().count()
    }
}

impl Length for String {
    fn length(&self) -> usize {
        self.as_str().length()
    }
}

impl<T> Length for [T] {
    fn length(&self) -> usize {
        self.len()
    }
}

impl<T, const N: usize> Length for [T; N] {
    fn length(&self) -> usize {
        N
    }
}

impl<T> Length for Vec<T> {
    fn length(&self) -> usize {
        self.len()
    }
}

impl<T> Length for VecDeque<T> {
    fn length(&self) -> usize {
        self.len()
    }
}

impl<K, V, S> Length for HashMap<K, V, S> {
    fn length(&self) -> usize {
        self.len()
    }
}

impl<K, V> Length for BTreeMap<K, V> {
    fn length(&self) -> usize {
        self.len()
    }
}

impl<T, S> Length for HashSet<T, S> {
    fn length(&self) -> usize {
        self.len()
    }
}

impl<T> Length for BTreeSet<T> {
    fn length(&self) -> usize {
        self.len()
    }
}

impl<T: Length + ?Sized> Length for &T {
    fn length(&self) -> usize {
        (**self).length()
    }
}

impl<T: Length + ?Sized> Length for Box<T> {
    fn length(&self) -> usize {
        (**self).length()
    }
}

impl<T: Length + ?Sized> Length for Rc<T> {
    fn length(&self) -> usize {
        (**self).length()
    }
}

impl<T: Length + ?Sized> Length for Arc<T> {
    fn length(&self) -> usize {
        (**self).length()
    }
}

/// Checks that `min <= value.length() <= max`, either bound optional.
///
/// # Errors
///
/// [`ErrorKind::TooShort`] or [`ErrorKind::TooLong`], naming the length and the bound.
///
/// # Examples
///
/// ```
/// use weakprop_core::validate::length;
///
/// assert!(length("Guido", Some(1), Some(40)).is_ok());
/// assert_eq!(length("", Some(1), None).unwrap_err().to_string(), "length 0 is below the minimum length 1");
/// assert!(length(&vec![0; 3], None, Some(2)).is_err());
/// ```
pub fn length<T: Length + ?Sized>(
    value: &T,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), ErrorKind> {
    let length = value.length();
    if let Some(min) = min.filter(|&min| length < min) {
        return Err(ErrorKind::TooShort { length, min });
    }
    if let Some(max) = max.filter(|&max| length > max) {
        return Err(ErrorKind::TooLong { length, max });
    }
    Ok(())
}

/// Turns the result of a custom check, `fn(&T) -> Result<(), String>`, into a rule's result: the
/// check's message becomes the error's reason.
///
/// # Errors
///
/// [`ErrorKind::Invalid`] carrying the check's message.
///
/// # Examples
///
/// ```
/// use weakprop_core::validate::custom;
///
/// fn has_at(email: &String) -> Result<(), String> {
///     if email.contains('@') { Ok(()) } else { Err(format!("{email:?} has no `@`")) }
/// }
/// assert!(custom(has_at(&"a@b".to_string())).is_ok());
/// assert_eq!(custom(has_at(&"ab".to_string())).unwrap_err().to_string(), r#""ab" has no `@`"#);
/// ```
pub fn custom(result: Result<(), String>) -> Result<(), ErrorKind> {
    result.map_err(ErrorKind::Invalid)
}

/// Checks that `value` is one of `allowed` (`one_of = [a, b, c]`). The allowed values may be
/// of any type comparable with the value's: `&str` for a `String`, say.
///
/// # Errors
///
/// [`ErrorKind::NotOneOf`], naming the value and listing the allowed ones.
///
/// # Examples
///
/// ```
/// use weakprop_core::validate::one_of;
///
/// assert!(one_of(&"red".to_string(), &["red", "green"]).is_ok());
/// assert_eq!(
///     one_of(&"blue".to_string(), &["red", "green"]).unwrap_err().to_string(),
///     r#""blue" is not one of "red", "green""#
/// );
/// assert!(one_of(&3_u32, &[1, 2, 3]).is_ok());
/// ```
pub fn one_of<T, A>(value: &T, allowed: &[A]) -> Result<(), ErrorKind>
where
    T: Debug + ?Sized,
    A: PartialEq<T> + Debug,
{
    if allowed.iter().any(|candidate| candidate == value) {
        return Ok(());
    }
    let allowed = allowed.iter().map(render).collect::<Vec<_>>().join(", ");
    Err(ErrorKind::NotOneOf {
        value: render(value),
        allowed,
    })
}

/// Checks that `value` has at least one character or element (`non_empty`).
///
/// # Errors
///
/// [`ErrorKind::Empty`].
///
/// # Examples
///
/// ```
/// use weakprop_core::validate::non_empty;
///
/// assert!(non_empty("sku-1").is_ok());
/// assert_eq!(non_empty(&Vec::<u8>::new()).unwrap_err().to_string(), "must not be empty");
/// ```
pub fn non_empty<T: Length + ?Sized>(value: &T) -> Result<(), ErrorKind> {
    if value.length() == 0 {
        Err(ErrorKind::Empty)
    } else {
        Ok(())
    }
}

/// A string that `pattern = ".."` can match.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use weakprop_core::validate::AsStr;
///
/// fn text(value: &impl AsStr) -> &str { value.as_str() }
/// assert_eq!(text(&Arc::<str>::from("sku")), "sku");
/// ```
#[diagnostic::on_unimplemented(
    message = "`pattern` cannot match values of type `{Self}`",
    label = "`{Self}` is not a string",
    note = "`pattern` applies to `String`, `str`, `Box<str>`, `Arc<str>` and `Cow<str>`"
)]
pub trait AsStr {
    /// The text the pattern is matched against.
    fn as_str(&self) -> &str;
}

impl AsStr for str {
    fn as_str(&self) -> &str {
        self
    }
}

impl AsStr for String {
    fn as_str(&self) -> &str {
        self
    }
}

impl AsStr for Box<str> {
    fn as_str(&self) -> &str {
        self
    }
}

impl AsStr for Arc<str> {
    fn as_str(&self) -> &str {
        self
    }
}

impl AsStr for std::borrow::Cow<'_, str> {
    fn as_str(&self) -> &str {
        self
    }
}

/// Checks that `value` matches `regex` (`pattern = ".."`, with the `regex` feature).
///
/// The whole string need not match: anchor the pattern with `^...$` for that.
///
/// # Errors
///
/// [`ErrorKind::NoMatch`], naming the value and the pattern.
///
/// # Examples
///
/// ```
/// use weakprop_core::validate::pattern;
/// use regex::Regex;
///
/// let sku = Regex::new("^[A-Z]{3}-[0-9]{4}$")?;
/// assert!(pattern(&"ABC-1234".to_string(), &sku).is_ok());
/// assert_eq!(
///     pattern("abc", &sku).unwrap_err().to_string(),
///     r#""abc" does not match the pattern "^[A-Z]{3}-[0-9]{4}$""#
/// );
/// # Ok::<(), regex::Error>(())
/// ```
#[cfg(feature = "regex")]
pub fn pattern<T: AsStr + ?Sized>(value: &T, regex: &regex::Regex) -> Result<(), ErrorKind> {
    if regex.is_match(value.as_str()) {
        Ok(())
    } else {
        Err(ErrorKind::NoMatch {
            value: render(value.as_str()),
            pattern: regex.as_str().to_owned(),
        })
    }
}

/// Like [`pattern`], for a regex that may have failed to compile (past the `regex` crate's size
/// limits, say): then every value is rejected with [`ErrorKind::Invalid`] naming the pattern,
/// rather than a panic. The derive's `pattern = ".."` compiles each field's pattern once, on
/// first use, and checks through this.
///
/// # Errors
///
/// [`ErrorKind::NoMatch`] as [`pattern`] does, or [`ErrorKind::Invalid`] if `regex` is an error.
///
/// # Examples
///
/// ```
/// use weakprop_core::validate::compiled_pattern;
/// use regex::Regex;
///
/// assert!(compiled_pattern("AB", &Regex::new("^[A-Z]+$"), "^[A-Z]+$").is_ok());
/// let broken = Regex::new("(");
/// assert!(compiled_pattern("AB", &broken, "(").unwrap_err().to_string().starts_with(r#"the pattern "(" cannot be used: "#));
/// ```
#[cfg(feature = "regex")]
pub fn compiled_pattern<T: AsStr + ?Sized>(
    value: &T,
    regex: &Result<regex::Regex, regex::Error>,
    source: &str,
) -> Result<(), ErrorKind> {
    match regex {
        Ok(regex) => pattern(value, regex),
        Err(error) => Err(ErrorKind::Invalid(format!(
            "the pattern {source:?} cannot be used: {error}"
        ))),
    }
}

/// The check of `pattern = ".."`: matches `$value` against the pattern, compiled once per use
/// site in a `static`. Not a public API: `#[derive(Descriptors)]` calls it.
#[cfg(feature = "regex")]
#[doc(hidden)]
#[macro_export]
macro_rules! __descriptor_pattern {
    ($value:expr, $pattern:literal) => {{
        static REGEX: ::std::sync::LazyLock<
            ::core::result::Result<
                $crate::__private::regex::Regex,
                $crate::__private::regex::Error,
            >,
        > = ::std::sync::LazyLock::new(|| $crate::__private::regex::Regex::new($pattern));
        $crate::validate::compiled_pattern($value, &REGEX, $pattern)
    }};
}

/// Without the `regex` feature, `pattern = ".."` is this compile error.
#[cfg(not(feature = "regex"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __descriptor_pattern {
    ($value:expr, $pattern:literal) => {
        ::core::compile_error!(
            "`pattern` needs the `regex` feature of `weakprop`: enable it in Cargo.toml, as in \
             `weakprop = { version = \"0.1\", features = [\"regex\"] }`"
        )
    };
}

#[cfg(test)]
mod tests {
    use super::{length, non_empty, one_of, range};
    use crate::ErrorKind;
    use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

    #[test]
    fn range_bounds_are_inclusive_on_both_sides() {
        assert_eq!(range(&0, Some(&0), Some(&150)), Ok(()));
        assert_eq!(range(&150, Some(&0), Some(&150)), Ok(()));
        assert_eq!(
            range(&-1, Some(&0), Some(&150)),
            Err(ErrorKind::BelowMinimum {
                value: "-1".into(),
                min: "0".into()
            })
        );
        assert_eq!(
            range(&151, Some(&0), Some(&150)),
            Err(ErrorKind::AboveMaximum {
                value: "151".into(),
                max: "150".into()
            })
        );
    }

    #[test]
    fn range_accepts_one_sided_bounds() {
        assert!(range(&u64::MAX, Some(&1), None).is_ok());
        assert!(range(&0, Some(&1), None).is_err());
        assert!(range(&i64::MIN, None, Some(&0)).is_ok());
        assert!(range(&1, None, Some(&0)).is_err());
        assert!(range(&"any", None, None).is_ok());
    }

    #[test]
    fn range_works_for_any_partial_ord_and_rejects_nan() {
        assert!(range("m", Some("a"), Some("z")).is_ok());
        assert_eq!(
            range(&"zz".to_string(), None, Some(&"z".to_string()))
                .unwrap_err()
                .to_string(),
            r#""zz" is above the maximum "z""#
        );
        assert!(range(&0.5, Some(&0.0), Some(&1.0)).is_ok());
        assert!(matches!(
            range(&f64::NAN, Some(&0.0), None),
            Err(ErrorKind::Incomparable { .. })
        ));
        assert!(matches!(
            range(&f64::NAN, None, Some(&1.0)),
            Err(ErrorKind::Incomparable { .. })
        ));
    }

    #[test]
    fn length_counts_chars_in_strings_and_elements_in_collections() {
        assert_eq!(length("日本語", Some(3), Some(3)), Ok(()));
        assert_eq!(
            length(&"ab".to_string(), Some(3), None),
            Err(ErrorKind::TooShort { length: 2, min: 3 })
        );
        assert_eq!(
            length(&[1, 2, 3][..], None, Some(2)),
            Err(ErrorKind::TooLong { length: 3, max: 2 })
        );
        assert!(length(&[0u8; 4], Some(4), Some(4)).is_ok());
        assert!(length(&vec![(); 5], Some(5), Some(5)).is_ok());
        assert!(length(&VecDeque::from([1]), Some(1), Some(1)).is_ok());
        assert!(length(&HashMap::from([(1, 2)]), Some(1), Some(1)).is_ok());
        assert!(length(&BTreeMap::from([(1, 2)]), Some(2), None).is_err());
        assert!(length(&HashSet::from([1, 2]), None, Some(1)).is_err());
        assert!(length(&BTreeSet::<u8>::new(), None, Some(0)).is_ok());
        assert!(length(&Box::<str>::from("ab"), Some(2), Some(2)).is_ok());
    }

    #[test]
    fn one_of_accepts_exactly_the_listed_values() {
        assert!(one_of(&2, &[1, 2, 3]).is_ok());
        assert_eq!(
            one_of(&4, &[1, 2, 3]),
            Err(ErrorKind::NotOneOf {
                value: "4".into(),
                allowed: "1, 2, 3".into()
            })
        );
        assert!(one_of(&0, &[] as &[i32]).is_err());
    }

    #[test]
    fn non_empty_rejects_only_empty_values() {
        assert_eq!(non_empty(""), Err(ErrorKind::Empty));
        assert!(non_empty(" ").is_ok());
        assert!(non_empty(&[0u8][..]).is_ok());
        assert_eq!(non_empty(&HashSet::<u8>::new()), Err(ErrorKind::Empty));
    }

    #[test]
    fn length_bounds_are_inclusive_and_optional() {
        assert!(length("", None, None).is_ok());
        assert!(length("", Some(0), None).is_ok());
        assert!(length("abcd", None, Some(4)).is_ok());
        assert!(length("abcde", None, Some(4)).is_err());
    }
}
