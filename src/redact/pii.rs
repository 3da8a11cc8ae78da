//! Personal data (`--pii`): e-mail addresses and UPNs, user names, people's
//! names and IP addresses, found by name (claims, form fields, SAML
//! `NameID`) or by shape in free text (e-mails, IPv4).
//!
//! Pseudonyms keep the shape so the field still reads as what it was:
//! `redacted-<10 hex>@contoso.com` (the domain stays: home-realm discovery
//! and federation depend on it, and it names the tenant, not the person),
//! `redacted-user-<hex>`, `redacted-name-<hex>`, IPv4 in `240.0.0.0/4`
//! (reserved, never routed) and IPv6 in `2001:db8::/32` (documentation).
//! All are recognised on a second run and left alone.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::key::{Key, PII_HEX};

const PREFIX: &str = "redacted-";

/// Whether a value is one of this module's pseudonyms.
pub fn is_pseudonym(value: &str) -> bool {
    let v = value.trim();
    if let Some(rest) = v.strip_prefix(PREFIX) {
        let rest = rest
            .strip_prefix("user-")
            .or_else(|| rest.strip_prefix("name-"))
            .unwrap_or(rest);
        let hex: String = rest.chars().take_while(char::is_ascii_hexdigit).collect();
        return hex.len() == PII_HEX;
    }
    match v.parse::<IpAddr>() {
        Ok(ip) => is_ip_pseudonym(&ip),
        Err(_) => false,
    }
}

fn is_ip_pseudonym(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[0] >= 240,
        IpAddr::V6(v6) => v6.segments()[..2] == [0x2001, 0x0db8],
    }
}

/// Whether an address is worth hiding: not loopback, unspecified or broadcast.
fn is_personal(ip: &IpAddr) -> bool {
    !(ip.is_loopback()
        || ip.is_unspecified()
        || is_ip_pseudonym(ip)
        || matches!(ip, IpAddr::V4(v4) if v4.is_broadcast()))
}

/// A pseudonym for an e-mail address / UPN, keeping its domain. The digest
/// is over the lower-cased address (addresses compare case-insensitively).
pub fn email(key: &Key, value: &str) -> String {
    let lower = value.trim().to_lowercase();
    let domain = lower.rsplit_once('@').map_or("", |(_, d)| d);
    format!("{PREFIX}{}@{domain}", key.pii_hex("email", &lower))
}

/// A pseudonym for a user name that is not an e-mail address.
pub fn user(key: &Key, value: &str) -> String {
    if looks_like_email(value) {
        return email(key, value);
    }
    format!(
        "{PREFIX}user-{}",
        key.pii_hex("user", &value.trim().to_lowercase())
    )
}

/// A pseudonym for a person's name.
pub fn name(key: &Key, value: &str) -> String {
    format!("{PREFIX}name-{}", key.pii_hex("name", value.trim()))
}

/// A pseudonym for an IP address of the same family, or `None` when the
/// value is not an address worth hiding.
pub fn ip(key: &Key, value: &str) -> Option<String> {
    let addr: IpAddr = value.trim().parse().ok()?;
    if !is_personal(&addr) {
        return None;
    }
    let d = key.digest("ip", addr.to_string().as_bytes());
    Some(match addr {
        IpAddr::V4(_) => Ipv4Addr::new(240 | (d[0] & 0x0f), d[1], d[2], d[3]).to_string(),
        IpAddr::V6(_) => {
            let seg = |i: usize| u16::from_be_bytes([d[i], d[i + 1]]);
            Ipv6Addr::new(
                0x2001,
                0x0db8,
                seg(0),
                seg(2),
                seg(4),
                seg(6),
                seg(8),
                seg(10),
            )
            .to_string()
        }
    })
}

