//! The real-page corpus (`../shared/corpus/realworld`, pages saved by the
//! trafilatura project with strings their main text must and must not hold),
//! its furniture-only and article-edit variants, and the figures measured on
//! them. Shared by the `realworld` integration test and the
//! `bench_realworld` example.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use citewatch::compare;
use citewatch::model::Content;
use icu_normalizer::ComposingNormalizerBorrowed;
use scraper::{ElementRef, Html, Node};

/// One page with its expectations (both upstream sources merged).
pub struct Page {
    pub file: String,
    /// Strings the main text must contain.
    pub with: Vec<String>,
    /// Furniture strings the main text must not contain (only those present in the page).
    pub without: Vec<String>,
}

/// The corpus folder, when it is there: `../shared/corpus/realworld` beside
/// the project, or the folder `CITEWATCH_REALWORLD` names.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("CITEWATCH_REALWORLD")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/realworld"));
    dir.join("expectations.json").is_file().then_some(dir)
}

/// NFC, no soft hyphens, whitespace runs collapsed to one space (not trimmed).
pub fn norm(s: &str) -> String {
    let s = ComposingNormalizerBorrowed::new_nfc().normalize(s).replace('\u{ad}', "");
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// The pages of the corpus, sorted by file name, with their decoded HTML.
pub fn load(dir: &Path) -> Vec<(Page, String)> {
    let json = std::fs::read(dir.join("expectations.json")).expect("expectations.json");
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&json).expect("expectations.json is JSON");
    let mut pages: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for e in &entries {
        let file = e["file"].as_str().expect("file").to_string();
        let p = pages.entry(file).or_default();
        let strings = |k: &str| -> Vec<String> {
            e[k].as_array()
                .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
                .unwrap_or_default()
        };
        p.0.extend(strings("with"));
        p.1.extend(strings("without"));
    }
    pages
        .into_iter()
        .filter_map(|(file, (mut with, without))| {
            let raw = std::fs::read(dir.join("pages").join(&file)).ok()?;
            let html = citewatch::extract::decode::decode(&raw, Some("text/html"), true);
            let page_text = norm(&html_text(&html));
            with.sort();
            with.dedup();
            let mut without: Vec<String> = without.into_iter().filter(|s| page_text.contains(norm(s).trim())).collect();
            without.sort();
            without.dedup();
            Some((Page { file, with, without }, html))
        })
        .collect()
}

/// All text of a page (for checking which expectations apply).
fn html_text(html: &str) -> String {
    citewatch::extract::html::extract(html, None).full
}

/// A small deterministic generator.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: &str) -> Rng {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in seed.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        Rng(h | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "section",
    "article",
    "dd",
    "dt",
    "figcaption",
    "blockquote",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "body",
];

fn in_invisible(el: ElementRef<'_>) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .any(|e| matches!(e.value().name(), "script" | "style" | "noscript" | "template" | "head" | "title"))
}

fn block_of(el: ElementRef<'_>) -> Option<ElementRef<'_>> {
    el.ancestors().filter_map(ElementRef::wrap).find(|e| BLOCKS.contains(&e.value().name()))
}

fn text_len(el: ElementRef<'_>) -> usize {
    el.text().map(|t| t.split_whitespace().map(|w| w.chars().count() + 1).sum::<usize>()).sum()
}

/// Whether `text` overlaps the article's known strings (so editing it would
/// edit the article).
fn touches_article(text: &str, with: &[String]) -> bool {
    let t = norm(text);
    let t = t.trim();
    !t.is_empty()
        && with.iter().any(|w| {
            let w = norm(w);
            w.contains(t) || t.contains(w.trim())
        })
}

/// A date or a time of day, strictly (2022-03-12, 12.03.2022, 12/03/22,
/// 12 March 2022, March 12, 2022, 14:05).
fn date_like() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        let months = "jan(?:uary|uar)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|apr(?:il)?|may|mai|june?|juni|july?|juli|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre";
        regex::Regex::new(&format!(
            r"(?i)\b(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|\d{{1,2}}\.?\s+(?:{months})\.?\s+\d{{4}}|(?:{months})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}:\d{{2}})\b"
        ))
        .expect("date pattern")
    })
}

