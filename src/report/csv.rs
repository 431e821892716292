//! CSV: one row per claim × source, RFC 4180.
//!
//! - UTF-8, no byte-order mark, CRLF line ends, a header row;
//! - a field is quoted when it holds a comma, a double quote, CR or LF, and
//!   double quotes inside are doubled;
//! - spreadsheet formula injection is neutralised: a field that starts with
//!   `=`, `+`, `-`, `@`, a tab or CR gets a leading `'`, so that Excel,
//!   LibreOffice and Google Sheets show it as text instead of evaluating it
//!   (OWASP's advice). The apostrophe is visible to a program reading the
//!   file; no numeric column of ours can start with one of those characters.
//! - a claim with no sources still gets one row, with the source columns empty.

use std::io::{self, Write};

use super::model::{ClaimReport, ClaimSourceReport, RunReport};
use super::{missing_quotes, SourceIndex};

/// The header row.
pub const HEADER: [&str; 15] = [
    "factsheet",
    "claim",
    "verdict",
    "reasons",
    "claim_text",
    "where",
    "url",
    "health",
    "http_status",
    "content",
    "similarity",
    "final_url",
    "quotes_missing",
    "archived",
    "next",
];

/// Writes the CSV of `doc` to `out`.
pub fn render(doc: &RunReport, out: &mut dyn Write) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    let mut line = String::with_capacity(1024);
    write_record(&mut line, HEADER.iter().copied());
    w.write_all(line.as_bytes())?;
    let index = SourceIndex::new(&doc.sources);
    for claim in &doc.claims {
        let reasons = claim.reasons.join("; ");
        let next = claim.next.join("; ");
        if claim.sources.is_empty() {
            line.clear();
            write_record(&mut line, claim_fields(claim, &reasons).into_iter().chain([""; 8]).chain([next.as_str()]));
            w.write_all(line.as_bytes())?;
        }
        for cs in &claim.sources {
            line.clear();
            let src = index.get(&cs.url);
            let status = src.and_then(|s| s.http_status).map(|s| s.to_string()).unwrap_or_default();
            let similarity = src.and_then(|s| s.similarity).map(|x| format!("{x:.4}")).unwrap_or_default();
            let final_url = src.and_then(|s| s.final_url.as_deref()).unwrap_or("");
            let missing = missing_quotes(cs).collect::<Vec<_>>().join("; ");
            let archived = archived(cs, src.and_then(|s| s.archived.as_deref()));
            let fields = claim_fields(claim, &reasons).into_iter().chain([
                cs.url.as_str(),
                cs.health.as_str(),
                status.as_str(),
                cs.content.as_str(),
                similarity.as_str(),
                final_url,
                missing.as_str(),
                archived,
                next.as_str(),
            ]);
            write_record(&mut line, fields);
            w.write_all(line.as_bytes())?;
        }
    }
    w.flush()
}

fn claim_fields<'a>(claim: &'a ClaimReport, reasons: &'a str) -> [&'a str; 6] {
    [
        claim.factsheet.as_str(),
        claim.id.as_str(),
        claim.verdict.as_str(),
        reasons,
        claim.text.as_str(),
        claim.where_.as_deref().unwrap_or(""),
    ]
}

fn archived<'a>(cs: &'a ClaimSourceReport, from_source: Option<&'a str>) -> &'a str {
    cs.archived.as_deref().or(from_source).unwrap_or("")
}

/// Appends one record, CRLF-terminated, to `line`.
pub fn write_record<'a>(line: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        write_field(line, f);
    }
    line.push_str("\r\n");
}

