//! Text rendering of decoded SAML messages for the `decode` command: aligned
//! `key  value` sections, times in UTC with a relative phrase, secrets
//! masked unless shown, then the pretty-printed XML.
//!
//! Plain text only; colour, if any, is applied by the caller.

use std::io::{self, Write};

use super::model::{
    Assertion, AuthnRequest, CertificateInfo, EncryptedAssertion, LogoutRequest, LogoutResponse,
    NameId, Response, SamlMessage, SignatureInfo, Status, Transport,
};
use super::pretty::pretty_xml_with;
use crate::decode::TextOptions;
use crate::decode::encoding::{TimeRole, Timestamp, describe_time, relative_phrase};

/// One line of output.
#[derive(Debug)]
enum Line {
    Heading(String),
    Pair {
        indent: usize,
        key: String,
        value: String,
    },
    Raw(String),
}

/// Builds aligned sections; alignment is per section (between headings).
#[derive(Debug)]
pub(crate) struct Text<'o> {
    lines: Vec<Line>,
    pub(crate) opts: &'o TextOptions,
}

impl<'o> Text<'o> {
    pub(crate) fn new(opts: &'o TextOptions) -> Self {
        Self {
            lines: Vec::new(),
            opts,
        }
    }

    pub(crate) fn heading(&mut self, s: impl Into<String>) {
        self.lines.push(Line::Heading(s.into()));
    }

    pub(crate) fn raw(&mut self, s: impl Into<String>) {
        self.lines.push(Line::Raw(s.into()));
    }

    /// `key  value` at the first indent level.
    pub(crate) fn kv(&mut self, key: &str, value: impl Into<String>) {
        self.pair(1, key, value);
    }

    /// `key  value` nested one level deeper.
    pub(crate) fn kv2(&mut self, key: &str, value: impl Into<String>) {
        self.pair(2, key, value);
    }

    fn pair(&mut self, indent: usize, key: &str, value: impl Into<String>) {
        self.lines.push(Line::Pair {
            indent,
            key: key.to_owned(),
            value: value.into(),
        });
    }

