//! Fitting the shell: `trace-inspect completions <SHELL>` (clap_complete)
//! and `trace-inspect man` (a roff page from clap_mangen). Both are
//! generated from the same clap definitions the parser uses, so they can
//! never list an option the tool does not have.
//!
//! The man page is one document: the top-level page (analyze options,
//! subcommand list, exit codes), then one section per subcommand with its
//! synopsis, description and every option.

use std::io::{self, Write};

use anyhow::Result;
use clap::CommandFactory;

use super::Outcome;
use super::args::{Cli, CompletionsArgs};

const BIN: &str = "trace-inspect";

pub fn completions(args: &CompletionsArgs) -> Result<Outcome> {
    let mut cmd = Cli::command();
    let mut out = io::stdout().lock();
    clap_complete::generate(args.shell, &mut cmd, BIN, &mut out);
    out.flush()?;
    Ok(Outcome::Clean)
}

pub fn man() -> Result<Outcome> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    write_man(&mut out)?;
    out.flush()?;
    Ok(Outcome::Clean)
}

/// Writes the whole manual page.
pub fn write_man(w: &mut dyn Write) -> io::Result<()> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut top = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut top)?;
    for line in String::from_utf8_lossy(&top).lines() {
        // clap_mangen titles the after-help text EXTRA; here it is the exit
        // status (man-pages(7) section name).
        let line = if line == ".SH EXTRA" {
            ".SH \"EXIT STATUS\""
        } else {
            line
        };
        writeln!(w, "{line}")?;
    }
    for sub in cmd.get_subcommands() {
        let name = sub.get_name();
        let full = format!("{BIN} {name}");
        let sub = sub
            .clone()
            .bin_name(full.clone())
            .display_name(full.clone());
        let page = clap_mangen::Man::new(sub.clone());
        let mut body = Vec::new();
        page.render_synopsis_section(&mut body)?;
        page.render_description_section(&mut body)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            page.render_options_section(&mut body)?;
        }
        writeln!(w, ".SH \"{}\"", full.to_uppercase())?;
        // The subcommand's own sections become subsections of its section.
        for line in String::from_utf8_lossy(&body).lines() {
            match line.strip_prefix(".SH ") {
                Some(title) => writeln!(w, ".SS {}", capitalized(title))?,
                None => writeln!(w, "{line}")?,
            }
        }
    }
    Ok(())
}

/// `SYNOPSIS` → `Synopsis`.
fn capitalized(title: &str) -> String {
    let lower = title.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
