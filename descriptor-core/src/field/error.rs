//! [`ValidationError`], what a rejected write returns, and its [`ErrorKind`].

use core::fmt;

/// Why a value was rejected: the rule that failed, with the value and the bound it broke.
///
/// Values and bounds are kept as text (their `Debug` form), so an error is `Send + Sync +
/// 'static` whatever the field type.
///
/// # Examples
///
/// ```
/// use weakprop_core::ErrorKind;
///
/// let kind = ErrorKind::AboveMaximum { value: "200".into(), max: "150".into() };
/// assert_eq!(kind.to_string(), "200 is above the maximum 150");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `range(min = ..)`: the value is below the inclusive minimum.
    BelowMinimum {
        /// The rejected value.
        value: String,
        /// The minimum it had to reach.
        min: String,
    },
    /// `range(max = ..)`: the value is above the inclusive maximum.
    AboveMaximum {
        /// The rejected value.
        value: String,
        /// The maximum it had to stay within.
        max: String,
    },
    /// `range`: the value cannot be compared with a bound at all (a float `NaN`, say).
    Incomparable {
        /// The rejected value.
        value: String,
        /// The bound it could not be ordered against.
        bound: String,
    },
    /// `length(min = ..)`: the value is shorter than the minimum length.
    TooShort {
        /// The value's length (characters for strings, elements for collections).
        length: usize,
        /// The minimum length.
        min: usize,
    },
    /// `length(max = ..)`: the value is longer than the maximum length.
    TooLong {
        /// The value's length (characters for strings, elements for collections).
        length: usize,
        /// The maximum length.
        max: usize,
    },
    /// `validate = path`: the custom check refused the value, giving this reason.
    Invalid(String),
    /// `once`: the field already holds the value that its first successful write stored.
    AlreadySet,
    /// `one_of = [..]`: the value is none of the allowed ones.
    NotOneOf {
        /// The rejected value.
        value: String,
        /// The allowed values, as written in the error (`1, 2, 3`).
        allowed: String,
    },
    /// `non_empty`: the value is empty.
    Empty,
    /// `pattern = ".."`: the string does not match the regular expression.
    NoMatch {
        /// The rejected value.
        value: String,
        /// The pattern it had to match.
        pattern: String,
    },
    /// A write to a field of an `Rc` owner (`#[descriptors(rc)]`) while its thread exits, after
    /// the thread's tables were dropped: there is nowhere to store the value.
    TablesGone,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BelowMinimum { value, min } => write!(f, "{value} is below the minimum {min}"),
            Self::AboveMaximum { value, max } => write!(f, "{value} is above the maximum {max}"),
            Self::Incomparable { value, bound } => {
                write!(f, "{value} cannot be compared with the bound {bound}")
            }
            Self::TooShort { length, min } => {
                write!(f, "length {length} is below the minimum length {min}")
            }
            Self::TooLong { length, max } => {
                write!(f, "length {length} is above the maximum length {max}")
            }
            Self::Invalid(reason) => f.write_str(reason),
            Self::AlreadySet => {
                f.write_str("is already set, and a `once` field keeps its first value")
            }
            Self::NotOneOf { value, allowed } => write!(f, "{value} is not one of {allowed}"),
            Self::Empty => f.write_str("must not be empty"),
            Self::NoMatch { value, pattern } => {
                write!(f, "{value} does not match the pattern {pattern:?}")
            }
            Self::TablesGone => f.write_str(
                "cannot be stored: this thread is exiting, and its descriptor tables are gone",
            ),
        }
    }
}

/// A write that a descriptor refused: which owner type and field, and why.
///
/// Its `Display` starts with `Owner.field: ` and then says what rule failed and why, e.g.
/// `Person.age: 200 is above the maximum 150`. The field keeps its previous value.
///
/// # Examples
///
/// ```
/// use weakprop_core::{ErrorKind, ValidationError};
///
/// let error = ValidationError::new(
///     "Person",
///     "age",
///     ErrorKind::AboveMaximum { value: "200".into(), max: "150".into() },
/// );
/// assert_eq!(error.owner(), "Person");
/// assert_eq!(error.field(), "age");
/// assert_eq!(error.to_string(), "Person.age: 200 is above the maximum 150");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Boxed so that `Result<(), ValidationError>`, what every setter returns, is one pointer:
    /// the success path pays nothing for the size of a rare error.
    inner: Box<Inner>,
}

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    owner: &'static str,
    field: &'static str,
    kind: ErrorKind,
}

