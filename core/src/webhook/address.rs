//! Where a webhook may not be sent: the rule against server-side request forgery. A receiver's
//! URL is a user's input, and a server that posts to it from inside a network could be made to
//! reach what only that network should: loopback, private ranges, link-local (which holds the
//! clouds' metadata services), and the ranges no public host lives in. The server checks every
//! address a host resolves to, when the webhook is saved and again before every send (DNS can
//! change in between), unless the operator allows private receivers.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// `127.0.0.0/8`, `::1`.
    #[error("a loopback address")]
    Loopback,
    /// RFC 1918, `100.64.0.0/10` (shared), `fc00::/7` (unique local).
    #[error("a private address")]
    Private,
    /// `169.254.0.0/16`, `fe80::/10`.
    #[error("a link-local address")]
    LinkLocal,
    /// A cloud metadata service (`169.254.169.254`, `fd00:ec2::254`, `100.100.100.200`).
    #[error("a cloud metadata address")]
    Metadata,
    /// Unspecified, broadcast, multicast, documentation, benchmarking or reserved: no public
    /// receiver lives there.
    #[error("an address no public host uses")]
    NotPublic,
}

impl Refusal {
    /// Its one code, also for a name that resolves to no address a receiver may use.
    pub const CODE: &'static str = "WEBHOOK_URL_NOT_PUBLIC";
}

impl crate::error::ErrorCode for Refusal {
    fn code(&self) -> &'static str {
        Self::CODE
    }
}

/// `None` when a receiver may be at `ip`; otherwise why not.
pub fn why_refused(ip: IpAddr) -> Option<Refusal> {
    match ip {
        IpAddr::V4(v4) => refusal_v4(v4),
        IpAddr::V6(v6) => refusal_v6(v6),
    }
}

fn refusal_v4(ip: Ipv4Addr) -> Option<Refusal> {
    let [a, b, c, _] = ip.octets();
    if ip == Ipv4Addr::new(169, 254, 169, 254) || ip == Ipv4Addr::new(100, 100, 100, 200) {
        return Some(Refusal::Metadata);
    }
    match (a, b, c) {
        (127, _, _) => Some(Refusal::Loopback),
        (10, _, _) | (192, 168, _) => Some(Refusal::Private),
        (172, 16..=31, _) | (100, 64..=127, _) => Some(Refusal::Private),
        (169, 254, _) => Some(Refusal::LinkLocal),
        (0, _, _) | (224..=255, _, _) => Some(Refusal::NotPublic),
        (192, 0, 0) | (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => Some(Refusal::NotPublic),
        (198, 18..=19, _) => Some(Refusal::NotPublic),
        _ => None,
    }
}

fn refusal_v6(ip: Ipv6Addr) -> Option<Refusal> {
    if let Some(v4) = embedded_v4(ip) {
        return refusal_v4(v4);
    }
    let s = ip.segments();
    let first = s.first().copied().unwrap_or(0);
    if ip == Ipv6Addr::LOCALHOST {
        return Some(Refusal::Loopback);
    }
    if ip == Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x254) {
        return Some(Refusal::Metadata);
    }
    if ip.is_unspecified() {
        return Some(Refusal::NotPublic);
    }
    match first {
        0xfc00..=0xfdff => Some(Refusal::Private),
        0xfe80..=0xfebf => Some(Refusal::LinkLocal),
        // site-local (deprecated) and multicast
        0xfec0..=0xffff => Some(Refusal::NotPublic),
        // 2001:db8::/32 documentation, 2001::/32 Teredo (a tunnel to anywhere)
        0x2001 if matches!(s.get(1), Some(0x0db8) | Some(0)) => Some(Refusal::NotPublic),
        // only 2000::/3 is assigned for global unicast
        0x2000..=0x3fff => None,
        _ => Some(Refusal::NotPublic),
    }
}

/// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible, NAT64
/// (`64:ff9b::/96`) or 6to4 (`2002::/16`) address: it is that address that is reached.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let o = ip.octets();
    let tail = |at: usize| -> Option<Ipv4Addr> {
        let q: [u8; 4] = o.get(at..at + 4)?.try_into().ok()?;
        Some(Ipv4Addr::from(q))
    };
    let s = ip.segments();
    match s {
        [0, 0, 0, 0, 0, 0xffff, _, _] => tail(12),
        // ::a.b.c.d (deprecated), but not :: and ::1
        [0, 0, 0, 0, 0, 0, hi, _] if hi != 0 => tail(12),
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => tail(12),
        [0x2002, ..] => tail(2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(s: &str) -> Option<Refusal> {
        why_refused(s.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
    }

    #[test]
    fn public_addresses_are_allowed() {
        for ok in [
            "93.184.216.34",
            "8.8.8.8",
            "1.1.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700:4700::1111",
            "2a00:1450:4001::200e",
        ] {
            assert_eq!(of(ok), None, "{ok}");
        }
    }

    #[test]
    fn inside_addresses_are_refused_by_kind() {
        use Refusal::*;
        let cases = [
            ("127.0.0.1", Loopback),
            ("127.9.9.9", Loopback),
            ("::1", Loopback),
            ("10.0.0.1", Private),
            ("172.16.5.4", Private),
            ("172.31.255.255", Private),
            ("192.168.1.1", Private),
            ("100.64.0.1", Private),
            ("fd12::1", Private),
            ("169.254.1.1", LinkLocal),
            ("fe80::1", LinkLocal),
            ("169.254.169.254", Metadata),
            ("fd00:ec2::254", Metadata),
            ("100.100.100.200", Metadata),
            ("0.0.0.0", NotPublic),
            ("255.255.255.255", NotPublic),
            ("224.0.0.1", NotPublic),
            ("192.0.2.1", NotPublic),
            ("198.18.0.1", NotPublic),
            ("::", NotPublic),
            ("ff02::1", NotPublic),
            ("2001:db8::1", NotPublic),
            ("2001::1", NotPublic),
        ];
        for (ip, why) in cases {
            assert_eq!(of(ip), Some(why), "{ip}");
        }
    }

    #[test]
    fn an_inside_address_wrapped_in_ipv6_is_still_refused() {
        assert_eq!(of("::ffff:127.0.0.1"), Some(Refusal::Loopback));
        assert_eq!(of("::ffff:169.254.169.254"), Some(Refusal::Metadata));
        assert_eq!(of("64:ff9b::10.0.0.1"), Some(Refusal::Private));
        assert_eq!(of("2002:7f00:1::"), Some(Refusal::Loopback));
        assert_eq!(of("::ffff:8.8.8.8"), None);
    }
}
