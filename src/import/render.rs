//! Writing the claims file.

use std::fmt::Write as _;

use super::Imported;

/// A TOML basic string, escaped.
pub(crate) fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(crate) fn toml_str_array(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| toml_str(s)).collect();
    format!("[{}]", parts.join(", "))
}

pub(crate) fn confidence_str(c: f64) -> String {
    let c = (c.clamp(0.0, 1.0) * 100.0).round() / 100.0;
    let s = format!("{c:.2}");
    // keep it a float: "1.00" -> "1.0", "0.80" -> "0.8"
    let t = s.trim_end_matches('0');
    if t.ends_with('.') {
        format!("{t}0")
    } else {
        t.to_string()
    }
}

pub(crate) fn claim_comment(where_: Option<&str>, confidence: f64) -> String {
    let w = where_.unwrap_or("?");
    let note = if confidence < 0.6 { " (low: check placement)" } else { "" };
    format!("# {w}, confidence {}{note}\n", confidence_str(confidence))
}

/// Render the claims file for an import.
pub fn render_toml(imp: &Imported, source_name: &str) -> String {
    let mut out = String::new();
    let low = imp.claims.iter().filter(|c| c.confidence < 0.6).count();
    let _ = writeln!(
        out,
        "# Imported by citewatch import from {} ({}, {} page{}): {} claims, {} distinct URLs, {} low-confidence placements.",
        source_name.replace('\n', " "),
        imp.format,
        imp.pages,
        if imp.pages == 1 { "" } else { "s" },
        imp.claims.len(),
        imp.distinct_urls,
        low
    );
    for u in &imp.unplaced {
        let _ = writeln!(out, "# unplaced: {}", u.replace('\n', " "));
    }
    out.push('\n');
    out.push_str("[factsheet]\n");
    let _ = writeln!(out, "id = {}", toml_str(&imp.id));
    let _ = writeln!(out, "title = {}", toml_str(&imp.title));
    for c in &imp.claims {
        out.push('\n');
        out.push_str(&claim_comment(c.where_.as_deref(), c.confidence));
        out.push_str("[[claim]]\n");
        let _ = writeln!(out, "id = {}", toml_str(&c.id));
        let _ = writeln!(out, "text = {}", toml_str(&c.text));
        if let Some(w) = &c.where_ {
            let _ = writeln!(out, "where = {}", toml_str(w));
        }
        let _ = writeln!(out, "confidence = {}", confidence_str(c.confidence));
        if !c.quotes.is_empty() {
            let _ = writeln!(out, "quotes = {}", toml_str_array(&c.quotes));
        }
        out.push_str("sources = [\n");
        for s in &c.sources {
            let _ = writeln!(out, "  {},", toml_str(s));
        }
        out.push_str("]\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(toml_str("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
        assert_eq!(confidence_str(1.0), "1.0");
        assert_eq!(confidence_str(0.8), "0.8");
        assert_eq!(confidence_str(0.823), "0.82");
        assert_eq!(confidence_str(0.0), "0.0");
    }
}
