//! Batched notifications: while an owner's notifications are held, each field's changes are
//! merged into one (first old value, last new value; none at all if the field was unset before and
//! after), delivered when the outermost hold ends.
//! traitlets calls this `hold_trait_notifications`, glib `freeze_notify`.
//!
//! Holds are per owner (by address). A [`Shared`](crate::Shared) owner's holds are process-wide
//! (a write from any thread to a held owner is batched), in one registry behind a lock; a
//! [`Local`](crate::Local) owner's are its thread's. A registry is touched only to record or
//! collect changes; observers run after it is released, and values dropped by a merge are
//! dropped after it is released too.

use core::any::Any;
use core::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicUsize, Ordering};

use parking_lot::Mutex;

use std::panic::{self, AssertUnwindSafe};

use super::notifier::Notifier;
use super::panics::EveryObserver;
use super::subscribers::ObserverFlavor;
use crate::sync::reads::{self, Deferred};
use crate::table::flavor::{Local, Shared};
use crate::table::keys::{Key, KeyOps, Pinned};

/// The holds of one registry, each with the changes it keeps back.
struct Holds<P: ?Sized> {
    holds: Vec<Hold<P>>,
}

struct Hold<P: ?Sized> {
    owner: usize,
    depth: usize,
    pending: Vec<Box<P>>,
}

/// A held change of one field, type-erased so that one owner's changes of every field can wait
/// in one list.
trait Pending {
    fn field_id(&self) -> usize;
    fn as_any(&mut self) -> &mut dyn Any;
    fn deliver(self: Box<Self>, observers: &mut EveryObserver);
}

struct PendingChange<T, F: ObserverFlavor> {
    field_id: usize,
    notifier: Notifier<T, F>,
    owner: HeldOwner,
    old: Option<T>,
    new: Option<T>,
}

/// A strong reference to the owner of a held change, its type erased, kept until delivery.
struct HeldOwner(Pinned);

// SAFETY: the owner of a `Shared` field is `Send + Sync` (its descriptor's constructors ask for
// it), and the owner of a `Local` one never leaves its thread: its held changes wait in that
// thread's registry, whose changes are not `Send` (`LocalHolds`).
unsafe impl Send for HeldOwner {}

impl<T: 'static, F: ObserverFlavor> Pending for PendingChange<T, F> {
    fn field_id(&self) -> usize {
        self.field_id
    }

    fn as_any(&mut self) -> &mut dyn Any {
        self
    }

    fn deliver(self: Box<Self>, observers: &mut EveryObserver) {
        // Set and taken again within the hold: unset before and after, so nothing changed.
        if self.old.is_none() && self.new.is_none() {
            return;
        }
        // SAFETY: the owner is pinned alive by `self.owner`, and the notifier was made for its
        // type (both come from one descriptor's write).
        unsafe {
            self.notifier.deliver_to(
                observers,
                self.owner.0.key(),
                self.old.as_ref(),
                self.new.as_ref(),
            );
        }
    }
}

/// Where a flavor's holds are kept.
trait Registry {
    /// A held change, boxed as this registry can keep it.
    type Pending: ?Sized + Pending + 'static;
    /// Whether any owner is held right now: lets every write skip the registry when none is.
    fn any_held() -> bool;
    /// Counts one more (`true`) or one fewer held owner.
    fn count_held(more: bool);
    /// Runs `f` on the registry, or returns `None` if the registry is gone (a thread's, past
    /// its teardown: nothing is held there any more). `f` runs no user code.
    fn with<R>(f: impl FnOnce(&mut Holds<Self::Pending>) -> R) -> Option<R>;
}

/// The registry of [`Shared`] owners.
struct SharedHolds;

static SHARED_HOLDS: Mutex<Holds<dyn Pending + Send>> = Mutex::new(Holds { holds: Vec::new() });
static SHARED_HELD: AtomicUsize = AtomicUsize::new(0);

impl Registry for SharedHolds {
    type Pending = dyn Pending + Send;

    fn any_held() -> bool {
        SHARED_HELD.load(Ordering::Acquire) > 0
    }

