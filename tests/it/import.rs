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

#[test]
fn the_seed_merged_into_the_shipped_mali_file_changes_nothing() {
    let Some(seed) = seed() else { return };
    let p = Project::new();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("claims");
    let shipped = std::fs::read(repo.join("mali-fama-2022.toml")).unwrap();
    let record = std::fs::read(repo.join("mali-fama-2022.imported")).unwrap();
    p.claims("mali-fama-2022.toml", std::str::from_utf8(&shipped).unwrap());
    p.claims("mali-fama-2022.imported", std::str::from_utf8(&record).unwrap());
    let args = ["import", seed.to_str().unwrap(), "--id", "mali-fama-2022", "--merge"];
    let dry = p.run(&[&args[..], &["--dry-run"]].concat());
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(dry.stdout.contains("no change to claims/mali-fama-2022.toml"), "{}", dry.stdout);
    let run = p.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("the document changed nothing"), "{}", run.stdout);
    assert!(run.stdout.contains("118 unchanged, 0 changed, 0 added"), "{}", run.stdout);
    assert_eq!(std::fs::read(p.path().join("claims/mali-fama-2022.toml")).unwrap(), shipped, "byte for byte");
    assert_eq!(std::fs::read(p.path().join("claims/mali-fama-2022.imported")).unwrap(), record);
}

#[test]
fn a_revised_markdown_document_merges_what_it_changed() {
    let p = Project::new();
    let v1 = "# Moura\n\n## Events\n\nSoldiers killed 35 people in Moura, [HRW](https://hrw.example/moura) said.\n\nThe army denied the killings [FAMa](https://fama.example/statement) and [AFP](https://afp.example/denial).\n\nThe photo shows soldiers at Loumbila [Flickr](https://flickr.example/photo).\n";
    std::fs::write(p.path().join("moura.md"), v1).unwrap();
    let run = p.run(&["import", "moura.md", "--id", "moura"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(p.path().join("claims/moura.imported").exists(), "import writes its record");
    let file = p.path().join("claims/moura.toml");
    // The editor: a comment on every claim, and the photo claim deleted.
    let edited: String = std::fs::read_to_string(&file)
        .unwrap()
        .split("\n\n")
        .filter(|b| !b.contains("flickr.example"))
        .map(|b| b.replace("[[claim]]\n", "# checked by hand\n[[claim]]\n"))
        .collect::<Vec<_>>()
        .join("\n\n");
    std::fs::write(&file, &edited).unwrap();
    let v2 = v1
        .replace("killed 35 people", "killed 36 people")
        .replace(" and [AFP](https://afp.example/denial)", "")
        .replace("soldiers at", "soldiers training at")
        .replace("\nThe photo", "\nThe UN opened an inquiry [MINUSMA](https://minusma.example/inquiry).\n\nThe photo");
    std::fs::write(p.path().join("moura.md"), &v2).unwrap();

    let dry = p.run(&["import", "moura.md", "--id", "moura", "--merge", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(dry.stdout.contains("--- claims/moura.toml"), "a diff of the claims file: {}", dry.stdout);
    assert!(dry.stdout.contains("\n-text = \"Soldiers killed 35 people"), "{}", dry.stdout);
    assert!(dry.stdout.contains("\n+text = \"Soldiers killed 36 people"), "{}", dry.stdout);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), edited, "a dry run writes nothing");

    let run = p.run(&["import", "moura.md", "--id", "moura", "--merge"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    assert!(out.contains("\"35 people\" → \"36 people\""), "{out}");
    assert!(out.contains("1 added: "), "{out}");
    assert!(out.contains("1 link dropped: https://afp.example/denial"), "{out}");
    assert!(out.contains("1 deleted claim: "), "{out}");
    let merged = std::fs::read_to_string(&file).unwrap();
    assert!(merged.contains("Soldiers killed 36 people"));
    assert!(merged.contains("https://afp.example/denial"), "a dropped link is reported, not removed");
    assert!(merged.contains("https://minusma.example/inquiry"));
    assert!(!merged.contains("flickr.example"), "the deleted claim stays deleted");
    assert_eq!(merged.matches("# checked by hand\n").count(), edited.matches("# checked by hand\n").count());
    assert_eq!(p.run(&["validate"]).code, 0);
    // Again: nothing left to do.
    let run = p.run(&["import", "moura.md", "--id", "moura", "--merge"]);
    assert!(run.stdout.contains("the document changed nothing"), "{}", run.stdout);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), merged);
}
