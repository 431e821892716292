//! PDF factsheets: page text from pdf-extract, links from the pages' link
//! annotations (lopdf), then the same placement as the text format.

use lopdf::{Dictionary, Document, Object};

use super::text::{self, PageLink, RawPage};
use super::words::is_http_url;
use super::{ImportError, Parsed};

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

fn string_of(o: &Object) -> Option<String> {
    match o {
        Object::String(b, _) => Some(String::from_utf8_lossy(b).into_owned()),
        Object::Name(b) => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    }
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    deref(doc, o).as_dict().ok()
}

/// URI link annotations of each page, in annotation order.
pub(crate) fn page_links(doc: &Document) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (_, page_id) in doc.get_pages() {
        let mut urls = Vec::new();
        if let Ok(page) = doc.get_dictionary(page_id) {
            if let Ok(annots) = page.get(b"Annots") {
                if let Ok(arr) = deref(doc, annots).as_array() {
                    for a in arr {
                        let Some(ad) = dict(doc, a) else { continue };
                        let is_link =
                            ad.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) == Some(b"Link".as_slice());
                        if !is_link {
                            continue;
                        }
                        let Some(action) = ad.get(b"A").ok().and_then(|x| dict(doc, x)) else {
                            continue;
                        };
                        let is_uri = action.get(b"S").ok().and_then(|s| s.as_name().ok()) == Some(b"URI".as_slice());
                        if !is_uri {
                            continue;
                        }
                        if let Some(u) = action.get(b"URI").ok().map(|x| deref(doc, x)).and_then(string_of) {
                            let u = u.trim().to_string();
                            if is_http_url(&u) {
                                urls.push(u);
                            }
                        }
                    }
                }
            }
        }
        out.push(urls);
    }
    out
}

/// The text and URI links of each page, read in this process (the
/// sandbox's job for `import`).
pub fn pages_in_process(bytes: &[u8], cap: u64) -> Result<Vec<(String, Vec<String>)>, String> {
    let doc = Document::load_mem(bytes).map_err(|e| format!("load: {e}"))?;
    let links = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| page_links(&doc)))
        .map_err(|_| "the PDF reader failed on its link annotations".to_string())?;
    let texts = crate::extract::pdf::pages_in_process(bytes, cap)?;
    let n = links.len().max(texts.len());
    Ok((0..n).map(|i| (texts.get(i).cloned().unwrap_or_default(), links.get(i).cloned().unwrap_or_default())).collect())
}

/// The pages, read in a sandboxed child process when the binary allows it.
fn read_pages(bytes: &[u8]) -> Result<Vec<(String, Vec<String>)>, String> {
    let cap = crate::extract::pdf::cap();
    match crate::sandbox::run(crate::sandbox::Job::PdfPages, bytes, cap) {
        Some(out) => {
            serde_json::from_slice(&out?).map_err(|e| format!("the sandboxed reader's output is garbled: {e}"))
        }
        None => pages_in_process(bytes, cap),
    }
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Parsed, ImportError> {
    let read = read_pages(bytes).map_err(|e| {
        if let Some(e) = e.strip_prefix("load: ") {
            return ImportError::new(format!(
                "cannot read the PDF ({e}); check that the file is a complete, unencrypted PDF, or import its extracted text with --format text"
            ));
        }
        let e = e.strip_prefix("cannot read the PDF: ").unwrap_or(&e);
        ImportError::new(format!(
            "cannot extract text from the PDF ({e}); extract the text with another tool (one page after the other, each followed by its links) and import it with --format text"
        ))
    })?;
    let n = read.len();
    let (texts, links): (Vec<String>, Vec<Vec<String>>) = read.into_iter().unzip();
    if texts.iter().all(|t| t.trim().is_empty()) {
        return Err(ImportError::new(format!(
            "the PDF has {n} page(s) but no extractable text (a scanned document?); run OCR on it first or import a text version with --format text"
        )));
    }
    let mut pages = Vec::with_capacity(n);
    for i in 0..n {
        let t = texts.get(i).cloned().unwrap_or_default();
        let mut page_links: Vec<PageLink> = Vec::new();
        for u in links.get(i).cloned().unwrap_or_default() {
            // a link whose text wraps is often two annotations
            match page_links.last_mut() {
                Some(l) if l.url == u => l.lines += 1,
                _ => page_links.push(PageLink { url: u, lines: 1 }),
            }
        }
        pages.push(RawPage { lines: t.lines().map(str::to_string).collect(), links: page_links });
    }
    Ok(text::place(pages, None))
}
