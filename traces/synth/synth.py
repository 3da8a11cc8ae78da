#!/usr/bin/env python3
"""Writes the SYNTHESIZED sample captures under traces/ — the sign-ins whose
identity providers (Entra ID, Google, Okta, AD FS) cannot run here — in the
shape Chrome DevTools exports a HAR, plus two Fiddler SAZ archives.

    python3 traces/synth/synth.py            # writes every file
    python3 traces/synth/synth.py --list     # names only

Deterministic (seeded by file name), Python standard library only. The shapes
follow shared/reference/error-surfaces.md and failure-detection.md; see
traces/README.md for what each file shows and what the analyzer should say.
All tenants, users, IDs, cookies, passwords, codes, tokens and signatures are
invented throwaway values.
"""
from __future__ import annotations

import base64
import html
import json
import sys
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote, quote_plus, urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harlib import (ANDROID_WEBVIEW, CHROME_130_WINDOWS, Har, b64url_json, http_date,  # noqa: E402
                    iso_z)
from idp_pages import (LOGIN, CDN, adfs_error_page as adfs_error_html, adfs_signin_page, aadsts_trailer, config_base,  # noqa: E402
                       entra_page, ests_cookie, ests_headers, google_auth_error_blob, google_error_page,
                       google_headers, hiddenform, okta_error_page, okta_headers, okta_request_id,
                       troubleshooting)
import saz  # noqa: E402

OUT = HERE.parent

# ---------------------------------------------------------------- the invented world
TENANT = "contoso.onmicrosoft.com"
TENANT_ID = "6e3b9c1d-2f4a-4b8e-9c7d-5a1f0e2d3c4b"
APP_NAME = "Contoso Portal"
APP_ID = "3f1c9a2e-7b4d-4c8a-a6e5-0d9b2f4c7e11"
SAML_APP_ID = "9d2e7c41-5b3a-4f6e-8a1d-2c0b9e8f7a65"
APP = "https://portal.contoso.com"
USER = "pat.taylor@contoso.com"
USER_NAME = "Pat Taylor"
USER_OID = "a7c5e3d1-9b8f-4e6d-8c2b-1f0e9d8c7b6a"
PASSWORD = "Throwaway-Passw0rd!"   # invented; sits in the login POST bodies like in real captures
CET = timezone(timedelta(hours=1))
APP_IP = "198.51.100.20"
ESTS_IP = "20.190.159.68"
CDN_IP = "13.107.246.45"
CLIENT_IP = "203.0.113.45"
SIGNING_CERT = "".join(l for l in (HERE / "entra-saml-signing-cert.pem").read_text().splitlines() if "CERT" not in l)

APP_SERVER_HEADERS = [("server", "Microsoft-IIS/10.0"), ("x-powered-by", "ASP.NET"),
                      ("request-context", "appId=cid-v1:0b5e7f1a-3c2d-4e9f-8a7b-6c5d4e3f2a10")]


def app_page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8" />\n<title>{title}</title>\n'
            f'<link rel="stylesheet" href="/css/site.css" />\n</head>\n<body>\n<header>{APP_NAME}</header>\n'
            f'<main>\n{body}\n</main>\n</body>\n</html>\n')


def arr_affinity(h: Har) -> list:
    v = h.ids.hex(64)
    return [("set-cookie", f"ARRAffinity={v};Path=/;HttpOnly;Secure;Domain=portal.contoso.com"),
            ("set-cookie", f"ARRAffinitySameSite={v};Path=/;HttpOnly;SameSite=None;Secure;Domain=portal.contoso.com")]


def id_token(h: Har, *, nonce: str, iat: datetime, aud: str = APP_ID) -> str:
    ids = h.ids
    header = {"typ": "JWT", "alg": "RS256", "kid": ids.b64url(20)}
    t = int(iat.timestamp())
    payload = {"aud": aud, "iss": f"https://login.microsoftonline.com/{TENANT_ID}/v2.0", "iat": t, "nbf": t,
               "exp": t + 3600, "aio": ids.b64url(60), "name": USER_NAME, "nonce": nonce, "oid": USER_OID,
               "preferred_username": USER, "rh": "1.AXkA" + ids.b64url(40) + ".", "sid": ids.guid(),
               "sub": ids.b64url(32), "tid": TENANT_ID, "uti": ids.b64url(16), "ver": "2.0"}
    return f"{b64url_json(header)}.{b64url_json(payload)}.{ids.b64url(256)}"


# ---------------------------------------------------------------- Entra building blocks

class Entra:
    """One sign-in's worth of ESTS state (correlation id, flow token, ctx...)."""

    def __init__(self, h: Har, *, correlation_id: str | None = None, region: str = "WEULR1"):
        self.h = h
        self.ids = h.ids
        self.correlation_id = correlation_id or h.ids.guid()
        self.region = region
        self.ctx = "rQQIARAA" + h.ids.b64url(420)
        self.flow_token = "AQABIQEAAAB" + h.ids.b64url(600)
        self.canary = None
        self.request_ids: list[str] = []
        self.first_page = True

    def new_request_id(self) -> str:
        rid = self.ids.request_id()
        self.request_ids.append(rid)
        return rid

    def next_flow(self):
        self.flow_token = "AQABIQEAAAB" + self.ids.b64url(600)

    def page(self, url: str, *, pgid: str, hpgid: int, title: str, method: str = "GET", site: str,
             referer: str | None = None, origin: str | None = None, post: str | None = None, cookies=(),
             extra_cfg: dict | None = None, rendered: str = "", status: int = 200, client_request_id=None,
             user: bool = False, wait: float = 180, rid: str | None = None) -> tuple[int, str, dict]:
        if rid is None:
            rid = self.new_request_id()
        else:
            self.request_ids.append(rid)
        now = self.h.now + timedelta(milliseconds=wait)
        cfg = config_base(self.ids, now, pgid=pgid, hpgid=hpgid, correlation_id=self.correlation_id,
                          session_id=rid, region=self.region, **(extra_cfg or {}))
        self.canary = cfg["canary"]
        self.api_canary = cfg["apiCanary"]
        body = entra_page(pgid, title, cfg, rendered=rendered,
                          scripts="ConvergedError_Core" if pgid == "ConvergedError" else "ConvergedLogin_PCore")
        idx = self.h.request(method, url, status=status, site=site, referer=referer, origin=origin, post=post,
                             user=user, wait=wait, ip=ESTS_IP, body=body,
                             resp_headers=ests_headers(self.ids, rid, region=self.region, cookies=list(cookies),
                                                       client_request_id=client_request_id), encoding="gzip")
        if self.first_page:
            self.first_page = False
            self.h.wait(30)
            self.h.request("GET", f"{CDN}/shared/1.0/content/js/ConvergedLogin_PCore_Dr3yTmbVz0K7jRmzX9Oy3A2.js",
                           status=200, site="cross-site", resource="script", referer=f"{LOGIN}/",
                           origin=LOGIN, ip=CDN_IP, wait=22, mime="application/javascript",
                           initiator={"type": "parser", "url": url, "lineNumber": 31},
                           body="/* ConvergedLogin_PCore: minified bundle omitted from this synthesized sample */\n",
                           resp_headers=[("content-type", "application/javascript"), ("cache-control", "public, max-age=31536000"),
                                         ("access-control-allow-origin", "*"), ("x-cache", "TCP_HIT"),
                                         ("timing-allow-origin", "*"), ("x-ms-ref", "Ref A: " + self.ids.hex(32).upper())])
        return idx, rid, cfg

    def signin_cfg(self, url_post: str) -> dict:
        return {"sErrorCode": "50058", "sErrTxt": "", "urlPost": url_post, "sFT": self.flow_token, "sFTName": "flowToken",
                "sCtx": self.ctx, "sPOST_Username": "", "urlGetCredentialType": f"{LOGIN}/common/GetCredentialType?mkt=en-US",
                "urlResetPassword": "https://passwordreset.microsoftonline.com/", "oAppCobranding": {},
                "iLoginMode": 1, "fKMSIEnabled": True}

    def get_credential_type(self, referer: str, *, username: str = USER, federation_url: str | None = None) -> int:
        rid = self.new_request_id()
        req = {"username": username, "isOtherIdpSupported": True, "checkPhones": False, "isRemoteNGCSupported": True,
               "isCookieBannerShown": False, "isFidoSupported": True, "originalRequest": self.ctx, "country": "DE",
               "forceotclogin": False, "isExternalFederationDisallowed": False, "isRemoteConnectSupported": False,
               "federationFlags": 0, "isSignup": False, "flowToken": self.flow_token, "isAccessPassSupported": True,
               "isQrCodePinSupported": True}
        self.next_flow()
        creds = {"PrefCredential": 1, "HasPassword": True, "RemoteNgcParams": None, "FidoParams": None, "SasParams": None,
                 "CertAuthParams": None, "GoogleParams": None, "FacebookParams": None}
        if federation_url:
            creds["PrefCredential"] = 4
            creds["FederationRedirectUrl"] = federation_url
        resp = {"Username": username, "Display": username, "IfExistsResult": 0, "IsUnmanaged": False,
                "ThrottleStatus": 0, "Credentials": creds,
                "EstsProperties": {"UserTenantBranding": None, "DomainType": 4 if federation_url else 3},
                "FlowToken": self.flow_token, "IsSignupDisallowed": True, "apiCanary": self.ids.b64url(120)}
        return self.h.request(
            "POST", f"{LOGIN}/common/GetCredentialType?mkt=en-US", status=200, site="same-origin", resource="xhr",
            referer=referer, origin=LOGIN, post=json.dumps(req, separators=(",", ":")), post_mime="application/json; charset=UTF-8",
            headers={"canary": self.api_canary, "client-request-id": self.correlation_id, "hpgact": "1800",
                     "hpgid": "1104", "hpgrequestid": self.request_ids[-2] if len(self.request_ids) > 1 else rid},
            wait=95, ip=ESTS_IP, body=json.dumps(resp, separators=(",", ":")), mime="application/json; charset=utf-8",
            resp_headers=ests_headers(self.ids, rid, region=self.region, json_body=True, client_request_id=self.correlation_id),
            initiator={"type": "script", "stack": {"callFrames": [{"functionName": "", "scriptId": "23",
                       "url": f"{CDN}/shared/1.0/content/js/ConvergedLogin_PCore_Dr3yTmbVz0K7jRmzX9Oy3A2.js",
                       "lineNumber": 0, "columnNumber": 412017}]}})

    def login_post_body(self, page_rid: str, username: str = USER) -> str:
        return urlencode([
            ("i13", "0"), ("login", username), ("loginfmt", username), ("type", "11"), ("LoginOptions", "3"),
            ("lrt", ""), ("lrtPartition", ""), ("hisRegion", ""), ("hisScaleUnit", ""), ("passwd", PASSWORD),
            ("ps", "2"), ("psRNGCDefaultType", ""), ("psRNGCEntropy", ""), ("psRNGCSLK", ""), ("canary", self.canary),
            ("ctx", self.ctx), ("hpgrequestid", page_rid), ("flowToken", self.flow_token), ("PPSX", ""), ("NewUser", "1"),
            ("FoundMSAs", ""), ("fspost", "0"), ("i21", "0"), ("CookieDisclosure", "0"), ("IsFidoSupported", "1"),
            ("isSignupPost", "0"), ("DfpArtifact", ""), ("i19", str(self.ids.r.randint(9000, 16000)))])

    def kmsi_body(self, page_rid: str) -> str:
        return urlencode([("LoginOptions", "1"), ("type", "28"), ("ctx", self.ctx), ("hpgrequestid", page_rid),
                          ("flowToken", self.flow_token), ("canary", self.canary), ("i19", str(self.ids.r.randint(1500, 4000)))])

    def first_cookies(self) -> list[str]:
        now = self.h.now
        i = self.ids
        return [ests_cookie("buid", "0.AXkA" + i.b64url(90), now, persistent_days=30),
                ests_cookie("fpc", "A" + i.b64url(40), now, persistent_days=30),
                ests_cookie("esctx", "PAQABBwEAAAB" + i.b64url(200), now, persistent_days=None),
                "x-ms-gateway-slice=estsfd; path=/; secure; samesite=none; httponly",
                "stsservicecookie=estsfd; path=/; secure; samesite=none; httponly"]

    def session_cookies(self) -> list[str]:
        i = self.ids
        return [f"ESTSAUTH=1.AXkA{i.b64url(300)}; path=/; secure; HttpOnly; SameSite=None",
                f"ESTSAUTHLIGHT=+{i.guid()}; path=/; secure; SameSite=None",
                f"SignInStateCookie=CAgABFgIAAAB{i.b64url(200)}; domain=.login.microsoftonline.com; path=/; secure; HttpOnly"]

    def error_page(self, url: str, *, code: int, message: str, method: str = "GET", site: str, post=None,
                   referer=None, origin=None, client_request_id=None, extra_cfg=None, extra_lines=(),
                   ms_timestamp: bool = False, main_message: str = "Sorry, but we\u2019re having trouble signing you in.",
                   show_error_code: bool = False, wait: float = 160) -> tuple[int, str, str]:
        """Entra's error page (pgid ConvergedError): $Config carries the code and the
        AADSTS message; the Troubleshooting details text is what the page renders."""
        ts_dt = self.h.now + timedelta(milliseconds=wait)
        ts = iso_z(ts_dt, ms=ms_timestamp)
        rid = self.ids.request_id()
        rendered = (f"<div>{html.escape(main_message, quote=False)}</div>\n<div>{html.escape(message, quote=False)}</div>\n" +
                    troubleshooting(rid, self.correlation_id, ts, "" if show_error_code else message,
                                    extra_lines=list(extra_lines), error_code=str(code) if show_error_code else None))
        cfg = {"iErrorCode": code, "strServiceExceptionMessage": message, "strMainMessage": main_message,
               "sErrorCode": str(code), "fShowCopyDebugDetailsLink": True, "urlFlagErrors": f"{LOGIN}/common/debugmode",
               "sErrTxt": ""}
        cfg.update(extra_cfg or {})
        idx, rid2, _ = self.page(url, pgid="ConvergedError", hpgid=1117, title="Sign in to your account", method=method,
                                 site=site, post=post, referer=referer, origin=origin, extra_cfg=cfg, rendered=rendered,
                                 client_request_id=client_request_id, wait=wait, rid=rid)
        return idx, rid, ts


