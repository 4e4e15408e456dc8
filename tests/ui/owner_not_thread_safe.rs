use std::rc::Rc;
use std::sync::Arc;

use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Widget {
    parent: Option<Rc<Widget>>,
    label: Field<String>,
}

fn main() {
    let widget = Arc::new(Widget { parent: None, label: Field::new() });
    widget.set_label("OK".into()).unwrap();
    assert_eq!(widget.label().as_deref(), Some("OK"));
    let _ = (widget.take_label(), widget.parent.is_none(), widget.snapshot());
}
