//! Reviewing what changed, from the store alone: `status`, `history`, `diff`
//! and `accept`. The queries are in `store`; rendering is in `report`.

use crate::check::watched_text;
use crate::model::{Content, Health, Verdict};
use crate::report::model::*;
use crate::store::{self, ClaimsOf, Store, StoreError};
use serde::Serialize;

type Result<T> = std::result::Result<T, StoreError>;

fn parse<T: serde::de::DeserializeOwned>(json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| StoreError(format!("cache database: a stored document is unreadable: {e}")))
}

/// The last known state of every claim and source, as a run document,
/// optionally only the claims of the given verdicts and factsheets.
pub fn status(store: &Store, verdicts: &[Verdict], factsheets: &[String]) -> Result<RunReport> {
    let Some((run_id, started, finished, offline)) = store.last_finished_run()? else {
        return Err(StoreError("no finished check in the store yet; run `citewatch check` first".into()));
    };
    let mut claims: Vec<(i64, i64, ClaimReport)> = Vec::new();
    for (run, ord, doc) in store.claim_states()? {
        let c: ClaimReport = parse(&doc)?;
        if (verdicts.is_empty() || verdicts.contains(&c.verdict))
            && (factsheets.is_empty() || factsheets.contains(&c.factsheet))
        {
            claims.push((run, ord, c));
        }
    }
    claims.sort_by(|a, b| b.2.verdict.cmp(&a.2.verdict).then(b.0.cmp(&a.0)).then(a.1.cmp(&b.1)));
    let filtered = !verdicts.is_empty() || !factsheets.is_empty();
    let cited: std::collections::HashSet<String> = claims
        .iter()
        .flat_map(|(_, _, c)| c.sources.iter().map(|s| crate::claims::split_fragment(&s.url).0.to_string()))
        .collect();
    let mut sources: Vec<(i64, i64, SourceReport)> = Vec::new();
    for (run, ord, doc) in store.source_states()? {
        let s: SourceReport = parse(&doc)?;
        if !filtered || cited.contains(&s.url) {
            sources.push((run, ord, s));
        }
    }
    sources.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut fs_list: Vec<FactsheetInfo> = Vec::new();
    for doc in store.factsheet_states()? {
        let f: FactsheetInfo = parse(&doc)?;
        if factsheets.is_empty() || factsheets.contains(&f.id) {
            fs_list.push(f);
        }
    }
    let claims: Vec<ClaimReport> = claims.into_iter().map(|c| c.2).collect();
    let sources: Vec<SourceReport> = sources.into_iter().map(|s| s.2).collect();
    Ok(RunReport {
        schema: 1,
        run: RunInfo { started: store::rfc3339(started), finished: store::rfc3339(finished), id: run_id, offline },
        summary: Summary::of(&claims, &sources),
        claims,
        sources,
        factsheets: fs_list,
        excluded: Vec::new(),
        notifications: Vec::new(),
    })
}

/// One event in a source's timeline.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    /// RFC 3339.
    pub time: String,
    /// `fetch` or `accept`.
    pub event: String,
    /// The run of a fetch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health: Option<Health>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<Content>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    /// The note of an accept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether an accept was undone.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub undone: bool,
    #[serde(skip)]
    ms: i64,
}

/// A source's timeline, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    pub url: String,
    pub first_seen: String,
    pub consecutive_failures: u32,
    pub failing_since: Option<String>,
    pub entries: Vec<HistoryEntry>,
}

