//! The text report: flagged claims first, grouped by factsheet, with their
//! reasons and the URLs at fault; then one summary line.

use super::model::RunReport;
use super::sanitize;
use crate::model::{Health, Verdict};
use std::io::Write;

/// Renders the text report of a check: the flagged claims, then the summary.
/// The totals are the summary's: `check` hands over only the claims and
/// sources it shows (flagged or with reasons; moved).
pub fn render(r: &RunReport, out: &mut dyn Write) -> std::io::Result<()> {
    render_claims(r, false, out)
}

/// Renders every claim (the `status` view), with its tracked figures.
pub fn render_all(r: &RunReport, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "last check {} (run {}){}", r.run.finished, r.run.id, if r.run.offline { ", offline" } else { "" })?;
    render_claims(r, true, out)
}

/// Renders a source's timeline; fetches of the `interrupted` runs say so.
pub fn render_history(h: &crate::review::History, interrupted: &[i64], out: &mut dyn Write) -> std::io::Result<()> {
    write!(out, "{}\n  first seen {}", sanitize(&h.url), h.first_seen)?;
    if let Some(since) = &h.failing_since {
        write!(out, ", failing since {since} ({} run(s) in a row)", h.consecutive_failures)?;
    }
    writeln!(out)?;
    for e in &h.entries {
        if e.event == "accept" {
            let note = e.note.as_deref().map(|n| format!(" \"{}\"", sanitize(n))).unwrap_or_default();
            let undone = if e.undone { " (undone)" } else { "" };
            writeln!(out, "  {}  accept  new baseline{note}{undone}", e.time)?;
            continue;
        }
        let status = e.http_status.map(|s| format!("HTTP {s}")).unwrap_or_else(|| "no response".into());
        let health = e.health.map(|h| h.as_str()).unwrap_or("?");
        let content = e.content.map(|c| c.as_str()).unwrap_or("?");
        let sim = match (e.content, e.similarity) {
            (Some(crate::model::Content::Changed), Some(s)) => format!(" ({:.0}% similar)", (s * 100.0).floor()),
            _ => String::new(),
        };
        let reason = e.reason.as_deref().map(|r| format!("  {}", sanitize(r))).unwrap_or_default();
        let stopped = if e.run.is_some_and(|r| interrupted.contains(&r)) { "  (run interrupted)" } else { "" };
        writeln!(
            out,
            "  {}  run {:<4} {:<12} {:<10} {content}{sim}{reason}{stopped}",
            e.time,
            e.run.unwrap_or(0),
            status,
            health
        )?;
    }
    Ok(())
}