def aspnet_challenge(h: Har, *, samesite_none: bool = True, redirect_uri: str = f"{APP}/signin-oidc",
                     scope: str = "openid profile offline_access", response_mode: str = "form_post") -> dict:
    ids = h.ids
    ticks = 638678000000000000 + ids.r.randint(0, 10**12)
    nonce = f"{ticks}.{ids.b64(48)}"
    state = "CfDJ8" + ids.b64url(330)
    corr = ids.b64url(32)
    nonce_name = ".AspNetCore.OpenIdConnect.Nonce.CfDJ8" + ids.b64url(110)
    exp = http_date(h.now + timedelta(minutes=15))
    same = " samesite=none;" if samesite_none else ""
    params = [("client_id", APP_ID), ("redirect_uri", redirect_uri), ("response_type", "code"), ("scope", scope),
              ("code_challenge", ids.b64url(32)), ("code_challenge_method", "S256"), ("response_mode", response_mode),
              ("nonce", nonce), ("client_info", "1"), ("x-client-brkrver", "IDWeb.3.2.2.0"), ("state", state),
              ("x-client-SKU", "ID_NET8_0"), ("x-client-ver", "7.6.0.0")]
    url = f"{LOGIN}/{TENANT}/oauth2/v2.0/authorize?" + urlencode(params, quote_via=quote)
    idx = h.request("GET", f"{APP}/account/signin", status=302, site="same-origin", user=True, referer=f"{APP}/",
                    ip=APP_IP, wait=38, resp_headers=[
                        ("cache-control", "no-cache,no-store"), ("pragma", "no-cache"), ("location", url),
                        ("set-cookie", f"{nonce_name}=N; expires={exp}; path=/signin-oidc; secure;{same} httponly"),
                        ("set-cookie", f".AspNetCore.Correlation.{corr}=N; expires={exp}; path=/signin-oidc; secure;{same} httponly"),
                        *APP_SERVER_HEADERS])
    return {"entry": idx, "url": url, "nonce": nonce, "state": state, "nonce_cookie": nonce_name,
            "correlation_cookie": f".AspNetCore.Correlation.{corr}"}


def app_home(h: Har, *, signed_in: bool = False, site: str = "none", referer: str | None = None) -> int:
    h.page(f"{APP_NAME}")
    body = (app_page(APP_NAME, f"<p>Hello, {USER_NAME}!</p><p><a href=\"/account/signout\">Sign out</a></p>") if signed_in
            else app_page(APP_NAME, '<p>Welcome.</p><p><a id="signin" href="/account/signin">Sign in</a></p>'))
    extra = [] if signed_in else arr_affinity(h)
    return h.request("GET", f"{APP}/", status=200, site=site, referer=referer, ip=APP_IP, wait=64, body=body,
                     user=(site == "none"),
                     resp_headers=[("cache-control", "no-cache, no-store"), ("pragma", "no-cache"),
                                   ("content-type", "text/html; charset=utf-8"), *APP_SERVER_HEADERS, *extra])


def entra_interactive(h: Har, e: Entra, authorize_url: str, *, referer_origin: str = f"{APP}/",
                      kmsi: bool = True, mfa: bool = False, dwell_ms: float = 0) -> dict:
    """authorize -> ConvergedSignIn -> GetCredentialType -> login POST [-> TFA] [-> KMSI].
    dwell_ms: how long the user leaves the sign-in page before typing."""
    out = {}
    h.wait(120)
    idx, rid, cfg = e.page(authorize_url, pgid="ConvergedSignIn", hpgid=1104, title="Sign in to your account",
                           site="cross-site", referer=referer_origin, cookies=e.first_cookies(),
                           extra_cfg=e.signin_cfg(f"/{TENANT}/login"))
    out["authorize"] = idx
    h.wait(5200 + dwell_ms)  # typing the user name
    out["gct"] = e.get_credential_type(authorize_url)
    h.wait(6400)  # typing the password
    login_url = f"{LOGIN}/{TENANT}/login"
    out["login_url"] = login_url
    body = e.login_post_body(rid)
    if mfa:
        idx, rid2, cfg2 = e.page(login_url, pgid="ConvergedTFA", hpgid=1116, title="Sign in to your account",
                                 method="POST", site="same-origin", referer=f"{LOGIN}/", origin=LOGIN, post=body,
                                 extra_cfg={"urlPost": "/common/SAS/ProcessAuth", "sFT": e.flow_token,
                                            "sFTName": "flowToken", "sCtx": e.ctx,
                                            "urlBeginAuth": f"{LOGIN}/common/SAS/BeginAuth",
                                            "urlEndAuth": f"{LOGIN}/common/SAS/EndAuth",
                                            "arrUserProofs": [{"authMethodId": "PhoneAppNotification",
                                                               "data": "PhoneAppNotification", "display": "+XX XXXXXXXX27",
                                                               "isDefault": True, "isLocationAware": False}],
                                            "sPOST_Username": USER})
        out["login"] = idx
        out.update(entra_mfa(h, e, rid2))
        return out
    if kmsi:
        idx, rid2, cfg2 = e.page(login_url, pgid="KmsiInterrupt", hpgid=1115, title="Sign in to your account",
                                 method="POST", site="same-origin", referer=f"{LOGIN}/", origin=LOGIN, post=body,
                                 cookies=e.session_cookies(),
                                 extra_cfg={"urlPost": "/kmsi", "sFT": e.flow_token, "sFTName": "flowToken",
                                            "sCtx": e.ctx, "sPOST_Username": USER})
        out["login"] = idx
        out["kmsi_page_rid"] = rid2
    else:
        out["login_body"] = body
        out["login_page_rid"] = rid
    return out


