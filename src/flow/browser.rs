//! Browser and OS from a User-Agent string, for the ticket block.
//!
//! Order matters: Edge and Opera also say `Chrome/`, Chrome also says
//! `Safari/`. Only the major version is kept (UA reduction freezes the rest).

/// `Edge 130 on Windows 10/11`, `Safari 17 on iOS 17.0`, with a WebView flag.
pub fn describe(ua: &str) -> String {
    let browser = browser(ua);
    let os = os(ua);
    let mut s = match (browser, os) {
        (Some(b), Some(o)) => format!("{b} on {o}"),
        (Some(b), None) => b,
        (None, Some(o)) => format!("unknown browser on {o}"),
        (None, None) => "unknown browser".to_owned(),
    };
    if let Some(why) = embedded_reason(ua) {
        s.push_str(&format!(" — embedded: {why}"));
    }
    s
}

/// Why a user agent is an embedded browser, or `None` for a real browser.
pub fn embedded_reason(ua: &str) -> Option<&'static str> {
    const IN_APP: &[(&str, &str)] = &[
        ("FBAN/", "the Facebook in-app browser"),
        ("FB_IAB", "the Facebook in-app browser"),
        ("Instagram", "the Instagram in-app browser"),
        ("Line/", "the LINE in-app browser"),
        ("MicroMessenger", "the WeChat in-app browser"),
        ("Snapchat", "the Snapchat in-app browser"),
        ("musical_ly", "the TikTok in-app browser"),
        ("LinkedInApp", "the LinkedIn in-app browser"),
        ("Twitter for", "the X / Twitter in-app browser"),
    ];
    if let Some((_, why)) = IN_APP.iter().find(|(m, _)| ua.contains(m)) {
        return Some(why);
    }
    if ua.contains("Android") && (ua.contains("; wv)") || ua.contains(";wv)")) {
        return Some("an Android WebView (`; wv)`)");
    }
    if ua.contains("Linux; U; Android") {
        return Some("a legacy Android WebView");
    }
    let apple_mobile = ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod");
    if apple_mobile && ua.contains("AppleWebKit") && !ua.contains("Safari/") {
        return Some("an iOS WKWebView (no `Safari/` token)");
    }
    None
}

fn version_after(ua: &str, token: &str) -> Option<String> {
    let start = ua.find(token)? + token.len();
    let v: String = ua[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (!v.is_empty()).then_some(v)
}

fn browser(ua: &str) -> Option<String> {
    const ORDER: &[(&str, &str)] = &[
        ("Edg/", "Edge"),
        ("EdgA/", "Edge"),
        ("EdgiOS/", "Edge"),
        ("Edge/", "Edge (legacy)"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("HeadlessChrome/", "Headless Chrome"),
        ("Chrome/", "Chrome"),
    ];
    for (token, name) in ORDER {
        if let Some(v) = version_after(ua, token) {
            return Some(format!("{name} {v}"));
        }
    }
    if ua.contains("Trident/") || ua.contains("MSIE ") {
        return Some("Internet Explorer".to_owned());
    }
    if ua.contains("Safari/") {
        return Some(match version_after(ua, "Version/") {
            Some(v) => format!("Safari {v}"),
            None => "Safari".to_owned(),
        });
    }
    if ua.contains("AppleWebKit") {
        return Some("WebKit view".to_owned());
    }
    None
}

fn os(ua: &str) -> Option<String> {
    if ua.contains("Windows NT 10.0") {
        return Some("Windows 10/11".to_owned());
    }
    if let Some(v) = ua.find("Windows NT ").map(|i| &ua[i + 11..]) {
        let v: String = v
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        return Some(format!("Windows NT {v}"));
    }
    for (token, name) in [("iPhone OS ", "iOS"), ("CPU OS ", "iPadOS")] {
        if let Some(i) = ua.find(token) {
            let v: String = ua[i + token.len()..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '_')
                .collect();
            return Some(format!("{name} {}", v.replace('_', ".")));
        }
    }
    if let Some(i) = ua.find("Android ") {
        let v: String = ua[i + 8..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        return Some(format!("Android {v}"));
    }
    if ua.contains("Mac OS X") {
        return Some("macOS".to_owned());
    }
    if ua.contains("CrOS") {
        return Some("ChromeOS".to_owned());
    }
    if ua.contains("Linux") {
        return Some("Linux".to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_common_user_agents() {
        let cases = [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
                "Edge 130 on Windows 10/11",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
                "Chrome 130 on Windows 10/11",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
                "Safari 17 on macOS",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
                "Firefox 120 on Linux",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 13_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
                "WebKit view on iOS 13.5.1 — embedded: an iOS WKWebView (no `Safari/` token)",
            ),
        ];
        for (ua, want) in cases {
            assert_eq!(describe(ua), want, "{ua}");
        }
    }

    #[test]
    fn recognises_embedded_user_agents() {
        let cases = [
            (
                "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/118.0.0.0 Mobile Safari/537.36",
                true,
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 13_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
                true,
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/430.0]",
                true,
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
                false,
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0 Mobile/15E148 Safari/604.1",
                false,
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
                false,
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
                false,
            ),
        ];
        for (ua, embedded) in cases {
            assert_eq!(embedded_reason(ua).is_some(), embedded, "{ua}");
        }
    }
}
