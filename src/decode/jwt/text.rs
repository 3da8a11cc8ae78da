//! Text rendering of a decoded JWT: aligned `key  value` rows, times with
//! their relative phrase, the signature masked unless secrets are shown,
//! and control characters from the token sanitized before they are printed.

use super::*;

/// Replaces control characters (terminal escapes, CR/LF) so capture data
/// cannot drive the terminal or break the layout.
pub(crate) fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Writes `key  value` rows with keys padded to a common width.
pub(crate) fn write_rows(
    w: &mut dyn Write,
    indent: usize,
    rows: &[(Cow<'_, str>, String)],
) -> io::Result<()> {
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (key, value) in rows {
        let pad = width.saturating_sub(key.chars().count());
        writeln!(
            w,
            "{:indent$}{}{:pad$}  {}",
            "",
            sanitize(key),
            "",
            sanitize(value),
        )?;
    }
    Ok(())
}

/// A claim value as one line: strings bare, the rest as compact JSON.
pub(crate) fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(super) const TIME_CLAIMS: [&str; 4] = ["exp", "nbf", "iat", "auth_time"];

impl Jwt {
    /// A one-line title: `JWT (JWS, RS256) — signature not verified`.
    pub fn title(&self) -> String {
        let alg = self
            .alg()
            .map_or_else(|| "no alg".to_owned(), |a| a.as_str().to_owned());
        match self.form {
            JwtForm::Jws => format!("JWT (JWS, {alg}), signature not verified"),
            JwtForm::Unsecured => "JWT (unsecured, alg none), no signature".to_owned(),
            JwtForm::Jwe => {
                let enc = self.header_str("enc").unwrap_or("no enc");
                format!("JWT (JWE, {alg} / {enc}), payload encrypted, not readable")
            }
        }
    }

    /// Renders the token for the `decode` command: header, claims with times
    /// relative to `opts.reference_time`, masked signature, warnings.
    pub fn write_text(&self, w: &mut dyn Write, opts: &TextOptions) -> io::Result<()> {
        self.write_text_indented(w, opts, 0)
    }

    /// As [`Jwt::write_text`], indented by `indent` spaces (for tokens inside
    /// OAuth messages).
    pub fn write_text_indented(
        &self,
        w: &mut dyn Write,
        opts: &TextOptions,
        indent: usize,
    ) -> io::Result<()> {
        writeln!(w, "{:indent$}{}", "", self.title())?;
        writeln!(w, "{:indent$}  header", "")?;
        let rows: Vec<(Cow<'_, str>, String)> = self
            .header
            .iter()
            .map(|(k, v)| (Cow::Borrowed(k.as_str()), header_value_text(k, v)))
            .collect();
        write_rows(w, indent + 4, &rows)?;
        if let Some(claims) = &self.claims {
            writeln!(w, "{:indent$}  claims", "")?;
            let rows: Vec<(Cow<'_, str>, String)> = claims
                .iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), self.claim_text(k, v, opts)))
                .collect();
            write_rows(w, indent + 4, &rows)?;
        } else if self.encrypted {
            writeln!(
                w,
                "{:indent$}  claims     (encrypted: only the recipient's private key can read them)",
                ""
            )?;
        }
        if let Some(signature) = &self.signature {
            let shown = if signature.expose().is_empty() {
                "(empty)".to_owned()
            } else {
                signature.render(opts.show_secrets)
            };
            writeln!(
                w,
                "{:indent$}  signature  {}  (not verified)",
                "",
                sanitize(&shown)
            )?;
        }
        for warning in &self.warnings {
            writeln!(
                w,
                "{:indent$}  warning    {}",
                "",
                sanitize(&warning.to_string())
            )?;
        }
        if let Some(inner) = &self.nested {
            writeln!(w, "{:indent$}  nested token (cty JWT):", "")?;
            inner.write_text_indented(w, opts, indent + 4)?;
        }
        Ok(())
    }

    fn claim_text(&self, name: &str, value: &Value, opts: &TextOptions) -> String {
        let t = match name {
            "exp" => self.times.exp,
            "nbf" => self.times.nbf,
            "iat" => self.times.iat,
            "auth_time" => self.times.auth_time,
            _ => None,
        };
        match t {
            Some(t) if TIME_CLAIMS.contains(&name) => match opts.reference_time {
                Some(reference) => format!(
                    "{} ({})",
                    format_utc(t),
                    describe_time_claim(name, t, reference)
                ),
                None => format_utc(t),
            },
            _ => value_text(value),
        }
    }
}

pub(super) fn header_value_text(name: &str, value: &Value) -> String {
    let text = value_text(value);
    if name == "alg"
        && let Value::String(s) = value
        && !Algorithm::parse(s).is_known()
    {
        return format!("{text} (unknown algorithm)");
    }
    text
}
