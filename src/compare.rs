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

/// Month names and their short forms in the major languages written with
/// spaces (English, French, Spanish, Portuguese, Italian, German, Dutch,
/// Polish, Russian, Turkish).
const MONTHS: &str = "jan(?:uary|uar|vier|eiro|uari|\\.)?|janv\\.?|feb(?:ruary|ruar|\\.)?|f[eé]v(?:rier|ereiro|\\.)?|febbraio|mar(?:ch|s|ço|co|zo|\\.)?|m[aä]rz|maart|apr(?:il|ile|\\.)?|avr(?:il|\\.)?|may|mai|mei|maggio|june?|juin|juni|giugno|july?|juil(?:let|\\.)?|juli|luglio|aug(?:ust|usti|\\.)?|ao[uû]t|agosto|sep(?:t(?:ember|embre|embro)?)?\\.?|settembre|oct(?:ober|obre|\\.)?|okt(?:ober|\\.)?|ottobre|outubro|nov(?:ember|embre|embro|\\.)?|novembre|d[eé]c(?:ember|embre|\\.)?|dez(?:ember|embro|\\.)?|dicembre|enero|febrero|marzo|abril|mayo|junio|julio|septiembre|setiembre|octubre|noviembre|diciembre|janeiro|fevereiro|maio|junho|julho|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|wrzesnia|października|pazdziernika|listopada|grudnia|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|ocak|[şs]ubat|mart|nisan|may[ıi]s|haziran|temmuz|a[ğg]ustos|eyl[üu]l|ekim|kasım|aralık";

/// Dates by shape: numeric forms (2022-03-12, 12/03/2022, 2016.12.01,
/// 2018年8月25日, 2018년 8월 25일), day and month name with or without a year
/// (12 March 2022, 22 de outubro de 2010, Nov 18, 18. November).
fn date_re() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?i)\b\d{{4}}-\d{{1,2}}-\d{{1,2}}(?:t[\d:.]+(?:z|[+-]\d{{2}}:?\d{{2}})?)?\b|\b\d{{4}}[./]\d{{1,2}}[./]\d{{1,2}}\b\.?|\b\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}\b|\d{{2,4}}\s*[年년]\s*\d{{1,2}}\s*[月월]\s*(?:\d{{1,2}}\s*[日일])?|\d{{1,2}}\s*[月월]\s*\d{{1,2}}\s*[日일]|\b\d{{1,2}}(?:st|nd|rd|th|er|º|\.)?\s*(?:de\s+)?(?:{MONTHS})\b\.?(?:\s*,?\s*(?:de\s+)?\d{{4}}\b)?|\b(?:{MONTHS})\b\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?|\b(?:{MONTHS})\b\.?\s+\d{{4}}\b"
        ))
        .expect("date pattern")
    })
}

/// Times of day: 14:05, 5:53 PM, 14h05, 15時24分, 오후 3시 24분.
fn time_re() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b\d{1,2}(?::\d{2}(?::\d{2})?|h\d{2}|h\b)\s*(?:[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?\b|\d{1,2}\s*[時시]\s*(?:\d{1,2}\s*[分분])?").expect("time pattern")
    })
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
    "uhr",
    "um",
    "stand",
    "vom",
    "alle",
    "ore",
    "às",
    "as",
    "em",
    "feira",
    "atualizado",
    "publicada",
    "actualizada",
    "pubblicato",
    "aggiornato",
    "geändert",
    "erstellt",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
    "segunda",
    "terça",
    "quarta",
    "quinta",
    "sexta",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
];

/// [`STAMP_WORDS`] as compared (normalised: no accents, one case).
fn stamp_words() -> &'static std::collections::HashSet<String> {
    static SET: std::sync::OnceLock<std::collections::HashSet<String>> = std::sync::OnceLock::new();
    SET.get_or_init(|| STAMP_WORDS.iter().map(|w| crate::text::normalize(w)).collect())
}

