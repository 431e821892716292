//! Hostile servers and files: a raw TCP server on 127.0.0.1 that answers
//! each path with a script of bytes and pauses (deep pages, PDF loops and
//! bombs, compression bombs, endless and slow bodies, lying lengths, huge
//! headers, redirect tricks). Each case runs the real binary beside a good
//! source and asserts a clear error for the hostile source, the good one
//! judged, the JSON printed, and the peak memory of the whole process tree
//! (read with `wait4`) under 512 MiB.

use crate::support::*;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a path answers: a function writing raw bytes to the connection.
type Script = Arc<dyn Fn(&mut TcpStream) + Send + Sync>;

/// A raw HTTP/1.1 server: reads the request head, hands the socket to the
/// path's script, closes. Counts connections open at once.
pub struct RawServer {
    pub addr: SocketAddr,
    routes: Arc<Mutex<HashMap<String, Script>>>,
    peak: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
    accepted: Arc<AtomicUsize>,
}

impl RawServer {
    pub fn start() -> RawServer {
        RawServer::start_with(false)
    }

    /// A server that keeps each connection open for more requests until the
    /// client closes it: connections the client holds idle count as open.
    pub fn start_keep_alive() -> RawServer {
        RawServer::start_with(true)
    }

    fn start_with(keep_alive: bool) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let routes: Arc<Mutex<HashMap<String, Script>>> = Arc::default();
        let (peak, requests) = (Arc::<AtomicUsize>::default(), Arc::<AtomicUsize>::default());
        let accepted = Arc::<AtomicUsize>::default();
        let (r, p, q, a) = (routes.clone(), peak.clone(), Arc::clone(&requests), accepted.clone());
        std::thread::spawn(move || {
            // Sockets not yet closed by the client. Counted at each accept
            // after dropping those the client has closed (a peek reads the
            // end of stream), so a serving thread slow to notice a close
            // never counts as an open connection.
            let socks: Arc<Mutex<Vec<(usize, TcpStream)>>> = Arc::default();
            for (id, stream) in listener.incoming().flatten().enumerate() {
                a.fetch_add(1, Ordering::SeqCst);
                let (r, p, q) = (r.clone(), p.clone(), q.clone());
                {
                    let mut all = socks.lock().unwrap();
                    all.retain(|(_, s)| !peer_closed(s));
                    all.push((id, stream.try_clone().unwrap()));
                    p.fetch_max(all.len(), Ordering::SeqCst);
                }
                let socks = socks.clone();
                std::thread::spawn(move || {
                    serve_raw(stream, &r, &q, keep_alive);
                    socks.lock().unwrap().retain(|(i, _)| *i != id);
                });
            }
        });
        RawServer { addr, routes, peak, requests, accepted }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn on(&self, path: &str, f: impl Fn(&mut TcpStream) + Send + Sync + 'static) {
        self.routes.lock().unwrap().insert(path.into(), Arc::new(f));
    }

    /// Answers `path` with a complete response.
    pub fn reply(&self, path: &str, status: u16, headers: &[(&str, &str)], body: Vec<u8>) {
        let head = head(status, headers, Some(body.len()));
        self.on(path, move |s| {
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(&body);
        });
    }

