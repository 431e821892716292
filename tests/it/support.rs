//! Test support: a real HTTP/1.1 server on 127.0.0.1 whose routes the test
//! sets and changes between runs, a temporary project folder (claims + cache),
//! and the real citewatch binary.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
    pub at: Instant,
    /// The body, as sent with a Content-Length (POSTs to a test receiver).
    pub body: Vec<u8>,
}

/// What a route answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Compress the body with gzip.
    pub gzip: bool,
    /// Send headers and then bytes forever (for the body cap).
    pub endless: bool,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
            gzip: false,
            endless: false,
        }
    }
    pub fn html(body: &str) -> Reply {
        Reply::new(200, "text/html; charset=utf-8", body)
    }
    /// A page with chrome around an article holding `text`.
    pub fn article(title: &str, text: &str) -> Reply {
        Reply::html(&page(title, text))
    }
    pub fn status(status: u16) -> Reply {
        Reply::new(status, "text/html", format!("<html><body><h1>Error {status}</h1></body></html>"))
    }
    pub fn redirect(status: u16, to: &str) -> Reply {
        Reply::new(status, "text/html", "").header("Location", to)
    }
    pub fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn delay(mut self, d: Duration) -> Reply {
        self.delay = d;
        self
    }
    pub fn gzip(mut self) -> Reply {
        self.gzip = true;
        self
    }
    pub fn endless(mut self) -> Reply {
        self.endless = true;
        self
    }
}

/// A realistic page: header, nav, an article with `text`, a related-stories
/// aside, a footer and scripts.
pub fn page(title: &str, text: &str) -> String {
    let paras: String = text.split("\n\n").map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<script>window.dataLayer = [{{"ts": 1}}];</script><style>body {{ font: 14px sans-serif }}</style></head>
<body><header><a href="/">Home</a> <nav><a href="/news">News</a> <a href="/about">About</a></nav></header>
<main><article><h1>{title}</h1>
{paras}</article></main>
<aside class="related"><h2>Related</h2><ul><li><a href="/other">Another story</a></li></ul></aside>
<footer>© 2022 Example News. All rights reserved.</footer></body></html>"#
    )
}

type Handler = Arc<dyn Fn(&Request, usize) -> Reply + Send + Sync>;

/// The server.
pub struct Server {
    pub addr: SocketAddr,
    routes: Arc<Mutex<HashMap<String, Handler>>>,
    requests: Arc<Mutex<Vec<Request>>>,
    flight: Arc<(AtomicUsize, AtomicUsize)>,
}

impl Server {
    /// Starts a server on 127.0.0.1 (any free port).
    pub fn start() -> Server {
        Server::start_on("127.0.0.1")
    }

    /// Starts a server on another loopback address, e.g. 127.0.0.2.
    pub fn start_on(ip: &str) -> Server {
        let listener = TcpListener::bind((ip, 0)).expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let routes: Arc<Mutex<HashMap<String, Handler>>> = Arc::default();
        let requests: Arc<Mutex<Vec<Request>>> = Arc::default();
        let flight: Arc<(AtomicUsize, AtomicUsize)> = Arc::default();
        let (r, q, f) = (routes.clone(), requests.clone(), flight.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (r, q, f) = (r.clone(), q.clone(), f.clone());
                std::thread::spawn(move || serve(stream, r, q, f));
            }
        });
        Server { addr, routes, requests, flight }
    }

    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Answers `path` with `reply` every time.
    pub fn set(&self, path: &str, reply: Reply) {
        self.on(path, move |_, _| reply.clone());
    }

    /// Answers the n-th request of `path` (0-based) with `replies[n]`, the last one after that.
    pub fn seq(&self, path: &str, replies: Vec<Reply>) {
        self.on(path, move |_, n| replies[n.min(replies.len() - 1)].clone());
    }

    /// Answers `path` with a function of the request and its hit number.
    pub fn on(&self, path: &str, f: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) {
        self.routes.lock().unwrap().insert(path.to_string(), Arc::new(f));
    }

    /// Answers every path starting with `prefix` (that has no route of its
    /// own) with a function of the request and its hit number; the longest
    /// prefix wins.
    pub fn on_prefix(&self, prefix: &str, f: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) {
        self.routes.lock().unwrap().insert(format!("*{prefix}"), Arc::new(f));
    }

    /// Requests whose path starts with `prefix`.
    pub fn requests_under(&self, prefix: &str) -> Vec<Request> {
        self.requests.lock().unwrap().iter().filter(|r| r.path.starts_with(prefix)).cloned().collect()
    }

    /// Requests seen for `path`.
    pub fn requests(&self, path: &str) -> Vec<Request> {
        self.requests.lock().unwrap().iter().filter(|r| r.path == path).cloned().collect()
    }

    /// The most connections that were open at once.
    pub fn peak(&self) -> usize {
        self.flight.1.load(Ordering::SeqCst)
    }

    /// How many requests `path` got.
    pub fn hits(&self, path: &str) -> usize {
        self.requests(path).len()
    }
}

