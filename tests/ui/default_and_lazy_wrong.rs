use std::sync::Arc;

use weakprop::{Descriptors, Field};

/// Takes the owner by reference, not its `Arc`.
fn layout(doc: &Doc) -> u32 {
    doc.id
}

/// Two mistakes, each reported once (the getter reads through `with_`, so neither the default
/// nor the `lazy` function is checked twice).
#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Doc {
    id: u32,
    #[descriptor(default = "n/a")]
    title: Field<String>,
    #[descriptor(lazy = layout)]
    height: Field<u32>,
}

fn main() {
    let doc = Arc::new(Doc { id: 1, title: Field::new(), height: Field::new() });
    let title: String = doc.title();
    let height: u32 = doc.height();
    let _ = (title, height, doc.with_title(String::len), doc.with_height(|height| *height));
}
