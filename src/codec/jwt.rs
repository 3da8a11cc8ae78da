//! Spotting compact JWTs in text: the one scanner the decoders, the
//! redactor and secret masking share.
//!
//! RFC 7515 §7.1 (JWS Compact Serialization):
//! `BASE64URL(UTF8(JWS Protected Header)) || '.' || BASE64URL(JWS Payload) || '.' || BASE64URL(JWS Signature)`;
//! RFC 7516 §7.1 (JWE): `header '.' encrypted_key '.' iv '.' ciphertext '.' tag`.
//! A protected header is a JSON object, so every token starts with `eyJ`
//! (base64url of `{"`), and it names its algorithm (RFC 7515 §4.1.1: "This
//! Header Parameter MUST be present").
//!
//! A token is found by shape only — nothing is verified:
//!
//! * a run of base64url characters, `=` and `.` that starts with `eyJ` and
//!   is not the tail of a longer base64 run;
//! * three parts (JWS) or five (JWE) whose header decodes to a JSON object
//!   with `alg`. A JWS may have an empty signature (unsecured, `alg: none`,
//!   RFC 7519 §6) or an empty payload (detached content, RFC 7515 App. F); a
//!   JWE an empty encrypted key (`alg: dir`) but not an empty tag. A nested
//!   JWT (`cty: JWT`, RFC 7519 §5.2) is one span: its inner token is the
//!   outer payload, encoded once more;
//! * trailing dots that end a sentence are not part of the token, and a
//!   token glued to the next word by a dot (`…sig.Next`) is cut after its
//!   fifth part (when the header has the JWE `enc`) or its third.
//!
//! A run that is JWT-shaped (two to four dots) but whose header does not
//! decode — a truncated copy, a token with a damaged header — is returned as
//! [`Kind::Lookalike`]: masking hides it too; the decoders skip it. Masking
//! hides [`Spotted::run`], the whole JWT-shaped run around a cut token.
//!
//! Linear in the text: each run is scanned once and its header decoded at
//! most four times.

use std::ops::Range;

use serde_json::{Map, Value};

/// What a spotted span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Three parts and a header with `alg`.
    Jws,
    /// Five parts and a header with `alg`.
    Jwe,
    /// `eyJ…` with two to four dots whose header is not a JSON object with
    /// `alg`.
    Lookalike,
}

/// One JWT-shaped span of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spotted {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// The JWT-shaped run around it, what a mask hides: `range`, or more
    /// when the token was cut from a run of two to four dots (`…sig.x`, a
    /// JWE missing its tag).
    pub run: Range<usize>,
    /// What the span is.
    pub kind: Kind,
}

impl Spotted {
    /// A JWS or JWE (not a [`Kind::Lookalike`]).
    pub fn is_token(&self) -> bool {
        self.kind != Kind::Lookalike
    }
}

/// Characters of a base64url segment (RFC 4648 §5).
pub fn is_b64url_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Every JWT-shaped span of `text`, in order (see the module docs).
pub fn spot(text: &str) -> Vec<Spotted> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = memchr::memmem::find(bytes.get(from..).unwrap_or_default(), b"eyJ") {
        let start = from + pos;
        let mut end = start;
        while bytes
            .get(end)
            .is_some_and(|&b| is_b64url_byte(b) || b == b'=' || b == b'.')
        {
            end += 1;
        }
        // The middle of a longer base64 run is not a token.
        let glued = start > 0 && bytes.get(start - 1).is_some_and(|&b| is_b64url_byte(b));
        let run = text.get(start..end).unwrap_or_default();
        from = end.max(start + 3);
        if glued {
            continue;
        }
        let shaped = lookalike_in(run);
        if let Some((len, kind)) = token_in(run) {
            // Within a run of at most four dots nothing else can start
            // after the token, so runs never overlap.
            let run_len = shaped.map_or(len, |l| l.max(len));
            out.push(Spotted {
                range: start..start + len,
                run: start..start + run_len,
                kind,
            });
            // What follows a cut token is scanned again.
            from = (start + run_len).max(start + 3);
        } else if let Some(len) = shaped {
            out.push(Spotted {
                range: start..start + len,
                run: start..start + len,
                kind: Kind::Lookalike,
            });
        }
    }
    out
}