/// A block that is only a date or time stamp, dateline or dated byline
/// ("Updated 12 March 2022, 14:05", "Mis à jour le 12/03/2022 à 14h05", "By
/// Wire staff | March 12, 2022", "sexta-feira, 22 de outubro de 2010 às
/// 20:13", "기사입력 :[ 2018-08-25 15:24 ]", "5:53 PM", "Nov 18"): it changes
/// whenever the page is touched and says nothing about what the page says.
/// Known by its shape in any language: once its dates and times are taken
/// out, what is left has no figure and only a few words. A block with another
/// figure, or a sentence, is content.
fn is_stamp(line: &str) -> bool {
    let l = line.trim();
    if l.chars().count() > 160 || !(date_re().is_match(l) || time_re().is_match(l)) {
        return false;
    }
    let rest = date_re().replace_all(l, " ");
    let rest = time_re().replace_all(&rest, " ").to_lowercase();
    if rest.chars().any(|c| c.is_numeric()) {
        return false;
    }
    let words: Vec<&str> = rest.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let other = words.iter().filter(|w| !stamp_words().contains(crate::text::normalize(w).as_str())).count();
    // "On 12 March 2022 the army left Moura.": a sentence around a date is
    // content; a dated byline ("comment by Jane Doe - 17.07.2011 @ 14:29",
    // "ein Artikel von Pamela Sladky | 04.05.2022 - 16:22") is not.
    other <= 2 || (other <= 5 && words.len() <= 8 && !l.ends_with(['.', '!', '?', '。', ';']))
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

/// The blocks found on one side only (as many times as they are in excess).
fn changed_blocks(a: &[String], b: &[String]) -> Vec<String> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                out.push(x.clone());
                i += 1;
            }
            (Some(_), Some(y)) => {
                out.push(y.clone());
                j += 1;
            }
            (Some(x), None) => {
                out.push(x.clone());
                i += 1;
            }
            (None, Some(y)) => {
                out.push(y.clone());
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// Openings of lines that announce other stories ("Read more: …").
const TEASER_OPENINGS: &[&str] = &[
    "read more",
    "read also",
    "see also",
    "related",
    "more:",
    "lesen sie auch",
    "lesen sie mehr",
    "mehr zum thema",
    "auch interessant",
    "à lire aussi",
    "a lire aussi",
    "lire aussi",
    "voir aussi",
    "lea también",
    "lea tambien",
    "leia também",
    "leia tambem",
    "leggi anche",
    "zobacz też",
    "czytaj też",
    "czytaj także",
];

/// Whether a changed block looks like page furniture rather than what the
/// page says: a date or time stamp, a counter or a lone number, a short label
/// with no figure ("Advertisement", "Share", "Anzeige"), a teaser line. A
/// sentence, a figure in a sentence, a table row or a quotation is content.
fn is_furniture(block: &str) -> bool {
    let b = block.trim();
    if b.is_empty() || is_stamp(b) {
        return true;
    }
    let lower = b.to_lowercase();
    if TEASER_OPENINGS.iter().any(|t| lower.starts_with(t)) && b.chars().count() <= 200 {
        return true;
    }
    // "12", "(3)", "1.2k": counters standing alone.
    let bare = b.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | '+' | ' '));
    if !bare.is_empty()
        && bare.chars().count() <= 6
        && bare.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | 'k' | 'K' | 'm' | 'M'))
        && bare.chars().next().is_some_and(|c| c.is_ascii_digit())
    {
        return true;
    }
    if b.contains('\t') || b.chars().any(|c| c.is_numeric()) {
        return false;
    }
    if b.chars().any(|c| matches!(c, '"' | '“' | '”' | '«' | '»' | '„' | '「' | '」')) {
        return false;
    }
    if b.ends_with(['.', '!', '?', '。', '…', ':']) {
        return false;
    }
    let words = b.split_whitespace().count();
    let cjk = b.chars().filter(|&c| c as u32 >= 0x2e80).count();
    words <= 3 && b.chars().count() <= 30 && cjk <= 6
}

/// The blocks that make two watched texts differ and are not furniture
/// (normalised): what a change is about.
pub fn changed_content(baseline: &str, current: &str, ignore: &[Regex]) -> Vec<String> {
    changed_blocks(&sorted_blocks(baseline, ignore), &sorted_blocks(current, ignore))
        .into_iter()
        .filter(|l| !is_furniture(l))
        .collect()
}

/// Compares two watched texts. Blocks that only moved within the page (the
/// same paragraphs, rows and headings in another order) are not a change, nor
/// is a change that touches only furniture-looking blocks (see
/// [`is_furniture`]) wherever they stand.
pub fn compare(baseline: &str, current: &str, ignore: &[Regex]) -> Comparison {
    let a = comparable(baseline, ignore);
    let b = comparable(current, ignore);
    if a == b {
        return Comparison { content: Content::Unchanged, similarity: 1.0 };
    }
    let changed = changed_blocks(&sorted_blocks(baseline, ignore), &sorted_blocks(current, ignore));
    if changed.iter().all(|l| is_furniture(l)) {
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
