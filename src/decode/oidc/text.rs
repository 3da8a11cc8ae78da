//! Text rendering of OAuth / OIDC messages for the `decode` command: a
//! title line, aligned `key  value` rows (every parameter in order, secrets
//! masked unless `show_secrets`), derived facts, then embedded JWTs.

use std::borrow::Cow;
use std::io::{self, Write};

use super::OidcMessage;
use super::consent::{ConsentSignal, ConsentSubmission};
use super::endpoint::IdpEndpoint;
use super::errors::parse_entra_timestamp;
use super::messages::{
    AuthorizationResponse, AuthorizeRequest, ClientInfo, CredentialType, Discovery, ErrorResponse,
    LogoutRequest, TokenRequest, TokenResponse, TokenValue, Warning,
};
use super::params::Params;
use crate::decode::TextOptions;
use crate::decode::jwt::{Jwt, format_utc, relative_time, write_rows};

type Rows<'a> = Vec<(Cow<'a, str>, String)>;

fn row<'a>(key: impl Into<Cow<'a, str>>, value: impl Into<String>) -> (Cow<'a, str>, String) {
    (key.into(), value.into())
}

/// JWT-bearing parameters are shown as a pointer to the decoded token below.
fn jwt_note(value: &str, opts: &TextOptions) -> String {
    if opts.show_secrets {
        value.to_owned()
    } else {
        format!("JWT, {} chars, decoded below", value.chars().count())
    }
}

fn param_rows<'a>(
    params: &'a Params,
    opts: &TextOptions,
    decoded: &[&str],
    skip: &[&str],
) -> Rows<'a> {
    let rows = params.rows(opts.show_secrets, &|name| {
        decoded
            .contains(&name)
            .then(|| jwt_note(params.get(name).unwrap_or(""), opts))
    });
    rows.into_iter()
        .filter(|(k, _)| !skip.contains(&k.as_ref()))
        .collect()
}

fn endpoint_rows<'a>(rows: &mut Rows<'a>, ep: Option<&IdpEndpoint>) {
    if let Some(ep) = ep {
        rows.push(row("idp", ep.describe()));
    }
}

fn consent_row<'a>(rows: &mut Rows<'a>, consent: Option<ConsentSignal>) {
    if let Some(c) = consent {
        rows.push(row("consent", c.describe()));
    }
}

fn warning_rows<'a>(rows: &mut Rows<'a>, warnings: &[Warning]) {
    for w in warnings {
        rows.push(row("warning", w.message.clone()));
    }
}

fn client_info_row<'a>(rows: &mut Rows<'a>, ci: Option<&ClientInfo>) {
    if let Some(ci) = ci {
        let mut v = format!(
            "uid {} · utid {}",
            ci.uid.as_deref().unwrap_or("?"),
            ci.utid.as_deref().unwrap_or("?")
        );
        if let Some(h) = ci.home_account_id() {
            v.push_str(&format!(" (home account {h})"));
        }
        rows.push(row("client_info (decoded)", v));
    }
}

fn write_jwt(
    w: &mut dyn Write,
    opts: &TextOptions,
    label: &str,
    jwt: Option<&Jwt>,
) -> io::Result<()> {
    if let Some(jwt) = jwt {
        writeln!(w, "  {label}:")?;
        jwt.write_text_indented(w, opts, 4)?;
    }
    Ok(())
}

fn write_token(
    w: &mut dyn Write,
    opts: &TextOptions,
    label: &str,
    token: Option<&TokenValue>,
) -> io::Result<()> {
    write_jwt(w, opts, label, token.and_then(|t| t.jwt.as_deref()))
}

fn token_shown(token: &TokenValue, opts: &TextOptions) -> String {
    match (&token.jwt, opts.show_secrets) {
        (Some(_), false) => jwt_note(token.value.expose(), opts),
        (None, false) => format!("{} (opaque)", token.value.render(false)),
        (_, true) => token.value.render(true),
    }
}

