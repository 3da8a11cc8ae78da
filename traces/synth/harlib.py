"""Building blocks for synthesized captures: deterministic IDs, a small
Chromium-like cookie jar, and a HAR 1.2 writer in the shape Chrome's DevTools
("WebInspector") exports.

Everything is deterministic: the same seed gives the same bytes.
"""
from __future__ import annotations

import base64
import json
import random
import string
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import parse_qsl, urlsplit

CREATOR_COMMENT = (
    "SYNTHESIZED by trace-inspect traces/synth/synth.py to the shapes documented in "
    "shared/reference (error-surfaces.md, failure-detection.md); not a real capture. "
    "Every ID, cookie, token, password and assertion in it is an invented, throwaway test value."
)

CHROME_130_WINDOWS = {
    "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "sec-ch-ua": '"Chromium";v="130", "Google Chrome";v="130", "Not?A_Brand";v="99"',
    "sec-ch-ua-mobile": "?0",
    "sec-ch-ua-platform": '"Windows"',
}

ANDROID_WEBVIEW = {
    # Android System WebView: "; wv)" and "Version/4.0" (Android CDD 3.4.1), plus
    # the X-Requested-With header carrying the embedding app's package name.
    "user-agent": "Mozilla/5.0 (Linux; Android 14; Pixel 7 Build/AP2A.240905.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.102 Mobile Safari/537.36",
    "sec-ch-ua": '"Chromium";v="130", "Android WebView";v="130", "Not?A_Brand";v="99"',
    "sec-ch-ua-mobile": "?1",
    "sec-ch-ua-platform": '"Android"',
}

NAV_ACCEPT = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
              "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")


class Ids:
    """Deterministic invented identifiers."""

    def __init__(self, seed: str):
        self.r = random.Random(seed)

    def hex(self, n: int) -> str:
        return "".join(self.r.choice("0123456789abcdef") for _ in range(n))

    def guid(self) -> str:
        h = self.hex(32)
        h = h[:12] + "4" + h[13:16] + self.r.choice("89ab") + h[17:]
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def request_id(self) -> str:
        """ESTS request ids end in ...00 in every published example."""
        g = self.guid()
        return g[:-4] + self.hex(2) + "00"

    def b64url(self, nbytes: int) -> str:
        return base64.urlsafe_b64encode(self.r.randbytes(nbytes)).decode().rstrip("=")

    def b64(self, nbytes: int) -> str:
        return base64.b64encode(self.r.randbytes(nbytes)).decode()

    def alnum(self, n: int) -> str:
        return "".join(self.r.choice(string.ascii_letters + string.digits) for _ in range(n))

    def between(self, lo: float, hi: float) -> float:
        return round(self.r.uniform(lo, hi), 3)


def b64url_json(obj) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(timezone.utc), usegmt=True)


def iso_local(dt: datetime) -> str:
    """startedDateTime with the capturing machine's UTC offset, e.g. 2026-11-20T10:04:11.482+01:00."""
    return dt.isoformat(timespec="milliseconds")


def iso_z(dt: datetime, ms: bool = True) -> str:
    u = dt.astimezone(timezone.utc)
    return u.strftime("%Y-%m-%dT%H:%M:%S") + (f".{u.microsecond // 1000:03d}" if ms else "") + "Z"


def site_of(host: str) -> str:
    parts = host.split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else host


# --------------------------------------------------------------------------- cookies

@dataclass
class Cookie:
    name: str
    value: str
    domain: str
    host_only: bool
    path: str
    secure: bool
    http_only: bool
    same_site: str | None  # "none" | "lax" | "strict" | None (attribute absent)
    expires: datetime | None
    created: datetime


