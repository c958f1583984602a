//! Generates the C headers with cbindgen (into OUT_DIR; `make header` copies
//! them to include/, and tests/header.rs fails when those copies are stale)
//! and, for `cargo test --features link-lua`, links the test binaries against
//! the matching system liblua.
//!
//! The headers replace LuaSocket's own, file for file, so a C program written
//! against upstream's (or Debian's /usr/include/lua5.X/) compiles unchanged:
//!
//! * `luasocket.h` — LUASOCKET_VERSION, LUASOCKET_COPYRIGHT, LUASOCKET_API and
//!   all four `luaopen_*` (the one header an embedding host needs);
//! * `mime.h` — MIME_VERSION, MIME_COPYRIGHT, MIME_AUTHORS;
//! * `unix.h`, `lua-socket-serial.h` — Debian's names for the unix and serial
//!   openers.
//!
//! Unlike the originals each compiles on its own: upstream's luasocket.h
//! includes a compat.h (hidden 5.1 helpers) and unix.h the C core's internal
//! headers (for `t_unix`), neither of which is an API a host can use.
//! The sub-headers include luasocket.h, which declares every opener.
use std::env;
use std::fs;
use std::path::{Path, PathBuf};

struct Header {
    file: &'static str,
    guard: &'static str,
    what: &'static str,
    sys_includes: &'static [&'static str],
    includes: &'static [&'static str],
    /// `#define`s after the includes (needs the versions read from src/).
    defines: fn(&Versions) -> String,
    /// Declares the functions of src/entry.rs (only luasocket.h does).
    functions: bool,
}

struct Versions {
    socket: String,
    mime: String,
}

const HEADERS: &[Header] = &[
    Header {
        file: "luasocket.h",
        guard: "LUASOCKET_H",
        what: "LuaSocket's luasocket.h: the socket.core, mime.core, socket.unix and socket.serial openers",
        sys_includes: &["lua.h", "lauxlib.h"],
        includes: &[],
        defines: |v| {
            format!(
                "/* socket.core's _VERSION */\n\
                 #define LUASOCKET_VERSION \"{}\"\n\
                 #define LUASOCKET_COPYRIGHT \"Copyright (C) 1999-2013 Diego Nehab\"\n\
                 \n\
                 /* Prefixes the exported functions, as in LuaSocket's luasocket.h. */\n\
                 #ifndef LUASOCKET_API\n\
                 #ifdef _WIN32\n\
                 #define LUASOCKET_API __declspec(dllexport)\n\
                 #else\n\
                 #define LUASOCKET_API __attribute__ ((visibility (\"default\")))\n\
                 #endif\n\
                 #endif",
                v.socket
            )
        },
        functions: true,
    },
    Header {
        file: "mime.h",
        guard: "MIME_H",
        what: "LuaSocket's mime.h (luaopen_mime_core is declared in luasocket.h)",
        sys_includes: &[],
        includes: &["luasocket.h"],
        defines: |v| {
            format!(
                "/* mime.core's _VERSION */\n\
                 #define MIME_VERSION \"{}\"\n\
                 #define MIME_COPYRIGHT \"Copyright (C) 2004-2013 Diego Nehab\"\n\
                 #define MIME_AUTHORS \"Diego Nehab\"",
                v.mime
            )
        },
        functions: false,
    },
    Header {
        file: "unix.h",
        guard: "UNIX_H",
        what: "LuaSocket's unix.h (luaopen_socket_unix is declared in luasocket.h; the C core's \
               internal t_unix is not an API)",
        sys_includes: &[],
        includes: &["luasocket.h"],
        defines: |_| String::new(),
        functions: false,
    },
    Header {
        file: "lua-socket-serial.h",
        guard: "LUA_SOCKET_SERIAL_H",
        what: "Debian's lua-socket-serial.h (luaopen_socket_serial is declared in luasocket.h)",
        sys_includes: &[],
        includes: &["luasocket.h"],
        defines: |_| String::new(),
        functions: false,
    },
];

/// The string of `pub const VERSION: &str = "...";` in a module of ours, so
/// the header's version macros follow the modules' `_VERSION`.
fn read_version(path: &Path) -> String {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = fs::read_to_string(path).expect("module source is readable");
    text.lines()
        .find_map(|l| l.trim().strip_prefix("pub const VERSION: &str = \""))
        .and_then(|rest| rest.strip_suffix("\";"))
        .unwrap_or_else(|| {
            panic!(
                "no `pub const VERSION: &str = \"...\";` in {}",
                path.display()
            )
        })
        .to_string()
}

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=src/entry.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    // the C-side checks in tests/ drive the `cc` crate outside a build script
    println!(
        "cargo:rustc-env=LUASOCKET_TARGET={}",
        env::var("TARGET").unwrap()
    );
    let versions = Versions {
        socket: read_version(&crate_dir.join("src/socket/mod.rs")),
        mime: read_version(&crate_dir.join("src/mime/mod.rs")),
    };
    let base = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is valid");
    for h in HEADERS {
        let mut config = base.clone();
        // The guard and C++ linkage are written here rather than by cbindgen's
        // include_guard/cpp_compat, whose `//` comments are not C89.
        config.header = Some(format!(
            "/* luasocket-rs: replaces {}.\n \
             * Generated by cbindgen from src/entry.rs (see build.rs); do not edit. */\n\n\
             #ifndef {g}\n#define {g}",
            h.what,
            g = h.guard
        ));
        config.sys_includes = h.sys_includes.iter().map(|s| s.to_string()).collect();
        config.includes = h.includes.iter().map(|s| s.to_string()).collect();
        let mut after = (h.defines)(&versions);
        let mut trailer = String::new();
        if h.functions {
            after.push_str("\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif");
            trailer.push_str("#ifdef __cplusplus\n}\n#endif\n\n");
        } else {
            // entry.rs has no constants: nothing below the defines.
            config.export.item_types = vec![cbindgen::ItemType::Constants];
        }
        trailer.push_str(&format!("#endif /* {} */", h.guard));
        config.after_includes = (!after.is_empty()).then(|| format!("\n{after}"));
        config.trailer = Some(trailer);
        cbindgen::Builder::new()
            .with_src(crate_dir.join("src/entry.rs"))
            .with_config(config)
            .generate()
            .expect("cbindgen generates the header")
            .write_to_file(out_dir.join(h.file));
    }

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