fn finish(w: &mut dyn Write, title: &str, rows: &Rows<'_>) -> io::Result<()> {
    writeln!(w, "{}", crate::decode::jwt::sanitize(title))?;
    write_rows(w, 2, rows)
}

impl OidcMessage {
    /// Renders the message for the `decode` command.
    pub fn write_text(&self, w: &mut dyn Write, opts: &TextOptions) -> io::Result<()> {
        match self {
            Self::OauthAuthorize(m) => m.write_text(w, opts),
            Self::OauthResponse(m) => m.write_text(w, opts),
            Self::OauthError(m) => m.write_text(w, opts),
            Self::OauthTokenRequest(m) => m.write_text(w, opts),
            Self::OauthTokenResponse(m) => m.write_text(w, opts),
            Self::OauthLogout(m) => m.write_text(w, opts),
            Self::Consent(m) => m.write_text(w, opts),
            Self::EntraCredentialType(m) => m.write_text(w, opts),
            Self::OidcDiscovery(m) => m.write_text(w, opts),
        }
    }
}

impl AuthorizeRequest {
    /// Renders the request.
    pub fn write_text(&self, w: &mut dyn Write, opts: &TextOptions) -> io::Result<()> {
        let admin = self.consent == Some(ConsentSignal::AdminConsentRequested)
            && self.response_type.is_empty();
        let title = if admin {
            "OAuth admin consent request"
        } else {
            "OAuth authorization request"
        };
        let mut rows = vec![row("endpoint", self.url.clone())];
        endpoint_rows(&mut rows, self.endpoint.as_ref());
        rows.extend(param_rows(&self.params, opts, &["request"], &[]));
        if self.response_mode.is_none() && !self.response_type.is_empty() {
            rows.push(row(
                "response_mode (default)",
                self.effective_response_mode().as_str().to_owned(),
            ));
        }
        if self.request_uri.is_some() {
            rows.push(row(
                "request object",
                "passed by reference (request_uri), not in the capture",
            ));
        }
        consent_row(&mut rows, self.consent);
        warning_rows(&mut rows, &self.warnings);
        finish(w, title, &rows)?;
        write_jwt(w, opts, "request object", self.request.as_deref())
    }
}

fn delivered(title: &str, delivery: &str, callback: Option<&str>) -> String {
    match callback {
        Some(c) => format!("{title} ({delivery}) to {c}"),
        None => format!("{title} ({delivery})"),
    }
}

impl AuthorizationResponse {
    /// Renders the response.
    pub fn write_text(&self, w: &mut dyn Write, opts: &TextOptions) -> io::Result<()> {
        let name = if self.admin_consent {
            "OAuth admin consent response"
        } else {
            "OAuth authorization response"
        };
        let title = delivered(name, self.delivery.as_str(), self.callback.as_deref());
        let decoded: Vec<&str> = [
            ("id_token", self.id_token.is_some()),
            (
                "access_token",
                self.access_token.as_ref().is_some_and(|t| t.jwt.is_some()),
            ),
        ]
        .iter()
        .filter(|(_, d)| *d)
        .map(|(n, _)| *n)
        .collect();
        let mut rows = param_rows(&self.params, opts, &decoded, &[]);
        client_info_row(&mut rows, self.client_info.as_ref());
        consent_row(&mut rows, self.consent);
        warning_rows(&mut rows, &self.warnings);
        finish(w, &title, &rows)?;
        write_jwt(w, opts, "id_token", self.id_token.as_deref())?;
        write_token(w, opts, "access_token", self.access_token.as_ref())
    }
}

