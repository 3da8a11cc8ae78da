"""Fiddler Classic session archives (SAZ) in Fiddler's own layout:

    raw/NN_c.txt   request as Fiddler saw it (absolute URL in the request line)
    raw/NN_s.txt   response, bytes as they came over the wire (gzip, chunked)
    raw/NN_m.xml   <Session SID=..> with SessionTimers / PipeInfo / SessionFlags,
                   UTF-8 with BOM, CRLF line ends, local times with 7 fractional
                   digits and the UTC offset
    _index.htm     the session table
    [Content_Types].xml

NN is zero-padded to the width of the session count (1..9 -> "1", 10..99 ->
"01"), as Fiddler does. Session numbers (SID) here equal the file numbers.
"""
from __future__ import annotations

import gzip
import html
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ZIP_COMMENT = b"Fiddler (v5.0.20253.3311) Session Archive. See https://api.getfiddler.com/r/?fiddler"
PROCESS = "chrome:1234"
LAST_FACTS: dict = {}

CONTENT_TYPES = ('<?xml version="1.0" encoding="utf-8" ?>\r\n'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\r\n'
                 '<Default Extension="htm" ContentType="text/html" />\r\n'
                 '<Default Extension="xml" ContentType="application/xml" />\r\n'
                 '<Default Extension="txt" ContentType="text/plain" />\r\n'
                 '</Types>')

REQ_ORDER = ["host", "connection", "content-length", "cache-control", "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform",
             "origin", "content-type", "upgrade-insecure-requests", "user-agent", "accept", "sec-fetch-site", "sec-fetch-mode",
             "sec-fetch-user", "sec-fetch-dest", "referer", "accept-encoding", "accept-language", "cookie"]
LOWER_KEEP = ("sec-ch-", "x-ms-", "canary", "client-request-id", "hpg", "x-requested-with", "x-okta", "priority")


def fiddler_time(dt: datetime) -> str:
    off = dt.strftime("%z")
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond:06d}0" + f"{off[:3]}:{off[3:]}"


def canon(name: str) -> str:
    n = name.lower()
    if n.startswith(LOWER_KEEP):
        return n
    if n == "p3p":
        return "P3P"
    return "-".join(p.capitalize() for p in n.split("-"))


def chunked(data: bytes, size: int = 4096) -> bytes:
    out = b""
    for i in range(0, len(data), size):
        part = data[i:i + size]
        out += f"{len(part):x}\r\n".encode() + part + b"\r\n"
    return out + b"0\r\n\r\n"


