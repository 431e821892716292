//! `citewatch diff`: a word-level diff of a source's watched text between its
//! baseline and its latest snapshot, in hunks with context, each quote marked
//! where it sits or shown as gone. Colour on a terminal, plain markers
//! (`[-removed-]`, `{+added+}`) when piped.

use super::sanitize;
use crate::review::{SourceTexts, WatchedQuote};
use crate::text::{find_fragment, normalize, searchable};
use similar::{ChangeTag, TextDiff};
use std::io::Write;

/// How to show a diff.
#[derive(Debug, Clone, Copy)]
pub struct DiffStyle {
    /// ANSI colours instead of markers.
    pub color: bool,
    /// The whole text instead of hunks.
    pub full: bool,
    /// Lines of context around each change.
    pub context: usize,
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const RED_BG: &str = "\x1b[1;37;41m";
const GREEN_BG: &str = "\x1b[1;30;42m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// The line (from 1) of `text` where `quote` starts, found as `check` finds
/// it: the same folding, the whole directive (prefix, range, suffix), over
/// the text's lines as blocks.
pub fn line_of(text: &str, quote: &WatchedQuote) -> Option<usize> {
    let hay = searchable(text, true);
    let (start, _) = find_fragment(&hay, &quote.query)?;
    // Lines that fold to nothing leave no line in `hay`.
    let nth = hay[..start].matches('\n').count();
    text.lines().enumerate().filter(|(_, l)| !searchable(l, true).is_empty()).nth(nth).map(|(i, _)| i + 1)
}

/// Renders the diffs of some sources; returns how many had a change.
pub fn render(sources: &[SourceTexts], style: DiffStyle, out: &mut dyn Write) -> std::io::Result<usize> {
    let mut changed = 0;
    for s in sources {
        let url = sanitize(&s.url);
        let (Some((btime, base)), Some((ltime, latest))) = (&s.baseline, &s.latest) else {
            writeln!(out, "{url}: no snapshot yet (never read successfully); nothing to diff")?;
            continue;
        };
        if normalize(base) == normalize(latest) {
            writeln!(out, "{url}: no change since the baseline of {btime}")?;
            continue;
        }
        changed += 1;
        // The figure `check` gives (from the texts' sketches), so the two agree.
        let sim = crate::lock::similarity(base, latest, &[])
            .unwrap_or_else(|| crate::compare::similarity(&normalize(base), &normalize(latest)));
        let head = format!("== {url}  ({:.0}% similar)", (sim * 100.0).floor());
        if style.color {
            writeln!(out, "\x1b[1m{head}{RESET}")?;
        } else {
            writeln!(out, "{head}")?;
        }
        writeln!(out, "--- baseline {btime}")?;
        writeln!(out, "+++ latest   {ltime}")?;
        let diff =
            TextDiff::configure().timeout(std::time::Duration::from_secs(2)).diff_lines(base.as_str(), latest.as_str());
        let groups = if style.full { vec![diff.ops().to_vec()] } else { diff.grouped_ops(style.context) };
        for group in &groups {
            let (Some(first), Some(_)) = (group.first(), group.last()) else { continue };
            if !style.full {
                let hunk = format!(
                    "@@ baseline line {}, latest line {} @@",
                    first.old_range().start + 1,
                    first.new_range().start + 1
                );
                if style.color {
                    writeln!(out, "{CYAN}{hunk}{RESET}")?;
                } else {
                    writeln!(out, "{hunk}")?;
                }
            }
            for op in group {
                for change in diff.iter_inline_changes(op) {
                    let (sign, line_color, word_color) = match change.tag() {
                        ChangeTag::Delete => ('-', RED, RED_BG),
                        ChangeTag::Insert => ('+', GREEN, GREEN_BG),
                        ChangeTag::Equal => (' ', "", ""),
                    };
                    let mut line = String::new();
                    for (emph, part) in change.iter_strings_lossy() {
                        let part = sanitize(part.trim_end_matches('\n'));
                        match (emph, style.color, change.tag()) {
                            (true, true, _) => line.push_str(&format!("{word_color}{part}{RESET}{line_color}")),
                            (true, false, ChangeTag::Delete) => line.push_str(&format!("[-{part}-]")),
                            (true, false, ChangeTag::Insert) => line.push_str(&format!("{{+{part}+}}")),
                            _ => line.push_str(&part),
                        }
                    }
                    if style.color && !line_color.is_empty() {
                        writeln!(out, "{line_color}{sign} {line}{RESET}")?;
                    } else {
                        writeln!(out, "{sign} {line}")?;
                    }
                }
            }
        }
        if !s.quotes.is_empty() {
            writeln!(out, "quotes:")?;
            for q in &s.quotes {
                let qs = sanitize(&q.text);
                let state = match (line_of(latest, q), line_of(base, q)) {
                    (Some(l), _) => format!("at latest line {l}"),
                    (None, Some(b)) => format!("GONE (was at baseline line {b})"),
                    (None, None) => "not in the watched text (may be elsewhere on the page)".into(),
                };
                writeln!(out, "  \"{qs}\": {state}")?;
            }
        }
        writeln!(out)?;
    }
    Ok(changed)
}

/// The excerpt of a change for the reports: the changed lines with one line
/// of context, at most `max_lines` lines of at most `max_chars` characters,
/// each with the words that changed marked as `render` marks them.
pub fn excerpt(base: &str, latest: &str, max_lines: usize, max_chars: usize) -> Vec<super::DiffLine> {
    let diff = TextDiff::configure().timeout(std::time::Duration::from_millis(500)).diff_lines(base, latest);
    let mut lines = Vec::new();
    for group in diff.grouped_ops(1) {
        for op in &group {
            for change in diff.iter_inline_changes(op) {
                if lines.len() >= max_lines {
                    lines.push(super::DiffLine::plain(' ', "…"));
                    return lines;
                }
                let tag = match change.tag() {
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                    ChangeTag::Equal => ' ',
                };
                let mut line = super::DiffLine { tag, ..Default::default() };
                for (emph, part) in change.iter_strings_lossy() {
                    let start = line.text.len();
                    line.text.push_str(&part);
                    if emph {
                        let piece = line.text[start..].trim_end();
                        if !piece.is_empty() {
                            line.marks.push((start, start + piece.len()));
                        }
                    }
                }
                let kept = line.text.trim_end().len();
                line.text.truncate(kept);
                if let Some((cut, _)) = line.text.char_indices().nth(max_chars) {
                    line.text.truncate(cut);
                    line.text.push('…');
                }
                let end = line.text.len();
                line.marks.retain_mut(|m| {
                    m.1 = m.1.min(end);
                    m.0 < m.1
                });
                lines.push(line);
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(a: &str, b: &str, quotes: &[&str]) -> Vec<SourceTexts> {
        vec![SourceTexts {
            url: "https://x.org/r".into(),
            baseline: Some(("2026-11-20T00:00:00Z".into(), a.into())),
            latest: Some(("2026-11-27T00:00:00Z".into(), b.into())),
            quotes: quotes.iter().map(|s| WatchedQuote::plain(s)).collect(),
        }]
    }

    #[test]
    fn shows_exactly_the_changed_words() {
        let a = "Title\nIntro line.\nAttackers killed 35 people in Moura.\nOutro.\n";
        let b = "Title\nIntro line.\nAttackers killed 53 people in Moura.\nOutro.\n";
        let mut out = Vec::new();
        let n = render(
            &texts(a, b, &["35 people", "Moura"]),
            DiffStyle { color: false, full: false, context: 1 },
            &mut out,
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(n, 1);
        assert!(out.contains("- Attackers killed [-35-] people in Moura."), "{out}");
        assert!(out.contains("+ Attackers killed {+53+} people in Moura."), "{out}");
        assert!(!out.contains("Title"), "context is one line: {out}");
        assert!(out.contains("\"35 people\": GONE (was at baseline line 3)"), "{out}");
        assert!(out.contains("\"Moura\": at latest line 3"), "{out}");
    }

    #[test]
    fn excerpts_mark_the_changed_words() {
        let a = "Title\nIntro line.\nAttackers killed 35 people in Moura.\nOutro.\n";
        let b = "Title\nIntro line.\nAttackers killed 53 people in Moura.\nOutro.\n";
        let lines = excerpt(a, b, 40, 300);
        let tags: String = lines.iter().map(|l| l.tag).collect();
        assert_eq!(tags, " -+ ");
        let marked = |l: &crate::report::DiffLine| -> Vec<String> {
            l.pieces().into_iter().filter(|p| p.0).map(|p| p.1.to_string()).collect()
        };
        assert_eq!(marked(&lines[1]), ["35"]);
        assert_eq!(marked(&lines[2]), ["53"]);
        assert_eq!(lines[2].text, "Attackers killed 53 people in Moura.");
        assert!(marked(&lines[0]).is_empty());
        // Caps: lines and characters, marks clipped with the text.
        let long = "x ".repeat(400);
        let lines = excerpt(&format!("{long}\n"), &format!("{long}y\n"), 40, 50);
        assert!(lines.iter().all(|l| l.text.chars().count() <= 51 && l.marks.iter().all(|m| m.1 <= l.text.len())));
        let many_a: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let many_b: String = (0..100).map(|i| format!("line {}\n", i + 1000)).collect();
        let lines = excerpt(&many_a, &many_b, 40, 300);
        assert_eq!(lines.len(), 41);
        assert_eq!(lines[40].text, "…");
    }

    #[test]
    fn says_when_nothing_changed() {
        let mut out = Vec::new();
        render(
            &texts("Same text.", "Same   text.", &[]),
            DiffStyle { color: false, full: false, context: 3 },
            &mut out,
        )
        .unwrap();
        assert!(String::from_utf8(out).unwrap().contains("no change since the baseline"));
    }
}
