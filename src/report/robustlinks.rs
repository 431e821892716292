//! `report --format robustlinks`: every factsheet's links as Robust Links
//! (<https://robustlinks.mementoweb.org/spec/>): each link carries
//! `data-originalurl`, and, when an archived copy is known, `data-versionurl`
//! and `data-versiondate` (the capture's date), so a reader can reach the
//! page as it was cited if the live one dies. Paste the `<a>` elements into
//! the published factsheet.

use super::html::{esc, is_http};
use super::model::{ClaimReport, RunReport, SourceReport};
use super::SourceIndex;
use std::io;

/// The copy of a claim's source: (URL, date `YYYY-MM-DD`).
fn version(cite_archived: Option<&str>, src: Option<&SourceReport>) -> Option<(String, Option<String>)> {
    let found = src.and_then(|s| s.archive.as_ref());
    let from_claims = cite_archived.or(src.and_then(|s| s.archived.as_deref()));
    let url = from_claims.map(str::to_string).or_else(|| found.map(|a| a.url.clone()))?;
    let date = match found.filter(|a| a.url == url) {
        Some(a) => a.timestamp.as_deref().map(|t| t[..10.min(t.len())].to_string()),
        None => crate::archive::parse_wayback(&url).map(|(_, ts, _)| crate::archive::date(&ts)),
    };
    Some((url, date))
}

fn anchor(
    s: &mut String,
    url: &str,
    text: &str,
    version: Option<&(String, Option<String>)>,
    fallback_date: Option<&str>,
) {
    if !is_http(url) {
        esc(s, text);
        return;
    }
    s.push_str("<a href=\"");
    esc(s, url);
    s.push_str("\" data-originalurl=\"");
    esc(s, url);
    s.push('"');
    match version {
        Some((v, d)) if is_http(v) => {
            s.push_str(" data-versionurl=\"");
            esc(s, v);
            s.push('"');
            if let Some(d) = d.as_deref().or(fallback_date) {
                s.push_str(" data-versiondate=\"");
                esc(s, d);
                s.push('"');
            }
        }
        _ => {
            if let Some(d) = fallback_date {
                s.push_str(" data-versiondate=\"");
                esc(s, d);
                s.push('"');
            }
        }
    }
    s.push('>');
    esc(s, text);
    s.push_str("</a>");
}

/// Renders the Robust Links page.
pub fn render(doc: &RunReport, out: &mut dyn io::Write) -> io::Result<()> {
    let idx = SourceIndex::new(&doc.sources);
    let mut s = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Robust Links</title>\n</head>\n<body>\n",
    );
    s.push_str("<!-- Each link: data-originalurl (as cited), data-versionurl (an archived copy) and data-versiondate (its date). -->\n");
    let mut ids: Vec<&str> = doc.factsheets.iter().map(|f| f.id.as_str()).collect();
    for c in &doc.claims {
        if !ids.contains(&c.factsheet.as_str()) {
            ids.push(&c.factsheet);
        }
    }
    for id in ids {
        let title = doc.factsheets.iter().find(|f| f.id == id).map(|f| f.title.as_str()).unwrap_or(id);
        s.push_str("<section data-factsheet=\"");
        esc(&mut s, id);
        s.push_str("\">\n<h1>");
        esc(&mut s, title);
        s.push_str("</h1>\n<ul>\n");
        let claims: Vec<&ClaimReport> = doc.claims.iter().filter(|c| c.factsheet == id).collect();
        for c in claims {
            s.push_str("<li id=\"");
            esc(&mut s, &c.id);
            s.push_str("\">");
            esc(&mut s, if c.text.is_empty() { &c.id } else { &c.text });
            for cs in &c.sources {
                let src = idx.get(&cs.url);
                let v = version(cs.archived.as_deref(), src);
                let when =
                    src.and_then(|x| x.last_good.as_deref().or(x.checked.as_deref())).map(|t| &t[..10.min(t.len())]);
                s.push_str("\n  ");
                anchor(&mut s, &cs.url, &cs.url, v.as_ref(), when);
            }
            s.push_str("\n</li>\n");
        }
        s.push_str("</ul>\n</section>\n");
    }
    s.push_str("</body>\n</html>\n");
    out.write_all(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_their_archived_version() {
        let (mut doc, _) = super::super::fixture::sample_report();
        let mut out = Vec::new();
        render(&doc, &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        // The fixture's gone source has an archived copy in the claims file.
        assert!(
            html.contains("data-versionurl=\"https://web.archive.org/web/2025/https://example.net/gone\""),
            "{html}"
        );
        assert!(html.contains("data-versiondate=\"2025-01-01\""), "{html}");
        assert!(!html.contains("<script"), "escaped");
        assert!(!html.contains("javascript:"), "only http(s) links");
        // A copy found by a look-up is used when the claims file has none.
        let at = doc.sources.iter().position(|s| s.archived.is_none()).unwrap();
        let url = doc.sources[at].url.clone();
        doc.sources[at].archive = Some(crate::report::model::ArchiveReport {
            url: format!("https://web.archive.org/web/20220803101500/{url}"),
            timestamp: Some("2022-08-03T10:15:00Z".into()),
            status: Some(200),
            quotes_found: Some(true),
        });
        for c in &mut doc.claims {
            for s in &mut c.sources {
                if s.url == url {
                    s.archived = None;
                }
            }
        }
        let mut out = Vec::new();
        render(&doc, &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(html.contains("data-versiondate=\"2022-08-03\""), "{html}");
    }
}
