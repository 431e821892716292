//! `citewatch archive`: the archived copy to cite for each dead source, with
//! the claim's quotes checked in it, optionally written into the claims
//! files; and `--save`, asking Save Page Now to capture live sources.

use super::client::Client;
use super::edit::{set_archived, Written};
use super::rescue;
use super::{date, quotes_hold, rfc3339, ts14, ArchiveConfig, Lookup};
use crate::claims::Factsheet;
use crate::model::Health;
use crate::plan::PlannedSource;
use crate::report::sanitize;
use crate::store::{self, ArchiveSave, Store};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::PathBuf;

/// One quote as found in a copy.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QuoteFound {
    pub text: String,
    pub found: Option<bool>,
}

/// One suggestion: a claim, its dead (or any, with `--all`) source and the copy.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Suggestion {
    pub factsheet: String,
    pub claim: String,
    /// As cited.
    pub url: String,
    /// Last known health; null when never checked.
    pub health: Option<Health>,
    pub archived_url: Option<String>,
    /// RFC 3339.
    pub archived_at: Option<String>,
    pub status: Option<u16>,
    pub quotes: Vec<QuoteFound>,
    pub reason: String,
    /// Whether `--write` wrote it into the claims file (not in the JSON).
    #[serde(skip)]
    pub written: bool,
}

/// The document of `archive --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestions {
    pub schema: u32,
    pub archived: Vec<Suggestion>,
}

/// One source asked to be saved.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SaveReport {
    pub url: String,
    /// `saved`, `recent` (a capture within the window exists) or `failed`.
    pub status: String,
    pub archived_url: Option<String>,
    pub archived_at: Option<String>,
    pub reason: String,
}

/// The document of `archive --save --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct Saves {
    pub schema: u32,
    pub saved: Vec<SaveReport>,
}

/// Which claims a command works on: `FACTSHEET/CLAIM`, a URL (fragment
/// ignored) or a factsheet id; none: all.
pub fn select(factsheets: &[Factsheet], targets: &[String]) -> Result<Vec<PlannedSource>, String> {
    let mut plan = crate::plan::build(factsheets);
    if targets.is_empty() {
        return Ok(plan);
    }
    let mut hit = vec![false; targets.len()];
    for p in &mut plan {
        p.cites.retain(|c| {
            let fs = &factsheets[c.factsheet];
            let claim = &fs.claims[c.claim];
            let mut keep = false;
            for (k, t) in targets.iter().enumerate() {
                let m = if t.starts_with("http://") || t.starts_with("https://") {
                    crate::claims::split_fragment(t).0 == p.key
                } else if let Some((f, cid)) = t.split_once('/') {
                    f == fs.id && cid == claim.id
                } else {
                    *t == fs.id
                };
                if m {
                    hit[k] = true;
                    keep = true;
                }
            }
            keep
        });
    }
    if let Some(k) = hit.iter().position(|h| !h) {
        return Err(format!(
            "no claim matches \"{}\"; give FACTSHEET/CLAIM, a cited URL or a factsheet id (see `citewatch validate`)",
            targets[k]
        ));
    }
    plan.retain(|p| !p.cites.is_empty());
    Ok(plan)
}

/// The last known health of each source, from the store (`None`: never checked).
fn last_health(store: &Store, plan: &[PlannedSource]) -> Vec<Option<Health>> {
    let known: HashMap<String, Health> = crate::review::status(store, &[], &[])
        .map(|doc| doc.sources.into_iter().map(|s| (s.url, s.health)).collect())
        .unwrap_or_default();
    plan.iter().map(|p| known.get(&p.key).copied()).collect()
}

