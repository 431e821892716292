//! Stage 4: compare a source's watched text with its baseline. Pure.
//!
//! Texts are compared normalised (so whitespace, case of markup and typography
//! do not count) after removing the matches of the `ignore` patterns.

use crate::model::Content;
use regex::Regex;
use std::time::Duration;

/// Relative times ("3 hours ago", "il y a 2 jours") change on every fetch and
/// say nothing about the content: never compared.
fn relative_times() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago\b|\bil y a\s+\d+\s*(?:secondes?|minutes?|heures?|jours?|semaines?)\b|\bhace\s+\d+\s*(?:segundos?|minutos?|horas?|d[ií]as?)\b",
        )
        .expect("relative time pattern")
    })
}

fn date_re() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        let months = "jan(?:uary|vier|\\.)?|feb(?:ruary|\\.)?|f[eé]v(?:rier|\\.)?|mar(?:ch|s|\\.)?|apr(?:il|\\.)?|avr(?:il|\\.)?|may|mai|june?|juin|july?|juil(?:let|\\.)?|aug(?:ust|\\.)?|ao[uû]t|sep(?:t(?:ember|embre)?)?\\.?|oct(?:ober|obre|\\.)?|nov(?:ember|embre|\\.)?|d[eé]c(?:ember|embre|\\.)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre";
        Regex::new(&format!(
            r"(?i)\b(?:\d{{4}}-\d{{2}}-\d{{2}}(?:t[\d:.]+z?)?|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|\d{{1,2}}(?:st|nd|rd|th|er)?\s+(?:{months})\s*,?\s+\d{{4}}|(?:{months})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
        ))
        .expect("date pattern")
    })
}

fn time_re() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)\b\d{1,2}(?::\d{2}(?::\d{2})?|h\d{2})\s*(?:am|pm)?\b").expect("time pattern"))
}

/// Words of update stamps, datelines and bylines.
const STAMP_WORDS: &[&str] = &[
    "updated",
    "update",
    "last",
    "modified",
    "published",
    "posted",
    "created",
    "date",
    "on",
    "at",
    "by",
    "the",
    "le",
    "la",
    "les",
    "a",
    "à",
    "de",
    "du",
    "et",
    "and",
    "el",
    "am",
    "um",
    "pm",
    "publié",
    "publie",
    "modifié",
    "modifie",
    "mis",
    "mise",
    "jour",
    "dernière",
    "derniere",
    "information",
    "toujours",
    "valide",
    "actualizado",
    "publicado",
    "aktualisiert",
    "veröffentlicht",
    "project",
    "gmt",
    "utc",
    "cet",
    "cest",
    "edt",
    "est",
    "pst",
    "bst",
    "h",
    "heure",
    "heures",
    "par",
    "read",
    "lecture",
    "min",
];

/// A block that is only a date stamp, dateline or dated byline ("Updated 12
/// March 2022, 14:05", "Mis à jour le 12/03/2022 à 14h05", "By Wire staff |
/// March 12, 2022"): it changes whenever the page is touched and says nothing
/// about what the page says. A block with another figure, or a sentence, is
/// content.
fn is_stamp(line: &str) -> bool {
    let l = line.trim();
    if l.len() > 160 || l.ends_with('.') || !date_re().is_match(l) {
        return false;
    }
    let rest = date_re().replace_all(l, " ");
    let rest = time_re().replace_all(&rest, " ").to_lowercase();
    if rest.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    rest.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty() && !STAMP_WORDS.contains(w)).count() <= 2
}

/// Counters that move on their own: views, readers, comments, reactions,
/// followers, shares, reading time, "93% of people found this useful",
/// "Page generated in 0.08 s".
fn counters() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b\d[\d,.\u{a0}\u{202f} ]*\s*(?:views?|vues?|lectures?|comments?|commentaires?|r[ée]actions?|responses?|r[ée]ponses?|followers?|abonn[ée]s|shares?|partages?|likes?|claps?|contributions?|visitors?|visiteurs?|min(?:utes?)?\s+(?:read|de\s+lecture))\b|\b(?:page\s+views?|views?|visitors?(?:\s+this\s+(?:week|month))?|visiteurs?|lectures?|en\s+ligne|online)\s*:\s*\d[\d,.\u{a0} ]*|\bpage\s+(?:generated|g[ée]n[ée]r[ée]e)\s+(?:in|en)\s+[\d.,]+\s*s\b|\b\d+\s*%\s+of\s+(?:people|users|readers|visitors)\s+found\s+this\s+(?:page\s+)?useful",
        )
        .expect("counter pattern")
    })
}

/// The text as compared: relative times, counters, date stamps and ignore patterns
/// removed, then normalised.
pub fn comparable(main: &str, ignore: &[Regex]) -> String {
    crate::text::normalize(&strip(main, ignore))
}

fn strip(main: &str, ignore: &[Regex]) -> String {
    let mut text = relative_times().replace_all(main, " ").into_owned();
    text = counters().replace_all(&text, " ").into_owned();
    if text.lines().any(is_stamp) {
        text = text.lines().filter(|l| !is_stamp(l)).collect::<Vec<_>>().join("\n");
    }
    for re in ignore {
        text = re.replace_all(&text, " ").into_owned();
    }
    text
}

