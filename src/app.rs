//! Runs a parsed command line: the only place that writes to stdout and
//! decides the exit status (0 fine, 1 claims flagged, 2 bad input or error).

use crate::check::{self, CheckOptions};
use crate::claims;
use crate::cli::{
    ArchiveFormat, CheckArgs, Cli, Command, FailOn, HistoryFormat, OutputFormat, RunsFormat, StatusFormat,
};
use crate::config::Config;
use crate::fetch::FetchConfig;
use crate::model::{Health, Verdict};
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
    /// The cache folder, refused when something else (a file) holds its name.
    fn cache_dir(&self) -> Result<PathBuf, ExitCode> {
        let cache = self.cache();
        match std::fs::metadata(&cache) {
            Ok(m) if !m.is_dir() => Err(fail(format!(
                "{}: is a file, not a folder; the cache is a folder (made when missing): pass --cache DIR or set cache = \"DIR\" in citewatch.toml",
                cache.display()
            ))),
            _ => Ok(cache),
        }
    }
    fn store(&self) -> Result<crate::store::Store, ExitCode> {
        crate::store::Store::open_existing(&self.cache_dir()?).map_err(|e| fail(e.to_string()))
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
    crate::progress::set_verbose(cli.verbose);
    // These need neither the configuration nor the claims.
    match &cli.command {
        Command::Completions(args) => return completions(args.shell),
        Command::Man(args) => return man(args.dir.as_deref()),
        Command::Extract(args) => return extract(args).unwrap_or_else(|c| c),
        _ => {}
    }
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
                // Valid, but readers following the link will see nothing highlighted.
                for f in &fs {
                    for c in &f.claims {
                        for cite in &c.sources {
                            for frag in cite.fragments.iter().filter(|fr| fr.unapplied.is_some()) {
                                eprintln!(
                                    "warning: {}:{}: {}: text fragment \"{}\" will not highlight for readers ({}); its words are checked all the same",
                                    f.file.display(),
                                    cite.line,
                                    f.claim_ref(c),
                                    sanitize(&frag.display()),
                                    sanitize(frag.unapplied.as_deref().unwrap_or_default())
                                );
                            }
                        }
                    }
                }
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
        Command::Runs(args) => runs(&cx, args).unwrap_or_else(|c| c),
        Command::Completions(_) | Command::Man(_) | Command::Extract(_) => unreachable!("handled above"),
        Command::Archive(args) => archive(&cx, args).unwrap_or_else(|c| c),
    };
    result
}

/// Refuses factsheet ids the document does not know (a typo must not read
/// as "all 0 claims are ok").
fn unknown_factsheets(asked: &[String], doc: &crate::report::model::RunReport) -> Result<(), ExitCode> {
    let mut known: Vec<&str> = doc.factsheets.iter().map(|f| f.id.as_str()).collect();
    for c in &doc.claims {
        if !known.contains(&c.factsheet.as_str()) {
            known.push(&c.factsheet);
        }
    }
    match asked.iter().find(|a| !known.contains(&a.as_str())) {
        Some(a) if known.is_empty() => {
            Err(fail(format!("no factsheet \"{a}\": the store holds no factsheet yet; run `citewatch check` first")))
        }
        Some(a) => Err(fail(format!("no factsheet \"{a}\" in the store; known: {}", known.join(", ")))),
        None => Ok(()),
    }
}