    /// The most connections open at once.
    pub fn peak_connections(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Connections accepted in all.
    pub fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Requests read.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Whether the client has closed its end: a non-blocking peek reads the end
/// of the stream (data not yet read, or nothing yet, mean still open).
fn peer_closed(s: &TcpStream) -> bool {
    use std::os::fd::AsRawFd;
    let mut b = [0u8; 1];
    // SAFETY: recv on a valid socket into a 1-byte buffer we own.
    let n = unsafe { libc::recv(s.as_raw_fd(), b.as_mut_ptr().cast(), 1, libc::MSG_PEEK | libc::MSG_DONTWAIT) };
    n == 0 || n < 0 && std::io::Error::last_os_error().kind() != std::io::ErrorKind::WouldBlock
}

/// A response head; `length` adds Content-Length.
pub fn head(status: u16, headers: &[(&str, &str)], length: Option<usize>) -> String {
    format!("HTTP/1.1 {status} X\r\nConnection: close\r\n{}", head_open(headers, length))
}

/// The rest of a head for a connection kept open (keep-alive).
pub fn head_open(headers: &[(&str, &str)], length: Option<usize>) -> String {
    let mut h = String::new();
    for (k, v) in headers {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(n) = length {
        h.push_str(&format!("Content-Length: {n}\r\n"));
    }
    h.push_str("\r\n");
    h
}

fn serve_raw(mut s: TcpStream, routes: &Mutex<HashMap<String, Script>>, requests: &AtomicUsize, keep_alive: bool) {
    let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
    loop {
        let mut buf = Vec::new();
        let mut byte = [0u8; 1];
        while !buf.ends_with(b"\r\n\r\n") && buf.len() < 65536 {
            match s.read(&mut byte) {
                Ok(1) => buf.push(byte[0]),
                _ => return,
            }
        }
        requests.fetch_add(1, Ordering::SeqCst);
        let line = String::from_utf8_lossy(&buf).lines().next().unwrap_or("").to_string();
        let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        let script = routes.lock().unwrap().get(&path).cloned();
        match script {
            Some(f) => f(&mut s),
            None => {
                let _ = s.write_all(head(404, &[], Some(0)).as_bytes());
            }
        }
        let _ = s.flush();
        if !keep_alive {
            let _ = s.shutdown(std::net::Shutdown::Both);
            return;
        }
    }
}

/// A finished run with its peak memory.
pub struct Measured {
    pub run: Run,
    /// Peak resident set of the process and its children, bytes.
    pub peak_rss: u64,
    pub elapsed: Duration,
}

/// Runs the binary, waiting with `wait4` to read the peak RSS of its tree.
///
/// The binary is started by a small helper process (this test binary running
/// only [`rss_helper`]): a process started straight from this one would count
/// this one's memory in its peak (Linux carries the peak of the spawning
/// image across `exec`).
pub fn measured(project: &Project, args: &[&str]) -> Measured {
    let dir = tempfile::tempdir().unwrap();
    let files = ["out", "err", "rss"].map(|n| dir.path().join(n));
    let spec: Vec<String> = std::iter::once(project.path().display().to_string())
        .chain(std::iter::once(env!("CARGO_BIN_EXE_citewatch").to_string()))
        .chain(args.iter().map(|a| a.to_string()))
        .collect();
    let start = Instant::now();
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "hostile::rss_helper", "--nocapture", "--test-threads", "1"])
        .env("CITEWATCH_RSS_RUN", serde_json::to_string(&spec).unwrap())
        .env("CITEWATCH_RSS_FILES", serde_json::to_string(&files).unwrap())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "the measuring helper failed: {status}");
    let read = |i: usize| std::fs::read_to_string(&files[i]).unwrap_or_default();
    let rss = read(2);
    let mut it = rss.split_whitespace().map(|n| n.parse::<i64>().unwrap());
    let (code, kib) = (it.next().unwrap(), it.next().unwrap());
    Measured {
        run: Run { code: code as i32, stdout: read(0), stderr: read(1) },
        peak_rss: kib as u64 * 1024,
        elapsed: start.elapsed(),
    }
}

/// The measuring helper: does nothing in a normal test run; started by
/// [`measured`] with the command in its environment, runs it (output to
/// files), waits for it with `wait4` and writes its exit code and peak RSS.
#[test]
fn rss_helper() {
    let Ok(spec) = std::env::var("CITEWATCH_RSS_RUN") else { return };
    let spec: Vec<String> = serde_json::from_str(&spec).unwrap();
    let files: Vec<std::path::PathBuf> = serde_json::from_str(&std::env::var("CITEWATCH_RSS_FILES").unwrap()).unwrap();
    let child = std::process::Command::new(&spec[1])
        .args(&spec[2..])
        .current_dir(&spec[0])
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(&files[0]).unwrap())
        .stderr(std::fs::File::create(&files[1]).unwrap())
        .spawn()
        .unwrap();
    let (code, kib) = wait_rss(child);
    std::fs::write(&files[2], format!("{code} {kib}")).unwrap();
}

/// Waits for `child` with `wait4`: its exit code (minus the signal when
/// killed) and the peak RSS in KiB of it and its waited-for children.
fn wait_rss(child: std::process::Child) -> (i32, i64) {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain syscall on our own child; `ru` is written by the kernel.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    assert_eq!(r, pid, "wait4 failed");
    // The child is reaped: keep `Child` from waiting on it again.
    std::mem::forget(child);
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -libc::WTERMSIG(status) };
    (code, ru.ru_maxrss)
}

