//! A small stock-keeping program: items whose price, quantity and SKU are validated
//! descriptor fields, an observer that keeps a running stock total, and a JSON snapshot written
//! to a file and loaded back, first as it was and then edited to break the rules, when the load
//! reports every broken field at once and writes nothing.
//!
//! Run it with `cargo run --example inventory --features serde,regex`.

use std::collections::BTreeMap;
use std::error::Error;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use weakprop::{Descriptors, Field};

/// One line of stock. Its name is its identity: two `Item`s with the same name share their
/// descriptor values, as equal keys do in Python's `WeakKeyDictionary`.
#[derive(Descriptors, Hash, PartialEq, Eq)]
#[descriptors(serde)]
pub struct Item {
    name: String,
    /// Price in cents.
    #[descriptor(range(min = 1, max = 1_000_000))]
    pub price: Field<u64>,
    /// Units in stock.
    #[descriptor(range(max = 10_000), default = 0)]
    pub quantity: Field<u32>,
    /// Stock-keeping unit: three capitals, a dash, four digits.
    #[descriptor(pattern = "^[A-Z]{3}-[0-9]{4}$")]
    pub sku: Field<String>,
}

impl Item {
    fn new(name: &str) -> Arc<Self> {
        Arc::new(Item {
            name: name.to_owned(),
            price: Field::new(),
            quantity: Field::new(),
            sku: Field::new(),
        })
    }

    fn describe(self: &Arc<Self>) -> String {
        format!(
            "{:<8} {:>9} x{:<4} {}",
            self.name,
            self.price().map_or_else(
                || "no price".to_owned(),
                |cents| format!("{}.{:02}", cents / 100, cents % 100)
            ),
            self.quantity(),
            self.sku().unwrap_or_default(),
        )
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    // The observer sees every quantity change of every item, after the write and outside
    // every lock, and keeps the stock total up to date.
    let total = Arc::new(AtomicI64::new(0));
    let running = Arc::clone(&total);
    let _stock_keeper = Item::quantity_descriptor().subscribe(move |item, change| {
        let old = i64::from(change.old_value().copied().unwrap_or(0));
        let new = i64::from(change.new_value().copied().unwrap_or(0));
        let now = running.fetch_add(new - old, Ordering::SeqCst) + new - old;
        println!("  [stock] {}: {old} -> {new} (total {now})", item.name);
    });

    println!("== Receiving stock");
    let items = [
        ("hammer", 1_299, 40, "HAM-0001"),
        ("wrench", 899, 25, "WRE-0002"),
        ("pliers", 650, 60, "PLI-0003"),
    ]
    .map(|(name, price, quantity, sku)| {
        let item = Item::new(name);
        item.set_price(price).expect("a valid price");
        item.set_quantity(quantity).expect("a valid quantity");
        item.set_sku(sku.to_owned()).expect("a valid SKU");
        item
    });
    for item in &items {
        println!("{}", item.describe());
    }

    println!("\n== Selling and refusing");
    let [hammer, wrench, pliers] = &items;
    hammer.set_quantity(hammer.quantity() - 3)?;
    if let Err(error) = wrench.set_quantity(20_000) {
        println!("refused: {error}");
    }
    if let Err(error) = pliers.set_sku("pliers-3".to_owned()) {
        println!("refused: {error}");
    }
    if let Err(error) = pliers.set_price(0) {
        println!("refused: {error}");
    }
    println!("stock total: {}", total.load(Ordering::SeqCst));

    println!("\n== Snapshot to JSON");
    let snapshot: BTreeMap<String, ItemValues> = items
        .iter()
        .map(|item| (item.name.clone(), item.snapshot()))
        .collect();
    let path =
        std::env::temp_dir().join(format!("descriptor-inventory-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_string_pretty(&snapshot)?)?;
    println!("wrote {}", path.display());
    let stock_before_close = total.load(Ordering::SeqCst);

    // Closing the shop drops every item, and with them their entries in every table (but the
    // observer is not told about drops: the running total keeps its last figure).
    drop(items);
    println!(
        "shop closed: {} prices left in the table",
        Item::price_descriptor().len()
    );

    println!("\n== Loading the snapshot into fresh items");
    total.store(0, Ordering::SeqCst);
    let text = std::fs::read_to_string(&path)?;
    let saved: BTreeMap<String, ItemValues> = serde_json::from_str(&text)?;
    let mut reopened = Vec::new();
    for (name, values) in saved {
        let item = Item::new(&name);
        item.load(values)?;
        reopened.push(item);
    }
    for item in &reopened {
        println!("{}", item.describe());
    }
    assert_eq!(total.load(Ordering::SeqCst), stock_before_close);
    println!("stock total: {}", total.load(Ordering::SeqCst));

    println!("\n== Loading an edited file");
    let edited = text
        .replace("\"price\": 1299", "\"price\": 0")
        .replace("\"quantity\": 37", "\"quantity\": 12000")
        .replace("\"HAM-0001\"", "\"ham-1\"");
    std::fs::write(&path, &edited)?;
    let mut saved: BTreeMap<String, ItemValues> =
        serde_json::from_str(&std::fs::read_to_string(&path)?)?;
    let hammer = reopened
        .iter()
        .find(|item| item.name == "hammer")
        .ok_or("the hammer is missing")?;
    let before = hammer.snapshot();
    let values = saved
        .remove("hammer")
        .ok_or("the hammer's values are missing")?;
    match hammer.load(values) {
        Ok(()) => return Err("the edited file should have been refused".into()),
        Err(errors) => {
            println!("refused {} fields at once:", errors.len());
            for error in &errors {
                println!("  {error}");
            }
        }
    }
    assert_eq!(hammer.snapshot(), before);
    println!("nothing was written: {}", hammer.describe());

    std::fs::remove_file(&path)?;
    Ok(())
}