/// Appends one field, neutralised and quoted as needed.
pub fn write_field(line: &mut String, field: &str) {
    let formula = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = field.contains([',', '"', '\r', '\n']);
    if quote {
        line.push('"');
    }
    if formula {
        line.push('\'');
    }
    if quote {
        for ch in field.chars() {
            if ch == '"' {
                line.push('"');
            }
            line.push(ch);
        }
        line.push('"');
    } else {
        line.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::sample_report;

    /// A strict RFC 4180 reader: CRLF records, quoted fields, doubled quotes.
    pub(crate) fn parse(text: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut field = String::new();
        let mut chars = text.chars().peekable();
        let mut quoted = false;
        let mut at_start = true;
        while let Some(c) = chars.next() {
            if quoted {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        field.push('"');
                    } else {
                        quoted = false;
                        let next = chars.peek();
                        assert!(matches!(next, Some(',') | Some('\r') | None), "junk after a closing quote");
                    }
                } else {
                    field.push(c);
                }
                continue;
            }
            match c {
                '"' if at_start => {
                    quoted = true;
                    at_start = false;
                }
                '"' => panic!("bare quote inside an unquoted field: {field:?}"),
                ',' => {
                    record.push(std::mem::take(&mut field));
                    at_start = true;
                }
                '\r' => {
                    assert_eq!(chars.next(), Some('\n'), "CR without LF");
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                    at_start = true;
                }
                '\n' => panic!("bare LF outside quotes"),
                c => {
                    field.push(c);
                    at_start = false;
                }
            }
        }
        assert!(!quoted, "unterminated quoted field");
        assert!(field.is_empty() && record.is_empty(), "last record lacks CRLF");
        records
    }

    fn rendered() -> (crate::report::model::RunReport, String) {
        let (doc, _) = sample_report();
        let mut out = Vec::new();
        render(&doc, &mut out).unwrap();
        (doc, String::from_utf8(out).unwrap())
    }

    #[test]
    fn parses_back_one_row_per_claim_source() {
        let (doc, text) = rendered();
        let rows = parse(&text);
        let expected: usize = doc.claims.iter().map(|c| c.sources.len().max(1)).sum();
        assert_eq!(rows.len(), expected + 1);
        assert_eq!(rows[0], HEADER);
        for r in &rows {
            assert_eq!(r.len(), HEADER.len());
        }
    }

    #[test]
    fn special_characters_survive() {
        let (_, text) = rendered();
        let rows = parse(&text);
        let survey = rows.iter().find(|r| r[1] == "survey").unwrap();
        // formula neutralised, then commas, quotes and newline kept
        assert_eq!(survey[4], "'=1+2 people, per the \"survey\", agreed, mostly\nsecond line");
        assert_eq!(survey[5], "p. 3, \"intro\"");
        let clinics = rows.iter().find(|r| r[1] == "clinics").unwrap();
        assert_eq!(clinics[4], "'-3 clinics closed | reported @ 2025");
        assert_eq!(clinics[3], "source https://example.net/gone is broken: 404 Not Found; second reason, with a comma");
        assert_eq!(clinics[8], "404");
        assert!(clinics[13].starts_with("https://web.archive.org/"));
        let hostile = rows.iter().find(|r| r[1] == "hostile").unwrap();
        assert_eq!(hostile[4], crate::report::fixture::HOSTILE_CLAIM);
        let quote = rows.iter().find(|r| r[1] == "minister-quote").unwrap();
        assert_eq!(quote[12], "emissions were halved");
        let changed = rows.iter().find(|r| r[1] == "renewables-share").unwrap();
        assert_eq!(changed[10], "0.8734");
        assert_eq!(changed[9], "changed");
    }

    #[test]
    fn crlf_and_quoting() {
        let mut s = String::new();
        write_record(&mut s, ["a", "b,c", "d\"e", "f\ng", "", "=SUM(A1)", "@x", "\tt"]);
        assert_eq!(s, "a,\"b,c\",\"d\"\"e\",\"f\ng\",,'=SUM(A1),'@x,'\tt\r\n");
        let mut s = String::new();
        write_record(&mut s, ["-1,2"]);
        assert_eq!(s, "\"'-1,2\"\r\n");
    }

    #[test]
    fn a_claim_without_sources_still_has_a_row() {
        let (mut doc, _) = sample_report();
        doc.claims[0].sources.clear();
        let mut out = Vec::new();
        render(&doc, &mut out).unwrap();
        let rows = parse(std::str::from_utf8(&out).unwrap());
        let r = rows.iter().find(|r| r[1] == doc.claims[0].id).unwrap();
        assert_eq!(r.len(), HEADER.len());
        assert_eq!(r[6], "");
    }
}
