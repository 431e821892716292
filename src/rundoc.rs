//! The run's document, made as it is written. A run keeps what it learnt of
//! each source (its outcome) and a verdict per claim (for the flagged-first
//! order and the totals); each claim's and each source's entry is made from
//! them when a writer asks for it — the JSON on stdout, the state rows, the
//! stored run document — and dropped once written. No run holds its whole
//! report: memory follows the sources' outcomes, not three copies of them.
//! Pure: the stages before it fetched, judged and stored.

use crate::check::SourceOutcome;
use crate::claims::Factsheet;
use crate::judge::{self, SourceView};
use crate::model::{Content, Health, Verdict};
use crate::plan::{self, PlannedSource};
use crate::report::model::*;
use crate::store;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// No plan entry: the cite's source is excluded.
const NONE: u32 = u32::MAX;

/// Where a claim stands in the report's order.
#[derive(Debug, Clone, Copy)]
struct Placed {
    factsheet: u32,
    claim: u32,
    verdict: Verdict,
    /// What it counts as for the exit status (an unconfirmed failure counts
    /// as "could not check").
    counted: Verdict,
}

/// A run's document, its entries made on demand (see the module's note).
pub struct RunDoc<'a> {
    factsheets: &'a [Factsheet],
    plan: Vec<PlannedSource>,
    excluded: Vec<plan::Excluded>,
    outcomes: Vec<SourceOutcome>,
    confirm: u32,
    /// Per factsheet, where each claim's cites start in `cites` (one more
    /// entry than claims).
    starts: Vec<Vec<u32>>,
    /// Every cite of every claim in file order: its plan entry and its place
    /// among that entry's cites, `NONE` when excluded.
    cites: Vec<(u32, u32)>,
    /// Claims in report order: flagged first, worst first, then file order.
    order: Vec<Placed>,
    /// Plan entries by key, for looking a cited URL up.
    by_key: Vec<u32>,
    run: RunInfo,
    summary: Summary,
    factsheet_infos: Vec<FactsheetInfo>,
    /// What became of each `[[notify]]` entry, once told.
    pub notifications: Vec<Notification>,
}

/// What the verdict of one claim rests on.
struct Judgement {
    views: Vec<SourceView>,
    verdict: Verdict,
    reasons: Vec<String>,
    counted: Verdict,
}

/// "failing 2/3" for a failing source seen failing fewer than `confirm` runs in a row.
fn unconfirmed(o: &SourceOutcome, confirm: u32) -> Option<String> {
    let failing = matches!(o.health, Health::Broken | Health::Blocked | Health::Error);
    (failing && o.consecutive_failures < confirm).then(|| format!("failing {}/{confirm}", o.consecutive_failures))
}

fn iso(ms: Option<i64>) -> Option<String> {
    ms.map(store::rfc3339)
}

/// What a run's document says about the run itself.
#[derive(Debug, Clone, Copy)]
pub struct RunMeta {
    pub run_id: i64,
    pub started: jiff::Timestamp,
    pub finished: jiff::Timestamp,
    pub offline: bool,
    /// `--confirm`: failures count after this many runs in a row.
    pub confirm: u32,
}

/// The view of a broken source judged on its archived copy (from the claims
/// file): read, unchanging, its quotes those found in the copy, its address
/// the copy's, so the reasons name it.
fn on_copy(view: SourceView, r: &crate::archive::rescue::Rescue, j: usize) -> SourceView {
    SourceView {
        url: r.copy.as_ref().map_or(view.url, |c| c.url.clone()),
        health: Health::Ok,
        content: Content::Unchanged,
        similarity: Some(1.0),
        reason: None,
        failing_since: None,
        quotes: r.quotes.get(j).cloned().unwrap_or_default(),
        unconfirmed: None,
    }
}

/// `FACTSHEET/CLAIM` of each cite, once each, in order (a source cited by
/// many claims costs a look-up per cite, not a scan).
fn claim_refs(factsheets: &[Factsheet], cites: &[plan::CiteRef]) -> Vec<String> {
    let mut seen = std::collections::HashSet::with_capacity(cites.len());
    cites
        .iter()
        .map(|c| factsheets[c.factsheet].claim_ref(&factsheets[c.factsheet].claims[c.claim]))
        .filter(|r| seen.insert(r.clone()))
        .collect()
}

