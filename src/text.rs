//! Text normalisation and quote matching, as browsers match text fragments.
//!
//! Pure functions. `normalize` folds a text the way watched texts are
//! compared (Unicode NFKD with marks stripped, lower case, typographic quotes,
//! dashes and apostrophes folded to ASCII, soft hyphens and zero-width
//! characters dropped, whitespace runs folded to one space). `searchable` and
//! `query` fold a source's text and a quote for matching: the same folds plus
//! the letters a base-character comparison also equates (`ß` = `ss`, `æ` =
//! `ae`, `ø` = `o` …), and, for HTML, one `\n` per block boundary, which no
//! quote term may cross.
//!
//! `find_fragment` is the WICG Scroll-to-Text-Fragment "find a range from a
//! text directive" algorithm run over such a text: word boundaries are
//! Unicode word segmentation (UAX #29), every overlapping candidate is tried,
//! a range end is retried at a later `textEnd` when the suffix fails, and the
//! boundaries next to a prefix, a suffix or a range end are relaxed exactly
//! where the algorithm relaxes them. A plain quote is a text directive with a
//! `textStart` alone (`find`).

use icu_normalizer::properties::CanonicalCombiningClassMap;
use icu_normalizer::DecomposingNormalizerBorrowed;
use unicode_segmentation::UnicodeSegmentation;

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

/// Lower-case letters that NFKD leaves whole but a base-character
/// (primary-level) comparison equates with other letters.
fn primary(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' => "d",
        'ł' => "l",
        'ħ' => "h",
        _ => return None,
    })
}

/// The folding shared by `normalize`, `searchable` and `query`.
fn fold_text(s: &str, lines: bool, base: bool) -> String {
    let nfkd = DecomposingNormalizerBorrowed::new_nfkd();
    let ccc = CanonicalCombiningClassMap::new();
    let mut f = Folder { out: String::with_capacity(s.len()), pending_space: false, pending_line: false, lines, base };
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            // ASCII is its own NFKD and carries no marks: the common fast
            // path, folding bytes as `Folder::push` folds these characters.
            match b {
                b'\n' if lines => f.pending_line = !f.out.is_empty(),
                b' ' | 0..=0x1f | 0x7f => f.pending_space = !f.out.is_empty(),
                _ => {
                    // A run of printable ASCII: one separator, then its bytes
                    // lower-cased in one pass.
                    let run = bytes[i..].iter().position(|c| !(0x21..0x7f).contains(c)).unwrap_or(bytes.len() - i);
                    f.separate();
                    // SAFETY: ASCII bytes become ASCII bytes: the string stays UTF-8.
                    let out = unsafe { f.out.as_mut_vec() };
                    out.extend(
                        bytes[i..i + run].iter().map(|&c| if c == b'`' { b'\'' } else { c.to_ascii_lowercase() }),
                    );
                    i += run;
                    continue;
                }
            }
            i += 1;
            continue;
        }
        let c = s[i..].chars().next().expect("a character starts here");
        i += c.len_utf8();
        // Marks are dropped, so decomposing one character at a time is the
        // same as decomposing the string (canonical reordering only moves marks).
        for d in nfkd.normalize_iter(std::iter::once(c)) {
            if ccc.get32_u8(d as u32) == 0 {
                f.push(d);
            }
        }
    }
    f.out
}

/// The state of [`fold_text`]: the text so far and the separator owed.
struct Folder {
    out: String,
    pending_space: bool,
    pending_line: bool,
    lines: bool,
    base: bool,
}

impl Folder {
    /// Writes the separator owed before the next character.
    fn separate(&mut self) {
        if self.pending_line {
            self.out.push('\n');
        } else if self.pending_space {
            self.out.push(' ');
        }
        self.pending_space = false;
        self.pending_line = false;
    }

    fn push(&mut self, c: char) {
        if self.lines && c == '\n' {
            self.pending_line = !self.out.is_empty();
            return;
        }
        let Some(c) = fold(c) else { return };
        if c == ' ' {
            self.pending_space = !self.out.is_empty();
            return;
        }
        self.separate();
        if c.is_ascii() {
            self.out.push(c.to_ascii_lowercase());
            return;
        }
        for l in c.to_lowercase() {
            match primary(l).filter(|_| self.base) {
                Some(p) => self.out.push_str(p),
                None => self.out.push(l),
            }
        }
    }
}

