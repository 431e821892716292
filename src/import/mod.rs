//! `citewatch import`: turn a factsheet (text extracted from a PDF, Markdown,
//! HTML or the PDF itself) into a claims file: one claim per sentence that
//! cites at least one URL, with the cited URLs as its sources.
//!
//! Everything here is pure: the caller reads the input and writes the output.

mod align;
mod html;
mod markdown;
mod merge;
pub mod pdf;
mod record;
mod render;
mod text;
mod words;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

pub use merge::{changed_words, describe, merge, MergeReport, Merged, TextChange};
pub use record::{record_path, Record, RecordClaim};
pub use render::render_toml;
/// A TOML basic string, escaped (for other writers of TOML).
pub fn toml_string(s: &str) -> String {
    render::toml_str(s)
}

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text extracted from a PDF: each page's text followed by its link list.
    Text,
    Markdown,
    Html,
    Pdf,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }

    /// Parse a `--format` value.
    pub fn from_name(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" => Some(Format::Text),
            "markdown" | "md" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Force a format instead of detecting it.
    pub format: Option<Format>,
    /// Factsheet id (otherwise a slug of the title).
    pub id: Option<String>,
    /// Factsheet title (otherwise taken from the document).
    pub title: Option<String>,
    /// Base URL for relative links (HTML, Markdown).
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedSource {
    pub url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedClaim {
    pub id: String,
    pub text: String,
    /// "p. 7" or a section name.
    pub where_: Option<String>,
    /// How sure the placement of the sources on this sentence is (0..1).
    pub confidence: f64,
    pub sources: Vec<String>,
    pub quotes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub id: String,
    pub title: String,
    pub format: Format,
    pub pages: usize,
    pub claims: Vec<ImportedClaim>,
    /// Anything the import could not place, in words.
    pub unplaced: Vec<String>,
    pub distinct_urls: usize,
    /// Link occurrences seen in the input (for the text format: link lines,
    /// where a URL broken over consecutive lines counts each line).
    pub link_lines: usize,
    /// Link occurrences that ended up on a claim.
    pub placed_link_lines: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub message: String,
}

impl ImportError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ImportError { message: message.into() }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ImportError {}

/// A claim before ids are given.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub text: String,
    pub where_: Option<String>,
    /// Id prefix: `p07` or a section slug.
    pub prefix: String,
    pub confidence: f64,
    pub sources: Vec<String>,
    /// Link occurrences placed on this claim.
    pub link_lines: usize,
}

/// What a format parser hands back.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub title: Option<String>,
    pub pages: usize,
    pub drafts: Vec<Draft>,
    pub unplaced: Vec<String>,
    pub link_lines: usize,
}

/// Guess the format: by extension, then by content.
pub fn detect_format(path: &Path, bytes: &[u8]) -> Format {
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        match ext.to_ascii_lowercase().as_str() {
            "pdf" => return Format::Pdf,
            "md" | "markdown" | "mdown" | "mkd" => return Format::Markdown,
            "html" | "htm" | "xhtml" => return Format::Html,
            "txt" | "text" => return Format::Text,
            _ => {}
        }
    }
    let head = &bytes[..bytes.len().min(4096)];
    let start =
        head.iter().position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF).unwrap_or(0);
    if head[start..].starts_with(b"%PDF-") || head.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Format::Pdf;
    }
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    if lower.contains("<html") || lower.contains("<!doctype html") || lower.contains("<body") {
        return Format::Html;
    }
    if lower.contains("](http")
        || lower.contains("[^")
        || lower.contains("](#")
        || lower.contains("\n# ")
        || lower.starts_with("# ")
    {
        return Format::Markdown;
    }
    if lower.contains("<p>") || lower.contains("<a href") {
        return Format::Html;
    }
    Format::Text
}

fn decode_text(bytes: &[u8], what: &str) -> Result<String, ImportError> {
    if bytes.contains(&0) {
        return Err(ImportError::new(format!(
            "the input contains binary data (NUL bytes), not {what}; check the file, or pass --format pdf if it is a PDF"
        )));
    }
    let s = String::from_utf8_lossy(bytes);
    let bad = s.chars().filter(|c| *c == '\u{FFFD}').count();
    let total = s.chars().count().max(1);
    if bad * 20 > total {
        return Err(ImportError::new(format!(
            "the input is not UTF-8 {what} ({bad} undecodable bytes); convert it to UTF-8 and try again"
        )));
    }
    Ok(s.trim_start_matches('\u{FEFF}').to_string())
}

