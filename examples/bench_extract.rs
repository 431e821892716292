//! CPU per page of what a cold `check` does to every body it fetches:
//! extraction (full and watched texts), the normalised texts kept for
//! quotes, figures and the fingerprint, and the watched text's lock shape
//! (compared and block hashes, MinHash sketch).
//!
//! `cargo run --release --example bench_extract -- DIR [ROUNDS] [--digests FILE]`
//!
//! DIR holds HTML pages (files, or folders holding `source.html`). With `--digests FILE`, a digest of
//! every output of every page is written to FILE, one line per page: two
//! builds whose files are equal produced the same texts, byte for byte.

use std::time::Instant;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let digests = args.iter().position(|a| a == "--digests").map(|i| {
        let file = args.get(i + 1).cloned().unwrap_or_else(|| usage());
        args.drain(i..=i + 1);
        file
    });
    let Some(dir) = args.first() else { usage() };
    let rounds: usize = args.get(1).map(|r| r.parse().unwrap_or_else(|_| usage())).unwrap_or(3).max(1);
    let mut paths: Vec<std::path::PathBuf> = match std::fs::read_dir(dir) {
        Ok(d) => d.flatten().map(|e| e.path()).collect(),
        Err(e) => {
            eprintln!("error: {dir}: {e}");
            std::process::exit(2);
        }
    };
    paths.sort();
    let pages: Vec<(String, Vec<u8>)> = paths
        .iter()
        .filter_map(|p| {
            let file = if p.is_dir() { p.join("source.html") } else { p.clone() };
            Some((p.display().to_string(), std::fs::read(file).ok()?))
        })
        .collect();
    if pages.is_empty() {
        eprintln!("error: no pages in {dir}");
        std::process::exit(2);
    }
    let bytes: usize = pages.iter().map(|(_, b)| b.len()).sum();
    let (mut extract, mut normalise, mut shape) = (0f64, 0f64, 0f64);
    let mut lines = String::new();
    let started = Instant::now();
    for round in 0..rounds {
        for (name, body) in &pages {
            let a = Instant::now();
            let ex = citewatch::extract::extract(body, Some("text/html"), None);
            let b = Instant::now();
            // As `check` does for a first baseline: the shape first, whose
            // fold is the normalised watched text when nothing was stripped.
            let (s, free) = citewatch::lock::shape_normalized("html", &ex.main, &[]);
            let c = Instant::now();
            let main = free.unwrap_or_else(|| citewatch::text::normalize(&ex.main));
            let full = citewatch::text::searchable(&ex.full, true);
            let full_norm = citewatch::text::normalize_given_searchable(&ex.full, &full);
            let d = Instant::now();
            extract += (b - a).as_secs_f64();
            shape += (c - b).as_secs_f64();
            normalise += (d - c).as_secs_f64();
            if round == 0 && digests.is_some() {
                let h = |x: &str| citewatch::extract::sha256(x.as_bytes())[..16].to_string();
                let shape = format!("{s:?}");
                lines.push_str(&format!(
                    "{name} {} {} {} {} {} {}\n",
                    h(&ex.main),
                    h(&ex.full),
                    h(&main),
                    h(&full),
                    h(&full_norm),
                    h(&shape)
                ));
            }
        }
    }
    let n = (pages.len() * rounds) as f64;
    let ms = |t: f64| t * 1e3 / n;
    println!(
        "{} pages, {:.1} MB, {rounds} rounds: {:.3} ms per page (extract {:.3}, normalise {:.3}, lock shape {:.3})",
        pages.len(),
        bytes as f64 / 1e6,
        ms(started.elapsed().as_secs_f64()),
        ms(extract),
        ms(normalise),
        ms(shape)
    );
    if let Some(file) = digests {
        if let Err(e) = std::fs::write(&file, lines) {
            eprintln!("error: {file}: {e}");
            std::process::exit(2);
        }
    }
}

fn usage() -> ! {
    eprintln!("usage: bench_extract DIR [ROUNDS] [--digests FILE]");
    std::process::exit(2);
}
