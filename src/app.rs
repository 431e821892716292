//! Runs a parsed command line: the only place that writes to stdout and
//! decides the exit status (0 fine, 1 claims flagged, 2 bad input or error).

use crate::check::{self, CheckOptions};
use crate::claims;
use crate::cli::{CheckArgs, Cli, Command, FailOn, OutputFormat};
use crate::config::Config;
use crate::fetch::FetchConfig;
use crate::model::Verdict;
use crate::report::sanitize;
use crate::review;
use clap::ValueEnum;
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

/// The command line with the project configuration applied.
struct Ctx<'a> {
    cli: &'a Cli,
    config: Config,
}

impl Ctx<'_> {
    fn claim_paths(&self) -> Vec<PathBuf> {
        if !self.cli.claims.is_empty() {
            self.cli.claims.clone()
        } else {
            self.config.claims.clone().unwrap_or_else(|| vec![PathBuf::from("claims")])
        }
    }
    fn cache(&self) -> PathBuf {
        self.cli.cache.clone().or_else(|| self.config.cache.clone()).unwrap_or_else(|| PathBuf::from("cache"))
    }
    fn store(&self) -> Result<crate::store::Store, ExitCode> {
        crate::store::Store::open_existing(&self.cache()).map_err(|e| fail(e.to_string()))
    }
}

fn fail(msg: String) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(EXIT_ERROR)
}

/// Writes to stdout; a closed pipe is not an error.
fn emit(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match f(&mut out).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(format!("writing the output: {e}"))),
        _ => Ok(()),
    }
}

fn load(cx: &Ctx<'_>) -> Result<Vec<claims::Factsheet>, ExitCode> {
    claims::load(&cx.claim_paths()).map_err(|d| {
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
    let config = match crate::config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let cx = Ctx { cli: &cli, config };
    let result = match &cli.command {
        Command::Validate => match load(&cx) {
            Ok(fs) => {
                let claims: usize = fs.iter().map(|f| f.claims.len()).sum();
                let urls = crate::plan::build(&fs).len();
                println!("{} factsheet(s), {claims} claims, {urls} distinct URLs: valid", fs.len());
                ExitCode::from(EXIT_OK)
            }
            Err(code) => code,
        },
        Command::Check(args) => check(&cx, args),
        Command::Import(args) => import(&cx, args),
        Command::Status(args) => status(&cx, args).unwrap_or_else(|c| c),
        Command::Diff(args) => diff(&cx, args).unwrap_or_else(|c| c),
        Command::Accept(args) => accept(&cx, args).unwrap_or_else(|c| c),
        Command::History(args) => history(&cx, args).unwrap_or_else(|c| c),
        Command::Report(args) => report(&cx, args).unwrap_or_else(|c| c),
    };
    result
}

/// Refuses factsheet ids the document does not know (a typo must not read
/// as "all 0 claims are ok").
fn unknown_factsheets(asked: &[String], doc: &crate::report::model::RunReport) -> Result<(), ExitCode> {
    let known: Vec<&str> = doc.factsheets.iter().map(|f| f.id.as_str()).collect();
    match asked.iter().find(|a| !known.contains(&a.as_str())) {
        Some(a) => Err(fail(format!("no factsheet \"{a}\" in the store; known: {}", known.join(", ")))),
        None => Ok(()),
    }
}

fn status(cx: &Ctx<'_>, args: &crate::cli::StatusArgs) -> Result<ExitCode, ExitCode> {
    let store = cx.store()?;
    let verdicts: Vec<Verdict> = args.verdict.iter().filter_map(|v| Verdict::parse(v)).collect();
    let report = review::status(&store, &verdicts, &args.factsheet).map_err(|e| fail(e.to_string()))?;
    unknown_factsheets(&args.factsheet, &report)?;
    emit(|out| match args.format.format {
        OutputFormat::Json => crate::report::render_json(&report, out),
        OutputFormat::Text => crate::report::text::render_all(&report, out),
    })?;
    Ok(ExitCode::from(EXIT_OK))
}

fn report(cx: &Ctx<'_>, args: &crate::cli::ReportArgs) -> Result<ExitCode, ExitCode> {
    use crate::cli::ReportFormat;
    use crate::report::{Format, ReportExtras};
    let store = cx.store()?;
    let err = |e: crate::store::StoreError| fail(e.to_string());
    let doc = match store.run_report(args.run).map_err(err)? {
        Some(d) => d,
        None => {
            return Err(fail(match args.run {
                Some(id) => format!("no finished run {id} in the store; see `citewatch status` for the last run"),
                None => "no finished check in the store yet; run `citewatch check` first".into(),
            }))
        }
    };
    let verdicts: Vec<Verdict> = args.verdict.iter().filter_map(|v| Verdict::parse(v)).collect();
    unknown_factsheets(&args.factsheet, &doc)?;
    let doc = review::filter(doc, &verdicts, &args.factsheet);
    let format = match args.format {
        ReportFormat::Html => Format::Html,
        ReportFormat::Md => Format::Md,
        ReportFormat::Csv => Format::Csv,
        ReportFormat::Json => Format::Json,
        ReportFormat::Junit => Format::Junit,
    };
    let extras = if matches!(format, Format::Html | Format::Md) {
        ReportExtras {
            history: review::run_points(&store).map_err(err)?,
            excerpts: review::excerpts(&store, &doc).map_err(err)?,
            generated: jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        }
    } else {
        ReportExtras::default()
    };
    match &args.output {
        Some(path) => {
            let file =
                std::fs::File::create(path).map_err(|e| fail(format!("{}: cannot write: {e}", path.display())))?;
            let mut w = std::io::BufWriter::new(file);
            crate::report::render(&doc, &extras, format, &mut w)
                .and_then(|_| w.flush())
                .map_err(|e| fail(format!("{}: cannot write: {e}", path.display())))?;
            eprintln!(
                "wrote {} ({} claims, {} sources, run {})",
                path.display(),
                doc.claims.len(),
                doc.sources.len(),
                doc.run.id
            );
        }
        None => emit(|out| {
            let mut w = std::io::BufWriter::new(out);
            crate::report::render(&doc, &extras, format, &mut w)?;
            w.flush()
        })?,
    }
    Ok(ExitCode::from(EXIT_OK))
}

fn history(cx: &Ctx<'_>, args: &crate::cli::HistoryArgs) -> Result<ExitCode, ExitCode> {
    let store = cx.store()?;
    let h = review::history(&store, &args.url).map_err(|e| fail(e.to_string()))?;
    emit(|out| match args.format.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &h)?;
            writeln!(out)
        }
        OutputFormat::Text => crate::report::text::render_history(&h, out),
    })?;
    Ok(ExitCode::from(EXIT_OK))
}

