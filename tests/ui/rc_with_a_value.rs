use std::rc::Rc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity, rc = true)]
struct Widget {
    width: Field<u32>,
}

fn main() {
    let widget = Rc::new(Widget { width: Field::new() });
    widget.set_width(640).unwrap();
    let _ = (widget.width(), widget.take_width());
}
