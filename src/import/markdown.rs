//! Markdown factsheets: inline, reference and autolinks, bare URLs in
//! prose, and footnotes (`[^1]` with `[^1]: text https://...`).

use std::collections::HashMap;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use super::words::{self, is_http_url, normalize_ws, trim_prose_url};
use super::{section_prefix, Draft, Parsed};

/// A paragraph-like block: text with link positions.
#[derive(Debug, Default, Clone)]
pub(crate) struct Block {
    pub text: String,
    /// (byte offset in text, url)
    pub links: Vec<(usize, String)>,
    /// (byte offset in text, footnote label)
    pub notes: Vec<(usize, String)>,
    pub heading: Option<String>,
}

/// Resolve a link target: absolute http(s) kept exactly; relative ones
/// joined with the base; anything else (mailto:, #anchor, javascript:) skipped.
pub(crate) fn resolve(href: &str, base: Option<&url::Url>) -> Result<String, String> {
    let h = href.trim();
    if is_http_url(h) {
        return Ok(h.to_string());
    }
    let lower = h.to_ascii_lowercase();
    if h.is_empty()
        || h.starts_with('#')
        || lower.starts_with("mailto:")
        || lower.starts_with("javascript:")
        || lower.starts_with("tel:")
        || lower.starts_with("data:")
    {
        return Err(String::new());
    }
    if lower.contains(':') && !lower.starts_with("//") && lower.find(':') < lower.find('/') {
        return Err(String::new()); // some other scheme
    }
    match base {
        Some(b) => match b.join(h) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(u.to_string()),
            _ => Err(String::new()),
        },
        None => Err(format!("relative link {h:?} skipped: pass a base URL to resolve it")),
    }
}

/// Clean sentence text after markup removal.
pub(crate) fn tidy(s: &str) -> String {
    let mut t = normalize_ws(s);
    // Until nothing changes: removing "()" can leave " ." behind.
    loop {
        let before = t.clone();
        for (a, b) in [
            ("( ", "("),
            (" )", ")"),
            ("()", ""),
            ("[]", ""),
            ("  ", " "),
            (" .", "."),
            (" ,", ","),
            (" ;", ";"),
            (" :", ":"),
        ] {
            while t.contains(a) {
                t = t.replace(a, b);
            }
        }
        if t == before {
            break;
        }
    }
    normalize_ws(&t)
}

/// Words that introduce a link ("…, see https://…", "(via https://…)"):
/// left dangling once the URL is taken out of the sentence.
const INTRODUCERS: [&str; 12] = [
    "see also",
    "see",
    "cf.",
    "cf",
    "via",
    "sources:",
    "source:",
    "sources",
    "source",
    "available at",
    "here",
    "read more",
];

/// When the link at byte `at` of `sentence` ends it (only punctuation after
/// it) and the words before it only introduce it, drops those words, the
/// comma or bracket before them and the bracket that closed them.
fn drop_dangling(sentence: &str, at: usize) -> String {
    let (head, tail) = sentence.split_at(at.min(sentence.len()));
    if !tail.chars().all(|c| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | ')' | ']' | '!' | '?')) {
        return sentence.to_string();
    }
    let h = head.trim_end();
    let lower = h.to_lowercase();
    for intro in INTRODUCERS {
        let Some(before) = lower.strip_suffix(intro) else { continue };
        if !before.is_empty() && !before.ends_with(|c: char| c.is_whitespace() || "(,;:—–-[".contains(c)) {
            continue;
        }
        let mut before = h[..before.len()].trim_end();
        let opened = before.ends_with('(') || before.ends_with('[');
        before = before.trim_end_matches(['(', '[', ',', ';', ':', '—', '–', '-', ' ']);
        if before.split_whitespace().count() < 2 {
            return sentence.to_string();
        }
        let mut tail = tail.trim().to_string();
        if opened {
            if let Some(p) = tail.find([')', ']']) {
                tail.remove(p);
            }
        }
        return format!("{before}{tail}");
    }
    sentence.to_string()
}

