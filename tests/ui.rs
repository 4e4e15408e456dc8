//! Every misuse of `#[derive(Descriptors)]` is a compile error at the offending tokens, with a
//! message that says what to write instead; `tests/ui/*.stderr` are the messages users see.
//!
//! `tests/ui/*.rs` fail the same way whatever the features; a case whose message depends on a
//! feature has one directory per side: `regex/` and `no_regex/`, `serde/` and `no_serde/`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/*.rs");
    if cfg!(feature = "regex") {
        t.compile_fail("tests/ui/regex/*.rs");
    } else {
        t.compile_fail("tests/ui/no_regex/*.rs");
    }
    if cfg!(feature = "serde") {
        t.compile_fail("tests/ui/serde/*.rs");
    } else {
        t.compile_fail("tests/ui/no_serde/*.rs");
    }
}