/// Whether `c` folds differently under `searchable`/`query` than under
/// `normalize`: the letters [`primary`] equates with others, and those that
/// decompose (NFKD) to one of them.
fn folds_to_base(c: char) -> bool {
    matches!(
        c,
        'ß' | 'ẞ'
            | 'Æ'
            | 'æ'
            | 'Œ'
            | 'œ'
            | 'Ø'
            | 'ø'
            | 'Đ'
            | 'đ'
            | 'Ł'
            | 'ł'
            | 'Ħ'
            | 'ħ'
            | '\u{01E2}'
            | '\u{01E3}'
            | '\u{01FC}'
            | '\u{01FD}'
            | '\u{01FE}'
            | '\u{01FF}'
            | '\u{1D2D}'
            | '\u{210F}'
            | '\u{A7F8}'
            | '\u{A7F9}'
            | '\u{10783}'
            | '\u{10795}'
            | '\u{107A2}'
            | '\u{1D6A6}'
            | '\u{1DF95}'
            | '\u{1DFD3}'
            | '\u{1DFD5}'
    )
}

/// `normalize(s)`, given `searchable(s, _)` already made: the same text
/// with its line breaks as spaces, unless `s` holds a letter the two fold
/// apart (then `s` is normalised again).
pub fn normalize_given_searchable(s: &str, searchable: &str) -> String {
    // Only the characters outside ASCII are looked at, each found by its lead byte.
    let b = s.as_bytes();
    let mut at = 0;
    while let Some(off) = b[at..].iter().position(|x| *x >= 0xc0) {
        let c = s[at + off..].chars().next().expect("a character starts at a lead byte");
        if folds_to_base(c) {
            return normalize(s);
        }
        at += off + c.len_utf8();
    }
    searchable.replace('\n', " ")
}

/// Normalises `s` for comparison of watched texts.
pub fn normalize(s: &str) -> String {
    fold_text(s, false, false)
}

/// [`normalize`] keeping one `\n` where a run of separators held a line
/// break: its lines are the non-empty `normalize`d lines of `s`, and with
/// each `\n` read as a space it is `normalize(s)`.
pub fn normalize_lines(s: &str) -> String {
    fold_text(s, true, false)
}

/// A source's text folded for quote matching. With `blocks` (HTML, one block
/// per line), each line break stays as one `\n`: a block boundary that no
/// quote term crosses; without it (PDF, plain text), line breaks are spaces,
/// as lines there are wrapped prose.
pub fn searchable(s: &str, blocks: bool) -> String {
    fold_text(s, blocks, true)
}

/// A quote or text-fragment term folded for matching against `searchable`.
pub fn query(s: &str) -> String {
    fold_text(s, false, true)
}

/// How many characters a word-boundary check looks at on either side when no
/// whitespace is near: UAX #29 rules need only a few characters of context.
const WINDOW: usize = 32;

/// Whether byte `at` of `hay` is at a word boundary (UAX #29 default word
/// boundaries; the start and end of the text are boundaries).
pub fn is_word_boundary(hay: &str, at: usize) -> bool {
    if at == 0 || at >= hay.len() {
        return true;
    }
    if !hay.is_char_boundary(at) {
        return false;
    }
    // The common cases, without segmenting: a break next to a space or a
    // line, none inside a run of ASCII letters and digits (WB3a–WB3d, WB5–WB10).
    let (Some(before), Some(after)) = (hay[..at].chars().next_back(), hay[at..].chars().next()) else {
        return true;
    };
    match (before.is_whitespace(), after.is_whitespace()) {
        (true, true) => return before == '\n' || after == '\n',
        (false, true) => return true,
        (true, false) if after.is_alphanumeric() => return true,
        _ => {}
    }
    if before.is_ascii_alphanumeric() && after.is_ascii_alphanumeric() {
        return false;
    }
    // Segment only the run around `at`: from the whitespace before it (which
    // always starts a segment) to the whitespace after it.
    let mut lo = at;
    for (n, (i, c)) in hay[..at].char_indices().rev().enumerate() {
        lo = i;
        if c.is_whitespace() || n >= WINDOW {
            break;
        }
    }
    let mut hi = hay.len();
    for (n, (i, c)) in hay[at..].char_indices().enumerate() {
        if c.is_whitespace() || n >= WINDOW {
            hi = at + i + c.len_utf8();
            break;
        }
    }
    hay[lo..hi].split_word_bound_indices().any(|(i, _)| lo + i == at)
}