fn status(cx: &Ctx<'_>, args: &crate::cli::StatusArgs) -> Result<ExitCode, ExitCode> {
    let store = cx.store()?;
    let verdicts: Vec<Verdict> = args.verdict.iter().filter_map(|v| Verdict::parse(v)).collect();
    let err = |e: crate::store::StoreError| fail(e.to_string());
    // Unfiltered first, so an unknown factsheet is named against every known one.
    let all = review::status(&store, &[], &[]).map_err(err)?;
    unknown_factsheets(&args.factsheet, &all)?;
    let mut report = review::filter(all, &verdicts, &args.factsheet);
    if let Some(t) = &args.target {
        let target = crate::target::resolve(&store, t).map_err(err)?;
        report = crate::target::narrow(report, &target);
    }
    crate::report::next::annotate(&mut report);
    emit(|out| match args.format {
        StatusFormat::Json => crate::report::render_json(&report, out),
        StatusFormat::Text => crate::report::text::render_all(&report, out),
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
    let mut doc = review::filter(doc, &verdicts, &args.factsheet);
    crate::report::next::annotate(&mut doc);
    let format = match args.format {
        ReportFormat::Html => Format::Html,
        ReportFormat::Md => Format::Md,
        ReportFormat::Csv => Format::Csv,
        ReportFormat::Json => Format::Json,
        ReportFormat::Junit => Format::Junit,
        ReportFormat::Robustlinks => Format::RobustLinks,
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
            // Rendered whole, then put in place: a failed write never leaves
            // a truncated report where the previous one was.
            let mut buf = Vec::new();
            crate::report::render(&doc, &extras, format, &mut buf)
                .and_then(|_| crate::lock::write_atomic(path, &buf))
                .map_err(|e| fail(format!("{}: cannot write: {e}", path.display())))?;
            eprintln!(
                "wrote {} ({} claims, {} sources, run {})",
                path.display(),
                doc.claims.len(),
                doc.sources.len(),
                doc.run.id
            );
        }
        None if format == Format::Html && std::io::IsTerminal::is_terminal(&std::io::stdout()) => {
            return Err(fail(
                "the HTML report is a page for a browser, not for a terminal: pass -o FILE (e.g. `citewatch report -o report.html`), or pipe it"
                    .into(),
            ))
        }
        None => emit(|out| {
            let mut w = std::io::BufWriter::new(out);
            crate::report::render(&doc, &extras, format, &mut w)?;
            w.flush()
        })?,
    }
    Ok(ExitCode::from(EXIT_OK))
}

fn archive(cx: &Ctx<'_>, args: &crate::cli::ArchiveArgs) -> Result<ExitCode, ExitCode> {
    use crate::archive::command;
    let factsheets = load(cx)?;
    let d = &cx.config.check;
    let timeout = args.timeout.or(cx.config.archive.timeout).or(d.timeout).unwrap_or(20.0);
    if !(timeout > 0.0 && timeout.is_finite()) {
        return Err(fail("--timeout must be a positive number of seconds".into()));
    }
    let mut defaults = cx.config.archive.clone();
    defaults.timeout = Some(timeout);
    let user_agent = d.user_agent.clone().unwrap_or_else(FetchConfig::default_user_agent);
    let mut cfg = crate::archive::ArchiveConfig::from_config(
        &defaults,
        Duration::from_secs_f64(timeout),
        &user_agent,
        d.max_body.unwrap_or(20).max(1) * 1024 * 1024,
    );
    // Run by hand: no per-run budget beyond the per-request time-outs.
    cfg.budget = Duration::from_secs(24 * 3600);
    let plan = command::select(&factsheets, &args.targets).map_err(fail)?;
    let store = crate::store::Store::open(&cx.cache_dir()?).map_err(|e| fail(e.to_string()))?;
    if args.save {
        let (doc, notes) = command::save(&store, &factsheets, &plan, &cfg, args.within, args.write).map_err(fail)?;
        emit(|out| match args.format {
            ArchiveFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &doc)?;
                writeln!(out)
            }
            ArchiveFormat::Text => command::render_saves(&doc, &notes, out),
        })?;
        for n in notes.iter().filter(|_| args.format == ArchiveFormat::Json) {
            eprintln!("{}", sanitize(n));
        }
        return Ok(ExitCode::from(EXIT_OK));
    }
    let (doc, notes) =
        command::suggest(&store, &factsheets, &plan, &cfg, args.all, !args.targets.is_empty(), args.write)
            .map_err(fail)?;
    emit(|out| match args.format {
        ArchiveFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)
        }
        ArchiveFormat::Text => command::render_text(&doc, &notes, out),
    })?;
    for n in notes.iter().filter(|_| args.format == ArchiveFormat::Json) {
        eprintln!("{}", sanitize(n));
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// The URLs a `FACTSHEET/CLAIM` or factsheet id cites in the claims files
/// that have fetches in the store; `None` when there are none.
fn cited_in_store(cx: &Ctx<'_>, store: &crate::store::Store, target: &str) -> Option<Vec<String>> {
    let factsheets = claims::load(&cx.claim_paths()).ok()?;
    let (fs, id) = match target.split_once('/') {
        Some((fs, id)) => (fs, Some(id)),
        None => (target, None),
    };
    let mut urls: Vec<String> = Vec::new();
    for f in factsheets.iter().filter(|f| f.id == fs) {
        for c in f.claims.iter().filter(|c| id.is_none_or(|id| c.id == id)) {
            for cite in &c.sources {
                let key = claims::split_fragment(&cite.url).0.to_string();
                if !urls.contains(&key) && store.source(&key).ok().flatten().is_some() {
                    urls.push(key);
                }
            }
        }
    }
    (!urls.is_empty()).then_some(urls)
}

fn history(cx: &Ctx<'_>, args: &crate::cli::HistoryArgs) -> Result<ExitCode, ExitCode> {
    let store = cx.store()?;
    let err = |e: crate::store::StoreError| fail(e.to_string());
    let is_url = args.target.starts_with("http://") || args.target.starts_with("https://");
    let urls = if is_url {
        vec![args.target.clone()]
    } else {
        match crate::target::resolve(&store, &args.target) {
            Ok(t) => t.urls,
            // No finished run judged it yet (the first check was interrupted):
            // the claims files say which URLs it cites, the store what was fetched.
            Err(e) => match cited_in_store(cx, &store, &args.target) {
                Some(urls) => urls,
                None => return Err(err(e)),
            },
        }
    };
    let timelines = urls.iter().map(|u| review::history(&store, u)).collect::<Result<Vec<_>, _>>().map_err(err)?;
    let interrupted = store.interrupted_runs().map_err(err)?;
    emit(|out| match args.format {
        // A URL's timeline is one object, as it always was; a claim's or a factsheet's, an array.
        HistoryFormat::Json if is_url => {
            serde_json::to_writer_pretty(&mut *out, &timelines[0])?;
            writeln!(out)
        }
        HistoryFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &timelines)?;
            writeln!(out)
        }
        HistoryFormat::Text => {
            for (i, h) in timelines.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                crate::report::text::render_history(h, &interrupted, out)?;
            }
            Ok(())
        }
    })?;
    Ok(ExitCode::from(EXIT_OK))
}

