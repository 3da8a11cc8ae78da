//! Free text: one pass per pattern (JSON members, hidden inputs, absolute
//! URLs, `name=value` pairs, JWTs, PEM private keys, and with `--pii`
//! e-mails and IPv4 addresses), each skipping text that is already a
//! pseudonym.

use super::*;

impl<'k> Redactor<'k> {
    // Free text: one pass per pattern, each skipping pseudonyms

    /// Free text: JSON members, hidden inputs, URLs, `name=value` pairs,
    /// JWTs, PEM private keys, and with `--pii` e-mails and IPv4 addresses.
    pub fn text(&mut self, text: &str, place: Place) -> Option<String> {
        let mut current: Option<String> = None;
        let passes: [Pass<'k>; 7] = [
            Self::json_members,
            Self::html_inputs,
            Self::absolute_urls,
            Self::pairs,
            Self::jwts,
            Self::private_keys,
            Self::pii_text_pass,
        ];
        for pass in passes {
            let input = current.as_deref().unwrap_or(text);
            if let Some(next) = pass(self, input, place) {
                current = Some(next);
            }
        }
        current
    }

    /// Scripts and style sheets: `name=value` in code is an assignment,
    /// not a parameter, so only JSON members, URLs, JWTs, keys and PII.
    pub fn script(&mut self, text: &str) -> Option<String> {
        let mut current: Option<String> = None;
        let passes: [Pass<'k>; 5] = [
            Self::json_members,
            Self::absolute_urls,
            Self::jwts,
            Self::private_keys,
            Self::pii_text_pass,
        ];
        for pass in passes {
            let input = current.as_deref().unwrap_or(text);
            if let Some(next) = pass(self, input, Place::TextBody) {
                current = Some(next);
            }
        }
        current
    }

    /// `"name": "value"` anywhere (JSON bodies that did not parse, `$Config`
    /// objects in pages, JSON in strings).
    pub(super) fn json_members(&mut self, text: &str, place: Place) -> Option<String> {
        if !text.contains("\":") && !text.contains("\" :") {
            return None;
        }
        let bytes = text.as_bytes();
        let mut edits = Vec::new();
        let mut i = 0;
        while let Some(off) = memchr::memchr(b'"', bytes.get(i..).unwrap_or_default()) {
            let key_start = i + off;
            let Some(key_end) = string_end(bytes, key_start) else {
                break;
            };
            let mut j = skip_ws(bytes, key_end);
            if bytes.get(j) != Some(&b':') {
                i = key_end;
                continue;
            }
            j = skip_ws(bytes, j + 1);
            if bytes.get(j) != Some(&b'"') {
                i = j;
                continue;
            }
            let Some(value_end) = string_end(bytes, j) else {
                break;
            };
            let key: Option<String> = text
                .get(key_start..key_end)
                .and_then(|k| serde_json::from_str(k).ok());
            let value: Option<String> = text
                .get(j..value_end)
                .and_then(|v| serde_json::from_str(v).ok());
            if let (Some(k), Some(v)) = (key, value)
                && let Some(new) = self.nested(|r| r.named(&k, &v, place))
                && let Ok(lit) = serde_json::to_string(&new)
            {
                edits.push((j, value_end, lit));
            }
            i = value_end;
        }
        apply(text, edits)
    }

    /// `<input name="…" value="…">` in pages (auto-post forms, hidden
    /// fields): the value by the input's name, HTML-unescaped and escaped
    /// back.
    pub(super) fn html_inputs(&mut self, text: &str, _place: Place) -> Option<String> {
        let lower = text.to_ascii_lowercase();
        if !lower.contains("<input") {
            return None;
        }
        let mut edits = Vec::new();
        let mut from = 0;
        while let Some(off) = lower.get(from..).and_then(|l| l.find("<input")) {
            let start = from + off + "<input".len();
            let end = lower
                .get(start..)
                .and_then(|l| l.find('>'))
                .map_or(text.len(), |e| start + e);
            let attrs = attributes(text.get(start..end).unwrap_or_default());
            let get = |n: &str| {
                attrs
                    .iter()
                    .find(|a| a.name == n && a.value.is_some())
                    .and_then(|a| a.value.clone())
            };
            if let (Some(name), Some(value)) = (get("name"), get("value")) {
                let name_text = decode_entities(
                    text.get(start + name.start..start + name.end)
                        .unwrap_or_default(),
                );
                let raw = text
                    .get(start + value.start..start + value.end)
                    .unwrap_or_default();
                if let Some(new) =
                    self.nested(|r| r.named(&name_text, &decode_entities(raw), Place::HtmlBody))
                {
                    edits.push((
                        start + value.start,
                        start + value.end,
                        html_escape(&new).into_owned(),
                    ));
                }
            }
            from = end.max(start);
        }
        apply(text, edits)
    }