def entra_mfa(h: Har, e: Entra, tfa_rid: str) -> dict:
    out = {}
    h.wait(900)
    rid = e.new_request_id()
    session = e.ids.guid()
    begin = {"AuthMethodId": "PhoneAppNotification", "Method": "BeginAuth", "ctx": e.ctx, "flowToken": e.flow_token}
    e.next_flow()
    out["begin"] = h.request("POST", f"{LOGIN}/common/SAS/BeginAuth", status=200, site="same-origin", resource="xhr",
                             referer=f"{LOGIN}/", origin=LOGIN, post=json.dumps(begin, separators=(",", ":")),
                             post_mime="application/json", headers={"canary": e.api_canary, "client-request-id": e.correlation_id,
                                                                   "hpgid": "1116", "hpgrequestid": tfa_rid},
                             ip=ESTS_IP, wait=410, mime="application/json; charset=utf-8",
                             body=json.dumps({"Success": True, "ResultValue": "Success", "Message": None,
                                              "AuthMethodId": "PhoneAppNotification", "ErrCode": 0, "Retry": False,
                                              "FlowToken": e.flow_token, "Ctx": e.ctx, "SessionId": session,
                                              "CorrelationId": e.correlation_id, "Timestamp": iso_z(h.now, ms=False)},
                                             separators=(",", ":")),
                             resp_headers=ests_headers(e.ids, rid, region=e.region, json_body=True, client_request_id=e.correlation_id))
    for poll, result in enumerate(["AuthenticationPending", "Success"]):
        h.wait(3000 if poll == 0 else 9500)
        rid = e.new_request_id()
        end = {"AuthMethodId": "PhoneAppNotification", "Method": "EndAuth", "SessionId": session, "FlowToken": e.flow_token,
               "Ctx": e.ctx, "PollCount": poll + 1}
        e.next_flow()
        out[f"end{poll + 1}"] = h.request(
            "POST", f"{LOGIN}/common/SAS/EndAuth", status=200, site="same-origin", resource="xhr", referer=f"{LOGIN}/",
            origin=LOGIN, post=json.dumps(end, separators=(",", ":")), post_mime="application/json",
            headers={"canary": e.api_canary, "client-request-id": e.correlation_id, "hpgid": "1116", "hpgrequestid": tfa_rid},
            ip=ESTS_IP, wait=180, mime="application/json; charset=utf-8",
            body=json.dumps({"Success": result == "Success", "ResultValue": result, "Message": None,
                             "AuthMethodId": "PhoneAppNotification", "ErrCode": 0, "Retry": result != "Success",
                             "FlowToken": e.flow_token, "Ctx": e.ctx, "SessionId": session,
                             "CorrelationId": e.correlation_id, "Timestamp": iso_z(h.now, ms=False)}, separators=(",", ":")),
            resp_headers=ests_headers(e.ids, rid, region=e.region, json_body=True, client_request_id=e.correlation_id))
    h.wait(350)
    out["process_auth_body"] = urlencode([("type", "22"), ("request", e.ctx), ("mfaAuthMethod", "PhoneAppNotification"),
                                          ("canary", e.canary), ("otc", ""), ("login", USER), ("flowToken", e.flow_token),
                                          ("hpgrequestid", tfa_rid), ("sacxt", ""), ("hideSmsInMfaProofs", "false"),
                                          ("i19", str(e.ids.r.randint(20000, 40000)))])
    return out


def entra_kmsi_to_form_post(h: Har, e: Entra, steps: dict, *, action: str, fields: dict) -> int:
    h.wait(2300)
    rid = e.new_request_id()
    body = hiddenform(action, fields)
    return h.request("POST", f"{LOGIN}/kmsi", status=200, site="same-origin", referer=f"{LOGIN}/", origin=LOGIN,
                     post=e.kmsi_body(steps["kmsi_page_rid"]), ip=ESTS_IP, wait=240, body=body, encoding="gzip",
                     resp_headers=ests_headers(e.ids, rid, region=e.region, cookies=[
                         f"ESTSAUTHPERSISTENT=1.AXkA{e.ids.b64url(300)}; expires={http_date(h.now + timedelta(days=90))}; path=/; secure; HttpOnly; SameSite=None",
                         f"ESTSAUTH=1.AXkA{e.ids.b64url(300)}; path=/; secure; HttpOnly; SameSite=None"]))


# ---------------------------------------------------------------- scenarios
SCENARIOS: dict = {}
EXPECTED: dict = {}


def scenario(fn):
    SCENARIOS[fn.__name__.replace("_", "-")] = fn
    return fn


def start(day=20, hour=10, minute=4, second=7, tz=CET) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, 482000, tzinfo=tz)


def entra_success_flow(name: str, *, samesite_none: bool = True, mfa: bool = False, dwell_ms: float = 0):
    """Full OIDC code flow (form_post) through Entra pages; returns (har, facts)."""
    h = Har(name, start=start(), ua=CHROME_130_WINDOWS)
    e = Entra(h)
    app_home(h)
    h.wait(2800)
    ch = aspnet_challenge(h, samesite_none=samesite_none)
    steps = entra_interactive(h, e, ch["url"], mfa=mfa, dwell_ms=dwell_ms)
    if mfa:
        # ProcessAuth -> KMSI page
        rid_tfa_done = e.page(f"{LOGIN}/common/SAS/ProcessAuth", pgid="KmsiInterrupt", hpgid=1115,
                              title="Sign in to your account", method="POST", site="same-origin", referer=f"{LOGIN}/",
                              origin=LOGIN, post=steps["process_auth_body"], cookies=e.session_cookies(),
                              extra_cfg={"urlPost": "/kmsi", "sFT": e.flow_token, "sFTName": "flowToken", "sCtx": e.ctx,
                                         "sPOST_Username": USER})
        steps["process_auth"] = rid_tfa_done[0]
        steps["kmsi_page_rid"] = rid_tfa_done[1]
    code = "1.AXkA" + h.ids.b64url(520)
    token = id_token(h, nonce=ch["nonce"], iat=h.now + timedelta(seconds=2))
    fields = {"code": code, "id_token": token, "client_info": b64url_json({"uid": USER_OID, "utid": TENANT_ID}),
              "state": ch["state"], "session_state": h.ids.guid()}
    fp = entra_kmsi_to_form_post(h, e, steps, action=f"{APP}/signin-oidc", fields=fields)
    h.wait(60)
    return h, e, ch, steps, fp, fields


def finish_success(h: Har, ch: dict, fields: dict) -> tuple[int, int]:
    """The app's side of a good form_post callback: 302 home with its session cookie, then home."""
    post = urlencode(list(fields.items()))
    cb = h.request("POST", f"{APP}/signin-oidc", status=302, site="cross-site", referer=f"{LOGIN}/", origin=LOGIN,
                   post=post, ip=APP_IP, wait=310, resp_headers=[
                       ("cache-control", "no-cache,no-store"), ("pragma", "no-cache"), ("location", "/"),
                       ("set-cookie", f"{ch['nonce_cookie']}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/signin-oidc; secure; samesite=none; httponly"),
                       ("set-cookie", f"{ch['correlation_cookie']}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/signin-oidc; secure; samesite=none; httponly"),
                       ("set-cookie", f".AspNetCore.Cookies=CfDJ8{h.ids.b64url(900)}; path=/; secure; samesite=lax; httponly"),
                       *APP_SERVER_HEADERS])
    h.wait(15)
    home = app_home(h, signed_in=True, site="cross-site", referer=f"{LOGIN}/")
    return cb, home


@scenario
def entra_success():
    name = "entra-success"
    h, e, ch, steps, fp, fields = entra_success_flow(name)
    cb, home = finish_success(h, ch, fields)
    EXPECTED[name] = {"category": "ok", "verdict": "ok", "entry": None, "callback_entry": cb, "final_entry": home,
                      "form_post_entry": fp, "correlation_id": e.correlation_id, "ests_request_ids": e.request_ids,
                      "tenant": TENANT, "tenant_id": TENANT_ID, "app_id": APP_ID, "user": USER,
                      "notes": "OIDC code flow, response_mode=form_post; correlation cookies SameSite=None and present on the callback POST."}
    return h, "Entra ID OIDC sign-in that completes (form_post)."


@scenario
def entra_form_post_cookie_dropped():
    name = "entra-form-post-cookie-dropped"
    h, e, ch, steps, fp, fields = entra_success_flow(name, samesite_none=False, mfa=True, dwell_ms=97_000)
    post = urlencode(list(fields.items()))
    body = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<title>Internal Server Error</title>\n</head>\n<body>\n"
            "<h1>An unhandled exception occurred while processing the request.</h1>\n"
            "<div class=\"titleerror\">AuthenticationFailureException: Correlation failed.</div>\n<p class=\"location\">Unknown location</p>\n"
            "<div class=\"titleerror\">AuthenticationFailureException: An error was encountered while handling the remote login.</div>\n"
            "<p class=\"location\">Microsoft.AspNetCore.Authentication.RemoteAuthenticationHandler&lt;TOptions&gt;.HandleRequestAsync()</p>\n"
            "</body>\n</html>\n")
    cb = h.request("POST", f"{APP}/signin-oidc", status=500, site="cross-site", referer=f"{LOGIN}/", origin=LOGIN,
                   post=post, ip=APP_IP, wait=95, body=body,
                   resp_headers=[("cache-control", "no-cache,no-store"), ("pragma", "no-cache"),
                                 ("content-type", "text/html; charset=utf-8"), *APP_SERVER_HEADERS])
    sent = next(x["value"] for x in h.entries[cb - 1]["request"]["headers"] if x["name"] == "cookie")
    assert ".AspNetCore.Correlation" not in sent and "ARRAffinitySameSite" in sent, sent
    EXPECTED[name] = {"category": "cookie_dropped", "verdict": "failed", "entry": cb, "set_cookie_entry": ch["entry"],
                      "dropped_cookies": [ch["nonce_cookie"], ch["correlation_cookie"], "ARRAffinity"],
                      "correlation_id": e.correlation_id, "app_error": "Correlation failed.",
                      "notes": "Nonce/correlation cookies set without SameSite at #%d (Lax by default); the cross-site form_post at #%d, "
                               "over 2 minutes later (MFA), carries only ARRAffinitySameSite; the app answers 500 'Correlation failed.'"
                               % (ch["entry"], cb)}
    return h, "Entra ID form_post callback without the app's correlation/nonce cookies (SameSite)."