impl ValidationError {
    /// Creates the error of `owner.field` for the failed rule `kind`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weakprop_core::{ErrorKind, ValidationError};
    ///
    /// let error = ValidationError::new("User", "email", ErrorKind::Invalid("no `@`".into()));
    /// assert_eq!(error.to_string(), "User.email: no `@`");
    /// ```
    #[must_use]
    pub fn new(owner: &'static str, field: &'static str, kind: ErrorKind) -> Self {
        Self {
            inner: Box::new(Inner { owner, field, kind }),
        }
    }

    /// The name of the owner type, e.g. `"Person"`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::{ErrorKind, ValidationError};
    /// let error = ValidationError::new("Person", "id", ErrorKind::AlreadySet);
    /// assert_eq!(error.owner(), "Person");
    /// ```
    #[must_use]
    pub fn owner(&self) -> &'static str {
        self.inner.owner
    }

    /// The name of the field, e.g. `"age"`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::{ErrorKind, ValidationError};
    /// let error = ValidationError::new("Person", "id", ErrorKind::AlreadySet);
    /// assert_eq!(error.field(), "id");
    /// ```
    #[must_use]
    pub fn field(&self) -> &'static str {
        self.inner.field
    }

    /// The rule that failed, for code that reacts to the reason rather than printing it.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::{ErrorKind, ValidationError};
    /// let error = ValidationError::new("Person", "id", ErrorKind::AlreadySet);
    /// assert!(matches!(error.kind(), ErrorKind::AlreadySet));
    /// ```
    #[must_use]
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Inner { owner, field, kind } = &*self.inner;
        write!(f, "{owner}.{field}: {kind}")
    }
}

/// Flat, like the `Debug` of std's errors: `ValidationError { owner: "Person", field: "age",
/// kind: AboveMaximum { .. } }`, what `main` prints when it returns the error. The box is an
/// implementation detail and stays out of it.
///
/// # Examples
///
/// ```
/// # use weakprop_core::{ErrorKind, ValidationError};
/// let error = ValidationError::new("Person", "id", ErrorKind::AlreadySet);
/// assert_eq!(
///     format!("{error:?}"),
///     r#"ValidationError { owner: "Person", field: "id", kind: AlreadySet }"#
/// );
/// ```
impl fmt::Debug for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Inner { owner, field, kind } = &*self.inner;
        f.debug_struct("ValidationError")
            .field("owner", owner)
            .field("field", field)
            .field("kind", kind)
            .finish()
    }
}

impl std::error::Error for ValidationError {}

/// Every field that a multi-field write refused, reported together: what a derived `load`
/// returns when any value breaks its field's rules.
///
/// Its `Display` shows one error per line.
///
/// # Examples
///
/// ```
/// use weakprop_core::{ErrorKind, ValidationError, ValidationErrors};
///
/// let errors: ValidationErrors = [
///     ValidationError::new("Item", "price", ErrorKind::BelowMinimum { value: "-1".into(), min: "0".into() }),
///     ValidationError::new("Item", "sku", ErrorKind::Empty),
/// ]
/// .into_iter()
/// .collect();
/// assert_eq!(errors.len(), 2);
/// assert_eq!(errors.to_string(), "Item.price: -1 is below the minimum 0\nItem.sku: must not be empty");
/// assert_eq!(errors.iter().map(|e| e.field()).collect::<Vec<_>>(), ["price", "sku"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors {
    errors: Vec<ValidationError>,
}