fn diff(cx: &Ctx<'_>, args: &crate::cli::DiffArgs) -> Result<ExitCode, ExitCode> {
    use std::io::IsTerminal;
    let store = cx.store()?;
    let target = review::resolve(&store, &args.target).map_err(|e| fail(e.to_string()))?;
    let texts = review::texts(&store, &target).map_err(|e| fail(e.to_string()))?;
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let style = crate::report::diff::DiffStyle { color, full: args.full, context: args.context };
    emit(|out| crate::report::diff::render(&texts, style, out).map(|_| ()))?;
    Ok(ExitCode::from(EXIT_OK))
}

fn accept(cx: &Ctx<'_>, args: &crate::cli::AcceptArgs) -> Result<ExitCode, ExitCode> {
    let store = cx.store()?;
    let err = |e: crate::store::StoreError| fail(e.to_string());
    if args.list {
        let list = review::accepts(&store).map_err(err)?;
        emit(|out| {
            if list.is_empty() {
                writeln!(out, "no accepts yet")?;
            }
            for a in &list {
                let note = a.note.as_deref().map(|n| format!("  \"{}\"", sanitize(n))).unwrap_or_default();
                let undone = if a.undone { "  (undone)" } else { "" };
                writeln!(out, "{}  {}{note}{undone}", a.time, sanitize(&a.url))?;
            }
            Ok(())
        })?;
        return Ok(ExitCode::from(EXIT_OK));
    }
    let mut claims = Vec::new();
    let urls = match (&args.target, args.all) {
        (Some(t), _) => {
            let target = review::resolve(&store, t).map_err(err)?;
            claims = target.claims;
            Some(target.urls)
        }
        (None, true) => Some(review::all_urls(&store).map_err(err)?),
        (None, false) => None,
    };
    if args.undo {
        let undone = review::undo(&store, urls.as_deref()).map_err(err)?;
        emit(|out| {
            if undone.is_empty() {
                writeln!(out, "nothing to undo")?;
            }
            for a in &undone {
                writeln!(out, "undone: {} is back on its previous baseline", sanitize(&a.url))?;
            }
            Ok(())
        })?;
        return Ok(ExitCode::from(EXIT_OK));
    }
    let urls = urls.unwrap_or_default();
    let now = crate::store::millis(jiff::Timestamp::now());
    let done = review::accept(&store, &urls, args.note.as_deref(), now).map_err(err)?;
    emit(|out| {
        for a in &done {
            writeln!(out, "accepted: {} (the latest content is its new baseline)", sanitize(&a.url))?;
        }
        // Accepting makes a vanished figure part of the past: say which claims
        // still state a figure their source no longer carries.
        for c in &claims {
            for s in c.sources.iter().filter(|s| done.iter().any(|a| crate::claims::split_fragment(&s.url).0 == a.url))
            {
                for q in s.quotes.iter().filter(|q| q.found == Some(false)) {
                    let now = q.now.as_deref().map(|n| format!(" (it now says {})", sanitize(n))).unwrap_or_default();
                    writeln!(
                        out,
                        "note: {}/{} states \"{}\", which the accepted content does not carry{now}; update the claim if the figure changed",
                        sanitize(&c.factsheet),
                        sanitize(&c.id),
                        sanitize(&q.text)
                    )?;
                }
            }
        }
        let same = urls.len() - done.len();
        writeln!(
            out,
            "{} source(s) accepted, {same} already at their latest content or never read; the next check judges against the new baselines (undo with `citewatch accept --undo`)",
            done.len()
        )
    })?;
    Ok(ExitCode::from(EXIT_OK))
}

