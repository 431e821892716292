//! Archived copies end to end: the real binary against a fake archive on
//! 127.0.0.1 that speaks the Wayback Machine's CDX, `id_` replay and Save
//! Page Now APIs and a Memento TimeGate, next to a fake web whose pages died.

use crate::support::*;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const IDPS: &str = "In September 2021, OCHA reported a record high of 401,850 internally displaced persons in Mali.";

#[derive(Clone)]
struct Cap {
    ts: String,
    url: String,
    status: u16,
    body: String,
}

/// The fake archive.
struct Archive {
    server: Server,
    caps: Arc<Mutex<Vec<Cap>>>,
}

fn query(path: &str) -> Vec<(String, String)> {
    url::Url::parse(&format!("http://x{path}"))
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn param(path: &str, k: &str) -> Option<String> {
    query(path).into_iter().find(|(a, _)| a == k).map(|(_, v)| v)
}

fn pad(ts: &str, hi: bool) -> String {
    let fill = if hi { "99991231235959" } else { "00000101000000" };
    format!("{ts}{}", &fill[ts.len()..])
}

fn http_date(ts: &str) -> String {
    let dt = jiff::civil::DateTime::strptime("%Y%m%d%H%M%S", ts).unwrap();
    dt.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

impl Archive {
    fn start() -> Archive {
        let server = Server::start();
        let caps: Arc<Mutex<Vec<Cap>>> = Arc::default();
        let a = Archive { server, caps };
        // The CDX index, as web.archive.org answers it: a header row, then
        // captures oldest first, `to`/`from`/`limit` honoured. The status
        // filter is NOT applied here: the client must skip non-2xx itself.
        let c = a.caps.clone();
        a.server.on_prefix("/cdx/search/cdx", move |req, _| {
            let url = param(&req.path, "url").unwrap_or_default();
            let to = param(&req.path, "to").map(|t| pad(&t, true));
            let from = param(&req.path, "from").map(|t| pad(&t, false));
            let mut rows: Vec<Cap> = c
                .lock()
                .unwrap()
                .iter()
                .filter(|x| x.url == url)
                .filter(|x| to.as_ref().is_none_or(|t| &x.ts <= t) && from.as_ref().is_none_or(|f| &x.ts >= f))
                .cloned()
                .collect();
            rows.sort_by(|a, b| a.ts.cmp(&b.ts));
            let limit: i64 = param(&req.path, "limit").and_then(|l| l.parse().ok()).unwrap_or(0);
            if limit < 0 && rows.len() > (-limit) as usize {
                rows = rows.split_off(rows.len() - (-limit) as usize);
            } else if limit > 0 {
                rows.truncate(limit as usize);
            }
            let mut out: Vec<Value> = Vec::new();
            if !rows.is_empty() {
                out.push(serde_json::json!([
                    "urlkey",
                    "timestamp",
                    "original",
                    "mimetype",
                    "statuscode",
                    "digest",
                    "length"
                ]));
            }
            for r in rows {
                out.push(serde_json::json!(["key", r.ts, r.url, "text/html", r.status.to_string(), "D", "1"]));
            }
            Reply::new(200, "application/json", serde_json::to_string(&out).unwrap())
        });
        // Replay in original form: /web/{ts}id_/{url}.
        let c = a.caps.clone();
        a.server.on_prefix("/web/", move |req, _| {
            let rest = &req.path[5..];
            let Some((stamp, url)) = rest.split_once('/') else { return Reply::status(404) };
            let ts = stamp.trim_end_matches("id_");
            match c.lock().unwrap().iter().find(|x| x.ts == ts && x.url == url) {
                Some(x) if stamp.ends_with("id_") => Reply::new(x.status, "text/html; charset=utf-8", x.body.clone())
                    .header("Memento-Datetime", &http_date(ts)),
                Some(x) => {
                    Reply::new(200, "text/html", format!("<div id=\"wm-banner\">Wayback Machine</div>{}", x.body))
                }
                None => Reply::status(404),
            }
        });
        a
    }

    fn base(&self) -> String {
        self.server.url("")
    }

    fn add(&self, ts: &str, url: &str, status: u16, body: &str) {
        self.caps.lock().unwrap().push(Cap { ts: ts.into(), url: url.into(), status, body: body.into() });
    }

    fn cdx(&self) -> Vec<Request> {
        self.server.requests_under("/cdx/search/cdx")
    }

    /// A TimeGate at /timegate/{url} answering from `mementos` (ts, url, body) with a 302.
    fn timegate(&self, mementos: Vec<(String, String, String)>) {
        let m = mementos.clone();
        self.server.on_prefix("/timegate/", move |req, _| {
            let url = &req.path["/timegate/".len()..];
            match m.iter().find(|x| x.1 == url) {
                Some((ts, u, _)) => Reply::new(302, "text/plain", "")
                    .header("Location", &format!("/memento/{ts}/{u}"))
                    .header("Vary", "accept-datetime"),
                None => Reply::status(404),
            }
        });
        self.server.on_prefix("/memento/", move |req, _| {
            let rest = &req.path["/memento/".len()..];
            let (ts, url) = rest.split_once('/').unwrap();
            match mementos.iter().find(|x| x.0 == ts && x.1 == url) {
                Some((ts, _, body)) => Reply::html(body).header("Memento-Datetime", &http_date(ts)),
                None => Reply::status(404),
            }
        });
    }
}

fn config(p: &Project, a: &Archive, extra: &str) {
    std::fs::write(p.path().join("citewatch.toml"), format!("[archive]\nwayback = \"{}\"\n{extra}", a.base())).unwrap();
}

/// A factsheet published on 2022-09-01 with one claim per (id, quotes, source TOML).
fn sheet(claims: &[(&str, &[&str], String)]) -> String {
    let mut s = String::from(
        "# Reviewed by hand; keep the comments.\n[factsheet]\nid = \"fs\"\ntitle = \"Test\"\npublished = 2022-09-01\n",
    );
    for (id, quotes, src) in claims {
        let q: Vec<String> = quotes.iter().map(|q| format!("{q:?}")).collect();
        s.push_str(&format!(
            "\n[[claim]]\nid = \"{id}\"\ntext = \"Claim {id}.\"\nquotes = [{}]\nsources = [\n  {src},   # the cited page\n]\n",
            q.join(", ")
        ));
    }
    s
}

fn reasons(doc: &Value, id: &str) -> String {
    claim(doc, id)["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_closest_good_capture_before_publication_is_cited_and_checked() {
    let web = Server::start();
    web.set("/dead", Reply::status(404));
    let dead = web.url("/dead");
    let a = Archive::start();
    let page = page("OCHA update", IDPS);
    a.add("20220601000000", &dead, 200, &page);
    a.add("20220820101500", &dead, 200, &page);
    a.add("20220825000000", &dead, 404, "<h1>Not found</h1>");
    a.add("20220826000000", &dead, 302, "");
    // Closer to the publication date, but after it.
    a.add("20220902000000", &dead, 200, &page);
    let p = Project::new();
    config(&p, &a, "");
    p.claims("fs.toml", &sheet(&[("idps", &["401,850"], q(&dead))]));
    let (run, doc) = p.check_json(&["--retries", "0"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let src = source(&doc, &dead);
    assert_eq!(src["health"], "broken");
    let copy = format!("{}/web/20220820101500/{dead}", a.base());
    assert_eq!(src["archive"]["url"], copy.as_str(), "{src}");
    assert_eq!(src["archive"]["timestamp"], "2022-08-20T10:15:00Z");
    assert_eq!(src["archive"]["status"], 200);
    assert_eq!(src["archive"]["quotes_found"], true);
    assert!(src["reason"].as_str().unwrap().starts_with("HTTP 404; archived copy of 2022-08-20"), "{src}");
    let c = claim(&doc, "idps");
    assert_eq!(c["verdict"], "broken");
    assert_eq!(c["sources"][0]["via"], "live");
    let r = reasons(&doc, "idps");
    assert!(r.contains(&format!("archived copy of 2022-08-20 holds \"401,850\": cite it {copy}")), "{r}");
    let next = c["next"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert!(
        next[0].starts_with(&format!("cite the archived copy {copy} (`citewatch archive --write fs/idps`")),
        "{next:?}"
    );
    // The query was the one the real Wayback Machine understands.
    let cdx = a.cdx();
    let first = &cdx[0].path;
    assert_eq!(param(first, "url").as_deref(), Some(dead.as_str()));
    assert_eq!(param(first, "output").as_deref(), Some("json"));
    assert_eq!(param(first, "to").as_deref(), Some("20220901235959"));
    assert_eq!(param(first, "filter").as_deref(), Some("statuscode:2.."));
    assert!(param(first, "limit").is_some());
    // Read in original form, no banner.
    assert_eq!(a.server.hits(&format!("/web/20220820101500id_/{dead}")), 1);
    // A second check within the week asks the archive nothing.
    let before = a.server.requests_under("/").len();
    let (_, doc2) = p.check_json(&["--retries", "0"]);
    assert_eq!(a.server.requests_under("/").len(), before, "look-up and copy come from the store");
    assert_eq!(source(&doc2, &dead)["archive"], src["archive"]);
    // The reports show the copy; Robust Links carry it.
    let md = p.run(&["report", "--format", "md"]);
    assert!(md.stdout.contains(&copy) && md.stdout.contains("holds the quotes"), "{}", md.stdout);
    let html = p.run(&["report", "--format", "html"]);
    assert!(html.stdout.contains("holds the quotes"));
    let rl = p.run(&["report", "--format", "robustlinks"]);
    assert_eq!(rl.code, 0, "{}", rl.stderr);
    assert!(
        rl.stdout.contains(&format!(
            "<a href=\"{dead}\" data-originalurl=\"{dead}\" data-versionurl=\"{copy}\" data-versiondate=\"2022-08-20\">"
        )),
        "{}",
        rl.stdout
    );
}

#[test]
fn only_a_capture_after_publication_and_one_that_does_not_hold_the_quote() {
    let web = Server::start();
    web.set("/dead", Reply::status(410));
    let dead = web.url("/dead");
    let a = Archive::start();
    a.add("20220825000000", &dead, 500, "<h1>Server error</h1>");
    a.add("20221002000000", &dead, 200, &page("OCHA update", "OCHA reported 350,000 displaced persons."));
    a.add("20230101000000", &dead, 200, &page("OCHA update", IDPS));
    let p = Project::new();
    config(&p, &a, "");
    p.claims("fs.toml", &sheet(&[("idps", &["401,850"], q(&dead))]));
    let (_, doc) = p.check_json(&["--retries", "0"]);
    let src = source(&doc, &dead);
    assert_eq!(src["archive"]["timestamp"], "2022-10-02T00:00:00Z", "{src}");
    assert_eq!(src["archive"]["quotes_found"], false);
    let r = reasons(&doc, "idps");
    assert!(r.contains("archived copy of 2022-10-02 does not hold \"401,850\""), "{r}");
    assert_eq!(a.cdx().len(), 2, "before, then after");
    assert_eq!(param(&a.cdx()[1].path, "from").as_deref(), Some("20220901235959"));
}

#[test]
fn nothing_archived_then_a_memento_timegate() {
    let web = Server::start();
    web.set("/nowhere", Reply::status(404));
    web.set("/elsewhere", Reply::status(404));
    let (nowhere, elsewhere) = (web.url("/nowhere"), web.url("/elsewhere"));
    let a = Archive::start();
    a.timegate(vec![("20220815120000".into(), elsewhere.clone(), page("Report", IDPS))]);
    let p = Project::new();
    config(&p, &a, &format!("memento = [\"{}/timegate/\"]\n", a.base()));
    p.claims("fs.toml", &sheet(&[("a", &["401,850"], q(&nowhere)), ("b", &["401,850"], q(&elsewhere))]));
    let (run, doc) = p.check_json(&["--retries", "0"]);
    assert_eq!(run.code, 1);
    assert!(source(&doc, &nowhere)["archive"].is_null());
    assert!(reasons(&doc, "a").contains("no archived copy found"), "{}", reasons(&doc, "a"));
    let b = source(&doc, &elsewhere);
    assert_eq!(b["archive"]["url"], format!("{}/memento/20220815120000/{elsewhere}", a.base()), "{b}");
    assert_eq!(b["archive"]["timestamp"], "2022-08-15T12:00:00Z");
    assert_eq!(b["archive"]["quotes_found"], true);
    let gate = a.server.requests(&format!("/timegate/{elsewhere}"));
    assert_eq!(gate[0].headers.get("accept-datetime").map(String::as_str), Some("Thu, 01 Sep 2022 23:59:59 GMT"));
}

#[test]
fn an_archive_that_is_down_slow_or_talking_nonsense_never_stops_a_check() {
    let web = Server::start();
    for i in 0..3 {
        web.set(&format!("/dead{i}"), Reply::status(404));
    }
    let claims: Vec<(String, String)> = (0..3).map(|i| (format!("c{i}"), q(&web.url(&format!("/dead{i}"))))).collect();
    let list: Vec<(&str, &[&str], String)> =
        claims.iter().map(|(id, s)| (id.as_str(), &[] as &[&str], s.clone())).collect();

    // Down: nothing listens.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let p = Project::new();
    std::fs::write(p.path().join("citewatch.toml"), format!("[archive]\nwayback = \"http://127.0.0.1:{port}\"\n"))
        .unwrap();
    p.claims("fs.toml", &sheet(&list));
    let (run, doc) = p.check_json(&["--retries", "0"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for i in 0..3 {
        let r = reasons(&doc, &format!("c{i}"));
        assert!(r.contains("archive look-up failed") && r.contains("the next run tries again"), "{r}");
        assert!(source(&doc, &web.url(&format!("/dead{i}")))["archive"].is_null());
    }

    // Slow: the index answers after 30 s; the check gives up on it after
    // one time-out and finishes on time.
    let slow = Archive::start();
    slow.server
        .on_prefix("/cdx/search/cdx", |_, _| Reply::new(200, "application/json", "[]").delay(Duration::from_secs(30)));
    let p = Project::new();
    config(&p, &slow, "");
    p.claims("fs.toml", &sheet(&list));
    let t = Instant::now();
    let out = p.run(&["check", "--format", "json", "--quiet", "--retries", "0", "--timeout", "2"]);
    let (run, doc): (Run, Value) =
        (Run { code: out.code, stdout: String::new(), stderr: out.stderr }, serde_json::from_str(&out.stdout).unwrap());
    let took = t.elapsed();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert!(reasons(&doc, "c0").contains("timed out"), "{}", reasons(&doc, "c0"));
    assert_eq!(slow.cdx().len(), 1, "a host that timed out is not asked again in the run");
    // Nothing is kept from a failed look-up: the next run asks again.
    let lookups: i64 = p.db().query_row("SELECT COUNT(*) FROM archive_lookups", [], |r| r.get(0)).unwrap();
    assert_eq!(lookups, 0);

    // Nonsense: an HTML error page instead of the index.
    let junk = Archive::start();
    junk.server.on_prefix("/cdx/search/cdx", |_, _| Reply::html("<html><body>Service unavailable</body></html>"));
    let p = Project::new();
    config(&p, &junk, "");
    p.claims("fs.toml", &sheet(&list));
    let (run, doc) = p.check_json(&["--retries", "0"]);
    assert_eq!(run.code, 1);
    assert!(reasons(&doc, "c0").contains("not a CDX list"), "{}", reasons(&doc, "c0"));
}

#[test]
fn a_rate_limited_archive_is_waited_for() {
    let web = Server::start();
    web.set("/dead", Reply::status(404));
    let dead = web.url("/dead");
    let a = Archive::start();
    a.add("20220820101500", &dead, 200, &page("OCHA", IDPS));
    // The first index request is refused with 429 and Retry-After: 1.
    let caps = a.caps.clone();
    let base_answer = move |req: &Request| {
        let url = param(&req.path, "url").unwrap_or_default();
        let rows: Vec<Value> = caps
            .lock()
            .unwrap()
            .iter()
            .filter(|c| c.url == url)
            .map(|c| serde_json::json!(["k", c.ts, c.url, "text/html", c.status.to_string(), "D", "1"]))
            .collect();
        Reply::new(200, "application/json", serde_json::to_string(&rows).unwrap())
    };
    a.server.on_prefix("/cdx/search/cdx", move |req, n| {
        if n == 0 {
            Reply::new(429, "text/plain", "slow down").header("Retry-After", "1")
        } else {
            base_answer(req)
        }
    });
    let p = Project::new();
    config(&p, &a, "");
    p.claims("fs.toml", &sheet(&[("idps", &["401,850"], q(&dead))]));
    let (_, doc) = p.check_json(&["--retries", "0"]);
    assert_eq!(source(&doc, &dead)["archive"]["quotes_found"], true, "{}", source(&doc, &dead));
    let cdx = a.cdx();
    assert_eq!(cdx.len(), 2);
    assert!(cdx[1].at - cdx[0].at >= Duration::from_millis(950), "Retry-After honoured");
}

#[test]
fn a_claim_is_judged_on_its_archived_copy() {
    let web = Server::start();
    web.set("/dead", Reply::status(404));
    web.set("/dead2", Reply::status(404));
    let (dead, dead2) = (web.url("/dead"), web.url("/dead2"));
    let a = Archive::start();
    a.add("20220803000000", &dead, 200, &page("OCHA", IDPS));
    a.add("20220804000000", &dead2, 200, &page("OCHA", IDPS));
    let copy = format!("{}/web/20220803000000/{dead}", a.base());
    let copy2 = format!("{}/web/20220804000000/{dead2}", a.base());
    let p = Project::new();
    config(&p, &a, "lookup = \"never\"\n");
    p.claims(
        "fs.toml",
        &sheet(&[
            ("held", &["401,850"], format!("{{ url = {}, archived = {} }}", q(&dead), q(&copy))),
            ("not-held", &["999,999"], format!("{{ url = {}, archived = {} }}", q(&dead2), q(&copy2))),
        ]),
    );
    let (run, doc) = p.check_json(&["--retries", "0"]);
    assert_eq!(run.code, 1, "the unsupported claim fails the run");
    let held = claim(&doc, "held");
    assert_eq!(held["verdict"], "ok", "{held}");
    assert_eq!(held["sources"][0]["via"], "archive");
    assert_eq!(held["sources"][0]["health"], "broken");
    assert_eq!(held["sources"][0]["quotes"][0]["found"], true);
    assert!(reasons(&doc, "held")
        .contains(&format!("judged on its archived copy of 2022-08-03 (it holds the claim's quotes): {copy}")));
    assert_eq!(source(&doc, &dead)["health"], "broken");
    assert_eq!(source(&doc, &dead)["archive"]["quotes_found"], true);
    let not = claim(&doc, "not-held");
    assert_eq!(not["verdict"], "unsupported", "{not}");
    assert_eq!(not["sources"][0]["via"], "archive");
    assert!(reasons(&doc, "not-held").contains("\"999,999\" not found in any source"), "{}", reasons(&doc, "not-held"));
    assert!(a.cdx().is_empty(), "a cited copy needs no look-up");
    assert_eq!(a.server.hits(&format!("/web/20220803000000id_/{dead}")), 1, "read in original form");
    // Offline, the stored copy still decides.
    let (_, off) = p.check_json(&["--offline"]);
    assert_eq!(claim(&off, "held")["verdict"], "ok");
    assert_eq!(a.server.hits(&format!("/web/20220803000000id_/{dead}")), 1, "an archived copy is read once");
}

#[test]
fn the_archive_command_suggests_and_writes_keeping_comments() {
    let web = Server::start();
    web.set("/dead", Reply::status(404));
    web.set("/ok", Reply::article("Live", IDPS));
    let (dead, ok) = (web.url("/dead"), web.url("/ok"));
    let a = Archive::start();
    a.add("20220803000000", &dead, 200, &page("OCHA", IDPS));
    let p = Project::new();
    config(&p, &a, "lookup = \"never\"\n");
    let file = p.claims("fs.toml", &sheet(&[("idps", &["401,850"], q(&dead)), ("live", &["401,850"], q(&ok))]));
    let (_, doc) = p.check_json(&["--retries", "0"]);
    assert!(source(&doc, &dead)["archive"].is_null(), "lookup = never");
    let run = p.run(&["archive", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let j: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(j["schema"], 1);
    let list = j["archived"].as_array().unwrap();
    assert_eq!(list.len(), 1, "only the broken source: {list:?}");
    let s = &list[0];
    let copy = format!("{}/web/20220803000000/{dead}", a.base());
    assert_eq!(s["factsheet"], "fs");
    assert_eq!(s["claim"], "idps");
    assert_eq!(s["url"], dead.as_str());
    assert_eq!(s["health"], "broken");
    assert_eq!(s["archived_url"], copy.as_str());
    assert_eq!(s["archived_at"], "2022-08-03T00:00:00Z");
    assert_eq!(s["status"], 200);
    assert_eq!(s["quotes"][0], serde_json::json!({"text": "401,850", "found": true}));
    assert!(s["reason"].as_str().unwrap().contains("holds \"401,850\""));
    let text = p.run(&["archive"]);
    assert!(text.stdout.starts_with("claim"), "{}", text.stdout);
    assert!(text.stdout.contains("fs/idps") && text.stdout.contains("2022-08-03") && text.stdout.contains("1/1"));
    let before = std::fs::read_to_string(&file).unwrap();
    let w = p.run(&["archive", "--write"]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(
        after.contains(&format!("{{ url = {}, archived = {} }},   # the cited page", q(&dead), q(&copy))),
        "{after}"
    );
    assert!(after.starts_with("# Reviewed by hand; keep the comments.\n"));
    let changed = before.lines().zip(after.lines()).filter(|(x, y)| x != y).count();
    assert_eq!(changed, 1, "only the written line changes:\n{after}");
    assert_eq!(p.run(&["validate"]).code, 0);
    // The next check judges the claim on the written copy.
    let (_, doc) = p.check_json(&["--retries", "0"]);
    assert_eq!(claim(&doc, "idps")["verdict"], "ok");
    assert_eq!(claim(&doc, "idps")["sources"][0]["via"], "archive");
    // A target that matches nothing is bad input.
    assert_eq!(p.run(&["archive", "fs/nope"]).code, 2);
}

#[test]
fn save_page_now_captures_live_sources_once() {
    let web = Server::start();
    web.set("/live", Reply::article("Live", IDPS));
    let live = web.url("/live");
    let a = Archive::start();
    a.add("20200101000000", &live, 200, &page("Old", IDPS));
    let caps = a.caps.clone();
    let saved_ts = jiff::Timestamp::now().strftime("%Y%m%d%H%M%S").to_string();
    a.server.on("/save", |_, n| {
        if n == 0 {
            Reply::new(429, "application/json", "{\"message\": \"too many\"}").header("Retry-After", "1")
        } else {
            Reply::new(200, "application/json", "{\"url\": \"x\", \"job_id\": \"spn2-abc\"}")
        }
    });
    let ts = saved_ts.clone();
    let u = live.clone();
    a.server.on("/save/status/spn2-abc", move |_, n| {
        if n == 0 {
            return Reply::new(200, "application/json", "{\"status\": \"pending\", \"job_id\": \"spn2-abc\"}");
        }
        caps.lock().unwrap().push(Cap { ts: ts.clone(), url: u.clone(), status: 200, body: page("Live", IDPS) });
        Reply::new(
            200,
            "application/json",
            format!("{{\"status\": \"success\", \"job_id\": \"spn2-abc\", \"original_url\": \"{u}\", \"timestamp\": \"{ts}\"}}"),
        )
    });
    let p = Project::new();
    config(&p, &a, "");
    let file = p.claims("fs.toml", &sheet(&[("live", &["401,850"], q(&live))]));
    let run = p
        .command(&["archive", "--save", "--within", "30", "--write", "--format", "json"])
        .env("CITEWATCH_ARCHIVE_ACCESS_KEY", "key")
        .env("CITEWATCH_ARCHIVE_SECRET_KEY", "secret")
        .output()
        .unwrap();
    let run = Run::from(run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let j: Value = serde_json::from_str(&run.stdout).unwrap();
    let copy = format!("{}/web/{saved_ts}/{live}", a.base());
    assert_eq!(j["saved"][0]["status"], "saved", "{j}");
    assert_eq!(j["saved"][0]["archived_url"], copy.as_str());
    let posts = a.server.requests("/save");
    assert_eq!(posts.len(), 2, "429 then the job");
    assert!(posts[1].at - posts[0].at >= Duration::from_millis(950), "Retry-After honoured");
    assert_eq!(posts[1].method, "POST");
    assert_eq!(
        String::from_utf8_lossy(&posts[1].body),
        format!("url={}", url::form_urlencoded::byte_serialize(live.as_bytes()).collect::<String>())
    );
    assert_eq!(posts[1].headers.get("authorization").map(String::as_str), Some("LOW key:secret"));
    assert!(a.server.hits("/save/status/spn2-abc") >= 2, "polled until done");
    let saved: i64 =
        p.db().query_row("SELECT COUNT(*) FROM archive_saves WHERE status = 'success'", [], |r| r.get(0)).unwrap();
    assert_eq!(saved, 1);
    assert!(std::fs::read_to_string(&file).unwrap().contains(&format!("archived = {}", q(&copy))));
    // Captured within the window now: nothing more to save.
    let again = p.run(&["archive", "--save"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("recent"), "{}", again.stdout);
    assert_eq!(a.server.requests("/save").len(), 2);
}

#[test]
fn a_source_named_on_the_command_line_is_looked_up_without_a_check() {
    let web = Server::start();
    let dead = web.url("/dead");
    let a = Archive::start();
    a.add("20220803000000", &dead, 200, &page("OCHA", IDPS));
    let p = Project::new();
    config(&p, &a, "");
    p.claims("fs.toml", &sheet(&[("idps", &["401,850"], q(&dead))]));
    // Nothing named: nothing known to be broken yet.
    let none = p.run(&["archive"]);
    assert_eq!(none.code, 0, "{}", none.stderr);
    assert!(none.stdout.contains("run `citewatch check` first"), "{}", none.stdout);
    assert!(a.cdx().is_empty());
    let run = p.run(&["archive", "fs/idps", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let j: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(j["archived"][0]["health"], Value::Null, "never checked");
    assert_eq!(j["archived"][0]["archived_at"], "2022-08-03T00:00:00Z");
    assert_eq!(j["archived"][0]["quotes"][0]["found"], true);
}