impl<'a> RunDoc<'a> {
    /// Judges every claim (its verdict alone is kept) and counts the totals.
    pub fn new(
        factsheets: &'a [Factsheet],
        plan: Vec<PlannedSource>,
        excluded: Vec<plan::Excluded>,
        outcomes: Vec<SourceOutcome>,
        meta: &RunMeta,
    ) -> RunDoc<'a> {
        let RunMeta { run_id, started, finished, offline, confirm } = *meta;
        let mut starts: Vec<Vec<u32>> = Vec::with_capacity(factsheets.len());
        let mut n = 0u32;
        for fs in factsheets {
            let mut s = Vec::with_capacity(fs.claims.len() + 1);
            for claim in &fs.claims {
                s.push(n);
                n += claim.sources.len() as u32;
            }
            s.push(n);
            starts.push(s);
        }
        let mut cites = vec![(NONE, NONE); n as usize];
        for (i, p) in plan.iter().enumerate() {
            for (j, c) in p.cites.iter().enumerate() {
                cites[(starts[c.factsheet][c.claim] as usize) + c.cite] = (i as u32, j as u32);
            }
        }
        let mut by_key: Vec<u32> = (0..plan.len() as u32).collect();
        by_key.sort_by(|a, b| plan[*a as usize].key.cmp(&plan[*b as usize].key));
        let factsheet_infos = factsheets
            .iter()
            .map(|f| FactsheetInfo { id: f.id.clone(), title: f.title.clone(), file: f.file.display().to_string() })
            .collect();
        let mut doc = RunDoc {
            factsheets,
            plan,
            excluded,
            outcomes,
            confirm,
            starts,
            cites,
            order: Vec::new(),
            by_key,
            run: RunInfo {
                started: started.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
                finished: finished.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
                id: run_id,
                offline,
            },
            summary: Summary::default(),
            factsheet_infos,
            notifications: Vec::new(),
        };
        let mut order = Vec::with_capacity(n as usize);
        let mut summary = Summary::default();
        for (fi, fs) in factsheets.iter().enumerate() {
            for ci in 0..fs.claims.len() {
                let j = doc.judge(fi, ci);
                summary.count_claim(j.verdict);
                order.push(Placed { factsheet: fi as u32, claim: ci as u32, verdict: j.verdict, counted: j.counted });
            }
        }
        // Flagged first, worst first; stable within a verdict (file order).
        order.sort_by_key(|c| std::cmp::Reverse(c.verdict));
        for o in &doc.outcomes {
            summary.count_source(o.health);
        }
        doc.order = order;
        doc.summary = summary;
        doc
    }

    /// The cites of claim `ci` of factsheet `fi`: (cite index, plan entry, place).
    fn cites_of(&self, fi: usize, ci: usize) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        let (a, b) = (self.starts[fi][ci] as usize, self.starts[fi][ci + 1] as usize);
        self.cites[a..b]
            .iter()
            .enumerate()
            .filter(|(_, (i, _))| *i != NONE)
            .map(|(si, &(i, j))| (si, i as usize, j as usize))
    }

    fn judge(&self, fi: usize, ci: usize) -> Judgement {
        let claim = &self.factsheets[fi].claims[ci];
        let mut views: Vec<SourceView> = Vec::with_capacity(claim.sources.len());
        for (si, i, j) in self.cites_of(fi, ci) {
            let o = &self.outcomes[i];
            let view = SourceView {
                url: claim.sources[si].url.clone(),
                health: o.health,
                content: o.content,
                similarity: o.similarity,
                reason: o.reason.clone().or_else(|| o.error.clone()),
                failing_since: iso(o.failing_since),
                quotes: o.quotes.get(j).cloned().unwrap_or_default(),
                unconfirmed: unconfirmed(o, self.confirm),
            };
            views.push(match &o.archive {
                Some(r) if r.on_copy => on_copy(view, r, j),
                _ => view,
            });
        }
        // Cites of excluded sources are not judged.
        let (verdict, reasons) = if views.is_empty() && !claim.sources.is_empty() {
            (Verdict::Ok, Vec::new())
        } else {
            judge::verdict(claim, &views)
        };
        // For the exit status, unconfirmed failures count as "could not check".
        let counted =
            if views.is_empty() || !views.iter().any(|v| v.unconfirmed.is_some() && v.health == Health::Broken) {
                verdict
            } else {
                let counted_views: Vec<SourceView> = views
                    .iter()
                    .cloned()
                    .map(|mut v| {
                        if v.unconfirmed.is_some() && v.health == Health::Broken {
                            v.health = Health::Error;
                        }
                        v
                    })
                    .collect();
                judge::verdict(claim, &counted_views).0
            };
        Judgement { views, verdict, reasons, counted }
    }

    /// The entry of claim `ci` of factsheet `fi`.
    fn claim(&self, fi: usize, ci: usize) -> ClaimReport {
        let fs = &self.factsheets[fi];
        let claim = &fs.claims[ci];
        let Judgement { views, verdict, mut reasons, counted } = self.judge(fi, ci);
        // What the archive stage found for each broken source.
        let mut sources = Vec::with_capacity(views.len());
        for ((si, i, j), v) in self.cites_of(fi, ci).zip(views) {
            let o = &self.outcomes[i];
            let r = o.archive.as_ref().filter(|_| o.health == Health::Broken);
            if let Some(note) = r.and_then(|r| r.notes.get(j)) {
                reasons.push(note.clone());
            }
            let on_copy = r.is_some_and(|r| r.on_copy);
            let cite = &claim.sources[si];
            sources.push(ClaimSourceReport {
                // A source judged on its archived copy keeps its own URL and health.
                url: cite.url.clone(),
                health: if on_copy { Health::Broken } else { v.health },
                content: v.content,
                quotes: v.quotes,
                archived: cite.archived.clone(),
                via: if on_copy { "archive" } else { "live" }.into(),
            });
        }
        let mut c = ClaimReport {
            factsheet: fs.id.clone(),
            id: claim.id.clone(),
            verdict,
            reasons,
            sources,
            text: claim.text.clone(),
            where_: claim.where_.clone(),
            confirmed: counted == verdict,
            counts_as: (counted != verdict).then_some(counted),
            next: Vec::new(),
        };
        c.next = crate::report::next::steps(&c, self);
        c
    }

    /// The entry of plan entry `i`.
    fn source(&self, i: usize) -> SourceReport {
        let (p, o) = (&self.plan[i], &self.outcomes[i]);
        let broken_archive = o.archive.as_ref().filter(|_| o.health == Health::Broken);
        SourceReport {
            url: p.key.clone(),
            health: o.health,
            http_status: o.http_status,
            final_url: o.final_url.clone(),
            content: o.content,
            kind: o.kind.map(|k| k.as_str().to_string()),
            similarity: if o.content == Content::Unknown { None } else { o.similarity },
            error: o.error.clone(),
            consecutive_failures: o.consecutive_failures,
            claims: claim_refs(self.factsheets, &p.cites),
            redirects: o.hops.clone(),
            title: o.title.clone(),
            checked: iso(o.checked),
            first_seen: iso(o.first_seen),
            last_good: iso(o.last_good),
            failing_since: iso(o.failing_since),
            archived: p.archived.clone(),
            confirmed: unconfirmed(o, self.confirm).is_none(),
            reason: match (&o.reason, broken_archive) {
                (Some(r), Some(a)) if !a.source_note.is_empty() => Some(format!("{r}; {}", a.source_note)),
                (r, _) => r.clone(),
            },
            archive: o.archive.as_ref().and_then(|a| a.copy.clone()),
        }
    }

    /// Every claim's entry, in report order, made one at a time.
    pub fn claims(&self) -> impl Iterator<Item = ClaimReport> + '_ {
        self.order.iter().map(|p| self.claim(p.factsheet as usize, p.claim as usize))
    }

    /// Every source's entry, in plan order, made one at a time.
    pub fn sources(&self) -> impl Iterator<Item = SourceReport> + '_ {
        (0..self.plan.len()).map(|i| self.source(i))
    }

    /// The sources `exclude` left out.
    pub fn excluded(&self) -> Vec<ExcludedSource> {
        self.excluded
            .iter()
            .map(|e| ExcludedSource {
                url: e.key.clone(),
                claims: claim_refs(self.factsheets, &e.cites),
                pattern: e.pattern.clone(),
            })
            .collect()
    }

    /// The plan the run followed.
    pub fn plan(&self) -> &[PlannedSource] {
        &self.plan
    }

    /// Whether any claim counts, for the exit status, as `threshold` or worse.
    pub fn any_counted_at_least(&self, threshold: Verdict) -> bool {
        self.order.iter().any(|p| p.counted >= threshold)
    }

    /// What the run did to its sources, for the notices after the report.
    pub fn tally(&self) -> crate::lock::Tally {
        crate::lock::Tally {
            sources: self.outcomes.len(),
            fetched: self.outcomes.iter().filter(|o| o.http_status.is_some()).count(),
            errors: self.summary.sources.error,
            new: self.outcomes.iter().filter(|o| o.content == Content::New).count(),
            judged: self.outcomes.iter().filter(|o| o.checked.is_some()).count(),
            offline: self.run.offline,
        }
    }

    /// The whole document held at once. `keep` chooses the claims and
    /// sources held (the totals stay those of the whole run).
    pub fn materialize(
        &self,
        keep: impl Fn(&ClaimReport) -> bool,
        keep_source: impl Fn(&SourceReport) -> bool,
    ) -> RunReport {
        RunReport {
            schema: 1,
            run: self.run.clone(),
            summary: self.summary.clone(),
            claims: self.claims().filter(|c| keep(c)).collect(),
            sources: self.sources().filter(|s| keep_source(s)).collect(),
            factsheets: self.factsheet_infos.clone(),
            excluded: self.excluded(),
            notifications: self.notifications.clone(),
        }
    }
}

