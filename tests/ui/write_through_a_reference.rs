use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Counter {
    hits: Field<u32>,
}

impl Counter {
    /// Reads work through `&self`; the write does not.
    fn bump(&self) {
        let hits = self.hits().unwrap_or(0);
        self.set_hits(hits + 1).unwrap();
    }
}

fn main() {
    let counter = Arc::new(Counter { hits: Field::new() });
    counter.set_hits(1).unwrap();
    counter.bump();
    let _ = (counter.take_hits(), counter.snapshot());
}