/// Runs a command, waiting with `wait4` to read the peak RSS of its tree;
/// that peak may include this process's own (see [`measured`]): an upper
/// bound.
pub fn measured_cmd(mut cmd: std::process::Command) -> Measured {
    use std::process::Stdio;
    let start = Instant::now();
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let o = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let e = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let (code, kib) = wait_rss(child);
    let stdout = String::from_utf8_lossy(&o.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&e.join().unwrap()).into_owned();
    Measured { run: Run { code, stdout, stderr }, peak_rss: kib as u64 * 1024, elapsed: start.elapsed() }
}

const MIB: u64 = 1024 * 1024;
const RSS_LIMIT: u64 = 512 * MIB;

/// A check of one good page (quote "steady words 42") and each hostile
/// source, asserting the run completes, the good source is judged `ok`, every
/// hostile source is `error` with a reason containing its expected words, and
/// peak memory stays under the limit. Returns the JSON and the measure.
fn check_against(good_url: &str, hostile: &[(&str, &str)], extra: &[&str]) -> (serde_json::Value, Measured) {
    let p = Project::new();
    let mut claims = vec![("good", &["steady words 42"][..], vec![q(good_url)])];
    let ids: Vec<String> = (0..hostile.len()).map(|i| format!("hostile-{i}")).collect();
    for (i, (url, _)) in hostile.iter().enumerate() {
        claims.push((ids[i].as_str(), &[][..], vec![q(url)]));
    }
    let claims: Vec<(&str, &[&str], &[String])> = claims.iter().map(|(a, b, c)| (*a, *b, c.as_slice())).collect();
    p.claims("f.toml", &factsheet("hostile", &claims));
    let mut args = vec!["check", "--format", "json", "--quiet", "--retries", "0"];
    if !extra.contains(&"--timeout") {
        args.extend(["--timeout", "20"]);
    }
    args.extend_from_slice(extra);
    let m = measured(&p, &args);
    assert!(m.run.code == 0 || m.run.code == 1, "exit {} (no abort expected)\nstderr:\n{}", m.run.code, m.run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&m.run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", m.run.stdout, m.run.stderr));
    let good = source(&doc, good_url);
    assert_eq!(good["health"], "ok", "{good}");
    assert_eq!(claim(&doc, "good")["verdict"], "ok", "{}", claim(&doc, "good"));
    for (url, words) in hostile {
        let s = source(&doc, url);
        let said = format!("{} {}", s["error"].as_str().unwrap_or(""), s["reason"].as_str().unwrap_or(""));
        assert!(
            s["health"] == "error" || !words.is_empty() && said.contains(words),
            "{url}: expected an error, got {s}"
        );
        assert!(said.to_lowercase().contains(&words.to_lowercase()), "{url}: expected {words:?} in {said:?}");
    }
    assert!(m.peak_rss < RSS_LIMIT, "peak RSS {} MiB", m.peak_rss / MIB);
    (doc, m)
}

fn good_server() -> (Server, String) {
    let s = Server::start();
    s.set("/good", Reply::article("Good", "These are steady words 42 in a plain article.\n\nMore text."));
    let u = s.url("/good");
    (s, u)
}

#[test]
fn deep_html_is_flattened_not_fatal() {
    let (_g, good) = good_server();
    let raw = RawServer::start();
    let deep = |n: usize| {
        format!(
            "<!doctype html><html><head><title>Deep</title></head><body>{}the deep quote 77{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        )
        .into_bytes()
    };
    raw.reply("/deep10k", 200, &[("Content-Type", "text/html")], deep(10_000));
    raw.reply("/deep1m", 200, &[("Content-Type", "text/html")], deep(1_000_000));
    // Unclosed formatting elements re-opened paragraph after paragraph.
    let reopen: String = (0..5_000).map(|k| format!("<p><b id=b{k}>w{k} </p>")).collect();
    raw.reply("/reopen", 200, &[("Content-Type", "text/html")], format!("<html><body>{reopen}</body></html>").into());
    let p = Project::new();
    let urls = [raw.url("/deep10k"), raw.url("/deep1m"), raw.url("/reopen")];
    let mut claims = vec![("good", &["steady words 42"][..], vec![q(&good)])];
    for (i, u) in urls.iter().enumerate() {
        claims.push((
            ["deep10k", "deep1m", "reopen"][i],
            if i < 2 { &["the deep quote 77"][..] } else { &[][..] },
            vec![q(u)],
        ));
    }
    let claims: Vec<(&str, &[&str], &[String])> = claims.iter().map(|(a, b, c)| (*a, *b, c.as_slice())).collect();
    p.claims("f.toml", &factsheet("deep", &claims));
    let m = measured(&p, &["check", "--format", "json", "--quiet", "--retries", "0", "--timeout", "30"]);
    assert_eq!(m.run.code, 0, "stderr:\n{}", m.run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&m.run.stdout).unwrap();
    // The text survives the flattening: the quote is found in both.
    for id in ["deep10k", "deep1m", "good", "reopen"] {
        assert_eq!(claim(&doc, id)["verdict"], "ok", "{}", claim(&doc, id));
    }
    assert!(m.peak_rss < RSS_LIMIT, "peak RSS {} MiB", m.peak_rss / MIB);
    eprintln!("deep pages: {:?}, peak RSS {} MiB", m.elapsed, m.peak_rss / MIB);
    assert!(m.elapsed < Duration::from_secs(120), "took {:?}", m.elapsed);
}

#[test]
fn the_bomb_builder_makes_real_zlib() {
    let z = zlib_of_spaces(3 * MIB);
    let mut d = Vec::new();
    flate2::read::ZlibDecoder::new(z.as_slice()).read_to_end(&mut d).unwrap();
    assert_eq!(d.len() as u64, 3 * MIB);
    assert!(d.iter().all(|b| *b == b' '));
}

#[test]
fn a_pdf_whose_form_draws_itself_is_an_error_of_that_source() {
    let (_g, good) = good_server();
    let raw = RawServer::start();
    raw.reply("/loop.pdf", 200, &[("Content-Type", "application/pdf")], self_drawing_pdf());
    let bad = raw.url("/loop.pdf");
    check_against(&good, &[(&bad, "draws itself")], &[]);
}

#[test]
fn a_pdf_decompression_bomb_is_capped() {
    let (_g, good) = good_server();
    let raw = RawServer::start();
    let bomb = pdf_bomb(1024);
    assert!(bomb.len() < 2 * MIB as usize);
    raw.reply("/bomb.pdf", 200, &[("Content-Type", "application/pdf")], bomb);
    // An object stream inflating to 1 GiB: the PDF library inflates it as
    // it loads the file, before any check; the reader's memory limit stops
    // it (the library then keeps what it read), and the page is read.
    raw.reply("/objstm.pdf", 200, &[("Content-Type", "application/pdf")], objstm_bomb());
    let (bad, objstm) = (raw.url("/bomb.pdf"), raw.url("/objstm.pdf"));
    let (doc, m) = check_against(&good, &[(&bad, "MiB cap")], &[]);
    let _ = (doc, m);
    let p = Project::new();
    p.claims("f.toml", &factsheet("o", &[("o", &["hello"], &[q(&objstm)])]));
    let m = measured(&p, &["check", "--format", "json", "--quiet"]);
    assert!(m.run.code == 0 || m.run.code == 1, "{}", m.run.stderr);
    assert!(m.peak_rss < RSS_LIMIT, "peak RSS {} MiB", m.peak_rss / MIB);
}

/// A PDF holding an object stream that inflates to 1 GiB.
pub fn objstm_bomb() -> Vec<u8> {
    let z = zlib_of_spaces(1024 * MIB);
    let mut objstm =
        format!("<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n", z.len()).into_bytes();
    objstm.extend_from_slice(&z);
    objstm.extend_from_slice(b"\nendstream");
    pdf_with(b"BT /F1 12 Tf 72 700 Td (hello) Tj ET".to_vec(), "", vec![objstm], "")
}

#[test]
fn import_of_hostile_files_is_a_clear_error() {
    let p = Project::new();
    let cases: Vec<(&str, Vec<u8>, &str)> =
        vec![("loop.pdf", self_drawing_pdf(), "draws itself"), ("bomb.pdf", pdf_bomb(1024), "MiB cap")];
    for (name, bytes, words) in cases {
        std::fs::write(p.path().join(name), bytes).unwrap();
        let m = measured(&p, &["import", name, "--out", "out.toml"]);
        assert_eq!(m.run.code, 2, "{name}: {}", m.run.stderr);
        assert!(m.run.stderr.contains(words), "{name}: {}", m.run.stderr);
        assert!(m.peak_rss < RSS_LIMIT, "{name}: peak RSS {} MiB", m.peak_rss / MIB);
    }
    std::fs::write(p.path().join("objstm.pdf"), objstm_bomb()).unwrap();
    let m = measured(&p, &["import", "objstm.pdf", "--out", "objstm.toml"]);
    assert!(m.run.code == 0 || m.run.code == 2, "{}", m.run.stderr);
    assert!(m.peak_rss < RSS_LIMIT, "objstm.pdf: peak RSS {} MiB", m.peak_rss / MIB);
    // A deep HTML factsheet imports; its links are kept.
    let deep = format!(
        "<html><body>{}<p>The ministry counted 1,234 schools <a href=\"https://example.org/schools\">source</a>.</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    std::fs::write(p.path().join("deep.html"), deep).unwrap();
    let m = measured(&p, &["import", "deep.html", "--out", "deep.toml"]);
    assert_eq!(m.run.code, 0, "{}", m.run.stderr);
    let out = std::fs::read_to_string(p.path().join("deep.toml")).unwrap();
    assert!(out.contains("https://example.org/schools"), "{out}");
}

/// A one-page PDF whose page draws form /X1, which draws itself.
pub fn self_drawing_pdf() -> Vec<u8> {
    let form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X1 5 0 R >> >> /Length 6 >>\nstream\n/X1 Do\nendstream".to_vec();
    pdf_with(b"/X1 Do".to_vec(), "", vec![form], "/XObject << /X1 5 0 R >>")
}

/// A PDF whose page content inflates to `mib` MiB of spaces.
pub fn pdf_bomb(mib: usize) -> Vec<u8> {
    pdf_with(zlib_of_spaces(mib as u64 * MIB), "/Filter /FlateDecode", vec![], "")
}

/// A zlib stream of `n` spaces (n a multiple of 1 MiB), built without
/// compressing them all: one MiB compressed up to a full flush is a run of
/// blocks that can be repeated; the checksum has a closed form.
pub fn zlib_of_spaces(n: u64) -> Vec<u8> {
    let chunk = vec![b' '; MIB as usize];
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let mut blocks = Vec::with_capacity(64 * 1024);
    c.compress_vec(&chunk, &mut blocks, flate2::FlushCompress::Full).unwrap();
    let mut out = vec![0x78, 0xda];
    for _ in 0..n / MIB {
        out.extend_from_slice(&blocks);
    }
    out.extend_from_slice(&[0x03, 0x00]); // a final empty fixed block
    const M: u64 = 65521;
    const INV2: u64 = 32761; // 2 * INV2 = 1 (mod M)
    let a = (1 + n % M * 32) % M;
    let b = (n % M + 32 * ((n % M) * ((n + 1) % M) % M * INV2 % M)) % M;
    out.extend_from_slice(&((b << 16 | a) as u32).to_be_bytes());
    out
}

fn pdf_with(page: Vec<u8>, filter: &str, extra: Vec<Vec<u8>>, resources: &str) -> Vec<u8> {
    let mut objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> {resources} >> >>").into_bytes(),
    ];
    let mut s = format!("<< /Length {} {filter} >>\nstream\n", page.len()).into_bytes();
    s.extend_from_slice(&page);
    s.extend_from_slice(b"\nendstream");
    objs.push(s);
    objs.extend(extra);
    pdf_file(objs.as_slice())
}

#[test]
fn waiting_for_a_host_slot_is_not_a_time_out() {
    // 40 pages on one host answering in 1 s, 2 at a time, 5 s time-out: the
    // last waits ~19 s for its slot, yet none timed out; and the client never
    // holds more than 2 connections to it (idle ones included), and keeps
    // them alive from one request to the next.
    let raw = RawServer::start_keep_alive();
    let mut claims = Vec::new();
    for i in 0..40 {
        let path = format!("/slow/{i}");
        let body = page("Slow", &format!("Slow but steady page {i}."));
        raw.on(&path, move |s| {
            std::thread::sleep(Duration::from_secs(1));
            let h = head_open(&[("Content-Type", "text/html")], Some(body.len()));
            let _ = s.write_all(format!("HTTP/1.1 200 OK\r\n{h}").as_bytes());
            let _ = s.write_all(body.as_bytes());
        });
        claims.push((format!("c{i}"), vec![q(&raw.url(&path))]));
    }
    let claims: Vec<(&str, &[&str], &[String])> =
        claims.iter().map(|(id, s)| (id.as_str(), &[][..], s.as_slice())).collect();
    let p = Project::new();
    p.claims("f.toml", &factsheet("slow", &claims));
    let m =
        measured(&p, &["check", "--format", "json", "--quiet", "--per-host", "2", "--timeout", "5", "--retries", "0"]);
    let doc: serde_json::Value =
        serde_json::from_str(&m.run.stdout).unwrap_or_else(|e| panic!("{e}: {}", m.run.stderr));
    let failed: Vec<&serde_json::Value> =
        doc["sources"].as_array().unwrap().iter().filter(|s| s["health"] != "ok").collect();
    assert!(failed.is_empty(), "{} of 40 failed, e.g. {}", failed.len(), failed[0]);
    assert_eq!(raw.requests(), 40);
    assert!(raw.peak_connections() <= 2, "{} connections at once to a host limited to 2", raw.peak_connections());
    assert!(raw.connections() <= 10, "{} connections for 40 requests: not kept alive", raw.connections());
}

#[test]
fn a_host_that_never_answers_times_out_without_piling_up_connections() {
    let (_g, good) = good_server();
    let raw = RawServer::start_keep_alive();
    let mut hostile = Vec::new();
    for i in 0..6 {
        let path = format!("/hang/{i}");
        raw.on(&path, |_| std::thread::sleep(Duration::from_secs(40)));
        hostile.push(raw.url(&path));
    }
    let cases: Vec<(&str, &str)> = hostile.iter().map(|u| (u.as_str(), "timed out after 2 s")).collect();
    let (_, m) = check_against(&good, &cases, &["--timeout", "2", "--per-host", "2"]);
    assert!(raw.peak_connections() <= 2, "{} connections at once to a host limited to 2", raw.peak_connections());
    assert!(m.elapsed < Duration::from_secs(30), "took {:?}", m.elapsed);
}

#[test]
fn hostile_claims_files_are_refused_naming_the_file() {
    let p = Project::new();
    let dir = p.path().join("claims");
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.toml")).unwrap();
    let fifo = std::ffi::CString::new(dir.join("pipe.toml").to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let url = format!("https://{}.org/", "h".repeat(100_000));
    p.claims(
        "numbers.toml",
        &format!(
            "[factsheet]\nid = \"n\"\ntitle = \"t\"\n\n[[claim]]\nid = \"a\"\ntext = \"t\"\nconfidence = nan\nsources = [\"https://a.org/\"]\n\n[[claim]]\nid = \"b\"\ntext = \"t\"\nconfidence = 5.0\nsources = [\"https://a.org/\"]\n\n[[claim]]\nid = \"c\"\ntext = \"t\"\nconfidence = 123456789012345678901234567890\nsources = [\"https://a.org/\"]\n\n[[claim]]\nid = \"d\"\ntext = \"t\"\nsources = [\"{url}\"]\n"
        ),
    );
    let m = measured(&p, &["validate"]);
    assert_eq!(m.run.code, 2, "{}", m.run.stderr);
    let e = &m.run.stderr;
    assert!(e.contains("zero.toml") && e.contains("not a regular file"), "{e}");
    assert!(e.contains("pipe.toml: not a regular file"), "{e}");
    assert_eq!(e.matches("out of range").count(), 3, "{e}");
    for line in [8, 14, 20] {
        assert!(e.contains(&format!("numbers.toml:{line}:")), "line {line}: {e}");
    }
    assert!(e.contains("longer than 253 characters"), "{e}");
    assert!(e.len() < 4000, "the errors repeat the hostile text: {} bytes", e.len());
    assert!(m.elapsed < Duration::from_secs(20), "took {:?}", m.elapsed);
    assert!(m.peak_rss < 64 * MIB, "peak RSS {} MiB", m.peak_rss / MIB);
}

#[test]
fn a_full_disk_stops_the_run_at_the_first_failed_write() {
    let raw = RawServer::start();
    let mut claims = Vec::new();
    let mut seed: u64 = 7;
    for i in 0..200 {
        // Words that do not compress much, so each snapshot takes room.
        let words: Vec<String> = (0..4000)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                format!("w{:x}", seed % 1_000_000_007)
            })
            .collect();
        let body = page("Filler", &format!("Page {i}: {}", words.join(" ")));
        let path = format!("/p/{i}");
        raw.on(&path, move |s| {
            std::thread::sleep(Duration::from_millis(20));
            let _ = s.write_all(head(200, &[("Content-Type", "text/html")], Some(body.len())).as_bytes());
            let _ = s.write_all(body.as_bytes());
        });
        claims.push((format!("c{i}"), vec![q(&raw.url(&path))]));
    }
    let p = Project::new();
    // A first small run creates the store.
    p.claims("a.toml", &factsheet("first", &[("one", &[], &[q(&raw.url("/p/0"))])]));
    let first = measured(&p, &["check", "--quiet"]);
    assert_eq!(first.run.code, 0, "{}", first.run.stderr);
    let claims: Vec<(&str, &[&str], &[String])> =
        claims.iter().map(|(id, s)| (id.as_str(), &[][..], s.as_slice())).collect();
    p.claims("b.toml", &factsheet("many", &claims));
    let before = raw.requests();
    // No file may grow past 1 MiB: the store's log fills up after a few pages,
    // as on a full disk (writes fail; the signal is ignored, as the kernel
    // reports EFBIG then).
    let mut cmd = p.command(&["check", "--format", "json", "--quiet", "--concurrency", "4", "--retries", "0"]);
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: signal and setrlimit are async-signal-safe.
        unsafe {
            cmd.pre_exec(|| {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let lim = libc::rlimit { rlim_cur: MIB as libc::rlim_t, rlim_max: MIB as libc::rlim_t };
                libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
                Ok(())
            });
        }
    }
    let m = measured_cmd(cmd);
    assert_eq!(m.run.code, 2, "stderr:\n{}", m.run.stderr);
    assert!(m.run.stderr.contains("the run stopped at the first failed write"), "{}", m.run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&m.run.stdout)
        .unwrap_or_else(|e| panic!("no JSON on stdout ({e}): {}\n{}", m.run.stdout, m.run.stderr));
    let sources = doc["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 200);
    let stopped = sources.iter().filter(|s| s["reason"].as_str().is_some_and(|r| r.contains("run stopped"))).count();
    assert!(stopped > 50, "{stopped} sources marked as not checked");
    let fetched = raw.requests() - before;
    assert!(fetched < 150, "{fetched} of 200 pages fetched after the disk filled up");
    // The store is intact and the next run, with room, works.
    let ok: String = p.db().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let again = measured(&p, &["check", "--quiet", "--concurrency", "8"]);
    assert!(again.run.code == 0 || again.run.code == 1, "{}", again.run.stderr);
}

/// A zstd frame of `n` zero bytes (n a multiple of 128 KiB) made of RLE
/// blocks: a few bytes per 128 KiB.
pub fn zstd_of_zeros(n: u64) -> Vec<u8> {
    let mut out = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38];
    let blocks = n / (128 * 1024);
    for i in 0..blocks {
        let last = u32::from(i + 1 == blocks);
        let h = ((128 * 1024) << 3) | (1 << 1) | last;
        out.extend_from_slice(&h.to_le_bytes()[..3]);
        out.push(0);
    }
    out
}

