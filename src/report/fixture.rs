//! Sample documents for the renderers' tests and benchmark. Not part of the
//! public API (hidden from the docs), kept in the library so that unit tests,
//! integration tests and the benchmark share one builder.

use super::model::*;
use super::{DiffLine, ReportExtras, RunPoint};
use crate::model::{Content, Health, Verdict};
use std::collections::BTreeMap;

/// The title of one sample page, hostile on purpose.
pub const HOSTILE_TITLE: &str = "<script>alert(1)</script>";
/// The text of one sample claim, hostile on purpose.
pub const HOSTILE_CLAIM: &str = "Costs \"fell\" < 5% & rose <img src=x onerror=\"window.__xss=1\"> elsewhere";

fn source(url: &str, health: Health, status: Option<u16>, content: Content) -> SourceReport {
    SourceReport {
        url: url.to_string(),
        health,
        http_status: status,
        final_url: None,
        content,
        kind: health.readable().then(|| "html".to_string()),
        similarity: None,
        error: None,
        reason: None,
        consecutive_failures: 0,
        claims: Vec::new(),
        redirects: Vec::new(),
        title: None,
        checked: Some("2026-11-27T10:02:11Z".into()),
        first_seen: Some("2026-09-01T08:00:00Z".into()),
        last_good: health.readable().then(|| "2026-11-27T10:02:11Z".to_string()),
        failing_since: None,
        archived: None,
        confirmed: true,
        archive: None,
    }
}

fn cite(url: &str, health: Health, content: Content, quotes: &[(&str, Option<bool>)]) -> ClaimSourceReport {
    ClaimSourceReport {
        url: url.to_string(),
        health,
        content,
        quotes: quotes
            .iter()
            .map(|(t, f)| QuoteReport {
                text: t.to_string(),
                found: *f,
                origin: "claim".into(),
                tracked: false,
                now: None,
                near: None,
                in_baseline: None,
                warning: None,
            })
            .collect(),
        archived: None,
        via: "live".into(),
    }
}

fn claim(
    fs: &str,
    id: &str,
    verdict: Verdict,
    text: &str,
    reasons: &[&str],
    sources: Vec<ClaimSourceReport>,
) -> ClaimReport {
    ClaimReport {
        factsheet: fs.into(),
        id: id.into(),
        verdict,
        reasons: reasons.iter().map(|r| r.to_string()).collect(),
        sources,
        text: text.into(),
        where_: None,
        confirmed: true,
        counts_as: None,
        next: Vec::new(),
    }
}

/// Fills `summary` and each source's `claims` from the claims and sources.
pub fn finish(doc: &mut RunReport) {
    let s = Summary::of(&doc.claims, &doc.sources);
    doc.summary = s;
    super::next::annotate(doc);
    let idx: BTreeMap<String, usize> = doc.sources.iter().enumerate().map(|(i, s)| (s.url.clone(), i)).collect();
    for src in &mut doc.sources {
        src.claims.clear();
    }
    for c in &doc.claims {
        for cs in &c.sources {
            let key = super::strip_fragment(&cs.url);
            if let Some(&i) = idx.get(key) {
                let id = format!("{}/{}", c.factsheet, c.id);
                if !doc.sources[i].claims.contains(&id) {
                    doc.sources[i].claims.push(id);
                }
            }
        }
    }
}