class Archive:
    def __init__(self):
        self.sessions: list[dict] = []

    def add(self, *, c: bytes, s: bytes, m: str, row: dict, when: datetime):
        self.sessions.append({"c": c, "s": s, "m": m, "row": row, "when": when})
        return len(self.sessions)

    def write(self, path: Path):
        n = len(self.sessions)
        width = len(str(n))
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.comment = ZIP_COMMENT
            first = self.sessions[0]["when"]
            z.writestr(zipfile.ZipInfo("raw/", date_time=first.timetuple()[:6]), b"")
            rows = []
            for i, sess in enumerate(self.sessions, 1):
                num = f"{i:0{width}d}"
                dt = sess["when"].timetuple()[:6]
                for suffix, data in (("c.txt", sess["c"]), ("s.txt", sess["s"]),
                                     ("m.xml", ("\ufeff" + sess["m"]).encode("utf-8"))):
                    zi = zipfile.ZipInfo(f"raw/{num}_{suffix}", date_time=dt)
                    zi.compress_type = zipfile.ZIP_DEFLATED
                    z.writestr(zi, data)
                r = sess["row"]
                rows.append(f"<tr><td><a href='raw\\{num}_c.txt'>C</a>&nbsp;<a href='raw\\{num}_s.txt'>S</a>&nbsp;"
                            f"<a href='raw\\{num}_m.xml'>M</a></td><td>{i}</td><td>{r['result']}</td><td>{r['protocol']}</td>"
                            f"<td>{html.escape(r['host'])}</td><td>{html.escape(r['url'])}</td><td>{r['body']:,}</td>"
                            f"<td>{html.escape(r.get('caching', ''))}</td><td>{html.escape(r.get('ctype', ''))}</td>"
                            f"<td>{PROCESS}</td><td></td><td></td></tr>")
            last = self.sessions[-1]["when"].timetuple()[:6]
            index = ("\ufeff<html><head><style>body,thead,td,a,p{font-family:verdana,sans-serif;font-size: 10px;}</style></head>"
                     "<body><table cols=12><thead><tr><th>&nbsp;</th><th>#</th><th>Result</th><th>Protocol</th><th>Host</th>"
                     "<th>URL</th><th>Body</th><th>Caching</th><th>Content-Type</th><th>Process</th><th>Comments</th>"
                     "<th>Custom</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></body></html>")
            z.writestr(zipfile.ZipInfo("_index.htm", date_time=last), index.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
            z.writestr(zipfile.ZipInfo("[Content_Types].xml", date_time=last), CONTENT_TYPES.encode("utf-8"),
                       compress_type=zipfile.ZIP_DEFLATED)
        return path


def meta_xml(sid: int, t0: datetime, *, wait_ms: float, bitflags: str, flags: list[tuple[str, str]],
             tunnel: tuple[int, int] | None = None, connect_ms: int = 0, reused: bool = False, no_response: bool = False) -> str:
    t = lambda ms: fiddler_time(t0 + timedelta(milliseconds=ms))  # noqa: E731
    begin_resp = "0001-01-01T00:00:00" if no_response else t(wait_ms)
    timers = (f'ClientConnected="{t(-connect_ms - 3)}" ClientBeginRequest="{t(0)}" GotRequestHeaders="{t(0.4)}" '
              f'ClientDoneRequest="{t(0.6)}" GatewayTime="0" DNSTime="{0 if reused else 12}" TCPConnectTime="{0 if reused else connect_ms}" '
              f'HTTPSHandshakeTime="{0 if reused or tunnel else 41}" ServerConnected="{t(1.1)}" FiddlerBeginRequest="{t(1.4)}" '
              f'ServerGotRequest="{t(1.5)}" ServerBeginResponse="{begin_resp}" GotResponseHeaders="{begin_resp}" '
              f'ServerDoneResponse="{begin_resp if no_response else t(wait_ms + 2.3)}" ClientBeginResponse="{t(wait_ms + 2.5)}" '
              f'ClientDoneResponse="{t(wait_ms + 2.9)}"')
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<Session SID="{sid}" BitFlags="{bitflags}">',
             f"  <SessionTimers {timers} />",
             '  <PipeInfo CltReuse="true" Reused="true" />' if reused else "  <PipeInfo />"]
    if tunnel:
        lines.append(f'  <TunnelInfo BytesEgress="{tunnel[0]}" BytesIngress="{tunnel[1]}" />')
    lines.append("  <SessionFlags>")
    lines += [f'    <SessionFlag N="{k}" V="{html.escape(v, quote=True)}" />' for k, v in flags]
    lines += ["  </SessionFlags>", "</Session>"]
    return "\r\n".join(lines)


def client_hello_text(host: str, ids_hex: str) -> str:
    return ("A SSLv3-compatible ClientHello handshake was found. Fiddler extracted the parameters below.\n\n"
            "Version: 3.3 (TLS/1.2)\n"
            f"Random: {' '.join(ids_hex[i:i + 2].upper() for i in range(0, 64, 2))}\n"
            '"Time": 2/4/2087 11:38:41 PM\n'
            f"SessionID: {' '.join(ids_hex[i:i + 2].upper() for i in range(64, 128, 2))}\n"
            "Extensions: \n"
            "\tgrease (0x2a2a)\tempty\n"
            f"\tserver_name\t{host}\n"
            "\textended_master_secret\tempty\n"
            "\trenegotiation_info\t00\n"
            "\tsupported_groups\tgrease [0x4a4a], x25519mlkem768 [0x11ec], x25519 [0x1d], secp256r1 [0x17], secp384r1 [0x18]\n"
            "\tec_point_formats\tuncompressed [0x0]\n"
            "\tSessionTicket\tempty\n"
            "\tALPN\t\th2, http/1.1\n"
            "\tstatus_request\tOCSP - Implicit Responder\n"
            "\tsignature_algs\tecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256, ecdsa_secp384r1_sha384, rsa_pss_rsae_sha384, rsa_pkcs1_sha384, rsa_pss_rsae_sha512, rsa_pkcs1_sha512\n"
            "\tSignedCertificateTimestamp (RFC6962)\tempty\n"
            "\tkey_share\t00 69 4A 4A 00 01 00 11 EC 04 C0 ...\n"
            "\tpsk_key_exchange_modes\t01 01\n"
            "\tsupported_versions\tgrease [0xdada], Tls1.3, Tls1.2\n"
            "\tcompress_certificate\t02 00 02\n"
            "\tencrypted_client_hello\t00 00 01 00 01 ...\n"
            "\tgrease (0xbaba)\t00\n"
            "Cipher Suites:\n"
            "\t[3A3A]\tUnrecognized cipher - See https://www.iana.org/assignments/tls-parameters/\n"
            "\t[1301]\tTLS_AES_128_GCM_SHA256\n"
            "\t[1302]\tTLS_AES_256_GCM_SHA384\n"
            "\t[1303]\tTLS_CHACHA20_POLY1305_SHA256\n"
            "\t[C02B]\tTLS1_CK_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n"
            "\t[C02F]\tTLS1_CK_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"
            "\t[C02C]\tTLS1_CK_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\n"
            "\t[C030]\tTLS1_CK_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n"
            "Compression:\n"
            "\t[00]\tNO_COMPRESSION\n")


