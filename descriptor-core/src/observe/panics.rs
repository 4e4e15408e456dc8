//! [`EveryObserver`]: observers run one after another, each even if one before it panicked; the
//! first panic resumes once all have run. A panicking observer cannot undo the write it observes,
//! and must not silence the observers of that change (or of the other changes a hold delivers).

use core::any::Any;
use std::panic::{self, AssertUnwindSafe};

/// The observers of one delivery, and the first panic among them.
#[derive(Default)]
pub(crate) struct EveryObserver {
    first_panic: Option<Box<dyn Any + Send>>,
}

impl EveryObserver {
    /// Runs one observer, keeping its panic (if it is the first) for [`finish`](Self::finish).
    pub(crate) fn run(&mut self, observer: impl FnOnce()) {
        // Unwind safety: an observer sees the stored values through shared references only; a
        // panic leaves them as they were, and the table's locks are not held here.
        if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(observer)) {
            self.first_panic.get_or_insert(payload);
        }
    }

    /// Resumes the first panic, if an observer panicked.
    pub(crate) fn finish(self) {
        if let Some(payload) = self.first_panic {
            panic::resume_unwind(payload);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EveryObserver;
    use std::panic;

    #[test]
    fn every_observer_runs_and_the_first_panic_resumes() {
        let mut ran = Vec::new();
        let outcome = panic::catch_unwind(panic::AssertUnwindSafe(|| {
            let mut observers = EveryObserver::default();
            observers.run(|| ran.push(1));
            observers.run(|| panic::panic_any("first"));
            observers.run(|| ran.push(3));
            observers.run(|| panic::panic_any("second"));
            observers.finish();
        }));
        assert_eq!(ran, [1, 3]);
        assert_eq!(*outcome.unwrap_err().downcast::<&str>().unwrap(), "first");
    }
}
