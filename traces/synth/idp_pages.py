"""Page and header shapes of the IdPs that cannot run here, built to the
shapes in shared/reference/error-surfaces.md:

* Entra ID (ESTS): server-rendered pages with <meta name="PageID"> and a
  `$Config={...};` JSON block in //<![CDATA[ ... //]]> (section b), ESTS
  response headers (section d), the "Working..." hiddenform auto-post page
  (section c), AADSTS error_description trailers (section a);
* AD FS error page with Activity ID / Error time (section f);
* Google "Error 400: redirect_uri_mismatch" / "Error 403: disallowed_useragent"
  pages (section g);
* Okta 400 page with Identity Provider / Error Code / Description (section i).

Texts are written for these samples; they follow the documented layout and
keep the parts an analyzer reads (codes, quoted values, IDs), not Microsoft's,
Google's or Okta's full wording.
"""
from __future__ import annotations

import html
import json

from harlib import Ids, http_date, iso_z

LOGIN = "https://login.microsoftonline.com"
CDN = "https://aadcdn.msftauth.net"
ESTS_BUILD = "2.1.19469.6"


def ests_headers(ids: Ids, request_id: str, *, region: str = "WEULR1", cookies: list[str] = (),
                 client_request_id: str | None = None, json_body: bool = False, extra: list = ()) -> list:
    h = [
        ("cache-control", "no-store, no-cache"),
        ("pragma", "no-cache"),
        ("content-type", "application/json; charset=utf-8" if json_body else "text/html; charset=utf-8"),
        ("expires", "-1"),
        ("strict-transport-security", "max-age=31536000; includeSubDomains"),
        ("x-content-type-options", "nosniff"),
    ]
    if not json_body:
        h += [
            ("x-frame-options", "DENY"),
            ("link", f"<{CDN}>; rel=preconnect; crossorigin"),
            ("link", f"<{CDN}>; rel=dns-prefetch"),
            ("x-dns-prefetch-control", "on"),
        ]
    h += [("p3p", 'CP="DSP CUR OTPi IND OTRi ONL FIN"')]
    if client_request_id:
        h.append(("client-request-id", client_request_id))
    h += [
        ("x-ms-request-id", request_id),
        ("x-ms-ests-server", f"{ESTS_BUILD} - {region} ProdSlices"),
        ("x-ms-srs", "1.P"),
        ("x-xss-protection", "0"),
    ]
    h += [("set-cookie", c) for c in cookies]
    h += list(extra)
    return h


def ests_cookie(name: str, value: str, now, *, persistent_days: int | None = 30, path: str = "/") -> str:
    from datetime import timedelta
    exp = f"; expires={http_date(now + timedelta(days=persistent_days))}" if persistent_days else ""
    return f"{name}={value}{exp}; path={path}; secure; HttpOnly; SameSite=None"


def server_details(ids: Ids, now, region: str = "WEULR1") -> dict:
    return {"slc": "ProdSlices", "dc": region, "ri": "AM4XXXX", "ver": {"v": [2, 1, 19469, 6]},
            "rt": now.strftime("%Y-%m-%dT%H:%M:%S"), "et": ids.r.randint(20, 90)}


