//! Tests of the whole import: fixtures in every format, malformed input,
//! the seed factsheet, merge.

use std::path::{Path, PathBuf};

use super::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

fn updating() -> bool {
    std::env::var_os("UPDATE_FIXTURES").is_some()
}

/// Compare with the expected file (or write it with UPDATE_FIXTURES=1).
fn check_expected(name: &str, got: &str) {
    let path = fixture(name);
    if updating() || !path.exists() {
        std::fs::write(&path, got).expect("write expected fixture");
        return;
    }
    let want = std::fs::read_to_string(&path).expect("read expected fixture");
    assert_eq!(got, want, "{name} differs; rerun with UPDATE_FIXTURES=1 after checking the change");
}

fn import_fixture(name: &str) -> Imported {
    let path = fixture(name);
    let bytes = std::fs::read(&path).expect("fixture");
    import(&path, &bytes, &ImportOptions::default()).expect("import")
}

fn parses(s: &str) -> toml::Table {
    toml::from_str(s).unwrap_or_else(|e| panic!("output is not TOML: {e}\n{s}"))
}

/// The sample PDF: two pages, a compressed (FlateDecode) content stream,
/// URI link annotations (one link split over two annotations).
fn make_sample_pdf() -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream};
    let pages: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec![
                "Factsheet: The Case of Testland and Its Army",
                "Summary",
                "In 2021, the U.S. provided $16.56 million in peace and security assistance to",
                "Testland, according to the State Department. Nobody disputes this.",
                "Human Rights Watch reported that 35 people were executed in March 2022.",
                "1",
            ],
            vec![
                "https://www.state.gov/u-s-relations-with-testland/",
                "https://www.hrw.org/news/2022/03/15/testland-new-wave-executions-civilians",
                "https://www.hrw.org/news/2022/03/15/testland-new-wave-executions-civilians",
            ],
        ),
        (
            vec![
                "Factsheet: The Case of Testland and Its Army",
                "Sweden has followed suit and withdrew its troops from Testland. The weather",
                "was fine. OCHA reported a record high of 401,850 internally displaced persons.",
                "2",
            ],
            vec![
                "https://turkishpress.com/sweden-to-withdraw-troops/#:~:text=Sweden%20has%20decided%20to%20withdraw.",
                "https://reliefweb.int/report/testland/humanitarian-response-plan-displaced-persons-2022",
            ],
        ),
    ];
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids: Vec<Object> = Vec::new();
    for (lines, links) in &pages {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 10.into()]),
            Operation::new("Td", vec![50.into(), 780.into()]),
        ];
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                ops.push(Operation::new("Td", vec![0.into(), (-16).into()]));
            }
            ops.push(Operation::new("Tj", vec![Object::string_literal(*l)]));
        }
        ops.push(Operation::new("ET", vec![]));
        let mut stream = Stream::new(dictionary! {}, Content { operations: ops }.encode().expect("encode"));
        stream.compress().expect("compress");
        assert!(stream.dict.get(b"Filter").is_ok(), "content stream must be compressed");
        let content_id = doc.add_object(stream);
        let mut annots: Vec<Object> = Vec::new();
        for (i, u) in links.iter().enumerate() {
            let y = 700 - 16 * i as i64;
            let id = doc.add_object(dictionary! {
                "Type" => "Annot", "Subtype" => "Link",
                "Rect" => vec![50.into(), y.into(), 300.into(), (y + 12).into()],
                "Border" => vec![0.into(), 0.into(), 0.into()],
                "A" => dictionary! { "S" => "URI", "URI" => Object::string_literal(*u) },
            });
            annots.push(id.into());
        }
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Annots" => annots,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects
        .insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }));
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut buf = Vec::new();
    doc.save_to(&mut buf).expect("save pdf");
    buf
}

fn sample_pdf_bytes() -> Vec<u8> {
    let path = fixture("sample.pdf");
    if updating() || !path.exists() {
        std::fs::write(&path, make_sample_pdf()).expect("write sample.pdf");
    }
    std::fs::read(path).expect("sample.pdf")
}

