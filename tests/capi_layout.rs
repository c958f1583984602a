//! The records of the C API (`t_io`, `t_timeout`, `t_buffer`) and its codes
//! checked from C: tests/capi/layout.c is compiled against upstream's own
//! headers (from the source package `make deps` unpacks) and prints sizes,
//! offsets and values, which must equal the Rust `#[repr(C)]` definitions.
use luasocket::net::buffer::{Stats, Window, BUF_SIZE};
use luasocket::net::cbuffer::{CBuffer, CIo};
use luasocket::net::errors::{CLOSED, DONE, TIMEOUT, UNKNOWN};
use luasocket::net::sock::{INVALID, WAIT_C, WAIT_R, WAIT_W};
use luasocket::net::timeout::Timeout;
use std::mem::{align_of, offset_of, size_of};
use std::path::Path;
use std::process::Command;

fn lua_include() -> &'static str {
    if cfg!(feature = "lua51") {
        "/usr/include/lua5.1"
    } else if cfg!(feature = "lua52") {
        "/usr/include/lua5.2"
    } else if cfg!(feature = "lua53") {
        "/usr/include/lua5.3"
    } else if cfg!(feature = "lua54") {
        "/usr/include/lua5.4"
    } else {
        "/usr/include/luajit-2.1"
    }
}

/// Compiles and runs the C side; returns its `name value` lines.
fn c_facts() -> Vec<(String, i64)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let upstream = root.join(".cache/upstream/luasocket-3.1.0/src");
    assert!(
        upstream.join("buffer.h").is_file(),
        "upstream's headers are missing at {}: run `make deps`",
        upstream.display()
    );
    let exe = Path::new(env!("CARGO_TARGET_TMPDIR")).join("capi-layout");
    let cc = cc::Build::new()
        .cargo_metadata(false)
        .opt_level(0)
        .target(env!("LUASOCKET_TARGET"))
        .host(env!("LUASOCKET_TARGET"))
        .get_compiler();
    let out = cc
        .to_command()
        .arg("-std=c11")
        .arg("-Wall")
        .arg("-Werror")
        .arg("-I")
        .arg(&upstream)
        .arg("-I")
        .arg(lua_include())
        .arg(root.join("tests/capi/layout.c"))
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("the C compiler runs");
    assert!(
        out.status.success(),
        "layout.c does not compile:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = Command::new(&exe).output().expect("layout runs");
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
fn records_and_codes_match_upstreams_headers() {
    let buf = offset_of!(CBuffer, stats);
    let win = offset_of!(CBuffer, win);
    let rust: Vec<(&str, i64)> = vec![
        ("sizeof t_io", size_of::<CIo>() as i64),
        ("offsetof t_io.ctx", offset_of!(CIo, ctx) as i64),
        ("offsetof t_io.send", offset_of!(CIo, send) as i64),
        ("offsetof t_io.recv", offset_of!(CIo, recv) as i64),
        ("offsetof t_io.error", offset_of!(CIo, error) as i64),
        ("sizeof t_timeout", size_of::<Timeout>() as i64),
        (
            "offsetof t_timeout.block",
            offset_of!(Timeout, block) as i64,
        ),
        (
            "offsetof t_timeout.total",
            offset_of!(Timeout, total) as i64,
        ),
        (
            "offsetof t_timeout.start",
            offset_of!(Timeout, start) as i64,
        ),
        ("sizeof t_buffer", size_of::<CBuffer>() as i64),
        ("alignof t_buffer", align_of::<CBuffer>() as i64),
        (
            "offsetof t_buffer.birthday",
            (buf + offset_of!(Stats, birthday)) as i64,
        ),
        (
            "offsetof t_buffer.sent",
            (buf + offset_of!(Stats, sent)) as i64,
        ),
        (
            "offsetof t_buffer.received",
            (buf + offset_of!(Stats, received)) as i64,
        ),
        ("offsetof t_buffer.io", offset_of!(CBuffer, io) as i64),
        ("offsetof t_buffer.tm", offset_of!(CBuffer, tm) as i64),
        (
            "offsetof t_buffer.first",
            (win + offset_of!(Window, first)) as i64,
        ),
        (
            "offsetof t_buffer.last",
            (win + offset_of!(Window, last)) as i64,
        ),
        ("offsetof t_buffer.data", offset_of!(CBuffer, data) as i64),
        ("BUF_SIZE", BUF_SIZE as i64),
        ("sizeof t_socket", size_of::<std::os::raw::c_int>() as i64),
        ("SOCKET_INVALID", INVALID as i64),
        ("IO_DONE", DONE as i64),
        ("IO_TIMEOUT", TIMEOUT as i64),
        ("IO_CLOSED", CLOSED as i64),
        ("IO_UNKNOWN", UNKNOWN as i64),
        ("WAITFD_R", WAIT_R as i64),
        ("WAITFD_W", WAIT_W as i64),
        ("WAITFD_C", WAIT_C as i64),
    ];
    let c = c_facts();
    let names: Vec<&str> = c.iter().map(|(k, _)| k.as_str()).collect();
    let ours: Vec<&str> = rust.iter().map(|(k, _)| *k).collect();
    assert_eq!(names, ours, "the C file and this test list the same facts");
    for ((name, cv), (_, rv)) in c.iter().zip(&rust) {
        assert_eq!(cv, rv, "{name}: C says {cv}, Rust says {rv}");
    }
}
