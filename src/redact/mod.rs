//! Redaction: a copy of a capture that is safe to share and still
//! diagnoses the same (`trace-inspect redact CAPTURE -o OUT`).
//!
//! HAR → HAR, SAZ → SAZ. Secrets — cookie values, credentials, passwords,
//! codes, tokens, JWT and SAML signatures, ciphertexts, private keys — are
//! replaced by keyed pseudonyms ([`key`]): equal values stay equal, so
//! correlations survive, and every pseudonym is recognisable, so redacting
//! twice changes nothing. Protocol messages are decoded, redacted inside and
//! re-encoded the way they came ([`engine::saml`], [`jwt`]); what the diagnosis
//! reads (IDs, `InResponseTo`, `state`, `nonce`, `redirect_uri`, error
//! codes, correlation and request IDs, times, status codes, cookie names and
//! attributes, URLs' structure) is kept. `--pii` also pseudonymises user
//! names, e-mails / UPNs, people's names and IP addresses ([`pii`]).
//!
//! The policy is in [`policy`]; the engine both formats drive in [`engine`];
//! the container writers in [`har`] and [`saz`]; counts in [`receipt`].
//! Everything here works on bytes and does no file I/O: the CLI reads,
//! writes to a temporary file, re-reads it with [`verify`] and renames.

pub mod engine;
pub mod har;
pub mod jwt;
pub mod key;
pub mod pii;
pub mod policy;
pub mod receipt;
pub mod saz;

use thiserror::Error;

use crate::capture::{CaptureError, Format, Input, LoadOptions};
use crate::decode::encoding::DEFAULT_MAX_DECODED_BYTES;
pub use engine::Redactor;
pub use key::Key;
pub use receipt::{Kind, Place, Receipt};

/// Why a capture could not be redacted.
#[derive(Debug, Error)]
pub enum RedactError {
    /// The input could not be read as a capture at all.
    #[error(transparent)]
    Capture(#[from] CaptureError),
    /// The HAR is not one complete JSON document.
    #[error(
        "the HAR is not complete JSON ({0}); redaction rewrites the whole document, so it needs an intact file: export it again"
    )]
    HarJson(String),
    /// The SAZ archive cannot be rewritten.
    #[error("the SAZ archive cannot be rewritten: {0}")]
    Saz(String),
    /// Parts of the capture could not be parsed, so their secrets cannot be
    /// found: refused rather than copied (fail closed).
    #[error(
        "cannot redact what does not parse, and will not copy it: {0} (add --drop-unparsed to leave these out of the copy)"
    )]
    Unparsed(String),
    /// `--key` was unusable, or no randomness was available.
    #[error("key: {0}")]
    Key(String),
    /// The copy could not be written.
    #[error("cannot write the redacted copy: {0}")]
    Write(std::io::Error),
    /// The output did not load back as the same capture.
    #[error("the redacted output does not load back ({0}); nothing was written")]
    Verify(String),
}

/// How to redact.
#[derive(Debug, Clone)]
pub struct Options {
    pub key: Key,
    /// `--pii`: also user names, e-mails, names and IP addresses.
    pub pii: bool,
    /// `--drop-unparsed`: what cannot be parsed is dropped (with a receipt
    /// line) instead of refusing the capture. Never copied either way.
    pub drop_unparsed: bool,
}

/// A redacted capture.
#[derive(Debug)]
pub struct Redacted {
    /// The copy, from [`redact`]; empty from [`redact_to`], which wrote it
    /// to its writer instead.
    pub bytes: Vec<u8>,
    pub format: Format,
    /// Exchanges (HAR entries, SAZ sessions) in the input, less those
    /// dropped.
    pub entries: usize,
    /// Sessions left out (`--drop-unparsed`).
    pub dropped: usize,
    /// The original values replaced (masked in every output), for checks
    /// that no copy of one survives.
    pub originals: Vec<crate::secret::Secret<String>>,
    /// Every encoding of every original, for [`Redacted::rescan`].
    pub sweeper: engine::Sweeper,
    /// The input's diagnosis, which the copy's must equal.
    pub diagnosis: Diagnosis,
    pub receipt: Receipt,
}