/// Looks up (or reads the cited) archived copy of each selected source that
/// is broken (every source with `all`; with `targeted`, also those never
/// checked), and with `write` puts the copies
/// that hold their claim's quotes into the claims files.
pub fn suggest(
    store: &Store,
    factsheets: &[Factsheet],
    plan: &[PlannedSource],
    cfg: &ArchiveConfig,
    all: bool,
    targeted: bool,
    write: bool,
) -> Result<(Suggestions, Vec<String>), String> {
    let health = last_health(store, plan);
    let mut cfg = cfg.clone();
    cfg.lookup = if all { Lookup::All } else { Lookup::Broken };
    // A source never checked counts as dead when it was asked for by name.
    let unknown = if targeted { Health::Broken } else { Health::Ok };
    let judged: Vec<Health> = health.iter().map(|h| h.unwrap_or(unknown)).collect();
    let mut client = Client::new(&cfg)?;
    let found = rescue::run(store, factsheets, plan, &judged, &cfg, Some(&mut client)).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for ((p, r), h) in plan.iter().zip(found).zip(&health) {
        let Some(r) = r else { continue };
        for (j, c) in p.cites.iter().enumerate() {
            let fs = &factsheets[c.factsheet];
            let claim = &fs.claims[c.claim];
            let cite = &claim.sources[c.cite];
            let copy = r.copy.as_ref();
            out.push(Suggestion {
                factsheet: fs.id.clone(),
                claim: claim.id.clone(),
                url: cite.url.clone(),
                health: *h,
                archived_url: copy.map(|c| c.url.clone()),
                archived_at: copy.and_then(|c| c.timestamp.clone()),
                status: copy.and_then(|c| c.status),
                quotes: r.quotes[j].iter().map(|q| QuoteFound { text: q.text.clone(), found: q.found }).collect(),
                reason: r.notes.get(j).cloned().unwrap_or_default(),
                written: false,
            });
        }
    }
    let mut notes = Vec::new();
    if write {
        notes = write_copies(factsheets, &mut out)?;
    }
    Ok((Suggestions { schema: 1, archived: out }, notes))
}

/// Writes `archived = "…"` for each suggestion whose copy holds its quotes
/// and whose source has no archived copy yet.
fn write_copies(factsheets: &[Factsheet], out: &mut [Suggestion]) -> Result<Vec<String>, String> {
    let mut by_file: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    let mut notes = Vec::new();
    for (k, s) in out.iter().enumerate() {
        let Some(fs) = factsheets.iter().find(|f| f.id == s.factsheet) else { continue };
        let cite = fs.claims.iter().find(|c| c.id == s.claim).and_then(|c| c.sources.iter().find(|x| x.url == s.url));
        if cite.is_some_and(|c| c.archived.is_some()) || s.archived_url.is_none() {
            continue;
        }
        let quotes: Vec<crate::report::model::QuoteReport> = s
            .quotes
            .iter()
            .map(|q| crate::report::model::QuoteReport { text: q.text.clone(), found: q.found, ..Default::default() })
            .collect();
        if quotes_hold(&quotes) == Some(false) {
            notes.push(format!(
                "not written: the copy of {} for {}/{} does not hold all its quotes",
                sanitize(&s.url),
                sanitize(&s.factsheet),
                sanitize(&s.claim)
            ));
            continue;
        }
        by_file.entry(fs.file.clone()).or_default().push(k);
    }
    for (file, items) in by_file {
        let mut text = std::fs::read_to_string(&file).map_err(|e| format!("{}: cannot read: {e}", file.display()))?;
        let mut done = 0;
        for &k in &items {
            let s = &out[k];
            let (next, w) = set_archived(&text, &s.claim, &s.url, s.archived_url.as_deref().unwrap_or_default())
                .map_err(|e| format!("{}: {e}", file.display()))?;
            if w == Written::Set {
                text = next;
                done += 1;
                out[k].written = true;
            }
        }
        if done == 0 {
            continue;
        }
        if let Err(errors) = crate::claims::parse_str(&file, &text) {
            let first = errors.first().map(|e| e.to_string()).unwrap_or_default();
            return Err(format!(
                "{}: the file would not validate after writing ({first}); nothing written",
                file.display()
            ));
        }
        std::fs::write(&file, &text).map_err(|e| format!("{}: cannot write: {e}", file.display()))?;
        notes.push(format!("wrote {done} archived copy(ies) into {}", file.display()));
    }
    Ok(notes)
}

