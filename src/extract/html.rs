//! HTML to readable text. The watched text drops script, style, noscript,
//! template, nav, header, footer, aside, form, comments and blocks whose class
//! or id says they are navigation, teasers or widgets; it prefers `main`,
//! `[role=main]` or the largest `article`, or a given CSS selector. The full
//! text (for quotes) keeps everything visible.

use scraper::{ElementRef, Html, Node, Selector};

use super::article::{self, Layout};

/// What an HTML page yields.
pub struct HtmlText {
    /// The page title.
    pub title: Option<String>,
    /// The first `h1`.
    pub h1: Option<String>,
    /// The watched text.
    pub main: String,
    /// All visible text.
    pub full: String,
    /// Whether the page looks like a bot challenge.
    pub challenge: bool,
    /// A selector was given and matched no element.
    pub selector_missed: bool,
}

/// Elements never read.
pub(crate) const INVISIBLE: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas", "select", "option",
    "head", "datalist", "dialog",
];
/// Elements that are not the page's content.
pub(crate) const CHROME: &[&str] = &["nav", "header", "footer", "aside", "form", "menu", "button"];
/// Class or id words of blocks that are not the page's content.
const NOISE_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "sidebar",
    "related",
    "teaser",
    "teasers",
    "recommended",
    "recommendations",
    "share",
    "sharing",
    "social",
    "cookie",
    "cookies",
    "consent",
    "newsletter",
    "breadcrumb",
    "breadcrumbs",
    "advert",
    "advertisement",
    "ads",
    "ad",
    "promo",
    "banner",
    "popup",
    "modal",
    "subscribe",
    "comments",
    "comment",
    "byline",
    "credit",
    "credits",
    "copyright",
    "skip",
    "outbrain",
    "taboola",
    "more-stories",
    "most-read",
    "trending",
    "masthead",
];
/// Elements that end a line.
pub(crate) const BLOCK: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "figure",
    "figcaption",
    "blockquote",
    "pre",
    "br",
    "hr",
    "address",
    "details",
    "summary",
    "body",
    "header",
    "footer",
    "nav",
    "aside",
    "form",
];
/// Other elements the HTML rendering rules display as blocks.
const UA_BLOCK: &[&str] =
    &["center", "fieldset", "legend", "hgroup", "menu", "dir", "search", "listing", "xmp", "plaintext", "frameset"];
/// Table cells: separated by a tab on their line.
pub(crate) const CELL: &[&str] = &["td", "th"];

/// Whole class or id names of blocks that are not the page's content.
const NOISE_NAMES: &[&str] = &[
    "more-stories",
    "most-read",
    "most-popular",
    "read-next",
    "read-more",
    "also-read",
    "you-may-also-like",
    "related-posts",
    "related-articles",
    "related-content",
    "recommended-posts",
    "recirculation",
    "site-header",
    "site-footer",
    "skip-link",
    "share-buttons",
    "social-share",
];

/// Parts of class, id or data-component names that mark other stories, ads
/// or widgets wherever they appear ("jp-relatedposts", "read-next__x7f2").
const NOISE_PARTS: &[&str] = &[
    "related",
    "recommend",
    "readnext",
    "read-next",
    "more-on",
    "more-from",
    "more-reading",
    "moreon",
    "mostread",
    "most-read",
    "most-viewed",
    "mostviewed",
    "most-popular",
    "popular-",
    "trending",
    "teaser",
    "outbrain",
    "taboola",
    "dfp-",
    "dfp_",
    "adslot",
    "ad-slot",
    "advert",
    "sponsor",
    "newsletter",
    "cookie",
    "consent",
    "share-",
    "sharing",
    "social",
    "comments",
    "links-block",
    "contenus-lies",
    "plus-lus",
    "pluslus",
    "a-lire",
    "lire-aussi",
    "catcher",
    "inread",
    "podcast",
    "breadcrumb",
    "feedback",
    "subscribe",
    "paywall",
    "promo",
];

pub(crate) fn is_noise(el: &scraper::node::Element) -> bool {
    // The story itself is never noise, whatever its classes say.
    if matches!(el.name(), "main" | "article" | "body" | "html") {
        return false;
    }
    let names = || {
        super::attr(el, "class")
            .into_iter()
            .flat_map(str::split_whitespace)
            .chain(super::attr(el, "id"))
            .chain(super::attr(el, "data-component"))
            .chain(super::attr(el, "data-testid"))
            .map(|n| n.to_ascii_lowercase())
    };
    if names().any(|n| NOISE_NAMES.contains(&n.as_str()) || NOISE_PARTS.iter().any(|p| n.contains(p))) {
        return true;
    }
    let noisy = names().any(|n| n.split(['-', '_']).any(|w| NOISE_WORDS.contains(&w)));
    let role = super::attr(el, "role").unwrap_or("");
    noisy
        || matches!(role, "navigation" | "banner" | "contentinfo" | "complementary" | "search" | "dialog")
        || super::attr(el, "hidden").is_some()
        || super::attr(el, "aria-hidden") == Some("true")
}

/// Headings that announce other stories, not this one.
const TEASER_HEADINGS: &[&str] = &[
    "read also",
    "read more",
    "related",
    "related stories",
    "related articles",
    "related content",
    "more stories",
    "more from",
    "most read",
    "most popular",
    "recommended",
    "recommended for you",
    "you may also like",
    "you might also like",
    "see also",
    "trending",
    "latest news",
    "top stories",
    "a lire aussi",
    "lire aussi",
    "a lire egalement",
    "sur le meme sujet",
    "les plus lus",
    "dans la meme rubrique",
    "a voir aussi",
    "voir aussi",
    "lea tambien",
    "te puede interesar",
    "mas leidas",
    "noticias relacionadas",
    "das konnte sie auch interessieren",
    "mehr zum thema",
    "reactions",
    "commentaires",
    "comments",
    "comment",
    "vos reactions",
    "reagir",
    "leave a comment",
    "laisser un commentaire",
    "les plus lus",
    "les plus partages",
    "a la une",
    "en continu",
    "derniers articles",
    "latest",
    "more on this story",
    "recommended stories",
    "read next",
];

/// Whether `el` announces other stories: a short heading or label ("Read
/// also", "À lire aussi :"), or a short paragraph that starts with one and
/// carries the link itself.
fn is_teaser_heading(el: ElementRef<'_>) -> bool {
    let name = el.value().name();
    if !matches!(name, "h2" | "h3" | "h4" | "h5" | "h6" | "p" | "div" | "span" | "strong" | "b" | "li") {
        return false;
    }
    // Headings are short: stop reading as soon as the text is too long.
    let mut text = String::new();
    for t in el.text() {
        text.push_str(t);
        if text.len() > 200 {
            return false;
        }
    }
    let n = crate::text::normalize(&text);
    // "Réactions (11)", "Comments: 49", "2 comments" are headings too.
    let head = n
        .trim_end_matches(|c: char| {
            c.is_ascii_digit() || matches!(c, ':' | '.' | '!' | ' ' | '>' | '(' | ')' | '\u{bb}' | '\u{2192}')
        })
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ')
        .trim();
    if text.len() <= 60 && TEASER_HEADINGS.contains(&head) {
        return true;
    }
    // "More from Awa Traoré", "Recommended from Medium", "More on this story".
    const PREFIXES: &[&str] =
        &["more from ", "recommended from ", "more on ", "more in ", "more by ", "plus de ", "autres articles"];
    let linkless = !el.descendants().filter_map(|n| n.value().as_element()).any(|e| e.name() == "a");
    if text.len() <= 60 && linkless && PREFIXES.iter().any(|p| head.starts_with(p)) {
        return true;
    }
    // "Read also: <a>Another story</a>" in one paragraph.
    let has_link = el.descendants().filter_map(|n| n.value().as_element()).any(|e| e.name() == "a");
    const INLINE: &[&str] =
        &["read also", "see also", "a lire aussi", "lire aussi", "a lire egalement", "voir aussi", "lea tambien"];
    has_link
        && TEASER_HEADINGS.iter().any(|t| {
            n.strip_prefix(t).is_some_and(|rest| {
                rest.is_empty()
                    || rest.starts_with([':', '\u{bb}', '>', '-', '|'])
                    || (rest.starts_with(' ') && INLINE.contains(t))
            })
        })
}

/// Whether `el` reads as the rest of a story rather than a teaser: 300
/// visible characters or more, under a fifth of them in links.
fn reads_as_prose(el: ElementRef<'_>) -> bool {
    let (mut text, mut link) = (0usize, 0usize);
    for d in el.descendants() {
        if let Some(t) = d.value().as_text() {
            let n = t.chars().filter(|c| !c.is_whitespace()).count();
            text += n;
            if d.ancestors()
                .take_while(|a| a.id() != el.id())
                .any(|a| a.value().as_element().is_some_and(|e| e.name() == "a"))
            {
                link += n;
            }
        }
    }
    text >= 300 && link * 5 < text
}

/// Whether `el` is a block that opens with a heading announcing other
/// stories or reader comments ("À lire aussi", "Réactions (11)").
pub(crate) fn opens_with_teaser(el: ElementRef<'_>) -> bool {
    !matches!(el.value().name(), "main" | "article" | "body")
        && el.children().filter_map(ElementRef::wrap).next().is_some_and(|first| {
            matches!(first.value().name(), "h2" | "h3" | "h4" | "h5" | "h6" | "strong" | "b" | "span" | "div" | "p")
                && is_teaser_heading(first)
                // A heading ("Réactions (11)"), not a block of links of its
                // own ("Trending: <ul><li><a>…"), which is a teaser itself.
                && first.descendants().filter_map(|d| d.value().as_element()).all(|e| e.name() != "a")
        })
}

