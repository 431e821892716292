//! Stage 4: compare a source's watched text with its baseline. Pure.
//!
//! Texts are compared normalised (so whitespace, case of markup and typography
//! do not count) after removing the matches of the `ignore` patterns.

use crate::model::Content;
use regex::Regex;
use std::borrow::Cow;
use std::time::Duration;

/// Relative times ("3 hours ago", "il y a 2 jours") change on every fetch and
/// say nothing about the content: never compared.
fn relative_times() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b|\bil y a\s+\d+\s*(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?)\b|\bhace\s+\d+\s*(?:segundos?|minutos?|horas?|d[ií]as?|semanas?|meses|mes|años?)\b|\bh[áa]\s+\d+\s*(?:segundos?|minutos?|horas?|dias?|semanas?|meses|m[êe]s|anos?)\b|\bvor\s+\d+\s*(?:sekunden|minuten|stunden|tagen|wochen|monaten|jahren|min\.?|std\.?)(?:\s|$)|\b\d+\s*(?:secondi|minuti|ore|giorni|settimane|mesi|anni)\s+fa\b",
        )
        .expect("relative time pattern")
    })
}

/// Month names and their short forms in the major languages written with
/// spaces (English, French, Spanish, Portuguese, Italian, German, Dutch,
/// Polish, Russian, Turkish).
const MONTHS: &str = "jan(?:uary|uar|vier|eiro|uari|\\.)?|janv\\.?|feb(?:ruary|ruar|\\.)?|f[eé]v(?:rier|ereiro|\\.)?|febbraio|mar(?:ch|s|ço|co|zo|\\.)?|m[aä]rz|maart|apr(?:il|ile|\\.)?|avr(?:il|\\.)?|may|mai|mei|maggio|june?|juin|juni|giugno|july?|juil(?:let|\\.)?|juli|luglio|aug(?:ust|usti|\\.)?|ao[uû]t|agosto|sep(?:t(?:ember|embre|embro)?)?\\.?|settembre|oct(?:ober|obre|\\.)?|okt(?:ober|\\.)?|ottobre|outubro|nov(?:ember|embre|embro|\\.)?|novembre|d[eé]c(?:ember|embre|\\.)?|dez(?:ember|embro|\\.)?|dicembre|enero|febrero|marzo|abril|mayo|junio|julio|septiembre|setiembre|octubre|noviembre|diciembre|janeiro|fevereiro|maio|junho|julho|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|wrzesnia|października|pazdziernika|listopada|grudnia|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|ocak|[şs]ubat|mart|nisan|may[ıi]s|haziran|temmuz|a[ğg]ustos|eyl[üu]l|ekim|kasım|aralık";

/// Dates by shape: numeric forms (2022-03-12, 12/03/2022, 2016.12.01,
/// 17.07, 2011, 03.11., 2018年8月25日, 2018년 8월 25일), day and month name with or without a year
/// (12 March 2022, 22 de outubro de 2010, Nov 18, 18. November).
fn date_re() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?i)\b\d{{4}}-\d{{1,2}}-\d{{1,2}}(?:t[\d:.]+(?:z|[+-]\d{{2}}:?\d{{2}})?)?\b|\b\d{{4}}[./]\d{{1,2}}[./]\d{{1,2}}\b\.?|\b\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}\b|\b\d{{1,2}}\.\d{{1,2}}\.?,?\s+\d{{4}}\b|\b\d{{2}}\.\d{{2}}\.(?:\s|$)|\d{{2,4}}\s*[年년]\s*\d{{1,2}}\s*[月월]\s*(?:\d{{1,2}}\s*[日일])?|\d{{1,2}}\s*[月월]\s*\d{{1,2}}\s*[日일]|\b\d{{1,2}}(?:st|nd|rd|th|er|º|\.)?\s*(?:de\s+)?(?:{MONTHS})\b\.?(?:\s*,?\s*(?:de\s+)?\d{{4}}\b)?|\b(?:{MONTHS})\b\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?|\b(?:{MONTHS})\b\.?\s+\d{{4}}\b"
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

/// What else a stamp line may hold once its dates and times are out: a year
/// standing apart, a time written with a dot.
fn stamp_rest_re() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\b(?:19|20)\d{2}\b|\b(?:[01]?\d|2[0-3])\.[0-5]\d\b").expect("stamp rest pattern"))
}

/// `s` less the closing quotes and brackets it ends with (a quotation
/// ends its sentence inside them: `… as strong as 2018."`).
fn unquoted_end(s: &str) -> &str {
    s.trim_end().trim_end_matches(['"', '\'', '”', '’', '»', '」', '』', ')', ']'])
}

/// Whether a line ends like a sentence, closing quotes aside.
fn ends_like_sentence(line: &str) -> bool {
    unquoted_end(line).ends_with(['.', '!', '?', '。', '…', ';'])
}

/// A sentence of prose: twelve words or more, ending like a sentence.
fn is_prose(line: &str) -> bool {
    ends_like_sentence(line) && line.split_whitespace().nth(11).is_some()
}

/// Whether `s` holds a date, a time of day or a relative time.
pub(crate) fn is_dated(s: &str) -> bool {
    date_re().is_match(s) || time_re().is_match(s) || relative_times().is_match(s)
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
    stamp_other_words(line).is_some()
}

