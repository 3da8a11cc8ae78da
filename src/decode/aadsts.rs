//! The AADSTS error-code table: Microsoft Entra ID's numeric sign-in error
//! codes with Microsoft's symbolic name, our category and our own one-line
//! description for support engineers.
//!
//! The facts live in `data/aadsts.tsv` (embedded with `include_str!`; the
//! file's header names its sources). The table is parsed once, on first use,
//! into a slice sorted by code and binary-searched. Invariants (checked by
//! tests): codes are unique, every row has a category word from
//! [`Category`] and a non-empty description, and every code of
//! `../shared/reference/aadsts-codes*.tsv` is present.
//!
//! Names starting with `~` are our labels for codes Microsoft leaves
//! unnamed; they are not official.

use std::sync::OnceLock;

use serde::Serialize;

/// The embedded table (`code<TAB>name<TAB>category<TAB>description<TAB>source`).
const TABLE: &str = include_str!("../../data/aadsts.tsv");

/// What kind of failure a code stands for. The words are the `idp_error`
/// sub-categories of the report contract (plus `consent`,
/// `redirect_mismatch`, `saml` and `other`), exactly as in the reference
/// files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// A user-presented secret, certificate, Kerberos ticket or WHfB key was rejected.
    Credentials,
    /// A second factor is required, failed, or must be registered.
    Mfa,
    /// Conditional Access, security defaults, sign-in frequency, device compliance.
    ConditionalAccess,
    /// User or admin consent missing or declined.
    Consent,
    /// Reply URL / redirect_uri not registered or not matching.
    RedirectMismatch,
    /// App registration / enterprise app / client credential misconfigured.
    AppConfig,
    /// Client or resource app (service principal) missing or disabled.
    AppNotFound,
    /// The app requires assignment and the user is not assigned.
    UserNotAssigned,
    /// User missing, disabled, locked, expired, pending, not invited.
    AccountState,
    /// Wrong tenant or endpoint, cross-tenant policy, national cloud, tenant restrictions.
    Tenant,
    /// Malformed or unsupported OAuth / OIDC request, grant, scope, PKCE, JWT.
    TokenProtocol,
    /// SAML request or binding errors (Entra as the IdP).
    Saml,
    /// External IdP (AD FS, WS-Fed, SAML, OAuth IdP) or on-premises agent problems.
    Federation,
    /// Device registration, authentication, broker, PRT, webview.
    Device,
    /// SSO session, cookies, interrupts, sign-out, refresh-token lifetime.
    Session,
    /// Rate limits and loops.
    Throttling,
    /// Transient or internal Entra / directory / Graph failures.
    ServiceError,
    /// None of the above.
    Other,
}

impl Category {
    /// Every category, in declaration order.
    pub const ALL: [Category; 18] = [
        Category::Credentials,
        Category::Mfa,
        Category::ConditionalAccess,
        Category::Consent,
        Category::RedirectMismatch,
        Category::AppConfig,
        Category::AppNotFound,
        Category::UserNotAssigned,
        Category::AccountState,
        Category::Tenant,
        Category::TokenProtocol,
        Category::Saml,
        Category::Federation,
        Category::Device,
        Category::Session,
        Category::Throttling,
        Category::ServiceError,
        Category::Other,
    ];

    /// The contract word (`"conditional_access"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Credentials => "credentials",
            Category::Mfa => "mfa",
            Category::ConditionalAccess => "conditional_access",
            Category::Consent => "consent",
            Category::RedirectMismatch => "redirect_mismatch",
            Category::AppConfig => "app_config",
            Category::AppNotFound => "app_not_found",
            Category::UserNotAssigned => "user_not_assigned",
            Category::AccountState => "account_state",
            Category::Tenant => "tenant",
            Category::TokenProtocol => "token_protocol",
            Category::Saml => "saml",
            Category::Federation => "federation",
            Category::Device => "device",
            Category::Session => "session",
            Category::Throttling => "throttling",
            Category::ServiceError => "service_error",
            Category::Other => "other",
        }
    }

    /// Parses a contract word; `None` for anything else.
    pub fn parse(word: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == word)
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeInfo {
    /// The number after `AADSTS`.
    pub code: u32,
    /// Microsoft's symbolic name, or our `~Label` when Microsoft gives none.
    pub name: &'static str,
    /// Our classification.
    pub category: Category,
    /// Our one-line meaning + usual cause.
    pub description: &'static str,
    /// Where the row comes from: `doc2025` (Microsoft's current table),
    /// `hist2018`, `msandbu` or `wild` (see the file header).
    pub source: &'static str,
}

