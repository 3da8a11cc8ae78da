//! SAZ writer in Fiddler's shape: a zip with `[Content_Types].xml`,
//! `raw/NNNN_c.txt` (request as sent through the proxy), `raw/NNNN_s.txt`
//! (response as received: some bodies gzip-coded, some chunked, RFC 9112
//! §7.1), `raw/NNNN_m.xml` (SessionTimers, PipeInfo, SessionFlags) and
//! `_index.htm`; members Deflate-compressed as Fiddler writes them. Each
//! first request on a connection is preceded by its CONNECT tunnel session.

use std::io::{self, Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::har::timestamp;
use super::rng::Rng;
use super::traffic::{Exchange, Traffic, reason};

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\r\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\r\n<Default Extension=\"htm\" ContentType=\"text/html\" />\r\n<Default Extension=\"xml\" ContentType=\"application/xml\" />\r\n<Default Extension=\"txt\" ContentType=\"text/plain\" />\r\n</Types>";

/// One Fiddler session's three files.
struct Session {
    number: u32,
    client: Vec<u8>,
    server: Vec<u8>,
    meta: Vec<u8>,
    index_row: String,
}

/// Writes a SAZ whose members hold at least `target` bytes uncompressed.
pub fn write(out: &mut dyn Write, seed: u64, target: usize) -> io::Result<()> {
    let mut traffic = Traffic::new(seed);
    let mut rng = Rng::new(seed ^ 0x5A2);
    let mut sessions: Vec<Session> = Vec::new();
    let mut total = 0usize;
    let mut number = 0u32;
    let mut last_conn = 0u32;
    while total < target {
        for x in traffic.visit() {
            if x.connection != last_conn {
                last_conn = x.connection;
                number += 1;
                let s = tunnel(&mut rng, number, &x);
                total += s.client.len() + s.server.len() + s.meta.len();
                sessions.push(s);
            }
            // Fiddler numbers are not always contiguous (filtered sessions).
            number += if rng.chance(2) { 2 } else { 1 };
            let s = session(&mut rng, number, &x);
            total += s.client.len() + s.server.len() + s.meta.len();
            sessions.push(s);
        }
    }
    let width = number.to_string().len().max(2);
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(target / 2)));
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(
            zip::DateTime::from_date_and_time(2026, 11, 20, 11, 48, 2).unwrap_or_default(),
        );
    let member = |zip: &mut ZipWriter<_>, name: String, data: &[u8]| -> io::Result<()> {
        zip.start_file(name, opts).map_err(io::Error::other)?;
        zip.write_all(data)
    };
    member(
        &mut zip,
        "[Content_Types].xml".to_owned(),
        CONTENT_TYPES.as_bytes(),
    )?;
    zip.add_directory("raw/", opts).map_err(io::Error::other)?;
    let mut index = String::from(
        "<html><head><style>body,thead,td,a,p{font-family:verdana,sans-serif;font-size: 10px;}</style></head><body><table cols=12><thead><tr><th>&nbsp;</th><th>#</th><th>Result</th><th>Protocol</th><th>Host</th><th>URL</th><th>Body</th><th>Caching</th><th>Content-Type</th><th>Process</th><th>Comments</th><th>Custom</th></tr></thead><tbody>",
    );
    for s in &sessions {
        let n = format!("{:0width$}", s.number);
        member(&mut zip, format!("raw/{n}_c.txt"), &s.client)?;
        member(&mut zip, format!("raw/{n}_s.txt"), &s.server)?;
        member(&mut zip, format!("raw/{n}_m.xml"), &s.meta)?;
        index.push_str(&s.index_row.replace("{N}", &n));
    }
    index.push_str("</tbody></table></body></html>");
    member(&mut zip, "_index.htm".to_owned(), index.as_bytes())?;
    zip.set_comment("Fiddler (v5.0.20253.3311) Session Archive. See https://fiddler2.com")
        .map_err(io::Error::other)?;
    let bytes = zip.finish().map_err(io::Error::other)?.into_inner();
    out.write_all(&bytes)
}