    /// Absolute `http(s)://` URLs in text.
    pub(super) fn absolute_urls(&mut self, text: &str, _place: Place) -> Option<String> {
        if !text.contains("://") {
            return None;
        }
        let mut edits = Vec::new();
        let mut from = 0;
        while let Some(off) = text.get(from..).and_then(|t| t.find("http")) {
            let start = from + off;
            let rest = text.get(start..).unwrap_or_default();
            let is_url = rest.starts_with("https://") || rest.starts_with("http://");
            let boundary = start == 0
                || text
                    .as_bytes()
                    .get(start - 1)
                    .is_some_and(|b| !b.is_ascii_alphanumeric());
            if !(is_url && boundary) {
                from = start + 4;
                continue;
            }
            let len = rest
                .find(|c: char| c.is_whitespace() || "\"'<>`\\)]}".contains(c))
                .unwrap_or(rest.len());
            let url = rest.get(..len).unwrap_or_default();
            if url.contains(['?', '#', '@'])
                && let Some(new) = self.url(url)
            {
                edits.push((start, start + len, new));
            }
            from = start + len.max(4);
        }
        apply(text, edits)
    }

    /// `name=value` pairs whose name is a secret (or, with `--pii`,
    /// personal), wherever they are: relative URLs, scripts, logs.
    pub(super) fn pairs(&mut self, text: &str, place: Place) -> Option<String> {
        if !text.contains('=') {
            return None;
        }
        let bytes = text.as_bytes();
        let mut edits = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let is_start = bytes
                .get(i)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
            let boundary = i == 0 || bytes.get(i - 1).is_some_and(|b| !is_name_byte(*b));
            if !(is_start && boundary) {
                i += 1;
                continue;
            }
            let mut name_end = i;
            while bytes.get(name_end).copied().is_some_and(is_name_byte) {
                name_end += 1;
            }
            let name = text.get(i..name_end).unwrap_or_default();
            if bytes.get(name_end) != Some(&b'=') {
                i = name_end.max(i + 1);
                continue;
            }
            let before = text.get(..i).unwrap_or_default().trim_end();
            let declared = ["var", "let", "const"]
                .iter()
                .any(|k| before.ends_with(k) && before.len() < i);
            let act = !declared
                && match policy::param(name) {
                    Rule::Default | Rule::Keep => false,
                    // `name=` in free text is far more often an HTML
                    // attribute than a person's name.
                    Rule::Pii(Kind::PiiName) => false,
                    Rule::Pii(_) => self.pii,
                    _ => true,
                };
            let vstart = name_end + 1;
            let vlen = text
                .get(vstart..)
                .unwrap_or_default()
                .find(|c: char| c.is_whitespace() || "&\"'<>;#\\,)".contains(c))
                .unwrap_or(text.len() - vstart);
            let called = text
                .get(vstart + vlen..)
                .is_some_and(|rest| rest.starts_with('('));
            if act && vlen > 0 && !called {
                let raw = text.get(vstart..vstart + vlen).unwrap_or_default();
                let value = if policy::param(name) == Rule::Saml {
                    percent_decode(raw).into_owned()
                } else {
                    form_decode(raw)
                };
                if let Some(new) = self.nested(|r| r.named(name, &value, place)) {
                    let enc = if is_url_safe(&new) {
                        new
                    } else {
                        encode_component(&new)
                    };
                    edits.push((vstart, vstart + vlen, enc));
                }
            }
            i = vstart + vlen.max(1);
        }
        apply(text, edits)
    }

    /// JWTs anywhere (`eyJ…`).
    pub(super) fn jwts(&mut self, text: &str, place: Place) -> Option<String> {
        if !text.contains("eyJ") {
            return None;
        }
        let mut edits = Vec::new();
        for found in crate::codec::jwt::spot(text) {
            let t = text.get(found.range.clone()).unwrap_or_default();
            if found.is_token()
                && let Some(c) = Compact::parse(t)
                && let Some(new) = self.jwt(&c, t, place)
            {
                edits.push((found.range.start, found.range.end, new));
            }
        }
        apply(text, edits)
    }

    /// PEM private keys (`-----BEGIN … PRIVATE KEY-----`): the base64 body.
    pub(super) fn private_keys(&mut self, text: &str, place: Place) -> Option<String> {
        if !text.contains("PRIVATE KEY-----") {
            return None;
        }
        let mut edits = Vec::new();
        let mut from = 0;
        while let Some(off) = text.get(from..).and_then(|t| t.find("-----BEGIN ")) {
            let begin = from + off;
            let Some(header_end) = text
                .get(begin..)
                .and_then(|t| t.find("PRIVATE KEY-----"))
                .map(|e| begin + e + "PRIVATE KEY-----".len())
            else {
                break;
            };
            let Some(end) = text
                .get(header_end..)
                .and_then(|t| t.find("-----END"))
                .map(|e| header_end + e)
            else {
                break;
            };
            let body = text.get(header_end..end).unwrap_or_default();
            let compact: String = body.split_ascii_whitespace().collect();
            if !compact.is_empty() && !self.is_done(&compact) {
                let p = self.marked_base64(Kind::PrivateKey, place, &compact, false);
                edits.push((header_end, end, format!("\n{p}\n")));
            }
            from = end;
        }
        apply(text, edits)
    }

    pub(super) fn pii_text_pass(&mut self, text: &str, place: Place) -> Option<String> {
        if self.pii {
            self.pii_text(text, place)
        } else {
            None
        }
    }

    /// E-mail addresses, down-level logon names and IPv4 addresses in free
    /// text (`--pii`).
    pub fn pii_text(&mut self, text: &str, place: Place) -> Option<String> {
        let emails = self.pii_scan_emails(text, place);
        let base = emails.as_deref().unwrap_or(text);
        let names = self.pii_scan_down_level(base, place);
        let emails = names.or(emails);
        let base = emails.as_deref().unwrap_or(text);
        let mut edits = Vec::new();
        for (s, e) in pii::find_ipv4(base) {
            let ip = base.get(s..e).unwrap_or_default();
            if let Some(new) = self.pii_value(Kind::PiiIp, place, ip) {
                edits.push((s, e, new));
            }
        }
        apply(base, edits).or(emails)
    }

    /// `DOMAIN\\user` names in text ([`pii::find_down_level`]): the user
    /// part is replaced, the domain and the separator as written (`\\`,
    /// `\\\\`, `%5C`) stay, so escaped text stays what it was.
    fn pii_scan_down_level(&mut self, text: &str, place: Place) -> Option<String> {
        if !text.contains('\\') && !text.contains('%') {
            return None;
        }
        let mut edits = Vec::new();
        for (s, u, e) in pii::find_down_level(text) {
            let (Some(domain), Some(user)) = (text.get(s..), text.get(u..e)) else {
                continue;
            };
            let domain = domain.split(['\\', '%']).next().unwrap_or_default();
            if self.is_done(user) {
                continue;
            }
            let canonical = format!("{domain}\\{user}");
            if let Some(new) = self.pii_value(Kind::PiiUser, place, &canonical)
                && let Some((_, pseudonym)) = new.rsplit_once('\\')
            {
                edits.push((u, e, pseudonym.to_owned()));
            }
        }
        apply(text, edits)
    }

    /// E-mail addresses in text.
    pub fn pii_scan_emails(&mut self, text: &str, place: Place) -> Option<String> {
        if !text.contains('@') {
            return None;
        }
        let mut edits = Vec::new();
        for (s, e) in pii::find_emails(text) {
            let email = text.get(s..e).unwrap_or_default();
            if let Some(new) = self.pii_value(Kind::PiiEmail, place, email) {
                edits.push((s, e, new));
            }
        }
        apply(text, edits)
    }
}