def connect_session(arc: Archive, host: str, when: datetime, ua: str, ids, *, decrypted: bool, ip: str) -> int:
    sid = len(arc.sessions) + 1
    hx = ids.hex(128)
    c = (f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\nProxy-Connection: keep-alive\r\nUser-Agent: {ua}\r\n\r\n"
         + client_hello_text(host, hx)).encode()
    start = when.strftime("%H:%M:%S.") + f"{when.microsecond // 1000:03d}"
    head = f"HTTP/1.1 200 Connection Established\r\nFiddlerGateway: Direct\r\nStartTime: {start}\r\nConnection: close\r\n\r\n"
    if decrypted:
        body = ("Encrypted HTTPS traffic flows through this CONNECT tunnel. HTTPS Decryption is enabled in Fiddler, so "
                "decrypted sessions running in this tunnel will be shown in the Web Sessions list.\n\n"
                "Secure Protocol: Tls12\nCipher: Aes256 256bits\nHash Algorithm: Sha384 ?bits\n"
                "Key Exchange: ECDHE_RSA (0xae06) 255bits\n\n== Server Certificate ==========\n"
                f"[Subject]\n  CN={host}\n\n[Issuer]\n  CN=DO_NOT_TRUST_FiddlerRoot, O=DO_NOT_TRUST, OU=Created by http://www.fiddler2.com\n\n"
                f"[Serial Number]\n  {ids.hex(32).upper()}\n\n[Not Before]\n  11/1/2026 12:00:00 AM\n\n[Not After]\n  11/1/2027 12:00:00 AM\n\n"
                f"[Thumbprint]\n  {ids.hex(40).upper()}\n")
        egress, ingress = 0, 0
    else:
        body = ("This is a CONNECT tunnel, through which encrypted HTTPS traffic flows.\n"
                "To view the encrypted sessions inside this tunnel, enable the Tools > Options > HTTPS > Decrypt HTTPS traffic option.\n\n"
                "A SSLv3-compatible ServerHello handshake was found. Fiddler extracted the parameters below.\n\n"
                "Version: 3.3 (TLS/1.2)\n"
                f"SessionID:\t{' '.join(hx[i:i + 2].upper() for i in range(64, 128, 2))}\n"
                f"Random:\t\t{' '.join(hx[i:i + 2].upper() for i in range(0, 64, 2))}\n"
                "Cipher:\t\tTLS_AES_256_GCM_SHA384 [0x1302]\n"
                "CompressionSuite:\tNO_COMPRESSION [0x00]\n"
                "Extensions:\n\t\tsupported_versions\t\n\t\tkey_share\t00 1D 00 20 ...\n\n")
        egress, ingress = ids.r.randint(2400, 90000), ids.r.randint(6000, 400000)
    s = (head + body).encode()
    flags = [("https-client-snihostname", host), ("x-egressport", str(ids.r.randint(50000, 65000))),
             ("x-responsebodytransferlength", "0"), ("x-clientport", str(ids.r.randint(50000, 65000))),
             ("x-clientip", "127.0.0.1"), ("x-hostip", ip), ("x-processinfo", PROCESS)]
    if not decrypted:
        flags.insert(4, ("https-server-cipher", "TLS_AES_256_GCM_SHA384"))
    m = meta_xml(sid, when, wait_ms=0, bitflags="1100" if not decrypted else "1101", flags=flags,
                 tunnel=(egress, ingress), connect_ms=ids.r.randint(15, 60), no_response=True)
    arc.add(c=c, s=s, m=m, when=when, row={"result": 200, "protocol": "HTTP", "host": "Tunnel to",
                                           "url": f"{host}:443", "body": len(body.encode())})
    return sid


