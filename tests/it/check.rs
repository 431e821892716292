//! `citewatch check` end to end.

use crate::support::*;
use std::time::Duration;

const IDPS: &str = "In September 2021, OCHA reported a record high of 401,850 internally displaced persons in Mali.\n\nAttackers killed 35 people in Moura, officials said.";

#[test]
fn every_health_class_and_verdict() {
    let s = Server::start();
    s.set("/ok", Reply::article("OCHA update", IDPS));
    s.set("/gone", Reply::status(404));
    s.set("/removed", Reply::status(410));
    s.set("/forbidden", Reply::status(403));
    s.set("/down", Reply::status(500));
    s.set("/moved", Reply::redirect(301, "/new-home-of-report"));
    s.set("/new-home-of-report", Reply::article("Moved report", IDPS));
    s.set("/reports/mali-2021-displacement", Reply::redirect(302, "/"));
    s.set("/", Reply::article("Welcome to Example News", "Top stories of the day."));
    s.set("/soft", Reply::article("Page not found", "Sorry, we could not find that page."));
    s.set(
        "/challenge",
        Reply::new(
            403,
            "text/html",
            "<html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>",
        )
        .header("cf-mitigated", "challenge"),
    );
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "health",
            &[
                ("ok", &["401,850"], &[q(&s.url("/ok"))]),
                ("missing-quote", &["350,000"], &[q(&s.url("/ok"))]),
                ("gone", &[], &[q(&s.url("/gone")), q(&s.url("/ok"))]),
                ("removed", &[], &[q(&s.url("/removed"))]),
                ("forbidden", &[], &[q(&s.url("/forbidden"))]),
                ("down", &[], &[q(&s.url("/down"))]),
                ("moved", &["401,850"], &[q(&s.url("/moved"))]),
                ("home", &[], &[q(&s.url("/reports/mali-2021-displacement"))]),
                ("soft", &[], &[q(&s.url("/soft"))]),
                ("challenge", &[], &[q(&s.url("/challenge"))]),
            ],
        ),
    );
    let (run, doc) = p.check_json(&["--retries", "0"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let health = |path: &str| source(&doc, &s.url(path))["health"].as_str().unwrap().to_string();
    assert_eq!(health("/ok"), "ok");
    assert_eq!(health("/gone"), "broken");
    assert_eq!(health("/removed"), "broken");
    assert_eq!(health("/forbidden"), "blocked");
    assert_eq!(health("/challenge"), "blocked");
    assert_eq!(health("/down"), "error");
    assert_eq!(health("/moved"), "redirected");
    assert_eq!(health("/reports/mali-2021-displacement"), "broken");
    assert_eq!(health("/soft"), "broken");
    let moved = source(&doc, &s.url("/moved"));
    assert_eq!(moved["final_url"], s.url("/new-home-of-report"));
    assert_eq!(moved["http_status"], 200);
    assert!(source(&doc, &s.url("/reports/mali-2021-displacement"))["reason"].as_str().unwrap().contains("home page"));
    assert!(source(&doc, &s.url("/soft"))["reason"].as_str().unwrap().starts_with("soft-404"));

    let verdict = |id: &str| claim(&doc, id)["verdict"].as_str().unwrap().to_string();
    assert_eq!(verdict("ok"), "ok");
    assert_eq!(verdict("missing-quote"), "unsupported");
    assert_eq!(verdict("gone"), "broken");
    assert_eq!(verdict("removed"), "broken");
    assert_eq!(verdict("forbidden"), "unverified");
    assert_eq!(verdict("down"), "unverified");
    assert_eq!(verdict("moved"), "ok");
    assert_eq!(verdict("home"), "broken");
    assert_eq!(verdict("soft"), "broken");
    let reasons = claim(&doc, "gone")["reasons"][0].as_str().unwrap().to_string();
    assert!(reasons.starts_with("HTTP 404 (first seen failing "), "{reasons}");
    assert!(claim(&doc, "missing-quote")["reasons"][0].as_str().unwrap().contains("\"350,000\""));
    // Flagged claims come first, worst first.
    assert_eq!(doc["claims"][0]["verdict"], "broken");
    assert_eq!(doc["summary"]["claims"]["broken"], 4);
    assert_eq!(doc["summary"]["sources"]["broken"], 4);
    assert_eq!(doc["summary"]["sources"]["blocked"], 2);
    // Each distinct URL once, however many claims cite it.
    assert_eq!(s.hits("/ok"), 1);
    assert_eq!(source(&doc, &s.url("/ok"))["claims"].as_array().unwrap().len(), 3);
}

#[test]
fn content_states_noise_and_changes() {
    let s = Server::start();
    s.set("/story", Reply::article("Moura", IDPS));
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "content",
            &[("moura", &["35 people"], &[q(&s.url("/story"))]), ("page", &[], &[q(&s.url("/story"))])],
        ),
    );
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(source(&doc, &s.url("/story"))["content"], "new");
    assert_eq!(claim(&doc, "moura")["sources"][0]["content"], "new");

    // Only markup, scripts, styles, navigation, footer, attributes, teasers and whitespace change.
    let noisy = page("Moura", IDPS)
        .replace("window.dataLayer = [{\"ts\": 1}]", "window.dataLayer = [{\"ts\": 99}]")
        .replace(
            "<a href=\"/about\">About</a>",
            "<a href=\"/about\" class=\"x\">About us</a> <a href=\"/jobs\">Jobs</a>",
        )
        .replace("© 2022", "© 2026")
        .replace("Another story", "A brand new teaser")
        .replace("<p>", "<p class=\"lead\" data-id=\"7\">\n   ")
        .replace("body { font: 14px sans-serif }", "body{font:15px serif}")
        .replace("</article>", "<!-- tracking pixel --></article>");
    s.set("/story", Reply::html(&noisy));
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(source(&doc, &s.url("/story"))["content"], "unchanged");
    assert_eq!(source(&doc, &s.url("/story"))["similarity"], 1.0);

    // A real change of the article.
    s.set("/story", Reply::article("Moura", &IDPS.replace("35 people", "53 people")));
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 1);
    let src = source(&doc, &s.url("/story"));
    assert_eq!(src["content"], "changed");
    let sim = src["similarity"].as_f64().unwrap();
    assert!(sim > 0.8 && sim < 1.0, "{sim}");
    assert_eq!(claim(&doc, "moura")["verdict"], "unsupported");
    assert_eq!(claim(&doc, "page")["verdict"], "changed");
    let reasons: Vec<String> =
        claim(&doc, "moura")["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string()).collect();
    assert!(reasons.iter().any(|r| r.contains("quote \"35 people\" no longer found")), "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.starts_with("content changed (") && r.contains("% similar to baseline")),
        "{reasons:?}"
    );
    assert_eq!(p.run(&["check", "--quiet", "--fail-on", "broken"]).code, 0);

    // The source fails: content unknown, the baseline is kept and compared when it returns.
    s.set("/story", Reply::status(503));
    let (_, doc) = p.check_json(&["--retries", "0"]);
    assert_eq!(source(&doc, &s.url("/story"))["content"], "unknown");
    assert_eq!(source(&doc, &s.url("/story"))["consecutive_failures"], 1);
    assert_eq!(claim(&doc, "moura")["verdict"], "unverified");
    s.set("/story", Reply::article("Moura", IDPS));
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 0);
    assert_eq!(source(&doc, &s.url("/story"))["content"], "unchanged");
    assert_eq!(source(&doc, &s.url("/story"))["consecutive_failures"], 0);
}