impl crate::report::Sources for RunDoc<'_> {
    fn facts(&self, url: &str) -> Option<crate::report::SourceFacts<'_>> {
        let find = |key: &str| {
            self.by_key.binary_search_by(|i| self.plan[*i as usize].key.as_str().cmp(key)).ok().map(|k| self.by_key[k])
        };
        let i = find(url).or_else(|| find(crate::report::strip_fragment(url)))? as usize;
        let (p, o) = (&self.plan[i], &self.outcomes[i]);
        Some(crate::report::SourceFacts {
            final_url: o.final_url.as_deref(),
            archived: p.archived.as_deref(),
            archive: o.archive.as_ref().and_then(|a| a.copy.as_ref()),
        })
    }
}

impl RunDocument for RunDoc<'_> {
    fn run(&self) -> &RunInfo {
        &self.run
    }
    fn summary(&self) -> &Summary {
        &self.summary
    }
    fn claims(&self) -> Box<dyn Iterator<Item = ClaimReport> + '_> {
        Box::new(RunDoc::claims(self))
    }
    fn sources(&self) -> Box<dyn Iterator<Item = SourceReport> + '_> {
        Box::new(RunDoc::sources(self))
    }
    /// Without making the entries.
    fn claim_keys(&self) -> Vec<(String, String)> {
        self.order
            .iter()
            .map(|p| {
                let fs = &self.factsheets[p.factsheet as usize];
                (fs.id.clone(), fs.claims[p.claim as usize].id.clone())
            })
            .collect()
    }
    fn factsheets(&self) -> &[FactsheetInfo] {
        &self.factsheet_infos
    }
}