@scenario
def entra_reply_url_mismatch():
    """MSAL.js single-page app; the redirect URI it sends is not registered."""
    name = "entra-reply-url-mismatch"
    h = Har(name, start=start(hour=9, minute=41, second=12), ua=CHROME_130_WINDOWS)
    ids = h.ids
    corr = ids.guid()
    e = Entra(h, correlation_id=corr, region="NEULR1")
    h.page(APP_NAME)
    h.request("GET", f"{APP}/", status=200, site="none", user=True, ip=APP_IP, wait=41,
              body='<!doctype html><html lang="en"><head><meta charset="UTF-8" /><title>Contoso Portal</title>'
                   '<script type="module" crossorigin src="/assets/index-4f1c2b9e.js"></script></head>'
                   '<body><div id="root"></div></body></html>',
              resp_headers=[("content-type", "text/html"), ("cache-control", "no-cache"), ("server", "Windows-Azure-Web/1.0"),
                            ("x-ms-request-id", ids.guid())])
    h.request("GET", f"{APP}/assets/index-4f1c2b9e.js", status=200, site="same-origin", resource="script",
              referer=f"{APP}/", origin=APP, ip=APP_IP, wait=33, mime="application/javascript",
              body="/* app bundle (MSAL.js 3.27.0) omitted from this synthesized sample */\n",
              initiator={"type": "parser", "url": f"{APP}/", "lineNumber": 0},
              resp_headers=[("content-type", "application/javascript"), ("cache-control", "public, max-age=31536000, immutable"),
                            ("server", "Windows-Azure-Web/1.0")])
    h.wait(3100)
    redirect_uri = f"{APP}/auth/callback"
    params = [("client_id", APP_ID), ("scope", "openid profile offline_access"), ("redirect_uri", redirect_uri),
              ("client-request-id", corr), ("response_mode", "fragment"), ("response_type", "code"),
              ("x-client-SKU", "msal.js.browser"), ("x-client-VER", "3.27.0"), ("client_info", "1"),
              ("code_challenge", ids.b64url(32)), ("code_challenge_method", "S256"), ("nonce", ids.guid()),
              ("state", b64url_json({"id": ids.guid(), "meta": {"interactionType": "redirect"}}))]
    url = f"{LOGIN}/{TENANT}/oauth2/v2.0/authorize?" + urlencode(params, quote_via=quote)
    msg = (f"AADSTS50011: The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs "
           f"configured for the application '{APP_ID}'. Make sure the redirect URI sent in the request matches one added "
           f"to your application in the Azure portal.")
    idx, rid, ts = e.error_page(url, code=50011, message=msg, site="cross-site", referer=f"{APP}/", client_request_id=corr)
    EXPECTED[name] = {"category": "redirect_mismatch", "verdict": "failed", "entry": idx, "error_codes": ["AADSTS50011"],
                      "correlation_id": corr, "request_id": rid, "timestamp": ts, "redirect_uri": redirect_uri,
                      "app_id": APP_ID, "tenant": TENANT,
                      "notes": "200 ConvergedError page; client-request-id query param == response header == $Config.correlationId; "
                               "x-ms-request-id == $Config.sessionId == 'Request Id'. Trap: the app's own Azure-hosted page (#1) "
                               "also carries an x-ms-request-id header; it is not an Entra request id."}
    return h, "Entra ID error page AADSTS50011 (reply URL not registered)."


def _error_after_login(name: str, *, code: int, message_fn, category: str, extra_cfg_fn=None, extra_lines_fn=None,
                       scope: str = "openid profile offline_access", notes: str = "", mfa: bool = False,
                       ms_timestamp: bool = False, show_error_code: bool = False, sub: str | None = None):
    h = Har(name, start=start(hour=11, minute=17, second=40), ua=CHROME_130_WINDOWS)
    e = Entra(h)
    app_home(h)
    h.wait(2100)
    ch = aspnet_challenge(h, scope=scope)
    steps = entra_interactive(h, e, ch["url"], kmsi=False, mfa=mfa)
    msg = message_fn(e)
    if mfa:
        idx, rid, ts = e.error_page(f"{LOGIN}/common/SAS/ProcessAuth", code=code, message=msg, method="POST",
                                    site="same-origin", post=steps["process_auth_body"], referer=f"{LOGIN}/", origin=LOGIN,
                                    extra_cfg=extra_cfg_fn(e) if extra_cfg_fn else None,
                                    extra_lines=extra_lines_fn(e) if extra_lines_fn else (), ms_timestamp=ms_timestamp,
                                    main_message="You cannot access this right now" if code == 53003 else
                                    "Sorry, but we\u2019re having trouble signing you in.", show_error_code=show_error_code)
    else:
        idx, rid, ts = e.error_page(steps["login_url"], code=code, message=msg, method="POST", site="same-origin",
                                    post=steps["login_body"], referer=f"{LOGIN}/", origin=LOGIN,
                                    extra_cfg=extra_cfg_fn(e) if extra_cfg_fn else None,
                                    extra_lines=extra_lines_fn(e) if extra_lines_fn else (), ms_timestamp=ms_timestamp,
                                    show_error_code=show_error_code)
    EXPECTED[name] = {"category": category, "verdict": "failed", "entry": idx, "error_codes": [f"AADSTS{code}"],
                      "correlation_id": e.correlation_id, "request_id": rid, "timestamp": ts, "tenant": TENANT,
                      "app_id": APP_ID, "user": USER, "notes": notes}
    if sub:
        EXPECTED[name]["idp_error_subcategory"] = sub
    return h


@scenario
def entra_consent_admin_required():
    name = "entra-consent-admin-required"
    h = _error_after_login(
        name, code=90094, category="consent", scope="openid profile offline_access https://graph.microsoft.com/Directory.Read.All",
        message_fn=lambda e: (f"AADSTS90094: Admin consent is required for the permissions requested by the application "
                              f"'{APP_ID}' ({APP_NAME}); the user cannot grant them."),
        notes="After the password POST, Entra shows its error page: the app asks Directory.Read.All, which needs admin consent.")
    return h, "Entra ID AADSTS90094 (admin consent required) after sign-in."


@scenario
def entra_user_not_assigned():
    """SAML app (SP-initiated) with 'assignment required'; the user is not assigned."""
    name = "entra-user-not-assigned"
    h = Har(name, start=start(hour=8, minute=55, second=3), ua=CHROME_130_WINDOWS)
    e = Entra(h)
    req_id, saml_url = saml_redirect(h)
    h.page(APP_NAME)
    h.request("GET", f"{APP}/", status=200, site="none", user=True, ip=APP_IP, wait=52,
              body=app_page(APP_NAME, '<p><a id="signin" href="/saml/login">Sign in with Contoso ID</a></p>'),
              resp_headers=[("content-type", "text/html; charset=utf-8"), ("cache-control", "no-store"), ("server", "nginx")])
    h.wait(1900)
    h.request("GET", f"{APP}/saml/login", status=302, site="same-origin", user=True, referer=f"{APP}/", ip=APP_IP, wait=28,
              resp_headers=[("location", saml_url), ("cache-control", "no-store"), ("server", "nginx"),
                            ("set-cookie", f"portal_saml_req={req_id}; Path=/saml; Secure; HttpOnly; SameSite=None")])
    steps = entra_interactive(h, e, saml_url, kmsi=False)
    msg = (f"AADSTS50105: The signed in user '{USER}' is not assigned to a role for the application "
           f"'{SAML_APP_ID}'({APP_NAME}).")
    idx, rid, ts = e.error_page(steps["login_url"], code=50105, message=msg, method="POST", site="same-origin",
                                post=steps["login_body"], referer=f"{LOGIN}/", origin=LOGIN)
    EXPECTED[name] = {"category": "idp_error", "idp_error_subcategory": "user_not_assigned", "verdict": "failed",
                      "entry": idx, "error_codes": ["AADSTS50105"], "correlation_id": e.correlation_id, "request_id": rid,
                      "timestamp": ts, "tenant_id": TENANT_ID, "app_id": SAML_APP_ID, "user": USER,
                      "authn_request_id": req_id,
                      "notes": "SAML SP-initiated (HTTP-Redirect to /saml2); Entra never posts a SAMLResponse, it shows the error page."}
    return h, "Entra ID AADSTS50105 (user not assigned) for a SAML app."


@scenario
def entra_mfa_required_ca_block():
    name = "entra-mfa-required-ca-block"
    device_id = ""

    def cfg(e):
        return {"iErrorTitle": 1, "iErrorDescription": 1, "sDeviceId": device_id, "sDeviceState": "Unregistered",
                "sPOST_Username": USER, "sIpAddress": CLIENT_IP, "sDevicePlatform": "Windows 10"}

    def lines(e):
        return [("App name", APP_NAME), ("App id", APP_ID), ("IP address", CLIENT_IP), ("Device identifier", "Not available"),
                ("Device platform", "Windows 10"), ("Device state", "Unregistered")]

    h = _error_after_login(
        name, code=53003, category="idp_error", mfa=True, ms_timestamp=True, show_error_code=True, sub="conditional_access",
        message_fn=lambda e: "AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
        extra_cfg_fn=cfg, extra_lines_fn=lines,
        notes="Password + push MFA succeed (BeginAuth/EndAuth), then a Conditional Access policy requiring a registered device blocks at ProcessAuth.")
    return h, "Entra ID Conditional Access block (AADSTS53003) after MFA."


