//! What the user typed: clap derive definitions, nothing validated yet.
//! The `config` module turns these into the validated settings the library sees.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Reads a browser or proxy capture of a web sign-in (HAR, SAZ) and says where
/// and why it broke.
#[derive(Debug, Parser)]
#[command(
    name = "trace-inspect",
    version = super::version_text(),
    about,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "Exit codes: 0 analysed, no sign-in failure found; 1 a failure (or a capture too \
                  incomplete to judge) was found; 2 usage error or unreadable input."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub analyze: AnalyzeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decode one pasted value: a redirect URL, SAMLRequest / SAMLResponse,
    /// JWT, form body, wresult, OAuth error JSON or an IdP HTML page.
    Decode(DecodeArgs),
    /// Explain a rule code or an AADSTS error code (AADSTS50011 or 50011).
    Explain(ExplainArgs),
    /// Analyse every capture under files and folders (recursive), in parallel:
    /// one row per capture, then counts per category, error code, app, tenant
    /// and browser. Exit 0 when none failed, 1 when any failed or could not
    /// be read, 2 for usage errors.
    Triage(TriageArgs),
    /// Write a copy of a capture that is safe to share (HAR → HAR, SAZ →
    /// SAZ): cookie values, credentials, passwords, codes, tokens and
    /// signatures replaced by keyed pseudonyms, protocol messages redacted
    /// inside and re-encoded, so the copy diagnoses the same. Prints a
    /// receipt of what was replaced. Exit 0 when written, 2 otherwise.
    Redact(RedactArgs),
    /// Print shell completions (bash, zsh, fish, powershell, elvish) to
    /// standard output.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to standard output: every command and
    /// option. `trace-inspect man | man -l -` reads it.
    Man,
}

/// `trace-inspect completions <SHELL>`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL", value_enum)]
    pub shell: clap_complete::Shell,
}

/// `trace-inspect redact <CAPTURE> -o <OUT>`
#[derive(Debug, Args)]
pub struct RedactArgs {
    /// The HAR or SAZ file to redact, or - for standard input (format
    /// detected from content; never modified).
    #[arg(value_name = "CAPTURE")]
    pub capture: PathBuf,

    /// Where to write the redacted copy (never the input).
    #[arg(short = 'o', long, value_name = "OUT", required = true)]
    pub output: PathBuf,

    /// Replace OUT when it already exists.
    #[arg(long)]
    pub force: bool,

    /// Also pseudonymise personal data: user names, UPNs, e-mail addresses,
    /// people's names (claims, SAML attributes) and IP addresses.
    #[arg(long)]
    pub pii: bool,

    /// Pseudonym key as hex (32+ digits) or @FILE; default: random for each
    /// run. With the same key, equal values get equal pseudonyms across files.
    #[arg(long, value_name = "HEX|@FILE")]
    pub key: Option<String>,

    /// Drop what cannot be parsed (a SAZ session whose request or response
    /// does not parse, an unreadable member), listed in the receipt,
    /// instead of refusing the whole capture. Never copied as it is.
    #[arg(long)]
    pub drop_unparsed: bool,

    /// Write the receipt as JSON to FILE instead of text on standard error.
    #[arg(long, value_name = "FILE")]
    pub receipt: Option<PathBuf>,

    /// No receipt on standard error: only the exit code (errors are still
    /// printed).
    #[arg(short, long)]
    pub quiet: bool,

    #[command(flatten)]
    pub load: LoadArgs,
}

#[derive(Debug, Args)]
pub struct TriageArgs {
    /// Files and folders (searched recursively; HAR and SAZ detected by
    /// content, other files skipped and counted); - reads one capture from
    /// standard input.
    #[arg(value_name = "PATH", required_unless_present = "stdin_paths")]
    pub paths: Vec<PathBuf>,

    /// Read the list of paths from standard input, one per line (as
    /// `find … | trace-inspect triage --stdin-paths`), after any PATH given.
    #[arg(long)]
    pub stdin_paths: bool,

    /// Worker threads (default: all cores).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = TriageFormat::Table)]
    pub format: TriageFormat,

    /// Write the output to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// When to colour the table (NO_COLOR is honoured).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Also write one HTML report per capture into DIR (created if needed;
    /// file names made from the capture names), linked from the HTML table.
    #[arg(long, value_name = "DIR")]
    pub reports: Option<PathBuf>,

    /// Print cookie values, passwords, tokens and signatures in the reports
    /// instead of masking them.
    #[arg(long)]
    pub show_secrets: bool,

    /// No output and no progress bar: only the exit code (errors are still
    /// printed on standard error).
    #[arg(short, long, conflicts_with = "output")]
    pub quiet: bool,

