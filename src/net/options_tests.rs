use super::*;
use crate::net::sock::INVALID;

fn getter(table: &'static [Opt], name: &str) -> Get {
    find(table, name.as_bytes()).and_then(|o| o.get).unwrap()
}

fn setter(table: &'static [Opt], name: &str) -> Set {
    find(table, name.as_bytes()).and_then(|o| o.set).unwrap()
}

fn set_int_opt(fd: Fd, table: &'static [Opt], name: &str, v: i32) -> Result<()> {
    match setter(table, name) {
        Set::Int(f) => set_value(fd, SetValue::Int(f, v)),
        _ => panic!("{name} is no int option"),
    }
}

fn set_bool_opt(fd: Fd, table: &'static [Opt], name: &str, v: bool) -> Result<()> {
    match setter(table, name) {
        Set::Bool(f) => set_value(fd, SetValue::Bool(f, v)),
        _ => panic!("{name} is no boolean option"),
    }
}

/// Each table as the C core's optget/optset lists name it.
#[test]
fn tables() {
    let names = |t: &'static [Opt], get: bool| -> Vec<&str> {
        t.iter()
            .filter(|o| {
                if get {
                    o.get.is_some()
                } else {
                    o.set.is_some()
                }
            })
            .map(|o| o.name)
            .collect()
    };
    let mut tcp_get = names(TCP, true);
    tcp_get.sort();
    assert_eq!(
        tcp_get,
        [
            "error",
            "keepalive",
            "linger",
            "recv-buffer-size",
            "reuseaddr",
            "reuseport",
            "send-buffer-size",
            "tcp-keepcnt",
            "tcp-keepidle",
            "tcp-keepintvl",
            "tcp-nodelay"
        ]
    );
    assert_eq!(names(TCP, false).len(), 14);
    assert!(!names(TCP, false).contains(&"error"));
    assert!(names(TCP, false).contains(&"ipv6-v6only"));
    let udp_get = names(UDP, true);
    assert_eq!(udp_get.len(), 13);
    assert!(!udp_get.contains(&"ip-multicast-ttl") && !udp_get.contains(&"linger"));
    assert_eq!(names(UDP, false).len(), 17);
    assert!(!names(UDP, false).contains(&"error"));
    assert_eq!(
        names(UNIX_STREAM, false),
        ["keepalive", "reuseaddr", "linger"]
    );
    assert!(names(UNIX_STREAM, true).is_empty());
    assert_eq!(names(UNIX_DGRAM, false), ["reuseaddr"]);
    for t in [TCP, UDP, UNIX_STREAM, UNIX_DGRAM] {
        for (i, o) in t.iter().enumerate() {
            assert!(t[..i].iter().all(|p| p.name != o.name), "{} twice", o.name);
        }
    }
}

#[test]
fn lookup() {
    assert!(find(TCP, b"bindtodevice").is_none());
    assert!(find(TCP, b"ipv6-v6only").unwrap().get.is_none());
    assert!(matches!(
        find(TCP, b"linger").unwrap().set,
        Some(Set::Linger)
    ));
    assert!(matches!(
        find(TCP, b"error\0junk").unwrap().get,
        Some(Get::Error)
    ));
    assert!(find(TCP, b"").is_none());
    assert!(matches!(
        find(UDP, b"ip-multicast-if\0x").unwrap().get,
        Some(Get::MulticastIf)
    ));
    assert!(matches!(
        find(UDP, b"ipv6-drop-membership").unwrap().set,
        Some(Set::Membership6(false))
    ));
}

#[test]
fn tcp_roundtrip() {
    let mut fd = sock::create(libc::AF_INET, libc::SOCK_STREAM, 0).unwrap();
    assert_eq!(set_bool_opt(fd, TCP, "tcp-nodelay", true), Ok(()));
    assert_eq!(get(fd, getter(TCP, "tcp-nodelay")), Ok(Value::Bool(true)));
    assert_eq!(set_value(fd, SetValue::Linger(1, 4464)), Ok(()));
    // off keeps the kernel's timeout, which reads back (socket2 loses it)
    assert_eq!(set_value(fd, SetValue::Linger(0, 7)), Ok(()));
    assert_eq!(
        get(fd, Get::Linger),
        Ok(Value::Linger {
            on: false,
            timeout: 4464
        })
    );
    assert_eq!(set_int_opt(fd, TCP, "tcp-keepidle", 33), Ok(()));
    assert_eq!(get(fd, getter(TCP, "tcp-keepidle")), Ok(Value::Int(33)));
    // setting the idle time leaves SO_KEEPALIVE alone, as the C core does
    assert_eq!(get(fd, getter(TCP, "keepalive")), Ok(Value::Bool(false)));
    assert_eq!(
        set_int_opt(fd, TCP, "tcp-keepidle", -1),
        Err(Code::Errno(libc::EINVAL))
    );
    assert_eq!(set_int_opt(fd, TCP, "recv-buffer-size", 4096), Ok(()));
    // the kernel doubles what it was given
    assert_eq!(
        get(fd, getter(TCP, "recv-buffer-size")),
        Ok(Value::Int(8192))
    );
    assert_eq!(get(fd, Get::Error), Ok(Value::Error(None)));
    assert!(set_bool_opt(fd, TCP, "ipv6-v6only", true).is_err());
    sock::destroy(&mut fd);
    assert_eq!(
        get(INVALID, getter(TCP, "tcp-nodelay")),
        Err(Code::Errno(libc::EBADF))
    );
    assert!(get(fd, Get::Linger).is_err());
}

#[test]
fn udp_calls() {
    let mut fd = sock::create(libc::AF_INET, libc::SOCK_DGRAM, 0).unwrap();
    assert_eq!(
        get(fd, Get::MulticastIf),
        Ok(Value::Addr(Ipv4Addr::UNSPECIFIED))
    );
    let lo = Ipv4Addr::LOCALHOST;
    assert_eq!(set_value(fd, SetValue::MulticastIf(lo)), Ok(()));
    assert_eq!(get(fd, Get::MulticastIf), Ok(Value::Addr(lo)));
    // dropping what was never joined fails
    let leave = SetValue::Membership {
        join: false,
        group: Ipv4Addr::new(239, 255, 0, 9),
        iface: lo,
    };
    assert!(set_value(fd, leave).is_err());
    assert!(set_int_opt(fd, UDP, "ipv6-unicast-hops", 5).is_err());
    assert_eq!(set_bool_opt(fd, UDP, "dontroute", true), Ok(()));
    assert_eq!(get(fd, getter(UDP, "dontroute")), Ok(Value::Bool(true)));
    assert_eq!(get(fd, getter(UDP, "broadcast")), Ok(Value::Bool(false)));
    assert_eq!(set_int_opt(fd, UDP, "ip-multicast-ttl", 3), Ok(()));
    sock::destroy(&mut fd);
    let mut fd6 = sock::create(libc::AF_INET6, libc::SOCK_DGRAM, 0).unwrap();
    assert_eq!(set_int_opt(fd6, UDP, "ipv6-multicast-hops", 7), Ok(()));
    assert_eq!(
        get(fd6, getter(UDP, "ipv6-unicast-hops")),
        Ok(Value::Int(7))
    );
    assert_eq!(get(fd6, getter(UDP, "ipv6-v6only")), Ok(Value::Bool(true)));
    sock::destroy(&mut fd6);
}
