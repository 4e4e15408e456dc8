use std::rc::Rc;
use std::sync::Arc;

use weakprop::{Descriptors, Field};

/// Another crate's type, which stays on one thread.
pub struct Widget {
    pub parent: Option<Rc<Widget>>,
}

#[derive(Descriptors)]
#[descriptors(extend = Widget)]
struct Layout {
    width: Field<u32>,
    height: Field<u32>,
}

fn main() {
    let widget = Arc::new(Widget { parent: None });
    widget.set_width(640).unwrap();
    widget.set_height(480).unwrap();
    assert_eq!((widget.width(), widget.height()), (Some(640), Some(480)));
    let _ = (Layout::width_descriptor().len(), widget.parent.is_none());
}
