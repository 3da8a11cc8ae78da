"""Sample captures for issue 9 ("a verdict needs proof"): the shapes where a
verdict of "ok unless a rule fires" went wrong — IdP error pages no rule
knew, codes only in a header or an app's JSON, callbacks that land on an
app error, exporters that drop redirect hops, JSONP exports, repeating
sign-in / sign-out cycles, a failed sign-out after a good sign-in — each
with a clean variant where one makes sense.

All SYNTHESIZED (no Okta / Auth0 / Entra / AD FS / Google runs here), in the
Chrome DevTools HAR shape of harlib, built to the documented shapes cited
per scenario. `register(scenario, expected, write)` is called by synth.py.
"""
from __future__ import annotations

import html
import json
from datetime import datetime, timedelta, timezone
from urllib.parse import quote, urlencode

from harlib import CHROME_130_WINDOWS, Har, b64url_json
from idp_pages import okta_error_page, okta_headers, okta_request_id

PST = timezone(timedelta(hours=-8))
CET = timezone(timedelta(hours=1))
IST = timezone(timedelta(hours=5, minutes=30))
APP_IP = "198.51.100.61"
IDP_IP = "203.0.113.80"


def page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
            f'<body>{body}</body></html>')


def jwt(claims: dict) -> str:
    return b64url_json({"alg": "RS256", "typ": "JWT", "kid": "k1"}) + "." + b64url_json(claims) + ".c2lnbmF0dXJl"


def code_flow(h: Har, *, app: str, authorize: str, client_id: str, callback_path: str = "/callback",
              idp_ip: str = IDP_IP, idp_headers=None, landing: str = "/dashboard",
              landing_status: int = 200, landing_body: str | None = None, session_cookie: bool = True,
              start_path: str = "/login") -> dict:
    """App start → IdP authorize (IdP session: 302 straight back) → callback 302 into the app → landing page."""
    ids = h.ids
    state, nonce = ids.b64url(24), ids.b64url(24)
    redirect_uri = app + callback_path
    url = authorize + "?" + urlencode([("client_id", client_id), ("response_type", "code"), ("scope", "openid profile email"),
                                       ("redirect_uri", redirect_uri), ("state", state), ("nonce", nonce)], quote_via=quote)
    out = {"state": state, "nonce": nonce, "redirect_uri": redirect_uri}
    out["start"] = h.request("GET", app + start_path, status=302, site="same-origin", user=True, ip=APP_IP, wait=22,
                             resp_headers=[("location", url),
                                           ("set-cookie", f"app.tx={ids.b64url(30)}; Path=/; HttpOnly; Secure; SameSite=Lax")])
    code = ids.b64url(32)
    cb = f"{redirect_uri}?code={code}&state={state}"
    out["authorize"] = h.request("GET", url, status=302, site="cross-site", referer=app + "/", ip=idp_ip, wait=90,
                                 resp_headers=(idp_headers or []) + [("location", cb)])
    h.wait(20)
    rh = [("location", landing)]
    if session_cookie:
        rh.append(("set-cookie", f"app.session={ids.b64url(60)}; Path=/; HttpOnly; Secure; SameSite=Lax"))
    out["callback"] = h.request("GET", cb, status=302, site="cross-site", referer=authorize.split("/", 3)[0] + "//" + authorize.split("/")[2] + "/",
                                ip=APP_IP, wait=140, resp_headers=rh)
    h.wait(10)
    body = landing_body if landing_body is not None else page("Dashboard", "<h1>Welcome back</h1>")
    out["landing"] = h.request("GET", app + landing, status=landing_status, site="cross-site", ip=APP_IP, wait=45, body=body)
    return out


