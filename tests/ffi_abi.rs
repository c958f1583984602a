//! The hand-written Lua C API of src/lua/ffi/ checked against the real headers
//! of the ABI this test is built for (`cargo test --features luaXX,link-lua`;
//! the feature makes the declarations public to this test):
//!
//! * constants, pseudo-indices and the size and kind of the number types:
//!   tests/ffi/consts.c, compiled with the `cc` crate against
//!   /usr/include/lua5.X (or luajit-2.1), prints them; every line must equal
//!   the Rust value;
//! * signatures: every function of an `extern` block and every function
//!   pointer type in src/lua/ffi/ (as selected for this ABI by the `cfg`s of
//!   mod.rs and of each item) is translated into a C type and
//!   `_Static_assert`ed compatible with what the header declares, so a wrong
//!   parameter or return type fails to compile.
#![cfg(feature = "link-lua")]

use luasocket::lua::ffi::*;
use std::fmt::Write as _;
use std::mem::size_of;
use std::path::Path;
use std::process::Command;

fn feature() -> &'static str {
    if cfg!(feature = "lua51") {
        "lua51"
    } else if cfg!(feature = "lua52") {
        "lua52"
    } else if cfg!(feature = "lua53") {
        "lua53"
    } else if cfg!(feature = "lua54") {
        "lua54"
    } else {
        "luajit"
    }
}

/// The header directory and the `LUA_VERSION_NUM` it must define.
fn headers() -> (&'static str, i64) {
    match feature() {
        "lua51" => ("/usr/include/lua5.1", 501),
        "lua52" => ("/usr/include/lua5.2", 502),
        "lua53" => ("/usr/include/lua5.3", 503),
        "lua54" => ("/usr/include/lua5.4", 504),
        _ => ("/usr/include/luajit-2.1", 501),
    }
}

/// The C compiler `cc` picks for the target this test is built for, with the
/// flags both checks share.
fn compiler() -> Command {
    let (include, _) = headers();
    assert!(
        Path::new(include).join("lua.h").is_file(),
        "{include}/lua.h is missing: run `make deps`"
    );
    let mut cmd = cc::Build::new()
        .cargo_metadata(false)
        .opt_level(0)
        .target(env!("LUASOCKET_TARGET"))
        .host(env!("LUASOCKET_TARGET"))
        .get_compiler()
        .to_command();
    cmd.args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-I", include]);
    cmd
}