    fn count_held(more: bool) {
        if more {
            SHARED_HELD.fetch_add(1, Ordering::AcqRel);
        } else {
            SHARED_HELD.fetch_sub(1, Ordering::AcqRel);
        }
    }

    fn with<R>(f: impl FnOnce(&mut Holds<Self::Pending>) -> R) -> Option<R> {
        Some(f(&mut SHARED_HOLDS.lock()))
    }
}

/// The current thread's registry, for [`Local`] owners.
struct LocalHolds;

thread_local! {
    static LOCAL_HOLDS: RefCell<Holds<dyn Pending>> = const { RefCell::new(Holds { holds: Vec::new() }) };
    static LOCAL_HELD: Cell<usize> = const { Cell::new(0) };
}

impl Registry for LocalHolds {
    type Pending = dyn Pending;

    fn any_held() -> bool {
        LOCAL_HELD.try_with(Cell::get).unwrap_or(0) > 0
    }

    fn count_held(more: bool) {
        let _ = LOCAL_HELD
            .try_with(|held| held.set(if more { held.get() + 1 } else { held.get() - 1 }));
    }

    fn with<R>(f: impl FnOnce(&mut Holds<Self::Pending>) -> R) -> Option<R> {
        LOCAL_HOLDS
            .try_with(|holds| f(&mut holds.borrow_mut()))
            .ok()
    }
}

/// Runs `f` with the owner at `key`'s notifications held in `Reg`, then delivers one change per
/// changed field, in the order the fields first changed. Holds nest; the outermost delivers.
/// If `f` panics, the held changes are still delivered, then the panic continues; every observer
/// of every held change runs even if one panics, and the first panic continues after the last.
fn hold<Reg: Registry, R>(key: usize, f: impl FnOnce() -> R) -> R {
    // A registry that is gone holds nothing: `f` then just runs.
    let _ = Reg::with(|registry| {
        if let Some(hold) = registry.holds.iter_mut().find(|hold| hold.owner == key) {
            hold.depth += 1;
        } else {
            registry.holds.push(Hold {
                owner: key,
                depth: 1,
                pending: Vec::new(),
            });
            Reg::count_held(true);
        }
    });
    let outcome = panic::catch_unwind(AssertUnwindSafe(f));
    let released = Reg::with(|registry| {
        let index = registry.holds.iter().position(|hold| hold.owner == key);
        match index {
            Some(index) if registry.holds[index].depth == 1 => {
                Reg::count_held(false);
                registry.holds.swap_remove(index).pending
            }
            Some(index) => {
                registry.holds[index].depth -= 1;
                Vec::new()
            }
            None => Vec::new(),
        }
    });
    let changes = released.unwrap_or_default();
    if !changes.is_empty() && reads::is_reading() {
        // This thread holds a read (the hold ended inside a `with_` closure, say, while another
        // thread's writes were held): observers must run outside every lock, so the delivery
        // waits for the thread's outermost read to end. If the thread is past the teardown of
        // its deferred list, the changes are delivered now.
        let deliver: Box<dyn FnOnce()> = Box::new(move || deliver_all(changes));
        // SAFETY: plain work, which names no table.
        if let Err(Deferred::Work(deliver)) = unsafe { reads::defer(Deferred::Work(deliver)) } {
            deliver();
        }
    } else {
        deliver_all(changes);
    }
    match outcome {
        Ok(value) => value,
        // `f`'s panic came first: it continues once every held change is delivered.
        Err(payload) => panic::resume_unwind(payload),
    }
}

/// Delivers held changes, each to every observer even if one panics; the first panic resumes
/// after the last.
fn deliver_all<P: ?Sized + Pending>(changes: Vec<Box<P>>) {
    let mut observers = EveryObserver::default();
    for change in changes {
        change.deliver(&mut observers);
    }
    observers.finish();
}

/// [`hold`] for an owner in an `Arc`: what `Descriptors::hold_notifications` calls, and the
/// `hold_notifications` of fields attached to a type in an `Arc` (`extend`). Not a public API.
#[doc(hidden)]
pub fn hold_shared<O, R>(owner: &std::sync::Arc<O>, f: impl FnOnce() -> R) -> R {
    hold::<SharedHolds, R>(std::sync::Arc::as_ptr(owner).addr(), f)
}

