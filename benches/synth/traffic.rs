//! The traffic model: a browser session on a portal protected by Entra ID,
//! produced as "visits" (a page load with its subresources, an OIDC sign-in,
//! a SAML sign-in), each a list of format-neutral [`Exchange`]s that the HAR
//! and SAZ writers serialize.
//!
//! Invariants: start times only increase; every exchange has a response;
//! headers are stored with HTTP/1.1 names (the HAR writer lower-cases them
//! for HTTP/2, as Chrome shows them); cookies follow per-site jars, so the
//! `Cookie` header grows after a sign-in exactly as a browser's would.

use super::content::{self, Image};
use super::identity::{self, Aadsts, IDP, Tenant};
use super::rng::Rng;

pub const APP: &str = "https://portal.contoso-dev.com";
pub const API: &str = "https://api.contoso-dev.com";
pub const CDN: &str = "https://cdn.contoso-dev.com";
pub const IMG: &str = "https://img.contoso-dev.com";
pub const AADCDN: &str = "https://aadcdn.msftauth.net";
pub const TELEMETRY: &str = "https://browser.events.data.microsoft.com";
pub const SP: &str = "https://hr.fabrikam-apps.com";
const REDIRECT_URI: &str = "https://portal.contoso-dev.com/signin-oidc";
const ACS: &str = "https://hr.fabrikam-apps.com/saml/acs";
const SP_ENTITY: &str = "https://hr.fabrikam-apps.com/saml/metadata";

const UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
const SEC_CH_UA: &str =
    "\"Microsoft Edge\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"";

/// A response or request body.
#[derive(Debug, Clone)]
pub struct Body {
    pub mime: String,
    pub data: Vec<u8>,
    /// Not text: the HAR writer stores it base64.
    pub binary: bool,
}

/// A request body; form posts also carry their decoded-as-written params.
#[derive(Debug, Clone)]
pub struct PostData {
    pub mime: String,
    pub text: String,
    pub params: Vec<(String, String)>,
}

/// Phase timings in ms, -1 where the phase did not happen (HAR convention).
#[derive(Debug, Clone, Copy)]
pub struct Timings {
    pub blocked: f64,
    pub dns: f64,
    pub connect: f64,
    pub ssl: f64,
    pub send: f64,
    pub wait: f64,
    pub receive: f64,
    pub queueing: f64,
}

impl Timings {
    pub fn total(&self) -> f64 {
        [
            self.blocked,
            self.dns,
            self.connect,
            self.send,
            self.wait,
            self.receive,
        ]
        .iter()
        .filter(|t| **t > 0.0)
        .sum()
    }
}

/// One request / response pair, format-neutral.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// Milliseconds since the capture started.
    pub started_ms: f64,
    pub method: &'static str,
    pub url: String,
    pub h2: bool,
    pub req_headers: Vec<(String, String)>,
    pub post: Option<PostData>,
    pub status: u16,
    pub resp_headers: Vec<(String, String)>,
    pub body: Option<Body>,
    pub timings: Timings,
    pub server_ip: &'static str,
    pub resource_type: &'static str,
    pub priority: &'static str,
    /// Chrome's `_initiator`, as JSON.
    pub initiator: String,
    pub page: Option<u32>,
    pub connection: u32,
}

impl Exchange {
    pub fn host(&self) -> &str {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        rest.split(['/', '?']).next().unwrap_or(rest)
    }

    pub fn path(&self) -> &str {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        rest.find('/').map_or("/", |i| &rest[i..])
    }
}

/// A HAR page (one per document navigation).
#[derive(Debug, Clone)]
pub struct Page {
    pub id: u32,
    pub started_ms: f64,
    pub title: String,
    pub on_content_load: f64,
    pub on_load: f64,
}

/// Cookies one site has set, in the order set.
#[derive(Debug, Default)]
struct Jar(Vec<(String, String)>);

impl Jar {
    fn set(&mut self, name: &str, value: String) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name.to_owned(), value)),
        }
    }

    fn remove(&mut self, name: &str) {
        self.0.retain(|(n, _)| n != name);
    }

    fn header(&self) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        Some(
            self.0
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect::<Vec<_>>()
                .join("; "),
        )
    }
}

/// Which fetch context a request comes from (drives `Sec-Fetch-*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dest {
    Document,
    Script,
    Style,
    Image,
    Font,
    Fetch,
}

/// The generator state: clock, tenant, cookie jars, pages so far.
#[derive(Debug)]
pub struct Traffic {
    rng: Rng,
    clock: f64,
    next_conn: u32,
    tenant: Tenant,
    app: Jar,
    idp: Jar,
    sp: Jar,
    pub pages: Vec<Page>,
}

impl Traffic {
    pub fn new(seed: u64) -> Traffic {
        let mut rng = Rng::new(seed);
        let tenant = Tenant::new(&mut rng);
        let mut app = Jar::default();
        app.set("ARRAffinity", rng.hex(64));
        app.set("ARRAffinitySameSite", rng.hex(64));
        app.set(
            "ai_user",
            format!("{}|2026-11-20T08:01:12.114Z", rng.alnum(22)),
        );
        let mut idp = Jar::default();
        idp.set("MicrosoftApplicationsTelemetryDeviceId", rng.guid());
        idp.set(
            "MSFPC",
            format!(
                "GUID={}&HASH={}&LV=202611&V=4&LU=1795590000000",
                rng.hex(32),
                rng.hex(4)
            ),
        );
        Traffic {
            rng,
            clock: 0.0,
            next_conn: 100_000,
            tenant,
            app,
            idp,
            sp: Jar::default(),
            pages: Vec::new(),
        }
    }

    /// The next visit: a page load (most), an OIDC or a SAML sign-in.
    pub fn visit(&mut self) -> Vec<Exchange> {
        self.clock += self.rng.millis(1_500.0, 45_000.0);
        match self.rng.below(100) {
            0..=64 => self.page_load(),
            65..=86 => self.oidc_sign_in(),
            _ => self.saml_sign_in(),
        }
    }