#[test]
fn quotes_and_text_fragments() {
    let s = Server::start();
    s.set("/r", Reply::article("Report", "Le « Mali » : l’armée a tué 35 personnes à Moura.\n\nThe army killed 114 civilians. Later, militants killed 35 people in Moura."));
    let p = Project::new();
    let base = s.url("/r");
    p.claims(
        "f.toml",
        &factsheet(
            "frag",
            &[
                ("plain", &[], &[q(&format!("{base}#:~:text=militants%20killed%2035%20people"))]),
                ("prefix-suffix", &[], &[q(&format!("{base}#:~:text=militants%20killed-,35%20people,-in%20Moura"))]),
                ("wrong-prefix", &[], &[q(&format!("{base}#:~:text=rebels-,35%20people"))]),
                ("range", &[], &[q(&format!("{base}#:~:text=The%20army,in%20Moura"))]),
                ("french", &["l'armee a tue 35 personnes"], &[q(&base)]),
                ("word-boundary", &["14 civilians"], &[q(&base)]),
                ("table", &[], &[format!("{{ url = {}, quote = \"114 CIVILIANS\" }}", q(&base))]),
            ],
        ),
    );
    let (_, doc) = p.check_json(&[]);
    // One fetch for all the fragments.
    assert_eq!(s.hits("/r"), 1);
    assert_eq!(doc["sources"].as_array().unwrap().len(), 1);
    let found = |id: &str| claim(&doc, id)["sources"][0]["quotes"][0]["found"].clone();
    assert_eq!(found("plain"), true);
    assert_eq!(found("prefix-suffix"), true);
    assert_eq!(found("wrong-prefix"), false);
    assert_eq!(found("range"), true);
    assert_eq!(found("french"), true);
    assert_eq!(found("word-boundary"), false);
    assert_eq!(found("table"), true);
    assert_eq!(claim(&doc, "wrong-prefix")["verdict"], "unsupported");
    assert_eq!(claim(&doc, "word-boundary")["verdict"], "unsupported");
    assert_eq!(claim(&doc, "plain")["verdict"], "ok");
    assert_eq!(claim(&doc, "plain")["sources"][0]["url"], format!("{base}#:~:text=militants%20killed%2035%20people"));
    assert_eq!(claim(&doc, "prefix-suffix")["sources"][0]["quotes"][0]["text"], "35 people");
}

