//! Loading captures: HAR and SAZ into one model.
//!
//! Two steps, no file I/O here: [`Input::from_bytes`] takes the file's bytes,
//! detects the format from the content (never the extension) and, for a SAZ,
//! extracts the archive members ([`Input::from_saz_reader`] reads a SAZ from
//! a reader the caller opened instead); [`Input::parse`] then builds a [`Capture`]
//! that borrows from the input. The caller owns the `Input`, so bodies and
//! header values are not copied.

mod body;
pub mod cookies;
mod describe;
mod error;
pub mod har;
mod limits;
mod model;
pub mod raw_http;
pub mod saz;

pub use body::{BodyError, read_bounded, undo_coding};
pub use describe::{describe, describe_exporter, offset_label, span};
pub use error::CaptureError;
pub use limits::Limits;
pub use model::*;

/// What the user gave besides the file: the SAZ password and the limits.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub password: Option<String>,
    pub limits: Limits,
}

/// A capture's raw content, ready to parse.
#[derive(Debug)]
pub enum Input {
    /// HAR JSON bytes, byte-order mark and JSONP wrapper removed, repaired
    /// ([`har::repair`]); the notes say what was changed.
    Har(Vec<u8>, Vec<LoadNote>),
    /// A SAZ archive with its members extracted.
    Saz(saz::Archive),
}

impl Input {
    /// Detects the format from the content and prepares it.
    pub fn from_bytes(mut bytes: Vec<u8>, options: &LoadOptions) -> Result<Input, CaptureError> {
        match detect(&bytes) {
            Some(Format::Saz) => Ok(Input::Saz(saz::Archive::extract(&bytes, options)?)),
            Some(Format::Har) => {
                if bytes.starts_with(UTF8_BOM) {
                    bytes.drain(..UTF8_BOM.len());
                }
                let mut notes = Vec::new();
                if let Some(inner) = har::unwrap_jsonp(&bytes) {
                    bytes.truncate(inner.end);
                    bytes.drain(..inner.start);
                    notes.push(LoadNote::Other(
                        "HAR Viewer JSONP wrapper (callback({...});) removed".into(),
                    ));
                }
                notes.extend(har::repair(&mut bytes).note());
                Ok(Input::Har(bytes, notes))
            }
            None if bytes.iter().all(u8::is_ascii_whitespace) => Err(CaptureError::Empty),
            None => Err(CaptureError::UnknownFormat {
                hint: format_hint(&bytes),
            }),
        }
    }

    /// A SAZ archive read from `reader` (an open file) member by member,
    /// so that its compressed bytes are never all in memory. The caller has
    /// checked that the content starts like a zip ([`detect`]).
    pub fn from_saz_reader<R: std::io::Read + std::io::Seek>(
        reader: R,
        options: &LoadOptions,
    ) -> Result<Input, CaptureError> {
        Ok(Input::Saz(saz::Archive::extract_from(reader, options)?))
    }

    pub fn format(&self) -> Format {
        match self {
            Input::Har(..) => Format::Har,
            Input::Saz(_) => Format::Saz,
        }
    }

    /// Builds the capture model, borrowing from this input.
    pub fn parse(&self, path: &str, options: &LoadOptions) -> Result<Capture<'_>, CaptureError> {
        match self {
            Input::Har(bytes, notes) => {
                let mut capture = har::parse(bytes, path, options)?;
                capture.notes.splice(0..0, notes.iter().cloned());
                Ok(capture)
            }
            Input::Saz(archive) => archive.parse(path, options),
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The format from the first bytes: a zip local-file or end-of-directory
/// signature means SAZ; a JSON object (after a BOM and white space) means HAR.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Some(Format::Saz);
    }
    let rest = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    match rest.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Some(Format::Har),
        _ if har::unwrap_jsonp(rest).is_some() => Some(Format::Har),
        _ => None,
    }
}

fn format_hint(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(64)];
    let text = String::from_utf8_lossy(head);
    let lower = text.to_ascii_lowercase();
    if lower.trim_start().starts_with('[') {
        " (a JSON array, not a HAR object)".to_owned()
    } else if lower.contains("<html") || lower.contains("<!doctype") {
        " (it looks like an HTML page; save the capture as HAR)".to_owned()
    } else if bytes.starts_with(b"\x1f\x8b") {
        " (it is gzip-compressed; decompress it first)".to_owned()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content_not_extension() {
        assert_eq!(detect(b"PK\x03\x04rest"), Some(Format::Saz));
        assert_eq!(detect(b"\xEF\xBB\xBF  {\"log\":{}}"), Some(Format::Har));
        assert_eq!(detect(b"\n{"), Some(Format::Har));
        assert_eq!(detect(b"GIF89a"), None);
    }

    #[test]
    fn refuses_empty_and_unknown_input() {
        let o = LoadOptions::default();
        assert_eq!(
            Input::from_bytes(Vec::new(), &o).err(),
            Some(CaptureError::Empty)
        );
        assert!(matches!(
            Input::from_bytes(b"<html>".to_vec(), &o).err(),
            Some(CaptureError::UnknownFormat { .. })
        ));
    }
}