@dataclass
class Jar:
    """Just enough of Chromium's cookie rules for consistent samples:
    SameSite=None needs Secure; an absent SameSite means Lax, except that a
    top-level cross-site POST may still carry it within 2 minutes of its
    creation (Chrome's "Lax+POST" mitigation)."""

    cookies: list[Cookie] = field(default_factory=list)

    def set(self, url: str, header: str, now: datetime) -> None:
        u = urlsplit(url)
        parts = [p.strip() for p in header.split(";")]
        name, _, value = parts[0].partition("=")
        attrs = {}
        for p in parts[1:]:
            k, _, v = p.partition("=")
            attrs[k.strip().lower()] = v.strip()
        domain = attrs.get("domain", "").lstrip(".").lower()
        host_only = not domain
        if host_only:
            domain = u.hostname
        path = attrs.get("path") or "/"
        same_site = attrs.get("samesite", "").lower() or None
        secure = "secure" in attrs
        if same_site == "none" and not secure:
            return  # rejected by Chrome
        expires = None
        if "max-age" in attrs:
            expires = now + timedelta(seconds=int(attrs["max-age"]))
        elif "expires" in attrs:
            from email.utils import parsedate_to_datetime
            expires = parsedate_to_datetime(attrs["expires"])
        self.cookies = [c for c in self.cookies if not (c.name == name and c.domain == domain and c.path == path)]
        if expires is not None and expires <= now:
            return  # deletion
        self.cookies.append(Cookie(name, value, domain, host_only, path, secure, "httponly" in attrs,
                                   same_site, expires, now))

    def header(self, url: str, *, cross_site: bool, method: str, navigation: bool, now: datetime) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.select(
            url, cross_site=cross_site, method=method, navigation=navigation, now=now))

    def select(self, url: str, *, cross_site: bool, method: str, navigation: bool, now: datetime) -> list[Cookie]:
        u = urlsplit(url)
        host, path = u.hostname, u.path or "/"
        out = []
        for c in self.cookies:
            if c.host_only and host != c.domain:
                continue
            if not c.host_only and not (host == c.domain or host.endswith("." + c.domain)):
                continue
            if not (path == c.path or path.startswith(c.path.rstrip("/") + "/") or c.path == "/"):
                continue
            if c.secure and u.scheme != "https":
                continue
            if cross_site:
                if c.same_site == "strict":
                    continue
                if c.same_site == "lax" and not (navigation and method == "GET"):
                    continue
                if c.same_site is None and not (navigation and (method == "GET" or (
                        method == "POST" and now - c.created < timedelta(minutes=2)))):
                    continue
            out.append(c)
        out.sort(key=lambda c: (-len(c.path), c.created))
        return out


def parse_set_cookie(header: str) -> dict:
    parts = [p.strip() for p in header.split(";")]
    name, _, value = parts[0].partition("=")
    out = {"name": name, "value": value}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        k = k.strip().lower()
        if k == "path":
            out["path"] = v
        elif k == "domain":
            out["domain"] = v
        elif k == "expires":
            out["expires"] = v
        elif k == "httponly":
            out["httpOnly"] = True
        elif k == "secure":
            out["secure"] = True
        elif k == "samesite":
            out["sameSite"] = v[:1].upper() + v[1:].lower()
    out.setdefault("httpOnly", False)
    out.setdefault("secure", False)
    return out


# --------------------------------------------------------------------------- HAR