#[test]
fn pdf_compressed_and_legacy_encoding_sources() {
    let s = Server::start();
    s.set(
        "/report.pdf",
        Reply::new(
            200,
            "application/pdf",
            pdf(&["Humanitarian Response Plan", "401,850 internally displaced persons"]),
        ),
    );
    s.set("/gz", Reply::article("Gzip", IDPS).gzip());
    s.set(
        "/fr",
        Reply::new(200, "text/html", b"<html><head><meta charset=\"windows-1252\"><title>Rapport</title></head><body><p>Les personnes d\xe9plac\xe9es : 401 850.</p></body></html>".to_vec()),
    );
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "formats",
            &[
                ("pdf", &["401,850 internally displaced"], &[q(&s.url("/report.pdf"))]),
                ("gz", &["35 people"], &[q(&s.url("/gz"))]),
                ("fr", &["personnes déplacées"], &[q(&s.url("/fr"))]),
            ],
        ),
    );
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(source(&doc, &s.url("/report.pdf"))["kind"], "pdf");
    for id in ["pdf", "gz", "fr"] {
        assert_eq!(claim(&doc, id)["verdict"], "ok", "{id}: {}", claim(&doc, id));
    }
    assert!(s.requests("/gz")[0].headers["accept-encoding"].contains("gzip"));
}

#[test]
fn conditional_requests_and_304() {
    let s = Server::start();
    s.on("/etag", |req, _| {
        if req.headers.get("if-none-match").map(String::as_str) == Some("\"v1\"") {
            Reply::new(304, "text/html", "")
        } else {
            Reply::article("Tagged", IDPS)
                .header("ETag", "\"v1\"")
                .header("Last-Modified", "Wed, 01 Jun 2022 10:00:00 GMT")
        }
    });
    let p = Project::new();
    p.claims("f.toml", &factsheet("etag", &[("c", &["401,850"], &[q(&s.url("/etag"))])]));
    let (_, doc) = p.check_json(&[]);
    assert_eq!(source(&doc, &s.url("/etag"))["content"], "new");
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 0);
    let second = &s.requests("/etag")[1];
    assert_eq!(second.headers["if-none-match"], "\"v1\"");
    assert_eq!(second.headers["if-modified-since"], "Wed, 01 Jun 2022 10:00:00 GMT");
    let src = source(&doc, &s.url("/etag"));
    assert_eq!(src["http_status"], 304);
    assert_eq!(src["health"], "ok");
    assert_eq!(src["content"], "unchanged");
    // Quotes are still checked, against the cached text.
    assert_eq!(claim(&doc, "c")["sources"][0]["quotes"][0]["found"], true);
}

