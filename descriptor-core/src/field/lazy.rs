//! Which lazy values the current thread is computing, so that a `lazy` function that reads its
//! own field — which would compute it again, and again — is a panic naming the field instead of
//! a stack overflow.

use core::cell::RefCell;

thread_local! {
    /// `(field, owner)` addresses of the computations under way on this thread, innermost last.
    static COMPUTING: RefCell<Vec<(usize, usize)>> = const { RefCell::new(Vec::new()) };
}

/// A computation under way; it ends when the guard drops (a panic in the function ends it too).
pub(crate) struct Computing {
    key: (usize, usize),
}

impl Computing {
    /// Starts computing `field` of the owner at `owner`.
    ///
    /// # Panics
    ///
    /// If this thread is already computing it: the lazy function read its own field.
    pub(crate) fn enter(field: usize, owner: usize, name: impl FnOnce() -> String) -> Self {
        let key = (field, owner);
        let again = COMPUTING
            .try_with(|computing| {
                let mut computing = computing.borrow_mut();
                let again = computing.contains(&key);
                if !again {
                    computing.push(key);
                }
                again
            })
            // During the thread's own teardown the list may be gone: nothing is tracked then.
            .unwrap_or(false);
        if again {
            reads_itself(&name());
        }
        Self { key }
    }
}

impl Drop for Computing {
    fn drop(&mut self) {
        let _ = COMPUTING.try_with(|computing| {
            let mut computing = computing.borrow_mut();
            if let Some(position) = computing.iter().rposition(|&key| key == self.key) {
                computing.remove(position);
            }
        });
    }
}

#[cold]
fn reads_itself(field: &str) -> ! {
    panic!(
        "{field}: its `lazy` function read `{field}` of the same owner, which it is computing; a \
         lazy value cannot depend on itself"
    )
}