/// A small run with every verdict, every health and every content state, a
/// hostile page title and claim text, a changed source with an excerpt, a
/// missing quote, a `javascript:` URL, and several runs of history.
pub fn sample_report() -> (RunReport, ReportExtras) {
    use Content as C;
    use Health as H;
    use Verdict as V;
    let mut sources = vec![
        source("https://example.org/report-2025", H::Ok, Some(200), C::Unchanged),
        source("http://old.example.com/page", H::Redirected, Some(200), C::New),
        source("https://example.net/gone", H::Broken, Some(404), C::Unknown),
        source("https://paywall.example.com/article", H::Blocked, Some(403), C::Unknown),
        source("https://flaky.example.org/data.csv", H::Error, None, C::Unknown),
        source("https://stats.example.gov/table?y=2025&m=all", H::Ok, Some(200), C::Changed),
        source("https://quotes.example.com/interview", H::Ok, Some(200), C::Unchanged),
    ];
    sources[0].similarity = Some(1.0);
    sources[0].title = Some("Annual report 2025 — Example Org".into());
    sources[1].final_url = Some("https://new.example.com/page".into());
    sources[1].redirects = vec![
        Hop { url: "http://old.example.com/page".into(), status: 301 },
        Hop { url: "https://new.example.com/page".into(), status: 200 },
    ];
    sources[1].reason = Some("moved permanently (301) to https://new.example.com/page".into());
    sources[1].first_seen = Some("2026-11-27T10:02:11Z".into());
    sources[1].title = Some("New page".into());
    sources[2].reason = Some("404 Not Found".into());
    sources[2].consecutive_failures = 3;
    sources[2].failing_since = Some("2026-11-13T09:00:00Z".into());
    sources[2].last_good = Some("2026-11-06T09:00:00Z".into());
    sources[2].archived = Some("https://web.archive.org/web/2025/https://example.net/gone".into());
    sources[3].reason = Some("403 Forbidden: access refused (bot challenge)".into());
    sources[3].archived = Some("javascript:window.__xss=1".into());
    sources[3].consecutive_failures = 1;
    sources[3].failing_since = Some("2026-11-27T10:02:11Z".into());
    sources[4].error = Some("connection timed out after 30s".into());
    sources[4].reason = Some("time-out: the server did not answer".into());
    sources[4].final_url = Some("javascript:alert(2)".into());
    sources[4].consecutive_failures = 2;
    sources[4].failing_since = Some("2026-11-20T09:00:00Z".into());
    sources[4].kind = None;
    sources[5].similarity = Some(0.8734);
    sources[5].title = Some(HOSTILE_TITLE.into());
    sources[5].reason = Some("200 OK".into());
    sources[6].similarity = Some(0.995);
    sources[6].title = Some("Interview: \"We cut emissions\" & more".into());

    let claims = vec![
        claim(
            "climate-2026",
            "emissions-1990",
            V::Broken,
            "Emissions fell by 40% since 1990.",
            &["source https://example.net/gone is broken: 404 Not Found"],
            vec![cite("https://example.net/gone", H::Broken, C::Unknown, &[("fell by 40%", None)])],
        ),
        claim(
            "climate-2026",
            "minister-quote",
            V::Unsupported,
            "The minister said emissions were \"halved\".",
            &["quote not found in any source: \"emissions were halved\""],
            vec![cite(
                "https://quotes.example.com/interview",
                H::Ok,
                C::Unchanged,
                &[("emissions were halved", Some(false)), ("we cut emissions", Some(true))],
            )],
        ),
        claim(
            "climate-2026",
            "renewables-share",
            V::Changed,
            "Renewables supplied 31% of electricity in 2025.",
            &["https://stats.example.gov/table?y=2025&m=all changed since its baseline (87.3% similar)"],
            vec![cite(
                "https://stats.example.gov/table?y=2025&m=all#row-12",
                H::Ok,
                C::Changed,
                &[("31%", Some(true))],
            )],
        ),
        claim(
            "climate-2026",
            "paywalled",
            V::Unverified,
            "Coal use is at a 60-year low.",
            &[
                "https://paywall.example.com/article: access refused (403)",
                "https://flaky.example.org/data.csv: time-out",
            ],
            vec![
                cite("https://paywall.example.com/article", H::Blocked, C::Unknown, &[("60-year low", None)]),
                cite("https://flaky.example.org/data.csv", H::Error, C::Unknown, &[]),
            ],
        ),
        claim(
            "climate-2026",
            "annual-report",
            V::Ok,
            "The 2025 annual report lists 12 new wind farms.",
            &[],
            vec![
                cite("https://example.org/report-2025", H::Ok, C::Unchanged, &[("12 new wind farms", Some(true))]),
                cite("http://old.example.com/page", H::Redirected, C::New, &[]),
            ],
        ),
        claim(
            "climate-2026",
            "hostile",
            V::Ok,
            HOSTILE_CLAIM,
            &[],
            vec![cite("https://example.org/report-2025#costs", H::Ok, C::Unchanged, &[])],
        ),
        claim(
            "public-health",
            "survey",
            V::Ok,
            "=1+2 people, per the \"survey\", agreed, mostly\nsecond line",
            &[],
            vec![cite(
                "https://quotes.example.com/interview",
                H::Ok,
                C::Unchanged,
                &[("we cut emissions", Some(true))],
            )],
        ),
        claim(
            "public-health",
            "clinics",
            V::Broken,
            "-3 clinics closed | reported @ 2025",
            &["source https://example.net/gone is broken: 404 Not Found", "second reason, with a comma"],
            vec![cite("https://example.net/gone#p3", H::Broken, C::Unknown, &[])],
        ),
    ];
    let mut claims = claims;
    claims[1].where_ = Some("p. 2, §3".into());
    claims[4].where_ = Some("Energy section".into());
    claims[6].where_ = Some("p. 3, \"intro\"".into());
    claims[7].sources[0].archived = Some("https://web.archive.org/web/2025/https://example.net/gone".into());
    let mut claims_sorted = claims;
    claims_sorted.sort_by_key(|c| std::cmp::Reverse(c.verdict));

    let mut doc = RunReport {
        schema: 1,
        run: RunInfo {
            started: "2026-11-27T10:00:00Z".into(),
            finished: "2026-11-27T10:02:30Z".into(),
            id: 6,
            offline: false,
        },
        summary: Summary::default(),
        claims: claims_sorted,
        sources,
        factsheets: vec![
            FactsheetInfo {
                id: "climate-2026".into(),
                title: "Climate & energy factsheet 2026 <draft>".into(),
                file: "claims/climate-2026.toml".into(),
            },
            FactsheetInfo {
                id: "public-health".into(),
                title: "Public health \"key figures\"".into(),
                file: "claims/public-health.toml".into(),
            },
        ],
        excluded: Vec::new(),
        notifications: Vec::new(),
    };
    finish(&mut doc);

    let mut excerpts = BTreeMap::new();
    excerpts.insert(
        "https://stats.example.gov/table?y=2025&m=all".to_string(),
        vec![
            DiffLine::plain(' ', "Electricity by source, 2025"),
            DiffLine { tag: '-', text: "Renewables 31% <b>provisional</b>".into(), marks: vec![(11, 14), (15, 33)] },
            DiffLine { tag: '+', text: "Renewables 29% (revised) & final".into(), marks: vec![(11, 14), (15, 32)] },
            DiffLine::plain(' ', "Coal 8%"),
        ],
    );
    let history = vec![
        RunPoint {
            id: 1,
            started: "2026-10-02T10:00:00Z".into(),
            sources_broken: 0,
            sources_changed: 0,
            claims_flagged: 1,
        },
        RunPoint {
            id: 2,
            started: "2026-10-16T10:00:00Z".into(),
            sources_broken: 0,
            sources_changed: 1,
            claims_flagged: 2,
        },
        RunPoint {
            id: 3,
            started: "2026-10-30T10:00:00Z".into(),
            sources_broken: 1,
            sources_changed: 1,
            claims_flagged: 3,
        },
        RunPoint {
            id: 4,
            started: "2026-11-13T10:00:00Z".into(),
            sources_broken: 1,
            sources_changed: 0,
            claims_flagged: 3,
        },
        RunPoint {
            id: 5,
            started: "2026-11-20T10:00:00Z".into(),
            sources_broken: 1,
            sources_changed: 2,
            claims_flagged: 4,
        },
        RunPoint {
            id: 6,
            started: "2026-11-27T10:00:00Z".into(),
            sources_broken: 1,
            sources_changed: 1,
            claims_flagged: 5,
        },
    ];
    let extras = ReportExtras { history, excerpts, generated: "2026-11-27T10:15:00Z".into() };
    (doc, extras)
}