/// A list serialised as its items are made.
struct Each<F>(F);

impl<F, I> Serialize for Each<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// The same document as [`RunReport`]'s, field for field.
impl Serialize for RunDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let excluded = self.excluded();
        let mut st = s.serialize_struct("RunReport", 8)?;
        st.serialize_field("schema", &1u32)?;
        st.serialize_field("run", &self.run)?;
        st.serialize_field("summary", &self.summary)?;
        st.serialize_field("claims", &Each(|| RunDoc::claims(self)))?;
        st.serialize_field("sources", &Each(|| RunDoc::sources(self)))?;
        st.serialize_field("factsheets", &self.factsheet_infos)?;
        if excluded.is_empty() {
            st.skip_field("excluded")?;
        } else {
            st.serialize_field("excluded", &excluded)?;
        }
        if self.notifications.is_empty() {
            st.skip_field("notifications")?;
        } else {
            st.serialize_field("notifications", &self.notifications)?;
        }
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::rescue::Rescue;
    use crate::claims::parse_str;
    use std::path::Path;

    const CLAIMS: &str = r#"
[factsheet]
id = "mali"
title = "Mali"

[[claim]]
id = "fine"
text = "Fine."
quotes = ["401,850"]
sources = ["https://a.test/r"]

[[claim]]
id = "two"
text = "Two sources, one failing once."
sources = ["https://b.test/gone", "https://a.test/r#part"]

[[claim]]
id = "moved"
text = "A moved page."
sources = ["https://c.test/old"]

[[claim]]
id = "left-out"
text = "Only an excluded source."
sources = ["https://skip.test/x"]