/// Turn blocks into drafts: each sentence carrying a link or a footnote
/// reference becomes a claim.
pub(crate) fn blocks_to_drafts(
    blocks: &[Block],
    notes: &HashMap<String, Vec<String>>,
    unplaced: &mut Vec<String>,
) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for b in blocks {
        if b.links.is_empty() && b.notes.is_empty() {
            continue;
        }
        let sents = words::split_sentences(&b.text);
        if sents.is_empty() {
            continue;
        }
        let find = |o: usize| -> usize {
            for (i, (_, e)) in sents.iter().enumerate() {
                if o < *e {
                    return i;
                }
            }
            sents.len() - 1
        };
        let mut per: Vec<Vec<String>> = vec![Vec::new(); sents.len()];
        let mut count = vec![0usize; sents.len()];
        // Where the last link or footnote mark of each sentence sits.
        let mut last: Vec<Option<usize>> = vec![None; sents.len()];
        let mut items: Vec<(usize, bool, String)> = b.links.iter().map(|(o, u)| (*o, false, u.clone())).collect();
        items.extend(b.notes.iter().map(|(o, l)| (*o, true, l.clone())));
        items.sort_by_key(|x| x.0);
        for (o, is_note, v) in items {
            if is_note {
                let i = find(o.saturating_sub(1));
                last[i] = last[i].max(Some(o));
                match notes.get(&v) {
                    Some(urls) if !urls.is_empty() => {
                        per[i].extend(urls.iter().cloned());
                        count[i] += urls.len();
                    }
                    Some(_) => {}
                    None => unplaced.push(format!("footnote [^{v}] is referenced but not defined")),
                }
            } else {
                let i = find(o);
                last[i] = last[i].max(Some(o));
                per[i].push(v);
                count[i] += 1;
            }
        }
        for (i, (s, e)) in sents.iter().enumerate() {
            if per[i].is_empty() {
                continue;
            }
            let raw = &b.text[*s..*e];
            let text = match last[i].filter(|o| o >= s) {
                Some(o) => drop_dangling(raw, (o - s).min(raw.len())),
                None => raw.to_string(),
            };
            let text = tidy(&text);
            let text = words::strip_list_marker(&text).to_string();
            drafts.push(Draft {
                text: if text.is_empty() { per[i][0].clone() } else { text },
                where_: b.heading.clone(),
                prefix: section_prefix(b.heading.as_deref()),
                confidence: 1.0,
                sources: per[i].clone(),
                link_lines: count[i],
            });
        }
    }
    drafts
}

/// One table row as one block: "Header: cell; Header: cell", with the
/// cells' links and footnote marks where their cells now sit.
fn table_row(head: &[String], cells: Vec<Block>, heading: &Option<String>) -> Block {
    let mut row = Block { heading: heading.clone(), ..Block::default() };
    for (i, c) in cells.into_iter().enumerate() {
        let text = tidy(&c.text);
        if text.is_empty() && c.links.is_empty() && c.notes.is_empty() {
            continue;
        }
        if !row.text.is_empty() {
            row.text.push_str("; ");
        }
        if let Some(h) = head.get(i).filter(|h| !h.is_empty() && !text.is_empty()) {
            row.text.push_str(h);
            row.text.push_str(": ");
        }
        let at = row.text.len();
        // Offsets in the cell's own text: keep them relative to where it starts.
        let lead = c.text.len() - c.text.trim_start().len();
        row.text.push_str(c.text.trim());
        let end = row.text.len();
        let map = |o: usize| (at + o.saturating_sub(lead)).min(end);
        row.links.extend(c.links.into_iter().map(|(o, u)| (map(o), u)));
        row.notes.extend(c.notes.into_iter().map(|(o, l)| (map(o), l)));
    }
    if !row.text.is_empty() && !row.text.ends_with(['.', '!', '?']) {
        row.text.push('.');
    }
    row
}

/// Append text, pulling bare URLs out of it.
fn push_prose(b: &mut Block, t: &str) {
    let mut rest = t;
    loop {
        let lower = rest.to_ascii_lowercase();
        let pos = match (lower.find("https://"), lower.find("http://")) {
            (Some(a), Some(c)) => Some(a.min(c)),
            (a, c) => a.or(c),
        };
        let Some(p) = pos else {
            b.text.push_str(rest);
            return;
        };
        b.text.push_str(&rest[..p]);
        let tail = &rest[p..];
        let end = tail.find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"').unwrap_or(tail.len());
        let url = trim_prose_url(&tail[..end]);
        if url.len() > 8 {
            b.links.push((b.text.len(), url.to_string()));
        } else {
            b.text.push_str(url);
        }
        rest = &tail[url.len()..];
    }
}

