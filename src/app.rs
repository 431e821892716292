//! Runs a parsed command line: the only place that writes to stdout and
//! decides the exit status (0 fine, 1 claims flagged, 2 bad input or error).

use crate::check::{self, CheckOptions};
use crate::claims;
use crate::cli::{CheckArgs, Cli, Command, FailOn, OutputFormat};
use crate::fetch::FetchConfig;
use crate::model::Verdict;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Exit status: no claim at or above the fail level.
pub const EXIT_OK: u8 = 0;
/// Exit status: a claim at or above the fail level.
pub const EXIT_FLAGGED: u8 = 1;
/// Exit status: bad input, usage or an error that stopped the work.
pub const EXIT_ERROR: u8 = 2;

fn claim_paths(cli: &Cli) -> Vec<PathBuf> {
    if cli.claims.is_empty() {
        vec![PathBuf::from("claims")]
    } else {
        cli.claims.clone()
    }
}

fn load(cli: &Cli) -> Result<Vec<claims::Factsheet>, ExitCode> {
    claims::load(&claim_paths(cli)).map_err(|d| {
        for e in &d.0 {
            if e.line == 0 {
                eprintln!("error: {}", e.message);
            } else {
                eprintln!("error: {e}");
            }
        }
        if d.0.len() > 1 || d.0.first().is_some_and(|e| e.line > 0) {
            eprintln!("{} error(s) in the claims files; nothing was fetched or written", d.0.len());
        }
        ExitCode::from(EXIT_ERROR)
    })
}

/// Runs the command line.
pub fn run(cli: Cli) -> ExitCode {
    match &cli.command {
        Command::Validate => match load(&cli) {
            Ok(fs) => {
                let claims: usize = fs.iter().map(|f| f.claims.len()).sum();
                let urls = crate::plan::build(&fs).len();
                println!("{} factsheet(s), {claims} claims, {urls} distinct URLs: valid", fs.len());
                ExitCode::from(EXIT_OK)
            }
            Err(code) => code,
        },
        Command::Check(args) => check(&cli, args),
    }
}

fn check(cli: &Cli, args: &CheckArgs) -> ExitCode {
    let factsheets = match load(cli) {
        Ok(f) => f,
        Err(code) => return code,
    };
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        eprintln!("error: --timeout must be a positive number of seconds");
        return ExitCode::from(EXIT_ERROR);
    }
    let opts = CheckOptions {
        fetch: FetchConfig {
            timeout: Duration::from_secs_f64(args.timeout),
            concurrency: args.concurrency as usize,
            per_host: args.per_host as usize,
            retries: args.retries,
            max_body: args.max_body.max(1) * 1024 * 1024,
            user_agent: args.user_agent.clone().unwrap_or_else(FetchConfig::default_user_agent),
            max_retry_after: Duration::from_secs(30),
            backoff: Duration::from_millis(500),
        },
        offline: args.offline,
        progress: !args.quiet,
        ignore: Vec::new(),
    };
    let outcome = match check::run(&factsheets, &cli.cache, &opts) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let report = &outcome.report;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match args.format {
        OutputFormat::Json => crate::report::json(report, &mut out),
        OutputFormat::Text => crate::report::text::render(report, &mut out),
    };
    if let Err(e) = written.and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: writing the report: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    }
    let threshold = match args.fail_on {
        FailOn::Changed => Some(Verdict::Changed),
        FailOn::Unsupported => Some(Verdict::Unsupported),
        FailOn::Broken => Some(Verdict::Broken),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| report.claims.iter().any(|c| c.verdict >= t));
    ExitCode::from(if failed { EXIT_FLAGGED } else { EXIT_OK })
}
