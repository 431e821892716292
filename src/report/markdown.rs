//! Markdown for a GitHub issue or pull-request comment.
//!
//! A title line, the totals, a table of flagged claims with their reasons,
//! the broken sources, then the ok claims and all sources collapsed in
//! `<details>`. Cells are escaped: `|` becomes `\|`, line breaks become
//! `<br>`, `<`, `>` and `&` become entities, and the characters that would
//! start Markdown formatting (`` ` ``, `*`, `_`, `[`, `]`, `\`, `~`) are
//! backslash-escaped, so a claim's text shows as written. Each table stops
//! after [`MAX_ROWS`] rows with a line saying how many were left out, to stay
//! well under GitHub's 65,536-character comment limit.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::model::{RunReport, SourceReport};
use super::{factsheet_title, missing_quotes, percent, ReportExtras};
use crate::model::{Health, Verdict};

/// The most rows one table shows.
pub const MAX_ROWS: usize = 100;

/// Writes the Markdown of `doc` to `out`.
pub fn render(doc: &RunReport, extras: &ReportExtras, out: &mut dyn Write) -> io::Result<()> {
    let mut s = String::with_capacity(8192);
    let sum = &doc.summary;
    let total_claims = doc.claims.len();
    let flagged: Vec<_> = doc.claims.iter().filter(|c| c.verdict.flagged()).collect();
    let icon = if flagged.is_empty() { "✅" } else { "⚠️" };
    let _ =
        writeln!(s, "## {icon} citewatch: {} of {} claim{} flagged", flagged.len(), total_claims, plural(total_claims));
    s.push('\n');
    let mut line = format!("Run {} · {}", doc.run.id, cell(&doc.run.started));
    if doc.run.offline {
        line.push_str(" · offline (from the cache)");
    }
    if !extras.generated.is_empty() {
        let _ = write!(line, " · report made {}", cell(&extras.generated));
    }
    let _ = writeln!(s, "{line}  ");
    if !doc.factsheets.is_empty() {
        let names: Vec<String> = doc
            .factsheets
            .iter()
            .map(|f| {
                let title = factsheet_title(doc, &f.id).map(|t| format!(" {}", cell(t))).unwrap_or_default();
                format!("`{}`{title}", code(&f.id))
            })
            .collect();
        let _ = writeln!(s, "Factsheets: {}", names.join(", "));
    }
    s.push('\n');
    let c = &sum.claims;
    let _ = writeln!(
        s,
        "**Claims:** {} broken · {} unsupported · {} changed · {} unverified · {} ok  ",
        c.broken, c.unsupported, c.changed, c.unverified, c.ok
    );
    let h = &sum.sources;
    let _ = writeln!(
        s,
        "**Sources:** {} ok · {} redirected · {} broken · {} blocked · {} error",
        h.ok, h.redirected, h.broken, h.blocked, h.error
    );

    if !flagged.is_empty() {
        let _ = writeln!(s, "\n### Flagged claims\n");
        s.push_str("| Verdict | Claim | Text | Reasons | Next step |\n|---|---|---|---|---|\n");
        for c in flagged.iter().take(MAX_ROWS) {
            let mut reasons: Vec<String> = c.reasons.iter().map(|r| cell(r)).collect();
            for cs in &c.sources {
                // A quote the check's reasons already name is not said twice.
                for q in missing_quotes(cs).filter(|q| !c.reasons.iter().any(|r| r.contains(&format!("\"{q}\"")))) {
                    reasons.push(format!("quote not found: “{}”", cell(q)));
                }
            }
            reasons.dedup();
            let mut text = cell(&c.text);
            if let Some(w) = &c.where_ {
                let _ = write!(text, " <sub>({})</sub>", cell(w));
            }
            let next: Vec<String> = c.next.iter().map(|n| step(n)).collect();
            let _ = writeln!(
                s,
                "| {} | `{}/{}` | {} | {} | {} |",
                badge(c.verdict),
                code(&c.factsheet),
                code(&c.id),
                text,
                reasons.join("<br>"),
                next.join("<br>")
            );
        }
        more(&mut s, flagged.len());
    }

    let broken: Vec<&SourceReport> = doc.sources.iter().filter(|s| s.health == Health::Broken).collect();
    if !broken.is_empty() {
        let _ = writeln!(s, "\n### Broken sources\n");
        s.push_str("| URL | HTTP | Reason | Failing since | Archived | Cited by |\n|---|--:|---|---|---|---|\n");
        for src in broken.iter().take(MAX_ROWS) {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                cell(&src.url),
                src.http_status.map(|x| x.to_string()).unwrap_or_default(),
                cell(src.reason.as_deref().or(src.error.as_deref()).unwrap_or("")),
                cell(src.failing_since.as_deref().unwrap_or("")),
                cell(&archived_cell(src)),
                cited_by(src)
            );
        }
        more(&mut s, broken.len());
    }

    let moved: Vec<&SourceReport> = doc.sources.iter().filter(|s| s.health == Health::Redirected).collect();
    if !moved.is_empty() {
        let _ = writeln!(s, "\n### Moved permanently: update the citations\n");
        s.push_str("| URL | Now at | Cited by |\n|---|---|---|\n");
        for src in moved.iter().take(MAX_ROWS) {
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                cell(&src.url),
                cell(src.final_url.as_deref().unwrap_or("")),
                cited_by(src)
            );
        }
        more(&mut s, moved.len());
    }

    let ok: Vec<_> = doc.claims.iter().filter(|c| !c.verdict.flagged()).collect();
    if !ok.is_empty() {
        let _ = writeln!(s, "\n<details><summary>Claims that are ok ({})</summary>\n", ok.len());
        s.push_str("| Claim | Text | Sources |\n|---|---|--:|\n");
        for c in ok.iter().take(MAX_ROWS) {
            let _ =
                writeln!(s, "| `{}/{}` | {} | {} |", code(&c.factsheet), code(&c.id), cell(&c.text), c.sources.len());
        }
        more(&mut s, ok.len());
        s.push_str("\n</details>\n");
    }

    if !doc.sources.is_empty() {
        let _ = writeln!(s, "\n<details><summary>All sources ({})</summary>\n", doc.sources.len());
        s.push_str(
            "| URL | Health | HTTP | Content | Similarity | Reason | Cited by |\n|---|---|--:|---|--:|---|---|\n",
        );
        for src in doc.sources.iter().take(MAX_ROWS) {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} |",
                cell(&src.url),
                src.health,
                src.http_status.map(|x| x.to_string()).unwrap_or_default(),
                src.content,
                src.similarity.map(percent).unwrap_or_default(),
                cell(src.reason.as_deref().or(src.error.as_deref()).unwrap_or("")),
                cited_by(src)
            );
        }
        more(&mut s, doc.sources.len());
        s.push_str("\n</details>\n");
    }

    if !doc.excluded.is_empty() {
        let _ = writeln!(s, "\n<details><summary>Excluded sources ({})</summary>\n", doc.excluded.len());
        s.push_str("Never fetched nor judged: they match an `exclude` pattern.\n\n| URL | Cited by | Pattern |\n|---|---|---|\n");
        for e in doc.excluded.iter().take(MAX_ROWS) {
            let _ = writeln!(s, "| {} | {} | `{}` |", cell(&e.url), cell(&e.claims.join(", ")), code(&e.pattern));
        }
        more(&mut s, doc.excluded.len());
        s.push_str("\n</details>\n");
    }
    out.write_all(s.as_bytes())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn more(s: &mut String, n: usize) {
    if n > MAX_ROWS {
        let _ = writeln!(s, "\n… and {} more; see the HTML or CSV report.", n - MAX_ROWS);
    }
}

