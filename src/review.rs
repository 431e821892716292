//! Reviewing what changed, from the store alone: `status`, `history`, `diff`
//! and `accept`. Store reads and writes live here; rendering is in `report`.

use crate::check::watched_text;
use crate::model::{Content, Health, Verdict};
use crate::report::model::*;
use crate::store::{self, Store, StoreError};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

type Result<T> = std::result::Result<T, StoreError>;

fn parse<T: serde::de::DeserializeOwned>(json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| StoreError(format!("cache database: a stored document is unreadable: {e}")))
}

/// The last known state of every claim and source, as a run document,
/// optionally only the claims of the given verdicts and factsheets.
pub fn status(store: &Store, verdicts: &[Verdict], factsheets: &[String]) -> Result<RunReport> {
    let conn = store.conn();
    let run: Option<(i64, i64, i64, i64)> = conn
        .query_row(
            "SELECT id, started, COALESCE(finished, started), offline FROM runs WHERE status = 'finished' ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((run_id, started, finished, offline)) = run else {
        return Err(StoreError("no finished check in the store yet; run `citewatch check` first".into()));
    };
    let mut claims: Vec<(i64, i64, ClaimReport)> = Vec::new();
    let mut stmt = conn.prepare("SELECT run_id, ord, doc FROM claim_state")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))?;
    for row in rows {
        let (run, ord, doc) = row?;
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
    let mut stmt = conn.prepare("SELECT run_id, ord, doc FROM source_state")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))?;
    for row in rows {
        let (run, ord, doc) = row?;
        let s: SourceReport = parse(&doc)?;
        if !filtered || cited.contains(&s.url) {
            sources.push((run, ord, s));
        }
    }
    sources.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut fs_list: Vec<FactsheetInfo> = Vec::new();
    let mut stmt = conn.prepare("SELECT doc FROM factsheet_state ORDER BY id")?;
    for doc in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let f: FactsheetInfo = parse(&doc?)?;
        if factsheets.is_empty() || factsheets.contains(&f.id) {
            fs_list.push(f);
        }
    }
    let claims: Vec<ClaimReport> = claims.into_iter().map(|c| c.2).collect();
    let sources: Vec<SourceReport> = sources.into_iter().map(|s| s.2).collect();
    Ok(RunReport {
        schema: 1,
        run: RunInfo {
            started: store::rfc3339(started),
            finished: store::rfc3339(finished),
            id: run_id,
            offline: offline != 0,
        },
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
    let conn = store.conn();
    let mut entries = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT time, run_id, http_status, health, content, similarity, COALESCE(reason, error), final_url
         FROM fetches WHERE source_id = ?1 ORDER BY id DESC",
    )?;
    let rows = stmt.query_map([row.id], |r| {
        let ms: i64 = r.get(0)?;
        Ok(HistoryEntry {
            time: store::rfc3339(ms),
            event: "fetch".into(),
            run: Some(r.get(1)?),
            http_status: r.get(2)?,
            health: Health::parse(&r.get::<_, String>(3)?),
            content: Content::parse(&r.get::<_, String>(4)?),
            similarity: r.get(5)?,
            reason: r.get(6)?,
            final_url: r.get(7)?,
            note: None,
            undone: false,
            ms,
        })
    })?;
    for e in rows {
        entries.push(e?);
    }
    let mut stmt = conn.prepare("SELECT time, note, undone FROM accepts WHERE source_id = ?1 ORDER BY id DESC")?;
    let rows = stmt.query_map([row.id], |r| {
        let ms: i64 = r.get(0)?;
        Ok(HistoryEntry {
            time: store::rfc3339(ms),
            event: "accept".into(),
            run: None,
            http_status: None,
            health: None,
            content: None,
            similarity: None,
            reason: None,
            final_url: None,
            note: r.get(1)?,
            undone: r.get::<_, i64>(2)? != 0,
            ms,
        })
    })?;
    for e in rows {
        entries.push(e?);
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

fn claims_where(store: &Store, sql: &str, args: &[&str]) -> Result<Vec<ClaimReport>> {
    let mut stmt = store.conn().prepare(sql)?;
    let docs: Vec<String> = stmt
        .query_map(rusqlite::params_from_iter(args.iter()), |r| r.get::<_, String>(0))?
        .collect::<std::result::Result<_, _>>()?;
    docs.iter().map(|d| parse(d)).collect()
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
        let all = claims_where(store, "SELECT doc FROM claim_state ORDER BY factsheet, ord", &[])?;
        let citing = all
            .into_iter()
            .filter(|c| c.sources.iter().any(|s| crate::claims::split_fragment(&s.url).0 == key))
            .collect();
        (vec![key], citing)
    } else {
        let claims = match target.split_once('/') {
            Some((fs, id)) => {
                claims_where(store, "SELECT doc FROM claim_state WHERE factsheet = ?1 AND claim = ?2", &[fs, id])?
            }
            None => claims_where(store, "SELECT doc FROM claim_state WHERE factsheet = ?1 ORDER BY ord", &[target])?,
        };
        if claims.is_empty() {
            return Err(StoreError(format!(
                "no claim FACTSHEET/CLAIM, factsheet id or URL \"{target}\" in the store; see `citewatch status`"
            )));
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
    pub quotes: Vec<String>,
}

fn snapshot_time(store: &Store, id: i64) -> Result<String> {
    let ms: i64 = store.conn().query_row("SELECT created FROM snapshots WHERE id = ?1", [id], |r| r.get(0))?;
    Ok(store::rfc3339(ms))
}

/// The baseline and latest texts of every source of a target.
pub fn texts(store: &Store, target: &Target) -> Result<Vec<SourceTexts>> {
    let mut out = Vec::new();
    for url in &target.urls {
        let Some(row) = store.source(url)? else { continue };
        let selector: Option<String> = store
            .conn()
            .query_row(
                "SELECT selector FROM snapshots WHERE id = ?1",
                [row.latest.or(row.baseline).unwrap_or(-1)],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let load = |id: Option<i64>| -> Result<Option<(String, String)>> {
            match id {
                Some(id) => {
                    let snap = store.snapshot(id)?;
                    Ok(Some((snapshot_time(store, id)?, watched_text(store, &snap, selector.as_deref())?)))
                }
                None => Ok(None),
            }
        };
        let mut quotes: Vec<String> = Vec::new();
        for c in &target.claims {
            for s in c.sources.iter().filter(|s| crate::claims::split_fragment(&s.url).0 == url.as_str()) {
                for q in &s.quotes {
                    if !quotes.contains(&q.text) {
                        quotes.push(q.text.clone());
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
    store.transaction(|st| {
        let batch: i64 = st.conn().query_row("SELECT COALESCE(MAX(batch), 0) + 1 FROM accepts", [], |r| r.get(0))?;
        let mut done = Vec::new();
        for url in urls {
            let Some(row) = st.source(url)? else { continue };
            let Some(latest) = row.latest else { continue };
            if row.baseline == Some(latest) {
                continue;
            }
            st.conn().execute(
                "INSERT INTO accepts (source_id, time, note, previous, baseline, batch) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![row.id, now, note, row.baseline, latest, batch],
            )?;
            st.conn().execute("UPDATE sources SET baseline = ?2 WHERE id = ?1", params![row.id, latest])?;
            done.push(Accepted { url: url.clone(), previous: row.baseline, baseline: latest });
        }
        Ok(done)
    })
}

/// Undoes the latest accept of each of `urls`, or the whole latest accept
/// batch when `urls` is `None`.
pub fn undo(store: &Store, urls: Option<&[String]>) -> Result<Vec<Accepted>> {
    store.transaction(|st| {
        let mut rows: Vec<(i64, i64, Option<i64>, i64, String)> = Vec::new();
        let select = "SELECT a.id, a.source_id, a.previous, a.baseline, s.url FROM accepts a JOIN sources s ON s.id = a.source_id";
        match urls {
            None => {
                let batch: Option<i64> =
                    st.conn().query_row("SELECT MAX(batch) FROM accepts WHERE undone = 0", [], |r| r.get(0))?;
                let Some(batch) = batch else { return Ok(Vec::new()) };
                let mut stmt = st.conn().prepare(&format!("{select} WHERE a.batch = ?1 AND a.undone = 0"))?;
                for r in stmt.query_map([batch], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))? {
                    rows.push(r?);
                }
            }
            Some(urls) => {
                let mut stmt = st
                    .conn()
                    .prepare(&format!("{select} WHERE s.url = ?1 AND a.undone = 0 ORDER BY a.id DESC LIMIT 1"))?;
                for u in urls {
                    if let Some(r) = stmt
                        .query_row([u], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
                        .optional()?
                    {
                        rows.push(r);
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (id, source, previous, baseline, url) in rows {
            st.conn().execute("UPDATE accepts SET undone = 1 WHERE id = ?1", [id])?;
            st.conn().execute("UPDATE sources SET baseline = ?2 WHERE id = ?1", params![source, previous])?;
            out.push(Accepted { url, previous: Some(baseline), baseline: previous.unwrap_or(0) });
        }
        Ok(out)
    })
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
    let mut stmt = store.conn().prepare(
        "SELECT a.time, s.url, a.note, a.undone FROM accepts a JOIN sources s ON s.id = a.source_id ORDER BY a.id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(AcceptRow {
            time: store::rfc3339(r.get(0)?),
            url: r.get(1)?,
            note: r.get(2)?,
            undone: r.get::<_, i64>(3)? != 0,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Every source URL in the store.
pub fn all_urls(store: &Store) -> Result<Vec<String>> {
    let mut stmt = store.conn().prepare("SELECT url FROM sources ORDER BY id")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
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
    let mut stmt = store.conn().prepare(
        "SELECT r.id, r.started,
           (SELECT COUNT(*) FROM fetches f WHERE f.run_id = r.id AND f.health = 'broken'),
           (SELECT COUNT(*) FROM fetches f WHERE f.run_id = r.id AND f.content = 'changed'),
           (SELECT COUNT(*) FROM verdicts v WHERE v.run_id = r.id AND v.verdict != 'ok')
         FROM runs r WHERE r.status = 'finished' AND r.offline = 0 ORDER BY r.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(crate::report::RunPoint {
            id: r.get(0)?,
            started: store::rfc3339(r.get(1)?),
            sources_broken: r.get::<_, i64>(2)? as usize,
            sources_changed: r.get::<_, i64>(3)? as usize,
            claims_flagged: r.get::<_, i64>(4)? as usize,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
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
