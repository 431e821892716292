//! Measures the watched text and the change verdicts on the real-page corpus
//! (`../shared/corpus/realworld`): pages read, article strings found,
//! furniture strings kept out, and how furniture-only and article edits of
//! each page are judged. `--list` prints every miss.
//!
//! cargo run --release --example bench_realworld [-- --list] [-- --diff] [-- --dump DIR] [-- --only NAME]

#[path = "../tests/realworld/mod.rs"]
mod realworld;

fn main() {
    let Some(dir) = realworld::corpus_dir() else {
        eprintln!("the real-page corpus is absent (../shared/corpus/realworld): nothing to measure");
        return;
    };
    let args: Vec<String> = std::env::args().collect();
    let mut pages = realworld::load(&dir);
    if let Some(i) = args.iter().position(|a| a == "--only") {
        let only = &args[i + 1];
        pages.retain(|(p, _)| p.file.contains(only.as_str()));
    }
    if let Some(i) = args.iter().position(|a| a == "--dump") {
        let out = std::path::Path::new(&args[i + 1]);
        std::fs::create_dir_all(out).expect("dump folder");
        for (p, html) in &pages {
            let main = citewatch::extract::extract(html.as_bytes(), Some("text/html; charset=utf-8"), None).main;
            std::fs::write(out.join(format!("{}.txt", p.file)), main).expect("write");
            let variant = realworld::furniture_variant(p, html);
            let vmain = citewatch::extract::extract(variant.as_bytes(), Some("text/html; charset=utf-8"), None).main;
            std::fs::write(out.join(format!("{}.furniture.txt", p.file)), vmain).expect("write");
            std::fs::write(out.join(format!("{}.furniture.html", p.file)), variant).expect("write");
        }
    }
    let start = std::time::Instant::now();
    let f = realworld::measure(&pages);
    if args.iter().any(|a| a == "--list") {
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
    if args.iter().any(|a| a == "--diff") {
        for d in &f.furniture_diffs {
            println!("{d}");
        }
    }
    println!("{}", f.summary());
    println!("({} pages in {:.1} s)", f.pages, start.elapsed().as_secs_f64());
}
