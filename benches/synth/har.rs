//! HAR 1.2 writer in Chrome DevTools' shape: `log.creator` WebInspector,
//! pages, entries with `_initiator` / `_priority` / `_resourceType`,
//! HTTP/2 pseudo-headers, cookie arrays, `_transferSize`, base64 binary
//! bodies, 2-space indentation, start times with the local `+01:00` offset.

use std::io::{self, Write};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use super::traffic::{Exchange, Page, Timings, Traffic, reason};

/// Local time of the first request: 2026-11-20 09:12:03.417 (+01:00).
const START_DAY: i64 = 20_777; // days from 1970-01-01 to 2026-11-20
const START_MS_OF_DAY: f64 = (9.0 * 3600.0 + 12.0 * 60.0 + 3.0) * 1000.0 + 417.0;

/// Writes a HAR of at least `target` bytes from `seed`; returns the entry count.
pub fn write(out: &mut dyn Write, seed: u64, target: usize) -> io::Result<usize> {
    // Pages take about 0.1 % of the file; leave room for them.
    write_with(out, seed, target, Traffic::visit, |bytes, pages, _| {
        bytes + pages * 200 < target
    })
}

/// Writes the identity-heavy HAR ([`Traffic::identity_block`]) of at least
/// `entries` entries; returns the entry count.
pub fn write_identity(out: &mut dyn Write, seed: u64, entries: usize) -> io::Result<usize> {
    write_with(
        out,
        seed,
        entries * 4_000,
        Traffic::identity_block,
        |_, _, count| count < entries,
    )
}

/// Writes visits from `next` while `more(entry bytes, pages, entries)`.
fn write_with(
    out: &mut dyn Write,
    seed: u64,
    capacity: usize,
    next: fn(&mut Traffic) -> Vec<Exchange>,
    more: impl Fn(usize, usize, usize) -> bool,
) -> io::Result<usize> {
    let mut traffic = Traffic::new(seed);
    let mut entries: Vec<u8> = Vec::with_capacity(capacity + (1 << 20));
    let mut count = 0usize;
    while more(entries.len(), traffic.pages.len(), count) {
        for x in next(&mut traffic) {
            if count > 0 {
                entries.extend_from_slice(b",\n");
            }
            indented(&mut entries, &entry(&x), 6)?;
            count += 1;
        }
    }
    out.write_all(b"{\n  \"log\": {\n    \"version\": \"1.2\",\n    \"creator\": {\n      \"name\": \"WebInspector\",\n      \"version\": \"537.36\"\n    },\n    \"pages\": [\n")?;
    let mut buf = Vec::new();
    for (i, p) in traffic.pages.iter().enumerate() {
        if i > 0 {
            buf.extend_from_slice(b",\n");
        }
        indented(&mut buf, &page(p), 6)?;
    }
    out.write_all(&buf)?;
    out.write_all(b"\n    ],\n    \"entries\": [\n")?;
    out.write_all(&entries)?;
    out.write_all(b"\n    ]\n  }\n}\n")?;
    Ok(count)
}

/// Pretty-prints `v` (2 spaces, as Chrome) shifted right by `indent` spaces.
/// Raw newlines only occur between tokens (strings escape theirs), so
/// shifting after each newline is exact.
fn indented(out: &mut Vec<u8>, v: &Value, indent: usize) -> io::Result<()> {
    let text = serde_json::to_vec_pretty(v).map_err(io::Error::other)?;
    let pad = vec![b' '; indent];
    for (i, line) in text.split(|b| *b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(&pad);
        out.extend_from_slice(line);
    }
    Ok(())
}

/// `2026-11-20T09:12:03.417+01:00` for `ms` after the capture start.
pub fn timestamp(ms: f64, offset: &str) -> String {
    let total = START_MS_OF_DAY + ms;
    let days = (total / 86_400_000.0).floor();
    let in_day = (total - days * 86_400_000.0).round() as u64;
    let (y, m, d) = civil_from_days(START_DAY + days as i64);
    let (h, rest) = (in_day / 3_600_000, in_day % 3_600_000);
    let (min, rest) = (rest / 60_000, rest % 60_000);
    format!(
        "{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{:02}.{:03}{offset}",
        rest / 1000,
        rest % 1000
    )
}

/// Proleptic Gregorian date from days since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn page(p: &Page) -> Value {
    json!({
        "startedDateTime": timestamp(p.started_ms, "+01:00"),
        "id": format!("page_{}", p.id),
        "title": p.title,
        "pageTimings": {"onContentLoad": p.on_content_load, "onLoad": p.on_load},
    })
}

fn nv(name: &str, value: &str) -> Value {
    json!({"name": name, "value": value})
}

fn request_headers(x: &Exchange) -> Vec<Value> {
    let mut out = Vec::with_capacity(x.req_headers.len() + 5);
    if x.h2 {
        out.push(nv(":authority", x.host()));
        out.push(nv(":method", x.method));
        out.push(nv(":path", x.path()));
        out.push(nv(":scheme", "https"));
        for (n, v) in &x.req_headers {
            out.push(nv(&n.to_ascii_lowercase(), v));
        }
    } else {
        out.push(nv("Host", x.host()));
        out.push(nv("Connection", "keep-alive"));
        for (n, v) in &x.req_headers {
            out.push(nv(n, v));
        }
    }
    out
}