/// A large synthetic run for the benchmark: `n_sources` sources, `n_claims`
/// claims each citing 1-3 of them, deterministic.
pub fn big_report(n_sources: usize, n_claims: usize) -> (RunReport, ReportExtras) {
    let (base, mut extras) = sample_report();
    extras.excerpts.clear();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let healths = Health::ALL;
    let mut sources = Vec::with_capacity(n_sources);
    for i in 0..n_sources.max(1) {
        let h = match next() % 20 {
            0 => Health::Broken,
            1 => Health::Blocked,
            2 => Health::Error,
            3 | 4 => Health::Redirected,
            _ => healths[0],
        };
        let content = if !h.readable() {
            Content::Unknown
        } else if next() % 10 == 0 {
            Content::Changed
        } else {
            Content::Unchanged
        };
        let url = format!("https://site{}.example.org/path/{}/page-{i}.html", i % 97, i % 13);
        let mut s = source(&url, h, h.readable().then_some(200).or(Some(404)), content);
        s.title = Some(format!("Page {i} of site {}", i % 97));
        if h.readable() {
            s.similarity = Some(if content == Content::Changed { 0.8 } else { 1.0 });
        } else {
            s.reason = Some(format!("{h} after 3 tries"));
            s.failing_since = Some("2026-11-20T09:00:00Z".into());
        }
        if h == Health::Redirected {
            s.final_url = Some(format!("https://www.site{}.example.org/p/{i}", i % 97));
        }
        if content == Content::Changed {
            extras.excerpts.insert(
                url.clone(),
                vec![
                    DiffLine::plain('-', format!("old figure {i}")),
                    DiffLine::plain('+', format!("new figure {}", i + 1)),
                ],
            );
        }
        sources.push(s);
    }
    let words = ["emissions", "budget", "clinics", "schools", "rainfall", "exports", "wages", "housing"];
    let mut claims = Vec::with_capacity(n_claims);
    for i in 0..n_claims {
        let n = 1 + (next() % 3) as usize;
        let mut cites = Vec::new();
        let mut verdict = Verdict::Ok;
        let mut reasons = Vec::new();
        for _ in 0..n {
            let s = &sources[(next() % sources.len() as u64) as usize];
            let v = match (s.health, s.content) {
                (Health::Broken, _) => Verdict::Broken,
                (Health::Blocked | Health::Error, _) => Verdict::Unverified,
                (_, Content::Changed) => Verdict::Changed,
                _ => Verdict::Ok,
            };
            let missing = s.health.readable() && next() % 25 == 0;
            let v = if missing { v.max(Verdict::Unsupported) } else { v };
            if v != Verdict::Ok {
                reasons.push(format!("{}: {}", s.url, v));
            }
            verdict = verdict.max(v);
            cites.push(cite(&s.url, s.health, s.content, &[(words[i % 8], Some(!missing))]));
        }
        let mut c = claim(
            &format!("sheet-{}", i % 5),
            &format!("claim-{i}"),
            verdict,
            &format!("In 2025 {} rose by {}% in region {}.", words[(i / 8) % 8], i % 50, i % 31),
            &[],
            cites,
        );
        c.reasons = reasons;
        c.where_ = Some(format!("p. {}", i % 40 + 1));
        claims.push(c);
    }
    claims.sort_by_key(|c| std::cmp::Reverse(c.verdict));
    let mut doc = RunReport {
        claims,
        sources,
        factsheets: (0..5)
            .map(|i| FactsheetInfo {
                id: format!("sheet-{i}"),
                title: format!("Factsheet number {i}"),
                file: format!("claims/sheet-{i}.toml"),
            })
            .collect(),
        ..base
    };
    finish(&mut doc);
    (doc, extras)
}

/// The sample report rendered in `format`, as text.
pub fn sample_rendered(format: super::Format) -> String {
    let (doc, extras) = sample_report();
    let mut out = Vec::new();
    super::render(&doc, &extras, format, &mut out).expect("rendering into memory");
    String::from_utf8(out).expect("reports are UTF-8")
}