    fn tick(&mut self, lo: f64, hi: f64) {
        self.clock += self.rng.millis(lo, hi);
    }

    fn new_page(&mut self, title: &str) -> u32 {
        let id = u32::try_from(self.pages.len() + 1).unwrap_or(u32::MAX);
        let on_content_load = self.rng.millis(150.0, 1_800.0);
        self.pages.push(Page {
            id,
            started_ms: self.clock,
            title: title.to_owned(),
            on_content_load,
            on_load: on_content_load + self.rng.millis(50.0, 2_500.0),
        });
        id
    }

    fn page_id(&self) -> Option<u32> {
        self.pages.last().map(|p| p.id)
    }

    fn timings(&mut self, new_connection: bool, size: usize) -> Timings {
        let r = &mut self.rng;
        let (dns, connect, ssl) = if new_connection {
            let ssl = r.millis(8.0, 60.0);
            (r.millis(0.5, 40.0), ssl + r.millis(5.0, 40.0), ssl)
        } else {
            (-1.0, -1.0, -1.0)
        };
        let queueing = r.millis(0.2, 12.0);
        Timings {
            blocked: queueing + r.millis(0.1, 3.0),
            dns,
            connect,
            ssl,
            send: r.millis(0.05, 1.2),
            wait: r.millis(12.0, 420.0),
            receive: r.millis(0.3, 4.0) + size as f64 / r.millis(2_000.0, 40_000.0),
            queueing,
        }
    }

    fn request_headers(
        &mut self,
        url: &str,
        dest: Dest,
        referer: Option<&str>,
        cookie: Option<String>,
    ) -> Vec<(String, String)> {
        let mut h: Vec<(String, String)> = Vec::with_capacity(20);
        let mut add = |n: &str, v: &str| h.push((n.to_owned(), v.to_owned()));
        let accept = match dest {
            Dest::Document => {
                "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
            }
            Dest::Style => "text/css,*/*;q=0.1",
            Dest::Image => "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
            Dest::Fetch => "application/json, text/plain, */*",
            Dest::Script | Dest::Font => "*/*",
        };
        add("Accept", accept);
        add("Accept-Encoding", "gzip, deflate, br, zstd");
        add("Accept-Language", "en-US,en;q=0.9,de;q=0.8,fr;q=0.7");
        if dest == Dest::Document {
            add("Cache-Control", "max-age=0");
        }
        if let Some(c) = &cookie {
            add("Cookie", c);
        }
        if matches!(dest, Dest::Fetch | Dest::Font) {
            add("Origin", APP);
        }
        add(
            "Priority",
            match dest {
                Dest::Document => "u=0, i",
                Dest::Style => "u=0",
                Dest::Script | Dest::Fetch => "u=1, i",
                Dest::Image | Dest::Font => "u=2",
            },
        );
        if let Some(r) = referer {
            add("Referer", r);
        }
        add("Sec-Ch-Ua", SEC_CH_UA);
        add("Sec-Ch-Ua-Mobile", "?0");
        add("Sec-Ch-Ua-Platform", "\"Windows\"");
        let (d, mode) = match dest {
            Dest::Document => ("document", "navigate"),
            Dest::Script => ("script", "no-cors"),
            Dest::Style => ("style", "no-cors"),
            Dest::Image => ("image", "no-cors"),
            Dest::Font => ("font", "cors"),
            Dest::Fetch => ("empty", "cors"),
        };
        add("Sec-Fetch-Dest", d);
        add("Sec-Fetch-Mode", mode);
        let same = referer.is_some_and(|r| same_site(r, url));
        add(
            "Sec-Fetch-Site",
            if referer.is_none() {
                "none"
            } else if same {
                "same-origin"
            } else {
                "cross-site"
            },
        );
        if dest == Dest::Document {
            add("Sec-Fetch-User", "?1");
            add("Upgrade-Insecure-Requests", "1");
        }
        add("User-Agent", UA);
        if dest == Dest::Fetch {
            let token = identity::jwt(&mut self.rng, &self.tenant, API, 8);
            h.push(("Authorization".to_owned(), format!("Bearer {token}")));
            h.push((
                "Traceparent".to_owned(),
                format!("00-{}-{}-01", self.rng.hex(32), self.rng.hex(16)),
            ));
            h.push(("X-Ms-Client-Request-Id".to_owned(), self.rng.guid()));
        }
        h
    }

    fn response_headers(
        &mut self,
        status: u16,
        mime: Option<&str>,
        len: usize,
        cacheable: bool,
    ) -> Vec<(String, String)> {
        let r = &mut self.rng;
        let mut h: Vec<(String, String)> = Vec::with_capacity(20);
        let mut add = |n: &str, v: String| h.push((n.to_owned(), v));
        add(
            "Date",
            format!(
                "Fri, 20 Nov 2026 {:02}:{:02}:{:02} GMT",
                8 + r.below(3),
                r.below(60),
                r.below(60)
            ),
        );
        if let Some(m) = mime {
            add("Content-Type", m.to_owned());
            add("Content-Length", len.to_string());
        }
        if cacheable {
            add(
                "Cache-Control",
                "public, max-age=31536000, immutable".to_owned(),
            );
            add("ETag", format!("\"0x8DC{}\"", r.hex(11).to_uppercase()));
            add("Last-Modified", "Tue, 03 Nov 2026 17:21:44 GMT".to_owned());
            add("Age", r.below(90_000).to_string());
            add("X-Cache", "TCP_HIT".to_owned());
            add("Access-Control-Allow-Origin", "*".to_owned());
            add("Timing-Allow-Origin", "*".to_owned());
        } else {
            add("Cache-Control", "no-store, no-cache".to_owned());
            add("Pragma", "no-cache".to_owned());
            add("Expires", "-1".to_owned());
        }
        if mime.is_some_and(|m| {
            m.starts_with("text/") || m.contains("javascript") || m.contains("json")
        }) && status == 200
        {
            add("Content-Encoding", "br".to_owned());
            add("Vary", "Accept-Encoding".to_owned());
        }
        add(
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains".to_owned(),
        );
        add("X-Content-Type-Options", "nosniff".to_owned());
        add("X-Ms-Request-Id", r.guid());
        add("Alt-Svc", "h3=\":443\"; ma=86400".to_owned());
        if r.chance(40) {
            add(
                "Report-To",
                format!(
                    "{{\"group\":\"network-errors\",\"max_age\":604800,\"endpoints\":[{{\"url\":\"https://identity.nel.measure.office.net/api/report?catId=GW+estsfd+{}\"}}]}}",
                    r.alnum(4)
                ),
            );
            add("Nel", "{\"report_to\":\"network-errors\",\"max_age\":604800,\"success_fraction\":0.001,\"failure_fraction\":1.0}".to_owned());
        }
        if mime.is_some_and(|m| m.starts_with("text/html")) {
            add(
                "Content-Security-Policy",
                format!(
                    "script-src 'self' 'nonce-{}' 'unsafe-eval' https://aadcdn.msftauth.net https://*.contoso-dev.com; object-src 'none'; base-uri 'self'; report-uri https://csp.contoso-dev.com/report",
                    r.b64url(22)
                ),
            );
            add("X-Frame-Options", "DENY".to_owned());
        }
        add("Server", "Microsoft-IIS/10.0".to_owned());
        h
    }

