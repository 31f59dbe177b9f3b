//! The catalog at its size limit: 1,000,000 items load (from JSON and compiled) and rank;
//! one more is refused with a clear error, from JSON and from a forged compiled file.

use inkling::catalog::{Catalog, MAX_ITEMS};
use inkling::error::ErrorKind;
use inkling::profile::Profile;
use inkling::rank::{rank, RankOptions};

/// A catalog of `n` small items over three topics, as JSON text.
fn catalog_json(n: usize) -> String {
    let mut s = String::with_capacity(n * 40 + 200);
    s.push_str(r#"{"topics":[{"id":"a"},{"id":"b"},{"id":"c"}],"items":["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let topic = ["a", "b", "c"][i % 3];
        s.push_str(&format!(
            r#"{{"id":"i{i}","topics":{{"{topic}":1}},"popularity":{}}}"#,
            i % 97
        ));
    }
    s.push_str("]}");
    s
}

#[test]
fn a_catalog_of_one_million_items_loads_ranks_and_round_trips_and_one_more_is_refused() {
    let json = catalog_json(MAX_ITEMS);
    let catalog = Catalog::from_json(&json).expect("the largest catalog allowed loads");
    assert_eq!(catalog.len(), MAX_ITEMS);
    assert_eq!(catalog.item_index("i999999"), Some(999_999));
    let top = rank(Some(&Profile::new()), &catalog, &RankOptions::default());
    assert!(!top.is_empty());

    let bytes = catalog.to_bytes();
    let back = Catalog::from_bytes(&bytes).expect("the compiled form loads");
    assert_eq!(back, catalog);
    drop(back);

    // One item more, as JSON: refused, naming the items and the limit.
    let mut over = json;
    over.truncate(over.len() - 2);
    over.push_str(r#",{"id":"one-too-many","topics":{"a":1}}]}"#);
    let e = Catalog::from_json(&over).unwrap_err();
    assert_eq!((e.kind(), e.path()), (ErrorKind::OutOfRange, "/items"));
    assert!(e.message().contains("1000000"), "{}", e.message());

    // A compiled file claiming one item more: refused before anything is allocated for it.
    let count_at = bytes
        .windows(4)
        .position(|w| w == (MAX_ITEMS as u32).to_le_bytes())
        .expect("the item count is in the file");
    let mut forged = bytes;
    forged[count_at..count_at + 4].copy_from_slice(&(MAX_ITEMS as u32 + 1).to_le_bytes());
    let e = Catalog::from_bytes(&forged).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutOfRange, "{e}");
}