fn diff(cx: &Ctx<'_>, args: &crate::cli::DiffArgs) -> Result<ExitCode, ExitCode> {
    use std::io::IsTerminal;
    let store = cx.store()?;
    let target = crate::target::resolve(&store, &args.target).map_err(|e| fail(e.to_string()))?;
    let texts = review::texts(&store, &target).map_err(|e| fail(e.to_string()))?;
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let style = crate::report::diff::DiffStyle { color, full: args.full, context: args.context };
    let err = |e: crate::store::StoreError| fail(e.to_string());
    let mut dead = Vec::new();
    for t in &texts {
        dead.push(crate::dead::dead(&store, &t.url).map_err(err)?);
    }
    // Where a lock names a baseline this cache does not hold, say so.
    let locks =
        claims::load(&cx.claim_paths()).ok().and_then(|f| crate::lock::Locks::read(&f).ok()).unwrap_or_default();
    emit(|out| {
        for (t, d) in texts.iter().zip(&dead) {
            match d {
                Some(d) => crate::dead::render_diff(
                    d,
                    t.latest.as_ref(),
                    &t.quotes,
                    locks.entry(&t.url).as_deref(),
                    args.full,
                    out,
                )?,
                None => match (locks.entry(&t.url).as_deref(), &t.baseline, &t.latest) {
                    (Some(e), None, Some((ltime, latest))) => crate::lock::render_lock_diff(e, ltime, latest, out)?,
                    _ => {
                        crate::report::diff::render(std::slice::from_ref(t), style, out)?;
                    }
                },
            }
        }
        Ok(())
    })?;
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
            let target = crate::target::resolve(&store, t).map_err(err)?;
            claims = target.claims;
            Some(target.urls)
        }
        (None, true) => Some(review::all_urls(&store).map_err(err)?),
        (None, false) => None,
    };
    if args.undo {
        let undone = review::undo(&store, urls.as_deref()).map_err(err)?;
        let mut decisions = Vec::new();
        for a in &undone {
            let before = store.undone_lock_before(&a.url).map_err(err)?;
            let entry = before.as_deref().and_then(crate::lock::Entry::from_text).map(Box::new);
            decisions.push(crate::lock::Decision::Restored { url: a.url.clone(), entry });
        }
        let written = write_locks(cx, &store, &decisions)?;
        emit(|out| {
            if undone.is_empty() {
                writeln!(out, "nothing to undo")?;
            }
            for a in &undone {
                writeln!(out, "undone: {} is back on its previous baseline", sanitize(&a.url))?;
            }
            for w in &written {
                writeln!(out, "wrote {}", w.display())?;
            }
            Ok(())
        })?;
        return Ok(ExitCode::from(EXIT_OK));
    }
    let mut urls = urls.unwrap_or_default();
    // A broken source has no new content: accepting it would bless a dead link.
    let mut dead = Vec::new();
    for u in &urls {
        if let Some(d) = crate::dead::dead(&store, u).map_err(err)? {
            dead.push(d);
        }
    }
    urls.retain(|u| !dead.iter().any(|d| &d.url == u));
    let now = crate::store::millis(jiff::Timestamp::now());
    let before = if urls.is_empty() {
        crate::lock::Locks::default()
    } else {
        crate::lock::Locks::read(&load(cx)?).map_err(fail)?
    };
    let done = review::accept(&store, &urls, args.note.as_deref(), now).map_err(err)?;
    for a in &done {
        let entry = before.entry(&a.url).map(|e| e.to_text());
        store.set_lock_before(&a.url, entry.as_deref()).map_err(err)?;
    }
    let decisions: Vec<crate::lock::Decision> = done
        .iter()
        .map(|a| crate::lock::Decision::Accepted { url: a.url.clone(), time: now, note: args.note.clone() })
        .collect();
    let written = write_locks(cx, &store, &decisions)?;
    emit(|out| {
        for d in &dead {
            writeln!(out, "{}", crate::dead::nothing_to_accept(d))?;
        }
        for a in &done {
            writeln!(out, "accepted: {} (the latest content is its new baseline)", sanitize(&a.url))?;
        }
        for w in &written {
            writeln!(out, "wrote {} (commit it: the accept then holds on every machine)", w.display())?;
        }
        // Accepting makes a vanished figure part of the past: say which claims
        // still state a figure their source no longer carries.
        for c in &claims {
            for s in c.sources.iter().filter(|s| done.iter().any(|a| crate::claims::split_fragment(&s.url).0 == a.url))
            {
                for q in s.quotes.iter().filter(|q| q.found == Some(false)) {
                    let now = q.now.as_deref().map(|n| format!(" (it now says {})", sanitize(n))).unwrap_or_default();
                    // A figure tracked from the claim's text, or a quote the editor wrote.
                    let (verb, step) = if q.tracked {
                        ("states", "update the claim if the figure changed")
                    } else {
                        ("quotes", "edit the claim or find a new source")
                    };
                    writeln!(
                        out,
                        "note: {}/{} {verb} \"{}\", which the accepted content does not carry{now}; {step}",
                        sanitize(&c.factsheet),
                        sanitize(&c.id),
                        sanitize(&q.text)
                    )?;
                }
            }
        }
        let same = urls.len() - done.len();
        if args.all {
            writeln!(
                out,
                "accept --all: moved {} flagged source(s) to their latest content; {} broken source(s) left as they are (nothing to accept)",
                done.len(),
                dead.len()
            )?;
        }
        if done.is_empty() {
            let broken = if dead.is_empty() { String::new() } else { format!(", {} broken", dead.len()) };
            return writeln!(
                out,
                "nothing accepted ({same} source(s) already at their latest content or never read{broken}); the baselines are as they were"
            );
        }
        writeln!(
            out,
            "{} source(s) accepted, {same} already at their latest content or never read; the next check judges against the new baselines (undo with `citewatch accept --undo`)",
            done.len()
        )
    })?;
    Ok(ExitCode::from(EXIT_OK))
}

