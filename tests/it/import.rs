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
fn markdown_tables_and_link_introducers_import_as_sentences() {
    let p = Project::new();
    let md = "# Testland\n\n## Donors\n\n| Donor | Amount | Year |\n|---|---|---|\n| [USAID](https://www.usaid.gov/testland) | $16.56 million | 2021 |\n\nFigures for 2021 come from OCHA, see https://reliefweb.int/report/testland.\n";
    std::fs::write(p.path().join("f.md"), md).unwrap();
    let run = p.run(&["import", "f.md", "--id", "testland"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(p.path().join("claims/testland.toml")).unwrap();
    assert!(text.contains("text = \"Donor: USAID; Amount: $16.56 million; Year: 2021.\""), "{text}");
    assert!(!text.contains("text = \"USAID\""), "{text}");
    assert!(text.contains("text = \"Figures for 2021 come from OCHA.\""), "{text}");
    assert!(!text.contains(", see."), "{text}");
    assert_eq!(p.run(&["validate"]).code, 0);
}

#[test]
fn a_pdf_printed_from_a_browser_keeps_its_print_margins_out() {
    let p = Project::new();
    let page_url = "https://example.org/testland/facts";
    let pdf = pdf_pages(&[
        (
            &[
                "12/2/26, 3:14 PM Testland: the facts",
                "In 2021, OCHA reported a record high of 401,850 internally displaced persons in Testland.",
                "https://example.org/testland/facts 1/2",
            ],
            &["https://reliefweb.int/report/testland/hrp-2022", page_url],
        ),
        (
            &[
                "12/2/26, 3:14 PM Testland: the facts",
                "Human Rights Watch documented executions of civilians in Segou in March 2022.",
                "https://example.org/testland/facts 2/2",
            ],
            &["https://www.hrw.org/news/2022/03/15/testland-executions", page_url],
        ),
    ]);
    std::fs::write(p.path().join("printed.pdf"), pdf).unwrap();
    let run = p.run(&["import", "printed.pdf", "--id", "printed"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(p.path().join("claims/printed.toml")).unwrap();
    assert!(!text.contains("3:14 PM"), "the print header became a claim:\n{text}");
    assert!(!text.contains("1/2") && !text.contains("2/2"), "the page counter became a claim:\n{text}");
    assert!(!text.contains(page_url), "the printed URL became a citation:\n{text}");
    assert!(text.contains("title = \"Testland: the facts\""), "{text}");
    assert!(
        text.contains(
            "text = \"In 2021, OCHA reported a record high of 401,850 internally displaced persons in Testland.\""
        ),
        "{text}"
    );
    assert_eq!(text.matches("[[claim]]").count(), 2, "{text}");
}

#[test]
fn dry_run_prints_only_the_file_and_points_at_nothing_unwritten() {
    let p = Project::new();
    // Links whose words match no sentence: placements below 0.6 confidence.
    let text = "The army left the northern town in May after heavy fighting with insurgents.\nAid groups counted more displaced families than in any year before.\nPrices of grain doubled across the region during the lean season.\nhttps://example.org/a1\nhttps://example.org/b2\n";
    std::fs::write(p.path().join("low.txt"), text).unwrap();
    let run = p.run(&["import", "low.txt", "--id", "mali", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!p.path().join("claims/mali.toml").exists());
    // stdout is the claims file alone: it parses.
    let parsed: Result<toml::Value, _> = toml::from_str(&run.stdout);
    assert!(parsed.is_ok(), "stdout is not just the TOML file");
    assert!(!run.stdout.contains("grep") && !run.stderr.contains("grep"), "{}", run.stderr);
    assert!(run.stderr.contains("2 placement(s) below 0.6 confidence"), "{}", run.stderr);
    assert!(run.stderr.contains("dry run: nothing written"), "{}", run.stderr);
    assert!(run.stderr.contains("the 2 low-confidence placement(s) are the claims with"), "{}", run.stderr);
    assert!(run.stdout.contains("confidence = 0."), "{}", run.stdout);
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
    assert!(dry.stdout.is_empty(), "no diff: {}", dry.stdout);
    assert!(dry.stderr.contains("no change to claims/mali-fama-2022.toml"), "{}", dry.stderr);
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
