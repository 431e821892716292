//! Text normalisation and quote matching, as browsers match text fragments.
//!
//! Pure functions: `normalize` folds a text the way quotes are compared
//! (Unicode NFKD with marks stripped, lower case, typographic quotes, dashes and
//! apostrophes folded to ASCII, soft hyphens and zero-width characters dropped,
//! whitespace runs folded to one space); `find` looks for a normalised needle on
//! word boundaries, so "14 civilians" is not found in "114 civilians".

use icu_normalizer::properties::CanonicalCombiningClassMap;
use icu_normalizer::DecomposingNormalizerBorrowed;

/// Folds one already-decomposed, mark-free character; `None` drops it.
fn fold(c: char) -> Option<char> {
    Some(match c {
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => return None,
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' | '\u{FE58}' => '-',
        c if c.is_whitespace() => ' ',
        c if c.is_control() => ' ',
        c => c,
    })
}

/// Normalises `s` for comparison and quote matching.
pub fn normalize(s: &str) -> String {
    let nfkd = DecomposingNormalizerBorrowed::new_nfkd();
    let ccc = CanonicalCombiningClassMap::new();
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut pending_space = false;
    fn push(c: char, out: &mut Vec<u8>, pending_space: &mut bool) {
        let Some(c) = fold(c) else { return };
        if c == ' ' {
            *pending_space = !out.is_empty();
            return;
        }
        if *pending_space {
            out.push(b' ');
            *pending_space = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase() as u8);
        } else {
            let mut buf = [0u8; 4];
            for l in c.to_lowercase() {
                out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            // ASCII is its own NFKD and carries no marks: the common fast
            // path, the same folding as `fold` for these bytes.
            i += 1;
            match b {
                b' ' | 0..=0x1f | 0x7f => {
                    pending_space = !out.is_empty();
                }
                _ => {
                    if pending_space {
                        out.push(b' ');
                        pending_space = false;
                    }
                    out.push(if b == b'`' { b'\'' } else { b.to_ascii_lowercase() });
                }
            }
            continue;
        }
        let c = s[i..].chars().next().expect("a char starts here");
        i += c.len_utf8();
        // Marks are dropped, so decomposing one character at a time is the
        // same as decomposing the string (canonical reordering only moves marks).
        for d in nfkd.normalize_iter(std::iter::once(c)) {
            if ccc.get32_u8(d as u32) == 0 {
                push(d, &mut out, &mut pending_space);
            }
        }
    }
    String::from_utf8(out).expect("built from whole characters")
}

/// Whether `c` is part of a word for boundary checks. Chinese and Japanese
/// are written without spaces: each of their characters stands alone.
fn is_word(c: char) -> bool {
    (c.is_alphanumeric() || c == '_') && !is_cjk(c)
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF66}'..='\u{FF9F}')
}

/// Whether a match may start at byte `at` of `hay` for a needle starting with `first`.
fn starts_on_boundary(hay: &str, at: usize, first: char) -> bool {
    if !is_word(first) {
        return true;
    }
    let mut before = hay[..at].chars().rev();
    match before.next() {
        None => true,
        Some(p) if is_word(p) => false,
        // "401,850" must not match inside "1,401,850": a digit group separator
        // between digits keeps the number whole.
        Some(',' | '.') if first.is_ascii_digit() => !before.next().is_some_and(|d| d.is_ascii_digit()),
        Some(_) => true,
    }
}

/// Whether a match may end at byte `end` of `hay` for a needle ending with `last`.
fn ends_on_boundary(hay: &str, end: usize, last: char) -> bool {
    if !is_word(last) {
        return true;
    }
    let mut after = hay[end..].chars();
    match after.next() {
        None => true,
        Some(n) if is_word(n) => false,
        Some(',' | '.') if last.is_ascii_digit() => !after.next().is_some_and(|d| d.is_ascii_digit()),
        Some(_) => true,
    }
}

/// Every word-bounded occurrence of normalised `needle` in normalised `hay`,
/// starting at or after byte `from`, as byte ranges.
pub fn find_all<'a>(hay: &'a str, needle: &'a str, from: usize) -> impl Iterator<Item = (usize, usize)> + 'a {
    let first = needle.chars().next();
    let last = needle.chars().next_back();
    let from = from.min(hay.len());
    hay[from..].match_indices(needle).map(move |(i, _)| (from + i, from + i + needle.len())).filter(move |&(s, e)| {
        match (first, last) {
            (Some(f), Some(l)) => starts_on_boundary(hay, s, f) && ends_on_boundary(hay, e, l),
            _ => false,
        }
    })
}

/// The first word-bounded occurrence of normalised `needle` in normalised `hay`.
pub fn find(hay: &str, needle: &str) -> Option<(usize, usize)> {
    find_all(hay, needle, 0).next()
}

/// A text-fragment directive, its terms already percent-decoded and normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentQuery {
    /// Text that must come right before the match.
    pub prefix: Option<String>,
    /// The start of the match (the whole match without `end`).
    pub start: String,
    /// The end of a range match.
    pub end: Option<String>,
    /// Text that must come right after the match.
    pub suffix: Option<String>,
}