def register(scenario, EXPECTED: dict, extra_writers: list) -> None:
    """Adds this module's scenarios to synth.py's registry."""

    # -------------------------------------------------------------- Okta
    OKTA = "https://contoso.okta.com"

    def okta_app_start(h, app):
        h.page("Contoso Expenses")
        h.request("GET", f"{app}/", status=200, site="none", user=True, ip=APP_IP, wait=40,
                  body=page("Contoso Expenses", '<a href="/login">Log in</a>'))
        h.wait(1500)

    @scenario
    def okta_app_not_assigned_403():
        # Okta's end-user 403 page for an app the user is not assigned to:
        # "Sorry, you can't access … because you are not assigned this app in Okta."
        # (help.okta.com "App access error"; okta/okta-oidc-js#… user reports)
        name = "okta-app-not-assigned-403"
        h = Har(name, start=datetime(2026, 11, 18, 9, 12, 3, 100000, tzinfo=PST), ua=CHROME_130_WINDOWS)
        ids = h.ids
        sso = f"{OKTA}/app/contoso_expenses_1/exk5q8x2r9TkL3mN7697/sso/saml"
        h.page("Contoso Expenses")
        h.request("GET", "https://expenses.contoso.com/", status=302, site="none", user=True, ip=APP_IP, wait=30,
                  resp_headers=[("location", sso)])
        body = page("contoso - App Access Error",
                    '<div class="error-content"><h1>403</h1><h2>App Access Error</h2>'
                    "<p>Sorry, you can't access Contoso Expenses because you are not assigned this app in Okta.</p>"
                    '<p>If you\'re wondering why this is happening, please contact your administrator.</p>'
                    '<a href="/">Go to Homepage</a></div>')
        rid = okta_request_id(ids)
        idx = h.request("GET", sso, status=403, site="cross-site", ip="44.224.108.213", wait=110, body=body,
                        resp_headers=okta_headers(ids, rid))
        EXPECTED[name] = {"category": "idp_error", "verdict": "failed", "entry": idx, "completed": False,
                          "quote": "not assigned this app in Okta",
                          "notes": "Okta's 403 App Access Error page at the app's SSO URL; no SAMLResponse follows."}
        return h, "Okta 403 'not assigned this app in Okta'."

    @scenario
    def okta_e0000022_page():
        # Okta error code E0000022 "The endpoint does not support the provided HTTP method"
        # (developer.okta.com/docs/reference/error-codes/#E0000022), shown on Okta's error page.
        name = "okta-e0000022-page"
        h = Har(name, start=datetime(2026, 11, 18, 9, 40, 0, 0, tzinfo=PST), ua=CHROME_130_WINDOWS)
        ids = h.ids
        app = "https://expenses.contoso.com"
        okta_app_start(h, app)
        target = f"{OKTA}/api/v1/authn"
        h.request("GET", f"{app}/login", status=302, site="same-origin", user=True, ip=APP_IP, wait=20,
                  resp_headers=[("location", target)])
        rid = okta_request_id(ids)
        idx = h.request("GET", target, status=405, site="cross-site", ip="44.224.108.213", wait=80,
                        body=okta_error_page(org="contoso", error_code="E0000022",
                                             description="The endpoint does not support the provided HTTP method"),
                        resp_headers=okta_headers(ids, rid))
        EXPECTED[name] = {"category": "idp_error", "verdict": "failed", "entry": idx, "completed": False,
                          "error_codes": ["E0000022"], "quote": "The endpoint does not support the provided HTTP method",
                          "notes": "App sends the browser with a GET to an Okta endpoint that only takes POST; Okta's 405 page with E0000022."}
        return h, "Okta page with error code E0000022."

    @scenario
    def okta_stops_at_sign_in_page():
        # The capture was stopped while Okta's sign-in widget was still shown: no answer, no error.
        name = "okta-stops-at-sign-in-page"
        h = Har(name, start=datetime(2026, 11, 18, 9, 50, 0, 0, tzinfo=PST), ua=CHROME_130_WINDOWS)
        ids = h.ids
        app = "https://expenses.contoso.com"
        okta_app_start(h, app)
        url = f"{OKTA}/oauth2/default/v1/authorize?" + urlencode(
            [("client_id", "0oa5q8x2r9TkL3mN7697"), ("response_type", "code"), ("scope", "openid"),
             ("redirect_uri", f"{app}/authorization-code/callback"), ("state", ids.b64url(24))], quote_via=quote)
        h.request("GET", f"{app}/login", status=302, site="same-origin", user=True, ip=APP_IP, wait=20,
                  resp_headers=[("location", url)])
        idx = h.request("GET", url, status=200, site="cross-site", ip="44.224.108.213", wait=150,
                        body=page("contoso - Sign In", '<div id="okta-login-container"></div>'),
                        resp_headers=okta_headers(ids, okta_request_id(ids)))
        EXPECTED[name] = {"category": "incomplete", "verdict": "inconclusive", "entry": idx, "completed": False,
                          "quote": "The sign-in stops at",
                          "notes": "Capture stopped on Okta's sign-in page: never ok, inconclusive, 'The sign-in stops at #3 …'."}
        return h, "Capture that stops on the Okta sign-in page."

    @scenario
    def okta_oidc_success():
        name = "okta-oidc-success"
        h = Har(name, start=datetime(2026, 11, 18, 10, 0, 0, 0, tzinfo=PST), ua=CHROME_130_WINDOWS)
        app = "https://expenses.contoso.com"
        okta_app_start(h, app)
        f = code_flow(h, app=app, authorize=f"{OKTA}/oauth2/default/v1/authorize", client_id="0oa5q8x2r9TkL3mN7697",
                      callback_path="/authorization-code/callback", idp_headers=okta_headers(h.ids, okta_request_id(h.ids))[1:])
        h.request("GET", f"{app}/api/expenses", status=200, site="same-origin", resource="fetch", ip=APP_IP, wait=30,
                  body='{"expenses":[]}', mime="application/json")
        EXPECTED[name] = {"category": "ok", "verdict": "ok", "entry": None, "completed": True, "callback_entry": f["callback"],
                          "notes": "Clean variant of the Okta shapes: Okta session exists, code callback 302 into the app, session cookie, API 200."}
        return h, "Okta OIDC code flow that completes."

    @scenario
    def okta_signout_failed():
        # Okta /v1/logout with a post_logout_redirect_uri not registered: 400 error page
        # ("The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings",
        # developer.okta.com/docs/guides/sign-users-out) — after a good sign-in.
        name = "okta-signout-failed"
        h = Har(name, start=datetime(2026, 11, 18, 11, 0, 0, 0, tzinfo=PST), ua=CHROME_130_WINDOWS)
        ids = h.ids
        app = "https://expenses.contoso.com"
        okta_app_start(h, app)
        f = code_flow(h, app=app, authorize=f"{OKTA}/oauth2/default/v1/authorize", client_id="0oa5q8x2r9TkL3mN7697",
                      callback_path="/authorization-code/callback")
        h.wait(30000)
        logout = f"{OKTA}/oauth2/default/v1/logout?" + urlencode(
            [("id_token_hint", jwt({"iss": f"{OKTA}/oauth2/default", "aud": "0oa5q8x2r9TkL3mN7697", "sub": "00u1"})),
             ("post_logout_redirect_uri", f"{app}/signed-out"), ("state", ids.b64url(16))])
        h.request("GET", f"{app}/logout", status=302, site="same-origin", user=True, ip=APP_IP, wait=20,
                  resp_headers=[("location", logout),
                                ("set-cookie", "app.session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure")])
        rid = okta_request_id(ids)
        idx = h.request("GET", logout, status=400, site="cross-site", ip="44.224.108.213", wait=70,
                        body=okta_error_page(org="contoso", error_code="invalid_request",
                                             description="The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings"),
                        resp_headers=okta_headers(ids, rid))
        EXPECTED[name] = {"category": "redirect_mismatch", "verdict": "failed", "entry": idx, "phase": "sign_out",
                          "signin_completed_entry": f["callback"], "error": "invalid_request",
                          "notes": "Good sign-in (#callback), then RP-initiated logout refused by Okta: 'Sign-out failed', sign-in left alone."}
        return h, "Okta sign-out refused after a good sign-in."

    # -------------------------------------------------------------- Auth0
    AUTH0 = "https://contoso.eu.auth0.com"

    @scenario
    def auth0_callback_url_mismatch():
        # Auth0's hosted error page: "Callback URL mismatch. <url> is not in the list of allowed callback URLs."
        # (auth0.com/docs/authenticate/login/auth0-universal-login/error-pages; community.auth0.com threads)
        name = "auth0-callback-url-mismatch"
        h = Har(name, start=datetime(2026, 11, 19, 14, 5, 0, 0, tzinfo=CET), ua=CHROME_130_WINDOWS)
        ids = h.ids
        app = "https://shop.contoso.com"
        h.page("Contoso Shop")
        h.request("GET", f"{app}/", status=200, site="none", user=True, ip=APP_IP, wait=30,
                  body=page("Contoso Shop", '<a href="/login">Log in</a>'))
        url = f"{AUTH0}/authorize?" + urlencode([("client_id", "kq3TqU8rR2c1xWm0pL7bY9zA4sD6fG8h"), ("response_type", "code"),
                                                ("redirect_uri", f"{app}/callback"), ("scope", "openid profile"),
                                                ("state", ids.b64url(20))], quote_via=quote)
        h.request("GET", f"{app}/login", status=302, site="same-origin", user=True, ip=APP_IP, wait=20,
                  resp_headers=[("location", url)])
        body = page("Error", '<div id="error"><h1>Oops!, something went wrong</h1>'
                             f'<p class="error-description">Callback URL mismatch. {app}/callback is not in the list of allowed callback URLs.</p>'
                             '<p>TECHNICAL DETAILS</p><p>unauthorized_client: Callback URL mismatch.</p>'
                             f'<p>TRACKING ID: {ids.hex(24)}</p></div>')
        idx = h.request("GET", url, status=400, site="cross-site", ip="104.18.30.12", wait=90, body=body,
                        resp_headers=[("x-auth0-requestid", ids.hex(20)), ("server", "cloudflare")])
        EXPECTED[name] = {"category": "redirect_mismatch", "verdict": "failed", "entry": idx, "completed": False,
                          "quote": "Callback URL mismatch",
                          "notes": "Auth0 400 hosted error page; the app's redirect_uri is not an allowed callback URL."}
        return h, "Auth0 400 'Callback URL mismatch'."

    @scenario
    def auth0_success():
        name = "auth0-success"
        h = Har(name, start=datetime(2026, 11, 19, 14, 15, 0, 0, tzinfo=CET), ua=CHROME_130_WINDOWS)
        app = "https://shop.contoso.com"
        h.page("Contoso Shop")
        h.request("GET", f"{app}/", status=200, site="none", user=True, ip=APP_IP, wait=30,
                  body=page("Contoso Shop", '<a href="/login">Log in</a>'))
        f = code_flow(h, app=app, authorize=f"{AUTH0}/authorize", client_id="kq3TqU8rR2c1xWm0pL7bY9zA4sD6fG8h")
        EXPECTED[name] = {"category": "ok", "verdict": "ok", "entry": None, "completed": True, "callback_entry": f["callback"],
                          "notes": "Clean variant of auth0-callback-url-mismatch."}
        return h, "Auth0 code flow that completes."

    # -------------------------------------------------------------- Entra text page, API header, app JSON
    LOGIN = "https://login.microsoftonline.com"
    TENANT = "contoso.onmicrosoft.com"
    APP = "https://portal.contoso.com"

    @scenario
    def entra_text_page_900561():
        # AADSTS900561 "The endpoint only accepts POST requests. Received a GET request." as a plain-text 400
        # with the AADSTS trailer (Trace ID / Correlation ID / Timestamp), no $Config (error-surfaces.md (b)).
        name = "entra-text-page-900561"
        h = Har(name, start=datetime(2026, 11, 20, 9, 0, 0, 0, tzinfo=CET), ua=CHROME_130_WINDOWS)
        ids = h.ids
        h.page("Contoso Portal")
        token = f"{LOGIN}/{TENANT}/oauth2/v2.0/token?client_id=3f1c9a2e-7b4d-4c8a-a6e5-0d9b2f4c7e11"
        h.request("GET", f"{APP}/signin", status=302, site="none", user=True, ip=APP_IP, wait=25,
                  resp_headers=[("location", token)])
        rid, cid = ids.guid(), ids.guid()
        text = (f"AADSTS900561: The endpoint only accepts POST requests. Received a GET request.\r\n"
                f"Trace ID: {rid}\r\nCorrelation ID: {cid}\r\nTimestamp: 2026-11-20 08:00:01Z")
        idx = h.request("GET", token, status=400, site="cross-site", ip="20.190.159.68", wait=60, body=text,
                        mime="text/plain; charset=utf-8",
                        resp_headers=[("x-ms-request-id", rid), ("x-ms-ests-server", "2.1.19469.6 - WEULR1 ProdSlices")])
        EXPECTED[name] = {"category": "idp_error", "verdict": "failed", "entry": idx, "completed": False,
                          "error_codes": ["AADSTS900561"], "request_id": rid,
                          "notes": "App navigates the browser to the token endpoint with GET; Entra answers a text/plain 400."}
        return h, "Entra 400 text page AADSTS900561, no $Config."

    @scenario
    def api_www_authenticate_500133():
        # A web API that does on-behalf-of answers 401 with the AADSTS code in WWW-Authenticate
        # (RFC 6750 §3 error / error_description; AADSTS500133 "assertion not within its valid time range").
        name = "api-www-authenticate-500133"
        h = Har(name, start=datetime(2026, 11, 20, 9, 30, 0, 0, tzinfo=CET), ua=CHROME_130_WINDOWS)
        ids = h.ids
        h.page("Contoso Portal")
        h.request("GET", f"{APP}/reports", status=200, site="none", user=True, ip=APP_IP, wait=40,
                  cookie=f".AspNetCore.Cookies=CfDJ8{ids.b64url(80)}", body=page("Reports", '<div id="app"></div>'))
        tok = jwt({"aud": "api://reports", "iss": "https://sts.windows.net/6e3b9c1d-2f4a-4b8e-9c7d-5a1f0e2d3c4b/", "exp": 1795000000})
        www = ('Bearer error="invalid_token", error_description="AADSTS500133: Assertion is not within its valid time range. '
               'Ensure that the access token is not expired before using it for user assertion, or request a new token."')
        idx = h.request("GET", "https://api.contoso.com/reports/monthly", status=401, site="same-site", resource="fetch",
                        referer=f"{APP}/", origin=APP, headers={"authorization": f"Bearer {tok}"}, ip="198.51.100.70", wait=80,
                        resp_headers=[("www-authenticate", www)])
        EXPECTED[name] = {"category": "idp_error", "idp_error_subcategory": "token_protocol", "verdict": "failed",
                          "entry": idx, "completed": False, "quote": "AADSTS500133",
                          "notes": "The only error is in the API's WWW-Authenticate header."}
        return h, "AADSTS500133 only in an API's WWW-Authenticate."

    @scenario
    def app_json_aadsts50173():
        # The app's own API relays the token-refresh error as JSON (MSAL's MsalUiRequiredException text):
        # AADSTS50173 "The provided grant has expired due to it being revoked".
        name = "app-json-aadsts50173"
        h = Har(name, start=datetime(2026, 11, 20, 10, 30, 0, 0, tzinfo=CET), ua=CHROME_130_WINDOWS)
        ids = h.ids
        h.page("Contoso Portal")
        h.request("GET", f"{APP}/", status=200, site="none", user=True, ip=APP_IP, wait=40,
                  cookie=f".AspNetCore.Cookies=CfDJ8{ids.b64url(80)}", body=page("Contoso Portal", '<div id="app"></div>'))
        body = json.dumps({"error": "invalid_grant", "error_description":
                           "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. "
                           "The user might have changed or reset their password. Trace ID: " + ids.guid()
                           + " Correlation ID: " + ids.guid() + " Timestamp: 2026-11-20 09:30:02Z"})
        idx = h.request("GET", f"{APP}/api/profile", status=500, site="same-origin", resource="fetch", ip=APP_IP, wait=300,
                        body=body, mime="application/json; charset=utf-8")
        EXPECTED[name] = {"category": "idp_error", "verdict": "failed", "entry": idx, "completed": False,
                          "error_codes": ["AADSTS50173"],
                          "notes": "The only error is in the app's JSON answer to an XHR (token refresh failed server-side)."}
        return h, "AADSTS50173 only in an app's JSON error."

    # -------------------------------------------------------------- AD FS 2.0
    @scenario
    def adfs2_reference_number():
        # AD FS 2.0's error page: "There was a problem accessing the site. … provide the reference number …
        # Reference number: <guid>" (learn.microsoft.com "AD FS 2.0: … There was a problem accessing the site").
        name = "adfs2-reference-number"
        h = Har(name, start=datetime(2026, 11, 20, 8, 0, 0, 0, tzinfo=CET), ua=CHROME_130_WINDOWS)
        ids = h.ids
        sts = "https://sts.contoso.com/adfs/ls/?wa=wsignin1.0&wtrealm=" + quote("urn:contoso:hr", safe="") + "&wctx=" + ids.b64url(12)
        h.page("Contoso HR")
        h.request("GET", "https://hr.contoso.com/", status=302, site="none", user=True, ip=APP_IP, wait=30,
                  resp_headers=[("location", sts)])
        ref = ids.guid()
        body = page("Sign In", '<div id="content"><div class="GroupXLargeMargin">There was a problem accessing the site. '
                               'Try to browse to the site again.</div><div>If the problem persists, contact the administrator '
                               'of this site and provide the reference number to identify the problem.</div>'
                               f'<div><span class="Label">Reference number:</span> {ref}</div></div>')
        idx = h.request("GET", sts, status=200, site="cross-site", ip="198.51.100.50", wait=120, http="http/1.1", encoding=None,
                        body=body, resp_headers=[("Server", "Microsoft-HTTPAPI/2.0")])
        EXPECTED[name] = {"category": "idp_error", "verdict": "failed", "entry": idx, "completed": False,
                          "reference_number": ref, "quote": "There was a problem accessing the site",
                          "notes": "AD FS 2.0 error page (200) with a Reference number; no token is issued."}
        return h, "AD FS 2.0 error page with Reference number."

    # -------------------------------------------------------------- Google
    GOOGLE = "https://accounts.google.com/o/oauth2/v2/auth"
    GCLIENT = "581396427115-8c5p0q3r7s1t2u9v4w6x0y8z3a5b7d1e.apps.googleusercontent.com"

    @scenario
    def google_code_callback_to_app():
        name = "google-code-callback-to-app"
        h = Har(name, start=datetime(2026, 11, 19, 18, 0, 0, 0, tzinfo=IST), ua=CHROME_130_WINDOWS)
        app = "https://travel.fabrikam.com"
        h.page("Fabrikam Travel")
        h.request("GET", f"{app}/", status=200, site="none", user=True, ip=APP_IP, wait=30,
                  body=page("Fabrikam Travel", '<a href="/login">Sign in with Google</a>'))
        f = code_flow(h, app=app, authorize=GOOGLE, client_id=GCLIENT, callback_path="/auth/google/callback",
                      idp_ip="142.250.185.77")
        EXPECTED[name] = {"category": "ok", "verdict": "ok", "entry": None, "completed": True, "callback_entry": f["callback"],
                          "notes": "Google code flow (user already signed in to Google): callback 302 straight into the app with its session cookie."}
        return h, "Google code flow whose callback redirects into the app."

    @scenario
    def callback_lands_on_error():
        name = "callback-lands-on-error"
        h = Har(name, start=datetime(2026, 11, 19, 18, 30, 0, 0, tzinfo=IST), ua=CHROME_130_WINDOWS)
        app = "https://travel.fabrikam.com"
        h.page("Fabrikam Travel")
        h.request("GET", f"{app}/", status=200, site="none", user=True, ip=APP_IP, wait=30,
                  body=page("Fabrikam Travel", '<a href="/login">Sign in with Google</a>'))
        f = code_flow(h, app=app, authorize=GOOGLE, client_id=GCLIENT, callback_path="/auth/google/callback",
                      idp_ip="142.250.185.77", landing="/?error=1", session_cookie=False,
                      landing_body=page("Fabrikam Travel", '<div class="alert">Sign-in failed. Please try again.</div>'
                                                           '<a href="/login">Sign in with Google</a>'))
        EXPECTED[name] = {"category": "response_rejected", "verdict": "failed", "entry": f["landing"], "completed": False,
                          "callback_entry": f["callback"],
                          "notes": "The code is exchanged server-side (invisible) and the app lands the user on /?error=1 with no session cookie."}
        return h, "Callback that lands on an app page with ?error=1."

    @scenario
    def app_jose_exp_clock_skew():
        # panva/jose JWTExpired: '"exp" claim timestamp check failed' — printed by an openid-client app whose
        # server clock is ahead; the id_token is valid at the capture's own clock (Date headers).
        name = "app-jose-exp-clock-skew"
        h = Har(name, start=datetime(2026, 11, 19, 16, 0, 0, 0, tzinfo=CET), ua=CHROME_130_WINDOWS)
        ids = h.ids
        app = "https://shop.contoso.com"
        h.page("Contoso Shop")
        state, nonce = ids.b64url(20), ids.b64url(20)
        url = f"{AUTH0}/authorize?" + urlencode([("client_id", "kq3TqU8rR2c1xWm0pL7bY9zA4sD6fG8h"), ("response_type", "id_token"),
                                                ("response_mode", "form_post"), ("redirect_uri", f"{app}/callback"),
                                                ("scope", "openid"), ("state", state), ("nonce", nonce)], quote_via=quote)
        h.request("GET", f"{app}/login", status=302, site="none", user=True, ip=APP_IP, wait=20,
                  resp_headers=[("location", url),
                                ("set-cookie", f"app.tx={ids.b64url(30)}; Path=/; HttpOnly; Secure; SameSite=None")])
        t = int(h.now.timestamp())
        tok = jwt({"iss": f"{AUTH0}/", "aud": "kq3TqU8rR2c1xWm0pL7bY9zA4sD6fG8h", "sub": "auth0|1", "iat": t, "exp": t + 600,
                   "nonce": nonce})
        form = ('<form method="post" action="' + app + '/callback"><input type="hidden" name="id_token" value="' + tok
                + '"/><input type="hidden" name="state" value="' + state + '"/></form><script>document.forms[0].submit()</script>')
        h.request("GET", url, status=200, site="cross-site", ip="104.18.30.12", wait=80, body=page("Submit This Form", form))
        idx = h.request("POST", f"{app}/callback", status=401, site="cross-site", origin=AUTH0, ip=APP_IP, wait=40,
                        post=urlencode([("id_token", tok), ("state", state)]),
                        body=json.dumps({"error": "JWTExpired", "message": "\"exp\" claim timestamp check failed"}),
                        mime="application/json; charset=utf-8")
        EXPECTED[name] = {"category": "clock_skew", "verdict": "failed", "entry": idx, "completed": False,
                          "quote": "claim timestamp check failed",
                          "notes": "The app (openid-client / jose) rejects an id_token that is valid for 10 more minutes at the capture's clock: the app server's clock is off."}
        return h, "App's jose 'exp claim timestamp check failed' with a token valid at the capture's clock."

    # -------------------------------------------------------------- discovery CORS
    @scenario
    def discovery_cors_preflight():
        # An SPA (oidc-client-ts / MSAL.js) fetches the discovery document with a custom header, so the
        # browser preflights it (Fetch standard §4.8 CORS-preflight fetch); the IdP answers OPTIONS with 405
        # and the GET then fails with net::ERR_FAILED.
        name = "discovery-cors-preflight"
        h = Har(name, start=datetime(2026, 11, 19, 11, 0, 0, 0, tzinfo=CET), ua=CHROME_130_WINDOWS)
        app = "https://spa.contoso.com"
        disco = "https://idp.contoso.com/realms/staff/.well-known/openid-configuration"
        h.page("Contoso SPA")
        h.request("GET", f"{app}/", status=200, site="none", user=True, ip=APP_IP, wait=30,
                  body=page("Contoso SPA", '<div id="root"></div><script src="/main.js"></script>'))
        pre = h.request("OPTIONS", disco, status=405, site="cross-site", resource="fetch", origin=app, referer=f"{app}/",
                        headers={"access-control-request-method": "GET", "access-control-request-headers": "x-client-sku"},
                        ip=IDP_IP, wait=40, resp_headers=[("allow", "GET, HEAD")])
        failed = h.request("GET", disco, status=0, site="cross-site", resource="fetch", origin=app, referer=f"{app}/",
                           headers={"x-client-sku": "oidc-client-ts"}, ip="", wait=0)
        h.entries[-1]["response"]["_error"] = "net::ERR_FAILED"
        h.entries[-1]["response"]["headers"] = []
        EXPECTED[name] = {"category": "discovery", "verdict": "failed", "entry": pre, "completed": False,
                          "failed_entry": failed,
                          "notes": "Metadata discovery blocked by CORS: OPTIONS 405, then the GET fails net::ERR_FAILED."}
        return h, "OIDC discovery failing on a CORS preflight."

    # -------------------------------------------------------------- exporters
    @scenario
    def redirect_hops_status_0():
        # Some exporters (HAR written from a WebDriver / extension log) keep redirect hops as status 0 with
        # no headers and no bodies; the app's authenticated API calls answer 200 afterwards.
        name = "redirect-hops-status-0"
        h = Har(name, start=datetime(2026, 11, 19, 12, 0, 0, 0, tzinfo=CET), ua=CHROME_130_WINDOWS)
        app = "https://expenses.contoso.com"
        okta_app_start(h, app)
        f = code_flow(h, app=app, authorize=f"{OKTA}/oauth2/default/v1/authorize", client_id="0oa5q8x2r9TkL3mN7697",
                      callback_path="/authorization-code/callback")
        for k in ("start", "authorize", "callback"):
            r = h.entries[f[k] - 1]["response"]
            r.update({"status": 0, "statusText": "", "headers": [], "cookies": [], "redirectURL": ""})
        calls = [h.request("GET", f"{app}/api/{p}", status=200, site="same-origin", resource="fetch", ip=APP_IP, wait=30,
                           body='{"ok":true}', mime="application/json") for p in ("me", "expenses")]
        EXPECTED[name] = {"category": "ok", "verdict": "ok", "entry": None, "completed": True, "callback_entry": f["callback"],
                          "api_entries": calls,
                          "notes": "Redirect hops recorded as status 0, no headers; the landing page and API calls answer 200: ok, with a note."}
        return h, "Exporter that records redirect hops as status 0."

    # -------------------------------------------------------------- repeating cycles
    @scenario
    def signin_signout_cycles_x4():
        # oidc-client-ts / angular-auth-oidc-client check the session with a hidden prompt=none iframe
        # (OIDC Session Management 1.0 §3); with the IdP's cookies withheld from the iframe the IdP answers
        # login_required, the app signs the user out and starts over — four times.
        name = "signin-signout-cycles-x4"
        h = Har(name, start=datetime(2026, 11, 19, 15, 0, 0, 0, tzinfo=CET), ua=CHROME_130_WINDOWS)
        ids = h.ids
        app = "https://spa.contoso.com"
        idp = "https://idp.contoso.com/realms/staff/protocol/openid-connect"
        h.page("Contoso SPA")
        h.request("GET", f"{app}/", status=200, site="none", user=True, ip=APP_IP, wait=30,
                  body=page("Contoso SPA", '<div id="root"></div>'))
        first_silent = None
        for cycle in range(4):
            f = code_flow(h, app=app, authorize=f"{idp}/auth", client_id="contoso-spa", start_path=f"/login?n={cycle}")
            h.wait(2000)
            state = ids.b64url(16)
            silent = f"{idp}/auth?" + urlencode([("client_id", "contoso-spa"), ("response_type", "code"), ("prompt", "none"),
                                                 ("redirect_uri", f"{app}/silent-renew.html"), ("state", state),
                                                 ("scope", "openid")])
            back = f"{app}/silent-renew.html?error=login_required&state={state}"
            h.request("GET", silent, status=302, site="cross-site", resource="iframe" if False else "document",
                      ip=IDP_IP, wait=40, cookie="", resp_headers=[("location", back)])
            s = h.request("GET", back, status=200, site="cross-site", ip=APP_IP, wait=20,
                          body=page("silent", "<script>parent.postMessage(location.href)</script>"))
            first_silent = first_silent or s
            h.request("GET", f"{app}/signout", status=302, site="same-origin", ip=APP_IP, wait=20,
                      resp_headers=[("location", f"{idp}/logout?post_logout_redirect_uri={quote(app + '/', safe='')}"),
                                    ("set-cookie", "app.session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT")])
            h.request("GET", f"{idp}/logout?post_logout_redirect_uri={quote(app + '/', safe='')}", status=302,
                      site="cross-site", ip=IDP_IP, wait=30, resp_headers=[("location", f"{app}/")])
            h.request("GET", f"{app}/", status=200, site="cross-site", ip=APP_IP, wait=30,
                      body=page("Contoso SPA", '<div id="root"></div>'))
            h.wait(1500)
        EXPECTED[name] = {"category": "idp_error", "verdict": "failed", "entry": first_silent, "repeats": 4,
                          "phase": "token_refresh", "error": "login_required", "completed": False,
                          "notes": "Four sign-in / silent-check / sign-out cycles: the IdP's cookies are not sent to the prompt=none "
                                   "check, it answers login_required, the app signs out. Blame the first cycle, say x4."}
        return h, "Four sign-in / sign-out cycles from a withheld session cookie."

    # -------------------------------------------------------------- JSONP / lenient
    def jsonp_writer(write_har, OUT):
        h = Har("harviewer-jsonp", start=datetime(2026, 11, 19, 13, 0, 0, 0, tzinfo=CET), ua=CHROME_130_WINDOWS)
        h.page("Contoso Shop")
        h.request("GET", "https://shop.contoso.com/", status=200, site="none", user=True, ip=APP_IP, wait=30,
                  body=page("Contoso Shop", '<a href="/login">Log in</a>'))
        f = code_flow(h, app="https://shop.contoso.com", authorize=f"{AUTH0}/authorize", client_id="kq3TqU8rR2c1xWm0pL7bY9zA4sD6fG8h")
        p = OUT / "harviewer-jsonp.harp"
        p.write_text("onInputData(" + h.dumps("HAR Viewer JSONP (.harp) form.") + ");\n", encoding="utf-8")
        EXPECTED["harviewer-jsonp"] = {"category": "ok", "verdict": "ok", "entry": None, "completed": True,
                                       "callback_entry": f["callback"], "format": "harp",
                                       "notes": "The auth0-success flow wrapped as HAR Viewer's JSONP: onInputData({...});"}
        return p

    def lenient_writer(write_har, OUT):
        name = "lenient-entries"
        h = Har(name, start=datetime(2026, 11, 19, 13, 30, 0, 0, tzinfo=CET), ua=CHROME_130_WINDOWS)
        h.page("Contoso Shop")
        h.request("GET", "https://shop.contoso.com/", status=200, site="none", user=True, ip=APP_IP, wait=30,
                  body=page("Contoso Shop \u00e9", '<a href="/login">Log in</a>'))
        f = code_flow(h, app="https://shop.contoso.com", authorize=f"{AUTH0}/authorize", client_id="kq3TqU8rR2c1xWm0pL7bY9zA4sD6fG8h")
        h.request("GET", "https://shop.contoso.com/favicon.ico", status=200, site="same-origin", resource="image", ip=APP_IP, wait=5)
        fav = h.entries[-1]
        del fav["request"]["url"]
        fav["request"]["headers"] = None
        fav["response"]["cookies"] = None
        text = h.dumps("Entries with missing / null fields, a lone surrogate and an out-of-range number.")
        text = text.replace("Contoso Shop \u00e9", "Contoso Shop \\ud800", 1)
        text = text.replace('"bodySize": 0', '"bodySize": 1e999', 1)
        (OUT / f"{name}.har").write_text(text, encoding="utf-8")
        EXPECTED[name] = {"category": "ok", "verdict": "ok", "entry": None, "completed": True, "callback_entry": f["callback"],
                          "notes": "auth0-success-like flow; the last entry lacks url and has null headers / cookies; a lone \\ud800 "
                                   "escape and a 1e999 number: loads with capture-quality notes."}
        return OUT / f"{name}.har"

    extra_writers.extend([jsonp_writer, lenient_writer])
