//! A small in-code capture for the rules' branch tests: a HAR built exchange
//! by exchange (method, URL, headers, form body, status, response headers),
//! run through the whole pipeline, so a test reads like the capture a
//! support engineer would open — "the browser POSTed this Response to the
//! ACS at 10:00:30, the SP's Date says 10:06" — and asserts the finding,
//! its entry and its evidence.

use base64::Engine as _;
use serde_json::{Value, json};

use trace_inspect::analysis::Verdict;
use trace_inspect::capture::LoadOptions;
use trace_inspect::rules::Finding;
use trace_inspect::signature::Trust;

/// One request / response pair of the capture.
#[derive(Debug, Clone)]
pub struct Ex {
    method: &'static str,
    url: String,
    started: String,
    req_headers: Vec<(String, String)>,
    form: Vec<(String, String)>,
    status: u16,
    resp_headers: Vec<(String, String)>,
    body: String,
}

impl Ex {
    /// A GET of `url`, answered 200 with an empty HTML page.
    pub fn get(url: &str) -> Ex {
        Ex {
            method: "GET",
            url: url.to_owned(),
            started: "2026-11-20T10:00:00.000Z".to_owned(),
            req_headers: Vec::new(),
            form: Vec::new(),
            status: 200,
            resp_headers: vec![("Content-Type".to_owned(), "text/html".to_owned())],
            body: String::new(),
        }
    }

    /// A form POST of `url`.
    pub fn post(url: &str) -> Ex {
        Ex {
            method: "POST",
            ..Ex::get(url)
        }
    }

    /// When the browser sent it (RFC 3339).
    pub fn at(mut self, started: &str) -> Ex {
        self.started = started.to_owned();
        self
    }

    pub fn req_header(mut self, name: &str, value: &str) -> Ex {
        self.req_headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn form(mut self, name: &str, value: &str) -> Ex {
        self.form.push((name.to_owned(), value.to_owned()));
        self
    }

    /// A SAML protocol message as the HTTP-POST binding carries it.
    pub fn saml_response(self, xml: &str) -> Ex {
        let b64 = base64::engine::general_purpose::STANDARD.encode(xml);
        self.form("SAMLResponse", &b64)
    }

    pub fn status(mut self, status: u16) -> Ex {
        self.status = status;
        self
    }

    pub fn resp_header(mut self, name: &str, value: &str) -> Ex {
        self.resp_headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn body(mut self, body: &str) -> Ex {
        self.body = body.to_owned();
        self
    }

    fn to_har(&self) -> Value {
        let headers = |h: &[(String, String)]| -> Vec<Value> {
            h.iter()
                .map(|(n, v)| json!({"name": n, "value": v}))
                .collect()
        };
        let query: Vec<Value> = url::Url::parse(&self.url)
            .map(|u| {
                u.query_pairs()
                    .map(|(n, v)| json!({"name": n, "value": v}))
                    .collect()
            })
            .unwrap_or_default();
        let mut req_headers = self.req_headers.clone();
        let mut request = json!({
            "method": self.method,
            "url": self.url,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "queryString": query,
            "headersSize": -1,
            "bodySize": -1,
        });
        if self.method == "POST" {
            let text = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(self.form.iter())
                .finish();
            req_headers.push((
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            ));
            request["postData"] = json!({
                "mimeType": "application/x-www-form-urlencoded",
                "text": text,
            });
        }
        request["headers"] = Value::Array(headers(&req_headers));
        let mime = self
            .resp_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map_or("text/html", |(_, v)| v.as_str());
        json!({
            "startedDateTime": self.started,
            "time": 10,
            "request": request,
            "response": {
                "status": self.status,
                "statusText": "",
                "httpVersion": "HTTP/1.1",
                "cookies": [],
                "headers": headers(&self.resp_headers),
                "content": {"size": self.body.len(), "mimeType": mime, "text": self.body},
                "redirectURL": "",
                "headersSize": -1,
                "bodySize": -1,
            },
            "cache": {},
            "timings": {"send": 0, "wait": 10, "receive": 0},
        })
    }
}

/// The HAR text of these exchanges (entry numbers are 1-based, in order).
pub fn har(exchanges: &[Ex]) -> String {
    json!({"log": {
        "version": "1.2",
        "creator": {"name": "rules-testkit", "version": "1"},
        "browser": {"name": "Chrome", "version": "131"},
        "entries": exchanges.iter().map(Ex::to_har).collect::<Vec<_>>(),
    }})
    .to_string()
}

/// The findings and the verdict of the whole pipeline on these exchanges.
pub fn analyse(exchanges: &[Ex]) -> (Vec<Finding>, Verdict) {
    let bytes = har(exchanges).into_bytes();
    trace_inspect::pipeline::with_analysis(
        bytes,
        "testkit.har",
        &LoadOptions::default(),
        &Trust::default(),
        |a| (a.findings.clone(), a.verdict.clone()),
    )
    .unwrap_or_else(|e| panic!("the testkit HAR does not load: {e}"))
}

/// The findings of one rule code.
pub fn findings_of(exchanges: &[Ex], code: &str) -> Vec<Finding> {
    analyse(exchanges)
        .0
        .into_iter()
        .filter(|f| f.code == code)
        .collect()
}

/// The one finding of `code`, or a panic naming what was found instead.
pub fn one(exchanges: &[Ex], code: &str) -> Finding {
    let (all, _) = analyse(exchanges);
    let mut hits: Vec<Finding> = all.iter().filter(|f| f.code == code).cloned().collect();
    match hits.len() {
        1 => hits.remove(0),
        n => panic!(
            "expected one {code}, got {n}; findings: {:?}",
            all.iter()
                .map(|f| (f.code, f.entry, &f.message))
                .collect::<Vec<_>>()
        ),
    }
}

/// A finding's evidence value as text (strings unquoted).
pub fn ev(f: &Finding, key: &str) -> String {
    match f.evidence.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => panic!("{} has no evidence {key}: {:?}", f.code, f.evidence),
    }
}
