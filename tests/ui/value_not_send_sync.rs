use std::rc::Rc;
use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity, no_values)]
struct Cache {
    shared: Field<Rc<u32>>,
}

fn main() {
    let cache = Arc::new(Cache { shared: Field::new() });
    cache.set_shared(Rc::new(1)).unwrap();
    assert_eq!(cache.shared().as_deref(), Some(&1));
    let _ = (cache.take_shared(), cache.with_shared(|shared| shared.is_some()));
    let _ = Cache::shared_descriptor().len();
}
