//! `--format html` end to end: every sample's report shows the parties and
//! the break step; the page fetches nothing; capture values pushed through a
//! header, a URL parameter, a cookie, a SAML attribute and a page title come
//! out escaped; secrets stay masked; a capture of thousands of entries stays
//! a reasonable size; snapshots pin the HTML of a few samples; and a real
//! headless Chromium renders every report with JavaScript on and off,
//! without console errors, writing a screenshot per sample under
//! `target/tmp/html-reports/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use serde_json::{Value, json};

use crate::common::{bin, root};

// ---------------------------------------------------------------------------
// Helpers

/// Every sample capture under `traces/`, sorted.
fn samples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("traces"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "har" || x == "saz"))
        .collect();
    v.sort();
    v
}

/// The HTML report of a capture, by the binary (`traces/x.har` relative to
/// the project root, so the page names it the same on every machine).
fn report(rel: &str, extra: &[&str]) -> String {
    let out = bin()
        .current_dir(root())
        .arg(rel)
        .args(["--format", "html"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{rel}: exit {:?}, stderr {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The verdict as JSON (status, entry, summary).
fn verdict(rel: &str) -> Value {
    let out = bin()
        .current_dir(root())
        .arg(rel)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["verdict"].clone()
}

/// The part of the page between `<section id="diagram">` and its end.
fn diagram(html: &str) -> &str {
    let start = html
        .find("<section id=\"diagram\">")
        .expect("a diagram section");
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

/// Where a scratch file of this test goes (under `target/tmp`).
fn out_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-reports");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The page contains nothing a browser would fetch: every `src` / `href` /
/// `action` is a fragment (`#e7`) or a relative file link (`./reports/…`,
/// triage only), no `url(` in style except a fragment reference, no
/// external-resource element, and the policy forbids fetches anyway.
fn assert_fetches_nothing(html: &str) {
    assert!(
        html.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;;"
        ),
        "the page has a default-src 'none' policy"
    );
    for attr in [
        " src=\"",
        " href=\"",
        " action=\"",
        " srcset=\"",
        " poster=\"",
        " formaction=\"",
        " xlink:href=\"",
        " background=\"",
        " data=\"",
        " ping=\"",
    ] {
        for (i, _) in html.match_indices(attr) {
            let value = &html[i + attr.len()..];
            assert!(
                value.starts_with('#') || value.starts_with("./"),
                "fetchable{attr}: {}",
                &value[..value.len().min(80)]
            );
        }
    }
    for tag in [
        "<link",
        "<img",
        "<iframe",
        "<object",
        "<embed",
        "<base",
        "<audio",
        "<video",
        "<source",
        "<image",
        "<use",
        "<feImage",
        "<foreignObject",
    ] {
        assert!(!html.contains(tag), "the page has a {tag} element");
    }
    assert!(!html.contains("@import"));
    // Every url( is in an SVG presentation attribute and points inside the page.
    for (i, _) in html.match_indices("url(") {
        assert!(
            html[i..].starts_with("url(#"),
            "url( that is not a fragment: {}",
            &html[i..(i + 60).min(html.len())]
        );
    }
    assert_eq!(html.matches("<script").count(), 1, "exactly one script");
    assert!(html.contains("<script>"), "the script is inline (no src)");
}

/// The verdict and the diagram are not inside a (closed) `<details>`.
fn assert_verdict_and_diagram_up_front(html: &str) {
    let diagram_at = html.find("<section id=\"diagram\">").unwrap();
    let verdict_at = html.find("<section id=\"verdict\"").unwrap();
    assert!(verdict_at < diagram_at);
    assert!(!html[..diagram_at].contains("<details"));
}

// ---------------------------------------------------------------------------
// Every sample

#[test]
fn every_sample_report_shows_the_parties_and_the_break_step() {
    for path in samples() {
        let rel = format!("traces/{}", path.file_name().unwrap().to_string_lossy());
        let html = report(&rel, &[]);
        assert_fetches_nothing(&html);
        assert_verdict_and_diagram_up_front(&html);
        let d = diagram(&html);
        assert!(
            d.contains("<svg class=\"diagram\""),
            "{rel}: an SVG diagram"
        );
        assert!(d.contains(">browser</text>"), "{rel}: the browser lane");
        assert!(
            d.matches("class=\"lanehead ").count() >= 2,
            "{rel}: the browser and at least one other party"
        );
        let v = verdict(&rel);
        let summary = v["summary"].as_str().unwrap();
        let shown = trace_inspect::report::html::esc(summary).into_owned();
        let short: String = shown.chars().take(60).collect();
        assert!(d.contains(&short), "{rel}: the verdict in the diagram");
        match v["entry"].as_u64() {
            Some(n) => {
                let class = if v["status"] == "ok" {
                    "step done"
                } else {
                    "step break"
                };
                let step = d
                    .find(&format!("<g class=\"{class}\">"))
                    .unwrap_or_else(|| panic!("{rel}: a highlighted step"));
                let link = &d[step..];
                assert!(
                    link[..link.find("</g>").unwrap()].contains(&format!("#e{n}\"")),
                    "{rel}: the highlighted step is #{n}"
                );
                assert!(
                    html.contains(&format!("id=\"e{n}\"")),
                    "{rel}: #{n} has details"
                );
            }
            None => assert!(
                ["break-note", "warn-note", "done-note"]
                    .iter()
                    .any(|c| d.contains(&format!("class=\"{c}\""))),
                "{rel}: a verdict note"
            ),
        }
    }
}

#[test]
fn html_is_byte_identical_across_runs() {
    let a = report("traces/saml-retry-then-success.har", &[]);
    let b = report("traces/saml-retry-then-success.har", &[]);
    assert_eq!(a, b);
}

#[test]
fn snapshots_of_a_few_samples() {
    for name in [
        "oidc-redirect-mismatch",
        "entra-reply-url-mismatch",
        "saml-idp-error",
    ] {
        let html = report(&format!("traces/{name}.har"), &[]);
        insta::assert_snapshot!(format!("html_{}", name.replace('-', "_")), html);
    }
}

#[test]
fn several_captures_are_refused_with_a_pointer_to_triage() {
    let out = bin()
        .current_dir(root())
        .args([
            "traces/oidc-success.har",
            "traces/saml-success.har",
            "--format",
            "html",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("triage"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn decode_and_explain_refuse_html() {
    for args in [
        vec!["decode", "eyJhbGciOiJub25lIn0.e30.", "--format", "html"],
        vec!["explain", "AADSTS50011", "--format", "html"],
    ] {
        let out = bin().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

// ---------------------------------------------------------------------------
// Escaping and secrets

/// A value that breaks out of text (`<script>`) and out of either kind of
/// quoted attribute, tagged so each injection point can be found.
fn payload(tag: &str) -> String {
    format!("<script>alert(\"xss-{tag}\")</script>\"'><b id=\"pwn-{tag}\">")
}

/// A sign-in with the payload in a request header, a URL parameter, a
/// cookie and the IdP page's title (the Entra sample, edited).
fn hostile_entra() -> Value {
    let mut d: Value = serde_json::from_slice(
        &std::fs::read(root().join("traces/entra-reply-url-mismatch.har")).unwrap(),
    )
    .unwrap();
    let e = &mut d["log"]["entries"][2];
    let url = e["request"]["url"].as_str().unwrap().to_owned();
    e["request"]["url"] = json!(format!("{url}&login_hint={}", payload("url")));
    e["request"]["headers"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "X-Evil", "value": payload("header")}));
    e["request"]["headers"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "Cookie", "value": format!("evil={}", payload("cookie"))}));
    e["request"]["cookies"] = json!([{"name": "evil", "value": payload("cookie")}]);
    let text = e["response"]["content"]["text"]
        .as_str()
        .unwrap()
        .to_owned();
    let (start, end) = (
        text.find("<title>").unwrap(),
        text.find("</title>").unwrap(),
    );
    let title = payload("title")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    let text = format!("{}<title>{title}{}", &text[..start], &text[end..]);
    e["response"]["content"]["text"] = json!(text);
    d["log"]["pages"][0]["title"] = json!(payload("pagetitle"));
    d
}

/// The SAML sample with the payload in an assertion attribute, once as
/// escaped text and once in a CDATA section (copied as written by the
/// pretty-printer).
fn hostile_saml() -> Value {
    let mut d: Value = serde_json::from_slice(
        &std::fs::read(root().join("traces/saml-audience-mismatch.har")).unwrap(),
    )
    .unwrap();
    let post = &mut d["log"]["entries"][6]["request"]["postData"];
    let params = post["params"].as_array_mut().unwrap();
    let p = params
        .iter_mut()
        .find(|p| p["name"] == "SAMLResponse")
        .unwrap();
    // HAR `params` hold decoded values; `text` the form-encoded body.
    let decoded = p["value"].as_str().unwrap().to_owned();
    let xml = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(decoded.as_bytes())
            .unwrap(),
    )
    .unwrap();
    let escaped = payload("saml")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let attr = format!(
        "<saml:Attribute Name=\"evil\"><saml:AttributeValue>{escaped}</saml:AttributeValue><saml:AttributeValue><![CDATA[{}]]></saml:AttributeValue></saml:Attribute>",
        payload("cdata")
    );
    let at = xml
        .find("</saml:AttributeStatement>")
        .expect("an attribute statement");
    let xml = format!("{}{attr}{}", &xml[..at], &xml[at..]);
    let b64 = base64::engine::general_purpose::STANDARD.encode(xml.as_bytes());
    let form = url_encode(&b64);
    p["value"] = json!(b64);
    let relay = params
        .iter()
        .find(|p| p["name"] == "RelayState")
        .and_then(|p| p["value"].as_str())
        .unwrap_or_default()
        .to_owned();
    post["text"] = json!(format!(
        "SAMLResponse={form}&RelayState={}",
        url_encode(&relay)
    ));
    d
}

fn url_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn render_file(doc: &Value, name: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, serde_json::to_vec(doc).unwrap()).unwrap();
    let out = bin()
        .arg(&path)
        .args(["--format", "html"])
        .args(extra)
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)));
    String::from_utf8(out.stdout).unwrap()
}

fn assert_no_raw_payload(html: &str) {
    assert!(!html.contains("<script>alert"), "an unescaped <script>");
    assert!(!html.contains("<b id="), "an unescaped tag");
    assert!(
        !html.contains("\"'>"),
        "an attribute-breaking sequence survived"
    );
    assert_eq!(html.matches("<script").count(), 1);
    assert_fetches_nothing(html);
}

#[test]
fn capture_values_are_escaped_everywhere() {
    for show in [false, true] {
        let extra: &[&str] = if show { &["--show-secrets"] } else { &[] };
        let html = render_file(&hostile_entra(), "<evil\"'>.har", extra);
        assert_no_raw_payload(&html);
        for tag in ["header", "url", "title"] {
            assert!(
                html.contains(&format!("alert(&quot;xss-{tag}&quot;)")),
                "the {tag} payload is shown, escaped (show_secrets {show})"
            );
        }
        assert!(
            html.contains("&lt;evil&quot;&#39;&gt;.har"),
            "the file name is escaped"
        );
        // A cookie value is a secret: shown escaped only when asked.
        assert_eq!(
            html.contains("alert(&quot;xss-cookie&quot;)"),
            show,
            "cookie value shown iff --show-secrets"
        );
        let saml = render_file(&hostile_saml(), "saml.har", extra);
        assert_no_raw_payload(&saml);
        assert!(saml.contains("xss-saml"), "the SAML attribute is shown");
        assert!(saml.contains("xss-cdata"), "the CDATA attribute is shown");
    }
}

#[test]
fn secrets_are_masked_unless_asked() {
    // The form-post sample carries an authorization code and a password.
    let masked = report("traces/saml-audience-mismatch.har", &[]);
    let shown = report("traces/saml-audience-mismatch.har", &["--show-secrets"]);
    let har: Value = serde_json::from_slice(
        &std::fs::read(root().join("traces/saml-audience-mismatch.har")).unwrap(),
    )
    .unwrap();
    let password = har["log"]["entries"][5]["request"]["postData"]["params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "password")
        .and_then(|p| p["value"].as_str())
        .unwrap()
        .to_owned();
    assert!(password.len() >= 4);
    assert!(!masked.contains(&password), "password masked");
    assert!(masked.contains("‹redacted"), "masks are shown");
    assert!(shown.contains(&password), "--show-secrets shows it");
}

// ---------------------------------------------------------------------------
// A large capture

/// An Entra sign-in buried in `noise` image and script requests.
fn large_capture(noise: usize) -> Value {
    let mut entries = Vec::new();
    let at = |i: usize| {
        format!(
            "2026-11-20T10:{:02}:{:02}.{:03}+01:00",
            (i / 600) % 60,
            (i / 10) % 60,
            (i % 10) * 100
        )
    };
    let entry = |i: usize,
                 method: &str,
                 url: &str,
                 status: u16,
                 headers: Value,
                 mime: &str,
                 text: &str| {
        json!({
            "startedDateTime": at(i),
            "time": 35.5,
            "request": {"method": method, "url": url, "httpVersion": "HTTP/1.1", "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
            "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1", "headers": headers, "cookies": [], "content": {"size": text.len(), "mimeType": mime, "text": text}, "redirectURL": "", "headersSize": -1, "bodySize": text.len()},
            "cache": {},
            "timings": {"send": 0.5, "wait": 30, "receive": 5}
        })
    };
    let authorize = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?client_id=3f1c9a2e-7b4d-4c8a-a6e5-0d9b2f4c7e11&response_type=code&redirect_uri=https%3A%2F%2Fapp.contoso.com%2Fsignin-oidc&response_mode=form_post&scope=openid&state=s1&nonce=n1";
    for i in 0..noise {
        if i == noise / 2 {
            entries.push(entry(
                i,
                "GET",
                "https://app.contoso.com/account",
                302,
                json!([{"name": "Location", "value": authorize}]),
                "text/html",
                "",
            ));
            entries.push(entry(i, "GET", authorize, 302, json!([{"name": "Location", "value": "https://app.contoso.com/signin-oidc?error=access_denied&error_description=AADSTS65004%3A+User+declined+to+consent&state=s1"}]), "text/html", ""));
            entries.push(entry(i, "GET", "https://app.contoso.com/signin-oidc?error=access_denied&error_description=AADSTS65004%3A+User+declined+to+consent&state=s1", 500, json!([]), "text/html", "<html><title>Error</title></html>"));
        }
        let url = format!("https://cdn.contoso.com/assets/img-{i}.png?v={}", i * 7);
        entries.push(entry(i, "GET", &url, 200, json!([]), "image/png", ""));
    }
    json!({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"}, "entries": entries}})
}

#[test]
fn a_large_capture_stays_a_reasonable_size() {
    let doc = large_capture(4000);
    let dir = out_dir();
    let path = dir.join("large-4000.har");
    std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
    let html_path = dir.join("large-4000.html");
    let out = bin()
        .arg(&path)
        .args(["--format", "html", "-o"])
        .arg(&html_path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&html_path).unwrap();
    // About 200 bytes per waterfall row plus the identity steps in full.
    assert!(
        html.len() < 2_000_000,
        "{} bytes for 4003 entries",
        html.len()
    );
    assert_eq!(
        html.matches("<div class=\"r").count(),
        4003,
        "every request in the waterfall"
    );
    assert!(
        html.contains("2000 other requests (#"),
        "the noise is folded"
    );
    assert_fetches_nothing(&html);
    if let Some(chromium) = chromium() {
        let (dom, console) = render_in_chromium(&chromium, &html_path, None);
        assert!(console.is_empty(), "console: {console:?}");
        assert!(dom.contains("id=\"verdict\""));
    }
}

// ---------------------------------------------------------------------------
// A real browser

/// The Chromium binary, or `None` (with a message) when there is none and CI
/// is not set; with `CI` set a missing Chromium fails the test.
fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            })
        });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set and no chromium binary is on PATH (.ci/run installs Debian's chromium)"
        );
        eprintln!("skipped: no chromium binary on PATH (apt-get install chromium)");
    }
    found
}

