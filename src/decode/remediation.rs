//! What to do about an error code, and who does it — the "what happened /
//! what to do / who acts" of Entra's Sign-in Diagnostic, for every IdP the
//! tool knows: Entra `AADSTS…`, Azure AD B2C `AADB2C…`, Okta `E0000…`, AD FS
//! `MSIS…`, Google's OAuth error words, the generic OAuth 2.0 / OpenID
//! Connect errors (RFC 6749 §4.1.2.1 / §5.2, OIDC Core §3.1.2.6) and SAML
//! 2.0 status codes (SAML core §3.2.2.2); plus who acts on each diagnosis
//! rule.
//!
//! The facts live in `data/remediation.tsv` (embedded with `include_str!`,
//! parsed once on first use; its header names the sources, and every row
//! says where it comes from or that it is inferred). Invariants, checked by
//! tests: every row parses, codes are unique (ASCII case-insensitively), no
//! two rows share a remediation, every row has at least one `who`, and the
//! codes support meets most (issue 13's list) are all present.

use std::sync::OnceLock;

use serde::Serialize;

use super::ErrorInfo;

/// The embedded table (`code<TAB>idp<TAB>who<TAB>meaning<TAB>steps<TAB>source`).
const TABLE: &str = include_str!("../../data/remediation.tsv");

/// Who has to act on a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Who {
    /// The person signing in (retry, right password, register MFA…).
    User,
    /// First-line support: reset, unlock, re-register, recapture.
    Helpdesk,
    /// The IdP / tenant administrator: policy, assignment, consent, trust.
    Admin,
    /// Whoever builds or configures the app: registration, request, library.
    Developer,
    /// Nobody: benign or informational (an interrupt, a pending poll).
    None,
}

impl Who {
    /// Every value, in declaration order.
    pub const ALL: [Who; 5] = [
        Who::User,
        Who::Helpdesk,
        Who::Admin,
        Who::Developer,
        Who::None,
    ];

    /// The word used in the data file and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Who::User => "user",
            Who::Helpdesk => "helpdesk",
            Who::Admin => "admin",
            Who::Developer => "developer",
            Who::None => "none",
        }
    }

    /// Parses a data-file word; `None` for anything else.
    pub fn parse(word: &str) -> Option<Who> {
        Who::ALL.into_iter().find(|w| w.as_str() == word.trim())
    }
}

impl std::fmt::Display for Who {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `user, admin` — for text and Markdown.
pub fn who_list(who: &[Who]) -> String {
    who.iter()
        .map(|w| w.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whose code vocabulary a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Entra,
    B2c,
    Okta,
    Adfs,
    Google,
    /// RFC 6749 / OIDC Core error words, used by every OAuth IdP.
    Oauth,
    /// SAML core top-level status codes (`Requester`, `Responder`), used
    /// by every SAML IdP and too broad to say what happened.
    Saml,
    /// SAML core second-level status codes (`AuthnFailed`, `RequestDenied`).
    SamlDetail,
    /// Our `~category` rows: what to do about a failure category when no
    /// code row applies.
    Category,
}

impl Family {
    fn parse(word: &str) -> Option<Family> {
        Some(match word.trim() {
            "entra" => Family::Entra,
            "b2c" => Family::B2c,
            "okta" => Family::Okta,
            "adfs" => Family::Adfs,
            "google" => Family::Google,
            "oauth" => Family::Oauth,
            "saml" => Family::Saml,
            "saml-detail" => Family::SamlDetail,
            "category" => Family::Category,
            _ => return None,
        })
    }

    /// Whose codes these are, for people.
    pub fn display(self) -> &'static str {
        match self {
            Family::Entra => "Microsoft Entra ID",
            Family::B2c => "Azure AD B2C",
            Family::Okta => "Okta",
            Family::Adfs => "AD FS",
            Family::Google => "Google OAuth",
            Family::Oauth => "OAuth 2.0 / OpenID Connect",
            Family::Saml => "SAML 2.0 status",
            Family::SamlDetail => "SAML 2.0 second-level status",
            Family::Category => "trace-inspect category",
        }
    }

    /// Whether the code names one IdP's specific condition (as opposed to a
    /// protocol-level word such as `access_denied`, whose meaning is too
    /// broad to replace a rule's own title or fix).
    pub fn is_specific(self) -> bool {
        !matches!(self, Family::Oauth | Family::Saml | Family::Category)
    }
}

/// One row: what a code means and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Remedy {
    /// The code as the IdP writes it (`AADSTS50126`, `E0000004`, …).
    pub code: &'static str,
    pub family: Family,
    /// Who acts, the first acting first.
    pub who: Vec<Who>,
    /// Plain words: "wrong user name or password".
    pub meaning: &'static str,
    /// What to do, in the order support tries it.
    pub steps: Vec<&'static str>,
    /// Where the facts come from (`inferred` where we infer).
    pub source: &'static str,
}

