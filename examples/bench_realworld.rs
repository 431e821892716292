//! Measures the watched text and the change verdicts on the real-page corpus
//! (`../shared/corpus/realworld`): pages read, article strings found,
//! furniture strings kept out, and how furniture-only and article edits of
//! each page are judged. `--list` prints every miss.
//!
//! With `CITEWATCH_ARTICLES` naming a folder of `NAME/source.html` +
//! `NAME/expected.html` (such as Mozilla Readability's test pages), also
//! scores the watched text against the expected article text in words
//! (precision, recall, F1), and judges furniture-only and article edits of
//! those pages (the expected text's paragraphs are the article's strings).
//! `--texts DIR` scores another tool's texts (`DIR/NAME.txt`) the same way.
//!
//! `CITEWATCH_SEED` draws other furniture-only and article edits of the same
//! pages (the default draws the ones the figures in the docs were made with).
//!
//! cargo run --release --example bench_realworld [-- --list] [-- --diff] [-- --only NAME] [-- --dump DIR] [-- --texts DIR]

#[path = "../tests/articles/mod.rs"]
mod articles;
#[path = "../tests/realworld/mod.rs"]
mod realworld;

fn list(f: &realworld::Figures) {
    for (what, list) in [
        ("empty", &f.empty),
        ("article string missed", &f.misses),
        ("furniture string watched", &f.junk),
        ("identical page changed", &f.identical_changed),
        ("furniture edit flagged", &f.furniture_flagged),
        ("article edit missed", &f.edits_missed),
    ] {
        for l in list {
            println!("{what}\t{l}");
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let listing = args.iter().any(|a| a == "--list");
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    if let Some(dir) = realworld::corpus_dir() {
        let mut pages = realworld::load(&dir);
        if let Some(only) = arg("--only") {
            pages.retain(|(p, _)| p.file.contains(only.as_str()));
        }
        if let Some(out) = arg("--dump") {
            let out = std::path::Path::new(out);
            std::fs::create_dir_all(out).expect("dump folder");
            for (p, html) in &pages {
                let main = citewatch::extract::extract(html.as_bytes(), Some("text/html; charset=utf-8"), None).main;
                std::fs::write(out.join(format!("{}.txt", p.file)), main).expect("write");
                let variant = realworld::furniture_variant(p, html);
                let vmain =
                    citewatch::extract::extract(variant.as_bytes(), Some("text/html; charset=utf-8"), None).main;
                std::fs::write(out.join(format!("{}.furniture.txt", p.file)), vmain).expect("write");
                std::fs::write(out.join(format!("{}.furniture.html", p.file)), variant).expect("write");
            }
        }
        let start = std::time::Instant::now();
        let f = realworld::measure(&pages);
        if listing {
            list(&f);
        }
        if args.iter().any(|a| a == "--diff") {
            for d in &f.furniture_diffs {
                println!("{d}");
            }
        }
        println!("{}", f.summary());
        println!("({} pages in {:.1} s)", f.pages, start.elapsed().as_secs_f64());
    } else {
        eprintln!("the real-page corpus is absent (../shared/corpus/realworld)");
    }
    let Some(dir) = articles::articles_dir() else {
        eprintln!("CITEWATCH_ARTICLES is not set: no pages with expected article text to score");
        return;
    };
    let pages = articles::load(&dir);
    if let Some(out) = arg("--dump") {
        let out = std::path::Path::new(out).join("articles");
        std::fs::create_dir_all(&out).expect("dump folder");
        for a in &pages {
            let main = citewatch::extract::extract(a.html.as_bytes(), Some("text/html; charset=utf-8"), None).main;
            std::fs::write(out.join(format!("{}.txt", a.name)), main).expect("write");
            std::fs::write(out.join(format!("{}.expected", a.name)), &a.expected).expect("write");
        }
    }
    let start = std::time::Instant::now();
    let ours = articles::measure(&pages);
    let elapsed = start.elapsed().as_secs_f64();
    if listing {
        let mut worst: Vec<&(String, articles::Score)> = ours.pages.iter().collect();
        worst.sort_by(|a, b| a.1.recall().total_cmp(&b.1.recall()));
        for (name, s) in worst {
            println!(
                "articles\t{name}\tprecision {:.3}\trecall {:.3}\t({} of {} words)",
                s.precision(),
                s.recall(),
                s.shared,
                s.expected
            );
        }
    }
    println!("{} ({elapsed:.1} s)", ours.summary("citewatch"));
    if let Some(texts) = arg("--texts") {
        let theirs = articles::measure_texts(&pages, std::path::Path::new(texts));
        if listing {
            for ((name, a), (_, b)) in ours.pages.iter().zip(&theirs.pages) {
                if b.recall() > a.recall() + 0.05 {
                    println!("behind\t{name}\tours {:.3}\ttheirs {:.3}", a.recall(), b.recall());
                }
            }
        }
        println!("{}", theirs.summary(texts));
    }
    // The article's sentences as quotes, searched as `check` searches them
    // (the page's full text, the matcher's word bounds).
    let (mut quotes, mut found) = (0usize, 0usize);
    for a in &pages {
        let full = citewatch::extract::extract(a.html.as_bytes(), Some("text/html; charset=utf-8"), None).full;
        let hay = citewatch::text::searchable(&full, true);
        for line in a.expected.lines() {
            for sentence in line.split_inclusive(". ").map(str::trim).filter(|s| s.split_whitespace().count() >= 6) {
                quotes += 1;
                if citewatch::text::find(&hay, &citewatch::text::query(sentence)).is_some() {
                    found += 1;
                } else if listing {
                    println!("quote not found\t{}\t{sentence}", a.name);
                }
            }
        }
    }
    println!("the article's sentences as quotes: {found} of {quotes} found");
    // Furniture-only and article edits of the same pages.
    let edited: Vec<(realworld::Page, String)> = pages
        .iter()
        .map(|a| {
            let with: Vec<String> =
                a.expected.lines().map(str::trim).filter(|l| l.chars().count() >= 40).map(str::to_string).collect();
            (realworld::Page { file: a.name.clone(), with, without: Vec::new() }, a.html.clone())
        })
        .collect();
    let f = realworld::measure(&edited);
    if listing {
        list(&f);
    }
    println!("expected paragraphs as article strings: {}", f.summary());
}