    pub(crate) fn opt(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.kv(key, v);
        }
    }

    pub(crate) fn opt2(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.kv2(key, v);
        }
    }

    pub(crate) fn time(&mut self, key: &str, t: Option<&Timestamp>, role: TimeRole) {
        if let Some(t) = t {
            let s = describe_time(t, self.opts.reference_time, role);
            self.kv(key, s);
        }
    }

    pub(crate) fn time2(&mut self, key: &str, t: Option<&Timestamp>, role: TimeRole) {
        if let Some(t) = t {
            let s = describe_time(t, self.opts.reference_time, role);
            self.kv2(key, s);
        }
    }

    pub(crate) fn write(&self, w: &mut dyn Write) -> io::Result<()> {
        let mut start = 0;
        while start < self.lines.len() {
            let end = self
                .lines
                .iter()
                .skip(start + 1)
                .position(|l| matches!(l, Line::Heading(_)))
                .map_or(self.lines.len(), |p| start + 1 + p);
            let section = self.lines.get(start..end).unwrap_or_default();
            // One value column per section, whatever the key's indent.
            let column = section
                .iter()
                .filter_map(|l| match l {
                    Line::Pair { indent, key, .. } => Some(indent * 2 + key.chars().count()),
                    _ => None,
                })
                .max()
                .unwrap_or(0);
            for line in section {
                match line {
                    Line::Heading(h) => writeln!(w, "{h}")?,
                    Line::Raw(r) => writeln!(w, "{r}")?,
                    Line::Pair { indent, key, value } => {
                        let lead = "  ".repeat(*indent);
                        let pad = column.saturating_sub(lead.len());
                        let cont = " ".repeat(column + 2);
                        let mut parts = value.lines();
                        let first = parts.next().unwrap_or_default();
                        writeln!(w, "{lead}{key:<pad$}  {first}")?;
                        for rest in parts {
                            writeln!(w, "{cont}{}", rest.trim())?;
                        }
                    }
                }
            }
            start = end;
        }
        Ok(())
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

pub(crate) fn name_id_text(n: &NameId) -> String {
    let mut s = if n.value.is_empty() {
        "(empty)".to_owned()
    } else {
        n.value.clone()
    };
    if let Some(f) = &n.format {
        s.push_str(&format!("  [{f}]"));
    }
    s
}

pub(crate) fn certificate(t: &mut Text<'_>, label: &str, c: &CertificateInfo) {
    t.kv2(label, c.subject.as_deref().unwrap_or("(unreadable)"));
    t.opt2("  Issuer", c.issuer.as_deref());
    t.opt2("  Serial", c.serial.as_deref());
    if let (Some(nb), Some(na)) = (c.not_before, c.not_after) {
        let mut v = format!("{} → {}", nb.format("%Y-%m-%d"), na.format("%Y-%m-%d"));
        if let Some(r) = t.opts.reference_time {
            v.push_str(&format!(
                " ({})",
                relative_phrase(na, r, TimeRole::NotOnOrAfter)
            ));
        }
        t.kv2("  Valid", v);
    }
    t.opt2("  SHA-1", c.sha1_thumbprint.as_deref());
    t.opt2("  SHA-256", c.sha256_thumbprint.as_deref());
    t.opt2("  Note", c.note.as_deref());
}

pub(crate) fn signatures(t: &mut Text<'_>, sigs: &[SignatureInfo]) {
    for (i, s) in sigs.iter().enumerate() {
        t.heading(format!(
            "Signature {} on {} (its status: see Signatures)",
            i + 1,
            s.path
        ));
        t.opt("Parent ID", s.parent_id.as_deref());
        let refs = if s.reference_uris.is_empty() {
            "(none)".to_owned()
        } else {
            s.reference_uris.join(", ")
        };
        let verdict = if s.reference_matches_parent {
            "matches the parent ID"
        } else {
            "does NOT match the parent ID"
        };
        t.kv("Reference", format!("{refs} ({verdict})"));
        let alg = |a: &Option<super::model::Algorithm>| {
            a.as_ref().map(|a| {
                if a.is_deprecated() {
                    format!("{a} (deprecated)")
                } else {
                    a.to_string()
                }
            })
        };
        t.opt("SignatureMethod", alg(&s.signature_method).as_deref());
        t.opt("DigestMethod", alg(&s.digest_method).as_deref());
        t.opt(
            "Canonicalization",
            alg(&s.canonicalization_method).as_deref(),
        );
        if !s.transforms.is_empty() {
            let tr: Vec<String> = s.transforms.iter().map(ToString::to_string).collect();
            t.kv("Transforms", tr.join(", "));
        }
        if let Some(v) = &s.signature_value {
            t.kv("SignatureValue", v.render(t.opts.show_secrets));
        }
        for c in &s.certificates {
            certificate(t, "Certificate", c);
        }
    }
}

fn status(t: &mut Text<'_>, st: &Status) {
    if st.code.is_some() {
        t.kv("Status", st.chain());
    } else {
        t.kv("Status", "(no StatusCode)");
    }
    t.opt("StatusMessage", st.message.as_deref());
    t.opt("StatusDetail", st.detail.as_deref());
}

fn transport(t: &mut Text<'_>, tr: Option<&Transport>) {
    let Some(tr) = tr else { return };
    t.heading("Transport");
    let binding = match tr.binding {
        super::model::Binding::Unknown => "unknown (value pasted)",
        super::model::Binding::HttpRedirect => "HTTP-Redirect",
        super::model::Binding::HttpPost => "HTTP-POST",
    };
    t.kv("Binding", binding);
    t.kv("Encoding", tr.encoding.to_string());
    t.opt("RelayState", tr.relay_state.as_deref());
    if let Some(a) = &tr.sig_alg {
        t.kv("SigAlg", a.to_string());
    }
    if let Some(s) = &tr.query_signature {
        t.kv(
            "Signature",
            format!("{} (query string)", s.render(t.opts.show_secrets)),
        );
    }
}

fn notes(t: &mut Text<'_>, notes: &[String], transport: Option<&Transport>) {
    let all: Vec<&String> = transport
        .map(|tr| tr.notes.iter())
        .into_iter()
        .flatten()
        .chain(notes)
        .collect();
    if all.is_empty() {
        return;
    }
    t.heading("Notes");
    for n in all {
        t.raw(format!("  - {n}"));
    }
}

/// An assertion's lines (shared with WS-Federation).
pub(crate) fn assertion(t: &mut Text<'_>, heading: String, a: &Assertion) {
    t.heading(heading);
    t.opt("ID", a.id.as_deref());
    t.time("IssueInstant", a.issue_instant.as_ref(), TimeRole::Instant);
    t.opt("Issuer", a.issuer.as_deref());
    t.kv("Signed", yes_no(a.signed));
    if let Some(s) = &a.subject {
        if let Some(n) = &s.name_id {
            t.kv("NameID", name_id_text(n));
            t.opt2("NameQualifier", n.name_qualifier.as_deref());
            t.opt2("SPNameQualifier", n.sp_name_qualifier.as_deref());
        }
        if s.encrypted_id {
            t.kv("NameID", "(EncryptedID)");
        }
        for c in &s.confirmations {
            t.kv(
                "Confirmation",
                c.method
                    .as_ref()
                    .map_or("(no Method)".to_owned(), ToString::to_string),
            );
            if let Some(d) = &c.data {
                t.opt2("Recipient", d.recipient.as_deref());
                t.opt2("InResponseTo", d.in_response_to.as_deref());
                t.time2("NotBefore", d.not_before.as_ref(), TimeRole::NotBefore);
                t.time2(
                    "NotOnOrAfter",
                    d.not_on_or_after.as_ref(),
                    TimeRole::NotOnOrAfter,
                );
                t.opt2("Address", d.address.as_deref());
            }
        }
    }
    if let Some(c) = &a.conditions {
        t.time("NotBefore", c.not_before.as_ref(), TimeRole::NotBefore);
        t.time(
            "NotOnOrAfter",
            c.not_on_or_after.as_ref(),
            TimeRole::NotOnOrAfter,
        );
        for aud in &c.audiences {
            t.kv("Audience", aud.as_str());
        }
        if c.one_time_use {
            t.kv("OneTimeUse", "yes");
        }
        if let Some(p) = &c.proxy_restriction {
            let mut v = p
                .count
                .as_deref()
                .map_or(String::new(), |c| format!("Count={c} "));
            v.push_str(&p.audiences.join(", "));
            t.kv("ProxyRestriction", v);
        }
    }
    for s in &a.authn_statements {
        t.time("AuthnInstant", s.authn_instant.as_ref(), TimeRole::Instant);
        t.opt("SessionIndex", s.session_index.as_deref());
        t.time(
            "SessionNotOnOrAfter",
            s.session_not_on_or_after.as_ref(),
            TimeRole::NotOnOrAfter,
        );
        t.opt("AuthnContext", s.authn_context_class_ref.as_deref());
    }
    for attr in &a.attributes {
        let key = attr.friendly_name.as_deref().unwrap_or("Attribute");
        t.kv(key, format!("{} = {}", attr.name, attr.values.join(", ")));
    }
}

fn encrypted(t: &mut Text<'_>, i: usize, e: &EncryptedAssertion) {
    t.heading(format!(
        "EncryptedAssertion {i} (content not visible without the SP's private key)"
    ));
    if let Some(a) = &e.data_encryption_method {
        t.kv("Data cipher", a.to_string());
    }
    for a in &e.key_encryption_methods {
        let dep = if a.is_deprecated() {
            " (deprecated)"
        } else {
            ""
        };
        t.kv("Key transport", format!("{a}{dep}"));
    }
    for r in &e.key_recipients {
        t.kv("Key recipient", r.as_str());
    }
    for n in &e.key_names {
        t.kv("Key name", n.as_str());
    }
    for c in &e.key_certificates {
        certificate(t, "Encrypted for", c);
    }
}

fn authn_request(t: &mut Text<'_>, m: &AuthnRequest) {
    t.heading("SAML AuthnRequest");
    t.opt("ID", m.id.as_deref());
    t.opt("Version", m.version.as_deref());
    t.time("IssueInstant", m.issue_instant.as_ref(), TimeRole::Instant);
    t.opt("Destination", m.destination.as_deref());
    t.opt("Issuer", m.issuer.as_deref());
    t.opt("ACS URL", m.assertion_consumer_service_url.as_deref());
    t.opt("ACS index", m.assertion_consumer_service_index.as_deref());
    if let Some(b) = &m.protocol_binding {
        t.kv("ProtocolBinding", b.to_string());
    }
    t.opt("ProviderName", m.provider_name.as_deref());
    t.opt("Consent", m.consent.as_deref());
    if let Some(b) = m.force_authn {
        t.kv("ForceAuthn", b.to_string());
    }
    if let Some(b) = m.is_passive {
        t.kv("IsPassive", b.to_string());
    }
    if let Some(p) = &m.name_id_policy {
        let mut parts = Vec::new();
        if let Some(f) = &p.format {
            parts.push(f.to_string());
        }
        if let Some(a) = p.allow_create {
            parts.push(format!("AllowCreate={a}"));
        }
        if let Some(q) = &p.sp_name_qualifier {
            parts.push(format!("SPNameQualifier={q}"));
        }
        t.kv(
            "NameIDPolicy",
            if parts.is_empty() {
                "(empty)".into()
            } else {
                parts.join(", ")
            },
        );
    }
    if let Some(r) = &m.requested_authn_context {
        let refs: Vec<&str> = r
            .class_refs
            .iter()
            .chain(&r.decl_refs)
            .map(String::as_str)
            .collect();
        t.kv(
            "AuthnContext",
            format!(
                "{}: {}",
                r.comparison.as_deref().unwrap_or("exact"),
                refs.join(", ")
            ),
        );
    }
    if m.subject_present {
        t.kv("Subject", "present");
    }
    t.kv("Signed (XML)", yes_no(!m.signatures.is_empty()));
}

fn response(t: &mut Text<'_>, m: &Response) {
    t.heading("SAML Response");
    t.opt("ID", m.id.as_deref());
    t.opt(
        "InResponseTo",
        m.in_response_to
            .as_deref()
            .or(Some("(none: unsolicited / IdP-initiated)")),
    );
    t.time("IssueInstant", m.issue_instant.as_ref(), TimeRole::Instant);
    t.opt("Destination", m.destination.as_deref());
    t.opt("Issuer", m.issuer.as_deref());
    t.opt("Consent", m.consent.as_deref());
    status(t, &m.status);
    let places: Vec<&str> = m.signatures.iter().map(|s| s.parent.as_str()).collect();
    t.kv(
        "Signed",
        if places.is_empty() {
            "no".to_owned()
        } else {
            places.join(", ")
        },
    );
    t.kv(
        "Assertions",
        format!(
            "{} in clear, {} encrypted",
            m.assertions.len(),
            m.encrypted_assertions.len()
        ),
    );
    for (i, a) in m.assertions.iter().enumerate() {
        assertion(t, format!("Assertion {}", i + 1), a);
    }
    for (i, e) in m.encrypted_assertions.iter().enumerate() {
        encrypted(t, i + 1, e);
    }
}

fn logout_request(t: &mut Text<'_>, m: &LogoutRequest) {
    t.heading("SAML LogoutRequest");
    t.opt("ID", m.id.as_deref());
    t.time("IssueInstant", m.issue_instant.as_ref(), TimeRole::Instant);
    t.opt("Destination", m.destination.as_deref());
    t.opt("Issuer", m.issuer.as_deref());
    if let Some(n) = &m.name_id {
        t.kv("NameID", name_id_text(n));
    }
    if m.encrypted_id {
        t.kv("NameID", "(EncryptedID)");
    }
    for s in &m.session_indexes {
        t.kv("SessionIndex", s.as_str());
    }
    t.time(
        "NotOnOrAfter",
        m.not_on_or_after.as_ref(),
        TimeRole::NotOnOrAfter,
    );
    t.opt("Reason", m.reason.as_deref());
    t.kv("Signed (XML)", yes_no(!m.signatures.is_empty()));
}

fn logout_response(t: &mut Text<'_>, m: &LogoutResponse) {
    t.heading("SAML LogoutResponse");
    t.opt("ID", m.id.as_deref());
    t.opt("InResponseTo", m.in_response_to.as_deref());
    t.time("IssueInstant", m.issue_instant.as_ref(), TimeRole::Instant);
    t.opt("Destination", m.destination.as_deref());
    t.opt("Issuer", m.issuer.as_deref());
    status(t, &m.status);
    t.kv("Signed (XML)", yes_no(!m.signatures.is_empty()));
}

/// Writes the pretty XML under an `XML` heading.
pub(crate) fn xml_section(w: &mut dyn Write, xml: &str, show_secrets: bool) -> io::Result<()> {
    if xml.is_empty() {
        return Ok(());
    }
    writeln!(w, "XML")?;
    for line in pretty_xml_with(xml, show_secrets).lines() {
        writeln!(w, "  {line}")?;
    }
    Ok(())
}

impl SamlMessage {
    /// Readable summary for the `decode` command: aligned `key  value`
    /// sections, times in UTC with a phrase relative to
    /// `opts.reference_time`, secrets masked unless `opts.show_secrets`,
    /// then the pretty-printed XML. Signatures are described, never
    /// verified, and the text says so.
    pub fn write_text(&self, w: &mut dyn Write, opts: &TextOptions) -> io::Result<()> {
        let mut t = Text::new(opts);
        match self {
            SamlMessage::AuthnRequest(m) => authn_request(&mut t, m),
            SamlMessage::Response(m) => response(&mut t, m),
            SamlMessage::LogoutRequest(m) => logout_request(&mut t, m),
            SamlMessage::LogoutResponse(m) => logout_response(&mut t, m),
            SamlMessage::Assertion(m) => assertion(&mut t, "SAML Assertion".into(), &m.assertion),
        }
        transport(&mut t, self.transport());
        signatures(&mut t, self.signatures());
        notes(&mut t, self.notes(), self.transport());
        t.write(w)?;
        xml_section(w, self.xml(), opts.show_secrets)
    }
}