/// Writes the accept decisions into the lock files beside the claims.
fn write_locks(
    cx: &Ctx<'_>,
    store: &crate::store::Store,
    decisions: &[crate::lock::Decision],
) -> Result<Vec<PathBuf>, ExitCode> {
    if decisions.is_empty() {
        return Ok(Vec::new());
    }
    let factsheets = load(cx)?;
    let plan = crate::plan::build(&factsheets);
    let locks = crate::lock::Locks::read(&factsheets).map_err(fail)?;
    crate::lock::write_all(store, &factsheets, &plan, &locks, &cx.config.ignore, decisions)
        .map_err(|e| fail(e.to_string()))
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
    let record_path = import::record_path(&out_path);
    let mut merged = None;
    let existing = if out_path.exists() {
        match std::fs::read_to_string(&out_path) {
            Ok(t) => Some(t),
            Err(e) => return fail(format!("{}: cannot read: {e}", out_path.display())),
        }
    } else {
        None
    };
    let (text, record) = match existing.as_deref().filter(|_| args.merge) {
        Some(existing) => {
            let record = match std::fs::read_to_string(&record_path) {
                Ok(t) => match import::Record::parse(&t) {
                    Ok(r) => Some(r),
                    Err(e) => return fail(format!("{}: {e}", record_path.display())),
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return fail(format!("{}: cannot read: {e}", record_path.display())),
            };
            match import::merge(existing, record.as_ref(), &imported) {
                Ok(mut m) => {
                    m.record.document = source_name.clone();
                    merged = Some(m.report);
                    (m.text, m.record)
                }
                Err(e) => return fail(format!("{}: {e}", out_path.display())),
            }
        }
        None => {
            if existing.is_some() && !args.dry_run {
                return fail(format!(
                    "{} exists; pass --merge to re-import into it (keeping what an editor wrote), or --out PATH",
                    out_path.display()
                ));
            }
            (import::render_toml(&imported, &source_name), import::Record::of(&imported, &source_name))
        }
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
    let shown = out_path.display().to_string();
    if args.dry_run {
        match (&existing, args.merge) {
            (Some(old), true) => {
                if *old == text {
                    eprintln!("no change to {shown}");
                } else {
                    let diff = similar::TextDiff::from_lines(old.as_str(), text.as_str());
                    print!("{}", diff.unified_diff().context_radius(3).header(&shown, &format!("{shown} (merged)")));
                }
            }
            _ => print!("{text}"),
        }
        eprintln!("{summary}");
        eprintln!("dry run: nothing written");
    } else {
        if existing.as_deref() != Some(text.as_str()) {
            if let Err(e) = crate::lock::write_atomic(&out_path, text.as_bytes()) {
                return fail(format!("{}: cannot write: {e}", out_path.display()));
            }
        }
        let rec_text =
            record.render(&out_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        // A merge that changed nothing leaves the record alone too (even read from a renamed copy).
        let unchanged = merged.as_ref().is_some_and(|m| m.is_empty()) && record_path.exists();
        if !unchanged && std::fs::read_to_string(&record_path).ok().as_deref() != Some(rec_text.as_str()) {
            if let Err(e) = crate::lock::write_atomic(&record_path, rec_text.as_bytes()) {
                return fail(format!("{}: cannot write: {e}", record_path.display()));
            }
        }
        println!("{summary}");
        if existing.as_deref() == Some(text.as_str()) {
            println!("{shown} unchanged");
        } else {
            println!("wrote {shown}");
        }
    }
    for u in &imported.unplaced {
        eprintln!("not placed: {u}");
    }
    // With --dry-run stdout is the claims file alone: everything else goes to stderr.
    let say = |line: String| {
        if args.dry_run {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    };
    if let Some(m) = merged {
        for line in import::describe(&m) {
            say(sanitize(&line));
        }
    }
    if low > 0 && !args.merge && args.dry_run {
        say(format!(
            "the {low} low-confidence placement(s) are the claims with `confidence = 0.[0-5]` in the output above: review them first"
        ));
    } else if low > 0 && !args.merge {
        say(format!(
            "review the low-confidence placements first: grep -n 'confidence = 0\\.[0-5]' {}",
            out_path.display()
        ));
    }
    ExitCode::from(EXIT_OK)
}

fn check(cx: &Ctx<'_>, args: &CheckArgs) -> ExitCode {
    let factsheets = match load(cx) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let cache = match cx.cache_dir() {
        Ok(c) => c,
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
                return fail(
                    "citewatch.toml: [check] fail-on must be unverified, changed, unsupported, broken or never".into(),
                )
            }
        },
    };
    let rules = if args.remap.is_empty() { d.remap.clone().unwrap_or_default() } else { args.remap.clone() };
    let remap = match rules.iter().map(|r| crate::plan::Remap::parse(r)).collect::<Result<Vec<_>, _>>() {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let mut exclude = Vec::new();
    for pattern in cx.config.exclude.iter().chain(&args.exclude) {
        match regex::Regex::new(pattern) {
            Ok(re) => exclude.push(re),
            Err(e) => return fail(format!("exclude pattern \"{pattern}\" is not a valid regular expression: {e}")),
        }
    }
    let accept = match args.accept.clone().or_else(|| cx.config.accept.as_ref().map(|a| a.joined())) {
        None => None,
        Some(text) => match crate::statuses::StatusSet::parse(&text) {
            Ok(set) => Some(set),
            Err(e) => return fail(format!("accept \"{text}\": {e}")),
        },
    };
    let hosts = match cx.config.host_rules(&args.header, &args.basic_auth) {
        Ok(h) => std::sync::Arc::new(h),
        Err(e) => return fail(e),
    };
    let mut opts = CheckOptions {
        archive: None,
        remap,
        exclude,
        accept,
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
            hosts,
        },
        offline: args.offline || d.offline.unwrap_or(false),
        progress: !(args.quiet || d.quiet.unwrap_or(false)),
        ignore: cx.config.ignore.clone(),
        confirm: args.confirm.or(d.confirm).unwrap_or(1).max(1),
    };
    crate::interrupt::install(cache.clone());
    opts.archive = Some(crate::archive::ArchiveConfig::from_config(
        &cx.config.archive,
        opts.fetch.timeout,
        &opts.fetch.user_agent,
        opts.fetch.max_body,
    ));
    let outcome = match check::run(&factsheets, &cache, &opts) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let mut doc = outcome.doc;
    if crate::progress::verbose() {
        for x in &doc.excluded() {
            eprintln!("skipped {}: excluded by \"{}\"", sanitize(&x.url), sanitize(&x.pattern));
        }
    }
    // The run is stored: tell whoever asked, and never fail because of it.
    if outcome.stopped.is_none() {
        doc.notifications = crate::notify::after_run(&cx.config.notify, &cache, &doc);
    }
    let quiet = args.quiet || d.quiet.unwrap_or(false);
    for n in doc.notifications.iter().filter(|n| n.status == "sent" && !quiet) {
        eprintln!("notified: {}", n.target);
    }
    for n in doc.notifications.iter().filter(|n| n.status == "failed") {
        eprintln!(
            "warning: notification ({}) failed: {}; the run is stored, and `citewatch status` shows it",
            n.target,
            n.error.as_deref().unwrap_or("unknown error")
        );
    }
    let doc = &doc;
    let tally = doc.tally();
    let fails_unverified = matches!(fail_on, FailOn::Unverified);
    let stdout = std::io::stdout();
    // Buffered: the pretty JSON of a large run is many lines, and a locked
    // stdout alone writes each line on its own.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let written = match format {
        // With JSON, stdout is the document alone: the notices go to stderr.
        // Written as its entries are made: never held whole.
        OutputFormat::Json => crate::report::render_json(doc, &mut out).and_then(|_| out.flush()).and_then(|_| {
            crate::lock::notices(&tally, &outcome.locks_written, fails_unverified, &mut std::io::stderr())
        }),
        // The text shows the flagged claims, the notes on the others and the
        // moved sources: only those are held.
        OutputFormat::Text => {
            let shown =
                doc.materialize(|c| c.verdict.flagged() || !c.reasons.is_empty(), |s| s.health == Health::Redirected);
            crate::report::text::render(&shown, &mut out)
                .and_then(|_| crate::lock::notices(&tally, &outcome.locks_written, fails_unverified, &mut out))
        }
    };
    if let Err(e) = written.and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: writing the report: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    }
    let threshold = match fail_on {
        FailOn::Unverified => Some(Verdict::Unverified),
        FailOn::Changed => Some(Verdict::Changed),
        FailOn::Unsupported => Some(Verdict::Unsupported),
        FailOn::Broken => Some(Verdict::Broken),
        FailOn::Never => None,
    };
    if let Some(e) = &outcome.stopped {
        eprintln!(
            "error: the store could not be written ({e}); the run stopped at the first failed write, with {} of {} sources recorded; the store is intact: free some disk space and run again",
            tally.judged, tally.sources
        );
        return ExitCode::from(EXIT_ERROR);
    }
    let failed = threshold.is_some_and(|t| doc.any_counted_at_least(t));
    ExitCode::from(if failed { EXIT_FLAGGED } else { EXIT_OK })
}

