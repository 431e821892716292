//! The text format (text extracted from a PDF, one page after the other,
//! each page followed by the list of its links) and the page model shared
//! with the PDF importer.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::align::{self, LinkFeat, UnitFeat};
use super::words::{self, is_http_url, is_list_item, is_stopword, normalize_ws, strip_list_marker};
use super::{Draft, Parsed};

/// One link of a page; `lines` is how many input lines it took (a URL
/// broken over two lines appears as two equal consecutive lines).
#[derive(Debug, Clone)]
pub(crate) struct PageLink {
    pub url: String,
    pub lines: usize,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct RawPage {
    pub lines: Vec<String>,
    pub links: Vec<PageLink>,
}

fn is_link_line(line: &str) -> bool {
    let t = line.trim();
    is_http_url(t) && !t.chars().any(char::is_whitespace)
}

fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c.is_whitespace())
}

/// Split the text format into pages.
pub(crate) fn split_pages(s: &str) -> Vec<RawPage> {
    let mut pages: Vec<RawPage> = Vec::new();
    let mut cur = RawPage::default();
    let mut in_links = false;
    let mut has_text = false;
    for raw in s.lines() {
        let line = raw.trim_end_matches(['\r', '\n']);
        if is_link_line(line) {
            let url = line.trim().to_string();
            match cur.links.last_mut() {
                Some(l) if in_links && l.url == url => l.lines += 1,
                _ => cur.links.push(PageLink { url, lines: 1 }),
            }
            in_links = true;
            continue;
        }
        if is_blank(line) {
            cur.lines.push(String::new());
            continue;
        }
        let starts_page =
            in_links || (has_text && line.starts_with(' ') && !line[1..].starts_with(char::is_whitespace));
        if starts_page {
            pages.push(std::mem::take(&mut cur));
        }
        in_links = false;
        has_text = true;
        cur.lines.push(line.to_string());
    }
    if has_text || !cur.links.is_empty() {
        pages.push(cur);
    }
    pages
}

/// Running headers/footers: lines starting with "Factsheet:" or short lines
/// repeated on three or more pages; page numbers.
fn find_title_and_headers(pages: &[RawPage]) -> (Option<String>, HashSet<String>) {
    let mut headers = HashSet::new();
    let mut title = None;
    let mut seen: HashMap<String, BTreeSet<usize>> = HashMap::new();
    for (p, page) in pages.iter().enumerate() {
        for l in &page.lines {
            let t = normalize_ws(l);
            if t.is_empty() || t.len() > 150 {
                continue;
            }
            seen.entry(t.clone()).or_default().insert(p);
            if t.to_ascii_lowercase().starts_with("factsheet:") {
                headers.insert(t.clone());
                if title.is_none() {
                    title = Some(t["factsheet:".len()..].trim().to_string());
                }
            }
        }
    }
    let mut repeated: Vec<(usize, String)> = seen
        .into_iter()
        .filter(|(t, ps)| ps.len() >= 3 && ps.len() * 2 >= pages.len() && t.split_whitespace().count() >= 2)
        .map(|(t, ps)| (ps.len(), t))
        .collect();
    repeated.sort_by(|a, b| b.cmp(a));
    for (_, t) in &repeated {
        headers.insert(t.clone());
    }
    if title.is_none() {
        title = repeated.first().map(|(_, t)| t.clone());
    }
    (title, headers)
}

fn is_page_number(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty() && t.len() <= 4 && t.chars().all(|c| c.is_ascii_digit())
        || t.to_ascii_lowercase().starts_with("page ")
            && t[5..].trim().chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '/')
}

/// A footnote line: "N Text" where N is the next footnote number (or close).
fn footnote_start(line: &str, last: u32) -> Option<(u32, &str)> {
    let t = line.trim_start();
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let n: u32 = t[..digits].parse().ok()?;
    let rest = &t[digits..];
    if !rest.starts_with(' ') {
        return None;
    }
    let body = rest.trim_start();
    let first = body.chars().next()?;
    if !(first.is_uppercase() || matches!(first, '"' | '“' | '‘')) {
        return None;
    }
    if n <= last || n > last + 3 {
        return None;
    }
    Some((n, body))
}