/// The byte after the whitespace (spaces and block boundaries) from `at`.
fn skip_space(hay: &str, at: usize) -> usize {
    hay.len() - hay[at..].trim_start().len()
}

/// The spec's "find a string in range": the first occurrence of `needle` at
/// or after byte `from` whose start (`start_bounded`) and end (`end_bounded`)
/// are word boundaries, trying every overlapping candidate; with `at_from`,
/// only an occurrence starting exactly at `from`.
fn find_term(
    hay: &str,
    needle: &str,
    from: usize,
    start_bounded: bool,
    end_bounded: bool,
    at_from: bool,
) -> Option<(usize, usize)> {
    if needle.is_empty() || from > hay.len() {
        return None;
    }
    let mut pos = from;
    loop {
        let s = if at_from { hay[pos..].starts_with(needle).then_some(pos)? } else { pos + hay[pos..].find(needle)? };
        let e = s + needle.len();
        if (!start_bounded || is_word_boundary(hay, s)) && (!end_bounded || is_word_boundary(hay, e)) {
            return Some((s, e));
        }
        if at_from {
            return None;
        }
        // The next candidate may overlap this one ("and a" in "hand and a").
        pos = s + hay[s..].chars().next().map_or(1, char::len_utf8);
    }
}

/// The first word-bounded occurrence of `needle` in `hay` (both folded the
/// same way): a text directive with a `textStart` alone.
pub fn find(hay: &str, needle: &str) -> Option<(usize, usize)> {
    find_term(hay, needle, 0, true, true, false)
}

/// A text-fragment directive, its terms already percent-decoded and folded by `query`.
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