impl ValidationErrors {
    /// No errors yet.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::ValidationErrors;
    /// assert!(ValidationErrors::new().is_empty());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one field's error.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::{ErrorKind, ValidationError, ValidationErrors};
    /// let mut errors = ValidationErrors::new();
    /// errors.push(ValidationError::new("Item", "sku", ErrorKind::Empty));
    /// assert_eq!(errors.len(), 1);
    /// ```
    pub fn push(&mut self, error: ValidationError) {
        self.errors.push(error);
    }

    /// The number of errors.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::ValidationErrors;
    /// assert_eq!(ValidationErrors::new().len(), 0);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Whether there are none.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::ValidationErrors;
    /// assert!(ValidationErrors::new().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The errors, in field order.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::{ErrorKind, ValidationError, ValidationErrors};
    /// let errors: ValidationErrors = [ValidationError::new("Item", "sku", ErrorKind::Empty)].into_iter().collect();
    /// assert!(errors.iter().all(|error| error.owner() == "Item"));
    /// ```
    pub fn iter(&self) -> core::slice::Iter<'_, ValidationError> {
        self.errors.iter()
    }

    /// `Ok(())` when there are no errors, else `Err(self)`.
    ///
    /// # Errors
    ///
    /// `self`, when it holds at least one error.
    ///
    /// # Examples
    ///
    /// ```
    /// # use weakprop_core::ValidationErrors;
    /// assert!(ValidationErrors::new().into_result().is_ok());
    /// ```
    pub fn into_result(self) -> Result<(), Self> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.errors.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

impl From<ValidationError> for ValidationErrors {
    fn from(error: ValidationError) -> Self {
        Self {
            errors: vec![error],
        }
    }
}

impl FromIterator<ValidationError> for ValidationErrors {
    fn from_iter<I: IntoIterator<Item = ValidationError>>(iter: I) -> Self {
        Self {
            errors: iter.into_iter().collect(),
        }
    }
}

impl Extend<ValidationError> for ValidationErrors {
    fn extend<I: IntoIterator<Item = ValidationError>>(&mut self, iter: I) {
        self.errors.extend(iter);
    }
}

impl IntoIterator for ValidationErrors {
    type Item = ValidationError;
    type IntoIter = std::vec::IntoIter<ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a ValidationError;
    type IntoIter = core::slice::Iter<'a, ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::{ErrorKind, ValidationError};

    fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}

    #[test]
    fn validation_error_is_a_thread_safe_static_error() {
        assert_error::<ValidationError>();
    }

    #[test]
    fn debug_is_flat_and_names_no_internal_type() {
        let error = ValidationError::new(
            "Person",
            "age",
            ErrorKind::AboveMaximum {
                value: "200".into(),
                max: "150".into(),
            },
        );
        assert_eq!(
            format!("{error:?}"),
            r#"ValidationError { owner: "Person", field: "age", kind: AboveMaximum { value: "200", max: "150" } }"#
        );
        let pretty = format!("{error:#?}");
        assert!(pretty.starts_with("ValidationError {\n    owner: \"Person\",\n"));
        assert!(!pretty.contains("Inner") && !pretty.contains("inner"));
    }

    #[test]
    fn a_setter_result_is_one_pointer_wide() {
        assert_eq!(size_of::<Result<(), ValidationError>>(), size_of::<usize>());
    }

    #[test]
    fn every_kind_names_the_value_and_the_bound() {
        let cases = [
            (
                ErrorKind::BelowMinimum {
                    value: "-1".into(),
                    min: "0".into(),
                },
                "-1 is below the minimum 0",
            ),
            (
                ErrorKind::Incomparable {
                    value: "NaN".into(),
                    bound: "0.0".into(),
                },
                "NaN cannot be compared with the bound 0.0",
            ),
            (
                ErrorKind::TooShort { length: 0, min: 1 },
                "length 0 is below the minimum length 1",
            ),
            (
                ErrorKind::TooLong {
                    length: 41,
                    max: 40,
                },
                "length 41 is above the maximum length 40",
            ),
        ];
        for (kind, text) in cases {
            assert_eq!(
                ValidationError::new("Person", "f", kind).to_string(),
                format!("Person.f: {text}")
            );
        }
    }
}