    #[command(flatten)]
    pub load: LoadArgs,

    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TriageFormat {
    /// A table, then the aggregate.
    Table,
    /// One JSON object per capture per line (sorted by path).
    Ndjson,
    /// One CSV row per capture.
    Csv,
    /// One JSON document with rows and aggregate.
    Json,
    /// One self-contained HTML page: bar charts and a sortable table.
    Html,
}

/// `trace-inspect [OPTIONS] <CAPTURE>...`
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// HAR or SAZ files, or - for standard input (format detected from
    /// content).
    #[arg(value_name = "CAPTURE", required = true)]
    pub captures: Vec<PathBuf>,

    /// Show one exchange in full: headers, cookies, decoded bodies and messages.
    #[arg(long, value_name = "N")]
    pub entry: Option<u32>,

    /// List every exchange in the timeline, not only identity traffic.
    #[arg(long)]
    pub all: bool,

    /// What makes the exit code 1: a failed or inconclusive verdict (error),
    /// also any warning (warning), or nothing (never).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub load: LoadArgs,

    #[command(flatten)]
    pub trust: TrustArgs,
}

/// Keys signatures are checked against and encrypted assertions opened with.
#[derive(Debug, Args, Default)]
pub struct TrustArgs {
    /// The IdP's signing certificate as the app trusts it: a PEM / DER
    /// certificate, SAML metadata (IdP or SP), or a JWKS / OpenID discovery
    /// document (detected from content). Repeatable.
    #[arg(long, value_name = "FILE")]
    pub idp_cert: Vec<PathBuf>,

    /// The SP's private key (PEM PKCS#1 / PKCS#8) to open EncryptedAssertion,
    /// EncryptedID and EncryptedAttribute. Repeatable. Never printed.
    #[arg(long, value_name = "FILE")]
    pub sp_key: Vec<PathBuf>,
}

/// Options shared by every command that prints.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// Write the output to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// When to colour text output (NO_COLOR is honoured).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print cookie values, passwords, tokens and signatures instead of masking them.
    #[arg(long)]
    pub show_secrets: bool,

    /// No report: only the exit code, for scripts and CI gates (errors are
    /// still printed on standard error).
    #[arg(short, long, conflicts_with = "output")]
    pub quiet: bool,
}

/// How captures are opened, and the resource limits applied.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Password of an encrypted SAZ archive.
    #[arg(long, env = "TRACE_INSPECT_SAZ_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,

    /// Most bytes one capture file may have (e.g. 4GiB); only regular files
    /// are read (FIFOs and devices are refused).
    #[arg(long, value_name = "SIZE")]
    pub max_capture_size: Option<String>,

    /// Most bytes a SAZ archive may decompress to (e.g. 4GiB).
    #[arg(long, value_name = "SIZE")]
    pub max_decompressed: Option<String>,

    /// Most bytes of a SAZ archive's sessions kept in memory (e.g. 1GiB);
    /// bodies no decoder reads (images, fonts, media) are counted, not kept.
    #[arg(long, value_name = "SIZE")]
    pub max_retained: Option<String>,

    /// Most bytes one body may decode to (e.g. 512MiB).
    #[arg(long, value_name = "SIZE")]
    pub max_body_size: Option<String>,

    /// Most header fields in one HTTP message.
    #[arg(long, value_name = "N")]
    pub max_headers: Option<usize>,

    /// Most bytes in one message's header section (e.g. 1MiB).
    #[arg(long, value_name = "SIZE")]
    pub max_header_size: Option<String>,
}

#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The value, a file holding it, or - for standard input.
    #[arg(value_name = "VALUE|FILE|-")]
    pub input: String,

    /// Measure "expired 2 h ago" against this instant (RFC 3339) instead of now,
    /// e.g. the time of the capture the value came from.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code or an AADSTS code (AADSTS50011, 50011).
    #[arg(value_name = "CODE")]
    pub code: String,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Markdown,
    /// One self-contained page (analyse one capture; decode and explain refuse it).
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// A failed or inconclusive verdict.
    Error,
    /// That, or any warning finding.
    Warning,
    /// Never: exit 0 whenever the capture could be read.
    Never,
}

impl FailOn {
    /// Whether this analysis makes the exit code 1.
    pub fn fails(self, a: &crate::analysis::Analysis<'_, '_>) -> bool {
        use crate::analysis::Status;
        use crate::rules::Severity;
        let bad_verdict = a.verdict.status != Status::Ok;
        match self {
            FailOn::Error => bad_verdict,
            FailOn::Warning => {
                bad_verdict || a.findings.iter().any(|f| f.severity >= Severity::Warning)
            }
            FailOn::Never => false,
        }
    }
}
