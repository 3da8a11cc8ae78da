//! `trace-inspect explain CODE`: a rule's What / Why / How-to-fix and who
//! acts, or an error code's meaning, what to do (in the order support tries
//! it) and who acts — AADSTS codes with their name and category, and the
//! B2C, Okta, AD FS, Google, OAuth and SAML codes of the remediation table
//! (`decode::remediation`).

use std::io::Write;

use anyhow::{Result, bail};
use serde::Serialize;

use super::Outcome;
use super::args::{ExplainArgs, OutputFormat};
use super::config::Output;
use crate::decode::aadsts::{self, CodeInfo};
use crate::decode::remediation::{self, Remedy, Who, who_list};
use crate::report::Painter;
use crate::rules::{self, RuleInfo, section};

#[derive(Debug, Serialize)]
struct RuleJson<'r> {
    kind: &'static str,
    code: &'r str,
    category: &'r str,
    severity: &'r str,
    title: &'r str,
    what: String,
    why: String,
    fix: String,
    who: &'static [Who],
}

pub fn run(args: &ExplainArgs) -> Result<Outcome> {
    let output = Output::from_args(&args.output);
    if output.format == OutputFormat::Html {
        bail!("explain has no --format html (use text, json or markdown)");
    }
    let p = Painter {
        color: output.color,
    };
    let mut out = super::open_output(
        output.path.as_deref(),
        &[],
        output.format != OutputFormat::Json,
        output.quiet,
    )?;
    if let Some(rule) = rules::find(&args.code) {
        write_rule(&mut *out, rule, output.format, p)?;
    } else if let Some(code) = CodeExplanation::find(&args.code) {
        write_code(&mut *out, &code, output.format, p)?;
    } else {
        let codes: Vec<&str> = rules::RULES.iter().map(|r| r.code).collect();
        bail!(
            "unknown code '{}': give a rule code ({}), an AADSTS code such as AADSTS50011, \
             or an IdP error code (AADB2C…, Okta E0000…, AD FS MSIS…, an OAuth error word)",
            args.code,
            codes.join(", ")
        );
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

fn write_rule(w: &mut dyn Write, r: &RuleInfo, format: OutputFormat, p: Painter) -> Result<()> {
    let what = section(r.doc, "What it means");
    let why = section(r.doc, "Why it matters");
    let fix = section(r.doc, "How to fix");
    let who = remediation::rule_who(r.code);
    match format {
        OutputFormat::Json => {
            let j = RuleJson {
                kind: "rule",
                code: r.code,
                category: r.category.as_str(),
                severity: r.severity.as_str(),
                title: r.title,
                what,
                why,
                fix,
                who,
            };
            crate::report::json::write_value(w, &j)?;
        }
        OutputFormat::Markdown => {
            writeln!(w, "### `{}` — {}", r.code, r.title)?;
            writeln!(w)?;
            writeln!(
                w,
                "Category `{}`, severity `{}`.",
                r.category,
                r.severity.as_str()
            )?;
            for (h, t) in [
                ("What it means", what),
                ("Why it matters", why),
                ("How to fix", fix),
            ] {
                writeln!(w)?;
                writeln!(w, "**{h}.** {t}")?;
            }
            writeln!(w)?;
            writeln!(w, "**Who acts.** {}", who_list(who))?;
        }
        OutputFormat::Text | OutputFormat::Html => {
            writeln!(w, "{} — {}", p.bold(r.code), r.title)?;
            writeln!(
                w,
                "{}",
                p.dim(&format!(
                    "category: {} · severity: {}",
                    r.category,
                    r.severity.as_str()
                ))
            )?;
            for (h, t) in [
                ("What it means", what),
                ("Why it matters", why),
                ("How to fix", fix),
            ] {
                writeln!(w)?;
                writeln!(w, "{}", p.bold(h))?;
                for line in wrap(&t, 78) {
                    writeln!(w, "  {line}")?;
                }
            }
            writeln!(w)?;
            writeln!(w, "{}", p.bold("Who acts"))?;
            writeln!(w, "  {}", who_list(who))?;
        }
    }
    Ok(())
}

/// What `explain` knows about an error code.
#[derive(Debug)]
struct CodeExplanation {
    /// As displayed: `AADSTS50126`, `E0000004`, `redirect_uri_mismatch`.
    code: String,
    /// The AADSTS number, when it is one.
    aadsts: Option<u32>,
    /// The AADSTS table row.
    info: Option<&'static CodeInfo>,
    /// The remediation row.
    remedy: Option<&'static Remedy>,
}

impl CodeExplanation {
    /// An AADSTS code (known or not: Microsoft's page still helps), or a
    /// code of the remediation table.
    fn find(input: &str) -> Option<Self> {
        if let Some(n) = aadsts::parse_code(input) {
            return Some(Self {
                code: format!("AADSTS{n}"),
                aadsts: Some(n),
                info: aadsts::lookup(n),
                remedy: remediation::lookup_aadsts(n),
            });
        }
        let remedy = remediation::lookup(input)?;
        Some(Self {
            code: remedy.code.to_owned(),
            aadsts: None,
            info: None,
            remedy: Some(remedy),
        })
    }

    /// Plain-words meaning: the remediation row's, else our description.
    fn meaning(&self) -> Option<&'static str> {
        self.remedy
            .map(|r| r.meaning)
            .or(self.info.map(|i| i.description))
    }

    /// The steps: the row's, else the generic way to look an AADSTS code up.
    fn steps(&self) -> Vec<String> {
        if let Some(r) = self.remedy {
            return r.steps.iter().map(|s| (*s).to_owned()).collect();
        }
        match self.aadsts {
            Some(n) => vec![
                "Find the failure in Entra admin center › Monitoring › Sign-in logs by its \
                 correlation ID and time; the log's Basic info and Conditional Access tabs \
                 say what failed"
                    .to_owned(),
                format!(
                    "Read Microsoft's page for the code: https://login.microsoftonline.com/error?code={n}"
                ),
            ],
            None => Vec::new(),
        }
    }

    /// Who acts: the row's, else inferred from the AADSTS category.
    fn who(&self) -> &'static [Who] {
        match (self.remedy, self.info) {
            (Some(r), _) => &r.who,
            (None, Some(i)) => remediation::category_who(i.category),
            (None, None) => &[],
        }
    }

    /// Where the remediation comes from.
    fn remediation_source(&self) -> &'static str {
        match (self.remedy, self.info) {
            (Some(r), _) => r.source,
            (None, Some(_)) => "generic; who acts inferred from the code's category",
            (None, None) => "generic",
        }
    }
}

