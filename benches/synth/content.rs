//! Response and request bodies: HTML pages, JS bundles, CSS, JSON API
//! payloads, images and fonts. Text bodies are full of double quotes,
//! backslashes and newlines so that a HAR must escape them (and a parser
//! that copies strings must unescape them); binary bodies are random bytes
//! behind a real magic number (compressed images look random).

use super::rng::Rng;

/// Appends `s` with HTML attribute / text escaping (`"`, `&`, `<`, `>`).
pub fn html_escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

/// An HTML page of about `size` bytes: head with meta, styles and an inline
/// JSON config, then nested markup with attributes and prose.
pub fn html_page(rng: &mut Rng, title: &str, size: usize) -> String {
    let mut s = String::with_capacity(size + 2048);
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n");
    s.push_str("  <meta charset=\"utf-8\">\n  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str("  <title>");
    html_escape(&mut s, title);
    s.push_str("</title>\n");
    for _ in 0..rng.range(2, 4) {
        s.push_str(&format!(
            "  <link rel=\"stylesheet\" href=\"/css/{}.{}.css\" integrity=\"sha384-{}\" crossorigin=\"anonymous\">\n",
            rng.pick(&["site", "vendor", "theme", "print"]),
            rng.hex(8),
            rng.b64url(64)
        ));
    }
    s.push_str("  <script type=\"text/javascript\">\n    window.__APP_CONFIG__ = ");
    s.push_str(&json_object(rng, 12).replace("</", "<\\/"));
    s.push_str(";\n  </script>\n</head>\n<body class=\"theme-light has-nav\">\n");
    while s.len() < size {
        section(rng, &mut s);
    }
    s.push_str("  <script src=\"/js/app.js\" defer></script>\n</body>\n</html>\n");
    s
}

fn section(rng: &mut Rng, s: &mut String) {
    let id = rng.alnum(6);
    s.push_str(&format!(
        "  <section id=\"s-{id}\" class=\"card card--{}\" data-track=\"{{&quot;area&quot;:&quot;{id}&quot;}}\">\n    <h2 class=\"card__title\">",
        rng.pick(&["primary", "muted", "wide", "compact"])
    ));
    let n = rng.range(2, 6);
    rng.words(s, n);
    s.push_str("</h2>\n");
    for _ in 0..rng.range(2, 6) {
        s.push_str("    <div class=\"row\">\n      <p>");
        let n = rng.range(12, 60);
        rng.words(s, n);
        s.push_str(&format!(
            "</p>\n      <a href=\"/items/{}?ref=card&amp;tab={}\" title=\"Open &quot;{}&quot;\">Open</a>\n",
            rng.guid(),
            rng.below(9),
            rng.alnum(8)
        ));
        if rng.chance(30) {
            s.push_str(&format!(
                "      <img src=\"https://img.contoso-dev.com/assets/{}.webp\" alt=\"\" width=\"{}\" height=\"{}\" loading=\"lazy\">\n",
                rng.hex(12),
                rng.range(16, 640),
                rng.range(16, 480)
            ));
        }
        s.push_str("    </div>\n");
    }
    s.push_str("  </section>\n");
}

/// A JSON object with string, number, boolean and nested values.
pub fn json_object(rng: &mut Rng, fields: usize) -> String {
    let mut s = String::from("{");
    for i in 0..fields {
        if i > 0 {
            s.push(',');
        }
        let key = rng.pick(&[
            "id",
            "name",
            "displayName",
            "mail",
            "createdDateTime",
            "tenantId",
            "enabled",
            "count",
            "url",
            "description",
            "tags",
            "owner",
            "etag",
            "region",
        ]);
        s.push_str(&format!("\"{key}{i}\":"));
        match rng.below(6) {
            0 => s.push_str(&format!("\"{}\"", rng.guid())),
            1 => s.push_str(&format!("{}", rng.below(100_000))),
            2 => s.push_str(if rng.chance(50) { "true" } else { "false" }),
            3 => s.push_str(&format!(
                "\"https://api.contoso-dev.com/v1/items/{}?expand=owner\\u0026top={}\"",
                rng.hex(10),
                rng.below(50)
            )),
            4 => s.push_str(&format!(
                "[\"{}\",\"{}\",\"{}\"]",
                rng.alnum(5),
                rng.alnum(7),
                rng.alnum(4)
            )),
            _ => {
                s.push('"');
                let n = rng.range(3, 14);
                rng.words(&mut s, n);
                s.push_str("\\n\\\"quoted\\\" text\"");
            }
        }
    }
    s.push('}');
    s
}

/// A JSON API response (`{"value":[...],"@odata.nextLink":...}`) of about `size` bytes.
pub fn json_api(rng: &mut Rng, size: usize) -> String {
    let mut s = String::with_capacity(size + 512);
    s.push_str(
        "{\"@odata.context\":\"https://api.contoso-dev.com/v1/$metadata#items\",\"value\":[",
    );
    let mut first = true;
    while s.len() < size {
        if !first {
            s.push(',');
        }
        first = false;
        let n = rng.range(6, 14);
        s.push_str(&json_object(rng, n));
    }
    s.push_str(&format!(
        "],\"@odata.nextLink\":\"https://api.contoso-dev.com/v1/items?$skiptoken={}\"}}",
        rng.b64url(40)
    ));
    s
}

/// Minified-looking JavaScript with string literals, escapes and few newlines.
pub fn javascript(rng: &mut Rng, size: usize) -> String {
    let mut s = String::with_capacity(size + 512);
    s.push_str("/*! For license information please see bundle.LICENSE.txt */\n");
    s.push_str("(self.webpackChunk_app=self.webpackChunk_app||[]).push([[");
    s.push_str(&rng.below(900).to_string());
    s.push_str("],{");
    let mut n = 0;
    while s.len() < size {
        let f = rng.alnum(2);
        let v = rng.alnum(1);
        s.push_str(&format!(
            "{n}:function(e,t,{v}){{\"use strict\";{v}.d(t,{{Z:function(){{return {f}}}}});var r={v}({}),o=\"{}\",i={{msg:\"",
            rng.below(99999),
            rng.alnum(12)
        ));
        let words = rng.range(3, 10);
        rng.words(&mut s, words);
        s.push_str(&format!(
            "\\n\\t\\\"{}\\\"\",url:\"/api/v1/{}\",re:/^[a-z0-9\\\\-]+$/i}};function {f}(n){{if(!n)throw new Error(\"Invalid argument: \"+o);return r.default.get(i.url+\"?id=\"+encodeURIComponent(n)).then(function(e){{return e.data}})}}}},",
            rng.alnum(6),
            rng.alnum(8)
        ));
        n += 1;
        if n % 20 == 0 {
            s.push('\n');
        }
    }
    s.push_str("}]);\n//# sourceMappingURL=bundle.js.map\n");
    s
}

/// A stylesheet of about `size` bytes.
pub fn css(rng: &mut Rng, size: usize) -> String {
    let mut s = String::with_capacity(size + 256);
    s.push_str("@charset \"UTF-8\";\n:root{--brand:#0067b8;--font:\"Segoe UI\",\"Helvetica Neue\",sans-serif}\n");
    while s.len() < size {
        s.push_str(&format!(
            ".c-{}{{display:{};margin:{}px {}px;font-family:var(--font);background:url(\"/img/{}.svg\") no-repeat}}\n.c-{}:hover>.x-{}{{color:#{};content:\"\\201C\"}}\n",
            rng.alnum(6),
            rng.pick(&["flex", "block", "grid", "inline-block"]),
            rng.below(40),
            rng.below(40),
            rng.hex(6),
            rng.alnum(5),
            rng.alnum(4),
            rng.hex(6)
        ));
    }
    s
}

/// An SVG icon (text) of about `size` bytes.
pub fn svg(rng: &mut Rng, size: usize) -> String {
    let mut s = String::with_capacity(size + 128);
    s.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\" width=\"24\" height=\"24\">\n");
    while s.len() < size {
        s.push_str(&format!(
            "  <path fill=\"#{}\" d=\"M{} {}c{}.{} {} {} {}-{}.{}z\"/>\n",
            rng.hex(6),
            rng.below(24),
            rng.below(24),
            rng.below(9),
            rng.below(99),
            rng.below(9),
            rng.below(9),
            rng.below(9),
            rng.below(9),
            rng.below(99)
        ));
    }
    s.push_str("</svg>\n");
    s
}

/// Image formats the generator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Image {
    Png,
    Jpeg,
    Webp,
    Woff2,
    Ico,
}

impl Image {
    pub fn mime(self) -> &'static str {
        match self {
            Image::Png => "image/png",
            Image::Jpeg => "image/jpeg",
            Image::Webp => "image/webp",
            Image::Woff2 => "font/woff2",
            Image::Ico => "image/x-icon",
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Image::Png => "png",
            Image::Jpeg => "jpg",
            Image::Webp => "webp",
            Image::Woff2 => "woff2",
            Image::Ico => "ico",
        }
    }
}

/// `size` bytes of an image: the format's magic number, then random bytes.
pub fn image(rng: &mut Rng, kind: Image, size: usize) -> Vec<u8> {
    let magic: &[u8] = match kind {
        Image::Png => b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        Image::Jpeg => b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0",
        Image::Webp => b"RIFF\0\0\0\0WEBPVP8 ",
        Image::Woff2 => b"wOF2\0\x01\0\0",
        Image::Ico => b"\0\0\x01\0\x01\0",
    };
    let mut v = Vec::with_capacity(size.max(magic.len()));
    v.extend_from_slice(magic);
    rng.fill(&mut v, size.saturating_sub(magic.len()));
    v
}
