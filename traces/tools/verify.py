#!/usr/bin/env python3
"""Checks that every sample capture under traces/ is what traces/README.md
says it is, and writes traces/expected.json: for each file the expected
category / verdict, the failing entry (1-based position in log.entries, or
the SAZ session number) and the IDs a test should assert.

    python3 traces/tools/verify.py          # check, then rewrite expected.json
    python3 traces/tools/verify.py --check  # check only

The lab HARs are re-recorded with new random values on every run, so their
facts are found by looking (not hard-coded); the synthesized ones come from
traces/synth/expected-synth.json and are re-checked against the files here.
Standard library only.
"""
from __future__ import annotations

import base64
import gzip
import json
import re
import sys
import zipfile
import zlib
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit
from xml.etree import ElementTree as ET

TRACES = Path(__file__).resolve().parent.parent
MAX_BYTES = 300 * 1024
NS = {"p": "urn:oasis:names:tc:SAML:2.0:protocol", "a": "urn:oasis:names:tc:SAML:2.0:assertion",
      "ds": "http://www.w3.org/2000/09/xmldsig#"}

FAILURES: list[str] = []


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
    return cond


# ------------------------------------------------------------------ HAR helpers

class H:
    def __init__(self, name):
        self.name = name
        self.path = TRACES / f"{name}.har"
        self.har = json.loads(self.path.read_text(encoding="utf-8"))
        self.entries = self.har["log"]["entries"]

    def e(self, n):
        return self.entries[n - 1]

    def find(self, pred, start=1):
        for i, e in enumerate(self.entries, 1):
            if i >= start and pred(e):
                return i
        return None

    def find_all(self, pred):
        return [i for i, e in enumerate(self.entries, 1) if pred(e)]


def url(e):
    return e["request"]["url"]


def method(e):
    return e["request"]["method"]


def status(e):
    return e["response"]["status"]


def rq_header(e, name):
    return next((h["value"] for h in e["request"]["headers"] if h["name"].lower() == name), None)


def rs_headers(e, name):
    return [h["value"] for h in e["response"]["headers"] if h["name"].lower() == name]


def body(e):
    c = e["response"]["content"]
    t = c.get("text", "")
    if c.get("encoding") == "base64":
        t = base64.b64decode(t).decode("utf-8", "replace")
    return t


def form(e):
    pd = e["request"].get("postData") or {}
    return dict(parse_qsl(pd.get("text", ""), keep_blank_values=True))


def cookie_names(e):
    c = rq_header(e, "cookie") or ""
    return [p.split("=", 1)[0].strip() for p in c.split(";") if "=" in p]


def query(e):
    return {k: v[0] for k, v in parse_qs(urlsplit(url(e)).query, keep_blank_values=True).items()}


def started(e):
    return datetime.fromisoformat(e["startedDateTime"].replace("Z", "+00:00"))


def saml_request(u):
    q = parse_qs(urlsplit(u).query)
    xml = zlib.decompress(base64.b64decode(q["SAMLRequest"][0]), -15)
    return ET.fromstring(xml)


def saml_response_of(e):
    return ET.fromstring(base64.b64decode(form(e)["SAMLResponse"]))


