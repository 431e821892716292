//! The little of a page's own stylesheets that the searched text needs:
//! which elements its `<style>` rules hide with `display: none` or
//! `visibility: hidden`. Only top-level rules with plain selectors count
//! (no `@media` or other at-rule blocks, no pseudo-classes), later rules
//! override earlier ones (specificity is not weighed), and rules that would
//! hide most of the page's text are ignored: such a page reveals itself with
//! a script, and its text is what readers see.

use scraper::{ElementRef, Html, Selector};

/// Rules read at most, selectors matched against the page at most, and
/// bytes of style text read at most: a bound on the time a page can take.
const MAX_RULES: usize = 4000;
const MAX_SELECTORS: usize = 600;
const MAX_BYTES: usize = 1 << 20;

/// Elements hidden by the page's style rules.
#[derive(Default)]
pub struct Hidden {
    /// `display: none`: the element and its subtree are not there.
    pub gone: super::IdSet,
    /// `visibility: hidden` (true) or `visible` (false).
    pub visibility: super::IdMap<bool>,
}

/// What one rule's declarations say.
struct Says {
    display_none: Option<bool>,
    invisible: Option<bool>,
}

fn declarations(block: &str) -> Says {
    let mut says = Says { display_none: None, invisible: None };
    for decl in block.split(';') {
        let Some((prop, value)) = decl.split_once(':') else { continue };
        let value = value.trim().to_ascii_lowercase();
        let value = value.trim_end_matches("!important").trim();
        match prop.trim().to_ascii_lowercase().as_str() {
            "display" => says.display_none = Some(value == "none"),
            "visibility" => says.invisible = Some(matches!(value, "hidden" | "collapse")),
            _ => {}
        }
    }
    says
}

/// The top-level `selectors { declarations }` rules of a stylesheet, at-rule
/// blocks (`@media`, `@supports`, …) and nested blocks skipped.
fn rules(css: &str) -> Vec<(String, String)> {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        text.push_str(&rest[..i]);
        rest = rest[i + 2..].split_once("*/").map_or("", |(_, after)| after);
    }
    text.push_str(rest);
    let mut out = Vec::new();
    let mut prelude = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ';' => prelude.clear(),
            '{' => {
                // Read the block to its matching brace.
                let (mut depth, mut block, mut nested) = (1, String::new(), false);
                for c in chars.by_ref() {
                    match c {
                        '{' => {
                            depth += 1;
                            nested = true;
                        }
                        '}' => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        break;
                    }
                    block.push(c);
                }
                let selectors = prelude.trim().to_string();
                prelude.clear();
                if !selectors.starts_with('@') && !nested && !selectors.is_empty() {
                    out.push((selectors, block));
                    if out.len() >= MAX_RULES {
                        break;
                    }
                }
            }
            _ => prelude.push(c),
        }
    }
    out
}

/// Bytes of text in `el`, less scripts and styles.
fn text_len(el: ElementRef<'_>) -> usize {
    el.descendants()
        .filter_map(|n| n.value().as_text().map(|t| (n, t)))
        .filter(|(n, _)| {
            !n.parent()
                .and_then(|p| p.value().as_element())
                .is_some_and(|p| matches!(p.name(), "style" | "script" | "noscript" | "template"))
        })
        .map(|(_, t)| t.trim().len())
        .sum()
}

/// The elements of `doc` that its style rules hide.
pub fn hidden(doc: &Html) -> Hidden {
    let mut css = String::new();
    if let Ok(style) = Selector::parse("style") {
        for el in doc.select(&style) {
            let media = el.value().attr("media").unwrap_or("all").to_ascii_lowercase();
            if !(media.contains("all") || media.contains("screen")) || css.len() > MAX_BYTES {
                continue;
            }
            css.extend(el.text());
            css.push('\n');
        }
    }
    let mut display: super::IdMap<bool> = super::IdMap::default();
    let mut visibility: super::IdMap<bool> = super::IdMap::default();
    let mut matched = 0;
    for (selectors, block) in rules(&css) {
        let says = declarations(&block);
        if says.display_none.is_none() && says.invisible.is_none() {
            continue;
        }
        for sel in selectors.split(',').map(str::trim) {
            // Pseudo-classes and elements depend on state and generated content.
            if sel.contains(':') || sel.is_empty() {
                continue;
            }
            let Ok(parsed) = Selector::parse(sel) else { continue };
            matched += 1;
            if matched > MAX_SELECTORS {
                break;
            }
            for el in doc.select(&parsed) {
                // A page that hides its whole body waits for a script to show it.
                if matches!(el.value().name(), "html" | "body") {
                    continue;
                }
                if let Some(d) = says.display_none {
                    display.insert(el.id(), d);
                }
                if let Some(v) = says.invisible {
                    visibility.insert(el.id(), v);
                }
            }
        }
    }
    let gone: super::IdSet = display.into_iter().filter_map(|(id, none)| none.then_some(id)).collect();
    let out = Hidden { gone, visibility };
    if out.gone.is_empty() && out.visibility.is_empty() {
        return out;
    }
    // Rules that hide most of the text are revealed by a script: ignore them.
    let total = text_len(doc.root_element());
    let hidden: usize = doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| out.gone.contains(&e.id()) || out.visibility.get(&e.id()) == Some(&true))
        .filter(|e| !e.ancestors().any(|a| out.gone.contains(&a.id()) || out.visibility.get(&a.id()) == Some(&true)))
        .map(text_len)
        .sum();
    if hidden * 2 > total {
        return Hidden::default();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(doc: &Html, ids: impl Iterator<Item = ego_tree::NodeId>) -> Vec<String> {
        let mut v: Vec<String> = ids
            .filter_map(|id| doc.tree.get(id).and_then(ElementRef::wrap))
            .map(|e| e.value().attr("id").unwrap_or("?").to_string())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn top_level_rules_with_plain_selectors() {
        let doc = Html::parse_document(
            "<style>/* a { display:none } */ #a, .b { display: none !important } p.c{visibility:hidden}\
             @media (max-width: 600px) { #d { display: none } } #e:hover { display: none }\
             #f { display: none } #f { display: block } @import url(x.css); #g { color: red; visibility: collapse }\
             #h::before { content: 'x'; display: none }</style><style media=\"print\">#i { display: none }</style>\
             <body><p id=\"a\">a</p><p id=\"b\" class=\"b\">b</p><p id=\"c\" class=\"c\">c</p><p id=\"d\">d</p>\
             <p id=\"e\">e</p><p id=\"f\">f</p><p id=\"g\">g</p><p id=\"h\">h</p><p id=\"i\">i</p>\
             <p>And a long paragraph that stays visible, longer than all the hidden ones together.</p></body>",
        );
        let h = hidden(&doc);
        assert_eq!(names(&doc, h.gone.iter().copied()), ["a", "b"]);
        assert_eq!(names(&doc, h.visibility.iter().filter(|(_, v)| **v).map(|(id, _)| *id)), ["c", "g"]);
    }

    #[test]
    fn rules_hiding_most_of_the_page_are_ignored() {
        let doc = Html::parse_document(
            "<style>body { visibility: hidden } .wrap { display: none }</style>\
             <body><div class=\"wrap\"><p>The whole story, shown by a script.</p></div><p>Menu</p></body>",
        );
        let h = hidden(&doc);
        assert!(h.gone.is_empty() && h.visibility.is_empty());
    }
}