#[derive(Debug, Clone)]
struct Block {
    lines: Vec<String>,
    /// (line index, page) where the block enters a new page.
    page_starts: Vec<(usize, usize)>,
    list: bool,
    /// the next line after the block is a list item (no blank line between)
    before_list: bool,
}

#[derive(Debug, Clone)]
struct Footnote {
    n: u32,
    page: usize,
    lines: Vec<String>,
}

/// A candidate for links: a sentence or a footnote.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    pub text: String,
    pub first_page: usize,
    pub last_page: usize,
    pub footnote: Option<u32>,
    pub markers: Vec<u32>,
    /// a list item (annex lists): usually one link each
    pub list: bool,
}

fn ends_dangling(s: &str) -> bool {
    let t = s.trim_end();
    if t.ends_with(',') || t.ends_with('-') || t.ends_with('—') || t.ends_with('&') {
        return true;
    }
    let last = t.rsplit(char::is_whitespace).next().unwrap_or("");
    let lw = words::fold_ascii(last).to_lowercase();
    is_stopword(&lw)
}

fn ends_terminal(s: &str) -> bool {
    let t = s.trim_end().trim_end_matches(|c: char| c.is_ascii_digit());
    t.ends_with(['.', '!', '?', '"', '”', ':', ';'])
}

fn starts_lower(s: &str) -> bool {
    s.trim_start().chars().next().is_some_and(|c| c.is_lowercase())
}

/// Join lines into text, repairing hyphenation across line breaks.
fn join_lines(lines: &[String], vocab: &HashSet<String>) -> String {
    let mut out = String::new();
    for l in lines {
        let l = l.trim();
        if l.is_empty() {
            continue;
        }
        if out.is_empty() {
            out.push_str(l);
            continue;
        }
        let prev_word_start = out.rfind(char::is_whitespace).map(|p| p + 1).unwrap_or(0);
        let prev_word = out[prev_word_start..].to_string();
        let next_word: String = l.chars().take_while(|c| c.is_alphabetic()).collect();
        if prev_word.ends_with('-')
            && prev_word.len() > 2
            && prev_word[..prev_word.len() - 1].chars().last().is_some_and(|c| c.is_alphabetic())
            && next_word.chars().next().is_some_and(|c| c.is_lowercase())
        {
            let stem = prev_word[..prev_word.len() - 1].trim_start_matches(|c: char| !c.is_alphabetic());
            let stem_last = stem.rsplit('-').next().unwrap_or(stem);
            let joined = words::fold_ascii(&format!("{stem_last}{next_word}")).to_lowercase();
            let a = words::fold_ascii(stem_last).to_lowercase();
            let b = words::fold_ascii(&next_word).to_lowercase();
            let keep_hyphen = !vocab.contains(&joined) && vocab.contains(&a) && vocab.contains(&b);
            if keep_hyphen {
                out.push_str(l);
            } else {
                out.pop();
                out.push_str(l);
            }
        } else if prev_word.ends_with('-')
            && prev_word.len() > 1
            && prev_word[..prev_word.len() - 1].chars().last().is_some_and(|c| c.is_alphanumeric())
        {
            // "EMP-" + "ABB": a compound broken after its hyphen
            out.push_str(l);
        } else {
            out.push(' ');
            out.push_str(l);
        }
    }
    normalize_ws(&out)
}

/// Remove footnote markers ("2022.2", "authorities,1") and return their
/// byte positions in the cleaned text.
fn strip_markers(text: &str, known: &HashSet<u32>) -> (String, Vec<(usize, u32)>) {
    let mut out = String::with_capacity(text.len());
    let mut marks = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() && i > 0 {
            let prev = chars[i - 1];
            let prev_ok = prev.is_lowercase() || matches!(prev, '.' | ',' | ';' | ':' | ')' | '”' | '"' | '’' | ']');
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            let after_ok = j >= chars.len() || chars[j].is_whitespace();
            // "$16.56": a decimal is not a marker unless it is a known number
            // followed by a capital (a new sentence) or the end.
            let decimal = prev == '.' && i >= 2 && chars[i - 2].is_ascii_digit();
            if prev_ok && after_ok && j - i <= 3 {
                let n: u32 = chars[i..j].iter().collect::<String>().parse().unwrap_or(0);
                let mut next_k = j;
                while next_k < chars.len() && chars[next_k].is_whitespace() {
                    next_k += 1;
                }
                let next_cap =
                    next_k >= chars.len() || chars[next_k].is_uppercase() || !chars[next_k].is_alphanumeric();
                if known.contains(&n) && (!decimal || next_cap) {
                    marks.push((out.len(), n));
                    i = j;
                    continue;
                }
            }
        }
        out.push(c);
        i += 1;
    }
    (out, marks)
}

