//! A linear pre-pass that bounds the depth of an HTML tree before the parser
//! sees it. A page of 10,000 nested `<div>` would otherwise build a tree that
//! recursive walks cannot descend on a normal stack, and the parser's own
//! scope checks (each a walk of the open elements) make deep pages quadratic.
//!
//! The pass follows the open elements the way the HTML parser would, close
//! enough to never under-count them: void elements, raw-text elements
//! (`script`, `style`, `textarea`…), comments, elements closed by a sibling
//! (`p`, `li`, `td`, `option`…), end tags ignored because a scope boundary or
//! a special element stands in the way, formatting elements that the parser
//! re-opens in later paragraphs. A start tag that would open more than the cap
//! is dropped (with its matching end tag); its text stays, flattened into the
//! element at the cap. Links, paragraphs, list items and headings get a
//! little headroom, so that they survive the flattening. Pages within the cap pass through untouched (borrowed).

use std::borrow::Cow;
use std::collections::HashMap;

/// Most elements open at once after the pass.
pub const MAX_OPEN: usize = 256;

/// Headroom over the cap for elements that carry meaning and close their
/// own kind (links, paragraphs, list items, headings): kept at the cap, so
/// that a link deep in a flattened page is still a link.
pub const HEADROOM: usize = 16;

const KEEP: &[&str] = &["a", "p", "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6"];

/// Most unclosed formatting elements (`b`, `font`…) at once: the parser
/// re-opens every one of them in each later paragraph, so many of them make
/// the tree grow as their number times the paragraphs.
pub const MAX_FORMATTING: usize = 8;

/// The bounded page, and how many start tags were dropped.
pub struct Capped<'a> {
    /// The page, unchanged when within the cap.
    pub html: Cow<'a, str>,
    /// Start tags dropped to stay within the cap.
    pub dropped: usize,
}

impl Capped<'_> {
    /// Why the page was altered, when it was.
    pub fn reason(&self) -> Option<String> {
        (self.dropped > 0).then(|| {
            format!("the page nests elements deeper than {MAX_OPEN}; {} deeper tags were flattened", self.dropped)
        })
    }
}

/// Bounds `html` to [`MAX_OPEN`] open elements.
pub fn cap(html: &str) -> Capped<'_> {
    cap_at(html, MAX_OPEN)
}

const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr",
];
const RAW: &[&str] =
    &["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"];
const FORMATTING: &[&str] =
    &["a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"];
/// Elements that end the parser's scope searches.
const SCOPE: &[&str] =
    &["applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "svg", "math"];
/// Elements that clear re-opened formatting when closed.
const MARKERS: &[&str] = &["applet", "caption", "marquee", "object", "template", "td", "th"];
/// Start tags that close an open `p`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
    "table",
    "hr",
    "xmp",
    "li",
    "dd",
    "dt",
    "plaintext",
];
/// The parser's "special" elements (an end tag of an ordinary element does
/// not close past one of these).
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
    "svg",
    "math",
];

struct Open {
    name: String,
    /// Re-opened formatting count when this element opened (markers only).
    pending_at: usize,
}

struct Model {
    stack: Vec<Open>,
    /// Formatting elements on the stack.
    formatting: usize,
    /// How many of each name are on the stack (searches skip absent names).
    counts: HashMap<String, usize>,
    /// Formatting elements popped by an implied close: the parser re-opens them.
    pending: Vec<String>,
}

impl Model {
    fn push(&mut self, name: String) {
        let pending_at = self.pending.len();
        *self.counts.entry(name.clone()).or_insert(0) += 1;
        if FORMATTING.contains(&name.as_str()) {
            self.formatting += 1;
        }
        self.stack.push(Open { name, pending_at });
    }

    fn uncount(&mut self, name: &str) {
        if let Some(n) = self.counts.get_mut(name) {
            *n = n.saturating_sub(1);
        }
    }