fn badge(v: Verdict) -> &'static str {
    match v {
        Verdict::Broken => "🔴 broken",
        Verdict::Unsupported => "🟠 unsupported",
        Verdict::Changed => "🟡 changed",
        Verdict::Unverified => "⚪ unverified",
        Verdict::Ok => "🟢 ok",
    }
}

fn cited_by(src: &SourceReport) -> String {
    let shown: Vec<String> = src.claims.iter().take(5).map(|c| format!("`{}`", code(c))).collect();
    let mut s = shown.join(", ");
    if src.claims.len() > 5 {
        let _ = write!(s, " +{}", src.claims.len() - 5);
    }
    s
}

/// Escapes text for a table cell (or any inline Markdown).
pub fn cell(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' => s.push_str("\\|"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '&' => s.push_str("&amp;"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                s.push_str("<br>");
            }
            '\n' => s.push_str("<br>"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' => {
                s.push('\\');
                s.push(c);
            }
            c if c.is_control() => s.push(' '),
            c => s.push(c),
        }
    }
    s
}

/// Text for inside a code span in a table: backticks and pipes can't be
/// escaped there portably, so they are replaced; line breaks become spaces.
/// A next step for a table cell: its `commands` as code spans, the rest escaped.
fn step(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return cell(text); // an unbalanced backtick: all text
    }
    parts.iter().enumerate().map(|(i, p)| if i % 2 == 1 { format!("`{}`", code(p)) } else { cell(p) }).collect()
}