impl ErrorResponse {
    /// Renders the error, with the description split into codes and IDs.
    pub fn write_text(&self, w: &mut dyn Write, opts: &TextOptions) -> io::Result<()> {
        let title = format!(
            "{}: {}",
            delivered(
                "OAuth error",
                self.delivery.as_str(),
                self.callback.as_deref()
            ),
            self.error
        );
        let mut rows: Rows<'_> = Vec::new();
        endpoint_rows(&mut rows, self.endpoint.as_ref());
        let split = self.description.as_ref().filter(|d| !d.codes.is_empty());
        // The raw description is replaced by its parts when it has codes.
        let skip: &[&str] = if split.is_some() {
            &["error_description"]
        } else {
            &[]
        };
        rows.extend(param_rows(&self.params, opts, &[], skip));
        if let Some(d) = split {
            if let Some(s) = &d.summary {
                rows.push(row("description", s.clone()));
            }
            for c in &d.codes {
                rows.push(row(
                    c.code.clone(),
                    c.message
                        .clone()
                        .unwrap_or_else(|| "(no message)".to_owned()),
                ));
            }
        }
        let from_params = |k: &str| self.params.get(k).is_some();
        if !from_params("trace_id")
            && let Some(t) = &self.trace_id
        {
            rows.push(row("trace ID", t.clone()));
        }
        if !from_params("correlation_id")
            && let Some(c) = &self.correlation_id
        {
            rows.push(row("correlation ID", c.clone()));
        }
        if let Some(t) = &self.timestamp {
            let utc = self.timestamp_utc.or_else(|| parse_entra_timestamp(t));
            let shown = match (utc, opts.reference_time) {
                (Some(u), Some(r)) => format!("{} ({})", format_utc(u), relative_time(u, r)),
                (Some(u), None) => format_utc(u),
                (None, _) => t.clone(),
            };
            rows.push(row("timestamp (UTC)", shown));
        }
        if !self.error.is_known() {
            rows.push(row("note", "error code not in the OAuth / OIDC registries"));
        }
        consent_row(&mut rows, self.consent);
        warning_rows(&mut rows, &self.warnings);
        finish(w, &title, &rows)
    }
}

impl TokenRequest {
    /// Renders the request.
    pub fn write_text(&self, w: &mut dyn Write, opts: &TextOptions) -> io::Result<()> {
        let mut rows: Rows<'_> = Vec::new();
        if let Some(ep) = &self.endpoint {
            rows.push(row("endpoint", ep.url.clone()));
        }
        endpoint_rows(&mut rows, self.endpoint.as_ref());
        let decoded: Vec<&str> = [
            ("client_assertion", &self.client_assertion),
            ("assertion", &self.assertion),
        ]
        .iter()
        .filter(|(_, t)| t.as_ref().is_some_and(|t| t.jwt.is_some()))
        .map(|(n, _)| *n)
        .collect();
        rows.extend(param_rows(&self.params, opts, &decoded, &[]));
        warning_rows(&mut rows, &self.warnings);
        finish(
            w,
            &format!("OAuth token request: grant_type {}", self.grant_type),
            &rows,
        )?;
        write_token(w, opts, "client_assertion", self.client_assertion.as_ref())?;
        write_token(w, opts, "assertion", self.assertion.as_ref())
    }
}

impl TokenResponse {
    /// Renders the response.
    pub fn write_text(&self, w: &mut dyn Write, opts: &TextOptions) -> io::Result<()> {
        let mut rows: Rows<'_> = Vec::new();
        endpoint_rows(&mut rows, self.endpoint.as_ref());
        for p in self.params.iter() {
            let shown = match p.name.as_str() {
                "id_token" if self.id_token.is_some() => jwt_note(p.value.expose(), opts),
                "access_token" => match &self.access_token {
                    Some(t) => token_shown(t, opts),
                    None => p.value.render(opts.show_secrets),
                },
                _ => p.value.render(opts.show_secrets),
            };
            rows.push(row(p.name.as_str(), shown));
        }
        client_info_row(&mut rows, self.client_info.as_ref());
        warning_rows(&mut rows, &self.warnings);
        finish(w, "OAuth token response", &rows)?;
        write_jwt(w, opts, "id_token", self.id_token.as_deref())?;
        write_token(w, opts, "access_token", self.access_token.as_ref())
    }
}

