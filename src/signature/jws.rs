//! JWS signature checking of decoded JWTs (RFC 7515 §5.2: "Validate the
//! JWS Signature against the JWS Signing Input ASCII(BASE64URL(UTF8(JWS
//! Protected Header)) || '.' || BASE64URL(JWS Payload))") against JWKS
//! keys: the key whose `kid` the header names (RFC 7515 §4.1.4), else every
//! key of a fitting type. RS*, PS*, ES256/384 (RFC 7518 §3) and EdDSA
//! (RFC 8037) are checked; HS* needs the client secret, which a capture
//! never shows; `alg: none` (RFC 7518 §3.6) is reported, never accepted.

use super::keys::SigAlg;
use super::trust::TrustedKey;
use super::xmldsig::{KeyUsed, Status};
use crate::decode::jwt::{Jwt, JwtForm};
pub use crate::decode::signed::TokenSignature;

/// Checks `jwt` with `trusted` first, then `published` (JWKS the capture
/// fetched that the user did not vouch for).
pub fn check(
    param: &str,
    jwt: &Jwt,
    trusted: &[TrustedKey],
    published: &[TrustedKey],
) -> TokenSignature {
    let alg = jwt
        .header
        .get("alg")
        .and_then(|a| a.as_str())
        .map(str::to_owned);
    let kid = jwt
        .header
        .get("kid")
        .and_then(|a| a.as_str())
        .map(str::to_owned);
    let mut out = TokenSignature {
        param: param.to_owned(),
        status: Status::Unverified,
        reason: None,
        alg: alg.clone(),
        kid: kid.clone(),
        key: None,
        unsecured: false,
    };
    match jwt.form {
        JwtForm::Jwe => {
            out.reason = Some("an encrypted JWT (JWE): its signature, if any, is inside".into());
            return out;
        }
        JwtForm::Unsecured => {
            out.status = Status::Absent;
            out.unsecured = true;
            out.reason = Some(
                "alg none: an unsecured JWT that any party could have written (RFC 7518 §3.6)"
                    .into(),
            );
            return out;
        }
        JwtForm::Jws => {}
    }
    let alg_name = alg.unwrap_or_default();
    if alg_name.starts_with("HS") {
        out.reason = Some(format!(
            "{alg_name} is an HMAC: checking it needs the client secret, which the capture does not show"
        ));
        return out;
    }
    let Some(sig_alg) = SigAlg::from_jws(&alg_name) else {
        out.reason = Some(format!("alg {alg_name:?} is not checked here"));
        return out;
    };
    let Some(sig) = jwt.signature.as_ref().and_then(|s| {
        crate::codec::base64::decode_url(s.expose())
            .ok()
            .map(|(bytes, _)| bytes)
    }) else {
        out.status = Status::Invalid;
        out.reason = Some("the signature segment is not base64url".into());
        return out;
    };
    if sig.starts_with(crate::secret::PSEUDONYM_MARKER) {
        out.reason =
            Some("the signature was redacted (a shared copy): it cannot be checked".into());
        return out;
    }
    let input = jwt.signing_input.as_bytes();
    let pick = |keys: &[TrustedKey]| -> Vec<TrustedKey> {
        let fitting: Vec<&TrustedKey> = keys
            .iter()
            .filter(|k| k.usage.signs() && k.key.fits(sig_alg))
            .collect();
        let by_kid: Vec<&TrustedKey> = fitting
            .iter()
            .copied()
            .filter(|k| kid.is_some() && k.kid == kid)
            .collect();
        if by_kid.is_empty() { fitting } else { by_kid }
            .into_iter()
            .cloned()
            .collect()
    };
    let trusted_keys = pick(trusted);
    if let Some(k) = trusted_keys
        .iter()
        .find(|k| k.key.verify(sig_alg, input, &sig))
    {
        out.status = Status::Valid;
        out.key = Some(KeyUsed::from_trusted(k));
        return out;
    }
    let published_keys = pick(published);
    if let Some(k) = published_keys
        .iter()
        .find(|k| k.key.verify(sig_alg, input, &sig))
    {
        out.status = Status::UntrustedKey;
        out.key = Some(KeyUsed::from_trusted(k));
        out.reason = Some("verifies with a key the capture fetched, not with any key given".into());
        return out;
    }
    if trusted_keys.is_empty() && published_keys.is_empty() {
        out.reason = Some(match kid {
            Some(k) => format!(
                "no key with kid {k} (or of type {alg_name}) to check against: give the IdP's JWKS with --idp-cert"
            ),
            None => "no key to check against: give the IdP's JWKS with --idp-cert".into(),
        });
        return out;
    }
    out.status = Status::Invalid;
    out.reason = Some(format!(
        "the signature does not verify with {} key(s){}: the token was modified or signed by another key",
        trusted_keys.len() + published_keys.len(),
        kid.map(|k| format!(" for kid {k}")).unwrap_or_default()
    ));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    use p256::ecdsa::signature::Signer as _;

    use super::*;
    use crate::signature::trust::parse_material;

    fn b64(b: &[u8]) -> String {
        crate::codec::base64::encode(b, crate::codec::base64::Shape::URL_SAFE_NO_PAD)
    }

    /// An ES256 and an EdDSA token signed with fixed test keys, their JWKS.
    fn tokens() -> (String, String, String) {
        let ec = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).expect("scalar");
        let point = p256::ecdsa::VerifyingKey::from(&ec).to_sec1_point(false);
        let bytes = point.as_bytes();
        let (x, y) = (&bytes[1..33], &bytes[33..65]);
        let ed = ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]);
        let jwks = format!(
            r#"{{"keys":[{{"kty":"EC","crv":"P-256","kid":"ec1","x":"{}","y":"{}"}},{{"kty":"OKP","crv":"Ed25519","kid":"ed1","x":"{}"}}]}}"#,
            b64(x),
            b64(y),
            b64(ed.verifying_key().as_bytes())
        );
        let claims = b64(br#"{"iss":"https://idp.test","sub":"alice","aud":"app"}"#);
        let es_input = format!("{}.{claims}", b64(br#"{"alg":"ES256","kid":"ec1"}"#));
        let es: p256::ecdsa::Signature = ec.sign(es_input.as_bytes());
        let ed_input = format!("{}.{claims}", b64(br#"{"alg":"EdDSA","kid":"ed1"}"#));
        let eds = ed25519_dalek::Signer::sign(&ed, ed_input.as_bytes());
        (
            jwks,
            format!("{es_input}.{}", b64(&es.to_bytes())),
            format!("{ed_input}.{}", b64(&eds.to_bytes())),
        )
    }

    #[test]
    fn verifies_es256_and_eddsa_against_the_jwks_and_rejects_a_modified_claim() {
        let (jwks, es, ed) = tokens();
        let keys = parse_material("jwks.json", jwks.as_bytes())
            .expect("jwks")
            .keys;
        for token in [&es, &ed] {
            let jwt = crate::decode::jwt::decode(token).expect("decodes");
            let c = check("id_token", &jwt, &keys, &[]);
            assert_eq!(c.status, Status::Valid, "{:?}", c.reason);
            // sub alice → mallory, same signature.
            let mut parts: Vec<&str> = token.split('.').collect();
            let forged = b64(br#"{"iss":"https://idp.test","sub":"mallory","aud":"app"}"#);
            parts[1] = &forged;
            let jwt = crate::decode::jwt::decode(&parts.join(".")).expect("decodes");
            let c = check("id_token", &jwt, &keys, &[]);
            assert_eq!(c.status, Status::Invalid);
            // Only published (capture) keys: untrusted, not valid.
            let jwt = crate::decode::jwt::decode(token).expect("decodes");
            assert_eq!(
                check("id_token", &jwt, &[], &keys).status,
                Status::UntrustedKey
            );
        }
    }

    #[test]
    fn hmac_needs_the_secret_and_none_is_absent() {
        let claims = b64(br#"{"sub":"a"}"#);
        let hs = format!("{}.{claims}.{}", b64(br#"{"alg":"HS256"}"#), b64(b"sig"));
        let jwt = crate::decode::jwt::decode(&hs).expect("decodes");
        let c = check("id_token", &jwt, &[], &[]);
        assert_eq!(c.status, Status::Unverified);
        assert!(
            c.reason
                .as_deref()
                .is_some_and(|r| r.contains("client secret"))
        );
        let none = format!("{}.{claims}.", b64(br#"{"alg":"none"}"#));
        let jwt = crate::decode::jwt::decode(&none).expect("decodes");
        let c = check("id_token", &jwt, &[], &[]);
        assert!(c.unsecured && c.status == Status::Absent);
    }
}