/// [`hold`] for an owner in an `Rc`, on its thread: what the `hold_notifications` of a derived
/// `rc` owner calls. Not a public API.
#[doc(hidden)]
pub fn hold_local<O, R>(owner: &std::rc::Rc<O>, f: impl FnOnce() -> R) -> R {
    hold::<LocalHolds, R>(std::rc::Rc::as_ptr(owner).addr(), f)
}

/// [`defer`] for one value type, as a descriptor keeps it: a function pointer taken where the
/// bounds that its registry needs are known. The owner is given by the address of its live
/// pointer's data and the functions of its type.
pub(crate) type Defer<T, F> = fn(
    usize,
    Notifier<T, F>,
    Key,
    &'static KeyOps,
    Option<&T>,
    Option<T>,
) -> Option<(Notifier<T, F>, Option<T>)>;

/// Records a change in `Reg` if its owner's notifications are held; otherwise hands it back so
/// the caller delivers it now. `boxed` erases the change as the registry keeps it.
fn defer<Reg: Registry, T: 'static, F: ObserverFlavor>(
    field_id: usize,
    notifier: Notifier<T, F>,
    owner: Key,
    ops: &'static KeyOps,
    old: Option<&T>,
    new: Option<T>,
    boxed: fn(PendingChange<T, F>) -> Box<Reg::Pending>,
) -> Option<(Notifier<T, F>, Option<T>)> {
    if !Reg::any_held() {
        return Some((notifier, new));
    }
    let key = owner.addr();
    // Cloned before the registry is touched: `Clone` is user code.
    let old = old.map(|value| notifier.clone_value(value));
    let mut change = Some((notifier, old, new));
    let outcome = Reg::with(|registry| {
        let hold = registry.holds.iter_mut().find(|hold| hold.owner == key)?;
        let (notifier, old, new) = change.take()?;
        let merged = hold
            .pending
            .iter_mut()
            .find(|pending| pending.field_id() == field_id)
            .and_then(|pending| pending.as_any().downcast_mut::<PendingChange<T, F>>());
        if let Some(merged) = merged {
            let replaced = core::mem::replace(&mut merged.new, new);
            return Some(Ok((replaced, old)));
        }
        // SAFETY: `owner` is the data of a live pointer of `ops`' key type (the caller's write
        // holds it); the new strong reference is owned by the held change.
        let pinned = Pinned::new(unsafe { (ops.clone_strong)(owner) }, ops);
        hold.pending.push(boxed(PendingChange {
            field_id,
            notifier,
            owner: HeldOwner(pinned),
            old,
            new,
        }));
        Some(Err(()))
    })
    .flatten();
    match outcome {
        // Merged: the values it replaced are user `Drop`s, run outside the registry.
        Some(Ok(dropped)) => {
            drop(dropped);
            None
        }
        Some(Err(())) => None,
        // Not held after all: deliver now.
        None => change.map(|(notifier, _, new)| (notifier, new)),
    }
}

/// [`defer`] for a [`Shared`] owner.
pub(crate) fn defer_shared<T: Send + 'static>(
    field_id: usize,
    notifier: Notifier<T, Shared>,
    owner: Key,
    ops: &'static KeyOps,
    old: Option<&T>,
    new: Option<T>,
) -> Option<(Notifier<T, Shared>, Option<T>)> {
    defer::<SharedHolds, T, Shared>(field_id, notifier, owner, ops, old, new, |change| {
        Box::new(change)
    })
}

/// [`defer`] for a [`Local`] owner.
pub(crate) fn defer_local<T: 'static>(
    field_id: usize,
    notifier: Notifier<T, Local>,
    owner: Key,
    ops: &'static KeyOps,
    old: Option<&T>,
    new: Option<T>,
) -> Option<(Notifier<T, Local>, Option<T>)> {
    defer::<LocalHolds, T, Local>(field_id, notifier, owner, ops, old, new, |change| {
        Box::new(change)
    })
}
