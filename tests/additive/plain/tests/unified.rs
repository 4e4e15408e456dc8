//! This crate in the workspace's build, where another member turns `weakprop/serde` on: the
//! feature is unified on for this crate too, and its values struct, which holds a type that is
//! not `Serialize`, is unchanged by it.

#[test]
fn the_crate_that_did_not_opt_in_works_with_the_feature_unified_on() {
    let session = additive_plain::open(7);
    assert_eq!(session.handle(), Some(additive_plain::Handle(7)));
    assert_eq!(session.snapshot().handle, Some(additive_plain::Handle(7)));
}
