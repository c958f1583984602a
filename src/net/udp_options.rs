//! UDP socket options (udp.c's `optget`/`optset` over options.c). The
//! plain boolean/int/error options reuse [`super::options`]; the address
//! and membership options, whose values are not ints, live here.
use super::options::{Kind, Opt};
use super::sock::{self, Fd};
use libc::{IPPROTO_IP, IPPROTO_IPV6, SOL_SOCKET};

const fn o(name: &'static str, kind: Kind, level: i32, opt: i32) -> Opt {
    Opt {
        name,
        kind,
        level,
        opt,
    }
}

/// The options with a non-int value, found before the tables below.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Special {
    /// `ip-multicast-if` (get and set): an IPv4 address
    MulticastIf,
    /// `ip-add-membership` / `ip-drop-membership` (set): `{multiaddr, interface}`
    Membership(i32),
    /// `ipv6-add-membership` / `ipv6-drop-membership` (set)
    Membership6(i32),
}

pub fn special_get(name: &[u8]) -> Option<Special> {
    (cut(name) == b"ip-multicast-if").then_some(Special::MulticastIf)
}

pub fn special_set(name: &[u8]) -> Option<Special> {
    Some(match cut(name) {
        b"ip-multicast-if" => Special::MulticastIf,
        b"ip-add-membership" => Special::Membership(libc::IP_ADD_MEMBERSHIP),
        b"ip-drop-membership" => Special::Membership(libc::IP_DROP_MEMBERSHIP),
        b"ipv6-add-membership" => Special::Membership6(libc::IPV6_ADD_MEMBERSHIP),
        b"ipv6-drop-membership" => Special::Membership6(libc::IPV6_DROP_MEMBERSHIP),
        _ => return None,
    })
}

/// The name as the C string it is (up to the first NUL).
fn cut(name: &[u8]) -> &[u8] {
    name.iter()
        .position(|&b| b == 0)
        .map_or(name, |p| &name[..p])
}

use Kind::*;

/// udp.c's `optget` minus `ip-multicast-if`. `ipv6-multicast-hops` reads
/// IPV6_UNICAST_HOPS: the C core's table points it at the unicast handler.
pub const UDP_GET: &[Opt] = &[
    o("dontroute", Bool, SOL_SOCKET, libc::SO_DONTROUTE),
    o("broadcast", Bool, SOL_SOCKET, libc::SO_BROADCAST),
    o("reuseaddr", Bool, SOL_SOCKET, libc::SO_REUSEADDR),
    o("reuseport", Bool, SOL_SOCKET, libc::SO_REUSEPORT),
    o(
        "ip-multicast-loop",
        Bool,
        IPPROTO_IP,
        libc::IP_MULTICAST_LOOP,
    ),
    o("error", Error, SOL_SOCKET, libc::SO_ERROR),
    o(
        "ipv6-unicast-hops",
        Int,
        IPPROTO_IPV6,
        libc::IPV6_UNICAST_HOPS,
    ),
    o(
        "ipv6-multicast-hops",
        Int,
        IPPROTO_IPV6,
        libc::IPV6_UNICAST_HOPS,
    ),
    o(
        "ipv6-multicast-loop",
        Bool,
        IPPROTO_IPV6,
        libc::IPV6_MULTICAST_LOOP,
    ),
    o("ipv6-v6only", Bool, IPPROTO_IPV6, libc::IPV6_V6ONLY),
    o("recv-buffer-size", Int, SOL_SOCKET, libc::SO_RCVBUF),
    o("send-buffer-size", Int, SOL_SOCKET, libc::SO_SNDBUF),
];

/// udp.c's `optset` minus the [`Special`] ones (same IPV6_UNICAST_HOPS bug).
pub const UDP_SET: &[Opt] = &[
    o("dontroute", Bool, SOL_SOCKET, libc::SO_DONTROUTE),
    o("broadcast", Bool, SOL_SOCKET, libc::SO_BROADCAST),
    o("reuseaddr", Bool, SOL_SOCKET, libc::SO_REUSEADDR),
    o("reuseport", Bool, SOL_SOCKET, libc::SO_REUSEPORT),
    o("ip-multicast-ttl", Int, IPPROTO_IP, libc::IP_MULTICAST_TTL),
    o(
        "ip-multicast-loop",
        Bool,
        IPPROTO_IP,
        libc::IP_MULTICAST_LOOP,
    ),
    o(
        "ipv6-unicast-hops",
        Int,
        IPPROTO_IPV6,
        libc::IPV6_UNICAST_HOPS,
    ),
    o(
        "ipv6-multicast-hops",
        Int,
        IPPROTO_IPV6,
        libc::IPV6_UNICAST_HOPS,
    ),
    o(
        "ipv6-multicast-loop",
        Bool,
        IPPROTO_IPV6,
        libc::IPV6_MULTICAST_LOOP,
    ),
    o("ipv6-v6only", Bool, IPPROTO_IPV6, libc::IPV6_V6ONLY),
    o("recv-buffer-size", Int, SOL_SOCKET, libc::SO_RCVBUF),
    o("send-buffer-size", Int, SOL_SOCKET, libc::SO_SNDBUF),
];

