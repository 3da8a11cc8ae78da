//! Checks the decoders against the shared corpus (`../shared/corpus/oidc`):
//! every `.jwt` and `.json` file is decoded and the `key=value` facts listed
//! for it in `MANIFEST.tsv` (`expected_notable_facts`) are compared with the
//! decoded values. Skipped, with a note, when the corpus is not checked out.
//! Corpus files are read in place, never copied into this repository.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::*;
use crate::decode::jwt::{self, JwtWarning};

const FACT_KEYS: &[&str] = &[
    "alg",
    "kid",
    "iss",
    "aud",
    "ver",
    "tid",
    "exp",
    "iat",
    "nonce",
    "error",
    "error_codes",
    "suberror",
    "correlation_id",
    "trace_id",
];

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.join("MANIFEST.tsv").is_file() {
        Some(dir)
    } else {
        eprintln!("corpus not found at {}: skipping", dir.display());
        None
    }
}

/// `local_name` → facts (`key` → `value`) for the oidc rows.
fn manifest_facts(dir: &Path) -> BTreeMap<String, Vec<(String, String)>> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(name), Some(facts)) = (cols.first(), cols.get(6)) else {
            continue;
        };
        if !name.starts_with("oidc/") {
            continue;
        }
        let pairs = facts
            .split(';')
            .flat_map(|part| part.split(", "))
            .filter_map(|token| token.trim().split_once('='))
            .filter(|(k, _)| FACT_KEYS.contains(k))
            .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
            .collect();
        out.insert((*name).to_owned(), pairs);
    }
    out
}

fn claim_text(jwt: &jwt::Jwt, name: &str) -> Option<String> {
    jwt.claim(name).map(jwt::value_text)
}

fn check_jwt(name: &str, body: &str, facts: &[(String, String)]) -> usize {
    let jwt = jwt::decode(body).unwrap_or_else(|e| panic!("{name}: {e}"));
    for (key, expected) in facts {
        let actual = match key.as_str() {
            "alg" => jwt.alg().map(|a| a.as_str().to_owned()),
            "kid" => Some(jwt.kid().unwrap_or("None").to_owned()),
            "aud" => Some(jwt.audiences().join(" ")),
            "ver" => jwt.version(),
            "iss" => jwt.issuer().map(str::to_owned),
            "tid" => jwt.tenant_id().map(str::to_owned),
            "nonce" => jwt.nonce().map(str::to_owned),
            "exp" | "iat" => claim_text(&jwt, key),
            other => panic!("{name}: fact {other} does not apply to a JWT"),
        };
        assert_eq!(actual.as_deref(), Some(expected.as_str()), "{name}: {key}");
    }
    // Times decode and agree with the numeric claims.
    if let (Some(exp), Some(t)) = (jwt.claim("exp").and_then(|v| v.as_i64()), jwt.times.exp) {
        assert_eq!(t.timestamp(), exp, "{name}");
    }
    facts.len()
}

fn check_json(name: &str, body: &str, facts: &[(String, String)]) -> usize {
    let decoded = decode_json(None, body);
    if name.ends_with("BeginAuth.json") || name.ends_with("EndAuth.json") {
        let err = decoded.expect_err(name).to_string();
        assert!(err.contains("not valid JSON"), "{name}: {err}");
        assert!(err.contains("{{.Entropy}}"), "{name}: {err}");
        return 1;
    }
    let message = decoded
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .unwrap_or_else(|| panic!("{name}: not recognised"));
    if name.contains("GetCredentialType") {
        let OidcMessage::EntraCredentialType(c) = &message else {
            panic!("{name}: {message:?}")
        };
        assert_eq!(c.if_exists_result, Some(0), "{name}");
        assert_eq!(
            c.federation_redirect_url.is_some(),
            name.contains("adfs"),
            "{name}"
        );
        return 2;
    }
    let OidcMessage::OauthError(e) = &message else {
        panic!("{name}: {message:?}")
    };
    for (key, expected) in facts {
        let actual = match key.as_str() {
            "error" => Some(e.error.as_str().to_owned()),
            "error_codes" => Some(format!(
                "[{}]",
                e.error_codes
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            )),
            "suberror" => e.suberror.clone(),
            "correlation_id" => e.correlation_id.clone(),
            "trace_id" => e.trace_id.clone(),
            other => panic!("{name}: fact {other} does not apply to an error"),
        };
        assert_eq!(actual.as_deref(), Some(expected.as_str()), "{name}: {key}");
    }
    // The concatenated trailer yields the same IDs as the JSON fields.
    let d = e.description.as_ref().unwrap();
    assert_eq!(d.correlation_id, e.correlation_id, "{name}");
    assert_eq!(d.trace_id, e.trace_id, "{name}");
    facts.len()
}

#[test]
fn corpus_files_match_manifest_facts() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let facts = manifest_facts(&dir);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir.join("oidc"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("jwt" | "json")))
        .collect();
    entries.sort();
    assert!(!entries.is_empty());
    let mut checked = 0;
    for path in &entries {
        let file = path.file_name().unwrap().to_string_lossy();
        let name = format!("oidc/{file}");
        let body = std::fs::read_to_string(path).unwrap();
        let expected = facts.get(&name).map(Vec::as_slice).unwrap_or(&[]);
        checked += if file.ends_with(".jwt") {
            check_jwt(&name, &body, expected)
        } else {
            check_json(&name, &body, expected)
        };
    }
    assert!(checked >= 73, "only {checked} facts checked");
}

#[test]
fn corpus_quirks_are_reported() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let read = |f: &str| std::fs::read_to_string(dir.join("oidc").join(f)).unwrap();
    let padded = jwt::decode(&read("msaljs_aad_idtoken_v1.jwt")).unwrap();
    assert!(
        padded
            .warnings
            .contains(&JwtWarning::PaddedBase64url { segment: "payload" })
    );
    let backwards = jwt::decode(&read("okta_idtoken_expired_before_issued.jwt")).unwrap();
    assert!(backwards.warnings.contains(&JwtWarning::ExpBeforeIat {
        exp: 1_449_690_000,
        iat: 1_449_696_330
    }));
    let okta_at = jwt::decode(&read("okta_accesstoken_standard.jwt")).unwrap();
    assert_eq!(okta_at.scopes(), vec!["openid", "email"]);
    assert_eq!(okta_at.app_id(), Some("Pf0aifrhYZu1v0P1bFFz"));
    // Every corpus JWT is found when scanning text that embeds it.
    for f in ["msaljs_aad_idtoken_v2.jwt", "okta_idtoken_standard.jwt"] {
        let token = read(f);
        let token = token.trim();
        let haystack = format!("Location: https://app/#id_token={token}&state=x");
        assert_eq!(jwt::find_jwts(&haystack), vec![token], "{f}");
    }
}