/// The timeline of `url` (as cited: a fragment is ignored).
pub fn history(store: &Store, url: &str) -> Result<History> {
    let key = crate::claims::split_fragment(url).0;
    let Some(row) = store.source(key)? else {
        return Err(StoreError(format!(
            "{key} is not in the store; check the URL as cited, or run `citewatch check` first"
        )));
    };
    let mut entries = Vec::new();
    for f in store.fetch_events(row.id)? {
        entries.push(HistoryEntry {
            time: store::rfc3339(f.time),
            event: "fetch".into(),
            run: Some(f.run),
            http_status: f.http_status,
            health: Health::parse(&f.health),
            content: Content::parse(&f.content),
            similarity: f.similarity,
            reason: f.reason,
            final_url: f.final_url,
            note: None,
            undone: false,
            ms: f.time,
        });
    }
    for (ms, note, undone) in store.accept_events(row.id)? {
        entries.push(HistoryEntry {
            time: store::rfc3339(ms),
            event: "accept".into(),
            run: None,
            http_status: None,
            health: None,
            content: None,
            similarity: None,
            reason: None,
            final_url: None,
            note,
            undone,
            ms,
        });
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.ms));
    Ok(History {
        url: key.to_string(),
        first_seen: store::rfc3339(row.first_seen),
        consecutive_failures: row.consecutive_failures,
        failing_since: row.failing_since.map(store::rfc3339),
        entries,
    })
}

/// What a review command is about.
#[derive(Debug, Clone)]
pub struct Target {
    /// Source keys (URLs less fragment).
    pub urls: Vec<String>,
    /// The claims concerned, as last judged.
    pub claims: Vec<ClaimReport>,
}

fn claims_of(store: &Store, of: ClaimsOf<'_>) -> Result<Vec<ClaimReport>> {
    store.claim_docs(of)?.iter().map(|d| parse(d)).collect()
}

/// Why `target` (not a URL) names nothing among the stored `all` claims, and
/// what it may have meant: the factsheets known, the claims of the factsheet
/// named, or the factsheet of a claim id given alone.
fn unknown_target(all: &[ClaimReport], target: &str) -> String {
    if all.is_empty() {
        return format!("\"{target}\": the store holds no claim yet; run `citewatch check` first");
    }
    let mut factsheets: Vec<&str> = Vec::new();
    for c in all {
        if !factsheets.contains(&c.factsheet.as_str()) {
            factsheets.push(&c.factsheet);
        }
    }
    let (fs, id) = match target.split_once('/') {
        Some((fs, id)) => (fs, Some(id)),
        None => (target, None),
    };
    let known = factsheets.join(", ");
    match id {
        None => {
            let owners: Vec<String> =
                all.iter().filter(|c| c.id == target).map(|c| format!("{}/{}", c.factsheet, c.id)).collect();
            if owners.is_empty() {
                format!("no factsheet, claim (FACTSHEET/CLAIM) or URL \"{target}\" in the store; factsheets: {known}")
            } else {
                format!("\"{target}\" is a claim id, not a factsheet: write {}", owners.join(" or "))
            }
        }
        Some(_) if !factsheets.contains(&fs) => format!("no factsheet \"{fs}\" in the store; known: {known}"),
        Some(id) => {
            let ids: Vec<&str> = all.iter().filter(|c| c.factsheet == fs).map(|c| c.id.as_str()).collect();
            let near = ids
                .iter()
                .map(|i| (crate::claims::edit_distance(id, i), *i))
                .filter(|(d, i)| *d <= 2.min(i.len() / 3).max(1))
                .min();
            match near {
                Some((_, i)) => format!("no claim \"{id}\" in factsheet \"{fs}\"; did you mean {fs}/{i}?"),
                None if ids.len() <= 12 => {
                    format!("no claim \"{id}\" in factsheet \"{fs}\"; its claims: {}", ids.join(", "))
                }
                None => format!(
                    "no claim \"{id}\" in factsheet \"{fs}\" ({} claims); see `citewatch status --factsheet {fs}`",
                    ids.len()
                ),
            }
        }
    }
}

