//! The archive stage of `check` (and the work of `citewatch archive`): for
//! each source that needs one, the archived copy to cite, read and checked
//! for the quotes and tracked figures of every claim citing the source.
//! Look-ups are kept a week in the store, copies for good; an archive that is
//! down, slow or answering nonsense only ever becomes a reason in words.

use super::client::Client;
use super::{date, day_end, quotes_hold, raw_form, rfc3339, suggestion, ts14, ArchiveConfig, Capture, Lookup};
use crate::claims::Factsheet;
use crate::model::Health;
use crate::plan::PlannedSource;
use crate::report::model::{ArchiveReport, QuoteReport};
use crate::store::{self, ArchiveLookup, Store};

/// How long a look-up is kept before it is asked again.
pub const LOOKUP_TTL_MS: i64 = 7 * 24 * 3600 * 1000;

/// What the archive stage learnt about one source.
#[derive(Debug, Clone, Default)]
pub struct Rescue {
    /// The copy, for `sources[].archive`; `None` when none was found.
    pub copy: Option<ArchiveReport>,
    /// The copy's 14-digit time, when known.
    pub timestamp: Option<String>,
    /// The copy is the one cited in the claims file, the source is broken and
    /// the copy was read: the claims are judged on it.
    pub on_copy: bool,
    /// The quotes checked in the copy, one list per cite of the plan entry
    /// (empty lists when the copy was not read).
    pub quotes: Vec<Vec<QuoteReport>>,
    /// One reason per cite, for the claim.
    pub notes: Vec<String>,
    /// The reason for the source as a whole.
    pub source_note: String,
}

/// Why a source gets archive work, if it does.
fn wanted(p: &PlannedSource, health: Health, lookup: Lookup) -> Option<bool> {
    let broken = health == Health::Broken;
    match (&p.archived, lookup) {
        (Some(_), Lookup::All) => Some(true),
        (Some(_), _) if broken => Some(true),
        (None, Lookup::All) => Some(false),
        (None, Lookup::Broken) if broken => Some(false),
        _ => None,
    }
}

/// The time a source's copy should be closest before (14 digits): the
/// earliest `published` date of the factsheets citing it, else its first
/// good fetch, else now; with the key its look-up is kept under (`now` for
/// the last, so that it too is kept a week).
pub fn target(
    store: &Store,
    factsheets: &[Factsheet],
    p: &PlannedSource,
    now: jiff::Timestamp,
) -> store::Result<(String, String)> {
    let published =
        p.cites.iter().filter_map(|c| factsheets[c.factsheet].published.as_deref()).filter_map(day_end).min();
    if let Some(t) = published {
        return Ok((t.clone(), t));
    }
    if let Some(ms) = store.first_good_fetch(&p.key)? {
        if let Ok(t) = jiff::Timestamp::from_millisecond(ms) {
            return Ok((ts14(t), ts14(t)));
        }
    }
    Ok(("now".into(), ts14(now)))
}

/// The archive stage: one entry per plan entry, `Some` for those that got
/// archive work. `client` is `None` offline (stored look-ups and copies only).
pub fn run(
    store: &Store,
    factsheets: &[Factsheet],
    plan: &[PlannedSource],
    health: &[Health],
    cfg: &ArchiveConfig,
    client: Option<&mut Client>,
) -> store::Result<Vec<Option<Rescue>>> {
    let mut work = Work { store, client, now: jiff::Timestamp::now() };
    let mut out = Vec::with_capacity(plan.len());
    for (i, p) in plan.iter().enumerate() {
        let Some(from_claims) = wanted(p, health[i], cfg.lookup) else {
            out.push(None);
            continue;
        };
        out.push(Some(work.one(factsheets, p, health[i] == Health::Broken, from_claims)?));
    }
    Ok(out)
}

struct Work<'a, 'c> {
    store: &'a Store,
    client: Option<&'c mut Client>,
    now: jiff::Timestamp,
}

/// A copy's normalised texts and the status it was read with.
struct Texts {
    full: String,
    main: String,
    status: u16,
    memento_time: Option<String>,
}