/// Finds a text directive in `hay` (folded by `searchable`), step by step as
/// the spec's "find a range from a text directive"; returns the byte range
/// of the matching text.
pub fn find_fragment(hay: &str, q: &FragmentQuery) -> Option<(usize, usize)> {
    let next_char = |at: usize| at + hay[at..].chars().next().map_or(1, char::len_utf8);
    // The start term must end on a word boundary unless a suffix follows it directly.
    let start_end_bounded = q.end.is_some() || q.suffix.is_none();
    let mut search = 0;
    while search < hay.len() {
        let (start, start_end) = match &q.prefix {
            Some(prefix) => {
                let (ps, pe) = find_term(hay, prefix, search, true, false, false)?;
                search = next_char(ps);
                let m = skip_space(hay, pe);
                if m >= hay.len() {
                    return None;
                }
                match find_term(hay, &q.start, m, false, start_end_bounded, true) {
                    Some(found) => found,
                    None => continue,
                }
            }
            None => {
                let found = find_term(hay, &q.start, search, true, start_end_bounded, false)?;
                search = next_char(found.0);
                found
            }
        };
        let mut end = start_end;
        loop {
            if let Some(term) = &q.end {
                // No later end that fits: no later start can fit either.
                end = find_term(hay, term, end, true, q.suffix.is_none(), false)?.1;
            }
            let Some(suffix) = &q.suffix else {
                return Some((start, end));
            };
            if find_term(hay, suffix, skip_space(hay, end), false, true, true).is_some() {
                return Some((start, end));
            }
            if q.end.is_none() {
                // An exact match whose suffix fails: try the next start.
                break;
            }
            // The right start, perhaps, but not the right end: try a later end.
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `fold_text` one character at a time, with no fast path.
    fn fold_by_char(s: &str, lines: bool, base: bool) -> String {
        let nfkd = DecomposingNormalizerBorrowed::new_nfkd();
        let ccc = CanonicalCombiningClassMap::new();
        let mut f = Folder { out: String::new(), pending_space: false, pending_line: false, lines, base };
        for c in s.chars() {
            for d in nfkd.normalize_iter(std::iter::once(c)) {
                if ccc.get32_u8(d as u32) == 0 {
                    f.push(d);
                }
            }
        }
        f.out
    }

    #[test]
    fn only_the_base_letters_fold_apart() {
        let apart: Vec<String> = (0u32..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| !folds_to_base(*c) && query(&c.to_string()) != normalize(&c.to_string()))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        assert!(apart.is_empty(), "{apart:?}");
        let s = "Straße\nÆrø  Ǿ ᴭ\n\n401\u{202F}850 Łódź";
        assert_eq!(normalize_given_searchable(s, &searchable(s, true)), normalize(s));
        let s = "Égalité — “Liberté”\n\n  fraternité ½\n";
        assert_eq!(normalize_given_searchable(s, &searchable(s, true)), normalize(s));
        assert_eq!(normalize_given_searchable(s, &searchable(s, false)), normalize(s));
    }

    #[test]
    fn ascii_fast_path_folds_as_char_by_char() {
        let mut samples: Vec<String> = vec![
            "  Égalité\u{00A0}— “Liberté”  ".into(),
            "a\tb\r\nc\u{0B}d\u{0C}e\u{7f}f\u{1}g `tick` ÀÉÎ ﬁ ½ ① \u{200B}x\u{00AD}y\n\n z".into(),
            " \u{301}leading mark, trailing space\u{3000}\n".into(),
            "İstanbul ΣΊΣΥΦΟΣ straße Ærø 401\u{202F}850 \n".into(),
        ];
        samples.push((0u32..0x300).filter_map(char::from_u32).collect());
        samples.extend(crate::testing::real_pages(8));
        for s in &samples {
            for (lines, base) in [(false, false), (true, true), (false, true), (true, false)] {
                assert_eq!(fold_text(s, lines, base), fold_by_char(s, lines, base), "{:?}", &s[..s.len().min(60)]);
            }
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
        FragmentQuery { prefix: p.map(query), start: query(s), end: e.map(query), suffix: x.map(query) }
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

    #[test]
    fn unicode_word_segmentation() {
        let hay = searchable("he's falling.\n3.5\n40.2\nAnd I'm sure 't were a sin. Won't", true);
        assert!(find(&hay, "he").is_none(), "he in he's");
        assert!(find(&hay, "he's").is_some());
        assert!(find(&hay, "3.").is_none() && find(&hay, "5").is_none() && find(&hay, "2").is_none());
        let (s, _) = find(&hay, "'t").unwrap();
        assert_eq!(&hay[s - 5..s], "sure ", "not the 't of won't");
        // Japanese: every kana and ideograph is its own segment, a katakana run is one word.
        let hay = searchable("ウィキペディアへようこそ", true);
        assert!(find(&hay, &query("ようこそ")).is_some());
        assert!(find(&hay, &query("ウィキ")).is_none());
    }

    #[test]
    fn every_overlapping_candidate_is_tried() {
        let hay = searchable("She caught it in one hand and a net.", true);
        assert!(find(&hay, "and a").is_some(), "the rejected h[and a]nd must not hide hand [and a]");
        let (s, e) = find_fragment(&hay, &q(None, "caught", Some("and a"), None)).unwrap();
        assert_eq!(&hay[s..e], "caught it in one hand and a");
        let hay = searchable("a a b b b c\nfoo foo foo bar bar bar", true);
        assert!(find_fragment(&hay, &q(None, "b b", None, Some("c"))).is_some());
        assert!(find_fragment(&hay, &q(None, "foo foo", None, Some("bar"))).is_some());
        assert!(find_fragment(&hay, &q(Some("foo foo"), "bar", None, None)).is_some());
        assert!(find_fragment(&hay, &q(Some("a a"), "b", None, None)).is_some());
        assert!(find_fragment(&hay, &q(Some("foo"), "foo", None, Some("bar"))).is_some());
    }

    #[test]
    fn relaxed_bounds_next_to_context_terms() {
        let hay = searchable("The quick brown fox jumped over the lazy dog.", true);
        let yes =
            |p: Option<&str>, s: &str, e: Option<&str>, x: Option<&str>| find_fragment(&hay, &q(p, s, e, x)).is_some();
        assert!(yes(Some("ju"), "mped", None, None), "a prefix need not end on a word boundary");
        assert!(!yes(Some("u"), "mped", None, None), "a prefix must start on one");
        assert!(yes(Some("jum"), "ped", None, None));
        assert!(yes(None, "qu", None, Some("ick")), "a suffix need not start on a word boundary");
        assert!(!yes(None, "quick", None, Some("bro")), "a suffix must end on one");
        assert!(yes(Some("fox"), "jum", None, Some("ped")));
        assert!(!yes(Some("fox"), "jum", None, None));
        assert!(!yes(Some("fox"), "jum", Some("over"), None), "an end forces the start to end on a boundary");
        assert!(yes(None, "quick", Some("bro"), Some("wn")));
        assert!(!yes(None, "quick", Some("bro"), None));
        assert!(!yes(None, "quick", Some("ro"), Some("wn")), "an end must start on a word boundary");
        assert!(!yes(None, "bro", Some("wn"), None));
        assert!(!yes(Some("quick brown"), "brown fox", None, None), "a prefix overlapping the match");
        assert!(!yes(Some("brown"), "jumped", None, None), "the match must follow the prefix");
        assert!(!yes(None, "brown", Some("quick"), None), "an inverted range");
        assert!(!yes(None, "quick", Some("jumped"), Some("fox")));
        assert!(!yes(Some("the"), "quick", Some("fox"), Some("brown")));
        assert!(!yes(None, "quick", None, Some("fox")), "content between match and suffix");
        assert!(!yes(Some("dog."), "test", None, None), "a prefix at the end of the text");
        assert!(yes(Some("the"), "quick", Some("brown"), None));
    }

    #[test]
    fn range_ends_are_retried_when_the_suffix_fails() {
        let hay = searchable("match suffix2\nprefix match suffix3 matchEnd suffix4 matchEnd suffix5", true);
        let yes =
            |p: Option<&str>, s: &str, e: Option<&str>, x: Option<&str>| find_fragment(&hay, &q(p, s, e, x)).is_some();
        assert!(yes(None, "match", None, Some("suffix2")));
        assert!(yes(Some("prefix"), "match", None, Some("suffix3")));
        assert!(yes(Some("prefix"), "match", Some("matchEnd"), Some("suffix5")));
        assert!(!yes(Some("prefix"), "match", Some("matchEnd"), Some("suffix6")));
    }

    #[test]
    fn terms_stay_within_a_block_but_context_may_cross_blocks() {
        let hay = searchable("Alpha\nBeta\nprefix\ntest page\nsuffix", true);
        assert!(find(&hay, "alpha beta").is_none());
        assert!(find_fragment(&hay, &q(Some("prefix"), "test page", None, Some("suffix"))).is_some());
        assert!(find_fragment(&hay, &q(None, "alpha", Some("beta"), None)).is_some());
        // Wrapped lines of a PDF or plain text are prose: no boundary.
        let pdf = searchable("Alpha\nBeta", false);
        assert!(find(&pdf, "alpha beta").is_some());
    }

    #[test]
    fn base_characters_compare_equal() {
        let hay = searchable("Die Straße nach Ærøskøbing, Łódź", true);
        assert!(find(&hay, &query("STRASSE")).is_some());
        assert!(find(&hay, &query("aeroskobing")).is_some());
        assert!(find(&hay, &query("lodz")).is_some());
        assert_eq!(normalize("Straße"), "straße", "watched texts keep their folding");
    }

    #[test]
    fn boundaries_agree_with_full_segmentation() {
        let text = searchable(
            "He's  3.5 U.S. e-mail a:b 1,401,850 \n x_y ウィキペディア 東京都 l'armée (see: here) ☺☺ 🇫🇷🇩🇪 ok.",
            true,
        );
        let full: Vec<usize> = text.split_word_bound_indices().map(|(i, _)| i).chain([text.len()]).collect();
        for (at, _) in text.char_indices() {
            assert_eq!(is_word_boundary(&text, at), full.contains(&at), "at {at} in {text:?}");
        }
    }

    #[test]
    fn a_pathological_text_stays_fast() {
        let hay = "ab".repeat(500_000);
        let t = std::time::Instant::now();
        assert!(find(&hay, "b").is_none());
        assert!(find_fragment(&hay, &q(Some("a"), "b", Some("a"), Some("zz"))).is_none());
        // Generous: a bound on the work, not a benchmark.
        assert!(t.elapsed() < std::time::Duration::from_secs(20), "{:?}", t.elapsed());
    }
}
