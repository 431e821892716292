//! HTML factsheets: links inside paragraphs, list items and table cells;
//! footnote lists with back references resolved to the footnotes' URLs.

use std::collections::{HashMap, HashSet};

use scraper::{ElementRef, Html, Node, Selector};

use super::markdown::{blocks_to_drafts, resolve, Block};
use super::words::normalize_ws;
use super::Parsed;

const BLOCKS: &[&str] = &["p", "li", "td", "th", "dd", "dt", "figcaption", "caption"];

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

fn text_of(el: ElementRef) -> String {
    normalize_ws(&el.text().collect::<String>())
}

struct Ctx<'a> {
    base: Option<url::Url>,
    notes: &'a HashMap<String, Vec<String>>,
    note_ids: &'a HashSet<String>,
    blocks: Vec<Block>,
    heading: Option<String>,
    title: Option<String>,
    unplaced: Vec<String>,
    skipped: usize,
}

fn push_text(b: &mut Block, t: &str) {
    for (i, part) in t.split(char::is_whitespace).enumerate() {
        if i > 0 && !b.text.ends_with(' ') {
            b.text.push(' ');
        }
        b.text.push_str(part);
    }
}

fn gather(el: ElementRef, b: &mut Block, ctx: &mut Ctx) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => push_text(b, t),
            Node::Element(e) => {
                let Some(ce) = ElementRef::wrap(child) else {
                    continue;
                };
                match e.name() {
                    "script" | "style" | "noscript" | "template" => {}
                    "br" => push_text(b, " "),
                    "a" => {
                        let href = e.attr("href").unwrap_or("");
                        if let Some(id) = href.strip_prefix('#') {
                            if ctx.note_ids.contains(id) {
                                b.notes.push((b.text.len(), id.to_string()));
                                continue; // the marker is markup
                            }
                            gather(ce, b, ctx);
                            continue;
                        }
                        match resolve(href, ctx.base.as_ref()) {
                            Ok(u) => b.links.push((b.text.len(), u)),
                            Err(m) if !m.is_empty() => ctx.unplaced.push(m),
                            Err(_) => ctx.skipped += 1,
                        }
                        gather(ce, b, ctx);
                    }
                    _ => gather(ce, b, ctx),
                }
            }
            _ => {}
        }
    }
}

fn has_block_descendant(el: ElementRef) -> bool {
    el.descendants().skip(1).any(|n| match n.value() {
        Node::Element(e) => BLOCKS.contains(&e.name()),
        _ => false,
    })
}

fn has_block_descendant_except_cells(el: ElementRef) -> bool {
    el.descendants().any(|n| match n.value() {
        Node::Element(e) => BLOCKS.contains(&e.name()) && !matches!(e.name(), "td" | "th"),
        _ => false,
    })
}

fn linked_cells_are_labels(tr: ElementRef) -> bool {
    let a = sel("a[href]");
    tr.children()
        .filter_map(ElementRef::wrap)
        .filter(|cell| cell.select(&a).next().is_some())
        .all(|cell| text_of(cell).split_whitespace().count() < 6)
}

fn walk(el: ElementRef, ctx: &mut Ctx) {
    for child in el.children() {
        let Some(ce) = ElementRef::wrap(child) else {
            continue;
        };
        let name = ce.value().name();
        match name {
            "script" | "style" | "noscript" | "template" | "head" => {}
            "h1" | "h2" | "h3" => {
                let h = text_of(ce);
                if name == "h1" && ctx.title.is_none() && !h.is_empty() {
                    ctx.title = Some(h.clone());
                }
                ctx.heading = Some(h);
            }
            // A row whose linked cell is only a label ("source") is one claim:
            // its cells together say what the link supports.
            "tr" if !has_block_descendant_except_cells(ce) && linked_cells_are_labels(ce) => {
                let mut b = Block { heading: ctx.heading.clone(), ..Block::default() };
                for cell in ce.children().filter_map(ElementRef::wrap) {
                    gather(cell, &mut b, ctx);
                    push_text(&mut b, " ");
                }
                if !b.links.is_empty() || !b.notes.is_empty() {
                    ctx.blocks.push(b);
                }
            }
            n if BLOCKS.contains(&n) => {
                if n == "li" && ce.value().attr("id").is_some_and(|id| ctx.note_ids.contains(id)) {
                    continue; // a footnote: its URLs go to the references
                }
                if has_block_descendant(ce) {
                    walk(ce, ctx);
                } else {
                    let mut b = Block { heading: ctx.heading.clone(), ..Block::default() };
                    gather(ce, &mut b, ctx);
                    if !b.links.is_empty() || !b.notes.is_empty() {
                        ctx.blocks.push(b);
                    }
                }
            }
            _ => walk(ce, ctx),
        }
    }
}

