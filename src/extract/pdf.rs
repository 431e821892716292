//! PDF to text (pdf-extract). The library can panic on damaged files, so it
//! runs under `catch_unwind`; a failure is a result, never a crash.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// Extracts the text of a PDF, or says why it could not.
pub fn extract(raw: &[u8]) -> Result<String, String> {
    let result = catch_unwind(AssertUnwindSafe(|| pdf_extract::extract_text_from_mem(raw)));
    match result {
        Ok(Ok(text)) => Ok(super::html::tidy(&dehyphenate(&text))),
        Ok(Err(e)) => Err(format!("cannot read the PDF: {e}")),
        Err(_) => Err("cannot read the PDF: the PDF reader failed on this file".into()),
    }
}

/// Rejoins words hyphenated across line breaks ("Depart-\nment").
fn dehyphenate(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_end();
        let joins = trimmed.ends_with('-')
            && trimmed[..trimmed.len() - 1].chars().next_back().is_some_and(char::is_alphabetic)
            && lines.peek().and_then(|n| n.trim_start().chars().next()).is_some_and(char::is_lowercase);
        if joins {
            out.push_str(&trimmed[..trimmed.len() - 1]);
            if let Some(next) = lines.next() {
                out.push_str(next.trim_start());
                out.push('\n');
            }
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn rejoins_hyphenation() {
        assert_eq!(
            super::dehyphenate("the State Depart-\nment said\nNew-\nYork"),
            "the State Department said\nNew-\nYork\n"
        );
    }

    #[test]
    fn junk_is_an_error_not_a_panic() {
        assert!(super::extract(b"%PDF-1.4 garbage \x00\x01").is_err());
        assert!(super::extract(b"").is_err());
    }
}
