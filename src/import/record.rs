//! The import record: what `citewatch import` last read from a document, kept
//! beside the claims file (`claims/NAME.imported`), so that `import --merge`
//! can tell what the *document* changed from what an editor changed.
//!
//! Plain text, one block per claim, in document order:
//!
//! ```text
//! document 000_7cb871625f077ed3.txt
//! format text
//!
//! claim p01-triggered-programs-appropriations
//! text The August 2020 coup in Mali triggered …
//! source https://www.state.gov/u-s-relations-with-mali/
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One claim as the import produced it (with the id it has in the claims file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordClaim {
    pub id: String,
    pub text: String,
    pub sources: Vec<String>,
}

/// What one import read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Record {
    /// The document's file name.
    pub document: String,
    /// Its format.
    pub format: String,
    pub claims: Vec<RecordClaim>,
}

/// Where the record of a claims file lives: `NAME.imported` beside `NAME.toml`.
pub fn record_path(claims_file: &Path) -> PathBuf {
    claims_file.with_extension("imported")
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r")
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

impl Record {
    /// The record of a fresh import.
    pub fn of(imp: &super::Imported, document: &str) -> Record {
        Record {
            document: document.to_string(),
            format: imp.format.name().to_string(),
            claims: imp
                .claims
                .iter()
                .map(|c| RecordClaim { id: c.id.clone(), text: c.text.clone(), sources: c.sources.clone() })
                .collect(),
        }
    }

    /// The file's text.
    pub fn render(&self, claims_file: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# What `citewatch import` last read from the document of {claims_file}, so that");
        let _ = writeln!(out, "# `citewatch import --merge` brings in only what the document changed and keeps");
        let _ = writeln!(out, "# what editors changed. Written by `citewatch import`; commit it, do not edit it.");
        let _ = writeln!(out, "document {}", escape(&self.document));
        let _ = writeln!(out, "format {}", escape(&self.format));
        for c in &self.claims {
            out.push('\n');
            let _ = writeln!(out, "claim {}", escape(&c.id));
            let _ = writeln!(out, "text {}", escape(&c.text));
            for s in &c.sources {
                let _ = writeln!(out, "source {}", escape(s));
            }
        }
        out
    }

    /// Reads a record back; errors name the line.
    pub fn parse(text: &str) -> Result<Record, String> {
        let mut rec = Record::default();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line.split_once(' ').unwrap_or((line, ""));
            let value = unescape(value);
            let claim = rec.claims.last_mut();
            match (key, claim) {
                ("document", _) => rec.document = value,
                ("format", _) => rec.format = value,
                ("claim", _) => rec.claims.push(RecordClaim { id: value, text: String::new(), sources: Vec::new() }),
                ("text", Some(c)) => c.text = value,
                ("source", Some(c)) => c.sources.push(value),
                _ => {
                    return Err(format!(
                        "line {}: unexpected \"{}\"; the file is written by `citewatch import`: restore it from git, or delete it (the next merge then only adds new links)",
                        i + 1,
                        key.chars().take(40).collect::<String>()
                    ))
                }
            }
        }
        Ok(rec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let rec = Record {
            document: "a.md".into(),
            format: "markdown".into(),
            claims: vec![RecordClaim {
                id: "x".into(),
                text: "two\nlines \\ and more".into(),
                sources: vec!["https://a.org/".into(), "https://b.org/x?y".into()],
            }],
        };
        assert_eq!(Record::parse(&rec.render("claims/a.toml")).unwrap(), rec);
        assert!(Record::parse("bogus line").unwrap_err().starts_with("line 1:"));
    }
}
