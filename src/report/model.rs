//! The one view model of a run: the `check --format json` document (schema 1).
//! Every report format renders from this; `report` rebuilds it from the store.

use crate::model::{Content, Health, Verdict};
use serde::{Deserialize, Serialize};

/// The JSON document of one run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RunReport {
    /// Always 1 for this layout.
    pub schema: u32,
    /// When the run happened.
    pub run: RunInfo,
    /// Counts by verdict and by health.
    pub summary: Summary,
    /// One entry per claim, flagged first (worst first), then in file order.
    pub claims: Vec<ClaimReport>,
    /// One entry per distinct URL (less fragment), in first-cited order.
    pub sources: Vec<SourceReport>,
    /// The factsheets of the run (added to schema 1: id and title).
    #[serde(default)]
    pub factsheets: Vec<FactsheetInfo>,
    /// Sources left out by `exclude`: never fetched, never counted as
    /// failing (added to schema 1; absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<ExcludedSource>,
    /// What became of each `[[notify]]` entry after this run: in the output
    /// of `check` only (added to schema 1; absent when none is configured).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notifications: Vec<Notification>,
}

/// What became of one `[[notify]]` entry after a run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Notification {
    /// `webhook`, `slack` or `email`.
    pub kind: String,
    /// The receiver, secrets hidden.
    pub target: String,
    /// `sent`, `skipped` (nothing new, `on = "new"`) or `failed`.
    pub status: String,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A source an `exclude` pattern left out.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ExcludedSource {
    /// As written in the claims file, less any fragment.
    pub url: String,
    /// `FACTSHEET/CLAIM` ids citing it.
    pub claims: Vec<String>,
    /// The pattern that matched.
    pub pattern: String,
}

/// Times of the run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RunInfo {
    /// RFC 3339, UTC.
    pub started: String,
    /// RFC 3339, UTC.
    pub finished: String,
    /// The run's number in the store.
    #[serde(default)]
    pub id: i64,
    /// Judged from the cache alone.
    #[serde(default)]
    pub offline: bool,
}

/// Totals.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    /// Claims by verdict.
    pub claims: ClaimCounts,
    /// Sources by health.
    pub sources: SourceCounts,
}

/// Claims by verdict.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ClaimCounts {
    pub ok: usize,
    pub changed: usize,
    pub unsupported: usize,
    pub broken: usize,
    pub unverified: usize,
}

/// Sources by health.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SourceCounts {
    pub ok: usize,
    pub redirected: usize,
    pub broken: usize,
    pub blocked: usize,
    pub error: usize,
}

impl ClaimCounts {
    /// The count of one verdict.
    pub fn get(&self, v: Verdict) -> usize {
        match v {
            Verdict::Ok => self.ok,
            Verdict::Changed => self.changed,
            Verdict::Unsupported => self.unsupported,
            Verdict::Broken => self.broken,
            Verdict::Unverified => self.unverified,
        }
    }
    fn slot(&mut self, v: Verdict) -> &mut usize {
        match v {
            Verdict::Ok => &mut self.ok,
            Verdict::Changed => &mut self.changed,
            Verdict::Unsupported => &mut self.unsupported,
            Verdict::Broken => &mut self.broken,
            Verdict::Unverified => &mut self.unverified,
        }
    }
}

impl SourceCounts {
    /// The count of one health.
    pub fn get(&self, h: Health) -> usize {
        match h {
            Health::Ok => self.ok,
            Health::Redirected => self.redirected,
            Health::Broken => self.broken,
            Health::Blocked => self.blocked,
            Health::Error => self.error,
        }
    }
    fn slot(&mut self, h: Health) -> &mut usize {
        match h {
            Health::Ok => &mut self.ok,
            Health::Redirected => &mut self.redirected,
            Health::Broken => &mut self.broken,
            Health::Blocked => &mut self.blocked,
            Health::Error => &mut self.error,
        }
    }
}

impl Summary {
    /// Counts one more claim of verdict `v`.
    pub fn count_claim(&mut self, v: Verdict) {
        *self.claims.slot(v) += 1;
    }
    /// Counts one more source of health `h`.
    pub fn count_source(&mut self, h: Health) {
        *self.sources.slot(h) += 1;
    }
    /// Every claim counted.
    pub fn claim_total(&self) -> usize {
        Verdict::WORST_FIRST.iter().map(|v| self.claims.get(*v)).sum()
    }
    /// Every source counted.
    pub fn source_total(&self) -> usize {
        Health::ALL.iter().map(|h| self.sources.get(*h)).sum()
    }
    /// Counts claims by verdict and sources by health.
    pub fn of(claims: &[ClaimReport], sources: &[SourceReport]) -> Summary {
        let mut s = Summary::default();
        for c in claims {
            *s.claims.slot(c.verdict) += 1;
        }
        for src in sources {
            *s.sources.slot(src.health) += 1;
        }
        s
    }
}

/// A run's document as its writers read it (the state rows, the stored
/// document, notifications): held whole ([`RunReport`]) or made entry by
/// entry as it is written (`rundoc::RunDoc`).
pub trait RunDocument: Serialize + Sync {
    fn run(&self) -> &RunInfo;
    fn summary(&self) -> &Summary;
    /// Every claim, in report order.
    fn claims(&self) -> Box<dyn Iterator<Item = ClaimReport> + '_>;
    /// Every claim's factsheet and id, in report order.
    fn claim_keys(&self) -> Vec<(String, String)> {
        self.claims().map(|c| (c.factsheet, c.id)).collect()
    }
    /// Every source, in report order.
    fn sources(&self) -> Box<dyn Iterator<Item = SourceReport> + '_>;
    fn factsheets(&self) -> &[FactsheetInfo];
}