/// Loads a page headless; returns the DOM after scripts ran and the console
/// messages Chromium logged. Writes a screenshot when asked.
fn render_in_chromium(
    chromium: &Path,
    page: &Path,
    screenshot: Option<&Path>,
) -> (String, Vec<String>) {
    render_sized(chromium, page, screenshot, "1280,1400")
}

/// [`render_in_chromium`] in a window of `size` (`W,H` CSS pixels).
fn render_sized(
    chromium: &Path,
    page: &Path,
    screenshot: Option<&Path>,
    size: &str,
) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-extensions",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
        "--timeout=30000",
    ])
    .arg(format!("--window-size={size}"))
    .arg(format!("--user-data-dir={}", profile.path().display()));
    if let Some(png) = screenshot {
        cmd.arg(format!("--screenshot={}", png.display()));
    }
    cmd.arg("--dump-dom");
    cmd.arg(format!("file://{}", page.canonicalize().unwrap().display()));
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), console)
}

/// The page as a browser with JavaScript off sees it: the same document
/// without its one script element. (Headless Chromium's `--dump-dom` and
/// `--screenshot` drive the page through script themselves, so with
/// `--blink-settings=scriptEnabled=false` they print nothing.)
fn without_script(html: &str) -> String {
    let start = html.find("<script>").unwrap();
    let end = html[start..].find("</script>").unwrap() + start + "</script>".len();
    format!("{}{}", &html[..start], &html[end..])
}