/// getsockopt(IP_MULTICAST_IF) as an address in network order.
pub fn get_multicast_if(fd: Fd) -> Option<libc::in_addr> {
    let mut a = libc::in_addr { s_addr: 0 };
    sock::get_raw(fd, IPPROTO_IP, libc::IP_MULTICAST_IF, &mut a).then_some(a)
}

/// setsockopt(IP_MULTICAST_IF).
pub fn set_multicast_if(fd: Fd, a: libc::in_addr) -> bool {
    sock::set_raw(fd, IPPROTO_IP, libc::IP_MULTICAST_IF, &a)
}

/// IP_ADD/DROP_MEMBERSHIP with a `struct ip_mreq`.
pub fn set_membership(fd: Fd, name: i32, group: libc::in_addr, iface: libc::in_addr) -> bool {
    let m = libc::ip_mreq {
        imr_multiaddr: group,
        imr_interface: iface,
    };
    sock::set_raw(fd, IPPROTO_IP, name, &m)
}

/// IPV6_ADD/DROP_MEMBERSHIP with a `struct ipv6_mreq`.
pub fn set_membership6(fd: Fd, name: i32, group: libc::in6_addr, ifindex: u32) -> bool {
    let m = libc::ipv6_mreq {
        ipv6mr_multiaddr: group,
        ipv6mr_interface: ifindex,
    };
    sock::set_raw(fd, IPPROTO_IPV6, name, &m)
}

extern "C" {
    // glibc exports it; the libc crate does not declare it.
    fn inet_pton(af: libc::c_int, src: *const libc::c_char, dst: *mut libc::c_void) -> libc::c_int;
}

/// `inet_pton(AF_INET6, text)`.
pub fn parse_ipv6(s: &std::ffi::CStr) -> Option<libc::in6_addr> {
    let mut a = libc::in6_addr { s6_addr: [0; 16] };
    // SAFETY: NUL-terminated input; `a` is 16 writable bytes.
    (unsafe {
        inet_pton(
            libc::AF_INET6,
            s.as_ptr(),
            &mut a as *mut _ as *mut libc::c_void,
        )
    } == 1)
        .then_some(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::options::{find, get, set, SetValue, Value};

    #[test]
    fn tables() {
        assert!(find(UDP_GET, b"ip-multicast-ttl").is_none());
        assert!(find(UDP_GET, b"linger").is_none());
        assert!(find(UDP_SET, b"error").is_none());
        assert_eq!(
            find(UDP_GET, b"ipv6-multicast-hops").unwrap().opt,
            libc::IPV6_UNICAST_HOPS
        );
        assert_eq!(
            special_get(b"ip-multicast-if\0x"),
            Some(Special::MulticastIf)
        );
        assert_eq!(special_get(b"ip-add-membership"), None);
        assert_eq!(
            special_set(b"ipv6-drop-membership"),
            Some(Special::Membership6(libc::IPV6_DROP_MEMBERSHIP))
        );
        for t in [UDP_GET, UDP_SET] {
            for opt in t {
                assert!(
                    special_set(opt.name.as_bytes()).is_none()
                        && special_get(opt.name.as_bytes()).is_none()
                );
            }
        }
    }

    #[test]
    fn multicast_calls() {
        let mut fd = sock::create(libc::AF_INET, libc::SOCK_DGRAM, 0).unwrap();
        assert_eq!(get_multicast_if(fd).unwrap().s_addr, 0);
        let lo = libc::in_addr {
            s_addr: u32::from_ne_bytes([127, 0, 0, 1]),
        };
        assert!(set_multicast_if(fd, lo));
        assert_eq!(get_multicast_if(fd).unwrap().s_addr, lo.s_addr);
        let group = libc::in_addr {
            s_addr: u32::from_ne_bytes([239, 255, 0, 9]),
        };
        // dropping what was never joined fails
        assert!(!set_membership(fd, libc::IP_DROP_MEMBERSHIP, group, lo));
        let hops = find(UDP_SET, b"ipv6-unicast-hops").unwrap();
        assert!(!set(fd, hops, SetValue::Int(5)));
        assert_eq!(
            get(fd, find(UDP_GET, b"broadcast").unwrap()),
            Some(Value::Bool(false))
        );
        sock::destroy(&mut fd);
        assert!(get_multicast_if(fd).is_none());
        assert!(parse_ipv6(c"ff02::1").is_some());
        assert!(parse_ipv6(c"239.1.1.1").is_none());
    }
}