/// Import a factsheet.
pub fn import(path: &Path, bytes: &[u8], opts: &ImportOptions) -> Result<Imported, ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::new(format!(
            "{} is empty: there is nothing to import; export the factsheet's text (or save the PDF/HTML/Markdown) and try again",
            path.display()
        )));
    }
    if let Some(id) = &opts.id {
        if !words::is_valid_id(id) {
            return Err(ImportError::new(format!(
                "--id {id:?} is not a valid factsheet id: use lowercase letters, digits and dashes, starting with a letter or digit (e.g. mali-fama-2022)"
            )));
        }
    }
    let format = opts.format.unwrap_or_else(|| detect_format(path, bytes));
    let parsed = match format {
        Format::Text => text::parse(&decode_text(bytes, "text")?),
        Format::Markdown => markdown::parse(&decode_text(bytes, "Markdown")?, opts.base_url.as_deref()),
        Format::Html => html::parse(&decode_text(bytes, "HTML")?, opts.base_url.as_deref()),
        Format::Pdf => pdf::parse(bytes)?,
    };
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("factsheet").to_string();
    let title = opts
        .title
        .clone()
        .or(parsed.title.clone())
        .map(|t| words::normalize_ws(&t))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| stem.clone());
    let id = match &opts.id {
        Some(id) => id.clone(),
        None => {
            let s = words::slugify(&title, 6);
            if s.is_empty() {
                let s2 = words::slugify(&stem, 6);
                if s2.is_empty() {
                    "factsheet".to_string()
                } else {
                    s2
                }
            } else {
                s
            }
        }
    };
    Ok(finish(id, title, format, parsed))
}

/// Give ids, dedupe sources, count.
fn finish(id: String, title: String, format: Format, parsed: Parsed) -> Imported {
    // Document frequency of words, to pick salient ones for ids.
    let mut df: HashMap<String, usize> = HashMap::new();
    for d in &parsed.drafts {
        let set: HashSet<String> = words::content_words(&d.text).into_iter().collect();
        for w in set {
            *df.entry(w).or_default() += 1;
        }
    }
    let mut used: HashSet<String> = HashSet::new();
    let mut claims = Vec::new();
    let mut all_urls: HashSet<String> = HashSet::new();
    let mut placed = 0;
    for d in parsed.drafts {
        let mut sources: Vec<String> = Vec::new();
        for s in d.sources {
            if !sources.contains(&s) {
                sources.push(s);
            }
        }
        if sources.is_empty() {
            continue;
        }
        placed += d.link_lines;
        all_urls.extend(sources.iter().cloned());
        let base = claim_id(&d.prefix, &d.text, &df);
        let id = unique_id(&base, &mut used);
        claims.push(ImportedClaim {
            id,
            text: d.text,
            where_: d.where_,
            confidence: (d.confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0,
            sources,
            quotes: Vec::new(),
        });
    }
    Imported {
        id,
        title,
        format,
        pages: parsed.pages,
        claims,
        unplaced: parsed.unplaced,
        distinct_urls: all_urls.len(),
        link_lines: parsed.link_lines,
        placed_link_lines: placed,
    }
}

const GENERIC: &[&str] = &[
    "according",
    "reported",
    "report",
    "reports",
    "said",
    "says",
    "noted",
    "notes",
    "stated",
    "including",
    "however",
    "recent",
    "recently",
    "example",
    "first",
    "second",
    "third",
    "interview",
    "note",
];

pub(crate) fn claim_id(prefix: &str, text: &str, df: &HashMap<String, usize>) -> String {
    let ws: Vec<String> = words::content_words(text)
        .into_iter()
        .filter(|w| {
            // Month names ("may" aside, a verb too) say nothing of the claim.
            let month = words::MONTHS.contains(&w.as_str()) && w != "may";
            w.len() > 2 && !w.chars().all(|c| c.is_ascii_digit()) && !GENERIC.contains(&w.as_str()) && !month
        })
        .collect();
    let mut uniq: Vec<(usize, String)> = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        if !uniq.iter().any(|(_, u)| u == w) {
            uniq.push((i, w.clone()));
        }
    }
    let mut ranked = uniq.clone();
    ranked.sort_by_key(|(i, w)| (df.get(w).copied().unwrap_or(0), std::cmp::Reverse(w.len().min(8)), *i));
    let mut pick: Vec<(usize, String)> = ranked.into_iter().take(3).collect();
    pick.sort_by_key(|(i, _)| *i);
    let mut parts: Vec<String> = vec![prefix.to_string()];
    parts.extend(pick.into_iter().map(|(_, w)| w));
    let id = parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    if id.is_empty() {
        "claim".to_string()
    } else {
        id
    }
}

pub(crate) fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    if used.insert(base.to_string()) {
        return base.to_string();
    }
    let mut n = 2;
    loop {
        let cand = format!("{base}-{n}");
        if used.insert(cand.clone()) {
            return cand;
        }
        n += 1;
    }
}

/// Id prefix for a section heading: a slug of at most three words.
pub(crate) fn section_prefix(heading: Option<&str>) -> String {
    match heading {
        Some(h) => {
            let s = words::slugify(h, 3);
            if s.is_empty() {
                "intro".to_string()
            } else {
                s
            }
        }
        None => "intro".to_string(),
    }
}

#[cfg(test)]
mod tests;
