//! Validated settings: what the library sees after the CLI's words have been
//! checked (sizes parsed, colour decided, output target chosen).

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::args::{ColorChoice, LoadArgs, OutputArgs, OutputFormat, TrustArgs};
use crate::capture::{Limits, LoadOptions};

/// How to print.
#[derive(Debug, Clone)]
pub struct Output {
    pub format: OutputFormat,
    pub path: Option<PathBuf>,
    pub color: bool,
    pub show_secrets: bool,
    /// `--quiet`: no report, only the exit code.
    pub quiet: bool,
}

impl Output {
    pub fn from_args(args: &OutputArgs) -> Output {
        let color = use_color(args.color, args.output.as_deref());
        Output {
            format: args.format,
            path: args.output.clone(),
            color: color && args.format == OutputFormat::Text,
            show_secrets: args.show_secrets,
            quiet: args.quiet,
        }
    }
}

/// Whether to colour: always / never as asked; on `auto`, only when writing
/// to a terminal (not `-o`) and `NO_COLOR` is unset.
pub fn use_color(choice: ColorChoice, output: Option<&std::path::Path>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            output.is_none()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Reads `--idp-cert` and `--sp-key` files. A file that cannot be read or
/// parsed is a one-line error naming it (exit 2); key content never appears
/// in the message.
pub fn trust(args: &TrustArgs) -> Result<crate::signature::Trust> {
    /// Trust files are small; anything larger is not one.
    const MAX: u64 = 16 << 20;
    let read = |p: &std::path::Path| -> Result<Vec<u8>> {
        let meta = std::fs::metadata(p).with_context(|| format!("{}: cannot read", p.display()))?;
        if meta.len() > MAX {
            bail!(
                "{}: larger than 16 MiB, not a certificate, metadata or key file",
                p.display()
            );
        }
        std::fs::read(p).with_context(|| format!("{}: cannot read", p.display()))
    };
    let mut t = crate::signature::Trust::default();
    for p in &args.idp_cert {
        t.add_file(&p.display().to_string(), &read(p)?)
            .map_err(|e| anyhow::anyhow!("--idp-cert {e}"))?;
    }
    for p in &args.sp_key {
        t.add_private_key_file(&p.display().to_string(), &read(p)?)
            .map_err(|e| anyhow::anyhow!("--sp-key {e}"))?;
    }
    Ok(t)
}

/// Load options from the flags, limits checked.
pub fn load_options(args: &LoadArgs) -> Result<LoadOptions> {
    let mut limits = Limits::default();
    if let Some(s) = &args.max_capture_size {
        limits.max_capture_bytes = parse_size(s).context("--max-capture-size")?;
    }
    if let Some(s) = &args.max_decompressed {
        limits.max_decompressed_bytes = parse_size(s).context("--max-decompressed")?;
    }
    if let Some(s) = &args.max_retained {
        limits.max_retained_bytes = parse_size(s).context("--max-retained")?;
    }
    if let Some(s) = &args.max_body_size {
        limits.max_body_bytes = parse_size(s).context("--max-body-size")?;
    }
    if let Some(n) = args.max_headers {
        limits.max_headers = n;
    }
    if let Some(s) = &args.max_header_size {
        limits.max_header_bytes = usize::try_from(parse_size(s).context("--max-header-size")?)
            .context("--max-header-size is too large for this machine")?;
    }
    Ok(LoadOptions {
        password: args.password.clone().filter(|p| !p.is_empty()),
        limits,
    })
}

/// `4GiB`, `512MiB`, `100MB`, `64k`, `1024` → bytes.
pub fn parse_size(text: &str) -> Result<u64> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .parse()
        .with_context(|| format!("'{text}' is not a size (try 512MiB or 4GiB)"))?;
    let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "g" | "gb" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "t" | "tb" => 1e12,
        "tib" => 1024.0_f64.powi(4),
        other => {
            bail!("unknown size unit '{other}' in '{text}' (use B, KiB, MiB, GiB, KB, MB, GB)")
        }
    };
    let bytes = value * factor;
    if !bytes.is_finite() || bytes < 1.0 || bytes > u64::MAX as f64 {
        bail!("'{text}' is not a usable size");
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sizes_with_units() {
        assert_eq!(parse_size("1024").unwrap(), 1024);
        assert_eq!(parse_size("4GiB").unwrap(), 4 << 30);
        assert_eq!(parse_size("100MB").unwrap(), 100_000_000);
        assert_eq!(parse_size("64k").unwrap(), 64_000);
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("0").is_err());
    }
}