fn headers(out: &mut Vec<u8>, headers: &[(String, String)]) {
    for (n, v) in headers {
        out.extend_from_slice(n.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(v.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    match enc.write_all(data) {
        Ok(()) => enc.finish().unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

/// RFC 9112 §7.1 chunked coding with random chunk sizes, no trailers.
fn chunked(rng: &mut Rng, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 512 + 16);
    let mut rest = data;
    while !rest.is_empty() {
        let n = rng.range(512, 16_384).min(rest.len());
        out.extend_from_slice(format!("{n:x}\r\n").as_bytes());
        out.extend_from_slice(&rest[..n]);
        out.extend_from_slice(b"\r\n");
        rest = &rest[n..];
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

fn session(rng: &mut Rng, number: u32, x: &Exchange) -> Session {
    let mut client = format!("{} {} HTTP/1.1\r\n", x.method, x.url).into_bytes();
    let mut req_headers = vec![("Host".to_owned(), x.host().to_owned())];
    req_headers.push(("Connection".to_owned(), "keep-alive".to_owned()));
    req_headers.extend(x.req_headers.iter().cloned());
    headers(&mut client, &req_headers);
    if let Some(p) = &x.post {
        client.extend_from_slice(p.text.as_bytes());
    }

    let mut resp_headers: Vec<(String, String)> = x
        .resp_headers
        .iter()
        .filter(|(n, _)| n != "Content-Encoding" && n != "Content-Length")
        .cloned()
        .collect();
    let mut wire = Vec::new();
    if let Some(b) = &x.body {
        wire = b.data.clone();
        if !b.binary && rng.chance(50) {
            wire = gzip(&wire);
            resp_headers.push(("Content-Encoding".to_owned(), "gzip".to_owned()));
        }
        if rng.chance(30) {
            wire = chunked(rng, &wire);
            resp_headers.push(("Transfer-Encoding".to_owned(), "chunked".to_owned()));
        } else {
            resp_headers.push(("Content-Length".to_owned(), wire.len().to_string()));
        }
    } else if x.status != 304 && x.status != 204 {
        resp_headers.push(("Content-Length".to_owned(), "0".to_owned()));
    }
    let mut server = format!("HTTP/1.1 {} {}\r\n", x.status, reason(x.status)).into_bytes();
    headers(&mut server, &resp_headers);
    server.extend_from_slice(&wire);

    let meta = metadata(rng, number, x, wire.len(), false);
    let mime = x.body.as_ref().map_or("", |b| b.mime.as_str());
    Session {
        number,
        index_row: format!(
            "<tr><TD><a href='raw\\{{N}}_c.txt'>C</a>&nbsp;<a href='raw\\{{N}}_s.txt'>S</a>&nbsp;<a href='raw\\{{N}}_m.xml'>M</a></TD><td>{number}</td><td>{}</td><td>HTTPS</td><td>{}</td><td>{}</td><td>{}</td><td>no-cache</td><td>{mime}</td><td>msedge:10392</td><td></td><td></td></tr>\r\n",
            x.status,
            x.host(),
            escape_html(x.path()),
            wire.len()
        ),
        client,
        server,
        meta,
    }
}

fn tunnel(rng: &mut Rng, number: u32, x: &Exchange) -> Session {
    let host = x.host();
    let client = format!(
        "CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\nProxy-Connection: keep-alive\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0\r\n\r\n"
    )
    .into_bytes();
    let body = format!(
        "This is a HTTPS CONNECT Tunnel. Secure traffic flows through this connection.\r\n\r\nSecure Protocol: Tls13\r\nCipher: Aes256 256bits\r\nHash Algorithm: None 0bits\r\nKey Exchange: ECDHE_RSA (0xae06) 255bits\r\n\r\n== Server Certificate ==========\r\n[Subject]\r\n  CN={host}\r\n\r\n[Issuer]\r\n  CN=Microsoft Azure RSA TLS Issuing CA 04, O=Microsoft Corporation, C=US\r\n\r\n[Serial Number]\r\n  {}\r\n\r\n[Not Before]\r\n  01.09.2026 02:00:00\r\n\r\n[Not After]\r\n  28.02.2027 01:59:59\r\n\r\n[Thumbprint]\r\n  {}\r\n",
        rng.hex(38).to_uppercase(),
        rng.hex(40).to_uppercase()
    );
    let server = format!(
        "HTTP/1.1 200 Connection Established\r\nFiddlerGateway: Direct\r\nStartTime: {}\r\nConnection: close\r\n\r\n{body}",
        &timestamp(x.started_ms - 40.0, "")[11..23]
    )
    .into_bytes();
    let meta = metadata(rng, number, x, 0, true);
    Session {
        number,
        index_row: format!(
            "<tr><TD><a href='raw\\{{N}}_c.txt'>C</a>&nbsp;<a href='raw\\{{N}}_s.txt'>S</a>&nbsp;<a href='raw\\{{N}}_m.xml'>M</a></TD><td>{number}</td><td>200</td><td>HTTP</td><td>Tunnel to</td><td>{host}:443</td><td>0</td><td></td><td></td><td>msedge:10392</td><td></td><td></td></tr>\r\n"
        ),
        client,
        server,
        meta,
    }
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}

/// Fiddler's `NN_m.xml`: 7-digit fractional seconds and the local offset.
fn metadata(rng: &mut Rng, number: u32, x: &Exchange, body_len: usize, tunnel: bool) -> Vec<u8> {
    let t = x.timings;
    let at = |ms: f64| {
        let base = timestamp(ms, "");
        format!("{}{:04}+01:00", base, (ms.fract() * 10_000.0) as u32)
    };
    let start = x.started_ms - if tunnel { 40.0 } else { 0.0 };
    let sent = start + t.blocked.max(0.0) + t.send;
    let first_byte = sent + t.wait;
    let done = first_byte + t.receive;
    let mut s = format!(
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<Session SID=\"{number}\" BitFlags=\"{}\">\r\n  <SessionTimers ClientConnected=\"{c}\" ClientBeginRequest=\"{c}\" GotRequestHeaders=\"{c}\" ClientDoneRequest=\"{c}\" GatewayTime=\"0\" DNSTime=\"{}\" TCPConnectTime=\"{}\" HTTPSHandshakeTime=\"{}\" ServerConnected=\"{c}\" FiddlerBeginRequest=\"{s}\" ServerGotRequest=\"{s}\" ServerBeginResponse=\"{f}\" GotResponseHeaders=\"{f}\" ServerDoneResponse=\"{d}\" ClientBeginResponse=\"{f}\" ClientDoneResponse=\"{d}\" />\r\n  <PipeInfo{} />\r\n  <SessionFlags>\r\n",
        if tunnel { 1 } else { 0x81 },
        t.dns.max(0.0) as u32,
        t.connect.max(0.0) as u32,
        t.ssl.max(0.0) as u32,
        if tunnel {
            ""
        } else {
            " CltReuse=\"true\" Reused=\"true\""
        },
        c = at(start),
        s = at(sent),
        f = at(first_byte),
        d = at(done),
    );
    let mut flag = |n: &str, v: &str| {
        s.push_str(&format!("    <SessionFlag N=\"{n}\" V=\"{v}\" />\r\n"));
    };
    flag("x-clientip", "127.0.0.1");
    flag("x-clientport", &rng.range(49_152, 65_535).to_string());
    flag("x-processinfo", "msedge:10392");
    flag("x-egressport", &rng.range(49_152, 65_535).to_string());
    flag("x-hostip", x.server_ip);
    if tunnel {
        flag("x-securepipe", "true");
        flag("x-client-tlsversion", "Tls13");
        flag("x-client-sni", x.host());
    } else {
        flag("x-responsebodytransferlength", &body_len.to_string());
        flag("x-https-client-sessionid", &rng.hex(64).to_uppercase());
    }
    s.push_str("  </SessionFlags>\r\n</Session>");
    s.into_bytes()
}

/// A zip bomb in SAZ shape: `sessions` sessions, each a small request and a
/// `200 text/html` response of `body` zero bytes (a type every decoder
/// reads, so the loader would keep it). One response is compressed once
/// and its compressed bytes copied into every session.
pub fn write_bomb(out: &mut dyn Write, sessions: u32, body: usize) -> io::Result<()> {
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(body > u32::MAX as usize)
        .last_modified_time(
            zip::DateTime::from_date_and_time(2026, 11, 20, 11, 48, 2).unwrap_or_default(),
        );
    let mut one = ZipWriter::new(Cursor::new(Vec::new()));
    one.start_file("raw/1_s.txt", opts)
        .map_err(io::Error::other)?;
    one.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n")?;
    let zeros = vec![0u8; 1 << 20];
    let mut left = body;
    while left > 0 {
        let n = left.min(zeros.len());
        one.write_all(&zeros[..n])?;
        left -= n;
    }
    let one = one.finish().map_err(io::Error::other)?.into_inner();
    let mut source = zip::ZipArchive::new(Cursor::new(one)).map_err(io::Error::other)?;
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for n in 1..=sessions {
        zip.start_file(format!("raw/{n}_c.txt"), opts)
            .map_err(io::Error::other)?;
        zip.write_all(
            format!("GET https://app.example/page/{n} HTTP/1.1\r\nHost: app.example\r\n\r\n")
                .as_bytes(),
        )?;
        let file = source.by_index_raw(0).map_err(io::Error::other)?;
        zip.raw_copy_file_rename(file, format!("raw/{n}_s.txt"))
            .map_err(io::Error::other)?;
    }
    out.write_all(&zip.finish().map_err(io::Error::other)?.into_inner())
}
