//! Personal data (`--pii`): e-mail addresses and UPNs, user names, people's
//! names and IP addresses, found by name (claims, form fields, SAML
//! `NameID`) or by shape in free text (e-mails, IPv4, and down-level logon
//! names `DOMAIN\user`, which AD FS forms and Windows integrated sign-in
//! carry: [`find_down_level`]).
//!
//! Pseudonyms keep the shape so the field still reads as what it was:
//! `redacted-<10 hex>@contoso.com` (the domain stays: home-realm discovery
//! and federation depend on it, and it names the tenant, not the person),
//! `redacted-user-<hex>` (`CONTOSO\redacted-user-<hex>` for a down-level
//! name: the NetBIOS domain stays, as the e-mail's domain does),
//! `redacted-name-<hex>`, IPv4 in `240.0.0.0/4`
//! (reserved, never routed) and IPv6 in `2001:db8::/32` (documentation).
//! All are recognised on a second run and left alone.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::key::{Key, PII_HEX};

const PREFIX: &str = "redacted-";

/// Whether a value is one of this module's pseudonyms.
pub fn is_pseudonym(value: &str) -> bool {
    let v = value.trim();
    let v = split_down_level(v).map_or(v, |(_, user)| user);
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

/// A pseudonym for a user name that is not an e-mail address; a
/// down-level name keeps its domain. The digest is over the whole name,
/// lower-cased (Windows compares both parts case-insensitively).
pub fn user(key: &Key, value: &str) -> String {
    if looks_like_email(value) {
        return email(key, value);
    }
    if let Some((domain, _)) = split_down_level(value.trim()) {
        return format!(
            "{domain}\\{PREFIX}user-{}",
            key.pii_hex("user", &value.trim().to_lowercase())
        );
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

/// NetBIOS domain names: 1–15 characters, not starting with a digit or a
/// dot (Microsoft, "Naming conventions in Active Directory for computers,
/// domains, sites, and OUs"; the characters kept here are the ones in use,
/// letters, digits, `-`, `_` and `.`).
fn is_netbios_domain(d: &str) -> bool {
    (1..=15).contains(&d.len())
        && d.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        && d.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
}

/// Characters of a `sAMAccountName` (pre-Windows 2000 logon name, at most
/// 20 characters; `" / \ [ ] : ; | = , + * ? < >` are not allowed — the
/// same naming-conventions document). Kept to the common ones, `$` for
/// machine accounts included.
fn is_sam_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._-$'".contains(&b)
}

/// `DOMAIN\user` (also written with the backslash JSON-escaped, `\\`)
/// split in its domain and user name.
pub fn split_down_level(v: &str) -> Option<(&str, &str)> {
    let (domain, user) = v.split_once('\\')?;
    let user = user.strip_prefix('\\').unwrap_or(user);
    (is_netbios_domain(domain) && (1..=64).contains(&user.len()) && user.bytes().all(is_sam_byte))
        .then_some((domain, user))
}

/// Byte ranges of down-level logon names (`CONTOSO\jdoe`; MS-DTYP §2.2.4
/// / the `NameSamCompatible` format of `TranslateName`) in free text: the
/// shape AD FS, IIS and Windows integrated sign-in write user names in
/// (the `UserName` field of the AD FS form, `REMOTE_USER`, error pages).
/// The backslash may be JSON-escaped (`CONTOSO\\jdoe` in a page's
/// script) or percent-encoded (`%5C`). Each as (domain start, user
/// start, end) byte offsets.
///
/// In text a backslash is also an escape (`\n`, `\u0041`, `C:\Users`),
/// so free text is held to the form Windows writes: the domain in upper
/// case, starting a word, the user name 1–20 characters not starting
/// with a JSON escape letter followed by what that escape would be.
pub fn find_down_level(text: &str) -> Vec<(usize, usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut last_end = 0;
    let mut at = 0;
    while let Some(found) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|b| *b == b'\\' || *b == b'%'))
    {
        let slash = at + found;
        at = slash + 1;
        let sep = match bytes.get(slash..) {
            Some([b'\\', b'\\', ..]) => 2,
            Some([b'\\', ..]) => 1,
            Some([b'%', b'5', b'C' | b'c', ..]) => 3,
            _ => continue,
        };
        let mut start = slash;
        while start > last_end
            && bytes
                .get(start - 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b))
        {
            start -= 1;
        }
        // The domain starts a word: not after a backslash (`C:\Users\x`),
        // a path or a scheme.
        let before_ok = start == 0
            || bytes
                .get(start - 1)
                .is_some_and(|b| !(b"\\/:%&".contains(b) || b.is_ascii_alphanumeric()));
        let Some(domain) = text.get(start..slash) else {
            continue;
        };
        let user_from = slash + sep;
        let mut end = user_from;
        while bytes.get(end).copied().is_some_and(is_sam_byte) {
            end += 1;
        }
        while end > user_from && matches!(bytes.get(end - 1), Some(b'.' | b'\'' | b'-')) {
            end -= 1;
        }
        let Some(user) = text.get(user_from..end) else {
            continue;
        };
        let upper = domain.bytes().all(|b| !b.is_ascii_lowercase());
        let after_ok = bytes
            .get(end)
            .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'\\' || *b == b'@'));
        if before_ok
            && upper
            && is_netbios_domain(domain)
            && (1..=20).contains(&user.len())
            && after_ok
            && !is_escape_lookalike(user)
        {
            out.push((start, user_from, end));
            last_end = end;
            at = end;
        }
    }
    out
}