impl LogoutRequest {
    /// Renders the request.
    pub fn write_text(&self, w: &mut dyn Write, opts: &TextOptions) -> io::Result<()> {
        let mut rows = vec![row("endpoint", self.url.clone())];
        endpoint_rows(&mut rows, self.endpoint.as_ref());
        let decoded: &[&str] = if self.id_token_hint.is_some() {
            &["id_token_hint"]
        } else {
            &[]
        };
        rows.extend(param_rows(&self.params, opts, decoded, &[]));
        warning_rows(&mut rows, &self.warnings);
        finish(w, "OIDC logout request", &rows)?;
        write_jwt(w, opts, "id_token_hint", self.id_token_hint.as_deref())
    }
}

impl ConsentSubmission {
    /// Renders the consent answer.
    pub fn write_text(&self, w: &mut dyn Write, opts: &TextOptions) -> io::Result<()> {
        let mut rows: Rows<'_> = Vec::new();
        if let Some(ep) = &self.endpoint {
            rows.push(row("endpoint", ep.url.clone()));
        }
        rows.extend(param_rows(&self.params, opts, &[], &[]));
        let verdict = match self.accepted {
            Some(true) => "the user clicked Accept",
            Some(false) => "the user clicked Cancel",
            None => "acceptConsent missing: answer unknown",
        };
        rows.push(row("consent", verdict));
        finish(w, "Entra consent page answer (Consent/Set)", &rows)
    }
}

impl CredentialType {
    /// Renders the GetCredentialType answer.
    pub fn write_text(&self, w: &mut dyn Write, opts: &TextOptions) -> io::Result<()> {
        let mut rows: Rows<'_> = Vec::new();
        let mut opt = |k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                rows.push(row(k, v));
            }
        };
        opt("Username", self.username.clone());
        opt("Display", self.display.clone());
        opt(
            "IfExistsResult",
            self.if_exists_result
                .map(|n| match self.if_exists_meaning() {
                    Some(m) => format!("{n} ({m})"),
                    None => n.to_string(),
                }),
        );
        opt("IsUnmanaged", self.is_unmanaged.map(|b| b.to_string()));
        opt(
            "ThrottleStatus",
            self.throttle_status.map(|n| n.to_string()),
        );
        opt(
            "PrefCredential",
            self.pref_credential.map(|n| n.to_string()),
        );
        opt("HasPassword", self.has_password.map(|b| b.to_string()));
        opt(
            "FederationRedirectUrl",
            self.federation_redirect_url.clone(),
        );
        opt(
            "DomainType",
            self.domain_type.map(|n| match self.domain_type_meaning() {
                Some(m) => format!("{n} ({m})"),
                None => n.to_string(),
            }),
        );
        opt(
            "IsSignupDisallowed",
            self.is_signup_disallowed.map(|b| b.to_string()),
        );
        opt(
            "FlowToken",
            self.flow_token
                .as_ref()
                .map(|t| t.render(opts.show_secrets)),
        );
        finish(w, "Entra GetCredentialType answer", &rows)
    }
}

impl Discovery {
    /// Renders the discovery document's key fields.
    pub fn write_text(&self, w: &mut dyn Write, _opts: &TextOptions) -> io::Result<()> {
        let mut rows = vec![row("issuer", self.issuer.clone())];
        let mut opt = |k: &'static str, v: &Option<String>| {
            if let Some(v) = v {
                rows.push(row(k, v.clone()));
            }
        };
        opt("authorization_endpoint", &self.authorization_endpoint);
        opt("token_endpoint", &self.token_endpoint);
        opt("end_session_endpoint", &self.end_session_endpoint);
        opt("jwks_uri", &self.jwks_uri);
        opt("cloud_instance_name", &self.cloud_instance_name);
        opt("tenant_region_scope", &self.tenant_region_scope);
        if !self.response_modes_supported.is_empty() {
            rows.push(row(
                "response_modes_supported",
                self.response_modes_supported.join(" "),
            ));
        }
        if !self.response_types_supported.is_empty() {
            rows.push(row(
                "response_types_supported",
                self.response_types_supported.join(", "),
            ));
        }
        finish(w, "OpenID Provider configuration", &rows)
    }
}
