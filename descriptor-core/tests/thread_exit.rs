//! A nested read in a thread-local destructor, by a thread whose reads use the shared reader slot
//! (every exclusive one is taken), while another thread waits to write: the nested read must not
//! queue behind that writer, which waits for the outer read. A binary of its own, so that no
//! other test's threads take or free reader slots meanwhile.

use std::panic;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::Duration;

use weakprop_core::{Descriptor, Rules};

/// Threads that read a table each take one of the exclusive reader slots, which there are 31 of.
const EXCLUSIVE_SLOTS: usize = 31;

struct Node;

static LEVEL: Descriptor<Node, u32> = Descriptor::by_identity("Node", "level", Rules::new());
static NODE: Mutex<Option<Arc<Node>>> = Mutex::new(None);
/// Tells the writer that the exiting thread is inside its read.
static INSIDE: Mutex<Option<mpsc::Sender<()>>> = Mutex::new(None);

fn node() -> Arc<Node> {
    NODE.lock().unwrap().clone().unwrap()
}

/// Reads the node's level from a thread-local destructor: an outer read that lets the writer
/// start, then, once the writer waits for it, a nested read of the same shard.
struct ReadsOnExit;

impl Drop for ReadsOnExit {
    fn drop(&mut self) {
        let node = node();
        LEVEL.with(&node, |level| {
            assert_eq!(level, Some(&1));
            if let Some(inside) = INSIDE.lock().unwrap().take() {
                inside.send(()).unwrap();
            }
            thread::sleep(Duration::from_millis(200)); // the writer is waiting by now
            assert_eq!(
                LEVEL.get(&node),
                Some(1),
                "the nested read sees the same value"
            );
        });
    }
}

thread_local! {
    static ON_EXIT: ReadsOnExit = const { ReadsOnExit };
}

#[test]
fn a_nested_read_in_a_thread_local_destructor_passes_a_waiting_writer() {
    let (done, finished) = mpsc::channel();
    let test = thread::spawn(move || {
        *NODE.lock().unwrap() = Some(Arc::new(Node));
        LEVEL.set(&node(), 1).unwrap();
        // Hold every exclusive slot with threads that stay alive until the end.
        let hold = Arc::new(Barrier::new(EXCLUSIVE_SLOTS + 1));
        let hogs: Vec<_> = (0..EXCLUSIVE_SLOTS)
            .map(|_| {
                let hold = hold.clone();
                thread::spawn(move || {
                    let _ = LEVEL.get(&node());
                    hold.wait(); // every slot is taken
                    hold.wait(); // until the test ends
                })
            })
            .collect();
        hold.wait();
        let (inside, entered) = mpsc::channel();
        *INSIDE.lock().unwrap() = Some(inside);
        let exiting = thread::spawn(|| {
            ON_EXIT.with(|_| ());
            // A read after the key above, so that the lock's own thread-locals (registered by
            // reads) are torn down before `ON_EXIT`'s destructor runs.
            assert_eq!(LEVEL.get(&node()), Some(1));
        });
        entered.recv().unwrap();
        LEVEL.set(&node(), 2).unwrap(); // waits for the exiting thread's outer read
        exiting.join().unwrap();
        assert_eq!(LEVEL.get(&node()), Some(2));
        hold.wait();
        for hog in hogs {
            hog.join().unwrap();
        }
        let _ = done.send(());
    });
    match finished.recv_timeout(Duration::from_secs(20)) {
        Ok(()) => test.join().unwrap(),
        Err(RecvTimeoutError::Disconnected) => panic::resume_unwind(test.join().unwrap_err()),
        Err(RecvTimeoutError::Timeout) => panic!("deadlock: still running after 20 s"),
    }
}
