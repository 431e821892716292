//! Judgements kept per snapshot: a source that answers 304, or is re-judged
//! offline, has the same texts as when its quotes and figures were last
//! checked, so they need not be read, normalised and searched again. Pure: the
//! key of a judgement and its stored form; the store keeps them.

use crate::claims::Factsheet;
use crate::plan::PlannedSource;
use crate::report::model::QuoteReport;
use std::sync::OnceLock;

/// This program, as far as a stored judgement goes: its version and its
/// executable's size and time, so that any rebuild judges afresh.
fn program() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let exe = std::env::current_exe().and_then(std::fs::metadata).ok();
        let stamp =
            exe.as_ref().and_then(|m| m.modified().ok()).and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        match (exe, stamp) {
            (Some(m), Some(t)) => format!("{} {} {}", env!("CARGO_PKG_VERSION"), m.len(), t.as_nanos()),
            // Unknown: a key of this process alone, never reused.
            _ => format!("{} pid {} {:?}", env!("CARGO_PKG_VERSION"), std::process::id(), std::time::SystemTime::now()),
        }
    })
}

/// A key for a stored result computed from `material` by this program.
pub fn key_of(material: &str) -> String {
    crate::extract::sha256(format!("{}\u{0}{material}", program()).as_bytes())
}

/// What the judgement of `source` reads besides its texts: every cite's
/// claim text, quotes and fragments, the selector, and the program.
pub fn key(factsheets: &[Factsheet], source: &PlannedSource) -> String {
    let mut material = format!("{}\u{0}{:?}", program(), source.selector);
    for c in &source.cites {
        let claim = &factsheets[c.factsheet].claims[c.claim];
        let cite = &claim.sources[c.cite];
        material.push_str(&format!(
            "\u{0}{:?}\u{0}{:?}\u{0}{:?}\u{0}{:?}",
            claim.text, claim.quotes, cite.quotes, cite.fragments
        ));
    }
    crate::extract::sha256(material.as_bytes())
}

/// The stored form of a judgement (with whether each quote was in the
/// baseline, which the JSON leaves out).
pub fn encode(quotes: &[Vec<QuoteReport>]) -> String {
    let with: Vec<Vec<(&QuoteReport, Option<bool>)>> =
        quotes.iter().map(|l| l.iter().map(|q| (q, q.in_baseline)).collect()).collect();
    serde_json::to_string(&with).unwrap_or_default()
}

/// A judgement back from its stored form; `None` when unreadable.
pub fn decode(text: &str) -> Option<Vec<Vec<QuoteReport>>> {
    let with: Vec<Vec<(QuoteReport, Option<bool>)>> = serde_json::from_str(text).ok()?;
    Some(
        with.into_iter()
            .map(|l| {
                // Collected in place, the list would keep the room of the
                // larger pairs (and the parser's spare room): held to the run's end.
                let mut l: Vec<QuoteReport> = l
                    .into_iter()
                    .map(|(mut q, b)| {
                        q.in_baseline = b;
                        q
                    })
                    .collect();
                l.shrink_to_fit();
                l
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_the_baseline_flag() {
        let q = QuoteReport {
            text: "401,850".into(),
            found: Some(false),
            origin: "tracked".into(),
            tracked: true,
            now: Some("401,851".into()),
            in_baseline: Some(true),
            ..QuoteReport::default()
        };
        let back = decode(&encode(&[vec![q.clone()], vec![]])).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0][0], q);
        assert_eq!(back[0][0].in_baseline, Some(true));
        assert!(decode("not json").is_none());
    }
}
