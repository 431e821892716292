//! JUnit XML, for CI systems that show test results.
//!
//! `<testsuites>` holds one `<testsuite name=FACTSHEET>` per factsheet and one
//! `<testcase classname=FACTSHEET name=CLAIM>` per claim. A broken,
//! unsupported or changed claim is a `<failure type=VERDICT>` whose message is
//! its first reason and whose text lists every reason and source; an
//! unverified claim is `<skipped>`; an ok claim passes. Characters that XML
//! 1.0 forbids (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+FFFE, U+FFFF)
//! are dropped.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::model::{ClaimReport, RunReport};
use super::{factsheet_ids, factsheet_title, missing_quotes, SourceIndex};
use crate::model::Verdict;

/// Writes the JUnit XML of `doc` to `out`.
pub fn render(doc: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    let index = SourceIndex::new(&doc.sources);
    let ids = factsheet_ids(doc);
    let count = |claims: &mut dyn Iterator<Item = &ClaimReport>| {
        let (mut tests, mut failures, mut skipped) = (0, 0, 0);
        for c in claims {
            tests += 1;
            match c.verdict {
                Verdict::Ok => {}
                Verdict::Unverified => skipped += 1,
                _ => failures += 1,
            }
        }
        (tests, failures, skipped)
    };
    let (tests, failures, skipped) = count(&mut doc.claims.iter());
    let mut s = String::with_capacity(4096);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(
        s,
        "<testsuites name=\"citewatch\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"{}\" timestamp=\"",
        duration(&doc.run.started, &doc.run.finished)
    );
    escape_into(&mut s, &doc.run.started, true);
    s.push_str("\">\n");
    for id in ids {
        let (tests, failures, skipped) = count(&mut doc.claims.iter().filter(|c| c.factsheet == id));
        s.push_str("  <testsuite name=\"");
        escape_into(&mut s, id, true);
        let _ =
            write!(s, "\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" timestamp=\"");
        escape_into(&mut s, &doc.run.started, true);
        s.push_str("\">\n");
        if let Some(title) = factsheet_title(doc, id) {
            s.push_str("    <properties>\n      <property name=\"title\" value=\"");
            escape_into(&mut s, title, true);
            s.push_str("\"/>\n    </properties>\n");
        }
        for c in doc.claims.iter().filter(|c| c.factsheet == id) {
            testcase(&mut s, c, &index);
            if s.len() > 1 << 16 {
                w.write_all(s.as_bytes())?;
                s.clear();
            }
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    w.write_all(s.as_bytes())?;
    w.flush()
}

fn testcase(s: &mut String, c: &ClaimReport, index: &SourceIndex<'_>) {
    s.push_str("    <testcase classname=\"");
    escape_into(s, &c.factsheet, true);
    s.push_str("\" name=\"");
    escape_into(s, &c.id, true);
    s.push('"');
    if c.verdict == Verdict::Ok {
        s.push_str("/>\n");
        return;
    }
    s.push_str(">\n");
    let message = c.reasons.first().map(String::as_str).unwrap_or(c.verdict.as_str());
    let element = if c.verdict == Verdict::Unverified { "skipped" } else { "failure" };
    let _ = write!(s, "      <{element} message=\"");
    escape_into(s, message, true);
    s.push('"');
    if element == "failure" {
        let _ = write!(s, " type=\"{}\"", c.verdict.as_str());
    }
    s.push('>');
    // The body: the claim, every reason, every source.
    let mut body = String::new();
    if !c.text.is_empty() {
        let _ = writeln!(body, "Claim: {}", c.text);
    }
    if let Some(w) = &c.where_ {
        let _ = writeln!(body, "Where: {w}");
    }
    let _ = writeln!(body, "Verdict: {}", c.verdict);
    for r in &c.reasons {
        let _ = writeln!(body, "- {r}");
    }
    for n in &c.next {
        let _ = writeln!(body, "Next: {n}");
    }
    for cs in &c.sources {
        let status = index.get(&cs.url).and_then(|s| s.http_status).map(|s| format!(" {s}")).unwrap_or_default();
        let _ = writeln!(body, "Source: {} [{}{status}, {}]", cs.url, cs.health, cs.content);
        for q in missing_quotes(cs) {
            let _ = writeln!(body, "  quote not found: \"{q}\"");
        }
    }
    escape_into(s, &body, false);
    let _ = writeln!(s, "</{element}>");
    s.push_str("    </testcase>\n");
}

/// Seconds between two RFC 3339 UTC times, `0` when they cannot be read.
fn duration(start: &str, end: &str) -> u64 {
    match (seconds(start), seconds(end)) {
        (Some(a), Some(b)) if b >= a => b - a,
        _ => 0,
    }
}

/// Seconds since 2000-03-01 of `YYYY-MM-DDTHH:MM:SS...Z` (UTC only; a
/// difference is all we need).
fn seconds(t: &str) -> Option<u64> {
    let b = t.as_bytes();
    if b.len() < 19 || !t.is_char_boundary(19) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| t.get(r)?.parse::<u64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&m) || y < 2000 {
        return None;
    }
    // days from civil (Howard Hinnant), years counted from March.
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let days = 365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// Whether XML 1.0 allows `c` in a document.
pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends `text` escaped for XML content (`attr == false`) or a
/// double-quoted attribute value (`attr == true`, where tab, CR and LF become
/// character references so they survive attribute normalisation). Characters
/// XML 1.0 forbids are dropped.
pub fn escape_into(s: &mut String, text: &str, attr: bool) {
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' if attr => s.push_str("&quot;"),
            '\n' if attr => s.push_str("&#10;"),
            '\r' => s.push_str("&#13;"),
            '\t' if attr => s.push_str("&#9;"),
            c if xml_char(c) => s.push(c),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::sample_report;
    use quick_xml::events::Event;
    use quick_xml::Reader;
    use std::collections::HashMap;

    fn attrs(e: &quick_xml::events::BytesStart<'_>) -> HashMap<String, String> {
        e.attributes()
            .map(|a| {
                let a = a.unwrap();
                (String::from_utf8(a.key.as_ref().to_vec()).unwrap(), a.unescape_value().unwrap().into_owned())
            })
            .collect()
    }

    #[test]
    fn valid_xml_with_right_counts() {
        let (doc, _) = sample_report();
        let mut out = Vec::new();
        render(&doc, &mut out).unwrap();
        let xml = String::from_utf8(out).unwrap();
        let seen = read_strict(&xml);
        assert_eq!(seen.0, doc.claims.len());
        let failing = doc
            .claims
            .iter()
            .filter(|c| matches!(c.verdict, Verdict::Broken | Verdict::Unsupported | Verdict::Changed))
            .count();
        assert_eq!(seen.1.len(), failing);
        assert_eq!(seen.2, 1);
        let types: Vec<&str> = seen.1.iter().map(|(t, _)| t.as_str()).collect();
        assert!(types.contains(&"broken") && types.contains(&"unsupported") && types.contains(&"changed"));
        // suites: one per factsheet, with their own counts
        assert_eq!(seen.3.len(), 2);
        let climate = &seen.3[0];
        assert_eq!(climate.0, "climate-2026");
        assert_eq!(climate.1["tests"], "6");
        assert_eq!(climate.1["failures"], "3");
        assert_eq!(climate.1["skipped"], "1");
        let health = &seen.3[1];
        assert_eq!(health.1["tests"], "2");
        assert_eq!(health.1["failures"], "1");
        assert_eq!(health.1["skipped"], "0");
        assert!(xml.contains(
            "<testsuites name=\"citewatch\" tests=\"8\" failures=\"4\" errors=\"0\" skipped=\"1\" time=\"150\""
        ));
    }

    /// Reads with quick-xml, checking end names; returns (testcases,
    /// failures (type, message), skipped, suites (name, attrs), all text).
    #[allow(clippy::type_complexity)]
    fn read_strict(xml: &str) -> (usize, Vec<(String, String)>, usize, Vec<(String, HashMap<String, String>)>, String) {
        let mut r = Reader::from_str(xml);
        r.config_mut().check_end_names = true;
        let (mut cases, mut failures, mut skipped, mut suites, mut text) =
            (0, Vec::new(), 0, Vec::new(), String::new());
        let mut stack: Vec<String> = Vec::new();
        loop {
            let ev = r.read_event().expect("well-formed XML");
            match ev {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    let a = attrs(e);
                    match name.as_str() {
                        "testsuite" => suites.push((a["name"].clone(), a)),
                        "testcase" => cases += 1,
                        "failure" => failures.push((a["type"].clone(), a["message"].clone())),
                        "skipped" => skipped += 1,
                        _ => {}
                    }
                    if matches!(ev, Event::Start(_)) {
                        stack.push(name);
                    }
                }
                Event::End(e) => {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    assert_eq!(stack.pop().as_deref(), Some(name.as_str()));
                }
                Event::Text(t) => text.push_str(&t.decode().unwrap()),
                Event::GeneralRef(g) => {
                    let name = String::from_utf8(g.to_vec()).unwrap();
                    assert!(
                        ["amp", "lt", "gt", "quot", "apos", "#10", "#13", "#9"].contains(&name.as_str()),
                        "unexpected entity {name}"
                    );
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert!(stack.is_empty());
        (cases, failures, skipped, suites, text)
    }

    #[test]
    fn hostile_text_is_escaped_and_illegal_characters_dropped() {
        let (mut doc, _) = sample_report();
        doc.claims[0].reasons[0] = "bad \u{0}\u{1}\u{8}\u{b}\u{1f} <x> & \"q\" 'a'\nline\u{fffe}".into();
        doc.claims[0].id = "id with <&\"> and \u{7}bell".into();
        let mut out = Vec::new();
        render(&doc, &mut out).unwrap();
        let xml = String::from_utf8(out).unwrap();
        for bad in ['\u{0}', '\u{1}', '\u{8}', '\u{b}', '\u{1f}', '\u{7}', '\u{fffe}'] {
            assert!(!xml.contains(bad), "{bad:?} kept");
        }
        let (_, failures, ..) = read_strict(&xml);
        assert_eq!(failures[0].1, "bad  <x> & \"q\" 'a'\nline");
        assert!(xml.contains("name=\"id with &lt;&amp;&quot;&gt; and bell\""));
    }

    #[test]
    fn duration_in_seconds() {
        assert_eq!(duration("2026-11-27T10:00:00Z", "2026-11-27T10:02:30Z"), 150);
        assert_eq!(duration("2026-02-28T23:59:59Z", "2026-03-01T00:00:01Z"), 2);
        assert_eq!(duration("2024-12-31T23:00:00Z", "2025-01-01T01:00:00Z"), 7200);
        assert_eq!(duration("garbage", "2026-11-27T10:02:30Z"), 0);
    }
}