fn import(cx: &Ctx<'_>, args: &crate::cli::ImportArgs) -> ExitCode {
    let cli = cx.cli;
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

fn check(cx: &Ctx<'_>, args: &CheckArgs) -> ExitCode {
    let factsheets = match load(cx) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let d = &cx.config.check;
    let timeout = args.timeout.or(d.timeout).unwrap_or(20.0);
    if !(timeout > 0.0 && timeout.is_finite()) {
        return fail("--timeout must be a positive number of seconds".into());
    }
    let format = match args.format {
        Some(f) => f,
        None => match d.format.as_deref().map(|f| OutputFormat::from_str(f, true)) {
            None => OutputFormat::Text,
            Some(Ok(f)) => f,
            Some(Err(_)) => return fail("citewatch.toml: [check] format must be \"text\" or \"json\"".into()),
        },
    };
    let fail_on = match args.fail_on {
        Some(f) => f,
        None => match d.fail_on.as_deref().map(|f| FailOn::from_str(f, true)) {
            None => FailOn::Changed,
            Some(Ok(f)) => f,
            Some(Err(_)) => {
                return fail("citewatch.toml: [check] fail-on must be changed, unsupported, broken or never".into())
            }
        },
    };
    let rules = if args.remap.is_empty() { d.remap.clone().unwrap_or_default() } else { args.remap.clone() };
    let remap = match rules.iter().map(|r| crate::plan::Remap::parse(r)).collect::<Result<Vec<_>, _>>() {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let opts = CheckOptions {
        remap,
        fetch: FetchConfig {
            timeout: Duration::from_secs_f64(timeout),
            concurrency: args.concurrency.or(d.concurrency).unwrap_or(64).max(1) as usize,
            per_host: args.per_host.or(d.per_host).unwrap_or(2).max(1) as usize,
            retries: args.retries.or(d.retries).unwrap_or(2),
            max_body: args.max_body.or(d.max_body).unwrap_or(20).max(1) * 1024 * 1024,
            user_agent: args
                .user_agent
                .clone()
                .or_else(|| d.user_agent.clone())
                .unwrap_or_else(FetchConfig::default_user_agent),
            max_retry_after: Duration::from_secs(30),
            backoff: Duration::from_millis(500),
        },
        offline: args.offline || d.offline.unwrap_or(false),
        progress: !(args.quiet || d.quiet.unwrap_or(false)),
        ignore: cx.config.ignore.clone(),
        confirm: args.confirm.or(d.confirm).unwrap_or(1).max(1),
    };
    let outcome = match check::run(&factsheets, &cx.cache(), &opts) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let report = &outcome.report;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match format {
        OutputFormat::Json => crate::report::render_json(report, &mut out),
        OutputFormat::Text => crate::report::text::render(report, &mut out),
    };
    if let Err(e) = written.and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: writing the report: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    }
    let threshold = match fail_on {
        FailOn::Changed => Some(Verdict::Changed),
        FailOn::Unsupported => Some(Verdict::Unsupported),
        FailOn::Broken => Some(Verdict::Broken),
        FailOn::Never => None,
    };
    if let Some(e) = &outcome.stopped {
        let judged = report.sources.iter().filter(|s| s.checked.is_some()).count();
        eprintln!(
            "error: the store could not be written ({e}); the run stopped at the first failed write, with {judged} of {} sources recorded; the store is intact: free some disk space and run again",
            report.sources.len()
        );
        return ExitCode::from(EXIT_ERROR);
    }
    let failed = threshold.is_some_and(|t| report.claims.iter().any(|c| c.counts_as.unwrap_or(c.verdict) >= t));
    ExitCode::from(if failed { EXIT_FLAGGED } else { EXIT_OK })
}
