//! The command line (clap). Each flag's doc comment is its `--help` text.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// citewatch keeps published claims honest: it fetches the sources each claim
/// cites, and flags the claims whose sources vanished, moved, changed or no
/// longer carry the quoted words.
#[derive(Debug, Parser)]
#[command(name = "citewatch", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Claims files or folders of them (*.toml); repeatable [default: claims/]
    #[arg(long = "claims", value_name = "PATH", global = true)]
    pub claims: Vec<PathBuf>,

    /// Folder of the cache: the SQLite store and its lock [default: cache/]
    #[arg(long, value_name = "DIR", global = true)]
    pub cache: Option<PathBuf>,

    /// The project configuration [default: citewatch.toml, when present]
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,

    /// Say what is fetched, retried and skipped, on stderr
    #[arg(long, short, global = true)]
    pub verbose: bool,

    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch every cited source once, judge every claim, store and report
    Check(CheckArgs),
    /// Check the claims files without fetching anything (exit 2 on errors)
    Validate,
    /// Read a factsheet (text extracted from a PDF, Markdown, HTML or PDF) into a claims file
    Import(ImportArgs),
    /// The last known state of every claim and source, from the store (no fetching)
    Status(StatusArgs),
    /// Word-level diff of a target's changed sources: baseline against latest
    Diff(DiffArgs),
    /// Make the latest content of a target's sources their new baseline
    Accept(AcceptArgs),
    /// The timeline of a target's sources: every fetch and accept, newest first
    History(HistoryArgs),
    /// The sources report of a run, from the store (no fetching): HTML, Markdown, CSV, JSON, JUnit or Robust Links
    Report(ReportArgs),
    /// The stored runs, newest first: when, finished or interrupted, sources stored, claims flagged
    Runs(RunsArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a folder
    Man(ManArgs),
    /// Archived copies of dead sources, with the claims' quotes checked in them; --save captures live sources
    Archive(ArchiveArgs),
    /// Print the text citewatch watches on a saved page (or all its text, where quotes are searched)
    Extract(ExtractArgs),
}

/// Output format of `extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    /// The text, one block per line
    Text,
    /// One JSON document: kind, title, watched and full text, failure
    Json,
}

/// Flags of `extract`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExtractArgs {
    /// A saved page: HTML, PDF or plain text (`-` reads stdin)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// All visible text (where quotes and text fragments are searched), not only the watched text
    #[arg(long)]
    pub full: bool,
    /// A CSS selector narrowing the watched text, as a source's `selector` in a claims file
    #[arg(long, value_name = "CSS")]
    pub selector: Option<String>,
    /// The page's content type [default: from the file name, else sniffed]
    #[arg(long, value_name = "TYPE")]
    pub content_type: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExtractFormat,
}

/// Flags of `completions`.
#[derive(Debug, Clone, clap::Args)]
pub struct CompletionsArgs {
    /// The shell, e.g. `citewatch completions bash > ~/.local/share/bash-completion/completions/citewatch`
    #[arg(value_name = "SHELL", value_enum)]
    pub shell: clap_complete::Shell,
}