    #[allow(clippy::too_many_arguments)]
    fn exchange(
        &mut self,
        method: &'static str,
        url: String,
        dest: Dest,
        referer: Option<&str>,
        status: u16,
        body: Option<Body>,
        resource_type: &'static str,
        initiator: String,
    ) -> Exchange {
        let cookie = self.jar_for(&url).header();
        let req_headers = self.request_headers(&url, dest, referer, cookie);
        let cacheable = matches!(dest, Dest::Script | Dest::Style | Dest::Image | Dest::Font);
        let len = body.as_ref().map_or(0, |b| b.data.len());
        let resp_headers = self.response_headers(
            status,
            body.as_ref().map(|b| b.mime.as_str()),
            len,
            cacheable,
        );
        let new_connection = self.rng.chance(15);
        if new_connection {
            self.next_conn += self.rng.range(1, 40) as u32;
        }
        let timings = self.timings(new_connection, len);
        let server_ip = self.rng.pick(&[
            "20.190.151.7",
            "40.126.23.145",
            "13.107.246.41",
            "104.18.32.7",
            "151.101.1.69",
            "2603:1036:3000:1c8::2",
        ]);
        Exchange {
            started_ms: self.clock,
            method,
            url,
            h2: !self.rng.chance(8),
            req_headers,
            post: None,
            status,
            resp_headers,
            body,
            timings,
            server_ip,
            resource_type,
            priority: match dest {
                Dest::Document => "VeryHigh",
                Dest::Style => "VeryHigh",
                Dest::Script | Dest::Fetch => "High",
                Dest::Image | Dest::Font => "Low",
            },
            initiator,
            page: self.page_id(),
            connection: self.next_conn,
        }
    }

    fn jar_for(&self, url: &str) -> &Jar {
        if url.starts_with(IDP) {
            &self.idp
        } else if url.starts_with(SP) {
            &self.sp
        } else if url.starts_with(APP) {
            &self.app
        } else {
            static EMPTY: Jar = Jar(Vec::new());
            &EMPTY
        }
    }

    fn set_cookie(
        &mut self,
        x: &mut Exchange,
        site: Site,
        name: &str,
        value: String,
        same_site_none: bool,
    ) {
        let header = format!(
            "{name}={value}; expires=Sun, 20-Dec-2026 09:12:04 GMT; path=/; secure; HttpOnly{}",
            if same_site_none {
                "; SameSite=None"
            } else {
                "; SameSite=Lax"
            }
        );
        x.resp_headers.push(("Set-Cookie".to_owned(), header));
        match site {
            Site::App => self.app.set(name, value),
            Site::Idp => self.idp.set(name, value),
            Site::Sp => self.sp.set(name, value),
        }
    }

    fn other(&self) -> String {
        "{\"type\":\"other\"}".to_owned()
    }

    fn parser(&mut self, url: &str) -> String {
        format!(
            "{{\"type\":\"parser\",\"url\":\"{url}\",\"lineNumber\":{}}}",
            self.rng.range(1, 400)
        )
    }

    fn script(&mut self, script_url: &str) -> String {
        let frames = |rng: &mut Rng, n: usize| {
            (0..n)
                .map(|_| {
                    format!(
                        "{{\"functionName\":\"{}\",\"scriptId\":\"{}\",\"url\":\"{script_url}\",\"lineNumber\":{},\"columnNumber\":{}}}",
                        rng.pick(&["", "e", "fetchJson", "n.request", "Promise.then", "dispatch", "onClick", "loadResource"]),
                        rng.range(10, 999),
                        rng.below(3),
                        rng.below(200_000)
                    )
                })
                .collect::<Vec<_>>()
                .join(",")
        };
        let n = self.rng.range(2, 12);
        let top = frames(&mut self.rng, n);
        if self.rng.chance(50) {
            let m = self.rng.range(2, 8);
            let parent = frames(&mut self.rng, m);
            format!(
                "{{\"type\":\"script\",\"stack\":{{\"callFrames\":[{top}],\"parent\":{{\"description\":\"await\",\"callFrames\":[{parent}]}}}}}}"
            )
        } else {
            format!("{{\"type\":\"script\",\"stack\":{{\"callFrames\":[{top}]}}}}")
        }
    }

    fn text_body(mime: &str, text: String) -> Option<Body> {
        Some(Body {
            mime: mime.to_owned(),
            data: text.into_bytes(),
            binary: false,
        })
    }

