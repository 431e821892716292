//! Benchmark of the review commands on a large store: 10,000 sources (one
//! claim each) and 50 runs, content changing every 10 runs.
//!
//! `cargo run --release --example bench_review [SOURCES] [RUNS]`
//!
//! Fills a store in a temporary folder through the store's own API, then
//! times `status`, `status --verdict changed`, `diff` of one claim and of a
//! whole factsheet, and `history` of one URL, each the best of 5.

use citewatch::model::{Content, Health, Verdict};
use citewatch::report::model::*;
use citewatch::review;
use citewatch::store::{NewFetch, NewSnapshot, Store};
use std::time::{Duration, Instant};

fn page(i: usize, version: usize) -> String {
    let mut s = format!(
        "Report {i}\nOCHA reported {} internally displaced persons in region {i}.\n",
        100_000 + i * 7 + version
    );
    for p in 0..40 {
        s.push_str(&format!("Paragraph {p} of report {i}: humanitarian access remained difficult in the region.\n"));
    }
    s
}

fn best<T>(label: &str, mut f: impl FnMut() -> T) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        std::hint::black_box(f());
        best = best.min(t.elapsed());
    }
    println!("{label:<40} {:>8.1} ms", best.as_secs_f64() * 1000.0);
    best
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sources = args.first().copied().unwrap_or(10_000);
    let runs = args.get(1).copied().unwrap_or(50);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let fill = Instant::now();
    let t0: i64 = 1_780_000_000_000;
    for run in 0..runs {
        let now = t0 + run as i64 * 86_400_000;
        let run_id = store.begin_run(now, false).unwrap();
        let mut claims = Vec::with_capacity(sources);
        let mut srcs = Vec::with_capacity(sources);
        store
            .transaction(|st| {
                for i in 0..sources {
                    let url = format!("https://site{}.example.org/reports/{i}", i % 500);
                    let row = st.source_or_create(&url, now)?;
                    let version = run / 10;
                    let text = page(i, version);
                    let snap = st.put_snapshot(
                        row.id,
                        now,
                        &NewSnapshot {
                            kind: "html",
                            content_type: Some("text/html"),
                            title: Some("Report"),
                            selector: None,
                            raw: text.as_bytes(),
                            main: &text,
                            full: &text,
                            fingerprint: &citewatch::extract::sha256(text.as_bytes()),
                        },
                    )?;
                    let content = if run == 0 {
                        Content::New
                    } else if version > 0 {
                        Content::Changed
                    } else {
                        Content::Unchanged
                    };
                    st.record_fetch(
                        run_id,
                        &row,
                        &NewFetch {
                            time: now,
                            duration_ms: 120,
                            attempts: 1,
                            http_status: Some(200),
                            final_url: Some(&url),
                            redirects_json: "[]",
                            health: "ok",
                            reason: None,
                            error: None,
                            etag: None,
                            last_modified: None,
                            bytes: Some(text.len() as i64),
                            snapshot_id: Some(snap),
                            content: content.as_str(),
                            similarity: Some(0.97),
                        },
                        false,
                    )?;
                    let verdict = if content == Content::Changed { Verdict::Changed } else { Verdict::Ok };
                    claims.push(ClaimReport {
                        factsheet: format!("fs-{}", i % 20),
                        id: format!("claim-{i}"),
                        verdict,
                        reasons: vec![],
                        sources: vec![ClaimSourceReport {
                            url: url.clone(),
                            health: Health::Ok,
                            content,
                            quotes: vec![],
                            archived: None,
                            via: "live".into(),
                        }],
                        text: format!("Claim {i}."),
                        where_: None,
                        confirmed: true,
                        counts_as: None,
                        next: vec![],
                    });
                    srcs.push(SourceReport {
                        url: url.clone(),
                        health: Health::Ok,
                        http_status: Some(200),
                        final_url: Some(url),
                        content,
                        kind: Some("html".into()),
                        similarity: Some(0.97),
                        error: None,
                        reason: None,
                        consecutive_failures: 0,
                        claims: vec![format!("fs-{}/claim-{i}", i % 20)],
                        redirects: vec![],
                        title: None,
                        checked: None,
                        first_seen: None,
                        last_good: None,
                        failing_since: None,
                        archived: None,
                        confirmed: true,
                        archive: None,
                    });
                }
                Ok(())
            })
            .unwrap();
        let report = RunReport {
            schema: 1,
            run: RunInfo { started: String::new(), finished: String::new(), id: run_id, offline: false },
            summary: Summary::of(&claims, &srcs),
            claims,
            sources: srcs,
            factsheets: (0..20)
                .map(|f| FactsheetInfo { id: format!("fs-{f}"), title: format!("Factsheet {f}"), file: String::new() })
                .collect(),
            excluded: Vec::new(),
            notifications: Vec::new(),
        };
        store.finish_run(run_id, now + 60_000, &report).unwrap();
    }
    let size = std::fs::metadata(dir.path().join("citewatch.db")).map(|m| m.len()).unwrap_or(0);
    println!(
        "store: {sources} sources, {runs} runs, {} fetches, {:.0} MiB, filled in {:.1} s",
        sources * runs,
        size as f64 / 1048576.0,
        fill.elapsed().as_secs_f64()
    );
    drop(store);
    let store = Store::open_existing(dir.path()).unwrap();
    best("status (all claims and sources)", || review::status(&store, &[], &[]).unwrap());
    best("status --verdict changed", || review::status(&store, &[Verdict::Changed], &[]).unwrap());
    best("status rendered as JSON", || {
        let r = review::status(&store, &[], &[]).unwrap();
        let mut out = Vec::new();
        citewatch::report::render_json(&r, &mut out).unwrap();
        out.len()
    });
    let style = citewatch::report::diff::DiffStyle { color: false, full: false, context: 3 };
    best("diff of one claim", || {
        let t = review::resolve(&store, &format!("fs-3/claim-{}", sources / 20 * 20 + 3 - 20)).unwrap();
        let texts = review::texts(&store, &t).unwrap();
        let mut out = Vec::new();
        citewatch::report::diff::render(&texts, style, &mut out).unwrap();
        out.len()
    });
    best("diff of a URL", || {
        let t = review::resolve(&store, "https://site243.example.org/reports/4243").unwrap();
        review::texts(&store, &t).unwrap().len()
    });
    best("history of a URL (50 fetches)", || {
        review::history(&store, "https://site243.example.org/reports/4243").unwrap()
    });
    for (label, format) in [
        ("report --format html (whole command)", citewatch::report::Format::Html),
        ("report --format csv", citewatch::report::Format::Csv),
        ("report --format junit", citewatch::report::Format::Junit),
        ("report --format md", citewatch::report::Format::Md),
    ] {
        let mut size = 0;
        best(label, || {
            let doc = store.run_report(None).unwrap().unwrap();
            let rich = matches!(format, citewatch::report::Format::Html | citewatch::report::Format::Md);
            let extras = citewatch::report::ReportExtras {
                history: if rich { review::run_points(&store).unwrap() } else { vec![] },
                excerpts: if rich { review::excerpts(&store, &doc).unwrap() } else { Default::default() },
                generated: String::new(),
            };
            let mut out = Vec::new();
            citewatch::report::render(&doc, &extras, format, &mut out).unwrap();
            size = out.len();
        });
        println!("{:<40} {:>8.1} MiB", "  size", size as f64 / 1048576.0);
    }
}
