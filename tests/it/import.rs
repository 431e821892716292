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
    assert!(run.stderr.contains("nothing written (--dry-run)"), "{}", run.stderr);
    assert!(run.stdout.contains("confidence = 0."), "{}", run.stdout);
}