/// Resolves `FACTSHEET/CLAIM`, a URL, or a factsheet id.
pub fn resolve(store: &Store, target: &str) -> Result<Target> {
    let (urls, claims) = if target.starts_with("http://") || target.starts_with("https://") {
        let key = crate::claims::split_fragment(target).0.to_string();
        if store.source(&key)?.is_none() {
            return Err(StoreError(format!(
                "{key} is not in the store; check the URL, or run `citewatch check` first"
            )));
        }
        let all = claims_of(store, ClaimsOf::All)?;
        let citing = all
            .into_iter()
            .filter(|c| c.sources.iter().any(|s| crate::claims::split_fragment(&s.url).0 == key))
            .collect();
        (vec![key], citing)
    } else {
        let claims = match target.split_once('/') {
            Some((fs, id)) => claims_of(store, ClaimsOf::Claim(fs, id))?,
            None => claims_of(store, ClaimsOf::Factsheet(target))?,
        };
        if claims.is_empty() {
            let why = unknown_target(&claims_of(store, ClaimsOf::All)?, target);
            return Err(StoreError(if why.contains("citewatch ") {
                why
            } else {
                format!("{why}; see `citewatch status`")
            }));
        }
        let mut urls: Vec<String> = Vec::new();
        for c in &claims {
            for s in &c.sources {
                let k = crate::claims::split_fragment(&s.url).0.to_string();
                if !urls.contains(&k) {
                    urls.push(k);
                }
            }
        }
        (urls, claims)
    };
    Ok(Target { urls, claims })
}

/// The two texts of one source to diff.
#[derive(Debug, Clone)]
pub struct SourceTexts {
    pub url: String,
    /// The baseline's time and watched text, if any.
    pub baseline: Option<(String, String)>,
    /// The latest good snapshot's time and watched text, if any.
    pub latest: Option<(String, String)>,
    /// The quotes of the claims citing it (and tracked figures).
    pub quotes: Vec<WatchedQuote>,
}

/// A quote of a source as `diff` places it: its text as the reports show it
/// (`start … end` for a range fragment) and the directive that finds it, as
/// `check` searched for it.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchedQuote {
    pub text: String,
    pub query: crate::text::FragmentQuery,
}

impl WatchedQuote {
    /// A plain quote: found as a directive with a `textStart` alone.
    pub fn plain(text: &str) -> WatchedQuote {
        WatchedQuote {
            text: text.to_string(),
            query: crate::text::FragmentQuery {
                prefix: None,
                start: crate::text::query(text),
                end: None,
                suffix: None,
            },
        }
    }

    /// The quote `q` of a claim's source cited as `cited_url`: a fragment's
    /// quote gets the directive of the URL it comes from (prefix, range, suffix).
    fn of(q: &crate::report::model::QuoteReport, cited_url: &str) -> WatchedQuote {
        if q.origin == "fragment" {
            let frag = crate::claims::split_fragment(cited_url).1.unwrap_or("");
            let directives = crate::claims::parse_fragment(frag).unwrap_or_default();
            if let Some(d) = directives.iter().find(|d| d.display() == q.text) {
                return WatchedQuote { text: q.text.clone(), query: d.query() };
            }
        }
        WatchedQuote::plain(&q.text)
    }
}

fn snapshot_time(store: &Store, id: i64) -> Result<String> {
    Ok(store::rfc3339(store.snapshot_created(id)?))
}

/// The baseline and latest texts of every source of a target.
pub fn texts(store: &Store, target: &Target) -> Result<Vec<SourceTexts>> {
    let mut out = Vec::new();
    for url in &target.urls {
        let Some(row) = store.source(url)? else { continue };
        let selector = store.snapshot_selector(row.latest.or(row.baseline).unwrap_or(-1))?;
        let load = |id: Option<i64>| -> Result<Option<(String, String)>> {
            match id {
                Some(id) => {
                    let snap = store.snapshot(id)?;
                    Ok(Some((snapshot_time(store, id)?, watched_text(store, &snap, selector.as_deref())?)))
                }
                None => Ok(None),
            }
        };
        let mut quotes: Vec<WatchedQuote> = Vec::new();
        for c in &target.claims {
            for s in c.sources.iter().filter(|s| crate::claims::split_fragment(&s.url).0 == url.as_str()) {
                for q in &s.quotes {
                    let w = WatchedQuote::of(q, &s.url);
                    if !quotes.contains(&w) {
                        quotes.push(w);
                    }
                }
            }
        }
        out.push(SourceTexts { url: url.clone(), baseline: load(row.baseline)?, latest: load(row.latest)?, quotes });
    }
    Ok(out)
}

/// One accepted source.
#[derive(Debug, Clone, Serialize)]
pub struct Accepted {
    pub url: String,
    pub previous: Option<i64>,
    pub baseline: i64,
}