pub(crate) fn parse(src: &str, base_url: Option<&str>) -> Parsed {
    let base = base_url.and_then(|b| url::Url::parse(b).ok());
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(src, opts);

    let mut blocks: Vec<Block> = Vec::new();
    let mut notes: HashMap<String, Vec<String>> = HashMap::new();
    let mut note_text: HashMap<String, String> = HashMap::new();
    let mut note_order: Vec<String> = Vec::new();
    let mut unplaced: Vec<String> = Vec::new();
    let mut title: Option<String> = None;
    let mut heading: Option<String> = None;
    let mut heading_buf: Option<(HeadingLevel, String)> = None;
    let mut in_note: Option<String> = None;
    let mut cur = Block::default();
    let mut skip_text = 0usize; // inside autolinks and images
    let mut skipped = 0usize;
    let mut link_stack: Vec<bool> = Vec::new();
    // Inside a table: the header's cells, and the cells of the current row.
    let mut table: Option<(Vec<String>, Vec<Block>)> = None;

    let flush = |cur: &mut Block,
                 blocks: &mut Vec<Block>,
                 in_note: &Option<String>,
                 notes: &mut HashMap<String, Vec<String>>,
                 note_text: &mut HashMap<String, String>,
                 heading: &Option<String>| {
        let mut b = std::mem::take(cur);
        if b.text.trim().is_empty() && b.links.is_empty() && b.notes.is_empty() {
            return;
        }
        match in_note {
            Some(label) => {
                let e = notes.entry(label.clone()).or_default();
                for (_, u) in b.links {
                    if !e.contains(&u) {
                        e.push(u);
                    }
                }
                let t = note_text.entry(label.clone()).or_default();
                if !t.is_empty() {
                    t.push(' ');
                }
                t.push_str(&tidy(&b.text));
            }
            None => {
                b.heading = heading.clone();
                blocks.push(b);
            }
        }
    };

    for ev in parser {
        // A table row is one claim: its cells, each labelled by its column's header.
        if let Some((head, cells)) = table.as_mut() {
            match &ev {
                Event::Start(Tag::TableCell) => {
                    flush(&mut cur, &mut blocks, &in_note, &mut notes, &mut note_text, &heading);
                    continue;
                }
                Event::End(TagEnd::TableCell) => {
                    cells.push(std::mem::take(&mut cur));
                    continue;
                }
                Event::End(TagEnd::TableHead) => {
                    *head = cells.drain(..).map(|c| tidy(&c.text)).collect();
                    continue;
                }
                Event::End(TagEnd::TableRow) => {
                    let row = table_row(head, std::mem::take(cells), &heading);
                    if !row.links.is_empty() || !row.notes.is_empty() {
                        blocks.push(row);
                    }
                    continue;
                }
                Event::End(TagEnd::Table) => {
                    table = None;
                    continue;
                }
                _ => {}
            }
        }
        match ev {
            Event::Start(Tag::Table(_)) => {
                flush(&mut cur, &mut blocks, &in_note, &mut notes, &mut note_text, &heading);
                table = Some((Vec::new(), Vec::new()));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut cur, &mut blocks, &in_note, &mut notes, &mut note_text, &heading);
                heading_buf = Some((level, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, h)) = heading_buf.take() {
                    let h = normalize_ws(&h);
                    if level == HeadingLevel::H1 && title.is_none() {
                        title = Some(h.clone());
                    }
                    heading = Some(h);
                }
            }
            Event::Start(Tag::Paragraph | Tag::Item | Tag::TableCell | Tag::BlockQuote(_)) => {
                flush(&mut cur, &mut blocks, &in_note, &mut notes, &mut note_text, &heading);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_)) => {
                flush(&mut cur, &mut blocks, &in_note, &mut notes, &mut note_text, &heading);
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                flush(&mut cur, &mut blocks, &in_note, &mut notes, &mut note_text, &heading);
                let l = label.to_string();
                if !note_order.contains(&l) {
                    note_order.push(l.clone());
                }
                notes.entry(l.clone()).or_default();
                in_note = Some(l);
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                flush(&mut cur, &mut blocks, &in_note, &mut notes, &mut note_text, &heading);
                in_note = None;
            }
            Event::Start(Tag::Link { link_type, dest_url, .. }) => {
                match resolve(&dest_url, base.as_ref()) {
                    Ok(u) => cur.links.push((cur.text.len(), u)),
                    Err(msg) => {
                        if !msg.is_empty() {
                            unplaced.push(msg);
                        } else {
                            skipped += 1;
                        }
                    }
                }
                let auto = matches!(link_type, LinkType::Autolink | LinkType::Email);
                link_stack.push(auto);
                if auto {
                    skip_text += 1;
                }
            }
            Event::End(TagEnd::Link) if link_stack.pop() == Some(true) => {
                skip_text = skip_text.saturating_sub(1);
            }
            Event::Start(Tag::Image { .. }) => skip_text += 1,
            Event::End(TagEnd::Image) => skip_text = skip_text.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = heading_buf.as_mut() {
                    h.push_str(&t);
                } else if skip_text > 0 {
                    // autolink text is the URL itself, image alt text is not
                    // prose: markup either way
                } else {
                    push_prose(&mut cur, &t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, h)) = heading_buf.as_mut() {
                    h.push(' ');
                } else {
                    cur.text.push(' ');
                }
            }
            Event::FootnoteReference(label) => {
                cur.notes.push((cur.text.len(), label.to_string()));
            }
            _ => {}
        }
    }
    flush(&mut cur, &mut blocks, &in_note, &mut notes, &mut note_text, &heading);

    let mut drafts = blocks_to_drafts(&blocks, &notes, &mut unplaced);
    // footnotes nobody points at still carry claims
    let referenced: std::collections::HashSet<String> =
        blocks.iter().flat_map(|b| b.notes.iter().map(|n| n.1.clone())).collect();
    for l in &note_order {
        let urls = notes.get(l).cloned().unwrap_or_default();
        if !referenced.contains(l) && !urls.is_empty() {
            let text = note_text.get(l).cloned().unwrap_or_default();
            drafts.push(Draft {
                text: if text.is_empty() { urls[0].clone() } else { text },
                where_: Some(format!("footnote {l}")),
                prefix: format!("fn-{}", words::slugify(l, 2)),
                confidence: 1.0,
                link_lines: urls.len(),
                sources: urls,
            });
        }
    }
    if skipped > 0 {
        unplaced.push(format!("{skipped} link(s) that are not http(s) URLs (mailto:, #anchors, ...) skipped"));
    }
    let link_lines = drafts.iter().map(|d| d.link_lines).sum();
    Parsed { title, pages: 1, drafts, unplaced, link_lines }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_footnotes() {
        let md = "# T\n\n## Sec One\n\nFirst [a](https://a.org/x). Then <https://b.org/y> here. Bare https://c.org/z. Note here.[^1]\n\n[^1]: See https://d.org/w for it.\n";
        let p = parse(md, None);
        let texts: Vec<_> = p.drafts.iter().map(|d| (d.text.as_str(), d.sources.clone())).collect();
        assert_eq!(texts[0], ("First a.", vec!["https://a.org/x".to_string()]));
        assert_eq!(texts[1], ("Then here.", vec!["https://b.org/y".to_string()]));
        assert_eq!(texts[2], ("Bare.", vec!["https://c.org/z".to_string()]));
        assert_eq!(texts[3], ("Note here.", vec!["https://d.org/w".to_string()]));
        assert_eq!(p.drafts[0].where_.as_deref(), Some("Sec One"));
        assert_eq!(p.title.as_deref(), Some("T"));
    }

    #[test]
    fn a_table_row_is_one_claim_with_its_headers() {
        let md = "# T\n\n## Donors\n\n| Donor | Amount | Year |\n|---|---|---|\n| [USAID](https://www.usaid.gov/t) | $16.56 million | 2021 |\n| EU | €20 million | [2022](https://eu.example/r) |\n| Japan | unknown | 2020 |\n";
        let p = parse(md, None);
        let texts: Vec<_> = p.drafts.iter().map(|d| (d.text.as_str(), d.sources.clone())).collect();
        assert_eq!(
            texts,
            [
                ("Donor: USAID; Amount: $16.56 million; Year: 2021.", vec!["https://www.usaid.gov/t".to_string()]),
                ("Donor: EU; Amount: €20 million; Year: 2022.", vec!["https://eu.example/r".to_string()]),
            ]
        );
        assert_eq!(p.drafts[0].where_.as_deref(), Some("Donors"));
    }

    #[test]
    fn words_that_only_introduced_a_link_go_with_it() {
        let md = "Figures for 2021 come from OCHA, see https://reliefweb.int/r.\n\nSweden withdrew its troops (see https://x.org/a).\n\nThe army left Gao (cf. <https://x.org/b>).\n\nSee https://x.org/c.\n\nWe read the [report](https://x.org/d) and see.\n\nTroops left, via https://x.org/e\n";
        let p = parse(md, None);
        let texts: Vec<&str> = p.drafts.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Figures for 2021 come from OCHA.",
                "Sweden withdrew its troops.",
                "The army left Gao.",
                "See.",
                "We read the report and see.",
                "Troops left"
            ]
        );
    }
}