impl CodeInfo {
    /// Whether the name is our label rather than Microsoft's.
    pub fn is_our_label(&self) -> bool {
        self.name.starts_with('~')
    }

    /// Whether Microsoft's current reference table lists the code.
    pub fn is_documented(&self) -> bool {
        self.source == "doc2025"
    }

    /// The `explain` rendering: code and name, then aligned facts.
    pub fn write_text(
        &self,
        w: &mut dyn std::io::Write,
        _opts: &super::TextOptions,
    ) -> std::io::Result<()> {
        writeln!(w, "AADSTS{} {}", self.code, self.name)?;
        writeln!(w, "  {:<12} {}", "Category", self.category)?;
        writeln!(w, "  {:<12} {}", "Meaning", self.description)?;
        let source = match self.source {
            "doc2025" => "Microsoft's AADSTS reference table (2025)",
            "hist2018" => "Microsoft's 2018 table (no longer listed)",
            "msandbu" => "community sign-in log code list (not in Microsoft's table)",
            _ => "seen in public error reports (not in Microsoft's table)",
        };
        writeln!(w, "  {:<12} {source}", "Source")?;
        if self.is_our_label() {
            writeln!(
                w,
                "  {:<12} the name is our label; Microsoft gives none",
                "Note"
            )?;
        }
        Ok(())
    }
}

/// The date of the newest Microsoft source the table follows (its
/// `# table-date: YYYY-MM-DD` header line), shown by `--version`.
pub fn table_date() -> Option<&'static str> {
    TABLE
        .lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.strip_prefix("# table-date:"))
        .and_then(|rest| rest.split_whitespace().next())
}

/// The whole table, sorted by code.
pub fn all() -> &'static [CodeInfo] {
    static PARSED: OnceLock<Vec<CodeInfo>> = OnceLock::new();
    PARSED.get_or_init(|| parse_table(TABLE))
}

/// Parses table text; malformed rows are skipped (tests assert none are).
fn parse_table(text: &'static str) -> Vec<CodeInfo> {
    let mut rows: Vec<CodeInfo> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("code\t") && !l.trim().is_empty())
        .filter_map(parse_row)
        .collect();
    rows.sort_by_key(|r| r.code);
    rows
}

fn parse_row(line: &'static str) -> Option<CodeInfo> {
    let mut cols = line.split('\t');
    let code = cols.next()?.trim().parse().ok()?;
    let name = cols.next()?.trim();
    let category = Category::parse(cols.next()?.trim())?;
    let description = cols.next()?.trim();
    let source = cols.next().map_or("doc2025", str::trim);
    Some(CodeInfo {
        code,
        name,
        category,
        description,
        source,
    })
}

/// The table row for `code`, if we know it.
pub fn lookup(code: u32) -> Option<&'static CodeInfo> {
    let table = all();
    table
        .binary_search_by_key(&code, |r| r.code)
        .ok()
        .and_then(|i| table.get(i))
}

/// Longest digit run we accept as a code (codes have at most 7 digits today;
/// 9 keeps every value inside `u32`).
const MAX_DIGITS: usize = 9;

