//! The texts of a page's links, for judging a change: a block made mostly of
//! link text (a teaser headline, a "latest news" line, a category label and
//! a linked headline) is furniture whatever its words. Read from the parsed
//! page apart from the watched text, so it holds for blocks whichever way the
//! extractor drew the article's bounds.

use scraper::{ElementRef, Html, Selector};

/// At most this many link texts are kept per page, each at most this long
/// (characters): bounds on what a hostile page can make a comparison do.
const MAX_LINKS: usize = 5000;
const MAX_LINK_CHARS: usize = 300;

/// The visible texts of the page's links (`a[href]`), normalised
/// ([`crate::text::normalize`]), without duplicates, longest first.
pub fn texts(html: &str) -> Vec<String> {
    let html = &*super::depth::cap(html).html;
    let doc = Html::parse_document(html);
    let Ok(sel) = Selector::parse("a[href]") else { return Vec::new() };
    let mut out: Vec<String> = doc
        .select(&sel)
        .filter(|a| visible(*a))
        .map(|a| crate::text::normalize(&a.text().collect::<String>()))
        .filter(|t| !t.is_empty() && t.chars().count() <= MAX_LINK_CHARS)
        .take(MAX_LINKS)
        .collect();
    out.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    out.dedup();
    out
}

/// [`texts`] of a response body, decoded as the extractor decodes it.
pub fn of_body(raw: &[u8], content_type: Option<&str>) -> Vec<String> {
    texts(&super::decode::decode(raw, content_type, true))
}

/// Not inside an element whose text is never shown.
fn visible(a: ElementRef<'_>) -> bool {
    !std::iter::once(a)
        .chain(a.ancestors().filter_map(ElementRef::wrap))
        .any(|e| super::html::INVISIBLE.contains(&e.value().name()) || e.value().attr("hidden").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_texts_of_a_page() {
        let page = r#"<html><body><nav><a href="/">Home</a><a href="/news">News</a></nav>
            <p>Text with <a href="/a">a Link</a> and <a name="x">an anchor</a>.</p>
            <template><a href="/t">Template link</a></template>
            <ul><li><a href="/s">Storm leaves  thousands without power</a></li><li><a href="/n">News</a></li></ul></body></html>"#;
        assert_eq!(texts(page), vec!["storm leaves thousands without power", "a link", "home", "news"]);
    }
}
