//! The values struct that `#[derive(Descriptors)]` generates, and `snapshot`/`load` on it: a
//! load checks every field before it writes any, and reports every failing field at once.

use std::sync::Arc;

use weakprop::{Descriptors, ErrorKind, Field};

#[derive(Descriptors, Hash, PartialEq, Eq)]
struct Item {
    code: &'static str,
    /// Price in cents.
    #[descriptor(range(min = 1, max = 100_000))]
    price: Field<u64>,
    #[descriptor(range(max = 500), default = 0)]
    quantity: Field<u32>,
    #[descriptor(length(min = 1, max = 20), coerce = trim)]
    label: Field<String>,
    #[descriptor(once)]
    created: Field<u64>,
}

fn trim(value: String) -> String {
    value.trim().to_owned()
}

fn item(code: &'static str) -> Arc<Item> {
    Arc::new(Item {
        code,
        price: Field::new(),
        quantity: Field::new(),
        label: Field::new(),
        created: Field::new(),
    })
}

#[test]
fn snapshot_of_a_fresh_owner_is_all_none_even_with_a_default() {
    let fresh = item("fresh");
    assert_eq!(fresh.quantity(), 0);
    assert_eq!(fresh.snapshot(), ItemValues::default());
}

#[test]
fn snapshot_then_load_round_trips_into_a_fresh_owner() {
    let original = item("round-trip-a");
    original.set_price(1_250).unwrap();
    original.set_quantity(7).unwrap();
    original.set_label("  Widget ".into()).unwrap();
    original.set_created(1_700_000_000).unwrap();

    let values = original.snapshot();
    assert_eq!(
        values,
        ItemValues {
            price: Some(1_250),
            quantity: Some(7),
            label: Some("Widget".into()),
            created: Some(1_700_000_000),
        }
    );

    let copy = item("round-trip-b");
    copy.load(values.clone()).unwrap();
    assert_eq!(copy.snapshot(), values);
    assert_eq!(copy.label().as_deref(), Some("Widget"));
}

#[test]
fn load_coerces_before_it_checks_and_stores_the_coerced_value() {
    let it = item("coerce");
    it.load(ItemValues {
        label: Some("   padded   ".into()),
        ..ItemValues::default()
    })
    .unwrap();
    assert_eq!(it.label().as_deref(), Some("padded"));
}

#[test]
fn load_reports_every_failing_field_and_writes_nothing() {
    let it = item("all-errors");
    it.set_price(500).unwrap();
    it.set_label("before".into()).unwrap();

    let errors = it
        .load(ItemValues {
            price: Some(0),            // below the minimum
            quantity: Some(501),       // above the maximum
            label: Some("   ".into()), // empty once trimmed
            created: Some(1),          // valid: must not be written either
        })
        .unwrap_err();

    assert_eq!(errors.len(), 3);
    let fields: Vec<&str> = errors.iter().map(|error| error.field()).collect();
    assert_eq!(fields, ["price", "quantity", "label"]);
    assert_eq!(
        errors.to_string(),
        "Item.price: 0 is below the minimum 1\n\
         Item.quantity: 501 is above the maximum 500\n\
         Item.label: length 0 is below the minimum length 1"
    );
    assert_eq!(it.price(), Some(500));
    assert_eq!(it.quantity(), 0);
    assert_eq!(it.label().as_deref(), Some("before"));
    assert_eq!(it.created(), None);
}

#[test]
fn load_on_a_set_once_field_fails_and_writes_nothing() {
    let it = item("once");
    it.set_created(10).unwrap();
    let errors = it
        .load(ItemValues {
            price: Some(99),
            created: Some(20),
            ..ItemValues::default()
        })
        .unwrap_err();
    assert_eq!(errors.len(), 1);
    let error = errors.iter().next().unwrap();
    assert_eq!(error.field(), "created");
    assert!(matches!(error.kind(), ErrorKind::AlreadySet));
    assert_eq!(it.created(), Some(10));
    assert_eq!(it.price(), None);
}

#[test]
fn none_leaves_a_field_as_it_is() {
    let it = item("none");
    it.set_price(300).unwrap();
    it.set_label("kept".into()).unwrap();
    it.load(ItemValues {
        quantity: Some(3),
        ..ItemValues::default()
    })
    .unwrap();
    assert_eq!(it.price(), Some(300));
    assert_eq!(it.label().as_deref(), Some("kept"));
    assert_eq!(it.quantity(), 3);
}

#[test]
fn load_writes_in_declaration_order_and_notifies_each_field() {
    use std::sync::Mutex;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (price_log, label_log) = (seen.clone(), seen.clone());
    let _price = Item::price_descriptor().subscribe(move |owner, _| {
        if owner.code == "order" {
            price_log.lock().unwrap().push("price");
        }
    });
    let _label = Item::label_descriptor().subscribe(move |owner, _| {
        if owner.code == "order" {
            label_log.lock().unwrap().push("label");
        }
    });
    let it = item("order");
    it.load(ItemValues {
        label: Some("x".into()),
        price: Some(5),
        ..ItemValues::default()
    })
    .unwrap();
    assert_eq!(*seen.lock().unwrap(), ["price", "label"]);
}

#[test]
fn a_renamed_values_struct_keeps_the_owners_visibility_and_the_fields_docs() {
    mod shop {
        use weakprop::{Descriptors, Field};

        #[derive(Descriptors)]
        #[descriptors(key = identity, values = ShelfState)]
        pub(crate) struct Shelf {
            /// How many slots the shelf has.
            #[descriptor(range(min = 1, max = 8))]
            pub(crate) slots: Field<u8>,
            hidden: Field<bool>,
        }

        impl Shelf {
            pub(crate) fn new() -> Self {
                Shelf {
                    slots: Field::new(),
                    hidden: Field::new(),
                }
            }
        }
    }
    use shop::{Shelf, ShelfState};

    let shelf = Arc::new(Shelf::new());
    let mut state = ShelfState::default();
    state.slots = Some(4);
    shelf.load(state.clone()).unwrap();
    assert_eq!(shelf.snapshot(), state);
    state.slots = Some(9);
    assert_eq!(
        shelf.load(state).unwrap_err().to_string(),
        "Shelf.slots: 9 is above the maximum 8"
    );
    assert_eq!(shelf.slots(), Some(4));
}

#[test]
fn no_values_accepts_a_value_type_without_debug() {
    struct Opaque(u8);
    #[derive(Descriptors)]
    #[descriptors(key = identity, no_values)]
    struct Holder {
        opaque: Field<Arc<Opaque>>,
    }
    let holder = Arc::new(Holder {
        opaque: Field::new(),
    });
    holder.set_opaque(Arc::new(Opaque(3))).unwrap();
    assert_eq!(holder.opaque().map(|opaque| opaque.0), Some(3));
}
