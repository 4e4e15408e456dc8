use descriptor::{Descriptors, Field};

fn log(new: &u32) {
    println!("{new}");
}

#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Person {
    #[descriptor(on_change = log)]
    age: Field<u32>,
}

fn main() {}