    /// A document, its styles, scripts, fonts, images, API calls and beacons.
    fn page_load(&mut self) -> Vec<Exchange> {
        let section = self.rng.pick(&[
            "dashboard",
            "projects",
            "reports/quarterly",
            "settings/profile",
            "invoices",
            "teams",
        ]);
        let doc_url = format!("{APP}/{section}?view={}", self.rng.alnum(6));
        let title = format!("Contoso Portal – {section}");
        self.new_page(&title);
        let mut out = Vec::new();
        let size = self.rng.range(25_000, 100_000);
        let html = content::html_page(&mut self.rng, &title, size);
        let init = self.other();
        out.push(self.exchange(
            "GET",
            doc_url.clone(),
            Dest::Document,
            Some(APP),
            200,
            Self::text_body("text/html; charset=utf-8", html),
            "document",
            init,
        ));
        let mut scripts = Vec::new();
        for _ in 0..self.rng.range(1, 2) {
            self.tick(5.0, 60.0);
            let url = format!("{CDN}/css/site.{}.css", self.rng.hex(8));
            let size = self.rng.range(8_000, 50_000);
            let body = Self::text_body("text/css", content::css(&mut self.rng, size));
            let init = self.parser(&doc_url);
            out.push(self.exchange(
                "GET",
                url,
                Dest::Style,
                Some(&doc_url),
                200,
                body,
                "stylesheet",
                init,
            ));
        }
        for _ in 0..self.rng.range(2, 4) {
            self.tick(2.0, 40.0);
            let url = format!(
                "{CDN}/js/chunk-{}.{}.js",
                self.rng.alnum(6),
                self.rng.hex(8)
            );
            if self.rng.chance(30) {
                let init = self.parser(&doc_url);
                out.push(self.exchange(
                    "GET",
                    url.clone(),
                    Dest::Script,
                    Some(&doc_url),
                    304,
                    None,
                    "script",
                    init,
                ));
            } else {
                let size = self.rng.range(10_000, 90_000);
                let body = Self::text_body(
                    "application/javascript",
                    content::javascript(&mut self.rng, size),
                );
                let init = self.parser(&doc_url);
                out.push(self.exchange(
                    "GET",
                    url.clone(),
                    Dest::Script,
                    Some(&doc_url),
                    200,
                    body,
                    "script",
                    init,
                ));
            }
            scripts.push(url);
        }
        for _ in 0..self.rng.range(0, 2) {
            self.tick(2.0, 30.0);
            let url = format!("{CDN}/fonts/segoe-ui-{}.woff2", self.rng.alnum(5));
            let size = self.rng.range(12_000, 40_000);
            let body = content::image(&mut self.rng, Image::Woff2, size);
            let init = self.parser(&doc_url);
            out.push(self.exchange(
                "GET",
                url,
                Dest::Font,
                Some(&doc_url),
                200,
                binary(Image::Woff2, body),
                "font",
                init,
            ));
        }
        for _ in 0..self.rng.range(4, 14) {
            self.tick(1.0, 50.0);
            let kind = *self.rng.pick(&[
                &Image::Png,
                &Image::Jpeg,
                &Image::Webp,
                &Image::Png,
                &Image::Ico,
            ]);
            if self.rng.chance(15) {
                let url = format!("{IMG}/icons/{}.svg", self.rng.alnum(8));
                let size = self.rng.range(600, 6_000);
                let body = Self::text_body("image/svg+xml", content::svg(&mut self.rng, size));
                let init = self.parser(&doc_url);
                out.push(self.exchange(
                    "GET",
                    url,
                    Dest::Image,
                    Some(&doc_url),
                    200,
                    body,
                    "image",
                    init,
                ));
                continue;
            }
            let url = format!("{IMG}/assets/{}.{}", self.rng.hex(16), kind.ext());
            let size = if self.rng.chance(70) {
                self.rng.range(300, 8_000)
            } else {
                self.rng.range(20_000, 90_000)
            };
            let data = content::image(&mut self.rng, kind, size);
            let init = self.parser(&doc_url);
            out.push(self.exchange(
                "GET",
                url,
                Dest::Image,
                Some(&doc_url),
                200,
                binary(kind, data),
                "image",
                init,
            ));
        }
        let script = scripts.first().cloned().unwrap_or_else(|| doc_url.clone());
        for _ in 0..self.rng.range(5, 16) {
            self.tick(20.0, 400.0);
            let url = format!(
                "{API}/v1/{}?$top={}&$skip={}&$filter={}",
                self.rng
                    .pick(&["items", "projects", "me/tasks", "reports", "notifications"]),
                self.rng.range(10, 100),
                self.rng.below(500),
                identity::urlencode(&format!("owner eq '{}'", self.tenant.user_oid))
            );
            let status = *self.rng.pick(&[&200u16, &200, &200, &200, &304, &204]);
            let body = if status == 200 {
                let size = self.rng.range(300, 14_000);
                Self::text_body(
                    "application/json; charset=utf-8",
                    content::json_api(&mut self.rng, size),
                )
            } else {
                None
            };
            let init = self.script(&script);
            out.push(self.exchange(
                "GET",
                url,
                Dest::Fetch,
                Some(&doc_url),
                status,
                body,
                "fetch",
                init,
            ));
        }
        for _ in 0..self.rng.range(2, 5) {
            self.tick(50.0, 900.0);
            let url = format!(
                "{TELEMETRY}/OneCollector/1.0/?cors=true&content-type=application/x-json-stream&client-id=NO_AUTH&client-version=1DS-Web-JS-3.2.13&apikey={}&upload-time=1795590{}&w=0",
                self.rng.hex(32),
                self.rng.range(100_000, 999_999)
            );
            let init = self.script(&script);
            let mut x = self.exchange(
                "POST",
                url,
                Dest::Fetch,
                Some(&doc_url),
                204,
                None,
                "ping",
                init,
            );
            let events: Vec<String> = (0..self.rng.range(1, 6))
                .map(|_| content::json_object(&mut self.rng, 14))
                .collect();
            x.post = Some(PostData {
                mime: "application/x-json-stream".to_owned(),
                text: events.join("\n"),
                params: Vec::new(),
            });
            out.push(x);
        }
        out
    }