impl Remedy {
    /// The steps as one line for a finding's `fix`, who acts at the end:
    /// `(1) … (2) … — who acts: user, helpdesk`.
    pub fn fix_line(&self) -> String {
        let steps: Vec<String> = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| format!("({}) {}.", i + 1, s.trim_end_matches('.')))
            .collect();
        format!("{} — who acts: {}", steps.join(" "), who_list(&self.who))
    }
}

/// The whole table, in file order.
pub fn all() -> &'static [Remedy] {
    static PARSED: OnceLock<Vec<Remedy>> = OnceLock::new();
    PARSED.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| is_data_line(l))
            .filter_map(parse_row)
            .collect()
    })
}

fn is_data_line(line: &str) -> bool {
    !line.starts_with('#') && !line.starts_with("code\t") && !line.trim().is_empty()
}

fn parse_row(line: &'static str) -> Option<Remedy> {
    let mut cols = line.split('\t');
    let code = cols.next()?.trim();
    let family = Family::parse(cols.next()?)?;
    let who: Vec<Who> = cols
        .next()?
        .split(',')
        .map(Who::parse)
        .collect::<Option<_>>()?;
    let meaning = cols.next()?.trim();
    let steps: Vec<&str> = cols
        .next()?
        .split(" | ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let source = cols.next()?.trim();
    if code.is_empty() || who.is_empty() || meaning.is_empty() || steps.is_empty() {
        return None;
    }
    Some(Remedy {
        code,
        family,
        who,
        meaning,
        steps,
        source,
    })
}

/// The row for a code as typed or reported: `AADSTS50126`, `50126` (a bare
/// number is an AADSTS code), `e0000004`, `MSIS7042`, `redirect_uri_mismatch`,
/// a SAML status URN or local name. ASCII case-insensitive.
pub fn lookup(code: &str) -> Option<&'static Remedy> {
    let code = code.trim().trim_end_matches(':');
    if let Some(n) = super::aadsts::parse_code(code) {
        return lookup_aadsts(n);
    }
    let code = code
        .strip_prefix("urn:oasis:names:tc:SAML:2.0:status:")
        .unwrap_or(code);
    all().iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

/// The row for `AADSTS<n>`.
pub fn lookup_aadsts(n: u32) -> Option<&'static Remedy> {
    let want = format!("AADSTS{n}");
    all().iter().find(|r| r.code == want)
}

/// The remedy for an error the IdP reported: its AADSTS codes first, then
/// IdP-specific codes written in its description (`AADB2C90118: …`,
/// `MSIS7042: …`), then its own code (`E0000004`, `redirect_uri_mismatch`,
/// `access_denied`; for a SAML status chain `Responder > AuthnFailed` the
/// most specific known part).
pub fn for_error(info: &ErrorInfo) -> Option<&'static Remedy> {
    if let Some(r) = info.aadsts.iter().find_map(|c| lookup_aadsts(*c)) {
        return Some(r);
    }
    if let Some(r) = info.description.as_deref().and_then(specific_code_in) {
        return Some(r);
    }
    lookup_reported(&info.code)
}

/// [`lookup`] for a code as a report shows it: a SAML status chain
/// `Responder > AuthnFailed` gives its most specific known part.
pub fn lookup_reported(code: &str) -> Option<&'static Remedy> {
    lookup(code).or_else(|| {
        code.split('>')
            .rev()
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .find_map(lookup)
    })
}

/// The row for one of our failure categories (`user_not_assigned`,
/// `conditional_access`…: the words of [`super::aadsts::Category`]).
pub fn for_category(word: &str) -> Option<&'static Remedy> {
    let want = format!("~{}", word.trim());
    all()
        .iter()
        .find(|r| r.family == Family::Category && r.code == want)
}

