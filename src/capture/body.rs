//! Lazy body decoding: JSON unescaping, base64 (HAR `content.encoding`) and
//! content codings (RFC 9110 §8.4: gzip, deflate, br), each bounded.
//!
//! HAR exporters normally store bodies already decoded; some (mitmproxy)
//! store the wire bytes. For HAR bodies a coding is undone only when the
//! bytes plainly carry it (gzip magic, a zlib header, non-text for brotli).
//! SAZ bodies are wire bytes: every listed coding is undone, last applied
//! first.

use std::borrow::Cow;
use std::io::Read;

use thiserror::Error;

use super::limits::Limits;
use super::model::{Body, BodyData, Coding, Codings};

impl<'a> Body<'a> {
    /// The body's bytes with base64 and content codings undone, bounded by
    /// `limits.max_body_bytes`. A failure says why (corrupt gzip…).
    pub fn decoded(&self, limits: &Limits) -> Result<Cow<'a, [u8]>, BodyError> {
        decode(self, limits)
    }

    /// The decoded body as text (UTF-8, invalid sequences replaced).
    pub fn text(&self, limits: &Limits) -> Result<Cow<'a, str>, BodyError> {
        Ok(match self.decoded(limits)? {
            // `from_utf8` first: its fast path beats `from_utf8_lossy`'s chunk
            // walk on the (nearly always valid) text of real bodies.
            Cow::Borrowed(b) => match std::str::from_utf8(b) {
                Ok(s) => Cow::Borrowed(s),
                Err(_) => String::from_utf8_lossy(b),
            },
            Cow::Owned(v) => match String::from_utf8(v) {
                Ok(s) => Cow::Owned(s),
                Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
            },
        })
    }
}

/// Why a body could not be decoded. The exchange is kept; only its body is
/// marked undecodable.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum BodyError {
    #[error("body text is not a valid JSON string: {0}")]
    Json(String),
    #[error("body is marked base64 but is not valid base64: {0}")]
    Base64(String),
    #[error("{coding} body is corrupt: {reason}")]
    Corrupt {
        coding: &'static str,
        reason: String,
    },
    #[error("body decodes to more than {limit} bytes (raise --max-body-size to read it)")]
    TooLarge { limit: u64 },
    #[error("unsupported content coding '{0}'")]
    Unsupported(String),
    #[error("body was not kept in memory: no decoder reads this content type")]
    NotKept,
    #[error("{coding} body needs more memory than this machine can give")]
    OutOfMemory { coding: &'static str },
}

pub(super) fn decode<'a>(body: &Body<'a>, limits: &Limits) -> Result<Cow<'a, [u8]>, BodyError> {
    let mut bytes: Cow<'a, [u8]> = match &body.data {
        BodyData::Json(raw) => match serde_json::from_str::<Cow<'a, str>>(raw.get()) {
            Ok(Cow::Borrowed(s)) => Cow::Borrowed(s.as_bytes()),
            Ok(Cow::Owned(s)) => Cow::Owned(s.into_bytes()),
            Err(e) => return Err(BodyError::Json(e.to_string())),
        },
        BodyData::Text(Cow::Borrowed(s)) => Cow::Borrowed(s.as_bytes()),
        BodyData::Text(Cow::Owned(s)) => Cow::Owned(s.clone().into_bytes()),
        BodyData::Bytes(b) => b.clone(),
        BodyData::NotKept {
            too_large: true, ..
        } => {
            return Err(BodyError::TooLarge {
                limit: limits.max_body_bytes,
            });
        }
        BodyData::NotKept { .. } => return Err(BodyError::NotKept),
    };
    if body.base64 {
        bytes = Cow::Owned(decode_base64_body(&bytes)?);
    }
    for coding in body.codings.iter().rev() {
        let apply = match body.codings_state {
            Codings::Applied => true,
            Codings::Decoded => looks_encoded(coding, &bytes),
        };
        if apply {
            bytes = Cow::Owned(undo_coding(coding, &bytes, limits.max_body_bytes)?);
        }
    }
    if bytes.len() as u64 > limits.max_body_bytes {
        return Err(BodyError::TooLarge {
            limit: limits.max_body_bytes,
        });
    }
    Ok(bytes)
}

/// Base64 as HAR exporters write it: standard alphabet, sometimes wrapped,
/// sometimes unpadded ([`crate::codec::base64::decode_wrapped`]).
fn decode_base64_body(bytes: &[u8]) -> Result<Vec<u8>, BodyError> {
    crate::codec::base64::decode_wrapped(bytes).map_err(|e| BodyError::Base64(e.to_string()))
}

/// For bodies the exporter claims to have decoded: is this coding still on?
fn looks_encoded(coding: &Coding, bytes: &[u8]) -> bool {
    match coding {
        Coding::Gzip => bytes.starts_with(&[0x1f, 0x8b]),
        Coding::Deflate => is_zlib_header(bytes),
        // Brotli has no magic number: only try when the bytes are not text.
        Coding::Brotli => !bytes.is_empty() && std::str::from_utf8(bytes).is_err(),
        Coding::Identity | Coding::Other(_) => false,
    }
}