fn claim<'a>(imp: &'a Imported, needle: &str) -> &'a ImportedClaim {
    imp.claims
        .iter()
        .find(|c| c.text.contains(needle))
        .unwrap_or_else(|| panic!("no claim with {needle:?} in {:#?}", imp.claims))
}

// ---- fixtures -------------------------------------------------------

#[test]
fn sample_txt() {
    let imp = import_fixture("sample.txt");
    assert_eq!(imp.format, Format::Text);
    assert_eq!(imp.title, "The Case of Testland and Its Army");
    assert_eq!(imp.id, "case-testland-army");
    assert_eq!(imp.pages, 3);
    assert_eq!(imp.link_lines, 5);
    assert_eq!(imp.placed_link_lines, 5);
    assert_eq!(imp.distinct_urls, 4);
    let c = claim(&imp, "$16.56 million");
    assert_eq!(c.text, "In 2021, the U.S. provided $16.56 million in peace and security assistance to Testland, according to the State Department.");
    assert_eq!(c.sources, vec!["https://www.state.gov/u-s-relations-with-testland/"]);
    assert_eq!(c.where_.as_deref(), Some("p. 1"));
    assert!(c.id.starts_with("p01-"), "{}", c.id);
    let c = claim(&imp, "Human Rights Watch");
    assert_eq!(c.text, "Human Rights Watch reported that 35 people were executed in Ségou in March 2022.");
    assert_eq!(c.sources.len(), 1, "a URL broken over two lines is one link");
    // the text fragment keeps its trailing period
    let c = claim(&imp, "Sweden");
    assert_eq!(
        c.sources,
        vec!["https://turkishpress.com/sweden-to-withdraw-troops/#:~:text=Sweden%20has%20decided%20to%20withdraw."]
    );
    let c = claim(&imp, "401,850");
    assert_eq!(c.where_.as_deref(), Some("p. 2"));
    assert!(imp.claims.iter().all(|c| !c.text.contains("Factsheet:")));
    let out = render_toml(&imp, "sample.txt");
    parses(&out);
    check_expected("sample.txt.expected.toml", &out);
}

#[test]
fn sample_md() {
    let imp = import_fixture("sample.md");
    assert_eq!(imp.format, Format::Markdown);
    assert_eq!(imp.title, "The Case of Testland");
    let c = claim(&imp, "$16.56");
    assert_eq!(
        c.text,
        "In 2021, the U.S. provided $16.56 million in security assistance, according to the State Department."
    );
    assert_eq!(c.where_.as_deref(), Some("Summary"));
    assert!(c.id.starts_with("summary-"), "{}", c.id);
    let c = claim(&imp, "Human Rights Watch");
    assert_eq!(c.sources, vec!["https://www.hrw.org/news/2022/03/15/testland-executions"]);
    let c = claim(&imp, "Sweden");
    assert_eq!(c.text, "Sweden withdrew its troops.");
    assert_eq!(c.sources, vec!["https://turkishpress.com/sweden-to-withdraw-troops/"]);
    let c = claim(&imp, "401,850");
    assert_eq!(c.sources, vec!["https://reliefweb.int/report/testland/humanitarian-response-plan-2022"]);
    assert_eq!(c.where_.as_deref(), Some("Displacement"));
    let c = claim(&imp, "Contact us");
    assert_eq!(c.sources, vec!["https://example.org/about"]);
    let out = render_toml(&imp, "sample.md");
    parses(&out);
    check_expected("sample.md.expected.toml", &out);
}