    fn depth(&self) -> usize {
        self.stack.len() + self.pending.len()
    }

    fn in_foreign(&self) -> bool {
        ["svg", "math"].iter().any(|n| self.counts.get(*n).is_some_and(|c| *c > 0))
    }

    /// Pops every element above index `at`, and `at` itself.
    fn pop_to(&mut self, at: usize) {
        while self.stack.len() > at {
            let o = self.stack.pop().expect("non-empty");
            self.uncount(&o.name);
            if FORMATTING.contains(&o.name.as_str()) {
                self.formatting -= 1;
            }
            if MARKERS.contains(&o.name.as_str()) {
                self.pending.truncate(o.pending_at.min(self.pending.len()));
            } else if FORMATTING.contains(&o.name.as_str()) {
                self.pending.push(o.name);
            }
        }
    }

    /// Index of the nearest open element named like one of `names`, searching
    /// down from the top and stopping at any of `stop`.
    fn find(&self, names: &[&str], stop: impl Fn(&str) -> bool) -> Option<usize> {
        if !names.iter().any(|n| self.counts.get(*n).is_some_and(|c| *c > 0)) {
            return None;
        }
        for (i, o) in self.stack.iter().enumerate().rev() {
            if names.contains(&o.name.as_str()) {
                return Some(i);
            }
            if stop(&o.name) {
                return None;
            }
        }
        None
    }