/// Who acts on a reported error: an IdP-specific code's row, else the
/// error's category (the decoder's hint, e.g. Okta's "not assigned"), else
/// the protocol word's row.
pub fn who_for_error(info: &ErrorInfo) -> Vec<Who> {
    let code = for_error(info);
    let category = info.hint.as_deref().and_then(for_category);
    match (code, category) {
        (Some(r), _) if r.family.is_specific() => r.who.clone(),
        (_, Some(c)) => c.who.clone(),
        (Some(r), None) => r.who.clone(),
        (None, None) => Vec::new(),
    }
}

/// The first IdP-specific code (not a bare number, not a protocol word)
/// that appears as a word of `text`.
pub fn specific_code_in(text: &str) -> Option<&'static Remedy> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 5 && w.bytes().any(|b| b.is_ascii_digit()))
        .filter(|w| !w.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(lookup)
        .find(|r| r.family.is_specific())
}

/// Who usually acts on an AADSTS code the table has no row for: its
/// category's `~row` (our inference from the category's meaning, see
/// `data/aadsts.tsv`).
pub fn category_who(category: super::aadsts::Category) -> &'static [Who] {
    for_category(category.as_str()).map_or(&[], |r| &r.who)
}

/// Who acts on an AADSTS code: its row's `who`, else the category's.
pub fn aadsts_who(n: u32) -> &'static [Who] {
    if let Some(r) = lookup_aadsts(n) {
        return &r.who;
    }
    super::aadsts::lookup(n).map_or(&[], |i| category_who(i.category))
}

/// Who acts on each diagnosis rule's finding (rule code → who, first acting
/// first). Kept here, beside the codes, so the rule declarations stay as
/// they are; a test checks every registered rule has an entry.
///
/// Capture-quality findings are for whoever asked for the capture (a new
/// capture is the fix); app-side validation failures for the app's
/// developer; trust and policy settings for the IdP admin.
pub const RULE_WHO: &[(&str, &[Who])] = &[
    ("https-not-decrypted", &[Who::Helpdesk]),
    // The capture stops before the sign-in ended: ask the user for a
    // capture of the whole attempt (inferred).
    ("sign-in-incomplete", &[Who::Helpdesk, Who::User]),
    // An error page whose cause no other rule names: whoever runs the party
    // that answered reads its logs (inferred).
    ("error-surface", &[Who::Admin, Who::Developer]),
    // The app could not fetch the IdP's metadata (CORS, 404): the app's
    // configuration or the IdP's CORS policy (inferred).
    ("discovery-failed", &[Who::Developer, Who::Admin]),
    // The app accepted the callback, then failed on its own page.
    ("rejected-after-callback", &[Who::Developer]),
    // Wrong password, locked / disabled account: the user first, then the
    // helpdesk (the codes' own rows say more).
    ("credentials", &[Who::User, Who::Helpdesk]),
    // An MFA prompt or Conditional Access: the user completes it, or an
    // admin reviews the policy / the user's methods.
    ("mfa-interrupt", &[Who::User, Who::Admin]),
    // An expired device code: the user signs in again in time (RFC 8628).
    ("device-code", &[Who::User]),
    // Kerberos / NTLM refused: the machine's domain join, the browser's
    // intranet zone, the AD FS SPN — the helpdesk, then an admin (inferred).
    ("windows-auth-failed", &[Who::Helpdesk, Who::Admin]),
    // A re-posted answer (Back button): sign in again from the app.
    ("replay", &[Who::User, Who::Developer]),
    // The IdP or the app lost the deep link (inferred).
    ("relay-state-lost", &[Who::Developer, Who::Admin]),
    // Signatures and encryption: the app's trust in the IdP's certificate
    // or the IdP's copy of the app's encryption certificate (inferred).
    ("signature-wrapping", &[Who::Developer, Who::Admin]),
    ("saml-signature-untrusted", &[Who::Admin]),
    ("saml-signature-invalid", &[Who::Admin, Who::Developer]),
    ("saml-signature-sha1", &[Who::Admin]),
    ("encryption-key-mismatch", &[Who::Admin]),
    ("jwt-alg-none", &[Who::Developer]),
    ("jwt-signature-invalid", &[Who::Developer, Who::Admin]),
    ("sanitized-export", &[Who::Helpdesk]),
    ("bodies-missing", &[Who::Helpdesk]),
    ("truncated-capture", &[Who::Helpdesk]),
    ("capture-started-mid-flow", &[Who::Helpdesk]),
    ("no-identity-traffic", &[Who::Helpdesk]),
    ("webview-blocked", &[Who::Developer]),
    ("embedded-user-agent", &[Who::Developer]),
    ("redirect-uri-mismatch", &[Who::Developer, Who::Admin]),
    ("saml-acs-mismatch", &[Who::Admin, Who::Developer]),
    ("consent-prompt", &[Who::None]),
    ("consent-declined", &[Who::User, Who::Admin]),
    ("admin-consent-required", &[Who::Admin]),
    ("consent-required-silent", &[Who::Developer]),
    ("idp-error", &[Who::Admin]),
    ("cookie-dropped", &[Who::Developer]),
    ("saml-in-response-to-mismatch", &[Who::Developer]),
    ("oidc-state-mismatch", &[Who::Developer]),
    ("oidc-nonce-mismatch", &[Who::Developer]),
    ("oidc-audience-mismatch", &[Who::Developer, Who::Admin]),
    ("oidc-token-time", &[Who::Admin, Who::Developer]),
    ("saml-destination-mismatch", &[Who::Admin, Who::Developer]),
    ("saml-audience-mismatch", &[Who::Admin, Who::Developer]),
    ("clock-skew", &[Who::Admin, Who::Developer]),
    ("saml-signature-missing", &[Who::Admin]),
    ("saml-signing-certificate", &[Who::Admin]),
    ("redirect-loop", &[Who::Developer]),
    ("response-rejected", &[Who::Developer]),
    ("server-error", &[Who::Developer, Who::Admin]),
];

