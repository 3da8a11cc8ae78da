//! Text rendering of a message's signature statuses
//! ([`MessageSignature`]): one line per signature, per encrypted element
//! and per JWT, with the key that decided (thumbprints, subject, validity)
//! and the reason when it is not `valid`. Keys are never printed, only
//! their certificates' public facts.

use std::io::{self, Write};

use super::Painter;
use crate::decode::saml::CertificateInfo;
use crate::signature::xmldsig::{KeyUsed, SignatureCheck};
use crate::signature::{MessageSignature, Status};

/// The status word, coloured.
pub fn status_word(s: Status, p: Painter) -> String {
    match s {
        Status::Valid => p.green("✓ valid"),
        Status::UntrustedKey => p.yellow("✗ untrusted key"),
        Status::Invalid => p.red("✗ invalid"),
        Status::Unverified => p.yellow("? unverified"),
        Status::Absent => p.dim("– absent"),
    }
}

/// `CN=… · SHA-1 AB12… · valid 2024-01-01 – 2027-01-01`.
pub fn certificate_line(c: &CertificateInfo) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &c.subject {
        parts.push(s.clone());
    }
    if let Some(t) = &c.sha1_thumbprint {
        parts.push(format!("SHA-1 {t}"));
    }
    if let (Some(a), Some(b)) = (c.not_before, c.not_after) {
        parts.push(format!(
            "valid {} – {}",
            a.format("%Y-%m-%d"),
            b.format("%Y-%m-%d")
        ));
    }
    parts.join(" · ")
}

fn key_line(k: &KeyUsed) -> String {
    let what = k
        .certificate
        .as_ref()
        .map(certificate_line)
        .or_else(|| k.kid.as_ref().map(|kid| format!("kid {kid}")))
        .unwrap_or_else(|| k.kind.clone());
    format!("{what} (from {})", k.source)
}

fn signature_line(s: &SignatureCheck, p: Painter) -> String {
    let mut line = format!("{} — on {}", status_word(s.status, p), s.parent);
    if let Some(c) = &s.covers {
        line.push_str(&format!(" (#{c})"));
    }
    if let Some(a) = &s.algorithm {
        line.push_str(&format!(", {a}"));
    }
    line
}

/// Writes the signature block, indented under a message.
pub fn write_text(w: &mut dyn Write, s: &MessageSignature, p: Painter) -> io::Result<()> {
    writeln!(w, "Signatures")?;
    if s.signatures.is_empty() && s.query.is_none() && s.tokens.is_empty() {
        writeln!(w, "  {}", status_word(s.status, p))?;
    }
    for sig in s.signatures.iter().chain(&s.query) {
        writeln!(w, "  {}", signature_line(sig, p))?;
        if let Some(k) = &sig.key {
            writeln!(w, "      key      {}", key_line(k))?;
        } else if let Some(c) = &sig.key_info_certificate {
            writeln!(w, "      KeyInfo  {}", certificate_line(c))?;
        }
        for t in &sig.trusted_tried {
            writeln!(w, "      trusted  {}", key_line(t))?;
        }
        if let Some(r) = &sig.reason {
            writeln!(w, "      {r}")?;
        }
    }
    for a in &s.assertions {
        writeln!(
            w,
            "  assertion {} {}{}{}",
            a.id.as_deref().unwrap_or("(no ID)"),
            status_word(a.status, p),
            a.signed_by
                .map(|b| format!(" (signed by the {b})"))
                .unwrap_or_default(),
            if a.read_by_sp {
                ", the one an SP reads"
            } else {
                ""
            }
        )?;
    }
    for wr in &s.wrapping {
        writeln!(w, "  {} {wr}", p.red("wrapping:"))?;
    }
    for t in &s.tokens {
        writeln!(
            w,
            "  {} {} ({}{})",
            t.param,
            status_word(t.status, p),
            t.alg.as_deref().unwrap_or("no alg"),
            t.kid
                .as_deref()
                .map(|k| format!(", kid {k}"))
                .unwrap_or_default()
        )?;
        if let Some(k) = &t.key {
            writeln!(w, "      key      {}", key_line(k))?;
        }
        if let Some(r) = &t.reason {
            writeln!(w, "      {r}")?;
        }
    }
    for d in &s.encrypted {
        let how = [d.key_transport.as_deref(), d.content_encryption.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let outcome = match d.outcome {
            crate::signature::xmlenc::Outcome::Decrypted => p.green(&format!(
                "decrypted with {}",
                d.opened_with.as_deref().unwrap_or("the SP key")
            )),
            crate::signature::xmlenc::Outcome::NoKey => p.yellow("not opened (no --sp-key)"),
            crate::signature::xmlenc::Outcome::WrongKey => p.red("encrypted for another key"),
            crate::signature::xmlenc::Outcome::Failed => p.red("did not decrypt"),
            crate::signature::xmlenc::Outcome::Unsupported => p.yellow("not opened (unsupported)"),
        };
        writeln!(w, "  {} {outcome} ({how})", d.element)?;
        if let Some(c) = &d.encrypted_for {
            writeln!(w, "      for      {}", certificate_line(c))?;
        }
        for c in &d.sp_certificates {
            writeln!(w, "      SP cert  {}", certificate_line(c))?;
        }
        if let Some(sig) = &d.signature {
            writeln!(w, "      inside   {}", signature_line(sig, p))?;
        }
        if let Some(r) = &d.reason {
            writeln!(w, "      {r}")?;
        }
    }
    Ok(())
}

/// The analyze report's "Signatures" block: one line per message delivered
/// to the app that carries a signature notion (its status, what it covers,
/// the algorithm and the key), nothing when there is none.
pub fn write_summary(
    w: &mut dyn Write,
    found: &[crate::decode::Found],
    p: Painter,
) -> io::Result<()> {
    let delivered: Vec<_> = found
        .iter()
        .filter(|f| f.place.is_sent())
        .filter_map(|f| f.signature.as_deref().map(|s| (f, s)))
        .collect();
    if delivered.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    writeln!(w, "{}", p.bold("Signatures"))?;
    for (f, s) in delivered {
        let mut line = format!(
            "  #{} {}  {}",
            f.entry,
            f.message.kind(),
            status_word(s.status, p)
        );
        if let Some(d) = s.deciding() {
            line.push_str(&format!(" — on {}", d.parent));
            if let Some(a) = &d.algorithm {
                line.push_str(&format!(", {a}"));
            }
        } else if let Some(t) = s.tokens.first() {
            line.push_str(&format!(
                " — {} {}",
                t.param,
                t.alg.as_deref().unwrap_or("no alg")
            ));
        }
        writeln!(w, "{line}")?;
        if let Some(k) = &s.key {
            writeln!(w, "      key  {}", key_line(k))?;
        }
        if let Some(r) = &s.reason
            && s.status != Status::Valid
        {
            writeln!(w, "      {r}")?;
        }
        for d in &s.encrypted {
            let outcome = serde_json::to_value(d.outcome)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            writeln!(
                w,
                "      {} {outcome}{}",
                d.element,
                d.opened_with
                    .as_deref()
                    .map(|k| format!(" with {k}"))
                    .unwrap_or_default()
            )?;
        }
    }
    Ok(())
}
