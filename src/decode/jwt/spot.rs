//! Spotting JWTs in text: the shape test (three or five base64url segments,
//! a header that decodes to JSON with `alg`) and the finder that picks
//! every token out of a page, a log line or a header.

use super::*;

/// Characters of a base64url segment (plus `=`, which tolerant decoding accepts).
pub(super) fn is_b64url_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Cheap test: starts with `eyJ` (base64 of `{"`), has 2 dots (JWS) or 4
/// (JWE), and only base64url characters, with `=` allowed at segment ends.
/// Does not decode anything.
pub fn looks_like_jwt(s: &str) -> bool {
    if !s.starts_with("eyJ") {
        return false;
    }
    let mut dots = 0usize;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'.' => {
                dots += 1;
                if dots > 4 {
                    return false;
                }
            }
            b'=' => {
                // Padding only right before a dot or at the end.
                let next = bytes.get(i + 1).copied();
                if !matches!(next, None | Some(b'.') | Some(b'=')) {
                    return false;
                }
            }
            b if is_b64url_byte(b) => {}
            _ => return false,
        }
    }
    let segments: Vec<&str> = s.split('.').collect();
    match dots {
        // header and payload must be non-empty; an empty signature is an unsecured JWT.
        2 => segments.iter().take(2).all(|p| !p.is_empty()),
        // JWE: the encrypted key is empty with "dir"; iv, ciphertext, tag are not.
        4 => segments
            .iter()
            .enumerate()
            .all(|(i, p)| i == 1 || !p.is_empty()),
        _ => false,
    }
}

/// Finds JWTs in free text (headers, bodies, URLs): runs of base64url
/// characters and dots that start with `eyJ`, pass [`looks_like_jwt`] and
/// whose header decodes to a JSON object with `alg`. Returned in order of
/// appearance, duplicates included.
pub fn find_jwts(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut from = 0usize;
    while let Some(pos) = text.get(from..).and_then(|t| t.find("eyJ")) {
        let start = from + pos;
        // Must not be the middle of a longer base64 run.
        let preceded = start > 0 && bytes.get(start - 1).is_some_and(|&b| is_b64url_byte(b));
        let mut end = start;
        while let Some(&b) = bytes.get(end) {
            if is_b64url_byte(b) || b == b'.' || b == b'=' {
                end += 1;
            } else {
                break;
            }
        }
        let candidate = text.get(start..end).unwrap_or("");
        // A sentence may end right after the token: "… eyJ….sig." with a
        // 4th dot; try without trailing dots when that makes it valid.
        let candidate = trim_to_jwt(candidate);
        if !preceded && let Some(token) = candidate {
            found.push(token);
        }
        from = end.max(start + 3);
    }
    found
}

/// The candidate itself, or without one or two trailing dots (the end of a
/// sentence); never more, so a run of dots costs linear time.
pub(super) fn trim_to_jwt(candidate: &str) -> Option<&str> {
    let mut c = candidate;
    for _ in 0..3 {
        if looks_like_jwt(c) && header_has_alg(c) {
            return Some(c);
        }
        c = c.strip_suffix('.')?;
    }
    None
}

pub(super) fn header_has_alg(token: &str) -> bool {
    let header = token.split('.').next().unwrap_or("");
    decode_base64url(header)
        .ok()
        .and_then(|(bytes, _)| serde_json::from_slice::<Map<String, Value>>(&bytes).ok())
        .is_some_and(|h| h.get("alg").is_some_and(Value::is_string))
}