fn render_claims(r: &RunReport, all: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let flagged: Vec<_> = r.claims.iter().filter(|c| all || c.verdict.flagged()).collect();
    if flagged.is_empty() {
        writeln!(out, "All {} claims are ok.", r.summary.claim_total())?;
    }
    let mut order: Vec<&str> = r.factsheets.iter().map(|f| f.id.as_str()).collect();
    for c in &flagged {
        if !order.contains(&c.factsheet.as_str()) {
            order.push(&c.factsheet);
        }
    }
    for fs in order {
        let of_fs: Vec<_> = flagged.iter().filter(|c| c.factsheet == fs).collect();
        if of_fs.is_empty() {
            continue;
        }
        let title = r.factsheets.iter().find(|f| f.id == fs).map(|f| f.title.as_str()).unwrap_or("");
        writeln!(out, "{}  {}", sanitize(fs), sanitize(title))?;
        for c in of_fs {
            let place = c.where_.as_deref().map(|w| format!("  ({})", sanitize(w))).unwrap_or_default();
            let counts = match c.counts_as {
                Some(v) => format!("  [not confirmed yet: counts as {v}]"),
                None => String::new(),
            };
            writeln!(out, "  {:<12} {}{}{}", c.verdict.as_str().to_uppercase(), sanitize(&c.id), place, counts)?;
            if !c.text.is_empty() {
                let mut text: String = c.text.chars().take(160).collect();
                if c.text.chars().count() > 160 {
                    text.push('…');
                }
                writeln!(out, "               \"{}\"", sanitize(&text))?;
            }
            for reason in &c.reasons {
                writeln!(out, "               - {}", sanitize(reason))?;
            }
            if c.verdict.flagged() {
                for step in &c.next {
                    writeln!(out, "               next: {}", sanitize(step))?;
                }
            }
            if all {
                // One entry per figure: found in any source, else gone from one, else unread.
                let mut figures: Vec<(String, &'static str)> = Vec::new();
                for q in c.sources.iter().flat_map(|s| s.quotes.iter().filter(|q| q.tracked)) {
                    let mark = match q.found {
                        Some(true) => "found",
                        Some(false) => "GONE",
                        None => "not checked",
                    };
                    let rank = |m: &str| ["not checked", "GONE", "found"].iter().position(|x| *x == m);
                    match figures.iter_mut().find(|(t, _)| *t == q.text) {
                        Some(entry) if rank(mark) > rank(entry.1) => entry.1 = mark,
                        Some(_) => {}
                        None => figures.push((q.text.clone(), mark)),
                    }
                }
                let figures: Vec<String> =
                    figures.iter().map(|(t, mark)| format!("{} ({mark})", sanitize(t))).collect();
                if !figures.is_empty() {
                    writeln!(out, "               tracked figures: {}", figures.join(", "))?;
                }
            }
        }
        writeln!(out)?;
    }
    moved(r, out)?;
    if !all {
        notes(r, out)?;
    }
    let s = &r.summary;
    let mut claims = Vec::new();
    for v in Verdict::WORST_FIRST {
        let n = s.claims.get(v);
        if n > 0 {
            claims.push(format!("{n} {v}"));
        }
    }
    let mut sources = Vec::new();
    for h in Health::ALL {
        let n = s.sources.get(h);
        if n > 0 {
            sources.push(format!("{n} {h}"));
        }
    }
    writeln!(
        out,
        "{} claims ({}), {} sources ({}){}{}",
        s.claim_total(),
        if claims.is_empty() { "none".into() } else { claims.join(", ") },
        s.source_total(),
        if sources.is_empty() { "none".into() } else { sources.join(", ") },
        if r.excluded.is_empty() { String::new() } else { format!(", {} excluded", r.excluded.len()) },
        if r.run.offline { ", judged offline from the cache" } else { "" }
    )
}

/// The reasons of claims that are not flagged (a text fragment gone while
/// another of the link still highlights, one browsers ignore): `check` lists
/// only flagged claims, so these are named here, one line each.
fn notes(r: &RunReport, out: &mut dyn Write) -> std::io::Result<()> {
    let lines: Vec<String> = r
        .claims
        .iter()
        .filter(|c| !c.verdict.flagged())
        .flat_map(|c| {
            c.reasons
                .iter()
                .map(move |reason| format!("  {}/{}: {}", sanitize(&c.factsheet), sanitize(&c.id), sanitize(reason)))
        })
        .collect();
    if lines.is_empty() {
        return Ok(());
    }
    writeln!(out, "Notes on ok claims ({}):", lines.len())?;
    for l in lines {
        writeln!(out, "{l}")?;
    }
    writeln!(out)
}

/// The sources that moved permanently: they still work, so their claims are
/// not flagged, but the citation should follow the move.
fn moved(r: &RunReport, out: &mut dyn Write) -> std::io::Result<()> {
    let moved: Vec<_> = r.sources.iter().filter(|s| s.health == Health::Redirected).collect();
    if moved.is_empty() {
        return Ok(());
    }
    writeln!(out, "Moved permanently ({}):", moved.len())?;
    for s in moved {
        let status = s
            .redirects
            .iter()
            .find(|h| matches!(h.status, 301 | 308))
            .map(|h| format!("{} ", h.status))
            .unwrap_or_default();
        writeln!(out, "  {status}{}", sanitize(&s.url))?;
        if let Some(to) = &s.final_url {
            writeln!(out, "      next: update the citation to {}", sanitize(to))?;
        }
        if !s.claims.is_empty() {
            writeln!(out, "      cited by {}", sanitize(&s.claims.join(", ")))?;
        }
    }
    writeln!(out)
}