/// The length and kind of the token `run` starts with: the run itself, the
/// run without trailing dots, or its first five or three parts.
fn token_in(run: &str) -> Option<(usize, Kind)> {
    let mut c = run;
    let mut dots = c.bytes().filter(|&b| b == b'.').count();
    loop {
        if let Some(kind) = kind_of(c, dots, false) {
            return Some((c.len(), kind));
        }
        match c.strip_suffix('.') {
            Some(shorter) => {
                c = shorter;
                dots -= 1;
            }
            None => break,
        }
    }
    let cuts: Vec<usize> = c.match_indices('.').map(|(i, _)| i).take(5).collect();
    [4usize, 2].into_iter().find_map(|n| {
        let cut = *cuts.get(n)?;
        let prefix = c.get(..cut)?;
        kind_of(prefix, n, true).map(|kind| (cut, kind))
    })
}

/// Whether `c` (with `dots` dots) is a JWS or JWE by shape. Five parts cut
/// from a longer run must also have the JWE header's `enc` (RFC 7516
/// §4.1.2: "This Header Parameter MUST be present"), so a JWS glued to the
/// next words by dots is not read as a JWE.
fn kind_of(c: &str, dots: usize, cut: bool) -> Option<Kind> {
    let kind = match dots {
        2 => Kind::Jws,
        4 if !c.ends_with('.') => Kind::Jwe,
        _ => return None,
    };
    let header = header(c.split('.').next()?)?;
    let enc_ok = kind == Kind::Jws || !cut || header.contains_key("enc");
    (header.contains_key("alg") && enc_ok).then_some(kind)
}

/// RFC 7515 §4.1.1: the header is a JSON object (naming `alg`).
fn header(part: &str) -> Option<Map<String, Value>> {
    super::base64::decode_url(part)
        .ok()
        .and_then(|(bytes, _)| serde_json::from_slice(&bytes).ok())
}

