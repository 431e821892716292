//! The `check` pipeline: claims → plan → fetch → extract → compare → judge →
//! store → report. Network and disk stay here and in `fetch`/`store`; the
//! stages in between are pure.

use crate::claims::Factsheet;
use crate::compare;
use crate::extract::{self, Extracted, Kind};
use crate::fetch::{self, FetchConfig, FetchJob, FetchResult};
use crate::judge::{self, HttpFacts};
use crate::model::{Content, Health};
use crate::plan::{self, PlannedSource};
use crate::report::model::*;
use crate::rundoc::{RunDoc, RunMeta};
use crate::store::{self, NewFetch, NewSnapshot, Store, StoreError};
use regex::Regex;
use std::path::Path;

/// Options of one check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// How to fetch.
    pub fetch: FetchConfig,
    /// Judge from the cache alone.
    pub offline: bool,
    /// Show a progress bar (when stderr is a terminal).
    pub progress: bool,
    /// Ignore patterns for every source.
    pub ignore: Vec<String>,
    /// Failures count for the exit status only after this many runs in a row.
    pub confirm: u32,
    /// Rewrites of the fetched URLs.
    pub remap: Vec<plan::Remap>,
    /// Archived copies of broken sources (`None`: no archive work).
    pub archive: Option<crate::archive::ArchiveConfig>,
    /// Sources never fetched nor judged (`exclude`).
    pub exclude: Vec<Regex>,
    /// Statuses counted as fine (`accept`); `None`: 2xx.
    pub accept: Option<crate::statuses::StatusSet>,
}

/// What one run learnt about one source.
#[derive(Debug, Clone)]
pub struct SourceOutcome {
    pub health: Health,
    pub reason: Option<String>,
    pub error: Option<String>,
    pub http_status: Option<u16>,
    pub final_url: Option<String>,
    pub hops: Vec<Hop>,
    pub content: Content,
    pub similarity: Option<f64>,
    pub kind: Option<Kind>,
    pub title: Option<String>,
    pub consecutive_failures: u32,
    pub failing_since: Option<i64>,
    pub first_seen: Option<i64>,
    pub last_good: Option<i64>,
    pub checked: Option<i64>,
    /// The quotes checked, one list per cite of the plan entry.
    pub quotes: Vec<Vec<QuoteReport>>,
    /// The archived copy found or cited, when the archive stage looked.
    pub archive: Option<Box<crate::archive::rescue::Rescue>>,
}

impl SourceOutcome {
    fn unknown(reason: &str) -> SourceOutcome {
        SourceOutcome {
            health: Health::Error,
            reason: Some(reason.into()),
            error: None,
            http_status: None,
            final_url: None,
            hops: Vec::new(),
            content: Content::Unknown,
            similarity: None,
            kind: None,
            title: None,
            consecutive_failures: 0,
            failing_since: None,
            first_seen: None,
            last_good: None,
            checked: None,
            quotes: Vec::new(),
            archive: None,
        }
    }
}

fn regexes(patterns: &[String]) -> Vec<Regex> {
    patterns.iter().filter_map(|p| Regex::new(p).ok()).collect()
}

/// The watched text of a stored snapshot under `selector`: stored as is when
/// made with that selector by these extraction rules, else extracted again
/// from the stored body (an upgrade of citewatch is no change of the page).
pub fn watched_text(store: &Store, snap: &store::Snapshot, selector: Option<&str>) -> store::Result<String> {
    if (snap.selector.as_deref() == selector && snap.rules == extract::RULES) || snap.kind != "html" {
        return store.text(&snap.main_sha);
    }
    let raw = store.blob(&snap.raw_sha)?;
    Ok(extract::extract(&raw, snap.content_type.as_deref(), selector).main)
}