/// Asks Save Page Now to capture each selected live source that has no good
/// capture within `within_days`; records each capture in the store and, with
/// `write`, in the claims files.
pub fn save(
    store: &Store,
    factsheets: &[Factsheet],
    plan: &[PlannedSource],
    cfg: &ArchiveConfig,
    within_days: u32,
    write: bool,
) -> Result<(Saves, Vec<String>), String> {
    let health = last_health(store, plan);
    let mut client = Client::new(cfg)?;
    let now = jiff::Timestamp::now();
    let from = ts14(now - jiff::SignedDuration::from_hours(24 * within_days as i64));
    let mut out = Vec::new();
    let mut suggestions = Vec::new();
    for (p, h) in plan.iter().zip(&health) {
        if h.is_some_and(|h| !h.readable()) {
            out.push(SaveReport {
                url: p.key.clone(),
                status: "skipped".into(),
                archived_url: None,
                archived_at: None,
                reason: format!(
                    "not live (last check: {}); see `citewatch archive` for a copy",
                    h.map(|h| h.as_str()).unwrap_or("")
                ),
            });
            continue;
        }
        let report = match client.captured_since(&p.key, &from) {
            Ok(Some(c)) => SaveReport {
                url: p.key.clone(),
                status: "recent".into(),
                reason: format!("captured {} already (within {within_days} days)", date(&c.timestamp)),
                archived_at: rfc3339(&c.timestamp),
                archived_url: Some(c.copy_url),
            },
            Ok(None) | Err(_) => match client.save(&p.key, std::time::Duration::from_secs(120)) {
                Ok(saved) => {
                    let c = &saved.capture;
                    store
                        .put_archive_save(&ArchiveSave {
                            url: &p.key,
                            time: store::millis(jiff::Timestamp::now()),
                            job_id: saved.job_id.as_deref(),
                            status: "success",
                            timestamp: Some(&c.timestamp),
                            copy_url: Some(&c.copy_url),
                            message: None,
                        })
                        .map_err(|e| e.to_string())?;
                    SaveReport {
                        url: p.key.clone(),
                        status: "saved".into(),
                        reason: format!("captured {}", date(&c.timestamp)),
                        archived_at: rfc3339(&c.timestamp),
                        archived_url: Some(c.copy_url.clone()),
                    }
                }
                Err(e) => {
                    store
                        .put_archive_save(&ArchiveSave {
                            url: &p.key,
                            time: store::millis(jiff::Timestamp::now()),
                            job_id: None,
                            status: "error",
                            timestamp: None,
                            copy_url: None,
                            message: Some(&e),
                        })
                        .map_err(|e| e.to_string())?;
                    SaveReport {
                        url: p.key.clone(),
                        status: "failed".into(),
                        archived_url: None,
                        archived_at: None,
                        reason: e,
                    }
                }
            },
        };
        if let Some(copy) = report.archived_url.clone() {
            for c in &p.cites {
                let fs = &factsheets[c.factsheet];
                let claim = &fs.claims[c.claim];
                suggestions.push(Suggestion {
                    factsheet: fs.id.clone(),
                    claim: claim.id.clone(),
                    url: claim.sources[c.cite].url.clone(),
                    health: *h,
                    archived_url: Some(copy.clone()),
                    archived_at: report.archived_at.clone(),
                    status: Some(200),
                    quotes: Vec::new(),
                    reason: String::new(),
                    written: false,
                });
            }
        }
        out.push(report);
    }
    let notes = if write { write_copies(factsheets, &mut suggestions)? } else { Vec::new() };
    Ok((Saves { schema: 1, saved: out }, notes))
}