/// A text that is only a date or time stamp: a date or time and a few words.
fn stamp_like(t: &str) -> bool {
    if t.chars().count() > 60 || !date_like().is_match(t) {
        return false;
    }
    let rest = date_like().replace_all(t, " ");
    !rest.chars().any(|c| c.is_ascii_digit())
        && rest.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() <= 3
}

/// A counter: a bare number, or a number and a counting word.
fn counter_like() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"(?i)^\(?\s*\d{1,3}(?:[.,]\d{3})*\s*\)?(?:\s*(?:comments?|kommentare?|commentaires?|comentarios?|views?|aufrufe|vues|shares?|likes?|antworten|replies|reactions?|réactions?|reads?))?\s*$",
        )
        .expect("counter pattern")
    })
}

/// Moves every one- or two-digit number on by a little (dates and times move on).
fn bump_numbers(s: &str, rng: &mut Rng) -> String {
    let step = 1 + rng.below(5) as u32;
    let re = regex::Regex::new(r"\d+").expect("digits");
    re.replace_all(s, |c: &regex::Captures<'_>| {
        let d = &c[0];
        let n: u32 = d.parse().unwrap_or(0);
        let m = if d.len() <= 2 {
            (n % 27) + step
        } else if d.len() == 4 {
            n
        } else {
            n + step
        };
        format!("{m:0width$}", width = d.len())
    })
    .into_owned()
}

fn set_text(doc: &mut Html, id: ego_tree::NodeId, text: &str) {
    if let Some(mut n) = doc.tree.get_mut(id) {
        if let Node::Text(t) = n.value() {
            t.text = text.into();
        }
    }
}

/// The text nodes of the page outside scripts and styles, with their element.
fn text_nodes(doc: &Html) -> Vec<(ego_tree::NodeId, ElementRef<'_>, String)> {
    doc.tree
        .nodes()
        .filter_map(|n| {
            let Node::Text(t) = n.value() else { return None };
            let parent = n.parent().and_then(ElementRef::wrap)?;
            (!in_invisible(parent) && !t.trim().is_empty()).then(|| (n.id(), parent, t.to_string()))
        })
        .collect()
}

