use weakprop::{Descriptors, Field};

#[derive(Descriptors)]
struct Point(Field<i32>, Field<i32>);

fn main() {
    let point = Point(Field::new(), Field::new());
    let _ = (point.0, point.1);
}