@scenario
def entra_consent_declined():
    """Node app with msal-node, response_mode=query; the user presses Cancel on the consent screen."""
    name = "entra-consent-declined"
    h = Har(name, start=start(hour=14, minute=2, second=51), ua=CHROME_130_WINDOWS)
    ids = h.ids
    e = Entra(h)
    h.page(APP_NAME)
    h.request("GET", f"{APP}/", status=200, site="none", user=True, ip=APP_IP, wait=35,
              body=app_page(APP_NAME, '<p><a id="signin" href="/auth/signin">Sign in</a></p>'),
              resp_headers=[("content-type", "text/html; charset=utf-8"), ("x-powered-by", "Express"),
                            ("set-cookie", f"connect.sid=s%3A{ids.b64url(24)}.{ids.b64url(32)}; Path=/; HttpOnly; Secure; SameSite=Lax")])
    h.wait(1700)
    state = ids.b64url(24)
    redirect_uri = f"{APP}/auth/redirect"
    params = [("client_id", APP_ID), ("scope", "User.Read Calendars.Read openid profile offline_access"),
              ("redirect_uri", redirect_uri), ("client-request-id", e.correlation_id), ("response_mode", "query"),
              ("response_type", "code"), ("x-client-SKU", "msal.js.node"), ("x-client-VER", "2.16.2"),
              ("x-client-OS", "linux"), ("x-client-CPU", "x64"), ("client_info", "1"), ("code_challenge", ids.b64url(32)),
              ("code_challenge_method", "S256"), ("prompt", "select_account"), ("state", state)]
    url = f"{LOGIN}/{TENANT}/oauth2/v2.0/authorize?" + urlencode(params, quote_via=quote)
    h.request("GET", f"{APP}/auth/signin", status=302, site="same-origin", user=True, referer=f"{APP}/", ip=APP_IP, wait=22,
              resp_headers=[("x-powered-by", "Express"), ("location", url), ("vary", "Accept"),
                            ("content-type", "text/plain; charset=utf-8")])
    steps = entra_interactive(h, e, url, kmsi=False)
    consent_idx, consent_rid, _ = e.page(
        steps["login_url"], pgid="ConvergedConsent", hpgid=1128, title="Permissions requested", method="POST",
        site="same-origin", referer=f"{LOGIN}/", origin=LOGIN, post=steps["login_body"], cookies=e.session_cookies(),
        extra_cfg={"urlPost": "/common/Consent/Set", "sFT": e.flow_token, "sFTName": "flowToken", "sCtx": e.ctx,
                   "sPOST_Username": USER, "arrScopes": [{"label": "Read your calendars", "isConsented": False},
                                                         {"label": "Sign you in and read your profile", "isConsented": False},
                                                         {"label": "Maintain access to data you have given it access to", "isConsented": False}],
                   "sAppName": APP_NAME, "sAppId": APP_ID, "fIsAdmin": False})
    h.wait(7400)
    rid = e.new_request_id()
    when = h.now + timedelta(milliseconds=150)
    desc = aadsts_trailer("AADSTS65004: User declined to consent to access the app.", rid, e.correlation_id, when)
    loc = (f"{redirect_uri}?error=access_denied&error_description={quote_plus(desc).replace('%3A', '%3a').replace('%0D', '%0d').replace('%0A', '%0a')}"
           f"&error_uri=https%3a%2f%2flogin.microsoftonline.com%2ferror%3fcode%3d65004&state={state}")
    issued = h.request("POST", f"{LOGIN}/common/Consent/Set", status=302, site="same-origin", referer=f"{LOGIN}/", origin=LOGIN,
                       post=urlencode([("acceptConsent", "false"), ("ctx", e.ctx), ("flowToken", e.flow_token),
                                       ("canary", e.canary), ("hpgrequestid", consent_rid), ("i19", "7321")]),
                       ip=ESTS_IP, wait=150, resp_headers=ests_headers(e.ids, rid, region=e.region, extra=[("location", loc)]))
    h.wait(20)
    delivered = h.request("GET", loc, status=200, site="cross-site", referer=f"{LOGIN}/", ip=APP_IP, wait=18,
                          body=app_page(APP_NAME, "<h1>Sign-in cancelled</h1><p>You did not grant Contoso Portal the "
                                                  "permissions it needs. <a href=\"/auth/signin\">Try again</a></p>"),
                          resp_headers=[("x-powered-by", "Express"), ("content-type", "text/html; charset=utf-8")])
    EXPECTED[name] = {"category": "consent", "verdict": "failed", "entry": delivered, "issued_entry": issued,
                      "consent_page_entry": consent_idx, "error_codes": ["AADSTS65004"], "error": "access_denied",
                      "correlation_id": e.correlation_id, "request_id": rid, "trace_id": rid,
                      "timestamp": when.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S") + "Z", "state": state,
                      "notes": "Consent/Set (acceptConsent=false) answers 302 to the app with error=access_denied and an "
                               "error_description carrying the Trace ID / Correlation ID / Timestamp trailer."}
    return h, "Entra ID consent declined (access_denied, AADSTS65004) redirected to the app."


# ---------------------------------------------------------------- SAML with Entra

SP_ENTITY = f"{APP}/saml"
SP_ACS = f"{APP}/saml/acs"


def saml_redirect(h: Har) -> tuple[str, str]:
    ids = h.ids
    req_id = "_" + ids.hex(40)
    issue = iso_z(h.now + timedelta(seconds=2, milliseconds=7))
    xml = (f'<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
           f'ID="{req_id}" Version="2.0" IssueInstant="{issue}" Destination="{LOGIN}/{TENANT_ID}/saml2" '
           f'AssertionConsumerServiceURL="{SP_ACS}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">'
           f'<saml:Issuer>{SP_ENTITY}</saml:Issuer>'
           f'<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>'
           f'</samlp:AuthnRequest>')
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = co.compress(xml.encode()) + co.flush()
    url = f"{LOGIN}/{TENANT_ID}/saml2?" + urlencode([("SAMLRequest", base64.b64encode(deflated).decode()), ("RelayState", "/")])
    return req_id, url


def entra_saml_response(h: Har, *, in_response_to: str, issue: datetime) -> str:
    ids = h.ids
    rid, aid = "_" + ids.guid(), "_" + ids.guid()
    t = iso_z(issue)
    nb = iso_z(issue)
    noa = iso_z(issue + timedelta(minutes=70))
    scd_noa = iso_z(issue + timedelta(minutes=5))
    iss = f"https://sts.windows.net/{TENANT_ID}/"
    claims = [
        ("http://schemas.microsoft.com/identity/claims/tenantid", TENANT_ID),
        ("http://schemas.microsoft.com/identity/claims/objectidentifier", USER_OID),
        ("http://schemas.microsoft.com/identity/claims/displayname", USER_NAME),
        ("http://schemas.microsoft.com/identity/claims/identityprovider", iss),
        ("http://schemas.microsoft.com/claims/authnmethodsreferences", "http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password"),
        ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "Pat"),
        ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "Taylor"),
        ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", USER),
        ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", USER),
    ]
    attrs = "".join(f'<Attribute Name="{n}"><AttributeValue>{v}</AttributeValue></Attribute>' for n, v in claims)
    # The signature is shaped like Entra's (enveloped, exc-c14n, RSA-SHA256, assertion only) but its
    # DigestValue / SignatureValue are placeholders: nothing here can be verified cryptographically.
    sig = (f'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>'
           f'<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
           f'<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
           f'<Reference URI="#{aid}"><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
           f'<Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms>'
           f'<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue>{ids.b64(32)}</DigestValue>'
           f'</Reference></SignedInfo><SignatureValue>{ids.b64(256)}</SignatureValue>'
           f'<KeyInfo><X509Data><X509Certificate>{SIGNING_CERT}</X509Certificate></X509Data></KeyInfo></Signature>')
    xml = (f'<samlp:Response ID="{rid}" Version="2.0" IssueInstant="{t}" Destination="{SP_ACS}" InResponseTo="{in_response_to}" '
           f'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">{iss}</Issuer>'
           f'<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
           f'<Assertion ID="{aid}" IssueInstant="{t}" Version="2.0" xmlns="urn:oasis:names:tc:SAML:2.0:assertion">'
           f'<Issuer>{iss}</Issuer>{sig}<Subject><NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{USER}</NameID>'
           f'<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><SubjectConfirmationData InResponseTo="{in_response_to}" '
           f'NotOnOrAfter="{scd_noa}" Recipient="{SP_ACS}"/></SubjectConfirmation></Subject>'
           f'<Conditions NotBefore="{nb}" NotOnOrAfter="{noa}"><AudienceRestriction><Audience>{SP_ENTITY}</Audience>'
           f'</AudienceRestriction></Conditions><AttributeStatement>{attrs}</AttributeStatement>'
           f'<AuthnStatement AuthnInstant="{iso_z(issue - timedelta(seconds=9))}" SessionIndex="{aid}"><AuthnContext>'
           f'<AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef></AuthnContext>'
           f'</AuthnStatement></Assertion></samlp:Response>')
    return base64.b64encode(xml.encode()).decode()