/// The page with only its furniture edited, as a page's next fetch often
/// is: teaser headlines rotated, date and time stamps and counters moved on,
/// promos added (one inside the story), scripts and class names changed.
/// The article's own text (its known strings) is left alone.
pub fn furniture_variant(page: &Page, html: &str) -> String {
    let mut rng = Rng::new(&format!("{}{}", std::env::var("CITEWATCH_SEED").unwrap_or_default(), page.file));
    let mut doc = Html::parse_document(html);
    let mut edits: Vec<(ego_tree::NodeId, String)> = Vec::new();
    // Teasers: links that make up (nearly) all of their block.
    let a_sel = scraper::Selector::parse("a").expect("selector");
    let mut teasers: Vec<(ego_tree::NodeId, String)> = Vec::new();
    for a in doc.select(&a_sel) {
        let len = text_len(a);
        if !(12..=200).contains(&len) || in_invisible(a) {
            continue;
        }
        let Some(block) = block_of(a) else { continue };
        if text_len(block) > len + len / 5 + 8 {
            continue;
        }
        let text: String = a.text().collect();
        // A teaser headline: a few words (a nav label or a name is not one),
        // not a table cell or a quoted post, not the article's own text.
        let words = text.split_whitespace().count();
        let cjk = text.chars().filter(|&c| c as u32 >= 0x2e80).count();
        if (words < 3 && cjk < 8) || touches_article(&text, &page.with) {
            continue;
        }
        if std::iter::once(a)
            .chain(a.ancestors().filter_map(ElementRef::wrap))
            .any(|e| matches!(e.value().name(), "table" | "blockquote"))
        {
            continue;
        }
        let first =
            a.descendants().find(|n| n.value().is_text() && n.value().as_text().is_some_and(|t| !t.trim().is_empty()));
        if let Some(first) = first {
            teasers.push((first.id(), text.split_whitespace().collect::<Vec<_>>().join(" ")));
            for other in a.descendants().filter(|n| n.value().is_text() && n.id() != first.id()) {
                edits.push((other.id(), String::new()));
            }
        }
    }
    if teasers.len() > 1 {
        let k = 1 + rng.below(teasers.len() - 1);
        for (i, (id, _)) in teasers.iter().enumerate() {
            edits.push((*id, teasers[(i + k) % teasers.len()].1.clone()));
        }
    }
    // Date stamps and counters: short text nodes of that shape, outside the article's strings.
    let article_marker = "\u{e000}PROMO\u{e000}";
    let mut anchor_p = None;
    for (id, parent, text) in text_nodes(&doc) {
        let t = text.trim();
        let short = t.chars().count() <= 80;
        if short && !touches_article(t, &page.with) {
            let block_short = block_of(parent).is_some_and(|b| text_len(b) <= 120);
            let within = |names: &[&str]| {
                std::iter::once(parent)
                    .chain(parent.ancestors().filter_map(ElementRef::wrap))
                    .any(|e| names.contains(&e.value().name()))
            };
            // Quoted posts and tables keep their dates and figures; a counter
            // is a badge on a link or button, or has a counting word.
            let badge = within(&["a", "button"]) || t.chars().any(char::is_alphabetic);
            let stamp = stamp_like(t) && !within(&["blockquote", "table"]);
            // A counter stands apart: the text of its block beside it is a
            // label ("Kommentare"), not a sentence it is cited in ("… (18).").
            let apart = block_of(parent).is_some_and(|b| text_len(b) <= t.chars().count() + 30);
            let counter =
                counter_like().is_match(t) && badge && apart && !within(&["table"]) && t.chars().count() <= 30;
            if block_short && (stamp || counter) {
                edits.push((id, bump_numbers(&text, &mut rng)));
            }
        }
        if anchor_p.is_none() && t.chars().count() >= 40 && touches_article(t, &page.with) {
            anchor_p = block_of(parent).filter(|b| b.value().name() == "p").map(|b| b.id());
        }
    }
    for (id, text) in edits {
        set_text(&mut doc, id, &text);
    }
    // Scripts: inline code changes from fetch to fetch.
    let script_sel = scraper::Selector::parse("script").expect("selector");
    let scripts: Vec<ego_tree::NodeId> = doc
        .select(&script_sel)
        .filter(|s| !s.value().attr("type").is_some_and(|t| t.contains("json")))
        .filter_map(|s| s.children().find(|n| n.value().is_text()).map(|n| n.id()))
        .collect();
    for id in scripts {
        if let Some(mut n) = doc.tree.get_mut(id) {
            if let Node::Text(t) = n.value() {
                let code = format!("{}\n/* build {} */", &*t.text, rng.next() % 100_000);
                t.text = code.as_str().into();
            }
        }
    }
    // A promo after the first known paragraph of the story.
    if let Some(id) = anchor_p {
        if let Some(mut n) = doc.tree.get_mut(id) {
            n.insert_after(Node::Text(scraper::node::Text { text: article_marker.into() }));
        }
    }
    let mut out = doc.html();
    let promo_in = [
        "<div class=\"promo-inline\"><a href=\"/subscribe\">Subscribe for full access: 3 months for $1</a></div>",
        "<p><strong>Read more:</strong> <a href=\"/news/other-story\">Storm leaves thousands without power across the region</a></p>",
        "<figure class=\"content-recirculation\"><a href=\"/x\"><img alt=\"\"><figcaption>Minister resigns after weeks of pressure over budget</figcaption></a></figure>",
    ][rng.below(3)];
    out = out.replacen(article_marker, promo_in, 1);
    let banner = format!(
        "<div class=\"top-banner b{}\"><a href=\"/offer\">Limited offer: save 40% today</a></div><script>window.__v={}</script>",
        rng.next() % 1000,
        rng.next() % 1_000_000
    );
    if let Some(i) = out.find("<body") {
        if let Some(j) = out[i..].find('>') {
            out.insert_str(i + j + 1, &banner);
        }
    }
    // Class names rebuilt (hashed CSS-in-JS names change, a state class appears).
    let class_re = regex::Regex::new(r#"class="([^"]*)""#).expect("class pattern");
    let shift = 1 + rng.below(8) as u32;
    out = class_re
        .replace_all(&out, |c: &regex::Captures<'_>| {
            let tokens: Vec<String> = c[1]
                .split_whitespace()
                .map(|t| {
                    t.chars()
                        .map(|ch| ch.to_digit(10).map_or(ch, |d| char::from_digit((d + shift) % 10, 10).unwrap_or(ch)))
                        .collect()
                })
                .collect();
            format!("class=\"{} is-hydrated\"", tokens.join(" "))
        })
        .into_owned();
    out
}

