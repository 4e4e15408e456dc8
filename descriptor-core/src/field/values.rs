//! What the derived `snapshot` and `load` stand on: the `serde` derives of a values struct that
//! opts in (decided here because the derive cannot see this crate's features) and the two
//! halves of an all-or-none load.

use super::core::{FieldCore, Place};
use super::descriptor::{Descriptor, Validated};
use super::error::ValidationErrors;
use super::state::FieldFlavor;
use crate::observe::panics::EveryObserver;
use crate::table::keys::Key;

/// Defines a derived values struct with `Serialize` and `Deserialize`, for
/// `#[descriptors(serde)]`. Not a public API: `#[derive(Descriptors)]` calls it.
///
/// `serde_crate` is the path of `serde` as the user's crate reaches it, as a string for
/// `#[serde(crate = "...")]`; `container` the struct's serde attributes that the user asked for
/// (`deny_unknown_fields`, `rename_all`). Everything else is passed as plain token trees,
/// never as `ty` or `vis` fragments, so that the spans of the user's types survive: a value type
/// that is not `Serialize` is reported at that type.
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __descriptor_serde_values {
    (
        serde_crate = $serde_crate:tt;
        container { $($container:tt)* }
        attrs { $($attr:tt)* }
        item { $($item:tt)* }
        fields { $({ $($field:tt)* })* }
    ) => {
        $($attr)*
        #[doc = ""]
        #[doc = "It is `Serialize` and `Deserialize`: a missing field reads as `None`, and a `None` \
                 field is left out."]
        #[derive($crate::__private::serde::Serialize, $crate::__private::serde::Deserialize)]
        #[serde(crate = $serde_crate)]
        $($container)*
        $($item)* {
            $(
                #[serde(default, skip_serializing_if = "::core::option::Option::is_none")]
                $($field)*,
            )*
        }
    };
}

/// Without the `serde` feature, `#[descriptors(serde)]` is this compile error (and the struct,
/// so that nothing else fails for want of it).
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __descriptor_serde_values {
    (
        serde_crate = $serde_crate:tt;
        container { $($container:tt)* }
        attrs { $($attr:tt)* }
        item { $($item:tt)* }
        fields { $({ $($field:tt)* })* }
    ) => {
        ::core::compile_error!(
            "`#[descriptors(serde)]` needs the `serde` feature of `weakprop`: enable it in \
             Cargo.toml, as in `weakprop = { version = \"0.1\", features = [\"serde\"] }`"
        );
        $($attr)*
        $($item)* {
            $($($field)*,)*
        }
    };
}

/// The first half of a load, for one field: coerces and validates `value` if there is one,
/// recording a failure in `errors` instead of returning it, so that every field gets checked.
///
/// # Examples
///
/// ```
/// # use std::sync::Arc;
/// # use weakprop_core::{Descriptor, Rules, ValidationErrors};
/// # use weakprop_core::__private::validate_for_load;
/// static ID: Descriptor<(), u64> = Descriptor::by_identity("Item", "id", Rules::new().once());
/// let owner = Arc::new(());
/// let mut errors = ValidationErrors::new();
/// assert!(validate_for_load(&ID, &owner, Some(1), &mut errors).is_some());
/// assert!(validate_for_load(&ID, &owner, None, &mut errors).is_none());
/// ID.set(&owner, 1)?;
/// assert!(validate_for_load(&ID, &owner, Some(2), &mut errors).is_none());
/// assert_eq!(errors.len(), 1);
/// # Ok::<(), weakprop_core::ValidationError>(())
/// ```
pub fn validate_for_load<'d, O, T, F: FieldFlavor>(
    descriptor: &'d Descriptor<O, T, F>,
    owner: &O,
    value: Option<T>,
    errors: &mut ValidationErrors,
) -> Option<Validated<'d, O, T, F>> {
    let set = value.is_some() && descriptor.is_once() && descriptor.contains(owner);
    match checked_for_load(descriptor.core(), set, value, errors) {
        Some(value) => Some(Validated::new(descriptor, value)),
        None => None,
    }
}

/// The second half of a load: its stores, and what they met. Every field is stored even if an
/// observer of an earlier one panics; the first panic resumes once all are stored. Not a public
/// API.
#[doc(hidden)]
pub struct Stores {
    errors: ValidationErrors,
    observers: EveryObserver,
}

impl Stores {
    /// The stores of a load whose checks found `errors` (none, when it gets this far).
    #[must_use]
    pub fn new(errors: ValidationErrors) -> Self {
        Self {
            errors,
            observers: EveryObserver::default(),
        }
    }

    /// The load's outcome, once every field is stored: the first panic of an observer, if one
    /// panicked, else every store that failed.
    ///
    /// # Errors
    ///
    /// Every store that failed (a `once` field set by another thread since it was checked).
    pub fn finish(self) -> Result<(), ValidationErrors> {
        self.observers.finish();
        self.errors.into_result()
    }
}

/// The second half of a load, for one field: stores a value that [`validate_for_load`]
/// accepted, recording a failure (a `once` field set by another thread in between) in `stores`,
/// and an observer's panic too, so that the other fields are stored before it resumes.
///
/// # Examples
///
/// ```
/// # use std::sync::Arc;
/// # use weakprop_core::{Descriptor, Rules, ValidationErrors};
/// # use weakprop_core::__private::{Stores, store_for_load, validate_for_load};
/// static QTY: Descriptor<(), u32> = Descriptor::by_identity("Item", "qty", Rules::new());
/// let owner = Arc::new(());
/// let mut errors = ValidationErrors::new();
/// let checked = validate_for_load(&QTY, &owner, Some(3), &mut errors);
/// let mut stores = Stores::new(errors);
/// store_for_load(&QTY, &owner, checked, &mut stores);
/// assert!(stores.finish().is_ok());
/// assert_eq!(QTY.get(&owner), Some(3));
/// ```
pub fn store_for_load<O, T, F: FieldFlavor>(
    descriptor: &Descriptor<O, T, F>,
    owner: &F::Ptr<O>,
    value: Option<Validated<'_, O, T, F>>,
    stores: &mut Stores,
) {
    if let Some(value) = value {
        let checked = value.is_of(descriptor);
        let (core, place, key) = descriptor.target(owner);
        store_loaded(core, place, key, value.into_value(), checked, stores);
    }
}

/// The check of [`validate_for_load`], compiled once per value type.
fn checked_for_load<T, F: FieldFlavor>(
    core: &FieldCore<T, F>,
    set: bool,
    value: Option<T>,
    errors: &mut ValidationErrors,
) -> Option<T> {
    match core.validate(set, value?) {
        Ok(value) => Some(value),
        Err(error) => {
            errors.push(error);
            None
        }
    }
}

/// The store of [`store_for_load`], compiled once per value type: an observer's panic is kept
/// for the end of the load.
fn store_loaded<T, F: FieldFlavor>(
    core: &FieldCore<T, F>,
    place: Place<'_, T, F>,
    owner: Key,
    value: T,
    checked: bool,
    stores: &mut Stores,
) {
    let errors = &mut stores.errors;
    stores.observers.run(|| {
        if let Err(error) = core.store_validated(place, owner, value, checked) {
            errors.push(error);
        }
    });
}