/// Compares the snapshot `current` with the source's baseline.
fn content_against_baseline(
    store: &Store,
    baseline: Option<i64>,
    current: i64,
    current_main: Option<&str>,
    selector: Option<&str>,
    ignore: &[Regex],
) -> store::Result<(Content, Option<f64>)> {
    let Some(base) = baseline else {
        return Ok((Content::New, Some(1.0)));
    };
    if base == current {
        return Ok((Content::Unchanged, Some(1.0)));
    }
    let b = store.snapshot(base)?;
    let c = store.snapshot(current)?;
    if b.fingerprint == c.fingerprint && b.selector.as_deref() == selector && c.selector.as_deref() == selector {
        return Ok((Content::Unchanged, Some(1.0)));
    }
    if b.kind == "other" || c.kind == "other" {
        let same = b.raw_sha == c.raw_sha;
        return Ok(if same { (Content::Unchanged, Some(1.0)) } else { (Content::Changed, None) });
    }
    let base_text = watched_text(store, &b, selector)?;
    let cur_text = match current_main {
        Some(t) => t.to_string(),
        None => watched_text(store, &c, selector)?,
    };
    let mut cmp = compare::compare(&base_text, &cur_text, ignore);
    if cmp.content == Content::Changed && selector.is_none() && b.kind == "html" && c.kind == "html" {
        // Judged again knowing the pages' full texts and link texts (see
        // `compare::compare_pages`); a side whose stored texts are gone is
        // judged on its watched text alone.
        let known = |s: &store::Snapshot| -> Option<(String, Vec<String>)> {
            let full = store.text(&s.full_sha).ok()?;
            let raw = store.blob(&s.raw_sha).ok()?;
            Some((full, extract::links::of_body(&raw, s.content_type.as_deref())))
        };
        let (kb, kc) = (known(&b), known(&c));
        let pb = kb.as_ref().map(|(full, links)| compare::Page { full, links });
        let pc = kc.as_ref().map(|(full, links)| compare::Page { full, links });
        cmp = compare::compare_pages(&base_text, &cur_text, ignore, pb.as_ref(), pc.as_ref());
    }
    if cmp.content == Content::Unchanged {
        return Ok((cmp.content, Some(1.0)));
    }
    // The figure a fresh clone judging against the lock reports too; the
    // word-diff ratio when a text has no words to sketch.
    let sim = crate::lock::similarity(&base_text, &cur_text, ignore).unwrap_or(cmp.similarity);
    Ok((cmp.content, Some(sim)))
}

/// Compares the snapshot `current` with the source's baseline, in the store or in the lock.
fn content_against(
    store: &Store,
    base: crate::lock::Base<'_>,
    current: i64,
    current_main: Option<&str>,
    selector: Option<&str>,
    ignore: &[Regex],
) -> store::Result<(Content, Option<f64>)> {
    match base {
        crate::lock::Base::Store(b) => content_against_baseline(store, b, current, current_main, selector, ignore),
        crate::lock::Base::Lock(e) => {
            let snap = store.snapshot(current)?;
            let main = match current_main {
                Some(m) => m.to_string(),
                None => watched_text(store, &snap, selector)?,
            };
            Ok(crate::lock::compare(e, &snap.kind, &snap.fingerprint, &main, ignore))
        }
    }
}

/// The per-source rules a fetch result is judged by.
#[derive(Clone, Copy)]
struct Judging<'a> {
    /// Ignore patterns.
    ignore: &'a [Regex],
    /// Statuses counted as fine.
    accept: Option<&'a crate::statuses::StatusSet>,
    /// The source's entry in the lock files, if any.
    lock: Option<&'a crate::lock::Entry>,
}