/// Whether a user name after a backslash reads as a JSON / JavaScript
/// escape instead (`\u00e9t`, `\x41`, `\n` before a lower-case word): in
/// script text `ERROR\nDetails` is a line break.
fn is_escape_lookalike(user: &str) -> bool {
    let b = user.as_bytes();
    match b.first() {
        Some(b'u') => b
            .get(1..5)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)),
        Some(b'x') => b
            .get(1..3)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)),
        Some(b'n' | b'r' | b't' | b'b' | b'f') => b.get(1).is_some_and(u8::is_ascii_uppercase),
        _ => false,
    }
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
    fn down_level_names_keep_their_domain_and_are_recognised() {
        let k = key();
        let p = user(&k, "CONTOSO\\jdoe");
        assert!(p.starts_with("CONTOSO\\redacted-user-"), "{p}");
        assert_eq!(
            p,
            user(&k, "contoso\\JDoe").replacen("contoso", "CONTOSO", 1)
        );
        assert!(is_pseudonym(&p));
        assert!(!is_pseudonym("CONTOSO\\jdoe"));
        assert_eq!(
            split_down_level("CONTOSO\\\\jdoe"),
            Some(("CONTOSO", "jdoe"))
        );
        assert_eq!(split_down_level("C:\\Users"), None);
    }

    #[test]
    fn finds_down_level_names_in_text_but_not_escapes_or_paths() {
        let found = |t: &str| -> Vec<String> {
            find_down_level(t)
                .into_iter()
                .map(|(s, _, e)| t[s..e].to_owned())
                .collect()
        };
        assert_eq!(found("Signed in as CONTOSO\\jdoe."), ["CONTOSO\\jdoe"]);
        assert_eq!(
            found(r#"{"user":"CORP-EU\\a.smith"}"#),
            [r"CORP-EU\\a.smith"]
        );
        assert_eq!(
            found("UserName=FABRIKAM%5Cbob&Password=x"),
            ["FABRIKAM%5Cbob"]
        );
        assert_eq!(found("REMOTE_USER: AD\\svc_web$"), ["AD\\svc_web$"]);
        for not in [
            "C:\\Users\\jdoe\\AppData",
            "\"line one\\nline two\"",
            "ERROR\\nDetails",
            "caf\\u00e9",
            "NAME\\u0041BC",
            "http://HOST\\x",
            "contoso\\jdoe",
            "TOOLONGDOMAINNAME1\\x",
        ] {
            assert!(found(not).is_empty(), "{not}: {:?}", found(not));
        }
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