    /// ESTS static assets for the login page; mostly revalidated or cached.
    fn aad_statics(&mut self, referer: &str, out: &mut Vec<Exchange>) {
        for name in [
            "converged.v2.login.min",
            "ConvergedLogin_PCore",
            "ux.converged.login.strings-en",
        ] {
            self.tick(5.0, 60.0);
            let url = format!(
                "{AADCDN}/shared/1.0/content/js/{name}_{}.js",
                self.rng.b64url(22)
            );
            let init = self.parser(referer);
            if self.rng.chance(70) {
                out.push(self.exchange(
                    "GET",
                    url,
                    Dest::Script,
                    Some(referer),
                    304,
                    None,
                    "script",
                    init,
                ));
            } else {
                let size = self.rng.range(40_000, 160_000);
                let body = Self::text_body(
                    "application/javascript",
                    content::javascript(&mut self.rng, size),
                );
                out.push(self.exchange(
                    "GET",
                    url,
                    Dest::Script,
                    Some(referer),
                    200,
                    body,
                    "script",
                    init,
                ));
            }
        }
        self.tick(5.0, 60.0);
        let url = format!(
            "{AADCDN}/shared/1.0/content/images/backgrounds/2_{}.svg",
            self.rng.hex(8)
        );
        let size = self.rng.range(2_000, 12_000);
        let body = Self::text_body("image/svg+xml", content::svg(&mut self.rng, size));
        let init = self.parser(referer);
        out.push(self.exchange(
            "GET",
            url,
            Dest::Image,
            Some(referer),
            200,
            body,
            "image",
            init,
        ));
        let url = format!(
            "{AADCDN}/ests/2.1/content/cdnbundles/illustration_{}.jpg",
            self.rng.hex(8)
        );
        let size = self.rng.range(20_000, 70_000);
        let data = content::image(&mut self.rng, Image::Jpeg, size);
        let init = self.parser(referer);
        out.push(self.exchange(
            "GET",
            url,
            Dest::Image,
            Some(referer),
            200,
            binary(Image::Jpeg, data),
            "image",
            init,
        ));
    }

    fn redirect(&mut self, x: &mut Exchange, location: &str) {
        x.resp_headers
            .push(("Location".to_owned(), location.to_owned()));
    }

