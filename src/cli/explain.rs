//! `trace-inspect explain CODE`: a rule's What / Why / How-to-fix, or an
//! AADSTS code's name, category and meaning.

use std::io::Write;

use anyhow::{Result, bail};
use serde::Serialize;

use super::Outcome;
use super::args::{ExplainArgs, OutputFormat};
use super::config::Output;
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
}

pub fn run(args: &ExplainArgs) -> Result<Outcome> {
    let output = Output::from_args(&args.output);
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
    } else if let Some(text) =
        crate::decode::explain_code(&args.code, output.format == OutputFormat::Json)
    {
        writeln!(out, "{text}")?;
    } else {
        let codes: Vec<&str> = rules::RULES.iter().map(|r| r.code).collect();
        bail!(
            "unknown code '{}': give a rule code ({}) or an AADSTS code such as AADSTS50011",
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
        }
        OutputFormat::Text => {
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
        }
    }
    Ok(())
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