/// Renders one page with JavaScript on and off (a screenshot of each), and
/// checks both.
fn check_in_chromium(chromium: &Path, page: &Path, png: &Path) {
    let name = page.display();
    let (dom, console) = render_in_chromium(chromium, page, Some(png));
    assert!(console.is_empty(), "{name}: console messages {console:?}");
    assert_shows_the_answer(&dom, &name.to_string());
    // The copy buttons / sort handles exist only if the script ran under
    // the policy: the hash in the CSP matches the script.
    assert!(
        dom.contains("class=\"copy\"") || dom.contains("tabindex=\"0\""),
        "{name}: the script ran"
    );
    assert!(png.is_file(), "{name}: screenshot written");
    let html = std::fs::read_to_string(page).unwrap();
    let off = page.with_extension("nojs.html");
    std::fs::write(&off, without_script(&html)).unwrap();
    let (dom, console) = render_in_chromium(chromium, &off, Some(&png.with_extension("nojs.png")));
    assert!(
        console.is_empty(),
        "{name} (JavaScript off): console messages {console:?}"
    );
    assert_shows_the_answer(&dom, &format!("{name} (JavaScript off)"));
    assert!(
        !dom.contains("class=\"copy\""),
        "{name}: no script ran with JavaScript off"
    );
}