#[test]
fn sample_html() {
    let imp = import_fixture("sample.html");
    assert_eq!(imp.format, Format::Html);
    assert_eq!(imp.title, "The Case of Testland");
    let c = claim(&imp, "$16.56");
    assert_eq!(c.sources, vec!["https://www.state.gov/u-s-relations-with-testland/"]);
    assert_eq!(c.where_.as_deref(), Some("Summary"));
    let c = claim(&imp, "Human Rights Watch");
    assert_eq!(c.text, "Human Rights Watch reported executions in Ségou.");
    assert_eq!(c.sources, vec!["https://www.hrw.org/news/2022/03/15/testland-executions"]);
    let c = claim(&imp, "401,850");
    assert_eq!(c.sources, vec!["https://example.org/factsheets/reports/ocha-2022.html"]);
    assert!(claim(&imp, "Sweden").sources[0].starts_with("https://turkishpress.com/"));
    assert!(imp.claims.iter().all(|c| c.sources.iter().all(|s| s.starts_with("http"))));
    assert!(imp.claims.iter().all(|c| !c.text.contains("outside")));
    let out = render_toml(&imp, "sample.html");
    parses(&out);
    check_expected("sample.html.expected.toml", &out);
}

#[test]
fn sample_pdf() {
    let bytes = sample_pdf_bytes();
    let path = fixture("sample.pdf");
    assert_eq!(detect_format(Path::new("x.bin"), &bytes), Format::Pdf);
    let imp = import(&path, &bytes, &ImportOptions::default()).expect("import pdf");
    assert_eq!(imp.format, Format::Pdf);
    assert_eq!(imp.pages, 2);
    assert_eq!(imp.title, "The Case of Testland and Its Army");
    assert_eq!(imp.distinct_urls, 4);
    assert_eq!(imp.link_lines, 5);
    assert_eq!(imp.placed_link_lines, 5);
    let c = claim(&imp, "$16.56");
    assert_eq!(c.sources, vec!["https://www.state.gov/u-s-relations-with-testland/"]);
    assert_eq!(claim(&imp, "Human Rights Watch").sources.len(), 1);
    assert!(claim(&imp, "Sweden").sources[0].ends_with("withdraw."));
    assert_eq!(claim(&imp, "401,850").where_.as_deref(), Some("p. 2"));
    let out = render_toml(&imp, "sample.pdf");
    parses(&out);
    check_expected("sample.pdf.expected.toml", &out);
}

// ---- detection and malformed input ----------------------------------

#[test]
fn detects_formats() {
    let p = Path::new("noext");
    assert_eq!(detect_format(Path::new("a.PDF"), b""), Format::Pdf);
    assert_eq!(detect_format(Path::new("a.md"), b""), Format::Markdown);
    assert_eq!(detect_format(Path::new("a.htm"), b""), Format::Html);
    assert_eq!(detect_format(p, b"%PDF-1.7\n..."), Format::Pdf);
    assert_eq!(detect_format(p, b"<!DOCTYPE html><html>"), Format::Html);
    assert_eq!(detect_format(p, b"Some [link](https://a.org)"), Format::Markdown);
    assert_eq!(detect_format(p, b"plain text\nhttps://a.org\n"), Format::Text);
}

#[test]
fn empty_input_is_a_clear_error() {
    for name in ["e.txt", "e.md", "e.html", "e.pdf"] {
        let e = import(Path::new(name), b"", &ImportOptions::default()).unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
        let e = import(Path::new(name), b" \n\n", &ImportOptions::default()).unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
    }
}

#[test]
fn binary_junk_is_a_clear_error() {
    let junk: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
    for name in ["j.txt", "j.md", "j.html", "j.pdf", "j.bin"] {
        let r = import(Path::new(name), &junk, &ImportOptions::default());
        let e = r.expect_err(name);
        assert!(!e.message.is_empty());
    }
}

