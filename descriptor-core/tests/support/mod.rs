//! Helpers shared by the integration tests of `weakprop-core`: a test file uses them with
//! `mod support;`. (Cargo does not build a `tests/support/mod.rs` as a test target of its own.)

use std::io::{self, Write};
use std::panic::{self, Location};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

/// How long [`watchdog`] lets a body run before it calls it a deadlock.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// [`watchdog_for`] with the default [`PATIENCE`].
// Not every test file uses the default patience; those that do not call only `watchdog_for`.
#[allow(dead_code)]
#[track_caller]
pub fn watchdog(body: impl FnOnce() + Send + 'static) {
    watchdog_for(PATIENCE, body);
}

/// Runs `body` on a thread of its own and waits up to `patience` for it, so that a deadlock
/// fails the run instead of hanging it:
///
/// - if `body` returns, so does this;
/// - if `body` panics, its panic is resumed on the calling (test) thread, so the test fails with
///   `body`'s own message;
/// - if `body` is still running after `patience`, this writes `DEADLOCK` to stderr, naming the
///   test (libtest names a test's thread after the test) and the call site, then aborts the
///   process.
///
/// Why abort rather than panic: the hung thread can be neither joined nor stopped, and it
/// likely holds a lock of the tables, which are statics shared by every test of the binary. A
/// panic would fail this one test but leave the others to block behind that lock, so the run
/// would hang anyway or fail somewhere else. Aborting ends the run at once with a failing
/// status (SIGABRT). The message is written to `io::stderr()` directly because libtest captures
/// `eprintln!` of a test and prints it only when the test ends, which a hung test never does.
#[track_caller]
pub fn watchdog_for(patience: Duration, body: impl FnOnce() + Send + 'static) {
    let caller = Location::caller();
    let (done, finished) = mpsc::channel();
    let worker = thread::spawn(move || {
        body();
        let _ = done.send(());
    });
    match finished.recv_timeout(patience) {
        Ok(()) => worker.join().unwrap(),
        Err(RecvTimeoutError::Disconnected) => panic::resume_unwind(worker.join().unwrap_err()),
        Err(RecvTimeoutError::Timeout) => {
            let test = thread::current().name().unwrap_or("<unnamed>").to_owned();
            let _ = writeln!(
                io::stderr(),
                "DEADLOCK: test `{test}` (watchdog at {caller}) still running after \
                 {patience:?}; aborting"
            );
            std::process::abort()
        }
    }
}