#[test]
fn redirect_chains_and_loops() {
    let s = Server::start();
    s.set("/a", Reply::redirect(302, "/b"));
    s.set("/b", Reply::redirect(301, &s.url("/c")));
    s.set("/c", Reply::article("Final", IDPS));
    s.set("/temp", Reply::redirect(307, "/c"));
    for i in 1..=11 {
        s.set(&format!("/h{i}"), Reply::redirect(302, &format!("/h{}", i - 1)));
    }
    s.set("/h0", Reply::article("End of the chain", IDPS));
    s.set("/l1", Reply::redirect(302, "/l2"));
    s.set("/l2", Reply::redirect(302, "/l1"));
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "redir",
            &[
                ("chain", &[], &[q(&s.url("/a"))]),
                ("temp", &[], &[q(&s.url("/temp"))]),
                ("loop", &[], &[q(&s.url("/l1"))]),
                ("ten", &[], &[q(&s.url("/h10"))]),
                ("eleven", &[], &[q(&s.url("/h11"))]),
            ],
        ),
    );
    let (_, doc) = p.check_json(&["--retries", "0"]);
    let chain = source(&doc, &s.url("/a"));
    assert_eq!(chain["health"], "redirected");
    assert_eq!(chain["final_url"], s.url("/c"));
    let hops: Vec<(String, u64)> = chain["redirects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["url"].as_str().unwrap().to_string(), h["status"].as_u64().unwrap()))
        .collect();
    assert_eq!(hops, vec![(s.url("/a"), 302), (s.url("/b"), 301)]);
    assert_eq!(source(&doc, &s.url("/temp"))["health"], "ok");
    let lp = source(&doc, &s.url("/l1"));
    assert_eq!(lp["health"], "error");
    assert!(lp["reason"].as_str().unwrap().contains("redirect loop"), "{lp}");
    assert_eq!(s.hits("/l1"), 1);
    // At most 10 redirects are followed: ten work, eleven do not.
    assert_eq!(source(&doc, &s.url("/h10"))["health"], "ok");
    assert_eq!(source(&doc, &s.url("/h10"))["redirects"].as_array().unwrap().len(), 10);
    let eleven = source(&doc, &s.url("/h11"));
    assert_eq!(eleven["health"], "error");
    assert!(eleven["reason"].as_str().unwrap().contains("more than 10 redirects"), "{eleven}");
}

#[test]
fn retries_honour_retry_after() {
    let s = Server::start();
    s.seq("/busy", vec![Reply::status(503).header("Retry-After", "1"), Reply::article("Busy", IDPS)]);
    s.set("/limited", Reply::status(429).header("Retry-After", "0"));
    s.set("/far", Reply::status(503).header("Retry-After", "3600"));
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "retry",
            &[
                ("busy", &[], &[q(&s.url("/busy"))]),
                ("limited", &[], &[q(&s.url("/limited"))]),
                ("far", &[], &[q(&s.url("/far"))]),
            ],
        ),
    );
    let (_, doc) = p.check_json(&["--retries", "2"]);
    assert_eq!(source(&doc, &s.url("/busy"))["health"], "ok");
    let reqs = s.requests("/busy");
    assert_eq!(reqs.len(), 2);
    let waited = reqs[1].at.duration_since(reqs[0].at);
    assert!(waited >= Duration::from_millis(900), "retried after {waited:?}, Retry-After said 1 s");
    assert_eq!(source(&doc, &s.url("/limited"))["health"], "blocked");
    assert_eq!(s.hits("/limited"), 3);
    // A Retry-After past the cap is not waited for.
    assert_eq!(s.hits("/far"), 1);
    assert_eq!(source(&doc, &s.url("/far"))["health"], "error");
}

