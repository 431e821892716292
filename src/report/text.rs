//! The text report: flagged claims first, grouped by factsheet, with their
//! reasons and the URLs at fault; then one summary line.

use super::model::RunReport;
use super::sanitize;
use crate::model::{Health, Verdict};
use std::io::Write;

/// Renders the text report.
pub fn render(r: &RunReport, out: &mut dyn Write) -> std::io::Result<()> {
    let flagged: Vec<_> = r.claims.iter().filter(|c| c.verdict.flagged()).collect();
    if flagged.is_empty() {
        writeln!(out, "All {} claims are ok.", r.claims.len())?;
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
            writeln!(out, "  {:<12} {}{}", c.verdict.as_str().to_uppercase(), sanitize(&c.id), place)?;
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
        }
        writeln!(out)?;
    }
    let s = &r.summary;
    let mut claims = Vec::new();
    for v in Verdict::WORST_FIRST {
        let n = match v {
            Verdict::Broken => s.claims.broken,
            Verdict::Unsupported => s.claims.unsupported,
            Verdict::Changed => s.claims.changed,
            Verdict::Unverified => s.claims.unverified,
            Verdict::Ok => s.claims.ok,
        };
        if n > 0 {
            claims.push(format!("{n} {v}"));
        }
    }
    let mut sources = Vec::new();
    for h in Health::ALL {
        let n = match h {
            Health::Ok => s.sources.ok,
            Health::Redirected => s.sources.redirected,
            Health::Broken => s.sources.broken,
            Health::Blocked => s.sources.blocked,
            Health::Error => s.sources.error,
        };
        if n > 0 {
            sources.push(format!("{n} {h}"));
        }
    }
    writeln!(
        out,
        "{} claims ({}), {} sources ({}){}",
        r.claims.len(),
        if claims.is_empty() { "none".into() } else { claims.join(", ") },
        r.sources.len(),
        if sources.is_empty() { "none".into() } else { sources.join(", ") },
        if r.run.offline { ", judged offline from the cache" } else { "" }
    )
}
