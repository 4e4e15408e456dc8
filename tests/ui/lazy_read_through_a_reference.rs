use std::sync::Arc;

use weakprop::{Descriptors, Field};

fn measure(doc: &Arc<Doc>) -> u32 {
    doc.lines * 12
}

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Doc {
    lines: u32,
    #[descriptor(lazy = measure)]
    height: Field<u32>,
}

impl Doc {
    /// A `lazy` getter may store what it computes: it takes the owner's `Arc`.
    fn fits(&self, page: u32) -> bool {
        self.height() <= page
    }
}

fn main() {
    let doc = Arc::new(Doc { lines: 3, height: Field::new() });
    assert!(doc.fits(100));
    let _ = (doc.height(), doc.with_height(|height| *height), doc.take_height());
}