/// The words of a stamp line that are neither dates, times nor stamp words
/// (a dated byline's name: "comment by Jane Doe - 17.07.2011"), `None` when
/// the line is no stamp.
fn stamp_other_words(line: &str) -> Option<Vec<String>> {
    let l = line.trim();
    if l.chars().count() > 160 || !(date_re().is_match(l) || time_re().is_match(l)) {
        return None;
    }
    let rest = date_re().replace_all(l, " ");
    let rest = time_re().replace_all(&rest, " ");
    // Beside a date or time: a year standing apart ("Jan 04 09:34 2021") and
    // a time written with a dot ("09.12.2019, 14.30") belong to the stamp.
    let rest = stamp_rest_re().replace_all(&rest, " ").to_lowercase();
    let words: Vec<&str> = rest.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    // A figure left over makes it content; a word with a digit in it (a user
    // name such as "marianne1") is a word.
    if words.iter().any(|w| w.chars().all(|c| c.is_numeric())) {
        return None;
    }
    let other: Vec<String> =
        words.iter().map(|w| crate::text::normalize(w)).filter(|w| !stamp_words().contains(w.as_str())).collect();
    // "On 12 March 2022 the army left Moura.", "Election set for 12 March": a
    // sentence or a headline around a date is content; a dated byline
    // ("comment by Jane Doe - 17.07.2011 @ 14:29", "ein Artikel von Pamela
    // Sladky | 04.05.2022 - 16:22"), its stamp set off, is not.
    let stamp = other.len() <= 2
        || (other.len() <= 5
            && words.len() <= 8
            && !ends_like_sentence(l)
            && (stamp_set_off(l).is_some() || (date_re().is_match(l) && time_re().is_match(l)) || stamp_led(l)));
    stamp.then_some(other)
}

/// What of a line is compared: a stamp is not; of a dated byline or a
/// dated listing line ("Sept. 12 -- Shoreline Amphitheatre, Mountain View")
/// the words beside its dates are (its dates move on, a name or a place
/// that changes is a change); any other line whole.
fn stamp_kept(line: &str) -> Option<Cow<'_, str>> {
    match stamp_other_words(line) {
        None => Some(Cow::Borrowed(line)),
        Some(other) if other.len() >= 3 => Some(Cow::Owned(other.join(" "))),
        Some(_) => None,
    }
}

/// Whether what stands before the line's first date is two words or more,
/// all of them stamp words ("veröffentlicht am 03.02.2022 von …", "Published
/// on 12 March 2022 by …"): a dated byline, its date not set off by a
/// separator. One word ("On 12 March the army left") is not enough.
fn stamp_led(line: &str) -> bool {
    let Some(first) = date_re().find(line) else { return false };
    let words: Vec<&str> =
        line[..first.start()].split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.len() >= 2 && words.iter().all(|w| stamp_words().contains(crate::text::normalize(w).as_str()))
}

/// The line with its dates and times replaced by one mark each, when one of
/// them is set off: it opens the line or follows a separator ("|", "-",
/// "//", "@", "·", a comma, a colon, a bracket, the end of a sentence).
fn stamp_set_off(line: &str) -> Option<String> {
    const MARK: &str = "\u{2}";
    let masked = date_re().replace_all(line, MARK);
    let masked = time_re().replace_all(&masked, MARK);
    let masked = stamp_rest_re().replace_all(&masked, MARK).into_owned();
    let set_off = masked.match_indices(MARK).any(|(i, _)| {
        masked[..i].trim_end_matches(' ').chars().next_back().is_none_or(|c| {
            matches!(
                c,
                '|' | '/' | '@' | '·' | '•' | '-' | '–' | '—' | '(' | '[' | ':' | ',' | '.' | '!' | '?' | '"' | '\u{2}'
            )
        })
    });
    set_off.then_some(masked)
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

/// `main` less its relative times, counters, date stamps and ignore
/// patterns (borrowed when none was found).
fn strip<'a>(main: &'a str, ignore: &[Regex]) -> Cow<'a, str> {
    let mut text = Cow::Borrowed(main);
    if relative_times().is_match(main) {
        // A relative time in a sentence of prose ("at a restaurant with his
        // daughter 18 years ago") is what the page says; in a stamp, a
        // byline or a comment's head it moves on by itself.
        let lines: Vec<Cow<'_, str>> = main
            .lines()
            .map(|l| if is_prose(l) { Cow::Borrowed(l) } else { relative_times().replace_all(l, " ") })
            .collect();
        text = Cow::Owned(lines.join("\n"));
    }
    if let Cow::Owned(t) = counters().replace_all(&text, " ") {
        text = Cow::Owned(t);
    }
    if text.lines().any(is_stamp) {
        text = Cow::Owned(text.lines().filter_map(stamp_kept).collect::<Vec<_>>().join("\n"));
    }
    for re in ignore {
        if let Cow::Owned(t) = re.replace_all(&text, " ") {
            text = Cow::Owned(t);
        }
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

/// [`comparable`] and [`sorted_blocks`] (joined by `\n`) of the same text,
/// stripping and folding it once for both, and whether stripping left
/// `main` as it was (the compared text is then `normalize(main)`).
pub fn comparable_blocks_stripped(main: &str, ignore: &[Regex]) -> (String, String, bool) {
    let stripped = strip(main, ignore);
    let same = matches!(stripped, Cow::Borrowed(_));
    let lines = crate::text::normalize_lines(&stripped);
    let mut blocks: Vec<&str> = lines.lines().collect();
    blocks.sort_unstable();
    let blocks = blocks.join("\n");
    (lines.replace('\n', " "), blocks, same)
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

/// [`TEASER_OPENINGS`] as compared (normalised: no accents, one case).
fn teaser_openings() -> &'static Vec<String> {
    static SET: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SET.get_or_init(|| TEASER_OPENINGS.iter().map(|w| crate::text::normalize(w)).collect())
}

/// A counter by its shape, in any language: one number and one word ("3
/// Kommentare", "6 answers", "Aufrufe: 1.204"), or a run of page numbers
/// ("Pages: 1 2 3 4"). Never a sentence: nothing more may stand beside it.
fn is_counter(folded: &str) -> bool {
    if folded.chars().count() > 40 || folded.ends_with(['.', '!', '?']) {
        return false;
    }
    let tokens: Vec<&str> = folded
        .split(|c: char| c.is_whitespace() || matches!(c, ':' | '(' | ')' | '[' | ']' | '|' | '·' | '•'))
        .filter(|t| !t.is_empty())
        .collect();
    let number = |t: &str| {
        t.chars().next().is_some_and(|c| c.is_ascii_digit())
            && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '\'' | 'k' | 'm'))
    };
    let numbers = tokens.iter().filter(|t| number(t)).count();
    let words: Vec<&str> = tokens.iter().copied().filter(|t| !number(t)).collect();
    let wordy = |w: &&str| w.chars().all(char::is_alphabetic) && w.chars().count() >= 2;
    match (numbers, words.len()) {
        (1, 1) => words.iter().all(wordy),
        (n, 0 | 1) if n >= 3 => words.iter().all(wordy),
        _ => false,
    }
}

