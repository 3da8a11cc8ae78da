//! The triage page: the aggregate as SVG bar charts (categories, error
//! codes, apps, tenants, browsers), then the table of captures, sortable by
//! column when JavaScript runs; each row links to its capture's report when
//! `--reports DIR` wrote them. Also the safe file names of those reports.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{esc, page};
use crate::report::timeline::shorten;
use crate::triage::{Aggregate, Row, top};

/// Bars per chart.
const TOP: usize = 12;

/// Writes the triage page. `links` maps a row's path to the (already safe,
/// relative) address of its report.
pub fn write(
    w: &mut dyn Write,
    rows: &[Row],
    agg: &Aggregate,
    links: &BTreeMap<String, String>,
) -> io::Result<()> {
    page::open(w, "Triage — trace-inspect")?;
    let statuses = agg
        .by_status
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect::<Vec<_>>()
        .join(", ");
    writeln!(
        w,
        "<header><h1>Triage of {} capture{}</h1><p class=\"sub\">{}; {} other files skipped</p></header>",
        agg.captures,
        if agg.captures == 1 { "" } else { "s" },
        esc(&statuses),
        agg.skipped
    )?;
    writeln!(
        w,
        "<section id=\"aggregate\"><h2>Aggregate</h2><div class=\"charts\">"
    )?;
    for (title, map) in [
        ("By category", &agg.by_category),
        ("Error codes", &agg.error_codes),
        ("Most affected apps", &agg.apps),
        ("Most affected tenants", &agg.tenants),
        ("Browsers in failures", &agg.browsers),
    ] {
        if map.is_empty() {
            continue;
        }
        writeln!(
            w,
            "<div class=\"chart\"><h3>{}</h3>{}</div>",
            esc(title),
            bars(title, map)
        )?;
    }
    writeln!(w, "</div></section>")?;
    write_table(w, rows, links)?;
    page::close(w)
}

/// A horizontal bar chart of the largest counts.
fn bars(title: &str, map: &BTreeMap<String, usize>) -> String {
    let items = top(map, TOP);
    let max = items.first().map_or(1, |t| t.1.max(1));
    let row_h = 20.0;
    let label_w = 230.0;
    let bar_w = 150.0;
    let height = row_h * items.len() as f64 + 6.0;
    let mut s = format!(
        "<svg class=\"bars\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {:.0} {height:.0}\" role=\"img\" aria-label=\"{}\">",
        label_w + bar_w + 50.0,
        label_w + bar_w + 50.0,
        esc(title)
    );
    for (i, (k, n)) in items.iter().enumerate() {
        let y = 3.0 + row_h * i as f64;
        let w = (bar_w * *n as f64 / max as f64).max(2.0);
        let _ = write!(
            s,
            "<g><title>{}: {n}</title><text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text><rect x=\"{:.0}\" y=\"{:.0}\" width=\"{w:.1}\" height=\"{:.0}\" rx=\"2\"/><text x=\"{:.0}\" y=\"{:.0}\">{n}</text></g>",
            esc(k),
            label_w - 6.0,
            y + 13.0,
            esc(&shorten(k, 28)),
            label_w,
            y + 2.0,
            row_h - 6.0,
            label_w + w + 5.0,
            y + 13.0
        );
    }
    s.push_str("</svg>");
    s
}

fn write_table(
    w: &mut dyn Write,
    rows: &[Row],
    links: &BTreeMap<String, String>,
) -> io::Result<()> {
    writeln!(
        w,
        "<section id=\"captures\"><h2>Captures</h2><table class=\"triage sortable\"><thead><tr><th>capture</th><th>entries</th><th>verdict</th><th>category</th><th>error</th><th>failing step</th><th>correlation id</th><th>app</th><th>tenant</th><th>browser</th></tr></thead><tbody>"
    )?;
    for r in rows {
        let (status, category, summary) = match &r.verdict {
            Some(v) => (
                v.status.as_str(),
                match &v.subcategory {
                    Some(s) => format!("{}/{s}", v.category),
                    None => v.category.clone(),
                },
                v.summary.as_str(),
            ),
            None => ("unreadable", String::new(), ""),
        };
        let name = match links.get(&r.path) {
            Some(href) => format!("<a href=\"{}\">{}</a>", esc(href), esc(&r.path)),
            None => esc(&r.path).into_owned(),
        };
        let step = r
            .error
            .clone()
            .or_else(|| r.failing_step.clone())
            .unwrap_or_default();
        let opt = |v: &Option<String>| esc(v.as_deref().unwrap_or_default()).into_owned();
        writeln!(
            w,
            "<tr><td>{name}</td><td>{}</td><td class=\"status-{}\" title=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.entries,
            esc(status),
            esc(summary),
            esc(status),
            esc(&category),
            esc(&r.error_codes.join(" ")),
            esc(&shorten(&step, 80)),
            opt(&r.correlation_id),
            opt(&r.app),
            opt(&r.tenant),
            opt(&r.browser),
        )?;
    }
    writeln!(w, "</tbody></table></section>")
}

/// The file name of the report for the `index`-th capture (0-based, in the
/// sorted order of the batch): a number that keeps names unique, then the
/// capture's file stem reduced to `[A-Za-z0-9._-]` (at most 60 characters),
/// then `.html`. Never a path separator, never `..`, never empty, so the
/// file always lands inside the reports folder whatever the input path was.
pub fn report_file_name(index: usize, path: &std::path::Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    if safe.trim_matches('_').is_empty() {
        safe = "capture".to_owned();
    }
    format!("{:04}-{safe}.html", index + 1)
}

/// A relative reference (RFC 3986 §4.2) to `file` inside `dir`, each path
/// segment percent-encoded so no character of a folder name can end the
/// attribute or start a scheme.
pub fn report_href(dir: &str, file: &str) -> String {
    let mut out = String::new();
    for seg in dir
        .split(['/', '\\'])
        .filter(|s| !s.is_empty() && *s != ".")
    {
        for b in seg.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out.push('/');
    }
    // A leading segment with a colon would read as a scheme; it was encoded
    // above, and `./` makes the reference relative beyond doubt.
    format!("./{out}{file}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn report_names_stay_inside_the_folder() {
        assert_eq!(
            report_file_name(0, Path::new("a/b/saml-ok.har")),
            "0001-saml-ok.html"
        );
        let n = report_file_name(4, Path::new("../../etc/<x>\"'.har"));
        assert_eq!(n, "0005-_x___.html");
        assert_eq!(report_file_name(1, Path::new("..")), "0002-capture.html");
        assert!(!report_file_name(2, Path::new("/")).contains('/'));
    }

    #[test]
    fn report_links_are_relative_and_encoded() {
        assert_eq!(
            report_href("reports", "0001-a.html"),
            "./reports/0001-a.html"
        );
        assert_eq!(
            report_href("javascript:alert(1)", "x.html"),
            "./javascript%3Aalert%281%29/x.html"
        );
        assert_eq!(report_href("a\"b/c d", "x.html"), "./a%22b/c%20d/x.html");
    }
}