/// The result of comparing a current text with the baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// Unchanged or changed.
    pub content: Content,
    /// 0..1, 1 for equal texts.
    pub similarity: f64,
}

/// The normalised blocks (lines) of a text, ignore patterns removed, sorted.
pub fn sorted_blocks(main: &str, ignore: &[Regex]) -> Vec<String> {
    let text = strip(main, ignore);
    let mut blocks: Vec<String> = text.lines().map(crate::text::normalize).filter(|l| !l.is_empty()).collect();
    blocks.sort_unstable();
    blocks
}

/// Compares two watched texts. Blocks that only moved within the page (the
/// same paragraphs, rows and headings in another order) are not a change.
pub fn compare(baseline: &str, current: &str, ignore: &[Regex]) -> Comparison {
    let a = comparable(baseline, ignore);
    let b = comparable(current, ignore);
    if a == b || sorted_blocks(baseline, ignore) == sorted_blocks(current, ignore) {
        return Comparison { content: Content::Unchanged, similarity: 1.0 };
    }
    Comparison { content: Content::Changed, similarity: similarity(&a, &b) }
}

/// Word-level similarity ratio of two normalised texts, bounded in time.
pub fn similarity(a: &str, b: &str) -> f64 {
    let diff = similar::TextDiff::configure().timeout(Duration::from_millis(500)).diff_words(a, b);
    let r = f64::from(diff.ratio());
    // Keep changed texts strictly below 1 so the figure never reads "100% similar".
    (r.min(0.999) * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_and_typography_are_not_changes() {
        let c = compare("Mali’s army\nkilled 35 people.", "Mali's   army killed 35 people.", &[]);
        assert_eq!(c.content, Content::Unchanged);
        let c = compare("35 people were killed.", "53 people were killed.", &[]);
        assert_eq!(c.content, Content::Changed);
        assert!(c.similarity > 0.5 && c.similarity < 1.0);
    }

    #[test]
    fn relative_times_are_not_changes() {
        let c = compare("Posted 3 hours ago\nText.", "Posted 5 hours ago\nText.", &[]);
        assert_eq!(c.content, Content::Unchanged);
        let c = compare("Publié il y a 2 jours.\nTexte.", "Publié il y a 3 jours.\nTexte.", &[]);
        assert_eq!(c.content, Content::Unchanged);
        let c = compare("Mis à jour le 12/03/2022 à 14h05\nTexte.", "Mis à jour le 14/03/2022 à 09h00\nTexte.", &[]);
        assert_eq!(c.content, Content::Unchanged);
        let c = compare("Texte.\nLast updated: 1 June 2022", "Texte.\nLast updated: 2 June 2022", &[]);
        assert_eq!(c.content, Content::Unchanged);
        // A sentence that merely starts with the word is content.
        let c = compare("Updated figures show 12 cases.", "Updated figures show 14 cases.", &[]);
        assert_eq!(c.content, Content::Changed);
        for (a, b) in [
            ("By Wire staff | March 12, 2022 6:47 PM GMT", "By Wire staff | March 14, 2022 9:02 AM GMT"),
            (
                "Dernière mise à jour le : 12/03/2022 – Information toujours valide le : 14/03/2022",
                "Dernière mise à jour le : 15/03/2022 – Information toujours valide le : 16/03/2022",
            ),
            ("Posted 3 Mar 2022", "Posted 9 Mar 2022"),
            ("Project Update 12 March 2022", "Project Update 19 March 2022"),
            ("6677 views · 49 comments · 5 min read", "6702 views · 52 comments · 5 min read"),
            ("Visitors this week: 1,204", "Visitors this week: 1,377"),
            ("93% of people found this useful", "94% of people found this useful"),
        ] {
            let c = compare(&format!("Text.\n{a}\nMore."), &format!("Text.\n{b}\nMore."), &[]);
            assert_eq!(c.content, Content::Unchanged, "{a}");
        }
        // Dated lines that carry a figure or a sentence are content.
        let c = compare("March 2022: 401,850 displaced", "March 2022: 350,000 displaced", &[]);
        assert_eq!(c.content, Content::Changed);
        let c = compare("On 12 March 2022 the army left Moura.", "On 12 March 2022 the army entered Moura.", &[]);
        assert_eq!(c.content, Content::Changed);
    }

    #[test]
    fn moved_blocks_are_not_changes() {
        let c = compare("Intro.\n401,850 displaced.\nOutro.", "401,850 displaced.\nIntro.\nOutro.", &[]);
        assert_eq!(c.content, Content::Unchanged);
    }

    #[test]
    fn ignore_patterns_silence_stamps() {
        let re = vec![Regex::new(r"Last updated [^\n]*").unwrap()];
        let c = compare("Text.\nLast updated 1 May 2022", "Text.\nLast updated 2 June 2022", &re);
        assert_eq!(c.content, Content::Unchanged);
    }
}