fn code(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '`' => '\'',
            '|' => '¦',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// A broken source's archived copy: the one cited, or the one found, with
/// its date and whether it holds the quotes.
fn archived_cell(src: &SourceReport) -> String {
    let mut out = src.archived.clone().unwrap_or_default();
    if let Some(a) = &src.archive {
        if src.archived.as_deref() != Some(a.url.as_str()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&a.url);
        }
        if let Some(t) = &a.timestamp {
            out.push_str(&format!(" ({})", &t[..10.min(t.len())]));
        }
        match a.quotes_found {
            _ if !a.read => out.push_str(", could not be read"),
            Some(true) => out.push_str(", holds the quotes"),
            Some(false) => out.push_str(", does not hold the quotes"),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::HOSTILE_CLAIM;

    fn rendered() -> String {
        crate::report::fixture::sample_rendered(crate::report::Format::Md)
    }

    #[test]
    fn excluded_sources_listed() {
        assert!(!rendered().contains("Excluded sources"));
        let (mut doc, extras) = crate::report::fixture::sample_report();
        doc.excluded.push(crate::report::model::ExcludedSource {
            url: "https://intranet.example.org/a|b".into(),
            claims: vec!["f/a".into()],
            pattern: "intranet".into(),
        });
        let mut out = Vec::new();
        render(&doc, &extras, &mut out).unwrap();
        let md = String::from_utf8(out).unwrap();
        assert!(md.contains("<details><summary>Excluded sources (1)</summary>"), "{md}");
        assert!(md.contains("| `intranet` |"), "{md}");
        assert!(!md.contains("a|b"), "pipes escaped in cells");
    }

    #[test]
    fn has_title_totals_and_flagged_table() {
        let md = rendered();
        assert!(md.starts_with("## ⚠️ citewatch: 5 of 8 claims flagged\n"));
        assert!(md.contains("**Claims:** 2 broken · 1 unsupported · 1 changed · 1 unverified · 3 ok"));
        assert!(md.contains(
            "### Flagged claims\n\n| Verdict | Claim | Text | Reasons | Next step |\n|---|---|---|---|---|\n"
        ));
        let changed = md.lines().find(|l| l.contains("/renewables-share`")).unwrap();
        assert!(
            changed.contains("`citewatch diff climate-2026/renewables-share`, then `citewatch accept"),
            "{changed}"
        );
        let broken = md.lines().find(|l| l.contains("/emissions-1990`")).unwrap();
        assert!(broken.contains("replace the URL or cite"), "{broken}");
        assert!(md.contains("### Moved permanently: update the citations"));
        assert!(md.contains("| http://old.example.com/page | https://new.example.com/page |"), "{md}");
        for id in ["emissions-1990", "minister-quote", "renewables-share", "paywalled", "clinics"] {
            let row = md.lines().find(|l| l.contains(&format!("/{id}`"))).unwrap();
            assert!(row.starts_with("| "), "{row}");
        }
        // Named once, by the check's reason.
        assert!(md.contains("quote not found in any source: \"emissions were halved\""), "{md}");
        assert!(!md.contains("quote not found: “emissions were halved”"), "{md}");
        assert!(md.contains("### Broken sources"));
        assert!(md.contains("<details><summary>Claims that are ok (3)</summary>"));
        assert!(md.contains("<details><summary>All sources (7)</summary>"));
    }

    #[test]
    fn table_rows_keep_their_columns() {
        let md = rendered();
        for line in md.lines().filter(|l| l.starts_with('|')) {
            // every row of a table has the same number of unescaped pipes as its header
            let pipes = line.matches('|').count() - line.matches("\\|").count();
            assert!(pipes >= 4, "{line}");
        }
        let clinics = md.lines().find(|l| l.contains("/clinics`")).unwrap();
        assert!(
            clinics.contains("\\-3 clinics closed \\| reported @ 2025")
                || clinics.contains("-3 clinics closed \\| reported @ 2025")
        );
        assert_eq!(clinics.matches('|').count() - clinics.matches("\\|").count(), 6);
        let survey = md.lines().find(|l| l.contains("/survey`")).unwrap();
        assert!(survey.contains("mostly<br>second line"));
    }

    #[test]
    fn html_is_neutralised() {
        let md = rendered();
        assert!(!md.contains(HOSTILE_CLAIM));
        assert!(!md.contains("<img"));
        assert!(!md.contains("<script"));
        assert!(md.contains("&lt;img src=x onerror=\"window.\\_\\_xss=1\"&gt;"));
        assert!(md.contains("Climate &amp; energy factsheet 2026 &lt;draft&gt;"));
    }

    #[test]
    fn long_tables_are_cut() {
        let (doc, extras) = crate::report::fixture::big_report(300, 400);
        let mut out = Vec::new();
        render(&doc, &extras, &mut out).unwrap();
        let md = String::from_utf8(out).unwrap();
        assert!(md.contains("more; see the HTML or CSV report."));
        assert!(md.len() < 65_536, "{}", md.len());
    }
}