use crate::codec::zlib::is_header as is_zlib_header;

/// Undoes one content coding, reading at most `limit` bytes of output.
pub fn undo_coding(coding: &Coding, bytes: &[u8], limit: u64) -> Result<Vec<u8>, BodyError> {
    match coding {
        Coding::Identity => Ok(bytes.to_vec()),
        Coding::Gzip => read_bounded(flate2::read::MultiGzDecoder::new(bytes), "gzip", limit),
        Coding::Deflate => {
            // "deflate" is zlib-wrapped per RFC 9110, but servers send raw DEFLATE too.
            if is_zlib_header(bytes) {
                read_bounded(flate2::read::ZlibDecoder::new(bytes), "deflate", limit)
            } else {
                read_bounded(flate2::read::DeflateDecoder::new(bytes), "deflate", limit)
            }
        }
        Coding::Brotli => read_bounded(
            brotli_decompressor::Decompressor::new(bytes, 4096),
            "brotli",
            limit,
        ),
        Coding::Other(name) => Err(BodyError::Unsupported(name.clone())),
    }
}

/// Reads a decoder to the end, failing once output passes `limit`.
pub fn read_bounded<R: Read>(
    reader: R,
    coding: &'static str,
    limit: u64,
) -> Result<Vec<u8>, BodyError> {
    let mut out = Vec::new();
    let mut taken = reader.take(limit.saturating_add(1));
    taken.read_to_end(&mut out).map_err(|e| match e.kind() {
        // `read_to_end` reports a failed allocation as an error: the body is
        // not corrupt, the machine is short of memory.
        std::io::ErrorKind::OutOfMemory => BodyError::OutOfMemory { coding },
        _ => BodyError::Corrupt {
            coding,
            reason: e.to_string(),
        },
    })?;
    if out.len() as u64 > limit {
        return Err(BodyError::TooLarge { limit });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn body(data: BodyData<'_>, base64: bool, codings: Vec<Coding>, state: Codings) -> Body<'_> {
        Body {
            data,
            base64,
            mime_type: None,
            codings,
            codings_state: state,
            declared_size: None,
        }
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data).ok();
        enc.finish().unwrap_or_default()
    }

    #[test]
    fn unescapes_har_json_text_lazily() {
        let raw: Box<serde_json::value::RawValue> =
            serde_json::from_str(r#""<p>\"hi\"</p>""#).unwrap_or_else(|_| unreachable!());
        let b = body(BodyData::Json(&raw), false, vec![], Codings::Decoded);
        assert_eq!(
            b.text(&Limits::default()).ok().as_deref(),
            Some("<p>\"hi\"</p>")
        );
    }

    #[test]
    fn gunzips_saz_wire_bytes() {
        let gz = gzip(b"hello world");
        let b = body(
            BodyData::Bytes(Cow::Owned(gz)),
            false,
            vec![Coding::Gzip],
            Codings::Applied,
        );
        assert_eq!(
            b.decoded(&Limits::default()).ok().as_deref(),
            Some(&b"hello world"[..])
        );
    }

    #[test]
    fn leaves_already_decoded_har_text_alone() {
        let b = body(
            BodyData::Text(Cow::Borrowed("plain")),
            false,
            vec![Coding::Gzip],
            Codings::Decoded,
        );
        assert_eq!(
            b.decoded(&Limits::default()).ok().as_deref(),
            Some(&b"plain"[..])
        );
    }

    #[test]
    fn rejects_corrupt_gzip_with_a_reason() {
        // mitmproxy's corrupted_gzip_body.har payload.
        let b = body(
            BodyData::Text(Cow::Borrowed("H4sIAAAAAAAAAyE+EjNBD/iT6u4EAAAA")),
            true,
            vec![Coding::Gzip],
            Codings::Decoded,
        );
        let err = b.decoded(&Limits::default()).err();
        assert!(
            matches!(err, Some(BodyError::Corrupt { coding: "gzip", .. })),
            "{err:?}"
        );
    }

    #[test]
    fn bounds_a_gzip_bomb() {
        let gz = gzip(&vec![0u8; 1 << 20]);
        let b = body(
            BodyData::Bytes(Cow::Owned(gz)),
            false,
            vec![Coding::Gzip],
            Codings::Applied,
        );
        let limits = Limits {
            max_body_bytes: 1024,
            ..Limits::default()
        };
        assert_eq!(
            b.decoded(&limits).err(),
            Some(BodyError::TooLarge { limit: 1024 })
        );
    }

    #[test]
    fn accepts_raw_deflate_and_zlib() {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"zlib").ok();
        let z = z.finish().unwrap_or_default();
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        d.write_all(b"raw").ok();
        let d = d.finish().unwrap_or_default();
        assert_eq!(
            undo_coding(&Coding::Deflate, &z, 100).ok().as_deref(),
            Some(&b"zlib"[..])
        );
        assert_eq!(
            undo_coding(&Coding::Deflate, &d, 100).ok().as_deref(),
            Some(&b"raw"[..])
        );
    }
}
