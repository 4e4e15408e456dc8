use descriptor::{Descriptors, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Grid<const N: usize> {
    cells: [u8; N],
    count: Field<u32>,
}

fn main() {}