fn serve(
    stream: TcpStream,
    routes: Arc<Mutex<HashMap<String, Handler>>>,
    requests: Arc<Mutex<Vec<Request>>>,
    flight: Arc<(AtomicUsize, AtomicUsize)>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let mut body = Vec::new();
    if let Some(n) = headers.get("content-length").and_then(|v| v.parse::<usize>().ok()) {
        body = vec![0; n.min(16 * 1024 * 1024)];
        if std::io::Read::read_exact(&mut reader, &mut body).is_err() {
            return;
        }
    }
    let req = Request { method, path: path.clone(), headers, at: Instant::now(), body };
    let n = {
        let mut all = requests.lock().unwrap();
        let n = all.iter().filter(|r| r.path == path).count();
        all.push(req.clone());
        n
    };
    // In flight from the request read until the response starts: the client
    // holds its slot at least that long, so this never over-counts.
    let now = flight.0.fetch_add(1, Ordering::SeqCst) + 1;
    flight.1.fetch_max(now, Ordering::SeqCst);
    respond(stream, &routes, &req, n, &flight.0);
}

fn respond(
    stream: TcpStream,
    routes: &Mutex<HashMap<String, Handler>>,
    req: &Request,
    n: usize,
    in_flight: &AtomicUsize,
) {
    let path = req.path.clone();
    let handler = {
        let routes = routes.lock().unwrap();
        routes.get(&path).cloned().or_else(|| {
            routes
                .iter()
                .filter(|(k, _)| k.starts_with('*') && path.starts_with(&k[1..]))
                .max_by_key(|(k, _)| k.len())
                .map(|(_, h)| h.clone())
        })
    };
    let reply = match handler {
        Some(h) => h(req, n),
        None => Reply::status(404),
    };
    std::thread::sleep(reply.delay);
    in_flight.fetch_sub(1, Ordering::SeqCst);
    let mut out = stream;
    let mut body = reply.body.clone();
    let mut head = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", reply.status);
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if reply.gzip {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&body).unwrap();
        body = enc.finish().unwrap();
        head.push_str("Content-Encoding: gzip\r\n");
    }
    if reply.endless {
        head.push_str("\r\n");
        let _ = out.write_all(head.as_bytes());
        let chunk = vec![b'a'; 64 * 1024];
        for _ in 0..(64 * 1024) {
            if out.write_all(&chunk).is_err() {
                return;
            }
        }
        return;
    }
    if reply.status != 304 {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let _ = out.write_all(head.as_bytes());
    if reply.status != 304 {
        let _ = out.write_all(&body);
    }
    let _ = out.flush();
    let _ = out.shutdown(std::net::Shutdown::Write);
}

/// A temporary project: claims files and a cache folder.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        Project { dir: tempfile::tempdir().unwrap() }
    }
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    pub fn cache(&self) -> PathBuf {
        self.path().join("cache")
    }
    /// Writes `claims/NAME` with `text`.
    pub fn claims(&self, name: &str, text: &str) -> PathBuf {
        let dir = self.path().join("claims");
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
    /// Runs citewatch in the project folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = self.command(args).output().expect("run citewatch");
        Run::from(out)
    }
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_citewatch"));
        c.current_dir(self.path()).args(args);
        // Archive look-ups stay on loopback: a closed port unless the test's
        // citewatch.toml names its own fake archive.
        c.env("CITEWATCH_WAYBACK", "http://127.0.0.1:9");
        c
    }
    /// `check --format json` with quick network settings, parsed.
    pub fn check_json(&self, extra: &[&str]) -> (Run, serde_json::Value) {
        let mut args = vec!["check", "--format", "json", "--timeout", "5", "--quiet"];
        args.extend_from_slice(extra);
        let run = self.run(&args);
        let json: serde_json::Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", run.stdout, run.stderr));
        (run, json)
    }
    /// The store.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.cache().join("citewatch.db")).unwrap()
    }
}

