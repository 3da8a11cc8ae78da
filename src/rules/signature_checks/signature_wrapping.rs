//! Rule `signature-wrapping`: The signed element is not the one the app reads.

use super::*;

declare_rule! {
    /// ## What it means
    /// The message has a signature-wrapping shape: two elements share an ID,
    /// a signature references another element than the one it sits in, an
    /// assertion sits inside a Signature / Object / Extensions or another
    /// assertion, or an unsigned assertion stands beside a signed one. The
    /// signature may verify, but over other content than what an SP reads.
    /// ## Why it matters
    /// This is the XML Signature Wrapping attack (Somorovsky et al., USENIX
    /// Security 2012): an SP that checks "some valid signature exists" and
    /// then reads the first assertion signs in whoever the attacker named.
    /// SAML core §5.4.2 requires one Reference to the ID of the element the
    /// signature encloses. The structure alone shows it: no key is needed.
    /// ## How to fix
    /// Treat the capture as a security incident if it came from production:
    /// find who sent this message. Make the SP verify the signature of the
    /// very element it reads (a maintained SAML library, schema validation,
    /// unique IDs), and reject messages with more than one assertion.
    pub static SIGNATURE_WRAPPING = {
        code: "signature-wrapping",
        category: Signature,
        severity: Error,
        title: "The signed element is not the one the app reads",
        check: signature_wrapping,
    };
}

pub fn signature_wrapping(ctx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for f in &ctx.messages {
        let Some(s) = f.signature.as_deref().filter(|s| !s.wrapping.is_empty()) else {
            continue;
        };
        let read = s.assertions.iter().find(|a| a.read_by_sp);
        let mut finding = Finding::new(
            &SIGNATURE_WRAPPING,
            Some(f.entry),
            format!(
                "Signature wrapping in the {}: {}.{}",
                f.message.kind(),
                s.wrapping.join("; "),
                if ctx.app_accepted(f.entry) {
                    " The app accepted it: it may have signed in the user the unsigned content names."
                } else {
                    ""
                }
            ),
        )
        .evidence("wrapping", s.wrapping.clone());
        if let Some(a) = read {
            finding = finding.evidence("assertion_read_by_sp", a.id.clone().unwrap_or_default());
        }
        out.push(finding);
    }
}
