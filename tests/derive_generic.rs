//! Generic owners: type and const parameters, with or without bounds written; one table per
//! instantiation, released as promptly as a plain owner's.

use std::fmt::Debug;
use std::hash::Hash;
use std::sync::Arc;

use weakprop::{Descriptors, Field};

/// No bounds written: the derive asks `Keyed<K>: Hash + Eq + Send + Sync + 'static` where its
/// accessors need it.
#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Keyed<K> {
    key: K,
    #[descriptor(range(min = 0))]
    score: Field<i64>,
}

fn keyed<K>(key: K) -> Arc<Keyed<K>> {
    Arc::new(Keyed {
        key,
        score: Field::new(),
    })
}

#[test]
fn each_instantiation_has_its_own_table() {
    let (by_number, by_name) = (keyed(7_u64), keyed(String::from("seven")));
    by_number.set_score(1).unwrap();
    by_name.set_score(2).unwrap();
    keyed(8_u64).set_score(3).unwrap_or_default();
    assert_eq!(Keyed::<u64>::score_descriptor().len(), 1);
    assert_eq!(Keyed::<String>::score_descriptor().len(), 1);
    assert!(!std::ptr::eq(Keyed::<u64>::score_descriptor().name(), "",));
    assert_eq!((by_number.score(), by_name.score()), (Some(1), Some(2)));
    assert_eq!(
        by_name.set_score(-1).unwrap_err().to_string(),
        "Keyed.score: -1 is below the minimum 0"
    );
}

#[test]
fn a_generic_owner_leaves_its_table_when_it_drops() {
    let owner = keyed(('x', 1_u8));
    owner.set_score(10).unwrap();
    assert_eq!(Keyed::<(char, u8)>::score_descriptor().len(), 1);
    drop(owner);
    assert_eq!(Keyed::<(char, u8)>::score_descriptor().len(), 0);
    assert_eq!(
        Keyed::<(char, u8)>::score_descriptor().purge(),
        0,
        "released, not swept"
    );
}

fn not_default<T: Default + PartialEq + Debug>(value: &T) -> Result<(), String> {
    if *value == T::default() {
        Err(format!("{value:?} is the default"))
    } else {
        Ok(())
    }
}

/// A field holding the owner's parameter, with a generic hook whose bounds the struct states.
#[derive(Descriptors)]
#[descriptors(key = identity)]
struct Slot<T: Default + PartialEq + Debug> {
    #[descriptor(validate = not_default)]
    value: Field<T>,
}

#[test]
fn a_field_may_hold_the_owners_parameter_and_a_hook_may_be_generic() {
    let slot = Arc::new(Slot::<String> {
        value: Field::new(),
    });
    assert!(slot.set_value(String::new()).is_err());
    slot.set_value("full".into()).unwrap();
    assert_eq!(slot.value().as_deref(), Some("full"));
    let numbers = Arc::new(Slot::<u32> {
        value: Field::new(),
    });
    assert_eq!(
        numbers.set_value(0).unwrap_err().to_string(),
        "Slot.value: 0 is the default"
    );
    assert_eq!(
        slot.snapshot(),
        SlotValues {
            value: Some("full".to_owned())
        }
    );
}

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Grid<const N: usize> {
    id: u32,
    #[descriptor(length(max = 4))]
    cells: Field<Vec<[u8; N]>>,
}

#[test]
fn const_parameters_instantiate_tables_too() {
    let small = Arc::new(Grid::<2> {
        id: 1,
        cells: Field::new(),
    });
    let large = Arc::new(Grid::<3> {
        id: 1,
        cells: Field::new(),
    });
    small.set_cells(vec![[1, 2]]).unwrap();
    large.set_cells(vec![[1, 2, 3]; 2]).unwrap();
    assert!(large.set_cells(vec![[0; 3]; 5]).is_err());
    assert_eq!(small.cells(), Some(vec![[1, 2]]));
    assert_eq!(Grid::<3>::cells_descriptor().len(), 1);
    drop(large);
    assert_eq!(Grid::<3>::cells_descriptor().len(), 0);
    assert_eq!(Grid::<2>::cells_descriptor().len(), 1);
}

fn _bounds_are_inferred<K: Hash + Eq + Send + Sync + 'static>(
    owner: &Arc<Keyed<K>>,
) -> Option<i64> {
    owner.set_score(1).ok()?;
    owner.score()
}