def http_session(arc: Archive, entry: dict, ids) -> int:
    sid = len(arc.sessions) + 1
    req, resp = entry["request"], entry["response"]
    u = urlsplit(req["url"])
    hdrs = {h["name"].lower(): h["value"] for h in req["headers"] if not h["name"].startswith(":")}
    hdrs["host"] = u.netloc
    hdrs["connection"] = "keep-alive"
    hdrs.pop("priority", None)
    ordered = [k for k in REQ_ORDER if k in hdrs] + [k for k in hdrs if k not in REQ_ORDER]
    body = (req.get("postData") or {}).get("text", "")
    c = f"{req['method']} {req['url']} HTTP/1.1\r\n" + "".join(f"{canon(k)}: {hdrs[k]}\r\n" for k in ordered) + "\r\n"
    c_bytes = c.encode() + body.encode()

    status = resp["status"]
    reason = {200: "OK", 302: "Found", 303: "See Other", 400: "Bad Request", 403: "Forbidden", 500: "Internal Server Error"}.get(status, "")
    text = resp["content"].get("text", "")
    raw_body = text.encode()
    headers = [(h["name"], h["value"]) for h in resp["headers"] if h["name"].lower() not in ("content-length", "content-encoding")]
    if text and resp["content"]["mimeType"].startswith(("text/html", "application/json")):
        wire = chunked(gzip.compress(raw_body, compresslevel=6, mtime=0))
        headers += [("content-encoding", "gzip"), ("transfer-encoding", "chunked")]
    else:
        wire = raw_body
        headers.append(("content-length", str(len(raw_body))))
    s = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{canon(k)}: {v}\r\n" for k, v in headers) + "\r\n"
    s_bytes = s.encode() + wire
    when = datetime.fromisoformat(entry["startedDateTime"])
    t = entry["timings"]
    flags = [("https-client-version", "Tls12"), ("x-egressport", str(ids.r.randint(50000, 65000))),
             ("x-responsebodytransferlength", str(len(wire))), ("x-clientport", str(ids.r.randint(50000, 65000))),
             ("x-clientip", "127.0.0.1"), ("x-hostip", entry.get("serverIPAddress", "")), ("x-processinfo", PROCESS)]
    m = meta_xml(sid, when, wait_ms=float(t["wait"]), bitflags="19", flags=flags, connect_ms=0, reused=t["connect"] < 0)
    ctype = next((v for k, v in headers if k.lower() == "content-type"), "")
    cache = next((v for k, v in headers if k.lower() == "cache-control"), "")
    arc.add(c=c_bytes, s=s_bytes, m=m, when=when,
            row={"result": status, "protocol": "HTTPS", "host": u.netloc,
                 "url": (u.path or "/") + (f"?{u.query}" if u.query else ""), "body": len(raw_body), "caching": cache, "ctype": ctype})
    return sid


def write_decrypted(path: Path, har) -> Path:
    """A HAR flow (synth Har object) as a decrypted Fiddler capture."""
    arc = Archive()
    seen = set()
    ids = har.ids
    facts = {"sessions_by_url": []}
    for e in har.entries:
        host = urlsplit(e["request"]["url"]).hostname
        when = datetime.fromisoformat(e["startedDateTime"])
        if host not in seen:
            seen.add(host)
            connect_session(arc, host, when - timedelta(milliseconds=45), har.ua["user-agent"], ids, decrypted=True,
                            ip=e.get("serverIPAddress", ""))
        sid = http_session(arc, e, ids)
        facts["sessions_by_url"].append([sid, e["request"]["method"], e["request"]["url"][:80], e["response"]["status"]])
    arc.write(path)
    acs = [s for s, m, u, st in facts["sessions_by_url"] if u.endswith("/saml/acs")]
    LAST_FACTS.clear()
    LAST_FACTS.update({"sessions": len(arc.sessions), "acs_session": acs[0] if acs else None,
                       "connect_sessions": [i for i, s in enumerate(arc.sessions, 1) if s["c"].startswith(b"CONNECT ")]})
    return path


def write_connect_only(path: Path) -> Path:
    """A capture made with HTTPS decryption off: only CONNECT tunnels."""
    from harlib import CHROME_130_WINDOWS, Ids
    from datetime import timezone
    ids = Ids("saz-connect-only")
    arc = Archive()
    t = datetime(2026, 11, 20, 10, 4, 7, 312000, tzinfo=timezone(timedelta(hours=1)))
    hosts = [("portal.contoso.com", "198.51.100.20", 0), ("portal.contoso.com", "198.51.100.20", 180),
             ("login.microsoftonline.com", "20.190.159.68", 2900), ("aadcdn.msftauth.net", "13.107.246.45", 260),
             ("login.microsoftonline.com", "20.190.159.68", 9200), ("login.live.com", "20.190.159.2", 120),
             ("portal.contoso.com", "198.51.100.20", 11800), ("content-autofill.googleapis.com", "142.250.185.74", 640)]
    for host, ip, delay in hosts:
        t += timedelta(milliseconds=delay)
        connect_session(arc, host, t, CHROME_130_WINDOWS["user-agent"], ids, decrypted=False, ip=ip)
    arc.write(path)
    LAST_FACTS.clear()
    LAST_FACTS.update({"sessions": len(arc.sessions), "hosts": sorted({h for h, _, _ in hosts})})
    return path
