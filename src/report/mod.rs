//! Report renderers: turn one run document ([`model::RunReport`]) plus what
//! the store adds ([`ReportExtras`]) into HTML, Markdown, CSV, JSON or JUnit.
//!
//! Every renderer is pure: it reads the document and writes bytes, nothing
//! else. Every string that comes from a fetched page or a claims file is
//! treated as hostile and escaped for the format it lands in.

pub mod csv;
pub mod diff;
#[doc(hidden)]
pub mod fixture;
pub mod html;
pub mod junit;
pub mod markdown;
pub mod model;
pub mod next;
pub mod robustlinks;
pub mod text;

use std::collections::{BTreeMap, HashMap};
use std::io;

use self::model::{ArchiveReport, RunReport, SourceReport};

/// An output format of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Html,
    Md,
    Csv,
    Json,
    Junit,
    /// The factsheets' links as Robust Links.
    RobustLinks,
}

impl Format {
    /// All formats.
    pub const ALL: [Format; 6] =
        [Format::Html, Format::Md, Format::Csv, Format::Json, Format::Junit, Format::RobustLinks];
    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Md => "md",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Junit => "junit",
            Format::RobustLinks => "robustlinks",
        }
    }
    /// Parses a command-line name (`markdown` and `xml` accepted as aliases).
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Md),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "junit" | "xml" => Some(Format::Junit),
            "robustlinks" | "robust-links" => Some(Format::RobustLinks),
            _ => None,
        }
    }
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Md => "md",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Junit => "xml",
            Format::RobustLinks => "html",
        }
    }
}

/// Data the store adds beyond the run document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportExtras {
    /// Stored runs, oldest first, for the history chart.
    pub history: Vec<RunPoint>,
    /// Source URL (as in [`SourceReport::url`]) -> diff excerpt from the
    /// baseline to the latest text; only for changed sources.
    pub excerpts: BTreeMap<String, Vec<DiffLine>>,
    /// RFC 3339 time the report was made.
    pub generated: String,
}

/// One stored run, for the history chart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunPoint {
    pub id: i64,
    pub started: String,
    pub sources_broken: usize,
    pub sources_changed: usize,
    pub claims_flagged: usize,
}

/// One line of a diff excerpt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffLine {
    /// `'-'` removed, `'+'` added, `' '` context.
    pub tag: char,
    pub text: String,
    /// Byte ranges of `text` holding the words that changed (as `citewatch
    /// diff` marks them); empty when the line changed as a whole.
    pub marks: Vec<(usize, usize)>,
}

impl DiffLine {
    /// A line without word marks.
    pub fn plain(tag: char, text: impl Into<String>) -> DiffLine {
        DiffLine { tag, text: text.into(), marks: Vec::new() }
    }
    /// The text cut into (changed?, piece) runs, in order.
    pub fn pieces(&self) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut at = 0;
        for &(a, b) in &self.marks {
            let (a, b) = (a.clamp(at, self.text.len()), b.min(self.text.len()));
            if a >= b || !self.text.is_char_boundary(a) || !self.text.is_char_boundary(b) {
                continue;
            }
            if a > at {
                out.push((false, &self.text[at..a]));
            }
            out.push((true, &self.text[a..b]));
            at = b;
        }
        if at < self.text.len() {
            out.push((false, &self.text[at..]));
        }
        out
    }
}

/// Renders `doc` in `format` to `out`.
pub fn render(doc: &RunReport, extras: &ReportExtras, format: Format, out: &mut dyn io::Write) -> io::Result<()> {
    match format {
        Format::Html => html::render(doc, extras, out),
        Format::Md => markdown::render(doc, extras, out),
        Format::Csv => csv::render(doc, out),
        Format::Json => render_json(doc, out),
        Format::Junit => junit::render(doc, out),
        Format::RobustLinks => robustlinks::render(doc, out),
    }
}

/// The run document itself, pretty-printed, with a trailing newline.
pub fn render_json(doc: &impl serde::Serialize, out: &mut dyn io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc)?;
    out.write_all(b"\n")
}

/// A URL less its fragment: the key of [`SourceReport`] for a cited URL.
pub(crate) fn strip_fragment(url: &str) -> &str {
    match url.find('#') {
        Some(i) => &url[..i],
        None => url,
    }
}