[[claim]]
id = "rescued"
text = "A dead page with its copy."
quotes = ["35 people"]
sources = [{ url = "https://e.test/dead", archived = "https://web.archive.org/web/2020/https://e.test/dead" }]
"#;

    fn outcome(health: Health, content: Content, quotes: Vec<Vec<QuoteReport>>) -> SourceOutcome {
        SourceOutcome {
            health,
            reason: (health != Health::Ok).then(|| format!("{health} for a reason")),
            error: None,
            http_status: Some(if health == Health::Broken { 404 } else { 200 }),
            final_url: None,
            hops: Vec::new(),
            content,
            similarity: Some(1.0),
            kind: Some(crate::extract::Kind::Html),
            title: Some("A <title>".into()),
            consecutive_failures: u32::from(health == Health::Broken),
            failing_since: None,
            first_seen: Some(1_700_000_000_000),
            last_good: Some(1_700_000_000_000),
            checked: Some(1_700_000_100_000),
            quotes,
            archive: None,
        }
    }

    /// A run of 8 December 2026, failures confirmed after `confirm` runs.
    fn meta(confirm: u32) -> RunMeta {
        RunMeta {
            run_id: 7,
            started: "2026-12-08T04:00:00Z".parse().unwrap(),
            finished: "2026-12-08T04:01:00Z".parse().unwrap(),
            offline: false,
            confirm,
        }
    }

    fn quote(text: &str, found: bool) -> QuoteReport {
        QuoteReport { text: text.into(), found: Some(found), origin: "claim".into(), ..Default::default() }
    }

    /// A run over the claims above: two broken sources (one judged on its
    /// cited copy), one moved, one excluded; failures confirmed after 2 runs.
    fn doc(fs: &[Factsheet]) -> RunDoc<'_> {
        let exclude = [regex::Regex::new("skip\\.test").unwrap()];
        let (plan, excluded) = plan::exclude(plan::build(fs), &exclude);
        let keys: Vec<&str> = plan.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["https://a.test/r", "https://b.test/gone", "https://c.test/old", "https://e.test/dead"]);
        // a.test/r is cited by "fine" (with a quote) and by "two".
        let a = outcome(Health::Ok, Content::Unchanged, vec![vec![quote("401,850", true)], vec![]]);
        let b = outcome(Health::Broken, Content::Unknown, vec![vec![]]);
        let mut c = outcome(Health::Redirected, Content::Unchanged, vec![vec![]]);
        c.final_url = Some("https://c.test/new".into());
        c.hops = vec![Hop { url: "https://c.test/old".into(), status: 301 }];
        let mut e = outcome(Health::Broken, Content::Unknown, vec![vec![quote("35 people", false)]]);
        e.consecutive_failures = 3;
        e.archive = Some(Box::new(Rescue {
            copy: Some(ArchiveReport {
                url: "https://web.archive.org/web/2020/https://e.test/dead".into(),
                timestamp: Some("2020-01-01T00:00:00Z".into()),
                status: Some(200),
                quotes_found: Some(true),
                read: true,
            }),
            timestamp: Some("20200101000000".into()),
            on_copy: true,
            quotes: vec![vec![quote("35 people", true)]],
            notes: vec!["judged on its archived copy".into()],
            source_note: "its archived copy holds the quotes".into(),
            read: true,
        }));
        RunDoc::new(fs, plan, excluded, vec![a, b, c, e], &meta(2))
    }

    fn factsheets() -> Vec<Factsheet> {
        vec![parse_str(Path::new("claims/mali.toml"), CLAIMS).expect("valid claims").0]
    }

    #[test]
    fn the_document_written_as_it_is_made_is_the_document_held_whole() {
        let fs = factsheets();
        let doc = doc(&fs);
        let whole = doc.materialize(|_| true, |_| true);
        assert_eq!(serde_json::to_string_pretty(&doc).unwrap(), serde_json::to_string_pretty(&whole).unwrap());
        assert_eq!(serde_json::to_string(&doc).unwrap(), serde_json::to_string(&whole).unwrap());
        assert_eq!(RunDocument::claim_keys(&doc), RunDocument::claim_keys(&whole));
        // And it reads back as the same document.
        let back: RunReport = serde_json::from_str(&serde_json::to_string(&doc).unwrap()).unwrap();
        assert_eq!(back.claims.len(), 5);
        assert_eq!(back.sources.len(), 4);
        assert_eq!(back.excluded.len(), 1);
        assert_eq!(back.excluded[0].claims, ["mali/left-out"]);
        assert_eq!(back.summary, whole.summary);
    }

    #[test]
    fn claims_come_flagged_first_with_their_verdicts_steps_and_totals() {
        let fs = factsheets();
        let doc = doc(&fs);
        let claims: Vec<ClaimReport> = doc.claims().collect();
        let ids: Vec<&str> = claims.iter().map(|c| c.id.as_str()).collect();
        // The one flagged claim first, then file order.
        assert_eq!(ids, ["two", "fine", "moved", "left-out", "rescued"]);
        let two = &claims[0];
        assert_eq!(two.verdict, Verdict::Broken);
        // Failing 1 run of the 2 --confirm asks for: not confirmed yet.
        assert!(!two.confirmed);
        assert_eq!(two.counts_as, Some(Verdict::Unverified));
        assert!(two.next.iter().any(|s| s.contains("replace the URL or cite an archived copy: https://b.test/gone")));
        // The cite with a fragment is the same source as the plain one.
        assert_eq!(two.sources[1].url, "https://a.test/r#part");
        assert_eq!(two.sources[1].health, Health::Ok);
        // A moved source's step names where it went (looked up by its cite).
        let moved = claims.iter().find(|c| c.id == "moved").unwrap();
        assert_eq!(moved.verdict, Verdict::Ok);
        assert_eq!(
            moved.next,
            ["update the citation to https://c.test/new (moved permanently from https://c.test/old)"]
        );
        // Judged on its cited copy: ok, its source still broken, the note a reason.
        let rescued = claims.iter().find(|c| c.id == "rescued").unwrap();
        assert_eq!(rescued.verdict, Verdict::Ok);
        assert_eq!(rescued.sources[0].via, "archive");
        assert_eq!(rescued.sources[0].health, Health::Broken);
        assert_eq!(rescued.sources[0].quotes[0].found, Some(true));
        assert!(rescued.reasons.contains(&"judged on its archived copy".to_string()));
        // An excluded source is not judged: its claim is ok with no source.
        let left = claims.iter().find(|c| c.id == "left-out").unwrap();
        assert!(left.sources.is_empty());
        assert_eq!(left.verdict, Verdict::Ok);
        // Exit status: the broken claim counts as unverified while unconfirmed.
        assert!(doc.any_counted_at_least(Verdict::Unverified));
        assert!(!doc.any_counted_at_least(Verdict::Changed));
        let s = doc.summary();
        assert_eq!((s.claims.broken, s.claims.ok, s.claim_total()), (1, 4, 5));
        assert_eq!((s.sources.ok, s.sources.broken, s.sources.redirected, s.source_total()), (1, 2, 1, 4));
        let sources: Vec<SourceReport> = doc.sources().collect();
        assert_eq!(sources[0].claims, ["mali/fine", "mali/two"]);
        assert_eq!(sources[3].reason.as_deref(), Some("broken for a reason; its archived copy holds the quotes"));
        assert!(!sources[1].confirmed && sources[3].confirmed);
        let t = doc.tally();
        assert_eq!((t.sources, t.fetched, t.new, t.judged), (4, 4, 0, 4));
    }

    #[test]
    fn a_source_cited_by_thousands_of_claims_is_looked_up_not_remade() {
        // Every claim cites one moved page (twice for the first, once with a
        // fragment): each claim's next step names where it went, the source
        // lists each claim once. (Making the source's whole entry for every
        // claim's step cost the cube of the claims: minutes for this.)
        let n = 3000;
        let mut toml = String::from("[factsheet]\nid = \"big\"\ntitle = \"Big\"\n");
        for i in 0..n {
            let extra = if i == 0 { ", \"https://c.test/old#:~:text=moved\"" } else { "" };
            toml.push_str(&format!(
                "\n[[claim]]\nid = \"c{i}\"\ntext = \"Claim {i}.\"\nsources = [\"https://c.test/old\"{extra}]\n"
            ));
        }
        let fs = vec![parse_str(Path::new("claims/big.toml"), &toml).expect("valid claims").0];
        let plan = plan::build(&fs);
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].cites.len(), n + 1);
        let mut moved = outcome(Health::Redirected, Content::Unchanged, vec![vec![]; n + 1]);
        moved.final_url = Some("https://c.test/new".into());
        let doc = RunDoc::new(&fs, plan, Vec::new(), vec![moved], &meta(1));
        let step = "update the citation to https://c.test/new (moved permanently from https://c.test/old)";
        let mut count = 0;
        for c in doc.claims() {
            assert_eq!(c.next[0], step, "{}", c.id);
            // The cite with a fragment names itself.
            assert_eq!(c.next.len(), if c.id == "c0" { 2 } else { 1 }, "{}", c.id);
            count += 1;
        }
        assert_eq!(count, n);
        let source = doc.sources().next().unwrap();
        assert_eq!(source.claims.len(), n);
        assert_eq!(source.claims[..2], ["big/c0", "big/c1"]);
    }
}