struct Walker<'l> {
    out: String,
    drop_chrome: bool,
    /// Elements left out of the watched text (when `drop_chrome`).
    dropped: Option<&'l super::IdSet>,
    /// An element began or ended since the last text.
    boundary: bool,
    /// Inside `visibility: hidden`: text is not read, boxes still end lines.
    invisible: bool,
    /// The full text as browsers search it for a text fragment: `<br>` is
    /// a space, not a line (lines are the blocks a quote term may not cross),
    /// images are not read, and inline element edges are not word breaks.
    browser: bool,
    /// What the page's own style rules hide (read for the full text only).
    css: super::css::Hidden,
    /// The page declares shadow roots (`<template shadowrootmode>`).
    shadow: bool,
    /// The hosts whose shadow trees are being walked, innermost last, with
    /// the slot names already filled: a `<slot>` shows the children of the
    /// innermost, and only the first slot of a name does (as browsers
    /// assign them; it also keeps nested hosts from repeating their text).
    hosts: Vec<(ego_tree::NodeId, Vec<String>)>,
}

/// The declarative shadow root of `el`: the contents of a `<template
/// shadowrootmode>` child, which browsers render in place of `el`'s own
/// children.
fn shadow_root<'a>(el: ElementRef<'a>) -> Option<ego_tree::NodeRef<'a, Node>> {
    el.children()
        .filter_map(ElementRef::wrap)
        .find(|c| {
            c.value().name() == "template"
                && super::attr(c.value(), "shadowrootmode")
                    .is_some_and(|m| m.eq_ignore_ascii_case("open") || m.eq_ignore_ascii_case("closed"))
        })
        // The parser keeps a template's contents in a fragment of their own.
        .and_then(|t| t.first_child())
        .filter(|f| f.value().is_fragment())
}

/// Whether any `<template>` of the tree declares a shadow root.
fn has_shadow_roots(tree: &ego_tree::Tree<Node>) -> bool {
    tree.values()
        .any(|n| n.as_element().is_some_and(|e| e.name() == "template" && super::attr(e, "shadowrootmode").is_some()))
}

/// Where a walk of an element's children goes: its own children, its
/// shadow root's, or (a `<slot>`) the host's children assigned to it.
enum Scope<'a> {
    Own,
    Shadow(ego_tree::NodeRef<'a, Node>),
    Slotted(Vec<ego_tree::NodeRef<'a, Node>>),
}

impl Walker<'_> {
    /// What `el` renders as its children, where the page has shadow roots.
    fn scope<'a>(&mut self, el: ElementRef<'a>) -> Scope<'a> {
        if !self.shadow {
            return Scope::Own;
        }
        if let Some(root) = shadow_root(el) {
            return Scope::Shadow(root);
        }
        let name = super::attr(el.value(), "name").unwrap_or("");
        let host = match self.hosts.last_mut() {
            Some((h, filled)) if el.value().name() == "slot" && !filled.iter().any(|f| f == name) => {
                filled.push(name.to_string());
                el.tree().get(*h)
            }
            _ => None,
        };
        match host {
            Some(host) => {
                let assigned: Vec<_> = host
                    .children()
                    .filter(|c| match c.value() {
                        Node::Element(e) => {
                            super::attr(e, "slot").unwrap_or("") == name
                                && !(e.name() == "template" && super::attr(e, "shadowrootmode").is_some())
                        }
                        Node::Text(_) => name.is_empty(),
                        _ => false,
                    })
                    .collect();
                // Nothing assigned: the slot shows its own (fallback) content.
                if assigned.is_empty() {
                    Scope::Own
                } else {
                    Scope::Slotted(assigned)
                }
            }
            None => Scope::Own,
        }
    }
}

/// How an element's own markup shows it, read from its `hidden` attribute
/// and inline `style` (stylesheets are not applied).
#[derive(Default)]
struct Shown {
    /// `display: none` or `hidden`: neither it nor its box is there.
    gone: bool,
    /// `visibility: hidden` (true) or `visible` (false), inherited.
    invisible: Option<bool>,
    /// `display: block`, `flex` … (true) or `inline` … (false).
    block: Option<bool>,
}

fn shown(el: &scraper::node::Element) -> Shown {
    let mut s = Shown {
        // `hidden="until-found"` is searchable: browsers reveal it for a text fragment.
        gone: super::attr(el, "hidden").is_some_and(|v| !v.trim().eq_ignore_ascii_case("until-found")),
        ..Shown::default()
    };
    for decl in super::attr(el, "style").unwrap_or("").split(';') {
        let Some((prop, value)) = decl.split_once(':') else { continue };
        let value = value.trim().to_ascii_lowercase();
        let value = value.trim_end_matches("!important").trim();
        match prop.trim().to_ascii_lowercase().as_str() {
            "display" if value == "none" => s.gone = true,
            "display" => {
                let outer = value.split_whitespace().next().unwrap_or("");
                s.block = match outer {
                    "block" | "flex" | "grid" | "table" | "flow-root" | "list-item" => Some(true),
                    "inline" | "inline-block" | "inline-flex" | "inline-grid" | "inline-table" | "contents" => {
                        Some(false)
                    }
                    _ => None,
                }
            }
            "visibility" => s.invisible = Some(matches!(value, "hidden" | "collapse")),
            _ => {}
        }
    }
    s
}

impl Walker<'_> {
    fn newline(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn walk(&mut self, el: ElementRef<'_>) {
        // A shadow root's children stand for the host's; the host's children
        // show where its slots are, walked in the scope they belong to.
        let (mut own, mut list, mut entered, mut left) = (None, None, false, None);
        match self.scope(el) {
            Scope::Own => own = Some(el.children()),
            Scope::Shadow(root) => {
                self.hosts.push((el.id(), Vec::new()));
                entered = true;
                own = Some(root.children());
            }
            Scope::Slotted(nodes) => {
                left = self.hosts.pop();
                list = Some(nodes.into_iter());
            }
        }
        // After a "Read also" / "À lire aussi" heading, the next block is a teaser.
        let mut skip_next_block = false;
        while let Some(child) = own.as_mut().and_then(Iterator::next).or_else(|| list.as_mut().and_then(Iterator::next))
        {
            match child.value() {
                Node::Text(_) if self.invisible => {}
                Node::Text(t) => {
                    // "<span>89,000</span><span>outpatients</span>": a number and a
                    // word in separate elements are separate words.
                    let first = t.chars().next();
                    let last = self.out.chars().next_back();
                    if let (true, false, Some(f), Some(l)) = (self.boundary, self.browser, first, last) {
                        if (l.is_ascii_digit() && f.is_alphabetic()) || (l.is_alphabetic() && f.is_ascii_digit()) {
                            self.out.push(' ');
                        }
                    }
                    if !t.is_empty() {
                        self.boundary = false;
                    }
                    // Source line breaks inside inline text are spaces; blocks make lines.
                    // Without a break or any other space than U+0020 (no byte
                    // that starts one), the text goes as it is: `tidy` folds
                    // its spaces as it would fold those pushed one by one.
                    if !t.bytes().any(|b| matches!(b, b'\t'..=b'\r' | 0xc2 | 0xe1 | 0xe2 | 0xe3)) {
                        self.out.push_str(t);
                        continue;
                    }
                    for (i, part) in t.split(|c: char| c.is_whitespace()).enumerate() {
                        if i > 0 && !self.out.ends_with([' ', '\n', '\t']) && !self.out.is_empty() {
                            self.out.push(' ');
                        }
                        self.out.push_str(part);
                    }
                }
                Node::Element(e) => {
                    let name = e.name();
                    if INVISIBLE.contains(&name) {
                        continue;
                    }
                    let mut shown = shown(e);
                    // An inline display or visibility wins over the page's style rules.
                    shown.gone |= shown.block.is_none() && self.css.gone.contains(&child.id());
                    shown.invisible = shown.invisible.or_else(|| self.css.visibility.get(&child.id()).copied());
                    if shown.gone {
                        continue;
                    }
                    if self.dropped.is_some_and(|d| d.contains(&child.id())) {
                        // A left-out block is the one a teaser heading announced.
                        skip_next_block &= !BLOCK.contains(&name);
                        continue;
                    }
                    if self.drop_chrome {
                        if skip_next_block && matches!(name, "ul" | "ol" | "div" | "section" | "aside" | "p" | "dl") {
                            skip_next_block = false;
                            // A "Read more" button before the rest of the story
                            // (long prose, few links) announces no teaser.
                            if !ElementRef::wrap(child).is_some_and(reads_as_prose) {
                                continue;
                            }
                        }
                        if let Some(el) = ElementRef::wrap(child) {
                            // A block that opens with "À lire aussi" is a teaser block.
                            if opens_with_teaser(el) {
                                continue;
                            }
                            if is_teaser_heading(el) {
                                skip_next_block = !el
                                    .children()
                                    .filter_map(ElementRef::wrap)
                                    .any(|c| matches!(c.value().name(), "ul" | "ol" | "li" | "a"));
                                continue;
                            }
                        }
                    }
                    let block = shown.block.unwrap_or(BLOCK.contains(&name) || UA_BLOCK.contains(&name))
                        && !(self.browser && name == "br");
                    if self.browser && name == "br" && !self.out.ends_with([' ', '\n', '\t']) {
                        self.out.push(' ');
                    }
                    if block {
                        self.newline();
                    }
                    if CELL.contains(&name) && !self.out.ends_with('\n') && !self.out.is_empty() {
                        self.out.push('\t');
                    }
                    self.boundary = true;
                    if let Some(child) = ElementRef::wrap(child) {
                        let outer = self.invisible;
                        self.invisible = shown.invisible.unwrap_or(outer);
                        self.walk(child);
                        self.invisible = outer;
                    }
                    self.boundary = true;
                    if block {
                        self.newline();
                    }
                }
                _ => {}
            }
        }
        if entered {
            self.hosts.pop();
        }
        if let Some(host) = left {
            self.hosts.push(host);
        }
    }
}