/// Records one fetch result in its own transaction and returns the outcome.
fn record(
    store: &Store,
    run: i64,
    factsheets: &[Factsheet],
    source: &PlannedSource,
    result: &FetchResult,
    prepared: Option<&Prepared>,
    rules: Judging<'_>,
) -> store::Result<SourceOutcome> {
    let Judging { ignore, accept, lock } = rules;
    let extracted = prepared.map(|p| &p.ex);
    let now = store::millis(result.started);
    store.transaction(|st| {
        let row = st.source_or_create(&source.key, now)?;
        let response = result.outcome.as_ref().ok();
        let failure = result.outcome.as_ref().err();
        let facts = HttpFacts {
            original: &source.url,
            status: response.map(|r| r.status),
            failure,
            hops: &result.hops,
            final_url: &result.final_url,
            mitigated: response.is_some_and(|r| r.mitigated.as_deref() == Some("challenge")),
            attempts: result.attempts,
            extracted,
            accept,
        };
        let (health, mut reason) = judge::health(&facts);
        let mut out = SourceOutcome::unknown("");
        out.reason = None;
        out.health = health;
        out.http_status = response.map(|r| r.status);
        out.final_url = Some(result.final_url.clone());
        out.hops = result.hops.clone();
        out.error = failure.map(|f| f.describe());
        out.checked = Some(now);
        let mut snapshot_id = None;
        // The normalised full text (quotes) and watched text (tracked figures) read.
        let mut texts: Option<(String, String)> = None;
        if health.readable() {
            let status = response.map(|r| r.status).unwrap_or(0);
            if status == 304 {
                snapshot_id = row.latest;
                if snapshot_id.is_none() {
                    reason = Some("HTTP 304 but nothing is cached for this URL".into());
                }
            } else if let (Some(resp), Some(ex)) = (response, extracted) {
                out.kind = Some(ex.kind);
                out.title = ex.title.clone();
                match &ex.failure {
                    Some(f) => reason = Some(f.clone()),
                    None => {
                        let new = NewSnapshot {
                            kind: ex.kind.as_str(),
                            content_type: resp.content_type.as_deref(),
                            title: ex.title.as_deref(),
                            selector: source.selector.as_deref(),
                            raw: &resp.body,
                            main: &ex.main,
                            full: &ex.full,
                            fingerprint: &prepared.map(|p| p.fingerprint.clone()).unwrap_or_default(),
                        };
                        // Hashed and compressed on the worker already, when it could be.
                        snapshot_id = Some(match prepared.and_then(|p| p.blobs.as_ref()) {
                            Some(blobs) => st.put_snapshot_data(row.id, now, &new, blobs)?,
                            None => st.put_snapshot(row.id, now, &new)?,
                        });
                        texts = prepared.map(|p| (p.full_norm.clone(), p.main_norm.clone()));
                    }
                }
            }
        }
        // The baseline: the store's, or the lock's where they disagree (the lock wins).
        let base = crate::lock::base(st, &row, lock)?;
        let mut judged = None;
        if health.readable() {
            let status = response.map(|r| r.status).unwrap_or(0);
            if let Some(sid) = snapshot_id {
                let current_main = extracted.filter(|_| status != 304).map(|e| e.main.as_str());
                let (content, sim) = content_against(st, base, sid, current_main, source.selector.as_deref(), ignore)?;
                out.content = content;
                out.similarity = sim;
                let snap = st.snapshot(sid)?;
                if texts.is_none() {
                    out.kind = Some(Kind::parse(&snap.kind));
                    out.title = snap.title.clone();
                }
                judged = Some(judged_quotes(st, factsheets, source, &snap, base, texts.as_ref())?.0);
            }
        }
        out.reason = reason;
        out.quotes = match judged {
            Some(q) => q,
            None => quotes_against(st, factsheets, source, None, base, None)?,
        };
        warn_unapplied(st, &mut out, snapshot_id)?;
        let failed = matches!(health, Health::Broken | Health::Blocked | Health::Error);
        let redirects = serde_json::to_string(&result.hops).unwrap_or_else(|_| "[]".into());
        st.record_fetch(
            run,
            &row,
            &NewFetch {
                time: now,
                duration_ms: result.duration.as_millis() as i64,
                attempts: result.attempts,
                http_status: out.http_status,
                final_url: Some(&result.final_url),
                redirects_json: &redirects,
                health: health.as_str(),
                reason: out.reason.as_deref(),
                error: out.error.as_deref(),
                etag: response.and_then(|r| r.etag.as_deref()),
                last_modified: response.and_then(|r| r.last_modified.as_deref()),
                bytes: response.map(|r| r.body.len() as i64),
                snapshot_id,
                content: out.content.as_str(),
                similarity: out.similarity,
            },
            failed,
        )?;
        if let crate::lock::Base::Lock(_) = base {
            // The accepted text is not in this store: no snapshot of it stands as the baseline.
            st.set_baseline(row.id, None)?;
        }
        if let (crate::lock::Base::Store(None), Some(sid), Some(ready)) =
            (base, snapshot_id, prepared.and_then(|p| p.lock.as_ref()))
        {
            // This snapshot is the source's first baseline: its lock entries, from the texts at hand.
            crate::lock::keep_first(st, factsheets, source, row.id, sid, ignore, ready)?;
        }
        out.first_seen = Some(row.first_seen);
        out.last_good = if snapshot_id.is_some() { Some(now) } else { row.last_good };
        out.consecutive_failures = if failed { row.consecutive_failures + 1 } else { 0 };
        out.failing_since = if failed { row.failing_since.or(Some(now)) } else { None };
        Ok(out)
    })
}