#[test]
fn timeouts_refused_connections_and_the_body_cap() {
    let s = Server::start();
    s.set("/slow", Reply::article("Slow", IDPS).delay(Duration::from_secs(4)));
    s.set("/huge", Reply::new(200, "text/plain", "").endless());
    s.set("/big", Reply::new(200, "text/plain", vec![b'x'; 3 * 1024 * 1024]));
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/nothing", closed.local_addr().unwrap());
    drop(closed);
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "fail",
            &[
                ("slow", &[], &[q(&s.url("/slow"))]),
                ("huge", &[], &[q(&s.url("/huge"))]),
                ("big", &[], &[q(&s.url("/big"))]),
                ("dead", &[], &[q(&dead)]),
            ],
        ),
    );
    let run = p.run(&["check", "--format", "json", "--quiet", "--timeout", "1", "--retries", "0", "--max-body", "2"]);
    assert_eq!(run.code, 0, "unverified alone never fails a run: {}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let slow = source(&doc, &s.url("/slow"));
    assert_eq!(slow["health"], "error");
    assert!(slow["reason"].as_str().unwrap().contains("timed out"), "{slow}");
    for path in ["/huge", "/big"] {
        let src = source(&doc, &s.url(path));
        assert_eq!(src["health"], "error");
        assert!(src["reason"].as_str().unwrap().contains("2 MiB cap"), "{src}");
    }
    let d = source(&doc, &dead);
    assert_eq!(d["health"], "error");
    assert!(d["reason"].as_str().unwrap().contains("connection"), "{d}");
    assert_eq!(claim(&doc, "slow")["verdict"], "unverified");
}