fn compile(cmd: &mut Command, what: &str) {
    let out = cmd.output().expect("the C compiler runs");
    assert!(
        out.status.success(),
        "{what} does not compile:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---- constants --------------------------------------------------------------

/// 2 for a floating type, 1 for a signed integer, 0 for an unsigned one (as
/// consts.c's `KIND`).
trait Kind {
    const KIND: i64;
}
macro_rules! kind {
    ($k:expr => $($t:ty),*) => { $(impl Kind for $t { const KIND: i64 = $k; })* };
}
kind!(2 => f32, f64);
kind!(1 => i8, i16, i32, i64, isize);
kind!(0 => u8, u16, u32, u64, usize);

fn facts<N: Kind, I: Kind>() -> Vec<(&'static str, i64)> {
    let mut v: Vec<(&str, i64)> = vec![
        ("LUA_VERSION_NUM", LUA_VERSION_NUM as i64),
        ("LUA_REGISTRYINDEX", LUA_REGISTRYINDEX as i64),
    ];
    #[cfg(any(feature = "lua51", feature = "luajit"))]
    v.push(("LUA_GLOBALSINDEX", LUA_GLOBALSINDEX as i64));
    v.extend([
        ("lua_upvalueindex(1)", lua_upvalueindex(1) as i64),
        ("lua_upvalueindex(2)", lua_upvalueindex(2) as i64),
        ("lua_upvalueindex(3)", lua_upvalueindex(3) as i64),
        ("LUA_MULTRET", LUA_MULTRET as i64),
        ("LUA_OK", LUA_OK as i64),
        ("LUA_YIELD", LUA_YIELD as i64),
        ("LUA_TNONE", LUA_TNONE as i64),
        ("LUA_TNIL", LUA_TNIL as i64),
        ("LUA_TBOOLEAN", LUA_TBOOLEAN as i64),
        ("LUA_TLIGHTUSERDATA", LUA_TLIGHTUSERDATA as i64),
        ("LUA_TNUMBER", LUA_TNUMBER as i64),
        ("LUA_TSTRING", LUA_TSTRING as i64),
        ("LUA_TTABLE", LUA_TTABLE as i64),
        ("LUA_TFUNCTION", LUA_TFUNCTION as i64),
        ("LUA_TUSERDATA", LUA_TUSERDATA as i64),
        ("sizeof lua_Number", size_of::<N>() as i64),
        ("kind lua_Number", N::KIND),
        ("sizeof lua_Integer", size_of::<I>() as i64),
        ("kind lua_Integer", I::KIND),
    ]);
    #[cfg(any(feature = "lua53", feature = "lua54"))]
    v.extend([
        ("sizeof lua_KContext", size_of::<lua_KContext>() as i64),
        ("kind lua_KContext", <lua_KContext as Kind>::KIND),
    ]);
    #[cfg(feature = "lua54")]
    v.extend([
        ("sizeof lua_Unsigned", size_of::<lua_Unsigned>() as i64),
        ("kind lua_Unsigned", <lua_Unsigned as Kind>::KIND),
    ]);
    v
}

/// Compiles and runs tests/ffi/consts.c; returns its `name value` lines.
fn c_facts() -> Vec<(String, i64)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let exe = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ffi-consts");
    compile(
        compiler()
            .arg(root.join("tests/ffi/consts.c"))
            .arg("-o")
            .arg(&exe),
        "tests/ffi/consts.c",
    );
    let run = Command::new(&exe).output().expect("ffi-consts runs");
    assert!(run.status.success());
    String::from_utf8(run.stdout)
        .expect("ascii")
        .lines()
        .map(|l| {
            let (k, v) = l.rsplit_once(' ').expect("name value");
            (k.to_string(), v.parse().expect("a number"))
        })
        .collect()
}

#[test]
fn constants_match_the_headers() {
    assert_eq!(
        LUA_VERSION_NUM as i64,
        headers().1,
        "this test reads the headers of another Lua version"
    );
    let rust = facts::<lua_Number, lua_Integer>();
    let c = c_facts();
    let names: Vec<&str> = c.iter().map(|(k, _)| k.as_str()).collect();
    let ours: Vec<&str> = rust.iter().map(|(k, _)| *k).collect();
    assert_eq!(names, ours, "consts.c and this test list the same facts");
    for ((name, cv), (_, rv)) in c.iter().zip(&rust) {
        assert_eq!(
            cv, rv,
            "{name}: the header says {cv}, src/lua/ffi says {rv}"
        );
    }
}

// ---- signatures -------------------------------------------------------------

/// `#[cfg(...)]` predicates as written in src/lua/ffi (feature, any, all, not).
fn cfg_holds(pred: &str) -> bool {
    let pred = pred.trim();
    if let Some(name) = pred.strip_prefix("feature") {
        let name = name.trim().strip_prefix('=').expect("feature = \"...\"");
        return name.trim().trim_matches('"') == feature();
    }
    let (op, rest) = pred.split_once('(').unwrap_or_else(|| panic!("cfg {pred}"));
    let inner = rest.strip_suffix(')').expect("balanced cfg");
    let args = split_top(inner);
    match op.trim() {
        "any" => args.iter().any(|a| cfg_holds(a)),
        "all" => args.iter().all(|a| cfg_holds(a)),
        "not" => !cfg_holds(&args[0]),
        other => panic!("cfg predicate {other}(...) is not understood here: extend cfg_holds"),
    }
}

/// Splits on the commas outside any (), <> or "".
fn split_top(s: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth, mut quoted) = (Vec::new(), String::new(), 0, false);
    for ch in s.chars() {
        match ch {
            '"' => quoted = !quoted,
            '(' | '<' if !quoted => depth += 1,
            ')' | '>' if !quoted && !cur.ends_with('-') => depth -= 1,
            ',' if depth == 0 && !quoted => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(ch);
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out.into_iter().map(|a| a.trim().to_string()).collect()
}

/// A Rust FFI type as C spells it. The Lua typedefs keep their names (their
/// sizes and kinds are checked by the constants test).
fn c_type(rust: &str) -> String {
    let t = rust.trim();
    if let Some(p) = t.strip_prefix("*mut ") {
        return format!("{} *", c_type(p));
    }
    if let Some(p) = t.strip_prefix("*const ") {
        let inner = c_type(p);
        return if inner.ends_with('*') {
            format!("{inner} const *")
        } else {
            format!("const {inner} *")
        };
    }
    // a nullable function pointer has the function pointer's ABI
    if let Some(f) = t.strip_prefix("Option<").and_then(|r| r.strip_suffix('>')) {
        return c_type(f);
    }
    match t.rsplit("::").next().unwrap_or(t) {
        "c_int" => "int".into(),
        "c_char" => "char".into(),
        "c_void" => "void".into(),
        "usize" => "size_t".into(),
        "()" => "void".into(),
        name @ ("lua_State" | "lua_Number" | "lua_Integer" | "lua_CFunction" | "lua_Alloc"
        | "lua_KContext" | "lua_KFunction" | "lua_Unsigned") => name.into(),
        other => panic!("no C spelling for the Rust type `{other}`: extend c_type()"),
    }
}

/// `fn(a: A, b: B, ...) -> R` (after the `fn`) as the C type `R (*)(A, B, ...)`.
fn c_fn_pointer(sig: &str) -> String {
    let open = sig.find('(').expect("a parameter list");
    let close = sig.rfind(')').expect("a parameter list");
    let params: Vec<String> = split_top(&sig[open + 1..close])
        .iter()
        .map(|p| match p.split_once(':') {
            Some((_, ty)) => c_type(ty),
            None if p == "..." => "...".into(),
            None => panic!("parameter `{p}`"),
        })
        .collect();
    let ret = match sig[close + 1..].trim().trim_end_matches(';').trim() {
        "" => "void".to_string(),
        r => c_type(r.strip_prefix("->").expect("-> R")),
    };
    let params = if params.is_empty() {
        "void".to_string()
    } else {
        params.join(", ")
    };
    format!("{ret} (*)({params})")
}

/// One C-side check: the C expression (a function's address or a typedef
/// name), the C type our declaration amounts to, and where it is declared.
struct Decl {
    c_name: String,
    is_type: bool,
    c_type: String,
    file: String,
}

/// Reads the extern blocks and function pointer types of one file.
fn read_decls(file: &Path, out: &mut Vec<Decl>) {
    let text = std::fs::read_to_string(file).expect("readable");
    let rel = file
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(file)
        .display()
        .to_string();
    let (mut in_extern, mut attrs, mut item) = (false, Vec::<&str>::new(), String::new());
    for l in text.lines().map(str::trim) {
        if item.is_empty() {
            if l.is_empty() || l.starts_with("//") {
                continue;
            }
            if l.starts_with("#[") {
                attrs.push(l);
                continue;
            }
            if l.ends_with("extern \"C-unwind\" {") || l.ends_with("extern \"C\" {") {
                (in_extern, attrs) = (true, Vec::new());
                continue;
            }
            if in_extern && l == "}" {
                in_extern = false;
                continue;
            }
            if !in_extern && !l.starts_with("pub type ") {
                attrs.clear();
                continue;
            }
        }
        // an item of an extern block, or a type alias, up to its `;`
        item.push_str(l);
        item.push(' ');
        if !l.ends_with(';') {
            continue;
        }
        let decl = std::mem::take(&mut item);
        let attrs = std::mem::take(&mut attrs);
        let active = attrs
            .iter()
            .filter_map(|a| a.strip_prefix("#[cfg(")?.strip_suffix(")]"))
            .all(cfg_holds);
        if !active {
            continue;
        }
        let decl = decl.trim();
        if in_extern {
            let rest = decl
                .trim_start_matches("pub ")
                .strip_prefix("fn ")
                .unwrap_or_else(|| panic!("{rel}: not a function declaration: {decl}"));
            let name = &rest[..rest.find('(').expect("(")];
            let link_name = attrs
                .iter()
                .find_map(|a| a.strip_prefix("#[link_name = \"")?.strip_suffix("\"]"));
            out.push(Decl {
                c_name: link_name.unwrap_or(name).to_string(),
                is_type: false,
                c_type: c_fn_pointer(rest),
                file: rel.clone(),
            });
        } else {
            let (name, rhs) = decl["pub type ".len()..]
                .split_once('=')
                .expect("type X = ");
            // function pointer types only; the number types are the constants' business
            if let Some(at) = rhs.find("fn(") {
                out.push(Decl {
                    c_name: name.trim().to_string(),
                    is_type: true,
                    c_type: c_fn_pointer(&rhs[at + 2..]),
                    file: rel.clone(),
                });
            }
        }
    }
    assert!(item.is_empty(), "{rel}: unterminated declaration {item}");
}

/// The files mod.rs compiles for this ABI: itself and each `mod x;` whose
/// `cfg` holds.
fn ffi_files() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lua/ffi");
    let text = std::fs::read_to_string(dir.join("mod.rs")).expect("mod.rs");
    let (mut files, mut cfgs) = (vec![dir.join("mod.rs")], Vec::<String>::new());
    for l in text.lines().map(str::trim) {
        if let Some(c) = l.strip_prefix("#[cfg(").and_then(|c| c.strip_suffix(")]")) {
            cfgs.push(c.to_string());
            continue;
        }
        if let Some(m) = l.strip_prefix("mod ").and_then(|m| m.strip_suffix(';')) {
            if cfgs.iter().all(|c| cfg_holds(c)) {
                files.push(dir.join(format!("{m}.rs")));
            }
        }
        if !l.starts_with("#[") && !l.is_empty() {
            cfgs.clear();
        }
    }
    files
}

fn decls() -> Vec<Decl> {
    let mut decls = Vec::new();
    for f in ffi_files() {
        read_decls(&f, &mut decls);
    }
    decls
}

#[test]
fn declarations_match_the_headers() {
    let decls = decls();
    for must in [
        "lua_gettop",
        "luaL_error",
        "lua_pushlstring",
        "lua_CFunction",
    ] {
        assert!(
            decls.iter().any(|d| d.c_name == must),
            "{must} was not found: the reader of src/lua/ffi lost track"
        );
    }
    let mut c = String::from(
        "/* generated by tests/ffi_abi.rs from src/lua/ffi: each line is one Rust declaration */\n\
         #include <stddef.h>\n#include \"lua.h\"\n#include \"lauxlib.h\"\n",
    );
    for d in &decls {
        let what = if d.is_type {
            d.c_name.clone()
        } else {
            format!("__typeof__(&{})", d.c_name)
        };
        writeln!(
            c,
            "_Static_assert(__builtin_types_compatible_p({what}, {ty}), \
             \"{name}: the header differs from {file}'s {ty}\");",
            name = d.c_name,
            ty = d.c_type,
            file = d.file
        )
        .unwrap();
    }
    let src = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("ffi-sigs-{}.c", feature()));
    std::fs::write(&src, &c).expect("writable");
    compile(
        compiler().arg("-fsyntax-only").arg(&src),
        &format!("{} (the declarations as C)", src.display()),
    );
    eprintln!("{} declarations checked against the headers", decls.len());
}

#[test]
fn the_reader_translates_rust_declarations() {
    assert_eq!(
        c_fn_pointer("(L: *mut lua_State, idx: c_int, len: *mut usize) -> *const c_char;"),
        "const char * (*)(lua_State *, int, size_t *)"
    );
    assert_eq!(
        c_fn_pointer("(L: *mut lua_State, a: c_int, lst: *const *const c_char) -> c_int"),
        "int (*)(lua_State *, int, const char * const *)"
    );
    assert_eq!(
        c_fn_pointer("(L: *mut lua_State, fmt: *const c_char, ...) -> c_int"),
        "int (*)(lua_State *, const char *, ...)"
    );
    assert_eq!(
        c_fn_pointer("(L: *mut lua_State, k: Option<lua_CFunction>)"),
        "void (*)(lua_State *, lua_CFunction)"
    );
    assert!(cfg_holds(&format!(
        "any(feature = \"x\", feature = \"{}\")",
        feature()
    )));
    assert!(!cfg_holds(&format!("not(feature = \"{}\")", feature())));
}