/// Folds spaces within lines and drops empty lines: each line that holds a
/// word becomes its words (split on Unicode white space) joined by one
/// space, ended by `\n`.
pub fn tidy(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // A space is owed before the next word of this line.
    let mut space = false;
    // The line has a word.
    let mut words = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            if words {
                out.push('\n');
            }
            (space, words) = (false, false);
            i += 1;
        } else if matches!(c, b' ' | b'\t' | 0x0b | 0x0c | b'\r') {
            space = words;
            i += 1;
        } else if c.is_ascii() {
            // A run of ASCII that is not white space: pushed whole.
            let run = b[i..]
                .iter()
                .position(|&x| !x.is_ascii() || x.is_ascii_whitespace() || x == 0x0b)
                .unwrap_or(b.len() - i);
            if space {
                out.push(' ');
            }
            out.push_str(&text[i..i + run]);
            (space, words) = (false, true);
            i += run;
        } else {
            let ch = text[i..].chars().next().expect("a character starts here");
            if ch.is_whitespace() {
                space = words;
            } else {
                if space {
                    out.push(' ');
                }
                out.push(ch);
                (space, words) = (false, true);
            }
            i += ch.len_utf8();
        }
    }
    if words {
        out.push('\n');
    }
    out
}

/// The text under `roots`; with a layout, less what it leaves out of the
/// watched text.
fn text_of(roots: &[ElementRef<'_>], layout: Option<&Layout<'_>>) -> String {
    let dropped = layout.map(|l| l.left_out(roots));
    let mut w = Walker {
        out: String::new(),
        drop_chrome: layout.is_some(),
        dropped: dropped.as_ref(),
        boundary: false,
        invisible: false,
        browser: false,
        css: Default::default(),
        shadow: roots.first().is_some_and(|r| has_shadow_roots(r.tree())),
        hosts: Vec::new(),
    };
    for r in roots {
        w.newline();
        w.walk(*r);
    }
    tidy(&w.out)
}

fn first_text(doc: &Html, sel: &str) -> Option<String> {
    let s = Selector::parse(sel).ok()?;
    let el = doc.select(&s).next()?;
    let t = el.text().collect::<String>();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

/// An `articleBody` of at least this many characters can stand for the story.
const STORY_MIN: usize = 400;

/// The text of a JSON-LD `articleBody` (markup in it read as HTML), when it
/// is long enough to be a story and the page's visible text shows under a
/// third of it (runs of eight words compared): a page whose scripts render
/// the story.
fn story_not_shown(body: &str, full: &str) -> Option<String> {
    // Markup read as HTML; plain text a paragraph a line, its character
    // references (`&ccedil;`) decoded.
    let html = if body.contains('<') {
        std::borrow::Cow::Borrowed(body)
    } else {
        std::borrow::Cow::Owned(body.lines().map(|l| format!("<p>{l}</p>")).collect::<String>())
    };
    let frag = Html::parse_fragment(&html);
    let text = text_of(&[frag.root_element()], None);
    if text.chars().count() < STORY_MIN {
        return None;
    }
    let (story, shown) = (crate::text::normalize(&text), crate::text::normalize(full));
    let words: Vec<&str> = story.split_whitespace().collect();
    let runs: Vec<String> = words.chunks(8).filter(|c| c.len() == 8).map(|c| c.join(" ")).collect();
    // At most this many runs, spread over the story: each is a search of the page.
    const RUNS: usize = 48;
    let step = runs.len().div_ceil(RUNS).max(1);
    let sample: Vec<&String> = runs.iter().step_by(step).collect();
    let found = sample.iter().filter(|r| shown.contains(r.as_str())).count();
    (found * 3 < sample.len()).then_some(text)
}

/// The watched text of a page: its article (see [`article`]), less the
/// furniture inside it; the page less its furniture when no article stands
/// out; never empty while the page has visible text.
fn watched(doc: &Html, jsonld: Option<&str>) -> String {
    let root = doc.root_element();
    let pick = |s: &str| Selector::parse(s).ok().and_then(|s| doc.select(&s).next());
    let body = pick("body").unwrap_or(root);
    let layout = Layout::new(root, jsonld);
    let landmarks = pick("main, [role=main], article");
    let roots = match layout.article(body) {
        Some(mut roots) => {
            // Without landmarks, data tables elsewhere on the page are content too.
            if landmarks.is_none() {
                if let Ok(t) = Selector::parse("table") {
                    let container = roots[roots.len() - 1];
                    let extra: Vec<ElementRef<'_>> = doc
                        .select(&t)
                        .filter(|t| {
                            !roots.iter().any(|r| t.ancestors().any(|a| a.id() == r.id()))
                                && !container.ancestors().any(|a| a.id() == t.id())
                                && !t.ancestors().filter_map(ElementRef::wrap).any(|a| layout.is_left_out(a))
                                && !layout.is_left_out(*t)
                        })
                        .collect();
                    roots.extend(extra);
                }
            }
            roots
        }
        None => {
            // Too little prose to tell: the page's own landmark, else the largest
            // article, else the whole page.
            let article = Selector::parse("article")
                .ok()
                .and_then(|s| doc.select(&s).filter(|a| !layout.is_left_out(*a)).max_by_key(|a| layout.text(*a)));
            let landmark = pick("main").or_else(|| pick("[role=main]"));
            match (landmark, article) {
                (Some(m), _) if layout.text(m) > 0 => vec![m],
                (_, Some(a)) if layout.text(a) * 4 >= layout.text(body) => vec![a],
                _ => vec![body],
            }
        }
    };
    let main = text_of(&roots, Some(&layout));
    if !main.trim().is_empty() {
        return main;
    }
    let page = text_of(&[body], Some(&layout));
    if !page.trim().is_empty() {
        return page;
    }
    text_of(&[body], None)
}

/// The text of `root` as browsers search it for quotes and text fragments.
fn searched_text(doc: &Html) -> String {
    let css = super::css::hidden(doc);
    let mut w = Walker {
        out: String::new(),
        drop_chrome: false,
        dropped: None,
        boundary: false,
        invisible: false,
        browser: true,
        css,
        shadow: has_shadow_roots(&doc.tree),
        hosts: Vec::new(),
    };
    w.walk(doc.root_element());
    tidy(&w.out)
}

/// The full text of an HTML document alone (what `extract` returns as
/// `full`), one block per line.
pub fn full_text(html: &str) -> String {
    searched_text(&Html::parse_document(html))
}

/// Reads an HTML document. `selector` (already validated) narrows the watched text.
pub fn extract(html: &str, selector: Option<&str>) -> HtmlText {
    let html = &*super::depth::cap(html).html;
    let doc = Html::parse_document(html);
    let title = first_text(&doc, "title");
    let h1 = first_text(&doc, "h1");
    let mut full = searched_text(&doc);
    let jsonld = article::jsonld_article_body(&doc);

    let mut selector_missed = false;
    let mut main = if let Some(sel) = selector.and_then(|s| Selector::parse(s).ok()) {
        let picked: Vec<ElementRef<'_>> = doc.select(&sel).collect();
        selector_missed = picked.is_empty();
        text_of(&picked, None)
    } else {
        watched(&doc, jsonld.as_deref())
    };
    // A page that renders its story with scripts: the story is in its
    // JSON-LD `articleBody` alone. It is then the watched text, and searched.
    if let Some(story) = jsonld.as_deref().and_then(|b| story_not_shown(b, &full)) {
        if selector.is_none() {
            main = story.clone();
        }
        if !full.is_empty() && !full.ends_with('\n') {
            full.push('\n');
        }
        full.push_str(&story);
    }

    let lower_title = title.as_deref().unwrap_or("").to_lowercase();
    let mut cut = html.len().min(64 * 1024);
    while !html.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &html[..cut];
    let challenge = lower_title.starts_with("just a moment")
        || lower_title.contains("attention required! | cloudflare")
        || lower_title.contains("ddos-guard")
        || lower_title == "access denied"
        || head.contains("challenge-platform")
        || head.contains("cf-chl-")
        || head.contains("_cf_chl_opt")
        || head.contains("captcha-delivery.com")
        || head.contains("px-captcha");
    HtmlText { title, h1, main, full, challenge, selector_missed }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `tidy` as first written, line by line and word by word.
    fn tidy_by_words(text: &str) -> String {
        let mut out = String::new();
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            if !words.is_empty() {
                out.push_str(&words.join(" "));
                out.push('\n');
            }
        }
        out
    }

    #[test]
    fn tidy_folds_as_word_by_word() {
        let mut samples: Vec<String> = vec![
            "".into(),
            "\n\n".into(),
            "  a \t b\r\n\u{0B}c\u{0C}d\u{1C}e\u{85}f\u{A0}g\u{2028}h\u{3000}i  \n \n\tj".into(),
            "no newline at the end".into(),
            "Égalité\u{202F}— “Liberté” \u{1680}x\r\n\r\ny\r".into(),
        ];
        samples.push((0u32..0x3100).filter_map(char::from_u32).collect());
        for page in crate::testing::real_pages(20) {
            samples.push(full_text(&page));
            samples.push(page);
        }
        for s in &samples {
            assert_eq!(tidy(s), tidy_by_words(s), "{:?}", &s[..s.len().min(60)]);
        }
    }

    #[test]
    fn drops_chrome_and_prefers_main() {
        let page = r#"<html><head><title>Report</title><style>p{}</style></head><body>
            <header>Site header</header><nav><a href="/">Home</a></nav>
            <main><h1>Mali</h1><p>OCHA reported   401,850
            displaced.</p><aside>Related: other story</aside>
            <script>var x = "hidden";</script><!-- comment --></main>
            <footer>© 2022</footer></body></html>"#;
        let t = extract(page, None);
        assert_eq!(t.title.as_deref(), Some("Report"));
        assert_eq!(t.main, "Mali\nOCHA reported 401,850 displaced.\n");
        assert!(t.full.contains("Site header") && t.full.contains("Related"));
        assert!(!t.full.contains("hidden"));
    }

    #[test]
    fn the_standfirst_in_a_head_section_above_the_body_is_watched_not_the_headline() {
        let body: String = (1..=5)
            .map(|i| {
                format!(
                    "<p>Paragraph {i}: the contest on the floating ramp drew riders from six countries, and \
                     the organisers counted {i}00 visitors on the shore of the lake during the afternoon.</p>"
                )
            })
            .collect();
        let page = format!(
            "<html><head><title>The Captain's Quest 2017 - Contest on a floating ramp - Skate Mag</title></head>\
             <body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>\
             <section class=\"intro-top\"><header><h1>The Captain's Quest 2017 - Contest on a floating ramp</h1>\
             <p>Blue Tomato presents the third edition of the event this year at the lake.</p></header></section>\
             <section class=\"intro\"><div class=\"article-body\"><div class=\"copy\">{body}</div>\
             <aside><a href=\"/a\">Other story one</a> <a href=\"/b\">Other story two</a></aside></div></section>\
             <footer>Imprint</footer></body></html>"
        );
        let t = extract(&page, None);
        // The headline is searched for quotes, not watched: publishers
        // rewrite headlines over a story that stays.
        assert!(!t.main.contains("Contest on a floating ramp"), "{}", t.main);
        assert!(t.full.contains("Contest on a floating ramp"), "{}", t.full);
        assert!(t.main.starts_with("Blue Tomato presents the third edition"), "{}", t.main);
        assert!(t.main.contains("Paragraph 5:") && !t.main.contains("Home") && !t.main.contains("Imprint"));
        // An `h1` the title does not name (a site's logo) is not taken so.
        let logo = page
            .replace("<h1>The Captain's Quest 2017 - Contest on a floating ramp</h1>", "<h1>Board Culture Weekly</h1>");
        let t = extract(&logo, None);
        assert!(!t.main.contains("Board Culture Weekly") && !t.main.contains("Blue Tomato"), "{}", t.main);
    }

    #[test]
    fn a_story_rendered_by_scripts_is_read_from_its_json_ld() {
        let story = "Lam&rsquo;s policy address came too late: the council met 14 times in 2019.\n\
                     Officials said 401,850 people had signed the petition by the end of September, \
                     a record for the city and twice the number of the year before.\n\
                     The address promised 10,000 new flats, funding for clinics and a review of the \
                     transport fares, using political shrewdness rather than new money, critics said.\n\
                     Opposition members walked out of the chamber before the end of the speech.";
        let ld = serde_json::json!({"@type": "NewsArticle", "articleBody": story}).to_string();
        let page = |body: &str| {
            format!(
                "<html><head><title>Playbook</title><script type=\"application/ld+json\">{ld}</script></head>\
                 <body><header><a href=\"/\">Home</a></header><main>{body}</main>\
                 <div id=\"app\"></div><script>render()</script></body></html>"
            )
        };
        // Only a teaser and a sign-up box are in the page's markup.
        let t = extract(
            &page(
                "<h1>Playbook</h1><p>Sign up for our newsletter to get the best of the week, every week, \
                 straight to your inbox.</p>",
            ),
            None,
        );
        assert!(t.main.contains("401,850 people had signed the petition"), "{}", t.main);
        assert!(t.main.contains("Lam\u{2019}s policy address"), "references decoded: {}", t.main);
        assert!(t.full.contains("using political shrewdness"), "{}", t.full);
        // Shown on the page, the story is read from the page, once.
        let shown: String = story.lines().map(|l| format!("<p>{l}</p>")).collect();
        let t = extract(&page(&shown), None);
        assert_eq!(t.full.matches("401,850 people").count(), 1, "{}", t.full);
        assert_eq!(t.main.matches("401,850 people").count(), 1, "{}", t.main);
    }

    #[test]
    fn the_article_under_the_headline_wins_over_a_longer_comment_thread() {
        let story: String = (1..=6)
            .map(|i| {
                format!(
                    "<p>Finding {i}: the survey of 56,000 developers ranked the platform among the most dreaded \
                     technologies for the second year running, while demand for its skills fell {i}.5 percent.</p>"
                )
            })
            .collect();
        let comment = |i: usize| {
            format!(
                "<div class=\"c-{i}\"><article class=\"c-body\"><footer><b>Reader {i}</b> <time>May {i}, 2017</time>\
                 </footer><p>Comment {i}: I wonder how many of these skills are no longer listed because they are \
                 table stakes now; you used to have to put every one of them on a resume, and nobody does today.</p>\
                 <p><a href=\"#reply\">Reply</a></p></article></div>"
            )
        };
        let comments: String = (1..=10).map(comment).collect();
        let page = format!(
            "<html><head><title>What the hiring trends say | Tavern</title></head><body><main>\
             <article class=\"post\"><h1>What the hiring trends say</h1><div class=\"entry\">{story}</div></article>\
             <div class=\"thread\">{comments}</div></main></body></html>"
        );
        let t = extract(&page, None);
        assert!(t.main.contains("Finding 1:") && t.main.contains("Finding 6:"), "{}", t.main);
        assert!(!t.main.contains("Comment 1:"), "the comment thread is watched:\n{}", t.main);
        // Without the document's mark of the story (no `article`), nothing
        // says which part is the story: neither is dropped for the other.
        let plain = page
            .replace("<article class=\"post\">", "<div class=\"post\">")
            .replace("</div></article><div class=\"thread\">", "</div></div><div class=\"thread\">");
        assert!(!plain.contains("article class=\"post"));
        let t = extract(&plain, None);
        assert!(t.main.contains("Finding 1:") && t.main.contains("Comment 1:"), "{}", t.main);
    }

    #[test]
    fn the_rest_of_a_story_behind_a_read_more_button_is_watched() {
        let para = |i: usize| {
            format!(
                "<div class=\"para\">Paragraph {i}: at the time of his physical, the physician suggested that the \
                 President change his diet and get on a regular exercise regimen, and little has changed since.</div>"
            )
        };
        let first: String = (1..=3).map(para).collect();
        let rest: String = (4..=12).map(para).collect();
        let page = format!(
            "<body><article><h1>Health</h1><div class=\"body\">{first}<div class=\"more\"><div class=\"gradient\"></div><div class=\"button\">Read More</div></div>\
             <div class=\"rest\">{rest}</div></div></article></body>"
        );
        let t = extract(&page, None);
        assert!(t.main.contains("Paragraph 1:") && t.main.contains("Paragraph 12:"), "{}", t.main);
        // After a "Read more" heading, a list of links is a teaser still.
        let page = format!(
            "<body><article><h1>Health</h1>{first}<h3>Read more</h3><ul><li><a href=\"/a\">Another story on the physical exam</a></li>\
             <li><a href=\"/b\">A third story about the White House doctor</a></li></ul></article></body>"
        );
        let t = extract(&page, None);
        assert!(t.main.contains("Paragraph 3:") && !t.main.contains("Another story"), "{}", t.main);
    }

    #[test]
    fn a_story_that_opens_with_a_list_of_trending_links_is_the_story() {
        // The story's wrapper opens with a "Trending:" bar of links: that
        // bar is a teaser, the wrapper is not; a block opening with a
        // heading such as "Comments (11)" still is.
        let story = "<p>South Dakota's governor is defending the state's launch of an anti-drug campaign after the \
            tagline drew a mix of criticism and ridicule on Monday.</p>"
            .repeat(6);
        let page = format!(
            "<body><div class=\"page\"><div class=\"scroll\"><div class=\"bar\"><h2>Trending:</h2><ul><li><a href=\"/a\">Impeachment</a></li>\
             <li><a href=\"/b\">Transcripts</a></li></ul></div><article><h1>Governor defends campaign</h1>{story}</article></div>\
             <div class=\"bottom\"><p>The Hill 1625 K Street, NW Suite 900 Washington DC 20006 | 202-628-8500 tel</p></div></div></body>"
        );
        let t = extract(&page, None);
        assert!(t.main.contains("defending the state's launch"), "{}", t.main);
        assert!(!t.main.contains("Transcripts") && !t.main.contains("K Street"), "{}", t.main);
        let comments =
            "<p>I think the campaign is a waste of money and everybody I know laughed at the slogan.</p>".repeat(12);
        let page = format!(
            "<body><article><h1>Governor defends campaign</h1>{story}<div class=\"responses\"><h3>Comments (12)</h3>{comments}</div></article></body>"
        );
        let t = extract(&page, None);
        assert!(t.main.contains("defending the state's launch") && !t.main.contains("waste of money"), "{}", t.main);
    }

    #[test]
    fn a_count_of_comments_heads_the_comments_whichever_side_its_number_stands() {
        let story =
            "<p>Homemade jam is a gift that keeps: the pears are spiced with cinnamon and sweetened with honey.</p>"
                .repeat(5);
        for heading in ["2 comments", "1 comment", "Comments (2)"] {
            let page = format!(
                "<body><article><h1>Pear jam</h1>{story}<div class=\"post-comments\"><div class=\"box\">{heading}</div>\
                 <div class=\"list\"><p>I made this jam today and it turned out really good, but the amount of fruit was missing.</p>\
                 <p>Thanks for your feedback, I used a jar of pectin so the number of tablespoons was my preference.</p></div></div></article></body>"
            );
            let t = extract(&page, None);
            assert!(
                t.main.contains("spiced with cinnamon") && !t.main.contains("I made this jam"),
                "{heading}: {}",
                t.main
            );
        }
    }

    #[test]
    fn a_gallery_repeating_its_captions_is_not_watched_a_repeated_paragraph_is() {
        let story = |i: usize| {
            format!("<p>Paragraph {i}: new car sales fell 10 percent in October as buyers grew more cautious, the dealers said.</p>")
        };
        let body: String = (1..=6).map(story).collect();
        let caption =
            "In this photograph, a long row of unsold sports-utility vehicles sits at a dealership in Colorado.";
        let slide = format!(
            "<li class=\"item\"><div class=\"caption\"><div class=\"full\"><p>{caption}</p></div>\
             <div class=\"short\"><p>{caption}</p></div></div></li>"
        );
        let page = format!(
            "<body><article><h1>Car sales plunge</h1><div class=\"body\"><div class=\"gallery\"><ul>{slide}</ul>\
             <div class=\"panel\"><div class=\"caption\"><p>{caption}</p></div><div>Caption</div><div>Close</div></div></div>{body}</div></article></body>"
        );
        let t = extract(&page, None);
        assert!(t.main.contains("Paragraph 1:") && t.main.contains("Paragraph 6:"), "{}", t.main);
        assert!(!t.main.contains("unsold sports-utility"), "{}", t.main);
        // A paragraph the story itself says twice, in two of its sections, is read.
        let refrain =
            "<p>Remember: the deadline to register for the vote is the last Friday of the month, everywhere.</p>";
        let page = format!(
            "<body><article><h1>Voting</h1><div>{}{refrain}</div><h2>Abroad</h2><div>{}{refrain}</div></article></body>",
            story(1),
            story(2)
        );
        let t = extract(&page, None);
        assert_eq!(t.main.matches("the deadline to register").count(), 2, "{}", t.main);
    }

    #[test]
    fn sections_headed_by_linked_headings_are_the_story_not_cards() {
        // Documentation's sections, each headed by a heading that is its own
        // anchor link: like siblings headed by links, but each a part of the
        // story, not a card summarising one told elsewhere.
        let section = |i: usize| {
            let p = format!(
                "<p>Section {i}: the repository keeps every revision of every file, and each changeset records \
                 its parents, so that history can be merged, compared and replayed on any machine.</p>"
            )
            .repeat(6);
            format!("<div class=\"section\"><h2><a href=\"#s{i}\">Working with revisions, part {i}</a></h2>{p}</div>")
        };
        let sections: String = (1..=4).map(section).collect();
        let t = extract(&format!("<body><div class=\"doc\"><h1>Guide</h1>{sections}</div></body>"), None);
        assert!(t.main.contains("Section 1:") && t.main.contains("Section 4:"), "{}", t.main);
    }

    #[test]
    fn teasers_that_open_with_a_link_and_end_cut_short_are_not_watched() {
        // A "breaking news" list of other stories' headlines with their
        // summaries cut short, longer than the story beside it.
        let teaser = |i: usize| {
            format!(
                "<li><a href=\"/s{i}\">Other story {i} about the budget vote in the regional assembly</a>\
                 <span>NEW DELHI: Expressing concern over the exercise, an independent entity has said that close to \
                 two million residents of the state may soon...</span></li>"
            )
        };
        let teasers: String = (1..=8).map(teaser).collect();
        let story = "<p>NEW YORK: Nearly 150 people returned home on Wednesday after being deported, officials said at the airport.</p>"
            .repeat(4);
        let page = format!(
            "<html><head><title>Deportees return home</title></head><body><div class=\"col\"><div class=\"b\"><ul>{teasers}</ul></div>\
             <div class=\"story\"><h1>Deportees return home</h1>{story}</div></div></body></html>"
        );
        let t = extract(&page, None);
        assert!(t.main.contains("Nearly 150 people"), "{}", t.main);
        assert!(!t.main.contains("two million residents"), "{}", t.main);
        // A list whose items open with a link but end as sentences is read.
        let items: String = (1..=4)
            .map(|i| format!("<li><a href=\"/r{i}\">Report {i}</a> found that 3{i} percent of residents had moved away since the census.</li>"))
            .collect();
        let t = extract(&format!("<body><article><h1>Moves</h1>{story}<ul>{items}</ul></article></body>"), None);
        assert!(t.main.contains("32 percent of residents"), "{}", t.main);
    }

    #[test]
    fn a_thread_of_dated_comments_is_not_the_story_wherever_it_stands() {
        let story: String = (1..=4)
            .map(|i| {
                format!(
                    "<p>Finding {i}: the coach said the loss to the Chiefs left the team's playoff hopes somewhere \
                     between slim and none, after {i} interceptions in the last two games.</p>"
                )
            })
            .collect();
        let comment = |i: usize| {
            format!(
                "<li class=\"comment depth-1 {}\"><article class=\"comment-body\"><footer><b>reader{i}</b> says:\
                 <div class=\"meta\"><a href=\"#c{i}\">November {i}, 2019 at 12:28 pm</a></div></footer>\
                 <div class=\"comment-content\"><p>Comment {i}: the quarterback just doesn't have it anymore, and \
                 the team desperately needs a coordinator who understands the players they have on the field.</p>\
                 <p>He has become an interception machine, and it has gone past ridiculous this season.</p></div>\
                 <a href=\"#reply\">Reply</a></article></li>",
                if i.is_multiple_of(2) { "even" } else { "odd" }
            )
        };
        let comments: String = (1..=12).map(comment).collect();
        // In the story's own `article`, after its body.
        let page = format!(
            "<html><head><title>We needed to win this game | Talk</title></head><body><main>\
             <article class=\"post\"><header><h1>We needed to win this game</h1></header><div class=\"entry\">{story}</div>\
             <footer class=\"entry-footer\"><div class=\"area\"><h2>12 responses</h2><ol class=\"list\">{comments}</ol></div></footer>\
             </article></main></body></html>"
        );
        let t = extract(&page, None);
        assert!(t.main.contains("Finding 1:") && t.main.contains("Finding 4:"), "{}", t.main);
        assert!(!t.main.contains("Comment 1:"), "the comment thread is watched:\n{}", t.main);
        // Beside the story, no `article` marking either part.
        let page = format!(
            "<html><head><title>We needed to win this game | Talk</title></head><body><div class=\"wrap\">\
             <div class=\"story\"><h1>We needed to win this game</h1>{story}</div>\
             <div class=\"thread\"><ol class=\"list\">{comments}</ol></div></div></body></html>"
        );
        let t = extract(&page, None);
        assert!(t.main.contains("Finding 1:") && !t.main.contains("Comment 1:"), "{}", t.main);
        // Entries without dated heads (a product's feature cards) are the story.
        let card = |i: usize| {
            format!(
                "<div class=\"card\"><h3><a href=\"/f{i}\">Tool {i}</a></h3><span>New</span><p>Feature {i}: examine \
                 and modify the structure and layout of any page, and see how long each request takes.</p></div>"
            )
        };
        let cards: String = (1..=6).map(card).collect();
        let page = format!(
            "<html><head><title>Developer tools | Browser</title></head><body><div class=\"wrap\">\
             <div class=\"intro\"><h1>Developer tools</h1>{story}</div><div class=\"cards\">{cards}</div></div></body></html>"
        );
        let t = extract(&page, None);
        assert!(t.main.contains("Finding 1:") && t.main.contains("Feature 3:"), "{}", t.main);
    }

    #[test]
    fn a_header_inside_an_article_is_the_story_not_the_page_head() {
        // A story told in sections, each an `article` whose text sits in its
        // own `header`, beside a consent box for an embedded post: the
        // sections are the story, the box is not.
        let para = |n: usize| {
            format!(
                "<p>Section {n}: the champion cleared 5.{n}1 m, 5.71 m and 5.89 m in Karlsruhe before setting \
                 a world lead of 6.02 m, beating the meeting record of 5.95 m set years earlier.</p>"
            )
        };
        let page = format!(
            "<body><header class=\"site\"><a href=\"/\">Home</a></header><main>\
             <section><article class=\"image-text\"><header class=\"description\"><h2>Records fall</h2>\
             <p class=\"date\">23.06.2016</p><div>Photo: Steven Doe</div>{}{}</header></article></section>\
             <section><div class=\"embed\"><p>External content</p><p>To protect your data we blocked the automatic \
             loading of content from another site. If you want to see it, agree below and the content will be \
             loaded and shown, and your data will be sent to its provider, whose rules apply then.</p>\
             <p><button>I agree</button></p></div></section>\
             <section><article class=\"image-text\"><header class=\"description\">{}</header></article></section>\
             </main></body>",
            para(1),
            para(2),
            para(3)
        );
        let t = extract(&page, None);
        for n in 1..=3 {
            assert!(t.main.contains(&format!("Section {n}:")), "section {n} not watched:\n{}", t.main);
        }
        // The page's own header stays out; in the story's head, its heading
        // is watched, not its date or photo credit.
        assert!(!t.main.contains("Home"), "{}", t.main);
        assert!(t.main.contains("Records fall\n"), "{}", t.main);
        assert!(!t.main.contains("23.06.2016") && !t.main.contains("Photo: Steven"), "{}", t.main);
    }

    #[test]
    fn div_layout_without_main_drops_teasers() {
        let page = r#"<body><div id="top-menu"><a>News</a></div>
            <div class="content"><h1>Attack in Moura</h1><p>At least 35 people were killed.</p>
            <table><tr><th>Region</th><th>IDPs</th></tr><tr><td>Mopti</td><td>401,850</td></tr></table></div>
            <div class="related-stories"><article>Other teaser</article></div>
            <div class="cookie-banner">We use cookies</div></body>"#;
        let t = extract(page, None);
        assert!(t.main.contains("At least 35 people were killed."));
        assert!(t.main.contains("Mopti 401,850"), "{}", t.main);
        assert!(!t.main.contains("teaser") && !t.main.contains("cookies") && !t.main.contains("News"));
    }

    #[test]
    fn unlabelled_div_layout_keeps_to_the_story() {
        let story =
            "<p>At least 35 people were killed in the attack on the market of Moura on Sunday, officials said.</p>\
            <p>The army said it had sent reinforcements to the area and opened an investigation into the attack.</p>\
            <p>Humanitarian agencies counted 401,850 displaced persons in the country at the end of the year.</p>";
        let page = |headlines: &str| {
            format!(
                "<body><div id=\"a1\"><div class=\"x9\"><h1>Attack in Moura</h1>{story}</div>\
                <div class=\"x7\"><ul>{headlines}</ul></div></div></body>"
            )
        };
        let a = extract(&page("<li><a>Floods in Gao</a></li><li><a>Election news</a></li>"), None);
        let b = extract(&page("<li><a>Drought in Kayes</a></li>"), None);
        assert!(a.main.contains("401,850"));
        assert!(!a.main.contains("Floods"), "{}", a.main);
        assert_eq!(a.main, b.main);
        let with_table = page("<li><a>Floods</a></li>").replace(
            "</body>",
            "<div class=\"data\"><table><tr><td>Mopti</td><td>12,345</td></tr></table></div></body>",
        );
        assert!(extract(&with_table, None).main.contains("Mopti 12,345"), "tables elsewhere stay watched");
    }

    #[test]
    fn numbers_and_words_in_separate_elements_stay_apart() {
        let t = extract(
            "<body><main><div><span>89,000</span><span>outpatient consultations</span></div>\
            <p>Mali<b>'s</b> army, <i>401</i>,850</p></main></body>",
            None,
        );
        assert!(t.main.contains("89,000 outpatient"), "{}", t.main);
        assert!(t.main.contains("Mali's army, 401,850"), "{}", t.main);
    }

    #[test]
    fn sidebars_of_short_cards_never_win() {
        let long = "Paragraph of the story with enough words to be prose, about the displaced families of Mopti and their needs.";
        let card = "<p><a>Headline of another story</a> Short teaser.</p>";
        let page = |cards: usize| {
            format!(
                "<body><div class=\"c1\"><div class=\"col-md-8\"><p>{long}</p><p>{long}</p><p>{long}</p></div>\
                <div class=\"col-md-4\">{}</div></div><div>© 2023 Site</div></body>",
                card.repeat(cards)
            )
        };
        let a = extract(&page(8), None);
        let b = extract(&page(12), None);
        assert_eq!(a.main, b.main);
        assert!(
            a.main.contains("displaced families") && !a.main.contains("Headline") && !a.main.contains("2023"),
            "{}",
            a.main
        );
    }

    #[test]
    fn a_sidebar_of_long_summaries_does_not_win_over_the_story() {
        let story = "<p>Depuis les sanctions, l'économie tourne au ralenti. Les recettes douanières ont chuté de 24 % au premier trimestre.</p>\
            <p>Les commerçants de Bamako disent peiner à s'approvisionner en produits de base, dont les prix ont flambé.</p>";
        let card = "<p>Sahel : la sécheresse fait flamber le prix du mil : les dessous d'une affaire qui secoue la région.</p>";
        let page = format!("<body><div class=\"ja-col-main\">{story}</div><div class=\"ja-col-side\"><h3>Les plus lus</h3>{}</div></body>", card.repeat(6));
        let t = extract(&page, None);
        assert!(t.main.contains("24 %") && !t.main.contains("sécheresse"), "{}", t.main);
        let drupal = "<body><main><article class=\"node node--promoted\"><p>Au total, 1 731 écoles restaient fermées.</p></article>\
            <div class=\"bloc\"><h3>Réactions (11)</h3><p>Ibrahim : Paix à leurs âmes.</p></div></main></body>";
        let t = extract(drupal, None);
        assert!(t.main.contains("1 731 écoles") && !t.main.contains("Ibrahim"), "{}", t.main);
    }

    #[test]
    fn a_closed_dialog_is_not_watched_however_much_it_says() {
        let story =
            "<p>Tested by John: the manual covers every wiring diagram of the 2004 model, 12 issues for 11.99.</p>";
        let cookies =
            "<p>This website uses cookies to improve your experience while you navigate through the website. \
            Out of these cookies, the cookies that are categorized as necessary are stored on your browser.</p>"
                .repeat(4);
        for dialog in [
            format!("<div class=\"cli-modal\" role=\"dialog\" aria-hidden=\"true\">{cookies}</div>"),
            format!("<dialog>{cookies}</dialog>"),
        ] {
            let t = extract(&format!("<body><div class=\"wrap\"><main>{story}</main></div>{dialog}</body>"), None);
            assert!(t.main.contains("wiring diagram") && !t.main.contains("cookies"), "{}", t.main);
        }
    }

    #[test]
    fn excerpts_of_other_posts_cut_short_are_not_watched() {
        let story = "<p>Viver uma verdadeira experiência amorosa é um dos maiores prazeres da vida, e cada um é o único responsável pelas suas próprias necessidades.</p>";
        let card = |n: u32, end: &str| {
            format!(
                "<article class=\"box post-{n} type-post\"><center><img src=\"/{n}.jpg\"></center>\
                <div><a href=\"/share/{n}\">Whatsapp</a> <a href=\"/pin/{n}\">Pint</a></div>\
                <p>Outra mensagem número {n} sobre a vida, com otimismo e coragem para esperar o melhor e fazer o melhor acontecer {end}</p></article>"
            )
        };
        let page = |ends: [&str; 4]| {
            let cards: String = ends.iter().zip(1..).map(|(e, n)| card(n, e)).collect();
            format!("<body><main><article class=\"box post-1\">{story}<h3>Você pode gostar...</h3>{cards}</article></main></body>")
        };
        let t = extract(&page(["…", "Lívia Barros", "...", "todos os dias."]), None);
        assert!(t.main.contains("experiência amorosa") && !t.main.contains("Outra mensagem"), "{}", t.main);
        // Sections of a story that end as sentences are the story.
        let t = extract(&page(["agora.", "Lívia Barros", "hoje…", "todos os dias."]), None);
        assert!(t.main.contains("Outra mensagem número 1"), "{}", t.main);
    }

    #[test]
    fn a_label_announcing_a_list_of_links_goes_with_it() {
        let prose = "<p>The council approved the budget on Tuesday after a debate of four hours, with 31 votes for it and 9 against.</p>\
            <p>Spending on schools rises by 4.5 percent, the largest increase since the district was founded in 1971.</p>";
        let links = "<ul><li><a href=\"/a\">Roads closed for the marathon</a></li><li><a href=\"/b\">Library hours change</a></li></ul>";
        let page = |label: &str| format!("<body><main><article>{prose}{label}{links}{prose}</article></main></body>");
        for (label, text) in [
            ("<p><strong>Schon gelesen?</strong></p>", "Schon gelesen?"),
            ("<p><em>More city news:</em></p>", "More city news:"),
            ("<div>Lesen Sie auch:</div>", "Lesen Sie auch:"),
        ] {
            let t = extract(&page(label), None);
            assert!(t.main.contains("Spending on schools") && !t.main.contains("Roads closed"), "{}", t.main);
            assert!(!t.main.contains(text), "{label}: {}", t.main);
            // Still searched for quotes.
            assert!(t.full.contains(text), "{}", t.full);
        }
        // Kept: a heading (it names a section), a sentence, a subheading
        // that announces nothing.
        for (label, text) in [
            ("<h3>Related coverage:</h3>", "Related coverage:"),
            ("<p>He said no.</p>", "He said no."),
            ("<p><strong>Drink before your workout</strong></p>", "Drink before your workout"),
        ] {
            let t = extract(&page(label), None);
            assert!(t.main.contains(text), "{label}: {}", t.main);
        }
    }

    #[test]
    fn an_author_card_the_page_types_as_a_person_is_not_the_story() {
        let story = "<p>The council approved the budget on Tuesday after a debate of four hours, with 31 votes for it and 9 against.</p>\
            <p>Spending on schools rises by 4.5 percent, the largest increase since the district was founded in 1971.</p>";
        let card =
            "<div itemscope itemtype=\"https://schema.org/Person\"><p><span itemprop=\"name\">Ana Diallo</span> \
            covers city hall for the paper and has written about local budgets since 2012.</p></div>";
        let t = extract(&format!("<body><main><article>{story}{card}</article></main></body>"), None);
        assert!(t.main.contains("Spending on schools") && !t.main.contains("covers city hall"), "{}", t.main);
        assert!(t.full.contains("covers city hall"));
        // A byline's name inside a sentence stays; so does a page that is
        // the person's own profile (the card holds the prose).
        let byline =
            "<p>By <span itemscope itemtype=\"http://schema.org/Person\">Ana Diallo</span>, city hall reporter, \
            who has followed the budget talks since spring.</p>";
        let t = extract(&format!("<body><main><article>{byline}{story}</article></main></body>"), None);
        assert!(t.main.contains("By Ana Diallo, city hall reporter"), "{}", t.main);
        let profile = format!("<body><main itemscope itemtype=\"https://schema.org/Person\">{story}</main></body>");
        assert!(extract(&profile, None).main.contains("Spending on schools"));
    }

    #[test]
    fn declared_shadow_roots_are_read_as_the_browser_renders_them() {
        let page = "<body><main><p>Light story before the widget, told in a paragraph of prose.</p>\
            <div><template shadowrootmode=\"open\"><h2>Shadow heading</h2><slot name=\"a\">fallback</slot>\
            <p>Shadow paragraph</p><slot></slot></template><span slot=\"a\">Slotted A</span> loose words</div>\
            <div><template shadowrootmode=\"open\"><p>Only shadow</p></template><p>Never shown</p></div>\
            <template><p>Inert template</p></template></main></body>";
        let t = extract(page, None);
        for text in [&t.full, &t.main] {
            assert!(text.contains("Shadow heading\nSlotted A\nShadow paragraph\nloose words"), "{text}");
            assert!(text.contains("Only shadow") && !text.contains("Never shown"), "{text}");
            assert!(!text.contains("fallback") && !text.contains("Inert"), "{text}");
        }
        // Only the first slot of a name is filled; a second shows its own content.
        let t = extract("<body><div><template shadowrootmode=\"open\"><slot></slot><p>mid</p><slot>second</slot></template>light</div></body>", None);
        assert_eq!(t.full, "light\nmid\nsecond\n");
        // Hosts nested in hosts, two slots each: the text is not repeated.
        let mut page = String::from("core words");
        for _ in 0..60 {
            page = format!("<div><template shadowrootmode=\"open\"><slot></slot><slot></slot></template>{page}</div>");
        }
        let t = extract(&format!("<body>{page}</body>"), None);
        assert_eq!(t.full, "core words\n");
    }

    #[test]
    fn a_footer_that_reads_like_prose_does_not_hold_the_story_back() {
        let p = "<p>Now, at the Los Angeles Auto Show, the marque has finally pulled the covers off the production model of its convertible.</p>";
        let footer = "<div class=\"footer-content\"><p>Example.com is the leading automotive resource of the country, featuring daily \
            headlines and breaking news from the auto industry and around the world, with reviews and guides.</p>\
            <p>The material on this site may not be reproduced, distributed, transmitted, cached or otherwise used, \
            except with the prior written permission of the publisher.</p></div>";
        let page = format!(
            "<body><div class=\"wrapper\"><div class=\"post-content\"><div class=\"cell\">{}</div></div>{footer}</div></body>",
            p.repeat(5)
        );
        let t = extract(&page, None);
        assert!(t.main.contains("Los Angeles") && !t.main.contains("leading automotive"), "{}", t.main);
    }

    #[test]
    fn a_sidebar_mostly_not_prose_does_not_hold_the_story_back() {
        let p = "<p>The commission said on Tuesday that 1.9 million residents of the state could be left without citizenship.</p>";
        let side = "<p>Follow us on Twitter</p><p>@IndiaNews</p><p>USCIRF expresses concern, says 1.9 million residents may soon be stateless -… https://t.co/x</p>\
            <p>Indian-origin man pleads guilty to fraud scheme in US - Get your news featured use… https://t.co/y</p>\
            <p>Advertisement – Star Tours</p><p><a href=\"/list\">Subscribe To Our Mailing List</a></p><p><a href=\"/kit\">Download Media Kit</a></p>\
            <p><a href=\"/epaper\">E-paper Latest Edition</a></p><p>Breaking News</p><p>Polls</p><p>Loading ...</p><p><a href=\"/fb\">Facebook</a></p>\
            <p><a href=\"/digital\">Subscribe to our Digital Edition</a></p><p>@IndiaNews</p><p>@IndiaNews</p>\
            <p>Ad: Inkasa Interiors</p><p>Ad: Ponderosa Homes</p><p>Jac O'Keeffe</p>\
            <p>Spirituality teacher.</p><p>Ad: Global Holidays</p><p>Download the app</p><p>Most read</p><p>Videos</p>";
        let page = |right: &str| {
            format!(
                "<body><div class=\"wrapper\"><div class=\"main-content-left\">{}</div>\
                <div class=\"main-content-right\">{right}</div></div></body>",
                p.repeat(4)
            )
        };
        let t = extract(&page(side), None);
        assert!(
            t.main.contains("without citizenship") && !t.main.contains("stateless") && !t.main.contains("Polls"),
            "{}",
            t.main
        );
        // A table beside the story is no sidebar, however little prose it has.
        let table = "<table><tr><td>Assam</td><td>1,906,657</td></tr><tr><td>Excluded since</td><td>31 August 2019</td></tr></table>";
        let t = extract(&page(&format!("{side}{table}")), None);
        assert!(t.main.contains("1,906,657"), "{}", t.main);
    }

    #[test]
    fn read_also_blocks_are_teasers() {
        let page = |a: &str| {
            format!(
                "<body><main><p>OCHA counted 401,850 displaced persons.</p><h3>À lire aussi :</h3>\
                <ul><li><a>{a}</a></li></ul><p>Officials confirmed the figure.</p>\
                <p><strong>Read also</strong> <a>{a}</a></p><p>The end.</p></main></body>"
            )
        };
        let x = extract(&page("Floods in Gao"), None);
        let y = extract(&page("Drought in Kayes"), None);
        assert_eq!(x.main, y.main);
        assert!(x.main.contains("Officials confirmed") && x.main.contains("The end."), "{}", x.main);
        let real = extract("<body><main><p>Related to this, the <a>UN</a> counted 12 cases.</p></main></body>", None);
        assert!(real.main.contains("Related to this"), "{}", real.main);
    }

    #[test]
    fn largest_article_and_selector() {
        let page = r#"<body><article><p>Short teaser</p></article>
            <article><p>The long main story with many words in it, far longer.</p></article>
            <div id="figures"><p>Figure: 12%</p></div></body>"#;
        let t = extract(page, None);
        assert!(t.main.contains("long main story") && !t.main.contains("teaser"));
        let t = extract(page, Some("#figures"));
        assert_eq!(t.main, "Figure: 12%\n");
    }

    #[test]
    fn long_pages_with_multibyte_text_do_not_panic() {
        let page = format!("<html><body><p>{}</p></body></html>", "é".repeat(40_000));
        assert!(extract(&page, None).main.starts_with("éé"));
    }

    #[test]
    fn hidden_text_is_not_read() {
        let t = extract(
            "<body><main><p>Text <span style=\"display: none\">gone</span>with <b hidden>gone</b>inline</p>\
            <div>Lorem<div style=\"Display:NONE !important\">gone</div> ipsum</div>\
            <div>Text<div style=\"visibility: hidden\">unseen<span style=\"visibility:visible\">seen</span></div>after</div>\
            <p>One<span style=\"visibility:collapse\">unseen</span> two <img alt=\"unseen\" style=\"visibility:hidden\"></p>\
            <p hidden=\"until-found\">revealed on search</p></main></body>",
            None,
        );
        assert!(!t.full.contains("gone") && !t.full.contains("unseen"), "{}", t.full);
        assert!(t.full.contains("Text with inline") && t.full.contains("Lorem ipsum"), "{}", t.full);
        // A hidden block still ends a line; one with display: none does not.
        assert!(t.full.contains("Text\nseen\nafter"), "{}", t.full);
        assert!(t.full.contains("revealed on search") && t.full.contains("One two"), "{}", t.full);
    }

    #[test]
    fn br_is_a_space_in_the_full_text_and_inline_display_counts() {
        let t = extract(
            "<body><main><p>Alpha<br>Beta</p><span style=\"display:block\">One</span><span>Two</span>\
            <div style=\"display: inline\">Three</div><center>Four</center>Five</main></body>",
            None,
        );
        assert!(t.full.contains("Alpha Beta"), "{}", t.full);
        assert!(t.main.contains("Alpha\nBeta"), "the watched text keeps its lines: {}", t.main);
        assert!(t.full.contains("One\nTwoThree\nFour\nFive"), "{}", t.full);
        // Images are not searched and inline edges are not word breaks: CO<sub>2</sub> is "CO2".
        let t =
            extract("<body><p><img alt=\"Photo: Bamako\">The CO<sub>2</sub> of 5000 m<sup>2</sup></p></body>", None);
        assert!(t.full.contains("The CO2 of 5000 m2") && !t.full.contains("Photo"), "{}", t.full);
    }

    #[test]
    fn captions_are_not_watched_unless_they_tell_the_story() {
        let story = "<p>The council approved the budget of 4.2 million on Tuesday after a long debate.</p>".repeat(5);
        let t = extract(
            &format!("<body><article><h1>Budget</h1>{story}<figure><img src=\"a.jpg\"><figcaption>The council chamber on Tuesday evening, as seen from the gallery.</figcaption></figure></article></body>"),
            None,
        );
        assert!(t.main.contains("4.2 million") && !t.main.contains("council chamber"), "{}", t.main);
        assert!(t.full.contains("council chamber"), "a caption is still searched: {}", t.full);
        // A how-to told in its photos' captions: they are the story.
        let step = |n: usize| {
            format!("<div class=\"step\"><figure><img src=\"{n}.jpg\"><figcaption>Step {n}: place the cloche on a platform so it sits level.</figcaption></figure></div>")
        };
        let steps: String = (1..=5).map(step).collect();
        let t = extract(&format!("<body><article><h1>Cloche</h1><p>You need a cloche, a platform and moss for this.</p>{steps}</article></body>"), None);
        assert!(t.main.contains("Step 3: place the cloche"), "{}", t.main);
    }

    #[test]
    fn an_image_alt_text_is_not_watched() {
        // Alt texts repeat the headline on every picture of a gallery or a
        // teaser card, and change with the pictures: no reader sees them.
        let story = "<p>The council approved the budget of 4.2 million on Tuesday after a long debate.</p>".repeat(4);
        let t = extract(
            &format!("<body><article><h1>Budget</h1><img alt=\"Budget approved image\">{story}<figure><img alt=\"Council photo\"></figure></article></body>"),
            None,
        );
        assert!(t.main.contains("4.2 million"), "{}", t.main);
        assert!(!t.main.contains("image") && !t.main.contains("Council photo"), "{}", t.main);
    }

    #[test]
    fn links_inside_a_paragraph_are_read_whatever_their_class() {
        // Annotated texts mark their glossed words `<a class="popup">`; a
        // paragraph's words are its own, whatever the class of their element.
        let para = "<p><a class=\"popup\" href=\"#n1\">I</a> am a <a class=\"popup\" href=\"#n2\">rather elderly</a> \
            man. The nature of my <span class=\"share-hint\">avocations</span> for the last thirty years has brought me into \
            more than ordinary contact with what would seem an interesting set of men<span aria-hidden=\"true\">{\\displaystyle x}</span>.</p>";
        let page = format!(
            "<body><nav><a href=\"/\">Home</a></nav><main>{}<div class=\"social-share\"><a href=\"/s\">Share</a></div></main></body>",
            para.repeat(3)
        );
        let t = extract(&page, None);
        assert!(t.main.contains("I am a rather elderly man. The nature of my avocations"), "{}", t.main);
        assert!(!t.main.contains("Share"), "a share bar beside the paragraphs is still left out: {}", t.main);
        assert!(
            t.main.contains("set of men.") && !t.main.contains("displaystyle"),
            "aria-hidden stays hidden: {}",
            t.main
        );
    }

    #[test]
    fn a_lead_in_its_own_wrapper_before_the_body_is_watched() {
        let body = "<p>The council approved the budget on Tuesday after a debate that lasted well into the night.</p>\
            <p>Councillors had been handed the final figures only on Monday, which several of them criticised.</p>\
            <p>The leader of the largest group said the plan protected schools and care homes from the cuts.</p>\
            <p>Union representatives watched from the public gallery and left before the vote was taken.</p>\
            <p>Opposition members said the cuts to the library service would close three branches next year.</p>\
            <p>The mayor said the savings of 2.4 million were needed to balance the books without raising taxes.</p>\
            <p>A final vote on the details is expected next month, when the plan returns to the full council.</p>";
        let page = format!(
            "<body><header><a href=\"/\">Site</a></header><div class=\"page\"><article>\
            <div class=\"intro\"><h1>Budget approved</h1><div class=\"standfirst\"><p>After a long night, the council \
            passed its spending plan with 31 votes to 20.</p></div></div>\
            <div class=\"media\"><figure><img src=\"a.jpg\"><figcaption>The council chamber on Tuesday evening. Photo: \
            City Press Office</figcaption></figure></div>\
            <div class=\"body\">{body}</div></article></div><footer>© 2024</footer></body>"
        );
        let t = extract(&page, None);
        assert!(t.main.contains("31 votes to 20"), "the standfirst is watched: {}", t.main);
        assert!(t.main.contains("2.4 million") && t.main.contains("next month"), "{}", t.main);
        assert!(!t.main.contains("Photo: City Press"), "a photo credit beside the body is not: {}", t.main);
        assert!(!t.main.contains("2024"), "{}", t.main);
    }

    #[test]
    fn the_deck_and_standfirst_before_the_body_are_watched_not_the_headline_nor_the_dateline() {
        let body: String = (1..=6)
            .map(|n| {
                format!(
                    "<p>Paragraph {n} of the report says the river rose by {n}0 centimetres at the gauge in the \
                    night and the dykes held until the morning.</p>"
                )
            })
            .collect();
        let page = |site_title: &str| {
            format!(
                "<body>{site_title}<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><div class=\"page\">\
                <header class=\"article-header\"><h1>River peaks below the dykes</h1>\
                <h2 class=\"deck\">The water board expects the level to fall by the weekend</h2>\
                <p class=\"byline\">Published 03.02.2022 by Jane Doe, Water Desk</p>\
                <p class=\"intro\">The river rose by 80 centimetres overnight, but the dykes held, the board said.</p>\
                </header><div class=\"story-body\">{body}</div></div><footer>© 2024</footer></body>"
            )
        };
        let t = extract(&page(""), None);
        assert!(!t.main.contains("River peaks below the dykes"), "the headline is not watched: {}", t.main);
        assert!(
            t.main.starts_with("The water board expects the level to fall by the weekend\n"),
            "the deck is: {}",
            t.main
        );
        assert!(t.main.contains("80 centimetres overnight"), "the standfirst is watched: {}", t.main);
        assert!(t.main.contains("Paragraph 6 "), "{}", t.main);
        assert!(!t.main.contains("Jane Doe"), "a dateline is not: {}", t.main);
        assert!(!t.main.contains("Home"), "{}", t.main);
        // A site title far above the story (a long menu between) is not its headline.
        let menu: String = (1..=150).map(|n| format!("<li>Section number {n}</li>")).collect();
        let far = format!(
            "<body><div class=\"site\"><h1>The Valley Gazette</h1><ul>{menu}</ul>\
            <div class=\"story-body\">{body}</div></div></body>"
        );
        let t = extract(&far, None);
        assert!(!t.main.contains("Valley Gazette") && t.main.contains("Paragraph 1 "), "{}", t.main);
    }

    #[test]
    fn a_body_split_around_an_ad_is_watched_whole_but_not_the_author_box() {
        let para = |n: usize| {
            format!(
                "<p>Paragraph {n} of the report on the floods, which says that water levels at the gauge rose \
                by {n}0 centimetres in the night and that the dykes held.</p>"
            )
        };
        // The ad comes late: the first part holds most of the story.
        let first: String = (1..=14).map(para).collect();
        let second: String = (15..=17).map(para).collect();
        let page = format!(
            "<body><div class=\"wrap\"><div class=\"story\">\
            <div class=\"story-body\">{first}</div>\
            <div class=\"ad-slot\"><a href=\"/ad\">Sponsored: holidays by the sea</a></div>\
            <div class=\"story-body\">{second}</div>\
            <div class=\"writer\"><p>Jane Doe writes about water and farming for the paper.</p></div>\
            </div></div><div class=\"side\"><p><a href=\"/x\">Another story</a></p></div></body>"
        );
        let t = extract(&page, None);
        assert!(t.main.contains("Paragraph 1 ") && t.main.contains("Paragraph 17 "), "{}", t.main);
        assert!(!t.main.contains("Sponsored"), "{}", t.main);
        assert!(!t.main.contains("Jane Doe"), "an author box after the body is not the body: {}", t.main);
    }

    #[test]
    fn photo_credits_and_bylines_named_so_are_left_out() {
        let p = "<p>The dykes held through the night, the water board said, and the gauge fell by morning.</p>";
        let page = format!(
            "<body><main><p class=\"byline\">By Jane Doe</p>{p}<div class=\"wp-caption\"><img src=\"a.jpg\">\
            <p class=\"credit\">Bild: Jahr Media</p></div>{p}<p class=\"image-copyright\">Getty Images</p>{p}</main></body>"
        );
        let t = extract(&page, None);
        assert!(t.main.contains("gauge fell by morning"), "{}", t.main);
        assert!(
            !t.main.contains("Jahr Media") && !t.main.contains("Getty") && !t.main.contains("Jane Doe"),
            "{}",
            t.main
        );
        // A block so named that reads like prose keeps its text.
        let long = format!("<body><main>{p}<div class=\"comment\">{p}{p}</div></main></body>");
        assert_eq!(extract(&long, None).main.matches("gauge fell").count(), 3);
    }

    #[test]
    fn spots_challenges() {
        let t = extract("<html><head><title>Just a moment...</title></head><body>Checking</body></html>", None);
        assert!(t.challenge);
    }
}
