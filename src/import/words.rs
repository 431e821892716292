//! Small text helpers shared by all formats: folding, tokens, slugs,
//! sentence splitting and URL trimming.

/// Fold common accented Latin letters to ASCII and typographic quotes to
/// plain ones. Anything else non-ASCII is kept as is.
pub(crate) fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
        'ñ' | 'ń' => "n",
        'Ñ' | 'Ń' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' => "O",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' => "Y",
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        'š' => "s",
        'Š' => "S",
        'ž' => "z",
        'Ž' => "Z",
        '’' | '‘' | '′' => "'",
        '“' | '”' | '″' => "\"",
        '–' | '—' => "-",
        _ => return None,
    })
}

pub(crate) fn fold_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match fold_char(c) {
            Some(r) => out.push_str(r),
            None => out.push(c),
        }
    }
    out
}

/// Lowercased, ASCII-folded alphanumeric runs.
pub(crate) fn tokens(s: &str) -> Vec<String> {
    let folded = fold_ascii(s).to_lowercase();
    folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// Month names, January first.
pub(crate) const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const STOPWORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
    "does", "doing", "down", "during", "each", "even", "few", "for", "from", "further", "had", "has", "have", "having",
    "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just",
    "many", "may", "me", "might", "more", "most", "much", "must", "my", "no", "nor", "not", "now", "of", "off", "on",
    "once", "one", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "since", "so",
    "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this",
    "those", "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "were",
    "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "within", "would", "yet", "you",
    "your", "s", "t", "u", "e", "g", "y", "f", "n", "per", "among", "whether", "however", "although", "though",
    "still", "well", "another", "what", "there",
];

pub(crate) fn is_stopword(w: &str) -> bool {
    STOPWORDS.contains(&w)
}

/// Content words: tokens minus stopwords.
pub(crate) fn content_words(s: &str) -> Vec<String> {
    tokens(s).into_iter().filter(|t| !is_stopword(t)).collect()
}

/// `[a-z0-9][a-z0-9-]*` slug of at most `max_words` content words.
pub(crate) fn slugify(s: &str, max_words: usize) -> String {
    let words: Vec<String> = tokens(s).into_iter().filter(|t| !is_stopword(t)).take(max_words).collect();
    words.join("-")
}

pub(crate) fn is_valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Collapse every run of whitespace to one space and trim.
pub(crate) fn normalize_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(crate) fn is_http_url(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    (l.starts_with("http://") || l.starts_with("https://")) && s.len() > 8
}

/// A URL found in running prose: drop trailing sentence punctuation that
/// follows it, but keep a `)` that balances a `(` inside the URL.
pub(crate) fn trim_prose_url(url: &str) -> &str {
    let mut end = url.len();
    loop {
        let s = &url[..end];
        let Some(last) = s.chars().last() else { break };
        match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '’' | '”' | ']' | '>' => {
                end -= last.len_utf8();
            }
            ')' => {
                let opens = s.matches('(').count();
                let closes = s.matches(')').count();
                if closes > opens {
                    end -= 1;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    &url[..end]
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "no", "nos", "vs", "fig", "figs", "vol", "pp", "p", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "spc", "sgt", "col", "gen", "lt", "capt", "maj", "jr",
    "sr", "inc", "co", "corp", "dept", "gov", "rep", "sen", "approx", "est", "ca", "al", "ltd", "art", "para", "sec",
    "ch", "cf", "op", "ed", "eds", "rev", "prof", "hon", "amb", "adm", "cpl", "pvt", "ft", "mt",
];

fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_start_matches(['(', '[', '"', '“', '‘', '\'']);
    if w.is_empty() {
        return false;
    }
    // Dotted abbreviations such as U.S, e.g, F.Y, U.N.
    if w.contains('.') && w.chars().all(|c| c.is_alphabetic() || c == '.') {
        return true;
    }
    let lower = w.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    // An initial: a single capital letter.
    let mut cs = w.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '”' | '’' | '\'' | ')' | ']')
}

fn starts_sentence(c: char) -> bool {
    c.is_uppercase() || matches!(c, '"' | '“' | '‘' | '(' | '[' | '•')
}

/// Split text into sentences; returns byte ranges (trimmed of whitespace).
pub(crate) fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let (_, c) = chars[i];
        if matches!(c, '.' | '!' | '?' | '…') {
            let mut j = i + 1;
            while j < chars.len() && is_closer(chars[j].1) {
                j += 1;
            }
            let at_ws = j >= chars.len() || chars[j].1.is_whitespace();
            if at_ws {
                let mut k = j;
                while k < chars.len() && chars[k].1.is_whitespace() {
                    k += 1;
                }
                let next_ok = k >= chars.len() || starts_sentence(chars[k].1);
                let abbrev = c == '.' && {
                    // word before the period
                    let end_b = chars[i].0;
                    let word_start = text[..end_b]
                        .char_indices()
                        .rev()
                        .find(|(_, ch)| ch.is_whitespace())
                        .map(|(p, ch)| p + ch.len_utf8())
                        .unwrap_or(0);
                    is_abbreviation(&text[word_start..end_b])
                };
                if next_ok && !abbrev {
                    let end = if j < chars.len() { chars[j].0 } else { text.len() };
                    push_trimmed(text, start, end, &mut out);
                    start = if k < chars.len() { chars[k].0 } else { text.len() };
                    i = k;
                    continue;
                }
            }
        }
        i += 1;
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    if start >= end {
        return;
    }
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push((start + lead, end - trail));
    }
}