impl Work<'_, '_> {
    fn one(
        &mut self,
        factsheets: &[Factsheet],
        p: &PlannedSource,
        broken: bool,
        from_claims: bool,
    ) -> store::Result<Rescue> {
        let n = p.cites.len();
        let mut r = Rescue { quotes: vec![Vec::new(); n], ..Rescue::default() };
        let capture = if from_claims {
            let url = p.archived.clone().unwrap_or_default();
            let timestamp = super::parse_wayback(&url).map(|w| w.1).unwrap_or_default();
            Capture { archive: super::host_of(&url), raw_url: raw_form(&url), copy_url: url, timestamp, status: None }
        } else {
            let (key, target) = target(self.store, factsheets, p, self.now)?;
            match self.find(&p.key, &key, &target)? {
                Ok(Some(c)) => c,
                Ok(None) => {
                    let note = "no archived copy found (Wayback Machine and TimeGates asked)".to_string();
                    r.notes = vec![note.clone(); n];
                    r.source_note = note;
                    return Ok(r);
                }
                Err(_) if self.client.is_none() => {
                    let note = "no archived copy looked up yet (offline)".to_string();
                    r.notes = vec![note.clone(); n];
                    r.source_note = note;
                    return Ok(r);
                }
                Err(e) => {
                    let note = format!("archive look-up failed ({e}); the next run tries again");
                    r.notes = vec![note.clone(); n];
                    r.source_note = note;
                    return Ok(r);
                }
            }
        };
        let texts = self.read(&capture.raw_url, p.selector.as_deref())?;
        let mut copy = ArchiveReport {
            url: capture.copy_url.clone(),
            timestamp: rfc3339(&capture.timestamp),
            status: capture.status,
            quotes_found: None,
        };
        let texts = match texts {
            Ok(t) => t,
            Err(e) => {
                let what = if from_claims {
                    "the archived copy cited in the claims file".to_string()
                } else {
                    format!("archived copy of {}", date(&capture.timestamp))
                };
                let note = format!("{what} could not be read ({e}): {}", capture.copy_url);
                r.notes = vec![note.clone(); n];
                r.source_note = note;
                r.copy = Some(copy);
                r.timestamp = Some(capture.timestamp).filter(|t| !t.is_empty());
                return Ok(r);
            }
        };
        let mut ts = capture.timestamp.clone();
        if ts.is_empty() {
            ts = texts.memento_time.clone().unwrap_or_default();
            copy.timestamp = rfc3339(&ts);
        }
        copy.status = copy.status.or(Some(texts.status));
        let base = self.store.baseline_texts(&p.key)?;
        let base_main = base.as_ref().map(|b| b.1.as_str()).unwrap_or(&texts.main);
        for (j, c) in p.cites.iter().enumerate() {
            let claim = &factsheets[c.factsheet].claims[c.claim];
            let cite = &claim.sources[c.cite];
            let mut quotes = crate::judge::check_quotes(claim, cite, Some(&texts.full));
            let tracked = crate::judge::track_figures(claim, base_main, Some(&texts.main), &quotes);
            quotes.extend(tracked);
            for q in &mut quotes {
                // Missing in a copy is "not found" (the copy never changes).
                q.in_baseline = Some(false);
                q.now = None;
            }
            r.quotes[j] = quotes;
        }
        let all: Vec<QuoteReport> = r.quotes.iter().flatten().fold(Vec::new(), |mut v, q| {
            if !v.iter().any(|x: &QuoteReport| x.text == q.text && x.found == q.found) {
                v.push(q.clone());
            }
            v
        });
        copy.quotes_found = quotes_hold(&all);
        let when = if ts.is_empty() { "unknown date".to_string() } else { date(&ts) };
        r.on_copy = from_claims && broken;
        r.notes = r
            .quotes
            .iter()
            .map(|q| {
                if r.on_copy {
                    let held = match quotes_hold(q) {
                        Some(true) => " (it holds the claim's quotes)",
                        Some(false) => "",
                        None => " (no quote or figure to check in it)",
                    };
                    format!("the URL is broken; judged on its archived copy of {when}{held}: {}", capture.copy_url)
                } else {
                    suggestion(&ts, &capture.copy_url, q)
                }
            })
            .collect();
        r.source_note = if r.on_copy {
            format!("judged on its archived copy of {when}: {}", capture.copy_url)
        } else {
            suggestion(&ts, &capture.copy_url, &all)
        };
        r.copy = Some(copy);
        r.timestamp = Some(ts).filter(|t| !t.is_empty());
        Ok(r)
    }

