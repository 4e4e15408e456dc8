use std::rc::Rc;

use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity, no_values)]
struct Cache {
    shared: Field<Rc<u32>>,
}

fn main() {}
