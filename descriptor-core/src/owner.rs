//! The top layer: what a derived owner is — the [`Descriptors`] trait and the [`FieldInfo`] of
//! each field.

use std::sync::Arc;

/// Metadata of one descriptor field, as `#[derive(Descriptors)]` records it.
///
/// # Examples
///
/// ```
/// use weakprop_core::FieldInfo;
///
/// let age = FieldInfo {
///     name: "age",
///     type_name: "u32",
///     rules: &["range(min = 0, max = 150)"],
///     has_default: false,
///     once: false,
/// };
/// assert_eq!(age.rules, ["range(min = 0, max = 150)"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldInfo {
    /// The field's name.
    pub name: &'static str,
    /// The value type `T` of `Field<T>`, as written in the struct.
    pub type_name: &'static str,
    /// The field's rules in readable form, e.g. `"range(min = 0, max = 150)"`.
    pub rules: &'static [&'static str],
    /// Whether the getter falls back to a `default` while the field is unset.
    pub has_default: bool,
    /// Whether the first successful write is final.
    pub once: bool,
}

/// A type whose `Field<T>` members are descriptor fields: implemented by
/// `#[derive(Descriptors)]`.
///
/// # Examples
///
/// A hand-written implementation, for an owner whose one field lives in a hand-made descriptor:
///
/// ```
/// use std::sync::Arc;
/// use weakprop_core::{Descriptor, Descriptors, FieldInfo, Rules};
///
/// struct Node;
/// static LABEL: Descriptor<Node, String> = Descriptor::by_identity("Node", "label", Rules::new());
///
/// impl Descriptors for Node {
///     fn fields() -> &'static [FieldInfo] {
///         &[FieldInfo { name: "label", type_name: "String", rules: &[], has_default: false, once: false }]
///     }
///     fn release(&self) {
///         LABEL.release(self);
///     }
/// }
///
/// let node = Arc::new(Node);
/// LABEL.set(&node, "root".into())?;
/// node.release();
/// assert!(LABEL.is_empty());
/// assert_eq!(Node::fields()[0].name, "label");
/// # Ok::<(), weakprop_core::ValidationError>(())
/// ```
pub trait Descriptors {
    /// The descriptor fields, in declaration order.
    fn fields() -> &'static [FieldInfo];

    /// Removes this owner's entries from every descriptor table of its type, dropping the
    /// values. The derived `Drop` calls it; a `manual_drop` owner's own `Drop` must.
    fn release(&self);

    /// Runs `f` with this owner's notifications held, then delivers one change per changed
    /// field (its first old value and its last new value), in the order the fields first
    /// changed: traitlets' `hold_trait_notifications`, glib's `freeze_notify`.
    ///
    /// Holds nest (the outermost delivers) and cover writes from every thread. If `f` panics,
    /// the held changes are delivered before the panic continues.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use weakprop_core::{Descriptor, Descriptors, FieldInfo, Rules};
    ///
    /// struct Point;
    /// static X: Descriptor<Point, i32> = Descriptor::by_identity("Point", "x", Rules::new());
    /// impl Descriptors for Point {
    ///     fn fields() -> &'static [FieldInfo] { &[] }
    ///     fn release(&self) { X.release(self); }
    /// }
    ///
    /// let changes = Arc::new(Mutex::new(Vec::new()));
    /// let log = changes.clone();
    /// let _subscription = X.subscribe(move |_, change| {
    ///     log.lock().unwrap().push((change.old_value().copied(), change.new_value().copied()));
    /// });
    /// let point = Arc::new(Point);
    /// point.hold_notifications(|| {
    ///     for x in 1..=3 {
    ///         X.set(&point, x).unwrap();
    ///     }
    ///     assert!(changes.lock().unwrap().is_empty());
    /// });
    /// assert_eq!(*changes.lock().unwrap(), [(None, Some(3))]);
    /// ```
    fn hold_notifications<R>(self: &Arc<Self>, f: impl FnOnce() -> R) -> R
    where
        Self: Sized,
    {
        crate::observe::hold::hold_shared(self, f)
    }
}