/// Whether a changed block looks like page furniture rather than what the
/// page says: a date or time stamp, a counter or a lone number, a short label
/// with no figure ("Advertisement", "Share", "Anzeige"), a teaser line. A
/// sentence, a figure in a sentence, a table row or a quotation is content.
fn is_furniture(block: &str) -> bool {
    let b = block.trim();
    if b.is_empty() || is_stamp(b) {
        return true;
    }
    let folded = crate::text::normalize(b);
    if teaser_openings().iter().any(|t| folded.starts_with(t.as_str())) && b.chars().count() <= 200 {
        return true;
    }
    if is_counter(&folded) {
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
    if b.contains(['\t', CELL]) || b.chars().any(|c| c.is_numeric()) {
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

/// Stands for a table cell boundary in the blocks as judged (the watched
/// text separates cells with a tab, which normalising folds to a space).
const CELL: char = '¦';

/// The blocks (lines) of a text as judged: stripped like [`comparable`],
/// normalised, table cells marked, sorted.
fn judged_blocks(main: &str, ignore: &[Regex]) -> Vec<String> {
    let text = strip(main, ignore);
    let mut blocks: Vec<String> =
        text.lines().map(|l| crate::text::normalize(&l.replace('\t', " ¦ "))).filter(|l| !l.is_empty()).collect();
    blocks.sort_unstable();
    blocks
}

/// The blocks of sorted `a` not in `b`, and of `b` not in `a` (as many
/// times as they are in excess).
fn one_sided(a: &[String], b: &[String]) -> (Vec<String>, Vec<String>) {
    let (mut i, mut j) = (0, 0);
    let (mut only_a, mut only_b) = (Vec::new(), Vec::new());
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                only_a.push(x.clone());
                i += 1;
            }
            (Some(x), None) => {
                only_a.push(x.clone());
                i += 1;
            }
            (_, Some(y)) => {
                only_b.push(y.clone());
                j += 1;
            }
            (None, None) => break,
        }
    }
    (only_a, only_b)
}

/// What is known of one side of a comparison beside its watched text: the
/// page's full visible text and the texts of its links
/// ([`crate::extract::links::texts`]).
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    pub full: &'a str,
    pub links: &'a [String],
}

/// A [`Page`] ready for judging: its full text as compared.
struct Known<'a> {
    full: String,
    links: &'a [String],
}