#[test]
fn pdf_without_text_or_truncated() {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content_id = doc.add_object(Stream::new(dictionary! {}, b"0 0 m 10 10 l S".to_vec()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut buf = Vec::new();
    doc.save_to(&mut buf).expect("save");
    let e = import(Path::new("blank.pdf"), &buf, &ImportOptions::default()).unwrap_err();
    assert!(e.message.contains("no extractable text"), "{e}");
    // truncated PDF
    let full = sample_pdf_bytes();
    let r = import(Path::new("cut.pdf"), &full[..full.len() / 3], &ImportOptions::default());
    match r {
        Err(e) => assert!(!e.message.is_empty()),
        Ok(imp) => assert!(imp.claims.iter().all(|c| !c.sources.is_empty())),
    }
}

#[test]
fn no_links_gives_empty_valid_result() {
    for (name, src) in [
        ("n.html", "<html><body><h1>T</h1><p>No links here.</p></body></html>"),
        ("n.md", "# T\n\nNo links here.\n"),
        ("n.txt", " Just text.\n\nMore text.\n"),
    ] {
        let imp = import(Path::new(name), src.as_bytes(), &ImportOptions::default()).expect(name);
        assert!(imp.claims.is_empty());
        let out = render_toml(&imp, name);
        let t = parses(&out);
        assert!(t.get("claim").is_none());
    }
}

#[test]
fn bad_id_is_rejected_and_options_apply() {
    let opts = ImportOptions { id: Some("Bad Id".into()), ..Default::default() };
    assert!(import(Path::new("a.md"), b"# T\n", &opts).is_err());
    let opts = ImportOptions {
        id: Some("my-sheet".into()),
        title: Some("Given \"quoted\" title\\".into()),
        format: Some(Format::Markdown),
        base_url: Some("https://base.org/dir/".into()),
    };
    let imp = import(Path::new("a.txt"), b"# T\n\nSee [it](x/y.html).\n", &opts).unwrap();
    assert_eq!(imp.id, "my-sheet");
    assert_eq!(imp.claims[0].sources, vec!["https://base.org/dir/x/y.html"]);
    let out = render_toml(&imp, "a.txt");
    let t = parses(&out);
    assert_eq!(t["factsheet"]["title"].as_str(), Some("Given \"quoted\" title\\"));
}

#[test]
fn claim_ids_are_unique_and_valid() {
    let md = "# T\n\n## Sec\n\nRecord high [a](https://a.org). Record high [b](https://b.org). Record high [c](https://c.org).\n";
    let imp = import(Path::new("a.md"), md.as_bytes(), &ImportOptions::default()).unwrap();
    let ids: Vec<&str> = imp.claims.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, vec!["sec-record-high", "sec-record-high-2", "sec-record-high-3"]);
    assert!(ids.iter().all(|i| words::is_valid_id(i)));
}

// ---- merge ----------------------------------------------------------

const DOC_V1: &str = "# Moura\n\n## Events\n\nSoldiers killed 35 people in Moura, [HRW](https://hrw.example/moura) said.\n\nThe army denied the killings in a statement [FAMa](https://fama.example/statement).\n\nA drone struck the market of Djenné on 3 May [ACLED](https://acled.example/djenne) and [Reuters](https://reuters.example/djenne).\n\nThe photo shows soldiers at Loumbila [Flickr](https://flickr.example/photo).\n\nAid groups counted 35 people dead, according to [MSF](https://msf.example/moura).\n";

fn md(text: &str) -> Imported {
    import(Path::new("moura.md"), text.as_bytes(), &ImportOptions { id: Some("moura".into()), ..Default::default() })
        .unwrap()
}

/// The claims file without the claim `id` (its comment, table and the blank line).
fn delete_claim(file: &str, id: &str) -> String {
    let blocks: Vec<&str> = file.split("\n\n").filter(|b| !b.contains(&format!("id = \"{id}\"\n"))).collect();
    blocks.join("\n\n")
}

fn id_of(imp: &Imported, needle: &str) -> String {
    claim(imp, needle).id.clone()
}

#[test]
fn merging_the_same_document_changes_nothing() {
    let imp = md(DOC_V1);
    let file = render_toml(&imp, "moura.md");
    let rec = Record::of(&imp, "moura.md");
    let m = merge(&file, Some(&rec), &imp).unwrap();
    assert_eq!(m.text, file);
    assert!(m.report.is_empty(), "{:?}", m.report);
    assert_eq!(m.report.unchanged, imp.claims.len());
    assert_eq!(m.record, rec);
    assert!(merge("not toml [", Some(&rec), &imp).is_err());
}

#[test]
fn merge_brings_in_only_what_the_document_changed() {
    let v1 = md(DOC_V1);
    let rec = Record::of(&v1, "moura.md");
    let (soldiers, army, drone, photo, aid) = (
        id_of(&v1, "Soldiers killed"),
        id_of(&v1, "army denied"),
        id_of(&v1, "drone struck"),
        id_of(&v1, "photo shows"),
        id_of(&v1, "Aid groups"),
    );
    // The editor: a comment, a quote, an edited claim (aid), a deleted one (photo).
    let mut file = render_toml(&v1, "moura.md");
    file = file.replacen("[[claim]]\n", "# checked by hand, right\n[[claim]]\n", 1);
    file = file
        .replace("Aid groups counted 35 people dead, according to MSF.", "Aid groups counted 35 people dead (MSF).");
    assert!(file.contains("(MSF)."), "the fixture edit must apply: {file}");
    let file = delete_claim(&file, &photo)
        .replace(&format!("id = \"{army}\"\n"), &format!("id = \"{army}\"\nquotes = [\"denied\"] # added by hand\n"));
    assert!(!file.contains("flickr.example"), "the photo claim is deleted");

    // The document: 35 → 36 twice, a new sentence with a link, a link dropped, the photo sentence changed.
    let v2 = DOC_V1
        .replace("killed 35 people", "killed 36 people")
        .replace("counted 35 people", "counted 36 people")
        .replace(" and [Reuters](https://reuters.example/djenne)", "")
        .replace("soldiers at Loumbila", "soldiers training at Loumbila")
        .replace(
            "\nThe photo",
            "\nThe UN mission opened an inquiry on 12 April [MINUSMA](https://minusma.example/inquiry).\n\nThe photo",
        );
    let m = merge(&file, Some(&rec), &md(&v2)).unwrap();
    let r = &m.report;
    // Two texts changed: 35 → 36, and the link text dropped with its link ("ACLED and Reuters").
    assert_eq!(r.changed.len(), 2, "{r:?}");
    assert_eq!((r.changed[0].before.as_str(), r.changed[0].after.as_str()), ("35 people", "36 people"));
    assert_eq!(r.changed[0].id, soldiers);
    assert_eq!(r.changed[1].id, drone);
    assert_eq!(r.conflicts.len(), 1, "the edited claim is a conflict: {r:?}");
    assert_eq!(r.conflicts[0].id, aid);
    assert_eq!(r.added.len(), 1, "{r:?}");
    assert_eq!(r.links_dropped, vec![(drone.clone(), "https://reuters.example/djenne".to_string())]);
    assert_eq!(r.deleted, vec![photo.clone()]);
    let lines = describe(r);
    assert!(lines.contains(&"2 changed:".to_string()), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("  \"35 people\" → \"36 people\"")), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("1 link dropped: https://reuters.example/djenne")), "{lines:?}");

    let out = &m.text;
    assert!(out.contains("# checked by hand, right\n[[claim]]"), "comments kept:\n{out}");
    assert!(out.contains("quotes = [\"denied\"] # added by hand"), "the editor's quote and its comment kept");
    assert!(out.contains("Soldiers killed 36 people in Moura"), "the unedited claim follows the document");
    assert!(out.contains("Aid groups counted 35 people dead (MSF)."), "the edited claim is left alone");
    assert!(!out.contains("flickr.example"), "a deleted claim stays deleted");
    assert!(out.contains("https://reuters.example/djenne"), "a dropped link is never removed silently");
    assert!(out.contains("https://minusma.example/inquiry"), "the new sentence is a claim");
    let t = parses(out);
    let ids: Vec<&str> = t["claim"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    let new_at = ids.iter().position(|i| *i == r.added[0]).unwrap();
    assert_eq!(ids[new_at - 1], drone, "the new claim sits where the document has it: {ids:?}");
    assert!(crate::claims::parse_str(Path::new("moura.toml"), out).is_ok());
    // Only the changed lines differ: the rest of the file is byte for byte the editor's.
    let diff = similar::TextDiff::from_lines(file.as_str(), out.as_str());
    let changed: usize = diff.iter_all_changes().filter(|c| c.tag() == similar::ChangeTag::Delete).count();
    assert_eq!(changed, 2, "two lines replaced (the texts that changed)");

    // Merging the same revised document again is a no-op.
    let again = merge(out, Some(&m.record), &md(&v2)).unwrap();
    assert_eq!(&again.text, out);
    assert!(again.report.changed.is_empty() && again.report.added.is_empty(), "{:?}", again.report);
}