def entra_page(pgid: str, title: str, config: dict, *, rendered: str = "", scripts: str = "ConvergedLogin_PCore") -> str:
    """An ESTS page: PageID meta + $Config. `rendered` is text the real page
    draws client-side from $Config (Knockout); it is placed in a <noscript>
    block so a text parser can be tested on it too."""
    cfg = json.dumps(config, separators=(",", ":"), ensure_ascii=False).replace("&", "\\u0026").replace("<", "\\u003c")
    body_extra = f"\n<noscript>\n<div id=\"rendered-for-sample\">\n{rendered}\n</div>\n</noscript>" if rendered else ""
    return f"""

<!-- Copyright (C) Microsoft Corporation. All rights reserved. -->
<!DOCTYPE html>
<html dir="ltr" class="" lang="en">
<head>
    <title>{html.escape(title)}</title>
    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
    <meta http-equiv="X-UA-Compatible" content="IE=edge">
    <meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=2.0, user-scalable=yes">
    <meta http-equiv="Pragma" content="no-cache">
    <meta http-equiv="Expires" content="-1">
    <link rel="preconnect" href="{CDN}" crossorigin>
<meta http-equiv="x-dns-prefetch-control" content="on">
<link rel="dns-prefetch" href="//aadcdn.msftauth.net">
<link rel="dns-prefetch" href="//aadcdn.msauth.net">

    <meta name="PageID" content="{pgid}" />
    <meta name="SiteID" content="" />
    <meta name="ReqLC" content="1033" />
    <meta name="LocLC" content="en-US" />

    <noscript>
        <meta http-equiv="Refresh" content="0; URL={LOGIN}/jsdisabled" />
    </noscript>

<meta name="robots" content="none" />

<script type="text/javascript" nonce="{config.get('scriptNonce', '')}">//<![CDATA[
$Config={cfg};
//]]></script>

    <script type="text/javascript" nonce="{config.get('scriptNonce', '')}">
        ServerData = $Config;
    </script>

<link rel="stylesheet" href="{CDN}/ests/2.1/content/cdnbundles/converged.v2.login.min_kptqschdvwnh6yq41ngsjw2.css" />
<script crossorigin="anonymous" src="{CDN}/shared/1.0/content/js/{scripts}_Dr3yTmbVz0K7jRmzX9Oy3A2.js"></script>
</head>

<body data-bind="defineGlobals: ServerData, bodyCssClass" class="cb" style="display: none">{body_extra}
</body>
</html>"""


def config_base(ids: Ids, now, *, pgid: str, hpgid: int, correlation_id: str, session_id: str,
                region: str = "WEULR1", **extra) -> dict:
    cfg = {
        "iMaxStackForKnockoutAsyncComponents": 10000,
        "fShowButtons": True,
        "urlCdn": f"{CDN}/shared/1.0/",
        "urlFooterTOU": "https://www.microsoft.com/en-US/servicesagreement/",
        "urlFooterPrivacy": "https://privacy.microsoft.com/en-US/privacystatement",
        "fUseSameSite": True,
        "scriptNonce": ids.b64url(16),
        "scid": 1013,
        "hpgact": 1800,
        "hpgid": hpgid,
        "pgid": pgid,
        "apiCanary": ids.b64url(120),
        "canary": ids.b64url(60) + ":2:3",
        "correlationId": correlation_id,
        "sessionId": session_id,
        "locale": {"mkt": "en-US", "lcid": 1033},
        "slMaxRetry": 2,
        "slReportFailure": True,
        "serverDetails": server_details(ids, now, region),
        "country": "DE",
        "urlNoCookies": f"{LOGIN}/cookiesdisabled",
    }
    cfg.update(extra)
    return cfg


def troubleshooting(request_id: str, correlation_id: str, timestamp: str, message: str,
                    extra_lines: list[tuple[str, str]] = (), error_code: str | None = None) -> str:
    lines = ["Troubleshooting details",
             "If you contact your administrator, send this info to them.",
             "Copy info to clipboard"]
    if error_code:
        lines.append(f"Error Code: {error_code}")
    lines += [f"Request Id: {request_id}", f"Correlation Id: {correlation_id}", f"Timestamp: {timestamp}"]
    lines += [f"{k}: {v}" for k, v in extra_lines]
    if message:
        lines.append(f"Message: {message}")
    lines.append("Flag sign-in errors for review: Enable flagging")
    return "\n".join(f"<div>{html.escape(x, quote=False)}</div>" for x in lines)


def hiddenform(action: str, fields: dict) -> str:
    inputs = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v, quote=True)}" />' for k, v in fields.items())
    return (f'<html><head><title>Working...</title></head><body><form method="POST" name="hiddenform" '
            f'action="{html.escape(action, quote=True)}">{inputs}<noscript><p>Script is disabled. Click Submit to '
            f'continue.</p><input type="submit" value="Submit" /></noscript></form><script language="javascript">'
            f'document.forms[0].submit();</script></body></html>')


def aadsts_trailer(code_msg: str, trace_id: str, correlation_id: str, ts) -> str:
    return f"{code_msg}\r\nTrace ID: {trace_id}\r\nCorrelation ID: {correlation_id}\r\nTimestamp: {ts.strftime('%Y-%m-%d %H:%M:%S')}Z"


# --------------------------------------------------------------------------- AD FS