    /// The capture to cite for `url` near `target`: stored (under `key`)
    /// within a week, else asked.
    fn find(&mut self, url: &str, key: &str, target: &str) -> store::Result<Result<Option<Capture>, String>> {
        let now = store::millis(self.now);
        if let Some(l) = self.store.archive_lookup(url, key, now - LOOKUP_TTL_MS)? {
            return Ok(Ok(l.found.map(|(copy_url, raw_url, timestamp, status)| Capture {
                archive: l.archive.clone().unwrap_or_default(),
                copy_url,
                raw_url,
                timestamp,
                status,
            })));
        }
        let Some(client) = self.client.as_deref_mut() else {
            return Ok(Err("not looked up yet: offline".into()));
        };
        if client.out_of_time() {
            return Ok(Err("this run's archive time budget is used up; `citewatch archive` looks it up".into()));
        }
        let mut failure = None;
        let found = match client.wayback(url, target) {
            Ok(c) => c,
            Err(e) => {
                failure = Some(e);
                None
            }
        };
        let mut found = found;
        if found.is_none() {
            for gate in client.config().memento.clone() {
                match client.timegate(&gate, url, target) {
                    Ok(Some(c)) => {
                        found = Some(c);
                        break;
                    }
                    Ok(None) => {}
                    Err(e) => {
                        failure.get_or_insert(e);
                    }
                }
            }
        }
        if found.is_none() {
            if let Some(e) = failure {
                return Ok(Err(e));
            }
        }
        let lookup = ArchiveLookup {
            time: now,
            archive: found.as_ref().map(|c| c.archive.clone()),
            found: found.as_ref().map(|c| (c.copy_url.clone(), c.raw_url.clone(), c.timestamp.clone(), c.status)),
        };
        self.store.put_archive_lookup(url, key, &lookup)?;
        Ok(Ok(found))
    }

    /// A copy's texts: stored, else read from the archive and stored.
    fn read(&mut self, raw_url: &str, selector: Option<&str>) -> store::Result<Result<Texts, String>> {
        if let Some(c) = self.store.archive_copy(raw_url)? {
            return Ok(Ok(Texts {
                full: crate::text::normalize(&self.store.text(&c.full_sha)?),
                main: crate::text::normalize(&self.store.text(&c.main_sha)?),
                status: c.http_status,
                memento_time: c.memento_time,
            }));
        }
        let Some(client) = self.client.as_deref_mut() else {
            return Ok(Err("not read yet: offline".into()));
        };
        if client.out_of_time() {
            return Ok(Err("this run's archive time budget is used up".into()));
        }
        let copy = match client.read(raw_url) {
            Ok(c) => c,
            Err(e) => return Ok(Err(e)),
        };
        if !(200..300).contains(&copy.status) {
            return Ok(Err(format!("the archive answered HTTP {}", copy.status)));
        }
        let ex = crate::extract::extract_bounded(
            &copy.body,
            copy.content_type.as_deref(),
            selector,
            std::time::Duration::from_secs(30),
        );
        if let Some(f) = &ex.failure {
            return Ok(Err(f.clone()));
        }
        if ex.full.trim().is_empty() {
            return Ok(Err("the copy has no text".into()));
        }
        self.store.put_archive_copy(
            raw_url,
            store::millis(self.now),
            copy.status,
            copy.content_type.as_deref(),
            ex.kind.as_str(),
            copy.memento_time.as_deref(),
            &copy.body,
            &ex.main,
            &ex.full,
        )?;
        Ok(Ok(Texts {
            full: crate::text::normalize(&ex.full),
            main: crate::text::normalize(&ex.main),
            status: copy.status,
            memento_time: copy.memento_time,
        }))
    }
}