/// `local@domain.tld` with a plausible local part and a dotted domain.
pub fn looks_like_email(value: &str) -> bool {
    let v = value.trim();
    let Some((local, domain)) = v.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.bytes().all(is_local_byte)
        && domain.contains('.')
        && domain.bytes().all(is_domain_byte)
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._%+-'".contains(&b)
}

fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
}

/// Byte ranges of e-mail addresses in free text.
pub fn find_emails(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut last_end = 0;
    for at in memchr::memchr_iter(b'@', bytes) {
        if at < last_end {
            continue;
        }
        let mut start = at;
        while start > last_end && bytes.get(start - 1).copied().is_some_and(is_local_byte) {
            start -= 1;
        }
        // A local part does not start with a dot or a quote.
        while start < at && matches!(bytes.get(start), Some(b'.' | b'\'')) {
            start += 1;
        }
        let mut end = at + 1;
        while bytes.get(end).copied().is_some_and(is_domain_byte) {
            end += 1;
        }
        while end > at + 1 && matches!(bytes.get(end - 1), Some(b'.' | b'-')) {
            end -= 1;
        }
        let Some(candidate) = text.get(start..end) else {
            continue;
        };
        let tld_ok = candidate
            .rsplit_once('.')
            .is_some_and(|(_, tld)| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
        if start < at && tld_ok && looks_like_email(candidate) {
            out.push((start, end));
            last_end = end;
        }
    }
    out
}

/// Byte ranges of dotted-quad IPv4 addresses in free text, not preceded by
/// `/`, `.`, a letter or a digit (`Chrome/130.0.0.0` is a version).
pub fn find_ipv4(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes.get(i).is_some_and(u8::is_ascii_digit)
            && (i == 0
                || bytes
                    .get(i - 1)
                    .is_some_and(|b| !(b.is_ascii_alphanumeric() || b"./_-:".contains(b))));
        if !starts {
            i += 1;
            continue;
        }
        let mut end = i;
        while bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
        {
            end += 1;
        }
        while end > i && bytes.get(end - 1) == Some(&b'.') {
            end -= 1;
        }
        let followed_ok = bytes
            .get(end)
            .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
        if let Some(candidate) = text.get(i..end)
            && followed_ok
            && candidate.split('.').count() == 4
            && candidate.parse::<Ipv4Addr>().is_ok()
        {
            out.push((i, end));
        }
        i = end.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Key {
        Key::from_bytes(&[1u8; 32], true).unwrap()
    }

    #[test]
    fn email_pseudonyms_keep_the_domain_and_ignore_case() {
        let k = key();
        let a = email(&k, "Alice.Smith@Contoso.com");
        assert!(
            a.starts_with("redacted-") && a.ends_with("@contoso.com"),
            "{a}"
        );
        assert_eq!(a, email(&k, "alice.smith@contoso.com"));
        assert!(is_pseudonym(&a));
        assert!(!is_pseudonym("alice@contoso.com"));
    }

    #[test]
    fn ip_pseudonyms_stay_in_reserved_ranges() {
        let k = key();
        let v4 = ip(&k, "203.0.113.7").unwrap();
        assert!(v4.parse::<Ipv4Addr>().unwrap().octets()[0] >= 240);
        assert!(is_pseudonym(&v4));
        let v6 = ip(&k, "2a01:111:f400::1").unwrap();
        assert!(v6.starts_with("2001:db8:"), "{v6}");
        assert_eq!(ip(&k, "127.0.0.1"), None);
        assert_eq!(ip(&k, &v4), None, "already a pseudonym");
    }

    #[test]
    fn finds_emails_and_addresses_in_text_but_not_versions() {
        let t = "user bob@contoso.com logged in from 198.51.100.23 with Chrome/130.0.0.0.";
        let e: Vec<&str> = find_emails(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(e, ["bob@contoso.com"]);
        let ips: Vec<&str> = find_ipv4(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(ips, ["198.51.100.23"]);
        assert!(find_emails("a @ b, x@y").is_empty());
    }
}