/// The outcome of a source from the store alone (`--offline`).
fn from_cache(
    store: &Store,
    factsheets: &[Factsheet],
    source: &PlannedSource,
    ignore: &[Regex],
    lock: Option<&crate::lock::Entry>,
) -> store::Result<SourceOutcome> {
    let never = || {
        let mut o = SourceOutcome::unknown("never fetched: run `citewatch check` without --offline first");
        o.quotes = check_quotes(factsheets, source, None, None);
        o
    };
    let Some(row) = store.source(&source.key)? else {
        return Ok(never());
    };
    let Some(last) = store.last_fetch(row.id)? else {
        return Ok(never());
    };
    let health = Health::parse(&last.health).unwrap_or(Health::Error);
    let mut out = SourceOutcome::unknown("");
    out.health = health;
    out.reason = last.reason.clone();
    out.error = last.error.clone();
    out.http_status = last.http_status;
    out.final_url = last.final_url.clone();
    out.hops = serde_json::from_str(&last.redirects_json).unwrap_or_default();
    out.checked = Some(last.time);
    out.first_seen = Some(row.first_seen);
    out.last_good = row.last_good;
    out.consecutive_failures = row.consecutive_failures;
    out.failing_since = row.failing_since;
    let mut current = None;
    let mut judged = None;
    let base = crate::lock::base(store, &row, lock)?;
    if health.readable() {
        if let Some(latest) = row.latest.filter(|_| last.snapshot_id.is_some()) {
            current = Some(latest);
            let snap = store.snapshot(latest)?;
            let (content, sim) = content_against(store, base, latest, None, source.selector.as_deref(), ignore)?;
            out.content = if content == Content::Unchanged && last.content == "new" { Content::New } else { content };
            out.similarity = sim;
            out.kind = Some(Kind::parse(&snap.kind));
            out.title = snap.title.clone();
            let (quotes, main_empty) = judged_quotes(store, factsheets, source, &snap, base, None)?;
            if let Some(sel) = source.selector.as_deref().filter(|_| main_empty && snap.kind == "html") {
                // A selector edited since the fetch that matches nothing: not "unchanged".
                out.content = Content::Unknown;
                out.similarity = None;
                out.reason = Some(extract::selector_missed(sel));
            }
            judged = Some(quotes);
        }
    }
    out.quotes = match judged {
        Some(q) => q,
        None => quotes_against(store, factsheets, source, None, base, None)?,
    };
    warn_unapplied(store, &mut out, current)?;
    Ok(out)
}

/// Checks every cite's quotes against a source's normalised full text and
/// its tracked figures against the normalised watched text (`None`: unread),
/// the figures tracked from the baseline's watched text: teasers and menus
/// around an article never decide a figure.
fn check_quotes(
    factsheets: &[Factsheet],
    source: &PlannedSource,
    texts: Option<&(String, String)>,
    base: Option<&(String, String)>,
) -> Vec<Vec<QuoteReport>> {
    let full = texts.map(|t| t.0.as_str());
    let main = texts.map(|t| t.1.as_str());
    source
        .cites
        .iter()
        .map(|c| {
            let claim = &factsheets[c.factsheet].claims[c.claim];
            let cite = &claim.sources[c.cite];
            let mut quotes = judge::check_quotes(claim, cite, full);
            if let Some((base_full, base_main)) = base {
                // Was each missing quote there in the baseline? ("no longer" vs "not found")
                let before = judge::check_quotes(claim, cite, Some(base_full));
                for (q, b) in quotes.iter_mut().zip(before) {
                    q.in_baseline = b.found;
                }
                let tracked = judge::track_figures(claim, base_main, main, &quotes);
                quotes.extend(tracked);
            }
            quotes
        })
        .collect()
}

/// Warns on the text fragments of a source read as snapshot `snapshot` when
/// browsers will not apply them to a document of its type.
fn warn_unapplied(store: &Store, out: &mut SourceOutcome, snapshot: Option<i64>) -> store::Result<()> {
    let fragments = out.quotes.iter().flatten().any(|q| q.origin == "fragment");
    if let Some(sid) = snapshot.filter(|_| fragments) {
        let snap = store.snapshot(sid)?;
        let warning = judge::fragments_unapplied(Kind::parse(&snap.kind), snap.content_type.as_deref());
        judge::warn_fragments(&mut out.quotes, warning.as_deref());
    }
    Ok(())
}

