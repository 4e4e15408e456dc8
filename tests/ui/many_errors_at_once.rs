use descriptor::{Descriptors, Field};

#[derive(Descriptors)]
#[descriptors(key = identity, crate = descriptor, krate = descriptor)]
struct Person {
    #[descriptor(range(min = 0), lenght(max = 3), once, once)]
    age: Field<u32>,
    #[descriptor(defualt = String::new())]
    name: Field<String>,
    #[descriptor(once)]
    id: u64,
}

fn main() {}