/// The page with one figure or one sentence of its article changed, and what
/// was changed; `None` when no text node of the article could be found.
pub fn article_variant(page: &Page, html: &str) -> Option<(String, String)> {
    let mut rng = Rng::new(&format!("edit:{}{}", std::env::var("CITEWATCH_SEED").unwrap_or_default(), page.file));
    let mut doc = Html::parse_document(html);
    let candidates: Vec<(ego_tree::NodeId, String)> = text_nodes(&doc)
        .into_iter()
        .filter(|(_, _, t)| t.trim().chars().count() >= 25 && touches_article(t, &page.with))
        .map(|(id, _, t)| (id, t))
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let figures: Vec<&(ego_tree::NodeId, String)> =
        candidates.iter().filter(|(_, t)| t.chars().any(|c| c.is_ascii_digit())).collect();
    let (id, text, edited, what) = if !figures.is_empty() && rng.below(2) == 0 {
        let (id, t) = figures[rng.below(figures.len())];
        // The last digit of the first number.
        let start = t.find(|c: char| c.is_ascii_digit())?;
        let end = t[start..].find(|c: char| !c.is_ascii_digit()).map_or(t.len(), |e| start + e);
        let d = t[end - 1..end].parse::<u32>().ok()?;
        let edited = format!("{}{}{}", &t[..end - 1], (d + 3) % 10, &t[end..]);
        (*id, t.clone(), edited, "figure")
    } else {
        let (id, t) = &candidates[rng.below(candidates.len())];
        // Two neighbouring words swapped near the middle: the sentence now says something else.
        let words: Vec<&str> = t.split_whitespace().collect();
        if words.len() < 4 {
            return None;
        }
        let mut w = words.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let i = words.len() / 2;
        let (a, b) = (w[i - 1].clone(), w[i].clone());
        if a == b {
            w[i] = format!("{b} {b}");
        } else {
            w[i - 1] = b;
            w[i] = a;
        }
        (*id, t.clone(), w.join(" "), "sentence")
    };
    set_text(&mut doc, id, &edited);
    Some((doc.html(), format!("{what}: {} -> {}", text.trim(), edited.trim())))
}

/// Figures measured over the corpus.
#[derive(Default, Debug)]
pub struct Figures {
    pub pages: usize,
    pub empty: Vec<String>,
    pub with_total: usize,
    pub with_found: usize,
    pub without_total: usize,
    pub without_kept_out: usize,
    pub identical_changed: Vec<String>,
    pub furniture_pages: usize,
    pub furniture_flagged: Vec<String>,
    /// For each flagged furniture-only page, the blocks on one side only
    /// (`-` baseline, `+` variant), as compared.
    pub furniture_diffs: Vec<String>,
    pub edit_pages: usize,
    pub edits_missed: Vec<String>,
    pub misses: Vec<String>,
    pub junk: Vec<String>,
}

impl Figures {
    pub fn recall(&self) -> f64 {
        self.with_found as f64 / self.with_total.max(1) as f64
    }
    pub fn precision(&self) -> f64 {
        self.without_kept_out as f64 / self.without_total.max(1) as f64
    }
    pub fn summary(&self) -> String {
        format!(
            "pages {} | empty watched text {} | article strings found {}/{} ({:.3}) | furniture strings kept out {}/{} ({:.3}) | identical pages changed {} | furniture-only edits flagged {}/{} ({:.1} %) | article edits caught {}/{}",
            self.pages,
            self.empty.len(),
            self.with_found,
            self.with_total,
            self.recall(),
            self.without_kept_out,
            self.without_total,
            self.precision(),
            self.identical_changed.len(),
            self.furniture_flagged.len(),
            self.furniture_pages,
            100.0 * self.furniture_flagged.len() as f64 / self.furniture_pages.max(1) as f64,
            self.edit_pages - self.edits_missed.len(),
            self.edit_pages,
        )
    }
}

