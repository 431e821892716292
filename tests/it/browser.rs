//! The HTML report in a real browser: headless Chromium driven through
//! chromedriver's WebDriver HTTP API on the loopback interface, with a
//! minimal hand-written HTTP/1.1 client (no extra dependencies).
//!
//! When `/usr/bin/chromium` or `/usr/bin/chromedriver` is missing the tests
//! print why and pass, except under `CI`, where they fail. Install them with
//! `apt-get install -y chromium chromium-driver`.
//!
//! `bench_10k` (ignored) renders 10,000 claims and 10,000 sources and times
//! the writer and a filter keystroke in the browser:
//! `cargo test --test it -- --ignored bench_10k --nocapture`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use citewatch::report::fixture::{big_report, sample_report, HOSTILE_CLAIM, HOSTILE_TITLE};
use citewatch::report::{render, Format};
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Whether the browser is there; prints why not, and panics under CI.
fn browser_available() -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER].into_iter().filter(|p| !Path::new(p).exists()).collect();
    if missing.is_empty() {
        return true;
    }
    let msg = format!(
        "browser test skipped: {} not found (apt-get install -y chromium chromium-driver)",
        missing.join(" and ")
    );
    if std::env::var_os("CI").is_some() {
        panic!("{msg}; CI is set, so this is a failure");
    }
    eprintln!("{msg}");
    false
}

