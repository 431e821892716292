//! Stage 3: extract. Raw bytes of a response become the text that is compared
//! (`main`) and searched for quotes (`full`). Pure: no I/O, no clock.

mod article;
pub mod css;
pub mod decode;
pub mod depth;
pub mod html;
pub mod links;
pub mod pdf;

use sha2::{Digest, Sha256};

/// What kind of document a body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// HTML or XHTML.
    Html,
    /// PDF.
    Pdf,
    /// Plain text (and JSON, XML, CSV).
    Text,
    /// Anything else: compared on its bytes.
    Other,
}

impl Kind {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Html => "html",
            Kind::Pdf => "pdf",
            Kind::Text => "text",
            Kind::Other => "other",
        }
    }
    /// Parses the name.
    pub fn parse(s: &str) -> Kind {
        match s {
            "html" => Kind::Html,
            "pdf" => Kind::Pdf,
            "text" => Kind::Text,
            _ => Kind::Other,
        }
    }
}

/// The text of one response.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// Document kind.
    pub kind: Kind,
    /// Title (untrusted).
    pub title: Option<String>,
    /// First heading (untrusted), for soft-404 checks.
    pub h1: Option<String>,
    /// The watched text, one block per line.
    pub main: String,
    /// All visible text, for quotes.
    pub full: String,
    /// Why no text could be read, when that is so.
    pub failure: Option<String>,
    /// Whether the page is a bot challenge rather than content.
    pub challenge: bool,
}

/// Hex SHA-256 of bytes.
pub fn sha256(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

/// Why a page yields no watched text under `selector`.
pub fn selector_missed(selector: &str) -> String {
    format!("the selector \"{selector}\" matches nothing on this page (redesigned? check the selector)")
}

/// Decides the kind from the Content-Type, then from the bytes.
pub fn sniff(raw: &[u8], content_type: Option<&str>) -> Kind {
    let ct = content_type.unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let head = &raw[..raw.len().min(1024)];
    if head.starts_with(b"%PDF-") || ct == "application/pdf" {
        return Kind::Pdf;
    }
    match ct.as_str() {
        "text/html" | "application/xhtml+xml" => return Kind::Html,
        "text/plain" | "text/csv" | "text/markdown" | "application/json" | "text/xml" | "application/xml" => {
            return Kind::Text
        }
        _ => {}
    }
    let lower: String = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = lower.trim_start_matches(['\u{feff}', ' ', '\n', '\r', '\t']);
    if start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || lower.contains("<body")
        || lower.contains("<head")
    {
        return Kind::Html;
    }
    if ct.starts_with("text/") {
        return Kind::Text;
    }
    Kind::Other
}

/// Extracts the text of a body. `selector` narrows the watched text of HTML.
pub fn extract(raw: &[u8], content_type: Option<&str>, selector: Option<&str>) -> Extracted {
    let kind = sniff(raw, content_type);
    let mut out = Extracted {
        kind,
        title: None,
        h1: None,
        main: String::new(),
        full: String::new(),
        failure: None,
        challenge: false,
    };
    match kind {
        Kind::Html => {
            let text = decode::decode(raw, content_type, true);
            let h = html::extract(&text, selector);
            out.title = h.title;
            out.h1 = h.h1;
            out.main = h.main;
            out.full = h.full;
            out.challenge = h.challenge;
            if h.selector_missed {
                out.failure = Some(selector_missed(selector.unwrap_or_default()));
            }
        }
        Kind::Pdf => match pdf::extract(raw) {
            Ok(text) => {
                out.main = text.clone();
                out.full = text;
            }
            Err(e) => out.failure = Some(e),
        },
        Kind::Text => {
            let text = html::tidy(&decode::decode(raw, content_type, false));
            out.main = text.clone();
            out.full = text;
        }
        Kind::Other => {}
    }
    if matches!(kind, Kind::Html | Kind::Pdf | Kind::Text) && out.failure.is_none() && out.main.trim().is_empty() {
        out.failure = Some(match kind {
            Kind::Pdf => "the PDF has no extractable text (a scan?)".into(),
            _ => "the page has no readable text".into(),
        });
    }
    out
}

/// The version of the extraction rules: raised whenever a change of this
/// module can change the watched text of some page. A stored snapshot made
/// with other rules has its watched text extracted again from its body
/// before it is compared (`check::watched_text`).
pub const RULES: i64 = 5;

/// Stack of the threads that extract text: ample for the depth cap of
/// [`depth`], whatever a recursive walk spends per level.
pub const EXTRACT_STACK: usize = 64 * 1024 * 1024;

/// Like [`extract`], isolated: on its own thread with a large stack, a panic
/// becomes a failure of that source ("could not extract: …"), and a body
/// whose text takes longer than `limit` to read gives up instead of holding
/// the run (the stray worker is left to finish). PDFs are read in a child
/// process when the binary allows it ([`crate::sandbox`]).
pub fn extract_bounded(
    raw: &[u8],
    content_type: Option<&str>,
    selector: Option<&str>,
    limit: std::time::Duration,
) -> Extracted {
    let kind = sniff(raw, content_type);
    let failed = |why: String| Extracted {
        kind,
        title: None,
        h1: None,
        main: String::new(),
        full: String::new(),
        failure: Some(why),
        challenge: false,
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let (raw_owned, ct, sel) = (raw.to_vec(), content_type.map(str::to_string), selector.map(str::to_string));
    let spawned = std::thread::Builder::new().name("extract".into()).stack_size(EXTRACT_STACK).spawn(move || {
        let r = std::panic::catch_unwind(|| extract(&raw_owned, ct.as_deref(), sel.as_deref()));
        let _ = tx.send(r.map_err(|p| panic_message(p.as_ref())));
    });
    match spawned {
        Err(e) => failed(format!("could not extract: cannot start a worker thread: {e}")),
        Ok(_) => match rx.recv_timeout(limit) {
            Ok(Ok(e)) => e,
            Ok(Err(msg)) => failed(format!("could not extract: the text extractor failed ({msg})")),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                failed(format!("could not extract: reading the text took longer than {} s; gave up", limit.as_secs()))
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                failed("could not extract: the text extractor stopped".into())
            }
        },
    }
}

/// The message of a caught panic.
pub fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    let msg = p
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into());
    msg.chars().take(300).collect()
}