fn write_code(
    w: &mut dyn Write,
    c: &CodeExplanation,
    format: OutputFormat,
    p: Painter,
) -> Result<()> {
    let steps = c.steps();
    match format {
        OutputFormat::Json => {
            let mut v = serde_json::json!({
                "kind": if c.aadsts.is_some() { "aadsts" } else { "idp_code" },
                "code": c.code,
                "meaning": c.meaning(),
                "remediation": steps,
                "who": c.who(),
                "remediation_source": c.remediation_source(),
                "known": c.info.is_some() || c.remedy.is_some(),
            });
            if c.aadsts.is_some() {
                v["name"] = serde_json::json!(c.info.map(|i| i.name));
                v["category"] = serde_json::json!(c.info.map(|i| i.category.as_str()));
                v["description"] = serde_json::json!(c.info.map(|i| i.description));
            }
            if let Some(r) = c.remedy {
                v["family"] = serde_json::json!(r.family);
            }
            crate::report::json::write_value(w, &v)?;
        }
        OutputFormat::Markdown => {
            writeln!(w, "### `{}`{}", c.code, name_suffix(c))?;
            writeln!(w)?;
            let mut facts = Vec::new();
            if let Some(i) = c.info {
                facts.push(format!("Category `{}`.", i.category));
            }
            if !c.who().is_empty() {
                facts.push(format!("Who acts: {}.", who_list(c.who())));
            }
            if !facts.is_empty() {
                writeln!(w, "{}", facts.join(" "))?;
                writeln!(w)?;
            }
            if let Some(m) = c.meaning() {
                writeln!(w, "**What happened.** {m}")?;
            } else {
                writeln!(w, "**What happened.** not in trace-inspect's tables")?;
            }
            if !steps.is_empty() {
                writeln!(w)?;
                writeln!(w, "**What to do.**")?;
                writeln!(w)?;
                for (i, s) in steps.iter().enumerate() {
                    writeln!(w, "{}. {s}", i + 1)?;
                }
            }
            writeln!(w)?;
            writeln!(w, "Source: {}.", source_line(c))?;
        }
        OutputFormat::Text | OutputFormat::Html => {
            writeln!(w, "{}{}", p.bold(&c.code), name_suffix(c))?;
            let mut facts = Vec::new();
            if let Some(i) = c.info {
                facts.push(format!("category: {}", i.category));
                if i.is_our_label() {
                    facts.push("name is our label; Microsoft gives none".to_owned());
                }
            }
            if !facts.is_empty() {
                writeln!(w, "{}", p.dim(&facts.join(" · ")))?;
            }
            writeln!(w)?;
            writeln!(w, "{}", p.bold("What happened"))?;
            let meaning = c.meaning().unwrap_or("not in trace-inspect's tables");
            for line in wrap(meaning, 78) {
                writeln!(w, "  {line}")?;
            }
            if let (Some(i), Some(_)) = (c.info, c.remedy) {
                for line in wrap(i.description, 78) {
                    writeln!(w, "  {line}")?;
                }
            }
            if !steps.is_empty() {
                writeln!(w)?;
                writeln!(w, "{}", p.bold("What to do"))?;
                for (i, s) in steps.iter().enumerate() {
                    let mut lines = wrap(s, 74).into_iter();
                    if let Some(first) = lines.next() {
                        writeln!(w, "  {}. {first}", i + 1)?;
                    }
                    for line in lines {
                        writeln!(w, "     {line}")?;
                    }
                }
            }
            if !c.who().is_empty() {
                writeln!(w)?;
                writeln!(w, "{}", p.bold("Who acts"))?;
                writeln!(w, "  {}", who_list(c.who()))?;
            }
            writeln!(w)?;
            writeln!(w, "{}", p.dim(&format!("source: {}", source_line(c))))?;
        }
    }
    Ok(())
}

/// ` — InvalidReplyTo` for a known AADSTS code, ` — Okta error code` for
/// the other families, else nothing.
fn name_suffix(c: &CodeExplanation) -> String {
    match (c.info, c.remedy) {
        (Some(i), _) => format!(" — {}", i.name.trim_start_matches('~')),
        (None, Some(r)) if c.aadsts.is_none() => format!(" — {} error code", r.family.display()),
        _ => String::new(),
    }
}

/// Where the facts come from, in one line.
fn source_line(c: &CodeExplanation) -> String {
    let table = c.info.map(|i| match i.source {
        "doc2025" => "code: Microsoft's AADSTS reference table (2025)",
        "hist2018" => "code: Microsoft's 2018 table (no longer listed)",
        "msandbu" => "code: community sign-in log code list (not in Microsoft's table)",
        _ => "code: seen in public error reports (not in Microsoft's table)",
    });
    let remedy = format!("remediation: {}", c.remediation_source());
    match table {
        Some(t) => format!("{t}; {remedy}"),
        None => remedy,
    }
}

/// Greedy word wrap.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
