use weakprop::Descriptors;

#[derive(Descriptors)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {
    let bits = Bits { int: 1 };
    let _ = unsafe { bits.float };
}