#[test]
fn without_a_record_only_new_links_come_in() {
    let v1 = md(DOC_V1);
    let file = render_toml(&v1, "moura.md");
    let photo = id_of(&v1, "photo shows");
    // The editor merged the photo claim into the first one.
    let file = delete_claim(&file, &photo).replacen(
        "  \"https://hrw.example/moura\",\n",
        "  \"https://hrw.example/moura\",\n  \"https://flickr.example/photo\",\n",
        1,
    );
    assert!(file.contains("flickr.example"));
    let v2 = DOC_V1.replace("\nThe photo", "\nA new line [N](https://new.example/).\n\nThe photo");
    let m = merge(&file, None, &md(&v2)).unwrap();
    assert!(m.report.no_record);
    assert_eq!(m.report.added.len(), 1, "{:?}", m.report);
    assert!(m.text.contains("https://new.example/"));
    assert!(!m.text.contains("Loumbila"), "the merged-away claim does not come back");
    assert_eq!(m.report.held_back.len(), 1);
    // The record now written makes the next merge exact: the deleted claim stays out.
    let again = merge(&m.text, Some(&m.record), &md(&v2)).unwrap();
    assert_eq!(again.text, m.text);
    assert!(again.report.is_empty(), "{:?}", again.report);
}

// ---- the seed factsheet ---------------------------------------------

