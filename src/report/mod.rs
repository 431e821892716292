//! Stage 7: report. Renders a run's document ([`model::RunReport`]) as text
//! for people or JSON for machines. Pure: writes to the given writer only.

pub mod diff;
pub mod model;
pub mod text;

use model::RunReport;
use std::io::Write;

/// Writes the JSON document, one document, pretty, with a final newline.
pub fn json(report: &RunReport, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
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