/// The quotes of a source given what was read (`texts`, from snapshot
/// `current`) and its baseline, which is often that very snapshot.
fn quotes_against(
    store: &Store,
    factsheets: &[Factsheet],
    source: &PlannedSource,
    texts: Option<&(String, String)>,
    base: crate::lock::Base<'_>,
    current: Option<i64>,
) -> store::Result<Vec<Vec<QuoteReport>>> {
    let baseline = match base {
        crate::lock::Base::Lock(e) => return Ok(check_quotes(factsheets, source, texts, Some(&e.texts()))),
        crate::lock::Base::Store(b) => b,
    };
    let base = match baseline {
        None => texts.cloned(),
        Some(b) if Some(b) == current => texts.cloned(),
        Some(b) => Some(snapshot_texts(store, &store.snapshot(b)?, source.selector.as_deref())?),
    };
    Ok(check_quotes(factsheets, source, texts, base.as_ref()))
}

/// The quotes of a source read in snapshot `snap` (its normalised `texts`
/// when at hand), and whether its watched text is empty. Against a baseline
/// in the store they are judged once per snapshot, baseline and cites, then
/// kept, so that a 304 or an offline run neither reads nor searches the texts
/// again; against a lock's baseline they are judged each time.
fn judged_quotes(
    store: &Store,
    factsheets: &[Factsheet],
    source: &PlannedSource,
    snap: &store::Snapshot,
    base: crate::lock::Base<'_>,
    texts: Option<&(String, String)>,
) -> store::Result<(Vec<Vec<QuoteReport>>, bool)> {
    // No baseline yet: this snapshot becomes it, and is judged against itself.
    let memo = match base {
        crate::lock::Base::Store(b) => Some((b.unwrap_or(snap.id), crate::memo::key(factsheets, source))),
        crate::lock::Base::Lock(_) => None,
    };
    if let Some((b, key)) = &memo {
        if let Some((stored, main_empty)) = store.judged(snap.id, Some(*b), key)? {
            if let Some(quotes) = crate::memo::decode(&stored) {
                return Ok((quotes, main_empty));
            }
        }
    }
    let read;
    let texts = match texts {
        Some(t) => t,
        None => {
            read = snapshot_texts(store, snap, source.selector.as_deref())?;
            &read
        }
    };
    let mut quotes = quotes_against(store, factsheets, source, Some(texts), base, Some(snap.id))?;
    let main_empty = texts.1.is_empty();
    if let Some((b, key)) = &memo {
        store.put_judged(snap.id, Some(*b), key, &crate::memo::encode(&quotes), main_empty)?;
    }
    quotes.shrink_to_fit();
    Ok((quotes, main_empty))
}

/// The normalised full and watched texts of a stored snapshot.
fn snapshot_texts(store: &Store, snap: &store::Snapshot, selector: Option<&str>) -> store::Result<(String, String)> {
    let full = crate::text::searchable(&store.text(&snap.full_sha)?, snap.kind == Kind::Html.as_str());
    let main = crate::text::normalize(&watched_text(store, snap, selector)?);
    Ok((full, main))
}

/// A body's text, read on a worker thread: the extraction, its fingerprint,
/// its normalised texts and the snapshot's blobs hashed and compressed (the
/// costly parts, kept off the store thread).
pub struct Prepared {
    ex: Extracted,
    fingerprint: String,
    full_norm: String,
    main_norm: String,
    blobs: Option<store::SnapshotData>,
    /// What the lock entry of a first baseline needs (when it may be one).
    lock: Option<crate::lock::Ready>,
}

/// What the worker reading a source's body knows of it besides the body.
struct PrepareFor<'a> {
    selector: Option<&'a str>,
    accept: Option<&'a crate::statuses::StatusSet>,
    /// The source's ignore patterns, when this body may become its first
    /// baseline without a lock entry (`None`: no lock entry to prepare).
    first: Option<&'a [Regex]>,
}