fn seed_path() -> PathBuf {
    match std::env::var_os("CITEWATCH_SEED") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/000_7cb871625f077ed3.txt"),
    }
}

#[test]
fn seed_factsheet() {
    let path = seed_path();
    let Ok(bytes) = std::fs::read(&path) else {
        println!("skipping seed_factsheet: {} not found", path.display());
        return;
    };
    let opts = ImportOptions { id: Some("mali-fama-2022".into()), ..Default::default() };
    let imp = import(&path, &bytes, &opts).expect("seed imports");
    assert_eq!(imp.title, "The Case of Mali and the Malian Armed Forces (FAMa)");
    assert_eq!(imp.pages, 17);
    assert_eq!(imp.distinct_urls, 135);
    assert_eq!(imp.link_lines, 217);
    assert_eq!(imp.placed_link_lines, 217);
    assert!(imp.unplaced.is_empty(), "{:?}", imp.unplaced);
    // every distinct link line of the input is cited by some claim
    let text = String::from_utf8_lossy(&bytes);
    let mut all: Vec<&str> = text.lines().map(str::trim).filter(|l| l.starts_with("http")).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 135);
    for u in all {
        assert!(imp.claims.iter().any(|c| c.sources.iter().any(|s| s == u)), "{u} not cited");
    }
    for c in &imp.claims {
        assert!(!c.text.contains("Factsheet:"), "running header as claim: {}", c.text);
        assert!(words::is_valid_id(&c.id));
        let mut s = c.sources.clone();
        s.dedup();
        assert_eq!(s.len(), c.sources.len());
    }
    let on = |url: &str| imp.claims.iter().find(|c| c.sources.iter().any(|s| s == url)).expect(url);
    let c = on("http://foreignassistance.gov/");
    assert_eq!(c.where_.as_deref(), Some("p. 3"));
    assert!(c.text.starts_with("Though the data is incomplete, no foreign assistance"), "{}", c.text);
    assert!(c.text.ends_with("F.Y. 2022."), "footnote marker stripped: {}", c.text);
    let c = on("https://reliefweb.int/report/mali/mali-humanitarian-response-plan-january-december-2022-january-2022");
    assert!(c.text.contains("401,850"), "{}", c.text);
    assert_eq!(c.where_.as_deref(), Some("p. 10"));
    let c = on("https://learngerman.dw.com/en/france-announces-military-withdrawal-from-mali/a-60808218");
    assert!(c.text.starts_with("In February 2022, France and its allies"), "{}", c.text);
    let c = on("https://www.dsca.mil/section-333-authority-build-capacity");
    assert!(c.text.contains("Section 333"), "{}", c.text);
    let c = on("https://www.constituteproject.org/constitution/Mali_1992?lang=en");
    assert_eq!(c.text, "Constitution of Mali");
    assert_eq!(c.where_.as_deref(), Some("p. 16"));
    let c = on("https://www.amnesty.org/en/latest/news/2012/12/armed-intervention-mali-risks-worsening-crisis-2/");
    assert!(c.text.contains("Salvatore Saguès"), "{}", c.text);
    // hyphenation across lines repaired, compounds kept
    assert!(imp.claims.iter().any(|c| c.text.contains("EMP-ABB")));
    let out = render_toml(&imp, "000_7cb871625f077ed3.txt");
    parses(&out);
}