/// Parses `"AADSTS50011"`, `"aadsts50011"`, `"50011"` (surrounding spaces and
/// a trailing `:` allowed) into `50011`.
pub fn parse_code(s: &str) -> Option<u32> {
    let s = s.trim();
    let s = s.strip_suffix(':').unwrap_or(s);
    let digits = match s.get(..6) {
        Some(prefix) if prefix.eq_ignore_ascii_case("AADSTS") => s.get(6..)?,
        _ => s,
    };
    if digits.is_empty() || digits.len() > MAX_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    digits.parse().ok()
}

/// Every `AADSTS<digits>` in `text` (ASCII case-insensitive), in order of
/// first appearance, without duplicates.
pub fn find_codes(text: &str) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut pos = 0;
    while let Some(off) = memchr::memchr2(b'A', b'a', bytes.get(pos..).unwrap_or_default()) {
        let start = pos + off;
        pos = start + 1;
        let Some(prefix) = bytes.get(start..start + 6) else {
            break;
        };
        if !prefix.eq_ignore_ascii_case(b"AADSTS") {
            continue;
        }
        let digits_start = start + 6;
        let len = bytes
            .get(digits_start..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        pos = digits_start + len;
        if len == 0 || len > MAX_DIGITS {
            continue;
        }
        let code = text
            .get(digits_start..digits_start + len)
            .and_then(|d| d.parse::<u32>().ok());
        if let Some(code) = code.filter(|c| !found.contains(c)) {
            found.push(code);
        }
    }
    found
}

/// A code as reported somewhere, with its table row when known. Serializes
/// as `{"code":50011,"name":…,"category":…,"description":…}` (plus
/// `"table_source"` when the row is not from Microsoft's current table) or
/// `{"code":123,"known":false}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCode {
    pub code: u32,
    pub info: Option<&'static CodeInfo>,
}

impl ErrorCode {
    /// Looks the code up.
    pub fn new(code: u32) -> Self {
        Self {
            code,
            info: lookup(code),
        }
    }

    /// The category, when the code is in the table.
    pub fn category(&self) -> Option<Category> {
        self.info.map(|i| i.category)
    }

    /// One line: `AADSTS50011 InvalidReplyTo [redirect_mismatch]`.
    pub fn headline(&self) -> String {
        match self.info {
            Some(i) => format!("AADSTS{} {} [{}]", self.code, i.name, i.category),
            None => format!("AADSTS{} (not in our code table)", self.code),
        }
    }

