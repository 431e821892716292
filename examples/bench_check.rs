//! Throughput of `citewatch check` on thousands of URLs: a simulated web of
//! N pages (20 KB of HTML each, 20–60 ms of latency) spread over 8 loopback
//! hosts, checked by the release binary twice (first: everything new; second:
//! everything unchanged, validators sent back and 304s for half the pages).
//!
//! `cargo build --release && cargo run --release --example bench_check [N]`
//!
//! With `LYCHEE=/path/to/lychee` set, lychee checks the same URLs with the
//! same limits, and with its defaults, for comparison.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

fn serve(listener: TcpListener) {
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                return;
            }
            let mut etag_match = false;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                    break;
                }
                if h.to_ascii_lowercase().starts_with("if-none-match: \"v1\"") {
                    etag_match = true;
                }
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let n: u64 = path.trim_start_matches("/page/").parse().unwrap_or(0);
            std::thread::sleep(Duration::from_millis(20 + n % 41));
            let mut out = stream;
            if etag_match && n.is_multiple_of(2) {
                let _ = out.write_all(b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n");
                return;
            }
            let mut body = format!(
                "<!DOCTYPE html><html><head><title>Page {n}</title></head><body><nav>Home</nav><main><h1>Page {n}</h1>"
            );
            while body.len() < 20_000 {
                body.push_str(&format!(
                    "<p>Paragraph about page {n}: 401,850 people were displaced in region {}.</p>",
                    body.len()
                ));
            }
            body.push_str("</main></body></html>");
            let etag = if n.is_multiple_of(2) { "ETag: \"v1\"\r\n" } else { "" };
            let _ = write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n{etag}Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = out.write_all(body.as_bytes());
        });
    }
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let bin = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/citewatch");
    assert!(bin.exists(), "build the release binary first: cargo build --release");
    let mut hosts = Vec::new();
    for i in 1..=8 {
        let l = TcpListener::bind((format!("127.0.0.{i}").as_str(), 0))
            .or_else(|_| TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        hosts.push(l.local_addr().unwrap());
        std::thread::spawn(move || serve(l));
    }
    let dir = tempfile::tempdir().unwrap();
    let mut toml = String::from("[factsheet]\nid = \"bench\"\ntitle = \"Bench\"\n");
    for i in 0..n {
        let host = hosts[i % hosts.len()];
        toml.push_str(&format!("\n[[claim]]\nid = \"c{i}\"\ntext = \"Claim {i}.\"\nquotes = [\"401,850 people\"]\nsources = [\"http://{host}/page/{i}\"]\n"));
    }
    std::fs::write(dir.path().join("claims.toml"), toml).unwrap();
    for (label, per_host) in [("first run (all new)", "16"), ("second run (unchanged, 304s)", "16")] {
        let t = Instant::now();
        let out = std::process::Command::new(&bin)
            .current_dir(dir.path())
            .args(["--claims", "claims.toml", "check", "--quiet", "--per-host", per_host, "--concurrency", "128"])
            .output()
            .unwrap();
        let took = t.elapsed();
        let last = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or("").to_string();
        println!("{label:<32} {:>6.2} s  {:>6.0} URLs/s   {last}", took.as_secs_f64(), n as f64 / took.as_secs_f64());
    }
    let t = Instant::now();
    let out = std::process::Command::new(&bin)
        .current_dir(dir.path())
        .args(["--claims", "claims.toml", "check", "--quiet"])
        .output()
        .unwrap();
    println!(
        "{:<32} {:>6.2} s  (defaults: --per-host 2 --concurrency 64)   {}",
        "third run, default limits",
        t.elapsed().as_secs_f64(),
        String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or("")
    );
    if let Some(lychee) = std::env::var_os("LYCHEE") {
        let urls: String = (0..n).map(|i| format!("http://{}/page/{i}\n", hosts[i % hosts.len()])).collect();
        std::fs::write(dir.path().join("urls.txt"), urls).unwrap();
        for (label, extra) in [
            (
                "lychee, same limits",
                vec!["--max-concurrency", "128", "--host-concurrency", "16", "--host-request-interval", "0ms"],
            ),
            ("lychee, its defaults", vec![]),
        ] {
            let t = Instant::now();
            let out = std::process::Command::new(&lychee)
                .current_dir(dir.path())
                .args(["--no-progress", "--format", "compact"])
                .args(&extra)
                .arg("urls.txt")
                .output()
                .unwrap();
            let took = t.elapsed();
            let summary = String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter(|l| l.contains("Total") || l.contains("OK"))
                .collect::<Vec<_>>()
                .join(" ");
            println!(
                "{label:<32} {:>6.2} s  {:>6.0} URLs/s   {}",
                took.as_secs_f64(),
                n as f64 / took.as_secs_f64(),
                summary.trim()
            );
        }
    }
}