impl RunDocument for RunReport {
    fn run(&self) -> &RunInfo {
        &self.run
    }
    fn summary(&self) -> &Summary {
        &self.summary
    }
    fn claims(&self) -> Box<dyn Iterator<Item = ClaimReport> + '_> {
        Box::new(self.claims.iter().cloned())
    }
    fn sources(&self) -> Box<dyn Iterator<Item = SourceReport> + '_> {
        Box::new(self.sources.iter().cloned())
    }
    fn factsheets(&self) -> &[FactsheetInfo] {
        &self.factsheets
    }
}

/// A factsheet's identity.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FactsheetInfo {
    pub id: String,
    pub title: String,
    /// The claims file it was read from.
    #[serde(default)]
    pub file: String,
}

/// One claim's verdict.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClaimReport {
    pub factsheet: String,
    pub id: String,
    pub verdict: Verdict,
    /// Plain-word reasons, empty when ok.
    pub reasons: Vec<String>,
    /// The claim's sources as cited.
    pub sources: Vec<ClaimSourceReport>,
    /// The claim's text (added to schema 1).
    #[serde(default)]
    pub text: String,
    /// Page or section (added to schema 1).
    #[serde(rename = "where", default, skip_serializing_if = "Option::is_none")]
    pub where_: Option<String>,
    /// False when the verdict rests on failures not yet seen `--confirm` runs in a row.
    #[serde(default = "yes")]
    pub confirmed: bool,
    /// What the claim counts as for the exit status while not confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts_as: Option<Verdict>,
    /// What an editor should do next, one step per line (added to schema 1;
    /// empty for a claim with nothing to do).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub next: Vec<String>,
}

fn yes() -> bool {
    true
}

/// One source of one claim.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClaimSourceReport {
    /// As cited, fragment included.
    pub url: String,
    pub health: Health,
    pub content: Content,
    /// The quotes checked in this source: the claim's own quotes, this
    /// source's quotes and the text fragments of its URL.
    pub quotes: Vec<QuoteReport>,
    /// A known archived copy, from the claims file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<String>,
    /// What the claim was judged on: `live` (the URL itself) or `archive`
    /// (its archived copy from the claims file, the URL being broken).
    #[serde(default = "live")]
    pub via: String,
}

fn live() -> String {
    "live".into()
}

/// One quote in one source.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct QuoteReport {
    pub text: String,
    /// `null` when the source could not be read.
    pub found: Option<bool>,
    /// Where the quote comes from: `claim`, `source`, `fragment` or `tracked`.
    #[serde(default)]
    pub origin: String,
    /// A figure tracked automatically from the claim's text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tracked: bool,
    /// For a tracked figure that is gone: the figure now standing in its place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<String>,
    /// For a quote with figures that is not found: the source's words that
    /// differ from it in its figures alone (folded: lower case, no accents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near: Option<String>,
    /// For a text fragment: why a reader's browser will not highlight it
    /// (the source is not HTML or plain text, or the directive is one that
    /// browsers ignore), though its words are checked all the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    /// Whether the source's baseline carried it (for "no longer found" versus
    /// "not found"); not part of the JSON.
    #[serde(skip)]
    pub in_baseline: Option<bool>,
}

/// One distinct URL.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourceReport {
    /// As written in the claims file, less any fragment.
    pub url: String,
    pub health: Health,
    pub http_status: Option<u16>,
    pub final_url: Option<String>,
    pub content: Content,
    /// `html`, `pdf`, `text` or `other`; null when never read.
    pub kind: Option<String>,
    /// Similarity of the current text to the baseline (0..1), when read.
    pub similarity: Option<f64>,
    /// The technical error, for transport failures.
    pub error: Option<String>,
    /// Why the health is what it is, in words.
    pub reason: Option<String>,
    pub consecutive_failures: u32,
    /// `FACTSHEET/CLAIM` ids citing it.
    pub claims: Vec<String>,
    /// Every redirect hop, in order (added to schema 1).
    #[serde(default)]
    pub redirects: Vec<Hop>,
    /// The page title, untrusted (added to schema 1).
    #[serde(default)]
    pub title: Option<String>,
    /// RFC 3339 times (added to schema 1).
    #[serde(default)]
    pub checked: Option<String>,
    #[serde(default)]
    pub first_seen: Option<String>,
    #[serde(default)]
    pub last_good: Option<String>,
    #[serde(default)]
    pub failing_since: Option<String>,
    /// A known archived copy from the claims file.
    #[serde(default)]
    pub archived: Option<String>,
    /// False for a failing source not yet seen failing `--confirm` runs in a row.
    #[serde(default = "yes")]
    pub confirmed: bool,
    /// The archived copy looked up or cited for it, and whether it holds the
    /// quotes; null when none was looked up or found.
    #[serde(default)]
    pub archive: Option<ArchiveReport>,
}

/// An archived copy of a source (a capture of the Wayback Machine or a memento).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ArchiveReport {
    /// The copy's address (as cited, or as the archive serves it).
    pub url: String,
    /// When it was captured, RFC 3339; null when unknown.
    pub timestamp: Option<String>,
    /// The HTTP status the archive recorded for the capture.
    pub status: Option<u16>,
    /// Whether every quote and tracked figure of the claims citing the source
    /// is found in the copy; null when there is none to check or the copy could
    /// not be read.
    pub quotes_found: Option<bool>,
    /// Whether the archive replayed the copy (false: listed, but it could
    /// not be read, so it is no copy to cite).
    #[serde(default = "read_default")]
    pub read: bool,
}

fn read_default() -> bool {
    true
}

/// One redirect hop: the URL asked for and the status it answered.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Hop {
    pub url: String,
    pub status: u16,
}
