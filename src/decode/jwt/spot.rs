//! Which JWTs the decoder reads: the shape test of one value (three or five
//! base64url segments, a header that decodes to JSON with `alg`) and the
//! finder that keeps, of the tokens the shared spotter picks out of a page, a
//! log line or a header, those it can decode.

use super::*;

use crate::codec::jwt::is_b64url_byte;

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

/// Finds JWTs in free text (headers, bodies, URLs) with the one spotter
/// ([`crate::codec::jwt::spot`]), keeping the tokens this decoder can read:
/// those that pass [`looks_like_jwt`] (a non-empty payload, padding only at
/// segment ends) and whose header names `alg` as a string. Returned in order
/// of appearance, duplicates included.
pub fn find_jwts(text: &str) -> Vec<&str> {
    crate::codec::jwt::spot(text)
        .into_iter()
        .filter(|s| s.is_token())
        .filter_map(|s| text.get(s.range))
        .filter(|t| looks_like_jwt(t) && header_has_alg(t))
        .collect()
}

pub(super) fn header_has_alg(token: &str) -> bool {
    let header = token.split('.').next().unwrap_or("");
    decode_base64url(header)
        .ok()
        .and_then(|(bytes, _)| serde_json::from_slice::<Map<String, Value>>(&bytes).ok())
        .is_some_and(|h| h.get("alg").is_some_and(Value::is_string))
}