#[test]
fn per_host_limit_is_kept() {
    let s = Server::start();
    let mut sources = Vec::new();
    for i in 0..8 {
        let path = format!("/p{i}");
        s.set(&path, Reply::article("P", IDPS).delay(Duration::from_millis(300)));
        sources.push(q(&s.url(&path)));
    }
    let p = Project::new();
    p.claims("f.toml", &factsheet("hosts", &[("c", &[], &sources)]));
    let (run, doc) = p.check_json(&["--per-host", "2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(doc["summary"]["sources"]["ok"], 8);
    assert!(s.peak() <= 2, "{} connections at once", s.peak());
}

#[test]
fn offline_rejudges_from_the_cache() {
    let s = Server::start();
    s.set("/r", Reply::article("R", IDPS));
    let p = Project::new();
    p.claims("f.toml", &factsheet("off", &[("c", &["401,850"], &[q(&s.url("/r"))])]));
    let (run, _) = p.check_json(&[]);
    assert_eq!(run.code, 0);
    // The editor adds a quote the page does not carry; no network is used.
    p.claims("f.toml", &factsheet("off", &[("c", &["401,850", "9,999 refugees"], &[q(&s.url("/r"))])]));
    let (run, doc) = p.check_json(&["--offline"]);
    assert_eq!(run.code, 1);
    assert_eq!(s.hits("/r"), 1);
    assert_eq!(doc["run"]["offline"], true);
    assert_eq!(claim(&doc, "c")["verdict"], "unsupported");
    assert_eq!(source(&doc, &s.url("/r"))["health"], "ok");
}

#[test]
fn kill_during_a_run_then_a_clean_second_run() {
    let s = Server::start();
    let mut sources = Vec::new();
    for i in 0..24 {
        let path = format!("/k{i}");
        s.set(&path, Reply::article("K", IDPS).delay(Duration::from_millis(250)));
        sources.push(q(&s.url(&path)));
    }
    let p = Project::new();
    p.claims("f.toml", &factsheet("kill", &[("c", &["401,850"], &sources)]));
    let mut child =
        p.command(&["check", "--quiet", "--per-host", "2"]).stdout(std::process::Stdio::null()).spawn().unwrap();
    let db = p.cache().join("citewatch.db");
    let start = std::time::Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(50));
        if db.exists() {
            let n: i64 = p.db().query_row("SELECT COUNT(*) FROM fetches", [], |r| r.get(0)).unwrap_or(0);
            if n >= 4 {
                break;
            }
        }
        assert!(start.elapsed() < Duration::from_secs(30), "no fetch recorded");
    }
    // While it runs, a second run on the same cache stops with a clear message.
    let second = p.run(&["check", "--quiet"]);
    assert_eq!(second.code, 2);
    assert!(second.stderr.contains("another citewatch run is using the cache"), "{}", second.stderr);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let recorded: i64 = p.db().query_row("SELECT COUNT(*) FROM fetches WHERE run_id = 1", [], |r| r.get(0)).unwrap();
    assert!((4..24).contains(&recorded), "{recorded}");
    // Sources are committed in batches: a batch is there whole or not at all.
    let conn = p.db();
    let dangling: i64 =
        conn.prepare("PRAGMA foreign_key_check").unwrap().query_map([], |_| Ok(())).unwrap().count() as i64;
    assert_eq!(dangling, 0, "no row points at a missing one");
    let whole: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM fetches f JOIN sources s ON s.id = f.source_id JOIN snapshots n ON n.id = f.snapshot_id
             WHERE f.run_id = 1 AND s.latest = n.id AND s.baseline = n.id
               AND EXISTS (SELECT 1 FROM blobs WHERE sha = n.raw_sha) AND EXISTS (SELECT 1 FROM blobs WHERE sha = n.full_sha)
               AND EXISTS (SELECT 1 FROM judged j WHERE j.snapshot_id = n.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(whole, recorded, "every recorded fetch has its snapshot, blobs, baseline and judgement");
    drop(conn);

    for path in 0..24 {
        s.set(&format!("/k{path}"), Reply::article("K", IDPS));
    }
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(doc["sources"].as_array().unwrap().len(), 24);
    let unchanged = doc["sources"].as_array().unwrap().iter().filter(|s| s["content"] == "unchanged").count();
    assert_eq!(unchanged as i64, recorded, "what the killed run stored is kept as baseline");
    let conn = p.db();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    let statuses: Vec<String> = conn
        .prepare("SELECT status FROM runs ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(statuses, vec!["interrupted", "finished"]);
}

#[test]
fn a_quote_never_there_is_not_found_not_no_longer_found() {
    let s = Server::start();
    s.set("/r", Reply::article("R", IDPS));
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "q",
            &[("never", &["9,999 refugees"], &[q(&s.url("/r"))]), ("was", &["35 people"], &[q(&s.url("/r"))])],
        ),
    );
    let (_, doc) = p.check_json(&[]);
    assert_eq!(claim(&doc, "never")["reasons"][0], "quote \"9,999 refugees\" not found in any source");
    s.set("/r", Reply::article("R", &IDPS.replace("35 people", "53 people")));
    let (_, doc) = p.check_json(&[]);
    let never = claim(&doc, "never")["reasons"].to_string();
    assert!(never.contains("quote \\\"9,999 refugees\\\" not found in any source"), "{never}");
    let was = claim(&doc, "was")["reasons"].to_string();
    assert!(was.contains("quote \\\"35 people\\\" no longer found in any source"), "{was}");
}