impl Redacted {
    /// Re-scans the copy as written: no original secret value, in any
    /// encoding the sweep knows, may remain anywhere in it (SAZ members
    /// decompressed). Found: an error, and the copy must not be kept.
    pub fn rescan(&self, copy: &[u8], load: &LoadOptions) -> Result<(), RedactError> {
        let plain = plain_content(copy, self.format, load)?;
        if self.sweeper.contains(&plain) {
            let found = self
                .originals
                .iter()
                .filter(|o| memchr::memmem::find(&plain, o.expose().as_bytes()).is_some())
                .count();
            return Err(RedactError::Verify(format!(
                "{} original secret value(s) still in the copy",
                found.max(1)
            )));
        }
        Ok(())
    }

    /// Frees what [`Redacted::rescan`] needed (every original and its
    /// encodings), before the copy is loaded and diagnosed again: that
    /// step is the peak of a redaction's memory.
    pub fn release_needles(&mut self) {
        self.sweeper = engine::Sweeper::default();
        self.originals = Vec::new();
    }
}

/// Redacts a capture held in memory. The format is detected from the
/// content, as for analysis; a SAZ password comes from `load`. The copy is
/// re-scanned ([`Redacted::rescan`]) before it is returned.
pub fn redact(
    bytes: &[u8],
    load: &LoadOptions,
    options: &Options,
) -> Result<Redacted, RedactError> {
    let mut out = Vec::new();
    let mut redacted = redact_to(bytes.to_vec(), load, options, &mut out)?;
    redacted.rescan(&out, load)?;
    redacted.bytes = out;
    Ok(redacted)
}

/// Redacts a capture into `out`, taking the input's bytes over so that no
/// second copy of them is made: a HAR is diagnosed, then streamed entry by
/// entry ([`har::redact_to`]), so peak memory stays near the file's size.
/// The caller re-scans ([`Redacted::rescan`]) and re-loads ([`verify`])
/// what it wrote before it keeps it.
pub fn redact_to(
    bytes: Vec<u8>,
    load: &LoadOptions,
    options: &Options,
    out: &mut dyn std::io::Write,
) -> Result<Redacted, RedactError> {
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    // A SAZ is rewritten from the archive's bytes, which extraction
    // consumes: kept for it only.
    let saz_bytes = (crate::capture::detect(&bytes) == Some(Format::Saz)).then(|| bytes.clone());
    let input = Input::from_bytes(bytes, load)?;
    let format = input.format();
    let (entries, diagnosis) = {
        let capture = input.parse("", load)?;
        let analysis = crate::pipeline::analyze(&capture, load, &Default::default());
        (capture.exchanges.len(), Diagnosis::of(&analysis))
    };
    let mut r = Redactor::new(&options.key, options.pii, DEFAULT_MAX_DECODED_BYTES);
    // The input is consumed here: its bytes are freed as soon as the copy
    // is written, before the caller reads that back.
    let (dropped, sweeper) = match (input, saz_bytes) {
        (Input::Har(json, _), _) => {
            // The loader's bytes: BOM and JSONP wrapper removed, repaired
            // in place; the copy keeps the BOM the file had.
            if bom {
                out.write_all(b"\xEF\xBB\xBF").map_err(RedactError::Write)?;
            }
            let (_, sweeper) = har::redact_to(&json, &mut r, out)?;
            (0, sweeper)
        }
        (Input::Saz(extracted), Some(archive)) => {
            drop(extracted);
            let (copy, _, dropped) = saz::redact(&archive, load, &mut r, options.drop_unparsed)?;
            out.write_all(&copy).map_err(RedactError::Write)?;
            (dropped, r.sweeper())
        }
        (Input::Saz(_), None) => {
            return Err(RedactError::Saz("the archive's bytes were not kept".into()));
        }
    };
    // Sessions dropped (`--drop-unparsed`) may or may not have been counted
    // by the loader (one that does not parse often is not): the copy then
    // has to hold at least the others.
    let entries = if dropped > 0 {
        entries.saturating_sub(dropped)
    } else {
        entries
    };
    let originals = r.originals();
    let searched = r.replaced_count();
    let mut receipt = r.receipt;
    receipt.verified.secrets_searched = searched;
    receipt.format = format.as_str().to_owned();
    receipt.entries = entries;
    Ok(Redacted {
        bytes: Vec::new(),
        format,
        entries,
        dropped,
        receipt,
        originals,
        sweeper,
        diagnosis,
    })
}

/// What the diagnosis of a capture says, as compared before and after
/// redaction: the verdict (status, category, code, entry) and the set of
/// finding codes with their entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    pub verdict: String,
    pub findings: std::collections::BTreeSet<String>,
}