/// What an editor's next step needs of the source of a URL as cited
/// (fragment or not): where it moved, its archived copies.
pub(crate) struct SourceFacts<'a> {
    /// The last URL asked for.
    pub final_url: Option<&'a str>,
    /// A known archived copy from the claims file.
    pub archived: Option<&'a str>,
    /// The archived copy looked up or cited for it.
    pub archive: Option<&'a ArchiveReport>,
}

/// The sources of a run document by URL as cited: held in a document
/// ([`SourceIndex`]) or read from what the run kept, without making entries.
pub(crate) trait Sources {
    fn facts(&self, url: &str) -> Option<SourceFacts<'_>>;
}

impl Sources for SourceIndex<'_> {
    fn facts(&self, url: &str) -> Option<SourceFacts<'_>> {
        self.get(url).map(|s| SourceFacts {
            final_url: s.final_url.as_deref(),
            archived: s.archived.as_deref(),
            archive: s.archive.as_ref(),
        })
    }
}

/// Looks up the [`SourceReport`] of a URL as cited (fragment or not).
pub(crate) struct SourceIndex<'a> {
    by_url: HashMap<&'a str, usize>,
    sources: &'a [SourceReport],
}

impl<'a> SourceIndex<'a> {
    pub(crate) fn new(sources: &'a [SourceReport]) -> Self {
        let mut by_url = HashMap::with_capacity(sources.len());
        for (i, s) in sources.iter().enumerate() {
            by_url.entry(s.url.as_str()).or_insert(i);
        }
        SourceIndex { by_url, sources }
    }
    /// The index of the source of `url`, trying it as is, then less its fragment.
    pub(crate) fn position(&self, url: &str) -> Option<usize> {
        self.by_url.get(url).or_else(|| self.by_url.get(strip_fragment(url))).copied()
    }
    pub(crate) fn get(&self, url: &str) -> Option<&'a SourceReport> {
        self.position(url).map(|i| &self.sources[i])
    }
}

/// The factsheet ids in report order: those of `doc.factsheets`, then any
/// other id a claim names, in first-seen order.
pub(crate) fn factsheet_ids(doc: &RunReport) -> Vec<&str> {
    let mut ids: Vec<&str> = Vec::new();
    for f in &doc.factsheets {
        if !ids.contains(&f.id.as_str()) {
            ids.push(&f.id);
        }
    }
    for c in &doc.claims {
        if !ids.contains(&c.factsheet.as_str()) {
            ids.push(&c.factsheet);
        }
    }
    ids
}

/// The title of a factsheet, when the document has one.
pub(crate) fn factsheet_title<'a>(doc: &'a RunReport, id: &str) -> Option<&'a str> {
    doc.factsheets.iter().find(|f| f.id == id && !f.title.is_empty()).map(|f| f.title.as_str())
}

/// Formats a 0..1 similarity as a percentage with one decimal.
pub(crate) fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// The quotes of a claim source that were looked for and not found.
pub(crate) fn missing_quotes(s: &model::ClaimSourceReport) -> impl Iterator<Item = &str> {
    s.quotes.iter().filter(|q| q.found == Some(false)).map(|q| q.text.as_str())
}

/// Makes untrusted text safe for a terminal: control characters (escape
/// sequences among them) are shown as `\u{..}` instead of being obeyed.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() && c != '\n' && c != '\t' || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trips() {
        let (doc, extras) = fixture::sample_report();
        let mut out = Vec::new();
        render(&doc, &extras, Format::Json, &mut out).unwrap();
        assert!(out.ends_with(b"}\n"));
        let back: RunReport = serde_json::from_slice(&out).unwrap();
        assert_eq!(back, doc);
    }

    #[test]
    fn format_names() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()), Some(f));
        }
        assert_eq!(Format::parse("markdown"), Some(Format::Md));
        assert_eq!(Format::parse("pdf"), None);
    }

    #[test]
    fn every_format_renders_an_empty_run() {
        let (mut doc, _) = fixture::sample_report();
        doc.claims.clear();
        doc.sources.clear();
        doc.factsheets.clear();
        let extras = ReportExtras::default();
        for f in Format::ALL {
            let mut out = Vec::new();
            render(&doc, &extras, f, &mut out).unwrap();
            assert!(!out.is_empty(), "{f:?}");
        }
    }

    #[test]
    fn source_index_ignores_fragments() {
        let (doc, _) = fixture::sample_report();
        let idx = SourceIndex::new(&doc.sources);
        let first = &doc.sources[0].url;
        assert_eq!(idx.position(&format!("{first}#part")), Some(0));
        assert!(idx.get("https://nowhere.invalid/").is_none());
    }
}