impl<'a> Known<'a> {
    fn of(page: &Page<'a>, ignore: &[Regex]) -> Known<'a> {
        Known { full: comparable(page.full, ignore), links: page.links }
    }
}

/// Whether `needle` stands in `hay` between word boundaries.
fn contains_words(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    let mut from = 0;
    while let Some(at) = hay[from..].find(needle) {
        let start = from + at;
        let end = start + needle.len();
        let before = hay[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = hay[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            return true;
        }
        from = start + needle.chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// Stands for the text of a link in a block's skeleton.
const LINK: char = '\u{1}';

/// A block with the page's link texts in it replaced by [`LINK`], the text
/// of those links, and the share of its characters they cover.
fn link_skeleton(block: &str, links: &[String]) -> (String, String, f64) {
    let mut covered = vec![false; block.len()];
    for l in links {
        if l.len() > block.len() {
            continue;
        }
        let mut from = 0;
        while let Some(at) = block[from..].find(l.as_str()) {
            let start = from + at;
            let end = start + l.len();
            let before = block[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let after = block[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            if before && after && !covered[start..end].iter().any(|&c| c) {
                covered[start..end].iter_mut().for_each(|c| *c = true);
            }
            from = end;
        }
    }
    let (mut skeleton, mut linked_text) = (String::new(), String::new());
    let (mut total, mut linked) = (0usize, 0usize);
    for (i, c) in block.char_indices() {
        let counted = !c.is_whitespace();
        total += usize::from(counted);
        if covered[i] {
            linked += usize::from(counted);
            linked_text.push(c);
            if !skeleton.ends_with(LINK) {
                skeleton.push(LINK);
                linked_text.push(' ');
            }
        } else {
            skeleton.push(c);
        }
    }
    (skeleton, linked_text, linked as f64 / total.max(1) as f64)
}

/// A block is a teaser when links make at least this share of its text, or
/// this lower share when what is not link text is furniture ("Lesen Sie
/// hier: …", "Chronik …"),
const TEASER_LINK_SHARE: f64 = 0.5;
const TEASER_LINK_SHARE_LABELLED: f64 = 0.2;
/// and it is no longer than this (characters).
const TEASER_MAX: usize = 300;
/// Two link texts this similar (word-diff ratio) are one headline edited,
/// not one headline rotated out for another.
const SAME_HEADLINE: f64 = 0.5;

/// The share of words two texts have in common, in order (0..1).
fn word_ratio(a: &str, b: &str) -> f64 {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split_whitespace().collect(), b.split_whitespace().collect());
    let diff = similar::TextDiff::configure().timeout(Duration::from_millis(100)).diff_slices(&wa, &wb);
    f64::from(diff.ratio())
}

/// What is known of a block read as a teaser.
struct Teaser {
    skeleton: String,
    links: String,
    /// What is not link text is furniture (or nothing).
    labelled: bool,
}

fn teaser(block: &str, known: Option<&Known<'_>>) -> Option<Teaser> {
    let k = known?;
    if block.chars().count() > TEASER_MAX || block.contains(CELL) {
        return None;
    }
    let (skeleton, links, share) = link_skeleton(block, k.links);
    let rest = skeleton.replace(LINK, " ");
    let rest = rest.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
    // A sentence of prose citing a link ("… published today (Nov. 18) in
    // the journal <a>BMJ Case Reports</a>.") is no label beside a link,
    // whatever its words left alone would look like.
    let labelled = rest.is_empty() || (is_furniture(rest) && !is_prose(block));
    let needed = if labelled { TEASER_LINK_SHARE_LABELLED } else { TEASER_LINK_SHARE };
    (share >= needed).then_some(Teaser { skeleton, links, labelled })
}

/// A block with its dates and times replaced by one mark each, when it is a
/// metadata line whose stamp may move on: it holds a date or time set off
/// by a separator or opening the line ("NDR Info - The update - 18.03.2020
/// 13:15 Uhr Autor/in: K. Hennig", "22. Januar 2020 @ 18:13 // Autor: c1ph4
/// // Lesezeit: 1 Minute") and does not end like a sentence. `None` for
/// anything else: a date in a sentence or a headline is content.
fn stamp_skeleton(block: &str) -> Option<String> {
    if ends_like_sentence(block) || block.contains(CELL) || block.chars().count() > 300 {
        return None;
    }
    stamp_set_off(block)
}

/// The sentences of a block (split after ". ", "! ", "? ", not after a
/// figure's dot: "Am Samstag, 15.01. wurde es warm" is one sentence).
fn sentences(block: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev = ' ';
    for (i, c) in block.char_indices() {
        let ends = matches!(c, '!' | '?') || (c == '.' && !prev.is_ascii_digit());
        prev = c;
        if ends && block[i + 1..].starts_with(' ') {
            out.push(block[start..=i].trim());
            start = i + 1;
        }
    }
    out.push(block[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// Two blocks that differ only in their last sentence, a stamp on both
/// sides ("… Cross Validated. Retrieved 2018-04-16.", "… is simply not
/// correct. Sep 27, 2019 at 0:14"): the stamp a reference or a comment
/// ends with. A sentence around a date that changed is content.
fn only_stamp_sentences_differ(a: &str, b: &str) -> bool {
    let (sa, sb) = (sentences(a), sentences(b));
    let n = sa.len();
    n == sb.len() && n > 1 && sa[..n - 1] == sb[..n - 1] && is_stamp(sa[n - 1]) && is_stamp(sb[n - 1])
}

/// The one-sided blocks that are content: what is left once furniture
/// (see [`is_furniture`]), stamps moved on within a metadata line, teasers
/// (blocks mostly of link text whose change is only in their links, or
/// whose other text is furniture) and blocks the other page still shows
/// (the extractor drew the article's bounds elsewhere this time) are out.
fn content_of(
    removed: Vec<String>,
    added: Vec<String>,
    base: Option<&Known<'_>>,
    cur: Option<&Known<'_>>,
) -> Vec<String> {
    let removed: Vec<String> = removed.into_iter().filter(|b| !is_furniture(b)).collect();
    let added: Vec<String> = added.into_iter().filter(|b| !is_furniture(b)).collect();
    if removed.is_empty() && added.is_empty() {
        return Vec::new();
    }
    // Pairs that differ only in a stamp or only in their links.
    let mut gone_r = vec![false; removed.len()];
    let mut gone_a = vec![false; added.len()];
    let stamps_r: Vec<Option<String>> = removed.iter().map(|b| stamp_skeleton(b)).collect();
    let stamps_a: Vec<Option<String>> = added.iter().map(|b| stamp_skeleton(b)).collect();
    let teasers_r: Vec<Option<Teaser>> = removed.iter().map(|b| teaser(b, base)).collect();
    let teasers_a: Vec<Option<Teaser>> = added.iter().map(|b| teaser(b, cur)).collect();
    // Teasers with a counterpart of the same shape on the other side: a
    // headline rotated out for another is furniture, one edited is not.
    let mut edited_r = vec![false; removed.len()];
    let mut edited_a = vec![false; added.len()];
    for (i, r) in teasers_r.iter().enumerate() {
        let Some(r) = r else { continue };
        for (j, a) in teasers_a.iter().enumerate() {
            let Some(a) = a else { continue };
            if r.skeleton == a.skeleton {
                if word_ratio(&r.links, &a.links) >= SAME_HEADLINE {
                    edited_r[i] = true;
                    edited_a[j] = true;
                } else if !gone_r[i] && !gone_a[j] && !edited_r[i] && !edited_a[j] {
                    gone_r[i] = true;
                    gone_a[j] = true;
                }
            }
        }
    }
    // Teasers made only of links and furniture, not an edit of a headline.
    for (i, t) in teasers_r.iter().enumerate() {
        if t.as_ref().is_some_and(|t| t.labelled) && !edited_r[i] {
            gone_r[i] = true;
        }
    }
    for (j, t) in teasers_a.iter().enumerate() {
        if t.as_ref().is_some_and(|t| t.labelled) && !edited_a[j] {
            gone_a[j] = true;
        }
    }
    for i in 0..removed.len() {
        if gone_r[i] {
            continue;
        }
        let same_but_stamps = |j: usize| {
            (stamps_r[i].is_some() && stamps_r[i] == stamps_a[j]) || only_stamp_sentences_differ(&removed[i], &added[j])
        };
        if let Some(j) = (0..added.len()).find(|&j| !gone_a[j] && same_but_stamps(j)) {
            gone_r[i] = true;
            gone_a[j] = true;
        }
    }
    let mut out = Vec::new();
    for (i, b) in removed.into_iter().enumerate() {
        if !gone_r[i] && !cur.is_some_and(|k| contains_words(&k.full, &b)) {
            out.push(b);
        }
    }
    for (j, b) in added.into_iter().enumerate() {
        if !gone_a[j] && !base.is_some_and(|k| contains_words(&k.full, &b)) {
            out.push(b);
        }
    }
    out
}

/// The blocks that make two watched texts differ and are not furniture
/// (normalised): what a change is about.
pub fn changed_content(baseline: &str, current: &str, ignore: &[Regex]) -> Vec<String> {
    changed_content_of(baseline, current, ignore, None, None)
}

/// [`changed_content`], knowing more of the two pages (see [`compare_pages`]).
pub fn changed_content_of(
    baseline: &str,
    current: &str,
    ignore: &[Regex],
    base: Option<&Page<'_>>,
    cur: Option<&Page<'_>>,
) -> Vec<String> {
    let (removed, added) = one_sided(&judged_blocks(baseline, ignore), &judged_blocks(current, ignore));
    let base = base.map(|p| Known::of(p, ignore));
    let cur = cur.map(|p| Known::of(p, ignore));
    content_of(removed, added, base.as_ref(), cur.as_ref())
}

/// Compares two watched texts. Blocks that only moved within the page (the
/// same paragraphs, rows and headings in another order) are not a change, nor
/// is a change that touches only furniture-looking blocks (see
/// [`is_furniture`]) wherever they stand, or a stamp moved on within a
/// metadata line.
pub fn compare(baseline: &str, current: &str, ignore: &[Regex]) -> Comparison {
    compare_pages(baseline, current, ignore, None, None)
}

/// [`compare`], knowing more of the two pages: a block made mostly of link
/// text (a teaser) whose change is only in its links, or whose other text is
/// furniture, is not a change; nor is a block found on one side that the
/// other page still shows outside its watched text (the article's bounds
/// were drawn elsewhere, its text did not change).
pub fn compare_pages(
    baseline: &str,
    current: &str,
    ignore: &[Regex],
    base: Option<&Page<'_>>,
    cur: Option<&Page<'_>>,
) -> Comparison {
    let a = comparable(baseline, ignore);
    let b = comparable(current, ignore);
    if a == b {
        return Comparison { content: Content::Unchanged, similarity: 1.0 };
    }
    if changed_content_of(baseline, current, ignore, base, cur).is_empty() {
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
    fn comparable_blocks_stripped_are_the_two_made_apart() {
        let mut texts: Vec<String> = vec![
            "".into(),
            "One line.".into(),
            "B line 12 comments\n\n  A line\u{2028}with a separator \r\n\u{00AD}\n3 Kommentare\nUpdated 5 minutes ago\n".into(),
            "Égalité — “Liberté”\n\t\n ﬁ ½ straße\nPosted Nov 18, 2024\nZ last\nA first".into(),
        ];
        for page in crate::testing::real_pages(40) {
            let ex = crate::extract::extract(page.as_bytes(), Some("text/html"), None);
            texts.push(ex.main);
            texts.push(ex.full);
        }
        let ignore = [Regex::new(r"(?i)line \d+").unwrap()];
        for t in &texts {
            for ig in [&ignore[..], &[]] {
                let (c, b, same) = comparable_blocks_stripped(t, ig);
                assert_eq!(c, comparable(t, ig), "{:?}", &t[..t.len().min(80)]);
                if same {
                    assert_eq!(c, crate::text::normalize(t));
                }
                assert_eq!(b, sorted_blocks(t, ig).join("\n"), "{:?}", &t[..t.len().min(80)]);
            }
        }
    }

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
    fn a_relative_time_in_a_sentence_of_prose_is_content() {
        let a = "He cited an alibi of being at a pizza restaurant in England with his daughter 18 years ago, on the same day.";
        let c = compare(&format!("Text.\n{a}"), &format!("Text.\n{}", a.replace("18", "11")), &[]);
        assert_eq!(c.content, Content::Changed);
        // In a comment's head, a byline or a short line it moves on by itself.
        for (x, y) in
            [("averagejoe says 5 months ago", "averagejoe says 6 months ago"), ("3 hours ago.", "4 hours ago.")]
        {
            assert_eq!(compare(&format!("Text.\n{x}"), &format!("Text.\n{y}"), &[]).content, Content::Unchanged, "{x}");
        }
    }

    #[test]
    fn a_year_in_a_quotation_is_content() {
        // The sentence ends inside its closing quote: no metadata line.
        let a = "\u{201c}People are a little more cautious,\u{201d} McDowell said, adding, \u{201c}2019 is just not as strong as 2018.\u{201d}";
        let c = compare(&format!("Text.\n{a}"), &format!("Text.\n{}", a.replace("2019", "2012")), &[]);
        assert_eq!(c.content, Content::Changed);
    }

    #[test]
    fn a_date_in_a_sentence_citing_a_link_is_content() {
        let a = "The findings were published today (Nov. 18) in the journal BMJ Case Reports.";
        let links = vec![crate::text::normalize("BMJ Case Reports")];
        let (full_a, full_b) = (format!("Text.\n{a}"), format!("Text.\n{}", a.replace("18", "11")));
        let (pa, pb) = (Page { full: &full_a, links: &links }, Page { full: &full_b, links: &links });
        let c = compare_pages(&full_a, &full_b, &[], Some(&pa), Some(&pb));
        assert_eq!(c.content, Content::Changed);
        // A dated label beside a link still moves on by itself.
        let (a, b) = ("Text.\nNov. 18, 2019 - BMJ Case Reports", "Text.\nNov. 19, 2019 - BMJ Case Reports");
        let (pa, pb) = (Page { full: a, links: &links }, Page { full: b, links: &links });
        assert_eq!(compare_pages(a, b, &[], Some(&pa), Some(&pb)).content, Content::Unchanged);
    }

    #[test]
    fn a_dated_listing_line_is_compared_beside_its_date() {
        // Its date moving on is no change; its place edited is.
        let (a, b) = (
            "Sept. 12 -- Shoreline Amphitheatre, Mountain View, CA",
            "Sept. 14 -- Shoreline Amphitheatre, Mountain View, CA",
        );
        assert_eq!(compare(&format!("Tour.\n{a}"), &format!("Tour.\n{b}"), &[]).content, Content::Unchanged);
        let b = "Sept. 12 -- Amphitheatre, Shoreline Mountain View, CA";
        assert_eq!(compare(&format!("Tour.\n{a}"), &format!("Tour.\n{b}"), &[]).content, Content::Changed);
        // A dated byline whose date moved on is no change.
        let (a, b) = (
            "ein Artikel von Pamela Sladky | 04.05.2022 - 16:22",
            "ein Artikel von Pamela Sladky | 05.05.2022 - 09:10",
        );
        assert_eq!(compare(&format!("Text.\n{a}"), &format!("Text.\n{b}"), &[]).content, Content::Unchanged);
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

    /// `a` then `b` as the watched text between two fixed paragraphs.
    fn around(x: &str) -> String {
        format!("The council met on Tuesday to discuss the budget.\n{x}\nIt will meet again next month.")
    }

    #[test]
    fn stamps_in_any_language_and_script_are_not_changes() {
        for (a, b) in [
            ("sexta-feira, 22 de outubro de 2010 às 20:13", "sábado, 23 de outubro de 2010 às 09:02"),
            ("2016.12.01", "2016.12.03"),
            ("기사입력 :[ 2018-08-25 15:24 ]", "기사입력 :[ 2018-08-26 09:10 ]"),
            ("2018年8月25日 15時24分", "2018年8月26日 9時10分"),
            ("5:53 PM", "6:10 PM"),
            ("Nov 18", "Nov 19"),
            ("Aktualisiert am 18. Januar 2022, 14:05 Uhr", "Aktualisiert am 19. Januar 2022, 08:30 Uhr"),
            ("Обновлено 12 марта 2022, 14:05", "Обновлено 13 марта 2022, 10:00"),
            ("Publicado el 3 de mayo de 2021", "Publicado el 4 de mayo de 2021"),
            ("Pubblicato il 3 maggio 2021 alle ore 14:05", "Pubblicato il 4 maggio 2021 alle ore 09:00"),
            ("Jan 04 09:34 2021", "Jan 04 11:09 2021"),
            ("22.09.20 | 13:10 marianne1", "24.11.22 | 15:12 marianne1"),
            ("09.12.2019, 14.30 - Dresden", "10.12.2019, 15.00 - Dresden"),
            ("03.11. Marktberichte", "04.11. Marktberichte"),
            ("comment by Bob - 17.07, 2011 @ 14:29", "comment by Bob - 18.07, 2011 @ 18:06"),
            ("vor 3 Stunden", "vor 5 Stunden"),
            ("há 2 horas", "há 4 horas"),
            ("5 months ago", "6 months ago"),
            // A metadata line: its stamp moved on, its words did not.
            (
                "NDR Info - Das Coronavirus-Update mit Christian Drosten - 18.03.2020 13:15 Uhr Autor/in: Korinna Hennig",
                "NDR Info - Das Coronavirus-Update mit Christian Drosten - 22.07.2020 17:19 Uhr Autor/in: Korinna Hennig",
            ),
            (
                "22. Januar 2020 @ 18:13 // Autor: c1ph4 // ~ Lesezeit: 1 Minute",
                "23. Januar 2020 @ 19:14 // Autor: c1ph4 // ~ Lesezeit: 1 Minute",
            ),
            ("Quelle: Financial Times, 24.3.2020", "Quelle: Financial Times, 26.5.2020"),
            // A dated byline, the date not set off: stamp words lead to it.
            (
                "veröffentlicht am 03.02.2022 von Sarah Schnieder Reiterrevue International",
                "veröffentlicht am 04.03.2022 von Sarah Schnieder Reiterrevue International",
            ),
            ("Published on 12 March 2022 by Jane Doe", "Published on 14 March 2022 by Jane Doe"),
            ("Slyder D'Basketcase January 18, 2016 at 8:17 pm", "Slyder D'Basketcase January 20, 2016 at 10:19 pm"),
            (
                "^ \"K-means clustering on the output of t-SNE\". Cross Validated. Retrieved 2018-04-16.",
                "^ \"K-means clustering on the output of t-SNE\". Cross Validated. Retrieved 2018-05-17.",
            ),
            (
                "@tonym Exactly, \"ich war ausgeraubt\" is simply not correct. Sep 27, 2019 at 0:14",
                "@tonym Exactly, \"ich war ausgeraubt\" is simply not correct. Sep 05, 2019 at 5:19",
            ),
        ] {
            let c = compare(&around(a), &around(b), &[]);
            assert_eq!(c.content, Content::Unchanged, "{a} -> {b}");
        }
    }

    #[test]
    fn counters_by_their_shape_are_not_changes() {
        for (a, b) in [
            ("3 Kommentare", "8 Kommentare"),
            ("6 answers", "7 answers"),
            ("Aufrufe: 1.204", "Aufrufe: 1.377"),
            ("Pages: 1 2 3 4", "Pages: 1 7 5 6"),
            ("(12)", "(14)"),
            ("1.2k", "1.4k"),
        ] {
            let c = compare(&around(a), &around(b), &[]);
            assert_eq!(c.content, Content::Unchanged, "{a} -> {b}");
        }
    }

    #[test]
    fn near_misses_stay_changes() {
        for (a, b) in [
            // A changed year, date or figure in a sentence.
            ("The plant opened in 2019 and employs 300 people.", "The plant opened in 2021 and employs 300 people."),
            ("The plant opened in 2019 and employs 300 people.", "The plant opened in 2019 and employs 350 people."),
            ("On 12 March 2022 the army left Moura.", "On 14 March 2022 the army left Moura."),
            // One stamp word before a date in a headline is no byline.
            ("On 12 March the army left Moura", "On 14 March the army left Moura"),
            (
                "Die Sitzung beginnt am 18. Januar um 14:05 Uhr im Rathaus.",
                "Die Sitzung beginnt am 18. Januar um 16:05 Uhr im Rathaus.",
            ),
            // A headline that is content, with a date or a figure in it.
            ("Election set for 12 March", "Election set for 14 March"),
            ("Storm kills 12 in Texas", "Storm kills 15 in Texas"),
            (
                "Nicole Hacohen comenzará la temporada con la Copa de Naciones de Glasgow 2022",
                "Nicole Hacohen comenzará la temporada con la Copa de Naciones de Glasgow 2025",
            ),
            // A table cell: a figure, a name.
            ("Population\t401,850", "Population\t350,000"),
            ("Hauck Comfort Fix\t120 €\tnein\t2,4", "Hauck Comfort Fix\t120 €\tnein\t2,6"),
            ("2021\t35", "2021\t53"),
            ("Joie i-Level\t300 €", "Cybex Pallas\t300 €"),
            // A quotation, a sentence with words swapped.
            ("„Wir waren fast 40 Tage in Quarantäne“", "„Wir waren 40 fast Tage in Quarantäne“"),
            ("Warum wird das Erdöl knapp?", "Warum das wird Erdöl knapp?"),
            ("The generation we love to dump on", "The generation love we to dump on"),
            ("March 2022: 401,850 displaced", "March 2022: 350,000 displaced"),
            // A sentence after another, its date changed.
            (
                "Das Werk schloss. Am 12. März 2022 zog die Armee ab.",
                "Das Werk schloss. Am 14. März 2022 zog die Armee ab.",
            ),
            (
                "Anfangs stiegen die Temperaturen. Am Samstag, 15.01. wurde es 10 Grad warm. Dann kam die Kaltfront.",
                "Anfangs stiegen die Temperaturen. Am Samstag, 18.01. wurde es 10 Grad warm. Dann kam die Kaltfront.",
            ),
            ("Der Bericht erschien. Stand: 15.01.", "Der Bericht erschien nicht. Stand: 15.01."),
        ] {
            let c = compare(&around(a), &around(b), &[]);
            assert_eq!(c.content, Content::Changed, "{a} -> {b}");
        }
    }

    fn links(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| crate::text::normalize(s)).collect()
    }

    /// Judges `a` against `b` knowing each page's full text and links.
    fn judge(a: &str, full_a: &str, links_a: &[String], b: &str, full_b: &str, links_b: &[String]) -> Content {
        let pa = Page { full: full_a, links: links_a };
        let pb = Page { full: full_b, links: links_b };
        compare_pages(a, b, &[], Some(&pa), Some(&pb)).content
    }

    #[test]
    fn rotated_teasers_are_not_changes() {
        // Teaser headlines that read like sentences, under a category label,
        // rotated out for others.
        let h =
            ["Land bietet 200 Sommerpraktika an", "Merkel am Freitag bei Monti", "UN warnen vor Hungerkrise in Afrika"];
        let a = around(&format!("Chronik {}\nPolitik {}", h[0], h[1]));
        let b = around(&format!("Chronik {}\nPolitik {}", h[2], h[0]));
        let (la, lb) = (links(&h[..2]), links(&[h[2], h[0]]));
        assert_eq!(judge(&a, &a, &la, &b, &b, &lb), Content::Unchanged);
        // Without the links they read as content.
        assert_eq!(compare(&a, &b, &[]).content, Content::Changed);
        // A "Most read" list, reordered, one headline in, one out.
        let most = [
            "Minister resigns after weeks of pressure",
            "Storm leaves thousands without power",
            "Prices rise for the third month running",
        ];
        let a = around(&format!("Most read\n1. {}\n2. {}", most[0], most[1]));
        let b = around(&format!("Most read\n1. {}\n2. {}", most[2], most[0]));
        assert_eq!(judge(&a, &a, &links(&most), &b, &b, &links(&most)), Content::Unchanged);
        // "Lesen Sie hier: …", "Anmeldung & Karten: …": a label and a link.
        let a = around("Lesen Sie hier: Gewinnspiele");
        let b = around("Lesen Sie hier: Reisen");
        assert_eq!(judge(&a, &a, &links(&["Gewinnspiele"]), &b, &b, &links(&["Reisen"])), Content::Unchanged);
    }

    #[test]
    fn an_edited_link_or_prose_beside_a_link_is_a_change() {
        // A paragraph mostly inside a link, one figure of it edited.
        let link_a = "Link4, w którym zarządzał komunikacją korporacyjną, w tym relacjami z mediami";
        let link_b = "Link7, w którym zarządzał komunikacją korporacyjną, w tym relacjami z mediami";
        let a = around(&format!("Był rzecznikiem {link_a}."));
        let b = around(&format!("Był rzecznikiem {link_b}."));
        assert_eq!(judge(&a, &a, &links(&[link_a]), &b, &b, &links(&[link_b])), Content::Changed);
        // A teaser headline edited (not rotated) is a change.
        let a = around("Chronik Land bietet 200 Sommerpraktika an");
        let b = around("Chronik Land bietet 300 Sommerpraktika an");
        let (la, lb) = (links(&["Land bietet 200 Sommerpraktika an"]), links(&["Land bietet 300 Sommerpraktika an"]));
        assert_eq!(judge(&a, &a, &la, &b, &b, &lb), Content::Changed);
        // A sentence edited beside its link.
        let l = links(&["the report"]);
        let a = around("According to the report, 35 people died in the floods.");
        let b = around("According to the report, 53 people died in the floods.");
        assert_eq!(judge(&a, &a, &l, &b, &b, &l), Content::Changed);
        // A table row whose name is a link and whose figure changed.
        let l = links(&["Hauck Comfort Fix"]);
        let a = around("Hauck Comfort Fix\t120 €");
        let b = around("Hauck Comfort Fix\t140 €");
        assert_eq!(judge(&a, &a, &l, &b, &b, &l), Content::Changed);
    }

    #[test]
    fn promos_inside_the_article_are_not_changes() {
        for promo in [
            "Subscribe for full access: 3 months for $1",
            "Read more: Storm leaves thousands without power across the region",
            "Leia também: Tempestade deixa milhares sem energia",
            "Anzeige",
            "Advertisement",
        ] {
            let a = around("");
            let b = around(promo);
            let l = links(&[
                promo,
                "Storm leaves thousands without power across the region",
                "Tempestade deixa milhares sem energia",
            ]);
            assert_eq!(judge(&a, &a, &[], &b, &b, &l), Content::Unchanged, "{promo}");
        }
    }

    #[test]
    fn text_the_other_page_still_shows_is_not_a_change() {
        // The article's bounds drawn elsewhere: a caption the baseline showed
        // outside its watched text is watched now.
        let caption = "Mit großen Motorbooten ging es auf den Bodden. Foto: R. Korn";
        let a = around("");
        let full_a = format!("Angeln allgemein\n{caption}\n{a}");
        let b = around(caption);
        assert_eq!(judge(&a, &full_a, &[], &b, &b, &[]), Content::Unchanged);
        // An edited sentence is on neither page as it now reads.
        let a = around("35 people died.");
        let b = around("53 people died.");
        let full_b = format!("{b}\nArchive: 35 people died.");
        assert_eq!(judge(&a, &a, &[], &b, &full_b, &[]), Content::Changed);
        // A paragraph cut from the article is a change, though a teaser
        // elsewhere on the page still shows its first words.
        let a = around("The minister resigned after weeks of pressure over the budget.");
        let b = around("");
        let full_b = format!("{b}\nThe minister resigned");
        assert_eq!(judge(&a, &a, &[], &b, &full_b, &[]), Content::Changed);
    }
}