    fn form_post(
        &mut self,
        url: String,
        referer: &str,
        fields: Vec<(&str, String)>,
        status: u16,
        body: Option<Body>,
    ) -> Exchange {
        let init = self.other();
        let mut x = self.exchange(
            "POST",
            url,
            Dest::Document,
            Some(referer),
            status,
            body,
            "document",
            init,
        );
        let text = identity::form_encode(&fields);
        let params = text
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect();
        x.req_headers.push((
            "Content-Type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        ));
        x.req_headers
            .push(("Content-Length".to_owned(), text.len().to_string()));
        x.req_headers
            .push(("Origin".to_owned(), origin(referer).to_owned()));
        x.post = Some(PostData {
            mime: "application/x-www-form-urlencoded".to_owned(),
            text,
            params,
        });
        x
    }

    /// The user's credentials and KMSI answer, posted to ESTS.
    fn ests_login(&mut self, referer: &str, out: &mut Vec<Exchange>) {
        self.tick(2_000.0, 9_000.0);
        let url = format!("{IDP}/common/GetCredentialType?mkt=en-US");
        let init = self.script(&format!(
            "{AADCDN}/shared/1.0/content/js/converged.v2.login.min.js"
        ));
        let body = Self::text_body(
            "application/json; charset=utf-8",
            format!(
                "{{\"Username\":\"{}\",\"Display\":\"{}\",\"IfExistsResult\":0,\"IsUnmanaged\":false,\"ThrottleStatus\":0,\"Credentials\":{{\"PrefCredential\":1,\"HasPassword\":true,\"RemoteNgcParams\":null,\"FidoParams\":null,\"SasParams\":null,\"CertAuthParams\":null,\"GoogleParams\":null,\"FacebookParams\":null}},\"EstsProperties\":{{\"UserTenantBranding\":null,\"DomainType\":3}},\"FlowToken\":\"{}\",\"IsSignupDisallowed\":true,\"apiCanary\":\"{}\"}}",
                self.tenant.upn,
                self.tenant.upn,
                self.rng.b64url(1100),
                self.rng.b64url(280)
            ),
        );
        let mut x = self.exchange(
            "POST",
            url,
            Dest::Fetch,
            Some(referer),
            200,
            body,
            "xhr",
            init,
        );
        x.post = Some(PostData {
            mime: "application/json; charset=UTF-8".to_owned(),
            text: format!(
                "{{\"username\":\"{}\",\"isOtherIdpSupported\":true,\"checkPhones\":false,\"isRemoteNGCSupported\":true,\"isCookieBannerShown\":false,\"isFidoSupported\":true,\"originalRequest\":\"{}\",\"country\":\"DE\",\"forceotclogin\":false,\"flowToken\":\"{}\"}}",
                self.tenant.upn,
                self.rng.b64url(900),
                self.rng.b64url(1100)
            ),
            params: Vec::new(),
        });
        out.push(x);
        self.tick(3_000.0, 12_000.0);
        let fields = vec![
            ("i13", "0".to_owned()),
            ("login", self.tenant.upn.clone()),
            ("loginfmt", self.tenant.upn.clone()),
            ("type", "11".to_owned()),
            ("LoginOptions", "3".to_owned()),
            ("passwd", format!("Winter{}!", self.rng.range(2020, 2026))),
            ("ps", "2".to_owned()),
            ("canary", self.rng.b64url(280)),
            ("ctx", self.rng.b64url_between(700, 1400)),
            ("hpgrequestid", self.rng.guid()),
            ("flowToken", self.rng.b64url_between(900, 1500)),
            ("NewUser", "1".to_owned()),
            ("fspost", "0".to_owned()),
            ("i21", "0".to_owned()),
            ("CookieDisambiguation", "0".to_owned()),
            ("i19", self.rng.range(5_000, 40_000).to_string()),
        ];
        let page = identity::login_page(&mut self.rng, &self.tenant, None);
        let url = format!("{IDP}/{}/login", self.tenant.id);
        let mut x = self.form_post(
            url,
            referer,
            fields,
            200,
            Self::text_body("text/html; charset=utf-8", page),
        );
        let value = self.rng.b64url(420);
        self.set_cookie(&mut x, Site::Idp, "ESTSAUTH", value, true);
        let value = format!("+{}", self.rng.guid());
        self.set_cookie(&mut x, Site::Idp, "ESTSAUTHLIGHT", value, true);
        out.push(x);
    }

    /// App → /authorize → login (or SSO, or an AADSTS error) → form_post → app.
    fn oidc_sign_in(&mut self) -> Vec<Exchange> {
        let mut out = Vec::new();
        self.new_page("Sign in to your account");
        let start = format!("{APP}/projects/{}", self.rng.guid());
        let authorize = identity::authorize_url(&mut self.rng, &self.tenant, REDIRECT_URI, true);
        let state = authorize
            .split("&state=")
            .nth(1)
            .and_then(|s| s.split('&').next())
            .unwrap_or("")
            .to_owned();
        let init = self.other();
        let mut x = self.exchange(
            "GET",
            start.clone(),
            Dest::Document,
            None,
            302,
            None,
            "document",
            init,
        );
        self.redirect(&mut x, &authorize);
        let nonce_name = format!(".AspNetCore.OpenIdConnect.Nonce.{}", self.rng.b64url(86));
        self.set_cookie(&mut x, Site::App, &nonce_name, "N".to_owned(), true);
        let corr_name = format!(".AspNetCore.Correlation.{}", self.rng.b64url(43));
        self.set_cookie(&mut x, Site::App, &corr_name, "N".to_owned(), true);
        out.push(x);
        self.tick(30.0, 300.0);
        let roll = self.rng.below(100);
        let init = self.other();
        if roll < 12 {
            // AADSTS error: back to the app with error parameters, or shown on the login page.
            let e: Aadsts = *self.rng.pick(&identity::AADSTS.iter().collect::<Vec<_>>());
            if self.rng.chance(50) {
                let loc = identity::error_redirect(&mut self.rng, REDIRECT_URI, &e);
                let mut x = self.exchange(
                    "GET",
                    authorize.clone(),
                    Dest::Document,
                    Some(APP),
                    302,
                    None,
                    "document",
                    init,
                );
                self.redirect(&mut x, &loc);
                out.push(x);
                self.tick(30.0, 300.0);
                let size = self.rng.range(3_000, 9_000);
                let page = content::html_page(&mut self.rng, "Error - Contoso Portal", size);
                let init = self.other();
                out.push(self.exchange(
                    "GET",
                    loc,
                    Dest::Document,
                    Some(IDP),
                    500,
                    Self::text_body("text/html; charset=utf-8", page),
                    "document",
                    init,
                ));
            } else {
                let page = identity::login_page(&mut self.rng, &self.tenant, Some(&e));
                out.push(self.exchange(
                    "GET",
                    authorize.clone(),
                    Dest::Document,
                    Some(APP),
                    200,
                    Self::text_body("text/html; charset=utf-8", page),
                    "document",
                    init,
                ));
                self.aad_statics(&authorize, &mut out);
            }
            return out;
        }
        let sso = roll >= 85;
        if !sso {
            let page = identity::login_page(&mut self.rng, &self.tenant, None);
            let mut x = self.exchange(
                "GET",
                authorize.clone(),
                Dest::Document,
                Some(APP),
                200,
                Self::text_body("text/html; charset=utf-8", page),
                "document",
                init,
            );
            let value = self.rng.b64url(140);
            self.set_cookie(&mut x, Site::Idp, "buid", value, true);
            let value = self.rng.b64url(60);
            self.set_cookie(&mut x, Site::Idp, "fpc", value, true);
            let value = self.rng.b64url(300);
            self.set_cookie(&mut x, Site::Idp, "esctx", value, true);
            self.set_cookie(
                &mut x,
                Site::Idp,
                "x-ms-gateway-slice",
                "estsfd".to_owned(),
                true,
            );
            self.set_cookie(
                &mut x,
                Site::Idp,
                "stsservicecookie",
                "estsfd".to_owned(),
                true,
            );
            out.push(x);
            self.aad_statics(&authorize, &mut out);
            self.ests_login(&authorize, &mut out);
        }
        // The form_post page (after KMSI, or straight away with SSO).
        self.tick(500.0, 4_000.0);
        let code = format!("1.AXoA{}", self.rng.b64url_between(700, 1100));
        let groups = self.rng.range(10, 90);
        let id_token = identity::jwt(
            &mut self.rng,
            &self.tenant,
            &self.tenant.client_id.clone(),
            groups,
        );
        let fields = vec![
            ("code", code),
            ("id_token", id_token),
            ("state", state),
            ("session_state", self.rng.guid()),
        ];
        let page = identity::form_post_page(REDIRECT_URI, &fields);
        let body = Self::text_body("text/html; charset=utf-8", page);
        let mut x = if sso {
            let init = self.other();
            self.exchange(
                "GET",
                authorize.clone(),
                Dest::Document,
                Some(APP),
                200,
                body,
                "document",
                init,
            )
        } else {
            let kmsi = vec![
                ("LoginOptions", "1".to_owned()),
                ("type", "28".to_owned()),
                ("ctx", self.rng.b64url_between(700, 1400)),
                ("hpgrequestid", self.rng.guid()),
                ("flowToken", self.rng.b64url_between(900, 1500)),
                ("canary", self.rng.b64url(280)),
                ("i19", self.rng.range(1_000, 9_000).to_string()),
            ];
            self.form_post(
                format!("{IDP}/kmsi"),
                &format!("{IDP}/{}/login", self.tenant.id),
                kmsi,
                200,
                body,
            )
        };
        let value = self.rng.b64url_between(1_200, 1_600);
        self.set_cookie(&mut x, Site::Idp, "ESTSAUTHPERSISTENT", value, true);
        self.set_cookie(&mut x, Site::Idp, "ESTSSC", "00".to_owned(), true);
        let value = self.rng.b64url(480);
        self.set_cookie(&mut x, Site::Idp, "CCState", value, true);
        out.push(x);
        // The callback: the app validates the id_token and sets its session.
        self.tick(30.0, 300.0);
        let mut x = self.form_post(REDIRECT_URI.to_owned(), IDP, fields, 302, None);
        self.redirect(&mut x, &start);
        self.app.remove(&nonce_name);
        self.app.remove(&corr_name);
        self.set_cookie(
            &mut x,
            Site::App,
            ".AspNetCore.Cookies",
            "chunks-2".to_owned(),
            false,
        );
        let value = self.rng.b64url(3_900);
        self.set_cookie(&mut x, Site::App, ".AspNetCore.CookiesC1", value, false);
        let value = self.rng.b64url_between(400, 2_400);
        self.set_cookie(&mut x, Site::App, ".AspNetCore.CookiesC2", value, false);
        out.push(x);
        self.tick(30.0, 300.0);
        let size = self.rng.range(30_000, 90_000);
        let page = content::html_page(&mut self.rng, "Contoso Portal – project", size);
        let init = self.other();
        out.push(self.exchange(
            "GET",
            start,
            Dest::Document,
            Some(IDP),
            200,
            Self::text_body("text/html; charset=utf-8", page),
            "document",
            init,
        ));
        out
    }

    /// SP → saml2 (Redirect binding) → login or SSO → POST binding → ACS.
    fn saml_sign_in(&mut self) -> Vec<Exchange> {
        let mut out = Vec::new();
        self.new_page("HR – Fabrikam");
        let start = format!("{SP}/app/home?tab={}", self.rng.alnum(5));
        let relay = identity::urlencode(&format!("{start}#{}", self.rng.b64url(60)));
        let request = identity::saml_request(&mut self.rng, SP_ENTITY, ACS);
        let mut sig = Vec::new();
        self.rng.fill(&mut sig, 256);
        let location = format!(
            "{IDP}/{}/saml2?SAMLRequest={}&RelayState={relay}&SigAlg={}&Signature={}",
            self.tenant.id,
            identity::urlencode(&request),
            identity::urlencode("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"),
            identity::urlencode(&base64_std(&sig))
        );
        let init = self.other();
        let mut x = self.exchange(
            "GET",
            start.clone(),
            Dest::Document,
            None,
            302,
            None,
            "document",
            init,
        );
        self.redirect(&mut x, &location);
        let value = self.rng.hex(32).to_uppercase();
        self.set_cookie(&mut x, Site::Sp, "JSESSIONID", value, false);
        out.push(x);
        self.tick(30.0, 300.0);
        let init = self.other();
        if self.rng.chance(8) {
            let e = identity::AADSTS[1];
            let page = identity::login_page(&mut self.rng, &self.tenant, Some(&e));
            out.push(self.exchange(
                "GET",
                location,
                Dest::Document,
                Some(SP),
                200,
                Self::text_body("text/html; charset=utf-8", page),
                "document",
                init,
            ));
            return out;
        }
        let sso = self.rng.chance(40);
        let response = identity::saml_response(&mut self.rng, &self.tenant, SP_ENTITY, ACS);
        let fields = vec![
            ("SAMLResponse", response),
            ("RelayState", identity::urlencode(&start)),
        ];
        let page = Self::text_body(
            "text/html; charset=utf-8",
            identity::form_post_page(ACS, &fields),
        );
        if sso {
            out.push(self.exchange(
                "GET",
                location,
                Dest::Document,
                Some(SP),
                200,
                page,
                "document",
                init,
            ));
        } else {
            let login = identity::login_page(&mut self.rng, &self.tenant, None);
            out.push(self.exchange(
                "GET",
                location.clone(),
                Dest::Document,
                Some(SP),
                200,
                Self::text_body("text/html; charset=utf-8", login),
                "document",
                init,
            ));
            self.aad_statics(&location, &mut out);
            self.ests_login(&location, &mut out);
            self.tick(500.0, 3_000.0);
            let kmsi = vec![
                ("LoginOptions", "1".to_owned()),
                ("type", "28".to_owned()),
                ("ctx", self.rng.b64url_between(700, 1400)),
                ("flowToken", self.rng.b64url_between(900, 1500)),
                ("canary", self.rng.b64url(280)),
            ];
            let x = self.form_post(format!("{IDP}/kmsi"), &location, kmsi, 200, page);
            out.push(x);
        }
        self.tick(30.0, 300.0);
        let failed = self.rng.chance(10);
        let (status, body) = if failed {
            let size = self.rng.range(2_000, 6_000);
            (
                403,
                Self::text_body(
                    "text/html; charset=utf-8",
                    content::html_page(
                        &mut self.rng,
                        "Invalid SAML response: audience mismatch",
                        size,
                    ),
                ),
            )
        } else {
            (302, None)
        };
        let mut x = self.form_post(ACS.to_owned(), IDP, fields, status, body);
        if !failed {
            self.redirect(&mut x, &start);
            let value = self.rng.b64url(48);
            self.set_cookie(&mut x, Site::Sp, "SESSION", value, false);
            out.push(x);
            self.tick(30.0, 300.0);
            let size = self.rng.range(20_000, 70_000);
            let page = content::html_page(&mut self.rng, "HR – Fabrikam", size);
            let init = self.other();
            out.push(self.exchange(
                "GET",
                start,
                Dest::Document,
                Some(IDP),
                200,
                Self::text_body("text/html; charset=utf-8", page),
                "document",
                init,
            ));
        } else {
            out.push(x);
        }
        out
    }
}

impl Traffic {
    /// One block of the identity-heavy mix: 80 exchanges, of which 8
    /// `/authorize` redirects (with their IdP answer and the callback),
    /// 11 token-endpoint responses, 1 SAML POST to the ACS and 40 API calls
    /// with a bearer JWT, plus 4 scripts. 250 blocks make the issue's
    /// 20,000-entry capture (2,000 / 2,750 / 250 / 10,000).
    pub fn identity_block(&mut self) -> Vec<Exchange> {
        let mut out = Vec::with_capacity(80);
        self.clock += self.rng.millis(500.0, 5_000.0);
        self.new_page("Contoso Portal");
        for _ in 0..8 {
            self.authorize_flow(&mut out);
        }
        for _ in 0..11 {
            self.token_call(&mut out);
        }
        self.saml_post(&mut out);
        for _ in 0..40 {
            self.tick(5.0, 200.0);
            let url = format!("{API}/v1/items/{}?expand=owner", self.rng.guid());
            let size = self.rng.range(300, 2_500);
            let body = Self::text_body(
                "application/json; charset=utf-8",
                content::json_api(&mut self.rng, size),
            );
            let init = self.other();
            out.push(self.exchange("GET", url, Dest::Fetch, Some(APP), 200, body, "fetch", init));
        }
        for _ in 0..4 {
            self.tick(5.0, 50.0);
            let url = format!("{CDN}/js/chunk-{}.js", self.rng.hex(8));
            let size = self.rng.range(500, 3_000);
            let body = Self::text_body(
                "application/javascript",
                content::javascript(&mut self.rng, size),
            );
            let init = self.other();
            out.push(self.exchange(
                "GET",
                url,
                Dest::Script,
                Some(APP),
                200,
                body,
                "script",
                init,
            ));
        }
        out
    }

    /// App 302 → `/authorize` (query response mode) → 302 back with `code`
    /// and `state` → the callback's 302 to the page.
    fn authorize_flow(&mut self, out: &mut Vec<Exchange>) {
        self.tick(50.0, 2_000.0);
        let start = format!("{APP}/projects/{}", self.rng.guid());
        let authorize = identity::authorize_url(&mut self.rng, &self.tenant, REDIRECT_URI, false);
        let state = authorize
            .split("&state=")
            .nth(1)
            .and_then(|s| s.split('&').next())
            .unwrap_or("")
            .to_owned();
        let init = self.other();
        let mut x = self.exchange(
            "GET",
            start.clone(),
            Dest::Document,
            None,
            302,
            None,
            "document",
            init,
        );
        self.redirect(&mut x, &authorize);
        out.push(x);
        self.tick(30.0, 300.0);
        let callback = format!(
            "{REDIRECT_URI}?code=1.AXoA{}&state={state}&session_state={}",
            self.rng.b64url_between(500, 800),
            self.rng.guid()
        );
        let init = self.other();
        let mut x = self.exchange(
            "GET",
            authorize,
            Dest::Document,
            Some(APP),
            302,
            None,
            "document",
            init,
        );
        self.redirect(&mut x, &callback);
        out.push(x);
        self.tick(30.0, 300.0);
        let init = self.other();
        let mut x = self.exchange(
            "GET",
            callback,
            Dest::Document,
            Some(IDP),
            302,
            None,
            "document",
            init,
        );
        self.redirect(&mut x, &start);
        out.push(x);
    }

    /// A code redemption at the token endpoint, answered with tokens.
    fn token_call(&mut self, out: &mut Vec<Exchange>) {
        self.tick(20.0, 400.0);
        let access = identity::jwt(&mut self.rng, &self.tenant, API, 12);
        let client = self.tenant.client_id.clone();
        let id = identity::jwt(&mut self.rng, &self.tenant, &client, 4);
        let body = format!(
            "{{\"token_type\":\"Bearer\",\"scope\":\"openid profile offline_access https://graph.microsoft.com/User.Read\",\"expires_in\":{},\"ext_expires_in\":{},\"access_token\":\"{access}\",\"refresh_token\":\"1.AXoA{}\",\"id_token\":\"{id}\"}}",
            self.rng.range(3_000, 5_000),
            self.rng.range(3_000, 5_000),
            self.rng.b64url_between(700, 1_100)
        );
        let url = format!("{IDP}/{}/oauth2/v2.0/token", self.tenant.id);
        let init = self.other();
        let mut x = self.exchange(
            "POST",
            url,
            Dest::Fetch,
            Some(APP),
            200,
            Self::text_body("application/json; charset=utf-8", body),
            "fetch",
            init,
        );
        let fields = vec![
            ("client_id", client),
            ("grant_type", "authorization_code".to_owned()),
            (
                "code",
                format!("1.AXoA{}", self.rng.b64url_between(500, 800)),
            ),
            ("redirect_uri", REDIRECT_URI.to_owned()),
            ("code_verifier", self.rng.b64url(43)),
        ];
        let text = identity::form_encode(&fields);
        let params = text
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect();
        x.req_headers.push((
            "Content-Type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        ));
        x.post = Some(PostData {
            mime: "application/x-www-form-urlencoded".to_owned(),
            text,
            params,
        });
        out.push(x);
    }

    /// A SAML Response posted to the SP's ACS, answered with a redirect.
    fn saml_post(&mut self, out: &mut Vec<Exchange>) {
        self.tick(100.0, 1_000.0);
        let start = format!("{SP}/app/home?tab={}", self.rng.alnum(5));
        let response = identity::saml_response(&mut self.rng, &self.tenant, SP_ENTITY, ACS);
        let fields = vec![
            ("SAMLResponse", response),
            ("RelayState", identity::urlencode(&start)),
        ];
        let mut x = self.form_post(ACS.to_owned(), IDP, fields, 302, None);
        self.redirect(&mut x, &start);
        out.push(x);
    }
}

#[derive(Debug, Clone, Copy)]
enum Site {
    App,
    Idp,
    Sp,
}

fn binary(kind: Image, data: Vec<u8>) -> Option<Body> {
    Some(Body {
        mime: kind.mime().to_owned(),
        data,
        binary: true,
    })
}

fn base64_std(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn origin(url: &str) -> &str {
    let rest = url.split_once("://").map_or(0, |(s, _)| s.len() + 3);
    match url[rest..].find('/') {
        Some(i) => &url[..rest + i],
        None => url,
    }
}

fn same_site(a: &str, b: &str) -> bool {
    origin(a) == origin(b)
}

/// HTTP reason phrases for the statuses the model uses.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        302 => "Found",
        304 => "Not Modified",
        403 => "Forbidden",
        500 => "Internal Server Error",
        _ => "",
    }
}