/// The blocks of `a` not in `b` (`-`) and of `b` not in `a` (`+`), as compared.
fn one_sided(a: &str, b: &str) -> String {
    let (a, b) = (compare::sorted_blocks(a, &[]), compare::sorted_blocks(b, &[]));
    let count = |v: &[String]| {
        let mut m: BTreeMap<String, usize> = BTreeMap::new();
        for x in v {
            *m.entry(x.clone()).or_default() += 1;
        }
        m
    };
    let (ca, cb) = (count(&a), count(&b));
    let mut out = String::new();
    for (x, n) in &ca {
        for _ in *cb.get(x).unwrap_or(&0)..*n {
            out.push_str(&format!("- {x}\n"));
        }
    }
    for (x, n) in &cb {
        for _ in *ca.get(x).unwrap_or(&0)..*n {
            out.push_str(&format!("+ {x}\n"));
        }
    }
    out
}

fn watched(html: &str) -> String {
    citewatch::extract::extract(html.as_bytes(), Some("text/html; charset=utf-8"), None).main
}

/// A page as `check` holds it: watched text, full text, link texts.
pub struct Seen {
    pub main: String,
    pub full: String,
    pub links: Vec<String>,
}

pub fn seen(html: &str) -> Seen {
    let e = citewatch::extract::extract(html.as_bytes(), Some("text/html; charset=utf-8"), None);
    Seen { main: e.main, full: e.full, links: citewatch::extract::links::texts(html) }
}

impl Seen {
    fn page(&self) -> compare::Page<'_> {
        compare::Page { full: &self.full, links: &self.links }
    }
}

/// Judges `current` against `base` as `check` does.
pub fn judge(base: &Seen, current: &Seen) -> Content {
    compare::compare_pages(&base.main, &current.main, &[], Some(&base.page()), Some(&current.page())).content
}

/// What a change of `current` against `base` is about, as `check` judges it.
pub fn why(base: &Seen, current: &Seen) -> Vec<String> {
    compare::changed_content_of(&base.main, &current.main, &[], Some(&base.page()), Some(&current.page()))
}

/// Extracts every page and its variants and compares them as `check` does.
pub fn measure(pages: &[(Page, String)]) -> Figures {
    let mut f = Figures::default();
    for (page, html) in pages {
        f.pages += 1;
        let main = watched(html);
        if main.trim().is_empty() {
            f.empty.push(page.file.clone());
        }
        let text = norm(&main);
        for w in &page.with {
            f.with_total += 1;
            if text.contains(&norm(w)) {
                f.with_found += 1;
            } else {
                f.misses.push(format!("{}: {w}", page.file));
            }
        }
        for w in &page.without {
            f.without_total += 1;
            if text.contains(&norm(w)) {
                f.junk.push(format!("{}: {w}", page.file));
            } else {
                f.without_kept_out += 1;
            }
        }
        let base = seen(html);
        if judge(&base, &seen(html)) != Content::Unchanged {
            f.identical_changed.push(page.file.clone());
        }
        let furniture = seen(&furniture_variant(page, html));
        f.furniture_pages += 1;
        if judge(&base, &furniture) != Content::Unchanged {
            let why = why(&base, &furniture);
            let why: Vec<String> = why.iter().take(3).map(|l| l.chars().take(100).collect()).collect();
            f.furniture_flagged.push(format!("{}: {}", page.file, why.join(" | ")));
            f.furniture_diffs.push(format!("== {}\n{}", page.file, one_sided(&main, &furniture.main)));
        }
        if let Some((edited, what)) = article_variant(page, html) {
            f.edit_pages += 1;
            if judge(&base, &seen(&edited)) != Content::Changed {
                f.edits_missed.push(format!("{}: {what}", page.file));
            }
        }
    }
    f
}
