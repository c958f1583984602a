//! Generates the C header (into OUT_DIR; `make header` copies it to include/)
//! and, for `cargo test --features link-lua`, links the test binaries against
//! the matching system liblua.
use std::env;
use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("luasocket.h");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    // the C-side checks in tests/ drive the `cc` crate outside a build script
    println!(
        "cargo:rustc-env=LUASOCKET_TARGET={}",
        env::var("TARGET").unwrap()
    );
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is valid");
    cbindgen::Builder::new()
        .with_src(crate_dir.join("src/entry.rs"))
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write_to_file(&out);

    if env::var_os("CARGO_FEATURE_LINK_LUA").is_some() {
        let lib = if env::var_os("CARGO_FEATURE_LUA51").is_some() {
            "lua5.1"
        } else if env::var_os("CARGO_FEATURE_LUA52").is_some() {
            "lua5.2"
        } else if env::var_os("CARGO_FEATURE_LUA53").is_some() {
            "lua5.3"
        } else if env::var_os("CARGO_FEATURE_LUA54").is_some() {
            "lua5.4"
        } else {
            "luajit-5.1"
        };
        println!("cargo:rustc-link-lib=dylib={lib}");
    }
}
