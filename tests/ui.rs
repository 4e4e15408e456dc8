//! Every misuse of `#[derive(Descriptors)]` is a compile error at the offending tokens, with a
//! message that says what to write instead; `tests/ui/*.stderr` are the messages users see.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/*.rs");
}