class Har:
    """Accumulates entries in the shape Chrome DevTools exports."""

    def __init__(self, name: str, *, start: datetime, ua: dict, seed: str | None = None,
                 lang: str = "en-GB,en;q=0.9,de;q=0.8", extra_nav_headers: dict | None = None):
        self.name = name
        self.now = start
        self.ua = ua
        self.lang = lang
        self.ids = Ids(seed or name)
        self.jar = Jar()
        self.entries: list[dict] = []
        self.pages: list[dict] = []
        self.extra_nav_headers = extra_nav_headers or {}
        self._conns: dict[str, int] = {}
        self._next_conn = 480000 + self.ids.r.randint(0, 9999)

    # time
    def wait(self, ms: float) -> None:
        self.now += timedelta(milliseconds=ms)

    def page(self, title: str) -> str:
        pid = f"page_{len(self.pages) + 1}"
        self.pages.append({"startedDateTime": iso_local(self.now), "id": pid, "title": title,
                           "pageTimings": {"onContentLoad": self.ids.between(180, 600), "onLoad": self.ids.between(400, 1200)}})
        return pid

    def request(self, method: str, url: str, *, status: int, site: str, resource: str = "document",
                user: bool = False, referer: str | None = None, origin: str | None = None,
                headers: dict | None = None, resp_headers: list | None = None, body: str = "",
                mime: str = "text/html; charset=utf-8", post: str | None = None,
                post_mime: str = "application/x-www-form-urlencoded", wait: float = 120.0,
                ip: str = "203.0.113.10", initiator: dict | None = None, http: str = "http/2.0",
                cookie: str | None = None, encoding: str | None = "br") -> int:
        """Add one exchange; returns its 1-based entry number.

        site: the Sec-Fetch-Site value ("none", "same-origin", "same-site", "cross-site");
        cookies sent come from the jar under the matching SameSite context unless
        `cookie` is given."""
        u = urlsplit(url)
        navigation = resource == "document"
        h: dict[str, str] = {}
        if navigation:
            h["accept"] = NAV_ACCEPT
            h["upgrade-insecure-requests"] = "1"
            h["sec-fetch-dest"] = "document"
            h["sec-fetch-mode"] = "navigate"
            if user:
                h["sec-fetch-user"] = "?1"
            if method == "GET" and site == "none":
                pass
            h["priority"] = "u=0, i"
            h.update(self.extra_nav_headers)
        elif resource in ("xhr", "fetch"):
            h["accept"] = "application/json"
            h["sec-fetch-dest"] = "empty"
            h["sec-fetch-mode"] = "cors"
            h["priority"] = "u=1, i"
        elif resource == "script":
            h["accept"] = "*/*"
            h["sec-fetch-dest"] = "script"
            h["sec-fetch-mode"] = "cors" if "aadcdn" in url or "gstatic" in url else "no-cors"
            h["priority"] = "u=1"
        elif resource == "stylesheet":
            h["accept"] = "text/css,*/*;q=0.1"
            h["sec-fetch-dest"] = "style"
            h["sec-fetch-mode"] = "no-cors"
            h["priority"] = "u=0"
        h["sec-fetch-site"] = site
        h["accept-encoding"] = "gzip, deflate, br, zstd"
        h["accept-language"] = self.lang
        h.update(self.ua)
        if referer:
            h["referer"] = referer
        if origin:
            h["origin"] = origin
        if post is not None:
            h["content-type"] = post_mime
            h["content-length"] = str(len(post.encode()))
            if navigation:
                h["cache-control"] = "max-age=0"
        if headers:
            h.update(headers)
        sent: list[Cookie] | None = None
        if cookie is None:
            sent = self.jar.select(url, cross_site=(site == "cross-site"), method=method,
                                   navigation=navigation, now=self.now)
            cookie = "; ".join(f"{c.name}={c.value}" for c in sent)
        if cookie:
            h["cookie"] = cookie
        started = self.now

        # ---- response
        rh: list[tuple[str, str]] = list(resp_headers or [])
        t_wait = wait
        done = started + timedelta(milliseconds=t_wait + 40)
        names = {k.lower() for k, _ in rh}
        if "date" not in names:
            rh.insert(0, ("date", http_date(done)))
        body_bytes = body.encode("utf-8")
        if body and "content-type" not in names:
            rh.append(("content-type", mime))
        if body and encoding and "content-encoding" not in names:
            rh.append(("content-encoding", encoding))
        for k, v in rh:
            if k.lower() == "set-cookie":
                self.jar.set(url, v, done)
        location = next((v for k, v in rh if k.lower() == "location"), "")
        redirect_url = ""
        if location:
            redirect_url = location if "://" in location else f"{u.scheme}://{u.netloc}{location}"

        # ---- connection / timings
        origin_key = f"{u.scheme}://{u.netloc}"
        new_conn = origin_key not in self._conns
        if new_conn:
            self._conns[origin_key] = self._next_conn
            self._next_conn += self.ids.r.randint(3, 40)
        blocked = self.ids.between(0.8, 4.0)
        dns = self.ids.between(8, 30) if new_conn else -1
        ssl = self.ids.between(18, 45) if new_conn and u.scheme == "https" else -1
        connect = round(self.ids.between(14, 30) + max(ssl, 0), 3) if new_conn else -1
        send = self.ids.between(0.1, 0.6)
        receive = self.ids.between(0.5, 6.0) if body else self.ids.between(0.1, 0.9)
        total = sum(x for x in (blocked, dns, connect, send, t_wait, receive) if x > 0)
        compressed = len(zlib.compress(body_bytes, 6)) if body and encoding else len(body_bytes)

        entry = {
            "_connectionId": str(self._conns[origin_key]),
            "_initiator": initiator or ({"type": "other"} if navigation else {"type": "script"}),
            "_priority": "VeryHigh" if navigation else ("High" if resource in ("xhr", "fetch", "stylesheet") else "Low"),
            "_resourceType": resource,
            "cache": {},
            "connection": str(443 if u.scheme == "https" else (u.port or 80)),
            "pageref": self.pages[-1]["id"] if self.pages else "page_1",
            "request": {
                "method": method,
                "url": url,
                "httpVersion": http,
                "headers": self._req_headers(method, u, h, http),
                "queryString": [{"name": k, "value": v} for k, v in parse_qsl(u.query, keep_blank_values=True)],
                "cookies": ([self._jar_cookie(c) for c in sent] if sent is not None
                            else [self._req_cookie(p, u.hostname) for p in cookie.split("; ")] if cookie else []),
                "headersSize": -1,
                "bodySize": len(post.encode()) if post is not None else 0,
            },
            "response": {
                "status": status,
                "statusText": "" if http == "http/2.0" else REASONS.get(status, ""),
                "httpVersion": http,
                "headers": [{"name": k, "value": v} for k, v in rh],
                "cookies": [parse_set_cookie(v) for k, v in rh if k.lower() == "set-cookie"],
                "content": {"size": len(body_bytes), "mimeType": mime.split(";")[0] if body else "x-unknown"},
                "redirectURL": redirect_url,
                "headersSize": -1,
                "bodySize": compressed if body else 0,
                "_transferSize": (compressed if body else 0) + 180 + sum(len(k) + len(v) for k, v in rh) // 2,
                "_error": None,
                "_fetchedViaServiceWorker": False,
            },
            "serverIPAddress": ip,
            "startedDateTime": iso_local(started),
            "time": round(total, 3),
            "timings": {"blocked": blocked, "dns": dns, "ssl": ssl, "connect": connect, "send": send,
                        "wait": t_wait, "receive": receive, "_blocked_queueing": round(blocked * 0.6, 3),
                        "_workerStart": -1, "_workerReady": -1, "_workerFetchStart": -1, "_workerRespondWithSettled": -1},
        }
        if body:
            entry["response"]["content"]["text"] = body
        if post is not None:
            pd = {"mimeType": post_mime, "text": post}
            if post_mime.startswith("application/x-www-form-urlencoded"):
                # Chrome DevTools keeps the pairs as sent (still URL-encoded)
                pd["params"] = [{"name": p.partition("=")[0], "value": p.partition("=")[2]} for p in post.split("&") if p]
            entry["request"]["postData"] = pd
        self.entries.append(entry)
        self.now = started + timedelta(milliseconds=total)
        return len(self.entries)

    @staticmethod
    def _jar_cookie(c: Cookie) -> dict:
        d = {"name": c.name, "value": c.value, "path": c.path, "domain": c.domain if c.host_only else "." + c.domain,
             "expires": iso_z(c.expires) if c.expires else "1969-12-31T23:59:59.000Z",
             "httpOnly": c.http_only, "secure": c.secure}
        if c.same_site:
            d["sameSite"] = c.same_site.capitalize()
        return d

    @staticmethod
    def _req_cookie(pair: str, host: str) -> dict:
        n, _, v = pair.partition("=")
        return {"name": n, "value": v, "path": "/", "domain": host, "expires": "1969-12-31T23:59:59.000Z",
                "httpOnly": False, "secure": False}

    @staticmethod
    def _req_headers(method, u, h, http):
        out = []
        if http == "http/2.0":
            out += [{"name": ":authority", "value": u.netloc}, {"name": ":method", "value": method},
                    {"name": ":path", "value": (u.path or "/") + (f"?{u.query}" if u.query else "")},
                    {"name": ":scheme", "value": u.scheme}]
            out += [{"name": k, "value": v} for k, v in sorted(h.items())]
        else:
            out.append({"name": "Host", "value": u.netloc})
            out.append({"name": "Connection", "value": "keep-alive"})
            out += [{"name": "-".join(p.capitalize() for p in k.split("-")) if not k.startswith("sec-") else k, "value": v}
                    for k, v in h.items()]
        return out

    def to_json(self, title_comment: str = "") -> dict:
        return {
            "log": {
                "version": "1.2",
                "creator": {"name": "WebInspector", "version": "537.36", "comment": CREATOR_COMMENT},
                "pages": self.pages or [{"startedDateTime": self.entries[0]["startedDateTime"], "id": "page_1",
                                         "title": self.entries[0]["request"]["url"], "pageTimings": {}}],
                "entries": self.entries,
                "comment": f"{self.name}: {title_comment} {CREATOR_COMMENT}".strip(),
            }
        }

    def dumps(self, title_comment: str = "") -> str:
        return json.dumps(self.to_json(title_comment), indent=2, ensure_ascii=False) + "\n"


REASONS = {200: "OK", 204: "No Content", 302: "Found", 303: "See Other", 400: "Bad Request", 401: "Unauthorized",
           403: "Forbidden", 404: "Not Found", 500: "Internal Server Error"}
