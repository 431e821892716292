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

    /// Folder of the cache: the SQLite store and its lock
    #[arg(long, value_name = "DIR", global = true, default_value = "cache")]
    pub cache: PathBuf,

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
    /// Fail on changed, unsupported or broken claims
    Changed,
    /// Fail on unsupported or broken claims
    Unsupported,
    /// Fail on broken claims only
    Broken,
    /// Never fail because of verdicts
    Never,
}

/// Flags of `check`.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
    /// Time-out of each request attempt, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 20.0)]
    pub timeout: f64,
    /// Requests in flight at most, overall
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..))]
    pub concurrency: u32,
    /// Requests in flight at most, per host
    #[arg(long = "per-host", value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
    pub per_host: u32,
    /// Retries for time-outs, connection errors, 429, 502, 503 and 504
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub retries: u32,
    /// Exit 1 when a claim is at or above this verdict
    #[arg(long = "fail-on", value_enum, default_value = "changed")]
    pub fail_on: FailOn,
    /// Judge from the cache alone, without network
    #[arg(long)]
    pub offline: bool,
    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
    /// User-Agent header [default: citewatch/VERSION (+project URL)]
    #[arg(long = "user-agent", value_name = "UA")]
    pub user_agent: Option<String>,
    /// Largest body read per source, in MiB, after decompression
    #[arg(long = "max-body", value_name = "MIB", default_value_t = 20)]
    pub max_body: u64,
}