def xml_time(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


# ------------------------------------------------------------------ lab checks

def lab_oidc_success(h: H):
    cb = h.find_all(lambda e: "localhost:3000/callback" in url(e))[-1]
    auth = h.find_all(lambda e: "/auth?" in url(e))[-1]
    mode = query(h.e(auth))["response_mode"]
    check(method(h.e(cb)) == ("POST" if mode == "form_post" else "GET") and "lab_oidc_req" in cookie_names(h.e(cb)),
          f"{h.name}: callback carries lab_oidc_req")
    last = h.find(lambda e: url(e).endswith("/account") and status(e) == 200)
    check(last and "Signed in as" in body(h.e(last)), f"{h.name}: ends signed in")
    return {"category": "ok", "verdict": "ok", "entry": None, "authorize_entry": auth, "callback_entry": cb, "final_entry": last,
            "response_mode": query(h.e(auth))["response_mode"], "state": query(h.e(auth))["state"]}


def lab_oidc_redirect_mismatch(h: H):
    n = h.find(lambda e: "/auth?" in url(e))
    e = h.e(n)
    check(status(e) == 400 and "invalid_redirect_uri" in body(e), f"{h.name}: IdP error page")
    check(query(e)["redirect_uri"] == "http://localhost:3000/signin-oidc", f"{h.name}: redirect_uri")
    check(not h.find(lambda x: "signin-oidc" in url(x) and "localhost:3000" in urlsplit(url(x)).netloc), f"{h.name}: no redirect back")
    return {"category": "redirect_mismatch", "verdict": "failed", "entry": n, "error": "invalid_redirect_uri",
            "redirect_uri": "http://localhost:3000/signin-oidc", "registered_redirect_uri": "http://localhost:3000/callback",
            "client_id": query(e)["client_id"]}


def lab_oidc_consent_prompt(h: H):
    consent = h.find(lambda e: "/interaction/" in url(e) and "Permissions requested" in body(e))
    accept = h.find(lambda e: url(e).endswith("/confirm"))
    out = lab_oidc_success(h)
    check(consent and accept, f"{h.name}: consent page shown and accepted")
    out.update({"consent_page_entry": consent, "consent_accept_entry": accept})
    return out


def lab_oidc_consent_denied(h: H):
    abort = h.find(lambda e: url(e).endswith("/abort"))
    cb = h.find(lambda e: "localhost:3000/callback" in url(e))
    issued = cb - 1
    f = form(h.e(cb))
    check(f.get("error") == "access_denied" and status(h.e(cb)) == 401, f"{h.name}: access_denied delivered")
    check('name="error" value="access_denied"' in body(h.e(issued)), f"{h.name}: form_post page carries the error")
    return {"category": "consent", "verdict": "failed", "entry": cb, "issued_entry": issued, "abort_entry": abort,
            "error": "access_denied", "error_description": f.get("error_description")}


def decode_req_cookie(e, name="lab_oidc_req"):
    c = rq_header(e, "cookie") or ""
    for p in c.split(";"):
        k, _, v = p.strip().partition("=")
        if k == name:
            return json.loads(base64.urlsafe_b64decode(v + "=" * (-len(v) % 4)))
    return None


def lab_oidc_state_mismatch(h: H):
    auths = h.find_all(lambda e: "/auth?" in url(e))
    states = [query(h.e(a))["state"] for a in auths]
    cb = h.find(lambda e: "localhost:3000/callback" in url(e))
    got = query(h.e(cb))["state"]
    saved = decode_req_cookie(h.e(cb))
    check(len(auths) == 2 and got == states[0] and saved and saved["state"] == states[1] and status(h.e(cb)) == 400,
          f"{h.name}: callback answers attempt 1 while the cookie holds attempt 2")
    return {"category": "in_response_to_mismatch", "verdict": "failed", "entry": cb, "authorize_entries": auths,
            "returned_state": got, "expected_state": states[1],
            "app_error": "unexpected \"state\" response parameter value"}


def lab_oidc_cookie_dropped(h: H):
    setc = h.find(lambda e: any(v.startswith("lab_oidc_req=") for v in rs_headers(e, "set-cookie")))
    sc = next(v for v in rs_headers(h.e(setc), "set-cookie") if v.startswith("lab_oidc_req="))
    cb = h.find(lambda e: "localhost:3000/callback" in url(e))
    e = h.e(cb)
    gap = (started(e) - started(h.e(setc))).total_seconds()
    check("samesite" not in sc.lower(), f"{h.name}: cookie set without SameSite")
    check(method(e) == "POST" and rq_header(e, "sec-fetch-site") == "cross-site", f"{h.name}: cross-site POST")
    check("lab_oidc_req" not in cookie_names(e) and "lab_prefs" in cookie_names(e), f"{h.name}: cookie really absent")
    check(gap > 120 and status(e) == 400, f"{h.name}: >2 min gap and 400")
    return {"category": "cookie_dropped", "verdict": "failed", "entry": cb, "set_cookie_entry": setc,
            "dropped_cookies": ["lab_oidc_req"], "seconds_between_set_and_post": round(gap, 1),
            "sent_cookies": cookie_names(e)}


def lab_oidc_redirect_loop(h: H):
    auths = h.find_all(lambda e: "/auth?" in url(e))
    cbs = h.find_all(lambda e: "localhost:3000/callback" in url(e))
    check(len(auths) >= 6 and len(cbs) >= 6, f"{h.name}: >= 6 rounds")
    last = len(h.entries) if not h.entries[-1]["request"]["url"].endswith(".css") else len(h.entries) - 1
    check("couldn't sign you in" in body(h.e(last)), f"{h.name}: app gives up")
    return {"category": "redirect_loop", "verdict": "failed", "entry": auths[1], "authorize_entries": auths,
            "callback_entries": cbs, "rounds": len(cbs), "final_entry": last}


def lab_oidc_app_500(h: H):
    cb = h.find(lambda e: "localhost:3000/callback" in url(e))
    e = h.e(cb)
    check(status(e) == 500 and "code" in form(e) and "lab_oidc_req" in cookie_names(e), f"{h.name}: valid response, 500")
    return {"category": "response_rejected", "verdict": "failed", "entry": cb, "app_request_id":
            re.search(r"Request ID: ([0-9a-f]+)", body(e)).group(1)}


def lab_oidc_prompt_none(h: H):
    auths = h.find_all(lambda e: "/auth?" in url(e))
    check(query(h.e(auths[0])).get("prompt") == "none", f"{h.name}: silent first")
    lr = h.find(lambda e: "error=login_required" in url(e))
    out = lab_oidc_success(h)
    out.update({"silent_authorize_entry": auths[0], "login_required_entry": lr,
                "notes": "prompt=none -> login_required is expected and followed by an interactive sign-in: not a failure."})
    return out


def acs_entries(h):
    return h.find_all(lambda e: url(e).endswith("/saml/acs") and method(e) == "POST")


def lab_saml_common(h: H, expect_status=401):
    req_entries = h.find_all(lambda e: "SAMLRequest=" in url(e) and "/saml/sso" in url(e))
    acs = acs_entries(h)[-1]
    resp = saml_response_of(h.e(acs))
    reqs = [saml_request(url(h.e(n))) for n in req_entries]
    check(status(h.e(acs)) == expect_status, f"{h.name}: ACS status {expect_status}")
    return req_entries, reqs, acs, resp


def lab_saml_success(h: H):
    req_entries, reqs, acs, resp = lab_saml_common(h, 302)
    a = resp.find("a:Assertion", NS)
    check(len(resp.findall(".//ds:Signature", NS)) == 2, f"{h.name}: Response and Assertion signed")
    check(resp.get("InResponseTo") == reqs[-1].get("ID"), f"{h.name}: InResponseTo")
    final = h.find(lambda e: url(e).endswith("/account") and status(e) == 200)
    check(final and "Signed in as" in body(h.e(final)), f"{h.name}: signed in")
    return {"category": "ok", "verdict": "ok", "entry": None, "authn_request_entry": req_entries[-1], "acs_entry": acs,
            "authn_request_id": reqs[-1].get("ID"), "audience": a.find(".//a:Audience", NS).text, "final_entry": final}


def lab_saml_audience(h: H):
    req_entries, reqs, acs, resp = lab_saml_common(h)
    aud = resp.find(".//a:Audience", NS).text
    sp = reqs[-1].find("a:Issuer", NS).text
    check(aud != sp, f"{h.name}: audience differs")
    check("audience mismatch" in body(h.e(acs)), f"{h.name}: SP says so")
    return {"category": "audience_mismatch", "verdict": "failed", "entry": acs, "audience": aud, "expected_audience": sp,
            "authn_request_id": reqs[-1].get("ID")}


def lab_saml_destination(h: H):
    req_entries, reqs, acs, resp = lab_saml_common(h)
    dest = resp.get("Destination")
    recip = resp.find(".//a:SubjectConfirmationData", NS).get("Recipient")
    check(dest != url(h.e(acs)) and recip == dest, f"{h.name}: Destination/Recipient differ from the POST URL")
    check(reqs[-1].get("AssertionConsumerServiceURL") == url(h.e(acs)), f"{h.name}: posted to the requested ACS")
    return {"category": "destination_mismatch", "verdict": "failed", "entry": acs, "destination": dest, "recipient": recip,
            "posted_to": url(h.e(acs))}


def lab_saml_clock(h: H):
    req_entries, reqs, acs, resp = lab_saml_common(h)
    nb = xml_time(resp.find(".//a:Conditions", NS).get("NotBefore"))
    sp_date = parsedate_to_datetime(rs_headers(h.e(acs), "date")[0])
    idp_entry = acs - 1
    idp_date = parsedate_to_datetime(rs_headers(h.e(idp_entry), "date")[0])
    skew = (idp_date - sp_date).total_seconds()
    check(nb > sp_date and skew > 300, f"{h.name}: NotBefore after the SP's Date; IdP clock ahead")
    check("not yet valid" in body(h.e(acs)), f"{h.name}: SP says not yet valid")
    return {"category": "clock_skew", "verdict": "failed", "entry": acs, "not_before": resp.find(".//a:Conditions", NS).get("NotBefore"),
            "sp_date": rs_headers(h.e(acs), "date")[0], "idp_date": rs_headers(h.e(idp_entry), "date")[0],
            "idp_ahead_seconds": round(skew)}


def lab_saml_irt(h: H):
    req_entries, reqs, acs, resp = lab_saml_common(h)
    ids = [r.get("ID") for r in reqs]
    irt = resp.get("InResponseTo")
    check(len(ids) == 2 and irt == ids[0] and irt != ids[1], f"{h.name}: answers the older request")
    return {"category": "in_response_to_mismatch", "verdict": "failed", "entry": acs, "in_response_to": irt,
            "authn_request_ids": ids, "authn_request_entries": req_entries}


def lab_saml_unsigned(h: H):
    req_entries, reqs, acs, resp = lab_saml_common(h)
    check(not resp.findall(".//ds:Signature", NS), f"{h.name}: no signature anywhere")
    return {"category": "signature", "verdict": "failed", "entry": acs, "sp_error": "Invalid document signature"}


def lab_saml_idp_error(h: H):
    req_entries, reqs, acs, resp = lab_saml_common(h)
    sc = resp.find("p:Status/p:StatusCode", NS)
    sub = sc.find("p:StatusCode", NS)
    msg = resp.find("p:Status/p:StatusMessage", NS).text
    check(sc.get("Value").endswith(":Responder") and sub.get("Value").endswith(":AuthnFailed"), f"{h.name}: Responder/AuthnFailed")
    return {"category": "idp_error", "verdict": "failed", "entry": acs, "status": "Responder", "sub_status": "AuthnFailed",
            "status_message": msg}


def lab_saml_retry(h: H):
    acs = acs_entries(h)
    check(len(acs) == 2 and status(h.e(acs[0])) == 401 and status(h.e(acs[1])) == 302, f"{h.name}: fail then succeed")
    first = saml_response_of(h.e(acs[0]))
    check(first.find("p:Status/p:StatusCode/p:StatusCode", NS).get("Value").endswith("AuthnFailed"), f"{h.name}: first AuthnFailed")
    final = h.find(lambda e: url(e).endswith("/account") and status(e) == 200)
    return {"category": "ok", "verdict": "ok", "entry": None, "warning_entry": acs[0], "acs_entries": acs, "final_entry": final,
            "notes": "first attempt AuthnFailed (wrong password), second attempt succeeds: ok with a warning."}


def lab_plain(h: H):
    check(not h.find(lambda e: re.search(r"SAML|/auth\b|/authorize|callback|code=|id_token", url(e))), f"{h.name}: no identity traffic")
    return {"category": "capture_quality", "verdict": "inconclusive", "entry": None,
            "notes": "no identity traffic at all"}


LAB = {
    "oidc-success": lab_oidc_success, "oidc-redirect-mismatch": lab_oidc_redirect_mismatch,
    "oidc-consent-prompt": lab_oidc_consent_prompt, "oidc-consent-denied": lab_oidc_consent_denied,
    "oidc-state-mismatch": lab_oidc_state_mismatch, "oidc-cookie-dropped": lab_oidc_cookie_dropped,
    "oidc-redirect-loop": lab_oidc_redirect_loop, "oidc-app-500": lab_oidc_app_500,
    "oidc-prompt-none-login-required": lab_oidc_prompt_none, "saml-success": lab_saml_success,
    "saml-audience-mismatch": lab_saml_audience, "saml-destination-mismatch": lab_saml_destination,
    "saml-clock-skew": lab_saml_clock, "saml-inresponseto-mismatch": lab_saml_irt, "saml-unsigned": lab_saml_unsigned,
    "saml-idp-error": lab_saml_idp_error, "saml-retry-then-success": lab_saml_retry, "plain-browsing": lab_plain,
}


# ------------------------------------------------------------------ synthesized checks

def entra_config(text):
    i = text.find("$Config=")
    return json.JSONDecoder().raw_decode(text[i + 8:])[0] if i >= 0 else None


def synth_checks(name: str, x: dict):
    if name.startswith("saz-") or name == "truncated" or x.get("format") == "harp":
        return
    h = H(name)
    check(all(e["startedDateTime"][-6:] in ("+01:00", "-08:00", "+05:30") for e in h.entries), f"{name}: local offsets")
    n = x.get("entry")
    if n:
        e = h.e(n)
        blob = url(e) + json.dumps(e["request"].get("postData", {})) + body(e) + " ".join(rs_headers(e, "location") + rs_headers(e, "www-authenticate"))
        for code in x.get("error_codes", []):
            check(code in unquote(blob) or code in blob, f"{name}: {code} visible at #{n}")
        if x.get("request_id") and urlsplit(url(e)).hostname == "login.microsoftonline.com" and "$Config" in body(e):
            check(rs_headers(e, "x-ms-request-id") == [x["request_id"]], f"{name}: x-ms-request-id at #{n}")
            cfg = entra_config(body(e))
            check(cfg and cfg["sessionId"] == x["request_id"] and cfg["correlationId"] == x["correlation_id"],
                  f"{name}: $Config ids at #{n}")
            check(f"Request Id: {x['request_id']}" in body(e) and f"Correlation Id: {x['correlation_id']}" in body(e),
                  f"{name}: Troubleshooting details at #{n}")
        if x.get("error"):
            check(x["error"] in unquote(blob), f"{name}: {x['error']} visible at #{n}")
    if x.get("trace_id"):
        issued = h.e(x["issued_entry"])
        loc = unquote(rs_headers(issued, "location")[0]).replace("+", " ")
        check(f"Trace ID: {x['trace_id']}" in loc and f"Correlation ID: {x['correlation_id']}" in loc
              and rs_headers(issued, "x-ms-request-id") == [x["trace_id"]], f"{name}: AADSTS trailer ids")
    if name == "entra-form-post-cookie-dropped":
        e = h.e(n)
        for c in x["dropped_cookies"]:
            check(c not in cookie_names(e), f"{name}: {c} absent on the POST")
        sets = rs_headers(h.e(x["set_cookie_entry"]), "set-cookie")
        check(all("samesite" not in s.lower() for s in sets if s.startswith(".AspNetCore")), f"{name}: set without SameSite")
        check((started(e) - started(h.e(x["set_cookie_entry"]))).total_seconds() > 120, f"{name}: > 2 minutes")
    if name == "sanitized-export":
        check(not any(rq_header(e, "cookie") or rs_headers(e, "set-cookie") for e in h.entries), f"{name}: no cookies")
    if name == "mid-flow":
        check(method(h.e(1)) == "POST" and url(h.e(1)).endswith("/saml/acs"), f"{name}: starts at ACS")
    if name in ("entra-saml-success",):
        acs = h.e(x["acs_entry"])
        r = saml_response_of(acs)
        check(r.get("InResponseTo") == x["authn_request_id"] and r.find(".//a:Audience", NS).text == x["audience"],
              f"{name}: SAML ids")
    if "webview" in name:
        check("; wv)" in rq_header(h.e(n), "user-agent") and status(h.e(n)) == 403, f"{name}: WebView UA, 403")
    if name == "okta-redirect-uri-400":
        check(rs_headers(h.e(n), "x-okta-request-id") == [x["okta_request_id"]] and "Error Code:" in body(h.e(n)), f"{name}: okta page")
    if name == "adfs-error-page":
        check(x["activity_id"] in body(h.e(n)) and "Error time:" in body(h.e(n)), f"{name}: AD FS details")


def saz_checks(name: str, x: dict) -> dict:
    z = zipfile.ZipFile(TRACES / f"{name}.saz")
    names = z.namelist()
    cs = sorted(n for n in names if n.endswith("_c.txt"))
    check(len(cs) == x["sessions"] and "[Content_Types].xml" in names and "_index.htm" in names, f"{name}: layout")
    for n in names:
        if n.endswith("_m.xml"):
            raw = z.read(n)
            check(raw.startswith(b"\xef\xbb\xbf<?xml") and b"x-processinfo" in raw, f"{name}: {n} metadata")
    if name == "saz-connect-only":
        check(all(z.read(c).startswith(b"CONNECT ") for c in cs), f"{name}: only CONNECT")
    else:
        acs = x["acs_session"]
        width = len(str(len(cs)))
        c = z.read(f"raw/{acs:0{width}d}_c.txt").decode()
        check(c.startswith("POST https://portal.contoso.com/saml/acs HTTP/1.1\r\n") and "SAMLResponse=" in c, f"{name}: ACS session")
        # every chunked+gzip body decodes
        for sname in sorted(n for n in names if n.endswith("_s.txt")):
            raw = z.read(sname)
            head, _, rest = raw.partition(b"\r\n\r\n")
            if b"Transfer-Encoding: chunked" in head:
                out, pos = b"", 0
                while True:
                    line_end = rest.index(b"\r\n", pos)
                    size = int(rest[pos:line_end], 16)
                    if size == 0:
                        break
                    out += rest[line_end + 2:line_end + 2 + size]
                    pos = line_end + 2 + size + 2
                check(b"Content-Encoding: gzip" in head and gzip.decompress(out), f"{name}: {sname} gzip")
    return {}


# ------------------------------------------------------------------ main

def main(argv):
    expected = {}
    synth = json.loads((TRACES / "synth" / "expected-synth.json").read_text())
    for name, fn in LAB.items():
        h = H(name)
        facts = fn(h)
        facts["made_by"] = "recorded: traces/lab/record.mjs"
        facts["entries"] = len(h.entries)
        expected[name] = facts
    for name, x in synth.items():
        fmt = "saz" if name.startswith("saz-") else "har"
        if fmt == "saz":
            saz_checks(name, x)
        else:
            synth_checks(name, x)
        x = dict(x)
        x["made_by"] = "synthesized: traces/synth/synth.py"
        if fmt == "har" and name != "truncated" and x.get("format") != "harp":
            x["entries"] = len(H(name).entries)
        expected[name] = x
    # every HAR parses (except truncated.har, on purpose) and is small
    for p in sorted(TRACES.glob("*.har")) + sorted(TRACES.glob("*.harp")) + sorted(TRACES.glob("*.saz")):
        check(p.stat().st_size < MAX_BYTES, f"{p.name}: {p.stat().st_size} bytes >= 300 KB")
        if p.suffix == ".harp":
            text = p.read_text(encoding="utf-8").strip()
            check(text.startswith("onInputData(") and text.endswith(");"), f"{p.name}: JSONP wrapper")
            json.loads(text[len("onInputData("):-2])
        if p.suffix == ".har":
            try:
                json.loads(p.read_text(encoding="utf-8"))
                check(p.name != "truncated.har", "truncated.har parses but should not")
            except json.JSONDecodeError:
                check(p.name == "truncated.har", f"{p.name}: invalid JSON")
        check(p.stem in expected, f"{p.name}: not described in expected.json")
    if FAILURES:
        print("FAILED:\n  " + "\n  ".join(FAILURES))
        return 1
    if "--check" not in argv:
        (TRACES / "expected.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n")
    width = max(map(len, expected))
    for name in sorted(expected):
        x = expected[name]
        print(f"{name:<{width}}  {x['category']:<24} entry={x.get('entry')}")
    print(f"all {len(expected)} captures check out")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
