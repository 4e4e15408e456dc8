//! [`Field<T, K>`], the zero-sized marker that makes a struct member a descriptor field (of
//! kind `K`).

use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::marker::PhantomData;

use super::kind::Plain;

/// Marks a struct member as a descriptor field holding values of type `T`, checked by the rules
/// of the kind `K` (see [`Kind`](crate::Kind)): `Field<T>` is a plain field, `Field<u8, Percent>`
/// one with `Percent`'s rules.
///
/// A `Field<T>` occupies no bytes in its owner: `#[derive(Descriptors)]` keeps each owner's value
/// in a static, weak-keyed side table, the way a Python data descriptor keeps per-instance values
/// in a `WeakKeyDictionary`. The marker only tells the derive which members are descriptor fields
/// and what type their values have.
///
/// It implements `Default`, `Clone`, `Copy`, `Debug`, `Hash`, `PartialEq`, `Eq`, `PartialOrd`,
/// `Ord`, `Send` and `Sync` for every `T` and `K`, so the owner's own derives keep working: all markers
/// of one type compare equal and hash alike, and so never change the owner's identity.
///
/// # Examples
///
/// ```
/// use weakprop_core::Field;
///
/// const AGE: Field<u32> = Field::new();
/// assert_eq!(core::mem::size_of_val(&AGE), 0);
/// assert_eq!(AGE, Field::default());
/// ```
pub struct Field<T: ?Sized, K: ?Sized = Plain>(PhantomData<fn() -> (*const T, *const K)>);

impl<T: ?Sized, K: ?Sized> Field<T, K> {
    /// Creates the marker. It carries no value: values live in the field's descriptor.
    ///
    /// # Examples
    ///
    /// ```
    /// use weakprop_core::Field;
    ///
    /// let name: Field<String> = Field::new();
    /// assert_eq!(format!("{name:?}"), "Field<alloc::string::String>");
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Field(PhantomData)
    }
}

impl<T: ?Sized, K: ?Sized> Default for Field<T, K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: ?Sized, K: ?Sized> Clone for Field<T, K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized, K: ?Sized> Copy for Field<T, K> {}

impl<T: ?Sized, K: ?Sized> fmt::Debug for Field<T, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use core::any::type_name;
        if type_name::<K>() == type_name::<Plain>() {
            write!(f, "Field<{}>", type_name::<T>())
        } else {
            write!(f, "Field<{}, {}>", type_name::<T>(), type_name::<K>())
        }
    }
}

impl<T: ?Sized, K: ?Sized> Hash for Field<T, K> {
    fn hash<H: Hasher>(&self, _state: &mut H) {}
}

impl<T: ?Sized, K: ?Sized> PartialEq for Field<T, K> {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl<T: ?Sized, K: ?Sized> Eq for Field<T, K> {}

impl<T: ?Sized, K: ?Sized> PartialOrd for Field<T, K> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: ?Sized, K: ?Sized> Ord for Field<T, K> {
    fn cmp(&self, _other: &Self) -> Ordering {
        Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::Field;
    use std::cell::Cell;
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};
    use std::rc::Rc;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn marker_is_zero_sized_and_thread_safe_for_any_value_type() {
        assert_eq!(size_of::<Field<[u8; 1024]>>(), 0);
        assert_send_sync::<Field<Rc<Cell<u8>>>>();
        assert_send_sync::<Field<str>>();
        assert_eq!(size_of::<Field<u8, Percent>>(), 0);
        assert_send_sync::<Field<u8, Rc<Cell<u8>>>>();
        assert_send_sync::<Field<u8, dyn Fn()>>();
    }

    /// A kind for the markers' tests (a unit struct, as a derived kind is).
    struct Percent;

    #[test]
    fn a_marker_of_a_kind_is_as_plain_as_one_without() {
        const HEALTH: Field<u8, Percent> = Field::new();
        assert_eq!(HEALTH, Field::default());
        assert_eq!(HEALTH.cmp(&HEALTH.clone()), std::cmp::Ordering::Equal);
        assert_eq!(
            format!("{HEALTH:?}"),
            "Field<u8, weakprop_core::field::marker::tests::Percent>"
        );
        assert_eq!(format!("{:?}", Field::<u8>::new()), "Field<u8>");
    }

    #[test]
    fn markers_never_change_their_owner_identity() {
        let (a, b) = (Field::<Rc<u8>>::new(), Field::<Rc<u8>>::default());
        assert_eq!(a, b);
        assert_eq!(a.cmp(&b), std::cmp::Ordering::Equal);
        let digest = |field: &Field<Rc<u8>>| {
            let mut hasher = DefaultHasher::new();
            field.hash(&mut hasher);
            hasher.finish()
        };
        assert_eq!(digest(&a), DefaultHasher::new().finish());
    }
}
