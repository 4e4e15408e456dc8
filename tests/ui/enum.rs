use descriptor::Descriptors;

#[derive(Descriptors)]
enum Shape {
    Circle { radius: f64 },
    Square { side: f64 },
}

fn main() {}