impl Extracted {
    /// The fingerprint compared with the baseline: the hash of the normalised
    /// watched text, or of the bytes for other kinds. Equal fingerprints mean
    /// unchanged content; different ones are compared by `compare`.
    pub fn fingerprint(&self, raw: &[u8]) -> String {
        match self.kind {
            Kind::Other => sha256(raw),
            _ => sha256(crate::text::normalize(&self.main).as_bytes()),
        }
    }
}

#[cfg(test)]
mod robustness {
    /// Arbitrary bytes, HTML-ish fragments and broken PDFs never panic.
    #[test]
    fn junk_never_panics() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let pieces: &[&[u8]] = &[
            b"<html>",
            b"<p>",
            b"</div>",
            b"<main>",
            b"<article",
            b"<!--",
            b"%PDF-1.4\n",
            b"stream\n",
            b"\xc3",
            b"\xe9",
            b"\xff\xfe",
            b"<meta charset=\"",
            b"shift_jis\">",
            b"<title>404",
            b"&amp;",
            b"&#x",
            b"<script>",
            b"obj <<",
            b"/FlateDecode",
            b"endobj",
            b"\x00",
            "é".as_bytes(),
            "東京".as_bytes(),
            b" ",
        ];
        for round in 0..400 {
            let mut body = Vec::new();
            for _ in 0..(next() % 60) {
                if next() % 3 == 0 {
                    body.push((next() % 256) as u8);
                } else {
                    body.extend_from_slice(pieces[(next() as usize) % pieces.len()]);
                }
            }
            let ct =
                ["text/html", "application/pdf", "text/plain; charset=utf-8", "application/octet-stream"][round % 4];
            let sel = if round % 5 == 0 { Some("main p") } else { None };
            let e = super::extract(&body, Some(ct), sel);
            let _ = e.fingerprint(&body);
            let _ = crate::text::normalize(&e.full);
        }
    }
}

/// A map keyed by document nodes.
pub type IdMap<V> = std::collections::HashMap<ego_tree::NodeId, V, crate::fasthash::BuildMul>;
/// A set of document nodes.
pub type IdSet = std::collections::HashSet<ego_tree::NodeId, crate::fasthash::BuildMul>;

/// The value of attribute `name` (no namespace) of `el`: what
/// `Element::attr` returns, found by comparing names rather than by making
/// an interned name for each look-up (hashed, and for names the parser does
/// not know, added to and removed from a global set under a lock), which the
/// extraction does for every element several times.
pub(crate) fn attr<'a>(el: &'a scraper::node::Element, name: &str) -> Option<&'a str> {
    el.attrs.iter().find(|(q, _)| &*q.local == name && q.ns.is_empty()).map(|(_, v)| &**v)
}

#[cfg(test)]
mod tests {
    #[test]
    fn attr_finds_what_element_attr_finds() {
        let doc = scraper::Html::parse_document(
            "<div class=\"a b\" id=x data-testid=\"t\" aria-hidden=true hidden style=\"display:none\">\
             <svg><a xlink:href=\"#n\" href=\"#h\"></a></svg></div>",
        );
        for node in doc.tree.nodes() {
            if let Some(el) = node.value().as_element() {
                for name in
                    ["class", "id", "data-testid", "aria-hidden", "hidden", "style", "href", "role", "xlink:href"]
                {
                    assert_eq!(super::attr(el, name), el.attr(name), "{name} of {}", el.name());
                }
            }
        }
    }
}
