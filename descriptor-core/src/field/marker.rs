//! [`Field<T>`], the zero-sized marker that makes a struct member a descriptor field.

use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::marker::PhantomData;

/// Marks a struct member as a descriptor field holding values of type `T`.
///
/// A `Field<T>` occupies no bytes in its owner: `#[derive(Descriptors)]` keeps each owner's value
/// in a static, weak-keyed side table, the way a Python data descriptor keeps per-instance values
/// in a `WeakKeyDictionary`. The marker only tells the derive which members are descriptor fields
/// and what type their values have.
///
/// It implements `Default`, `Clone`, `Copy`, `Debug`, `Hash`, `PartialEq`, `Eq`, `PartialOrd`,
/// `Ord`, `Send` and `Sync` for every `T`, so the owner's own derives keep working: all markers
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
pub struct Field<T: ?Sized>(PhantomData<fn() -> T>);

impl<T: ?Sized> Field<T> {
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

impl<T: ?Sized> Default for Field<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: ?Sized> Clone for Field<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for Field<T> {}

impl<T: ?Sized> fmt::Debug for Field<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Field<{}>", core::any::type_name::<T>())
    }
}

impl<T: ?Sized> Hash for Field<T> {
    fn hash<H: Hasher>(&self, _state: &mut H) {}
}

impl<T: ?Sized> PartialEq for Field<T> {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl<T: ?Sized> Eq for Field<T> {}

impl<T: ?Sized> PartialOrd for Field<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: ?Sized> Ord for Field<T> {
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