/// The rendered DOM has the verdict and the diagram (or, for triage, the
/// aggregate and its charts), outside any closed `<details>`.
fn assert_shows_the_answer(dom: &str, name: &str) {
    let verdict = dom
        .find("id=\"verdict\"")
        .or_else(|| dom.find("id=\"aggregate\""));
    let chart = dom
        .find("<svg class=\"diagram\"")
        .or_else(|| dom.find("<svg class=\"bars\""));
    let (Some(v), Some(c)) = (verdict, chart) else {
        panic!("{name}: verdict and diagram rendered");
    };
    assert!(
        !dom[..v.max(c)].contains("<details"),
        "{name}: not folded away"
    );
}

#[test]
fn chromium_renders_every_sample_report_without_errors() {
    let Some(chromium) = chromium() else { return };
    let dir = out_dir();
    let mut pages = Vec::new();
    for path in samples() {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let rel = format!("traces/{}", path.file_name().unwrap().to_string_lossy());
        let page = dir.join(format!("{stem}.html"));
        std::fs::write(&page, report(&rel, &[])).unwrap();
        pages.push((page, dir.join(format!("{stem}.png"))));
    }
    let triage = dir.join("triage.html");
    let out = bin()
        .current_dir(root())
        .args(["triage", "traces", "--format", "html", "-o"])
        .arg(&triage)
        .arg("--reports")
        .arg(dir.join("triage-reports"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    pages.push((triage, dir.join("triage.png")));
    // Two browsers at a time: the machine is shared.
    let (even, odd): (Vec<_>, Vec<_>) = pages.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    std::thread::scope(|s| {
        for half in [even, odd] {
            let chromium = &chromium;
            s.spawn(move || {
                for (_, (page, png)) in half {
                    check_in_chromium(chromium, page, png);
                }
            });
        }
    });
    // The picture in the README (docs/report.png is a copy of this one).
    let readme = dir.join("readme.png");
    let (_, console) = render_sized(
        &chromium,
        &dir.join("saml-audience-mismatch.html"),
        Some(&readme),
        "1000,760",
    );
    assert!(console.is_empty() && readme.is_file());
    eprintln!("screenshots in {}", dir.display());
}

// ---------------------------------------------------------------------------
// Triage

#[test]
fn triage_html_links_each_report_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("per capture");
    let page = dir.path().join("triage.html");
    let out = bin()
        .current_dir(root())
        .args([
            "triage",
            "traces/saml-success.har",
            "traces/oidc-redirect-mismatch.har",
            "--format",
            "html",
            "-o",
        ])
        .arg(&page)
        .arg("--reports")
        .arg(&reports)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&page).unwrap();
    assert_fetches_nothing(&html);
    for name in ["0001-oidc-redirect-mismatch.html", "0002-saml-success.html"] {
        assert!(reports.join(name).is_file(), "{name} written");
        assert!(
            html.contains(&format!("href=\"./per%20capture/{name}\"")),
            "{name} linked"
        );
        let report = std::fs::read_to_string(reports.join(name)).unwrap();
        assert_fetches_nothing(&report);
    }
    assert!(html.contains("<table class=\"triage sortable\">"));
    assert!(html.contains("<svg class=\"bars\""));
    assert!(html.contains("redirect_mismatch"));
}

#[test]
fn authorization_codes_in_urls_are_masked_unless_asked() {
    let rel = "traces/oidc-redirect-loop.har";
    let har: Value = serde_json::from_slice(&std::fs::read(root().join(rel)).unwrap()).unwrap();
    let codes: Vec<String> = har["log"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["request"]["url"].as_str())
        .filter_map(|u| url::Url::parse(u).ok())
        .filter_map(|u| {
            u.query_pairs()
                .find(|(k, _)| k == "code")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert!(!codes.is_empty());
    let masked = report(rel, &[]);
    let shown = report(rel, &["--show-secrets"]);
    for code in &codes {
        assert!(!masked.contains(code.as_str()), "code {code} masked");
    }
    assert!(codes.iter().any(|c| shown.contains(c.as_str())));
}