fn prepare(result: &FetchResult, to: PrepareFor<'_>) -> Option<Prepared> {
    let PrepareFor { selector, accept, first } = to;
    let ex = extract_result(result, selector, accept)?;
    let raw = result.outcome.as_ref().map(|r| r.body.as_slice()).unwrap_or_default();
    let stored = matches!(&result.outcome, Ok(r) if (200..300).contains(&r.status)) && ex.failure.is_none();
    // The lock shape of a first baseline, made first: its fold of the
    // watched text is the normalised text too when nothing was stripped.
    let (shape, free) = match first.filter(|_| stored) {
        Some(ignore) => {
            let (shape, norm) = crate::lock::shape_normalized(ex.kind.as_str(), &ex.main, ignore);
            (Some(shape), norm)
        }
        None => (None, None),
    };
    let main_norm = free.unwrap_or_else(|| crate::text::normalize(&ex.main));
    // The same fingerprint as `Extracted::fingerprint`, without normalising twice.
    let fingerprint = match ex.kind {
        Kind::Other => ex.fingerprint(raw),
        _ => extract::sha256(main_norm.as_bytes()),
    };
    let full_norm = crate::text::searchable(&ex.full, ex.kind == Kind::Html);
    // What a snapshot of this body would store; unused when it is not stored.
    let blobs = match &result.outcome {
        Ok(_) if stored => store::SnapshotData::of(&NewSnapshot {
            kind: ex.kind.as_str(),
            content_type: None,
            title: None,
            selector,
            raw,
            main: &ex.main,
            full: &ex.full,
            fingerprint: "",
        })
        .ok(),
        _ => None,
    };
    let lock = shape.filter(|_| blobs.is_some()).map(|shape| crate::lock::Ready {
        full_norm: crate::text::normalize_given_searchable(&ex.full, &full_norm),
        main_norm: main_norm.clone(),
        shape,
    });
    Some(Prepared { ex, fingerprint, full_norm, main_norm, blobs, lock })
}

/// Extracts the text of a fetched body, on a blocking worker thread.
fn extract_result(
    result: &FetchResult,
    selector: Option<&str>,
    accept: Option<&crate::statuses::StatusSet>,
) -> Option<Extracted> {
    let resp = result.outcome.as_ref().ok()?;
    let worth = (200..300).contains(&resp.status)
        || accept.is_some_and(|a| a.contains(resp.status) && resp.status != 304)
        || (matches!(resp.status, 401 | 403 | 429 | 503) && resp.body.len() < 512 * 1024);
    if !worth || resp.body.is_empty() && resp.status != 200 {
        return None;
    }
    Some(extract::extract_bounded(
        &resp.body,
        resp.content_type.as_deref(),
        selector,
        std::time::Duration::from_secs(60),
    ))
}

/// The fetch jobs of a plan, made as each starts: the URL to fetch is the
/// plan's, the validators (ETag, Last-Modified) of the last good fetch held
/// only for the sources that have some.
struct PlanJobs<'a> {
    plan: &'a [PlannedSource],
    validators: Vec<Option<Box<Validators>>>,
}

/// The ETag and Last-Modified of a source's last good fetch.
type Validators = (Option<String>, Option<String>);

impl fetch::Jobs for PlanJobs<'_> {
    fn count(&self) -> usize {
        self.plan.len()
    }
    fn url(&self, i: usize) -> &url::Url {
        &self.plan[i].url
    }
    fn job(&self, i: usize) -> FetchJob {
        let (etag, last_modified) = self.validators[i].as_deref().cloned().unwrap_or_default();
        FetchJob { index: i, url: self.plan[i].url.clone(), etag, last_modified }
    }
}

/// Sources recorded in one commit at most.
const BATCH: usize = 512;

/// The store side of a check: records results in batched commits.
struct Recorder<'a> {
    store: &'a mut Store,
    /// Sources recorded in the open batch.
    batch: usize,
    /// When the open batch began.
    since: std::time::Instant,
    outcomes: &'a mut Vec<Option<SourceOutcome>>,
    failure: Option<StoreError>,
}

impl Recorder<'_> {
    fn open(&mut self) {
        if self.batch == 0 {
            self.since = std::time::Instant::now();
            if let Err(e) = self.store.begin_batch() {
                self.failure.get_or_insert(e);
            }
        }
        self.batch += 1;
    }

    fn commit(&mut self) {
        if self.batch > 0 {
            self.batch = 0;
            if let Err(e) = self.store.commit_batch() {
                self.failure.get_or_insert(e);
            }
        }
    }
}

