//! `citewatch report` through the binary, from a store filled by a real check.

use crate::support::*;

fn checked() -> (Server, Project) {
    let s = Server::start();
    s.set("/ok", Reply::article("Fine", "The survey counted 1,204 schools."));
    s.set(
        "/evil",
        Reply::article("<script>alert(1)</script>", "The survey counted 1,204 schools, \"closed\" & <b>reopened</b>."),
    );
    s.set("/gone", Reply::status(404));
    s.set("/down", Reply::status(503));
    let p = Project::new();
    p.claims(
        "f.toml",
        &factsheet(
            "schools",
            &[
                ("ok", &["1,204 schools"], &[q(&s.url("/ok")), q(&s.url("/evil"))]),
                ("gone", &[], &[q(&s.url("/gone"))]),
                ("missing", &["9,999 schools"], &[q(&s.url("/ok"))]),
                ("down", &[], &[q(&s.url("/down"))]),
            ],
        ),
    );
    assert_eq!(p.run(&["check", "--quiet", "--retries", "0"]).code, 1);
    (s, p)
}

/// A minimal RFC 4180 reader: rows of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

#[test]
fn every_format_from_the_store() {
    let (s, p) = checked();
    drop(s); // the report never fetches

    let html = p.path().join("report.html");
    let run = p.run(&["report", "--output", html.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the hostile title is escaped");
    assert!(!page.contains("<script>alert(1)"));
    assert!(!page.contains("src=\"http"), "nothing is loaded from the network");

    let csv = p.run(&["report", "--format", "csv"]).stdout;
    let rows = parse_csv(&csv);
    assert_eq!(rows.len(), 1 + 5, "a header and one row per claim x source:\n{csv}");
    assert_eq!(rows[0][0], "factsheet");
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));

    let junit = p.run(&["report", "--format", "junit"]).stdout;
    assert!(junit.starts_with("<?xml"));
    assert!(junit.contains("tests=\"4\""), "{junit}");
    assert!(junit.contains("failures=\"2\""), "{junit}");
    assert!(junit.contains("skipped=\"1\""), "{junit}");

    let md = p.run(&["report", "--format", "md"]).stdout;
    assert!(md.contains("gone") && md.contains("missing"), "{md}");
    assert!(md.contains("<details>"), "{md}");

    let json = p.run(&["report", "--format", "json"]).stdout;
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["summary"]["claims"]["broken"], 1);
    assert_eq!(doc["summary"]["claims"]["unsupported"], 1);

    let only = p.run(&["report", "--format", "json", "--verdict", "broken"]).stdout;
    let doc: serde_json::Value = serde_json::from_str(&only).unwrap();
    assert_eq!(doc["claims"].as_array().unwrap().len(), 1);
    assert_eq!(doc["sources"].as_array().unwrap().len(), 1);

    assert_eq!(p.run(&["report", "--run", "99"]).code, 2);
    assert_eq!(p.run(&["report", "--format", "pdf"]).code, 2);
}
