use descriptor::Descriptors;

#[derive(Descriptors)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {}