/// A news page as a next fetch serves it: a teaser line inside the story
/// ("Lesen Sie hier: …") rotated to another story, the metadata line's stamp
/// and the view counter moved on, a promo link added inside the story.
fn news(teaser: &str, stamp: &str, views: u32, promo: bool, killed: u32) -> String {
    format!(
        "<!doctype html><html><head><title>Moura</title></head><body>\
         <nav><a href=\"/\">Start</a> <a href=\"/politik\">Politik</a> <a href=\"/reisen\">Reisen und Urlaub</a></nav>\
         <article><h1>Attack in Moura</h1>\
         <p>NDR Info - Das Update aus Mali - {stamp} Uhr Autor/in: Korinna Hennig</p>\
         <p>Attackers killed {killed} people in Moura, officials said on Tuesday after a week of fighting.</p>\
         <p>Lesen Sie hier: <a href=\"/more\">{teaser}</a></p>\
         {}\
         <p>The army said it had regained control of the town and of the roads around it.</p>\
         <p>{views} Aufrufe</p></article>\
         <aside><a href=\"/gewinn\">Gewinnspiele</a></aside></body></html>",
        if promo { "<p><a href=\"/abo\">Jetzt abonnieren: 3 Monate für 1 €</a></p>" } else { "" }
    )
}

#[test]
fn rotated_teasers_and_moved_stamps_are_noise_an_edited_figure_is_not() {
    let s = Server::start();
    s.set("/news", Reply::html(&news("Gewinnspiele", "18.03.2020 13:15", 1204, false, 35)));
    let p = Project::new();
    p.claims("f.toml", &factsheet("news", &[("moura", &[], &[q(&s.url("/news"))])]));
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(source(&doc, &s.url("/news"))["content"], "new");

    s.set("/news", Reply::html(&news("Reisen und Urlaub", "22.07.2020 17:19", 1377, true, 35)));
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(source(&doc, &s.url("/news"))["content"], "unchanged");

    s.set("/news", Reply::html(&news("Reisen und Urlaub", "22.07.2020 17:19", 1377, true, 53)));
    let (run, doc) = p.check_json(&[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(source(&doc, &s.url("/news"))["content"], "changed");
}

/// A store left by an older citewatch, whose rules watched more of a page
/// (here its headline and a picture's alt text), does not make every page
/// read as changed after an upgrade: the baseline's watched text is
/// extracted again from its stored body; a real change is still one.
#[test]
fn an_upgrade_of_the_extraction_rules_is_no_change_of_the_page() {
    let s = Server::start();
    let page = |stamp: &str, verb: &str| {
        Reply::html(&format!(
            "<html><head><title>Army denies killings in Moura</title></head><body><main><article>\
             <h1>Army denies killings in Moura</h1><p class=\"date\">{stamp}</p><img src=\"m.jpg\" alt=\"Soldiers patrol the market of Moura after the fighting on Sunday\">\
             <p>The army {verb} any role in the killings of civilians in the town of Moura on Sunday, officials said.</p>\
             <p>Witnesses described a week of fighting around the market, and the roads to the town were closed.</p>\
             </article></main></body></html>"
        ))
    };
    s.set("/moura", page("Updated 12 March 2022", "denied"));
    let p = Project::new();
    let url = s.url("/moura");
    p.claims("f.toml", &factsheet("news", &[("army", &[], &[q(&url)])]));
    assert_eq!(p.run(&["check", "--quiet"]).code, 0);
    // As an older build left the baseline: its watched text made by rules
    // that kept the headline and the alt text.
    {
        let store = citewatch::store::Store::open(&p.cache()).unwrap();
        let db = store.conn();
        let (id, main): (i64, String) =
            db.query_row("SELECT id, main_sha FROM snapshots", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        let old = format!(
            "Army denies killings in Moura\nSoldiers patrol the market of Moura after the fighting on Sunday\n{}",
            store.text(&main).unwrap()
        );
        let sha = store.put_blob(old.as_bytes()).unwrap();
        db.execute("UPDATE snapshots SET main_sha = ?1, rules = 1 WHERE id = ?2", rusqlite::params![sha, id]).unwrap();
    }
    // The page moves its date on only: no change.
    s.set("/moura", page("Updated 14 March 2022", "denied"));
    let run = p.run(&["check", "--quiet"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // The page says something else: a change.
    s.set("/moura", page("Updated 15 March 2022", "admitted"));
    let run = p.run(&["check", "--quiet"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("changed"), "{}", run.stdout);
}