    /// The implied closes a start tag `name` causes.
    fn before_start(&mut self, name: &str) {
        if CLOSES_P.contains(&name) {
            if let Some(i) = self.find(&["p"], button_scope) {
                self.pop_to(i);
            }
        }
        let list_stop = |s: &str| SPECIAL.contains(&s) && !matches!(s, "address" | "div" | "p");
        match name {
            "li" => {
                if let Some(i) = self.find(&["li"], list_stop) {
                    self.pop_to(i);
                }
            }
            "dd" | "dt" => {
                if let Some(i) = self.find(&["dd", "dt"], list_stop) {
                    self.pop_to(i);
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                if self.stack.last().is_some_and(|o| o.name.len() == 2 && o.name.starts_with('h')) =>
            {
                self.pop_to(self.stack.len() - 1);
            }
            "option" | "optgroup" => {
                if self.stack.last().is_some_and(|o| o.name == "option") {
                    self.pop_to(self.stack.len() - 1);
                }
                if name == "optgroup" && self.stack.last().is_some_and(|o| o.name == "optgroup") {
                    self.pop_to(self.stack.len() - 1);
                }
            }
            "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" | "caption" | "colgroup" => {
                let closes: &[&str] = match name {
                    "td" | "th" => &["td", "th"],
                    "tr" => &["tr", "td", "th"],
                    _ => &["tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup"],
                };
                if let Some(i) = self.find(closes, table_scope) {
                    self.pop_to(i);
                }
            }
            "a" | "nobr" | "button" => {
                if let Some(i) = self.find(&[name], scope) {
                    self.pop_to(i);
                }
            }
            "rb" | "rt" | "rp" | "rtc" => {
                if let Some(i) = self.find(&["rb", "rt", "rp", "rtc"], |s| s == "ruby") {
                    self.pop_to(i);
                }
            }
            _ => {}
        }
    }

    /// An end tag: pops what the parser would pop, never more.
    fn end(&mut self, name: &str) {
        match name {
            // The parser never pops these: later content still goes inside.
            "body" | "html" | "br" => {}
            // The parser takes a form off its stack without popping what is
            // above it, but the tree stays as deep: count it as still open.
            "form" => {}
            _ if self.in_foreign() && !SPECIAL.contains(&name) => {
                if let Some(i) = self
                    .find(&[name], |s| s == "svg" || s == "math")
                    .or_else(|| self.stack.last().filter(|o| o.name == name).map(|_| self.stack.len() - 1))
                {
                    self.pop_to(i);
                }
            }
            _ if FORMATTING.contains(&name) => {
                // The adoption agency: closes it outright only when nothing
                // special stands above it; else leave the count as it is.
                match self.find(&[name], special) {
                    Some(i) => {
                        self.pop_to(i);
                        // Closed by its own end tag: it is not re-opened later
                        // (only the elements above it were).
                        if self.pending.last().is_some_and(|p| p == name) {
                            self.pending.pop();
                        }
                    }
                    None => {
                        if self.counts.get(name).is_none_or(|c| *c == 0) {
                            if let Some(k) = self.pending.iter().rposition(|p| p == name) {
                                self.pending.remove(k);
                            }
                        }
                    }
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                if let Some(i) = self.find(&["h1", "h2", "h3", "h4", "h5", "h6"], scope) {
                    self.pop_to(i);
                }
            }
            _ if SPECIAL.contains(&name) => {
                let found = match name {
                    "li" => self.find(&[name], |s| scope(s) || s == "ol" || s == "ul"),
                    "p" => self.find(&[name], button_scope),
                    "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" | "table" | "caption" => {
                        self.find(&[name], table_scope)
                    }
                    _ => self.find(&[name], scope),
                };
                if let Some(i) = found {
                    self.pop_to(i);
                }
            }
            _ => {
                // Any other end tag: closes the nearest such element unless a
                // special element stands in between.
                if let Some(i) = self.find(&[name], special) {
                    self.pop_to(i);
                }
            }
        }
    }
}

fn scope(s: &str) -> bool {
    SCOPE.contains(&s)
}

fn button_scope(s: &str) -> bool {
    scope(s) || s == "button"
}

fn table_scope(s: &str) -> bool {
    matches!(s, "html" | "table" | "template")
}

fn special(s: &str) -> bool {
    SPECIAL.contains(&s)
}

fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    memchr::memmem::find(&hay[from..], needle).map(|p| p + from)
}

/// Position after the `>` ending a tag whose name ends at `i`, honouring quoted
/// attribute values; and whether it ended in `/>`.
fn tag_end(b: &[u8], mut i: usize) -> (usize, bool) {
    let mut after_eq = false;
    while i < b.len() {
        match b[i] {
            b'>' => return (i + 1, i > 0 && b[i - 1] == b'/'),
            b'=' => after_eq = true,
            q @ (b'"' | b'\'') if after_eq => {
                i = find_from(b, i + 1, &[q]).unwrap_or(b.len() - 1);
                after_eq = false;
            }
            c if c.is_ascii_whitespace() => {}
            _ => after_eq = false,
        }
        i += 1;
    }
    (b.len(), false)
}

/// Position of the end tag `</name` (case-insensitive) at or after `from`.
fn raw_end(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut i = from;
    while let Some(p) = find_from(b, i, b"</") {
        let n = &b[p + 2..];
        if n.len() >= name.len() && n[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            let next = n.get(name.len()).copied();
            if next.is_none_or(|c| c.is_ascii_whitespace() || c == b'>' || c == b'/') {
                return Some(p);
            }
        }
        i = p + 2;
    }
    None
}

fn name_at(b: &[u8], i: usize) -> (String, usize) {
    let mut j = i;
    while j < b.len() && !(b[j].is_ascii_whitespace() || b[j] == b'>' || b[j] == b'/') {
        j += 1;
    }
    (String::from_utf8_lossy(&b[i..j]).to_ascii_lowercase(), j)
}

/// Bounds `html` to `max` open elements.
pub fn cap_at(html: &str, max: usize) -> Capped<'_> {
    let b = html.as_bytes();
    let mut model = Model { stack: Vec::new(), formatting: 0, counts: HashMap::new(), pending: Vec::new() };
    // Dropped start tags by name, to drop their end tags too.
    let mut dropped_open: HashMap<String, usize> = HashMap::new();
    let mut dropped = 0usize;
    // Byte ranges cut from the output, in order.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(lt) = find_from(b, i, b"<") {
        i = lt + 1;
        let Some(&c) = b.get(i) else { break };
        if b[i..].starts_with(b"!--") {
            i = find_from(b, i + 3, b"-->").map_or(b.len(), |p| p + 3);
        } else if c == b'!' || c == b'?' {
            i = find_from(b, i, b">").map_or(b.len(), |p| p + 1);
        } else if c == b'/' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            let (name, j) = name_at(b, i + 1);
            let end = find_from(b, j, b">").map_or(b.len(), |p| p + 1);
            match dropped_open.get_mut(&name) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    cuts.push((lt, end));
                }
                _ => model.end(&name),
            }
            i = end;
        } else if c.is_ascii_alphabetic() {
            let (name, j) = name_at(b, i);
            let (end, self_closing) = tag_end(b, j);
            i = end;
            if VOID.contains(&name.as_str()) || (self_closing && model.in_foreign()) {
                continue;
            }
            model.before_start(&name);
            // Raw-text elements hold only text: never deeper than one more.
            let too_many =
                FORMATTING.contains(&name.as_str()) && model.formatting + model.pending.len() >= MAX_FORMATTING;
            let limit = if KEEP.contains(&name.as_str()) { max + HEADROOM } else { max };
            if (model.depth() >= limit || too_many) && !RAW.contains(&name.as_str()) {
                dropped += 1;
                cuts.push((lt, end));
                *dropped_open.entry(name.clone()).or_insert(0) += 1;
            } else if name == "plaintext" {
                break;
            } else {
                // The rows and bodies the parser adds around bare cells.
                let top = model.stack.last().map(|o| o.name.as_str());
                if matches!(name.as_str(), "td" | "th" | "tr") && top == Some("table") {
                    model.push("tbody".into());
                }
                let top = model.stack.last().map(|o| o.name.as_str());
                if matches!(name.as_str(), "td" | "th") && top != Some("tr") {
                    model.push("tr".into());
                }
                model.push(name.clone());
            }
            if RAW.contains(&name.as_str()) {
                // Its content is text: skip to its end tag, which the next
                // round reads.
                i = raw_end(b, i, &name).unwrap_or(b.len());
            }
        }
    }
    if cuts.is_empty() {
        return Capped { html: Cow::Borrowed(html), dropped };
    }
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for (s, e) in cuts {
        out.push_str(&html[at..s]);
        at = e;
    }
    out.push_str(&html[at..]);
    Capped { html: Cow::Owned(out), dropped }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_of(html: &str) -> usize {
        let doc = scraper::Html::parse_document(html);
        let mut max = 0;
        for n in doc.tree.root().descendants() {
            max = max.max(n.ancestors().count());
        }
        max
    }

    #[test]
    fn ordinary_pages_pass_untouched() {
        let page = "<!doctype html><html><head><title>t</title><script>if (a<b) { x('</div>') }</script></head>\
            <body><ul><li>one<li>two</ul><p>a<p>b<table><tr><td>1<td>2<tr><td>3</table>\
            <select><option>a<option>b</select><!-- <div><div> --><img src=x><br></body></html>";
        let c = cap_at(page, 12);
        assert!(matches!(c.html, Cow::Borrowed(_)), "{}", c.html);
        assert_eq!(c.dropped, 0);
        // Thousands of siblings closed by their successors are not depth.
        let many = "<p>x".repeat(5000) + &"<li>y".repeat(5000) + &"<td>z".repeat(5000);
        assert_eq!(cap_at(&many, 16).dropped, 0);
    }

    #[test]
    fn deep_nesting_is_flattened_text_kept() {
        let n = 10_000;
        let page =
            format!("<html><body>{}deep words{}<p>after</p></body></html>", "<div>".repeat(n), "</div>".repeat(n));
        let c = cap(&page);
        assert!(c.dropped > 9000);
        assert!(c.reason().unwrap().contains("deeper than 256"));
        assert!(c.html.contains("deep words") && c.html.contains("<p>after</p>"));
        let linked = format!("{}<p>see <a href=\"/x\">this</a></p>{}", "<div>".repeat(n), "</div>".repeat(n));
        assert!(cap(&linked).html.contains("<p>see <a href=\"/x\">this</a></p>"));
        assert!(depth_of(&c.html) <= MAX_OPEN + 4, "{}", depth_of(&c.html));
    }

    #[test]
    fn tricks_that_fool_a_naive_counter_are_bounded() {
        let n = 3000;
        for unit in [
            "<p><b id=x{}></p>",      // formatting re-opened paragraph after paragraph
            "<span><div></span>",     // end tag ignored past a special element
            "<div><table><td></div>", // end tag ignored past a scope boundary
            "<li><ul>",
            "<a><div></a>",
            "<form><div></form>",
            "<svg><g/><g>",
            "<font><td></font>",
            "<b></body><i>",
            "<a><div>",
            "<nobr><div>",
            "<button><div>",
            "<dd><div><dt><span>",
            "<table><caption><div>",
            "<select><option><div>",
            "<h1><h2><div>",
            "<td><table>",
            "<li><dd>",
            "<p><a><h1><li><dd><dt>",
        ] {
            let page: String = (0..n).map(|k| unit.replace("{}", &k.to_string())).collect();
            let c = cap(&page);
            let d = depth_of(&c.html);
            assert!(d <= MAX_OPEN + HEADROOM + 8, "{unit}: depth {d}");
        }
    }

    #[test]
    fn closed_links_are_never_dropped() {
        let page = format!("<body>{}</body>", "<p><a href=\"/x\">Headline</a> teaser.</p>".repeat(40));
        let capped = cap(&page);
        assert_eq!(capped.dropped, 0);
        assert_eq!(capped.html, page);
    }

    #[test]
    fn reopened_formatting_stays_small() {
        let page: String = (0..5000).map(|k| format!("<p><b id=b{k}>w{k} </p>")).collect();
        let c = cap(&page);
        let doc = scraper::Html::parse_document(&c.html);
        let nodes = doc.tree.nodes().count();
        assert!(nodes < 5000 * (MAX_FORMATTING + 4), "{nodes} nodes");
        assert!(c.html.contains("w4999"));
    }

    #[test]
    fn a_deep_page_extracts_on_a_small_stack() {
        // The thread size of the async workers, where stored bodies are
        // re-read: the cap keeps every walk over the tree shallow enough.
        let page =
            format!("<html><body>{}<p>deep text</p>{}</body></html>", "<div>".repeat(50_000), "</div>".repeat(50_000));
        let t = std::thread::Builder::new().stack_size(2 * 1024 * 1024).spawn(move || {
            let h = crate::extract::html::extract(&page, None);
            let i = crate::import::import(
                std::path::Path::new("deep.html"),
                page.as_bytes(),
                &crate::import::ImportOptions { format: None, id: None, title: None, base_url: None },
            );
            (h.full.contains("deep text"), i.is_ok())
        });
        assert_eq!(t.unwrap().join().unwrap(), (true, true));
    }

    #[test]
    fn linear_on_a_million_levels() {
        let page = "<div>".repeat(1_000_000);
        let t = std::time::Instant::now();
        let c = cap(&page);
        assert_eq!(c.dropped, 1_000_000 - MAX_OPEN);
        assert!(t.elapsed().as_secs() < 20);
    }

    #[test]
    fn unclosed_tags_and_junk_do_not_panic() {
        for s in ["<", "<a", "<a href=\"x", "</", "</a", "<!--", "<script>", "<p>é<", "<b\u{e9}>", "<x y='>"] {
            let _ = cap_at(s, 2);
        }
    }
}