/// Finds a text-fragment match in normalised `hay`: the first `start` whose
/// prefix and suffix fit, extended to the next `end` for a range.
pub fn find_fragment(hay: &str, q: &FragmentQuery) -> Option<(usize, usize)> {
    for (s, e) in find_all(hay, &q.start, 0) {
        if let Some(prefix) = &q.prefix {
            let before = hay[..s].trim_end();
            if !before.ends_with(prefix.as_str()) {
                continue;
            }
            let at = before.len() - prefix.len();
            if !prefix.chars().next().is_some_and(|c| starts_on_boundary(hay, at, c)) {
                continue;
            }
        }
        let end = match &q.end {
            None => e,
            Some(end) => match find_all(hay, end, e).next() {
                Some((_, ee)) => ee,
                None => return None,
            },
        };
        if let Some(suffix) = &q.suffix {
            let after = &hay[end..];
            let trimmed = after.trim_start();
            let at = end + (after.len() - trimmed.len());
            if !trimmed.starts_with(suffix.as_str()) {
                continue;
            }
            if !suffix.chars().next_back().is_some_and(|c| ends_on_boundary(hay, at + suffix.len(), c)) {
                continue;
            }
        }
        return Some((s, end));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `normalize` one character at a time, as first written: the fast
    /// path over ASCII bytes must give the same text.
    fn normalize_by_char(s: &str) -> String {
        let nfkd = DecomposingNormalizerBorrowed::new_nfkd();
        let ccc = CanonicalCombiningClassMap::new();
        let mut out = String::new();
        let mut pending_space = false;
        for d in s.chars().flat_map(|c| nfkd.normalize_iter(std::iter::once(c)).collect::<Vec<_>>()) {
            if ccc.get32_u8(d as u32) != 0 {
                continue;
            }
            let Some(c) = fold(d) else { continue };
            if c == ' ' {
                pending_space = !out.is_empty();
                continue;
            }
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.extend(c.to_lowercase());
        }
        out
    }

    #[test]
    fn fast_path_matches_the_char_by_char_fold() {
        let mut samples: Vec<String> = vec![
            "  Égalité\u{00A0}— “Liberté”  ".into(),
            "a\tb\r\nc\u{0B}d\u{0C}e\u{7f}f\u{1}g `tick` ÀÉÎ ﬁ ½ ① \u{200B}x\u{00AD}y".into(),
            " \u{301}leading mark, trailing space\u{3000}".into(),
            "İstanbul ΣΊΣΥΦΟΣ straße 401\u{202F}850 ".into(),
        ];
        // Every byte value below 0x80 and some beyond, in one string.
        samples.push((0u32..0x300).filter_map(char::from_u32).collect());
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/realworld/pages");
        if let Ok(dir) = std::fs::read_dir(&corpus) {
            for e in dir.flatten().take(8) {
                if let Ok(bytes) = std::fs::read(e.path()) {
                    samples.push(String::from_utf8_lossy(&bytes).into_owned());
                }
            }
        }
        for s in &samples {
            assert_eq!(normalize(s), normalize_by_char(s), "{:?}", &s[..s.len().min(80)]);
        }
    }

    #[test]
    fn folds_case_accents_quotes_dashes_and_spaces() {
        assert_eq!(normalize("  Égalité\u{00A0}— “Liberté”  "), "egalite - \"liberte\"");
        assert_eq!(normalize("Mali’s  army"), "mali's army");
        assert_eq!(normalize("soft\u{00AD}hyphen"), "softhyphen");
        assert_eq!(normalize("ﬁnance"), "finance");
        assert_eq!(normalize("401\u{202F}850"), "401 850");
    }

    #[test]
    fn word_boundaries() {
        let hay = normalize("Attackers killed 114 civilians and 14 soldiers.");
        assert!(find(&hay, "14 civilians").is_none());
        assert!(find(&hay, "114 civilians").is_some());
        assert!(find(&hay, "14 soldiers").is_some());
        let hay = normalize("the color orange");
        assert!(find(&hay, "range").is_none());
        assert!(find(&hay, "orange").is_some());
    }

    #[test]
    fn chinese_and_japanese_need_no_spaces() {
        let hay = normalize("東京都の人口は約1400万人です。");
        assert!(find(&hay, &normalize("東京都の人口")).is_some());
    }

    #[test]
    fn numbers_stay_whole() {
        let hay = normalize("a total of 1,401,850 people and 14.5% more");
        assert!(find(&hay, "401,850").is_none());
        assert!(find(&hay, "1,401,850").is_some());
        assert!(find(&hay, "14").is_none());
        assert!(find(&hay, "14.5%").is_some());
        let hay = normalize("record of 401,850.");
        assert!(find(&hay, "401,850").is_some());
    }

    fn q(p: Option<&str>, s: &str, e: Option<&str>, x: Option<&str>) -> FragmentQuery {
        FragmentQuery { prefix: p.map(normalize), start: normalize(s), end: e.map(normalize), suffix: x.map(normalize) }
    }

    #[test]
    fn fragments_with_context_and_ranges() {
        let hay = normalize("The army killed 35 people. Later, militants killed 35 people in Moura.");
        let (s, _) = find_fragment(&hay, &q(Some("militants killed"), "35 people", None, None)).unwrap();
        assert!(s > 20);
        assert!(find_fragment(&hay, &q(Some("rebels"), "35 people", None, None)).is_none());
        assert!(find_fragment(&hay, &q(None, "35 people", None, Some("in moura"))).is_some());
        assert!(find_fragment(&hay, &q(None, "35 people", None, Some("in gao"))).is_none());
        let (s, e) = find_fragment(&hay, &q(None, "the army", Some("moura"), None)).unwrap();
        assert_eq!(&hay[s..e], "the army killed 35 people. later, militants killed 35 people in moura");
        assert!(find_fragment(&hay, &q(None, "the army", Some("timbuktu"), None)).is_none());
    }
}