def entra_saml_success_flow(name: str, ua=CHROME_130_WINDOWS):
    h = Har(name, start=start(hour=16, minute=22, second=9), ua=ua)
    e = Entra(h)
    h.page(APP_NAME)
    h.request("GET", f"{APP}/", status=200, site="none", user=True, ip=APP_IP, wait=47,
                     body=app_page(APP_NAME, '<p><a id="signin" href="/saml/login">Sign in with Contoso ID</a></p>'),
                     resp_headers=[("content-type", "text/html; charset=utf-8"), ("cache-control", "no-store"), ("server", "nginx")])
    h.wait(2300)
    req_id, saml_url = saml_redirect(h)
    start_idx = h.request("GET", f"{APP}/saml/login", status=302, site="same-origin", user=True, referer=f"{APP}/", ip=APP_IP,
                          wait=26, resp_headers=[("location", saml_url), ("cache-control", "no-store"), ("server", "nginx"),
                                                 ("set-cookie", f"portal_saml_req={req_id}; Path=/saml; Secure; HttpOnly; SameSite=None")])
    steps = entra_interactive(h, e, saml_url)
    h.wait(2100)
    rid = e.new_request_id()
    issue = h.now + timedelta(milliseconds=120)
    saml_resp = entra_saml_response(h, in_response_to=req_id, issue=issue)
    post_page = h.request("POST", f"{LOGIN}/kmsi", status=200, site="same-origin", referer=f"{LOGIN}/", origin=LOGIN,
                          post=e.kmsi_body(steps["kmsi_page_rid"]), ip=ESTS_IP, wait=260, encoding="gzip",
                          body=hiddenform(SP_ACS, {"SAMLResponse": saml_resp, "RelayState": "/"}),
                          resp_headers=ests_headers(e.ids, rid, region=e.region, cookies=[
                              f"ESTSAUTHPERSISTENT=1.AXkA{h.ids.b64url(300)}; expires={http_date(h.now + timedelta(days=90))}; path=/; secure; HttpOnly; SameSite=None"]))
    h.wait(55)
    acs = h.request("POST", SP_ACS, status=302, site="cross-site", referer=f"{LOGIN}/", origin=LOGIN, ip=APP_IP, wait=88,
                    post=urlencode([("SAMLResponse", saml_resp), ("RelayState", "/")]),
                    resp_headers=[("location", "/"), ("cache-control", "no-store"), ("server", "nginx"),
                                  ("set-cookie", "portal_saml_req=; Path=/saml; Max-Age=0; Secure; HttpOnly; SameSite=None"),
                                  ("set-cookie", f"portal_session={h.ids.b64url(48)}; Path=/; Secure; HttpOnly; SameSite=Lax")])
    h.wait(12)
    final = h.request("GET", f"{APP}/", status=200, site="cross-site", referer=f"{LOGIN}/", ip=APP_IP, wait=51,
                      body=app_page(APP_NAME, f"<p>Hello, {USER_NAME}!</p>"),
                      resp_headers=[("content-type", "text/html; charset=utf-8"), ("cache-control", "no-store"), ("server", "nginx")])
    facts = {"authn_request_id": req_id, "acs_entry": acs, "form_entry": post_page, "final_entry": final,
             "correlation_id": e.correlation_id, "request_ids": e.request_ids, "start_entry": start_idx}
    return h, facts


@scenario
def entra_saml_success():
    name = "entra-saml-success"
    h, f = entra_saml_success_flow(name)
    EXPECTED[name] = {"category": "ok", "verdict": "ok", "entry": None, **f, "issuer": f"https://sts.windows.net/{TENANT_ID}/",
                      "audience": SP_ENTITY, "destination": SP_ACS,
                      "notes": "SP-initiated SAML through Entra; the assertion's signature bytes are placeholders (shape only), "
                               "its certificate (synth/entra-saml-signing-cert.pem) is a real self-signed test cert valid 2025-01-15..2028-01-15."}
    return h, "Entra ID as SAML IdP, SP-initiated, completes."


@scenario
def mid_flow():
    """Capture started late: the first entry is the ACS POST."""
    name = "mid-flow"
    h, f = entra_saml_success_flow(name)
    cut = f["acs_entry"] - 1
    h.entries = h.entries[cut:]
    for entry in h.entries:
        entry["pageref"] = "page_1"
    h.pages = h.pages[:1]
    h.pages[0]["startedDateTime"] = h.entries[0]["startedDateTime"]
    EXPECTED[name] = {"category": "capture_quality", "verdict": "inconclusive", "entry": 1,
                      "authn_request_id": f["authn_request_id"],
                      "notes": "Recording starts at the SAML ACS POST (#1): no AuthnRequest, no IdP pages before it. "
                               "The Response's InResponseTo names a request the capture never shows."}
    return h, "Capture that starts at the ACS POST (mid-flow)."


@scenario
def sanitized_export():
    name = "sanitized-export"
    h, e, ch, steps, fp, fields = entra_success_flow(name)
    finish_success(h, ch, fields)
    stripped = 0
    for entry in h.entries:
        for part in ("request", "response"):
            before = len(entry[part]["headers"])
            entry[part]["headers"] = [x for x in entry[part]["headers"]
                                      if x["name"].lower() not in ("cookie", "set-cookie", "authorization")]
            stripped += before - len(entry[part]["headers"])
            entry[part]["cookies"] = []
    EXPECTED[name] = {"category": "capture_quality", "verdict": "inconclusive", "entry": None,
                      "stripped_headers": stripped, "correlation_id": e.correlation_id,
                      "notes": "Same flow as entra-success, exported the way Chrome's default 'Export HAR (sanitized)' does: "
                               "no Cookie, Set-Cookie or Authorization header anywhere, cookies[] empty. The sign-in itself completes."}
    return h, "Chrome 'sanitized' export: Cookie / Set-Cookie / Authorization headers stripped."


# ---------------------------------------------------------------- Google

GOOGLE_CLIENT = "581396427115-8c5p0q3r7s1t2u9v4w6x0y8z3a5b7d1e.apps.googleusercontent.com"
GOOGLE_IP = "142.250.185.77"


def google_app(h: Har, *, host: str, redirect_uri: str) -> str:
    ids = h.ids
    h.page("Fabrikam Travel")
    h.request("GET", f"https://{host}/login", status=200, site="none", user=True, ip="198.51.100.77", wait=58,
              body=('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Fabrikam Travel - Sign in</title></head>'
                    '<body><a id="google" href="/auth/google">Sign in with Google</a></body></html>'),
              resp_headers=[("content-type", "text/html; charset=utf-8"), ("server", "cloudflare"),
                            ("set-cookie", f"fab_sid={ids.b64url(24)}; Path=/; HttpOnly; Secure; SameSite=Lax")])
    h.wait(2600)
    state = ids.b64url(18)
    url = "https://accounts.google.com/o/oauth2/v2/auth?" + urlencode(
        [("response_type", "code"), ("client_id", GOOGLE_CLIENT), ("redirect_uri", redirect_uri),
         ("scope", "openid email profile"), ("state", state), ("access_type", "online")], quote_via=quote)
    h.request("GET", f"https://{host}/auth/google", status=302, site="same-origin", user=True, referer=f"https://{host}/login",
              ip="198.51.100.77", wait=31, resp_headers=[("location", url), ("server", "cloudflare"), ("cache-control", "no-store")])
    return url


def google_error(h: Har, auth_url: str, *, status: int, error: str, headline: str, explanation: str,
                 details: list, referer: str) -> tuple[int, int]:
    ids = h.ids
    blob = google_auth_error_blob(error, explanation, status)
    err_url = "https://accounts.google.com/signin/oauth/error?" + urlencode(
        [("authError", blob), ("client_id", GOOGLE_CLIENT), ("flowName", "GeneralOAuthFlow")])
    h.wait(40)
    redir = h.request("GET", auth_url, status=302, site="cross-site", referer=referer, ip=GOOGLE_IP, wait=74,
                      resp_headers=[("location", err_url), ("content-type", "text/html; charset=UTF-8"),
                                    ("x-content-type-options", "nosniff"), ("cache-control", "no-cache, no-store, max-age=0, must-revalidate"),
                                    ("pragma", "no-cache"), ("expires", "Mon, 01 Jan 1990 00:00:00 GMT"), ("server", "ESF"),
                                    ("set-cookie", f"__Host-GAPS=1:{ids.b64url(60)};Path=/;Expires={http_date(h.now + timedelta(days=730))};Secure;HttpOnly;Priority=HIGH"),
                                    ("set-cookie", f"NID=519={ids.b64url(150)}; expires={http_date(h.now + timedelta(days=183))}; path=/; domain=.google.com; Secure; HttpOnly; SameSite=none")])
    page = google_error_page(status_code=status, error=error, headline=headline, explanation=explanation,
                             app_name="Fabrikam Travel", request_details=details)
    err = h.request("GET", err_url, status=status, site="cross-site", referer=referer, ip=GOOGLE_IP, wait=96, body=page,
                    encoding="gzip", resp_headers=google_headers(ids))
    return redir, err


@scenario
def google_redirect_uri_mismatch():
    name = "google-redirect-uri-mismatch"
    h = Har(name, start=datetime(2026, 11, 19, 18, 31, 5, 117000, tzinfo=timezone(timedelta(hours=5, minutes=30))),
            ua=CHROME_130_WINDOWS, lang="en-IN,en;q=0.9")
    redirect_uri = "http://travel.fabrikam.com/auth/google/callback"
    url = google_app(h, host="travel.fabrikam.com", redirect_uri=redirect_uri)
    redir, err = google_error(
        h, url, status=400, error="redirect_uri_mismatch", headline="Access blocked: This app\u2019s request is invalid",
        explanation="You can\u2019t sign in because this app sent an invalid request. You can try again later, or contact the developer about this issue.",
        details=[("redirect_uri", redirect_uri), ("flowName", "GeneralOAuthFlow")], referer="https://travel.fabrikam.com/")
    EXPECTED[name] = {"category": "redirect_mismatch", "verdict": "failed", "entry": err, "redirect_entry": redir,
                      "error": "redirect_uri_mismatch", "redirect_uri": redirect_uri, "client_id": GOOGLE_CLIENT,
                      "notes": "App behind TLS offload sends an http:// redirect_uri; Google answers 400 'Error 400: redirect_uri_mismatch' "
                               "with 'Request details: redirect_uri=...'; authError blob in the URL."}
    return h, "Google Error 400: redirect_uri_mismatch page."


@scenario
def google_webview_disallowed():
    name = "google-webview-disallowed"
    h = Har(name, start=datetime(2026, 11, 19, 9, 12, 44, 904000, tzinfo=timezone(timedelta(hours=5, minutes=30))),
            ua=ANDROID_WEBVIEW, lang="en-IN,en-US;q=0.9,en;q=0.8",
            extra_nav_headers={"x-requested-with": "com.fabrikam.travel"})
    redirect_uri = "https://travel.fabrikam.com/auth/google/callback"
    url = google_app(h, host="travel.fabrikam.com", redirect_uri=redirect_uri)
    redir, err = google_error(
        h, url, status=403, error="disallowed_useragent", headline="Access blocked: Fabrikam Travel\u2019s request does not comply with Google\u2019s policies",
        explanation="Google can\u2019t sign you in safely inside this app: it uses an embedded browser (webview), which doesn\u2019t comply with Google\u2019s embedded webview policy. Open the app\u2019s page in your regular browser to continue.",
        details=[("flowName", "GeneralOAuthFlow")], referer="https://travel.fabrikam.com/")
    EXPECTED[name] = {"category": "webview_blocked", "verdict": "failed", "entry": err, "redirect_entry": redir,
                      "error": "disallowed_useragent", "user_agent_marker": "; wv)", "x_requested_with": "com.fabrikam.travel",
                      "notes": "Android System WebView UA ('; wv)', Version/4.0) plus X-Requested-With; Google answers 403 disallowed_useragent."}
    return h, "Google Error 403: disallowed_useragent in an Android WebView."