/// One HTTP/1.1 exchange with chromedriver; returns (status, JSON body).
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to chromedriver");
    stream.set_read_timeout(Some(Duration::from_secs(300))).unwrap();
    let payload = body.map(|b| b.to_string()).unwrap_or_default();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nAccept: application/json\r\n"
    );
    if body.is_some() {
        req.push_str(&format!(
            "Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n",
            payload.len()
        ));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).unwrap();
    stream.write_all(payload.as_bytes()).unwrap();
    // Read the head, then exactly Content-Length bytes (or the chunks, or to
    // the end): chromedriver may keep the connection open.
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    let split = loop {
        if let Some(p) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = stream.read(&mut buf).expect("read chromedriver's answer");
        assert!(n > 0, "chromedriver closed the connection early");
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let mut body = raw[split + 4..].to_vec();
    let status: u16 = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status line");
    let length =
        head.lines().find_map(|l| l.strip_prefix("content-length:").and_then(|v| v.trim().parse::<usize>().ok()));
    let chunked = head.contains("transfer-encoding: chunked");
    loop {
        let done = match length {
            Some(n) => body.len() >= n,
            None if chunked => body.windows(5).any(|w| w == b"0\r\n\r\n"),
            None => false,
        };
        if done {
            break;
        }
        let n = stream.read(&mut buf).expect("read chromedriver's answer");
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buf[..n]);
    }
    if chunked {
        body = dechunk(&body);
    }
    let value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body)
            .unwrap_or_else(|e| panic!("bad JSON from chromedriver ({e}): {}", String::from_utf8_lossy(&body)))
    };
    (status, value)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n").expect("chunk size");
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..eol]).split(';').next().unwrap().trim(), 16)
            .expect("hex chunk size");
        data = &data[eol + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// A chromedriver child process with one browser session.
struct Browser {
    child: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(width: u32, height: u32) -> Browser {
        // A free port, then chromedriver on it; started again on another
        // port if it exits (the port taken in between by another process).
        let spawn = || {
            let port = {
                let l = TcpListener::bind("127.0.0.1:0").unwrap();
                l.local_addr().unwrap().port()
            };
            let child = Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .arg("--allowed-ips=127.0.0.1")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start chromedriver");
            (child, port)
        };
        let (child, port) = spawn();
        let mut b = Browser { child, port, session: String::new(), _profile: tempfile::tempdir().unwrap() };
        // A loaded machine (a CI runner building in parallel) can take a while.
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if TcpStream::connect(("127.0.0.1", b.port)).is_ok() {
                // A driver that exits between the two connections is started
                // again below, not a failure.
                let port = b.port;
                let ready = std::panic::catch_unwind(|| http(port, "GET", "/status", None))
                    .is_ok_and(|(_, v)| v["value"]["ready"] == json!(true));
                if ready {
                    break;
                }
            }
            if b.child.try_wait().ok().flatten().is_some() {
                (b.child, b.port) = spawn();
            }
            assert!(Instant::now() < deadline, "chromedriver did not come up");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = b._profile.path().display().to_string();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    format!("--user-data-dir={profile}"),
                    format!("--window-size={width},{height}"),
                    "--hide-scrollbars", "--force-device-scale-factor=1",
                ]
            },
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        // The port it listens on now (it may have been started again).
        let (status, v) = http(b.port, "POST", "/session", Some(&caps));
        assert_eq!(status, 200, "new session: {v}");
        b.session = v["value"]["sessionId"].as_str().unwrap().to_string();
        b
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let path = format!("/session/{}{}", self.session, path);
        let (status, v) = http(self.port, method, &path, body.as_ref());
        (status, v["value"].clone())
    }

    fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, v) = self.cmd(method, path, body);
        assert_eq!(status, 200, "{method} {path}: {v}");
        v
    }

    fn goto(&self, url: &str) {
        self.ok("POST", "/url", Some(json!({ "url": url })));
    }

    fn js(&self, script: &str, args: Value) -> Value {
        self.ok("POST", "/execute/sync", Some(json!({"script": script, "args": args})))
    }

    fn find(&self, css: &str) -> String {
        let v = self.ok("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        v[ELEMENT].as_str().unwrap_or_else(|| panic!("no element {css}: {v}")).to_string()
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.ok("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.ok("POST", &format!("/element/{e}/value"), Some(json!({ "text": text })));
    }

    fn screenshot(&self, to: &Path) {
        let v = self.ok("GET", "/screenshot", None);
        let png = base64_decode(v.as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"));
        std::fs::write(to, png).unwrap();
    }

    fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.ok("POST", "/goog/cdp/execute", Some(json!({"cmd": cmd, "params": params})))
    }

    fn browser_log(&self) -> Vec<Value> {
        let v = self.ok("POST", "/se/log", Some(json!({"type": "browser"})));
        v.as_array().cloned().unwrap_or_default()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.cmd("DELETE", "", None);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("bad base64"),
        }
    };
    let clean: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    for chunk in clean.chunks(4) {
        let pad = chunk.iter().filter(|c| **c == b'=').count();
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= if *c == b'=' { 0 } else { val(*c) } << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    out
}

fn write_report(
    dir: &Path,
    name: &str,
    doc: &citewatch::report::model::RunReport,
    extras: &citewatch::report::ReportExtras,
) -> PathBuf {
    let path = dir.join(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    render(doc, extras, Format::Html, &mut f).unwrap();
    f.flush().unwrap();
    path
}

fn visible(b: &Browser, table: &str) -> i64 {
    b.js(
        "return Array.prototype.filter.call(document.querySelectorAll('#' + arguments[0] + '-table tbody tr:not(.dr)'), function (r) { return !r.hidden; }).length;",
        json!([table]),
    )
    .as_i64()
    .unwrap()
}

fn claim_order(b: &Browser) -> Vec<String> {
    let v = b.js(
        "return Array.prototype.map.call(document.querySelectorAll('#claims-table tbody td.id'), function (c) { return c.textContent; });",
        json!([]),
    );
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
}

/// Waits until `cond` holds or 5 s pass.
fn wait_for(mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    cond()
}

#[test]
fn html_report_in_chromium() {
    if !browser_available() {
        return;
    }
    let (doc, extras) = sample_report();
    let dir = tempfile::tempdir().unwrap();
    let path = write_report(dir.path(), "report.html", &doc, &extras);
    let b = Browser::start(1440, 1000);
    b.goto(&format!("file://{}", path.display()));

    assert_eq!(b.js("return typeof window.citewatch;", json!([])), json!("object"), "script did not run (CSP hash?)");

    // full-page screenshot, with the diff excerpts open
    b.js("document.querySelectorAll('details').forEach(function (d) { d.open = true; });", json!([]));
    let height = b.js("return document.documentElement.scrollHeight;", json!([])).as_i64().unwrap();
    b.ok("POST", "/window/rect", Some(json!({"width": 1440, "height": height.clamp(600, 6000) + 140})));
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshot.png");
    b.screenshot(&shot);
    eprintln!("screenshot: {}", shot.display());

    // rows
    let rows = b.js("return document.querySelectorAll('#claims-table tbody tr:not(.dr)').length;", json!([]));
    assert_eq!(rows.as_u64().unwrap() as usize, doc.claims.len());
    let rows = b.js("return document.querySelectorAll('#sources-table tbody tr').length;", json!([]));
    assert_eq!(rows.as_u64().unwrap() as usize, doc.sources.len());

    // hostile strings are text, nothing of them ran
    let title_shown = b.js(
        "var want = arguments[0]; return Array.prototype.some.call(document.querySelectorAll('#sources-table .ttl'), function (e) { return e.textContent === want; });",
        json!([HOSTILE_TITLE]),
    );
    assert_eq!(title_shown, json!(true), "hostile title not shown as text");
    let claim_shown = b.js(
        "return document.getElementById('claims-table').textContent.indexOf(arguments[0]) !== -1;",
        json!([HOSTILE_CLAIM]),
    );
    assert_eq!(claim_shown, json!(true), "hostile claim not shown as text");
    let state = b.js(
        "return [typeof window.__xss, document.scripts.length, document.images.length, document.querySelectorAll('a[href^=\"javascript\" i]').length];",
        json!([]),
    );
    assert_eq!(state, json!(["undefined", 1, 0, 0]));
    let (status, v) = b.cmd("GET", "/alert/text", None);
    assert_eq!(status, 404, "an alert is open: {v}");

    // sort by clicking the Claim header: ascending, then descending
    let before = claim_order(&b);
    b.click("#claims-table thead th:nth-child(2) button");
    let asc = claim_order(&b);
    assert_ne!(asc, before, "order did not change");
    let mut sorted = before.clone();
    sorted.sort();
    assert_eq!(asc, sorted);
    assert_eq!(
        b.js(
            "return document.querySelector('#claims-table thead th:nth-child(2)').getAttribute('aria-sort');",
            json!([])
        ),
        json!("ascending")
    );
    b.click("#claims-table thead th:nth-child(2) button");
    let desc = claim_order(&b);
    sorted.reverse();
    assert_eq!(desc, sorted);
    // sort sources by similarity (numeric, empty last)
    b.click("#sources-table thead th:nth-child(6) button");
    let sims = b.js(
        "return Array.prototype.map.call(document.querySelectorAll('#sources-table tbody tr'), function (r) { return r.cells[5].textContent; });",
        json!([]),
    );
    assert_eq!(sims[0], json!("100.0%"));
    assert_eq!(sims[sims.as_array().unwrap().len() - 1], json!(""));

    // free-text filter (debounced)
    b.type_into("#claims-q", "wind farms");
    assert!(wait_for(|| visible(&b, "claims") == 1), "text filter");
    assert_eq!(
        b.js("return document.getElementById('claims-count').textContent;", json!([])),
        json!(format!("1 of {} shown", doc.claims.len()))
    );
    b.js("var q = document.getElementById('claims-q'); q.value = ''; q.dispatchEvent(new Event('input'));", json!([]));
    assert!(wait_for(|| visible(&b, "claims") as usize == doc.claims.len()));

    // verdict chips
    let flagged = doc.claims.iter().filter(|c| c.verdict.flagged()).count() as i64;
    b.click("input[data-chip=claims][value=ok]");
    assert_eq!(visible(&b, "claims"), flagged);
    b.click("input[data-chip=claims][value=broken]");
    let broken = doc.summary.claims.broken as i64;
    assert_eq!(visible(&b, "claims"), flagged - broken);
    // health chips on sources
    b.click("input[data-chip=sources][value=ok]");
    assert_eq!(visible(&b, "sources") as usize, doc.sources.len() - doc.summary.sources.ok);

    // print: no controls, every row, details expanded
    b.js("window.dispatchEvent(new Event('beforeprint'));", json!([]));
    b.cdp("Emulation.setEmulatedMedia", json!({"media": "print"}));
    let print = b.js(
        "var hidden = document.querySelector('#claims-table tbody tr[hidden]');\
         return [getComputedStyle(document.querySelector('.toolbar')).display,\
                 hidden ? getComputedStyle(hidden).display : 'none-hidden',\
                 document.querySelectorAll('details:not([open])').length];",
        json!([]),
    );
    assert_eq!(print, json!(["none", "table-row", 0]));
    b.cdp("Emulation.setEmulatedMedia", json!({"media": ""}));

    // the console stayed clean
    let severe: Vec<Value> = b.browser_log().into_iter().filter(|e| e["level"] == json!("SEVERE")).collect();
    assert!(severe.is_empty(), "console errors: {severe:?}");
}

#[test]
#[ignore = "benchmark: run with --ignored --nocapture"]
fn bench_10k() {
    let (doc, extras) = big_report(10_000, 10_000);
    let mut buf = Vec::new();
    let mut best = Duration::MAX;
    for _ in 0..3 {
        buf.clear();
        let t = Instant::now();
        render(&doc, &extras, Format::Html, &mut buf).unwrap();
        best = best.min(t.elapsed());
    }
    let html_size = buf.len();
    println!(
        "html: {} claims, {} sources: {:.1} ms (best of 3), {:.2} MB",
        doc.claims.len(),
        doc.sources.len(),
        best.as_secs_f64() * 1e3,
        html_size as f64 / 1e6
    );
    for f in [Format::Md, Format::Csv, Format::Json, Format::Junit] {
        let mut out = Vec::new();
        let t = Instant::now();
        render(&doc, &extras, f, &mut out).unwrap();
        println!("{f:?}: {:.1} ms, {:.2} MB", t.elapsed().as_secs_f64() * 1e3, out.len() as f64 / 1e6);
    }
    if !browser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write_report(dir.path(), "big.html", &doc, &extras);
    let b = Browser::start(1440, 1000);
    let t = Instant::now();
    b.goto(&format!("file://{}", path.display()));
    println!("browser: page load {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let script = r#"
        var name = arguments[0], q = document.getElementById(name + '-q'), out = [];
        ['s', 'si', 'sit', 'site1', 'site12', 'site1', ''].forEach(function (v) {
            q.value = v;
            var t0 = performance.now();
            var n = window.citewatch.apply(name);
            var t1 = performance.now();
            void document.body.offsetHeight;
            var t2 = performance.now();
            out.push([v, n, Math.round(t1 - t0), Math.round(t2 - t0)]);
        });
        var t0 = performance.now();
        window.citewatch.sort(name, 1);
        var t1 = performance.now();
        void document.body.offsetHeight;
        out.push(['sort', 0, Math.round(t1 - t0), Math.round(performance.now() - t0)]);
        return out;
    "#;
    for table in ["claims", "sources"] {
        let v = b.js(script, json!([table]));
        println!("browser {table}: [query, rows shown, filter ms, filter+layout ms]");
        for row in v.as_array().unwrap() {
            println!("  {row}");
        }
    }
    let severe: Vec<Value> = b.browser_log().into_iter().filter(|e| e["level"] == json!("SEVERE")).collect();
    assert!(severe.is_empty(), "console errors: {severe:?}");
}

/// The report of a store filled by real checks, written by the binary, in the browser.
#[test]
fn report_of_a_checked_store_in_chromium() {
    use crate::support::{claim, factsheet, q, Project, Reply, Server};
    if !browser_available() {
        return;
    }
    let s = Server::start();
    let text = "OCHA counted 401,850 displaced persons.\n\nAttackers killed 35 people in Moura.";
    s.set("/ok", Reply::article("Update", text));
    s.set("/evil", Reply::article(HOSTILE_TITLE, text));
    s.set("/changing", Reply::article("Changing", text));
    s.set("/gone", Reply::status(404));
    s.set("/forbidden", Reply::status(403));
    s.set("/moved", Reply::redirect(301, "/ok"));
    s.set("/down", Reply::status(500));
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "all",
            &[
                ("fine", &["401,850"], &[q(&s.url("/ok")), q(&s.url("/moved"))]),
                ("hostile", &[], &[q(&s.url("/evil"))]),
                ("changed", &[], &[q(&s.url("/changing"))]),
                ("missing", &["999,999 refugees"], &[q(&s.url("/ok"))]),
                ("gone", &[], &[q(&s.url("/gone"))]),
                ("refused", &[], &[q(&s.url("/forbidden")), q(&s.url("/down"))]),
            ],
        ),
    );
    assert_eq!(p.run(&["check", "--quiet", "--retries", "0"]).code, 1);
    s.set("/changing", Reply::article("Changing", &text.replace("Moura", "Moura and Gao")));
    assert_eq!(p.run(&["check", "--quiet", "--retries", "0"]).code, 1);
    let (_, doc) = p.check_json(&["--offline"]);
    for (id, verdict) in [
        ("fine", "ok"),
        ("changed", "changed"),
        ("missing", "unsupported"),
        ("gone", "broken"),
        ("refused", "unverified"),
    ] {
        assert_eq!(claim(&doc, id)["verdict"], verdict, "{id}");
    }
    let html = p.path().join("report.html");
    assert_eq!(p.run(&["report", "--output", html.to_str().unwrap()]).code, 0);

    let b = Browser::start(1440, 1000);
    b.goto(&format!("file://{}", html.display()));
    assert_eq!(b.js("return typeof window.citewatch;", json!([])), json!("object"));
    let rows = b.js("return document.querySelectorAll('#claims-table tbody tr:not(.dr)').length;", json!([]));
    assert_eq!(rows, json!(6));
    let rows = b.js("return document.querySelectorAll('#sources-table tbody tr').length;", json!([]));
    assert_eq!(rows, json!(7));
    let title_shown = b.js(
        "return document.getElementById('sources-table').textContent.indexOf(arguments[0]) !== -1;",
        json!([HOSTILE_TITLE]),
    );
    assert_eq!(title_shown, json!(true), "the hostile page title is shown as text");
    assert_eq!(b.js("return [typeof window.__xss, document.scripts.length];", json!([])), json!(["undefined", 1]));
    assert_eq!(
        b.js("return document.querySelectorAll('details.diff').length;", json!([])),
        json!(1),
        "one changed source"
    );
    b.click("input[data-chip=claims][value=ok]");
    assert_eq!(visible(&b, "claims"), 4, "ok claims hidden by their chip");
    b.js("document.querySelectorAll('details').forEach(function (d) { d.open = true; });", json!([]));
    b.screenshot(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-store-screenshot.png"));
    let severe: Vec<Value> = b.browser_log().into_iter().filter(|e| e["level"] == json!("SEVERE")).collect();
    assert!(severe.is_empty(), "console errors: {severe:?}");
}

#[test]
fn the_diff_sits_under_its_claim_and_marks_the_changed_words() {
    use crate::support::{factsheet, q, Project, Reply, Server};
    if !browser_available() {
        return;
    }
    let s = Server::start();
    let text = "OCHA counted 401,850 displaced persons in the country that year.\n\nAttackers killed 35 people in Moura, officials said on Tuesday.";
    s.set("/changing", Reply::article("Changing", text));
    s.set("/ok", Reply::article("Fine", text));
    s.set("/gone", Reply::status(404));
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "fs",
            &[
                ("a-fine", &[], &[q(&s.url("/ok"))]),
                ("b-changed", &[], &[q(&s.url("/changing"))]),
                ("c-gone", &[], &[q(&s.url("/gone"))]),
                ("d-also-changed", &[], &[q(&s.url("/ok")), q(&s.url("/changing"))]),
            ],
        ),
    );
    assert_eq!(p.run(&["check", "--quiet", "--retries", "0"]).code, 1);
    s.set("/changing", Reply::article("Changing", &text.replace("35 people", "53 people")));
    assert_eq!(p.run(&["check", "--quiet", "--retries", "0"]).code, 1);
    let html = p.path().join("report.html");
    assert_eq!(p.run(&["report", "-o", html.to_str().unwrap()]).code, 0);

    let b = Browser::start(1280, 900);
    b.goto(&format!("file://{}", html.display()));
    assert_eq!(b.js("return typeof window.citewatch;", json!([])), json!("object"));
    // One diff row per claim citing the changed source, each right under its claim.
    let layout = |b: &Browser| {
        b.js(
            "return Array.prototype.map.call(document.querySelectorAll('#claims-table tr.dr'), function (d) {\
               var c = d.previousElementSibling, t = document.getElementById('claims-table');\
               var dr = d.getBoundingClientRect(), cr = c.getBoundingClientRect(), tr = t.getBoundingClientRect();\
               return {claim: c.querySelector('td.id').textContent, below: dr.top >= cr.bottom - 1,\
                       width: dr.width / tr.width, px: d.querySelector('pre').getBoundingClientRect().width, hidden: d.hidden};\
             });",
            json!([]),
        )
    };
    let rows = layout(&b);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let claims: Vec<&str> = rows.iter().map(|r| r["claim"].as_str().unwrap()).collect();
    assert_eq!(claims, ["fs/b-changed", "fs/d-also-changed"]);
    for r in rows {
        assert_eq!(r["below"], json!(true), "{r}");
        assert!(r["width"].as_f64().unwrap() > 0.97, "the diff spans the table: {r}");
        assert!(r["px"].as_f64().unwrap() > 800.0, "the diff is wide, not a narrow column: {r}");
    }
    // The changed words are marked, as the terminal diff marks them; lines are not coloured whole.
    let marks = b.js(
        "var d = document.querySelector('#claims-table tr.dr');\
         var del = d.querySelectorAll('del'), ins = d.querySelectorAll('ins'), line = d.querySelector('pre span.add');\
         return [Array.prototype.map.call(del, function (e) { return e.textContent; }),\
                 Array.prototype.map.call(ins, function (e) { return e.textContent; }),\
                 getComputedStyle(line).backgroundColor, getComputedStyle(ins[0]).backgroundColor,\
                 getComputedStyle(del[0]).textDecorationLine];",
        json!([]),
    );
    assert_eq!(marks[0], json!(["35"]), "{marks}");
    assert_eq!(marks[1], json!(["53"]), "{marks}");
    assert_eq!(marks[2], json!("rgba(0, 0, 0, 0)"), "a changed line has no background of its own");
    assert_ne!(marks[3], json!("rgba(0, 0, 0, 0)"), "an added word is highlighted");
    assert_eq!(marks[4], json!("line-through"));
    // Claims and sources link both ways.
    let links = b.js(
        "var a = document.querySelector('#claims-table tr.dr summary a');\
         var src = document.querySelector(a.getAttribute('href'));\
         var back = src.querySelector('a.to-diff');\
         return [src.id, src.textContent.indexOf('/changing') !== -1, back ? back.getAttribute('href') : null,\
                 back ? !!document.querySelector(back.getAttribute('href')) : false];",
        json!([]),
    );
    assert_eq!(links[1], json!(true), "{links}");
    assert_eq!(links[3], json!(true), "{links}");
    b.click("#claims-table tr.dr summary a");
    assert!(wait_for(|| b.js("return location.hash;", json!([])).as_str().unwrap().starts_with("#s")));
    b.click(".to-diff");
    assert!(wait_for(|| b.js("return location.hash;", json!([])).as_str().unwrap().ends_with("-diff")));
    // Sorting and filtering keep each diff with its claim.
    b.click("#claims-table thead th:nth-child(2) button");
    b.click("#claims-table thead th:nth-child(2) button");
    let rows = layout(&b);
    let claims: Vec<&str> = rows.as_array().unwrap().iter().map(|r| r["claim"].as_str().unwrap()).collect();
    assert_eq!(claims, ["fs/d-also-changed", "fs/b-changed"], "descending by claim, diffs moved along");
    b.click("input[data-chip=claims][value=changed]");
    let hidden: Vec<bool> = layout(&b).as_array().unwrap().iter().map(|r| r["hidden"].as_bool().unwrap()).collect();
    assert_eq!(hidden, [true, true], "hidden with their claims");
    b.click("input[data-chip=claims][value=changed]");
    b.screenshot(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-diff-screenshot.png"));
    let severe: Vec<Value> = b.browser_log().into_iter().filter(|e| e["level"] == json!("SEVERE")).collect();
    assert!(severe.is_empty(), "console errors: {severe:?}");
}
