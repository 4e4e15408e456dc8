use weakprop::Descriptors;

#[derive(Descriptors)]
enum Shape {
    Circle { radius: f64 },
    Square { side: f64 },
}

fn main() {
    let shape = Shape::Circle { radius: 1.0 };
    let _ = matches!(shape, Shape::Square { side } if side > 0.0);
}