/// Strip list markers ("• ", "1. ", "- ") from the start of a line.
pub(crate) fn strip_list_marker(s: &str) -> &str {
    let t = s.trim_start();
    if let Some(r) = t.strip_prefix("• ").or_else(|| t.strip_prefix("- ")) {
        return r.trim_start();
    }
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits <= 2 && t[digits..].starts_with(". ") {
        return t[digits + 2..].trim_start();
    }
    t
}

pub(crate) fn is_list_item(s: &str) -> bool {
    strip_list_marker(s).len() != s.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        split_sentences(t).into_iter().map(|(a, b)| &t[a..b]).collect()
    }

    #[test]
    fn a_period_after_a_non_ascii_space_splits_without_panicking() {
        // The word before the period begins after a two-byte no-break space.
        assert_eq!(sents("Il pleut.\u{a0}1. Il neige."), vec!["Il pleut.\u{a0}1.", "Il neige."]);
        assert_eq!(sents("\n\u{a0}1. [^1]: https://x.org/n\n"), vec!["1.", "[^1]: https://x.org/n"]);
    }

    #[test]
    fn sentences_respect_abbreviations_and_decimals() {
        let t = "The U.S. provided $16.56 million in F.Y. 2022. Spc. Peter Seidler took it, e.g. here. J. Peter Pham said “yes.” Then No. 296 came.";
        assert_eq!(
            sents(t),
            vec![
                "The U.S. provided $16.56 million in F.Y. 2022.",
                "Spc. Peter Seidler took it, e.g. here.",
                "J. Peter Pham said “yes.”",
                "Then No. 296 came."
            ]
        );
    }

    #[test]
    fn folding_and_slugs() {
        assert_eq!(
            slugify("The Case of Mali and the Malian Armed Forces (FAMa)", 6),
            "case-mali-malian-armed-forces-fama"
        );
        assert_eq!(tokens("Goïta’s Ségou"), vec!["goita", "s", "segou"]);
        assert!(is_valid_id("p07-idps-record"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("Ab"));
    }

    #[test]
    fn prose_urls_lose_trailing_punctuation() {
        assert_eq!(trim_prose_url("https://a.org/x."), "https://a.org/x");
        assert_eq!(trim_prose_url("https://a.org/x)."), "https://a.org/x");
        assert_eq!(
            trim_prose_url("https://en.wikipedia.org/wiki/Mali_(disambiguation)."),
            "https://en.wikipedia.org/wiki/Mali_(disambiguation)"
        );
        assert_eq!(trim_prose_url("https://a.org/x?y=1;"), "https://a.org/x?y=1");
    }

    #[test]
    fn list_markers() {
        assert_eq!(strip_list_marker("1. Geneva Conventions"), "Geneva Conventions");
        assert_eq!(strip_list_marker("• Nate Marx"), "Nate Marx");
        assert_eq!(strip_list_marker("2022. Not"), "2022. Not");
        assert!(is_list_item("10. African Union"));
    }
}
