//! A simulated web for a claims file, on 127.0.0.1: every cited URL is served
//! as a page carrying the text of the claims that cite it, so a check can run
//! without the internet (`check --remap`). `GET /__next` moves the web to its
//! second state, where some pages vanish, move, change a figure, refuse
//! access or fail — the rot a real web shows over months.
//!
//! ```sh
//! cargo run --release --example simweb -- claims/mali-fama-2022.toml 8099 &
//! REMAP='^https?://(.*)$ http://127.0.0.1:8099/$1'
//! citewatch check --cache /tmp/mali --remap "$REMAP" --quiet
//! curl -s 127.0.0.1:8099/__next
//! citewatch check --cache /tmp/mali --remap "$REMAP" --quiet
//! citewatch report --cache /tmp/mali --output mali-report.html
//! ```

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().expect("usage: simweb CLAIMS.toml [PORT]");
    let port: u16 = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(8099);
    let factsheets = citewatch::claims::load_files(&[path.into()]).expect("a valid claims file");
    let plan = citewatch::plan::build(&factsheets);
    // Each page: key (host + path, query) → texts of the claims citing it.
    let mut pages: Vec<(String, String, Vec<String>)> = Vec::new();
    for p in &plan {
        let mut texts = Vec::new();
        for c in &p.cites {
            let claim = &factsheets[c.factsheet].claims[c.claim];
            texts.push(claim.text.clone());
            for q in claim.quotes.iter().chain(&claim.sources[c.cite].quotes) {
                texts.push(q.clone());
            }
            for f in &claim.sources[c.cite].fragments {
                texts.push(
                    [f.prefix.clone(), Some(f.start.clone()), f.end.clone(), f.suffix.clone()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            }
        }
        let path = p.key.split_once("://").map(|x| x.1).unwrap_or(&p.key).to_string();
        let title = p
            .url
            .path_segments()
            .and_then(|mut s| s.rfind(|x| !x.is_empty()))
            .unwrap_or("Home")
            .replace(['-', '_'], " ");
        pages.push((path, title, texts));
    }
    let next = Arc::new(AtomicBool::new(false));
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind");
    eprintln!("simulated web of {} pages on http://127.0.0.1:{port}/ (GET /__next for the second state)", pages.len());
    for stream in listener.incoming().flatten() {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() {
            continue;
        }
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                break;
            }
        }
        let target = line.split_whitespace().nth(1).unwrap_or("/").trim_start_matches('/').to_string();
        let (status, headers, body) = respond(&target, &pages, &next);
        let mut out = stream;
        let _ =
            write!(out, "HTTP/1.1 {status} X\r\nConnection: close\r\nContent-Length: {}\r\n{headers}\r\n", body.len());
        let _ = out.write_all(body.as_bytes());
    }
}

fn respond(target: &str, pages: &[(String, String, Vec<String>)], next: &AtomicBool) -> (u16, String, String) {
    let html = "Content-Type: text/html; charset=utf-8\r\n".to_string();
    if target == "__next" {
        next.store(true, Ordering::SeqCst);
        return (200, html, "second state\n".into());
    }
    if let Some(moved) = target.strip_prefix("moved/") {
        if let Some((_, title, texts)) = pages.iter().find(|(p, _, _)| p == moved) {
            return (200, html, page(title, texts, false));
        }
    }
    let Some(i) = pages.iter().position(|(p, _, _)| p == target) else {
        let home = target.split('/').next().unwrap_or("");
        if !home.is_empty() && target.trim_end_matches('/') == home {
            return (200, html, page("Home", &["Welcome to our website.".into()], false));
        }
        return (
            404,
            html,
            "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>".into(),
        );
    };
    let (path, title, texts) = &pages[i];
    if !next.load(Ordering::SeqCst) {
        return (200, html, page(title, texts, false));
    }
    let host = path.split('/').next().unwrap_or("");
    match i % 23 {
        3 | 14 => (404, html, "<html><head><title>Page not found</title></head><body>Not found</body></html>".into()),
        5 => (301, format!("Location: /moved/{path}\r\n"), String::new()),
        7 | 18 => (200, html, page(title, texts, true)),
        9 => (403, html, "<html><head><title>Just a moment...</title></head><body></body></html>".into()),
        11 => (302, format!("Location: /{host}/\r\n"), String::new()),
        16 => (503, html, "<html><body>Service unavailable</body></html>".into()),
        20 => (200, html, page("Page introuvable", &["Cette page n'existe plus.".into()], false)),
        _ => (200, html, page(title, texts, false)),
    }
}

/// A page with chrome around the texts; `changed` rewrites its figures.
fn page(title: &str, texts: &[String], changed: bool) -> String {
    let mut body = String::new();
    for t in texts {
        let t = if changed {
            t.chars()
                .map(|c| if c.is_ascii_digit() { char::from(b'0' + (c as u8 - b'0' + 3) % 10) } else { c })
                .collect()
        } else {
            t.clone()
        };
        body.push_str(&format!("<p>{}</p>\n", escape(&t)));
    }
    if changed {
        body.push_str("<p>This page was updated with revised figures.</p>\n");
    }
    format!(
        "<!DOCTYPE html><html><head><title>{}</title></head><body><nav><a href=\"/\">Home</a></nav>\
         <main><h1>{}</h1>\n{body}</main><footer>Footer</footer></body></html>",
        escape(title),
        escape(title)
    )
}
