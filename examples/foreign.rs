//! Fields on a type you do not own: per-connection retry counts and a lazily computed
//! handshake, attached to a connection pool's `Connection` as if it were your own struct.
//!
//! `Connection` stands in for another crate's type: it has no `Hash`, no `Eq` and no `Drop`
//! that this crate could hook. `#[descriptors(extend = pool::Connection)]` on a struct that only
//! lists fields gives every `Arc<Connection>` typed, validated, observed accessors, through a
//! trait (`ConnStatsExt`). Keys are the `Arc` allocations, and the tables never keep a
//! connection alive.
//!
//! A derived owner's values leave the moment it drops; a `Connection` cannot tell us it died.
//! Its values are invisible at once, and dropped by the tables' amortised sweep (which keeps the
//! dead below the live) or by `purge()`: the example counts every drop.
//!
//! Run it with `cargo run --example foreign`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use weakprop::{Descriptors, Field};

/// Stands in for another crate: a connection pool whose connections you get as `Arc`s.
mod pool {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// Not `Hash`, not `Eq`, not `Clone`; no `Drop` of ours.
    pub struct Connection {
        pub id: u64,
        pub peer: String,
    }

    static NEXT_ID: AtomicU64 = AtomicU64::new(1);

    /// Opens a connection to `peer`.
    pub fn connect(peer: &str) -> Arc<Connection> {
        Arc::new(Connection {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            peer: peer.to_owned(),
        })
    }
}

use pool::Connection;

static HANDSHAKES_RUN: AtomicUsize = AtomicUsize::new(0);
static HANDSHAKES_DROPPED: AtomicUsize = AtomicUsize::new(0);

/// What a handshake negotiated: costly to compute, so cached per connection. Not `Clone`: read
/// it with `with_handshake`, which lends it.
pub struct Handshake {
    protocol: String,
    session_key: Vec<u8>,
}

impl Drop for Handshake {
    fn drop(&mut self) {
        HANDSHAKES_DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

/// The `lazy` function: runs on the first read of a connection's handshake.
fn handshake(conn: &Arc<Connection>) -> Handshake {
    HANDSHAKES_RUN.fetch_add(1, Ordering::Relaxed);
    Handshake {
        protocol: format!("tls1.3 to {}", conn.peer),
        session_key: conn.id.to_le_bytes().repeat(4),
    }
}

/// The `on_change` hook: gets the connection's `Arc`.
fn log_retry(conn: &Arc<Connection>, old: Option<&u32>, new: Option<&u32>) {
    if let (Some(old), Some(new)) = (old, new) {
        println!(
            "  connection {} to {}: retry {old} -> {new}",
            conn.id, conn.peer
        );
    }
}

/// Fields attached to every `Arc<Connection>`: the struct only lists them.
#[derive(Descriptors)]
#[descriptors(extend = pool::Connection)]
pub struct ConnStats {
    /// How often the connection was retried; past 3, give up.
    #[descriptor(range(max = 3), on_change = log_retry)]
    pub retries: Field<u32>,
    /// Computed on first read, stored beside the connection, dropped after it.
    #[descriptor(lazy = handshake)]
    pub handshake: Field<Handshake>,
}

/// One more retry, or the error that says why not.
fn retry(conn: &Arc<Connection>) -> Result<u32, weakprop::ValidationError> {
    let retries = conn.retries().unwrap_or(0) + 1;
    conn.set_retries(retries)?;
    Ok(retries)
}

fn main() -> Result<(), weakprop::ValidationError> {
    println!("1. Retry counts on connections that are not ours:");
    let (db, cache) = (pool::connect("db:5432"), pool::connect("cache:6379"));
    db.set_retries(0)?;
    retry(&db)?;
    retry(&db)?;
    retry(&db)?;
    let refused = retry(&db).unwrap_err();
    println!("  a fourth retry: {refused}");
    assert_eq!(
        refused.to_string(),
        "Connection.retries: 4 is above the maximum 3"
    );
    assert_eq!((db.retries(), cache.retries()), (Some(3), None));

    println!("2. A handshake, computed once per connection and lent:");
    let protocol = db.with_handshake(|handshake| handshake.protocol.clone());
    let key_len = db.with_handshake(|handshake| handshake.session_key.len());
    println!("  {protocol}, a {key_len}-byte key");
    assert_eq!(HANDSHAKES_RUN.load(Ordering::Relaxed), 1, "computed once");
    cache.with_handshake(|_| ());
    assert_eq!(HANDSHAKES_RUN.load(Ordering::Relaxed), 2);
    assert_eq!(ConnStats::handshake_descriptor().len(), 2);

    println!("3. The pool closes `db`: its values are invisible at once, and dropped by purge:");
    drop(db);
    assert_eq!(ConnStats::handshake_descriptor().len(), 1, "only `cache`'s");
    assert_eq!(ConnStats::retries_descriptor().len(), 0);
    assert_eq!(
        HANDSHAKES_DROPPED.load(Ordering::Relaxed),
        0,
        "no `Drop` of ours ran: the value waits for the sweep"
    );
    let purged =
        ConnStats::handshake_descriptor().purge() + ConnStats::retries_descriptor().purge();
    println!("  purge() dropped {purged} values of the dead connection");
    assert_eq!(purged, 2);
    assert_eq!(HANDSHAKES_DROPPED.load(Ordering::Relaxed), 1);

    println!("4. 10,000 short-lived connections, and no purge: the sweep keeps up");
    const SHORT_LIVED: usize = 10_000;
    for n in 0..SHORT_LIVED {
        let conn = pool::connect(&format!("worker-{n}"));
        conn.with_handshake(|handshake| assert!(!handshake.protocol.is_empty()));
    }
    let (run, dropped) = (
        HANDSHAKES_RUN.load(Ordering::Relaxed),
        HANDSHAKES_DROPPED.load(Ordering::Relaxed),
    );
    let waiting = run - dropped - 1; // `cache`'s is alive
    println!("  {run} handshakes computed, {dropped} dropped by the sweep, {waiting} waiting");
    // Each of a table's 16 shards sweeps when it has doubled since its last sweep: the dead
    // never outnumber the live by more than 8 per shard.
    assert!(waiting <= 1 + 16 * 8, "{waiting} dead handshakes kept");
    assert_eq!(ConnStats::handshake_descriptor().purge(), waiting);
    assert_eq!(HANDSHAKES_DROPPED.load(Ordering::Relaxed), run - 1);

    drop(cache);
    ConnStats::handshake_descriptor().purge();
    assert_eq!(
        HANDSHAKES_DROPPED.load(Ordering::Relaxed),
        HANDSHAKES_RUN.load(Ordering::Relaxed),
        "every handshake computed was dropped"
    );
    println!(
        "Every one of the {} handshakes was dropped.",
        HANDSHAKES_RUN.load(Ordering::Relaxed)
    );
    Ok(())
}