/// A finished run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// A one-factsheet claims file: `claims` are (id, quotes, sources as TOML values).
pub fn factsheet(id: &str, claims: &[(&str, &[&str], &[String])]) -> String {
    let mut s = format!("[factsheet]\nid = \"{id}\"\ntitle = \"Test factsheet {id}\"\n");
    for (cid, quotes, sources) in claims {
        s.push_str(&format!("\n[[claim]]\nid = \"{cid}\"\ntext = \"Claim {cid}.\"\n"));
        if !quotes.is_empty() {
            let q: Vec<String> = quotes.iter().map(|q| format!("{q:?}")).collect();
            s.push_str(&format!("quotes = [{}]\n", q.join(", ")));
        }
        s.push_str(&format!("sources = [\n  {},\n]\n", sources.join(",\n  ")));
    }
    s
}

/// A TOML string of a URL.
pub fn q(url: &str) -> String {
    format!("{url:?}")
}

/// The claim `id` in a check document.
pub fn claim<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["claims"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no claim {id}"))
}

/// The source `url` in a check document.
pub fn source<'a>(doc: &'a serde_json::Value, url: &str) -> &'a serde_json::Value {
    doc["sources"].as_array().unwrap().iter().find(|s| s["url"] == url).unwrap_or_else(|| panic!("no source {url}"))
}

/// A minimal PDF with one page of `lines`, its content stream compressed
/// with FlateDecode.
pub fn pdf(lines: &[&str]) -> Vec<u8> {
    let mut content = String::from("BT /F1 12 Tf 72 720 Td 14 TL\n");
    for l in lines {
        let esc = l.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)");
        content.push_str(&format!("({esc}) Tj T*\n"));
    }
    content.push_str("ET\n");
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(content.as_bytes()).unwrap();
    let stream = enc.finish().unwrap();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
    ];
    let mut s4 = format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", stream.len()).into_bytes();
    s4.extend_from_slice(&stream);
    s4.extend_from_slice(b"\nendstream");
    objects.push(s4);
    objects.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec());
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

/// A PDF of several pages, each with its lines of text and a link
/// annotation per URL (as a browser's "Save as PDF" makes them).
pub fn pdf_pages(pages: &[(&[&str], &[&str])]) -> Vec<u8> {
    // Objects: 1 catalog, 2 pages, 3 font, then per page: page, content, annotations.
    let mut objects: Vec<Vec<u8>> = vec![
        Vec::new(),
        Vec::new(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    ];
    let mut kids = Vec::new();
    for (lines, urls) in pages {
        let page_id = objects.len() + 1;
        let content_id = page_id + 1;
        let annot_ids: Vec<usize> = (0..urls.len()).map(|i| content_id + 1 + i).collect();
        kids.push(format!("{page_id} 0 R"));
        let annots: Vec<String> = annot_ids.iter().map(|i| format!("{i} 0 R")).collect();
        objects.push(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_id} 0 R /Resources << /Font << /F1 3 0 R >> >> /Annots [{}] >>", annots.join(" ")).into_bytes());
        let mut content = String::from("BT /F1 10 Tf 40 760 Td 14 TL\n");
        for l in lines.iter() {
            let esc = l.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)");
            content.push_str(&format!("({esc}) Tj T*\n"));
        }
        content.push_str("ET\n");
        objects.push(format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len() + 1).into_bytes());
        for (i, u) in urls.iter().enumerate() {
            let y = 700 - 20 * i;
            objects.push(format!("<< /Type /Annot /Subtype /Link /Rect [40 {y} 300 {}] /Border [0 0 0] /A << /S /URI /URI ({u}) >> >>", y + 12).into_bytes());
        }
    }
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>".to_vec();
    objects[1] = format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len()).into_bytes();
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}
