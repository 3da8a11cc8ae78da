//! Session metadata, `raw/NN_m.xml`: Fiddler's timers, the HTTPS flag and
//! the session flags the model uses.

use super::*;

/// What `raw/NN_m.xml` says about a session:
///
/// ```xml
/// <Session SID="2" BitFlags="9" [Aborted="true"]>
///   <SessionTimers ClientConnected="2025-08-30T11:33:29.356942-07:00" ClientBeginRequest="…" … />
///   <PipeInfo CltReuse="true" />
///   <SessionFlags><SessionFlag N="x-hostip" V="44.195.242.49" />…</SessionFlags>
/// </Session>
/// ```
#[derive(Debug, Default)]
pub(super) struct SessionMeta {
    /// Fiddler's `SessionFlags` bits, written in hexadecimal.
    pub(super) bit_flags: Option<u64>,
    pub(super) aborted: bool,
    pub(super) timers: Vec<(String, String)>,
    pub(super) flags: Vec<(String, String)>,
}

/// `SessionFlags.IsHTTPS` in Fiddler's bit set.
pub(super) const IS_HTTPS: u64 = 0x1;

impl SessionMeta {
    pub(super) fn https(&self) -> Option<bool> {
        self.bit_flags.map(|f| f & IS_HTTPS != 0)
    }

    pub(super) fn timer(&self, name: &str) -> Option<&str> {
        self.timers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A timestamp; `0001-01-01T00:00:00` means "not set".
    pub(super) fn instant(&self, name: &str) -> Option<Started> {
        parse_time(self.timer(name)?).filter(|s| s.time.year() > 1)
    }

    /// A duration Fiddler records in milliseconds (`DNSTime="23"`).
    pub(super) fn millis(&self, name: &str) -> Option<f64> {
        self.timer(name)?
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
    }

    pub(super) fn between(&self, from: &str, to: &str) -> Option<f64> {
        let (a, b) = (self.instant(from)?, self.instant(to)?);
        let nanos = (b.time - a.time).num_nanoseconds()?;
        (nanos >= 0).then(|| nanos as f64 / 1e6)
    }

    /// The session's start: `ClientBeginRequest`, with Fiddler's offset.
    pub(super) fn started(&self) -> Option<Started> {
        self.instant("ClientBeginRequest")
    }

    pub(super) fn timings(&self) -> Timings {
        Timings {
            total: self.between("ClientBeginRequest", "ClientDoneResponse"),
            blocked: None,
            dns: self.millis("DNSTime"),
            connect: self.millis("TCPConnectTime"),
            ssl: self.millis("HTTPSHandshakeTime"),
            send: self.between("FiddlerBeginRequest", "ServerGotRequest"),
            wait: self.between("ServerGotRequest", "ServerBeginResponse"),
            receive: self.between("ServerBeginResponse", "ServerDoneResponse"),
        }
    }

    pub(super) fn host_ip(&self) -> Option<String> {
        self.flags
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("x-hostip"))
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// The session flags as exchange metadata (moved, not copied).
    pub(super) fn into_flags_meta<'a>(self) -> Vec<Meta<'a>> {
        self.flags
            .into_iter()
            .map(|(n, v)| Meta {
                key: Cow::Owned(n),
                value: MetaValue::Text(Cow::Owned(v)),
            })
            .collect()
    }
}

/// Reads the metadata XML. Never expands entities: quick-xml reports a
/// `<!DOCTYPE>` as an event and resolves only the five predefined entities
/// and character references; a value with any other entity is kept raw.
/// A damaged document keeps what came before the damage, with the reason.
pub(super) fn parse_metadata(bytes: &[u8]) -> (SessionMeta, Option<String>) {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let text = raw_http::lossy(bytes);
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut meta = SessionMeta::default();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                b"Session" => for_each_attribute(&e, |name, value| match name {
                    b"BitFlags" => meta.bit_flags = u64::from_str_radix(value.trim(), 16).ok(),
                    b"Aborted" => meta.aborted = value.trim().eq_ignore_ascii_case("true"),
                    _ => {}
                }),
                b"SessionTimers" => for_each_attribute(&e, |name, value| {
                    if let Some(used) = USED_TIMERS.iter().find(|t| t.as_bytes() == name) {
                        meta.timers.push(((*used).to_owned(), value.into_owned()));
                    }
                }),
                b"SessionFlag" => {
                    let (mut n, mut v) = (None, None);
                    for_each_attribute(&e, |name, value| match name {
                        b"N" if n.is_none() => n = Some(value.into_owned()),
                        b"V" if v.is_none() => v = Some(value.into_owned()),
                        _ => {}
                    });
                    if let Some(name) = n {
                        meta.flags.push((name, v.unwrap_or_default()));
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => return (meta, None),
            Ok(_) => {}
            Err(e) => {
                let at = reader.error_position();
                return (meta, Some(format!("invalid XML at byte {at}: {e}")));
            }
        }
    }
}

/// The timers [`SessionMeta`] reads; Fiddler writes about twice as many.
pub(super) const USED_TIMERS: &[&str] = &[
    "ClientBeginRequest",
    "ClientDoneResponse",
    "DNSTime",
    "TCPConnectTime",
    "HTTPSHandshakeTime",
    "FiddlerBeginRequest",
    "ServerGotRequest",
    "ServerBeginResponse",
    "ServerDoneResponse",
];

/// Calls `f` with each attribute's name and value, the value unescaped when
/// it only uses predefined entities, else as written. Nothing is copied
/// unless `f` keeps it.
pub(super) fn for_each_attribute(e: &BytesStart<'_>, mut f: impl FnMut(&[u8], Cow<'_, str>)) {
    for a in e.attributes().with_checks(false).flatten() {
        let value = match a.unescape_value() {
            Ok(v) => v,
            Err(_) => String::from_utf8_lossy(&a.value),
        };
        f(a.key.as_ref(), value);
    }
}