/// Flags of `man`.
#[derive(Debug, Clone, clap::Args)]
pub struct ManArgs {
    /// Write citewatch.1 and one citewatch-COMMAND.1 per command into DIR instead of printing citewatch.1
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Output format of `runs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunsFormat {
    /// One line per run: id, start, status, sources stored, claims flagged
    Text,
    /// A JSON array of the runs
    Json,
}

/// Flags of `runs`.
#[derive(Debug, Clone, clap::Args)]
pub struct RunsArgs {
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: RunsFormat,
}

/// Output format of `archive`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ArchiveFormat {
    /// A table (claim, dead URL, archived copy, date, quotes found), then each suggestion in words
    Text,
    /// One JSON document (schema 1) on stdout
    Json,
}

/// Flags of `archive`.
#[derive(Debug, Clone, clap::Args)]
pub struct ArchiveArgs {
    /// FACTSHEET/CLAIM, a cited URL or a factsheet id (repeatable) [default: every claim]
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,
    /// Every source, not only those the last check found broken
    #[arg(long)]
    pub all: bool,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: ArchiveFormat,
    /// Write archived = "…" into the claims files (copies that hold their claim's quotes; comments and layout kept)
    #[arg(long)]
    pub write: bool,
    /// Ask Save Page Now to capture every live source with no capture within --within days
    #[arg(long)]
    pub save: bool,
    /// With --save: a capture this many days old or newer is enough
    #[arg(long, value_name = "DAYS", default_value_t = 30, requires = "save")]
    pub within: u32,
    /// Time-out of each archive request, in seconds [default: [archive] timeout, else 20]
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
}

/// Output format of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained page (inline CSS and JS) to open in a browser or print
    Html,
    /// Markdown for a GitHub issue or pull-request comment
    Md,
    /// One row per claim × source (RFC 4180, UTF-8)
    Csv,
    /// The `check --format json` document of the run
    Json,
    /// JUnit XML: one test case per claim
    Junit,
    /// The factsheet's links as Robust Links (HTML with data-originalurl, data-versionurl, data-versiondate)
    Robustlinks,
}

/// Flags of `report`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// Output format
    #[arg(long, value_enum, default_value = "html")]
    pub format: ReportFormat,
    /// Write to FILE instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only claims of this factsheet (repeatable)
    #[arg(long, value_name = "ID")]
    pub factsheet: Vec<String>,
    /// Only claims with this verdict (repeatable)
    #[arg(long, value_name = "V", value_parser = ["ok", "changed", "unsupported", "broken", "unverified"])]
    pub verdict: Vec<String>,
    /// The run to report [default: the last finished run]
    #[arg(long, value_name = "ID")]
    pub run: Option<i64>,
}

/// Input format of `import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Text extracted from a PDF: each page's text, then the links on that page
    Text,
    /// Markdown with inline, reference or footnote links
    Markdown,
    /// HTML with links in paragraphs, list items, table cells and footnotes
    Html,
    /// A PDF with link annotations
    Pdf,
}

/// Flags of `import`.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// The factsheet to read
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Input format [default: from the extension and content]
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
    /// Factsheet id [default: from the title]
    #[arg(long)]
    pub id: Option<String>,
    /// Factsheet title [default: from the document]
    #[arg(long)]
    pub title: Option<String>,
    /// Base URL for relative links in HTML
    #[arg(long, value_name = "URL")]
    pub base: Option<String>,
    /// Where to write [default: claims/ID.toml]
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Merge into an existing claims file, keeping what an editor wrote
    #[arg(long)]
    pub merge: bool,
    /// Print the claims file instead of writing it
    #[arg(long = "dry-run")]
    pub dry_run: bool,
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Flagged claims with reasons, then a summary line
    Text,
    /// One JSON document (schema 1) on stdout
    Json,
}

/// The lowest verdict that makes `check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Fail on unverified, changed, unsupported or broken claims (a run that could check nothing fails)
    Unverified,
    /// Fail on changed, unsupported or broken claims
    Changed,
    /// Fail on unsupported or broken claims
    Unsupported,
    /// Fail on broken claims only
    Broken,
    /// Never fail because of verdicts
    Never,
}