/// Build sentences and footnotes from pages.
pub(crate) fn build_units(pages: &[RawPage], headers: &HashSet<String>) -> Vec<Unit> {
    // vocabulary for hyphen repair
    let mut vocab: HashSet<String> = HashSet::new();
    for p in pages {
        for l in &p.lines {
            for t in words::tokens(l) {
                vocab.insert(t);
            }
        }
    }
    let mut blocks: Vec<Block> = Vec::new();
    let mut footnotes: Vec<Footnote> = Vec::new();
    let mut last_fn = 0u32;
    for (p, page) in pages.iter().enumerate() {
        let mut in_notes = false;
        let mut prev_blank = true;
        let mut cur: Option<Block> = None;
        let mut page_blocks: Vec<Block> = Vec::new();
        for raw in &page.lines {
            let t = normalize_ws(raw);
            if t.is_empty() || headers.contains(&t) || is_page_number(&t) {
                if t.is_empty() {
                    if let Some(b) = cur.take() {
                        page_blocks.push(b);
                    }
                    prev_blank = true;
                }
                continue;
            }
            if prev_blank || in_notes {
                if let Some((n, body)) = footnote_start(&t, last_fn) {
                    if let Some(b) = cur.take() {
                        page_blocks.push(b);
                    }
                    in_notes = true;
                    last_fn = n;
                    footnotes.push(Footnote { n, page: p, lines: vec![body.to_string()] });
                    prev_blank = false;
                    continue;
                }
            }
            prev_blank = false;
            if in_notes {
                if let Some(f) = footnotes.last_mut() {
                    f.lines.push(t);
                }
                continue;
            }
            let list = is_list_item(&t);
            if list {
                if let Some(mut b) = cur.take() {
                    b.before_list = true;
                    page_blocks.push(b);
                }
            }
            match cur.as_mut() {
                Some(b) => b.lines.push(t),
                None => {
                    cur = Some(Block { lines: vec![t], page_starts: vec![(0, p)], list, before_list: false });
                }
            }
        }
        if let Some(b) = cur.take() {
            page_blocks.push(b);
        }
        // merge continuation blocks (within the page and across pages)
        for (bi, b) in page_blocks.into_iter().enumerate() {
            let first = b.lines[0].clone();
            let single_word = b.lines.len() == 1 && first.split_whitespace().count() <= 1;
            let merge_into_prev = match blocks.last() {
                Some(prev) if !b.list => {
                    let prev_last = prev.lines.last().cloned().unwrap_or_default();
                    starts_lower(&first)
                        || (!ends_terminal(&prev_last)
                            && (ends_dangling(&prev_last) || (prev.list && bi > 0 && (single_word || b.before_list))))
                }
                _ => false,
            };
            if merge_into_prev {
                let prev = blocks.last_mut().expect("checked");
                let at = prev.lines.len();
                if prev.page_starts.last().map(|x| x.1) != Some(p) {
                    prev.page_starts.push((at, p));
                }
                prev.lines.extend(b.lines);
                prev.before_list = b.before_list;
            } else {
                blocks.push(b);
            }
        }
    }
    // A non-list block directly followed by a list item continues a list
    // item (multi-column annex lists): handled by "dangling" above mostly.

    let known: HashSet<u32> = footnotes.iter().map(|f| f.n).collect();
    let mut units: Vec<Unit> = Vec::new();
    for b in &blocks {
        // text with page offsets
        let mut text = String::new();
        let mut page_at: Vec<(usize, usize)> = Vec::new(); // (byte offset, page)
        let mut seg_start = 0;
        for (k, (line_idx, page)) in b.page_starts.iter().enumerate() {
            let end = b.page_starts.get(k + 1).map(|x| x.0).unwrap_or(b.lines.len());
            let seg = join_lines(&b.lines[*line_idx..end], &vocab);
            let _ = seg_start;
            if !text.is_empty() {
                // join across pages, repairing a hyphen
                if text.ends_with('-') && seg.chars().next().is_some_and(|c| c.is_lowercase()) {
                    text.pop();
                } else {
                    text.push(' ');
                }
            }
            page_at.push((text.len(), *page));
            text.push_str(&seg);
            seg_start = text.len();
        }
        let is_heading =
            !b.list && b.lines.len() == 1 && !ends_terminal(&text) && text.split_whitespace().count() <= 12;
        if is_heading {
            continue;
        }
        let text = if b.list { strip_list_marker(&text).to_string() } else { text };
        let (clean, marks) = strip_markers(&text, &known);
        // page offsets shift by removed markers; approximate by mapping
        let shift = |off: usize| -> usize {
            // original offset -> clean offset
            let removed: usize = marks.iter().filter(|(pos, _)| *pos < off).count();
            off.saturating_sub(removed)
        };
        let page_of = |off: usize| -> usize {
            let mut pg = page_at[0].1;
            for (o, p) in &page_at {
                if shift(*o) <= off {
                    pg = *p;
                }
            }
            pg
        };
        for (s, e) in words::split_sentences(&clean) {
            let t = normalize_ws(&clean[s..e]);
            if t.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
                continue;
            }
            let markers: Vec<u32> =
                marks.iter().filter(|(pos, _)| *pos > s && *pos <= e + 1).map(|(_, n)| *n).collect();
            units.push(Unit {
                text: t,
                first_page: page_of(s),
                last_page: page_of(e.saturating_sub(1)),
                footnote: None,
                markers,
                list: b.list,
            });
        }
    }
    for f in &footnotes {
        units.push(Unit {
            text: join_lines(&f.lines, &vocab),
            first_page: f.page,
            last_page: f.page,
            footnote: Some(f.n),
            markers: Vec::new(),
            list: false,
        });
    }
    units
}