/// Makes the latest good snapshot of each source the new baseline; returns
/// what changed (sources already at their latest are left alone).
pub fn accept(store: &Store, urls: &[String], note: Option<&str>, now: i64) -> Result<Vec<Accepted>> {
    Ok(store.accept_latest(urls, note, now)?.into_iter().map(accepted).collect())
}

fn accepted((url, previous, baseline): store::BaselineMove) -> Accepted {
    Accepted { url, previous, baseline: baseline.unwrap_or(0) }
}

/// Undoes the latest accept of each of `urls`, or the whole latest accept
/// batch when `urls` is `None`.
pub fn undo(store: &Store, urls: Option<&[String]>) -> Result<Vec<Accepted>> {
    Ok(store.undo_accepts(urls)?.into_iter().map(accepted).collect())
}

/// One accept, as listed.
#[derive(Debug, Clone, Serialize)]
pub struct AcceptRow {
    pub time: String,
    pub url: String,
    pub note: Option<String>,
    pub undone: bool,
}

/// Every accept, newest first.
pub fn accepts(store: &Store) -> Result<Vec<AcceptRow>> {
    Ok(store
        .accept_list()?
        .into_iter()
        .map(|(ms, url, note, undone)| AcceptRow { time: store::rfc3339(ms), url, note, undone })
        .collect())
}

/// Every source URL in the store.
pub fn all_urls(store: &Store) -> Result<Vec<String>> {
    store.source_urls()
}

/// Keeps only the claims of the given verdicts and factsheets (all when
/// empty), the sources they cite, and recounts the summary.
pub fn filter(mut doc: RunReport, verdicts: &[Verdict], factsheets: &[String]) -> RunReport {
    if verdicts.is_empty() && factsheets.is_empty() {
        return doc;
    }
    doc.claims.retain(|c| {
        (verdicts.is_empty() || verdicts.contains(&c.verdict))
            && (factsheets.is_empty() || factsheets.contains(&c.factsheet))
    });
    let cited: std::collections::HashSet<&str> =
        doc.claims.iter().flat_map(|c| c.sources.iter().map(|s| crate::claims::split_fragment(&s.url).0)).collect();
    let sources: Vec<SourceReport> = doc.sources.iter().filter(|s| cited.contains(s.url.as_str())).cloned().collect();
    doc.sources = sources;
    if !factsheets.is_empty() {
        doc.factsheets.retain(|f| factsheets.contains(&f.id));
    }
    doc.summary = Summary::of(&doc.claims, &doc.sources);
    doc
}

/// The broken and changed sources and the flagged claims of every finished
/// run, oldest first, for the report's history chart.
pub fn run_points(store: &Store) -> Result<Vec<crate::report::RunPoint>> {
    Ok(store
        .run_counts()?
        .into_iter()
        .map(|(id, started, broken, changed, flagged)| crate::report::RunPoint {
            id,
            started: store::rfc3339(started),
            sources_broken: broken as usize,
            sources_changed: changed as usize,
            claims_flagged: flagged as usize,
        })
        .collect())
}

/// Diff excerpts (baseline → latest, a few lines of context, capped) of the
/// changed sources of a run document: the first 1,000 of them; `citewatch
/// diff URL` shows any source in full.
pub fn excerpts(
    store: &Store,
    doc: &RunReport,
) -> Result<std::collections::BTreeMap<String, Vec<crate::report::DiffLine>>> {
    const MAX_LINES: usize = 40;
    const MAX_CHARS: usize = 300;
    const MAX_SOURCES: usize = 1000;
    let mut out = std::collections::BTreeMap::new();
    for src in doc.sources.iter().filter(|s| s.content == Content::Changed).take(MAX_SOURCES) {
        let target = Target { urls: vec![src.url.clone()], claims: Vec::new() };
        let Some(t) = texts(store, &target)?.pop() else { continue };
        let (Some((_, base)), Some((_, latest))) = (t.baseline, t.latest) else { continue };
        let lines = crate::report::diff::excerpt(&base, &latest, MAX_LINES, MAX_CHARS);
        if !lines.is_empty() {
            out.insert(src.url.clone(), lines);
        }
    }
    Ok(out)
}
