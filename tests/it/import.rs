//! `citewatch import` through the binary, on the real customer document.

use crate::support::*;

fn seed() -> Option<std::path::PathBuf> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/000_7cb871625f077ed3.txt");
    if p.exists() {
        Some(p)
    } else {
        eprintln!("seed {} not found; skipping", p.display());
        None
    }
}

#[test]
fn imports_the_seed_then_validates_checks_and_merges() {
    let Some(seed) = seed() else { return };
    let p = Project::new();
    let run = p.run(&["import", seed.to_str().unwrap(), "--id", "mali-fama-2022"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("17 page(s)"), "{}", run.stdout);
    assert!(run.stdout.contains("135 distinct URLs"), "{}", run.stdout);
    let file = p.path().join("claims/mali-fama-2022.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("title = \"The Case of Mali and the Malian Armed Forces (FAMa)\""));
    assert!(!text.contains("text = \"Factsheet: The Case of Mali"), "a running header became a claim");

    let run = p.run(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("135 distinct URLs"), "{}", run.stdout);
    let run = p.run(&["check", "--offline", "--quiet"]);
    assert_eq!(run.code, 0, "offline with an empty cache: every claim unverified: {}", run.stdout);

    // A second import refuses to overwrite; --merge keeps the editor's quote.
    assert_eq!(p.run(&["import", seed.to_str().unwrap(), "--id", "mali-fama-2022"]).code, 2);
    let edited = text.replacen(
        "sources = [\n  \"https://sgp.fas.org/crs/row/IF11267.pdf\",",
        "quotes = [\"Section 7008\"]\nsources = [\n  { url = \"https://sgp.fas.org/crs/row/IF11267.pdf\", archived = \"https://web.archive.org/web/2022/https://sgp.fas.org/crs/row/IF11267.pdf\" },",
        1,
    );
    assert_ne!(edited, text, "the fixture edit must apply");
    std::fs::write(&file, &edited).unwrap();
    let run = p.run(&["import", seed.to_str().unwrap(), "--id", "mali-fama-2022", "--merge"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let merged = std::fs::read_to_string(&file).unwrap();
    assert!(merged.contains("Section 7008"), "the editor's quote is kept");
    assert!(merged.contains("web.archive.org/web/2022/https://sgp.fas.org"), "the archived copy is kept");
    assert_eq!(p.run(&["validate"]).code, 0);
}

#[test]
fn unreadable_input_is_a_clear_error() {
    let p = Project::new();
    std::fs::write(p.path().join("junk.bin"), [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    std::fs::write(p.path().join("empty.md"), "").unwrap();
    for f in ["junk.bin", "empty.md", "missing.txt"] {
        let run = p.run(&["import", f]);
        assert_eq!(run.code, 2, "{f}: {}", run.stdout);
        assert!(run.stderr.starts_with("error: "), "{f}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{f}: {}", run.stderr);
    }
    std::fs::write(p.path().join("nolinks.html"), "<html><body><p>No links at all.</p></body></html>").unwrap();
    // HTML with no links: an empty but valid claims file, said plainly.
    let run = p.run(&["import", "nolinks.html", "--dry-run", "--id", "x", "--title", "X"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("0 claims, 0 distinct URLs"), "{}", run.stderr);
    assert!(run.stdout.contains("[factsheet]\nid = \"x\"\ntitle = \"X\""), "{}", run.stdout);
    assert!(!run.stdout.contains("[[claim]]"), "{}", run.stdout);
}