fn runs(cx: &Ctx<'_>, args: &crate::cli::RunsArgs) -> Result<ExitCode, ExitCode> {
    let store = cx.store()?;
    let runs = store.runs().map_err(|e| fail(e.to_string()))?;
    emit(|out| match args.format {
        RunsFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &runs)?;
            writeln!(out)
        }
        RunsFormat::Text => {
            if runs.is_empty() {
                return writeln!(out, "no runs yet; run `citewatch check`");
            }
            for r in &runs {
                let offline = if r.offline { ", offline" } else { "" };
                let flagged =
                    if r.status == "finished" { format!(", {} claim(s) flagged", r.flagged) } else { String::new() };
                writeln!(
                    out,
                    "run {:<5} {}  {:<11} {} source(s) fetched{flagged}{offline}",
                    r.id, r.started, r.status, r.sources
                )?;
            }
            Ok(())
        }
    })?;
    Ok(ExitCode::from(EXIT_OK))
}

fn completions(shell: clap_complete::Shell) -> ExitCode {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "citewatch", &mut std::io::stdout());
    ExitCode::from(EXIT_OK)
}

fn man(dir: Option<&std::path::Path>) -> ExitCode {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let Some(dir) = dir else {
        let mut buf = Vec::new();
        if let Err(e) = clap_mangen::Man::new(cmd).render(&mut buf) {
            return fail(format!("rendering the man page: {e}"));
        }
        return match emit(|out| out.write_all(&buf)) {
            Ok(()) => ExitCode::from(EXIT_OK),
            Err(c) => c,
        };
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        return fail(format!("{}: cannot create: {e}", dir.display()));
    }
    match clap_mangen::generate_to(cmd, dir) {
        Ok(()) => {
            println!("wrote the man pages into {}", dir.display());
            ExitCode::from(EXIT_OK)
        }
        Err(e) => fail(format!("{}: cannot write the man pages: {e}", dir.display())),
    }
}

fn extract(args: &crate::cli::ExtractArgs) -> Result<ExitCode, ExitCode> {
    use crate::inspect;
    inspect::check_selector(args.selector.as_deref()).map_err(fail)?;
    let raw = inspect::read(&args.file).map_err(fail)?;
    let ct = inspect::content_type(&args.file, args.content_type.as_deref());
    let ex = inspect::extract(&raw, ct.as_deref(), args.selector.as_deref());
    emit(|out| match args.format {
        crate::cli::ExtractFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &inspect::doc(&args.file, &ex))?;
            writeln!(out)
        }
        crate::cli::ExtractFormat::Text => inspect::render_text(&ex, args.full, out),
    })?;
    if let Some(note) = inspect::note(&ex) {
        eprintln!("note: {}: {note}", args.file.display());
    }
    Ok(ExitCode::from(EXIT_OK))
}