fn response_headers(x: &Exchange) -> Vec<Value> {
    x.resp_headers
        .iter()
        .map(|(n, v)| {
            if x.h2 {
                nv(&n.to_ascii_lowercase(), v)
            } else {
                nv(n, v)
            }
        })
        .collect()
}

fn request_cookies(x: &Exchange) -> Vec<Value> {
    let Some((_, header)) = x.req_headers.iter().find(|(n, _)| n == "Cookie") else {
        return Vec::new();
    };
    header
        .split("; ")
        .filter_map(|pair| pair.split_once('='))
        .map(|(n, v)| {
            json!({"name": n, "value": v, "path": "/", "domain": x.host(),
                   "expires": "2027-11-20T08:12:03.417Z", "httpOnly": true, "secure": true})
        })
        .collect()
}

fn response_cookies(x: &Exchange) -> Vec<Value> {
    x.resp_headers
        .iter()
        .filter(|(n, _)| n == "Set-Cookie")
        .filter_map(|(_, v)| {
            let (pair, attrs) = v.split_once("; ").unwrap_or((v, ""));
            let (name, value) = pair.split_once('=')?;
            let same_site = attrs.rsplit("SameSite=").next().unwrap_or("Lax");
            Some(
                json!({"name": name, "value": value, "path": "/", "domain": x.host(),
                        "expires": "2026-12-20T09:12:04.000Z", "httpOnly": true, "secure": true,
                        "sameSite": same_site}),
            )
        })
        .collect()
}

fn query_string(url: &str) -> Vec<Value> {
    let Some((_, q)) = url.split_once('?') else {
        return Vec::new();
    };
    q.split('&')
        .map(|kv| {
            let (n, v) = kv.split_once('=').unwrap_or((kv, ""));
            nv(n, v)
        })
        .collect()
}

fn timings(t: &Timings) -> Value {
    json!({"blocked": t.blocked, "dns": t.dns, "ssl": t.ssl, "connect": t.connect,
           "send": t.send, "wait": t.wait, "receive": t.receive, "_blocked_queueing": t.queueing})
}

fn content(x: &Exchange) -> Value {
    let mut c = Map::new();
    match &x.body {
        Some(b) => {
            c.insert("size".into(), json!(b.data.len()));
            c.insert("mimeType".into(), json!(b.mime));
            if b.binary {
                c.insert("text".into(), json!(STANDARD.encode(&b.data)));
                c.insert("encoding".into(), json!("base64"));
            } else {
                c.insert("text".into(), json!(String::from_utf8_lossy(&b.data)));
            }
        }
        None => {
            c.insert("size".into(), json!(0));
            c.insert(
                "mimeType".into(),
                json!(if x.status == 302 {
                    "x-unknown"
                } else {
                    "text/plain"
                }),
            );
        }
    }
    Value::Object(c)
}

fn entry(x: &Exchange) -> Value {
    let initiator: Value =
        serde_json::from_str(&x.initiator).unwrap_or_else(|_| json!({"type": "other"}));
    let version = if x.h2 { "http/2.0" } else { "http/1.1" };
    let body_len = x.body.as_ref().map_or(0, |b| b.data.len());
    let mut request = json!({
        "method": x.method,
        "url": x.url,
        "httpVersion": version,
        "headers": request_headers(x),
        "queryString": query_string(&x.url),
        "cookies": request_cookies(x),
        "headersSize": -1,
        "bodySize": x.post.as_ref().map_or(0, |p| p.text.len()),
    });
    if let (Some(p), Some(obj)) = (&x.post, request.as_object_mut()) {
        let mut pd = json!({"mimeType": p.mime, "text": p.text});
        if !p.params.is_empty()
            && let Some(o) = pd.as_object_mut()
        {
            let params: Vec<Value> = p.params.iter().map(|(n, v)| nv(n, v)).collect();
            o.insert("params".into(), Value::Array(params));
        }
        obj.insert("postData".into(), pd);
    }
    let location = x
        .resp_headers
        .iter()
        .find(|(n, _)| n == "Location")
        .map_or("", |(_, v)| v.as_str());
    json!({
        "_initiator": initiator,
        "_priority": x.priority,
        "_resourceType": x.resource_type,
        "cache": {},
        "connection": x.connection.to_string(),
        "pageref": x.page.map(|p| format!("page_{p}")),
        "request": request,
        "response": {
            "status": x.status,
            "statusText": if x.h2 { "" } else { reason(x.status) },
            "httpVersion": version,
            "headers": response_headers(x),
            "cookies": response_cookies(x),
            "content": content(x),
            "redirectURL": location,
            "headersSize": -1,
            "bodySize": body_len / 3,
            "_transferSize": body_len / 3 + 600,
            "_error": null,
            "_fetchedViaServiceWorker": false,
        },
        "serverIPAddress": x.server_ip,
        "startedDateTime": timestamp(x.started_ms, "+01:00"),
        "time": x.timings.total(),
        "timings": timings(&x.timings),
    })
}
