//! `citewatch extract FILE`: the text citewatch would watch (and search for
//! quotes) on a saved page, without a claims file, a store or the network.
//! What a user runs to see why a page is judged the way it is, or to try a
//! `selector` before putting it in a claims file.

use crate::extract::{self, Extracted};
use crate::report::sanitize;
use serde::Serialize;
use std::io::{Read, Write};
use std::path::Path;

/// The most of a file that is read (as `check`'s default body cap).
pub const MAX_FILE: u64 = 64 * 1024 * 1024;

/// What `extract --format json` prints.
#[derive(Debug, Serialize)]
pub struct Doc<'a> {
    /// `"citewatch.extract"`.
    pub schema: &'static str,
    /// The file read.
    pub file: String,
    /// html, pdf, text or other.
    pub kind: &'static str,
    pub title: Option<&'a str>,
    /// The watched text: the text compared with the baseline, one block per line.
    pub watched: &'a str,
    /// All visible text: where quotes and text fragments are searched.
    pub full: &'a str,
    /// Why no text could be read, when that is so.
    pub failure: Option<&'a str>,
}

/// Reads at most [`MAX_FILE`] bytes of `path` (`-` is stdin).
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    let r = if path.as_os_str() == "-" {
        std::io::stdin().lock().take(MAX_FILE + 1).read_to_end(&mut buf)
    } else {
        let meta = std::fs::metadata(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        if !meta.is_file() {
            return Err(format!("{}: not a regular file; give a saved page (HTML, PDF or text)", path.display()));
        }
        std::fs::File::open(path).and_then(|f| f.take(MAX_FILE + 1).read_to_end(&mut buf))
    };
    r.map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    if buf.len() as u64 > MAX_FILE {
        return Err(format!("{}: larger than {} MiB; nothing was read", path.display(), MAX_FILE >> 20));
    }
    Ok(buf)
}

/// Guesses a content type from the file name when none is given, so a saved
/// `.txt` is read as text and a `.pdf` as PDF (content sniffing does the rest).
pub fn content_type(path: &Path, given: Option<&str>) -> Option<String> {
    if let Some(ct) = given {
        return Some(ct.to_string());
    }
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(
        match ext.as_str() {
            "html" | "htm" | "xhtml" => "text/html",
            "pdf" => "application/pdf",
            "txt" | "text" | "md" => "text/plain",
            _ => return None,
        }
        .to_string(),
    )
}

/// Refuses a selector that is not CSS, in the words `validate` uses for a
/// claims file's `selector`.
pub fn check_selector(selector: Option<&str>) -> Result<(), String> {
    match selector {
        Some(sel) if scraper::Selector::parse(sel).is_err() => Err(format!(
            "--selector: selector \"{sel}\" is not a valid CSS selector; write one like \"article\", \"#main\" or \"div.content\""
        )),
        _ => Ok(()),
    }
}

/// What to tell a user about an extraction besides its text: why it failed,
/// or that the file has no text at all (neither HTML, PDF nor text).
pub fn note(ex: &Extracted) -> Option<String> {
    if let Some(why) = &ex.failure {
        return Some(sanitize(why));
    }
    (ex.kind.as_str() == "other" && ex.main.is_empty() && ex.full.is_empty()).then(|| {
        "no text: not HTML, PDF or plain text; `check` watches such a source by its bytes (pass --content-type if it is one of those)"
            .to_string()
    })
}

/// Extracts as `check` does (a PDF in the sandboxed reader, a time limit).
pub fn extract(raw: &[u8], content_type: Option<&str>, selector: Option<&str>) -> Extracted {
    extract::extract_bounded(raw, content_type, selector, std::time::Duration::from_secs(60))
}

/// Writes the watched (or full) text, one block per line, control characters
/// of the page made harmless for a terminal.
pub fn render_text(ex: &Extracted, full: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let text = if full { &ex.full } else { &ex.main };
    for line in text.lines() {
        writeln!(out, "{}", sanitize(line))?;
    }
    Ok(())
}

/// The JSON document of one extraction.
pub fn doc<'a>(file: &Path, ex: &'a Extracted) -> Doc<'a> {
    Doc {
        schema: "citewatch.extract",
        file: file.display().to_string(),
        kind: ex.kind.as_str(),
        title: ex.title.as_deref(),
        watched: &ex.main,
        full: &ex.full,
        failure: ex.failure.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_follows_the_extension_unless_given() {
        assert_eq!(content_type(Path::new("a/page.HTML"), None).as_deref(), Some("text/html"));
        assert_eq!(content_type(Path::new("notes.txt"), None).as_deref(), Some("text/plain"));
        assert_eq!(content_type(Path::new("r.pdf"), Some("text/html")).as_deref(), Some("text/html"));
        assert_eq!(content_type(Path::new("page"), None), None);
    }

    #[test]
    fn text_output_is_one_block_per_line_and_escapes_terminal_controls() {
        let html = b"<html><body><nav><a href=/>Home</a> <a href=/x>News</a></nav><article><h1>Title</h1>\
            <p>The ministry counted 401,850 displaced people in \x1b[31mMopti\x1b[0m this year.</p>\
            <p>A second paragraph of the story, long enough to read as prose.</p></article></body></html>";
        let ex = extract(html, Some("text/html"), None);
        let mut out = Vec::new();
        render_text(&ex, false, &mut out).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("401,850 displaced people"), "{s}");
        assert!(!s.contains('\x1b'), "{s:?}");
        assert!(!s.contains("Home"), "{s}");
        let mut out = Vec::new();
        render_text(&ex, true, &mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("Home"));
    }
}
