//! Batched notifications: while an owner's notifications are held, each field's changes are
//! merged into one (first old value, last new value; none at all if the field was unset before and
//! after), delivered when the outermost hold ends.
//! traitlets calls this `hold_trait_notifications`, glib `freeze_notify`.
//!
//! Holds are per owner (by `Arc` address) and process-wide: a write from any thread to a held
//! owner is batched. The registry is locked only to record or collect changes; observers run
//! after it is unlocked, and values dropped by a merge are dropped after it is unlocked too.

use core::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use parking_lot::Mutex;

use crate::observe::Notifier;

struct Hold {
    owner: usize,
    depth: usize,
    pending: Vec<Box<dyn Pending>>,
}

/// A held change of one field, type-erased so that one owner's changes of every field can wait
/// in one list.
trait Pending: Send {
    fn field_id(&self) -> usize;
    fn as_any(&mut self) -> &mut dyn Any;
    fn deliver(self: Box<Self>);
}

struct PendingChange<O, T> {
    field_id: usize,
    notifier: Notifier<O, T>,
    owner: Arc<O>,
    old: Option<T>,
    new: Option<T>,
}

impl<O: Send + Sync + 'static, T: Send + 'static> Pending for PendingChange<O, T> {
    fn field_id(&self) -> usize {
        self.field_id
    }

    fn as_any(&mut self) -> &mut dyn Any {
        self
    }

    fn deliver(self: Box<Self>) {
        // Set and taken again within the hold: unset before and after, so nothing changed.
        if self.old.is_none() && self.new.is_none() {
            return;
        }
        self.notifier
            .deliver(&self.owner, self.old.as_ref(), self.new.as_ref());
    }
}

static HOLDS: Mutex<Vec<Hold>> = Mutex::new(Vec::new());
/// Number of owners held right now: lets every write skip the registry when it is zero.
static HELD: AtomicUsize = AtomicUsize::new(0);

fn address<O>(owner: &Arc<O>) -> usize {
    Arc::as_ptr(owner).addr()
}

/// Runs `f` with `owner`'s notifications held, then delivers one change per changed field, in
/// the order the fields first changed. Holds nest; the outermost delivers. If `f` panics, the
/// held changes are still delivered, then the panic continues.
pub(crate) fn hold<O, R>(owner: &Arc<O>, f: impl FnOnce() -> R) -> R {
    let key = address(owner);
    {
        let mut holds = HOLDS.lock();
        if let Some(hold) = holds.iter_mut().find(|hold| hold.owner == key) {
            hold.depth += 1;
        } else {
            holds.push(Hold {
                owner: key,
                depth: 1,
                pending: Vec::new(),
            });
            HELD.fetch_add(1, Ordering::AcqRel);
        }
    }
    let outcome = panic::catch_unwind(AssertUnwindSafe(f));
    let released = {
        let mut holds = HOLDS.lock();
        let index = holds.iter().position(|hold| hold.owner == key);
        match index {
            Some(index) if holds[index].depth == 1 => {
                HELD.fetch_sub(1, Ordering::AcqRel);
                holds.swap_remove(index).pending
            }
            Some(index) => {
                holds[index].depth -= 1;
                Vec::new()
            }
            None => Vec::new(),
        }
    };
    for change in released {
        change.deliver();
    }
    outcome.unwrap_or_else(|payload| panic::resume_unwind(payload))
}

/// [`defer`] for one owner and value type, as a descriptor keeps it.
pub(crate) type Defer<O, T> = fn(
    usize,
    Notifier<O, T>,
    &Arc<O>,
    Option<&T>,
    Option<T>,
) -> Option<(Notifier<O, T>, Option<T>)>;

/// Records a change if `owner`'s notifications are held; otherwise hands it back so the caller
/// delivers it now.
pub(crate) fn defer<O, T>(
    field_id: usize,
    notifier: Notifier<O, T>,
    owner: &Arc<O>,
    old: Option<&T>,
    new: Option<T>,
) -> Option<(Notifier<O, T>, Option<T>)>
where
    O: Send + Sync + 'static,
    T: Send + 'static,
{
    if HELD.load(Ordering::Acquire) == 0 {
        return Some((notifier, new));
    }
    let key = address(owner);
    // Cloned before locking: `Clone` is user code.
    let old = old.map(|value| notifier.clone_value(value));
    let mut holds = HOLDS.lock();
    let Some(hold) = holds.iter_mut().find(|hold| hold.owner == key) else {
        drop(holds);
        return Some((notifier, new));
    };
    let merged = hold
        .pending
        .iter_mut()
        .find(|pending| pending.field_id() == field_id);
    if let Some(change) =
        merged.and_then(|pending| pending.as_any().downcast_mut::<PendingChange<O, T>>())
    {
        let replaced = core::mem::replace(&mut change.new, new);
        drop(holds);
        drop((replaced, old)); // user `Drop`s, outside the lock
        return None;
    }
    hold.pending.push(Box::new(PendingChange {
        field_id,
        notifier,
        owner: owner.clone(),
        old,
        new,
    }));
    None
}