@scenario
def entra_webview_blocked():
    """Entra B2B guest federated to Google, inside an Android WebView."""
    name = "entra-webview-blocked"
    guest = "pat.taylor.travels@gmail.com"
    h = Har(name, start=start(hour=7, minute=48, second=20), ua=ANDROID_WEBVIEW, lang="en-GB,en;q=0.9",
            extra_nav_headers={"x-requested-with": "com.contoso.portal"})
    e = Entra(h)
    app_home(h)
    h.wait(1800)
    ch = aspnet_challenge(h)
    h.wait(120)
    idx, rid, cfg = e.page(ch["url"], pgid="ConvergedSignIn", hpgid=1104, title="Sign in to your account", site="cross-site",
                           referer=f"{APP}/", cookies=e.first_cookies(), extra_cfg=e.signin_cfg(f"/{TENANT}/login"))
    h.wait(6100)
    fed_state = h.ids.b64url(160)
    fed_url = f"{LOGIN}/common/federation/oauth2?" + urlencode([("idp", "google"), ("ctx", e.ctx[:80]), ("login_hint", guest)])
    e.get_credential_type(ch["url"], username=guest, federation_url=fed_url)
    h.wait(400)
    g_url = "https://accounts.google.com/o/oauth2/v2/auth?" + urlencode(
        [("client_id", "1050733312870-q2w3e4r5t6y7u8i9o0p1a2s3d4f5g6h7.apps.googleusercontent.com"),
         ("redirect_uri", f"{LOGIN}/common/federation/oauth2"), ("response_type", "code"), ("scope", "openid email profile"),
         ("login_hint", guest), ("state", fed_state)], quote_via=quote)
    rid2 = e.new_request_id()
    fed = h.request("GET", fed_url, status=302, site="same-origin", referer=f"{LOGIN}/", ip=ESTS_IP, wait=130,
                    resp_headers=ests_headers(e.ids, rid2, region=e.region, extra=[("location", g_url)]))
    h.wait(20)
    global GOOGLE_CLIENT
    saved, GOOGLE_CLIENT = GOOGLE_CLIENT, "1050733312870-q2w3e4r5t6y7u8i9o0p1a2s3d4f5g6h7.apps.googleusercontent.com"
    try:
        redir, err = google_error(
            h, g_url, status=403, error="disallowed_useragent",
            headline="Access blocked: Microsoft\u2019s request does not comply with Google\u2019s policies",
            explanation="Google can\u2019t sign you in safely inside this app: it uses an embedded browser (webview), which doesn\u2019t comply with Google\u2019s embedded webview policy.",
            details=[("flowName", "GeneralOAuthFlow")], referer=f"{LOGIN}/")
    finally:
        GOOGLE_CLIENT = saved
    EXPECTED[name] = {"category": "webview_blocked", "verdict": "failed", "entry": err, "federation_entry": fed,
                      "error": "disallowed_useragent", "correlation_id": e.correlation_id, "user_agent_marker": "; wv)",
                      "x_requested_with": "com.contoso.portal", "user": guest,
                      "notes": "Entra sign-in of a Google-federated guest inside an Android WebView; Entra hands off to Google, which answers 403 disallowed_useragent."}
    return h, "Entra ID guest federated to Google, blocked in an Android WebView."


# ---------------------------------------------------------------- Okta

OKTA = "https://contoso.okta.com"
OKTA_CLIENT = "0oa5q8x2r9TkL3mN7697"
OKTA_IP = "44.224.108.213"
PST = timezone(timedelta(hours=-8))


@scenario
def okta_redirect_uri_400():
    name = "okta-redirect-uri-400"
    h = Har(name, start=datetime(2026, 11, 18, 15, 9, 33, 210000, tzinfo=PST), ua=CHROME_130_WINDOWS, lang="en-US,en;q=0.9")
    ids = h.ids
    h.page("Contoso Expenses")
    h.request("GET", "https://expenses.contoso.com/", status=200, site="none", user=True, ip="198.51.100.31", wait=44,
              body='<!DOCTYPE html><html><head><title>Contoso Expenses</title></head><body><a href="/login">Log in</a></body></html>',
              resp_headers=[("content-type", "text/html; charset=utf-8"), ("server", "nginx")])
    h.wait(2200)
    redirect_uri = "https://expenses.contoso.com/authorization-code/callback/"
    url = f"{OKTA}/oauth2/default/v1/authorize?" + urlencode(
        [("client_id", OKTA_CLIENT), ("response_type", "code"), ("scope", "openid profile email"), ("redirect_uri", redirect_uri),
         ("state", ids.b64url(24)), ("nonce", ids.b64url(24)), ("code_challenge", ids.b64url(32)), ("code_challenge_method", "S256")],
        quote_via=quote)
    h.request("GET", "https://expenses.contoso.com/login", status=302, site="same-origin", user=True,
              referer="https://expenses.contoso.com/", ip="198.51.100.31", wait=19,
              resp_headers=[("location", url), ("server", "nginx"),
                            ("set-cookie", f"exp.sid={ids.b64url(24)}; Path=/; HttpOnly; Secure; SameSite=Lax")])
    rid = okta_request_id(ids)
    desc = (f"The 'redirect_uri' parameter must be a Login redirect URI in the client app settings: "
            f"https://contoso-admin.okta.com/admin/app/oidc_client/instance/{OKTA_CLIENT}#tab-general")
    idx = h.request("GET", url, status=400, site="cross-site", referer="https://expenses.contoso.com/", ip=OKTA_IP, wait=88,
                    body=okta_error_page(org="contoso", error_code="invalid_request", description=desc), encoding="gzip",
                    resp_headers=okta_headers(ids, rid) + [
                        ("set-cookie", f"JSESSIONID={ids.hex(32).upper()}; Path=/; Secure; HttpOnly"),
                        ("set-cookie", f"DT=DI1{ids.b64url(30)};Version=1;Path=/;Max-Age=63072000;Secure;Expires={http_date(h.now + timedelta(days=730))};HttpOnly; SameSite=None")])
    EXPECTED[name] = {"category": "redirect_mismatch", "verdict": "failed", "entry": idx, "error": "invalid_request",
                      "okta_request_id": rid, "redirect_uri": redirect_uri, "client_id": OKTA_CLIENT,
                      "notes": "Okta 400 page (Identity Provider: Unknown / Error Code: invalid_request / Description: The 'redirect_uri' "
                               "parameter must be a Login redirect URI ...); x-okta-request-id header. The registered URI lacks the trailing slash."}
    return h, "Okta 400 page: redirect_uri not a Login redirect URI."


@scenario
def okta_user_not_assigned():
    name = "okta-user-not-assigned"
    h = Har(name, start=datetime(2026, 11, 18, 8, 2, 51, 640000, tzinfo=PST), ua=CHROME_130_WINDOWS, lang="en-US,en;q=0.9")
    ids = h.ids
    app = "https://expenses.contoso.com"
    h.page("Contoso Expenses")
    h.request("GET", f"{app}/", status=200, site="none", user=True, ip="198.51.100.31", wait=40,
              body='<!DOCTYPE html><html><head><title>Contoso Expenses</title></head><body><a href="/login">Log in</a></body></html>',
              resp_headers=[("content-type", "text/html; charset=utf-8"), ("server", "nginx")])
    h.wait(1900)
    state = ids.b64url(24)
    redirect_uri = f"{app}/authorization-code/callback"
    url = f"{OKTA}/oauth2/default/v1/authorize?" + urlencode(
        [("client_id", OKTA_CLIENT), ("response_type", "code"), ("scope", "openid profile email"), ("redirect_uri", redirect_uri),
         ("state", state), ("nonce", ids.b64url(24)), ("code_challenge", ids.b64url(32)), ("code_challenge_method", "S256")],
        quote_via=quote)
    h.request("GET", f"{app}/login", status=302, site="same-origin", user=True, referer=f"{app}/", ip="198.51.100.31", wait=21,
              resp_headers=[("location", url), ("server", "nginx"),
                            ("set-cookie", f"exp.sid={ids.b64url(24)}; Path=/; HttpOnly; Secure; SameSite=Lax")])
    state_handle = "02" + ids.b64url(60)
    signin_html = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>contoso - Sign In</title>'
                   '<script src="https://ok12static.oktacdn.com/assets/js/sdk/okta-signin-widget/7.26.1/js/okta-sign-in.min.js"></script>'
                   '</head><body><div id="okta-login-container"></div><script>var oktaData = {"signIn":{"stateToken":"'
                   + state_handle + '","baseUrl":"https://contoso.okta.com","interstitialBeforeLoginRedirect":"DEFAULT"}};</script></body></html>')
    h.request("GET", url, status=200, site="cross-site", referer=f"{app}/", ip=OKTA_IP, wait=160, body=signin_html,
              encoding="gzip", resp_headers=okta_headers(ids, okta_request_id(ids)) + [
                  ("set-cookie", f"JSESSIONID={ids.hex(32).upper()}; Path=/; Secure; HttpOnly"),
                  ("set-cookie", f"DT=DI1{ids.b64url(30)};Version=1;Path=/;Max-Age=63072000;Secure;HttpOnly; SameSite=None")])
    for step, (path, body_obj, wait) in enumerate([
            ("/idp/idx/introspect", {"stateToken": state_handle}, 140),
            ("/idp/idx/identify", {"identifier": "jordan.lee@contoso.com", "stateHandle": state_handle}, 210),
            ("/idp/idx/challenge/answer", {"credentials": {"passcode": PASSWORD}, "stateHandle": state_handle}, 380)]):
        h.wait(4200 if step else 300)
        resp = {"version": "1.0.0", "stateHandle": state_handle,
                "expiresAt": iso_z(h.now + timedelta(minutes=10), ms=True).replace("Z", "Z"),
                "intent": "LOGIN", "remediation": {"type": "array", "value": []}}
        if step == 2:
            resp["success"] = {"name": "success-redirect", "href": f"{OKTA}/login/token/redirect?stateToken={state_handle}"}
        h.request("POST", f"{OKTA}{path}", status=200, site="same-origin", resource="xhr", referer=url, origin=OKTA,
                  post=json.dumps(body_obj, separators=(",", ":")), post_mime="application/json",
                  headers={"accept": "application/ion+json; okta-version=1.0.0", "x-okta-user-agent-extended": "okta-auth-js/7.8.1 okta-signin-widget-7.26.1"},
                  ip=OKTA_IP, wait=wait, body=json.dumps(resp, separators=(",", ":")),
                  mime="application/ion+json; okta-version=1.0.0",
                  resp_headers=[(k, v) for k, v in okta_headers(ids, okta_request_id(ids)) if k != "content-type"]
                  + [("content-type", "application/ion+json; okta-version=1.0.0")])
    h.wait(250)
    rid = okta_request_id(ids)
    loc = f"{redirect_uri}?state={state}&error=access_denied&error_description=User+is+not+assigned+to+the+client+application."
    issued = h.request("GET", f"{OKTA}/login/token/redirect?stateToken={state_handle}", status=302, site="same-origin",
                       referer=url, ip=OKTA_IP, wait=120,
                       resp_headers=[(k, v) for k, v in okta_headers(ids, rid) if k != "content-type"] + [
                           ("location", loc), ("set-cookie", f"sid={ids.b64url(40)}; Path=/; Secure; HttpOnly; SameSite=None")])
    h.wait(15)
    delivered = h.request("GET", loc, status=401, site="cross-site", referer=f"{OKTA}/", ip="198.51.100.31", wait=24,
                          body='<!DOCTYPE html><html><head><title>Login failed</title></head><body><h1>Login failed</h1>'
                               '<p>access_denied: User is not assigned to the client application.</p></body></html>',
                          resp_headers=[("content-type", "text/html; charset=utf-8"), ("server", "nginx")])
    EXPECTED[name] = {"category": "idp_error", "idp_error_subcategory": "user_not_assigned", "verdict": "failed",
                      "entry": delivered, "issued_entry": issued, "error": "access_denied",
                      "error_description": "User is not assigned to the client application.", "okta_request_id": rid,
                      "state": state, "user": "jordan.lee@contoso.com",
                      "notes": "Okta Identity Engine sign-in (introspect / identify / challenge/answer), then /login/token/redirect "
                               "302s to the app with error=access_denied. No error_uri, no correlation id (as Okta does)."}
    return h, "Okta access_denied 'User is not assigned to the client application.'"