    /// Our description, when known.
    pub fn description(&self) -> Option<&'static str> {
        self.info.map(|i| i.description)
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("code", &self.code)?;
        match self.info {
            Some(i) => {
                m.serialize_entry("name", i.name)?;
                m.serialize_entry("category", &i.category)?;
                m.serialize_entry("description", i.description)?;
                if !i.is_documented() {
                    m.serialize_entry("table_source", i.source)?;
                }
            }
            None => m.serialize_entry("known", &false)?,
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::path::Path;

    #[test]
    fn table_names_its_date() {
        let date = table_date().unwrap();
        assert!(
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
            "{date}"
        );
    }

    fn reference_codes() -> Option<Vec<(u32, String, String)>> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference");
        let mut rows = Vec::new();
        for file in ["aadsts-codes.tsv", "aadsts-codes-extra.tsv"] {
            let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
                eprintln!("skipping: {} not found", dir.join(file).display());
                return None;
            };
            for line in text.lines() {
                if line.starts_with('#') || line.starts_with("code\t") || line.trim().is_empty() {
                    continue;
                }
                let cols: Vec<&str> = line.split('\t').collect();
                rows.push((
                    cols[0].parse().unwrap(),
                    cols[1].to_owned(),
                    cols[2].to_owned(),
                ));
            }
        }
        Some(rows)
    }

    #[test]
    fn table_has_every_reference_code_with_same_name_and_category() {
        let Some(reference) = reference_codes() else {
            return;
        };
        assert!(reference.len() > 300);
        for (code, name, category) in &reference {
            let row = lookup(*code).unwrap_or_else(|| panic!("AADSTS{code} missing"));
            assert_eq!(row.name, name, "name of {code}");
            assert_eq!(row.category.as_str(), category, "category of {code}");
        }
        assert_eq!(
            all().len(),
            reference.len(),
            "table has rows not in the reference"
        );
    }

    #[test]
    fn every_table_line_parses() {
        let data_lines = TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("code\t") && !l.trim().is_empty())
            .count();
        assert_eq!(all().len(), data_lines);
        for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
            assert_eq!(line.split('\t').count(), 5, "column count: {line}");
        }
    }

    #[test]
    fn codes_are_unique_and_sorted() {
        let codes: Vec<u32> = all().iter().map(|r| r.code).collect();
        let unique: HashSet<u32> = codes.iter().copied().collect();
        assert_eq!(unique.len(), codes.len());
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn descriptions_are_present_short_and_distinct() {
        let mut seen = HashSet::new();
        for row in all() {
            assert!(!row.description.is_empty(), "{}", row.code);
            assert!(
                row.description.chars().count() <= 110,
                "{} too long",
                row.code
            );
            assert!(
                seen.insert(row.description),
                "duplicate description: {}",
                row.code
            );
        }
    }

    #[test]
    fn lookup_finds_known_codes() {
        let cases = [
            (50011, "InvalidReplyTo", Category::RedirectMismatch),
            (
                53003,
                "BlockedByConditionalAccess",
                Category::ConditionalAccess,
            ),
            (50058, "UserInformationNotProvided", Category::Session),
            (165000, "InvalidRequestCanary", Category::Session),
            (
                50105,
                "EntitlementGrantsNotFound",
                Category::UserNotAssigned,
            ),
        ];
        for (code, name, category) in cases {
            let row = lookup(code).unwrap();
            assert_eq!((row.name, row.category), (name, category));
        }
        assert!(lookup(1).is_none());
        assert!(lookup(u32::MAX).is_none());
    }

    #[test]
    fn parse_code_accepts_prefixed_and_bare_forms() {
        let cases = [
            ("AADSTS50011", Some(50011)),
            ("aadsts50011", Some(50011)),
            ("50011", Some(50011)),
            (" AADSTS700016: ", Some(700016)),
            ("AADSTS", None),
            ("AADSTS5001x", None),
            ("", None),
            ("1234567890", None),
            ("-5", None),
            ("AADSTSé", None),
            ("AADST", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_code(input), want, "{input:?}");
        }
    }

    #[test]
    fn find_codes_returns_each_code_once_in_order() {
        let text = "AADSTS75006: bad. aadsts90011: name id. AADSTS75006 again; AADSTS; \
                    AADSTS12345678901 too long; xAADSTS50011";
        assert_eq!(find_codes(text), vec![75006, 90011, 50011]);
        assert!(find_codes("no codes here, AADST 5").is_empty());
        assert_eq!(find_codes("ééAADSTS50058"), vec![50058]);
    }

    #[test]
    fn error_code_serializes_table_facts_or_unknown() {
        let known = serde_json::to_value(ErrorCode::new(50011)).unwrap();
        assert_eq!(known["name"], "InvalidReplyTo");
        assert_eq!(known["category"], "redirect_mismatch");
        let unknown = serde_json::to_value(ErrorCode::new(42)).unwrap();
        assert_eq!(unknown, serde_json::json!({"code": 42, "known": false}));
        let extra = serde_json::to_value(ErrorCode::new(165000)).unwrap();
        assert_eq!(extra["table_source"], "hist2018");
    }

    #[test]
    fn write_text_explains_a_code() {
        let mut out = Vec::new();
        let opts = crate::decode::TextOptions::default();
        lookup(700038).unwrap().write_text(&mut out, &opts).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("AADSTS700038 ~InvalidApplicationIdentifier\n"));
        assert!(text.contains("Category     app_not_found"));
        assert!(text.contains("our label"));
    }

    #[test]
    fn category_words_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
    }
}
