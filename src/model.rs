//! The vocabulary every stage shares: what a source's health and content are,
//! and what a claim's verdict is. Plain data, ordered worst-last or worst-first
//! as documented on each type, serialised in lower case for the JSON output.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Link health of one source (one distinct URL) in one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    /// 2xx, no permanent move.
    Ok,
    /// Works, but moved permanently (301/308) to another URL.
    Redirected,
    /// 404, 410, a name that does not exist, a soft-404.
    Broken,
    /// 401, 403, 429 after the retries, a bot challenge: access refused.
    Blocked,
    /// 5xx, time-out, refused connection, TLS failure: transient.
    Error,
}

impl Health {
    /// All values, in report order.
    pub const ALL: [Health; 5] = [Health::Ok, Health::Redirected, Health::Broken, Health::Blocked, Health::Error];
    /// The lower-case name used in JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Ok => "ok",
            Health::Redirected => "redirected",
            Health::Broken => "broken",
            Health::Blocked => "blocked",
            Health::Error => "error",
        }
    }
    /// Whether the body of this response can be read as the source's content.
    pub fn readable(self) -> bool {
        matches!(self, Health::Ok | Health::Redirected)
    }
    /// Parses the lower-case name.
    pub fn parse(s: &str) -> Option<Health> {
        Health::ALL.into_iter().find(|h| h.as_str() == s)
    }
}

/// Content state of one source compared with its baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Content {
    /// No baseline yet: this fetch became the baseline.
    New,
    /// Same normalised text as the baseline.
    Unchanged,
    /// The normalised text differs from the baseline.
    Changed,
    /// Not read this run.
    Unknown,
}

impl Content {
    /// All values.
    pub const ALL: [Content; 4] = [Content::New, Content::Unchanged, Content::Changed, Content::Unknown];
    /// The lower-case name used in JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Content::New => "new",
            Content::Unchanged => "unchanged",
            Content::Changed => "changed",
            Content::Unknown => "unknown",
        }
    }
    /// Parses the lower-case name.
    pub fn parse(s: &str) -> Option<Content> {
        Content::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A claim's verdict. The derived order is best first: `Ok < Unverified <
/// Changed < Unsupported < Broken`, so `max()` gives the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every source read, every quote found, nothing changed.
    Ok,
    /// A source could not be checked (blocked, transient error, unreadable).
    Unverified,
    /// A source's content changed since its baseline.
    Changed,
    /// A quote is not found in any source that was read.
    Unsupported,
    /// A source is broken.
    Broken,
}

impl Verdict {
    /// All values, worst first (the order of the text report).
    pub const WORST_FIRST: [Verdict; 5] =
        [Verdict::Broken, Verdict::Unsupported, Verdict::Changed, Verdict::Unverified, Verdict::Ok];
    /// The lower-case name used in JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Unverified => "unverified",
            Verdict::Changed => "changed",
            Verdict::Unsupported => "unsupported",
            Verdict::Broken => "broken",
        }
    }
    /// Parses the lower-case name.
    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::WORST_FIRST.into_iter().find(|v| v.as_str() == s)
    }
    /// Whether the claim needs a person's attention.
    pub fn flagged(self) -> bool {
        self != Verdict::Ok
    }
}

impl fmt::Display for Health {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl fmt::Display for Content {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