/// A gzip member of `n` spaces; its trailer is wrong, which a reader
/// stopping at the cap never sees.
pub fn gzip_of_spaces(n: u64) -> Vec<u8> {
    let z = zlib_of_spaces(n);
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.extend_from_slice(&z[2..z.len() - 4]);
    out.extend_from_slice(&[0; 8]);
    out
}

#[test]
fn protocol_tricks_are_errors_of_their_source_only() {
    let (_g, good) = good_server();
    let raw = RawServer::start();
    let html = [("Content-Type", "text/html")];
    let gib = 1024 * MIB;
    raw.reply("/gzip-bomb", 200, &[html[0], ("Content-Encoding", "gzip")], gzip_of_spaces(gib));
    raw.reply("/deflate-bomb", 200, &[html[0], ("Content-Encoding", "deflate")], zlib_of_spaces(gib));
    raw.reply("/zstd-bomb", 200, &[html[0], ("Content-Encoding", "zstd")], zstd_of_zeros(gib));
    raw.on("/endless", |s| {
        let _ = s.write_all(head(200, &[("Content-Type", "text/html")], None).as_bytes());
        let chunk = vec![b'a'; 64 * 1024];
        while s.write_all(&chunk).is_ok() {}
    });
    raw.on("/slow-body", |s| {
        let _ = s.write_all(head(200, &[("Content-Type", "text/html")], Some(1000)).as_bytes());
        for _ in 0..1000 {
            if s.write_all(b"x").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    });
    raw.on("/short-body", |s| {
        let _ = s.write_all(head(200, &[("Content-Type", "text/html")], Some(100_000)).as_bytes());
        let _ = s.write_all(b"<p>only this</p>");
    });
    raw.on("/huge-length", |s| {
        let _ = s.write_all(head(200, &[("Content-Type", "text/html")], Some(10 << 30)).as_bytes());
        let _ = s.write_all(b"<p>x</p>");
    });
    raw.on("/huge-headers", |s| {
        let mut h = String::from("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n");
        for i in 0..20_000 {
            h.push_str(&format!("X-Filler-{i}: {}\r\n", "v".repeat(100)));
        }
        h.push_str("Content-Length: 2\r\n\r\nok");
        let _ = s.write_all(h.as_bytes());
    });
    raw.on("/not-http", |s| {
        let _ = s.write_all(b"SSH-2.0-OpenSSH_9.6\r\n");
    });
    raw.on("/bad-status", |s| {
        let _ = s.write_all(b"HTTP/1.1 99999 Huge\r\nContent-Length: 0\r\n\r\n");
    });
    let loc = |to: &str| vec![("Location".to_string(), to.to_string())];
    for (path, to) in [
        ("/loop-a", "/loop-b".to_string()),
        ("/loop-b", "/loop-a".to_string()),
        ("/to-file", "file:///etc/passwd".to_string()),
        ("/to-js", "javascript:alert(1)".to_string()),
        ("/no-location", String::new()),
    ] {
        let headers = if to.is_empty() { vec![] } else { loc(&to) };
        let h = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>();
        raw.reply(path, 302, &h, Vec::new());
    }
    for i in 0..30 {
        raw.reply(&format!("/chain/{i}"), 301, &[("Location", &format!("/chain/{}", i + 1))], Vec::new());
    }
    raw.reply(
        "/missing-form.pdf",
        200,
        &[("Content-Type", "application/pdf")],
        pdf_with(b"/Nope Do".to_vec(), "", vec![], ""),
    );
    let cases = [
        ("/gzip-bomb", "cap"),
        ("/deflate-bomb", "cap"),
        ("/zstd-bomb", "cap"),
        ("/endless", "cap"),
        ("/slow-body", "timed out"),
        ("/short-body", "body could not be read"),
        ("/huge-length", "cap"),
        ("/huge-headers", "too large"),
        ("/not-http", "invalid HTTP"),
        ("/bad-status", "status"),
        ("/loop-a", "redirect loop"),
        ("/to-file", "not an http(s) URL"),
        ("/to-js", "not an http(s) URL"),
        ("/no-location", "without a Location"),
        ("/chain/0", "more than 10 redirects"),
        ("/missing-form.pdf", "cannot read the PDF"),
    ];
    let urls: Vec<(String, &str)> = cases.iter().map(|(p, w)| (raw.url(p), *w)).collect();
    let hostile: Vec<(&str, &str)> = urls.iter().map(|(u, w)| (u.as_str(), *w)).collect();
    let (doc, m) = check_against(&good, &hostile, &["--timeout", "4", "--max-body", "4"]);
    for (u, _) in &hostile {
        let s = source(&doc, u);
        eprintln!("{u}: {} / {}", s["error"], s["reason"]);
    }
    eprintln!("protocol tricks: {:?}, peak RSS {} MiB", m.elapsed, m.peak_rss / MIB);
    assert!(m.elapsed < Duration::from_secs(60), "took {:?}", m.elapsed);
}