# ---------------------------------------------------------------- AD FS

@scenario
def adfs_error_page():
    name = "adfs-error-page"
    h = Har(name, start=start(hour=9, minute=14, second=2), ua=CHROME_130_WINDOWS)
    ids = h.ids
    sts = "https://sts.contoso.com"
    sp = "https://hr.contoso.com"
    h.page("Contoso HR")
    h.request("GET", f"{sp}/", status=302, site="none", user=True, ip="198.51.100.44", wait=37,
              resp_headers=[("location", "/Saml2/SignIn"), ("server", "Microsoft-IIS/10.0")])
    req_id = "id" + ids.hex(32)
    xml = (f'<saml2p:AuthnRequest xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" '
           f'ID="{req_id}" Version="2.0" IssueInstant="{iso_z(h.now)}" Destination="{sts}/adfs/ls/" '
           f'AssertionConsumerServiceURL="{sp}/Saml2/Acs"><saml2:Issuer>{sp}/Saml2</saml2:Issuer></saml2p:AuthnRequest>')
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    saml_req = base64.b64encode(co.compress(xml.encode()) + co.flush()).decode()
    adfs_url = f"{sts}/adfs/ls/?" + urlencode([("SAMLRequest", saml_req), ("RelayState", ids.b64url(16))])
    h.request("GET", f"{sp}/Saml2/SignIn", status=303, site="same-origin", ip="198.51.100.44", wait=24,
              resp_headers=[("location", adfs_url), ("server", "Microsoft-IIS/10.0"),
                            ("set-cookie", f"Saml2.{ids.b64url(12)}={ids.b64url(180)}; path=/; secure; httponly; samesite=none")])
    crid = ids.guid()
    action = adfs_url + "&" + urlencode([("client-request-id", crid)])
    adfs_common = [("Cache-Control", "no-cache"), ("Pragma", "no-cache"), ("Content-Type", "text/html; charset=utf-8"),
                   ("Expires", "-1"), ("Server", "Microsoft-HTTPAPI/2.0"), ("X-Frame-Options", "DENY"),
                   ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"), ("X-Content-Type-Options", "nosniff"),
                   ("X-XSS-Protection", "1; mode=block")]
    h.request("GET", adfs_url, status=200, site="cross-site", referer=f"{sp}/", ip="198.51.100.50", wait=120, http="http/1.1",
              body=adfs_signin_page(action), encoding=None,
              resp_headers=adfs_common + [("Set-Cookie", f"MSISSamlRequest={ids.b64(240)}; path=/adfs; HttpOnly; Secure; SameSite=None")])
    h.wait(8900)
    activity = "00000000-0000-0000-" + ids.hex(4) + "-" + ids.hex(12)
    when = h.now + timedelta(milliseconds=210)
    err_time = http_date(when)
    idx = h.request("POST", action, status=200, site="same-origin", referer=adfs_url, origin=sts, http="http/1.1",
                    post=urlencode([("UserName", "CONTOSO\\pat.taylor"), ("Password", PASSWORD), ("AuthMethod", "FormsAuthentication")]),
                    ip="198.51.100.50", wait=210, encoding=None,
                    body=adfs_error_html(activity_id=activity, relying_party="Contoso HR", error_time=err_time,
                                         user_agent=CHROME_130_WINDOWS["user-agent"]),
                    resp_headers=adfs_common + [("Set-Cookie", f"MSISAuth={ids.b64(300)}; path=/adfs; HttpOnly; Secure; SameSite=None")])
    EXPECTED[name] = {"category": "idp_error", "verdict": "failed", "entry": idx, "activity_id": activity,
                      "error_time": err_time, "client_request_id": crid, "authn_request_id": req_id, "relying_party": "Contoso HR",
                      "notes": "AD FS forms sign-in POST answers 200 with 'An error occurred' and the Error details list "
                               "(Activity ID 00000000-0000-0000-..., Relying party, Error time, Cookie, User agent string)."}
    return h, "AD FS /adfs/ls/ error page (Activity ID, Error time)."


# ---------------------------------------------------------------- issue 9 shapes (verdict_shapes.py)

import verdict_shapes  # noqa: E402

EXTRA_WRITERS: list = []
verdict_shapes.register(scenario, EXPECTED, EXTRA_WRITERS)


# ---------------------------------------------------------------- writing

def write_har(name: str, h: Har, comment: str) -> Path:
    p = OUT / f"{name}.har"
    p.write_text(h.dumps(comment), encoding="utf-8")
    return p


def write_truncated() -> Path:
    """entra-success serialized, then cut inside entry 7 (the login POST): invalid JSON on purpose."""
    name = "truncated"
    h, e, ch, steps, fp, fields = entra_success_flow(name)
    finish_success(h, ch, fields)
    text = h.dumps("Chrome HAR cut off while being written (invalid JSON at the end, on purpose).")
    # cut in the middle of entry 7 (the KMSI POST whose response is the form_post page)
    starts, pos = [], 0
    while True:
        pos = text.find('"_connectionId"', pos + 1)
        if pos < 0:
            break
        starts.append(pos)
    seventh, eighth = starts[6], starts[7]
    cut_at = text.find('"text": "<html><head><title>Working...', seventh, eighth) + 900
    cut = text[:cut_at]
    p = OUT / f"{name}.har"
    p.write_text(cut, encoding="utf-8")
    EXPECTED[name] = {"category": "capture_quality", "verdict": "inconclusive", "entry": 7, "complete_entries": 6,
                      "bytes": len(cut.encode()), "correlation_id": e.correlation_id,
                      "notes": "entra-success-like flow; entries 1-6 complete; entry 7 (POST /kmsi) ends in the middle of its "
                               "response body (the form_post page); no closing brackets."}
    return p


def main(argv):
    if "--list" in argv:
        print("\n".join(list(SCENARIOS) + ["truncated", "saz-connect-only", "saz-saml-success"]))
        return 0
    written = []
    for name, fn in SCENARIOS.items():
        h, comment = fn()
        written.append(write_har(name, h, comment))
    written.append(write_truncated())
    for writer in EXTRA_WRITERS:
        written.append(writer(write_har, OUT))
    # SAZ: an Entra SAML success flow, decrypted, and a capture where HTTPS was not decrypted
    h, f = entra_saml_success_flow("saz-saml-success")
    written.append(saz.write_decrypted(OUT / "saz-saml-success.saz", h))
    EXPECTED["saz-saml-success"] = {"category": "ok", "verdict": "ok", "entry": None, "format": "saz",
                                    "authn_request_id": f["authn_request_id"], "correlation_id": f["correlation_id"],
                                    **saz.LAST_FACTS,
                                    "notes": "Decrypted Fiddler SAZ of the Entra SAML flow; CONNECT tunnel sessions precede each host's first request; "
                                             "Entra and app HTML bodies are gzip + chunked."}
    written.append(saz.write_connect_only(OUT / "saz-connect-only.saz"))
    EXPECTED["saz-connect-only"] = {"category": "capture_quality", "verdict": "inconclusive", "entry": None, "format": "saz",
                                    **saz.LAST_FACTS,
                                    "notes": "Every session is a CONNECT tunnel ('HTTPS decryption' off): hosts visible, no HTTP inside."}
    (HERE / "expected-synth.json").write_text(json.dumps(EXPECTED, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    for p in written:
        print(f"wrote {p.relative_to(OUT.parent)} ({p.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
