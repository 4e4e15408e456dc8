//! Attach expensive per-object results to objects, and watch the memory go when the objects do.
//!
//! A word-frequency index is costly to build, so it is cached per document. The cache holds the
//! documents weakly: it never keeps one alive, and a document's index is freed the moment the
//! document drops (its `Drop` releases its entry). Keys that cannot cooperate that way are
//! swept instead: their entries are invisible at once and freed by `purge` or by the map's own
//! amortised sweep.
//!
//! For a type of your own, the same cache is one field: `#[descriptor(lazy = build)]` is Python's
//! `functools.cached_property`, computed on first read, stored in a side table, and freed with
//! its object.
//!
//! Run it with `cargo run --example cache`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use weakprop::{Descriptors, Field, WeakKeyMap};

/// Counts the bytes currently allocated, so the example can show what the cache holds.
struct Counting;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counter is only
// arithmetic on the sizes it was given.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which we pass on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with this layout, as the caller guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live_kib() -> f64 {
    #[allow(clippy::cast_precision_loss)] // a printed figure
    let bytes = LIVE_BYTES.load(Ordering::Relaxed) as f64;
    bytes / 1024.0
}

/// A document, identified by its id.
#[derive(Hash, PartialEq, Eq)]
struct Document {
    id: u32,
    text: String,
}

/// The expensive result: how often each word occurs.
type Index = Arc<HashMap<String, usize>>;

/// One index per live document. A `static`: `WeakKeyMap::new` is `const`.
static INDEXES: WeakKeyMap<Document, Index> = WeakKeyMap::new();

static BUILDS: AtomicUsize = AtomicUsize::new(0);

impl Document {
    fn new(id: u32, words: usize) -> Arc<Self> {
        let text = (0..words)
            .map(|n| format!("word{} ", (n * 7 + id as usize) % 5_000))
            .collect();
        Arc::new(Self { id, text })
    }

    /// The document's index, built on first use and cached while the document lives.
    fn index(self: &Arc<Self>) -> Index {
        INDEXES.get_or_insert_with(self, || {
            BUILDS.fetch_add(1, Ordering::Relaxed);
            let mut counts = HashMap::new();
            for word in self.text.split_whitespace() {
                *counts.entry(word.to_owned()).or_insert(0) += 1;
            }
            Arc::new(counts)
        })
    }
}

impl Drop for Document {
    fn drop(&mut self) {
        // Frees this document's index now rather than at the next sweep.
        INDEXES.release(self);
    }
}

/// A document of our own: its index is a `lazy` field, Python's `cached_property`.
#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Article {
    id: u32,
    text: String,
    /// How often each word occurs: built on first read, kept while the article lives.
    #[descriptor(lazy = build_index)]
    index: Field<Index>,
}

fn build_index(article: &Arc<Article>) -> Index {
    BUILDS.fetch_add(1, Ordering::Relaxed);
    let mut counts = HashMap::new();
    for word in article.text.split_whitespace() {
        *counts.entry(word.to_owned()).or_insert(0) += 1;
    }
    Arc::new(counts)
}

/// A key type we do not control: no `Drop` tells the cache when it dies.
#[derive(Hash, PartialEq, Eq)]
struct Foreign(u32);

static FOREIGN: WeakKeyMap<Foreign, Vec<u8>> = WeakKeyMap::new();

fn main() {
    let baseline = live_kib();
    let documents: Vec<_> = (0..100).map(|id| Document::new(id, 1_000)).collect();
    let with_documents = live_kib();
    println!(
        "100 documents:                  {:>8.0} KiB",
        with_documents - baseline
    );

    let total: usize = documents.iter().map(|doc| doc.index().len()).sum();
    let again: usize = documents.iter().map(|doc| doc.index().len()).sum();
    assert_eq!(total, again);
    let with_indexes = live_kib();
    println!(
        "+ their indexes (cached):       {:>8.0} KiB  ({} builds for {} lookups, {} entries)",
        with_indexes - baseline,
        BUILDS.load(Ordering::Relaxed),
        2 * documents.len(),
        INDEXES.len()
    );
    let first = &documents[0];
    println!(
        "document {} has {} distinct words; its strong count is still {}",
        first.id,
        first.index().len(),
        Arc::strong_count(first)
    );

    drop(documents);
    println!(
        "after the documents drop:       {:>8.0} KiB  (cache entries: {}, left to sweep: {})",
        live_kib() - baseline,
        INDEXES.len(),
        INDEXES.purge()
    );

    // Keys without a cooperating `Drop`: invisible at once, freed by the sweep.
    let keys: Vec<_> = (0..100).map(|n| Arc::new(Foreign(n))).collect();
    for key in &keys {
        FOREIGN.insert(key, vec![0; 10_000]);
    }
    let with_foreign = live_kib();
    drop(keys);
    println!(
        "foreign keys: {:>4.0} KiB held; after they drop: {} live entries, {:>4.0} KiB until purge",
        with_foreign - baseline,
        FOREIGN.len(),
        live_kib() - baseline
    );
    let swept = FOREIGN.purge();
    println!(
        "purge() swept {swept} entries:   {:>8.0} KiB",
        live_kib() - baseline
    );

    // The same cache, declared on a type of our own.
    let builds = BUILDS.load(Ordering::Relaxed);
    let articles: Vec<_> = (0..100)
        .map(|id| {
            let text = Document::new(id, 1_000).text.clone();
            Arc::new(Article {
                id,
                text,
                index: Field::new(),
            })
        })
        .collect();
    let with_articles = live_kib();
    let words: usize = articles
        .iter()
        .map(|article| article.with_index(|index| index.len()))
        .sum();
    let again: usize = articles.iter().map(|article| article.index().len()).sum();
    assert_eq!(words, again);
    println!(
        "lazy fields: {} builds for {} reads, {:>5.0} KiB of indexes ({} stored)",
        BUILDS.load(Ordering::Relaxed) - builds,
        2 * articles.len(),
        live_kib() - with_articles,
        Article::index_descriptor().len()
    );
    let first = &articles[0];
    first.take_index(); // invalidate: the next read builds it again
    let rebuilt = first.index().len();
    println!(
        "article {}: take_index() then index() rebuilds it ({rebuilt} words): {} builds in all",
        first.id,
        BUILDS.load(Ordering::Relaxed) - builds
    );
    drop(articles);
    println!(
        "after the articles drop:        {:>8.0} KiB  (stored indexes: {})",
        live_kib() - baseline,
        Article::index_descriptor().len()
    );
}