/// Parse the text format.
pub(crate) fn parse(s: &str) -> Parsed {
    let pages = split_pages(s);
    place(pages, None)
}

/// A browser's print stamp: a date and a time ("12/2/26, 3:14 PM",
/// "02.12.2026, 15:14").
fn print_stamp() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"(?i)(?:^|\s)\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?\s+\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\.?)?(?:\s|$)",
        )
        .expect("valid regex")
    })
}

/// A page counter at the end of a line: "1/5", "1 of 5", "Page 1 of 5".
fn page_counter() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"(?i)(?:^|\s)(?:page\s+)?(\d{1,4})\s*(?:/|of)\s*(\d{1,4})$").expect("valid regex")
    })
}

/// What a browser prints in a page's margins: the date and time, the page
/// title, the URL and "1/5". A margin line is one of the first or last two
/// lines of a page that carries a print stamp, or a page counter that counts
/// this page of this document; what is left without them and URLs is at
/// most a title. Returns the title left beside a stamp, if any.
fn print_margin(t: &str, page: usize, pages: usize) -> Option<String> {
    let mut rest = t.to_string();
    let mut found = false;
    let mut stamped = false;
    if let Some(m) = print_stamp().find(&rest) {
        rest.replace_range(m.range(), " ");
        found = true;
        stamped = true;
    }
    if let Some(c) = page_counter().captures(&rest) {
        let n: usize = c[1].parse().unwrap_or(0);
        let m: usize = c[2].parse().unwrap_or(0);
        if n == page + 1 && m == pages {
            let r = c.get(0).map(|g| g.range()).unwrap_or_default();
            rest.replace_range(r, " ");
            found = true;
        }
    }
    if !found {
        return None;
    }
    let is_url = |w: &&str| is_http_url(w) || w.starts_with("file://");
    let left: Vec<&str> = rest.split_whitespace().filter(|w| !is_url(w)).collect();
    // Beside a stamp, a title; beside a counter alone, only a URL or nothing.
    let fits = if stamped {
        left.len() <= 12
    } else {
        left.is_empty() || rest.split_whitespace().any(|w| is_url(&w)) && left.len() <= 12
    };
    fits.then(|| left.join(" "))
}