fn cut(s: &str, n: usize) -> String {
    let s = sanitize(s);
    if s.chars().count() <= n {
        s
    } else {
        let t: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{t}…")
    }
}

/// The suggestions as a table, then what each says.
pub fn render_text(doc: &Suggestions, notes: &[String], out: &mut dyn Write) -> io::Result<()> {
    if doc.archived.is_empty() {
        writeln!(out, "no broken source to find a copy for (run `citewatch check` first, or pass --all)")?;
    } else {
        let rows: Vec<[String; 5]> = doc
            .archived
            .iter()
            .map(|s| {
                let found = s.quotes.iter().filter(|q| q.found == Some(true)).count();
                [
                    cut(&format!("{}/{}", s.factsheet, s.claim), 40),
                    cut(&s.url, 60),
                    s.archived_url.as_deref().map(|u| cut(u, 90)).unwrap_or_else(|| "-".into()),
                    s.archived_at.as_deref().map(|t| t[..10.min(t.len())].to_string()).unwrap_or_else(|| "-".into()),
                    match (s.archived_url.is_some(), s.quotes.len()) {
                        (false, _) => "-".into(),
                        (true, 0) => "none to check".into(),
                        (true, n) => format!("{found}/{n}"),
                    },
                ]
            })
            .collect();
        let head = ["claim", "dead URL", "archived copy", "date", "quotes found"];
        let mut w = head.map(|h| h.chars().count());
        for r in &rows {
            for (k, c) in r.iter().enumerate() {
                w[k] = w[k].max(c.chars().count());
            }
        }
        let line = |cells: [&str; 5]| -> String {
            let mut s = String::new();
            for (k, c) in cells.iter().enumerate() {
                if k + 1 == cells.len() {
                    s.push_str(c);
                } else {
                    s.push_str(&format!("{c}{}  ", " ".repeat(w[k] - c.chars().count())));
                }
            }
            s.trim_end().to_string()
        };
        writeln!(out, "{}", line(head))?;
        for r in &rows {
            writeln!(out, "{}", line([&r[0], &r[1], &r[2], &r[3], &r[4]]))?;
        }
        writeln!(out)?;
        for s in &doc.archived {
            writeln!(out, "{}/{}: {}", sanitize(&s.factsheet), sanitize(&s.claim), sanitize(&s.reason))?;
        }
        let holding = doc
            .archived
            .iter()
            .filter(|s| s.archived_url.is_some() && !s.quotes.iter().any(|q| q.found != Some(true)))
            .count();
        let without = doc.archived.iter().filter(|s| s.archived_url.is_none()).count();
        writeln!(
            out,
            "{} source citation(s): {holding} with a copy that holds their quotes, {} with a copy that does not, {without} without a copy",
            doc.archived.len(),
            doc.archived.len() - holding - without
        )?;
    }
    for n in notes {
        writeln!(out, "{}", sanitize(n))?;
    }
    Ok(())
}

/// What `--save` did, one line per source.
pub fn render_saves(doc: &Saves, notes: &[String], out: &mut dyn Write) -> io::Result<()> {
    for s in &doc.saved {
        let copy = s.archived_url.as_deref().map(|u| format!(": {}", sanitize(u))).unwrap_or_default();
        writeln!(out, "{:<7} {} — {}{copy}", s.status, sanitize(&s.url), sanitize(&s.reason))?;
    }
    let n = |st: &str| doc.saved.iter().filter(|s| s.status == st).count();
    writeln!(
        out,
        "{} source(s): {} saved, {} captured recently, {} failed, {} skipped",
        doc.saved.len(),
        n("saved"),
        n("recent"),
        n("failed"),
        n("skipped")
    )?;
    for n in notes {
        writeln!(out, "{}", sanitize(n))?;
    }
    Ok(())
}