#[test]
fn reviewed_seed_claims_file_is_valid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("claims/mali-fama-2022.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipping: {} not found", path.display());
        return;
    };
    // The same checks `citewatch validate` runs, then the customer's URLs.
    let (fs, _) = crate::claims::parse_str(&path, &text).expect("the claims file validates");
    assert_eq!(fs.id, "mali-fama-2022");
    let mut ids = std::collections::HashSet::new();
    let mut urls = std::collections::HashSet::new();
    for c in &fs.claims {
        assert!(words::is_valid_id(&c.id) && ids.insert(c.id.clone()), "{}", c.id);
        assert!(!c.sources.is_empty());
        for s in &c.sources {
            urls.insert(s.url.clone());
        }
    }
    let distinct: std::collections::HashSet<&str> = urls.iter().map(|u| u.as_str()).collect();
    assert_eq!(distinct.len(), 135);
}

#[test]
fn bare_url_in_parentheses_leaves_a_clean_sentence() {
    let md =
        "# S\n\nOCHA counted 401,850 displaced persons (https://reliefweb.int/report/mali/x). The army denied it.\n";
    let imp = crate::import::import(Path::new("a.md"), md.as_bytes(), &Default::default()).unwrap();
    assert_eq!(imp.claims[0].text, "OCHA counted 401,850 displaced persons.");
    assert_eq!(imp.claims[0].sources, vec!["https://reliefweb.int/report/mali/x"]);
}

#[test]
fn a_table_row_with_a_label_link_is_one_claim() {
    let html = "<html><body><table><tr><th>Region</th><th>Displaced</th><th>Source</th></tr>\
        <tr><td>Mopti</td><td>401,850</td><td><a href=\"https://reliefweb.int/r\">source</a></td></tr></table></body></html>";
    let imp = crate::import::import(Path::new("b.html"), html.as_bytes(), &Default::default()).unwrap();
    assert_eq!(imp.claims.len(), 1);
    assert_eq!(imp.claims[0].text, "Mopti 401,850 source");
}

/// Arbitrary bytes in any format give an error or a result, never a panic.
#[test]
fn junk_never_panics() {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let pieces: &[&str] = &[
        "https://a.org/x",
        "[t](",
        ")",
        "[^1]",
        "[^1]: ",
        "<a href=\"",
        "\">",
        "</a>",
        "<p>",
        "</td>",
        "<tr>",
        "\n\n",
        ". ",
        "U.S.",
        "é",
        "東京",
        "(",
        "#:~:text=",
        "%20",
        " ",
        "1 ",
        "Factsheet: X\n",
    ];
    for round in 0..300 {
        let mut doc = String::new();
        for _ in 0..(next() % 80) {
            doc.push_str(pieces[(next() as usize) % pieces.len()]);
        }
        let name = ["a.txt", "a.md", "a.html", "a.pdf"][round % 4];
        let _ = crate::import::import(Path::new(name), doc.as_bytes(), &Default::default());
    }
}
