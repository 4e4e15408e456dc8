use weakprop::Descriptors;

#[derive(Descriptors)]
struct Marker;

fn main() {
    let _ = Marker;
}
