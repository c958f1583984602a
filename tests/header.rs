//! The checked-in C header must be what cbindgen generates from src/entry.rs
//! now (`make header` refreshes it).
#[test]
fn checked_in_header_is_current() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/luasocket.h"));
    let checked_in = include_str!("../include/luasocket.h");
    assert!(
        generated == checked_in,
        "include/luasocket.h is stale: run `make header` and commit it"
    );
}
