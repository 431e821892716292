//! Stage 1: the claims files. `load` reads every `*.toml` under the given paths
//! into [`Factsheet`]s, or refuses them all with `file:line:column` diagnostics
//! before anything is fetched or written.

mod fragment;
mod load;

pub use fragment::{parse_fragment, split_fragment, TextFragment};
pub use load::{collect_files, load, load_files, parse_str, Diagnostic, Diagnostics};
pub(crate) use load::{edit_distance, nearest};

use std::path::PathBuf;

/// One claims file: a factsheet and its claims.
#[derive(Debug, Clone)]
pub struct Factsheet {
    /// `[a-z0-9][a-z0-9-]*`, unique across all files.
    pub id: String,
    /// Human title.
    pub title: String,
    /// Publication date, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// Where the factsheet itself is published.
    pub url: Option<String>,
    /// The file it was read from.
    pub file: PathBuf,
    /// Claims in file order.
    pub claims: Vec<Claim>,
}

/// One claim with the sources it cites.
#[derive(Debug, Clone)]
pub struct Claim {
    /// Unique within its factsheet.
    pub id: String,
    /// The claim as published.
    pub text: String,
    /// Page or section.
    pub where_: Option<String>,
    /// Quotes that must be found in at least one of the claim's sources.
    pub quotes: Vec<String>,
    /// Sources in file order.
    pub sources: Vec<Cite>,
    /// How sure an import was of the placement (0..1), kept for reviewers.
    pub confidence: Option<f64>,
    /// 1-based line of the claim in its file.
    pub line: usize,
}

/// One cited source of a claim.
#[derive(Debug, Clone)]
pub struct Cite {
    /// The URL exactly as written, fragment included.
    pub url: String,
    /// Quotes that must be found in this source (`quote` and `quotes`).
    pub quotes: Vec<String>,
    /// Text fragments of the URL: quotes of this source too.
    pub fragments: Vec<TextFragment>,
    /// CSS selector narrowing the watched text.
    pub selector: Option<String>,
    /// A known archived copy.
    pub archived: Option<String>,
    /// Regular expressions whose matches are removed before comparing.
    pub ignore: Vec<String>,
    /// 1-based line where the source is written.
    pub line: usize,
}

impl Cite {
    /// The URL to fetch, as written, less any fragment: the source's key.
    pub fn key(&self) -> &str {
        split_fragment(&self.url).0
    }
}

impl Factsheet {
    /// `FACTSHEET/CLAIM` for a claim of this factsheet.
    pub fn claim_ref(&self, claim: &Claim) -> String {
        format!("{}/{}", self.id, claim.id)
    }
}