/// Removes a browser's print header and footer from every page, and the
/// URLs they print from the page's links. Returns the printed page title.
fn strip_print_margins(pages: &mut [RawPage]) -> Option<String> {
    let total = pages.len();
    let mut title: Option<String> = None;
    for (p, page) in pages.iter_mut().enumerate() {
        let filled: Vec<usize> = (0..page.lines.len()).filter(|&i| !is_blank(&page.lines[i])).collect();
        let mut margins: Vec<usize> = filled.iter().take(2).chain(filled.iter().rev().take(2)).copied().collect();
        margins.sort_unstable();
        margins.dedup();
        let mut printed_urls: Vec<String> = Vec::new();
        for i in margins {
            let t = normalize_ws(&page.lines[i]);
            let Some(left) = print_margin(&t, p, total) else { continue };
            if print_stamp().is_match(&t) && !left.is_empty() && title.is_none() {
                title = Some(left);
            }
            printed_urls.extend(t.split_whitespace().filter(|w| is_http_url(w)).map(str::to_string));
            page.lines[i].clear();
        }
        page.links.retain(|l| !printed_urls.contains(&l.url));
    }
    title
}

/// Align each page's links with its sentences and footnotes; shared with PDF.
pub(crate) fn place(mut pages: Vec<RawPage>, title_hint: Option<String>) -> Parsed {
    let printed_title = strip_print_margins(&mut pages);
    let title_hint = title_hint.or(printed_title);
    let (title, headers) = find_title_and_headers(&pages);
    let units = build_units(&pages, &headers);
    let mut per_unit: Vec<Vec<(String, f64, usize)>> = vec![Vec::new(); units.len()];
    let mut unplaced = Vec::new();
    let mut link_lines = 0;
    for (p, page) in pages.iter().enumerate() {
        link_lines += page.links.iter().map(|l| l.lines).sum::<usize>();
        if page.links.is_empty() {
            continue;
        }
        // candidates: body sentences touching this page, then its footnotes
        let mut cand: Vec<usize> = (0..units.len())
            .filter(|&i| units[i].footnote.is_none() && units[i].first_page <= p && p <= units[i].last_page)
            .collect();
        cand.extend((0..units.len()).filter(|&i| units[i].footnote.is_some() && units[i].first_page == p));
        if cand.is_empty() {
            for l in &page.links {
                unplaced.push(format!("p. {}: no sentence on the page for {}", p + 1, l.url));
            }
            continue;
        }
        let feats: Vec<UnitFeat> = cand
            .iter()
            .map(|&i| {
                let u = &units[i];
                // a sentence with footnote marks also carries its notes' words
                let notes: Vec<&str> = u
                    .markers
                    .iter()
                    .filter_map(|n| units.iter().find(|x| x.footnote == Some(*n)).map(|x| x.text.as_str()))
                    .collect();
                let mut f = UnitFeat::new(&u.text, &notes.join(" "));
                f.list = u.list;
                f
            })
            .collect();
        let links: Vec<LinkFeat> = page.links.iter().map(|l| LinkFeat::new(&l.url)).collect();
        let placement = align::align(&links, &feats);
        for (li, (ci, conf)) in placement.into_iter().enumerate() {
            per_unit[cand[ci]].push((page.links[li].url.clone(), conf, page.links[li].lines));
        }
    }
    let mut drafts = Vec::new();
    for (i, u) in units.iter().enumerate() {
        if per_unit[i].is_empty() {
            continue;
        }
        let conf = per_unit[i].iter().map(|x| x.1).fold(1.0f64, f64::min);
        let page = u.first_page + 1;
        drafts.push(Draft {
            text: u.text.clone(),
            where_: Some(format!("p. {page}")),
            prefix: format!("p{page:02}"),
            confidence: conf,
            sources: per_unit[i].iter().map(|x| x.0.clone()).collect(),
            link_lines: per_unit[i].iter().map(|x| x.2).sum(),
        });
    }
    Parsed { title: title.or(title_hint), pages: pages.len(), drafts, unplaced, link_lines }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browsers_print_header_and_footer_are_not_claims() {
        let text = "12/2/26, 3:14 PM Testland: the facts\n\
In 2021, OCHA reported a record high of 401,850 internally displaced persons in Testland.\n\
https://example.org/testland/facts 1/2\n\
https://reliefweb.int/report/testland/hrp-2022\n\
https://example.org/testland/facts\n\
 12/2/26, 3:14 PM Testland: the facts\n\
Human Rights Watch documented executions of civilians in Ségou in March 2022.\n\
https://example.org/testland/facts 2/2\n\
https://www.hrw.org/news/2022/03/15/testland-executions\n";
        let p = parse(text);
        let texts: Vec<&str> = p.drafts.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "In 2021, OCHA reported a record high of 401,850 internally displaced persons in Testland.",
                "Human Rights Watch documented executions of civilians in Ségou in March 2022."
            ]
        );
        // The printed URL (a link of the page too) is not a citation.
        assert!(
            p.drafts.iter().all(|d| d.sources.iter().all(|u| !u.contains("example.org/testland"))),
            "{:?}",
            p.drafts
        );
        assert_eq!(p.title.as_deref(), Some("Testland: the facts"));
    }

    #[test]
    fn counters_and_dates_in_prose_stay() {
        // Not a counter of this document, not in a margin, or a date without a time.
        assert_eq!(print_margin("Half of them, 1/2, fled", 0, 2), None);
        assert_eq!(print_margin("On 12/2/2021 the army left", 0, 1), None);
        assert_eq!(print_margin("Deaths rose 3/4", 0, 2), None);
        assert_eq!(print_margin("Deaths rose 1/2", 0, 2), None, "a counter beside words and no URL is prose");
        assert_eq!(print_margin("https://x.org/a 1/2", 0, 2).as_deref(), Some(""));
        assert_eq!(print_margin("Page 2 of 5", 1, 5).as_deref(), Some(""));
        assert_eq!(print_margin("02.12.2026, 15:14 Rapport", 0, 3).as_deref(), Some("Rapport"));
        let long = format!("12/2/26, 3:14 PM {}", "word ".repeat(20));
        assert_eq!(print_margin(&long, 0, 1), None, "a long line with a stamp is prose");
    }

    #[test]
    fn pages_and_link_runs() {
        let s = " First page text.\n\nhttps://a.org/x\nhttps://a.org/x\nhttps://b.org/y\n Second page.\n\n Third page after no links? no\n";
        let pages = split_pages(s);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].links.len(), 2);
        assert_eq!(pages[0].links[0].lines, 2);
    }

    #[test]
    fn hyphen_repair_uses_vocabulary() {
        let vocab: HashSet<String> =
            ["department", "then", "president", "civilian", "led"].iter().map(|s| s.to_string()).collect();
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_lines(&l(&["the State Depart-", "ment said"]), &vocab), "the State Department said");
        assert_eq!(join_lines(&l(&["then-", "president Toure"]), &vocab), "then-president Toure");
        assert_eq!(join_lines(&l(&["instruc-", "tions"]), &vocab), "instructions");
    }

    #[test]
    fn markers_are_stripped() {
        let known: HashSet<u32> = [1, 2, 3].into_iter().collect();
        let (t, m) = strip_markers("reported in F.Y. 2022.2 Over $16.56 million, authorities,1 but 2020.", &known);
        assert_eq!(t, "reported in F.Y. 2022. Over $16.56 million, authorities, but 2020.");
        assert_eq!(m.len(), 2);
    }
}
#[cfg(test)]
mod debug {
    #[test]
    #[ignore]
    fn dump_units() {
        let s = std::fs::read_to_string("/work/shared/seeds/000_7cb871625f077ed3.txt").unwrap();
        let pages = super::split_pages(&s);
        let (_, h) = super::find_title_and_headers(&pages);
        for u in super::build_units(&pages, &h) {
            println!("UNIT\t{}\t{}", u.first_page + 1, u.text);
        }
    }
}
