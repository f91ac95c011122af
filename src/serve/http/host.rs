//! The Host check against DNS rebinding: a web page on another site can point its own name at
//! 127.0.0.1 and then read the preview as its own origin; the browser still sends that name
//! as Host. Only names that mean this server are answered.

use std::net::{IpAddr, SocketAddr};

/// Whether a Host header names this server, bound at `bound`: `localhost`, `127.0.0.1`,
/// `[::1]` or the bound address, without a port or with the bound one. Bound to every
/// address (`--bind 0.0.0.0`), any IP address is taken: a page can only send an address as
/// Host when it was loaded from that address, so none of those is another site's name.
pub fn is_ours(host: &str, bound: SocketAddr) -> bool {
    let host = host.to_ascii_lowercase();
    let (name, port) = match host.rsplit_once(':') {
        // The colons of "[::1]" are not a port's.
        Some((name, port)) if !port.ends_with(']') => (name, Some(port)),
        _ => (host.as_str(), None),
    };
    if port.is_some_and(|port| port.parse::<u16>().ok() != Some(bound.port())) {
        return false;
    }
    if name == "localhost" {
        return true;
    }
    let address = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<IpAddr>().ok().filter(IpAddr::is_ipv6),
        None => name.parse::<IpAddr>().ok().filter(IpAddr::is_ipv4),
    };
    address.is_some_and(|address| {
        address == IpAddr::from([127, 0, 0, 1])
            || address == IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1])
            || address == bound.ip()
            || bound.ip().is_unspecified()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_this_server_only() {
        let bound: SocketAddr = "127.0.0.1:4000".parse().expect("address");
        for ours in [
            "localhost",
            "LOCALHOST:4000",
            "127.0.0.1",
            "127.0.0.1:4000",
            "[::1]",
            "[::1]:4000",
        ] {
            assert!(is_ours(ours, bound), "{ours}");
        }
        for other in [
            "",
            "evil.example",
            "evil.example:4000",
            "localhost:4001",
            "localhost:",
            "localhost:4000:4000",
            "localhost.evil.example",
            "127.0.0.2",
            "127.1",
            "::1",
            "[127.0.0.1]",
            "0x7f000001",
        ] {
            assert!(!is_ours(other, bound), "{other}");
        }
    }

    #[test]
    fn bound_addresses() {
        let lan: SocketAddr = "192.168.1.5:4000".parse().expect("address");
        assert!(is_ours("192.168.1.5:4000", lan));
        assert!(!is_ours("192.168.1.6:4000", lan));
        let every: SocketAddr = "0.0.0.0:4000".parse().expect("address");
        assert!(is_ours("192.168.1.6:4000", every));
        assert!(is_ours("[fe80::1]:4000", every));
        assert!(!is_ours("phone.evil.example:4000", every));
    }
}