/// Who acts on a rule's finding; empty for an unknown rule code.
pub fn rule_who(code: &str) -> &'static [Who] {
    RULE_WHO
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code.trim()))
        .map_or(&[], |(_, w)| *w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Issue 13's list: the Entra codes support meets most.
    const REQUIRED_AADSTS: [u32; 44] = [
        16000, 50001, 50011, 50020, 50034, 50053, 50055, 50057, 50058, 50072, 50074, 50076, 50079,
        50097, 50105, 50107, 50126, 50140, 50158, 50173, 50199, 53000, 53001, 53003, 53004, 65001,
        65004, 70011, 70016, 70020, 75005, 75011, 81010, 90014, 90072, 90094, 500133, 530032,
        650057, 700016, 700054, 7000215, 7500514, 900561,
    ];

    #[test]
    fn every_table_line_parses() {
        let lines: Vec<&str> = TABLE.lines().filter(|l| is_data_line(l)).collect();
        for line in &lines {
            assert_eq!(line.split('\t').count(), 6, "column count: {line}");
            assert!(parse_row(line).is_some(), "row does not parse: {line}");
        }
        assert_eq!(all().len(), lines.len());
        assert!(all().len() > 100);
    }

    #[test]
    fn codes_are_unique_and_remediations_distinct() {
        let mut codes = HashSet::new();
        let mut fixes = HashSet::new();
        let mut meanings = HashSet::new();
        for r in all() {
            assert!(
                codes.insert(r.code.to_ascii_lowercase()),
                "duplicate code {}",
                r.code
            );
            assert!(
                fixes.insert(r.steps.join(" | ")),
                "shared steps: {}",
                r.code
            );
            assert!(meanings.insert(r.meaning), "shared meaning: {}", r.code);
            assert!(!r.source.is_empty(), "{} has no source", r.code);
        }
    }

    #[test]
    fn required_codes_are_present_with_who() {
        for n in REQUIRED_AADSTS {
            let r = lookup_aadsts(n).unwrap_or_else(|| panic!("AADSTS{n} has no remediation"));
            assert!(!r.who.is_empty());
            assert_eq!(r.family, Family::Entra);
        }
        for code in [
            "AADB2C90118",
            "AADB2C90091",
            "AADB2C90006",
            "E0000004",
            "E0000119",
            "MSIS7012",
            "MSIS7042",
            "admin_policy_enforced",
            "redirect_uri_mismatch",
            "access_denied",
            "AuthnFailed",
        ] {
            assert!(lookup(code).is_some(), "{code} has no remediation");
        }
    }

    #[test]
    fn meanings_read_inside_a_sentence() {
        for r in all() {
            assert!(!r.meaning.ends_with('.'), "{}", r.code);
            assert!(r.meaning.chars().count() <= 100, "{} too long", r.code);
        }
    }

    #[test]
    fn benign_codes_say_nobody_acts_first() {
        for n in [50058, 50140, 70016] {
            assert_eq!(lookup_aadsts(n).unwrap().who.first(), Some(&Who::None));
        }
        assert_eq!(lookup("50126").unwrap().who.first(), Some(&Who::User));
        assert_eq!(lookup("AADSTS50105").unwrap().who, vec![Who::Admin]);
    }

    #[test]
    fn lookup_accepts_the_forms_codes_come_in() {
        let cases = [
            ("AADSTS50126", "AADSTS50126"),
            ("aadsts50126:", "AADSTS50126"),
            ("50126", "AADSTS50126"),
            ("e0000004", "E0000004"),
            ("MSIS7042", "MSIS7042"),
            ("Redirect_URI_Mismatch", "redirect_uri_mismatch"),
            (
                "urn:oasis:names:tc:SAML:2.0:status:RequestDenied",
                "RequestDenied",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(lookup(input).map(|r| r.code), Some(want), "{input}");
        }
        for unknown in ["", "1", "AADSTS1", "nope", "E9999999"] {
            assert!(lookup(unknown).is_none(), "{unknown}");
        }
    }

    fn info(code: &str, description: Option<&str>, aadsts: Vec<u32>) -> ErrorInfo {
        ErrorInfo {
            code: code.to_owned(),
            description: description.map(str::to_owned),
            aadsts,
            hint: None,
        }
    }

    #[test]
    fn for_error_prefers_aadsts_then_specific_codes_then_the_error_word() {
        let entra = info("invalid_grant", Some("AADSTS50126: x"), vec![50126]);
        assert_eq!(for_error(&entra).map(|r| r.code), Some("AADSTS50126"));
        let b2c = info(
            "access_denied",
            Some("AADB2C90118: The user has forgotten their password.\r\nCorrelation ID: 1"),
            vec![],
        );
        assert_eq!(for_error(&b2c).map(|r| r.code), Some("AADB2C90118"));
        let adfs = info("adfs_error_page", Some("MSIS7042: loop"), vec![]);
        assert_eq!(for_error(&adfs).map(|r| r.code), Some("MSIS7042"));
        let okta = info("E0000004", Some("Authentication failed"), vec![]);
        assert_eq!(for_error(&okta).map(|r| r.code), Some("E0000004"));
        let plain = info("access_denied", Some("the user canceled"), vec![]);
        assert_eq!(for_error(&plain).map(|r| r.code), Some("access_denied"));
        let saml = info("Responder > AuthnFailed", None, vec![]);
        assert_eq!(for_error(&saml).map(|r| r.code), Some("AuthnFailed"));
        let saml_generic = info("Responder > SomethingNew", None, vec![]);
        assert_eq!(for_error(&saml_generic).map(|r| r.code), Some("Responder"));
        assert!(for_error(&info("weird", Some("no code 12345"), vec![])).is_none());
    }

    #[test]
    fn specific_codes_in_text_skip_protocol_words_and_numbers() {
        assert!(specific_code_in("access_denied 50126 Requester").is_none());
        assert_eq!(
            specific_code_in("error: MSIS9622: client auth").map(|r| r.code),
            Some("MSIS9622")
        );
    }

    #[test]
    fn every_category_has_a_row() {
        for c in crate::decode::aadsts::Category::ALL {
            let r = for_category(c.as_str()).unwrap_or_else(|| panic!("no ~{c} row"));
            assert!(!r.who.is_empty());
            assert!(!category_who(c).is_empty());
        }
        assert!(for_category("nope").is_none());
    }

    #[test]
    fn who_for_error_prefers_a_specific_code_then_the_category() {
        let mut okta = info("access_denied", Some("User is not assigned"), vec![]);
        okta.hint = Some("user_not_assigned".to_owned());
        assert_eq!(who_for_error(&okta), vec![Who::Admin]);
        let entra = info("invalid_grant", None, vec![50126]);
        assert_eq!(who_for_error(&entra), vec![Who::User, Who::Helpdesk]);
        let plain = info("temporarily_unavailable", None, vec![]);
        assert_eq!(who_for_error(&plain), vec![Who::None]);
        assert!(who_for_error(&info("weird", None, vec![])).is_empty());
    }

    #[test]
    fn fix_line_numbers_steps_and_names_who() {
        let line = lookup("50105").unwrap().fix_line();
        assert!(line.starts_with("(1) Assign the user"), "{line}");
        assert!(line.contains(" (2) "), "{line}");
        assert!(line.ends_with("— who acts: admin"), "{line}");
    }

    #[test]
    fn who_words_round_trip() {
        for w in Who::ALL {
            assert_eq!(Who::parse(w.as_str()), Some(w));
            assert_eq!(serde_json::to_value(w).unwrap(), w.as_str());
        }
    }
}
