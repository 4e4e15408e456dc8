use std::any::Any;
use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(extend = dyn Any + Send + Sync)]
struct OnAnything {
    tag: Field<u32>,
}

#[derive(Descriptors)]
#[descriptors(extend = [u8])]
struct OnBytes {
    checksum: Field<u32>,
}

#[derive(Descriptors)]
#[descriptors(extend = Mirror)]
struct Mirror {
    image: Field<u32>,
}

#[derive(Descriptors)]
#[descriptors(extend = _)]
struct Inferred {
    guess: Field<u32>,
}

fn main() {
    let anything: Arc<dyn Any + Send + Sync> = Arc::new(5_u8);
    anything.set_tag(1).unwrap();
    let bytes: Arc<[u8]> = Arc::from(vec![1, 2, 3]);
    bytes.set_checksum(6).unwrap();
    assert_eq!(bytes.checksum(), Some(6));
    let mirror = Arc::new(Mirror { image: Field::new() });
    mirror.set_image(1).unwrap();
    let _ = (OnAnything::tag_descriptor().len(), Inferred::guess_descriptor().len());
}