/// The length of a JWT-shaped run without a decodable header: trailing
/// dots beyond the second dropped, then two to four dots.
fn lookalike_in(run: &str) -> Option<usize> {
    let mut c = run;
    let mut dots = c.bytes().filter(|&b| b == b'.').count();
    while dots > 2
        && let Some(shorter) = c.strip_suffix('.')
    {
        c = shorter;
        dots -= 1;
    }
    (2..=4).contains(&dots).then_some(c.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::base64::{Shape, encode};

    fn part(json: &str) -> String {
        encode(json, Shape::URL_SAFE_NO_PAD)
    }

    fn jws(header: &str, payload: &str, sig: &str) -> String {
        format!("{}.{}.{sig}", part(header), part(payload))
    }

    fn found(text: &str) -> Vec<(&str, Kind)> {
        spot(text)
            .into_iter()
            .map(|s| (&text[s.range], s.kind))
            .collect()
    }

    #[test]
    fn spots_jws_in_headers_urls_and_prose() {
        let a = jws(r#"{"alg":"RS256","kid":"k1"}"#, r#"{"aud":"api"}"#, "c2ln");
        let text = format!(
            "Authorization: Bearer {a}\r\nLocation: https://app/cb#id_token={a}&state=s\n\
             a sentence ending in {a}. and {a}..."
        );
        assert_eq!(found(&text), vec![(a.as_str(), Kind::Jws); 4]);
    }

    #[test]
    fn spots_unsigned_tokens_with_their_empty_signature() {
        let none = jws(r#"{"alg":"none"}"#, r#"{"sub":"u"}"#, "");
        assert!(none.ends_with('.'));
        assert_eq!(
            found(&format!("t={none}&x")),
            vec![(none.as_str(), Kind::Jws)]
        );
        // A full stop after it is the sentence's.
        assert_eq!(found(&format!("{none}.")), vec![(none.as_str(), Kind::Jws)]);
    }

    #[test]
    fn spots_jwe_including_direct_encryption() {
        let h = part(r#"{"alg":"dir","enc":"A256GCM"}"#);
        let jwe = format!("{h}..aXY.Y3Q.dGFn");
        assert_eq!(found(&format!("({jwe})")), vec![(jwe.as_str(), Kind::Jwe)]);
        let rsa = format!(
            "{}.a2V5.aXY.Y3Q.dGFn",
            part(r#"{"alg":"RSA-OAEP","enc":"A128GCM"}"#)
        );
        assert_eq!(found(&format!("{rsa}.")), vec![(rsa.as_str(), Kind::Jwe)]);
    }

    #[test]
    fn a_nested_token_is_one_span() {
        let inner = jws(r#"{"alg":"RS256"}"#, r#"{"sub":"u"}"#, "c2ln");
        let outer = format!(
            "{}.{}.b3V0ZXI",
            part(r#"{"alg":"RS256","cty":"JWT"}"#),
            part(&inner)
        );
        assert_eq!(found(&outer), vec![(outer.as_str(), Kind::Jws)]);
    }

    #[test]
    fn cuts_a_token_glued_to_the_next_word() {
        let a = jws(r#"{"alg":"ES256"}"#, r#"{"a":1}"#, "c2ln");
        let text = format!("{a}.Next");
        assert_eq!(found(&text), vec![(a.as_str(), Kind::Jws)]);
    }

    #[test]
    fn the_run_around_a_cut_token_is_what_a_mask_hides() {
        let h = part(r#"{"alg":"RSA-OAEP","enc":"A128GCM"}"#);
        // A JWE whose tag was cut off: four parts, read as a JWS prefix.
        let text = format!("x {h}.a2V5.aXY.Y3Q y");
        let s = &spot(&text)[0];
        assert_eq!(s.kind, Kind::Jws);
        assert_eq!(&text[s.range.clone()], format!("{h}.a2V5.aXY"));
        assert_eq!(&text[s.run.clone()], format!("{h}.a2V5.aXY.Y3Q"));
        // Past four dots the run is not JWT-shaped: only the token.
        let a = jws(r#"{"alg":"RS256"}"#, "{}", "c2ln");
        let text = format!("{a}.b.c.d");
        let s = &spot(&text)[0];
        assert_eq!((&text[s.range.clone()], s.kind), (a.as_str(), Kind::Jws));
        assert_eq!(s.run, s.range);
    }

    #[test]
    fn keeps_damaged_lookalikes_apart_and_ignores_the_rest() {
        let no_alg = jws(r#"{"typ":"JWT"}"#, "{}", "c2ln");
        assert_eq!(found(&no_alg), vec![(no_alg.as_str(), Kind::Lookalike)]);
        // A truncated header is still JWT-shaped.
        assert_eq!(
            found("eyJhbGciOi.eyJzdWIi.x"),
            vec![("eyJhbGciOi.eyJzdWIi.x", Kind::Lookalike)]
        );
        for text in [
            "eyJnotatoken",
            "login.microsoftonline.com",
            "1.2.3",
            "xeyJhbGciOiJub25lIn0.e30.",
            "eyJ.a",
        ] {
            assert!(spot(text).is_empty(), "{text}");
        }
        let a = jws(r#"{"alg":"RS256"}"#, "{}", "c2ln");
        assert!(spot(&format!("x{a}")).is_empty(), "glued to a longer run");
    }

    #[test]
    fn stays_linear_on_runs_of_dots() {
        let text = format!("eyJ{}", ".".repeat(100_000));
        assert!(spot(&text).iter().all(|s| !s.is_token()));
        let text = "eyJa.".repeat(20_000);
        let _ = spot(&text);
    }
}
