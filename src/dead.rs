//! What `accept` and `diff` say about a source that is broken (404, 410, a
//! name that does not exist, a soft-404): there is nothing new to accept,
//! and the text to look at is the last good one.

use crate::model::Health;
use crate::report::sanitize;
use crate::store::{self, Store};
use std::io::Write;

/// A source whose last fetch found it broken.
#[derive(Debug, Clone)]
pub struct Dead {
    pub url: String,
    /// The reason of the last fetch ("HTTP 404", "soft-404: …").
    pub reason: String,
    /// When the failure began (RFC 3339).
    pub since: Option<String>,
    /// The last good fetch (RFC 3339).
    pub last_good: Option<String>,
}

/// The source `url` if its last fetch found it broken.
pub fn dead(st: &Store, url: &str) -> store::Result<Option<Dead>> {
    let Some(row) = st.source(url)? else { return Ok(None) };
    let Some(last) = st.last_fetch(row.id)? else { return Ok(None) };
    if Health::parse(&last.health) != Some(Health::Broken) {
        return Ok(None);
    }
    Ok(Some(Dead {
        url: url.to_string(),
        reason: last.reason.or(last.error).unwrap_or_else(|| "broken".into()),
        since: row.failing_since.map(store::rfc3339),
        last_good: row.last_good.map(store::rfc3339),
    }))
}

fn day(t: &Option<String>) -> String {
    t.as_deref().map(|t| t[..t.len().min(10)].to_string()).unwrap_or_else(|| "?".into())
}

/// "broken since 2026-11-20 (HTTP 404)".
pub fn broken_since(d: &Dead) -> String {
    format!("broken since {} ({})", day(&d.since), sanitize(&d.reason))
}

/// What `accept` says instead of accepting a broken source.
pub fn nothing_to_accept(d: &Dead) -> String {
    format!(
        "nothing to accept: {} is {}; there is no new content to make its baseline. Fix its URL in the claims file, add `archived = \"…\"` to the source (`citewatch archive URL --write` finds a saved copy), or ignore it (an `exclude` pattern in citewatch.toml)",
        sanitize(&d.url),
        broken_since(d)
    )
}

/// What `diff` shows for a broken source: since when, and the last good text.
pub fn render_diff(
    d: &Dead,
    last_good: Option<&(String, String)>,
    quotes: &[crate::review::WatchedQuote],
    lock: Option<&crate::lock::Entry>,
    full: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "== {}: {}", sanitize(&d.url), broken_since(d))?;
    let Some((time, text)) = last_good else {
        // A fresh cache (a clone, a CI runner): the lock still holds what the
        // claims relied on, as passages of the accepted baseline.
        let passages: Vec<&String> = lock.map(|e| e.quotes.iter().chain(&e.figures).collect()).unwrap_or_default();
        if let (Some(e), false) = (lock, passages.is_empty()) {
            writeln!(
                out,
                "   this cache never read it; its baseline accepted {} is in the lock file, with the passages the claims relied on:",
                sanitize(&e.accepted)
            )?;
            for p in passages {
                writeln!(out, "  \"{}\"", sanitize(p))?;
            }
            return Ok(());
        }
        return writeln!(out, "   it was never read successfully: there is no good text to show");
    };
    writeln!(out, "the last good text, from {time} (what the claims relied on):")?;
    const SHOWN: usize = 40;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    for l in lines.iter().take(if full { usize::MAX } else { SHOWN }) {
        writeln!(out, "  {}", sanitize(l))?;
    }
    if !full && lines.len() > SHOWN {
        writeln!(out, "  … {} more lines (--full shows them all)", lines.len() - SHOWN)?;
    }
    let shown = lines.join("\n");
    for q in quotes {
        match crate::report::diff::line_of(&shown, q) {
            Some(i) => writeln!(out, "  \"{}\": in the last good text, line {i}", sanitize(&q.text))?,
            None => writeln!(out, "  \"{}\": not in the last good text", sanitize(&q.text))?,
        }
    }
    Ok(())
}
