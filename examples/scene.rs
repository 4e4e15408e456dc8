//! A widget tree kept in `Rc`s, on one thread, as GUI toolkits keep theirs: validated,
//! observed properties, and a layout computed lazily and invalidated when a size changes.
//!
//! `#[descriptors(rc)]` keeps the tables on this thread, so widgets and their values may hold
//! `Rc`s and `RefCell`s. Run it with `cargo run --example scene`.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use weakprop::{Descriptors, Field};

/// Where a widget ends up: its box and its children's, top to bottom.
#[derive(Debug)]
struct Layout {
    width: u32,
    height: u32,
}

/// A texture handle, the kind of value that is not `Send`: it counts its users in a `Cell`.
#[derive(Debug)]
struct Texture {
    name: &'static str,
    users: Cell<u32>,
}

#[derive(Descriptors)]
#[descriptors(rc, key = identity)]
struct Widget {
    name: &'static str,
    parent: RefCell<Weak<Widget>>,
    children: RefCell<Vec<Rc<Widget>>>,
    /// Own width, in pixels (a container's is its widest child's).
    #[descriptor(range(max = 4096), on_change = size_changed)]
    width: Field<u32>,
    /// Own height, in pixels (a container's is its children's, stacked).
    #[descriptor(range(max = 4096), on_change = size_changed)]
    height: Field<u32>,
    #[descriptor(length(min = 1, max = 24))]
    label: Field<String>,
    texture: Field<Rc<Texture>>,
    /// Computed on first read, and again after a size below it changed.
    #[descriptor(lazy = layout)]
    layout: Field<Rc<Layout>>,
}

thread_local! {
    /// How many layouts were computed: the cache at work.
    static LAYOUTS: Cell<u32> = const { Cell::new(0) };
}

fn layout(widget: &Rc<Widget>) -> Rc<Layout> {
    LAYOUTS.with(|count| count.set(count.get() + 1));
    let children = widget.children.borrow();
    if children.is_empty() {
        return Rc::new(Layout {
            width: widget.width().unwrap_or(0),
            height: widget.height().unwrap_or(0),
        });
    }
    // A container stacks its children: each child's layout is computed (or read) on the way.
    let boxes: Vec<Rc<Layout>> = children.iter().map(|child| child.layout()).collect();
    Rc::new(Layout {
        width: boxes.iter().map(|b| b.width).max().unwrap_or(0),
        height: boxes.iter().map(|b| b.height).sum(),
    })
}

/// A size changed: the layouts of this widget and of every ancestor are stale.
fn size_changed(widget: &Rc<Widget>, _old: Option<&u32>, _new: Option<&u32>) {
    let mut next = Some(widget.clone());
    while let Some(widget) = next {
        widget.take_layout();
        next = widget.parent.borrow().upgrade();
    }
}

impl Widget {
    fn new(name: &'static str) -> Rc<Self> {
        Rc::new(Self {
            name,
            parent: RefCell::new(Weak::new()),
            children: RefCell::new(Vec::new()),
            width: Field::new(),
            height: Field::new(),
            label: Field::new(),
            texture: Field::new(),
            layout: Field::new(),
        })
    }

    fn add(self: &Rc<Self>, child: Rc<Widget>) {
        *child.parent.borrow_mut() = Rc::downgrade(self);
        self.children.borrow_mut().push(child);
        size_changed(self, None, None);
    }

    fn sized(name: &'static str, width: u32, height: u32) -> Rc<Self> {
        let widget = Self::new(name);
        widget.set_width(width).expect("a valid width");
        widget.set_height(height).expect("a valid height");
        widget
    }
}

fn layouts() -> u32 {
    LAYOUTS.with(Cell::get)
}

fn main() -> Result<(), weakprop::ValidationError> {
    let window = Widget::new("window");
    let toolbar = Widget::sized("toolbar", 800, 40);
    let canvas = Widget::sized("canvas", 640, 480);
    let status = Widget::sized("status", 800, 20);
    for child in [&toolbar, &canvas, &status] {
        window.add(child.clone());
    }
    toolbar.set_label("File  Edit  View".into())?;
    let brush = Rc::new(Texture {
        name: "brush.png",
        users: Cell::new(0),
    });
    canvas.set_texture(brush.clone())?;
    canvas.with_texture(|texture| texture.map(|t| t.users.set(t.users.get() + 1)));

    let widths = Rc::new(RefCell::new(Vec::new()));
    let log = widths.clone();
    let _subscription = Widget::width_descriptor().subscribe(move |widget, change| {
        log.borrow_mut().push(format!(
            "{}: {:?} -> {:?}",
            widget.name,
            change.old_value(),
            change.new_value()
        ));
    });

    let first = window.layout();
    println!(
        "window: {}x{} ({} layouts computed)",
        first.width,
        first.height,
        layouts()
    );
    let again = window.layout();
    println!(
        "again:  {}x{} ({} layouts computed: cached)",
        again.width,
        again.height,
        layouts()
    );

    canvas.set_width(1024)?;
    let resized = window.layout();
    println!(
        "canvas.set_width(1024): window {}x{} ({} layouts computed: the canvas and the window again)",
        resized.width,
        resized.height,
        layouts()
    );
    if let Err(error) = canvas.set_width(10_000) {
        println!("canvas.set_width(10000) -> {error}");
    }
    if let Err(error) = toolbar.set_label(String::new()) {
        println!("toolbar.set_label(\"\") -> {error}");
    }
    println!("observed widths: {:?}", widths.borrow());
    println!(
        "texture {} has {} user(s) and {} Rc(s): the canvas's value and ours",
        brush.name,
        brush.users.get(),
        Rc::strong_count(&brush)
    );

    drop((toolbar, canvas, status));
    println!(
        "layouts stored: {}, sizes stored: {}",
        Widget::layout_descriptor().len(),
        Widget::width_descriptor().len()
    );
    drop(window);
    println!(
        "after the window drops: layouts stored: {}, sizes stored: {}, texture Rcs: {}",
        Widget::layout_descriptor().len(),
        Widget::width_descriptor().len(),
        Rc::strong_count(&brush)
    );
    assert!(Widget::layout_descriptor().is_empty() && Rc::strong_count(&brush) == 1);
    Ok(())
}