/// Findings that read the very values redaction replaces (signature values,
/// ciphertext): a pseudonymised signature is `unverified` by design, so
/// these may differ between a capture and its redacted copy without the
/// diagnosis having changed.
const VALUE_DEPENDENT: &[&str] = &[
    "saml-signature-invalid",
    "saml-signature-untrusted",
    "jwt-signature-invalid",
    "encryption-key-mismatch",
];

impl Diagnosis {
    pub fn of(a: &crate::analysis::Analysis<'_, '_>) -> Diagnosis {
        let v = &a.verdict;
        Diagnosis {
            verdict: format!(
                "{} {}{}{}",
                v.status.as_str(),
                v.category,
                v.code.as_ref().map(|c| format!(" {c}")).unwrap_or_default(),
                v.entry.map(|e| format!(" at #{e}")).unwrap_or_default()
            ),
            findings: a
                .findings
                .iter()
                .filter(|f| !VALUE_DEPENDENT.contains(&f.code))
                .map(|f| match f.entry {
                    Some(e) => format!("{}@#{e}", f.code),
                    None => f.code.to_string(),
                })
                .collect(),
        }
    }

    /// The differences from `before`, one phrase each (empty when equal).
    fn differences(&self, before: &Diagnosis) -> Vec<String> {
        let mut out = Vec::new();
        if self.verdict != before.verdict {
            out.push(format!(
                "the verdict changed from \"{}\" to \"{}\"",
                before.verdict, self.verdict
            ));
        }
        let lost: Vec<&String> = before.findings.difference(&self.findings).collect();
        let gained: Vec<&String> = self.findings.difference(&before.findings).collect();
        if !lost.is_empty() {
            out.push(format!("findings lost: {lost:?}"));
        }
        if !gained.is_empty() {
            out.push(format!("findings gained: {gained:?}"));
        }
        out
    }
}

/// Every byte of the copy as a reader would see it: the HAR itself, or a
/// SAZ's members decompressed one after the other.
fn plain_content<'a>(
    out: &'a [u8],
    format: Format,
    load: &LoadOptions,
) -> Result<std::borrow::Cow<'a, [u8]>, RedactError> {
    use std::io::Read;
    if format == Format::Har {
        return Ok(std::borrow::Cow::Borrowed(out));
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(out))
        .map_err(|e| RedactError::Verify(e.to_string()))?;
    let mut plain = Vec::new();
    for i in 0..zip.len() {
        let options =
            zip::ZipReadOptions::new().password(load.password.as_deref().map(str::as_bytes));
        let file = zip
            .by_index_with_options(i, options)
            .map_err(|e| RedactError::Verify(format!("member {i}: {e}")))?;
        file.take(load.limits.max_decompressed_bytes)
            .read_to_end(&mut plain)
            .map_err(|e| RedactError::Verify(format!("member {i}: {e}")))?;
    }
    Ok(std::borrow::Cow::Owned(plain))
}

/// Loads `bytes` back and checks they are a capture of `format` with
/// `entries` exchanges (at least that many when not `exact`) whose
/// diagnosis is `expected`: what the CLI runs on the written file before
/// declaring success. Returns the exchanges loaded.
pub fn verify(
    bytes: Vec<u8>,
    load: &LoadOptions,
    format: Format,
    entries: usize,
    exact: bool,
    expected: &Diagnosis,
) -> Result<usize, RedactError> {
    let input = Input::from_bytes(bytes, load).map_err(|e| RedactError::Verify(e.to_string()))?;
    if input.format() != format {
        return Err(RedactError::Verify(format!(
            "it reads as {} instead of {format}",
            input.format()
        )));
    }
    let capture = input
        .parse("", load)
        .map_err(|e| RedactError::Verify(e.to_string()))?;
    let short = capture.exchanges.len() < entries;
    if short || (exact && capture.exchanges.len() != entries) {
        return Err(RedactError::Verify(format!(
            "{} exchanges instead of {entries}",
            capture.exchanges.len()
        )));
    }
    let after = Diagnosis::of(&crate::pipeline::analyze(
        &capture,
        load,
        &Default::default(),
    ));
    let differences = after.differences(expected);
    if !differences.is_empty() {
        return Err(RedactError::Verify(format!(
            "the copy diagnoses differently: {}",
            differences.join("; ")
        )));
    }
    Ok(capture.exchanges.len())
}
