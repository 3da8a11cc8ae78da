//! The floor the loader is measured against: serde_json deserializing the
//! same bytes into borrowed structs holding just the fields the HAR loader
//! reads (`src/capture/har.rs`), with no conversion, validation or model
//! building. Strings are `Cow<str>` (a `&str` cannot hold an escaped
//! string); bodies are generic so the floor can keep them as raw JSON
//! (`&RawValue`, what the loader does) or unescape them (`Cow<str>`).

use std::borrow::Cow;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "B: Deserialize<'de>"))]
pub struct Har<'a, B> {
    #[serde(borrow)]
    pub log: Log<'a, B>,
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "B: Deserialize<'de>"))]
pub struct Log<'a, B> {
    #[serde(borrow)]
    pub version: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub creator: Option<Creator<'a>>,
    #[serde(borrow)]
    pub browser: Option<Creator<'a>>,
    #[serde(borrow)]
    pub entries: Vec<Entry<'a, B>>,
}

#[derive(Debug, Deserialize)]
pub struct Creator<'a> {
    #[serde(borrow)]
    pub name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub version: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub comment: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "B: Deserialize<'de>"))]
pub struct Entry<'a, B> {
    #[serde(borrow)]
    pub started_date_time: Option<Cow<'a, str>>,
    pub time: Option<f64>,
    #[serde(borrow)]
    pub request: Request<'a, B>,
    #[serde(borrow)]
    pub response: Option<Response<'a, B>>,
    pub timings: Option<Timings>,
    #[serde(borrow, rename = "serverIPAddress")]
    pub server_ip_address: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
pub struct Header<'a> {
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    #[serde(borrow)]
    pub value: Cow<'a, str>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cookie<'a> {
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    #[serde(borrow)]
    pub value: Cow<'a, str>,
    #[serde(borrow)]
    pub path: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub domain: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub expires: Option<Cow<'a, str>>,
    pub http_only: Option<bool>,
    pub secure: Option<bool>,
    #[serde(borrow)]
    pub same_site: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "B: Deserialize<'de>"))]
pub struct Request<'a, B> {
    #[serde(borrow)]
    pub method: Cow<'a, str>,
    #[serde(borrow)]
    pub url: Cow<'a, str>,
    #[serde(borrow)]
    pub http_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub headers: Vec<Header<'a>>,
    #[serde(borrow, default)]
    pub cookies: Vec<Cookie<'a>>,
    #[serde(borrow)]
    pub post_data: Option<PostData<'a, B>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "B: Deserialize<'de>"))]
pub struct PostData<'a, B> {
    #[serde(borrow)]
    pub mime_type: Option<Cow<'a, str>>,
    pub text: Option<B>,
    #[serde(borrow, default)]
    pub params: Vec<Header<'a>>,
    #[serde(borrow)]
    pub encoding: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "B: Deserialize<'de>"))]
pub struct Response<'a, B> {
    pub status: u16,
    #[serde(borrow)]
    pub status_text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub http_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub headers: Vec<Header<'a>>,
    #[serde(borrow, default)]
    pub cookies: Vec<Cookie<'a>>,
    #[serde(borrow)]
    pub content: Option<Content<'a, B>>,
    #[serde(borrow, rename = "redirectURL")]
    pub redirect_url: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "_error")]
    pub error: Option<Cow<'a, str>>,
    #[serde(rename = "_transferSize")]
    pub transfer_size: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "B: Deserialize<'de>"))]
pub struct Content<'a, B> {
    pub size: Option<f64>,
    #[serde(borrow)]
    pub mime_type: Option<Cow<'a, str>>,
    pub text: Option<B>,
    #[serde(borrow)]
    pub encoding: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
pub struct Timings {
    pub blocked: Option<f64>,
    pub dns: Option<f64>,
    pub connect: Option<f64>,
    pub ssl: Option<f64>,
    pub send: Option<f64>,
    pub wait: Option<f64>,
    pub receive: Option<f64>,
}
