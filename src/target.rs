//! What a review command is about: `FACTSHEET/CLAIM`, a URL as cited, or a
//! factsheet id — the one `TARGET` of `status`, `diff`, `accept` and
//! `history`.

use crate::report::model::{RunReport, Summary};
use crate::review::{self, Target};
use crate::store::{Result, Store};

/// Resolves a target against the store (an unknown one is an error naming
/// what was looked for and where to look).
pub fn resolve(store: &Store, target: &str) -> Result<Target> {
    review::resolve(store, target)
}

/// Keeps only the target's claims and sources in a document, and recounts.
pub fn narrow(mut doc: RunReport, target: &Target) -> RunReport {
    let wanted: std::collections::HashSet<(&str, &str)> =
        target.claims.iter().map(|c| (c.factsheet.as_str(), c.id.as_str())).collect();
    doc.claims.retain(|c| wanted.contains(&(c.factsheet.as_str(), c.id.as_str())));
    doc.sources.retain(|s| target.urls.contains(&s.url));
    let factsheets: std::collections::HashSet<&str> = target.claims.iter().map(|c| c.factsheet.as_str()).collect();
    doc.factsheets.retain(|f| factsheets.contains(f.id.as_str()));
    doc.summary = Summary::of(&doc.claims, &doc.sources);
    doc
}