def adfs_error_page(*, activity_id: str, relying_party: str, error_time: str, user_agent: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
    <meta http-equiv="X-UA-Compatible" content="IE=edge"/>
    <meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=2.0, user-scalable=yes"/>
    <meta http-equiv="content-type" content="text/html;charset=UTF-8" />
    <meta http-equiv="cache-control" content="no-cache,no-store"/>
    <meta http-equiv="pragma" content="no-cache"/>
    <meta http-equiv="expires" content="-1"/>
    <title>Sign In</title>
    <link rel="stylesheet" type="text/css" href="/adfs/portal/css/style.css?id=D74D4D6D8E8F0C4D0B0E2A3C1D9E8F7A6B5C4D3E2F1A0B9C8D7E6F5A4B3C2D1E" />
</head>
<body dir="ltr" class="body">
<div id="fullPage">
    <div id="contentWrapper" class="float">
        <div id="content">
            <div id="header">
                <img class="logoImage" id="companyLogo" src="/adfs/portal/logo/logo.png?id=0A1B2C3D" alt="Contoso"/>
            </div>
            <main>
                <div id="workArea">
                    <div id="openingMessage" class="groupMargin"></div>
                    <div id="errorArea">
                        <div id="errorMessage">
                            An error occurred. Contact your administrator for more information.
                        </div>
                    </div>
                    <div id="errorDetails" class="groupMargin">
                        <div id="errorDetailsTitle"><span>Error details</span></div>
                        <ul id="errorDetailsList">
                            <li><span class="errorDetailsLabel">Activity ID:</span> <span id="activityId">{activity_id}</span></li>
                            <li><span class="errorDetailsLabel">Relying party:</span> <span>{html.escape(relying_party)}</span></li>
                            <li><span class="errorDetailsLabel">Error time:</span> <span>{error_time}</span></li>
                            <li><span class="errorDetailsLabel">Cookie:</span> <span>enabled</span></li>
                            <li><span class="errorDetailsLabel">User agent string:</span> <span>{html.escape(user_agent)}</span></li>
                        </ul>
                    </div>
                </div>
            </main>
        </div>
    </div>
    <div id="footerPlaceholder"></div>
</div>
</body>
</html>
"""


def adfs_signin_page(action: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
    <meta http-equiv="X-UA-Compatible" content="IE=edge"/>
    <meta http-equiv="content-type" content="text/html;charset=UTF-8" />
    <title>Sign In</title>
    <link rel="stylesheet" type="text/css" href="/adfs/portal/css/style.css?id=D74D4D6D8E8F0C4D0B0E2A3C1D9E8F7A6B5C4D3E2F1A0B9C8D7E6F5A4B3C2D1E" />
</head>
<body dir="ltr" class="body">
<div id="fullPage"><div id="contentWrapper" class="float"><div id="content">
<main><div id="workArea">
<div id="authArea" class="groupMargin">
<div id="loginArea">
<div id="loginMessage" class="groupMargin">Sign in with your organizational account</div>
<form method="post" id="loginForm" autocomplete="off" novalidate="novalidate" action="{html.escape(action, quote=True)}">
<div id="error" class="fieldMargin error smallText"><span id="errorText" aria-live="assertive" role="alert"></span></div>
<div id="formsAuthenticationArea">
<div id="userNameArea"><input id="userNameInput" name="UserName" type="email" value="" tabindex="1" class="text fullWidth" spellcheck="false" placeholder="someone@example.com" autocomplete="off"/></div>
<div id="passwordArea"><input id="passwordInput" name="Password" type="password" tabindex="2" class="text fullWidth" placeholder="Password" autocomplete="off"/></div>
<div id="kmsiArea" style="display:none"><input type="checkbox" name="Kmsi" id="kmsiInput" value="true" tabindex="3" /></div>
<div id="submissionArea" class="submitMargin"><span id="submitButton" class="submit" tabindex="4" role="button">Sign in</span></div>
</div>
<input id="optionForms" type="hidden" name="AuthMethod" value="FormsAuthentication"/>
</form>
</div>
</div>
</div></main>
</div></div></div>
</body>
</html>
"""


# --------------------------------------------------------------------------- Google

def google_error_page(*, status_code: int, error: str, headline: str, explanation: str, app_name: str,
                      request_details: list[tuple[str, str]]) -> str:
    details = "".join(f"<li>{html.escape(k)}={html.escape(v)}</li>" for k, v in request_details)
    return f"""<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8"><meta name="viewport" content="initial-scale=1, minimum-scale=1, width=device-width"><title>{html.escape(headline)}</title><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Google+Sans:400,500|Roboto:400,500&amp;display=swap" nonce="kXc3xT9mQ2Lw0dVb5nPsJg"></head><body><div class="error-page" id="view_container"><div class="headline"><h1 id="headingText">{html.escape(headline)}</h1></div><div class="content"><p>{html.escape(explanation)}</p><p>If you are a developer of {html.escape(app_name)}, see <a href="https://developers.google.com/identity/protocols/oauth2" target="_blank">error details</a>.</p><p class="error-code"><b>Error {status_code}: {html.escape(error)}</b></p><div class="request-details"><p>Request details:</p><ul>{details}</ul></div></div></div></body></html>"""


def google_headers(ids: Ids) -> list:
    return [
        ("content-type", "text/html; charset=utf-8"),
        ("x-frame-options", "DENY"),
        ("cache-control", "no-cache, no-store, max-age=0, must-revalidate"),
        ("pragma", "no-cache"),
        ("expires", "Mon, 01 Jan 1990 00:00:00 GMT"),
        ("strict-transport-security", "max-age=31536000; includeSubDomains"),
        ("content-security-policy", f"script-src 'report-sample' 'nonce-{ids.b64url(16)}' 'unsafe-inline' 'unsafe-eval';object-src 'none';base-uri 'self';report-uri /cspreport"),
        ("cross-origin-opener-policy", "same-origin-allow-popups"),
        ("x-content-type-options", "nosniff"),
        ("x-xss-protection", "1; mode=block"),
        ("server", "ESF"),
        ("alt-svc", 'h3=":443"; ma=2592000,h3-29=":443"; ma=2592000'),
    ]


def google_auth_error_blob(error: str, description: str, status: int) -> str:
    """`authError` of accounts.google.com/signin/oauth/error: URL-safe base64 of
    a small protobuf (1: error name, 2: description, 4: HTTP status)."""
    import base64

    def field(num, data: bytes):
        return bytes([num << 3 | 2, len(data)]) + data

    def varint_field(num, v):
        out = bytes([num << 3 | 0])
        while True:
            b = v & 0x7F
            v >>= 7
            out += bytes([b | (0x80 if v else 0)])
            if not v:
                return out

    blob = field(1, error.encode()) + field(2, description.encode()[:120]) + varint_field(4, status)
    return base64.urlsafe_b64encode(blob).decode()


# --------------------------------------------------------------------------- Okta

def okta_error_page(*, org: str, error_code: str, description: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
    <meta name="robots" content="none" />
    <title>{org} - Error 400</title>
    <link href="https://ok12static.oktacdn.com/assets/css/sections/error-page.0c1a5e8d7f3b.css" rel="stylesheet" type="text/css">
</head>
<body class="error-page">
<div class="error-content">
    <div class="error-code-banner">
        <h1>400</h1>
        <h2>BAD REQUEST</h2>
        <p>Your request resulted in an error.</p>
    </div>
    <div class="error-details">
        <table class="error-table">
            <tr><th>Identity Provider:</th><td>Unknown</td></tr>
            <tr><th>Error Code:</th><td>{html.escape(error_code)}</td></tr>
            <tr><th>Description:</th><td>{html.escape(description)}</td></tr>
        </table>
    </div>
    <a class="button" href="/">Go to Homepage</a>
</div>
</body>
</html>
"""


def okta_headers(ids: Ids, request_id: str) -> list:
    return [
        ("content-type", "text/html;charset=utf-8"),
        ("server", "nginx"),
        ("x-okta-request-id", request_id),
        ("x-xss-protection", "0"),
        ("p3p", 'CP="HONK"'),
        ("content-language", "en"),
        ("cache-control", "no-cache, no-store"),
        ("pragma", "no-cache"),
        ("expires", "0"),
        ("x-frame-options", "SAMEORIGIN"),
        ("x-content-type-options", "nosniff"),
        ("strict-transport-security", "max-age=315360000; includeSubDomains"),
        ("x-rate-limit-limit", "1500"),
        ("x-rate-limit-remaining", "1499"),
    ]


def okta_request_id(ids: Ids) -> str:
    return ids.alnum(20) + "AAA" + ids.alnum(4)


def ts_compact(dt) -> str:
    return iso_z(dt, ms=False)