/// A finished check.
pub struct CheckOutcome<'a> {
    /// The run's document, made as it is written.
    pub doc: RunDoc<'a>,
    /// The lock files this run wrote (first baselines, passages of new quotes).
    pub locks_written: Vec<std::path::PathBuf>,
    /// Why the run stopped early: the store could not be written (a full
    /// disk…). The report then holds what was judged; the store holds every
    /// source recorded before, each in its own transaction.
    pub stopped: Option<StoreError>,
}

/// Runs a check of `factsheets` with the store in `cache`.
pub fn run<'a>(factsheets: &'a [Factsheet], cache: &Path, opts: &CheckOptions) -> Result<CheckOutcome<'a>, StoreError> {
    let (mut plan, excluded) = plan::exclude(plan::build(factsheets), &opts.exclude);
    plan::remap(&mut plan, &opts.remap).map_err(StoreError)?;
    extract::pdf::set_cap(opts.fetch.max_body);
    let _lock = store::lock(cache)?;
    let mut store = Store::open(cache)?;
    let locks = crate::lock::Locks::read_with(factsheets, &store).map_err(StoreError)?;
    let started = jiff::Timestamp::now();
    let run_id = store.begin_run(store::millis(started), opts.offline)?;
    let ignore_for: Vec<Vec<Regex>> = plan
        .iter()
        .map(|p| {
            let mut all = opts.ignore.clone();
            all.extend(p.ignore.iter().cloned());
            regexes(&all)
        })
        .collect();

    let mut outcomes: Vec<Option<SourceOutcome>> = vec![None; plan.len()];
    let mut stopped: Option<StoreError> = None;
    let bar = crate::progress::bar(plan.len() as u64, opts.progress);
    if opts.offline {
        // One transaction for all the look-ups (and the judgements kept):
        // not one per statement.
        store.transaction(|st| {
            for (i, p) in plan.iter().enumerate() {
                outcomes[i] = Some(from_cache(st, factsheets, p, &ignore_for[i], locks.entry(&p.key).as_deref())?);
                bar.skipped(&p.key, "offline: judged from the cache");
            }
            Ok(())
        })?;
    } else {
        let mut jobs = PlanJobs { plan: &plan, validators: Vec::with_capacity(plan.len()) };
        // Per source: its ignore patterns when its body may become its first
        // baseline with no lock entry yet (the worker then prepares that entry).
        let mut first: Vec<Option<Vec<Regex>>> = Vec::with_capacity(plan.len());
        store.transaction(|st| {
            for (i, p) in plan.iter().enumerate() {
                let row = st.source(&p.key)?;
                let new = row.as_ref().is_none_or(|r| r.baseline.is_none()) && locks.entry(&p.key).is_none();
                first.push(new.then(|| ignore_for[i].clone()));
                jobs.validators.push(match row {
                    Some(r) if r.latest.is_some() && (r.etag.is_some() || r.last_modified.is_some()) => {
                        Some(Box::new((r.etag, r.last_modified)))
                    }
                    _ => None,
                });
            }
            Ok(())
        })?;
        let selectors: Vec<Option<String>> = plan.iter().map(|p| p.selector.clone()).collect();
        let accept = opts.accept.clone();
        // The store thread: results are recorded in batches, each committed
        // once no result is waiting (or after `BATCH` sources or a second),
        // so a fast web costs one commit per batch and a slow one still
        // commits each source as it comes.
        let state = std::sync::Mutex::new(Recorder {
            store: &mut store,
            batch: 0,
            since: std::time::Instant::now(),
            outcomes: &mut outcomes,
            failure: None,
        });
        let (plan_ref, bar_ref, ignore_ref, state_ref, locks_ref) = (&plan, &bar, &ignore_for, &state, &locks);
        fetch::run_with_idle(
            &jobs,
            &opts.fetch,
            move |result: FetchResult| {
                let i = result.index;
                let to = PrepareFor {
                    selector: selectors[i].as_deref(),
                    accept: accept.as_ref(),
                    first: first[i].as_deref(),
                };
                let prepared = prepare(&result, to);
                (result, prepared)
            },
            move |(result, ex): (FetchResult, Option<Prepared>)| {
                let i = result.index;
                bar_ref.fetched(&plan_ref[i].key, &result);
                // A large lock file's entry is read from it here, on this thread.
                let lock = locks_ref.entry(&plan_ref[i].key);
                let rules = Judging { ignore: &ignore_ref[i], accept: opts.accept.as_ref(), lock: lock.as_deref() };
                let mut guard = state_ref.lock().unwrap_or_else(|e| e.into_inner());
                let r = &mut *guard;
                if r.failure.is_some() {
                    // A commit failed (a full disk…): nothing more could be saved.
                    return std::ops::ControlFlow::Break(());
                }
                r.open();
                // A panic judging one source (its savepoint rolls back) is
                // an error of that source, not the end of the run.
                let recorded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    record(r.store, run_id, factsheets, &plan_ref[i], &result, ex.as_ref(), rules)
                }))
                .unwrap_or_else(|p| {
                    let why = format!("could not judge this source: {}", extract::panic_message(p.as_ref()));
                    let mut o = SourceOutcome::unknown(&why);
                    o.quotes = check_quotes(factsheets, &plan_ref[i], None, None);
                    Ok(o)
                });
                let flow = match recorded {
                    Ok(o) => {
                        r.outcomes[i] = Some(o);
                        std::ops::ControlFlow::Continue(())
                    }
                    // The first failed write (a full disk…) ends the run:
                    // nothing more could be saved.
                    Err(e) => {
                        r.failure.get_or_insert(e);
                        std::ops::ControlFlow::Break(())
                    }
                };
                if flow.is_break() || r.batch >= BATCH || r.since.elapsed() >= std::time::Duration::from_secs(1) {
                    r.commit();
                }
                if r.failure.is_some() {
                    return std::ops::ControlFlow::Break(());
                }
                flow
            },
            move || state_ref.lock().unwrap_or_else(|e| e.into_inner()).commit(),
        )
        .map_err(StoreError)?;
        let mut r = state.into_inner().unwrap_or_else(|e| e.into_inner());
        r.commit();
        stopped = r.failure;
    }
    bar.finish_and_clear();

    let outcomes: Vec<SourceOutcome> = outcomes
        .into_iter()
        .zip(&plan)
        .map(|(o, p)| {
            o.unwrap_or_else(|| {
                let why = match &stopped {
                    Some(e) => format!("not checked: the run stopped when the store could not be written ({e})"),
                    None => "not fetched".into(),
                };
                let mut o = SourceOutcome::unknown(&why);
                o.quotes = check_quotes(factsheets, p, None, None);
                o
            })
        })
        .collect();
    let mut outcomes = outcomes;
    if let Some(cfg) = opts.archive.as_ref().filter(|_| stopped.is_none()) {
        archive_stage(&store, factsheets, &plan, &mut outcomes, cfg, opts.offline)?;
    }
    let finished = jiff::Timestamp::now();
    let doc = RunDoc::new(
        factsheets,
        plan,
        excluded,
        outcomes,
        &RunMeta { run_id, started, finished, offline: opts.offline, confirm: opts.confirm },
    );
    if stopped.is_some() {
        return Ok(CheckOutcome { doc, locks_written: Vec::new(), stopped });
    }
    store.finish_run(run_id, store::millis(finished), &doc)?;
    // In one transaction: the look-ups of every source, not one each.
    let locks_written =
        store.transaction(|st| crate::lock::write_all(st, factsheets, doc.plan(), &locks, &opts.ignore, &[]))?;
    Ok(CheckOutcome { doc, locks_written, stopped })
}

/// The archive stage: archived copies of broken sources, their quotes checked.
fn archive_stage(
    store: &Store,
    factsheets: &[Factsheet],
    plan: &[PlannedSource],
    outcomes: &mut [SourceOutcome],
    cfg: &crate::archive::ArchiveConfig,
    offline: bool,
) -> Result<(), StoreError> {
    let health: Vec<Health> = outcomes.iter().map(|o| o.health).collect();
    let needed = cfg.lookup == crate::archive::Lookup::All || health.contains(&Health::Broken);
    if !needed {
        return Ok(());
    }
    let mut client = if offline { None } else { crate::archive::client::Client::new(cfg).ok() };
    let found = crate::archive::rescue::run(store, factsheets, plan, &health, cfg, client.as_mut())?;
    for (o, r) in outcomes.iter_mut().zip(found) {
        o.archive = r.map(Box::new);
    }
    Ok(())
}