pub(crate) fn parse(src: &str, base_url: Option<&str>) -> Parsed {
    let src = &*crate::extract::depth::cap(src).html;
    let doc = Html::parse_document(src);
    let opt_base = base_url.and_then(|b| url::Url::parse(b).ok());
    let base_href = doc.select(&sel("base[href]")).next().and_then(|e| e.value().attr("href").map(str::to_string));
    let base = match (base_href, opt_base) {
        (Some(h), Some(b)) => b.join(&h).ok().or(Some(b)),
        (Some(h), None) => url::Url::parse(&h).ok(),
        (None, b) => b,
    };
    // footnotes: elements with an id that some in-page link points at
    let targets: HashSet<String> = doc
        .select(&sel("a[href]"))
        .filter_map(|a| a.value().attr("href").and_then(|h| h.strip_prefix('#')).map(str::to_string))
        .collect();
    let mut notes: HashMap<String, Vec<String>> = HashMap::new();
    for li in doc.select(&sel("li[id], p[id], div[id]")) {
        let id = li.value().attr("id").unwrap_or("").to_string();
        if !targets.contains(&id) || li.value().name() == "div" && li.select(&sel("li[id], p[id]")).next().is_some() {
            continue;
        }
        let mut urls = Vec::new();
        for a in li.select(&sel("a[href]")) {
            if let Ok(u) = resolve(a.value().attr("href").unwrap_or(""), base.as_ref()) {
                if !urls.contains(&u) {
                    urls.push(u);
                }
            }
        }
        if !urls.is_empty() || li.value().name() == "li" {
            notes.insert(id, urls);
        }
    }
    let note_ids: HashSet<String> = notes.keys().cloned().collect();
    let title_tag = doc.select(&sel("title")).next().map(text_of).filter(|t| !t.is_empty());
    let mut ctx = Ctx {
        base,
        notes: &notes,
        note_ids: &note_ids,
        blocks: Vec::new(),
        heading: None,
        title: None,
        unplaced: Vec::new(),
        skipped: 0,
    };
    walk(doc.root_element(), &mut ctx);
    let mut unplaced = std::mem::take(&mut ctx.unplaced);
    let drafts = blocks_to_drafts(&ctx.blocks, ctx.notes, &mut unplaced);
    if ctx.skipped > 0 {
        unplaced.push(format!(
            "{} link(s) that are not http(s) URLs (mailto:, #anchors, javascript:) skipped",
            ctx.skipped
        ));
    }
    let link_lines = drafts.iter().map(|d| d.link_lines).sum();
    Parsed { title: ctx.title.or(title_tag), pages: 1, drafts, unplaced, link_lines }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_footnotes_and_base() {
        let html = r##"<html><head><title>T</title><base href="https://ex.org/dir/"></head><body>
<h1>Main</h1><h2>Part A</h2>
<p>One claim <a href="rel/page">here</a>. Two claim.<sup><a href="#fn1">1</a></sup> Mail <a href="mailto:a@b.c">me</a>.</p>
<table><tr><td>Cell <a href="https://c.org/">c</a></td></tr></table>
<ol><li id="fn1">Note <a href="https://n.org/x">n</a> <a href="#ref1">↩</a></li></ol>
</body></html>"##;
        let p = parse(html, None);
        let got: Vec<_> = p.drafts.iter().map(|d| (d.text.as_str(), d.sources.clone(), d.where_.clone())).collect();
        assert_eq!(got[0].0, "One claim here.");
        assert_eq!(got[0].1, vec!["https://ex.org/dir/rel/page".to_string()]);
        assert_eq!(got[0].2.as_deref(), Some("Part A"));
        assert_eq!(got[1].0, "Two claim.");
        assert_eq!(got[1].1, vec!["https://n.org/x".to_string()]);
        assert_eq!(got[2].0, "Cell c");
        assert_eq!(p.drafts.len(), 3);
        assert_eq!(p.title.as_deref(), Some("Main"));
    }
}