/// Flags of `check`. Those not given come from `citewatch.toml`, then the defaults.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// Output format [default: text]
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Time-out of each request attempt, in seconds [default: 20]
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Requests in flight at most, overall [default: 64]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub concurrency: Option<u32>,
    /// Requests in flight at most, per host [default: 2]
    #[arg(long = "per-host", value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub per_host: Option<u32>,
    /// Retries for time-outs, connection errors, 429, 502, 503 and 504 [default: 2]
    #[arg(long, value_name = "N")]
    pub retries: Option<u32>,
    /// Exit 1 when a claim is at or above this verdict [default: changed]
    #[arg(long = "fail-on", value_enum)]
    pub fail_on: Option<FailOn>,
    /// Count a failing source for the exit status only after N failed runs in a row [default: 1]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub confirm: Option<u32>,
    /// Judge from the cache alone, without network
    #[arg(long)]
    pub offline: bool,
    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
    /// User-Agent header [default: citewatch/VERSION (+project URL)]
    #[arg(long = "user-agent", value_name = "UA")]
    pub user_agent: Option<String>,
    /// Fetch URLs matching PATTERN from REPLACEMENT instead ("PATTERN REPLACEMENT", regex and $1 groups; repeatable); reports keep the cited URLs
    #[arg(long, value_name = "RULE")]
    pub remap: Vec<String>,
    /// Largest body read per source, in MiB, after decompression [default: 20]
    #[arg(long = "max-body", value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_body: Option<u64>,
    /// Never fetch nor judge cited URLs matching REGEX; listed as excluded (repeatable; adds to `exclude`)
    #[arg(long, value_name = "REGEX")]
    pub exclude: Vec<String>,
    /// HTTP statuses counted as fine, e.g. "200..=299, 403" [default: 200..=299]
    #[arg(long, value_name = "CODES")]
    pub accept: Option<String>,
    /// Extra request header "Name: value", sent to every host (repeatable)
    #[arg(long, short = 'H', value_name = "HEADER")]
    pub header: Vec<String>,
    /// HTTP basic auth for a host: "HOST USER:PASSWORD" (repeatable; a URL stands for its host)
    #[arg(long = "basic-auth", value_name = "AUTH")]
    pub basic_auth: Vec<String>,
}

/// Output format of `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    /// Every claim with its verdict, reasons, next steps and tracked figures, then a summary line
    Text,
    /// The `check --format json` document of the last known state (schema 1)
    Json,
}

/// Flags of `status`.
#[derive(Debug, Clone, clap::Args)]
pub struct StatusArgs {
    /// Only this target: FACTSHEET/CLAIM, a URL, or a factsheet id [default: everything]
    #[arg(value_name = "TARGET")]
    pub target: Option<String>,
    /// Only claims with this verdict (repeatable)
    #[arg(long, value_name = "V", value_parser = ["ok", "changed", "unsupported", "broken", "unverified"])]
    pub verdict: Vec<String>,
    /// Only claims of this factsheet (repeatable)
    #[arg(long, value_name = "ID")]
    pub factsheet: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: StatusFormat,
}

/// Output format of `history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    /// Each source's timeline: one line per fetch (time, run, HTTP status, health, content, reason) or accept
    Text,
    /// A source's timeline as a JSON object (for a URL), or a JSON array of them (for a claim or factsheet)
    Json,
}

/// Flags of `history`.
#[derive(Debug, Clone, clap::Args)]
pub struct HistoryArgs {
    /// FACTSHEET/CLAIM, a URL as cited (a fragment is ignored), or a factsheet id
    #[arg(value_name = "TARGET")]
    pub target: String,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: HistoryFormat,
}

/// Flags of `diff`.
#[derive(Debug, Clone, clap::Args)]
pub struct DiffArgs {
    /// FACTSHEET/CLAIM, a URL, or a factsheet id
    #[arg(value_name = "TARGET")]
    pub target: String,
    /// The whole text, not only the hunks
    #[arg(long)]
    pub full: bool,
    /// Lines of context around each change
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub context: usize,
    /// Colour: auto (on a terminal, unless NO_COLOR), always, never
    #[arg(long, value_name = "WHEN", default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub color: String,
}

/// Flags of `accept`.
#[derive(Debug, Clone, clap::Args)]
pub struct AcceptArgs {
    /// FACTSHEET/CLAIM, a URL, or a factsheet id
    #[arg(value_name = "TARGET", required_unless_present_any = ["all", "undo", "list"])]
    pub target: Option<String>,
    /// Accept the latest content of every source
    #[arg(long, conflicts_with = "target")]
    pub all: bool,
    /// Why the new content is fine (kept with the accept)
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Undo the latest accept (of TARGET's sources, or the latest accept command)
    #[arg(long, conflicts_with_all = ["all", "note"])]
    pub undo: bool,
    /// List the accepts, newest first
    #[arg(long, conflicts_with_all = ["all", "note", "undo", "target"])]
    pub list: bool,
}
