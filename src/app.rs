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
        Command::Import(args) => import(&cli, args),
    }
}

fn import(cli: &Cli, args: &crate::cli::ImportArgs) -> ExitCode {
    use crate::import::{self, Format, ImportOptions};
    let fail = |msg: String| {
        eprintln!("error: {msg}");
        ExitCode::from(EXIT_ERROR)
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => return fail(format!("{}: cannot read: {e}", args.file.display())),
    };
    let opts = ImportOptions {
        format: args.format.map(|f| match f {
            crate::cli::ImportFormat::Text => Format::Text,
            crate::cli::ImportFormat::Markdown => Format::Markdown,
            crate::cli::ImportFormat::Html => Format::Html,
            crate::cli::ImportFormat::Pdf => Format::Pdf,
        }),
        id: args.id.clone(),
        title: args.title.clone(),
        base_url: args.base.clone(),
    };
    let imported = match import::import(&args.file, &bytes, &opts) {
        Ok(i) => i,
        Err(e) => return fail(format!("{}: {e}", args.file.display())),
    };
    let out_path = args.out.clone().unwrap_or_else(|| {
        let dir = cli.claims.first().filter(|p| p.is_dir()).cloned().unwrap_or_else(|| PathBuf::from("claims"));
        dir.join(format!("{}.toml", imported.id))
    });
    let source_name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut merged = None;
    let text = if args.merge && out_path.exists() {
        let existing = match std::fs::read_to_string(&out_path) {
            Ok(t) => t,
            Err(e) => return fail(format!("{}: cannot read: {e}", out_path.display())),
        };
        match import::merge(&existing, &imported) {
            Ok((t, report)) => {
                merged = Some(report);
                t
            }
            Err(e) => return fail(format!("{}: {e}", out_path.display())),
        }
    } else {
        if out_path.exists() && !args.dry_run {
            return fail(format!(
                "{} exists; pass --merge to re-import into it (keeping what an editor wrote), or --out PATH",
                out_path.display()
            ));
        }
        import::render_toml(&imported, &source_name)
    };
    // What is written must pass the same checks as any claims file.
    if let Err(errors) = claims::parse_str(&out_path, &text) {
        for e in errors {
            eprintln!("error: the imported claims do not validate: {e}");
        }
        return ExitCode::from(EXIT_ERROR);
    }
    let low = imported.claims.iter().filter(|c| c.confidence < 0.6).count();
    let summary = format!(
        "{}: {} format, {} page(s)/section(s), {} claims, {} distinct URLs, {} placement(s) below 0.6 confidence{}",
        args.file.display(),
        imported.format,
        imported.pages,
        imported.claims.len(),
        imported.distinct_urls,
        low,
        if imported.unplaced.is_empty() { String::new() } else { format!(", {} not placed", imported.unplaced.len()) }
    );
    if args.dry_run {
        print!("{text}");
        eprintln!("{summary}");
    } else {
        if let Some(dir) = out_path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Err(e) = std::fs::create_dir_all(dir) {
                return fail(format!("{}: cannot create: {e}", dir.display()));
            }
        }
        if let Err(e) = std::fs::write(&out_path, &text) {
            return fail(format!("{}: cannot write: {e}", out_path.display()));
        }
        println!("{summary}");
        println!("wrote {}", out_path.display());
    }
    for u in &imported.unplaced {
        eprintln!("not placed: {u}");
    }
    if let Some(m) = merged {
        println!("merge: {} kept, {} added, {} removed", m.kept, m.added.len(), m.removed.len());
        for a in &m.added {
            println!("  added   {a}");
        }
        for r in &m.removed {
            println!("  removed {r}");
        }
    }
    if low > 0 {
        println!("review the low-confidence placements first: grep -n 'confidence = 0\\.[0-5]' {}", out_path.display());
    }
    ExitCode::from(EXIT_OK)
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
