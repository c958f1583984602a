//! The checked-in C headers must be what build.rs has cbindgen generate now
//! (`make header` refreshes them), and their version macros must be the
//! modules' `_VERSION`.
macro_rules! fresh {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!(env!("OUT_DIR"), "/", $name)),
            include_str!(concat!("../include/", $name)),
        )
    };
}

#[test]
fn checked_in_headers_are_current() {
    let headers = [
        fresh!("luasocket.h"),
        fresh!("mime.h"),
        fresh!("unix.h"),
        fresh!("lua-socket-serial.h"),
    ];
    for (name, generated, checked_in) in headers {
        assert!(
            generated == checked_in,
            "include/{name} is stale: run `make header` and commit it"
        );
    }
}

#[test]
fn version_macros_follow_the_modules() {
    let socket = include_str!("../include/luasocket.h");
    let mime = include_str!("../include/mime.h");
    let v = format!(
        "#define LUASOCKET_VERSION \"{}\"",
        luasocket::socket::VERSION
    );
    assert!(socket.contains(&v), "luasocket.h lacks {v}");
    let v = format!("#define MIME_VERSION \"{}\"", luasocket::mime::VERSION);
    assert!(mime.contains(&v), "mime.h lacks {v}");
}
